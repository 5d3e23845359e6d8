"""In-process times of ``targets`` (all rows, and ``--limit 50``), ``info`` and ``pipeline``: this tree vs a baseline.

    git archive b2b1205 graph | tar -x -C /tmp/old && mv /tmp/old/graph /tmp/old/oldgraph
    python benchmarks/inprocess_bench.py /tmp/perf/b100k/ws.chainkg --baseline /tmp/old --reps 5

One process loads the workspace once (``freeze=True``; with ``--read-only`` as the CLI's query commands do: the
snapshot's graph without networkx, relationships sharing property dicts), then alternates baseline and current
functions ``--reps`` times with the cyclic GC paused (as every query runs, see
:func:`chainkg.graph.engine.no_cyclic_gc`); prints median (min–max) wall and median CPU seconds, and checks that
both return equal rows. The baseline is the ``graph`` package of an older commit, imported as ``oldgraph`` (its
absolute ``chainkg.*`` imports resolve to this tree, which is fine for the query modules).
"""

from __future__ import annotations

import argparse
import gc
import importlib
import statistics
import sys
import time
import types
from pathlib import Path


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("workspace", type=Path)
    ap.add_argument("--baseline", type=Path, help="Folder holding the baseline package `oldgraph`.")
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--read-only", action="store_true", help="Load as the CLI's query commands do.")
    a = ap.parse_args()
    from chainkg.graph import workspace
    from chainkg.graph.engine import no_cyclic_gc
    from chainkg.output import render_json

    kg = workspace.load(a.workspace, freeze=True, read_only=a.read_only)
    gc.collect()
    gc.freeze()
    mods = {"current": "chainkg.graph"}
    if a.baseline:
        sys.path.insert(0, str(a.baseline))
        mods = {"baseline": "oldgraph", **mods}
    calls = {}
    for label, pkg in mods.items():
        t = importlib.import_module(f"{pkg}.targets")
        s = importlib.import_module(f"{pkg}.summary")
        p = importlib.import_module(f"{pkg}.pipeline")
        counts = importlib.import_module(f"{pkg}.kg").KnowledgeGraph.counts

        def info(s=s, counts=counts):  # the graph is this tree's class: give it the baseline's counts()
            kg.counts = types.MethodType(counts, kg)
            try:
                return s.info_data(kg)
            finally:
                del kg.counts

        calls[label] = {
            "targets (all rows)": lambda t=t: t.targets(kg),
            "targets --limit 50": lambda t=t: t.targets(kg, limit=50),
            "targets, all rows as JSON text": lambda t=t: render_json([r.as_dict() for r in t.targets(kg)]),
            "info": info,
            "pipeline": lambda p=p: p.pipeline(kg, as_of="2025-06-30"),
        }
    print("| function | " + " | ".join(f"{m} wall | {m} CPU" for m in mods) + " | same result |")
    print("|---|" + "---|---|" * len(mods) + "---|")
    for name in calls["current"]:
        walls = {m: [] for m in mods}
        cpus = {m: [] for m in mods}
        results = {}
        for _ in range(a.reps):
            for m in mods:
                t0, c0 = time.perf_counter(), time.process_time()
                with no_cyclic_gc():
                    results[m] = calls[m][name]()
                walls[m].append(time.perf_counter() - t0)
                cpus[m].append(time.process_time() - c0)
        same = len({repr(r) for r in results.values()}) == 1
        cells = [f"{statistics.median(walls[m]):.2f} ({min(walls[m]):.2f}–{max(walls[m]):.2f}) | "
                 f"{statistics.median(cpus[m]):.2f}" for m in mods]
        print(f"| {name} | " + " | ".join(cells) + f" | {'yes' if same else 'NO'} |", flush=True)


if __name__ == "__main__":
    main()
