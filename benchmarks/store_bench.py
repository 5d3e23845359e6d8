"""JSON workspace vs SQLite workspace (warm snapshot cache, and cold), end to end through the CLI, side by side.

    python benchmarks/store_bench.py --dir /tmp/perf/b100k --json /tmp/perf/n100k.json --reps 5
    python benchmarks/store_bench.py --dir /tmp/perf/b10k --firms 10000 --reps 5
    python benchmarks/store_bench.py --dir /tmp/perf/b100k --reps 0 --help-reps 10     # start-up only
    python benchmarks/store_bench.py --dir /tmp/perf/b100k --kinds json,before,warm \
        --baseline-cli /work/main/.venv/bin/chainkg                                    # before vs after too

Per size: a JSON workspace (``--json FILE``, else ``chainkg generate --firms N --seed 7``), copied to
``ws.json``, and ``export --format workspace`` to ``ws.chainkg``. Then for every command, round-robin within
each repetition: JSON, SQLite with the snapshot cache warm, SQLite cold (``CHAINKG_NO_CACHE=1``: built from
the rows), and with ``--baseline-cli`` SQLite warm through another checkout's ``chainkg`` (*before*, its own
cache folder). Each run is a fresh ``chainkg`` process (the installed console script) with its own cache folder
(``XDG_CACHE_HOME`` inside ``--dir``), output to /dev/null, timed wall-clock; its CPU time (user + sys) and
peak RSS come from ``os.wait4`` (``ru_maxrss`` of that child only). A run that exits non-zero aborts the
benchmark with its stderr: a failed command is never timed as a fast one.

Prints Markdown tables: median (min–max) wall seconds, median CPU seconds, max peak RSS in MB, and the
speed-ups JSON / SQLite-warm and before / SQLite-warm of the medians. ``uptime`` is printed before and
after (the machine is shared).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

COMMANDS = {
    "info": ["info", "--format", "json"],
    "show": ["show", "昆明市", "--format", "json"],
    "coverage": ["gaps", "coverage", "--format", "json"],
    "missing": ["gaps", "missing", "--format", "json"],
    "weak": ["gaps", "weak", "--format", "json"],
    "extend": ["gaps", "extend", "--format", "json"],
    "dependencies": ["gaps", "dependencies", "--format", "json"],
    "chokepoints": ["gaps", "chokepoints", "--format", "json"],
    "targets --limit 50": ["targets", "--limit", "50", "--format", "json"],
    "targets (all rows)": ["targets", "--format", "json"],
    "pipeline": ["pipeline", "--format", "json"],
}
KINDS = ("json", "before", "warm", "cold")
FILES = {"json": "ws.json", "before": "ws.chainkg", "warm": "ws.chainkg", "cold": "ws.chainkg"}
#: ``--baseline-cli``: another checkout's ``chainkg`` script, run as the kind *before* (SQLite, warm cache).
BASELINE: list[str] = []


def chainkg() -> list[str]:
    exe = shutil.which("chainkg", path=str(Path(sys.executable).parent)) or shutil.which("chainkg")
    return [exe] if exe else [sys.executable, "-m", "chainkg.cli"]


def env_for(folder: Path, kind: str) -> dict[str, str]:
    # The baseline keeps its own cache folder: its snapshot format may differ from this tree's.
    env = dict(os.environ, XDG_CACHE_HOME=str(folder / ("cache-before" if kind == "before" else "cache")))
    env.pop("CHAINKG_NO_CACHE", None)
    env.pop("CHAINKG_GRAPH", None)
    # As an install runs: with its bytecode (a shell that sets this would compile ~30 modules per command,
    # ~0.1 s, and charge it to every command).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if kind == "cold":
        env["CHAINKG_NO_CACHE"] = "1"
    return env


def timed(args: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float, float]:
    """(wall s, CPU s, peak RSS MB) of one run; raises if it fails."""
    with tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        p = subprocess.Popen(args, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=err)
        _, status, ru = os.wait4(p.pid, 0)
        wall = time.perf_counter() - t0
        p.returncode = os.waitstatus_to_exitcode(status)
        if p.returncode != 0:
            err.seek(0)
            raise SystemExit(f"FAILED ({p.returncode}): {' '.join(args)}\n{err.read().decode(errors='replace')}")
    return wall, ru.ru_utime + ru.ru_stime, ru.ru_maxrss / 1024


def uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def prepare(folder: Path, firms: int, source: Path | None) -> dict:
    folder.mkdir(parents=True, exist_ok=True)
    cli = chainkg()
    if not (folder / "ws.json").exists():
        if source:
            shutil.copyfile(source, folder / "ws.json")
        else:
            subprocess.run([*cli, "generate", "--firms", str(firms), "--seed", "7", "-o", "ws.json"], cwd=folder,
                           check=True, stdout=subprocess.DEVNULL)
    if not (folder / "ws.chainkg").exists():
        subprocess.run([*cli, "--graph", "ws.json", "export", "--format", "workspace", "-o", "ws.chainkg"],
                       cwd=folder, check=True, env=env_for(folder, "warm"), stdout=subprocess.DEVNULL)
    out = subprocess.run([*cli, "--graph", "ws.chainkg", "info", "--format", "json"], cwd=folder, check=True,
                         env=env_for(folder, "warm"), capture_output=True, text=True).stdout
    info = json.loads(out)
    return {"nodes": sum(info["nodes"].values()), "firms": info["nodes"].get("Enterprise", 0),
            "rels": sum(info["edges"].values()), "json_mb": (folder / "ws.json").stat().st_size / 1e6,
            "sqlite_mb": (folder / "ws.chainkg").stat().st_size / 1e6}


def fmt(xs: list[float]) -> str:
    return f"{statistics.median(xs):.2f} ({min(xs):.2f}–{max(xs):.2f})"


def bench(folder: Path, commands: list[str], reps: int, kinds: tuple[str, ...]) -> None:
    cli = chainkg()
    cols = {"json": "JSON", "before": "SQLite before", "warm": "SQLite warm", "cold": "SQLite cold"}
    head = ["command", *(f"{cols[k]} wall" for k in kinds), *(f"{cols[k]} CPU" for k in kinds),
            "speed-up vs JSON", "vs before", *(f"RSS {cols[k]}" for k in kinds)]
    print("| " + " | ".join(head) + " |\n|" + "---|" * len(head), flush=True)
    for name in commands:
        res: dict[str, list[tuple[float, float, float]]] = {k: [] for k in kinds}
        for _ in range(reps):
            for kind in kinds:
                exe = BASELINE if kind == "before" else cli
                res[kind].append(timed([*exe, "--graph", FILES[kind], *COMMANDS[name]], folder,
                                       env_for(folder, kind)))
        walls = {k: [w for w, _, _ in res[k]] for k in kinds}
        cpus = {k: [c for _, c, _ in res[k]] for k in kinds}
        rss = {k: max(r for _, _, r in res[k]) for k in kinds}
        def ratio(base: str, walls: dict[str, list[float]] = walls) -> str:
            if base not in kinds or "warm" not in kinds:
                return ""
            return f"{statistics.median(walls[base]) / statistics.median(walls['warm']):.1f}×"

        cells = [name, *(fmt(walls[k]) for k in kinds), *(f"{statistics.median(cpus[k]):.2f}" for k in kinds),
                 ratio("json"), ratio("before"), *(f"{rss[k]:.0f}" for k in kinds)]
        print("| " + " | ".join(cells) + " |", flush=True)


def help_startup(folder: Path, reps: int) -> None:
    cli = chainkg()
    env = env_for(folder, "warm")
    runs = [timed([*cli, "--help"], folder, env) for _ in range(reps)]
    floor = [timed([sys.executable, "-c", "pass"], folder, env) for _ in range(reps)]
    w = [r[0] for r in runs]
    c = [r[1] for r in runs]
    print(f"`chainkg --help`: wall {fmt(w)} s, CPU median {statistics.median(c):.3f} s, "
          f"{reps} runs; bare `python -c pass`: wall {fmt([r[0] for r in floor])} s, "
          f"CPU {statistics.median([r[1] for r in floor]):.3f} s", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", type=Path, required=True, help="Work folder (workspaces and cache; reused).")
    ap.add_argument("--firms", type=int, default=10000, help="Firms to generate when --json is not given.")
    ap.add_argument("--json", type=Path, help="An existing JSON workspace to benchmark.")
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--kinds", default="json,warm,cold", help="json,before,warm,cold (any of them; before "
                    "needs --baseline-cli)")
    ap.add_argument("--baseline-cli", type=Path, help="The `chainkg` script of a baseline checkout (kind before).")
    ap.add_argument("--commands", default=",".join(COMMANDS))
    ap.add_argument("--help-reps", type=int, default=10)
    a = ap.parse_args()
    if a.baseline_cli:
        BASELINE[:] = [str(a.baseline_cli)]
    elif "before" in a.kinds.split(","):
        ap.error("--kinds before needs --baseline-cli")
    print(f"before: {uptime()}")
    meta = prepare(a.dir, a.firms, a.json)
    print(f"\n{meta['firms']:,} firms, {meta['nodes']:,} nodes, {meta['rels']:,} relationships; "
          f"ws.json {meta['json_mb']:.0f} MB, ws.chainkg {meta['sqlite_mb']:.0f} MB; "
          f"{a.reps} runs of each; seconds: median (min–max); CPU = user + sys; RSS = peak MB\n", flush=True)
    if a.help_reps:
        help_startup(a.dir, a.help_reps)
        print()
    if a.reps:
        kinds = tuple(k for k in KINDS if k in a.kinds.split(","))
        if "before" in kinds:  # fill the baseline's own snapshot cache, as prepare() did for this tree's
            subprocess.run([*BASELINE, "--graph", "ws.chainkg", "info"], cwd=a.dir, check=True,
                           env=env_for(a.dir, "before"), stdout=subprocess.DEVNULL)
        bench(a.dir, [c for c in a.commands.split(",") if c], a.reps, kinds)
    print(f"\nafter: {uptime()}")


if __name__ == "__main__":
    main()
