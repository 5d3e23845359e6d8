"""The national-scale generator: deterministic, schema-valid, and shaped like real chain graphs."""

from __future__ import annotations

import statistics
from collections import Counter
from pathlib import Path

import pytest

import chainkg.cli_pool  # noqa: F401  (registers generate on the CLI)
from chainkg.cli import main
from chainkg.graph import queries
from chainkg.graph.kg import KnowledgeGraph
from chainkg.graph.scope import build_scope
from chainkg.graph.synthetic import SOURCE
from chainkg.graph.synthetic import national_graph as generate
from chainkg.graph.workspace import load, save
from chainkg.loaders import EdgeRecord, NodeRecord, Origin, validate_batch


@pytest.fixture(scope="module")
def kg() -> KnowledgeGraph:
    return generate(4000, seed=11)


def test_same_seed_same_bytes(tmp_path: Path):
    a, b, c = tmp_path / "a.json", tmp_path / "b.json", tmp_path / "c.json"
    save(generate(1500, seed=5), a)
    save(generate(1500, seed=5), b)
    save(generate(1500, seed=6), c)
    assert a.read_bytes() == b.read_bytes()
    assert a.read_bytes() != c.read_bytes()
    assert load(a) == generate(1500, seed=5)


def test_every_record_valid(kg):
    recs: list[NodeRecord | EdgeRecord] = []
    for n, d in kg.g.nodes(data=True):
        recs.append(NodeRecord(d["type"], {"id": n, **{k: v for k, v in d.items() if k != "type"}}, Origin("gen")))
    for u, v, k, d in kg.g.edges(keys=True, data=True):
        recs.append(EdgeRecord(k, u, v, {x: y for x, y in d.items() if x != "type"}, Origin("gen")))
    assert validate_batch(recs, KnowledgeGraph()) == []  # schema, references, no FEEDS cycle inside a chain
    reason = "synthetic (chainkg generate, seed 11)"
    assert all(d.get("provenance") == "inferred" and d.get("evidence") == reason and d.get("source") == SOURCE
               for _, d in kg.g.nodes(data=True) if d["type"] != "Source")
    assert all(d["provenance"] == "inferred" and d["evidence"] == reason for _, _, d in kg.g.edges(data=True))


def test_shape(kg):
    c = kg.counts()
    assert c["nodes"]["Enterprise"] == 4000 and c["nodes"]["Chain"] == 12
    levels = Counter(kg.g.nodes[r]["level"] for r in kg.nodes("Region"))
    assert levels["province"] >= 27 and levels["city"] >= 250 and levels["district"] > 500
    home = kg.meta["home_region"]
    assert kg.name(home) == "昆明市" and len(kg.region_closure(home)) == 11
    for ch in kg.nodes("Chain"):
        segs = kg.segments_of(ch)
        assert 8 <= len(segs) <= 20
        assert {kg.g.nodes[s]["stage"] for s in segs} >= {"upstream", "midstream", "downstream"}
    chain_of = {s: kg.chain_of(s) for s in kg.nodes("Segment")}
    assert sum(chain_of[e.source] != chain_of[e.target] for e in kg.edges("FEEDS")) >= 12  # cross-chain
    # A few percent of firms are local; every firm has an HQ and at least one segment.
    local = build_scope(kg).local_firms
    assert 0.005 < len(local) / 4000 < 0.04
    assert all(kg.out(f, "OPERATES_IN") and kg.out(f, "LOCATED_IN") for f in kg.nodes("Enterprise"))
    # Heavy-tailed supply ties: a few hubs, a median of zero or one.
    indeg = Counter(e.target for e in kg.edges("SUPPLIES"))
    degrees = [indeg.get(f, 0) for f in kg.nodes("Enterprise")]
    top = sorted(degrees, reverse=True)
    assert top[0] >= 50 * max(1, statistics.median(degrees))
    assert sum(top[:40]) >= 0.2 * sum(degrees)  # the top 1 % hold a fifth of the ties
    assert c["nodes"]["Project"] == 200 and set(Counter(kg.g.nodes[p]["status"] for p in kg.nodes("Project"))) >= {
        "谋划", "在谈", "签约", "落地", "开工", "投产"}
    assert c["edges"]["ANCHORS"] >= 3 and c["nodes"]["Event"] >= 2


def test_queries_answer(kg):
    assert queries.missing(kg) and queries.weak(kg) and queries.coverage(kg)
    rows = queries.targets(kg, chain="新能源电池")
    local = build_scope(kg).local_firms
    assert rows and all(r.enterprise_id not in local for r in rows)
    assert queries.pipeline(kg).as_dict()["totals"]["projects"] > 0


def test_cli_generate(runner, tmp_path: Path):
    out = tmp_path / "g.json"
    r = runner.invoke(main, ["generate", "--firms", "800", "--seed", "3", "-o", str(out)])
    assert r.exit_code == 0, r.output
    first = out.read_bytes()
    r = runner.invoke(main, ["generate", "--firms", "800", "--seed", "3", "-o", str(out)])
    assert out.read_bytes() == first
    r = runner.invoke(main, ["--graph", str(out), "gaps", "missing", "--format", "json"])
    assert r.exit_code == 0, r.output
    r = runner.invoke(main, ["generate", "--firms", "5", "-o", str(out)])
    assert r.exit_code != 0
