"""HTML views without a browser: selection, layout, budget, gap colouring, escaping, offline file."""

from __future__ import annotations

import json
import re

import pytest

from chainkg.graph import GraphError, KnowledgeGraph
from chainkg.graph.synthetic import XSS_NAME
from chainkg.graph.synthetic import viz_graph as generate
from chainkg.visualize import ViewTooLarge, build_view, render_view, write_html
from chainkg.visualize.page import json_for_script
from chainkg.visualize.search import t2s_table

P = {"provenance": "stated", "source": "s", "evidence": "…"}
T = {"provenance": "template", "source": "s"}


@pytest.fixture
def kg() -> KnowledgeGraph:
    """A chain with three stages, local and outside firms, an anchor, a project and an XSS name."""
    g = KnowledgeGraph({"name": "测试 test", "home_region": "r:km"})
    g.merge_node("Source", {"id": "s", "title": "来源"})
    g.merge_node("Region", {"id": "r:yn", "name": "云南省", "level": "province", **P})
    g.merge_node("Region", {"id": "r:km", "name": "昆明市", "level": "city", **P})
    g.merge_node("Region", {"id": "r:an", "name": "安宁市", "level": "city", **P})
    g.merge_node("Region", {"id": "r:sh", "name": "上海市", "level": "city", **P})
    g.merge_edge("PART_OF", "r:km", "r:yn", P)
    g.merge_edge("PART_OF", "r:an", "r:km", P)
    g.merge_node("Chain", {"id": "c", "name": "新能源电池", "aliases": ["新能源電池"], "verified": True, **P})
    g.merge_node("Chain", {"id": "c2", "name": "生物医药", "verified": False, **T})
    for i, (sid, name, stage) in enumerate([("s:up", "锂资源", "upstream"), ("s:mid", "正极材料", "midstream"),
                                            ("s:down", "储能系统", "downstream")]):
        g.merge_node("Segment", {"id": sid, "name": name, "chain": "c", "stage": stage, "order": i + 1, **T})
        g.merge_edge("HAS_SEGMENT", "c", sid, T)
    g.merge_edge("FEEDS", "s:up", "s:mid", T)
    g.merge_node("Segment", {"id": "s:x", "name": "原料药", "chain": "c2", "stage": "upstream", "order": 1, **T})
    g.merge_edge("HAS_SEGMENT", "c2", "s:x", T)
    g.merge_node("Enterprise", {"id": "e:local", "name": "云南裕能", "aliases": ["雲南裕能"], **P})
    g.merge_node("Enterprise", {"id": "e:out", "name": "宁德时代", **P})
    g.merge_node("Enterprise", {"id": "e:xss", "name": XSS_NAME, "provenance": "inferred", "source": "s",
                                "evidence": "</script><script>alert(2)</script>"})
    g.merge_edge("OPERATES_IN", "e:local", "s:mid", {"role": "anchor", **P})
    g.merge_edge("ANCHORS", "e:local", "c", P)
    g.merge_edge("OPERATES_IN", "e:out", "s:down", {"role": "key", **P})
    g.merge_edge("OPERATES_IN", "e:xss", "s:mid", {"role": "supporting", "provenance": "inferred", "source": "s",
                                                   "evidence": "guess"})
    g.merge_edge("LOCATED_IN", "e:local", "r:an", {"role": "site", **P})
    g.merge_edge("LOCATED_IN", "e:out", "r:sh", {"role": "hq", **P})
    g.merge_node("Project", {"id": "p", "name": "储能项目", "status": "在谈", **P})
    g.merge_edge("IN_SEGMENT", "p", "s:down", P)
    g.merge_edge("INVESTS", "e:out", "p", P)
    return g


def by_id(view):
    return {n["id"]: n for n in view.nodes}


