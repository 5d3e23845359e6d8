"""Two match rules on a register and the 新能源电池 library template, expected values worked out by hand.

* Within one chain a firm is placed only in segments within CHAIN_MARGIN (0.2) of its best segment there.
* A keyword is found in its head-word variants (涂布机 in 涂布设备).
* A product keyword alone places a firm only when the product is at least MAIN_SHARE (½) of its revenue.

Rules used (chainkg/data/library/battery.yaml): 电芯制造 match_gbt 3841 (0.6), keyword 锂离子电池; PACK与BMS
match_gbt 3841@0.5, keyword 电池管理系统; 锂电装备 match_gbt 3563@0.5, keyword 涂布机. A scope keyword is 0.35;
signals combine as 1 − Π(1 − c).
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from chainkg.graph.kg import KnowledgeGraph
from chainkg.graph.match import CHAIN_MARGIN, MAIN_SHARE, match
from chainkg.graph.scope import set_home_region
from chainkg.graph.text import term_variants
from chainkg.loaders import apply_batch
from chainkg.loaders.library import library_records
from chainkg.loaders.register import import_register

ROWS = [
    # 电芯制造 1 − 0.4 × 0.65 = 0.74; PACK与BMS 0.5 only: 0.74 − 0.50 = 0.24 > 0.2 → overruled
    ["甲电池有限公司", "3841", "锂离子电池的生产"],
    # PACK与BMS 1 − 0.5 × 0.65 = 0.675, within 0.2 of 0.74 → placed in both
    ["乙电池有限公司", "3841", "锂离子电池、电池管理系统的研发与生产"],
    # code only: 电芯制造 0.6, PACK与BMS 0.5, 0.1 apart → both
    ["丙电池有限公司", "3841", ""],
    # 锂电装备 3563@0.5 + scope 涂布设备 ~ 涂布机 (0.35): 1 − 0.5 × 0.65 = 0.675
    ["丁装备有限公司", "3563", "锂电池极片涂布设备的制造"],
]


@pytest.fixture
def placed(tmp_path: Path):
    kg = KnowledgeGraph()
    apply_batch(library_records(["新能源电池"]), kg)
    set_home_region(kg, "遂宁市", level="city")
    path = tmp_path / "名录.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f)
        w.writerow(["名称", "行业代码", "经营范围"])
        w.writerows(ROWS)
    import_register(kg, path, "region:遂宁市")
    report = match(kg)
    return kg, report, {(p.firm, kg.name(p.segment_id)): p for p in report.placements}


def test_a_much_weaker_second_segment_in_the_same_chain_is_overruled(placed):
    kg, report, by = placed
    assert CHAIN_MARGIN == 0.2
    assert by[("甲电池有限公司", "电芯制造")].confidence == 0.74
    assert ("甲电池有限公司", "PACK与BMS") not in by
    assert by[("乙电池有限公司", "电芯制造")].confidence == 0.74
    assert by[("乙电池有限公司", "PACK与BMS")].confidence == 0.675
    assert by[("丙电池有限公司", "电芯制造")].confidence == 0.6
    assert by[("丙电池有限公司", "PACK与BMS")].confidence == 0.5
    pack = next(s for s in report.segments if s.segment == "PACK与BMS")
    assert (pack.firms, pack.overruled) == (2, 1)
    assert not kg.g.has_edge("ent:reg:甲电池有限公司", "seg:lib:battery:pack", "OPERATES_IN")


def test_a_keyword_is_found_in_its_head_word_variant(placed):
    _, _, by = placed
    p = by[("丁装备有限公司", "锂电装备")]
    assert p.confidence == 0.675
    assert "涂布设备" in p.evidence and "~ 涂布机" in p.evidence


@pytest.mark.parametrize(("term", "variants"), [
    ("涂布机", {"涂布机", "涂布设备", "涂布装备"}),
    ("涂布装备", {"涂布装备", "涂布设备", "涂布与装备", "涂布及装备", "涂布和装备"}),
    ("锂电池设备", {"锂电池设备", "锂电池装备"}),
    ("包装机械", {"包装机械", "包装设备", "包装装备", "包装与机械", "包装及机械", "包装和机械"}),
    ("封装测试", {"封装测试", "封装与测试", "封装及测试", "封装和测试"}),
    ("三元前驱体", {"三元前驱体"}),
    ("电机", {"电机"}),  # a one-character stem is not a term
    ("隔膜", {"隔膜"}),
])
def test_term_variants(term, variants):
    assert set(term_variants(term)) == variants


def _product_firm(kg: KnowledgeGraph, name: str, products: dict[str, float], code: str | None = None) -> str:
    fid = f"ent:{name}"
    kg.g.add_node(fid, type="Enterprise", name=name)
    for product, share in products.items():
        pid = f"prod:{product}"
        if pid not in kg.g:
            kg.g.add_node(pid, type="Product", name=product)
        kg.g.add_edge(fid, pid, key="MAKES", type="MAKES", revenue_share=share)
    if code:
        kg.g.add_node(f"ind:{code}", type="Industry", name=f"行业{code}", code=code)
        kg.g.add_edge(fid, f"ind:{code}", key="IN_INDUSTRY", type="IN_INDUSTRY")
    return fid


def test_a_side_line_product_alone_does_not_place_a_firm():
    kg = KnowledgeGraph()
    apply_batch(library_records(["新能源电池"]), kg)
    # 锂离子电池 at 40 % of revenue: 0.3 + 0.6 × 0.4 = 0.54 ≥ 0.5, but a known side line with nothing else → not placed
    _product_firm(kg, "甲", {"锂离子电池": 0.4, "电动工具": 0.6})
    # at 50 %: 0.3 + 0.6 × 0.5 = 0.6 → placed
    _product_firm(kg, "乙", {"锂离子电池": 0.5})
    # the same 40 % product with the segment's Shenwan code 630701@0.6 (a second kind of evidence):
    # 1 − 0.46 × 0.4 = 0.816 → placed
    _product_firm(kg, "丙", {"锂离子电池": 0.4}, code="630701")
    rules = kg.g.nodes["seg:lib:battery:cell"].get("match_industries") or []
    assert any(r.split("@")[0] == "630701" for r in rules), rules
    report = match(kg, chain="新能源电池")
    by = {(p.firm, kg.name(p.segment_id)): p.confidence for p in report.placements}
    assert MAIN_SHARE == 0.5
    assert ("甲", "电芯制造") not in by
    assert by[("乙", "电芯制造")] == 0.6
    assert ("丙", "电芯制造") in by and by[("丙", "电芯制造")] >= 0.8
    cell = next(s for s in report.segments if s.segment == "电芯制造")
    assert cell.below_threshold >= 1
