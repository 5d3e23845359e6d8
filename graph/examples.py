"""A small graph the docstrings teach on: one five-segment chain, drawn below, small enough to check by hand.

.. code-block:: text

    chain 电池 (template)             本市 (home region)          外省
    ───────────────────────           ──────────────────          ────
    矿 ──FEEDS──▶ 材料 ──▶ 电芯 ──▶ 整车     甲电池 ─OPERATES_IN (anchor)─▶ 电芯
                   ▲                      甲电池 ─LOCATED_IN─▶ 本市
    回收 ──FEEDS───┘                      乙材料 ─SUPPLIES─▶ 甲电池
                                          乙材料 ─OPERATES_IN─▶ 材料,  乙材料 ─LOCATED_IN (hq)─▶ 外省

Template order: 矿 1, 回收 2, 材料 3, 电芯 4, 整车 5. Only 电芯 is covered
locally (甲电池 works there); 乙材料 is outside the region and supplies the
local anchor, so it is a recruiting target for the 补链 gap 材料.

>>> kg = toy_chain()
>>> sorted(kg.name(s) for s in kg.nodes("Segment"))
['回收', '整车', '材料', '电芯', '矿']
"""

from __future__ import annotations

from .kg import KnowledgeGraph

_PROV = {"provenance": "template", "source": "src:toy"}
_SAID = {"provenance": "stated", "source": "src:toy", "evidence": "toy example"}


def toy_chain() -> KnowledgeGraph:
    """The five-segment example graph drawn in this module's docstring (a new copy each call)."""
    kg = KnowledgeGraph({"name": "toy", "home_region": "r:here"})
    kg.merge_node("Source", {"id": "src:toy", "title": "toy example"})
    kg.merge_node("Chain", {"id": "c:bat", "name": "电池", "verified": True, **_PROV})
    for i, (sid, name, stage) in enumerate(
        [("s:ore", "矿", "upstream"), ("s:recycle", "回收", "cycle"), ("s:mat", "材料", "midstream"),
         ("s:cell", "电芯", "midstream"), ("s:ev", "整车", "downstream")], start=1):
        kg.merge_node("Segment", {"id": sid, "name": name, "chain": "c:bat", "stage": stage, "order": i, **_PROV})
        kg.merge_edge("HAS_SEGMENT", "c:bat", sid, dict(_PROV))
    for u, v in [("s:ore", "s:mat"), ("s:recycle", "s:mat"), ("s:mat", "s:cell"), ("s:cell", "s:ev")]:
        kg.merge_edge("FEEDS", u, v, dict(_PROV))
    kg.merge_node("Region", {"id": "r:here", "name": "本市", "level": "city", **_SAID})
    kg.merge_node("Region", {"id": "r:away", "name": "外省", "level": "province", **_SAID})
    kg.merge_node("Enterprise", {"id": "e:jia", "name": "甲电池", **_SAID})
    kg.merge_node("Enterprise", {"id": "e:yi", "name": "乙材料", **_SAID})
    kg.merge_edge("LOCATED_IN", "e:jia", "r:here", {"role": "site", **_SAID})
    kg.merge_edge("LOCATED_IN", "e:yi", "r:away", {"role": "hq", **_SAID})
    kg.merge_edge("OPERATES_IN", "e:jia", "s:cell", {"role": "anchor", **_SAID})
    kg.merge_edge("OPERATES_IN", "e:yi", "s:mat", dict(_SAID))
    kg.merge_edge("SUPPLIES", "e:yi", "e:jia", {"product": "正极", **_SAID})
    return kg
