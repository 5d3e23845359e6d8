"""kill -9 a writer of a workspace at a random moment, then check: old or new content, no debris.

    python benchmarks/kill_trials.py --dir /tmp/perf/b100k --trials 20            # ws.chainkg in --dir
    python benchmarks/kill_trials.py --dir /tmp/perf/b100k --trials 20 --workspace ws.json

Two writers, ``--trials`` each:

- ``load``: ``chainkg load DIR --into WS`` adding one Source row (read → merge → write, under the lock);
- ``save``: a Python process that loads the workspace, adds one Source node and calls
  ``chainkg.graph.workspace.save`` (the whole graph written again).

The delay is drawn uniformly from ``--window`` (default 2 %–98 %) of the writer's duration, measured once
un-killed before the trials, so kills land in the read, the change and the write; ``--window 0.6,1.0`` aims at
the write and commit. Each line says whether SQLite's rollback journal existed at the moment of the kill (the
write transaction had begun) or the writer had already exited. After the SIGKILL the
*next command* (``chainkg --graph WS info``) must succeed, the node count must be the old or the new one,
``PRAGMA integrity_check`` must say ok (SQLite), and no stray file may remain next to the workspace
(``*-journal``, ``.*.tmp``) or in the snapshot cache folder (``.*.tmp``).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from store_bench import chainkg, env_for

SAVE = """
import sys
from chainkg.graph import workspace
kg = workspace.load(sys.argv[1])
kg.merge_node("Source", {"id": sys.argv[2], "title": "kill trial", "kind": "notes"})
workspace.save(kg, sys.argv[1])
"""


def writer(kind: str, folder: Path, ws: str, tag: str) -> list[str]:
    if kind == "load":
        d = folder / "kill-input" / tag
        d.mkdir(parents=True, exist_ok=True)
        (d / "sources.csv").write_text(f"id,title,kind\nsrc:{tag},kill trial,notes\n", encoding="utf-8")
        return [*chainkg(), "load", str(d), "--into", ws]
    return [sys.executable, "-c", SAVE, ws, f"src:{tag}"]


def node_count(folder: Path, ws: str) -> tuple[int, int]:
    r = subprocess.run([*chainkg(), "--graph", ws, "info", "--format", "json"], cwd=folder,
                       env=env_for(folder, "warm"), capture_output=True, text=True)
    if r.returncode:
        return r.returncode, -1
    return 0, sum(json.loads(r.stdout)["nodes"].values())


def debris(folder: Path, ws: str) -> list[str]:
    found = [f for f in os.listdir(folder) if f.startswith(f"{ws}-") or (f.startswith(".") and f.endswith(".tmp"))]
    cache = folder / "cache" / "chainkg"
    if cache.exists():
        found += [f"cache/{f}" for f in os.listdir(cache) if f.endswith(".tmp")]
    return found


def integrity(folder: Path, ws: str) -> str:
    if not ws.endswith(".chainkg"):
        return "ok"
    con = sqlite3.connect(f"file:{folder / ws}?mode=ro", uri=True)
    try:
        return con.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        con.close()


def run(kind: str, folder: Path, ws: str, trials: int, rng: random.Random, window: tuple[float, float]) -> int:
    env = env_for(folder, "warm")
    _, n = node_count(folder, ws)
    t0 = time.perf_counter()
    subprocess.run(writer(kind, folder, ws, f"{kind}-timing-{os.getpid()}"), cwd=folder, env=env, check=True,
                   stdout=subprocess.DEVNULL)
    duration = time.perf_counter() - t0
    _, n = node_count(folder, ws)
    print(f"\n{kind} into {ws}: one un-killed run takes {duration:.1f} s; {n:,} nodes", flush=True)
    good = 0
    outcomes = {"old": 0, "new": 0}
    for t in range(trials):
        tag = f"{kind}-{os.getpid()}-{t}"
        p = subprocess.Popen(writer(kind, folder, ws, tag), cwd=folder, env=env, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
        delay = rng.uniform(*window) * duration
        time.sleep(delay)
        writing = (folder / f"{ws}-journal").exists()  # SQLite's rollback journal: the write has begun
        p.send_signal(signal.SIGKILL)
        p.wait()
        early = p.returncode != -signal.SIGKILL  # it finished before the kill
        rc, after = node_count(folder, ws)
        state = "new" if after == n + 1 else "old" if after == n else f"BROKEN ({after})"
        left = debris(folder, ws)
        check = integrity(folder, ws)
        ok = rc == 0 and state in ("old", "new") and not left and check == "ok"
        good += ok
        if state in outcomes:
            outcomes[state] += 1
        phase = " (had finished)" if early else " (while writing)" if writing else ""
        print(f"  {kind} trial {t + 1:2d}: SIGKILL at {delay:5.1f} s{phase} → next "
              f"command rc={rc}, {state} content, integrity {check}, debris {left or 'none'}"
              f"{'' if ok else '  ← FAILED'}", flush=True)
        n = after if after >= 0 else n
    print(f"{kind}: {good}/{trials} trials left the old or the new content and no debris "
          f"({outcomes['old']} old, {outcomes['new']} new)", flush=True)
    return good


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", type=Path, required=True)
    ap.add_argument("--workspace", default="ws.chainkg")
    ap.add_argument("--trials", type=int, default=20)
    ap.add_argument("--kinds", default="load,save")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--window", default="0.02,0.98",
                    help="Kill between these fractions of the writer's un-killed duration (e.g. 0.6,1.0: late).")
    a = ap.parse_args()
    rng = random.Random(a.seed)
    for kind in a.kinds.split(","):
        lo, hi = (float(x) for x in a.window.split(","))
        run(kind, a.dir, a.workspace, a.trials, rng, (lo, hi))


if __name__ == "__main__":
    main()