def test_chain_view_stage_lanes_left_to_right(kg):
    v = build_view(kg, "chain", chain="新能源電池")  # Traditional name finds the chain
    n = by_id(v)
    assert set(n) == {"c", "s:up", "s:mid", "s:down", "e:local", "e:out", "e:xss", "p"}
    assert n["c"]["x"] < n["s:up"]["x"] < n["s:mid"]["x"] < n["s:down"]["x"]
    assert n["s:up"]["y"] == n["s:mid"]["y"] == n["s:down"]["y"] == 0
    # a segment's firms sit to its right, inside its stage lane: local first, then outside, then projects
    assert n["s:mid"]["x"] < n["e:local"]["x"] < n["s:down"]["x"] and n["e:local"]["y"] == 0
    assert n["e:local"]["local"] is True and n["e:local"]["anchor"] is True
    assert n["e:xss"]["y"] > n["e:local"]["y"] and n["e:xss"]["local"] is False
    assert n["e:out"]["x"] > n["s:down"]["x"] and n["e:out"]["local"] is False and n["e:out"]["anchor"] is False
    assert n["p"]["y"] > n["e:out"]["y"] and n["p"]["label"] == "储能项目\n〔在谈〕"
    assert [b["stage"] for b in v.bands] == ["upstream", "midstream", "downstream"]
    assert len({(x["x"], x["y"]) for x in v.nodes}) == len(v.nodes)  # no two nodes on one spot
    assert {(e["from"], e["to"], e["type"]) for e in v.edges} >= {("s:up", "s:mid", "FEEDS"), ("e:out", "p", "INVESTS")}
    assert not any(e["type"] == "LOCATED_IN" for e in v.edges)  # regions are marks, not nodes, here


def test_overview_rows_and_gap_colouring_plug_in(kg, monkeypatch):
    calls = []

    def fake(g, region=None):
        calls.append(region)
        return {"s:up": "missing", "s:mid": "covered", "s:down": "weak", "s:x": "missing"}

    monkeypatch.setattr("chainkg.graph.coverage.segment_status", fake)
    v = build_view(kg, "overview")
    n = by_id(v)
    assert [x["id"] for x in v.nodes] == ["c", "s:up", "s:mid", "s:down", "c2", "s:x"]
    assert n["s:up"]["gap"] == "missing" and n["s:down"]["gap"] == "weak" and n["c"]["gap"] is None
    assert n["c2"]["y"] > n["c"]["y"]
    assert calls == ["r:km"]
    html = render_view(kg, "overview", date="2024-01-15")
    data = page_data(html)
    assert {x["id"]: x.get("g") for x in data["nodes"]}["s:up"] == "missing"
    assert data["gap_known"] is True and "缺失" in html
    # the coverage region can be another one
    build_view(kg, "overview", region="安宁市")
    assert calls[-1] == "r:an"


def test_without_gap_analysis_the_legend_says_so(kg, monkeypatch):
    monkeypatch.setattr("chainkg.visualize.views.segment_status", lambda g, r=None: None)
    v = build_view(kg, "overview")
    assert all(x["gap"] is None for x in v.nodes)
    assert "缺链分析尚不可用" in render_view(kg, "overview")


def test_ego_rings_and_depth(kg):
    v = build_view(kg, "ego", node="雲南裕能", depth=1)
    n = by_id(v)
    assert v.nodes[0]["id"] == "e:local" and (n["e:local"]["x"], n["e:local"]["y"]) == (0, 0)
    assert set(n) == {"e:local", "s:mid", "c", "r:an"}
    assert len(build_view(kg, "ego", node="e:local", depth=2).nodes) > len(v.nodes)
    only = build_view(kg, "ego", node="e:local", depth=2, types=["区域"])
    assert set(by_id(only)) == {"e:local", "r:an", "r:km"}


def test_whole_view_filters(kg):
    assert "s" not in by_id(build_view(kg, "whole"))  # sources are provenance, not graph content
    assert len(build_view(kg, "whole").nodes) == len(kg) - 1
    firms = build_view(kg, "whole", types=["Enterprise"])
    assert set(by_id(firms)) == {"e:local", "e:out", "e:xss"} and firms.edges == []
    chain = set(by_id(build_view(kg, "whole", chain="新能源电池")))
    assert "s:x" not in chain and {"e:local", "p", "r:an"} <= chain
    local = set(by_id(build_view(kg, "whole", region="安宁市")))
    assert local == {"r:an", "e:local", "s:mid", "c"}
    with pytest.raises(GraphError, match="unknown node type 'Firm'; known types: Chain"):
        build_view(kg, "whole", types=["Firm"])


