"""Gap-finding: 补链 (missing segments), 强链 (weak segments) and 延链 (segments to extend into).

The rules are chainkg's own (no platform publishes its algorithm); each row
says which rule fired and on which facts, so an analyst can check it by hand.
"""

from __future__ import annotations

from collections import deque
from dataclasses import asdict, dataclass
from typing import Any

from .kg import KnowledgeGraph
from .scope import Scope, build_scope


@dataclass(frozen=True)
class MissingRow:
    """A template segment with no local enterprise and no landed local project (补链)."""

    chain: str
    segment: str
    segment_id: str
    stage: str
    score: int
    covered_upstream: list[str]
    covered_downstream: list[str]
    anchors_needing: list[str]
    pipeline: list[str]
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class WeakRow:
    """A covered segment where a 强链 rule fires."""

    chain: str
    segment: str
    segment_id: str
    stage: str
    local_enterprises: int
    rules: list[str]
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class ExtendRow:
    """An uncovered segment within k FEEDS hops of the covered frontier (延链)."""

    chain: str
    segment: str
    segment_id: str
    stage: str
    direction: str
    hops: int
    relatedness: float
    covered_neighbours: int
    neighbours: int
    via: list[str]
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _names(kg: KnowledgeGraph, ids: set[str] | list[str]) -> list[str]:
    return sorted(kg.name(i) for i in ids)


def _feeds_in(kg: KnowledgeGraph, s: str) -> list[str]:
    return kg.into(s, "FEEDS")


def _feeds_out(kg: KnowledgeGraph, s: str) -> list[str]:
    return kg.out(s, "FEEDS")


def missing(
    kg: KnowledgeGraph, region: str | None = None, chain: str | None = None, *, scope: Scope | None = None
) -> list[MissingRow]:
    """补链: template segments with no local enterprise and no landed local project.

    Rule: a segment is missing when no enterprise located in the region (or a
    region PART_OF it) OPERATES_IN it and no local project IN_SEGMENT it has
    reached 落地 or later. Score = covered upstream neighbours (FEEDS into it)
    + covered downstream neighbours (it FEEDS them) + local anchors working in
    the segments it feeds (they need its output). Neighbours may be in other
    chains. Ordered by score (high first), then chain, then template order.

    >>> from chainkg.data import kunming
    >>> rows = missing(kunming(), chain="新能源电池")
    >>> rows[0].score >= rows[-1].score
    True
    """
    sc = scope or build_scope(kg, region, chain)
    rows = []
    for s in sc.segments():
        if sc.covered(s):
            continue
        ups = {u for u in _feeds_in(kg, s) if sc.covered(u)}
        downs = {v for v in _feeds_out(kg, s) if sc.covered(v)}
        needing = {a for v in _feeds_out(kg, s) for a in sc.anchors_in.get(v, ())}
        pipeline = sorted(f"{kg.name(p)} ({kg.g.nodes[p]['status']})" for p in sc.projects_in.get(s, ()))
        parts = ["no local enterprise and no landed project"]
        if ups:
            parts.append("fed by covered " + "、".join(_names(kg, ups)))
        if downs:
            parts.append("feeds covered " + "、".join(_names(kg, downs)))
        if needing:
            parts.append("needed by local anchors " + "、".join(_names(kg, needing)))
        if pipeline:
            parts.append("not yet landed: " + "、".join(pipeline))
        if not (ups or downs or needing):
            parts.append("no covered neighbour (a new chain segment, 建链 rather than 补链)")
        d = kg.g.nodes[s]
        rows.append(
            MissingRow(
                chain=kg.name(sc.segment_chain[s]),
                segment=d["name"],
                segment_id=s,
                stage=d["stage"],
                score=len(ups) + len(downs) + len(needing),
                covered_upstream=_names(kg, ups),
                covered_downstream=_names(kg, downs),
                anchors_needing=_names(kg, needing),
                pipeline=pipeline,
                reason="; ".join(parts),
            )
        )
    rows.sort(key=lambda r: (-r.score, sc.sort_key(r.segment_id)))
    return rows


def weak_reasons(sc: Scope, s: str) -> list[tuple[str, str]]:
    """The 强链 rules that fire for a covered segment, as (rule, explanation) pairs."""
    kg = sc.kg
    firms = sc.firms_in.get(s, set())
    out: list[tuple[str, str]] = []
    if not firms:
        out.append(("no-enterprise", "covered only by a landed project; no local enterprise operates in it"))
        return out
    if len(firms) == 1:
        only = kg.name(next(iter(firms)))
        out.append(("single-enterprise", f"single local enterprise {only} (single point of failure)"))
    anchors = sc.anchors_in.get(s, set())
    if not anchors:
        out.append(("no-anchor", "no local anchor (链主) works in it"))
    outside: list[str] = []
    for a in sorted(anchors):
        for supplier in kg.into(a, "SUPPLIES"):
            if supplier not in sc.local_firms:
                outside.append(f"{kg.name(a)} ← {kg.name(supplier)}")
    if outside:
        out.append(("outside-suppliers", "local anchors buy from outside the region: " + "、".join(sorted(outside))))
    return out


