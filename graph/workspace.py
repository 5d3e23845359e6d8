"""Workspace files: the whole graph in one JSON document, written atomically."""

from __future__ import annotations

import gzip
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from .kg import GraphError, KnowledgeGraph

FORMAT = "chainkg-workspace"
VERSION = 1


def to_document(kg: KnowledgeGraph) -> dict[str, Any]:
    """The graph as a JSON-ready document (nodes and edges in insertion order)."""
    nodes = [{"id": n, **d} for n, d in kg.g.nodes(data=True)]
    edges = [{"from": u, "to": v, **d} for u, v, d in kg.g.edges(data=True)]
    return {"format": FORMAT, "version": VERSION, "meta": kg.meta, "nodes": nodes, "edges": edges}


def from_document(doc: dict[str, Any], origin: str = "document") -> KnowledgeGraph:
    """Rebuild a graph from :func:`to_document` output (trusted: it was validated when stored).

    The document's node and edge lists are consumed (emptied) on the way, to keep memory low.
    """
    if doc.get("format") != FORMAT:
        raise GraphError(f"{origin}: not a chainkg workspace (format is {doc.get('format')!r})")
    if doc.get("version") != VERSION:
        raise GraphError(f"{origin}: workspace version {doc.get('version')!r} is not supported (need {VERSION})")
    kg = KnowledgeGraph(doc.get("meta") or {})
    g = kg.g
    # Each record is released as soon as it is in the graph, so peak memory stays near one copy.
    nodes = doc["nodes"]
    for i, rec in enumerate(nodes):
        nodes[i] = None
        rec = dict(rec)
        g.add_node(rec.pop("id"), **rec)
    edges = doc["edges"]
    for i, rec in enumerate(edges):
        edges[i] = None
        rec = dict(rec)
        u, v = rec.pop("from"), rec.pop("to")
        g.add_edge(u, v, key=rec["type"], **rec)
    kg.reindex()
    return kg


def save(kg: KnowledgeGraph, path: str | os.PathLike[str]) -> None:
    """Write the workspace atomically: a crash mid-save leaves the previous file intact.

    Records are streamed one by one (a national graph's document is never held
    in memory as one string). ``.gz`` paths are gzip-compressed.

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "ws.json"
    >>> save(KnowledgeGraph({"name": "demo"}), p)
    >>> load(p).meta["name"]
    'demo'
    """
    path = Path(path)
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as raw:
            out = gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=6, mtime=0) \
                if path.suffix == ".gz" else raw
            write = out.write
            head = {"format": FORMAT, "version": VERSION, "meta": kg.meta}
            write((dumps(head)[:-1] + ',"nodes":[').encode("utf-8"))
            for i, (n, d) in enumerate(kg.g.nodes(data=True)):
                write(((',' if i else '') + dumps({"id": n, **d})).encode("utf-8"))
            write(b'],"edges":[')
            for i, (u, v, d) in enumerate(kg.g.edges(data=True)):
                write(((',' if i else '') + dumps({"from": u, "to": v, **d})).encode("utf-8"))
            write(b"]}")
            if out is not raw:
                out.close()
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def load(path: str | os.PathLike[str]) -> KnowledgeGraph:
    """Read a workspace written by :func:`save`."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise GraphError(f"{path}: no such workspace file") from None
    except IsADirectoryError:
        raise GraphError(f"{path}: is a folder, not a workspace file") from None
    try:
        if raw[:2] == b"\x1f\x8b":
            raw = gzip.decompress(raw)
        doc = json.loads(raw)  # from bytes: no decoded copy of a large file
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        raise GraphError(f"{path}: not a readable workspace file ({e})") from None
    del raw
    if not isinstance(doc, dict):
        raise GraphError(f"{path}: not a chainkg workspace")
    return from_document(doc, str(path))
