"""The snapshot cache's read-only form: shared relationship dicts and the stored name index (issue 13)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from chainkg.data import kunming
from chainkg.graph import snapcache
from chainkg.graph import workspace as ws
from chainkg.graph.kg import KnowledgeGraph
from chainkg.graph.text import to_simplified

CLI = [sys.executable, "-m", "chainkg.cli"]


@pytest.fixture(autouse=True)
def own_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("CHAINKG_NO_CACHE", raising=False)


def _hand_graph() -> KnowledgeGraph:
    """Six firms; a→b, c→d and f→a carry equal SUPPLIES properties (a→b also an INVESTS), the rest differ
    only in value type or key order."""
    kg = KnowledgeGraph({"name": "hand"})
    g = kg.g
    for n in "abcdef":
        g.add_node(n, type="Enterprise", name=f"firm {n}")
    same = {"type": "SUPPLIES", "product": "电芯", "provenance": "inferred"}
    g.add_edge("a", "b", key="SUPPLIES", **same)
    g.add_edge("c", "d", key="SUPPLIES", **same)
    g.add_edge("f", "a", key="SUPPLIES", **same)
    g.add_edge("a", "b", key="INVESTS", type="INVESTS", provenance="inferred")  # a second type, same pair
    g.add_edge("a", "c", key="SUPPLIES", type="SUPPLIES", weight=1)
    g.add_edge("b", "c", key="SUPPLIES", type="SUPPLIES", weight=1.0)
    g.add_edge("d", "c", key="SUPPLIES", type="SUPPLIES", weight=True)
    g.add_edge("e", "f", key="SUPPLIES", type="SUPPLIES", provenance="inferred", product="电芯")  # other order
    return kg


def _loads(tmp_path, kg: KnowledgeGraph, monkeypatch,
           name: str = "w.chainkg") -> tuple[KnowledgeGraph, KnowledgeGraph, KnowledgeGraph]:
    """(read-only from the cache, writable from the cache, from the rows) of ``kg`` saved as SQLite."""
    p = tmp_path / name
    ws.save(kg, p)  # the commit writes the cache entry
    assert list((tmp_path / "cache" / "chainkg").glob("*.snap"))
    ro = ws.load(p, read_only=True)
    rw = ws.load(p)
    monkeypatch.setenv("CHAINKG_NO_CACHE", "1")
    rows = ws.load(p)
    monkeypatch.delenv("CHAINKG_NO_CACHE")
    return ro, rw, rows


def test_read_only_load_shares_only_equal_relationship_data(tmp_path, monkeypatch):
    ro, rw, rows = _loads(tmp_path, _hand_graph(), monkeypatch)
    assert ro._names_lookup is not None  # really read from the snapshot
    assert ro == rows == rw == _hand_graph()
    succ = ro.g._succ
    assert succ["c"]["d"] is succ["f"]["a"]  # equal properties in equal order: one dict
    assert ro.g._pred["d"]["c"] is succ["c"]["d"]
    assert list(succ["a"]["b"]) == ["SUPPLIES", "INVESTS"] and succ["a"]["b"] is not succ["c"]["d"]
    assert ro.g._pred["b"]["a"] is succ["a"]["b"]
    # 1, 1.0 and True are equal in Python but print differently: never merged.
    weights = [succ[u]["c"]["SUPPLIES"]["weight"] for u in "abd"]
    assert [type(w) for w in weights] == [int, float, bool]
    assert len({id(succ[u]["c"]) for u in "abd"}) == 3
    # Same items, other order: kept apart, each in its own order (JSON output follows it).
    assert succ["e"]["f"] is not succ["c"]["d"]
    assert list(succ["e"]["f"]["SUPPLIES"]) == ["type", "provenance", "product"]
    assert list(succ["a"]["b"]["SUPPLIES"]) == ["type", "product", "provenance"]
    # Order of neighbours, both ways, as a read from the rows gives it.
    assert all(list(ro.g._succ[n]) == list(rows.g._succ[n]) for n in rows.g)
    assert all(list(ro.g._pred[n]) == list(rows.g._pred[n]) for n in rows.g)


def test_writable_load_from_the_cache_gets_a_dict_per_relationship(tmp_path, monkeypatch):
    _ro, rw, _rows = _loads(tmp_path, _hand_graph(), monkeypatch)
    assert not rw.read_only
    succ, pred = rw.g._succ, rw.g._pred
    assert succ["f"]["a"] is not succ["c"]["d"]
    assert succ["a"]["b"]["SUPPLIES"] is not succ["c"]["d"]["SUPPLIES"] is not succ["f"]["a"]["SUPPLIES"]
    assert all(pred[v][u] is succ[u][v] for u in succ for v in succ[u])  # networkx's own invariant
    rw.merge_edge("SUPPLIES", "c", "d", {"product": "正极材料"}, validate=False)
    assert rw.edge("f", "a", "SUPPLIES")["product"] == rw.edge("a", "b", "SUPPLIES")["product"] == "电芯"
    assert rw.edge("c", "d", "SUPPLIES")["product"] == "正极材料"


def test_read_only_graph_refuses_changes_with_and_without_the_cache(tmp_path, monkeypatch):
    p = tmp_path / "w.chainkg"
    ws.save(_hand_graph(), p)
    for cache in ("", "1"):
        if cache:
            monkeypatch.setenv("CHAINKG_NO_CACHE", cache)
        ro = ws.load(p, read_only=True)
        assert ro.read_only
        with pytest.raises(RuntimeError, match="read-only"):
            ro.merge_edge("SUPPLIES", "a", "b", {"product": "x"}, validate=False)
        with pytest.raises(RuntimeError, match="read-only"):
            ro.merge_node("Enterprise", {"id": "a", "name": "x"}, validate=False)
        assert ro.g.edges["c", "d", "SUPPLIES"]["product"] == "电芯"
    q = tmp_path / "w.json"
    ws.save(_hand_graph(), q)
    assert ws.load(q, read_only=True).read_only and not ws.load(q).read_only


def test_stored_name_index_answers_as_a_fresh_index(tmp_path, monkeypatch):
    kg = kunming()
    kg.g.add_node("dup1", type="Enterprise", name="同名公司")  # one name, two nodes: both ids come back
    kg.g.add_node("dup2", type="Project", name="同名公司")
    ro, _rw, rows = _loads(tmp_path, kg, monkeypatch)
    names = {n for node in rows.g for n in rows._names_of(node) if isinstance(n, str)}
    probes = sorted(names | {to_simplified(n) for n in names} | {n.upper() for n in names}
                    | {" " + n + " " for n in names} | {"没有这个名字", "", "雲南裕能新能源電池"})
    assert len(probes) > 300
    for text in probes:
        assert ro.find(text) == rows.find(text), text
    assert ro.find("同名公司") == ["dup1", "dup2"]
    assert ro.find("同名公司", "Project") == ["dup2"]
    assert ro.find("宇澤半導體") == ["ent:yuze"]
    assert ro.resolve("宇澤半導體") == "ent:yuze"
    assert ro._names is None  # answered from the stored buckets, never by indexing every name


def test_packed_index_buckets_round_trip():
    names = {f"name{i}": {f"id{i}", f"alt{i}"} for i in range(2000)} | {"empty": set()}
    lookup = snapcache._NameIndex(snapcache._pack_names(names)).lookup
    assert all(lookup(k) == v for k, v in names.items())
    got = lookup("name7")
    got.add("changed")  # the caller's copy, not the index
    assert lookup("name7") == {"id7", "alt7"}


def test_cli_queries_print_the_same_with_and_without_the_cache(tmp_path):
    ws.save(kunming(), tmp_path / "k.chainkg")
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    for args in (["info"], ["show", "宇澤半導體"], ["gaps", "missing"], ["gaps", "chokepoints"],
                 ["targets", "--limit", "5"]):
        out = []
        for cache in ({}, {"CHAINKG_NO_CACHE": "1"}):
            r = subprocess.run([*CLI, "--graph", "k.chainkg", *args, "--format", "json"], cwd=tmp_path,
                               env={**env, **cache}, capture_output=True, text=True, timeout=120)
            assert r.returncode == 0, r.stderr
            out.append(r.stdout)
        assert out[0] == out[1] and len(out[0]) > 100, args


def test_counts_on_shared_and_own_dicts(tmp_path, monkeypatch):
    ro, rw, rows = _loads(tmp_path, _hand_graph(), monkeypatch)
    # By hand: six firms without provenance; seven SUPPLIES (four say "inferred") and one INVESTS ("inferred").
    want = {"nodes": {"Enterprise": 6}, "edges": {"SUPPLIES": 7, "INVESTS": 1}, "provenance": {"—": 9, "inferred": 5}}
    for kg in (ro, rw, rows):
        assert kg.counts() == want
    big = kunming()
    ro, _rw, rows = _loads(tmp_path, big, monkeypatch, "k.chainkg")
    a, b = ro.counts(), rows.counts()
    assert a == b and all(list(a[k].items()) == list(b[k].items()) for k in a)  # same first-seen order too
    assert sum(a["edges"].values()) == big.g.number_of_edges()
    assert a["edges"]["LOCATED_IN"] == sum(1 for _u, _v, k in big.g.edges(keys=True) if k == "LOCATED_IN")


def test_cache_folder_keeps_the_most_recently_used_entries(tmp_path, monkeypatch):
    """Each new entry evicts the least recently used beyond MAX_ENTRIES (or MAX_BYTES); a hit counts as a use."""
    folder = tmp_path / "cache" / "chainkg"
    kg = _hand_graph()
    entry = {}
    for i in range(4):  # four workspaces, entries used at t0 + i
        p = tmp_path / f"w{i}.chainkg"
        before = set(folder.glob("*.snap"))
        ws.save(kg, p)
        [entry[i]] = set(folder.glob("*.snap")) - before
        os.utime(entry[i], (1_000_000 + i, 1_000_000 + i))
    ws.load(tmp_path / "w0.chainkg", read_only=True)  # a hit: w0 is now the most recently used
    assert entry[0].stat().st_mtime > 1_000_003
    monkeypatch.setattr(snapcache, "MAX_ENTRIES", 3)
    ws.save(kg, tmp_path / "w4.chainkg")  # the new entry, then w0 (used), w3; w2 and w1 go
    left = set(folder.glob("*.snap"))
    assert left >= {entry[0], entry[3]} and len(left) == 3
    assert not entry[1].exists() and not entry[2].exists()
    # By size: room for two entries of this size keeps the new one and the most recently used other one.
    monkeypatch.setattr(snapcache, "MAX_ENTRIES", 32)
    monkeypatch.setattr(snapcache, "MAX_BYTES", 2 * entry[0].stat().st_size + 10)
    os.utime(entry[3], (2_000_000_000, 2_000_000_000))  # w3 used last
    ws.save(kg, tmp_path / "w5.chainkg")
    assert len(list(folder.glob("*.snap"))) == 2 and entry[3].exists() and not entry[0].exists()
    # What was evicted is rebuilt from the rows on the next read, equal to the graph.
    assert ws.load(tmp_path / "w1.chainkg", read_only=True) == kg
