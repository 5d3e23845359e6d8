"""The SQLite workspace (``.chainkg``, ``.db``, ``.sqlite``): one file, transactional, safe to share.

Layout (open it in DB Browser for SQLite or Datasette)::

    meta(key TEXT PRIMARY KEY, value TEXT)      -- JSON values: format, version, graph (the dataset
                                                -- metadata), generation (a new random id per commit)
    nodes(seq INTEGER PRIMARY KEY, id TEXT UNIQUE, type TEXT, props TEXT)        -- props: JSON object
    edges(seq INTEGER PRIMARY KEY, src TEXT, dst TEXT, type TEXT, props TEXT, UNIQUE(src, dst, type))

``seq`` keeps insertion order, so a graph reads back in the order it was built (as the JSON format does).

- **One file**: the rollback journal (``journal_mode=DELETE``), not WAL. With WAL, committed data can sit in a
  ``-wal`` file beside the database until a checkpoint, so copying or mailing the ``.chainkg`` file alone
  could lose the last changes, and the ``-wal``/``-shm`` files stay next to it while it is open. With the
  rollback journal the database file holds every committed transaction by itself; the journal exists only
  during a write and a killed writer's "hot" journal is rolled back (and deleted) by the next process that
  opens the file, so kill -9 at any moment leaves the old or the new state and no debris after the next
  command. ``synchronous=FULL`` makes a commit durable before it returns.
- **Writes are one transaction** and only the rows that changed are written (a diff against the stored rows).
- **Concurrent writers are serialised**: :func:`open_for_update` holds ``BEGIN IMMEDIATE`` (SQLite's write
  lock) from reading the graph to committing the change, so a second ``load --into`` waits for the first and
  then reads its result; after ``CHAINKG_LOCK_TIMEOUT`` seconds (default 60) it gives up with a clear
  message and changes nothing. Readers are never blocked for longer than a commit.
- **Reading never executes code**: only the three tables are read, as data; files with triggers or views are
  refused, and ``trusted_schema`` is off.
- **Fast open**: building 100k firms' graph from rows takes seconds (JSON decoding and networkx), so the
  process that commits (or the first that reads) also writes a snapshot of the graph as its rows give it into
  the user's cache directory (:mod:`chainkg.graph.snapcache`), keyed by the workspace's path, size, mtime,
  inode and the generation (a random id every commit writes), and authenticated with a keyed BLAKE2 hash. Later
  commands load that snapshot instead (0.3 s of CPU at 100k firms for a read-only command, whose equal
  relationships share one dict; see benchmarks/README.md, *Workspace store*). The snapshot is never the
  exchange format.
"""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from chainkg import progress

from .fileio import FileError, check_regular_input, write_target
from .kg import GraphError, KnowledgeGraph

SUFFIXES = (".chainkg", ".db", ".sqlite", ".sqlite3")
MAGIC = b"SQLite format 3\x00"
FORMAT = "chainkg-workspace"
VERSION = 1
APPLICATION_ID = 0x43484B47  # "CHKG", in the SQLite header: tools can tell a chainkg workspace
SCHEMA = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE nodes(seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, type TEXT NOT NULL, props TEXT NOT NULL);
CREATE TABLE edges(seq INTEGER PRIMARY KEY, src TEXT NOT NULL, dst TEXT NOT NULL, type TEXT NOT NULL,
                   props TEXT NOT NULL, UNIQUE(src, dst, type));
