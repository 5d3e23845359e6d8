"""Every query gives the same rows on the embedded engine and on Neo4j.

Graphs: the bundled Kunming graph, the hand-built graphs of test_gaps.py and
24 seeded random graphs (nested and overlapping regions, cross-chain and cyclic
FEEDS, anchors both ways, supplies, projects with every status, unit and date
form, names with quotes, backticks, newlines, braces, emoji and Traditional
Chinese). Rows are compared as ``as_dict()`` lists, so values, types and
order must all match; errors must match in type and message.
"""

from __future__ import annotations

import random

import pytest
from test_gaps import choke, choke_graph, kg, ties  # noqa: F401 - fixtures
from test_neo4j_support import load, outcome, require_neo4j

from chainkg.graph import queries
from chainkg.graph.queries import QUERIES
from chainkg.graph.targets import Weights
from helpers import Builder

pytestmark = pytest.mark.neo4j

#: Registered queries that take only region and chain (the others get their own options below).
GAP_QUERIES = tuple(name for name, query in QUERIES.items() if not query.options)


@pytest.fixture(scope="module")
def backend():
    from chainkg.graph.neo4j import Neo4jBackend

    b = Neo4jBackend(require_neo4j())
    yield b
    b.close()


def cases_for(regions: list, chains: list, rng: random.Random) -> list[tuple[str, dict]]:
    """Every query for every (region, chain), with varied k, weights, as-of dates and staleness."""
    out: list[tuple[str, dict]] = []
    for region in regions:
        for chain in chains:
            scope = {"region": region, "chain": chain}
            out += [(name, scope) for name in GAP_QUERIES]
            out.append(("extend", {**scope, "k": rng.choice((1, 2, 3))}))
            out.append(("weak", {**scope, **rng.choice(({}, {"min_revenue": 500}, {"min_employees": 3000,
                                                                                   "min_capital": 60}))}))
            weights = rng.choice((None, Weights(), Weights().with_overrides({"tie": 0, "lists.世界500强": 10}),
                                  Weights().with_overrides({"gap": 0.5, "region": 2, "pipeline": -1,
                                                            "lists.上市": 2.5})))
            out.append(("targets", {**scope, "k": rng.choice((1, 2)), "weights": weights}))
            out.append(("pipeline", {**scope, "as_of": rng.choice(("2024-01-15", "2023-06", "2025")),
                                     "stale_days": rng.choice((0, 180, 400))}))
    return out


def assert_same(graph, backend, cases) -> None:
    for name, kwargs in cases:
        expected = outcome(QUERIES[name].function, graph, **kwargs)
        got = outcome(backend.run, name, **kwargs)
        assert got == expected, f"{name}({kwargs}) differs"


def test_kunming_every_query_every_chain(backend):
    from chainkg.data import kunming

    g = kunming()
    load(backend.conn, g)
    chains = [None, *sorted(g.name(c) for c in g.nodes("Chain")), "新能源電池", "航天"]
    rng = random.Random(5)
    cases = cases_for([None], chains, rng)
    cases += cases_for(["东川区", "東川區", "云南省", "region:kunming"], [None, "新能源电池"], rng)
    cases += [("missing", {"region": "火星"}), ("extend", {"k": 0}), ("extend", {"k": 4}),
              ("targets", {"k": 3}), ("pipeline", {"as_of": "2023-12-31", "stale_days": 30})]
    assert_same(g, backend, cases)


def test_kunming_cases_are_not_trivial():
    """The comparison above is worth something: each query returns rows on Kunming."""
    from chainkg.data import kunming

    g = kunming()
    for name in (*GAP_QUERIES, "extend", "targets"):
        assert getattr(queries, name)(g), name


def test_hand_built_graph(backend, kg):  # noqa: F811
    load(backend.conn, kg)
    rng = random.Random(1)
    cases = cases_for([None, "云南省", "東川區", "玉溪市", "上海市", "长三角"],
                      [None, "电池", "電池", "光伏", "空链", "无模板"], rng)
    cases += [("coverage", {"chain": "航天"}), ("missing", {"region": "A1"}), ("extend", {"k": 0}),
              ("extend", {"k": 5}), ("pipeline", {"as_of": "2024-01-15"})]
    assert_same(kg, backend, cases)
    # The hand-worked answers of test_gaps.py, read from Neo4j.
    assert [(r.segment_id, r.score) for r in backend.run("missing")] == \
        [("A1", 2), ("A4", 2), ("B3", 1), ("A3", 0), ("C1", 0)]


