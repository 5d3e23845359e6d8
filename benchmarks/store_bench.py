"""JSON workspace vs SQLite workspace (+ verified snapshot cache), end to end through the CLI, side by side.

    python benchmarks/store_bench.py --firms 100000 --reps 3 [--commands info,show,missing,pipeline]
    python benchmarks/store_bench.py --firms 100000 --kill-trials 20     # kill -9 during load --into

Per size: ``chainkg generate --firms N --seed 7`` to a JSON workspace, ``export --format workspace`` to
``.chainkg`` (this also writes the cache), then for every command the two workspaces alternate, ``--reps``
times each; each run is a fresh ``chainkg`` process, timed wall-clock with its peak RSS (``ru_maxrss`` of the
child). Prints medians, min–max and peak RSS as a Markdown table. ``--help`` start-up is measured too.
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

COMMANDS = {
    "info": ["info"],
    "show": ["show", "昆明市"],
    "coverage": ["gaps", "coverage"],
    "missing": ["gaps", "missing"],
    "weak": ["gaps", "weak"],
    "extend": ["gaps", "extend"],
    "dependencies": ["gaps", "dependencies"],
    "chokepoints": ["gaps", "chokepoints"],
    "targets": ["targets"],
    "pipeline": ["pipeline"],
}
CLI = [sys.executable, "-m", "chainkg.cli"]


def timed(args: list[str], cwd: Path) -> tuple[float, float, int]:
    t0 = time.perf_counter()
    p = subprocess.Popen(args, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, rusage = os.wait4(p.pid, 0)[1:]
    wall = time.perf_counter() - t0
    return wall, rusage.ru_maxrss / 1024, 0


def bench(folder: Path, commands: list[str], reps: int) -> list[dict]:
    rows = []
    for name in commands:
        res: dict[str, list] = {"json": [], "sqlite": []}
        for _ in range(reps):
            for kind, ws in (("json", "ws.json"), ("sqlite", "ws.chainkg")):
                res[kind].append(timed([*CLI, "--graph", ws, *COMMANDS[name], "--format", "json"], folder))
        row = {"command": name}
        for kind in ("json", "sqlite"):
            walls = [w for w, _, _ in res[kind]]
            row[kind] = (statistics.median(walls), min(walls), max(walls), max(r for _, r, _ in res[kind]))
        rows.append(row)
        j, s = row["json"], row["sqlite"]
        print(f"| {name} | {j[0]:.2f} ({j[1]:.2f}–{j[2]:.2f}) | {s[0]:.2f} ({s[1]:.2f}–{s[2]:.2f}) | "
              f"{j[0] / s[0]:.1f}× | {j[3]:.0f} | {s[3]:.0f} |", flush=True)
    return rows


def kill_trials(folder: Path, suffix: str, trials: int, seed: int = 1) -> None:
    """kill -9 a ``load --into`` at a random moment, run the next command, check old-or-new and no debris."""
    from chainkg.graph import workspace

    target = folder / f"ws{suffix}"
    n_old = len(workspace.load(target))
    rng = random.Random(seed)
    ok = 0
    for t in range(trials):
        d = folder / f"k{t}"
        d.mkdir(exist_ok=True)
        (d / "sources.csv").write_text(f"id,title,kind\nsrc:kill{t},t,notes\n", encoding="utf-8")
        p = subprocess.Popen([*CLI, "load", str(d), "--into", target.name], cwd=folder,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        delay = rng.uniform(0.5, 12.0)
        time.sleep(delay)
        p.send_signal(signal.SIGKILL)
        p.wait()
        r = subprocess.run([*CLI, "--graph", target.name, "info", "--format", "json"], cwd=folder,
                           capture_output=True, text=True)
        n = len(workspace.load(target))
        debris = [f for f in os.listdir(folder) if f.startswith(".") or f.endswith("-journal")]
        good = r.returncode == 0 and n in (n_old, n_old + 1) and not debris
        ok += good
        print(f"  trial {t}: kill after {delay:.1f}s → {'new' if n == n_old + 1 else 'old'}"
              f"{'' if good else ' FAILED ' + str((r.returncode, n, debris))}", flush=True)
        n_old = n
    print(f"{suffix}: {ok}/{trials} trials old-or-new with no debris")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--firms", type=int, default=10000)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--commands", default=",".join(COMMANDS))
    ap.add_argument("--kill-trials", type=int, default=0)
    ap.add_argument("--dir", type=Path, default=None)
    a = ap.parse_args()
    folder = a.dir or Path(tempfile.mkdtemp(prefix="chainkg-store-bench."))
    folder.mkdir(parents=True, exist_ok=True)
    if not (folder / "ws.json").exists():
        subprocess.run([*CLI, "generate", "--firms", str(a.firms), "--seed", "7", "-o", "ws.json"], cwd=folder,
                       check=True)
    if not (folder / "ws.chainkg").exists():
        subprocess.run([*CLI, "--graph", "ws.json", "export", "--format", "workspace", "-o", "ws.chainkg"],
                       cwd=folder, check=True)
    helps = sorted(timed([*CLI, "--help"], folder)[0] for _ in range(5))
    print(f"`chainkg --help`: median {statistics.median(helps):.3f} s (min {helps[0]:.3f}, max {helps[-1]:.3f})")
    print(f"\n{a.firms:,} firms, {a.reps} runs each, seconds: median (min–max); peak RSS MB\n")
    print("| command | JSON | SQLite+cache | speed-up | RSS JSON | RSS SQLite |\n|---|---|---|---|---|---|")
    if a.reps:
        bench(folder, [c for c in a.commands.split(",") if c], a.reps)
    if a.kill_trials:
        for suffix in (".chainkg", ".json"):
            kill_trials(folder, suffix, a.kill_trials)


if __name__ == "__main__":
    main()
