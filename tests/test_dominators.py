"""immediate_dominators on adjacency dicts gives networkx's mapping (the immediate dominator is unique)."""

from __future__ import annotations

import networkx as nx
from hypothesis import given, settings
from hypothesis import strategies as st

from chainkg.graph.dominators import immediate_dominators


def by_hand() -> nx.DiGraph:
    # s → a → c, s → b → c, c → d, d → c (a cycle), d → e; x is unreachable from s.
    g = nx.DiGraph([("s", "a"), ("s", "b"), ("a", "c"), ("b", "c"), ("c", "d"), ("d", "c"), ("d", "e"), ("x", "s")])
    return g


def test_small_graph_by_hand():
    g = by_hand()
    assert immediate_dominators(g._succ, g._pred, "s") == {"s": "s", "a": "s", "b": "s", "c": "s", "d": "c",
                                                          "e": "d"}
    # Reversed (post-dominators from e): every path into e passes d, and into d passes c.
    assert immediate_dominators(g._pred, g._succ, "e") == {"e": "e", "d": "e", "c": "d", "a": "c", "b": "c",
                                                          "s": "c", "x": "s"}


@settings(max_examples=300, deadline=None)
@given(n=st.integers(1, 14), edges=st.lists(st.tuples(st.integers(0, 13), st.integers(0, 13)), max_size=40),
       start=st.integers(0, 13))
def test_same_as_networkx_on_random_graphs(n, edges, start):
    g = nx.DiGraph()
    g.add_nodes_from(range(n))
    g.add_edges_from((u % n, v % n) for u, v in edges)  # self-loops and cycles included
    s = start % n

    def without_start(idom: dict) -> dict:  # networkx ≥ 3.5 leaves ``start`` out, older versions map it to itself
        return {k: v for k, v in idom.items() if k != s}

    mine = immediate_dominators(g._succ, g._pred, s)
    assert mine[s] == s and without_start(mine) == without_start(nx.immediate_dominators(g, s))
    r = g.reverse(copy=True)
    assert without_start(immediate_dominators(g._pred, g._succ, s)) == without_start(nx.immediate_dominators(r, s))