def test_chokepoint_graph(backend, choke):  # noqa: F811
    load(backend.conn, choke)
    assert_same(choke, backend, cases_for([None, "外地"], [None, "链X"], random.Random(2)))
    assert [(r.kind, r.id) for r in backend.run("chokepoints")] == \
        [("enterprise", "m"), ("enterprise", "h2"), ("segment", "S3"), ("segment", "S4")]


@pytest.fixture
def asked(backend, monkeypatch) -> list[str]:
    """The statements the backend sends from now on (cleared by the test when it needs to)."""
    sent: list[str] = []
    read = backend.conn.read

    def spy(query, **params):
        sent.append(query)
        return read(query, **params)

    monkeypatch.setattr(backend.conn, "read", spy)
    return sent


@pytest.mark.parametrize(("middle", "packed"), [("m", True), ("m\x1ex", False), ("m\x1fx", False)])
def test_chokepoints_with_the_packing_separators_in_ids(backend, asked, middle, packed):
    """The supply graph that reaches the anchors comes packed into text split on \x1f and \x1e; an id that
    holds one (possible in a graph not loaded through the validating loaders) takes the list statement, and
    the rows are the same as networkx's and the hand-worked ones of test_gaps.py's choke graph."""
    from chainkg.graph.neo4j import cypher

    graph = choke_graph(middle)
    load(backend.conn, graph)
    asked.clear()
    got = backend.run("chokepoints")
    assert [r.as_dict() for r in got] == [r.as_dict() for r in queries.chokepoints(graph)]
    assert [(r.kind, r.id) for r in got] == [("enterprise", middle), ("enterprise", "h2"), ("segment", "S3"),
                                            ("segment", "S4")]
    assert (cypher.CHOKE_SUPPLY_REACH_PACKED in asked, cypher.CHOKE_SUPPLY_REACH in asked) == (True, not packed)
    # The enterprise rows' facts come packed too, with the same proof; there a firm id is a field of its own,
    # not split on \x1e, so only a \x1f in it takes the list statement.
    details_packed = "\x1f" not in middle
    assert (cypher.CHOKE_FIRM_DETAILS_PACKED in asked, cypher.CHOKE_FIRM_DETAILS in asked) == (True, not details_packed)


@pytest.mark.parametrize(("name", "seq", "packed"), [("中间商", None, True), ("中间\x1e商", None, True),
                                                      ("中间\x1f商", None, False), ("中间商", "x", False),
                                                      ("中间商", 1.5, False)])
def test_chokepoint_firm_facts_packed_or_not(backend, asked, name, seq, packed):
    """An enterprise row's name and chain come packed into text: a \\x1f in a name (a field of its own, not
    split on \\x1e) or an OPERATES_IN whose push order is not an integer takes the list statement. The
    chain is that of the firm's first OPERATES_IN in push order: m works in T1 (chain 链Y), pushed first,
    then in S3 (链X), whose id sorts first; the embedded engine's adjacency order says the same."""
    from chainkg.graph.neo4j import cypher

    graph = choke_graph()
    b = Builder(kg=graph)
    b.chain("Y", "链Y").segment("T1", "环节T", "Y", 1)
    graph.g.remove_edge("m", "S3", key="OPERATES_IN")
    b.edge("OPERATES_IN", "m", "T1", role="key").edge("OPERATES_IN", "m", "S3", role="key")
    graph.g.nodes["m"]["name"] = name
    load(backend.conn, graph)
    if seq is not None:  # a graph written by other means: the push order of m's first OPERATES_IN is not an int
        backend.conn.write("MATCH (:Chainkg {_graph: $graph, id: 'm'})-[r:OPERATES_IN]->(:Segment {id: 'T1'}) "
                           "SET r._seq = $seq", seq=seq)
    asked.clear()
    got = backend.run("chokepoints")
    expected = queries.chokepoints(graph)
    m = next(r for r in got if r.id == "m")
    assert (m.name, m.local) == (name, False)
    if seq is None:
        assert [r.as_dict() for r in got] == [r.as_dict() for r in expected]
        assert m.chain == "链Y"
    else:  # T1 now comes after S3: the chain of S3
        assert m.chain == "链X"
    assert (cypher.CHOKE_FIRM_DETAILS_PACKED in asked, cypher.CHOKE_FIRM_DETAILS in asked) == (True, not packed)


