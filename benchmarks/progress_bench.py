"""What the progress line costs: the same commands with stderr a terminal, a pipe, and on the baseline code.

Kinds, run round-robin per repetition so they share the machine's moods:

- ``base``: the ``chainkg`` script of a baseline install (``--base-cli``, e.g. a venv of the commit before the
  progress work), stderr a pipe;
- ``pipe``: this checkout's ``chainkg``, stderr a pipe (no progress: the work only stores counts);
- ``tty``: this checkout's ``chainkg``, stderr a pseudo-terminal with the default 1 s delay (the line is drawn
  by the background thread, 8 frames a second, once a command runs past a second).

Every run is a fresh process, stdout to a file in ``--dir``; wall time by ``perf_counter``, CPU (user + sys) of
the child from ``os.wait4``. A non-zero exit stops the benchmark with its stderr. Python writes bytecode for
both trees (PYTHONDONTWRITEBYTECODE is removed from the children's environment), so start-up is what an install
sees.

    python benchmarks/progress_bench.py --dir /tmp/pg --base-cli /tmp/pg/bvenv/bin/chainkg \\
        --workspace /tmp/pg/ws100k.chainkg --workspace /tmp/pg/ws100k.json --firms 20000 --reps 5
    python benchmarks/progress_bench.py --dir /tmp/pg --inprocess /tmp/pg/ws100k.json --reps 7
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import os
import shutil
import statistics
import struct
import subprocess
import sys
import termios
import threading
import time
from pathlib import Path


def run_once(argv: list[str], env: dict[str, str], cwd: Path, tty: bool) -> tuple[float, float, bytes]:
    """Wall and CPU seconds of one run, and what reached stderr."""
    out = open(cwd / "stdout.txt", "wb")  # noqa: SIM115 - closed below
    if tty:
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
        err_target = slave
    else:
        err_target = subprocess.PIPE
    got: list[bytes] = []
    started = time.perf_counter()
    proc = subprocess.Popen(argv, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=err_target)
    if tty:
        os.close(slave)

        def drain() -> None:
            while True:
                try:
                    chunk = os.read(master, 65536)
                except OSError:
                    return
                if not chunk:
                    return
                got.append(chunk)

        reader = threading.Thread(target=drain, daemon=True)
        reader.start()
    else:
        reader = threading.Thread(target=lambda: got.append(proc.stderr.read()), daemon=True)
        reader.start()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    reader.join(timeout=10)
    if tty:
        os.close(master)
    out.close()
    err = b"".join(got)
    if proc.returncode != 0:
        sys.exit(f"{' '.join(argv)} exited {proc.returncode}:\n{err.decode(errors='replace')}")
    return wall, usage.ru_utime + usage.ru_stime, err


def in_process(doc_path: Path, reps: int) -> None:
    """``from_document`` on one JSON workspace, alternating: no terminal, and a terminal drawn from the start.

    The drawing thread's CPU is in ``process_time`` (all threads of the process). The document is parsed
    outside the timing, once per run.
    """
    import gc
    import json

    from chainkg import progress
    from chainkg.graph.workspace import from_document

    raw = doc_path.read_bytes()
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    tty = open(slave, "w", encoding="utf-8")  # noqa: SIM115 - for the whole run

    def drain() -> None:
        with contextlib.suppress(OSError):
            while os.read(master, 65536):
                pass

    threading.Thread(target=drain, daemon=True).start()
    plain = sys.stderr
    os.environ["CHAINKG_PROGRESS_DELAY"] = "0"
    times: dict[str, list[tuple[float, float]]] = {"no terminal": [], "terminal, drawing": []}
    for _ in range(reps):
        for kind in times:
            doc = json.loads(raw)
            gc.collect()
            sys.stderr = tty if kind.startswith("terminal") else plain
            progress.enable(kind.startswith("terminal"))
            w, c = time.perf_counter(), time.process_time()
            kg = from_document(doc)
            times[kind].append((time.perf_counter() - w, time.process_time() - c))
            sys.stderr = plain
            del kg, doc
    print(f"from_document({doc_path.name}), {reps} runs each, alternating; median wall / CPU (all threads):")
    base = statistics.median(c for _, c in times["no terminal"])
    for kind, v in times.items():
        wall, cpu = statistics.median(w for w, _ in v), statistics.median(c for _, c in v)
        print(f"  {kind:18} wall {wall:.3f} s  CPU {cpu:.3f} s  CPU ratio {cpu / base:.3f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dir", type=Path, required=True)
    ap.add_argument("--base-cli", help="the baseline install's chainkg script (required unless --inprocess)")
    ap.add_argument("--cli", default=shutil.which("chainkg"), help="this checkout's chainkg script")
    ap.add_argument("--workspace", type=Path, action="append", default=[], help="workspaces to run `info` on")
    ap.add_argument("--firms", type=int, default=20000)
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--help-reps", type=int, default=10)
    ap.add_argument("--inprocess", type=Path, help="only time from_document on this JSON workspace, in process")
    a = ap.parse_args()
    if a.inprocess:
        in_process(a.inprocess, a.reps)
        return

    env = {k: v for k, v in os.environ.items() if not k.startswith("CHAINKG_") and k != "PYTHONDONTWRITEBYTECODE"}
    env.update(XDG_CACHE_HOME=str(a.dir / "bench-cache"), TERM="xterm", CHAINKG_LANG="zh")
    kinds = {"base": (a.base_cli, False), "pipe": (a.cli, False), "tty": (a.cli, True)}
    for kind in kinds:
        (a.dir / f"run-{kind}").mkdir(parents=True, exist_ok=True)
    commands: list[tuple[str, list[str], int]] = [("chainkg --help", ["--help"], a.help_reps),
                                                  (f"generate --firms {a.firms:,}",
                                                   ["generate", "--firms", str(a.firms), "--seed", "7", "-o",
                                                    "gen.json"], a.reps)]
    for ws in a.workspace:
        commands.append((f"info on {ws.name}", ["--graph", str(ws.resolve()), "info"], a.reps))
    # Warm everything once: bytecode for both trees, the snapshot cache of SQLite workspaces.
    for _, args, _ in commands:
        for kind, (cli, tty) in kinds.items():
            run_once([cli, *args], env, a.dir / f"run-{kind}", tty)

    print(f"load average at start: {os.getloadavg()}", flush=True)
    print("| command | base wall | pipe wall | tty wall | tty / pipe | pipe / base | base CPU | pipe CPU | tty CPU "
          "| tty CPU / pipe CPU | frames drawn (tty, median) |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for label, args, reps in commands:
        wall: dict[str, list[float]] = {k: [] for k in kinds}
        cpu: dict[str, list[float]] = {k: [] for k in kinds}
        frames: list[int] = []
        for _ in range(reps):
            for kind, (cli, tty) in kinds.items():
                w, c, err = run_once([cli, *args], env, a.dir / f"run-{kind}", tty)
                wall[kind].append(w)
                cpu[kind].append(c)
                if tty:
                    frames.append(err.count(b"\x1b[K") - 1 if err else 0)  # the last one is the erase
                elif err:
                    sys.exit(f"{kind}: stderr not empty without a terminal: {err[:200]!r}")
        m = {k: statistics.median(v) for k, v in wall.items()}
        c = {k: statistics.median(v) for k, v in cpu.items()}

        span = {k: f"{m[k]:.2f} ({min(v):.2f}–{max(v):.2f})" for k, v in wall.items()}
        print(f"| {label} | {span['base']} | {span['pipe']} | {span['tty']} | {m['tty'] / m['pipe']:.3f} | "
              f"{m['pipe'] / m['base']:.3f} | {c['base']:.2f} | {c['pipe']:.2f} | {c['tty']:.2f} | "
              f"{c['tty'] / c['pipe']:.3f} | {statistics.median(frames):.0f} |", flush=True)
    print(f"load average at end: {os.getloadavg()}; {a.reps} repetitions ({a.help_reps} for --help), medians "
          "(min–max) in seconds")


if __name__ == "__main__":
    main()
