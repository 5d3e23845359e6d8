"""Digraph and betweenness_centrality (graph/digraph.py) give networkx's orders and floats exactly."""

from __future__ import annotations

import networkx as nx
from hypothesis import given, settings
from hypothesis import strategies as st

from chainkg.graph.digraph import Digraph, betweenness_centrality


def test_small_graph_by_hand():
    # 矿 → 材料 ← 回收, 材料 → 电芯 → 整车: 材料 lies on the shortest paths of 矿/回收 → 电芯/整车 (4 of the
    # 4·3 = 12 ordered pairs of the other nodes), 电芯 on those of 矿/回收/材料 → 整车 (3 of 12).
    g = Digraph([("矿", "材料"), ("回收", "材料"), ("材料", "电芯"), ("电芯", "整车")])
    assert betweenness_centrality(g) == {"矿": 0.0, "材料": 4 / 12, "回收": 0.0, "电芯": 3 / 12, "整车": 0.0}
    assert list(g) == ["矿", "材料", "回收", "电芯", "整车"] and list(g["材料"]) == ["电芯"]
    assert g.in_degree("材料") == 2 and "x" not in g and ["unhashable"] not in g


@settings(max_examples=400, deadline=None)
@given(n=st.integers(0, 16), edges=st.lists(st.tuples(st.integers(0, 15), st.integers(0, 15)), max_size=60))
def test_same_as_networkx_on_random_graphs(n, edges):
    nodes = list(range(n))[::-1]  # insertion order other than sorted
    edges = [(u % n, v % n) for u, v in edges] if n else []  # self-loops, repeats and cycles included
    want = nx.DiGraph()
    want.add_nodes_from(nodes)
    want.add_edges_from(edges)
    g = Digraph()
    g.add_nodes_from(nodes)
    g.add_edges_from(edges)
    assert list(g) == list(want) and len(g) == g.number_of_nodes() == want.number_of_nodes()
    assert {u: list(vs) for u, vs in g._succ.items()} == {u: list(vs) for u, vs in want._succ.items()}
    assert {u: list(vs) for u, vs in g._pred.items()} == {u: list(vs) for u, vs in want._pred.items()}
    assert all(g.in_degree(v) == want.in_degree(v) for v in nodes)
    # equal floats in the same order, not merely close ones
    assert list(betweenness_centrality(g).items()) == list(nx.betweenness_centrality(want, normalized=True).items())