CREATE INDEX edges_dst ON edges(dst);
"""
_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def is_sqlite_path(path: str | os.PathLike[str]) -> bool:
    """True for a workspace stored in SQLite: by suffix, or an existing file that is an SQLite database."""
    p = Path(path)
    if p.suffix.lower() in SUFFIXES:
        return True
    try:
        if not stat.S_ISREG(os.stat(p).st_mode):  # never open a FIFO or device just to peek
            return False
        with open(p, "rb") as f:
            return f.read(16) == MAGIC
    except OSError:
        return False


def lock_timeout() -> float:
    try:
        return float(os.environ.get("CHAINKG_LOCK_TIMEOUT", "60"))
    except ValueError:
        return 60.0


# --------------------------------------------------------------------------- connections
def _connect(path: Path, real: Path) -> sqlite3.Connection:
    try:
        con = sqlite3.connect(real, timeout=lock_timeout(), isolation_level=None, check_same_thread=False)
        con.execute("PRAGMA trusted_schema=OFF")
        con.execute("PRAGMA journal_mode=DELETE")  # one file (no -wal/-shm), even if another tool set WAL
        con.execute("PRAGMA synchronous=FULL")
    except sqlite3.Error as e:
        raise _error(path, e) from None
    return con


def _error(path: Path, e: BaseException) -> GraphError:
    msg = str(e)
    if isinstance(e, sqlite3.OperationalError) and ("locked" in msg or "busy" in msg):
        return FileError(f"{path}: another chainkg process is changing this workspace (waited "
                         f"{lock_timeout():g} s; set CHAINKG_LOCK_TIMEOUT to wait longer); nothing was changed")
    if isinstance(e, sqlite3.DatabaseError) and "not a database" in msg:
        return FileError(f"{path}: not a chainkg workspace (not an SQLite database)")
    name = getattr(e, "sqlite_errorname", "")
    return FileError(f"{path}: workspace database error ({msg}{', ' + name if name else ''})")


def _check_schema(con: sqlite3.Connection, path: Path) -> bool:
    """True if the file holds a chainkg workspace, False if it is empty; else a clear error."""
    try:
        objs = con.execute("SELECT type, name FROM sqlite_master").fetchall()
    except sqlite3.Error as e:
        raise _error(path, e) from None
    if not objs:
        return False
    kinds = {(t, n) for t, n in objs}
    if not {("table", "meta"), ("table", "nodes"), ("table", "edges")} <= kinds:
        raise FileError(f"{path}: an SQLite database, but not a chainkg workspace (no meta/nodes/edges tables)")
    if any(t in ("trigger", "view") for t, _ in kinds):
        raise FileError(f"{path}: a chainkg workspace must not contain triggers or views; refusing to open it")
    meta = dict(con.execute("SELECT key, value FROM meta WHERE key IN ('format', 'version')").fetchall())
    if meta.get("format") != json.dumps(FORMAT):
        raise FileError(f"{path}: not a chainkg workspace (format is {meta.get('format')})")
    if meta.get("version") != json.dumps(VERSION):
        raise FileError(f"{path}: workspace version {meta.get('version')} is not supported (need {VERSION})")
    return True


def _generation(con: sqlite3.Connection) -> str:
    row = con.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()
    return json.loads(row[0]) if row else ""


def _cache_key(real: Path, generation: str) -> dict[str, Any]:
    # Never open() the database file here: closing any descriptor of it drops this process's SQLite (POSIX)
    # locks. The generation (a random id written by every commit) is the data version; stat adds the rest.
    st = os.stat(real)
    return {"path": str(real), "size": st.st_size, "mtime_ns": st.st_mtime_ns, "ino": st.st_ino,
            "dev": st.st_dev, "generation": generation}


# --------------------------------------------------------------------------- reading
def _interner() -> tuple[Callable[[Any, Any], Any], Callable[[dict[str, Any]], dict[str, Any]]]:
    """``canon(x, x)``: one object per equal value; ``c(d)``: a copy of ``d`` with its keys and text values
    canonical. Equal strings become one object (ids, property names and values), which keeps memory down and
    the cached snapshot small."""
    pool: dict[Any, Any] = {}
    canon = pool.setdefault

    def c(d: dict[str, Any]) -> dict[str, Any]:
        return {canon(k, k): (canon(v, v) if type(v) is str else v) for k, v in d.items()}

    return canon, c


def _stored_meta(con: sqlite3.Connection) -> dict[str, Any]:
    row = con.execute("SELECT value FROM meta WHERE key = 'graph'").fetchone()
    return json.loads(row[0]) if row else {}


def _assemble(meta: dict[str, Any], nodes: Iterable[tuple[str, dict[str, Any]]],
              edges: Iterable[tuple[str, str, str, dict[str, Any]]], origin: str) -> KnowledgeGraph:
    """A graph from (id, data) and (src, dst, type, data) in insertion order; adjacency filled directly
    (strings interned: :func:`_interner`)."""
    canon, c = _interner()

    node: dict[str, dict[str, Any]] = {}
    succ: dict[str, dict[str, Any]] = {}
    pred: dict[str, dict[str, Any]] = {}
    for n, d in nodes:
        n = canon(n, n)
        node[n] = c(d)
        succ[n] = {}
        pred[n] = {}
    for u, v, t, d in edges:
        try:
            su, pv = succ[u], pred[v]
        except KeyError:
            raise GraphError(f"{origin}: relationship {t} {u!r}→{v!r} names a node that is not in the workspace") \
                from None
        u, v = canon(u, u), canon(v, v)
        kd = su.get(v)
        if kd is None:
            kd = su[v] = {}
            pv[u] = kd
        kd[canon(t, t)] = c(d)
    return _graph(meta, node, succ, pred)


def _graph(meta: dict[str, Any], node: dict, succ: dict, pred: dict, *, read_only: bool = False) -> KnowledgeGraph:
    """The graph over these dicts; a read-only one without importing networkx (:mod:`.lazygraph`)."""
    if read_only:
        from .lazygraph import LazyMultiDiGraph

        kg = KnowledgeGraph(meta, graph=LazyMultiDiGraph(node, succ, pred))
        kg.read_only = True
        return kg
    kg = KnowledgeGraph(meta)
    g = kg.g
    g._node = node
    g._adj = succ
    g._succ = succ
    g._pred = pred
    return kg


def _rows(con: sqlite3.Connection, path: Path) -> KnowledgeGraph:
    loads = json.loads
    meta = _stored_meta(con)
    try:
        nodes = ((n, {"type": t, **loads(p)})
                 for n, t, p in con.execute("SELECT id, type, props FROM nodes ORDER BY seq"))
        edges = ((u, v, t, {"type": t, **loads(p)})
                 for u, v, t, p in con.execute("SELECT src, dst, type, props FROM edges ORDER BY seq"))
        return _assemble(meta, nodes, edges, str(path))
    except (ValueError, TypeError) as e:
        raise FileError(f"{path}: damaged workspace row ({e})") from None


def _shared_rows(con: sqlite3.Connection, path: Path) -> tuple[dict, dict, dict, dict]:
    """(meta, node, succ, pred) as :func:`_rows` reads them, but equal relationships share one dict.

    Relationships with the same type and the same stored property text are equal dicts (JSON text is exact:
    ``1``, ``1.0`` and ``true`` differ, and so does key order), so each distinct (type, text) is decoded once
    and its key dict ``{type: data}`` is shared by every node pair holding just it (477k relationships, 279
    distinct at 100k firms). A pair with several types gets a dict of its own. For the snapshot cache and
    read-only graphs only: a writer must never change many relationships through one dict.
    """
    loads = json.loads
    meta = _stored_meta(con)
    canon, c = _interner()
    node: dict[str, dict[str, Any]] = {}
    succ: dict[str, dict[str, Any]] = {}
    pred: dict[str, dict[str, Any]] = {}
    keydicts: dict[tuple[str, str], dict[str, dict[str, Any]]] = {}
    try:
        for n, t, p in con.execute("SELECT id, type, props FROM nodes ORDER BY seq"):
            n = canon(n, n)
            node[n] = c({"type": t, **loads(p)})
            succ[n] = {}
            pred[n] = {}
        for u, v, t, p in con.execute("SELECT src, dst, type, props FROM edges ORDER BY seq"):
            try:
                su, pv = succ[u], pred[v]
            except KeyError:
                raise GraphError(f"{path}: relationship {t} {u!r}→{v!r} names a node that is not in the workspace") \
                    from None
            kd = keydicts.get((t, p))
            if kd is None:
                t = canon(t, t)
                kd = keydicts[(t, p)] = {t: c({"type": t, **loads(p)})}
            u, v = canon(u, u), canon(v, v)
            old = su.get(v)
            if old is not None:  # a second type between the same two nodes: a key dict of the pair's own
                kd = {**old, **kd}
            su[v] = kd
            pv[u] = kd  # an existing key keeps its place: pred order stays the order of first relationships
    except (ValueError, TypeError) as e:
        raise FileError(f"{path}: damaged workspace row ({e})") from None
    return meta, node, succ, pred


def _counts(con: sqlite3.Connection) -> tuple[int, int]:
    """Nodes and relationships stored (milliseconds at 100k firms; only asked for a progress message)."""
    return con.execute("SELECT (SELECT count(*) FROM nodes), (SELECT count(*) FROM edges)").fetchone()


def _read(con: sqlite3.Connection, path: Path, real: Path, *, use_cache: bool, freeze: bool,
          read_only: bool = False) -> KnowledgeGraph:
    """The graph, inside the caller's transaction, with a progress line on a terminal when it is slow."""
    nodes, edges = _counts(con) if progress.active() else (0, 0)
    with progress.task("正在加载 {name}：{nodes:,} 个节点、{edges:,} 条关系…",
                       "Loading {name}: {nodes:,} nodes, {edges:,} relationships…",
                       name=path.name, nodes=nodes, edges=edges):
        return _read_graph(con, path, real, use_cache=use_cache, freeze=freeze, read_only=read_only)


