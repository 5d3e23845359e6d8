"""The national candidate pool: A-share and atlas importers, segment matching, and the CLI commands.

Small hand-made folders test every data trap without the shared data; the tests on the real
files read ``shared/data`` beside the repo (or $CHAINKG_SHARED / $CHAINKG_SHARED_DATA) and skip
with the reason when it is absent.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import networkx as nx
import pytest

import chainkg.cli_pool  # noqa: F401  (registers import/match/generate on the CLI)
from chainkg.cli import main
from chainkg.data import kunming
from chainkg.graph import match as m
from chainkg.graph.kg import GraphError, KnowledgeGraph
from chainkg.graph.scope import build_scope
from chainkg.graph.targets import targets
from chainkg.graph.workspace import load, save
from chainkg.loaders.a_share import import_a_share, normalise_code, place_of
from chainkg.loaders.atlas import import_atlas
from chainkg.schema import check_edge, check_node
from helpers import shared_dir


def data_dir() -> Path:
    env = os.environ.get("CHAINKG_SHARED_DATA")
    return Path(env) if env else shared_dir() / "data"


A_SHARE = data_dir() / "chainkg-a-share"
ATLAS = data_dir() / "industry-chain-atlas"
needs_a_share = pytest.mark.skipif(not (A_SHARE / "company.json").is_file(),
                                   reason=f"shared A-share data not found at {A_SHARE} (CI has it)")
needs_atlas = pytest.mark.skipif(not ATLAS.is_dir(), reason=f"shared atlas data not found at {ATLAS} (CI has it)")


def jsonl(path: Path, rows: list[dict]) -> None:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")


def assert_valid(kg: KnowledgeGraph) -> None:
    g = kg.g
    for n, d in g.nodes(data=True):
        props = {"id": n, **{k: v for k, v in d.items() if k != "type"}}
        assert check_node(d["type"], props) == [], n
        if d["type"] != "Source":
            assert g.has_node(d["source"]) and g.nodes[d["source"]]["type"] == "Source", n
    for u, v, k, d in g.edges(keys=True, data=True):
        props = {x: y for x, y in d.items() if x != "type"}
        assert check_edge(k, props, g.nodes[u]["type"], g.nodes[v]["type"]) == [], (u, v, k)


# ------------------------------------------------------------------ unit level
def test_normalise_code():
    assert normalise_code("600519") == "600519.SH"
    assert normalise_code("000001") == "000001.SZ"
    assert normalise_code("300750.SZ") == "300750.SZ"
    assert normalise_code("688268SH") == "688268.SH"
    assert normalise_code(2129) == "002129.SZ"  # YAML read 002129 as a number
    assert normalise_code("900901") == "900901.SH" and normalise_code("200011") == "200011.SZ"
    assert normalise_code("830799") == "830799.BJ" and normalise_code("920001") == "920001.BJ"
    assert normalise_code("2010-02-11") is None and normalise_code("") is None and normalise_code(None) is None


def test_place_of_registered_names():
    assert place_of("江苏京源环保股份有限公司") == ("江苏", None)
    assert place_of("广东省深圳市奇信集团股份有限公司") == ("广东", "深圳")
    assert place_of("深圳市星源材质科技股份有限公司") == ("广东", "深圳")
    assert place_of("昆明龙津药业股份有限公司") == ("云南", "昆明")
    assert place_of("北京同益中新材料科技股份有限公司") == (None, "北京")
    assert place_of("吉林化纤股份有限公司") == ("吉林", None)  # the province wins over 吉林市
    assert place_of("沈机集团昆明机床股份有限公司") == (None, None)  # only a prefix counts
    assert place_of("宁德时代新能源科技股份有限公司") == ("福建", "宁德")


@pytest.fixture
def mini_share(tmp_path: Path) -> Path:
    """A folder with one instance of each data trap of the real files."""
    d = tmp_path / "a-share"
    d.mkdir()
    jsonl(d / "company.json", [
        {"name": "甲电池", "fullname": "江苏甲电池股份有限公司", "code": "600001", "location": "上海证券交易所",
         "time": "2020-01-02"},                                                     # no suffix
        {"name": "乙隔膜", "fullname": "深圳市乙隔膜科技股份有限公司", "code": "300002.SZ",
         "location": "2010-02-11", "time": "2010-02-11"},                           # date in exchange field
        {"name": "甲电池", "fullname": "大连港股份有限公司", "code": "600001.SH", "location": "上海证券交易所",
         "time": "2011-01-01"},                                                     # duplicate code, bad fullname
        {"name": "昆明丙药", "fullname": "昆明丙药业股份有限公司", "code": "002003.SZ", "location": "深圳证券交易所",
         "time": "2012-01-01"},                                                     # home city by name
        {"name": "孚能科技", "fullname": "孚能科技（赣州）股份有限公司", "code": "688567", "location": "上海证券交易所",
         "time": "2020-07-17"},                                                     # already in the Kunming graph
    ])
    jsonl(d / "industry.json", [{"code": "630000", "name": "电力设备"}, {"code": "630700", "name": "电池"},
                                {"code": "630701", "name": "锂电池"}])
    jsonl(d / "industry_industry.json", [
        {"from_code": "630700", "from_industry": "电池", "rel": "上级行业", "to_industry": "电力设备",
         "to_code": "630000"},
        {"from_code": "630701", "from_industry": "锂电池", "rel": "上级行业", "to_industry": "电池",
         "to_code": "630700"}])
    jsonl(d / "company_industry.json", [
        {"company_code": "600001.SH", "industry_code": "630701", "industry_name": "锂电池", "company_name": "甲电池",
         "rel": "所属行业"},
        {"company_code": "300099.SZ", "industry_code": "630701", "industry_name": "锂电池", "company_name": "丁能源",
         "rel": "所属行业"}])                                                       # firm not in company.json
    jsonl(d / "product.json", [{"name": "锂离子电池"}, {"name": "锂电池隔膜"}, {"name": "隔膜压滤机"}, {"name": "中药"},
                               {"name": "未用产品"}])
    jsonl(d / "company_product.reconstructed.jsonl", [
        {"company_code": "600001.SH", "product_name": "锂离子电池", "rel_weight": 0.8},
        {"company_code": "600001.SH", "product_name": "锂离子电池", "rel_weight": 0.6},   # duplicate pair
        {"company_code": "300002.SZ", "product_name": "锂电池隔膜", "rel_weight": 0.001},  # unknown share
        {"company_code": "300002.SZ", "product_name": "隔膜压滤机", "rel_weight": 0.9},
        {"company_code": "300002.SZ", "product_name": "平衡项目", "rel_weight": -59.02},   # out of range, not listed
        {"company_code": "002003.SZ", "product_name": "中\n药", "rel_weight": 0.7},       # stray line break
    ])
    jsonl(d / "product_product.reconstructed.jsonl", [
        {"from_entity": "锂离子电池", "to_entity": "锂电池隔膜", "rel": "上游材料"},
        {"from_entity": "锂离子电池", "to_entity": "锂离子电池", "rel": "上游材料"},
        {"from_entity": "锂离子电池", "to_entity": "动力电池", "rel": "产品小类"}])
    return d


def test_a_share_traps(mini_share: Path):
    kg = kunming()
    local_before = build_scope(kg).local_firms
    rep = import_a_share(kg, mini_share)
    c = rep.counts
    assert c["code-without-suffix"] == 2 and c["date-in-exchange"] == 1 and c["duplicate-code"] == 1
    assert c["fullname-dropped"] == 1 and c["duplicate-name"] == 1
    assert c["placeholder-weight"] == 1 and c["weight-out-of-range"] == 1 and c["duplicate-makes"] == 1
    assert c["product-name-cleaned"] == 1 and c["product-not-in-list"] == 1 and c["product-unused"] == 1
    assert c["input-subtype-skipped"] == 1 and c["input-self-loop"] == 1
    assert c["firm-from-industry-file"] == 1 and c["matched-existing"] == 1
    # One firm per normalised code; the scraped fullname is not kept.
    d = kg.get("ent:600001.SH")
    assert d["stock_code"] == "600001.SH" and d["lists"] == ["上市"] and "大连港股份有限公司" not in d["aliases"]
    assert "company.json line 1" in d["evidence"] and d["provenance"] == "stated"
    # HQ inferred from the registered name; a firm named 昆明… lands in Kunming, and only it.
    assert kg.edge("ent:600001.SH", "region:cn:江苏", "LOCATED_IN")["provenance"] == "inferred"
    assert kg.has_edge("ent:002003.SZ", "region:kunming", "LOCATED_IN")
    assert kg.has_edge("ent:300002.SZ", "region:shenzhen", "LOCATED_IN")  # existing region reused
    assert build_scope(kg).local_firms == local_before | {"ent:002003.SZ"}
    # The firm already in the graph keeps its id and provenance and gains the code.
    assert kg.get("ent:farasis")["stock_code"] == "688567.SH" and not kg.has("ent:688567.SH")
    # Shares: largest valid kept; unknown and out of range left empty.
    assert kg.edge("ent:600001.SH", "prod:锂离子电池", "MAKES")["revenue_share"] == 0.8
    assert "revenue_share" not in kg.edge("ent:300002.SZ", "prod:锂电池隔膜", "MAKES")
    assert "revenue_share" not in kg.edge("ent:300002.SZ", "prod:平衡项目", "MAKES")
    assert kg.has("prod:中药") and kg.get("prod:平衡项目")["note"] == "Not listed in product.json."
    assert kg.has_edge("prod:锂电池隔膜", "prod:锂离子电池", "INPUT_OF")
    assert kg.has_edge("ind:sw:630701", "ind:sw:630700", "SUBINDUSTRY_OF")
    assert kg.has_edge("ent:300099.SZ", "ind:sw:630701", "IN_INDUSTRY")
    assert_valid(kg)
    text = rep.format()
    assert "date instead of an exchange" in text and "0.001" in text
    # Importing again changes nothing.
    n, e = len(kg), kg.g.number_of_edges()
    import_a_share(kg, mini_share)
    assert (len(kg), kg.g.number_of_edges()) == (n, e)


def test_a_share_bad_folder(tmp_path: Path):
    with pytest.raises(GraphError, match=r"no company\.json"):
        import_a_share(KnowledgeGraph(), tmp_path)


def _pool_with_rules(mini_share: Path) -> KnowledgeGraph:
    kg = kunming()
    import_a_share(kg, mini_share)
    m.apply_rules(kg, {
        "seg:battery:cell": {"match_industries": ["630700"], "match_keywords": ["锂离子电池", "-设备"]},
        "seg:battery:separator": {"match_keywords": ["隔膜", "-压滤机"], "match_firms": ["300002@0.55"]},
        "seg:bio:tcm": {"match_keywords": ["中药"]},
    })
    return kg


def test_match_rules_evidence_and_confidence(mini_share: Path):
    kg = _pool_with_rules(mini_share)
    rep = m.match(kg)
    # keyword (0.3 + 0.6 × 0.8 = 0.78) and industry via the parent code 630700 (0.6): 1 − 0.22 × 0.4
    e = kg.edge("ent:600001.SH", "seg:battery:cell", "OPERATES_IN")
    assert e["provenance"] == "inferred" and e["source"] == m.MATCH_SOURCE
    assert e["confidence"] == pytest.approx(0.912)
    assert "锂离子电池 (revenue share 80.0%)" in e["evidence"] and "锂电池 (630701)" in e["evidence"]
    assert kg.has_edge("ent:300099.SZ", "seg:battery:cell", "OPERATES_IN")  # industry alone: 0.6
    # 隔膜压滤机 is vetoed; the unknown-share separator (0.4) plus the list (0.55) pass: 0.73
    e = kg.edge("ent:300002.SZ", "seg:battery:separator", "OPERATES_IN")
    assert e["confidence"] == pytest.approx(0.73) and "压滤机" not in e["evidence"]
    # The local firm 昆明丙药 has no curated placement, so it is matched (and becomes local coverage).
    assert kg.has_edge("ent:002003.SZ", "seg:bio:tcm", "OPERATES_IN")
    assert rep.added == 4 and rep.removed == 0
    assert kg.get("seg:battery:separator")["match_firms"] == ["300002@0.55"]
    assert_valid(kg)
    # A firm of the pool now shows up as a recruiting target for the missing 隔膜.
    rows = [r for r in targets(kg, chain="新能源电池") if r.segment_id == "seg:battery:separator"]
    assert "ent:300002.SZ" in {r.enterprise_id for r in rows}


def test_match_threshold_rerun_and_curated(mini_share: Path):
    kg = _pool_with_rules(mini_share)
    kg.merge_edge("OPERATES_IN", "ent:300099.SZ", "seg:battery:cell",
                  {"role": "key", "provenance": "stated", "source": "src:domain-notes", "evidence": "curated"})
    first = m.match(kg)
    assert kg.edge("ent:300099.SZ", "seg:battery:cell", "OPERATES_IN")["evidence"] == "curated"
    assert first.kept_curated == 1
    rep = m.match(kg, min_confidence=0.8)  # rerun: the 0.73 placement is withdrawn, curated ones stay
    assert not kg.has_edge("ent:300002.SZ", "seg:battery:separator", "OPERATES_IN")
    assert rep.removed == 2  # 乙隔膜 in 隔膜 (0.73), 昆明丙药 in 中药 (0.72)
    assert kg.has_edge("ent:300099.SZ", "seg:battery:cell", "OPERATES_IN")
    dry = m.match(kg, min_confidence=0.5, dry_run=True)
    assert not kg.has_edge("ent:300002.SZ", "seg:battery:separator", "OPERATES_IN")  # nothing written
    assert {p.firm_id for p in dry.placements} >= {"ent:300002.SZ"}
    # ... but it counts what a real run would do: put back the two withdrawn above, change nothing else.
    assert (dry.added, dry.updated, dry.removed, dry.kept_curated) == (2, 0, 0, 1)
    real = m.match(kg, min_confidence=0.5)
    assert (real.added, real.updated, real.removed, real.kept_curated) == (2, 0, 0, 1)
    assert kg.has_edge("ent:300002.SZ", "seg:battery:separator", "OPERATES_IN")


def test_match_leaves_curated_local_firms_alone():
    kg = kunming()
    m.apply_rules(kg, {"seg:battery:cell": {"match_firms": ["孚能科技", "裕能"]}})
    rep = m.match(kg, chain="新能源电池")
    # 云南裕能 is local with curated placements: not placed in 电芯 by the national rules.
    assert not kg.has_edge("ent:yunnan-yuneng", "seg:battery:cell", "OPERATES_IN")
    assert rep.skipped_local == 1
    m.match(kg, chain="新能源电池", include_local=True)
    assert kg.has_edge("ent:yunnan-yuneng", "seg:battery:cell", "OPERATES_IN")


def test_rules_file_errors(tmp_path: Path):
    bad = tmp_path / "r.yaml"
    bad.write_text("segments: {seg:battery:cell: {words: [x]}}\n", encoding="utf-8")
    with pytest.raises(GraphError, match="unknown key 'words'"):
        m.load_rules(bad)
    bad.write_text("segments: {seg:battery:cell: {industries: ['630701@2']}}\n", encoding="utf-8")
    with pytest.raises(GraphError, match="weight must be between 0 and 1"):
        m.load_rules(bad)
    rules = m.load_rules(m.bundled_rules())
    kg = kunming()
    applied, unknown = m.apply_rules(kg, rules)
    assert unknown == [] and len(applied) == sum(1 for _ in kg.nodes("Segment"))


def test_atlas_small(tmp_path: Path):
    f = tmp_path / "mini_chain.yaml"
    f.write_text("""\
