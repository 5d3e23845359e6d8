"""Gap-finding: 补链 (missing segments), 强链 (weak segments) and 延链 (segments to extend into).

The rules are chainkg's own (no platform publishes its algorithm); each row
says which rule fired and on which facts, so an analyst can check it by hand.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from chainkg.errors import InvalidArgument
from chainkg.i18n import Message, Part

from .kg import KnowledgeGraph
from .rowdict import row_dict
from .scope import Scope, SegmentInfo, build_scope, in_order, project_status


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
        return row_dict(self)


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
        return row_dict(self)


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
        return row_dict(self)


def _names(kg: KnowledgeGraph, ids: set[str] | list[str]) -> list[str]:
    return sorted(kg.name(i) for i in ids)


def _feeds_in(kg: KnowledgeGraph, s: str) -> list[str]:
    return kg.into(s, "FEEDS")


def _feeds_out(kg: KnowledgeGraph, s: str) -> list[str]:
    return kg.out(s, "FEEDS")


# --------------------------------------------------------------------------- 补链
@dataclass(frozen=True)
class MissingFacts:
    """What an engine gathers for one uncovered segment (names, unsorted)."""

    segment: SegmentInfo
    covered_upstream: list[str]
    covered_downstream: list[str]
    anchors_needing: list[str]
    #: local projects in the segment that have not landed: (name, status)
    pipeline: list[tuple[str, str]]

    def not_landed(self) -> list[str]:
        """The projects as rows show them: ``name (status)``, sorted."""
        return sorted(f"{name} ({status})" for name, status in self.pipeline)


def missing_rows(facts: Iterable[MissingFacts]) -> list[MissingRow]:
    """The 补链 rows from gathered facts: score, reason text and order (one definition for every engine).

    Support segments (R&D, testing, software …) are left to :func:`capability_rows`.
    """
    rows = []
    for f in facts:
        if f.segment.stage == SUPPORT:
            continue
        ups, downs, needing = sorted(f.covered_upstream), sorted(f.covered_downstream), sorted(f.anchors_needing)
        pipeline = f.not_landed()
        parts: list[Part] = [("no_local", {})]
        if ups:
            parts.append(("fed_by_covered", {"names": ups}))
        if downs:
            parts.append(("feeds_covered", {"names": downs}))
        if needing:
            parts.append(("needed_by_anchors", {"names": needing}))
        if pipeline:
            parts.append(("not_landed", {"names": pipeline}))
        if not (ups or downs or needing):
            parts.append(("new_segment", {}))
        seg = f.segment
        row = MissingRow(chain=seg.chain, segment=seg.name, segment_id=seg.id, stage=seg.stage,
                         score=len(ups) + len(downs) + len(needing), covered_upstream=ups,
                         covered_downstream=downs, anchors_needing=needing, pipeline=pipeline,
                         reason=Message(parts))
        rows.append(((-row.score, seg.key), row))
    return in_order(rows)


def missing(
    kg: KnowledgeGraph, region: str | None = None, chain: str | None = None, *, scope: Scope | None = None
) -> list[MissingRow]:
    """补链: template segments with no local enterprise and no landed local project.

    A segment is missing when no enterprise located in the region (or a region
    PART_OF it) OPERATES_IN it and no local project IN_SEGMENT it has reached
    落地 or later. Score = covered upstream neighbours (FEEDS into it) + covered
    downstream neighbours (it FEEDS them) + local anchors working in the
    segments it feeds (they need its output). Neighbours may be in other chains.

    Parameters
    ----------
    kg : KnowledgeGraph
    region : str, optional
        The local region (id, name or alias); default: the graph's home region.
    chain : str, optional
        Only this chain (id, name or alias); default: every chain with a template.

    Returns
    -------
    list of MissingRow
        By score (high first), then chain name, template order and id.

    Raises
    ------
    NotFoundError
        If the region or chain is not in the graph.
    GraphError
        If no region is given and the graph names no home region.

    Examples
    --------
    The five-segment chain of :func:`chainkg.graph.examples.toy_chain`
    (矿 → 材料 → 电芯 → 整车, 回收 → 材料; a local anchor works in 电芯):

    >>> from chainkg.graph.examples import toy_chain
    >>> [(r.segment, r.score) for r in missing(toy_chain())]
    [('材料', 2), ('整车', 1), ('矿', 0), ('回收', 0)]
    >>> missing(toy_chain())[0].reason
    'no local enterprise and no landed project; feeds covered 电芯; needed by local anchors 甲电池'
    """
    sc = scope or build_scope(kg, region, chain)
    return missing_rows(uncovered_facts(sc))


def uncovered_facts(sc: Scope) -> list[MissingFacts]:
    """The 补链 facts of every uncovered segment in scope (support segments too: see :func:`capability`)."""
    kg = sc.kg
    facts = []
    for s in sc.segments():
        if sc.covered(s):
            continue
        outs = _feeds_out(kg, s)
        facts.append(MissingFacts(
            segment=sc.segment_info(s),
            covered_upstream=[kg.name(u) for u in _feeds_in(kg, s) if sc.covered(u)],
            covered_downstream=[kg.name(v) for v in outs if sc.covered(v)],
            anchors_needing=_names(kg, {a for v in outs for a in sc.anchors_in.get(v, ())}),
            pipeline=[(kg.name(p), project_status(kg, p)) for p in sc.projects_in.get(s, ())],
        ))
    return facts


# --------------------------------------------------------------------------- 技术/平台缺口
SUPPORT = "support"


@dataclass(frozen=True)
class CapabilityRow:
    """A support segment (R&D and pilot platforms, testing, industrial software, equipment services) with no
    local firm or landed project: a capability gap (技术/平台缺口)."""

    chain: str
    segment: str
    segment_id: str
    score: int
    serves: list[str]
    anchors_served: list[str]
    pipeline: list[str]
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return row_dict(self)


def capability_rows(facts: Iterable[MissingFacts]) -> list[CapabilityRow]:
    """Capability-gap rows from the uncovered segments' facts: support segments only, ranked by what they serve.

    Score = covered segments the support segment FEEDS (serves) + local anchors working in them.
    """
    rows = []
    for f in facts:
        if f.segment.stage != SUPPORT:
            continue
        serves, anchors = sorted(f.covered_downstream), sorted(f.anchors_needing)
        pipeline = f.not_landed()
        parts: list[Part] = [("no_provider", {})]
        if serves:
            parts.append(("serves_covered", {"names": serves}))
        if anchors:
            parts.append(("anchors_there", {"names": anchors}))
        if pipeline:
            parts.append(("not_landed", {"names": pipeline}))
        if not (serves or anchors):
            parts.append(("serves_none", {}))
        seg = f.segment
        row = CapabilityRow(chain=seg.chain, segment=seg.name, segment_id=seg.id, score=len(serves) + len(anchors),
                            serves=serves, anchors_served=anchors, pipeline=pipeline, reason=Message(parts))
        rows.append(((-row.score, seg.key), row))
    return in_order(rows)


def capability(
    kg: KnowledgeGraph, region: str | None = None, chain: str | None = None, *, scope: Scope | None = None
) -> list[CapabilityRow]:
    """技术/平台缺口: support segments (stage ``support``) with no local firm and no landed project.

    Support segments — R&D and pilot platforms, testing and certification, industrial software,
    equipment services — are checked like the others but reported here, not by :func:`missing`.

    Parameters
    ----------
    kg : KnowledgeGraph
    region, chain : str, optional
        As for :func:`missing`.

    Returns
    -------
    list of CapabilityRow
        By score (covered segments served + local anchors there; high first), then chain and template order.

    Raises
    ------
    NotFoundError, GraphError
        As for :func:`missing`.

    Examples
    --------
    Add a testing platform that serves 电芯 to the toy chain:

    >>> from chainkg.graph.examples import toy_chain
    >>> kg = toy_chain()
    >>> _ = kg.merge_node("Segment", {"id": "s:test", "name": "检测认证", "chain": "c:bat", "stage": "support",
    ...     "order": 6, "provenance": "template", "source": "src:toy"})
    >>> kg.merge_edge("HAS_SEGMENT", "c:bat", "s:test", {"provenance": "template", "source": "src:toy"})
    >>> kg.merge_edge("FEEDS", "s:test", "s:cell", {"provenance": "template", "source": "src:toy"})
    >>> [(r.segment, r.score, r.serves, r.anchors_served) for r in capability(kg)]
    [('检测认证', 2, ['电芯'], ['甲电池'])]
    >>> "检测认证" in [r.segment for r in missing(kg)]
    False
    """
    sc = scope or build_scope(kg, region, chain)
    return capability_rows(uncovered_facts(sc))


# --------------------------------------------------------------------------- 强链
@dataclass(frozen=True)
class Thresholds:
    """What makes a local firm *substantial* for 强链: any one of these, or being an anchor or key firm.

    Amounts are in 万元, as registers record them. Defaults: revenue 2 亿元 (the 规上 line for
    industry is 2,000 万元; a segment's leading firm is usually ten times that), 300 employees,
    registered capital 1 亿元.
    """

    revenue: float = 20000.0
    employees: int = 300
    registered_capital: float = 10000.0


@dataclass(frozen=True)
class FirmFacts:
    """A local firm in a segment, with what 强链 weighs."""

    name: str
    #: a local anchor (链主) in this segment: role anchor, the bureau's anchor flag, or it ANCHORS the chain
    anchor: bool
    #: its OPERATES_IN role (anchor, key, supporting) or None
    role: str | None = None
    above_scale: bool | None = None
    revenue: float | None = None
    employees: int | None = None
    registered_capital: float | None = None
    lists: tuple[str, ...] = ()


def _size_known(f: FirmFacts) -> bool:
    """Whether anything says how big the firm is (a role, 规上, revenue, employees or capital)."""
    return f.anchor or bool(f.lists) or any(
        v is not None for v in (f.role, f.above_scale, f.revenue, f.employees, f.registered_capital))


def substantial(f: FirmFacts, t: Thresholds) -> str | None:
    """Why a firm counts as substantial (a short Chinese-first phrase), or None.

    >>> substantial(FirmFacts("甲", anchor=False, revenue=30000.0), Thresholds())
    '营收 3 亿元'
    >>> substantial(FirmFacts("乙", anchor=False, employees=40, above_scale=False), Thresholds()) is None
    True
    """
    if f.anchor:
        return "链主"
    if f.role in ("anchor", "key"):
        return "key firm"
    if f.lists:
        return "、".join(f.lists)
    if f.above_scale:
        return "规上"
    if f.revenue is not None and f.revenue >= t.revenue:
        return f"营收 {f.revenue / 1e4:g} 亿元"
    if f.employees is not None and f.employees >= t.employees:
        return f"{f.employees} 人"
    if f.registered_capital is not None and f.registered_capital >= t.registered_capital:
        return f"注册资本 {f.registered_capital / 1e4:g} 亿元"
    return None


@dataclass(frozen=True)
class WeakFacts:
    """What an engine gathers for one covered segment."""

    segment: SegmentInfo
    #: the local enterprises that work in it
    firms: list[FirmFacts]
    #: (local anchor, outside supplier) name pairs
    outside: list[tuple[str, str]]

    @property
    def anchors(self) -> int:
        return sum(f.anchor for f in self.firms)


def weak_rules(f: WeakFacts, thresholds: Thresholds | None = None) -> list[tuple[str, Part]]:
    """The 强链 rules that fire for a covered segment, as (rule, explanation phrase) pairs.

    * ``no-enterprise`` — covered only by a landed project;
    * ``small-firms-only`` — none of its local firms is substantial (:func:`substantial`: an anchor,
      a key firm, listed, 规上, or above a size threshold) and the size of at least one is known (a
      register without size columns says nothing about size, so it flags nothing); a lone small
      supplier is the sharpest case;
    * ``outside-suppliers`` — its local anchors buy from outside the region.

    A segment whose only firm is substantial is not flagged: a fine-grained template has many
    one-firm segments, and a rule that flags most covered segments tells the analyst nothing.
    The explanation is a phrase of :data:`chainkg.i18n.MESSAGES` (code, parameters).
    """
    t = thresholds or Thresholds()
    if not f.firms:
        return [("no-enterprise", ("only_project", {}))]
    out: list[tuple[str, Part]] = []
    names = sorted(x.name for x in f.firms)
    known = [x for x in f.firms if _size_known(x)]
    if known and not any(substantial(x, t) for x in f.firms):
        small = sorted(x.name for x in known)
        unknown = sorted(x.name for x in f.firms if not _size_known(x))
        out.append(("small-firms-only", ("small_firms", {
            "names": names, "small": small, "unknown": unknown, "revenue": t.revenue / 1e4,
            "employees": t.employees, "capital": t.registered_capital / 1e4})))
    if f.outside:
        pairs = sorted(f"{a} ← {s}" for a, s in f.outside)
        out.append(("outside-suppliers", ("outside_suppliers", {"pairs": pairs})))
    return out


def weak_rows(facts: Iterable[WeakFacts], thresholds: Thresholds | None = None) -> list[WeakRow]:
    """The 强链 rows from gathered facts (segments where no rule fires are left out)."""
    rows = []
    for f in facts:
        reasons = weak_rules(f, thresholds)
        if not reasons:
            continue
        seg = f.segment
        row = WeakRow(chain=seg.chain, segment=seg.name, segment_id=seg.id, stage=seg.stage,
                      local_enterprises=len(f.firms), rules=[r for r, _ in reasons],
                      reason=Message(part for _, part in reasons))
        rows.append(((-len(row.rules), seg.key), row))
    return in_order(rows)


def firm_facts(sc: Scope, firm: str, segment: str) -> FirmFacts:
    """A local firm's 强链 facts in one segment, from the embedded graph."""
    d = sc.kg.g._node[firm]
    return FirmFacts(
        name=sc.kg.name(firm), anchor=firm in sc.anchors_in.get(segment, ()),
        role=sc.kg.g.edges[firm, segment, "OPERATES_IN"].get("role"), above_scale=d.get("above_scale"),
        revenue=d.get("revenue"), employees=d.get("employees"), registered_capital=d.get("registered_capital"),
        lists=tuple(d.get("lists") or ()),
    )


def weak_facts(sc: Scope, s: str) -> WeakFacts:
    """The 强链 facts of one covered segment, from the embedded graph."""
    kg = sc.kg
    anchors = sc.anchors_in.get(s, set())
    outside = [(kg.name(a), kg.name(sup)) for a in anchors for sup in kg.into(a, "SUPPLIES")
               if sup not in sc.local_firms]
    return WeakFacts(sc.segment_info(s), [firm_facts(sc, f, s) for f in sc.firms_in.get(s, ())], outside)


def weak(
    kg: KnowledgeGraph,
    region: str | None = None,
    chain: str | None = None,
    *,
    min_revenue: float = Thresholds.revenue,
    min_employees: int = Thresholds.employees,
    min_capital: float = Thresholds.registered_capital,
    scope: Scope | None = None,
) -> list[WeakRow]:
    """强链: covered segments that are fragile (rules: :func:`weak_rules`).

    A segment is flagged when its only local firm is a small one, when none of its local firms
    is substantial (an anchor or key firm, listed, 规上, or above a size threshold), when it is
    covered only by a landed project, or when its anchors buy from outside the region.

    Parameters
    ----------
    kg : KnowledgeGraph
    region, chain : str, optional
        As for :func:`missing`.
    min_revenue, min_employees, min_capital : number
        The size thresholds of :class:`Thresholds` (revenue and capital in 万元).

    Returns
    -------
    list of WeakRow
        By number of rules (most first), then chain name, template order and id.

    Raises
    ------
    NotFoundError, GraphError
        As for :func:`missing`.

    Examples
    --------
    >>> from chainkg.graph.examples import toy_chain
    >>> [(r.segment, r.rules) for r in weak(toy_chain())]
    [('电芯', ['outside-suppliers'])]
    >>> weak(toy_chain())[0].reason
    'local anchors buy from outside the region: 甲电池 ← 乙材料'
    """
    sc = scope or build_scope(kg, region, chain)
    t = Thresholds(min_revenue, min_employees, min_capital)
    return weak_rows((weak_facts(sc, s) for s in sc.segments() if sc.covered(s)), t)


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


# --------------------------------------------------------------------------- 延链
@dataclass(frozen=True)
class ExtendFacts:
    """What an engine gathers for one uncovered segment near the covered frontier."""

    segment: SegmentInfo
    hops: int
    direction: str  # downstream | upstream | both
    #: the covered segments it is reached from: (name, chain id, chain name)
    via: list[tuple[str, str | None, str]]
    neighbours: int
    covered_neighbours: int


def extend_rows(facts: Iterable[ExtendFacts]) -> list[ExtendRow]:
    """The 延链 rows from gathered facts: relatedness, reason text and order."""
    rows = []
    for f in facts:
        seg = f.segment
        via = sorted(name for name, _, _ in f.via)
        rel = round(f.covered_neighbours / f.neighbours, 4) if f.neighbours else 0.0
        parts: list[Part] = [("hops", {"hops": f.hops, "side": f.direction, "via": via}),
                             ("neighbours_covered", {"covered": f.covered_neighbours, "total": f.neighbours})]
        cross = sorted({chain for _, chain_id, chain in f.via if chain_id != seg.chain_id})
        if cross:
            parts.append(("across_chains", {"names": cross}))
        reason = Message(parts)
        row = ExtendRow(chain=seg.chain, segment=seg.name, segment_id=seg.id, stage=seg.stage,
                        direction=f.direction, hops=f.hops, relatedness=rel,
                        covered_neighbours=f.covered_neighbours, neighbours=f.neighbours, via=via, reason=reason)
        rows.append(((-rel, f.hops, seg.key), row))
    return in_order(rows)


def extend(
    kg: KnowledgeGraph,
    region: str | None = None,
    chain: str | None = None,
    k: int = 1,
    *,
    scope: Scope | None = None,
) -> list[ExtendRow]:
    """延链: uncovered segments within ``k`` FEEDS hops of covered ones, up- or downstream, across chains.

    Start from every covered segment; walk FEEDS forward (downstream) and
    backward (upstream) up to ``k`` hops through uncovered segments only.
    Relatedness = share of the candidate's direct FEEDS neighbours (both
    directions, any chain) that are covered. With a chain, a row is kept when
    the candidate or the covered segment it is reached from is in that chain.

    Parameters
    ----------
    kg : KnowledgeGraph
    region, chain : str, optional
        As for :func:`missing`.
    k : int
        Maximum FEEDS hops from a covered segment (at least 1).

    Returns
    -------
    list of ExtendRow
        By relatedness (high first), hops, then chain name, template order and id.

    Raises
    ------
    ValueError
        If ``k`` < 1.
    NotFoundError, GraphError
        As for :func:`missing`.

    Examples
    --------
    >>> from chainkg.graph.examples import toy_chain
    >>> [(r.segment, r.direction, r.hops, r.relatedness) for r in extend(toy_chain())]
    [('整车', 'downstream', 1, 1.0), ('材料', 'upstream', 1, 0.3333)]
    >>> [(r.segment, r.hops) for r in extend(toy_chain(), k=2)]
    [('整车', 1), ('材料', 1), ('矿', 2), ('回收', 2)]
    """
    if k < 1:
        raise InvalidArgument("k must be at least 1")
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
    facts = []
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
        via_facts = []
        for v in via:
            vc = sc.segment_chain.get(v)
            via_facts.append((kg.name(v), vc, kg.name(vc) if vc else ""))
        facts.append(ExtendFacts(sc.segment_info(s), hops, direction, via_facts, len(nbrs), len(nbrs & covered)))
    return extend_rows(facts)
