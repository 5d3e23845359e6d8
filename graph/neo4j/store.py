"""Moving a graph between the embedded engine and Neo4j: push, pull, wipe, status.

Layout in Neo4j: one node per chainkg node, labelled ``:Chainkg`` and with its
schema type, keyed by (``_graph``, ``id``): ``_graph`` is the name of the graph
(``Settings.graph``, ``--name``), so several graphs (cities) live side by side in
one database, and data that is not chainkg's — even with the same labels and ids —
is never matched, constrained, changed or deleted. One relationship per chainkg
relationship, typed by its schema type and carrying ``_graph`` too; properties as
they are (lists stay lists). Bookkeeping that :func:`pull` strips again:

* ``_seq`` on every node and relationship: its position in the embedded graph,
  so a pull restores the same order and the queries that depend on insertion
  order (a firm's first segment) answer alike on both engines;
* one ``:ChainkgMeta {_graph: name}`` node per graph holding its metadata as JSON
  (name, home region …), whether the last push completed, and its counts.

Labels and relationship types in Cypher text come only from :data:`SCHEMA`;
every value travels as a parameter.
"""

from __future__ import annotations

import json
import re
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from chainkg.errors import InvalidArgument
from chainkg.graph.kg import GraphError, KnowledgeGraph
from chainkg.graph.workspace import from_document
from chainkg.schema import SCHEMA
from chainkg.schema.cypher import GRAPH_KEY, META_LABEL, OWNER_LABEL, constraint_statements, legacy_statements

from .connection import Connection, Neo4jFailure

SEQ = "_seq"
HIDDEN = (SEQ, GRAPH_KEY)
#: A chainkg node of the current graph, in a node pattern: ``(n:Region {OWN, id: $id})`` → add ``:Chainkg``.
OWN = f"{GRAPH_KEY}: $graph"
DEFAULT_BATCH = 5000
NODE_LABELS = tuple(nt.name for nt in SCHEMA.node_types)
REL_TYPES = tuple(rt.name for rt in SCHEMA.rel_types)
_IDENT = re.compile(r"^[A-Z][A-Za-z0-9_]*$")

Progress = Callable[[int], None]


class PushFailed(Neo4jFailure):
    """A push stopped part-way; running it again completes it (everything is merged by id)."""


def _label(name: str) -> str:
    """A node label for Cypher text: only schema node types pass."""
    if name not in NODE_LABELS or not _IDENT.match(name):
        raise GraphError(f"{name!r} is not a chainkg node type")
    return name


def _rel_type(name: str) -> str:
    if name not in REL_TYPES or not _IDENT.match(name):
        raise GraphError(f"{name!r} is not a chainkg relationship type")
    return name


_SCALARS = (str, bool, int, float)


def _value(owner: str, key: str, v: Any) -> Any:
    """A property value Neo4j can store (scalars and lists of one scalar type), or a clear error."""
    if isinstance(v, _SCALARS):
        return v
    if isinstance(v, list | tuple):
        kinds = {bool if isinstance(x, bool) else type(x) for x in v}
        if len(kinds) <= 1 and all(isinstance(x, _SCALARS) for x in v):
            return list(v)
    raise GraphError(f"{owner}: property {key!r} holds {v!r}, which Neo4j cannot store "
                     "(only text, numbers, booleans and lists of one of these)")


def _props(owner: str, data: dict[str, Any], seq: int, skip: str = "type") -> dict[str, Any]:
    out = {k: _value(owner, k, v) for k, v in data.items() if k != skip and v is not None}
    out[SEQ] = seq
    return out


@dataclass(frozen=True)
class Batch:
    """One parameterised statement and its rows."""

    what: str
    query: str
    rows: list[dict[str, Any]]


def node_query(label: str) -> str:
    return (f"UNWIND $rows AS row MERGE (n:{OWNER_LABEL} {{{OWN}, id: row.id}}) "
            f"SET n = row.props, n.{GRAPH_KEY} = $graph, n:{_label(label)}")