def test_budget_refusal_says_how_to_narrow(kg):
    with pytest.raises(ViewTooLarge) as e:
        build_view(kg, "whole", max_nodes=5, cluster=False)
    msg = str(e.value)
    assert "would show 14 nodes, more than the budget of 5" in msg
    assert "--view whole --type" not in msg and "--max-nodes" in msg
    with pytest.raises(ViewTooLarge) as e:  # the flat whole view of one chain: 10 nodes
        build_view(kg, "whole", chain="新能源电池", max_nodes=5)
    # counted by hand: the chain view holds 8 nodes (too many); segments + projects 3 + 1, firms 3 (fit)
    assert ("Narrow it: --view panorama --chain 新能源电池; or --view whole --chain 新能源电池 --type "
            "Segment,Project (4 nodes); or --view whole --chain 新能源电池 --type Enterprise (3 nodes); or raise"
            in str(e.value)), str(e.value)
    with pytest.raises(ViewTooLarge) as e:  # ego of the chain, depth 2: 9 nodes; depth 1: 5 (c, 3 segments, e:local)
        build_view(kg, "ego", node="c", depth=2, max_nodes=6)
    assert "--view ego --node 新能源电池 --depth 1 (5 nodes)" in str(e.value)
    # firms and projects only: the walk stops at the segments, leaving the chain and its anchor e:local
    assert "--depth 2 --type Enterprise,Project (2 nodes)" in str(e.value)
    assert isinstance(e.value, GraphError)  # the CLI prints it as one line
    with pytest.raises(GraphError, match=r"needs --chain NAME \(one of: 新能源电池、生物医药"):
        build_view(kg, "chain")
    with pytest.raises(GraphError, match="unknown view"):
        build_view(kg, "galaxy")


def test_refusal_suggestions_are_accepted_by_the_cli(kg, runner, tmp_path):
    """Every option a refusal suggests, run as a command with the same budget, writes its page."""
    import shlex

    from chainkg.cli import main
    from chainkg.graph.export import write_json

    graph = tmp_path / "g.json"
    write_json(kg, graph)
    cases = [["--view", "whole", "--chain", "新能源电池", "--max-nodes", "5"],
             ["--view", "ego", "--node", "新能源电池", "--depth", "2", "--max-nodes", "6"],
             ["--view", "chain", "--chain", "新能源电池", "--max-nodes", "3"]]
    ran = 0
    for args in cases:
        r = runner.invoke(main, ["--graph", str(graph), "viz", *args, "-o", str(tmp_path / "x.html")])
        assert r.exit_code == 1 and "Narrow it: " in r.output, r.output
        advice = r.output.split("Narrow it: ", 1)[1].split("; or raise --max-nodes")[0]
        for option in advice.split("; or "):
            words = shlex.split(re.sub(r" \(.*?\)$", "", option))
            out = tmp_path / f"ok{ran}.html"
            r2 = runner.invoke(main, ["--graph", str(graph), "viz", *words, "--max-nodes", args[-1], "-o", str(out)])
            assert r2.exit_code == 0 and out.exists(), (option, r2.output)
            ran += 1
    assert ran >= 6


# ------------------------------------------------------------------ the whole view, clustered by chain
@pytest.fixture
def kg2(kg) -> KnowledgeGraph:
    """The fixture graph with links across chains: e:out also works in 生物医药's 原料药, which feeds 锂资源."""
    kg.merge_edge("OPERATES_IN", "e:out", "s:x", {"role": "supporting", **P})
    kg.merge_edge("FEEDS", "s:x", "s:up", T)
    return kg


