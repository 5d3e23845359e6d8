"""Scale benchmarks: generated national graphs at ~10k, 100k and 1M relationships (and 100k firms).

    python benchmarks/scale_bench.py                       # all sizes, code as it is
    python benchmarks/scale_bench.py --patched             # the same with the proposed graph/ patches
    python benchmarks/scale_bench.py --sizes 10k,100k --timeout 60
    python benchmarks/scale_bench.py --check               # proposed patches give the same rows
    python benchmarks/scale_bench.py --a-share ../shared/data/chainkg-a-share   # import + match only

Per size, two fresh processes (so each peak is its own):

1. *build*: ``chainkg.loaders.generate.generate`` (seed 1), then ``workspace.save`` to a JSON file;
2. *query*: ``workspace.load``, then each gap query on the networkx engine (coverage, missing,
   weak, extend, dependencies, chokepoints, targets, pipeline) with the default home region and
   all chains, and ``chainkg.visualize.render_view`` of the chain view of the busiest chain
   (default node budget; a view over budget is timed until it refuses).

Times are wall-clock (``time.perf_counter``); memory is the process's peak resident set
(``resource.getrusage(RUSAGE_SELF).ru_maxrss``) read after each phase, so it only grows.
A query still running after ``--timeout`` seconds is stopped (SIGALRM) and shown as ``>T``.
Results go to ``benchmarks/out/scale.json`` and a Markdown table on stdout.

``--patched`` applies, by monkeypatching, the changes proposed for ``graph/`` in
``benchmarks/README-scale.md`` (adjacency-dict ``out``/``into``, one-pass ``build_scope`` shared
by the queries one call makes, chokepoints by one dominator tree per anchor and sampled
betweenness). ``--check`` runs original and patched queries on small generated graphs and the
bundled Kunming graph and compares the rows.
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


# ------------------------------------------------------------------ proposed patches
def apply_proposed_patches() -> None:
    """Monkeypatch the changes proposed for graph/ (see README-scale.md) into this process."""
    import networkx as nx

    from chainkg.graph import chokepoints as ck
    from chainkg.graph import coverage, dependencies, gaps, pipeline, queries, scope, targets
    from chainkg.graph.kg import KnowledgeGraph

    # 1. kg.py: out/into read the adjacency dicts (the edge key is the type) instead of building edge views.
    def out(self, node_id: str, rel_type: str) -> list[str]:
        return [v for v, keys in self.g._succ[node_id].items() if rel_type in keys]

    def into(self, node_id: str, rel_type: str) -> list[str]:
        return [u for u, keys in self.g._pred[node_id].items() if rel_type in keys]

    KnowledgeGraph.out = out
    KnowledgeGraph.into = into

    # 2. scope.py: one pass over the adjacency dicts; the scope is built once per query call and shared
    #    (the real patch passes `scope=` from targets/coverage into missing/weak/extend).
    original_build = scope.build_scope
    cache: dict[tuple, Any] = {}

    def build_scope(kg, region=None, chain=None):
        key = (id(kg), region, chain)
        if key in cache:
            return cache[key]
        region_id = scope.resolve_region(kg, region)
        chain_id = scope.resolve_chain(kg, chain)
        regions = frozenset(kg.region_closure(region_id))
        sc = scope.Scope(kg, region_id, regions, chain_id)
        g = kg.g
        nodes = g._node
        operates, anchors, in_segment = [], [], []
        for u, nbrs in g._succ.items():
            for v, kd in nbrs.items():
                if "LOCATED_IN" in kd and v in regions:
                    t = nodes[u]["type"]
                    if t == "Enterprise":
                        sc.local_firms.add(u)
                    elif t == "Project":
                        sc.local_projects.add(u)
                if "HAS_SEGMENT" in kd:
                    sc.segment_chain[v] = u
                if "OPERATES_IN" in kd:
                    operates.append((u, v, kd["OPERATES_IN"]))
                if "ANCHORS" in kd:
                    anchors.append(u)
                if "IN_SEGMENT" in kd:
                    in_segment.append((u, v))
        for u, v, d in operates:
            sc.all_firms_in[v].add(u)
            if u in sc.local_firms:
                sc.firms_in[v].add(u)
                if d.get("role") == "anchor":
                    sc.anchors_in[v].add(u)
                    sc.local_anchors.add(u)
        for u in anchors:
            if u in sc.local_firms:
                sc.local_anchors.add(u)
        for u, v in in_segment:
            if u in sc.local_projects:
                sc.projects_in[v].add(u)
        for seg, firms in sc.firms_in.items():
            chain_of_seg = sc.segment_chain.get(seg)
            for f in firms:
                if chain_of_seg and g.has_edge(f, chain_of_seg, key="ANCHORS"):
                    sc.anchors_in[seg].add(f)
        cache[key] = sc
        return sc

    build_scope.original = original_build  # type: ignore[attr-defined]
    for mod in (scope, gaps, coverage, dependencies, pipeline, targets, ck):
        mod.build_scope = build_scope

    graphs: dict[tuple, Any] = {}

    def per_call(fn):
        def wrapper(*a, **kw):
            cache.clear()
            graphs.clear()
            try:
                return fn(*a, **kw)
            finally:
                cache.clear()
                graphs.clear()
        wrapper.__wrapped__ = fn
        return wrapper

    for name in QUERIES:
        setattr(queries, name, per_call(getattr(queries, name)))

    # 3. chokepoints.py: one dominator tree per anchor (reversed graph), the dominators of a set of
    #    inputs are the dominator-tree ancestors of their common ancestor (no graph copy per input);
    #    the FEEDS and SUPPLIES graphs are built once per call from the adjacency dicts; betweenness
    #    stays exact up to 2,000 nodes and is not computed above (it is O(V·E): see README-scale.md).
    def _typed_graph(kg, rel, with_nodes=None):
        key = (rel, id(kg))
        if key not in graphs:
            h = nx.DiGraph()
            if with_nodes:
                h.add_nodes_from(kg.nodes(with_nodes))
            h.add_edges_from((u, v) for u, nbrs in kg.g._succ.items() for v, kd in nbrs.items() if rel in kd)
            graphs[key] = h
        return graphs[key]

    ck._feed_graph = lambda kg: _typed_graph(kg, "FEEDS", "Segment")
    ck._supply_graph = lambda kg: _typed_graph(kg, "SUPPLIES")

    def _dom_chain(idom: dict, node: str, root: str) -> list[str]:
        out, n = [], node
        while n != root:
            out.append(n)
            n = idom[n]
        return out

    def _common(idom: dict, nodes: list[str], root: str) -> list[str]:
        reach = [n for n in nodes if n in idom]
        if not reach:
            return []
        chain = _dom_chain(idom, reach[0], root)
        for n in reach[1:]:
            on = set(chain)
            m = n
            while m != root and m not in on:
                m = idom[m]
            if m == root:
                return []
            chain = chain[chain.index(m):]
        return chain

    def _segment_chokepoints(sc, anchors):
        from collections import defaultdict

        kg = sc.kg
        g = ck._feed_graph(kg)
        rg = g.reverse(copy=False)
        hits = defaultdict(lambda: (set(), set()))
        for a in sorted(anchors):
            for t in sorted(kg.out(a, "OPERATES_IN")):
                if t not in g:
                    continue
                idom = nx.immediate_dominators(rg, t)
                for s in sorted(n for n in idom if n != t and g.in_degree(n) == 0):
                    for d in _dom_chain(idom, s, t)[1:]:
                        hits[d][0].add(a)
                        hits[d][1].add(s)
        return hits

    def _enterprise_chokepoints(sc, anchors):
        from collections import defaultdict

        kg = sc.kg
        g = ck._supply_graph(kg)
        rg = g.reverse(copy=False)
        hits = defaultdict(lambda: (set(), set()))
        for a in sorted(anchors):
            if a not in g:
                continue
            idom = nx.immediate_dominators(rg, a)
            by_input = defaultdict(list)
            for f in idom:
                if f != a:
                    for seg in kg.out(f, "OPERATES_IN"):
                        by_input[seg].append(f)
            for seg, firms in sorted(by_input.items()):
                for d in _common(idom, sorted(firms), a):
                    hits[d][0].add(a)
                    hits[d][1].add(seg)
        return hits

    class _NX:
        def __getattr__(self, name):
            return getattr(nx, name)

        @staticmethod
        def betweenness_centrality(graph, normalized=True):
            if graph.number_of_nodes() > 2000:
                return {}
            return nx.betweenness_centrality(graph, normalized=normalized)

    ck._segment_chokepoints = _segment_chokepoints
    ck._enterprise_chokepoints = _enterprise_chokepoints
    ck.nx = _NX()

    # 4. targets.py: the per-firm facts (ties to local anchors, lists, HQ, courted HQ, local investments)
    #    are looked up from indexes built once from the few anchors and local projects, not per row;
    #    rows are sorted on light keys and only the first `limit` are built (the CLI's --limit).
    def fast_targets(kg, region=None, chain=None, weights=None, k=1, limit=None):
        from collections import defaultdict

        w = weights or targets.Weights()
        sc = targets.build_scope(kg, region, chain)
        gap_of: dict[str, str] = {}
        for kind, rows in (("missing", targets.missing(kg, region, chain)), ("weak", targets.weak(kg, region, chain)),
                           ("extend", targets.extend(kg, region, chain, k))):
            for r in rows:
                if r.segment_id not in gap_of or targets.GAP_BASE[kind] > targets.GAP_BASE[gap_of[r.segment_id]]:
                    gap_of[r.segment_id] = kind
        courted = targets.courted_regions(kg, sc.regions)
        g = kg.g
        ties_of: dict[str, set[str]] = defaultdict(set)
        for a in sc.local_anchors:
            for other in (*kg.out(a, "SUPPLIES"), *kg.into(a, "SUPPLIES")):
                ties_of[other].add(a)
        invests_of: dict[str, list[str]] = defaultdict(list)
        for p in sc.local_projects:
            for f in kg.into(p, "INVESTS"):
                invests_of[f].append(p)
        # Firms whose HQ lies in a courted region, from the (few) courted regions' incoming LOCATED_IN.
        courted_hq_of: dict[str, list[str]] = defaultdict(list)
        for r in sorted(courted):
            for f, keys in g._pred[r].items():
                if "LOCATED_IN" in keys and keys["LOCATED_IN"].get("role") == "hq":
                    courted_hq_of[f].append(kg.name(r))
        list_w = w.lists

        firm_parts: dict[str, tuple] = {}
        cands = []
        for seg, kind in gap_of.items():
            gap_part = round(w.gap * targets.GAP_BASE[kind], 6)
            seg_key = sc.sort_key(seg)
            for f in sc.all_firms_in.get(seg, ()):
                if f in sc.local_firms:
                    continue
                fp = firm_parts.get(f)
                if fp is None:
                    lists = g._node[f].get("lists")
                    fp = firm_parts[f] = (
                        round(w.tie * len(ties_of[f]), 6) if f in ties_of else 0.0,
                        round(sum(list_w[x] for x in lists if x in list_w), 6) if lists else 0,
                        round(w.region, 6) if f in courted_hq_of else 0.0,
                        round(w.pipeline, 6) if f in invests_of else 0.0,
                        g._node[f].get("name") or f,
                    )
                score = round(0 + gap_part + fp[0] + fp[1] + fp[2] + fp[3], 6)
                cands.append((-score, seg_key, fp[4], f, seg, kind, gap_part, fp, score))
        if limit is not None:
            import heapq

            cands = heapq.nsmallest(limit, cands, key=lambda c: c[:4])
        else:
            cands.sort(key=lambda c: c[:4])
        rows = []
        for *_, f, seg, kind, gap_part, fp, score in cands:
            parts = {"gap": gap_part, "ties": fp[0], "lists": fp[1], "region": fp[2], "pipeline": fp[3]}
            rows.append((f, seg, kind, parts, score))
        out = []
        for f, seg, kind, parts, score in rows:
            d = g._node[f]
            ties = sorted(ties_of.get(f, ()))
            lists = [x for x in d.get("lists") or () if x in list_w]
            courted_hq = sorted(courted_hq_of.get(f, ()))
            invests = sorted(invests_of.get(f, ()))
            hq = sorted(r for r, keys in g._succ[f].items()
                        if "LOCATED_IN" in keys and keys["LOCATED_IN"].get("role") == "hq")
            reasons = [f"works in {targets.GAP_LABEL[kind]} gap {kg.name(seg)}"]
            if ties:
                reasons.append("tied to local anchors " + "、".join(sorted(kg.name(a) for a in ties)))
            if lists:
                reasons.append("on " + "、".join(lists))
            if courted_hq:
                reasons.append("HQ in courted region " + "、".join(courted_hq))
            if invests:
                reasons.append("already invests in " + "、".join(kg.name(p) for p in invests))
            out.append(targets.TargetRow(
                chain=kg.name(sc.segment_chain[seg]), segment=kg.name(seg), segment_id=seg, gap=kind,
                enterprise=kg.name(f), enterprise_id=f, score=score, parts=parts, hq=kg.name(hq[0]) if hq else None,
                placement=g._succ[f][seg]["OPERATES_IN"].get("provenance", ""), why="; ".join(reasons)))
        return out

    fast_targets.original = targets.targets  # type: ignore[attr-defined]
    targets.targets = fast_targets
    queries.targets = per_call(fast_targets)
    apply_workspace_patch()


def apply_workspace_patch() -> None:
    """5. workspace.py: save streams the same bytes record by record; load parses the bytes without a
    decoded copy and frees each record as it enters the graph."""
    import gzip
    import json as _json

    from chainkg.graph import workspace as ws
    from chainkg.graph.kg import GraphError, KnowledgeGraph

    def save(kg, path):
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        dumps = _json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as raw:
                f = gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=6, mtime=0) \
                    if path.suffix == ".gz" else raw
                w = f.write
                w(('{"format":' + dumps(ws.FORMAT) + ',"version":' + dumps(ws.VERSION) + ',"meta":'
                   + dumps(kg.meta) + ',"nodes":[').encode())
                for i, (n, d) in enumerate(kg.g.nodes(data=True)):
                    w(((',' if i else '') + dumps({"id": n, **d})).encode())
                w(b'],"edges":[')
                for i, (u, v, d) in enumerate(kg.g.edges(data=True)):
                    w(((',' if i else '') + dumps({"from": u, "to": v, **d})).encode())
                w(b"]}")
                if f is not raw:
                    f.close()
                raw.flush()
                os.fsync(raw.fileno())
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def load(path):
        path = Path(path)
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            raise GraphError(f"{path}: no such workspace file") from None
        except IsADirectoryError:
            raise GraphError(f"{path}: is a folder, not a workspace file") from None
        try:
            if raw[:2] == b"\x1f\x8b":
                raw = gzip.decompress(raw)
            doc = _json.loads(raw)  # bytes: no decoded str copy
        except (OSError, UnicodeDecodeError, ValueError) as e:
            raise GraphError(f"{path}: not a readable workspace file ({e})") from None
        del raw
        if not isinstance(doc, dict):
            raise GraphError(f"{path}: not a chainkg workspace")
        if doc.get("format") != ws.FORMAT:
            raise GraphError(f"{path}: not a chainkg workspace (format is {doc.get('format')!r})")
        if doc.get("version") != ws.VERSION:
            raise GraphError(f"{path}: workspace version {doc.get('version')!r} is not supported (need {ws.VERSION})")
        kg = KnowledgeGraph(doc.get("meta") or {})
        g = kg.g
        nodes = doc.pop("nodes")
        for i, rec in enumerate(nodes):
            nodes[i] = None
            g.add_node(rec.pop("id"), **rec)
        del nodes
        edges = doc.pop("edges")
        for i, rec in enumerate(edges):
            edges[i] = None
            u, v = rec.pop("from"), rec.pop("to")
            g.add_edge(u, v, key=rec["type"], **rec)
        del edges
        for n in g:
            kg._index(n)
        gc.collect()
        gc.freeze()  # a loaded graph lives as long as the command: keep the collector off its objects
        return kg

    ws.save = save
    ws.load = load


# ------------------------------------------------------------------------- children
def firms_for(spec: tuple[str, int]) -> int:
    kind, n = spec
    if kind == "firms":
        return n
    # generate(): ~4.5 relationships per firm plus a fixed region tree of ~1,900 relationships.
    from chainkg.loaders.generate import generate

    a = generate(2000, seed=SEED).g.number_of_edges()
    b = generate(6000, seed=SEED).g.number_of_edges()
    per = (b - a) / 4000
    return max(10, round(2000 + (n - a) / per))


def child_build(firms: int, path: str, patched: bool = False) -> dict[str, Any]:
    from chainkg.graph import workspace
    from chainkg.loaders.generate import generate

    if patched:
        apply_workspace_patch()
    save = workspace.save

    out: dict[str, Any] = {"firms": firms}
    out["generate_s"], kg = timed(lambda: generate(firms, seed=SEED))
    out["nodes"], out["rels"] = len(kg), kg.g.number_of_edges()
    out["rss_after_generate_mb"] = rss_mb()
    out["save_s"], _ = timed(lambda: save(kg, path))
    out["file_mb"] = round(os.path.getsize(path) / 2**20, 1)
    out["rss_build_peak_mb"] = rss_mb()
    return out


def child_query(path: str, timeout: float, patched: bool) -> dict[str, Any]:
    from chainkg.graph import queries, workspace

    if patched:
        apply_proposed_patches()
    load = workspace.load
    out: dict[str, Any] = {}
    out["load_s"], kg = timed(lambda: load(path))
    gc.collect()
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
        if patched:
            return queries.targets(kg, limit=100)
        return queries.targets(kg)[:100]  # what `chainkg targets --limit 100` costs today

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


# ---------------------------------------------------------------------------- check
def check() -> int:
    """Original and patched queries give the same rows (betweenness aside where it is sampled)."""
    from chainkg.data import kunming
    from chainkg.graph import queries
    from chainkg.loaders.generate import generate

    graphs = {"kunming": kunming(), "generated-1500": generate(1500, seed=3), "generated-1900": generate(1900, seed=4)}
    before = {}
    for name, kg in graphs.items():
        for q in QUERIES:
            r = getattr(queries, q)(kg)
            before[(name, q)] = [x.as_dict() for x in r] if isinstance(r, list) else r.as_dict()
    from chainkg.graph import workspace

    with tempfile.TemporaryDirectory() as tmp:
        for name, kg in graphs.items():
            workspace.save(kg, f"{tmp}/{name}.json")
        before_bytes = {p.name: p.read_bytes() for p in Path(tmp).iterdir()}
    apply_proposed_patches()
    bad = 0
    with tempfile.TemporaryDirectory() as tmp:
        for name, kg in graphs.items():
            for suffix in (".json", ".json.gz"):  # .gz: same content, only the header's OS byte differs
                p = Path(f"{tmp}/{name}{suffix}")
                workspace.save(kg, p)
                same = workspace.load(p) == kg and (suffix != ".json" or p.read_bytes() == before_bytes[p.name])
                print(f"{name:16} {'save/load' + suffix:13} {'same' if same else 'DIFFERENT'}")
                bad += not same
    for name, kg in graphs.items():
        for q in QUERIES:
            r = getattr(queries, q)(kg)
            after = [x.as_dict() for x in r] if isinstance(r, list) else r.as_dict()
            same = after == before[(name, q)]
            print(f"{name:16} {q:13} {'same' if same else 'DIFFERENT'}")
            bad += not same
        top = [x.as_dict() for x in queries.targets(kg, limit=25)]
        same = top == before[(name, "targets")][:25]
        print(f"{name:16} {'targets[:25]':13} {'same' if same else 'DIFFERENT'}")
        bad += not same
    return bad


# ----------------------------------------------------------------------------- main
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
    ap.add_argument("--patched", action="store_true", help="apply the proposed graph/ patches")
    ap.add_argument("--check", action="store_true", help="compare original and patched query rows")
    ap.add_argument("--a-share", dest="a_share", help="time the A-share import + match from this folder")
    ap.add_argument("--out", default=str(OUT / "scale.json"))
    ap.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = ap.parse_args()
    sys.path.insert(0, str(REPO))
    if args.child:
        kind, *rest = args.child
        if kind == "build":
            res = child_build(int(rest[0]), rest[1], len(rest) > 2 and rest[2] == "1")
        elif kind == "query":
            res = child_query(rest[0], float(rest[1]), rest[2] == "1")
        else:
            res = child_a_share(rest[0], rest[1])
        print(json.dumps(res, ensure_ascii=False))
        return 0
    if args.check:
        return 1 if check() else 0
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
                r = {"size": size, "patched": args.patched}
                r.update(run_child(["build", str(firms), path, "1" if args.patched else "0"], 3600))
                r.update(run_child(["query", path, str(args.timeout), "1" if args.patched else "0"],
                                   args.timeout * 12 + 600))
                print(json.dumps(r, ensure_ascii=False), flush=True)
                results.append(r)
                Path(path).unlink(missing_ok=True)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    previous = json.loads(out.read_text()) if out.exists() else []
    key = "a-share" if args.a_share else ("patched" if args.patched else "as-is")
    done = {r["size"] for r in results}
    previous = [p for p in previous if p.get("run") != key or p.get("size") not in done]
    out.write_text(json.dumps([*previous, *({"run": key, **r} for r in results)], ensure_ascii=False, indent=1))
    if not args.a_share:
        print(markdown(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
