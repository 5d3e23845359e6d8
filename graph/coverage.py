"""Coverage: the local-status map (现状图) against the chain template (全景图), segment by segment."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from chainkg.schema import PIPELINE_STAGES

from .kg import KnowledgeGraph
from .scope import CNY_TO_YI, Scope, build_scope


@dataclass(frozen=True)
class CoverageRow:
    """One segment of one chain: what the region has there."""

    chain: str
    chain_id: str
    segment: str
    segment_id: str
    stage: str
    order: int | None
    local_enterprises: int
    anchors: int
    enterprises: list[str]
    projects: dict[str, int] = field(default_factory=dict)
    agreed_amount_yi: float = 0.0
    status: str = "missing"

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def agreed_yi(kg: KnowledgeGraph, projects: set[str] | list[str]) -> float:
    """Sum of agreed amounts in 亿元 over projects with a CNY unit (others are not added)."""
    total = 0.0
    for p in projects:
        d = kg.g.nodes[p]
        factor = CNY_TO_YI.get(d.get("amount_unit", ""))
        if factor is not None and d.get("agreed_amount") is not None:
            total += d["agreed_amount"] * factor
    return round(total, 6)


def segment_status(kg: KnowledgeGraph, region: str | None = None, *, scope: Scope | None = None) -> dict[str, str]:
    """Each template segment's local status: ``covered``, ``weak`` (强链 candidate) or ``missing``.

    ``missing``: no local enterprise and no landed local project; ``weak``: covered
    but a :func:`chainkg.graph.gaps.weak` rule fires; ``covered`` otherwise.

    >>> from chainkg.data import kunming
    >>> status = segment_status(kunming())
    >>> sorted(set(status.values()))
    ['covered', 'missing', 'weak']
    """
    from .gaps import weak_reasons

    sc = scope or build_scope(kg, region)
    out = {}
    for c in (c for c in kg.nodes("Chain") if kg.out(c, "HAS_SEGMENT")):
        for s in kg.segments_of(c):
            if not sc.covered(s):
                out[s] = "missing"
            elif weak_reasons(sc, s):
                out[s] = "weak"
            else:
                out[s] = "covered"
    return out


def coverage(kg: KnowledgeGraph, region: str | None = None, chain: str | None = None) -> list[CoverageRow]:
    """The coverage matrix: for each chain and segment, local enterprises, anchors, projects by status
    and agreed amount (亿元), with the segment's status (covered / weak / missing).

    Rows come chain by chain (verified chains first) in template order.

    >>> from chainkg.data import kunming
    >>> rows = coverage(kunming(), chain="新能源电池")
    >>> rows[0].chain
    '新能源电池'
    """
    sc = build_scope(kg, region, chain)
    status = segment_status(kg, scope=sc)
    rows = []
    for s in sc.segments():
        c = sc.segment_chain[s]
        d = kg.g.nodes[s]
        projects = sc.projects_in.get(s, set())
        by_status = {st: n for st in PIPELINE_STAGES if (n := sum(kg.g.nodes[p]["status"] == st for p in projects))}
        firms = sorted(sc.firms_in.get(s, ()), key=lambda f: (kg.name(f), f))
        rows.append(
            CoverageRow(
                chain=kg.name(c),
                chain_id=c,
                segment=d["name"],
                segment_id=s,
                stage=d["stage"],
                order=d.get("order"),
                local_enterprises=len(firms),
                anchors=len(sc.anchors_in.get(s, ())),
                enterprises=[kg.name(f) for f in firms],
                projects=by_status,
                agreed_amount_yi=agreed_yi(kg, projects),
                status=status[s],
            )
        )
    return rows
