"""Scale benchmarks: generated national graphs at ~10k, 100k and 1M relationships (and 100k firms).

    python benchmarks/scale_bench.py                       # all sizes, code as it is
    python benchmarks/scale_bench.py --sizes 10k,100k --timeout 60
    python benchmarks/scale_bench.py --a-share ../shared/data/chainkg-a-share   # import + match only

Per size, two fresh processes (so each peak is its own):

1. *build*: ``chainkg.graph.synthetic.national_graph`` (seed 1), then ``workspace.save`` to a JSON file;
2. *query*: ``workspace.load``, then each gap query on the networkx engine (coverage, missing,
   weak, extend, dependencies, chokepoints, targets, pipeline) with the default home region and
   all chains, and ``chainkg.visualize.render_view`` of the chain view of the busiest chain
   (default node budget; a view over budget is timed until it refuses).

Times are wall-clock (``time.perf_counter``); memory is the process's peak resident set
(``resource.getrusage(RUSAGE_SELF).ru_maxrss``) read after each phase, so it only grows.
A query still running after ``--timeout`` seconds is stopped (SIGALRM) and shown as ``>T``.
Results go to ``benchmarks/out/scale.json`` and a Markdown table on stdout.

"""

from __future__ import annotations

import argparse
import gc
import json
import os
import resource
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "benchmarks" / "out"
QUERIES = ("coverage", "missing", "weak", "extend", "dependencies", "chokepoints", "targets", "pipeline")
SIZES = {"10k": ("rels", 10_000), "100k": ("rels", 100_000), "1M": ("rels", 1_000_000),
         "100k-firms": ("firms", 100_000)}
SEED = 1


def rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


class Timeout(BaseException):
    """Raised by the alarm; a BaseException so that library code catching Exception lets it through."""


def _alarm(signum, frame):
    raise Timeout()


def timed(fn, timeout: float | None = None) -> tuple[float | None, Any]:
    """(seconds, result) of ``fn()``; (None, None) when it ran past ``timeout``."""
    if timeout:
        signal.signal(signal.SIGALRM, _alarm)
        signal.setitimer(signal.ITIMER_REAL, timeout)
    t0 = time.perf_counter()
    try:
        result = fn()
    except Timeout:
        return None, None
    finally:
        if timeout:
            signal.setitimer(signal.ITIMER_REAL, 0)
    return round(time.perf_counter() - t0, 3), result


# ------------------------------------------------------------------------- children
def firms_for(spec: tuple[str, int]) -> int:
    kind, n = spec
    if kind == "firms":
        return n
    # generate(): ~4.5 relationships per firm plus a fixed region tree of ~1,900 relationships.
    from chainkg.graph.synthetic import national_graph as generate

    a = generate(2000, seed=SEED).g.number_of_edges()
    b = generate(6000, seed=SEED).g.number_of_edges()
    per = (b - a) / 4000
    return max(10, round(2000 + (n - a) / per))


def child_build(firms: int, path: str) -> dict[str, Any]:
    from chainkg.graph import workspace
    from chainkg.graph.synthetic import national_graph as generate

    save = workspace.save

    out: dict[str, Any] = {"firms": firms}
    out["generate_s"], kg = timed(lambda: generate(firms, seed=SEED))
    out["nodes"], out["rels"] = len(kg), kg.g.number_of_edges()
    out["rss_after_generate_mb"] = rss_mb()
    out["save_s"], _ = timed(lambda: save(kg, path))
    out["file_mb"] = round(os.path.getsize(path) / 2**20, 1)
    out["rss_build_peak_mb"] = rss_mb()
    return out


def child_query(path: str, timeout: float) -> dict[str, Any]:
    from chainkg.graph import queries, workspace

    load = workspace.load
    out: dict[str, Any] = {}
    out["load_s"], kg = timed(lambda: load(path))
    gc.collect()
    gc.freeze()  # as the CLI does once its graph is loaded
    out["rss_after_load_mb"] = rss_mb()
    for q in QUERIES:
        try:
            secs, rows = timed(lambda q=q: getattr(queries, q)(kg), timeout)
        except Exception as e:  # a failing query is a result too
            secs, rows = f"error: {type(e).__name__}", None
        out[q] = secs if secs is not None else f">{timeout:g}"
        out[f"{q}_rows"] = len(rows) if isinstance(rows, list) else None
        out[f"rss_after_{q}_mb"] = rss_mb()
    def top100():
        return queries.targets(kg, limit=100)  # what `chainkg targets --limit 100` costs

    secs, _ = timed(top100, timeout)
    out["targets_top100"] = secs if secs is not None else f">{timeout:g}"
    try:
        from chainkg.visualize import ViewTooLarge, render_view
    except ImportError:
        out["viz"] = "n/a"
    else:
        chains = sorted(kg.nodes("Chain"), key=lambda c: (-len(kg.segments_of(c)), c))
        busiest = max(chains, key=lambda c: sum(len(kg.into(s, "OPERATES_IN")) for s in kg.segments_of(c)))

        def viz():
            try:
                return len(render_view(kg, view="chain", chain=busiest, date="2024-01-01"))
            except ViewTooLarge:
                return "over budget"

        secs, res = timed(viz, timeout)
        out["viz"] = secs if secs is not None else f">{timeout:g}"
        out["viz_result"] = res if isinstance(res, str) else (f"{res / 1024:,.0f} KB" if res else None)
    out["rss_query_peak_mb"] = rss_mb()
    return out


