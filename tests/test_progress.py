"""Progress lines (chainkg.progress): drawn on a terminal's stderr only, erased when done, stdout untouched.

The CLI runs in a child process whose stderr is a pseudo-terminal (``os.openpty``); its stdout is a pipe, so
it can be compared byte for byte with a run where neither is a terminal. ``CHAINKG_PROGRESS_DELAY=0`` draws
the first frame at once, so even a small graph shows every step deterministically. :func:`screen` replays
what the terminal received (carriage return, newline, erase-to-end-of-line) to see what is left on it.
"""

from __future__ import annotations

import fcntl
import io
import os
import re
import signal
import struct
import subprocess
import sys
import termios
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from wcwidth import wcswidth

from chainkg import progress
from chainkg.graph import workspace
from chainkg.graph.kg import KnowledgeGraph
from chainkg.graph.synthetic import national_graph

CLI = [sys.executable, "-m", "chainkg.cli"]
FRAME = re.compile(r"\r([^\r\x1b]+)\x1b\[K")


@dataclass
class Run:
    stdout: bytes
    stderr: bytes
    code: int

    @property
    def terminal(self) -> str:
        return self.stderr.decode("utf-8")

    @property
    def frames(self) -> list[str]:
        """Every progress line drawn, in order."""
        return FRAME.findall(self.terminal)


def child_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHAINKG_")}
    env.update(XDG_CACHE_HOME=str(tmp_path / "cache"), TERM="xterm", CHAINKG_LANG="en",
               CHAINKG_PROGRESS_DELAY="0")
    env.update(extra)
    return env


def run_cli(args: list[str], cwd: Path, env: dict[str, str], *, tty: bool, columns: int = 100,
            interrupt_after: str | None = None, timeout: float = 300) -> Run:
    """Run the CLI with stderr a pseudo-terminal (``tty``) or a pipe; stdout is always a pipe.

    ``interrupt_after``: send SIGINT (what Ctrl-C sends) once the terminal has shown this text.
    """
    if not tty:
        done = subprocess.run([*CLI, *args], cwd=cwd, env=env, capture_output=True, timeout=timeout)
        return Run(done.stdout, done.stderr, done.returncode)
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
    proc = subprocess.Popen([*CLI, *args], cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=slave)
    os.close(slave)
    received: list[bytes] = []
    seen = threading.Event()

    def read_terminal() -> None:
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO: the child closed the terminal
                return
            if not chunk:
                return
            received.append(chunk)
            if interrupt_after and interrupt_after.encode() in b"".join(received):
                seen.set()

    reader = threading.Thread(target=read_terminal, daemon=True)
    reader.start()
    out: list[bytes] = []
    stdout_reader = threading.Thread(target=lambda: out.append(proc.stdout.read()), daemon=True)
    stdout_reader.start()
    try:
        if interrupt_after:
            assert seen.wait(timeout), f"never showed {interrupt_after!r}: {b''.join(received)!r}"
            time.sleep(0.3)  # a few more frames: the interrupt lands mid-line, not before the first
            proc.send_signal(signal.SIGINT)
        code = proc.wait(timeout=timeout)
    finally:
        if proc.poll() is None:
            proc.kill()
        stdout_reader.join(timeout=10)
        reader.join(timeout=10)
        os.close(master)
    return Run(out[0] if out else b"", b"".join(received), code)


def screen(transcript: str) -> list[str]:
    """The lines a terminal shows after receiving ``transcript`` (CR, LF and erase-to-end-of-line only)."""
    lines: list[list[str]] = [[]]
    col = 0
    i = 0
    while i < len(transcript):
        if transcript.startswith("\x1b[K", i):
            del lines[-1][col:]
            i += 3
            continue
        c = transcript[i]
        assert c != "\x1b", f"unexpected escape sequence {transcript[i:i + 8]!r}"
        if c == "\r":
            col = 0
        elif c == "\n":
            lines.append([])
            col = 0
        else:
            line = lines[-1]
            if col < len(line):
                line[col] = c
            else:
                line.append(c)
            col += 1
        i += 1
    return ["".join(x) for x in lines]


