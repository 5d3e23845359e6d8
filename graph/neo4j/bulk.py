"""Initial loads at import speed: the graph as CSV files for ``neo4j-admin database import full``.

The offline importer writes the store files directly (no transactions, no MERGE), so an initial
load of a big workspace into an empty database runs several times faster than the batched
push. It produces exactly what :func:`~chainkg.graph.neo4j.store.push` would: every node with
``:Chainkg``, its schema label, ``_graph`` and ``_seq``; every relationship with ``_graph`` and
``_seq``; the ``:ChainkgMeta`` node with its counts. Constraints and indexes come after, when the
server is up again: ``chainkg neo4j schema`` (:func:`~chainkg.graph.neo4j.store.finish_import`)
creates them, sets the few properties the importer cannot write (empty lists: an empty CSV cell is
no property at all; they wait in the meta node's ``pending``) and only then marks the graph
complete.

Property types are exact: each file holds rows of one label (or relationship type and ends) and
one property signature, so an int stays a long, a float a double, a list of text a string[],
and a pull gives back an equal graph. Labels and types in the headers come from the schema only.
"""

from __future__ import annotations

import csv
import json
import math
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from chainkg.graph.kg import GraphError, KnowledgeGraph
from chainkg.schema.cypher import GRAPH_KEY, META_LABEL, OWNER_LABEL

from .store import _label, _props, _rel_type

#: Between the elements of a list property (a character no text in chainkg holds: unit separator).
ARRAY_DELIMITER = "\x1f"
META_IMPORT_ID = "\x1fchainkg-meta"


def _kind(v: Any) -> str:
    if isinstance(v, bool):
        return "boolean"
    if isinstance(v, int):
        return "long"
    if isinstance(v, float):
        if not math.isfinite(v):
            raise GraphError(f"{v!r} cannot go through the importer")
        return "double"
    if isinstance(v, str):
        if ARRAY_DELIMITER in v:
            raise GraphError("a text holds the unit-separator character; use the batched push")
        return "string"
    if isinstance(v, list):
        kinds = {_kind(x) for x in v}
        return (kinds.pop() if kinds else "string") + "[]"  # an empty list: an empty string[]
    raise GraphError(f"{v!r} cannot go through the importer")


def _cell(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return repr(v)
    if isinstance(v, list):
        return ARRAY_DELIMITER.join(_cell(x) for x in v)
    return str(v)


@dataclass(frozen=True)
class ImportFiles:
    """The CSV files and the neo4j-admin arguments that load them."""

    directory: Path
    nodes: int
    relationships: int
    args: list[str]


def _write(path: Path, header: list[str], rows: Iterator[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, quoting=csv.QUOTE_ALL, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def write_import_files(kg: KnowledgeGraph, directory: Path, graph: str) -> ImportFiles:
    """Write the graph as import CSVs into ``directory``; the ``database import full`` arguments for them.

    Every cell is quoted, so an empty text stays an empty text (an unquoted empty cell would be no property).
    """
    directory.mkdir(parents=True, exist_ok=True)
    g = kg.g
    node_groups: dict[tuple, list[tuple[str, dict[str, Any]]]] = defaultdict(list)
    pending: dict[str, list[dict[str, Any]]] = {"nodes": [], "relationships": []}
    for seq, (n, d) in enumerate(g.nodes(data=True)):
        props = _props(f"node {n!r}", d, seq)
        props.pop("id", None)
        empty = {k: v for k, v in props.items() if v == []}
        if empty:
            pending["nodes"].append({"id": n, "props": empty})
            props = {k: v for k, v in props.items() if k not in empty}
        props[GRAPH_KEY] = graph
        sig = (_label(d["type"]), tuple(sorted((k, _kind(v)) for k, v in props.items())))
        node_groups[sig].append((n, props))
    rel_groups: dict[tuple, list[tuple[str, str, dict[str, Any]]]] = defaultdict(list)
    for seq, (u, v, k, d) in enumerate(g.edges(keys=True, data=True)):
        props = _props(f"{k} {u!r}→{v!r}", d, seq)
        empty = {key: x for key, x in props.items() if x == []}
        if empty:
            pending["relationships"].append({"from": u, "to": v, "seq": seq, "props": empty})
            props = {key: x for key, x in props.items() if key not in empty}
        props[GRAPH_KEY] = graph
        sig = (_rel_type(k), tuple(sorted((key, _kind(x)) for key, x in props.items())))
        rel_groups[sig].append((u, v, props))

    args = ["--multiline-fields=true", f"--array-delimiter={ARRAY_DELIMITER}", "--quote=\"",
            "--skip-duplicate-nodes=false", "--skip-bad-relationships=false", "--bad-tolerance=0"]
    for i, ((label, sig), rows) in enumerate(node_groups.items()):
        path = directory / f"nodes-{i:04d}.csv"
        keys = [k for k, _ in sig]
        header = ["id:ID", ":LABEL", *(f"{k}:{t}" for k, t in sig)]
        labels = f"{OWNER_LABEL}{ARRAY_DELIMITER}{label}"
        _write(path, header, ([n, labels, *(_cell(p[k]) for k in keys)] for n, p in rows))
        args.append(f"--nodes={path}")
    for i, ((rel, sig), rows) in enumerate(rel_groups.items()):
        path = directory / f"rels-{i:04d}.csv"
        keys = [k for k, _ in sig]
        header = [":START_ID", ":END_ID", ":TYPE", *(f"{k}:{t}" for k, t in sig)]
        _write(path, header, ([u, v, rel, *(_cell(p[k]) for k in keys)] for u, v, p in rows))
        args.append(f"--relationships={path}")
    try:
        meta = json.dumps(kg.meta, ensure_ascii=False, sort_keys=True)
    except (TypeError, ValueError) as e:
        raise GraphError(f"the graph's metadata cannot be stored as JSON ({e})") from None
    path = directory / "meta.csv"
    _write(path, [":ID", ":LABEL", f"{GRAPH_KEY}:string", "meta:string", "complete:boolean", "nodes:long",
                  "relationships:long", "imported:boolean", "pending:string"],
           iter([[META_IMPORT_ID, META_LABEL, graph, meta, "false", str(g.number_of_nodes()),
                  str(g.number_of_edges()), "true", json.dumps(pending, ensure_ascii=False)]]))
    args.append(f"--nodes={path}")
    return ImportFiles(directory, g.number_of_nodes(), g.number_of_edges(), args)