def child_a_share(folder: str, path: str) -> dict[str, Any]:
    from chainkg.data import kunming
    from chainkg.graph import match as m
    from chainkg.graph.workspace import load, save
    from chainkg.loaders.a_share import import_a_share

    out: dict[str, Any] = {}
    kg = kunming()
    out["import_s"], rep = timed(lambda: import_a_share(kg, folder))
    out["nodes"], out["rels"] = len(kg), kg.g.number_of_edges()
    out["save_s"], _ = timed(lambda: save(kg, path))
    out["load_s"], kg = timed(lambda: load(path))

    def run_match():
        m.apply_rules(kg, m.load_rules(m.bundled_rules()))
        return m.match(kg)

    out["match_s"], rep = timed(run_match)
    out["placements"] = len(rep.placements)
    out["save2_s"], _ = timed(lambda: save(kg, path))
    out["total_s"] = round(sum(out[k] for k in ("import_s", "save_s", "load_s", "match_s", "save2_s")), 3)
    out["rss_peak_mb"] = rss_mb()
    return out


def run_child(args: list[str], limit: float) -> dict[str, Any]:
    proc = subprocess.run([sys.executable, __file__, "--child", *args], capture_output=True, text=True,
                          timeout=limit, cwd=REPO)
    if proc.returncode != 0:
        raise RuntimeError(f"child {args[0]} failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def markdown(results: list[dict[str, Any]]) -> str:
    cols = ["size", "firms", "nodes", "rels", "generate_s", "save_s", "file_mb", "load_s", *QUERIES, "targets_top100",
            "viz",
            "rss_build_peak_mb", "rss_after_load_mb", "rss_query_peak_mb"]
    head = ["size", "firms", "nodes", "rels", "generate s", "save s", "file MB", "load s", *QUERIES, "targets top 100",
            "viz chain",
            "peak MB build", "MB after load", "peak MB query"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in results:
        cells = []
        for c in cols:
            v = r.get(c, "")
            cells.append(f"{v:,}" if isinstance(v, int) else str(v))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="10k,100k,100k-firms,1M", help=f"comma list of {', '.join(SIZES)}")
    ap.add_argument("--timeout", type=float, default=120, help="seconds per query before it is stopped")
    ap.add_argument("--a-share", dest="a_share", help="time the A-share import + match from this folder")
    ap.add_argument("--out", default=str(OUT / "scale.json"))
    ap.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = ap.parse_args()
    sys.path.insert(0, str(REPO))
    if args.child:
        kind, *rest = args.child
        if kind == "build":
            res = child_build(int(rest[0]), rest[1])
        elif kind == "query":
            res = child_query(rest[0], float(rest[1]))
        else:
            res = child_a_share(rest[0], rest[1])
        print(json.dumps(res, ensure_ascii=False))
        return 0
    results: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as tmp:
        if args.a_share:
            r = run_child(["a-share", str(Path(args.a_share).resolve()), f"{tmp}/pool.json"], 600)
            print(json.dumps(r, ensure_ascii=False))
            results.append({"size": "a-share", **r})
        else:
            for size in args.sizes.split(","):
                firms = firms_for(SIZES[size])
                path = f"{tmp}/{size}.json"
                r = {"size": size}
                r.update(run_child(["build", str(firms), path], 3600))
                r.update(run_child(["query", path, str(args.timeout)], args.timeout * 12 + 600))
                print(json.dumps(r, ensure_ascii=False), flush=True)
                results.append(r)
                Path(path).unlink(missing_ok=True)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    previous = json.loads(out.read_text()) if out.exists() else []
    key = "a-share" if args.a_share else "as-is"
    done = {r["size"] for r in results}
    previous = [p for p in previous if p.get("run") != key or p.get("size") not in done]
    out.write_text(json.dumps([*previous, *({"run": key, **r} for r in results)], ensure_ascii=False, indent=1))
    if not args.a_share:
        print(markdown(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
