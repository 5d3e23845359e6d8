"""A view as the plain JSON the page's script reads: nodes, edges, styles, tooltips and search keys.

Every string from the data travels as JSON text and is shown by the page through DOM text nodes
or drawn on the canvas, never parsed as HTML.

>>> from chainkg.graph.synthetic import viz_graph as generate
>>> from chainkg.visualize.views import build_view
>>> data = view_payload(build_view(generate(100, seed=4), "overview"), dataset="demo", date="2024-01-15")
>>> sorted(data)
['bands', 'chains', 'counts', 'edges', 'gap', 'meta', 'nodes', 'prov', 'rels', 'strings', 't2s', 'types', 'ui']
>>> data["nodes"][0]["k"]
['新能源电池', 'chain:0']
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from chainkg.schema import SCHEMA

from . import i18n
from .search import keys_of, names_of, t2s_table
from .views import View

#: Segment fill and border per coverage status.
GAP_COLORS = {
    "covered": ("#a9dfbf", "#1e8449"),
    "weak": ("#fad7a0", "#b9770e"),
    "missing": ("#f5b7b1", "#c0392b"),
}
#: Border/line dashes per provenance kind (canvas dash pattern; False = solid).
PROV_DASHES: dict[str, Any] = {"stated": False, "template": [7, 4], "inferred": [2, 4]}
PROV_COLORS = {"stated": "#1e8449", "template": "#2471a3", "inferred": "#ca6f1e"}
_SKIP = {"type", "name", "provenance", "source", "evidence"}


def pale(color: str, amount: float = 0.6) -> str:
    """``color`` mixed with white.

    >>> pale("#000000", 0.5)
    '#808080'
    """
    r, g, b = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    mix = [round(c + (255 - c) * amount) for c in (r, g, b)]
    return "#" + "".join(f"{c:02x}" for c in mix)


def _value(kg, node_type: str | None, key: str, v: Any, lang: str) -> str:
    if isinstance(v, bool):
        return i18n.text(lang, "yes" if v else "no")
    if isinstance(v, float):
        return f"{v:,.2f}".rstrip("0").rstrip(".") if not v.is_integer() else f"{int(v):,}"
    if isinstance(v, (list, tuple)):
        return "、".join(str(x) for x in v)
    if key == "stage":
        return i18n.pick(i18n.STAGE, str(v), lang)
    if key == "chain" and node_type == "Segment" and kg.has(str(v)):
        return kg.name(str(v))
    return str(v)


class _Strings:
    """Long texts repeated across records (source titles, evidence) are sent once, referred to by index."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}

    def __call__(self, text: str) -> int:
        return self.index.setdefault(text, len(self.index))

    def table(self) -> list[str]:
        return list(self.index)


def _provenance(kg, d: dict[str, Any], strings: _Strings) -> dict[str, Any]:
    kind = d.get("provenance")
    out: dict[str, Any] = {}
    if kind:
        out["pv"] = kind
    src = d.get("source")
    if src:
        out["src"] = strings(kg.name(src) if kg.has(src) else str(src))
    if d.get("evidence"):
        out["ev"] = strings(str(d["evidence"]))
    return out


def _node_tip(view: View, nd: dict[str, Any], closure: set[str], strings: _Strings) -> dict[str, Any]:
    kg, lang, n = view.kg, view.lang, nd["id"]
    d = kg.g.nodes[n]
    t = d["type"]
    rows: list[list[str]] = [[i18n.text(lang, "id"), n]]
    for k, v in d.items():
        if k in _SKIP or v is None or v == "" or v == []:
            continue
        rows.append([i18n.prop_label(k, lang, t), _value(kg, t, k, v, lang)])
    located = kg.out(n, "LOCATED_IN")
    if located:
        where = "、".join(kg.name(r) for r in located)
        if nd["local"] is not None:
            where += f"（{i18n.text(lang, 'is_local' if nd['local'] else 'is_outside')}）"
        rows.append([i18n.text(lang, "located"), where])
    if nd["chains"] and t not in ("Chain", "Segment"):
        rows.append([i18n.text(lang, "chains"), "、".join(kg.name(c) for c in nd["chains"])])
    if t == "Segment":
        if nd["gap"]:
            rows.append([i18n.text(lang, "status_row"), i18n.pick(i18n.GAP, nd["gap"], lang)])
        firms = kg.into(n, "OPERATES_IN")
        n_local = sum(1 for f in firms if any(r in closure for r in kg.out(f, "LOCATED_IN")))
        rows.append([i18n.text(lang, "firms_local"), str(n_local)])
        rows.append([i18n.text(lang, "firms_outside"), str(len(firms) - n_local)])
        rows.append([i18n.text(lang, "projects"), str(len(kg.into(n, "IN_SEGMENT")))])
    if t == "Chain":
        segs = kg.out(n, "HAS_SEGMENT")
        text = str(len(segs))
        if view.gap:
            c = Counter(view.gap.get(s) for s in segs)
            text += " · " + " · ".join(f"{i18n.pick(i18n.GAP, k, lang)} {c[k]}" for k in i18n.GAP if c[k])
        rows.append([i18n.text(lang, "segments"), text])
    tip = {"h": kg.name(n), "rows": rows}
    tip.update(_provenance(kg, d, strings))
    return tip


def _edge_tip(view: View, d: dict[str, Any], strings: _Strings) -> dict[str, Any]:
    """Rows and provenance; the page adds the relationship's name and its two ends."""
    kg, lang = view.kg, view.lang
    rows = [[i18n.prop_label(k, lang), _value(kg, None, k, v, lang)] for k, v in d.items()
            if k not in _SKIP and v not in (None, "", [])]
    tip: dict[str, Any] = {"rows": rows} if rows else {}
    tip.update(_provenance(kg, d, strings))
    return tip