def test_whole_view_clusters_by_chain_counts_by_hand(kg2):
    v = build_view(kg2, "whole")
    names = [c["key"] for c in v.clusters]
    assert names == ["chain:c", "chain:c2", "regions_local", "regions_outside"]
    members = {c["key"]: sorted(n["id"] for n in v.nodes if n["cl"] == i) for i, c in enumerate(v.clusters)}
    # e:out works in both chains (one segment each): drawn with the chain that comes first; regions by home
    assert members == {"chain:c": ["c", "e:local", "e:out", "e:xss", "p", "s:down", "s:mid", "s:up"],
                       "chain:c2": ["c2", "s:x"], "regions_local": ["r:an", "r:km"],
                       "regions_outside": ["r:sh", "r:yn"]}
    assert [c["label"] for c in v.clusters] == [
        "新能源电池\n环节 3 · 本地企业 1 · 项目 1",  # e:local (安宁市 lies in 昆明市); e:out, e:xss are outside
        "生物医药\n环节 1 · 本地企业 0 · 项目 0", "本地区域（昆明市）\n区域 2", "外地区域\n区域 2"]
    battery, bio = v.clusters[0]["counts"], v.clusters[1]["counts"]
    assert battery == {"segments": 3, "firms": 3, "local": 1, "anchors": 1, "projects": 1, "covered": 1,
                       "weak": 0, "missing": 2}
    assert bio["firms"] == 1  # e:out counts for 生物医药 too, though it is drawn in 新能源电池
    # links: e:out → 原料药 (OPERATES_IN, a shared firm), 原料药 → 锂资源 (FEEDS), firms → their regions,
    # 昆明市 → 云南省 (PART_OF); nothing inside a cluster
    links = {(v.clusters[x["a"]]["key"], v.clusters[x["b"]]["key"]): (x["rels"], x["shared"]) for x in v.links}
    assert links == {
        ("chain:c", "chain:c2"): ({"OPERATES_IN": [1, 0], "FEEDS": [0, 1]}, 1),
        ("chain:c", "regions_local"): ({"LOCATED_IN": [1, 0]}, 0),
        ("chain:c", "regions_outside"): ({"LOCATED_IN": [1, 0]}, 0),
        ("regions_local", "regions_outside"): ({"PART_OF": [1, 0]}, 0),
    }
    assert v.partial == [] and all(c["open"] for c in v.clusters)
    en = build_view(kg2, "whole", lang="en")
    assert en.clusters[0]["label"] == "新能源电池\nSegments 3 · Local firms 1 · Projects 1"
    assert en.clusters[3]["label"] == "Outside regions\nRegion 2"


def test_clusters_over_the_budget_stay_closed_and_say_what_shows_them(kg2):
    v = build_view(kg2, "whole", max_nodes=10)  # 8 + 2 chain members fit; the regions do not
    assert [c["open"] for c in v.clusters] == [True, True, False, False]
    assert len(v.nodes) == 10 and {n["cl"] for n in v.nodes} == {0, 1}
    assert v.clusters[2]["advice"] == "--view whole --type Region"
    assert len(build_view(kg2, "whole", types=["Region"], max_nodes=10).nodes) == 4  # … which carries them
    # links from a cluster the page may open (c) to one it cannot (x): [x → c, c → x]
    assert v.partial == [{"x": 2, "c": 0, "rels": {"LOCATED_IN": [0, 1]}, "shared": 0},
                         {"x": 3, "c": 0, "rels": {"LOCATED_IN": [0, 1]}, "shared": 0}]
    tiny = build_view(kg2, "whole", max_nodes=4)  # no chain fits: the panorama and counted flat views do
    assert not tiny.clusters[0]["open"]
    assert tiny.clusters[0]["advice"] == ("--view panorama --chain 新能源电池; --view whole --chain 新能源电池 "
                                          "--type Segment,Project (4 nodes)")
    assert tiny.clusters[3]["advice"] == "--view whole --type Region"
    with pytest.raises(ViewTooLarge):  # fewer than the groups themselves
        build_view(kg2, "whole", max_nodes=3)


def test_clustered_page_carries_groups_links_and_escaped_names(kg2, tmp_path):
    info = write_html(kg2, tmp_path / "w.html", view="whole", date="2024-01-15")
    html = (tmp_path / "w.html").read_text(encoding="utf-8")
    data = page_data(html)
    assert info["clusters"] == 4 and info["nodes"] == 14
    assert [c["l"].split("\n")[0] for c in data["clusters"]] == ["新能源电池", "生物医药", "本地区域（昆明市）",
                                                                   "外地区域"]
    assert data["clusters"][0]["tip"]["rows"][0] == ["环节", "3 · 已覆盖 1 · 缺失 2"]
    assert {n["id"]: n["cl"] for n in data["nodes"]}["e:xss"] == 0
    assert len(data["links"]) == 4 and "4 分组 · 14 节点" in html
    assert XSS_NAME not in html and "<img" not in html
    assert 'id="btn-fit"' in html and 'id="btn-reset"' in html and 'id="cl-panel"' in html
    flat = page_data(render_view(kg2, "whole", cluster=False))
    assert "clusters" not in flat and len(flat["nodes"]) == 14