def edge_count(kg: KnowledgeGraph) -> int:
    return sum(1 for _ in kg.g.edges(keys=True))


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> tuple[Path, int, int]:
    """A 300-firm generated workspace as JSON and SQLite, with its node and relationship counts."""
    d = tmp_path_factory.mktemp("progress-ws")
    kg = national_graph(300, seed=5)
    workspace.save(kg, d / "ws.json")
    workspace.save(kg, d / "ws.chainkg")
    return d, len(kg), edge_count(kg)


def assert_clean(run: Run) -> None:
    """Something was drawn, the last thing written was the erase, and no progress text is left on screen."""
    assert run.frames, f"nothing drawn: {run.terminal!r}"
    assert run.terminal.endswith("\r\x1b[K"), run.terminal[-200:]
    assert screen(run.terminal) == [""], screen(run.terminal)


# ------------------------------------------------------------------------------------------ the CLI
def test_json_workspace_load_shows_progress_and_stdout_is_unchanged(small, tmp_path):
    d, nodes, edges = small
    env = child_env(tmp_path)
    tty = run_cli(["--graph", "ws.json", "info", "--format", "json"], d, env, tty=True)
    plain = run_cli(["--graph", "ws.json", "info", "--format", "json"], d, env, tty=False)
    assert tty.code == plain.code == 0, (tty, plain)
    assert tty.stdout == plain.stdout and b'"Enterprise": 300' in plain.stdout
    assert plain.stderr == b""
    assert any(f.startswith("⠋ Reading ws.json (") for f in tty.frames), tty.frames
    assert any(f"Loading {nodes:,} nodes, {edges:,} relationships…" in f for f in tty.frames), tty.frames
    assert_clean(tty)


def test_sqlite_workspace_load_in_chinese(small, tmp_path):
    d, nodes, edges = small
    for cache in ("", "1"):  # from the rows, then (after the first read wrote it) from the snapshot cache
        env = child_env(tmp_path, CHAINKG_LANG="zh", CHAINKG_NO_CACHE=cache)
        tty = run_cli(["--graph", "ws.chainkg", "info", "--format", "json"], d, env, tty=True)
        plain = run_cli(["--graph", "ws.chainkg", "info", "--format", "json"], d, env, tty=False)
        assert tty.code == plain.code == 0, (tty, plain)
        assert tty.stdout == plain.stdout and plain.stderr == b""
        assert any(f"正在加载 ws.chainkg：{nodes:,} 个节点、{edges:,} 条关系…" in f for f in tty.frames), tty.frames
        assert_clean(tty)


def test_generate_shows_each_step_and_writes_the_same_file(tmp_path):
    env = child_env(tmp_path, CHAINKG_LANG="zh")
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    args = ["generate", "--firms", "300", "--seed", "2", "-o", "g.json"]
    tty = run_cli(args, tmp_path / "a", env, tty=True)
    plain = run_cli(args, tmp_path / "b", env, tty=False)
    assert tty.code == plain.code == 0, (tty, plain)
    assert tty.stdout == plain.stdout and plain.stderr == b""
    assert (tmp_path / "a" / "g.json").read_bytes() == (tmp_path / "b" / "g.json").read_bytes()
    texts = [f[2:] for f in tty.frames]  # without the spinner
    assert any(t.startswith("正在生成 300 家企业的全国图…（") for t in texts), texts
    nodes = len(workspace.load(tmp_path / "b" / "g.json"))
    assert any(t.startswith(f"正在保存 g.json：0 / {nodes:,} 个节点（0%，") for t in texts), texts
    assert any(t.startswith("正在保存 g.json：已写 ") for t in texts), texts
    assert_clean(tty)


def test_load_into_shows_reading_merging_and_writing(mini, tmp_path):
    env = child_env(tmp_path)
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    tty = run_cli(["load", str(mini), "--into", "city.chainkg"], tmp_path / "a", env, tty=True)
    plain = run_cli(["load", str(mini), "--into", "city.chainkg"], tmp_path / "b", env, tty=False)
    assert tty.code == plain.code == 0, (tty, plain)
    assert tty.stdout == plain.stdout and plain.stderr == b""
    texts = [f[2:] for f in tty.frames]
    assert texts[0].startswith("Reading and checking mini… ("), texts
    merging = [t for t in texts if t.startswith("Merging ")]
    assert merging and all(re.fullmatch(r"Merging [\d,]+ / [\d,]+ records \(\d+%, \d+ s\)", t) for t in merging)
    assert any(t.startswith("Saving city.chainkg (") for t in texts), texts
    assert any(re.match(r"Writing [\d,]+ rows to city\.chainkg…", t) for t in texts), texts
    assert_clean(tty)

    again = run_cli(["validate", str(mini), "--into", "city.chainkg"], tmp_path / "a", env, tty=True)
    assert again.code == 0 and again.stdout.startswith(b"ok: ")
    assert any(f[2:].startswith("Reading and checking mini…") for f in again.frames), again.frames
    assert any(f[2:].startswith("Loading city.chainkg: ") for f in again.frames), again.frames
    assert_clean(again)


