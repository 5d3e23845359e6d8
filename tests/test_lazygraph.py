"""The read-only graph without networkx (graph/lazygraph.py): answers as networkx does, imports it only when needed."""

from __future__ import annotations

import os
import subprocess
import sys

import networkx as nx
import pytest

from chainkg.data import kunming
from chainkg.graph import workspace as ws
from chainkg.graph.kg import KnowledgeGraph
from chainkg.graph.lazygraph import LazyMultiDiGraph


@pytest.fixture(scope="module")
def pair() -> tuple[nx.MultiDiGraph, LazyMultiDiGraph]:
    real = kunming().g
    return real, LazyMultiDiGraph(real._node, real._succ, real._pred)


def test_nodes_membership_and_order_as_networkx(pair):
    real, lazy = pair
    assert list(lazy) == list(real) and len(lazy) == len(real) == lazy.number_of_nodes()
    assert list(lazy.nodes) == list(real.nodes) and len(lazy.nodes) == len(real.nodes)
    for n in real:
        assert lazy.nodes[n] is real.nodes[n] and n in lazy and n in lazy.nodes
    for absent in ("no such node", ["unhashable"], None):
        assert (absent in lazy) == (absent in real) is False
    with pytest.raises(KeyError):
        lazy.nodes["no such node"]


def test_edges_and_has_edge_as_networkx(pair):
    real, lazy = pair
    edges = list(real.edges(keys=True))
    assert len(edges) > 400
    for u, v, k in edges:
        assert lazy.edges[u, v, k] is real.edges[u, v, k]
        assert lazy.has_edge(u, v) and lazy.has_edge(u, v, k)
        assert not lazy.has_edge(u, v, k + "_NOT") and not real.has_edge(u, v, k + "_NOT")
        assert lazy.has_edge(v, u) == real.has_edge(v, u)
    assert not lazy.has_edge("no such node", edges[0][1]) and not lazy.has_edge(edges[0][0], "no such node")
    with pytest.raises(KeyError):
        lazy.edges[edges[0][0], "no such node", edges[0][2]]


def test_anything_else_is_networkx_on_the_same_dicts(pair):
    real, lazy = pair
    assert list(lazy.edges(keys=True, data=True)) == list(real.edges(keys=True, data=True))
    assert list(lazy.nodes(data=True)) == list(real.nodes(data=True))
    assert lazy.number_of_edges() == real.number_of_edges()
    n = next(iter(real))
    assert list(lazy.out_edges(n, keys=True)) == list(real.out_edges(n, keys=True))
    assert lazy.real()._succ is real._succ and lazy.real()._node is real._node
    assert nx.utils.graphs_equal(lazy.subgraph(list(real)[:50]).copy(), real.subgraph(list(real)[:50]).copy())


def test_neighbours_from_the_dicts_as_networkx_gives_them():
    kg = kunming()
    lazy = KnowledgeGraph(kg.meta, graph=LazyMultiDiGraph(kg.g._node, kg.g._succ, kg.g._pred))
    for n in kg.g:
        # networkx's own views, not the method under test
        want = [("out", k, v) for _, v, k in kg.g.out_edges(n, keys=True)]
        want += [("in", k, u) for u, _, k in kg.g.in_edges(n, keys=True)]
        assert kg.neighbours(n) == lazy.neighbours(n) == want


QUERY_COMMANDS = [["info"], ["gaps", "coverage"], ["gaps", "missing"], ["gaps", "weak"], ["gaps", "extend"],
                  ["gaps", "dependencies"], ["gaps", "chokepoints"], ["gaps", "capability"], ["gaps", "supply"],
                  ["pipeline"],
                  ["targets", "--limit", "5"], ["search", "昆明"], ["show", "昆明市"]]


def test_query_commands_never_import_networkx(tmp_path):
    """`import networkx` is 0.15–0.2 s of each command: the queries that need only the dicts must not pay it."""
    ws.save(kunming(), tmp_path / "k.chainkg")
    script = (
        "import sys\n"
        "from chainkg.cli import main\n"
        f"for args in {QUERY_COMMANDS!r}:\n"
        "    try:\n"
        "        main(['--graph', 'k.chainkg', *args, '--format', 'json'])\n"
        "    except SystemExit as e:\n"
        "        assert not e.code, (args, e.code)\n"
        "    print('networkx' in sys.modules, file=sys.stderr)\n"
    )
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    r = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True,
                       timeout=300)
    assert r.returncode == 0, r.stderr
    imported = r.stderr.split()
    assert imported == ["False"] * len(QUERY_COMMANDS), list(zip(QUERY_COMMANDS, imported, strict=False))
    assert len(r.stdout) > 1000


def test_read_only_nodes_by_type_are_the_scan_in_order():
    """A read-only graph answers ``nodes(type)`` from an index built once; ids and order as a scan gives them."""
    writable = kunming()
    read_only = KnowledgeGraph(writable.meta, graph=LazyMultiDiGraph(writable.g._node, writable.g._succ,
                                                                       writable.g._pred))
    read_only.read_only = True
    types = {d["type"] for d in writable.g._node.values()}
    assert len(types) >= 8
    for t in (*sorted(types), "NoSuchType"):
        want = [n for n, d in writable.g._node.items() if d["type"] == t]
        assert list(read_only.nodes(t)) == list(writable.nodes(t)) == want
    assert read_only._type_index is not None and writable._type_index is None
