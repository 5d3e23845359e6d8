"""以商招商: the outside suppliers and customers of local anchors, grouped by segment."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from .kg import KnowledgeGraph
from .rowdict import row_dict
from .scope import build_scope, in_order

UNPLACED = "(no segment)"


@dataclass(frozen=True)
class DependencyRow:
    """One tie between a local anchor and an enterprise outside the region."""

    chain: str
    segment: str
    segment_id: str | None
    enterprise: str
    enterprise_id: str
    relation: str  # "supplier" (it supplies the anchor) | "customer" (the anchor supplies it)
    anchor: str
    anchor_id: str
    product: str | None
    hq: str | None

    def as_dict(self) -> dict[str, Any]:
        return row_dict(self)


def hq_of(kg: KnowledgeGraph, firm: str) -> str | None:
    """The region a firm is headquartered in (LOCATED_IN role hq), by name."""
    for r in sorted(kg.out(firm, "LOCATED_IN")):
        if kg.edge(firm, r, "LOCATED_IN").get("role") == "hq":
            return kg.name(r)
    return None


def dependencies(kg: KnowledgeGraph, region: str | None = None, chain: str | None = None) -> list[DependencyRow]:
    """Suppliers and customers of local anchors that are outside the region (以商招商 leads).

    For every local anchor (a local enterprise that ANCHORS a chain, has role anchor in a segment,
    or is marked 链主), each SUPPLIES relationship with an enterprise not located in the region gives a
    row — ``supplier`` when the outsider supplies the anchor, ``customer`` when the anchor supplies
    it — once per segment the outsider works in (``(no segment)`` when none).

    Parameters
    ----------
    kg : KnowledgeGraph
    region, chain : str, optional
        As for :func:`chainkg.graph.gaps.missing`; with a chain, the anchors of that chain (ANCHORS it
        or work in its segments).

    Returns
    -------
    list of DependencyRow
        By the outsider's segment (chain, template order; unplaced last), relation, enterprise, anchor.

    Raises
    ------
    NotFoundError, GraphError
        As for :func:`chainkg.graph.gaps.missing`.

    Examples
    --------
    >>> from chainkg.graph.examples import toy_chain
    >>> [(r.segment, r.enterprise, r.relation, r.anchor, r.product, r.hq) for r in dependencies(toy_chain())]
    [('材料', '乙材料', 'supplier', '甲电池', '正极', '外省')]
    """
    sc = build_scope(kg, region, chain)
    anchors = set(sc.local_anchors)
    if sc.chain:
        chain_segs = set(kg.segments_of(sc.chain))
        anchors = {a for a in anchors
                   if kg.has_edge(a, sc.chain, "ANCHORS") or chain_segs & set(kg.out(a, "OPERATES_IN"))}
    rows = []
    for a in anchors:
        ties = [(s, "supplier", kg.edge(s, a, "SUPPLIES")) for s in kg.into(a, "SUPPLIES")]
        ties += [(c, "customer", kg.edge(a, c, "SUPPLIES")) for c in kg.out(a, "SUPPLIES")]
        for other, relation, e in ties:
            if other in sc.local_firms:
                continue
            segs = kg.out(other, "OPERATES_IN") or [None]
            for seg in segs:
                chain_id = sc.segment_chain.get(seg) if seg else None
                rows.append(
                    DependencyRow(
                        chain=kg.name(chain_id) if chain_id else "",
                        segment=kg.name(seg) if seg else UNPLACED,
                        segment_id=seg,
                        enterprise=kg.name(other),
                        enterprise_id=other,
                        relation=relation,
                        anchor=kg.name(a),
                        anchor_id=a,
                        product=e.get("product"),
                        hq=hq_of(kg, other),
                    )
                )

    return sort_dependencies((sc.sort_key(r.segment_id) if r.segment_id else None, r) for r in rows)


def sort_dependencies(keyed: Iterable[tuple[tuple | None, DependencyRow]]) -> list[DependencyRow]:
    """Rows by their segment's key (unplaced last), relation, enterprise, anchor; ``keyed`` pairs each
    row with :func:`chainkg.graph.scope.segment_key` of its segment (None when unplaced)."""
    return in_order(((k or ("\uffff", 0, ""), r.relation, r.enterprise, r.enterprise_id, r.anchor, r.anchor_id), r)
                    for k, r in keyed)