def test_kunming_clusters_agree_with_the_panorama():
    """Second method: each chain group's counts equal the 全景图's tally of the same chain."""
    from chainkg.data import kunming
    from chainkg.visualize import build_panorama

    km = kunming()
    v = build_view(km, "whole")
    assert sorted(n["id"] for n in v.nodes) == sorted(n for n in km.nodes() if km.node_type(n) != "Source")
    tally = {b["id"]: b["tally"] for b in build_panorama(km)["bands"]}
    chains = [c for c in v.clusters if c["kind"] == "chain"]
    assert len(chains) == 13
    for c in chains:
        mine = {k: c["counts"][k] for k in ("segments", "local", "anchors", "covered", "weak", "missing")}
        assert mine == {k: tally[c["chain"]][k] for k in mine}, c["name"]
    battery = next(c for c in chains if c["name"] == "新能源电池")
    assert battery["label"] == "新能源电池\n环节 16 · 本地企业 4 · 项目 2"


def page_data(html: str) -> dict:
    m = re.search(r'<script type="application/json" id="chainkg-data">(.*?)</script>', html, re.S)
    return json.loads(m.group(1))


def test_page_is_self_contained_offline_and_escaped(kg, tmp_path):
    html = render_view(kg, "chain", chain="c", date="2024-01-15")
    assert len(re.findall(r"^<script", html, re.M)) == 3  # data, vis-network, page script
    assert html.count("</script>") == 3
    assert "Content-Security-Policy" in html and "default-src 'none'" in html
    outside_scripts = re.sub(r"<script.*?</script>", "", html, flags=re.S)
    assert not re.search(r"\b(src|href)\s*=", outside_scripts)  # nothing is loaded from anywhere
    assert "cdn" not in outside_scripts.lower() and "bootstrap" not in html.lower()
    assert XSS_NAME not in html and "<img" not in html  # the firm's name only travels as escaped JSON
    assert "<script>alert(2)" not in html
    data = page_data(html)
    assert XSS_NAME in [x["tip"]["h"] for x in data["nodes"]]  # … and is intact for the page to show as text
    assert data["strings"][next(x for x in data["nodes"] if x["id"] == "e:xss")["tip"]["ev"]].startswith("</script>")
    assert "<title>产业链图谱：新能源电池 — 测试 test · 2024-01-15</title>" in html


def test_write_html_is_utf8_whatever_the_locale(kg, tmp_path, monkeypatch):
    monkeypatch.setattr("locale.getpreferredencoding", lambda *a: "gbk")
    out = write_html(kg, tmp_path / "sub" / "battery.html", view="chain", chain="新能源电池")
    raw = (tmp_path / "sub" / "battery.html").read_bytes()
    text = raw.decode("utf-8")
    assert "©" in text or "(c)" in text  # vis-network's licence header made it through
    assert out["bytes"] == len(raw) and out["nodes"] == 8
    assert not list((tmp_path / "sub").glob(".*.tmp"))


def test_english_ui_keeps_data_names(kg):
    html = render_view(kg, "chain", chain="c", lang="en", date="2024-01-15")
    data = page_data(html)
    assert data["ui"]["search"].startswith("Search") and '<html lang="en">' in html
    assert "<h1>Chain map: 新能源电池</h1>" in html
    assert {x["l"] for x in data["nodes"]} >= {"新能源电池", "云南裕能"}
    assert data["types"]["Enterprise"]["label"] == "Enterprise"
    with pytest.raises(GraphError, match="unknown language"):
        render_view(kg, "overview", lang="fr")


def test_search_keys_match_simplified_and_traditional(kg):
    data = page_data(render_view(kg, "chain", chain="c"))
    node = next(x for x in data["nodes"] if x["id"] == "e:local")
    assert node["k"][0] == "云南裕能" and "雲南裕能" in node["n"]
    table = data["t2s"]
    query = "".join(table.get(ch, ch) for ch in "雲南裕能")  # what the page does to a query
    assert query in node["k"]
    assert t2s_table(["发展"])["發"] == "发"


def test_json_in_script_cannot_close_the_element():
    text = json_for_script({"x": "</script><!-- & \u2028"})
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == {"x": "</script><!-- & \u2028"}


def test_generated_graph_layout_is_fast_and_spread():
    import time

    kg = generate(2000, seed=1)
    t = time.perf_counter()
    v = build_view(kg, "whole", cluster=False)
    elapsed = time.perf_counter() - t
    assert len(v.nodes) == 1999 and elapsed < 5
    assert len({(x["x"], x["y"]) for x in v.nodes}) == len(v.nodes)


