"""The embedded engine, workspace files and exports."""

from __future__ import annotations

import os

import networkx as nx
import pytest

from chainkg.graph import GraphError, KnowledgeGraph, SchemaError, graph_signature, load, save
from chainkg.graph import export as ex
from chainkg.loaders import load_paths


@pytest.fixture
def kg(mini) -> KnowledgeGraph:
    g = KnowledgeGraph({"name": "mini", "home_region": "region:km"})
    load_paths([mini], g)
    return g


def test_lookup_by_name_alias_traditional_and_id(kg):
    assert kg.resolve("孚能科技") == "ent:a"
    assert kg.resolve("孚能") == "ent:a"
    assert kg.resolve("新能源電池") == "chain:bat"  # Traditional form of a Simplified name
    assert kg.resolve("ent:a") == "ent:a"
    with pytest.raises(GraphError, match="no node named"):
        kg.resolve("不存在的公司")


def test_ambiguous_name_is_an_error(kg):
    kg.merge_node("Enterprise", {"id": "ent:a2", "name": "孚能科技", "provenance": "template", "source": "src:t"})
    with pytest.raises(GraphError, match="names 2 nodes: ent:a, ent:a2"):
        kg.resolve("孚能科技")


def test_merge_updates_and_reindexes(kg):
    kg.merge_node("Enterprise", {"id": "ent:a", "name": "孚能科技股份", "provenance": "stated", "source": "src:t",
                                 "evidence": "x"})
    assert kg.find("孚能科技股份") == ["ent:a"]
    assert kg.find("孚能科技") == []
    assert kg.get("ent:a")["aliases"] == ["孚能"]  # untouched properties stay


def test_merge_rejects_type_change_and_schema_errors(kg):
    with pytest.raises(GraphError, match="already a Enterprise"):
        kg.merge_node("Region", {"id": "ent:a", "name": "x", "level": "city", "provenance": "template",
                                 "source": "src:t"})
    with pytest.raises(SchemaError, match="status"):
        kg.merge_node("Project", {"id": "p", "name": "x", "status": "done", "provenance": "template",
                                  "source": "src:t"})
    with pytest.raises(SchemaError, match="FEEDS must start at Segment"):
        kg.merge_edge("FEEDS", "ent:a", "seg:cell", {"provenance": "template", "source": "src:t"})


def test_neighbours_region_closure_and_chain_subgraph(kg):
    kg.merge_node("Region", {"id": "region:dc", "name": "东川区", "level": "district", "provenance": "template",
                             "source": "src:t"})
    kg.merge_edge("PART_OF", "region:dc", "region:km", {"provenance": "template", "source": "src:t"})
    assert kg.region_closure("region:yn") == {"region:yn", "region:km", "region:dc"}
    assert kg.region_closure("region:dc") == {"region:dc"}
    kg.merge_edge("OPERATES_IN", "ent:a", "seg:cell", {"role": "key", "provenance": "template", "source": "src:t"})
    sub = kg.chain_subgraph("chain:bat")
    assert set(sub.nodes()) == {"chain:bat", "seg:cathode", "seg:cell", "ent:a", "region:km", "src:t"}
    assert sub.has_edge("seg:cathode", "seg:cell", "FEEDS")
    assert ("out", "OPERATES_IN", "seg:cell") in kg.neighbours("ent:a")


def test_workspace_round_trip_and_gzip(kg, tmp_path):
    for name in ("ws.json", "ws.json.gz"):
        save(kg, tmp_path / name)
        again = load(tmp_path / name)
        assert again == kg
        assert again.find("孚能") == ["ent:a"]  # the name index is rebuilt
    assert (tmp_path / "ws.json.gz").read_bytes()[:2] == b"\x1f\x8b"


def test_save_is_atomic_when_writing_fails(kg, tmp_path, monkeypatch):
    path = tmp_path / "ws" / "ws.json"
    save(kg, path)
    before = path.read_bytes()
    kg.merge_node("Region", {"id": "region:new", "name": "新区", "level": "district", "provenance": "template",
                             "source": "src:t"})

    def crash(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(os, "fsync", crash)
    with pytest.raises(OSError, match="disk full"):
        save(kg, path)
    assert path.read_bytes() == before
    assert [p.name for p in path.parent.iterdir()] == ["ws.json"]  # no temp file left behind


def test_load_reports_bad_workspace_files(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(GraphError, match="not a readable workspace"):
        load(bad)
    other = tmp_path / "other.json"
    other.write_text('{"format": "something-else"}', encoding="utf-8")
    with pytest.raises(GraphError, match="not a chainkg workspace"):
        load(other)
    with pytest.raises(GraphError, match="no such workspace"):
        load(tmp_path / "missing.json")


def test_graphml_round_trip_and_plain_networkx_read(kg, tmp_path):
    path = tmp_path / "g.graphml"
    ex.write_graphml(kg, path)
    again = ex.read_graphml(path)
    assert graph_signature(again) == graph_signature(kg)
    plain = nx.read_graphml(path, force_multigraph=True)  # what Gephi-minded tools see
    assert plain.nodes["ent:a"]["name"] == "孚能科技"
    assert plain.nodes["ent:a"]["aliases"] == "孚能"
    assert plain.number_of_edges() == kg.g.number_of_edges()


def test_json_export_round_trip(kg, tmp_path):
    from chainkg.graph.workspace import load as load_ws

    ex.write_json(kg, tmp_path / "g.json")
    assert load_ws(tmp_path / "g.json") == kg


def test_csv_export_reloads_to_an_equal_graph(kg, tmp_path):
    files = ex.write_csv(kg, tmp_path / "out")
    assert {f.name for f in files} >= {"chains.csv", "segments.csv", "feeds.csv", "enterprises.csv"}
    again = KnowledgeGraph(kg.meta)
    load_paths([tmp_path / "out"], again)
    assert graph_signature(again) == graph_signature(kg)
    with pytest.raises(FileExistsError):
        ex.write_csv(kg, tmp_path / "out")