def test_targets_text_with_the_packing_separators(backend, ties, asked):  # noqa: F811
    """Neo4j sends the 招商目标 candidates' facts packed into text split on control characters (\\x1f between
    fields, \\x1e after each HQ id and list item). Text where one of them would be misread takes the list
    path instead, and every engine gives the same rows (and the same Chinese ``why``); ordinary text, empty
    list items and a \\x1e in a name (a field that is not split on it) stay on the packed path."""
    from chainkg.graph.neo4j import cypher

    x = ties.g.nodes["x"]
    # Weighted list names holding separators: a list item split in two would change the score.
    w = Weights().with_overrides({"lists.上\x1e市": 2.0, "lists.上市\x1f": 1.5})
    for name, lists, packed in (("外企甲", ["上市", "", "世界500强"], True), ("外企\x1f甲", ["上市"], False),
                                ("外企\x1e甲", ["上市"], True), ("外企甲", ["上\x1e市", "世界500强"], False),
                                ("外企甲", ["上市\x1f"], False)):
        x["name"], x["lists"] = name, lists
        load(backend.conn, ties)
        asked.clear()
        expected, got = queries.targets(ties, weights=w), backend.run("targets", weights=w)
        assert [r.as_dict() for r in got] == [r.as_dict() for r in expected], (name, lists)
        assert [r.why.say("zh") for r in got] == [r.why.say("zh") for r in expected]
        assert name in {r.enterprise for r in got}
        packed_asked = cypher.TARGET_CANDIDATES_PACKED_NO_HQ in asked or cypher.TARGET_CANDIDATES_PACKED in asked
        assert (packed_asked, cypher.TARGET_CANDIDATES in asked) == (True, not packed)


@pytest.mark.parametrize("case", ["regions", "hq not a region", "separator in a region id"])
def test_targets_hqs_from_the_regions_side(backend, ties, asked, case):  # noqa: F811
    """The candidates' HQs are read from the regions' side (every hq LOCATED_IN into this graph's Regions, in
    one statement) when the count store shows that every LOCATED_IN in the database ends at a Region;
    otherwise, or when an id holds a separator, each candidate's own LOCATED_IN are expanded, as before. The
    rows equal networkx's either way, and the statements asked show which way was taken."""
    from chainkg.graph.neo4j import cypher

    if case == "hq not a region":
        # y 外企乙 gets a third HQ at a node that is not a Region (a graph loaded without validation); its id
        # sorts after bj, so the HQ shown stays 北京市 and only the way the HQs are read changes.
        Builder(kg=ties).node("Industry", "zz", name="某行业", code="C39")
        ties.merge_edge("LOCATED_IN", "y", "zz", {"role": "hq"}, validate=False)
    elif case == "separator in a region id":
        # w 外企丁 gets a second HQ in a region whose id holds the record separator (after bj by id)
        Builder(kg=ties).region("q\x1er", "曲靖市")
        ties.merge_edge("LOCATED_IN", "w", "q\x1er", {"role": "hq"}, validate=False)
    load(backend.conn, ties)
    asked.clear()
    expected, got = queries.targets(ties), backend.run("targets")
    assert [r.as_dict() for r in got] == [r.as_dict() for r in expected]
    assert {r.enterprise: r.hq for r in got} == {"外企甲": "上海市", "外企乙": "北京市", "外企丙": "北京市",
                                                 "外企丁": "北京市"}
    # (HQs from the regions' side asked, candidates without HQs asked, candidates with their own HQs asked)
    expected_asked = {"regions": (True, True, False), "hq not a region": (False, False, True),
                      "separator in a region id": (True, True, True)}[case]
    assert (cypher.TARGET_HQS_PACKED in asked, cypher.TARGET_CANDIDATES_PACKED_NO_HQ in asked,
            cypher.TARGET_CANDIDATES_PACKED in asked) == expected_asked


@pytest.mark.parametrize("seed", range(24))
def test_random_graph(backend, seed):
    from chainkg.graph.synthetic import random_graph

    g = random_graph(seed)
    load(backend.conn, g)
    rng = random.Random(seed)
    other = rng.choice(sorted(g.nodes("Region")))
    chain_ids = sorted(g.nodes("Chain"))
    chains = [None, rng.choice(chain_ids), g.name(rng.choice(chain_ids))]
    assert_same(g, backend, cases_for([None, other, g.name(other)], chains, rng))