def _read_graph(con: sqlite3.Connection, path: Path, real: Path, *, use_cache: bool, freeze: bool,
                read_only: bool) -> KnowledgeGraph:
    """The graph, inside the caller's transaction (so the generation cannot change underneath)."""
    from . import snapcache

    key = _cache_key(real, _generation(con))
    if use_cache:
        kg = snapcache.get(key, freeze=freeze, read_only=read_only)
        if kg is not None:
            return kg
    import gc

    enabled = gc.isenabled()
    gc.disable()  # millions of new containers, none of them garbage: the collector would rescan them
    try:
        if use_cache:  # read shared (fast), cache it, and give a writer its own dicts
            meta, node, succ, pred = _shared_rows(con, path)
            kg = _graph(meta, node, succ, pred, read_only=True)
            snapcache.put(key, kg)
            if not read_only:
                kg = _graph(meta, node, *snapcache._unshare(succ, pred))
        else:
            kg = _rows(con, path)
        if freeze:
            gc.freeze()
    finally:
        if enabled:
            gc.enable()
    kg.read_only = read_only  # as a cached read marks it: a misuse fails the same way with or without the cache
    return kg


def cache_enabled() -> bool:
    return not os.environ.get("CHAINKG_NO_CACHE")


def load(path: str | os.PathLike[str], *, freeze: bool = False, read_only: bool = False) -> KnowledgeGraph:
    """Read an SQLite workspace (from the verified snapshot cache when it is current).

    ``freeze`` moves the loaded objects out of the cyclic garbage collector's reach (as the CLI does for the
    lifetime of a command); library users leave it off. ``read_only`` (the CLI's query commands) gives a
    graph whose relationships may share property dicts and that refuses changes: it decodes in half the time.
    """
    path = Path(path)
    check_regular_input(path)
    real = Path(os.path.realpath(path))
    con = _connect(path, real)
    try:
        con.execute("BEGIN")
        if not _check_schema(con, path):
            raise FileError(f"{path}: an empty SQLite file, not a chainkg workspace")
        kg = _read(con, path, real, use_cache=cache_enabled(), freeze=freeze, read_only=read_only)
    except sqlite3.Error as e:
        raise _error(path, e) from None
    finally:
        with suppress(sqlite3.Error):
            con.execute("ROLLBACK")
        con.close()
    _remove_dead_journal(real)
    return kg


