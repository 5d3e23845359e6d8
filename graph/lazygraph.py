"""A read-only ``networkx.MultiDiGraph`` whose networkx is imported only when a caller needs more than its dicts.

``import networkx`` costs 0.15–0.2 s (its algorithms, generators, readers and backend registry), a fifth of a
query command at 100k firms. The queries read a graph through its three dicts — ``_node`` (id → data),
``_succ``/``_adj`` and ``_pred`` (id → neighbour → key dict) — and a few look-ups on top of them
(``g.nodes[n]``, ``g.edges[u, v, k]``, ``has_edge``, ``n in g``, ``len(g)``), all answered here from the
dicts exactly as networkx answers them. Anything else (``g.edges(data=True)``, ``g.subgraph``, ``g.copy`` …)
builds the real MultiDiGraph on the same dicts, once, and hands the call to it, so every networkx
behaviour stays available and identical.

Only for read-only graphs (:attr:`KnowledgeGraph.read_only`: the CLI's query commands), which nothing
changes: the proxy and the networkx graph it may build share the dicts, with no other state to keep in step.

>>> g = LazyMultiDiGraph({"a": {"type": "X"}, "b": {}}, {"a": {"b": {"R": {"type": "R"}}}, "b": {}},
...                      {"a": {}, "b": {"a": {"R": {"type": "R"}}}})
>>> g.nodes["a"], g.edges["a", "b", "R"], g.has_edge("a", "b", "R"), "c" in g, len(g)
({'type': 'X'}, {'type': 'R'}, True, False, 2)
>>> sorted(g.edges(keys=True))  # anything else: the real networkx graph
[('a', 'b', 'R')]
"""

from __future__ import annotations

from typing import Any


class LazyMultiDiGraph:
    """The dicts of a read-only MultiDiGraph; networkx's own graph over them on first need (see the module)."""

    __slots__ = ("_adj", "_node", "_nx", "_pred", "_succ", "edges", "nodes")

    def __init__(self, node: dict[str, dict[str, Any]], succ: dict[str, dict[str, Any]],
                 pred: dict[str, dict[str, Any]]) -> None:
        self._node = node
        self._adj = self._succ = succ
        self._pred = pred
        self._nx: Any = None
        self.nodes = _Nodes(self)
        self.edges = _Edges(self)

    def real(self) -> Any:
        """The networkx MultiDiGraph over the same dicts (imports networkx the first time)."""
        if self._nx is None:
            import networkx as nx

            g = nx.MultiDiGraph()
            g._node = self._node
            g._adj = g._succ = self._succ
            g._pred = self._pred
            self._nx = g
        return self._nx

    def __getattr__(self, name: str) -> Any:  # only for names not defined here
        return getattr(self.real(), name)

    def __contains__(self, n: object) -> bool:
        try:
            return n in self._node
        except TypeError:  # as networkx: an unhashable id is not a node
            return False

    def __len__(self) -> int:
        return len(self._node)

    def __iter__(self):
        return iter(self._node)

    def __getitem__(self, n: str) -> Any:
        return self.real()[n]

    def number_of_nodes(self) -> int:
        return len(self._node)

    def has_edge(self, u: str, v: str, key: str | None = None) -> bool:
        try:
            if key is None:
                return v in self._succ[u]
            return key in self._succ[u][v]
        except KeyError:
            return False


class _Nodes:
    """``g.nodes``: ``g.nodes[n]`` is the node's data dict; anything else is networkx's NodeView."""

    __slots__ = ("_g",)

    def __init__(self, g: LazyMultiDiGraph) -> None:
        self._g = g

    def __getitem__(self, n: str) -> dict[str, Any]:
        if isinstance(n, slice):
            return self._g.real().nodes[n]  # networkx's error for a slice
        return self._g._node[n]

    def __iter__(self):
        return iter(self._g._node)

    def __len__(self) -> int:
        return len(self._g._node)

    def __contains__(self, n: object) -> bool:
        return n in self._g

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self._g.real().nodes(*args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._g.real().nodes, name)


class _Edges:
    """``g.edges``: ``g.edges[u, v, key]`` is the relationship's data dict; anything else is networkx's view."""

    __slots__ = ("_g",)

    def __init__(self, g: LazyMultiDiGraph) -> None:
        self._g = g

    def __getitem__(self, e: Any) -> dict[str, Any]:
        if isinstance(e, tuple) and len(e) == 3:
            u, v, k = e
            return self._g._succ[u][v][k]
        return self._g.real().edges[e]

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self._g.real().edges(*args, **kwargs)

    def __iter__(self):
        return iter(self._g.real().edges)

    def __len__(self) -> int:
        return len(self._g.real().edges)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._g.real().edges, name)
