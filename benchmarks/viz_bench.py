"""Time to usable and file size of the HTML views, measured in headless Chromium.

    python benchmarks/viz_bench.py            # Kunming views + generated 2k and 5k graphs
    python benchmarks/viz_bench.py --sizes 2000 10000 --runs 3

For each page: nodes, edges, file size, Python build time, and in Chromium the time from navigation
start to the first complete drawing with physics off (= stable and usable), the wall time of
``driver.get`` until then, one full redraw (what a pan/zoom frame costs) and a click highlight of
the busiest node (until the next drawing). Pages go to benchmarks/out/viz/.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from browser import chromium  # noqa: E402

from chainkg.graph.synthetic import viz_graph as generate  # noqa: E402
from chainkg.visualize import write_html  # noqa: E402

OUT = REPO / "benchmarks" / "out" / "viz"
PROBE = """
var done = arguments[arguments.length - 1], c = window.chainkg, n = c.network;
var t0 = performance.now(); n.redraw(); var redraw = performance.now() - t0;
var hub = c.data.nodes.map(function (x) { return [n.getConnectedEdges(x.id).length, x.id]; })
  .sort(function (a, b) { return b[0] - a[0]; })[0][1];
var t1 = performance.now();
n.once("afterDrawing", function () { done([redraw, performance.now() - t1]); });
c.highlight(hub); n.redraw();
"""


def pages(sizes: list[int]) -> list[tuple[str, object, str, dict]]:
    out = []
    try:
        from chainkg.data import kunming

        km = kunming()
        if any(True for _ in km.nodes("Chain")):
            firm = (km.find("孚能科技") or [next(km.nodes("Enterprise"))])[0]
            out += [
                ("kunming overview", km, "overview", {}),
                ("kunming chain 新能源电池", km, "chain", {"chain": "新能源电池"}),
                ("kunming ego 孚能科技 d2", km, "ego", {"node": firm, "depth": 2}),
                ("kunming whole", km, "whole", {}),
            ]
    except Exception as e:  # pragma: no cover - the bundled data may be mid-edit
        print(f"(Kunming graph unavailable: {e})", file=sys.stderr)
    for n in sizes:
        g = generate(n, seed=7)
        hub = g.resolve("昆明市")
        out += [
            (f"gen{n} overview", g, "overview", {}),
            (f"gen{n} chain", g, "chain", {"chain": "chain:0", "max_nodes": None}),
            (f"gen{n} ego 昆明市 d1", g, "ego", {"node": hub, "depth": 1, "max_nodes": None}),
            (f"gen{n} whole", g, "whole", {"max_nodes": None}),
        ]
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="*", default=[2000, 5000])
    ap.add_argument("--runs", type=int, default=3, help="page loads per view (median reported)")
    args = ap.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    drv = chromium.start(Path(tempfile.mkdtemp(prefix="viz-bench-")))
    drv.set_script_timeout(60)
    header = f"{'page':28} {'nodes':>6} {'edges':>6} {'size':>8} {'build':>7} {'usable':>7} {'wall':>7} " \
             f"{'redraw':>7} {'click':>7}"
    print(header)
    print("-" * len(header))
    try:
        for name, kg, view, kw in pages(args.sizes):
            path = OUT / (name.replace(" ", "_") + ".html")
            t = time.perf_counter()
            info = write_html(kg, path, view=view, **kw)
            build = (time.perf_counter() - t) * 1000
            usable, wall, redraw, click = [], [], [], []
            for _ in range(args.runs):
                drv.get("about:blank")
                m = chromium.load(drv, path, timeout=60)
                usable.append(m["usable"])
                wall.append(m["wall_ms"])
                r, c = drv.execute_async_script(PROBE)
                redraw.append(r)
                click.append(c)
            med = statistics.median
            print(f"{name:28} {info['nodes']:>6} {info['edges']:>6} {info['bytes'] / 1024:>6.0f}KB "
                  f"{build:>5.0f}ms {med(usable):>5.0f}ms {med(wall):>5.0f}ms {med(redraw):>5.0f}ms "
                  f"{med(click):>5.0f}ms")
    finally:
        drv.quit()
    print("\nusable = navigation start → first complete drawing (physics off, so the page is stable from then on);"
          "\nredraw = one full frame (pan/zoom); click = highlight of the busiest node until drawn.")


if __name__ == "__main__":
    main()