def _remove_dead_journal(real: Path) -> None:
    """Delete a journal a killed writer left behind, once no writer can own it.

    SQLite rolls a *hot* journal back on the next read; a writer killed before its journal header was
    synced leaves a journal that is not hot, which SQLite ignores but leaves on disk until the next
    write. Holding the database's EXCLUSIVE lock proves that no live writer owns it.
    """
    journal = Path(f"{real}-journal")
    if not journal.exists():
        return
    con = sqlite3.connect(real, timeout=0, isolation_level=None)
    try:
        con.execute("BEGIN EXCLUSIVE")
        with suppress(FileNotFoundError):
            journal.unlink()
        con.execute("ROLLBACK")
    except sqlite3.Error:
        pass  # a writer is at work: the journal is its own
    finally:
        con.close()


# --------------------------------------------------------------------------- writing
def _write(con: sqlite3.Connection, kg: KnowledgeGraph, task: progress.Task | None = None) -> str:
    """Make the tables equal to ``kg`` by writing only what differs; returns the new generation."""
    g = kg.g
    old_nodes = {n: (t, p) for n, t, p in con.execute("SELECT id, type, props FROM nodes")}
    ins, upd = [], []
    for n, d in g._node.items():
        t = d["type"]
        p = _dumps({k: v for k, v in d.items() if k != "type"})
        old = old_nodes.pop(n, None)
        if old is None:
            ins.append((n, t, p))
        elif old != (t, p):
            upd.append((t, p, n))
    # Edges first (a removed node's edges go before it), then nodes.
    old_edges = {(u, v, t): p for u, v, t, p in con.execute("SELECT src, dst, type, props FROM edges")}
    eins, eupd = [], []
    for u, nbrs in g._succ.items():
        for v, kd in nbrs.items():
            for k, d in kd.items():
                p = _dumps({a: b for a, b in d.items() if a != "type"})
                old = old_edges.pop((u, v, k), None)
                if old is None:
                    eins.append((u, v, k, p))
                elif old != p:
                    eupd.append((p, u, v, k))
    if task is not None:
        rows = len(ins) + len(upd) + len(eins) + len(eupd) + len(old_nodes) + len(old_edges)
        task.stage("正在写入 {name}：{rows:,} 行…", "Writing {rows:,} rows to {name}…", name=task.fields["name"],
                   rows=rows)
    con.executemany("DELETE FROM edges WHERE src = ? AND dst = ? AND type = ?", list(old_edges))
    con.executemany("DELETE FROM nodes WHERE id = ?", [(n,) for n in old_nodes])
    con.executemany("UPDATE nodes SET type = ?, props = ? WHERE id = ?", upd)
    con.executemany("INSERT INTO nodes(id, type, props) VALUES (?, ?, ?)", ins)
    con.executemany("UPDATE edges SET props = ? WHERE src = ? AND dst = ? AND type = ?", eupd)
    con.executemany("INSERT INTO edges(src, dst, type, props) VALUES (?, ?, ?, ?)", eins)
    generation = uuid.uuid4().hex
    meta = [("format", json.dumps(FORMAT)), ("version", json.dumps(VERSION)), ("graph", _dumps(kg.meta)),
            ("generation", json.dumps(generation))]
    con.executemany("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", meta)
    return generation


