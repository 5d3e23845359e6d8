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
    """Rebuild a graph from :func:`to_document` output (trusted: it was validated when stored)."""
    if doc.get("format") != FORMAT:
        raise GraphError(f"{origin}: not a chainkg workspace (format is {doc.get('format')!r})")
    if doc.get("version") != VERSION:
        raise GraphError(f"{origin}: workspace version {doc.get('version')!r} is not supported (need {VERSION})")
    kg = KnowledgeGraph(doc.get("meta") or {})
    g = kg.g
    for rec in doc["nodes"]:
        rec = dict(rec)
        g.add_node(rec.pop("id"), **rec)
    for rec in doc["edges"]:
        rec = dict(rec)
        u, v = rec.pop("from"), rec.pop("to")
        g.add_edge(u, v, key=rec["type"], **rec)
    for n in g:
        kg._index(n)
    return kg


def save(kg: KnowledgeGraph, path: str | os.PathLike[str]) -> None:
    """Write the workspace atomically: a crash mid-save leaves the previous file intact.

    ``.gz`` paths are gzip-compressed.

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "ws.json"
    >>> save(KnowledgeGraph({"name": "demo"}), p)
    >>> load(p).meta["name"]
    'demo'
    """
    path = Path(path)
    data = json.dumps(to_document(kg), ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    if path.suffix == ".gz":
        data = gzip.compress(data, compresslevel=6, mtime=0)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
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
        doc = json.loads(raw.decode("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        raise GraphError(f"{path}: not a readable workspace file ({e})") from None
    if not isinstance(doc, dict):
        raise GraphError(f"{path}: not a chainkg workspace")
    return from_document(doc, str(path))