def view_payload(view: View, *, dataset: str, date: str) -> dict[str, Any]:
    """Everything the page's script needs, as JSON-ready data."""
    kg, lang = view.kg, view.lang
    closure = kg.region_closure(view.home_region) if view.home_region else set()
    chain_ids = list(dict.fromkeys(c for nd in view.nodes for c in nd["chains"]))
    chain_index = {c: i for i, c in enumerate(chain_ids)}
    nodes = []
    texts: list[str] = []
    strings = _Strings()
    for nd in view.nodes:
        d = kg.g.nodes[nd["id"]]
        name = kg.name(nd["id"])
        aliases = [str(a) for a in d.get("aliases") or ()]
        names = names_of(name, aliases)
        texts.extend(names)
        item: dict[str, Any] = {
            "id": nd["id"],
            "l": nd["label"],
            "t": nd["type"],
            "x": nd["x"],
            "y": nd["y"],
            "k": keys_of(name, *aliases, nd["id"]),
            "n": names,
            "tip": _node_tip(view, nd, closure, strings),
        }
        if d.get("provenance"):
            item["p"] = d["provenance"]
        if nd["gap"]:
            item["g"] = nd["gap"]
        if nd["local"] is not None:
            item["o"] = 1 if nd["local"] else 0
        if nd["anchor"]:
            item["a"] = 1
        if nd["chains"]:
            item["c"] = [chain_index[c] for c in nd["chains"]]
        if "cl" in nd:
            item["cl"] = nd["cl"]
        nodes.append(item)
    edges = []
    for i, e in enumerate(view.edges):
        d = kg.edge(e["from"], e["to"], e["type"])
        item = {"id": f"e{i}", "f": e["from"], "t": e["to"], "r": e["type"], "tip": _edge_tip(view, d, strings)}
        if d.get("provenance"):
            item["p"] = d["provenance"]
        edges.append(item)
    type_counts = Counter(nd["type"] for nd in view.nodes)
    rel_counts = Counter(e["type"] for e in view.edges)
    types = {
        t.name: {"color": t.color, "pale": pale(t.color), "shape": t.shape, "label": i18n.type_label(t.name, lang)}
        for t in SCHEMA.node_types
    }
    out = {
        "meta": {"dataset": dataset, "date": date, "view": view.kind, "title": view.title, "lang": lang,
                 "home": kg.name(view.home_region) if view.home_region else None},
        "ui": i18n.ui_strings(lang),
        "types": types,
        "gap": {k: {"fill": f, "border": b, "label": i18n.pick(i18n.GAP, k, lang)} for k, (f, b) in GAP_COLORS.items()},
        "prov": {k: {"dashes": PROV_DASHES[k], "color": PROV_COLORS[k], "label": i18n.pick(i18n.PROVENANCE, k, lang),
                     "evidence": i18n.pick(i18n.EVIDENCE, k, lang)} for k in PROV_DASHES},
        "rels": {r.name: i18n.rel_label(r.name, lang) for r in SCHEMA.rel_types},
        "chains": [{"id": c, "name": kg.name(c)} for c in chain_ids],
        "bands": view.bands,
        "counts": {"nodes": len(nodes), "edges": len(edges), "types": dict(type_counts), "rels": dict(rel_counts)},
        "t2s": t2s_table(texts),
        "nodes": nodes,
        "edges": edges,
        "strings": strings.table(),
    }
    if view.clusters:
        out.update(cluster_payload(view))
    return out


def _cluster_tip(view: View, c: dict[str, Any]) -> dict[str, Any]:
    lang = view.lang
    t = i18n.text
    rows: list[list[str]] = []
    k = c.get("counts") or {}
    if c["kind"] == "chain":
        seg = f"{k['segments']:,}"
        if view.gap and k["segments"]:
            seg += " · " + " · ".join(f"{i18n.pick(i18n.GAP, g, lang)} {k[g]:,}" for g in i18n.GAP if k.get(g))
        rows.append([t(lang, "segments"), seg])
        if view.home_region:
            rows.append([t(lang, "firms_local"), f"{k['local']:,}（{t(lang, 't_anchors')} {k['anchors']:,}）"
                         if lang == "zh" else f"{k['local']:,} ({t(lang, 't_anchors')} {k['anchors']:,})"])
            rows.append([t(lang, "firms_outside"), f"{k['firms'] - k['local']:,}"])
        else:
            rows.append([i18n.type_label("Enterprise", lang), f"{k['firms']:,}"])
        rows.append([t(lang, "projects"), f"{k['projects']:,}"])
    rows.append([t(lang, "cl_members"), " · ".join(f"{i18n.type_label(ty, lang)} {n:,}"
                                                   for ty, n in sorted(c["types"].items()))])
    tip: dict[str, Any] = {"h": c["name"], "rows": rows}
    if not c["open"]:
        tip["advice"] = c.get("advice") or ""
    return tip


def cluster_payload(view: View) -> dict[str, Any]:
    """The clustered whole view's aggregates, the links between them, and member-to-cluster links."""
    clusters = []
    for c in view.clusters:
        item = {"id": c["id"], "kind": c["kind"], "l": c["label"], "x": c["x"], "y": c["y"], "n": c["n"],
                "open": c["open"], "k": keys_of(c["name"]), "tip": _cluster_tip(view, c)}
        if c["open"]:
            item["w"], item["h"] = c["w"], c["h"]
        if c.get("chain"):
            item["chain"] = c["chain"]
        if c.get("counts"):
            item["counts"] = c["counts"]
        clusters.append(item)
    return {"clusters": clusters, "links": view.links, "partial": view.partial,
            "cl_note": i18n.text(view.lang, "cl_hint")}
