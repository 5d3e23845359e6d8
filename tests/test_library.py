"""The national chain-template library (chainkg/data/library): data rules and the loader functions."""

from __future__ import annotations

import csv
import re
from collections import Counter

import networkx as nx
import pytest
import yaml

from chainkg.errors import NotFoundError
from chainkg.graph.kg import KnowledgeGraph
from chainkg.loaders import apply_batch, load_paths, validate_batch, validate_paths
from chainkg.loaders.library import (
    export_chain,
    find_chain,
    library_chains,
    library_dir,
    library_records,
    pending_feeds,
)
from helpers import shared_dir

FILES = sorted(library_dir().glob("*.yaml"))
DOCS = {p.stem: yaml.safe_load(p.read_text(encoding="utf-8")) for p in FILES}
GBT_CSV = shared_dir() / "data" / "gbt4754-2017" / "industries.csv"
CORE = ("upstream", "midstream", "downstream")


def _graph(paths) -> KnowledgeGraph:
    kg = KnowledgeGraph()
    load_paths(paths, kg)
    return kg


def _snapshot(kg: KnowledgeGraph):
    nodes = {t: sorted((n, sorted(kg.get(n).items(), key=str)) for n in kg.nodes(t))
             for t in ("Source", "Chain", "Segment")}
    edges = sorted((e.source, e.type, e.target, sorted(e.props.items(), key=str))
                   for t in ("HAS_SEGMENT", "FEEDS") for e in kg.edges(t))
    return nodes, edges


def test_at_least_28_chains_one_per_file():
    assert len(FILES) >= 28
    assert [c.slug for c in library_chains()] == [p.stem for p in FILES]


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_each_file_loads_alone_into_an_empty_graph(path, tmp_path):
    # The shipped file may carry cross-chain feeds; without them it must load on its own.
    alone = export_chain(path.stem, tmp_path, cross_feeds=False)
    assert validate_paths([alone]) == []
    kg = _graph([alone])
    doc = DOCS[path.stem]
    assert kg.get(doc["chain"])["name"] == doc["name"]
    assert kg.get(doc["chain"])["verified"] is False
    assert kg.get(doc["source"]["id"])["title"] == doc["source"]["title"]


@pytest.mark.parametrize("slug", sorted(DOCS))
def test_segments_stages_and_support(slug):
    doc = DOCS[slug]
    segs = doc["segments"]
    assert 12 <= len(segs) <= 30
    stages = Counter(s["stage"] for s in segs)
    assert set(stages) <= {*CORE, "support"}, stages
    assert all(stages[s] for s in CORE), f"{slug} lacks a stage: {stages}"
    assert stages["support"] >= 2
    assert sorted(s["order"] for s in segs) == list(range(1, len(segs) + 1))
    for s in segs:
        assert s["id"].startswith(f"seg:lib:{slug}:") and re.fullmatch(r"[a-z0-9:-]+", s["id"]), s["id"]
        kws = s["match_keywords"]
        assert 4 <= len([k for k in kws if not k.startswith("-")]) <= 12 and len(kws) <= 12, s["id"]
        assert s["match_gbt"], s["id"]


@pytest.mark.parametrize("slug", sorted(DOCS))
def test_feeds_inside_a_chain_are_acyclic_and_run_downstream(slug):
    segs = {s["id"]: s for s in DOCS[slug]["segments"]}
    g = nx.DiGraph()
    g.add_nodes_from(segs)
    for s in segs.values():
        for t in s.get("feeds") or []:
            assert t in segs, f"{s['id']} feeds {t}, not a segment of {slug}"
            g.add_edge(s["id"], t)
            if s["stage"] == "support":
                assert segs[t]["stage"] == "midstream", f"support {s['id']} feeds {t}"
    assert nx.is_directed_acyclic_graph(g)


@pytest.mark.skipif(not GBT_CSV.exists(), reason=f"GB/T 4754-2017 list not found at {GBT_CSV}")
def test_every_match_gbt_code_is_a_gbt_4754_2017_class():
    with open(GBT_CSV, encoding="utf-8") as f:
        classes = {r["code"] for r in csv.DictReader(f) if r["level"] == "class"}
    assert len(classes) == 1381
    bad = []
    for doc in DOCS.values():
        for s in doc["segments"]:
            for entry in s["match_gbt"]:
                code, _, weight = entry.partition("@")
                if not (re.fullmatch(r"\d{4}", code) and code in classes):
                    bad.append((s["id"], entry))
                if weight:
                    assert 0 < float(weight) <= 1, (s["id"], entry)
    assert bad == []


def test_cross_chain_feeds_name_library_segments_of_other_chains():
    segments = {s["id"]: slug for slug, doc in DOCS.items() for s in doc["segments"]}
    cross = [(slug, f) for slug, doc in DOCS.items() for f in doc.get("feeds") or []]
    assert len(cross) >= 20
    for slug, f in cross:
        assert segments.get(f["from"]) == slug, f  # declared in the supplier's file
        assert f["to"] in segments and segments[f["to"]] != slug, f
        assert f.get("product")
    assert len({(f["from"], f["to"]) for _, f in cross}) == len(cross)


def test_every_chain_has_a_public_basis():
    for slug, doc in DOCS.items():
        src = doc["source"]
        assert src["id"] == f"src:lib:{slug}"
        assert src["title"] and src["issuer"] and isinstance(src["year"], int) and 1990 < src["year"] < 2030
        assert doc["chain"] == f"chain:lib:{slug}"
        assert doc["provenance"] == "template" and doc["evidence"].startswith("basis: ")
        assert doc["name"] and doc["name_en"] and doc["description"]