def weak(
    kg: KnowledgeGraph, region: str | None = None, chain: str | None = None, *, scope: Scope | None = None
) -> list[WeakRow]:
    """强链: covered segments that are fragile.

    Rules (each row lists every rule that fires): ``single-enterprise`` — exactly
    one local enterprise works in it; ``no-anchor`` — none of its local
    enterprises is an anchor (role anchor in the segment, or 链主 of its chain);
    ``outside-suppliers`` — a local anchor in it is supplied by an enterprise
    outside the region; ``no-enterprise`` — covered only by a landed project.
    Ordered by number of rules (most first), then chain and template order.

    >>> from chainkg.data import kunming
    >>> all(r.rules for r in weak(kunming()))
    True
    """
    sc = scope or build_scope(kg, region, chain)
    rows = []
    for s in sc.segments():
        if not sc.covered(s):
            continue
        reasons = weak_reasons(sc, s)
        if not reasons:
            continue
        d = kg.g.nodes[s]
        rows.append(
            WeakRow(
                chain=kg.name(sc.segment_chain[s]),
                segment=d["name"],
                segment_id=s,
                stage=d["stage"],
                local_enterprises=len(sc.firms_in.get(s, ())),
                rules=[r for r, _ in reasons],
                reason="; ".join(text for _, text in reasons),
            )
        )
    rows.sort(key=lambda r: (-len(r.rules), sc.sort_key(r.segment_id)))
    return rows


def _distances(kg: KnowledgeGraph, starts: set[str], step, k: int) -> dict[str, int]:
    """Hop count (≤ k) from the nearest start, walking ``step`` through uncovered segments only."""
    dist: dict[str, int] = {}
    queue = deque((s, 0) for s in sorted(starts))
    seen = set(starts)
    while queue:
        node, d = queue.popleft()
        if d == k:
            continue
        for nxt in step(kg, node):
            if nxt not in seen:
                seen.add(nxt)
                dist[nxt] = d + 1
                queue.append((nxt, d + 1))
    return dist


def _covered_at(kg: KnowledgeGraph, s: str, hops: int, step, covered: set[str]) -> set[str]:
    """Covered segments exactly ``hops`` steps from ``s`` along ``step`` (through uncovered ones)."""
    frontier, seen = {s}, {s}
    for _ in range(hops - 1):
        frontier = {n for f in frontier for n in step(kg, f) if n not in covered and n not in seen}
        seen |= frontier
    return {n for f in frontier for n in step(kg, f) if n in covered}


def extend(
    kg: KnowledgeGraph,
    region: str | None = None,
    chain: str | None = None,
    k: int = 1,
    *,
    scope: Scope | None = None,
) -> list[ExtendRow]:
    """延链: uncovered segments within ``k`` FEEDS hops of covered ones, up- or downstream, across chains.

    Rule: start from every covered segment; walk FEEDS forward (downstream) and
    backward (upstream) up to ``k`` hops through uncovered segments only.
    Relatedness = share of the candidate's direct FEEDS neighbours (both
    directions, any chain) that are covered. With a chain, a row is kept when
    the candidate or the covered segment it is reached from is in that chain.
    Ordered by relatedness (high first), hops, then chain and template order.

    >>> from chainkg.data import kunming
    >>> rows = extend(kunming(), k=1)
    >>> all(r.hops == 1 for r in rows)
    True
    """
    if k < 1:
        raise ValueError("k must be at least 1")
    # The scope's indexes do not depend on the chain: candidates come from every template.
    sc = scope or build_scope(kg, region, chain)
    chain_id = sc.chain
    template_segs = set(sc.segment_chain)
    covered = {s for s in template_segs if sc.covered(s)}

    def fwd(g: KnowledgeGraph, n: str) -> list[str]:
        return [v for v in _feeds_out(g, n) if v not in covered]

    def back(g: KnowledgeGraph, n: str) -> list[str]:
        return [u for u in _feeds_in(g, n) if u not in covered]

    down = _distances(kg, covered, fwd, k)
    up = _distances(kg, covered, back, k)
    rows = []
    for s in sorted(set(down) | set(up)):
        if s not in template_segs:
            continue
        hops = min(down.get(s, k + 1), up.get(s, k + 1))
        via: set[str] = set()
        if down.get(s) == hops:  # reached walking downstream: covered segments feed it
            via |= _covered_at(kg, s, hops, _feeds_in, covered)
        if up.get(s) == hops:
            via |= _covered_at(kg, s, hops, _feeds_out, covered)
        direction = "both" if down.get(s) == up.get(s) else ("downstream" if down.get(s) == hops else "upstream")
        if chain_id and sc.segment_chain[s] != chain_id and not any(sc.segment_chain.get(v) == chain_id for v in via):
            continue
        nbrs = set(_feeds_in(kg, s)) | set(_feeds_out(kg, s))
        cov = nbrs & covered
        rel = round(len(cov) / len(nbrs), 4) if nbrs else 0.0
        d = kg.g.nodes[s]
        side = {"downstream": "downstream of", "upstream": "upstream of", "both": "next to"}[direction]
        reason = f"{hops} hop{'s' if hops > 1 else ''} {side} covered " + "、".join(_names(kg, via))
        reason += f"; {len(cov)} of {len(nbrs)} FEEDS neighbours covered"
        cross = sorted({kg.name(sc.segment_chain[v]) for v in via if sc.segment_chain.get(v) != sc.segment_chain[s]})
        if cross:
            reason += "; across chains from " + "、".join(cross)
        rows.append(
            ExtendRow(
                chain=kg.name(sc.segment_chain[s]),
                segment=d["name"],
                segment_id=s,
                stage=d["stage"],
                direction=direction,
                hops=hops,
                relatedness=rel,
                covered_neighbours=len(cov),
                neighbours=len(nbrs),
                via=_names(kg, via),
                reason=reason,
            )
        )
    rows.sort(key=lambda r: (-r.relatedness, r.hops, sc.sort_key(r.segment_id)))
    return rows