def test_nothing_drawn_for_quick_work_switched_off_or_dumb_terminal(small, tmp_path):
    d, _, _ = small
    args = ["--graph", "ws.json", "info", "--format", "json"]
    expected = run_cli(args, d, child_env(tmp_path), tty=False).stdout
    for extra in ({"CHAINKG_PROGRESS_DELAY": "30"},  # the work ends long before the delay
                  {"CHAINKG_PROGRESS": "0"}, {"TERM": "dumb"}):
        run = run_cli(args, d, child_env(tmp_path, **extra), tty=True)
        assert run.code == 0 and run.stdout == expected
        assert run.stderr == b"", (extra, run.terminal)


def test_ctrl_c_leaves_the_line_clean(tmp_path):
    run = run_cli(["generate", "--firms", "60000", "-o", "big.json"], tmp_path, child_env(tmp_path), tty=True,
                  interrupt_after="Generating")
    assert run.code != 0 and run.stdout == b""
    assert "\r\x1b[K" in run.terminal
    shown = [line for line in screen(run.terminal) if line]
    assert shown == ["Aborted!"], shown  # click's message, at the start of a clean line
    assert not (tmp_path / "big.json").exists()


def test_an_error_leaves_the_line_clean(tmp_path):
    bad = {"format": "chainkg-workspace", "version": 1, "meta": {},
           "nodes": [{"id": "a", "type": "Source", "title": "t", "kind": "notes"}, {"type": "Source"}],
           "edges": []}
    (tmp_path / "bad.json").write_text(__import__("json").dumps(bad), encoding="utf-8")
    run = run_cli(["--graph", "bad.json", "info"], tmp_path, child_env(tmp_path), tty=True)
    assert run.code == 1
    assert any(f[2:].startswith("Loading 2 nodes, 0 relationships…") for f in run.frames), run.frames
    shown = [line for line in screen(run.terminal) if line]
    assert shown == ["Error: bad.json: node #2 is not a record with a text id and type: {'type': 'Source'}"], shown


def test_lines_fit_a_narrow_terminal(small, tmp_path):
    d, _, _ = small
    run = run_cli(["--graph", "ws.json", "info"], d, child_env(tmp_path, CHAINKG_LANG="zh"), tty=True, columns=30)
    assert run.code == 0 and run.frames
    assert all(wcswidth(f) <= 29 for f in run.frames), [(f, wcswidth(f)) for f in run.frames]
    assert any(f.startswith("⠋ 正在读取 ws.json") for f in run.frames), run.frames
    assert_clean(run)