def test_ids_unique_across_the_library():
    ids = [s["id"] for doc in DOCS.values() for s in doc["segments"]]
    ids += [doc["chain"] for doc in DOCS.values()] + [doc["source"]["id"] for doc in DOCS.values()]
    assert [i for i, n in Counter(ids).items() if n > 1] == []
    codes = [s["code"] for doc in DOCS.values() for s in doc["segments"]]
    assert len(codes) == len(set(codes))


def test_whole_library_loads_with_the_expected_totals():
    # Count independently of YAML parsing: the generator-free way, by lines of the files.
    texts = [p.read_text(encoding="utf-8") for p in FILES]
    n_segments = sum(len(re.findall(r"^  - id: seg:lib:", t, re.M)) for t in texts)
    n_cross = sum(len(re.findall(r"^  - \{from: ", t, re.M)) for t in texts)
    n_inner = sum(len(m.split(",")) for t in texts for m in re.findall(r"^    feeds: \[(.*)\]$", t, re.M))
    kg = _graph([library_dir()])
    assert len(list(kg.nodes("Chain"))) == len(FILES)
    assert len(list(kg.nodes("Source"))) == len(FILES)
    assert len(list(kg.nodes("Segment"))) == n_segments
    assert len(list(kg.edges("HAS_SEGMENT"))) == n_segments
    assert len(list(kg.edges("FEEDS"))) == n_inner + n_cross
    # library_records for every chain gives the same graph as loading the folder.
    kg2 = KnowledgeGraph()
    records = library_records([c.name for c in library_chains()])
    assert validate_batch(records, kg2) == []
    apply_batch(records, kg2)
    assert _snapshot(kg2) == _snapshot(kg)
    assert pending_feeds([c.slug for c in library_chains()]) == []


def test_library_records_keeps_cross_feeds_only_when_both_ends_are_there():
    kg = KnowledgeGraph()
    records = library_records(["光伏"])
    assert validate_batch(records, kg) == []
    apply_batch(records, kg)
    assert not any(e.source.startswith("seg:lib:nonferrous") for e in kg.edges("FEEDS"))
    pending = pending_feeds(["光伏"])
    assert ("seg:lib:nonferrous:silver-paste", "seg:lib:pv:cell") in [(f.source, f.target) for f in pending]
    # Later, the supplier chain joins a graph that already has 光伏: the feed into 光伏 comes along.
    more = library_records(["稀贵金属与有色新材料"], kg)
    assert validate_batch(more, kg) == []
    apply_batch(more, kg)
    assert kg.has_edge("seg:lib:nonferrous:silver-paste", "seg:lib:pv:cell", "FEEDS")
    assert pending_feeds(["光伏"], kg) != []  # still missing e.g. storage, hydrogen
    assert all(not (f.source.startswith("seg:lib:nonferrous")) for f in pending_feeds(["光伏"], kg))


def test_find_chain_by_slug_id_name_alias_and_traditional():
    assert find_chain("battery").name == "新能源电池"
    assert find_chain("chain:lib:battery").slug == "battery"
    assert find_chain("新能源電池").slug == "battery"
    assert find_chain("动力电池").slug == "battery"
    assert find_chain("PHOTOVOLTAICS").slug == "pv"


def test_find_chain_unknown_suggests_closest():
    with pytest.raises(NotFoundError) as e:
        find_chain("电池")
    assert e.value.suggestions[0] == "新能源电池"
    with pytest.raises(NotFoundError) as e:
        find_chain("新能源汽")
    assert "新能源汽车" in e.value.suggestions
    with pytest.raises(NotFoundError) as e:
        find_chain("zzzz")
    assert e.value.suggestions == []


def test_export_is_the_shipped_file_and_round_trips(tmp_path):
    out = export_chain("光伏", tmp_path / "pv-edit.yaml")
    assert out.read_bytes() == (library_dir() / "pv.yaml").read_bytes()
    # Export every chain, load the exports: the same graph as the shipped library.
    folder = tmp_path / "all"
    folder.mkdir()
    for c in library_chains():
        export_chain(c.slug, folder)
    assert _snapshot(_graph([folder])) == _snapshot(_graph([library_dir()]))
    # One chain without its cross feeds: equal to library_records of that chain alone.
    alone = export_chain("新能源电池", tmp_path / "bat.yaml", cross_feeds=False)
    kg = KnowledgeGraph()
    apply_batch(library_records(["新能源电池"]), kg)
    assert _snapshot(_graph([alone])) == _snapshot(kg)


def test_export_edit_and_load_back(tmp_path):
    out = export_chain("光伏", tmp_path / "pv.yaml", cross_feeds=False)
    text = out.read_text(encoding="utf-8").replace('name: "电池片"', 'name: "电池片（TOPCon/HJT）"')
    out.write_text(text, encoding="utf-8")
    kg = _graph([out])
    assert kg.get("seg:lib:pv:cell")["name"] == "电池片（TOPCon/HJT）"
    # The shipped file with its cross feeds loads into a workspace that has the other ends.
    kg = _graph([library_dir()])
    report = load_paths([export_chain("光伏", tmp_path / "again.yaml")], kg)
    assert not report.changed


def test_unknown_top_level_key_is_still_an_error(tmp_path):
    text = (library_dir() / "pv.yaml").read_text(encoding="utf-8")
    bad = tmp_path / "bad.yaml"
    bad.write_text(text.replace("name_en:", "name_english:"), encoding="utf-8")
    errors = validate_paths([bad])
    assert any(e.column == "name_english" for e in errors)
