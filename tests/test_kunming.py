"""The bundled Kunming dataset: what the article states is in it, and the queries agree with the article."""

from __future__ import annotations

import csv

import pytest

from chainkg.data import kunming, kunming_path
from chainkg.graph.coverage import segment_status
from chainkg.graph.gaps import missing
from chainkg.graph.pipeline import pipeline
from chainkg.graph.targets import targets
from helpers import shared_dir

SOURCES = shared_dir() / "sources"


@pytest.fixture(scope="module")
def kg():
    return kunming()


def test_counts_and_provenance_kinds(kg):
    c = kg.counts()
    assert set(c["provenance"]) == {"stated", "template", "inferred"}
    assert c["nodes"]["Segment"] >= 60 and c["edges"]["FEEDS"] >= 60


def test_chain_catalogue_verifies_only_what_sources_confirm(kg):
    verified = sorted(kg.name(c) for c in kg.nodes("Chain") if kg.get(c)["verified"])
    assert verified == ["新能源电池", "生物医药", "稀贵金属新材料"]
    for c in kg.nodes("Chain"):
        if not kg.get(c)["verified"]:
            assert kg.get(c)["provenance"] == "inferred" and kg.get(c)["evidence"]


def test_six_templates_with_10_to_16_segments_and_cross_chain_feeds(kg):
    for name in ("新能源电池", "稀贵金属新材料", "生物医药", "电子信息制造", "绿色硅光伏", "绿色食品"):
        segs = kg.segments_of(kg.resolve(name, "Chain"))
        assert 10 <= len(segs) <= 16, name
        assert all(kg.get(s)["provenance"] == "template" for s in segs)
    cross = [e for e in kg.edges("FEEDS") if kg.chain_of(e.source) != kg.chain_of(e.target)]
    assert len(cross) >= 5


def test_article_facts(kg):
    farasis = kg.resolve("孚能科技")
    (project,) = kg.out(farasis, "INVESTS")
    assert kg.get(project)["status"] == "开工"  # 孚能科技新能源電池…等281個項目落地開工
    assert "孚能科技新能源電池" in kg.get(project)["evidence"]
    yuze = kg.resolve("宇澤半導體")  # Traditional form finds the Simplified canonical name
    assert kg.name(yuze) == "宇泽半导体"
    (p,) = kg.out(yuze, "INVESTS")
    assert kg.get(p)["capacity"] == "20GW"
    assert "东川区" in [kg.name(r) for r in kg.out(p, "LOCATED_IN")]
    funds = [kg.get(s) for s in kg.nodes("Statistic") if kg.get(s)["value"] == 1168.02]
    assert len(funds) == 1 and funds[0]["unit"] == "亿元" and funds[0]["change_pct"] == 21.83
    assert any(kg.get(s)["value"] == 554 for s in kg.nodes("Statistic"))
    meituan = kg.resolve("美团骑行")
    assert "世界500强" in kg.get(meituan)["lists"]  # 美團騎行是…世界500強企業
    region = kg.resolve("东川区", "Region")
    assert kg.resolve("昆明市", "Region") in kg.out(region, "PART_OF")


@pytest.mark.skipif(not SOURCES.exists(), reason="shared/sources not next to the repo")
def test_every_stated_evidence_is_quoted_verbatim_from_a_source():
    texts = [p.read_text(encoding="utf-8") for p in SOURCES.glob("*") if p.suffix in (".txt", ".md")]
    bad = []
    for path in kunming_path().glob("*.csv"):
        with open(path, encoding="utf-8") as f:
            for i, row in enumerate(csv.DictReader(f), start=2):
                if row.get("provenance") == "stated" and not any(row["evidence"] in t for t in texts):
                    bad.append(f"{path.name} row {i}")
    assert bad == []


def test_gaps_follow_from_the_sources(kg):
    status = segment_status(kg)
    battery = {kg.name(s): status[s] for s in kg.segments_of(kg.resolve("新能源电池", "Chain"))}
    assert battery["正极材料"] != "missing"  # 云南裕能 (LFP) in 安宁
    assert battery["负极材料"] != "missing"  # 上海杉杉 in 安宁
    assert battery["电芯制造"] != "missing"  # 孚能科技's project has landed and started (落地开工)
    assert battery["隔膜"] == "missing"  # 恩捷 makes separators in 玉溪, outside Kunming
    rows = {r.segment: r for r in missing(kg, chain="新能源电池")}
    assert "电芯制造" in rows["隔膜"].covered_downstream
    names = [(r.segment, r.enterprise) for r in targets(kg, chain="新能源电池")]
    assert ("隔膜", "恩捷股份") in names


def test_pipeline_counts_article_projects(kg):
    r = pipeline(kg, as_of="2024-01-15")
    statuses = {g.key: g.projects for g in r.by_status}
    assert statuses["开工"] >= 2  # 孚能科技 and 宇泽半导体 landed and started
    assert statuses["签约"] >= 3  # 云南裕能二期, 农夫山泉, 哈啰出行 signed at county events
    yunnan = pipeline(kg, region="云南省", as_of="2024-01-15")
    assert yunnan.totals.projects >= r.totals.projects  # a wider region holds at least as many