# ------------------------------------------------------------------------------------------ in process
class Terminal:
    """A pseudo-terminal to put in place of stderr; :meth:`read` gives what it received so far."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.monkeypatch = monkeypatch
        self.master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        self.stream = open(slave, "w", encoding="utf-8")  # noqa: SIM115 - closed by the fixture
        os.set_blocking(self.master, False)
        self.got = bytearray()

    def attach(self) -> None:
        # In the test body: pytest puts its own capture back on sys.stderr between set-up and the test.
        self.monkeypatch.setattr(sys, "stderr", self.stream)

    def read(self) -> str:
        while True:
            try:
                chunk = os.read(self.master, 65536)
            except BlockingIOError:
                return self.got.decode("utf-8")
            self.got.extend(chunk)


@pytest.fixture
def terminal(monkeypatch):
    monkeypatch.setattr(progress, "_enabled", True)
    monkeypatch.setenv("TERM", "xterm")
    monkeypatch.setenv("CHAINKG_PROGRESS_DELAY", "0")
    monkeypatch.setenv("CHAINKG_LANG", "en")
    monkeypatch.delenv("CHAINKG_PROGRESS", raising=False)
    term = Terminal(monkeypatch)
    yield term
    monkeypatch.undo()  # stderr back before the stream closes
    term.stream.close()
    os.close(term.master)


def progress_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "chainkg-progress"]


def test_language_follows_chainkg_lang(monkeypatch):
    monkeypatch.delenv("CHAINKG_LANG", raising=False)
    assert progress.language() == "zh"
    for value, lang in (("en", "en"), ("EN_us", "en"), ("zh", "zh"), ("fr", "zh")):
        monkeypatch.setenv("CHAINKG_LANG", value)
        assert progress.language() == lang


def test_nested_tasks_take_over_the_line_and_an_exception_erases_it(terminal):
    terminal.attach()
    with pytest.raises(RuntimeError, match="boom"), progress.task("外层", "Outer {n:,}", n=12000) as outer:
        assert progress_threads()
        with progress.task("内层", "Inner {done:,} / {total:,}", total=40) as inner:
            inner.update(10)
            inner(20)
            inner.stage("下一步", "Next {rows:,} rows", rows=5)
            raise RuntimeError("boom")
    text = terminal.read()
    frames = FRAME.findall(text)
    assert frames[0] == "⠋ Outer 12,000 (0 s)"  # drawn at once (delay 0); then the thread may draw it again
    assert any(f.endswith(" Inner 0 / 40 (0%, 0 s)") for f in frames), frames  # the inner task, at once too
    assert any(f.endswith("Next 5 rows (0 s)") for f in frames), frames
    assert text.endswith("\r\x1b[K") and screen(text) == [""]
    assert progress._screen is None and not progress_threads()
    assert outer.done == 0 and inner.done == 0  # stage() restarted the count


def test_the_thread_keeps_drawing_while_work_runs(terminal, monkeypatch):
    terminal.attach()
    monkeypatch.setenv("CHAINKG_PROGRESS_DELAY", "0.2")
    with progress.task("处理", "Working {done} of {total}", total=4) as t:
        time.sleep(0.1)
        assert terminal.read() == ""  # still inside the delay
        for _ in range(4):
            t.update()
            time.sleep(0.3)
    frames = FRAME.findall(terminal.read())
    assert len(frames) >= 4, frames
    assert re.fullmatch(r". Working 4 of 4 \(100%, \d s\)", frames[-1]), frames
    assert screen(terminal.read()) == [""]


def test_without_a_terminal_or_enable_nothing_is_written(monkeypatch, terminal):
    terminal.attach()
    tty = sys.stderr
    fake = io.StringIO()
    monkeypatch.setattr(sys, "stderr", fake)
    assert not progress.active()
    with progress.task("加载", "Loading") as t:
        t.update(3)
        assert not progress_threads()
    assert fake.getvalue() == "" and t.done == 3

    monkeypatch.setattr(sys, "stderr", tty)
    monkeypatch.setattr(progress, "_enabled", False)  # a script that never called enable()
    assert not progress.active()
    with progress.task("加载", "Loading"):
        assert not progress_threads()
    assert terminal.read() == ""


def test_a_terminal_that_cannot_show_chinese_gets_english_and_ascii(monkeypatch, terminal):
    terminal.attach()
    sys.stderr.reconfigure(encoding="ascii")
    monkeypatch.setenv("CHAINKG_LANG", "zh")
    with progress.task("正在加载 {n:,} 个节点…", "Loading {n:,} nodes…", n=5):
        pass
    assert FRAME.findall(terminal.read())[0] == "| Loading 5 nodes... (0 s)"


def test_data_in_messages_is_escaped():
    task = progress.Task("读取 {name}", "Reading {name}", None, {"name": "a\x1b[2J\nb.json"})
    assert progress._escape(task.text("en")) == "Reading a\\x1b[2J\\x0ab.json"
    assert progress._fit("正在加载abc", 5) == "正在"


def test_apply_batch_counts_each_given_record_once():
    from chainkg.loaders.batch import apply_batch
    from chainkg.loaders.records import EdgeRecord, NodeRecord, Origin

    o = Origin("t.csv", 2)
    prov = {"provenance": "stated", "source": "src:t", "evidence": "e"}
    records = [
        NodeRecord("Source", {"id": "src:t", "title": "t", "kind": "notes"}, o),
        NodeRecord("Chain", {"id": "c", "name": "链", **prov}, o),
        NodeRecord("Segment", {"id": "s", "name": "段", "chain": "c", "stage": "upstream", "order": 1, **prov}, o),
        NodeRecord("Region", {"id": "r", "name": "城", "level": "city", **prov}, o),
        NodeRecord("Region", {"id": "r2", "name": "区", "level": "district", **prov}, o),
        EdgeRecord("PART_OF", "r2", "r", dict(prov), o, {}),
        EdgeRecord("PART_OF", "r2", "r", dict(prov), o, {}),  # a duplicate row still counts as given
    ]
    calls: list[int] = []
    kg = KnowledgeGraph()
    report = apply_batch(records, kg, calls.append)
    assert calls == [1] * 7  # 5 nodes + 2 relationship rows; the implied HAS_SEGMENT is not counted
    assert kg.has_edge("c", "s", "HAS_SEGMENT") and report.edges_added == 2


# ------------------------------------------------------------------------------------------ Neo4j
@pytest.mark.neo4j
def test_neo4j_push_and_pull_show_counts(small, tmp_path):
    from test_neo4j_support import require_neo4j

    settings = require_neo4j()
    d, nodes, edges = small
    env = child_env(tmp_path, CHAINKG_NEO4J_URI=settings.uri, CHAINKG_NEO4J_GRAPH=settings.graph,
                    **({"CHAINKG_NEO4J_PASSWORD": settings.password} if settings.password else {}))
    push = run_cli(["--graph", "ws.json", "neo4j", "push", "--replace", "--yes", "--batch-size", "500"], d, env,
                   tty=True)
    assert push.code == 0, push
    assert push.stdout.startswith(f"pushed ws.json: {nodes} nodes, {edges} relationships".encode())
    texts = [f[2:] for f in push.frames]
    assert any(t.startswith(f"Preparing to push {nodes:,} nodes, {edges:,} relationships…") for t in texts), texts
    pushing = [re.match(r"Pushing to Neo4j: ([\d,]+) / ([\d,]+) (nodes|relationships) \(", t) for t in texts]
    seen = {(m[2], m[3]) for m in pushing if m}
    assert seen == {(f"{nodes:,}", "nodes"), (f"{edges:,}", "relationships")}, texts
    assert all(int(m[1].replace(",", "")) <= int(m[2].replace(",", "")) for m in pushing if m)
    # the note about other nodes (none here) or nothing follows on stderr; what the terminal shows is clean
    assert not [line for line in screen(push.terminal) if line], screen(push.terminal)

    pull = run_cli(["neo4j", "pull", "--into", str(tmp_path / "back.json")], d, env, tty=True)
    assert pull.code == 0, pull
    texts = [f[2:] for f in pull.frames]
    assert any(t.startswith(f"Reading graph {settings.graph} from Neo4j…") for t in texts), texts
    assert any(t.startswith(f"Loading {nodes:,} nodes, {edges:,} relationships…") for t in texts), texts
    assert any(t.startswith("Saving back.json: ") for t in texts), texts
    assert_clean(pull)


def test_register_import_and_match_show_progress(tmp_path):
    register = Path(__file__).resolve().parents[1] / "benchmarks" / "eval" / "registers" / "suining.csv"
    env = child_env(tmp_path, CHAINKG_LANG="zh")
    steps = [["templates", "use", "新能源电池", "--into", "s.chainkg", "--home-region", "遂宁市",
              "--home-level", "city"],
             ["import", "register", str(register), "--into", "s.chainkg"],
             ["--graph", "s.chainkg", "match"]]
    texts: list[str] = []
    for args in steps:
        runs = {}
        for kind in ("tty", "plain"):
            (tmp_path / kind).mkdir(exist_ok=True)
            runs[kind] = run_cli(args, tmp_path / kind, env, tty=kind == "tty")
            assert runs[kind].code == 0, runs[kind]
        assert runs["tty"].stdout == runs["plain"].stdout and runs["plain"].stderr == b""
        assert_clean(runs["tty"])
        texts += [f[2:] for f in runs["tty"].frames]
    assert any(t.startswith("正在导入企业名录 suining.csv…（") for t in texts), texts
    assert any(t.startswith("正在把企业匹配到产业链环节…（") for t in texts), texts
    assert any(t.startswith("正在写入 s.chainkg：") for t in texts), texts
