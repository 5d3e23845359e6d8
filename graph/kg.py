"""The embedded engine: a typed knowledge graph around a networkx MultiDiGraph.

Nodes are keyed by their ``id``; each stores ``type`` plus its properties.
Relationships are keyed by ``(from, to, type)`` (the edge key is the type), so
merging the same relationship twice leaves one edge.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import chain
from typing import Any

from chainkg.errors import GraphError, NotFoundError

from .text import name_key, name_keys


class SchemaError(GraphError):
    """A record that breaks the schema; ``problems`` lists every (field, reason)."""

    def __init__(self, what: str, problems: list[Any]):
        self.problems = problems
        detail = "; ".join(f"{p.field}: {p.reason}" for p in problems)
        super().__init__(f"{what}: {detail}")


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    type: str
    props: dict[str, Any]


class KnowledgeGraph:
    """A typed industrial-chain graph.

    >>> kg = KnowledgeGraph()
    >>> _ = kg.merge_node("Source", {"id": "s", "title": "notes"})
    >>> _ = kg.merge_node("Chain", {"id": "c", "name": "新能源电池", "verified": True,
    ...     "provenance": "template", "source": "s"})
    >>> kg.find("新能源電池")
    ['c']
    >>> kg.node_type("c")
    'Chain'
    """

    def __init__(self, meta: dict[str, Any] | None = None, *, graph: Any = None) -> None:
        if graph is None:
            import networkx as nx  # on first use: `chainkg --help` never loads it

            graph = nx.MultiDiGraph()
        #: The networkx MultiDiGraph (edge key = relationship type); for a read-only load from a workspace, a
        #: :class:`~chainkg.graph.lazygraph.LazyMultiDiGraph` that imports networkx only if it is needed.
        self.g = graph
        #: Dataset metadata: name, home_region, description …
        self.meta: dict[str, Any] = dict(meta or {})
        #: name key → ids; built on the first lookup (:meth:`reindex`), then kept up to date.
        self._names: dict[str, set[str]] | None = None
        #: Set by a read-only load (the CLI's query commands): relationships may share one property dict, so
        #: :meth:`merge_node`/:meth:`merge_edge` refuse (a bug, not a user mistake) instead of changing many.
        self.read_only = False
        #: A read-only graph from the snapshot cache: name key → ids from the stored index (one bucket decoded
        #: per lookup), so a lookup never pays for indexing every name (about 1 s at 100k firms).
        self._names_lookup: Callable[[str], set[str]] | None = None
        #: A read-only graph's node ids by type (:meth:`_by_type`), built on first use.
        self._type_index: dict[str, list[str]] | None = None

    # ------------------------------------------------------------------ nodes
    def merge_node(self, node_type: str, props: dict[str, Any], *, validate: bool = True) -> str:
        """Add a node, or update the node with the same id (same type only). Returns its id."""
        self._check_writable()
        from chainkg.schema import SCHEMA, check_node  # on first write: reading a workspace never needs it
        from chainkg.schema.validate import normalise

        nt = SCHEMA.node_type(node_type)
        if validate:
            problems = check_node(nt, props)
            if problems:
                raise SchemaError(f"{node_type} {props.get('id')!r}", problems)
            props = normalise(nt.properties, props, edge=False)
        node_id = props["id"]
        if node_id in self.g:
            existing = self.g.nodes[node_id]
            if existing["type"] != node_type:
                raise GraphError(f"id {node_id!r} is already a {existing['type']}, not a {node_type}")
            self._unindex(node_id)
            existing.update({k: v for k, v in props.items() if k != "id"})
        else:
            self.g.add_node(node_id, type=node_type, **{k: v for k, v in props.items() if k != "id"})
        self._index(node_id)
        return node_id

    def _check_writable(self) -> None:
        if self.read_only:
            raise RuntimeError("this graph was loaded read-only (its relationships share property dicts); "
                               "load it with read_only=False to change it")

    def _names_of(self, node_id: str) -> list[str]:
        data = self.g.nodes[node_id]
        names = [node_id]
        for key in ("name", "title"):
            if data.get(key):
                names.append(data[key])
        names.extend(data.get("aliases") or ())
        return names

    def _index(self, node_id: str) -> None:
        if self._names is None:  # not built yet: the first lookup indexes every node
            return
        for n in self._names_of(node_id):
            self._names[name_key(n)].add(node_id)

    def _unindex(self, node_id: str) -> None:
        if self._names is None:
            return
        for n in self._names_of(node_id):
            ids = self._names.get(name_key(n))
            if ids:
                ids.discard(node_id)

    def reindex(self, node_ids: Iterable[str] | None = None) -> None:
        """(Re)build the name index now; with ``node_ids``, index just those (new or renamed) nodes.

        Otherwise the index is built on the first lookup. Bulk builders (workspace reads, generators,
        importers) add nodes to the networkx graph without :meth:`merge_node`; a later lookup sees
        them. All names are converted in one batch (NFKC, Traditional → Simplified, case fold): at
        100k firms that is a tenth of a second where one OpenCC call per name took seconds.
        """
        if node_ids is not None:
            if self._names is not None:
                for n in node_ids:
                    self._index(n)
            return
        names: list[str] = []
        owners: list[str] = []
        for node_id in self.g._node:
            for n in self._names_of(node_id):
                if isinstance(n, str):
                    names.append(n)
                    owners.append(node_id)
        keys = name_keys(names)
        index: dict[str, set[str]] = defaultdict(set)
        for k, node_id in zip(keys, owners, strict=True):
            index[k].add(node_id)
        self._names = index

    def has(self, node_id: str) -> bool:
        return node_id in self.g

    def get(self, node_id: str) -> dict[str, Any]:
        """The node's properties, with ``id`` and ``type`` (a copy)."""
        if node_id not in self.g:
            raise GraphError(f"no node with id {node_id!r}")
        return {"id": node_id, **self.g.nodes[node_id]}

    def node_type(self, node_id: str) -> str:
        return self.g.nodes[node_id]["type"]

    def name(self, node_id: str) -> str:
        data = self.g._node[node_id]  # the raw dict: this is called for every row of every query
        return data.get("name") or data.get("title") or node_id

    def nodes(self, node_type: str | None = None) -> Iterator[str]:
        """Ids of all nodes (of one type), in insertion order."""
        if node_type is None:
            yield from self.g._node
        elif self.read_only:
            yield from self._by_type().get(node_type, ())
        else:
            for n, d in self.g._node.items():
                if d["type"] == node_type:
                    yield n

    def _by_type(self) -> dict[str, list[str]]:
        """Node type → ids in insertion order, for a graph that cannot change: built once (one pass over the
        nodes, ~10 ms at 100k firms), where each ``nodes(type)`` would be such a pass (a query asks several)."""
        if self._type_index is None:
            index: dict[str, list[str]] = {}
            for n, d in self.g._node.items():
                ids = index.get(d["type"])
                if ids is None:
                    ids = index[d["type"]] = []
                ids.append(n)
            self._type_index = index
        return self._type_index

    def __len__(self) -> int:
        return self.g.number_of_nodes()

    # ------------------------------------------------------------------ edges
    def merge_edge(
        self, rel_type: str, source: str, target: str, props: dict[str, Any], *, validate: bool = True
    ) -> None:
        """Add the relationship (source)-[rel_type]->(target) or update its properties."""
        self._check_writable()
        from chainkg.schema import SCHEMA, check_edge
        from chainkg.schema.validate import normalise

        rt = SCHEMA.rel_type(rel_type)
        for end, node in (("from", source), ("to", target)):
            if node not in self.g:
                raise GraphError(f"{rel_type} {end} end {node!r} is not a node in the graph")
        if validate:
            problems = check_edge(rt, props, self.node_type(source), self.node_type(target))
            if problems:
                raise SchemaError(f"{rel_type} {source!r}→{target!r}", problems)
            props = normalise(rt.properties, props, edge=True)
        if self.g.has_edge(source, target, key=rel_type):
            self.g.edges[source, target, rel_type].update(props)
        else:
            self.g.add_edge(source, target, key=rel_type, type=rel_type, **props)

    def has_edge(self, source: str, target: str, rel_type: str) -> bool:
        return self.g.has_edge(source, target, key=rel_type)

    def edge(self, source: str, target: str, rel_type: str) -> dict[str, Any]:
        return dict(self.g.edges[source, target, rel_type])

    def edges(self, rel_type: str | None = None) -> Iterator[Edge]:
        for u, v, k, d in self.g.edges(keys=True, data=True):
            if rel_type is None or k == rel_type:
                yield Edge(u, v, k, d)

    def out(self, node_id: str, rel_type: str) -> list[str]:
        """Targets of ``node_id``'s outgoing ``rel_type`` relationships."""
        # The edge key is the relationship type, so the adjacency dict answers directly.
        return [v for v, keys in self.g._succ[node_id].items() if rel_type in keys]

    def into(self, node_id: str, rel_type: str) -> list[str]:
        """Sources of ``node_id``'s incoming ``rel_type`` relationships."""
        return [u for u, keys in self.g._pred[node_id].items() if rel_type in keys]

    def neighbours(self, node_id: str) -> list[tuple[str, str, str]]:
        """Every relationship touching the node as (direction 'out'|'in', type, other id)."""
        # networkx's out_edges/in_edges(node_id, keys=True) order, from the adjacency dicts.
        rows = [("out", k, v) for v, keys in self.g._succ.get(node_id, {}).items() for k in keys]
        rows += [("in", k, u) for u, keys in self.g._pred.get(node_id, {}).items() for k in keys]
        return rows

    # ----------------------------------------------------------------- lookup
    def find(self, text: str, node_type: str | None = None) -> list[str]:
        """Ids whose id, name or alias matches ``text`` (Simplified or Traditional), sorted."""
        key = name_key(text)
        if self._names is None and self._names_lookup is not None and self.read_only:
            ids = self._names_lookup(key)
        else:
            if self._names is None:
                self.reindex()
            assert self._names is not None
            ids = self._names.get(key, set())
        if node_type is not None:
            ids = {i for i in ids if self.node_type(i) == node_type}
        return sorted(ids)

    def resolve(self, text: str, node_type: str | None = None) -> str:
        """The one node ``text`` names (an id, a name or an alias), or a clear :class:`GraphError`."""
        if text in self.g and (node_type is None or self.node_type(text) == node_type):
            return text
        ids = self.find(text, node_type)
        what = f"{node_type} " if node_type else ""
        if not ids:
            from .lookup import search_nodes

            # A close name helps; past 50k nodes the substring scan would make a typo cost seconds.
            close = [r["name"] for r in search_nodes(self, text, node_type, limit=3)] if len(self) <= 50_000 else []
            raise NotFoundError(f"no {what}node named {text!r}", close, subject=(node_type or "node", text))
        if len(ids) > 1:
            raise GraphError(f"{text!r} names {len(ids)} {what}nodes: {', '.join(ids)}; use an id")
        return ids[0]

    # ------------------------------------------------------------- structure
    def region_closure(self, region_id: str) -> set[str]:
        """The region and every region PART_OF it, at any depth."""
        seen = {region_id}
        stack = [region_id]
        while stack:
            r = stack.pop()
            for child in self.into(r, "PART_OF"):
                if child not in seen:
                    seen.add(child)
                    stack.append(child)
        return seen

    def chain_of(self, segment_id: str) -> str | None:
        chains = self.into(segment_id, "HAS_SEGMENT")
        return chains[0] if chains else None

    def segments_of(self, chain_id: str) -> list[str]:
        """A chain's segments by their template order, then id."""
        segs = self.out(chain_id, "HAS_SEGMENT")
        return sorted(segs, key=lambda s: (self.g.nodes[s].get("order", 10**9), s))

    def subgraph(self, node_ids: Iterable[str]) -> KnowledgeGraph:
        """A new graph with these nodes, the relationships among them and the Sources they cite."""
        keep = set(node_ids)
        for n in list(keep):
            src = self.g.nodes[n].get("source")
            if src in self.g:
                keep.add(src)
        for u, v, d in self.g.edges(data=True):
            if u in keep and v in keep and d.get("source") in self.g:
                keep.add(d["source"])
        out = KnowledgeGraph(self.meta)
        out.g = self.g.subgraph(keep).copy()
        for n in out.g:
            out._index(n)
        return out

    def chain_subgraph(self, chain_id: str) -> KnowledgeGraph:
        """A chain with its segments, the enterprises and projects in them, and their direct context."""
        keep = {chain_id, *self.segments_of(chain_id)}
        keep.update(self.into(chain_id, "LEADS"))
        keep.update(self.into(chain_id, "ANCHORS"))
        keep.update(self.into(chain_id, "IN_CHAIN"))
        for s in list(keep):
            if self.node_type(s) == "Segment":
                keep.update(self.into(s, "OPERATES_IN"))
                keep.update(self.into(s, "IN_SEGMENT"))
        for n in list(keep):
            if self.node_type(n) in ("Enterprise", "Project"):
                keep.update(self.out(n, "LOCATED_IN"))
                keep.update(self.into(n, "INVESTS"))
                keep.update(self.out(n, "SIGNED_AT"))
        return self.subgraph(keep)

    def region_subgraph(self, region_id: str) -> KnowledgeGraph:
        """Everything located in the region (at any depth) with the regions themselves."""
        regions = self.region_closure(region_id)
        keep = set(regions)
        for r in regions:
            keep.update(self.into(r, "LOCATED_IN"))
        return self.subgraph(keep)

    # ------------------------------------------------------------- summaries
    def counts(self) -> dict[str, Counter]:
        """Counts per node type, relationship type and provenance kind."""
        # Over the adjacency dicts (the edge key is the type): networkx's edge views cost seconds at 100k firms.
        node_data = self.g._node.values()
        nodes = Counter(d.get("type") for d in node_data)
        prov = Counter(d.get("provenance", "—") for d in node_data if d["type"] != "Source")
        # Each node pair's key dict once, with how many pairs hold it: a read-only graph from the snapshot
        # shares equal key dicts (477k pairs, 279 dicts at 100k firms), so the Python loop runs 279 times;
        # the pass over the pairs is C (chain, map, Counter). Counts and first-seen order as pair by pair.
        pairs = list(chain.from_iterable(map(dict.values, self.g._succ.values())))
        held = Counter(map(id, pairs))
        by_id = dict(zip(map(id, pairs), pairs, strict=True))
        edges: Counter = Counter()
        for i, n in held.items():
            for k, d in by_id[i].items():
                edges[k] += n
                prov[d.get("provenance", "—")] += n
        return {"nodes": nodes, "edges": edges, "provenance": prov}

    def copy(self) -> KnowledgeGraph:
        out = KnowledgeGraph(self.meta)
        out.g = self.g.copy()
        if self._names is not None:
            out._names = defaultdict(set, {k: set(v) for k, v in self._names.items()})
        return out

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, KnowledgeGraph):
            return NotImplemented
        return graph_signature(self) == graph_signature(other) and self.meta == other.meta


def graph_signature(kg: KnowledgeGraph) -> tuple:
    """An order-independent, hashable description of every node and edge with its properties."""

    def freeze(d: dict[str, Any]) -> tuple:
        return tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in d.items()))

    nodes = sorted((n, freeze(d)) for n, d in kg.g.nodes(data=True))
    edges = sorted((u, v, k, freeze(d)) for u, v, k, d in kg.g.edges(keys=True, data=True))
    return tuple(nodes), tuple(edges)
