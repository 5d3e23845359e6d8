"""Workspace files: one file holding the whole graph.

Two formats, chosen by the file name:

- **SQLite** (``.chainkg``, ``.db``, ``.sqlite``; see :mod:`chainkg.graph.store`): transactional, locked
  against concurrent writers, opens through a verified local cache (0.3 s of CPU at 100k firms);
- **JSON** (``.json``, ``.json.gz``, anything else): the original format, one document; read and written as
  before (atomically, through symlinks, keeping the file's mode); also the import/export format
  (``chainkg export --format json``).

:func:`open_for_update` is the read → change → write cycle for both, serialised against other writers.
"""

from __future__ import annotations

import contextlib
import fcntl
import gzip
import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from chainkg import progress

from .fileio import FileError, atomic_write, check_regular_input, remove_stale_temps, write_target
from .kg import GraphError, KnowledgeGraph

FORMAT = "chainkg-workspace"
VERSION = 1


def to_document(kg: KnowledgeGraph) -> dict[str, Any]:
    """The graph as a JSON-ready document (nodes and edges in insertion order)."""
    nodes = [{"id": n, **d} for n, d in kg.g.nodes(data=True)]
    edges = [{"from": u, "to": v, **d} for u, v, d in kg.g.edges(data=True)]
    return {"format": FORMAT, "version": VERSION, "meta": kg.meta, "nodes": nodes, "edges": edges}


def from_document(doc: dict[str, Any], origin: str = "document") -> KnowledgeGraph:
    """Rebuild a graph from :func:`to_document` output.

    The shape is checked as records are added (a workspace may come from another bureau or be edited by
    hand): a malformed record is a :class:`GraphError` naming it, never a Python error. Property values
    were validated when stored and are not checked again. The document's node and edge lists are
    consumed (emptied) on the way, to keep memory low.
    """
    if not isinstance(doc, dict):
        raise GraphError(f"{origin}: not a chainkg workspace (a JSON object is expected)")
    if doc.get("format") != FORMAT:
        raise GraphError(f"{origin}: not a chainkg workspace (format is {_show(doc.get('format'))})")
    if doc.get("version") != VERSION:
        raise GraphError(f"{origin}: workspace version {_show(doc.get('version'))} is not supported (need {VERSION})")
    meta = doc.get("meta") or {}
    if not isinstance(meta, dict):
        raise GraphError(f"{origin}: meta must be an object, got {_show(meta)}")
    nodes, edges = doc.get("nodes"), doc.get("edges")
    for name, value in (("nodes", nodes), ("edges", edges)):
        if not isinstance(value, list):
            raise GraphError(f"{origin}: {name} must be a list, got {_show(value)}")
    with progress.task("正在加载 {nodes:,} 个节点、{edges:,} 条关系…",
                       "Loading {nodes:,} nodes, {edges:,} relationships…",
                       total=len(nodes) + len(edges), nodes=len(nodes), edges=len(edges)) as task:
        return _build(meta, nodes, edges, origin, task)


def _build(meta: dict[str, Any], nodes: list[Any], edges: list[Any], origin: str,
           task: progress.Task) -> KnowledgeGraph:
    kg = KnowledgeGraph(meta)
    g = kg.g
    # Each record is released as soon as it is in the graph, so peak memory stays near one copy.
    # The progress count is set every 4,096 records: a test and an attribute store, not a call per record.
    for i, rec in enumerate(nodes):
        nodes[i] = None
        if not i & 4095:
            task.done = i
        if not isinstance(rec, dict) or not isinstance(rec.get("id"), str) or not rec["id"] \
                or not isinstance(rec.get("type"), str):
            raise GraphError(f"{origin}: node #{i + 1} is not a record with a text id and type: {_show(rec)}")
        rec = dict(rec)
        g.add_node(rec.pop("id"), **rec)
    base = len(nodes)
    for i, rec in enumerate(edges):
        edges[i] = None
        if not i & 4095:
            task.done = base + i
        if not isinstance(rec, dict) or not all(isinstance(rec.get(k), str) for k in ("from", "to", "type")):
            raise GraphError(f"{origin}: relationship #{i + 1} is not a record with text from, to and type: "
                             f"{_show(rec)}")
        rec = dict(rec)
        u, v = rec.pop("from"), rec.pop("to")
        for end in (u, v):
            if end not in g:
                raise GraphError(f"{origin}: relationship #{i + 1} ({rec['type']}) names {end!r}, which is not a node")
        g.add_edge(u, v, key=rec["type"], **rec)
    return kg


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "…"


def save(kg: KnowledgeGraph, path: str | os.PathLike[str]) -> None:
    """Write the workspace atomically: a crash mid-save leaves the previous file intact.

    ``.chainkg``/``.db``/``.sqlite`` paths are written as SQLite (one transaction); others as JSON,
    streamed record by record (a national graph's document is never held in memory as one string),
    gzip-compressed for ``.gz``. Symlinks are written through and an existing file keeps its mode.

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "ws.json"
    >>> save(KnowledgeGraph({"name": "demo"}), p)
    >>> load(p).meta["name"]
    'demo'
    """
    from . import store

    if store.is_sqlite_path(path):
        store.save(kg, path)
        return
    _save_json(kg, Path(path))


