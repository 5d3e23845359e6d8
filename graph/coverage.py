"""Coverage: the local-status map (现状图) against the chain template (全景图), segment by segment."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from chainkg.schema import PIPELINE_STAGES

from .gaps import WeakFacts, weak_facts, weak_rules
from .kg import KnowledgeGraph
from .rowdict import row_dict
from .scope import CNY_TO_YI, Scope, SegmentInfo, build_scope, project_status


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
        return row_dict(self)


def agreed_yi(kg: KnowledgeGraph, projects: set[str] | list[str]) -> float:
    """Sum of agreed amounts in 亿元 over projects with a CNY unit (others are not added)."""
    return to_yi((kg.g.nodes[p].get("agreed_amount"), kg.g.nodes[p].get("amount_unit")) for p in projects)


def to_yi(amounts: Iterable[tuple[float | None, str | None]]) -> float:
    """Sum of (amount, unit) pairs in 亿元; amounts without a CNY unit are not added.

    >>> to_yi([(3, "亿元"), (5000, "万元"), (1, "亿美元"), (None, "亿元")])
    3.5
    """
    total = 0.0
    for amount, unit in amounts:
        factor = CNY_TO_YI.get(unit or "")
        if factor is not None and amount is not None:
            total += amount * factor
    return round(total, 6)


@dataclass(frozen=True)
class CoverageFacts:
    """What an engine gathers for one template segment in scope."""

    segment: SegmentInfo
    covered: bool
    #: local enterprises working in it: (name, id)
    firms: list[tuple[str, str]]
    #: the 强链 facts (firms, anchors, outside suppliers) of the segment
    weak: WeakFacts
    #: local projects in it: (status, agreed amount, unit)
    projects: list[tuple[str, float | None, str | None]]


def status_of(covered: bool, weak: WeakFacts) -> str:
    """``missing`` when not covered, ``weak`` when a 强链 rule fires, else ``covered``."""
    if not covered:
        return "missing"
    return "weak" if weak_rules(weak) else "covered"


def coverage_rows(facts: Iterable[CoverageFacts]) -> list[CoverageRow]:
    """The coverage rows from gathered facts, in the order the facts come (the scope's segment order)."""
    rows = []
    for f in facts:
        seg = f.segment
        firms = sorted(f.firms)
        statuses = [st for st, _, _ in f.projects]
        rows.append(CoverageRow(
            chain=seg.chain, chain_id=seg.chain_id or "", segment=seg.name, segment_id=seg.id, stage=seg.stage,
            order=seg.order, local_enterprises=len(firms), anchors=f.weak.anchors,
            enterprises=[name for name, _ in firms],
            projects={st: n for st in PIPELINE_STAGES if (n := statuses.count(st))},
            agreed_amount_yi=to_yi((a, u) for _, a, u in f.projects),
            status=status_of(f.covered, f.weak),
        ))
    return rows


def segment_status(kg: KnowledgeGraph, region: str | None = None, *, scope: Scope | None = None) -> dict[str, str]:
    """Each template segment's local status: ``covered``, ``weak`` (强链 candidate) or ``missing``.

    ``missing``: no local enterprise and no landed local project; ``weak``: covered
    but a :func:`chainkg.graph.gaps.weak` rule fires; ``covered`` otherwise.

    >>> from chainkg.graph.examples import toy_chain
    >>> kg = toy_chain()
    >>> {kg.name(s): st for s, st in segment_status(kg).items()}
    {'矿': 'missing', '回收': 'missing', '材料': 'missing', '电芯': 'weak', '整车': 'missing'}
    """
    sc = scope or build_scope(kg, region)
    out = {}
    for c in (c for c in kg.nodes("Chain") if kg.out(c, "HAS_SEGMENT")):
        for s in kg.segments_of(c):
            covered = sc.covered(s)
            out[s] = status_of(covered, weak_facts(sc, s)) if covered else "missing"
    return out


def coverage(kg: KnowledgeGraph, region: str | None = None, chain: str | None = None) -> list[CoverageRow]:
    """The coverage matrix (现状图 against 全景图): per chain and segment, local enterprises, anchors,
    projects by status, agreed amount (亿元) and status (covered / weak / missing).

    Parameters
    ----------
    kg : KnowledgeGraph
    region, chain : str, optional
        As for :func:`chainkg.graph.gaps.missing`.

    Returns
    -------
    list of CoverageRow
        Chain by chain (verified chains first, then by name), segments in template order.

    Raises
    ------
    NotFoundError, GraphError
        As for :func:`chainkg.graph.gaps.missing`.

    Examples
    --------
    >>> from chainkg.graph.examples import toy_chain
    >>> for r in coverage(toy_chain()):
    ...     print(r.segment, r.local_enterprises, r.anchors, r.status)
    矿 0 0 missing
    回收 0 0 missing
    材料 0 0 missing
    电芯 1 1 weak
    整车 0 0 missing
    """
    sc = build_scope(kg, region, chain)
    facts = []
    for s in sc.segments():
        facts.append(CoverageFacts(
            segment=sc.segment_info(s),
            covered=sc.covered(s),
            firms=[(kg.name(f), f) for f in sc.firms_in.get(s, ())],
            weak=weak_facts(sc, s),
            projects=[(project_status(kg, p), kg.g.nodes[p].get("agreed_amount"), kg.g.nodes[p].get("amount_unit"))
                      for p in sc.projects_in.get(s, ())],
        ))
    return coverage_rows(facts)