def _snapshot(con: sqlite3.Connection, path: Path) -> KnowledgeGraph:
    """The graph as the rows just written give it (so cached and uncached reads agree), shared for the cache."""
    return _graph(*_shared_rows(con, path), read_only=True)


def _create(path: Path, real: Path) -> bool:
    """Create an empty file for a new workspace (mode 0666 & ~umask); True if this call created it."""
    try:
        fd = os.open(real, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except FileExistsError:
        return False
    except OSError as e:
        raise FileError(f"{path}: cannot create ({e.strerror})") from None
    os.close(fd)
    return True


class Update:
    """The graph being changed inside :func:`open_for_update`; set ``changed = False`` to skip the write."""

    def __init__(self, path: Path, kg: KnowledgeGraph, created: bool) -> None:
        self.path = path
        self.kg = kg
        self.created = created
        self.changed = True


@contextmanager
def open_for_update(path: str | os.PathLike[str], new: Callable[[], KnowledgeGraph], *,
                    read: bool = True) -> Iterator[Update]:
    """Read → change → write an SQLite workspace under its write lock (held for the whole block).

    ``new()`` gives the graph of a workspace that does not exist yet (or, with ``read=False``, the graph to
    store whatever the file holds). The change is committed in one
    transaction when the block ends normally; an exception rolls everything back.
    """
    path = Path(path)
    real, _mode = write_target(path)  # refuses devices and FIFOs; follows symlinks to the real file
    real.parent.mkdir(parents=True, exist_ok=True)
    created = _create(path, real)
    con = _connect(path, real)
    committed = False
    try:
        try:
            con.execute("BEGIN IMMEDIATE")
            exists = _check_schema(con, path)
            if exists and read:
                kg = _read(con, path, real, use_cache=cache_enabled(), freeze=False)
            elif exists:
                kg = new()
            else:
                for stmt in SCHEMA.strip().split(";"):
                    if stmt.strip():
                        con.execute(stmt)
                con.execute(f"PRAGMA application_id={APPLICATION_ID}")
                kg = new()
        except sqlite3.Error as e:
            raise _error(path, e) from None
        update = Update(path, kg, not exists)
        yield update
        try:
            if update.changed or not exists:
                with progress.task("正在保存 {name}（{nodes:,} 个节点）…", "Saving {name} ({nodes:,} nodes)…",
                                   name=path.name, nodes=len(update.kg)) as task:
                    generation = _write(con, update.kg, task)
                    snap = _snapshot(con, path) if cache_enabled() else None
                    con.execute("COMMIT")
                    committed = True
                    if snap is not None:
                        from . import snapcache

                        task.stage("正在更新 {name} 的本地缓存…", "Updating the local cache of {name}…",
                                   name=path.name)
                        # Keyed by the generation *this* commit wrote: should another writer commit before the
                        # stat below, the key names our generation, which no longer matches the file: a miss.
                        snapcache.put(_cache_key(real, generation), snap)
        except sqlite3.Error as e:
            raise _error(path, e) from None
    finally:
        if not committed:
            with suppress(sqlite3.Error):
                con.execute("ROLLBACK")
        con.close()
        if created and not committed:
            with suppress(OSError):
                if os.path.getsize(real) == 0:
                    os.unlink(real)


def save(kg: KnowledgeGraph, path: str | os.PathLike[str]) -> None:
    """Write ``kg`` as the workspace at ``path`` (replacing what it held) in one transaction."""
    with open_for_update(path, lambda: kg, read=False):
        pass