def rel_query(rel: str, src: str, dst: str) -> str:
    return (f"UNWIND $rows AS row MATCH (a:{OWNER_LABEL} {{{OWN}, id: row.from}}) WHERE a:{_label(src)} "
            f"MATCH (b:{OWNER_LABEL} {{{OWN}, id: row.to}}) WHERE b:{_label(dst)} "
            f"MERGE (a)-[r:{_rel_type(rel)}]->(b) SET r = row.props, r.{GRAPH_KEY} = $graph")


def batches(kg: KnowledgeGraph, size: int = DEFAULT_BATCH) -> Iterator[Batch]:
    """The graph as statements: nodes label by label, then relationships by (type, end labels)."""
    if size < 1:
        raise InvalidArgument("batch size must be at least 1")
    g = kg.g
    by_label: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for seq, (n, d) in enumerate(g.nodes(data=True)):
        by_label[_label(d["type"])].append({"id": n, "props": {"id": n, **_props(f"node {n!r}", d, seq)}})
    by_rel: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
    for seq, (u, v, k, d) in enumerate(g.edges(keys=True, data=True)):
        key = (_rel_type(k), g.nodes[u]["type"], g.nodes[v]["type"])
        by_rel[key].append({"from": u, "to": v, "props": _props(f"{k} {u!r}→{v!r}", d, seq)})
    for label in NODE_LABELS:
        rows = by_label.get(label, [])
        for i in range(0, len(rows), size):
            yield Batch(f"{label} nodes", node_query(label), rows[i:i + size])
    for key in sorted(by_rel, key=lambda t: (REL_TYPES.index(t[0]), t[1], t[2])):
        rows = by_rel[key]
        for i in range(0, len(rows), size):
            yield Batch(f"{key[0]} relationships", rel_query(*key), rows[i:i + size])


@dataclass(frozen=True)
class PushReport:
    nodes: int
    relationships: int
    seconds: float

    @property
    def rows_per_second(self) -> float:
        return (self.nodes + self.relationships) / self.seconds if self.seconds > 0 else float("inf")


def ensure_schema(conn: Connection) -> None:
    """Create the constraints and indexes from the schema (idempotent); drop chainkg's old unscoped ones."""
    have = {r["name"] for q in ("SHOW CONSTRAINTS YIELD name", "SHOW INDEXES YIELD name") for r in conn.read(q)}
    for stmt in legacy_statements():
        if stmt.split()[2] in have:
            conn.run_autocommit(stmt)
    for stmt in constraint_statements():
        if stmt.split()[2] not in have:
            conn.run_autocommit(stmt)


def await_schema(conn: Connection, timeout_s: int = 600) -> None:
    """Wait until every index (those behind the constraints too) is online."""
    conn.run_autocommit(f"CALL db.awaitIndexes({int(timeout_s)})")


def finish_import(conn: Connection) -> bool:
    """After ``chainkg neo4j import``: constraints and indexes, the pending properties, then complete.

    Returns whether there was an import to finish (otherwise only the schema is ensured).
    """
    ensure_schema(conn)
    await_schema(conn)
    info = read_meta(conn)
    if not info or not info.get("pending"):
        return False
    pending = json.loads(info["pending"])
    if pending.get("nodes"):
        conn.write(f"UNWIND $rows AS r MATCH (n:{OWNER_LABEL} {{{OWN}, id: r.id}}) SET n += r.props",
                   rows=pending["nodes"])
    if pending.get("relationships"):
        conn.write(f"UNWIND $rows AS r MATCH (a:{OWNER_LABEL} {{{OWN}, id: r.from}})-[x]->"
                   f"(b:{OWNER_LABEL} {{{OWN}, id: r.to}}) WHERE x.{SEQ} = r.seq AND x.{GRAPH_KEY} = $graph "
                   "SET x += r.props", rows=pending["relationships"])
    conn.write(f"MATCH (m:{META_LABEL} {{{OWN}}}) SET m.complete = true, m.pushed_at = datetime() "
               "REMOVE m.pending")
    return True


def _write_batch(conn: Connection, batch: Batch) -> None:
    conn.write(batch.query, rows=batch.rows)