industry: 测试链
segments:
- id: up
  name: 材料
  position: upstream
  layer: 0
  key_companies:
  - {code: 002129, name: TCL中环, role: 硅片}
  - {code: '688567', name: 孚能科技, role: 电芯}
- id: down
  name: 器件
  position: downstream
  layer: 1
  key_companies:
  - {code: '688981', name: 中芯国际, role: 晶圆}
supply_relationships:
- {supplier_code: 002129, buyer_code: '688981', product: 硅片, confidence: 5, notes: TCL中环供中芯国际}
- {supplier_code: '688981', buyer_code: 002129, product: 回流, confidence: 3, notes: backwards}
- {supplier_code: '688981', product: 芯片, notes: 供多家}
""", encoding="utf-8")
    kg = kunming()
    rep = import_atlas(kg, [f])
    assert kg.get("ent:002129.SZ")["stock_code"] == "002129.SZ"  # leading zeros kept
    assert kg.get("chain:atlas:mini_chain")["verified"] is False
    assert "MIT License" in kg.get("src:atlas:mini_chain")["note"]
    assert kg.has_edge("seg:atlas:mini_chain:up", "seg:atlas:mini_chain:down", "FEEDS")
    assert not kg.has_edge("seg:atlas:mini_chain:down", "seg:atlas:mini_chain:up", "FEEDS")
    assert kg.edge("ent:002129.SZ", "ent:688981.SH", "SUPPLIES")["product"] == "硅片"
    assert kg.has_edge("ent:farasis", "seg:atlas:mini_chain:up", "OPERATES_IN")  # deduplicated by name
    assert rep.counts["supply-no-buyer"] == 1 and rep.counts["feeds-backward"] == 1
    assert_valid(kg)


# --------------------------------------------------------------- real data
@pytest.fixture(scope="module")
def pool() -> tuple[KnowledgeGraph, object, float]:
    if not (A_SHARE / "company.json").is_file():
        pytest.skip(f"shared A-share data not found at {A_SHARE} (CI has it)")
    kg = kunming()
    # CPU time, not wall time: on a shared machine the wall clock measures the neighbours (9 s of CPU took 32 s
    # of wall time at load average 12)
    t0 = time.process_time()
    rep = import_a_share(kg, A_SHARE)
    m.apply_rules(kg, m.load_rules(m.bundled_rules()))
    mrep = m.match(kg)
    return kg, (rep, mrep), time.process_time() - t0


@needs_a_share
def test_real_a_share_import(pool):
    kg, (rep, _), seconds = pool
    assert seconds < 30, f"import + match took {seconds:.1f} s of CPU"
    c = rep.counts
    assert c["code-without-suffix"] == 752 and c["date-in-exchange"] == 1 and c["duplicate-name"] == 33
    assert c["placeholder-weight"] == 14714 and c["weight-out-of-range"] > 0
    firms = [n for n in kg.nodes("Enterprise") if kg.g.nodes[n].get("stock_code")]
    assert len(firms) >= 4586
    assert all(kg.g.nodes[n]["stock_code"][-3:] in (".SH", ".SZ", ".BJ") for n in firms)
    assert kg.get("ent:300054.SZ")["name"] == "鼎龙股份"
    assert kg.get("ent:catl")["stock_code"] == "300750.SZ"  # the bundled firm gained its code
    for _, _, d in kg.g.edges(data=True):
        if d["type"] == "MAKES" and "revenue_share" in d:
            assert 0 <= d["revenue_share"] <= 1
    # No firm outside Kunming became local: only the three named 昆明… join the bundled local firms.
    local = build_scope(kg).local_firms
    new_local = {f for f in local if f.startswith("ent:") and kg.g.nodes[f].get("source", "").startswith("src:a-share")}
    assert {kg.name(f) for f in new_local} == {"云内动力", "川金诺", "龙津药业"}
    assert build_scope(kunming()).local_firms <= local


@needs_a_share
def test_real_match_and_targets(pool):
    kg, (_, mrep), _ = pool
    by_seg = {s.segment_id: s for s in mrep.segments}
    for seg in ("seg:battery:cell", "seg:battery:separator", "seg:battery:electrolyte"):
        assert by_seg[seg].firms >= 3, seg
    rows = targets(kg, chain="新能源电池")
    local = build_scope(kg).local_firms
    for seg in ("seg:battery:cell", "seg:battery:separator", "seg:battery:electrolyte"):
        found = [r for r in rows if r.segment_id == seg]
        listed = [r for r in found if kg.g.nodes[r.enterprise_id].get("stock_code")]
        assert len(listed) >= 3, seg
        assert not {r.enterprise_id for r in found} & local
        for r in listed:
            e = kg.edge(r.enterprise_id, seg, "OPERATES_IN")
            assert e.get("evidence") and e["provenance"] in ("inferred", "stated")
    names = {r.enterprise for r in rows if r.segment_id == "seg:battery:separator"}
    assert {"星源材质", "恩捷股份"} <= names
    sep = "seg:battery:separator"
    placed = [kg.edge(f, sep, "OPERATES_IN") for f in kg.into(sep, "OPERATES_IN")]
    matched = [e for e in placed if e["source"] == m.MATCH_SOURCE]
    assert matched and all(0.5 <= e["confidence"] <= 0.99 and e["evidence"].startswith("隔膜: ") for e in matched)
    assert any("revenue share" in e["evidence"] for e in matched)


@needs_a_share
def test_real_records_valid(pool):
    kg, _, _ = pool
    g = kg.g
    for n, d in g.nodes(data=True):
        if d["type"] in ("Enterprise", "Industry", "Region", "Segment", "Source"):
            props = {"id": n, **{k: v for k, v in d.items() if k != "type"}}
            assert check_node(d["type"], props) == [], n
    for i, (u, v, k, d) in enumerate(g.edges(keys=True, data=True)):
        if k in ("OPERATES_IN", "LOCATED_IN", "IN_INDUSTRY") or i % 50 == 0:
            props = {x: y for x, y in d.items() if x != "type"}
            assert check_edge(k, props, g.nodes[u]["type"], g.nodes[v]["type"]) == [], (u, v, k)


@needs_a_share
@needs_atlas
def test_real_atlas(pool):
    kg = pool[0].copy()
    files = sorted(ATLAS.glob("*.yaml"))
    rep = import_atlas(kg, files)
    assert rep.nodes["Chain"] == len(files) and rep.nodes["Segment"] > 40
    assert kg.get("ent:002129.SZ")["stock_code"] == "002129.SZ"
    assert rep.counts["matched-existing"] > 100  # most key firms are already in the A-share pool
    for c in kg.nodes("Chain"):
        if c.startswith("chain:atlas:"):
            segs = set(kg.segments_of(c))
            sub = nx.DiGraph([(e.source, e.target) for e in kg.edges("FEEDS") if e.source in segs and e.target in segs])
            assert nx.is_directed_acyclic_graph(sub)
            assert kg.get(c)["provenance"] == "template" and kg.get(c)["verified"] is False
    assert_valid(kg)


# --------------------------------------------------------------------- CLI
def test_cli_import_match_generate_small(runner, mini_share: Path, tmp_path: Path):
    ws = tmp_path / "pool.json"
    r = runner.invoke(main, ["import", "a-share", str(mini_share), "--into", str(ws), "--base", "kunming"])
    assert r.exit_code == 0, r.output
    assert "date instead of an exchange" in r.output and ws.exists()
    rules = tmp_path / "rules.yaml"
    rules.write_text("segments:\n  seg:battery:separator: {keywords: [隔膜, -压滤机], firms: ['300002']}\n",
                     encoding="utf-8")
    r = runner.invoke(main, ["--graph", str(ws), "match", "--rules", str(rules), "--chain", "新能源电池"])
    assert r.exit_code == 0, r.output
    assert "乙隔膜" in r.output and "added 1 placements" in r.output
    assert load(ws).has_edge("ent:300002.SZ", "seg:battery:separator", "OPERATES_IN")
    r = runner.invoke(main, ["--graph", str(ws), "targets", "--chain", "新能源电池", "--format", "json"])
    assert r.exit_code == 0 and "乙隔膜" in r.output
    r = runner.invoke(main, ["match"])
    assert r.exit_code == 1 and "--into FILE" in r.output
    out = tmp_path / "gen.json"
    r = runner.invoke(main, ["generate", "--firms", "300", "--seed", "2", "-o", str(out)])
    assert r.exit_code == 0 and "relationships" in r.output
    for cmd in (["import", "--help"], ["import", "a-share", "--help"], ["import", "atlas", "--help"],
                ["match", "--help"], ["generate", "--help"]):
        r = runner.invoke(main, cmd)
        assert r.exit_code == 0 and "Example" in r.output


@needs_a_share
@needs_atlas
def test_cli_real_flow(runner, tmp_path: Path):
    ws = tmp_path / "pool.json"
    r = runner.invoke(main, ["--graph", str(ws), "import", "a-share", str(A_SHARE), "--no-inputs", "--base",
                             "kunming"])
    assert r.exit_code == 0, r.output
    assert "752" in r.output and "14,714" in r.output
    r = runner.invoke(main, ["--graph", str(ws), "import", "atlas", str(ATLAS)])
    assert r.exit_code == 0, r.output
    r = runner.invoke(main, ["--graph", str(ws), "match"])
    assert r.exit_code == 0, r.output
    assert "bundled Kunming rules" in r.output
    r = runner.invoke(main, ["--graph", str(ws), "targets", "--chain", "新能源电池", "--format", "json"])
    rows = json.loads(r.output)
    segs = {row["segment"] for row in rows}
    assert {"电芯制造", "隔膜", "电解液"} <= segs
    save(load(ws), tmp_path / "again.json")  # still a readable workspace
