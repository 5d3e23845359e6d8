"""Exports: GraphML (Gephi, yEd), node-link JSON and CSV in chainkg's own tabular format."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import networkx as nx

from chainkg.schema import SCHEMA

from .fileio import escape_formula, write_bytes
from .kg import KnowledgeGraph
from .workspace import to_document

LIST_PROPS = {p.name for t in (*SCHEMA.node_types, *SCHEMA.rel_types) for p in t.properties if p.type == "list"}


def _atomic_write_bytes(path: Path, data: bytes) -> None:
    write_bytes(path, data)  # atomic, through symlinks, keeps the mode, refuses devices and FIFOs


def to_networkx_flat(kg: KnowledgeGraph) -> nx.MultiDiGraph:
    """A copy whose list properties are ``|``-joined strings (GraphML has no list type)."""
    g = nx.MultiDiGraph()
    g.graph.update({k: v for k, v in kg.meta.items() if isinstance(v, (str, int, float, bool))})
    for n, d in kg.g.nodes(data=True):
        g.add_node(n, **{k: ("|".join(v) if isinstance(v, list) else v) for k, v in d.items()})
    for u, v, k, d in kg.g.edges(keys=True, data=True):
        g.add_edge(u, v, key=k, **{a: ("|".join(b) if isinstance(b, list) else b) for a, b in d.items()})
    return g


def write_graphml(kg: KnowledgeGraph, path: str | os.PathLike[str]) -> None:
    """GraphML for Gephi; :func:`read_graphml` gives back an equal graph."""
    buf = io.BytesIO()
    nx.write_graphml(to_networkx_flat(kg), buf, encoding="utf-8", named_key_ids=True)
    _atomic_write_bytes(Path(path), buf.getvalue())


def read_graphml(path: str | os.PathLike[str]) -> KnowledgeGraph:
    """Read a GraphML file written by :func:`write_graphml` back into a graph."""
    g = nx.read_graphml(path, force_multigraph=True)
    kg = KnowledgeGraph(dict(g.graph))
    for n, d in g.nodes(data=True):
        kg.g.add_node(n, **{k: (v.split("|") if k in LIST_PROPS else v) for k, v in d.items()})
    for u, v, _k, d in g.edges(keys=True, data=True):
        kg.g.add_edge(u, v, key=d["type"], **{a: (b.split("|") if a in LIST_PROPS else b) for a, b in d.items()})
    return kg


def write_json(kg: KnowledgeGraph, path: str | os.PathLike[str]) -> None:
    """Node-link JSON (the workspace document: ``nodes`` and ``edges`` with all properties)."""
    data = json.dumps(to_document(kg), ensure_ascii=False, indent=1).encode("utf-8")
    _atomic_write_bytes(Path(path), data)


def _csv_value(v: Any) -> str:
    if isinstance(v, list):
        return escape_formula("|".join(v))
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float) and v.is_integer():
        return str(int(v)) if abs(v) < 1e15 else repr(v)
    if isinstance(v, (int, float)):
        return str(v)
    # Text that a spreadsheet would run as a formula (= + - @, tab, CR) gets a leading ' (OWASP).
    return escape_formula(str(v))


def write_csv(kg: KnowledgeGraph, folder: str | os.PathLike[str]) -> list[Path]:
    """One CSV per node type and relationship type, in the format ``chainkg load`` reads.

    Written into a temporary folder first and moved into place, so a failed
    export leaves no half-written folder. HAS_SEGMENT is implied by
    ``Segment.chain`` and is not written separately.
    """
    folder = Path(folder)
    if folder.exists() and any(folder.iterdir()):
        raise FileExistsError(f"{folder}: folder exists and is not empty")
    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=folder.parent))
    written: list[Path] = []
    try:
        for nt in SCHEMA.node_types:
            ids = list(kg.nodes(nt.name))
            if not ids:
                continue
            cols = ["id", *(p.name for p in nt.properties)]
            if nt.needs_provenance:
                cols += ["provenance", "source", "evidence"]
            name = nt.file_names[0] + ".csv"
            with open(tmp / name, "w", encoding="utf-8", newline="") as f:
                w = csv.writer(f)
                w.writerow(cols)
                for n in ids:
                    d = kg.get(n)
                    w.writerow([_csv_value(d[c]) if c in d else "" for c in cols])  # ids escaped too
            written.append(folder / name)
        for rt in SCHEMA.rel_types:
            if rt.name == "HAS_SEGMENT":
                continue
            edges = list(kg.edges(rt.name))
            if not edges:
                continue
            cols = [p.name for p in rt.properties] + ["provenance", "source", "evidence"]
            name = rt.file_names[0] + ".csv"
            with open(tmp / name, "w", encoding="utf-8", newline="") as f:
                w = csv.writer(f)
                w.writerow(["from", "to", *cols])
                for e in edges:
                    w.writerow([escape_formula(e.source), escape_formula(e.target),
                                *(_csv_value(e.props[c]) if c in e.props else "" for c in cols)])
            written.append(folder / name)
        if folder.exists():
            folder.rmdir()
        os.replace(tmp, folder)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return written
