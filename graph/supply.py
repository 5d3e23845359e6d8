"""供应链缺口: inputs the local anchors need that come only from outside, or from one outside region or firm.

An *input* of a local anchor is a template segment that FEEDS a segment the anchor works in, or the
segment of a firm that SUPPLIES the anchor (support segments — R&D, testing, software — are capability
gaps, reported by ``gaps capability``, not inputs). It is a supply gap when no local firm or landed project
covers it; the known outside suppliers (SUPPLIES to those anchors, working in the input segment)
then say how concentrated the dependence is.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from chainkg.i18n import Message, Part

from .dependencies import hq_of
from .gaps import SUPPORT
from .kg import KnowledgeGraph
from .rowdict import row_dict
from .scope import Scope, SegmentInfo, build_scope, in_order

#: The rules, from the most concentrated dependence to the least.
RULES = ("single-supplier", "single-region", "outside-only")


@dataclass(frozen=True)
class SupplyRow:
    """One input of local anchors that the region does not make."""

    chain: str
    segment: str
    segment_id: str
    rule: str
    score: int
    anchors: list[str]
    suppliers: list[str]
    regions: list[str]
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return row_dict(self)


@dataclass(frozen=True)
class SupplyFacts:
    """What an engine gathers for one uncovered input segment of the local anchors."""

    segment: SegmentInfo
    #: (local anchor, the anchor's segment it feeds, or None when known only from SUPPLIES)
    needed_by: list[tuple[str, str | None]]
    #: known outside suppliers of those anchors working in the input segment: (name, HQ region name or None)
    suppliers: list[tuple[str, str | None]]


def supply_rule(f: SupplyFacts) -> str:
    """``single-supplier`` (one known supplier), ``single-region`` (all known suppliers' HQs in one region),
    else ``outside-only`` (no local maker; suppliers spread or unknown).

    >>> seg = SegmentInfo("s", "隔膜", "midstream", 1, "c", "电池")
    >>> supply_rule(SupplyFacts(seg, [("甲", "电芯")], [("乙", "深圳"), ("丙", "深圳")]))
    'single-region'
    """
    suppliers = {name for name, _ in f.suppliers}
    regions = {r for _, r in f.suppliers}
    if len(suppliers) == 1:
        return "single-supplier"
    if len(suppliers) > 1 and len(regions) == 1 and None not in regions:
        return "single-region"
    return "outside-only"


def supply_rows(facts: Iterable[SupplyFacts]) -> list[SupplyRow]:
    """Supply-gap rows: the rule, the anchors that need the input, and who supplies it today."""
    rows = []
    for f in facts:
        rule = supply_rule(f)
        anchors = sorted({a for a, _ in f.needed_by})
        via = sorted({v for _, v in f.needed_by if v})
        suppliers = sorted({s for s, _ in f.suppliers})
        regions = sorted({r for _, r in f.suppliers if r})
        parts: list[Part] = [("supply_need", {"anchors": anchors, "via": via})]
        if rule == "single-supplier":
            parts.append(("one_supplier", {"name": suppliers[0], "region": regions[0] if regions else None}))
        elif rule == "single-region":
            parts.append(("one_region", {"n": len(suppliers), "region": regions[0], "names": suppliers}))
        elif suppliers:
            parts.append(("known_suppliers", {"names": suppliers}))
        else:
            parts.append(("no_supplier", {}))
        seg = f.segment
        row = SupplyRow(chain=seg.chain, segment=seg.name, segment_id=seg.id, rule=rule, score=len(anchors),
                        anchors=anchors, suppliers=suppliers, regions=regions, reason=Message(parts))
        rows.append(((RULES.index(rule), -row.score, seg.key), row))
    return in_order(rows)


def _support(kg: KnowledgeGraph, segment: str) -> bool:
    """Support segments (R&D, testing, software, equipment services) are capability gaps, not material inputs."""
    return kg.g.nodes[segment].get("stage") == SUPPORT


def chain_anchors(sc: Scope) -> set[str]:
    """The local anchors in scope: all of them, or with a chain those that ANCHOR it or work in its segments."""
    kg = sc.kg
    anchors = set(sc.local_anchors)
    if sc.chain:
        segs = set(kg.segments_of(sc.chain))
        anchors = {a for a in anchors if kg.has_edge(a, sc.chain, "ANCHORS") or segs & set(kg.out(a, "OPERATES_IN"))}
    return anchors


def supply(kg: KnowledgeGraph, region: str | None = None, chain: str | None = None) -> list[SupplyRow]:
    """供应链缺口: template inputs of local anchors that no local firm covers, by how concentrated the supply is.

    Parameters
    ----------
    kg : KnowledgeGraph
    region, chain : str, optional
        As for :func:`chainkg.graph.gaps.missing`; with a chain, the anchors of that chain.

    Returns
    -------
    list of SupplyRow
        By rule (single-supplier, single-region, outside-only), then anchors needing it (most first),
        then chain and template order.

    Raises
    ------
    NotFoundError, GraphError
        As for :func:`chainkg.graph.gaps.missing`.

    Examples
    --------
    In the toy chain the local anchor 甲电池 (电芯) needs 材料, which only 乙材料 in 外省 supplies:

    >>> from chainkg.graph.examples import toy_chain
    >>> [(r.segment, r.rule, r.suppliers, r.regions) for r in supply(toy_chain())]
    [('材料', 'single-supplier', ['乙材料'], ['外省'])]
    >>> supply(toy_chain())[0].reason
    'no local firm makes it; needed by local anchors 甲电池 (for 电芯); one known supplier: 乙材料 (外省)'
    """
    sc = build_scope(kg, region, chain)
    template = sc.segment_chain
    needed: dict[str, set[tuple[str, str | None]]] = defaultdict(set)
    suppliers: dict[str, set[tuple[str, str | None]]] = defaultdict(set)
    for a in chain_anchors(sc):
        for t in kg.out(a, "OPERATES_IN"):
            for u in kg.into(t, "FEEDS"):
                if u in template and not sc.covered(u) and not _support(kg, u):
                    needed[u].add((kg.name(a), kg.name(t)))
        for sup in kg.into(a, "SUPPLIES"):
            if sup in sc.local_firms:
                continue
            for u in kg.out(sup, "OPERATES_IN"):
                if u in template and not sc.covered(u) and not _support(kg, u):
                    needed[u].add((kg.name(a), None))
                    suppliers[u].add((kg.name(sup), hq_of(kg, sup)))
    return supply_rows(SupplyFacts(sc.segment_info(u), list(need), list(suppliers.get(u, ())))
                       for u, need in needed.items())