def test_cli_viz_command(runner, tmp_path):
    """Runs once the lead has added the `viz` command to chainkg/cli.py."""
    from chainkg.cli import main

    if "viz" not in main.commands:
        pytest.skip("chainkg viz is not wired into chainkg/cli.py yet")
    out = tmp_path / "battery.html"
    r = runner.invoke(main, ["viz", "--view", "chain", "--chain", "新能源电池", "-o", str(out)])
    assert r.exit_code == 0, r.output
    assert out.read_bytes().startswith(b"<!DOCTYPE html>") and str(out) in r.output
    r = runner.invoke(main, ["viz", "--view", "whole", "--chain", "新能源电池", "--max-nodes", "10",
                             "-o", str(tmp_path / "x.html")])
    assert r.exit_code == 1 and "Error: the whole view would show" in r.output and "--chain" in r.output
    assert not (tmp_path / "x.html").exists()


def test_graph_without_home_region_still_renders(kg):
    kg.meta.pop("home_region")
    v = build_view(kg, "chain", chain="c")
    assert v.gap is None and all(n["local"] is None for n in v.nodes)
    assert "缺链分析尚不可用" in render_view(kg, "overview")


# ------------------------------------------------------------------ the planner's 全景图
def test_panorama_takes_status_rules_and_targets_from_the_queries(kg):
    from chainkg.graph.queries import coverage, targets
    from chainkg.visualize import build_panorama

    p = build_panorama(kg, "新能源電池")
    boxes = {b["id"]: b for b in p["boxes"]}
    assert {r.segment_id: r.status for r in coverage(kg, chain="c")} == {k: b["status"] for k, b in boxes.items()}
    assert [c["label"] for c in p["cols"]] == ["上游", "中游", "下游"]  # stage columns, in order
    assert p["tally"] == {"segments": 3, "covered": 1, "weak": 0, "missing": 2, "local": 1, "anchors": 1,
                          "projects": 0}
    mid = boxes["s:mid"]
    assert [ln["t"] for ln in mid["lines"] if ln["k"] == "anchor"] == ["【链主】云南裕能"]
    assert any(ln["t"].startswith("外地 1 家") for ln in mid["lines"])  # the outside firm, counted
    down = p["entities"]["s:down"]
    rows = targets(kg, chain="c")
    assert [t["id"] for t in down["targets"]] == [r.enterprise_id for r in rows if r.segment_id == "s:down"][:5]
    assert down["targets"][0]["parts"][0][0] == "缺口"
    assert any(ln["k"] == "target" for ln in boxes["s:down"]["lines"])
    assert p["entities"]["e:out"]["local"] is False and "上海市" in p["entities"]["e:out"]["where"]
    overview = build_panorama(kg)
    assert [b["name"] for b in overview["bands"]] == ["新能源电池", "生物医药"]
    assert overview["bands"][1]["tally"]["segments"] == 1


def test_panorama_without_home_region(kg):
    from chainkg.visualize import build_panorama

    del kg.meta["home_region"]
    p = build_panorama(kg, "新能源电池")
    assert p["meta"]["home"] is None and {b["status"] for b in p["boxes"]} == {None}
    html = render_view(kg, "panorama", chain="新能源电池", date="2024-01-15")
    assert "未设定本地区域" in html and XSS_NAME not in html.split('id="chainkg-data"')[0]
    assert "<script>alert" not in html


def test_panorama_page_is_offline_and_escaped(kg, tmp_path):
    info = write_html(kg, tmp_path / "p.html", view="panorama", chain="新能源电池", date="2024-01-15")
    html = (tmp_path / "p.html").read_text(encoding="utf-8")
    assert info["nodes"] == 3 and "Content-Security-Policy" in html and "vis-network" not in html
    assert "https://" not in html and "http://" not in html.replace("http://www.w3.org/2000/svg", "")
    data = page_data(html)
    assert data["meta"]["date"] == "2024-01-15" and data["tally"]["segments"] == 3
    assert XSS_NAME not in html.replace(json_for_script(XSS_NAME)[1:-1], "")


def test_chain_refusal_suggests_what_fits():
    gen = generate(2000, seed=7)
    with pytest.raises(ViewTooLarge) as e:
        build_view(gen, "chain", chain="新能源电池", max_nodes=60)
    msg = str(e.value)
    assert "--view panorama --chain 新能源电池" in msg
    for m in re.finditer(r"--type (\S+) \((\d+) nodes\)", msg):
        assert len(build_view(gen, "chain", chain="新能源电池", types=m.group(1).split(","), max_nodes=60).nodes) \
            <= 60