def _save_json(kg: KnowledgeGraph, path: Path) -> None:
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    remove_stale_temps(path)
    n_nodes = len(kg)
    with progress.task("正在保存 {name}：{done:,} / {total:,} 个节点", "Saving {name}: {done:,} / {total:,} nodes",
                       total=n_nodes, name=path.name) as task, \
            atomic_write(path) as raw:  # the task outlives the write: the final fsync and rename are part of it
        out = gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=6, mtime=0) \
            if path.suffix == ".gz" else raw
        write = out.write
        head = {"format": FORMAT, "version": VERSION, "meta": kg.meta}
        write((dumps(head)[:-1] + ',"nodes":[').encode("utf-8"))
        for i, (n, d) in enumerate(kg.g.nodes(data=True)):
            if not i & 4095:  # a test and an attribute store every record, a count every 4,096
                task.done = i
            write(((',' if i else '') + dumps({"id": n, **d})).encode("utf-8"))
        write(b'],"edges":[')
        # Counting relationships first would cost a pass over the adjacency (0.5–1 s at 100k firms): count up.
        task.stage("正在保存 {name}：已写 {done:,} 条关系", "Saving {name}: {done:,} relationships written",
                   name=path.name)
        for i, (u, v, d) in enumerate(kg.g.edges(data=True)):
            if not i & 4095:
                task.done = i
            write(((',' if i else '') + dumps({"from": u, "to": v, **d})).encode("utf-8"))
        write(b"]}")
        if out is not raw:
            out.close()


def load(path: str | os.PathLike[str], *, freeze: bool = False, read_only: bool = False) -> KnowledgeGraph:
    """Read a workspace written by :func:`save` (either format; SQLite is recognised by its header too).

    ``read_only``: the caller will not change the graph (see :func:`chainkg.graph.store.load`).
    """
    from . import store

    path = Path(path)
    check_regular_input(path)  # never a device or FIFO: those would be read forever
    if store.is_sqlite_path(path):
        return store.load(path, freeze=freeze, read_only=read_only)
    remove_stale_temps(path)
    with progress.task("正在读取 {name}（{mb:,.0f} MB）…", "Reading {name} ({mb:,.0f} MB)…", name=path.name,
                       mb=_size(path) / 1e6):
        try:
            raw = path.read_bytes()
        except OSError as e:
            raise FileError(f"{path}: cannot read ({e.strerror})") from None
        try:
            if raw[:2] == b"\x1f\x8b":
                raw = gzip.decompress(raw)
            doc = json.loads(raw)  # from bytes: no decoded copy of a large file
        except (OSError, EOFError, UnicodeDecodeError, json.JSONDecodeError, RecursionError) as e:
            raise GraphError(f"{path}: not a readable workspace file ({e})") from None
        del raw
        if not isinstance(doc, dict):
            raise GraphError(f"{path}: not a chainkg workspace")
        kg = from_document(doc, str(path))  # its own progress task takes over the line
        kg.read_only = read_only  # nothing is shared here, but a misuse fails the same way in both formats
        return kg


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def new_graph(path: str | os.PathLike[str], base: str) -> KnowledgeGraph:
    """The graph a new workspace starts from: ``kunming`` (the bundled graph, a copy) or ``empty``."""
    if base == "kunming":
        from chainkg.data import kunming

        return kunming()
    return KnowledgeGraph({"name": Path(path).name.split(".")[0]})


@contextlib.contextmanager
def _json_lock(path: Path) -> Iterator[None]:
    """Serialise writers of a JSON workspace: an ``flock`` on its folder (the file itself is replaced on save)."""
    real, _ = write_target(path)
    real.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(real.parent, os.O_RDONLY | os.O_DIRECTORY)
    try:
        import time

        from .store import lock_timeout

        deadline = time.monotonic() + lock_timeout()
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise FileError(f"{path}: another chainkg process is changing this workspace (waited "
                                    f"{lock_timeout():g} s; set CHAINKG_LOCK_TIMEOUT to wait longer); "
                                    "nothing was changed") from None
                time.sleep(0.05)
        yield
    finally:
        os.close(fd)


@contextlib.contextmanager
def open_for_update(path: str | os.PathLike[str], new: Callable[[], KnowledgeGraph]) -> Iterator[Any]:
    """Read → change → write a workspace, with other writers locked out for the whole block.

    ``new()`` gives the graph when the workspace does not exist yet. The yielded object has ``kg`` (the graph
    to change), ``created`` and ``changed`` (set it False to skip the write). The write happens when the block
    ends normally; if it raises, the workspace is left as it was. A second writer waits for the first (up to
    ``CHAINKG_LOCK_TIMEOUT`` seconds, default 60) and then sees its result, or fails saying so.

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "ws.chainkg"
    >>> with open_for_update(p, lambda: KnowledgeGraph({"name": "demo"})) as ws:
    ...     _ = ws.kg.merge_node("Source", {"id": "s", "title": "notes"})
    >>> load(p).get("s")["title"]
    'notes'
    """
    from . import store

    path = Path(path)
    if store.is_sqlite_path(path):
        with store.open_for_update(path, new) as update:
            yield update
        return
    with _json_lock(path):
        exists = path.exists()
        update = store.Update(path, load(path) if exists else new(), not exists)
        yield update
        if update.changed or not exists:
            _save_json(update.kg, path)
