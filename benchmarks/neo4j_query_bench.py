"""Query latency on Neo4j against networkx in-process, and against a baseline checkout, side by side in one run.

    # once: a server, and the graph pushed into it under the name nat7
    services/neo4j/neo4j-server start --port 7703 --data /tmp/neo4j-bench
    export CHAINKG_NEO4J_URI=bolt://127.0.0.1:7703
    python benchmarks/neo4j_query_bench.py --firms 100000 --seed 7 --push
    # then (the baseline: a non-editable install of main in its own venv, sharing this venv's dependencies)
    python benchmarks/neo4j_query_bench.py --firms 100000 --seed 7 --runs 5 \\
        --baseline-python /tmp/basevenv/bin/python --baseline-path .venv/lib/python3.11/site-packages

Method: the graph is ``chainkg generate --firms N --seed S`` (``national_graph``), in memory for networkx
and pushed to Neo4j under ``--name``. Each query runs once per engine to warm up (Cypher planning, page
cache, imports), then ``--runs`` rounds; in each round the engines run one after the other (networkx,
Neo4j with this checkout, Neo4j with the baseline), so a noisy machine slows them alike. The baseline runs
in a worker process started with ``--baseline-python`` (the same script, ``--worker``), talking to the same
server. Every run's rows are compared: networkx and this checkout's Neo4j rows must be equal, and the
baseline's must hash the same. Reported: median, min and max seconds, and median ratios.

With ``--server-pid`` (the Neo4j server's process, e.g. ``cat DATA/neo4j.pid``), each run's CPU time is
reported as well: the process's own (networkx; the Neo4j client with its driver threads) plus, for Neo4j,
what the server process spent meanwhile (from /proc). On a machine shared with other jobs wall time swings
with their load, CPU time much less: it says how much work each engine does, wall time how it was spread.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import json
import os
import statistics
import subprocess
import sys
import time
from typing import Any


def digest(rows: Any) -> str:
    data = rows.as_dict() if hasattr(rows, "as_dict") else [r.as_dict() for r in rows]
    return hashlib.sha256(json.dumps(data, ensure_ascii=False, default=str).encode()).hexdigest()[:16]


def server_cpu(pid: int | None) -> float:
    """CPU seconds (user + system) the process ``pid`` has used so far, or 0.0 without one."""
    if pid is None:
        return 0.0
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def worker(graph: str) -> int:
    """Answer ``query name`` lines on stdin with ``seconds digest rows cpu-seconds`` lines, on Neo4j."""
    from chainkg.graph.neo4j import Neo4jBackend, Settings

    backend = Neo4jBackend(Settings.from_env(graph=graph))
    for line in sys.stdin:
        name = line.strip()
        t, c = time.perf_counter(), time.process_time()
        rows = backend.run(name)
        took, cpu = time.perf_counter() - t, time.process_time() - c
        print(f"{took:.6f} {digest(rows)} {len(rows)} {cpu:.6f}", flush=True)
    backend.close()
    return 0


class Baseline:
    def __init__(self, python: str, path: str | None, graph: str) -> None:
        env = dict(os.environ)
        if path:
            env["PYTHONPATH"] = path
        self.proc = subprocess.Popen([python, os.path.abspath(__file__), "--worker", "--name", graph],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env)

    def run(self, name: str) -> tuple[float, str, int, float]:
        """(seconds, digest, rows, the worker's CPU seconds)."""
        assert self.proc.stdin and self.proc.stdout
        self.proc.stdin.write(name + "\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError("the baseline worker died")
        took, dig, n, *cpu = line.split()
        return float(took), dig, int(n), float(cpu[0]) if cpu else float("nan")  # an older worker: no CPU

    def close(self) -> None:
        if self.proc.stdin:
            self.proc.stdin.close()
        self.proc.wait(timeout=60)


def ratios(base: list[float], other: list[float]) -> str:
    return ", ".join(f"×{b / a:.2f}" for a, b in zip(base, other, strict=True))


def table(names: list[str], samples: dict, unit: str, with_base: bool) -> None:
    """One Markdown table of medians (min–max) per query: networkx, Neo4j, their ratio (and the baseline's)."""
    print(f"\n| query | networkx {unit} | Neo4j {unit} (this) | Neo4j / networkx | " +
          (f"Neo4j {unit} (baseline) | baseline / networkx |" if with_base else ""))
    print("|---|---:|---:|---:|" + ("---:|---:|" if with_base else ""))
    for name in names:
        t = samples[name]
        nx_m, neo_m = statistics.median(t["networkx"]), statistics.median(t["neo4j"])
        line = f"| {name} | {spread(t['networkx'])} | {spread(t['neo4j'])} | ×{neo_m / nx_m:.2f} |"
        if with_base:
            line += f" {spread(t['baseline'])} | ×{statistics.median(t['baseline']) / nx_m:.2f} |"
        print(line)


def spread(xs: list[float]) -> str:
    return f"{statistics.median(xs):.2f} ({min(xs):.2f}–{max(xs):.2f})"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--firms", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--name", default="nat7", help="name of the graph in Neo4j (default nat7)")
    ap.add_argument("--push", action="store_true", help="(re)push the graph under --name first")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--queries", default="targets,chokepoints")
    ap.add_argument("--baseline-python", help="python of a baseline install (e.g. main) to time as well")
    ap.add_argument("--baseline-path", help="PYTHONPATH for the baseline worker (its dependencies)")
    ap.add_argument("--server-pid", type=int, help="the Neo4j server's pid: also report CPU seconds (see above)")
    ap.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        return worker(args.name)

    from chainkg.graph.engine import NetworkxEngine
    from chainkg.graph.neo4j import Connection, Neo4jBackend, Settings, push
    from chainkg.graph.synthetic import national_graph

    names = args.queries.split(",")
    kg = national_graph(args.firms, seed=args.seed)
    gc.collect()
    gc.freeze()  # as the CLI does once a graph is loaded (chainkg.cli_support.Context.kg)
    engine = NetworkxEngine(kg)  # both engines through their run(), as the CLI calls them
    print(f"graph: generate --firms {args.firms} --seed {args.seed}: {kg.g.number_of_nodes():,} nodes, "
          f"{kg.g.number_of_edges():,} relationships", flush=True)
    settings = Settings.from_env(graph=args.name)
    if args.push:
        with Connection(settings) as conn:
            report = push(kg, conn)
        print(f"pushed in {report.seconds:.0f} s", flush=True)
    backend = Neo4jBackend(settings)
    base = Baseline(args.baseline_python, args.baseline_path, args.name) if args.baseline_python else None
    times: dict[str, dict[str, list[float]]] = {n: {"networkx": [], "neo4j": [], "baseline": []} for n in names}
    cpus: dict[str, dict[str, list[float]]] = {n: {"networkx": [], "neo4j": [], "baseline": []} for n in names}
    pid = args.server_pid
    ok = True
    for name in names:  # warm-up: planning, caches, imports
        expected = engine.run(name)
        got = backend.run(name)
        same = [r.as_dict() for r in got] == [r.as_dict() for r in expected]
        base_same = base.run(name)[1] == digest(expected) if base else None
        print(f"{name}: {len(expected):,} rows; Neo4j rows equal networkx: {same}; baseline's too: {base_same}",
              flush=True)
        ok = ok and same and base_same is not False
    for i in range(args.runs):
        for name in names:
            t, c = time.perf_counter(), time.process_time()
            expected = engine.run(name)
            times[name]["networkx"].append(time.perf_counter() - t)
            cpus[name]["networkx"].append(time.process_time() - c)
            t, c, sc = time.perf_counter(), time.process_time(), server_cpu(pid)
            got = backend.run(name)
            times[name]["neo4j"].append(time.perf_counter() - t)
            cpus[name]["neo4j"].append(time.process_time() - c + server_cpu(pid) - sc)
            ok = ok and digest(got) == digest(expected)
            if base:
                sc = server_cpu(pid)
                took, dig, _, cpu = base.run(name)
                times[name]["baseline"].append(took)
                cpus[name]["baseline"].append(cpu + server_cpu(pid) - sc)
                ok = ok and dig == digest(expected)
            print(f"round {i + 1} {name}: " + ", ".join(f"{k} {v[-1]:.2f} s" for k, v in times[name].items() if v),
                  flush=True)
    if base:
        base.close()
    backend.close()
    table(names, times, "s", base is not None)
    if pid is not None:
        print("\nCPU seconds (networkx: the process; Neo4j: client process + server process):")
        table(names, cpus, "CPU s", base is not None)
    for name in names:
        t = times[name]
        print(f"\n{name}, per round (Neo4j this / networkx, wall): {ratios(t['networkx'], t['neo4j'])}", end="")
        if base:
            print(f"; baseline / networkx: {ratios(t['networkx'], t['baseline'])}", end="")
    print(f"\n\nrows identical in every run: {ok}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
