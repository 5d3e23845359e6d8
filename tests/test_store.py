"""The workspace store: SQLite format, snapshot cache, locking, crash safety and files written as users expect."""

from __future__ import annotations

import csv
import os
import random
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from chainkg.data import kunming
from chainkg.graph import snapcache, store
from chainkg.graph import workspace as ws
from chainkg.graph.export import write_csv as export_csv
from chainkg.graph.fileio import escape_formula
from chainkg.graph.kg import GraphError, KnowledgeGraph
from helpers import write_csv

CLI = [sys.executable, "-m", "chainkg.cli"]


@pytest.fixture(autouse=True)
def own_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("CHAINKG_NO_CACHE", raising=False)


def run(*args: str, cwd: Path, env: dict | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    e = {**os.environ, **(env or {})}
    return subprocess.run([*CLI, *args], cwd=cwd, env=e, capture_output=True, text=True, timeout=timeout)


def sources_file(folder: Path, name: str, ids: list[str]) -> Path:
    return write_csv(folder / name / "sources.csv", [{"id": i, "title": f"t {i}", "kind": "notes"} for i in ids])


# ----------------------------------------------------------------------------- format
def test_sqlite_round_trip_cached_and_uncached(tmp_path, monkeypatch):
    kg = kunming()
    p = tmp_path / "k.chainkg"
    ws.save(kg, p)
    assert p.read_bytes()[:16] == store.MAGIC
    cached = ws.load(p)
    monkeypatch.setenv("CHAINKG_NO_CACHE", "1")
    rows = ws.load(p)
    assert cached == kg == rows
    assert list(cached.g.edges(keys=True)) == list(rows.g.edges(keys=True))
    assert all(list(cached.g._pred[n]) == list(rows.g._pred[n]) for n in rows.g)
    assert cached.find("宇澤半導體") == ["ent:yuze"]
    assert sorted(os.listdir(tmp_path)) == ["cache", "k.chainkg"]  # one file, no journal left


def test_tampered_cache_is_ignored(tmp_path):
    kg = kunming()
    p = tmp_path / "k.db"
    ws.save(kg, p)
    [entry] = (tmp_path / "cache" / "chainkg").glob("*.snap")
    blob = bytearray(entry.read_bytes())
    blob[-10] ^= 0xFF
    entry.write_bytes(bytes(blob))
    assert ws.load(p) == kg  # read from the rows, not the forged entry


def test_cache_entry_with_another_graph_under_the_old_mac_is_ignored(tmp_path):
    """A well-formed entry whose graph was swapped (the MAC left as it was) is never decoded as the workspace."""
    import marshal
    import struct

    from chainkg.graph import snapcache

    kg = kunming()
    p = tmp_path / "k.chainkg"
    ws.save(kg, p)
    [entry] = (tmp_path / "cache" / "chainkg").glob("*.snap")
    blob = entry.read_bytes()
    head = len(snapcache.MAGIC) + 32
    (hlen,) = struct.unpack(">I", blob[head:head + 4])
    at = head + 4 + hlen
    (glen,) = struct.unpack(">Q", blob[at:at + 8])
    meta, node, succ, pred = marshal.loads(blob[at + 8:at + 8 + glen])
    node["ent:yuze"]["name"] = "forged"
    graph = marshal.dumps((meta, node, succ, pred), 4)
    entry.write_bytes(blob[:at] + struct.pack(">Q", len(graph)) + graph + blob[at + 8 + glen:])
    for read_only in (True, False):
        assert ws.load(p, read_only=read_only).name("ent:yuze") == kg.name("ent:yuze") != "forged"


def test_cache_follows_changes_by_other_tools(tmp_path):
    import sqlite3

    p = tmp_path / "k.chainkg"
    ws.save(kunming(), p)
    ws.load(p)
    con = sqlite3.connect(p)
    with con:
        con.execute("""UPDATE nodes SET props = json_set(props, '$.name', 'renamed') WHERE id = 'ent:yuze'""")
    con.close()
    assert ws.load(p).name("ent:yuze") == "renamed"


def test_json_workspace_migrates_and_round_trips(tmp_path):
    kg = kunming()
    ws.save(kg, tmp_path / "old.json")
    r = run("--graph", "old.json", "export", "--format", "workspace", "-o", "new.chainkg", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    r = run("--graph", "new.chainkg", "export", "--format", "json", "-o", "back.json", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert ws.load(tmp_path / "new.chainkg") == kg == ws.load(tmp_path / "back.json")


def test_not_a_workspace(tmp_path):
    p = tmp_path / "x.db"
    p.write_bytes(b"hello")
    with pytest.raises(GraphError, match="not a chainkg workspace"):
        ws.load(p)


def test_failed_load_into_new_sqlite_leaves_no_file(tmp_path, mini):
    bad = write_csv(tmp_path / "bad" / "enterprises.csv", [{"id": "ent:x", "name": "x", "provenance": "nonsense"}])
    r = run("load", str(bad), "--into", "new.chainkg", cwd=tmp_path)
    assert r.returncode == 1
    assert not (tmp_path / "new.chainkg").exists()


# ------------------------------------------------------------------------- concurrency
@pytest.mark.parametrize("suffix", [".chainkg", ".json"])
def test_concurrent_loads_both_land(tmp_path, suffix):
    target = f"ws{suffix}"
    ws.save(kunming(), tmp_path / target)
    for trial in range(3):
        a = sources_file(tmp_path, f"a{trial}", [f"src:a{trial}-{i}" for i in range(3)])
        b = sources_file(tmp_path, f"b{trial}", [f"src:b{trial}-{i}" for i in range(3)])
        procs = [subprocess.Popen([*CLI, "load", str(x), "--into", target], cwd=tmp_path,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for x in (a, b)]
        outs = [p.communicate(timeout=120) for p in procs]
        kg = ws.load(tmp_path / target)
        for p, (_out, err), prefix in zip(procs, outs, ("a", "b"), strict=True):
            ids = [f"src:{prefix}{trial}-{i}" for i in range(3)]
            if p.returncode == 0:
                assert all(kg.has(i) for i in ids), f"lost update in trial {trial}: {outs}"
            else:
                assert "another chainkg process" in err and not any(kg.has(i) for i in ids)
    left = sorted(f for f in os.listdir(tmp_path) if f != "cache")
    assert left == sorted([target, *(f"{x}{t}" for x in "ab" for t in range(3))])


# ----------------------------------------------------------------------------- crashes
@pytest.mark.parametrize("suffix", [".chainkg", ".json"])
def test_kill_during_load_into_leaves_old_or_new(tmp_path, suffix):
    from chainkg.graph.synthetic import national_graph as generate

    target = tmp_path / f"ws{suffix}"
    ws.save(generate(3000, seed=3), target)
    old_n = len(ws.load(target))
    rng = random.Random(13)
    for trial in range(4):
        data = sources_file(tmp_path, f"d{trial}", [f"src:k{trial}"])
        p = subprocess.Popen([*CLI, "load", str(data), "--into", target.name], cwd=tmp_path,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.3, 2.5))
        p.send_signal(signal.SIGKILL)
        p.wait()
        r = run("--graph", target.name, "info", "--format", "json", cwd=tmp_path)  # the next command
        assert r.returncode == 0, r.stderr
        n = len(ws.load(target))
        assert n in (old_n, old_n + 1)
        old_n = n
        stray = [f for f in os.listdir(tmp_path) if f.startswith(".") or f.endswith("-journal")]
        assert stray == [], f"trial {trial}: {stray}"


# ------------------------------------------------------------------------------- files
@pytest.mark.parametrize("suffix", [".chainkg", ".json"])
def test_symlinked_shared_workspace_stays_a_link_with_its_mode(tmp_path, suffix):
    real = tmp_path / "shared" / f"city{suffix}"
    real.parent.mkdir()
    ws.save(kunming(), real)
    os.chmod(real, 0o664)
    link = tmp_path / f"link{suffix}"
    link.symlink_to(real)
    data = sources_file(tmp_path, "d", ["src:via-link"])
    r = run("load", str(data), "--into", link.name, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert link.is_symlink() and link.resolve() == real
    assert stat.S_IMODE(os.stat(real).st_mode) == 0o664
    assert ws.load(real).has("src:via-link")
    assert sorted(os.listdir(real.parent)) == [real.name]


def test_new_files_follow_the_umask(tmp_path):
    old = os.umask(0o027)
    try:
        ws.save(KnowledgeGraph(), tmp_path / "a.json")
        ws.save(KnowledgeGraph(), tmp_path / "b.chainkg")
    finally:
        os.umask(old)
    for name in ("a.json", "b.chainkg"):
        assert stat.S_IMODE(os.stat(tmp_path / name).st_mode) == 0o640


def test_fifo_is_refused_as_output_and_as_workspace(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    for args in (["export", "--format", "json", "-o", "pipe"], ["export", "--format", "graphml", "-o", "pipe"],
                 ["load", str(sources_file(tmp_path, "d", ["src:x"])), "--into", "pipe"],
                 ["--graph", "pipe", "info"]):
        r = run(*args, cwd=tmp_path, timeout=60)
        assert r.returncode == 1, (args, r.stderr)
        assert "FIFO" in r.stderr and "pipe" in r.stderr and "Traceback" not in r.stderr
        assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert sorted(f for f in os.listdir(tmp_path) if f != "cache") == ["d", "pipe"]


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full")
def test_export_to_dev_full_fails_cleanly(tmp_path):
    before = os.stat("/dev/full")
    r = run("export", "--format", "json", "-o", "/dev/full", cwd=tmp_path)
    assert r.returncode == 1 and "/dev/full" in r.stderr and "Traceback" not in r.stderr
    after = os.stat("/dev/full")
    assert stat.S_ISCHR(after.st_mode) and after.st_ino == before.st_ino


def test_write_errors_name_the_users_path(tmp_path, monkeypatch):
    def crash(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", crash)
    with pytest.raises(GraphError) as e:
        ws.save(kunming(), tmp_path / "ws.json")
    assert str(e.value) == f"{tmp_path / 'ws.json'}: cannot write (No space left on device)"
    assert os.listdir(tmp_path) == []


def test_stale_temp_files_are_removed_only_when_their_writer_is_gone(tmp_path):
    import fcntl

    target = tmp_path / "ws.json"
    ws.save(KnowledgeGraph(), target)
    dead = tmp_path / ".ws.json.abc123.tmp"
    dead.write_bytes(b"partial")
    alive = tmp_path / ".ws.json.def456.tmp"
    alive.write_bytes(b"in progress")
    fd = os.open(alive, os.O_RDONLY)
    fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        ws.load(target)
        assert not dead.exists() and alive.exists()
    finally:
        os.close(fd)


def test_csv_export_escapes_formulas(tmp_path):
    kg = KnowledgeGraph()
    kg.merge_node("Source", {"id": "s", "title": '=HYPERLINK("http://evil","click")'})
    kg.merge_node("Source", {"id": "s2", "title": "@SUM(A1)", "note": "+1+2"})
    kg.merge_node("Source", {"id": "s3", "title": "-12.5"})
    export_csv(kg, tmp_path / "out")
    with open(tmp_path / "out" / "sources.csv", encoding="utf-8", newline="") as f:
        rows = {r["id"]: r for r in csv.DictReader(f)}
    assert rows["s"]["title"] == '\'=HYPERLINK("http://evil","click")'
    assert rows["s2"]["title"] == "'@SUM(A1)" and rows["s2"]["note"] == "'+1+2"
    assert rows["s3"]["title"] == "-12.5"  # a plain number is not a formula
    assert escape_formula("\t=1") == "'\t=1" and escape_formula("\r=1") == "'\r=1"


def test_snapcache_folder_must_be_private(tmp_path):
    folder = snapcache.cache_dir()
    folder.mkdir(parents=True)
    os.chmod(folder, 0o777)
    p = tmp_path / "k.chainkg"
    ws.save(kunming(), p)
    assert not list(folder.glob("*.snap"))  # a world-writable cache is not trusted, nor written
    assert ws.load(p) == kunming()