def push(
    kg: KnowledgeGraph,
    conn: Connection,
    *,
    batch_size: int = DEFAULT_BATCH,
    progress: Progress | None = None,
) -> PushReport:
    """Merge the whole graph into Neo4j: constraints first, then nodes, then relationships.

    Idempotent: nodes are merged by id and relationships by (from, to, type),
    and each gets exactly the properties it has locally. Each batch is its own
    transaction; if one fails, :class:`PushFailed` says how far it got and a
    re-run completes the push.
    """
    started = time.perf_counter()
    try:
        meta = json.dumps(kg.meta, ensure_ascii=False, sort_keys=True)
    except (TypeError, ValueError) as e:
        raise GraphError(f"the graph's metadata cannot be stored as JSON ({e})") from None
    ensure_schema(conn)
    work = list(batches(kg, batch_size))
    total = sum(len(b.rows) for b in work)
    n_nodes = kg.g.number_of_nodes()
    n_rels = kg.g.number_of_edges()
    conn.write(
        f"MERGE (m:{META_LABEL} {{{OWN}}}) SET m.meta = $meta, m.complete = false, m.pushed_at = datetime()",
        meta=meta,
    )
    done = 0
    for b in work:
        try:
            _write_batch(conn, b)
        except GraphError as e:
            raise PushFailed(
                f"push stopped after {done} of {total} rows, while writing {b.what}: {e}; "
                "run the push again to complete it"
            ) from None
        done += len(b.rows)
        if progress:
            progress(len(b.rows))
    conn.write(
        f"MATCH (m:{META_LABEL} {{{OWN}}}) SET m.complete = true, m.nodes = $nodes, m.relationships = $rels",
        nodes=n_nodes, rels=n_rels,
    )
    return PushReport(n_nodes, n_rels, time.perf_counter() - started)


def _plain(v: Any) -> Any:
    """Driver values back to what the embedded graph holds (temporal values as ISO text)."""
    if isinstance(v, list):
        return [_plain(x) for x in v]
    if hasattr(v, "iso_format"):
        return v.iso_format()
    return v


def _seq_key(seq: Any, ident: Any) -> tuple:
    return (0, seq, str(ident)) if isinstance(seq, int) else (1, 0, str(ident))


def read_meta(conn: Connection) -> dict[str, Any] | None:
    """The ChainkgMeta node's fields (meta decoded), or None when nothing was pushed."""
    recs = conn.read(f"MATCH (m:{META_LABEL} {{{OWN}}}) RETURN properties(m) AS p")
    if not recs:
        return None
    p = dict(recs[0]["p"])
    try:
        p["meta"] = json.loads(p.get("meta") or "{}")
    except ValueError:
        p["meta"] = {}
    return p


def pull(conn: Connection) -> KnowledgeGraph:
    """Read chainkg's nodes and relationships back into an embedded graph (equal to the one pushed)."""
    info = read_meta(conn)
    nodes: list[tuple[tuple, dict[str, Any]]] = []
    types: dict[str, str] = {}
    for label in NODE_LABELS:
        for rec in conn.read(f"MATCH (n:{OWNER_LABEL}:{_label(label)} {{{OWN}}}) RETURN properties(n) AS p"):
            props = {k: _plain(v) for k, v in rec["p"].items() if k != GRAPH_KEY}
            node_id = props.get("id")
            if node_id is None:
                continue
            if node_id in types:
                raise GraphError(f"id {node_id!r} is both a {types[node_id]} and a {label} in Neo4j; "
                                 "fix the database or wipe it and push again")
            types[node_id] = label
            seq = props.pop(SEQ, None)
            props["type"] = label
            nodes.append((_seq_key(seq, node_id), props))
    if info is None and not nodes:
        raise Neo4jFailure(
            f"Neo4j database {conn.settings.database!r} at {conn.settings.where} holds no chainkg graph "
            f"named {conn.settings.graph!r} (push one with `chainkg neo4j push --name {conn.settings.graph}`)"
        )
    edges: list[tuple[tuple, dict[str, Any]]] = []
    for rel in REL_TYPES:
        q = (f"MATCH (a:{OWNER_LABEL} {{{OWN}}})-[r:{_rel_type(rel)} {{{OWN}}}]->(b:{OWNER_LABEL} {{{OWN}}}) "
             "RETURN a.id AS a, b.id AS b, properties(r) AS p")
        for rec in conn.read(q):
            if rec["a"] not in types or rec["b"] not in types:
                continue  # an end that is not a chainkg node
            props = {k: _plain(v) for k, v in rec["p"].items() if k != GRAPH_KEY}
            seq = props.pop(SEQ, None)
            edges.append((_seq_key(seq, (rec["a"], rec["b"], rel)), {"from": rec["a"], "to": rec["b"],
                                                                     "type": rel, **props}))
    nodes.sort(key=lambda t: t[0])
    edges.sort(key=lambda t: t[0])
    doc = {
        "format": "chainkg-workspace",
        "version": 1,
        "meta": (info or {}).get("meta", {}),
        "nodes": [p for _, p in nodes],
        "edges": [e for _, e in edges],
    }
    return from_document(doc, f"Neo4j {conn.settings.where}")


