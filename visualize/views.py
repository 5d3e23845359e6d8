"""What a page shows: the nodes and edges of a view, where they go and how they are marked.

Four views:

* ``overview`` — chains and their segments, one row per chain, segments upstream → downstream,
  each segment coloured by local coverage (covered / weak / missing) when the gap analysis
  (:func:`chainkg.graph.coverage.segment_status`) is available;
* ``chain`` — one chain: segments left → right by stage and order, local firms above each
  segment, outside firms and projects below, anchors marked, gaps coloured;
* ``ego`` — a node and its k-hop neighbourhood, in rings;
* ``whole`` — the whole graph, optionally narrowed by node type, chain and region.

Above ``max_nodes`` a view is refused with :class:`ViewTooLarge`, whose message says how to
narrow it.

>>> from chainkg.graph.synthetic import viz_graph as generate
>>> kg = generate(150, seed=3)
>>> v = build_view(kg, "chain", chain="新能源電池")
>>> v.kind, v.nodes[0]["type"], v.nodes[0]["label"]
('chain', 'Chain', '新能源电池')
>>> build_view(kg, "whole", max_nodes=50, cluster=False)
Traceback (most recent call last):
...
chainkg.visualize.views.ViewTooLarge: the whole view would show 149 nodes, more than the budget of 50. ...
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from chainkg.graph.kg import GraphError, KnowledgeGraph
from chainkg.graph.scope import chains_of, resolve_chain
from chainkg.schema import SCHEMA, STAGES

from . import i18n
from .layout import CellGrid, grow, radial

VIEWS = ("overview", "chain", "ego", "whole")
#: Pages above this many nodes get slow to draw and to read; views refuse them unless asked.
DEFAULT_MAX_NODES = 2500
STAGE_RANK = {s: i for i, s in enumerate(STAGES)}
TYPE_RANK = {t.name: i for i, t in enumerate(SCHEMA.node_types)}
#: Chain view geometry (pixels): firm column width, row height, segment box column, gap between stage lanes.
CW, RH, SEG_W, LANE_GAP = 170, 64, 210, 90
#: Longer names are cut on the canvas (two lines at most); tooltips and search show them whole.
LABEL_MAX = 20


class ViewTooLarge(GraphError):
    """The view would show more nodes than the budget; the message says how to narrow it."""


@dataclass
class View:
    """A laid-out view: plain data the HTML writer turns into a page.

    ``nodes`` are dicts with ``id``, ``type``, ``label``, ``x``, ``y`` and marks: ``local``
    (True/False/None), ``anchor``, ``gap`` (segment status or None), ``chains`` (chain ids).
    ``edges`` are dicts with ``from``, ``to``, ``type``.
    """

    kind: str
    title: str
    kg: KnowledgeGraph
    nodes: list[dict[str, Any]]
    edges: list[dict[str, Any]]
    #: Stage headers for the chain view: label, x0, x1, y.
    bands: list[dict[str, Any]] = field(default_factory=list)
    #: Segment coverage from the gap analysis, or None when it is not available.
    gap: dict[str, str] | None = None
    home_region: str | None = None
    lang: str = "zh"
    #: The clustered whole view: aggregates (``id``, ``label``, ``x``, ``y``, ``open`` …), links between
    #: them, and links between a member the page may open and a cluster it cannot (see :mod:`.clusters`).
    clusters: list[dict[str, Any]] = field(default_factory=list)
    links: list[dict[str, Any]] = field(default_factory=list)
    partial: list[dict[str, Any]] = field(default_factory=list)

    @property
    def node_ids(self) -> list[str]:
        return [n["id"] for n in self.nodes]


# --------------------------------------------------------------- helpers
def segment_status(kg: KnowledgeGraph, region_id: str | None = None) -> dict[str, str] | None:
    """Coverage per segment ("covered" | "weak" | "missing") from the gap analysis, or None without it.

    Judged by :func:`chainkg.graph.coverage.segment_status` against ``region_id`` or the home region.
    """
    from chainkg.graph.coverage import segment_status as status

    if not region_id and not kg.meta.get("home_region"):
        return None  # coverage is judged against a region; without one, segments keep their type colour
    return status(kg, region_id)


def resolve_types(names: Iterable[str] | None) -> set[str] | None:
    """Node type names from English or Chinese names, any case; a clear error for unknown ones.

    >>> sorted(resolve_types(["enterprise", "项目"]))
    ['Enterprise', 'Project']
    """
    return SCHEMA.node_type_names(names)


def _segment_sort(kg: KnowledgeGraph, s: str) -> tuple:
    d = kg.g.nodes[s]
    return STAGE_RANK.get(d.get("stage"), 99), d.get("order", 10**9), s


def _chain_sort(kg: KnowledgeGraph, c: str) -> tuple:
    d = kg.g.nodes[c]
    return not d.get("verified"), d.get("tier") != "8", kg.name(c), c


def _sorted_segments(kg: KnowledgeGraph, chain: str) -> list[str]:
    return sorted(kg.out(chain, "HAS_SEGMENT"), key=lambda s: _segment_sort(kg, s))


class _Marks:
    """Local/outside, anchors and chain membership, computed once per view."""

    def __init__(self, kg: KnowledgeGraph, home: str | None) -> None:
        self.kg = kg
        self.home = home if home and kg.has(home) else None
        self.closure = kg.region_closure(self.home) if self.home else set()
        self.anchors = {u for u, _, k in kg.g.edges(keys=True) if k == "ANCHORS"}
        self.anchors |= {u for u, _, k, d in kg.g.edges(keys=True, data=True)
                         if k == "OPERATES_IN" and d.get("role") == "anchor"}
        self.anchors |= {n for n, d in kg.g.nodes(data=True) if d.get("type") == "Enterprise" and d.get("anchor")}
        self._chains: dict[str, list[str]] = {}

    def local(self, n: str) -> bool | None:
        if self.kg.node_type(n) not in ("Enterprise", "Project", "Event") or not self.home:
            return None
        return any(r in self.closure for r in self.kg.out(n, "LOCATED_IN"))

    def chains(self, n: str) -> list[str]:
        if n not in self._chains:
            self._chains[n] = chains_of(self.kg, n)
        return self._chains[n]


def _node(kg: KnowledgeGraph, marks: _Marks, n: str, x: float, y: float, gap: dict[str, str] | None) -> dict:
    d = kg.g.nodes[n]
    t = d["type"]
    label = kg.name(n)
    if len(label) > LABEL_MAX:  # the full name is in the tooltip and the search results
        label = label[: LABEL_MAX - 1] + "…"
    if t == "Project" and d.get("status"):
        label = f"{label}\n〔{d['status']}〕"
    return {
        "id": n,
        "type": t,
        "label": label,
        "x": round(x, 1),
        "y": round(y, 1),
        "local": marks.local(n),
        "anchor": t == "Enterprise" and n in marks.anchors,
        "gap": (gap or {}).get(n) if t == "Segment" else None,
        "chains": marks.chains(n),
    }


def _edges(kg: KnowledgeGraph, keep: set[str], skip: Sequence[str] = ()) -> list[dict[str, Any]]:
    out = []
    for n in keep:
        for _, v, k in kg.g.out_edges(n, keys=True):
            if v in keep and k not in skip:
                out.append({"from": n, "to": v, "type": k})
    out.sort(key=lambda e: (e["from"], e["to"], e["type"]))
    return out


def _check_budget(kind: str, n: int, max_nodes: int | None, how: str) -> None:
    if max_nodes is not None and n > max_nodes:
        narrow = f"Narrow it: {how}; or raise --max-nodes" if how else "Raise --max-nodes"
        raise ViewTooLarge(
            f"the {kind} view would show {n:,} nodes, more than the budget of {max_nodes:,}. "
            f"{narrow} (pages with thousands of nodes get slow to draw and to read)."
        )


def _type_filter(kg: KnowledgeGraph, ids: Iterable[str], types: set[str] | None, always: set[str]) -> list[str]:
    return [n for n in ids if n in always or types is None or kg.node_type(n) in types]


# ----------------------------------------------------------------- views
def build_view(
    kg: KnowledgeGraph,
    view: str = "overview",
    *,
    chain: str | None = None,
    node: str | None = None,
    depth: int = 1,
    types: Iterable[str] | None = None,
    region: str | None = None,
    max_nodes: int | None = DEFAULT_MAX_NODES,
    lang: str = "zh",
    cluster: bool | None = None,
    advise: bool = True,
) -> View:
    """Select and lay out a view. Names may be ids, names or aliases (Simplified or Traditional).

    * ``chain``: the chain of the ``chain`` view; in ``overview`` and ``whole`` it narrows to one chain.
    * ``node``, ``depth``: the centre and radius of the ``ego`` view.
    * ``types``: node types to keep (English or Chinese names); chains and segments stay in the
      ``overview``/``chain`` views, the centre in ``ego``.
    * ``region``: in ``whole``, keep what is located in the region (with its segments and chains);
      in ``overview`` and ``chain``, the region coverage and "local" are judged against
      (default: the graph's ``home_region``).
    * ``cluster``: the ``whole`` view opens with one node per chain (and per group of regions, events
      …) that the page opens and collapses (see :mod:`chainkg.visualize.clusters`); default: clustered
      unless narrowed to one ``chain``. ``False`` draws every node (the flat view).
    * ``advise``: False skips working out the suggestions of refusals and closed groups (used while
      checking that a suggestion fits).

    >>> from chainkg.graph.synthetic import viz_graph as generate
    >>> v = build_view(generate(150, seed=3), "ego", node="新能源电池", depth=1)
    >>> v.nodes[0]["id"], (v.nodes[0]["x"], v.nodes[0]["y"])
    ('chain:0', (0.0, 0.0))
    """
    if view not in VIEWS:
        raise GraphError(f"unknown view {view!r}; choose one of {', '.join(VIEWS)}")
    if lang not in i18n.LANGS:
        raise GraphError(f"unknown language {lang!r}; choose one of {', '.join(i18n.LANGS)}")
    if depth < 0:
        raise GraphError("--depth must be 0 or more")
    type_set = resolve_types(types)
    chain_id = resolve_chain(kg, chain)
    region_id = kg.resolve(region, "Region") if region else None
    home = kg.meta.get("home_region")
    if view in ("overview", "chain") and region_id:
        home = region_id
    marks = _Marks(kg, home)
    if view == "overview":
        v = _overview(kg, marks, chain_id, type_set, max_nodes, lang)
    elif view == "chain":
        if not chain_id:
            names = "、".join(kg.name(c) for c in sorted(kg.nodes("Chain"), key=lambda c: _chain_sort(kg, c)))
            raise GraphError(f"the chain view needs --chain NAME (one of: {names or 'no chains in the graph'})")
        v = _chain(kg, marks, chain_id, type_set, max_nodes, lang, advise)
    elif view == "ego":
        if not node:
            raise GraphError("the ego view needs --node NAME-OR-ID")
        v = _ego(kg, marks, kg.resolve(node), depth, type_set, max_nodes, lang, advise)
    else:
        v = _whole(kg, marks, chain_id, region_id, type_set, max_nodes, lang, cluster, advise)
    v.home_region = marks.home
    return v


def _overview(kg, marks, chain_id, types, max_nodes, lang) -> View:
    # chains with a template first; the others (no segments yet) close the list
    chains = [chain_id] if chain_id else sorted(kg.nodes("Chain"),
                                                key=lambda c: (not kg.out(c, "HAS_SEGMENT"), *_chain_sort(kg, c)))
    rows = [(c, _sorted_segments(kg, c)) for c in chains]
    n = len(chains) + sum(len(s) for _, s in rows)
    _check_budget("overview", n, max_nodes, "--chain NAME for one chain, or --view chain --chain NAME")
    gap = segment_status(kg, marks.home)
    nodes = []
    dx, dy = 170, 130
    for r, (c, segs) in enumerate(rows):
        nodes.append(_node(kg, marks, c, 0, r * dy, gap))
        for k, s in enumerate(segs):
            nodes.append(_node(kg, marks, s, (k + 1) * dx, r * dy + (k % 2) * 30, gap))
    keep = {x["id"] for x in nodes}
    title = i18n.text(lang, "view_overview") + (f"{i18n.colon(lang)}{kg.name(chain_id)}" if chain_id else "")
    return View("overview", title, kg, nodes, _edges(kg, keep), gap=gap, lang=lang)


def _chain(kg, marks, c, types, max_nodes, lang, advise=True) -> View:
    segs = _sorted_segments(kg, c)
    always = {c, *segs}

    def ok(n: str) -> bool:
        return n in always or types is None or kg.node_type(n) in types

    placed: set[str] = set(always)
    groups: dict[str, list[list[str]]] = {}  # segment → [local firms, outside firms, projects and investors]
    for s in segs:  # a firm sits at its first segment (in chain order); its other links are edges
        firms = [f for f in sorted(kg.into(s, "OPERATES_IN"), key=lambda f: (f not in marks.anchors, kg.name(f), f))
                 if f not in placed and ok(f)]
        placed.update(firms)
        groups[s] = [[f for f in firms if marks.local(f)], [f for f in firms if not marks.local(f)], []]
    for s in segs:
        groups[s][2] = [p for p in sorted(kg.into(s, "IN_SEGMENT")) if p not in placed and ok(p)]
        placed.update(groups[s][2])
    head = [x for x in sorted(kg.into(c, "LEADS")) if ok(x)]
    head += [f for f in sorted(kg.into(c, "ANCHORS")) if f not in placed and ok(f)]
    placed.update(head)
    chain_projects = [p for p in sorted(kg.into(c, "IN_CHAIN")) if p not in placed and ok(p)]
    placed.update(chain_projects)
    for owner, projects in [(None, chain_projects)] + [(s, list(groups[s][2])) for s in segs]:
        for p in projects:  # investors not otherwise in the chain go next to their project
            for f in sorted(kg.into(p, "INVESTS")):
                if f not in placed and ok(f):
                    placed.add(f)
                    (chain_projects if owner is None else groups[owner][2]).append(f)
    events = sorted({e for p in placed if kg.node_type(p) == "Project" for e in kg.out(p, "SIGNED_AT") if ok(e)})
    if max_nodes is not None and len(placed) + len(events) > max_nodes:
        _check_budget("chain", len(placed) + len(events), max_nodes,
                      _chain_advice(kg, c, segs, max_nodes) if advise else "")

    # Stage lanes, upstream → downstream, left to right (the usual 全景图 shape): each segment
    # box with its local firms, outside firms and projects in rows of `per_row` to its right.
    stages: dict[str, list[str]] = {}
    for s in segs:
        stages.setdefault(kg.g.nodes[s].get("stage", ""), []).append(s)

    def rows(s: str, per_row: int) -> int:
        return max(1, sum(math.ceil(len(g) / per_row) for g in groups[s] if g))

    def size(per_row: int) -> tuple[float, float]:
        width = CW * 1.3 + sum(SEG_W + per_row * CW + LANE_GAP for _ in stages)
        height = max([sum(rows(s, per_row) * RH + RH * 0.7 for s in lane) for lane in stages.values()]
                     + [RH * (2 + len(head) + len(chain_projects))])
        return width, height

    busiest = max([len(g) for s in segs for g in groups[s]] + [1])
    per_row = min(range(1, min(busiest, 8) + 1), key=lambda k: abs(math.log(size(k)[0] / size(k)[1] / 1.6)))

    gap = segment_status(kg, marks.home)
    grid = CellGrid(CW, RH)
    nodes: list[dict] = []

    def put(n: str, x: float, y: float) -> None:
        grid.fix(n, x, y)
        nodes.append(_node(kg, marks, n, x, y, gap))

    put(c, 0, 0)
    for i, n in enumerate(head + chain_projects):
        put(n, 0, (i + 1.5) * RH)
    bands: list[dict[str, Any]] = []
    x0 = CW * 1.3
    for stage, lane in stages.items():
        y = 0.0
        for s in lane:
            put(s, x0 + SEG_W / 2, y)
            r = 0
            for group in groups[s]:
                for i, n in enumerate(group):
                    put(n, x0 + SEG_W + CW * (0.5 + i % per_row), y + (r + i // per_row) * RH)
                r += math.ceil(len(group) / per_row)
            y += max(1, r) * RH + RH * 0.7
        x1 = x0 + SEG_W + per_row * CW
        bands.append({"stage": stage, "label": i18n.pick(i18n.STAGE, stage, lang), "x0": x0 - 20, "x1": x1,
                      "y": -RH * 1.3})
        x0 = x1 + LANE_GAP
    bottom = max((nd["y"] for nd in nodes), default=0) + 2 * RH
    for e in events:
        xs = [grid.pos[p][0] for p in kg.into(e, "SIGNED_AT") if p in grid.pos]
        ex, ey = grid.near(e, sum(xs) / len(xs) if xs else 0, bottom)
        nodes.append(_node(kg, marks, e, ex, ey, gap))
    keep = {nd["id"] for nd in nodes}
    title = f"{i18n.text(lang, 'view_chain')}{i18n.colon(lang)}{kg.name(c)}"
    # every segment here belongs to the chain: the lanes say so, HAS_SEGMENT lines would only clutter
    return View("chain", title, kg, nodes, _edges(kg, keep, skip=("HAS_SEGMENT",)), bands=bands, gap=gap, lang=lang)


def _chain_advice(kg: KnowledgeGraph, c: str, segs: list[str], max_nodes: int) -> str:
    """Options that really bring the chain view under the budget (each built to make sure)."""
    name = _quote(kg.name(c))
    tries: list[tuple[str, dict[str, Any]]] = [
        (f"--view panorama --chain {name} (the 全景图: {len(segs)} segment boxes, outside firms counted, not drawn)",
         {"view": "panorama"})]
    for types in (("Segment", "Project"), ("Segment", "Enterprise")):
        tries.append((f"--view chain --chain {name} --type {','.join(types)}",
                      {"view": "chain", "chain": c, "types": types}))
    return "; or ".join(fitting_options(kg, tries, max_nodes))


def _ego(kg, marks, centre, depth, types, max_nodes, lang, advise=True) -> View:
    g = kg.g
    dist = {centre: 0}
    parent: dict[str, str] = {}
    rings: list[list[str]] = []
    frontier = [centre]
    for _ in range(depth):
        nxt = []
        for u in frontier:
            around = sorted(set(g.successors(u)) | set(g.predecessors(u)),
                            key=lambda v: (TYPE_RANK.get(g.nodes[v]["type"], 99), kg.name(v), v))
            for v in around:
                if v in dist or g.nodes[v]["type"] == "Source" or (types and g.nodes[v]["type"] not in types):
                    continue
                dist[v] = dist[u] + 1
                parent[v] = u
                nxt.append(v)
        if not nxt:
            break
        rings.append(nxt)
        frontier = nxt
        if max_nodes is not None and len(dist) > max_nodes:
            _check_budget("ego", len(dist), max_nodes,
                          _ego_advice(kg, centre, depth, types, max_nodes) if advise else "")
    gap = segment_status(kg, marks.home) if any(g.nodes[n]["type"] == "Segment" for n in dist) else None
    pos = radial(centre, rings, parent)
    nodes = [_node(kg, marks, n, *pos[n], gap) for n in [centre, *(n for r in rings for n in r)]]
    title = f"{i18n.text(lang, 'view_ego')}{i18n.colon(lang)}{kg.name(centre)}"
    title += f"（{i18n.text(lang, 'depth')} {depth}）" if lang == "zh" else f" ({i18n.text(lang, 'depth')} {depth})"
    return View("ego", title, kg, nodes, _edges(kg, set(dist)), gap=gap, lang=lang)


def whole_keep(kg: KnowledgeGraph, chain_id: str | None, region_id: str | None,
               types: set[str] | None, memo: dict[str, set[str]] | None = None) -> set[str]:
    """The nodes of the whole view narrowed by chain, region and types (Sources only when asked for).
    ``memo`` keeps each chain's nodes between calls."""
    keep = set(kg.nodes())
    if not types or "Source" not in types:
        keep -= set(kg.nodes("Source"))
    if chain_id:
        memo = {} if memo is None else memo
        if chain_id not in memo:
            memo[chain_id] = set(kg.chain_subgraph(chain_id).nodes())
        keep &= memo[chain_id]
    if region_id:
        inside = kg.region_closure(region_id)
        near = set(inside)
        for r in inside:
            near.update(kg.into(r, "LOCATED_IN"))
            near.update(kg.into(r, "HOSTED_BY"))
        for n in list(near):
            for s in kg.out(n, "OPERATES_IN") + kg.out(n, "IN_SEGMENT"):
                near.add(s)
                near.update(kg.into(s, "HAS_SEGMENT"))
            near.update(kg.out(n, "IN_CHAIN"))
        keep &= near
    if types:
        keep = {n for n in keep if kg.node_type(n) in types}
    return keep


def flat_positions(kg: KnowledgeGraph, keep: set[str], *, wrap: bool = False
                   ) -> tuple[list[str], dict[str, tuple[float, float]], int]:
    """Grid positions for ``keep``: one row per chain, its segments upstream → downstream, the rest
    grown next to their neighbours (``wrap``: a chain's segments over several rows, for a compact box).
    Returns the nodes in drawing order, positions, and the number of segments."""
    ordered = sorted(keep, key=lambda n: (TYPE_RANK.get(kg.node_type(n), 99), n))
    adj: dict[str, list[str]] = {n: [] for n in ordered}
    for u, v in kg.g.edges():
        if u in keep and v in keep and u != v:
            adj[u].append(v)
            adj[v].append(u)
    for n in ordered:
        adj[n] = sorted(set(adj[n]), key=lambda v: (TYPE_RANK.get(kg.node_type(v), 99), v))

    # seeds: one row per chain, its segments upstream → downstream
    rows: dict[str | None, list[str]] = {}
    for c in sorted((n for n in keep if kg.node_type(n) == "Chain"),
                    key=lambda c: (not kg.out(c, "HAS_SEGMENT"), *_chain_sort(kg, c))):
        rows[c] = []
    for s in sorted((n for n in keep if kg.node_type(n) == "Segment"), key=lambda s: _segment_sort(kg, s)):
        rows.setdefault(kg.chain_of(s), []).append(s)
    n_segs = sum(len(v) for v in rows.values())
    grid = CellGrid(170, 64)
    span = 3  # cells between segments
    attach = (len(keep) - n_segs - len(rows)) / max(1, n_segs)
    row_cells = max(4, min(40, math.ceil(attach / span) + 3))
    per_row = max([len(v) for v in rows.values()] + [1])
    if wrap and rows:  # one chain's segments in rows of `per_row`, for a box of about 16:10
        per_row = min(range(1, per_row + 1), key=lambda k: abs(math.log(
            (k + 1) * span * grid.cw / (sum(math.ceil(max(1, len(v)) / k) for v in rows.values()) * row_cells
                                        * grid.ch) / 1.6)))
    y = 0.0
    for c, segs in rows.items():
        if c in keep:
            grid.fix(c, 0, y)
        for k, s in enumerate(segs):
            grid.fix(s, (k % per_row + 1) * span * grid.cw, y + (k // per_row) * row_cells * grid.ch)
        y += math.ceil(max(1, len(segs)) / per_row) * row_cells * grid.ch
    grow(grid, ordered, adj.__getitem__)
    return ordered, grid.pos, n_segs


def _whole_title(kg, chain_id, region_id, types, lang) -> str:
    bits = []
    if chain_id:
        bits.append(kg.name(chain_id))
    if region_id:
        bits.append(kg.name(region_id))
    if types:
        bits.append("、".join(i18n.type_label(t, lang) for t in sorted(types, key=TYPE_RANK.get)))
    return i18n.text(lang, "view_whole") + (f"{i18n.colon(lang)}{' · '.join(bits)}" if bits else "")


def fitting_options(kg: KnowledgeGraph, tries: Sequence[tuple[str, dict[str, Any]]],
                    max_nodes: int | None) -> list[str]:
    """Of ``tries`` (option text, build_view arguments), those whose view really fits the budget:
    each is built (refusals stop before the layout, so a miss is cheap)."""
    out = []
    memo: dict[str, set[str]] = {}
    for text, kw in tries:
        kw = dict(kw)
        want = kw.pop("want", None)  # a cluster the suggested view must carry (open in the page)
        budget = kw.pop("max_nodes", max_nodes)
        if kw.get("view") == "panorama":
            out.append(text)  # the panorama draws one box per segment, whatever the firm count
            continue
        if kw.get("view") == "whole":  # counted with the view's own selection, no layout
            keep = whole_keep(kg, resolve_chain(kg, kw.get("chain")), kw.get("region"), resolve_types(kw.get("types")),
                              memo)
            if kw.get("cluster") is False:
                if budget is None or len(keep) <= budget:
                    out.append(f"{text} ({len(keep):,} nodes)")
                continue
            from .clusters import carried_keys

            if want is None or want in carried_keys(kg, keep, budget):
                out.append(text)  # the groups themselves always fit (see clusters.clustered_whole)
            continue
        try:
            v = build_view(kg, **kw, max_nodes=budget, advise=False)
        except ViewTooLarge:
            continue
        out.append(f"{text} ({len(v.nodes):,} nodes)")
    return out


def _ego_advice(kg, centre, depth, types, max_nodes) -> str:
    """Smaller depths and fewer kinds of node that really fit, each built to make sure."""
    name = _quote(kg.name(centre))
    tries = [(f"--view ego --node {name} --depth {d}" + (f" --type {','.join(sorted(types))}" if types else ""),
              {"view": "ego", "node": centre, "depth": d, "types": types}) for d in range(depth - 1, 0, -1)]
    for ts in (("Enterprise", "Project"),):
        if not types or set(ts) < set(types):
            tries.append((f"--view ego --node {name} --depth {depth} --type {','.join(ts)}",
                          {"view": "ego", "node": centre, "depth": depth, "types": ts}))
    tips = fitting_options(kg, tries[:3], max_nodes)
    return "; or ".join(tips)


def _whole(kg, marks, chain_id, region_id, types, max_nodes, lang, cluster, advise=True) -> View:
    keep = whole_keep(kg, chain_id, region_id, types)
    title = _whole_title(kg, chain_id, region_id, types, lang)
    if cluster is None:
        cluster = chain_id is None  # one chain is one cluster: show its members instead
    if cluster:
        from .clusters import clustered_whole

        return clustered_whole(kg, marks, keep, title=title, max_nodes=max_nodes, lang=lang,
                               region_id=region_id, types=types, advise=advise)
    if max_nodes is not None and len(keep) > max_nodes:
        _check_budget("whole", len(keep), max_nodes, _whole_advice(kg, chain_id, region_id, types, max_nodes)
                      if advise else "")
    ordered, pos, n_segs = flat_positions(kg, keep)
    gap = segment_status(kg, marks.home) if n_segs else None
    nodes = [_node(kg, marks, n, *pos[n], gap) for n in ordered]
    return View("whole", title, kg, nodes, _edges(kg, keep), gap=gap, lang=lang)


def _whole_advice(kg, chain_id, region_id, types, max_nodes) -> str:
    """Options that bring the flat whole view under the budget, each one built to make sure."""
    q = _quote
    region = {"region": region_id} if region_id else {}
    where = f" --region {q(kg.name(region_id))}" if region_id else ""
    tries: list[tuple[str, dict[str, Any]]] = []
    if not chain_id:
        tries.append((f"--view whole{where}" + (f" --type {','.join(sorted(types))}" if types else "")
                      + " (clustered by chain)", {"view": "whole", **region, "types": types, "cluster": True}))
    else:
        name = q(kg.name(chain_id))
        tries.append((f"--view panorama --chain {name}", {"view": "panorama"}))
        tries.append((f"--view chain --chain {name}", {"view": "chain", "chain": chain_id}))
        for ts in (("Segment", "Project"), ("Segment", "Enterprise"), ("Enterprise",)):
            if not types or set(ts) < set(types):
                tries.append((f"--view whole --chain {name}{where} --type {','.join(ts)}",
                              {"view": "whole", "chain": chain_id, **region, "types": ts, "cluster": False}))
    tips = fitting_options(kg, tries, max_nodes)
    return "; or ".join(tips)


def _quote(name: str) -> str:
    """A name as one shell word (quoted only when the shell would split or expand it).

    >>> _quote("新能源电池"), _quote("a b")
    ('新能源电池', "'a b'")
    """
    import re
    import shlex

    return shlex.quote(name) if not name or re.search(r"[\s'\"\\$`!*?;&|<>(){}\[\]#~=%]", name) else name