def count_nodes(conn: Connection) -> dict[str, int]:
    """The graph's nodes per label (only labels that have some)."""
    out = {}
    for label in NODE_LABELS:
        n = conn.read(f"MATCH (n:{OWNER_LABEL}:{_label(label)} {{{OWN}}}) RETURN count(n) AS n")[0]["n"]
        if n:
            out[label] = n
    return out


def count_relationships(conn: Connection) -> dict[str, int]:
    out = {}
    for rel in REL_TYPES:
        q = f"MATCH (:{OWNER_LABEL} {{{OWN}}})-[r:{_rel_type(rel)} {{{OWN}}}]->() RETURN count(r) AS n"
        n = conn.read(q)[0]["n"]
        if n:
            out[rel] = n
    return out


def wipe(conn: Connection, batch_size: int = 10000) -> int:
    """Delete the graph's nodes (with their relationships) and its meta node; how many nodes went.

    Only nodes labelled ``:Chainkg`` whose ``_graph`` is this graph's name: other named graphs and data
    that is not chainkg's stay, whatever their labels and ids.
    """
    size = int(batch_size)
    if size < 1:
        raise InvalidArgument("batch size must be at least 1")
    n = conn.read(f"MATCH (n:{OWNER_LABEL} {{{OWN}}}) RETURN count(n) AS n")[0]["n"]
    if n:
        conn.run_autocommit(
            f"MATCH (n:{OWNER_LABEL} {{{OWN}}}) CALL {{ WITH n DETACH DELETE n }} IN TRANSACTIONS OF {size} ROWS"
        )
    conn.write(f"MATCH (m:{META_LABEL} {{{OWN}}}) DELETE m")
    return n


def graphs(conn: Connection) -> list[dict[str, Any]]:
    """Every chainkg graph in the database: name, graph meta name, home region, counts (by name)."""
    out = []
    for rec in conn.read(f"MATCH (m:{META_LABEL}) WHERE m.{GRAPH_KEY} IS NOT NULL "
                         f"RETURN m.{GRAPH_KEY} AS name, m.meta AS meta, m.nodes AS nodes, "
                         "m.relationships AS rels, m.complete AS complete ORDER BY name"):
        try:
            meta = json.loads(rec["meta"] or "{}")
        except ValueError:
            meta = {}
        out.append({"name": rec["name"], "title": meta.get("name"), "home_region": meta.get("home_region"),
                    "nodes": rec["nodes"], "relationships": rec["rels"], "complete": rec["complete"]})
    return out


def status(conn: Connection) -> dict[str, Any]:
    """Server, database, counts and what the last push left."""
    info = read_meta(conn) or {}
    meta = info.get("meta") or {}
    pushed = info.get("pushed_at")
    nodes = count_nodes(conn)
    rels = count_relationships(conn)
    return {
        "uri": conn.settings.where,
        "database": conn.settings.database,
        "name": conn.settings.graph,
        "server": conn.server(),
        "graph": meta.get("name"),
        "home_region": meta.get("home_region"),
        "pushed_at": pushed.iso_format() if hasattr(pushed, "iso_format") else pushed,
        "last_push_complete": info.get("complete"),
        "nodes": sum(nodes.values()),
        "relationships": sum(rels.values()),
        "by_label": nodes,
        "by_type": rels,
        "graphs": [g["name"] for g in graphs(conn)],
    }
