"""The whole graph clustered by chain: one node per chain (and per group of regions, events …), opened in the page.

Aggregated here, in Python, not with vis-network's ``network.cluster()`` in the page: that API
clusters nodes already in the page's DataSet, so the file would still carry (and the browser
still build) every node of the graph, and a 100,000-firm graph could not be opened at all. Here
the page opens with the aggregates only; the members of a cluster travel in the file, with their
positions, only while the members of all clusters so far fit the node budget. A cluster that does
not fit stays closed and says which command shows it (each suggestion built to make sure it fits).

Every node kept belongs to exactly one cluster: a firm to the chain it anchors, else to the chain
most of its segments belong to; a project to its chain; a leader to the chain it leads; a segment
to its chain. Regions split into local (the home region and what lies in it) and outside; events,
firms without a chain and other nodes get a group each. Links between two clusters are counted per
relationship type and direction; a firm of one cluster working in a segment of another (or
anchoring it) is a *shared firm* of the pair.

>>> from chainkg.graph.examples import toy_chain
>>> from chainkg.visualize.views import build_view
>>> v = build_view(toy_chain(), "whole")
>>> [c["label"].split("\\n")[0] for c in v.clusters]
['电池', '本地区域（本市）', '外地区域']
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from typing import Any

from chainkg.graph.kg import KnowledgeGraph

from . import i18n

#: Opening grid of the aggregate nodes (pixels), sized for two-line labels at 20 px.
CELL_W, CELL_H = 400, 190
#: Order of the groups after the chains.
GROUPS = ("regions_local", "regions", "events", "firms_other", "other", "regions_outside")


def primary_chain(kg: KnowledgeGraph, n: str, rank: dict[str, int]) -> str | None:
    """The one chain a node is drawn in (None: not in any chain)."""
    t = kg.node_type(n)
    if t == "Chain":
        return n
    if t == "Segment":
        return kg.chain_of(n) or kg.g.nodes[n].get("chain")
    if t == "Leader":
        led = sorted(kg.out(n, "LEADS"), key=lambda c: rank.get(c, 10**9))
        return led[0] if led else None
    if t == "Project":
        chains = kg.out(n, "IN_CHAIN") + [kg.chain_of(s) for s in kg.out(n, "IN_SEGMENT")]
        chains = [c for c in chains if c]
        return min(chains, key=lambda c: rank.get(c, 10**9)) if chains else None
    if t == "Enterprise":
        anchored = sorted(kg.out(n, "ANCHORS"), key=lambda c: rank.get(c, 10**9))
        if anchored:
            return anchored[0]
        votes = Counter(c for s in kg.out(n, "OPERATES_IN") if (c := kg.chain_of(s)))
        if not votes:
            votes = Counter(c for p in kg.out(n, "INVESTS") if (c := primary_chain(kg, p, rank)))
        if votes:
            return min(votes, key=lambda c: (-votes[c], rank.get(c, 10**9), c))
    return None


def assign(kg: KnowledgeGraph, keep: Iterable[str], closure: set[str] | None) -> tuple[list[str], dict[str, str]]:
    """Cluster keys in drawing order and the cluster of each node.

    Keys are ``chain:<id>`` for chains and the names of :data:`GROUPS`. ``closure`` is the home
    region and what lies in it (None: no home region, so regions are one group).
    """
    from .views import _chain_sort

    chains = sorted(kg.nodes("Chain"), key=lambda c: (not kg.out(c, "HAS_SEGMENT"), *_chain_sort(kg, c)))
    rank = {c: i for i, c in enumerate(chains)}
    of: dict[str, str] = {}
    for n in keep:
        c = primary_chain(kg, n, rank)
        if c is not None and kg.has(c):
            of[n] = f"chain:{c}"
            continue
        t = kg.node_type(n)
        if t == "Region":
            of[n] = "regions" if closure is None else ("regions_local" if n in closure else "regions_outside")
        elif t == "Event":
            of[n] = "events"
        elif t == "Enterprise":
            of[n] = "firms_other"
        else:
            of[n] = "other"
    used = set(of.values())
    keys = [f"chain:{c}" for c in chains if f"chain:{c}" in used] + [g for g in GROUPS if g in used]
    return keys, of


def links(kg: KnowledgeGraph, keep: set[str], of: dict[str, str]) -> dict[tuple[str, str], dict[str, Any]]:
    """Relationships between clusters, per unordered pair ``(a, b)`` in the order of ``sorted``.

    Each value holds ``rels``: relationship type → ``[a→b, b→a]`` counts, and ``shared``: the firms
    of one cluster working in a segment (or anchoring the chain) of the other.
    """
    out: dict[tuple[str, str], dict[str, Any]] = {}
    for u, v, k in kg.g.edges(keys=True):
        if u not in keep or v not in keep:
            continue
        a, b = of[u], of[v]
        if a == b:
            continue
        pair = (a, b) if a < b else (b, a)
        link = out.setdefault(pair, {"rels": {}, "shared": set()})
        link["rels"].setdefault(k, [0, 0])[0 if a == pair[0] else 1] += 1
        if k in ("OPERATES_IN", "ANCHORS") and kg.node_type(u) == "Enterprise":
            link["shared"].add(u)
    return out


def _counts(kg: KnowledgeGraph, marks, keep: set[str], chain: str, gap: dict[str, str] | None) -> dict[str, int]:
    """What a chain holds within ``keep``: its segments, firms (local, anchors), projects; chain-wide,
    like the panorama's tally, not only the nodes drawn in this cluster."""
    segs = [s for s in kg.out(chain, "HAS_SEGMENT") if s in keep]
    firms = {f for f in kg.into(chain, "ANCHORS") if f in keep}
    projects = {p for p in kg.into(chain, "IN_CHAIN") if p in keep}
    for s in kg.out(chain, "HAS_SEGMENT"):
        firms.update(f for f in kg.into(s, "OPERATES_IN") if f in keep)
        projects.update(p for p in kg.into(s, "IN_SEGMENT") if p in keep)
    local = {f for f in firms if marks.local(f)}
    status = Counter((gap or {}).get(s) for s in segs)
    return {"segments": len(segs), "firms": len(firms), "local": len(local),
            "anchors": len(local & marks.anchors), "projects": len(projects),
            "covered": status["covered"], "weak": status["weak"], "missing": status["missing"]}


def carry(keys: list[str], members: dict[str, list[str]], max_nodes: int | None) -> set[str]:
    """The clusters whose members the file carries: in drawing order while the budget lasts (outside
    regions, usually the biggest group, come last)."""
    budget = math.inf if max_nodes is None else max_nodes
    carried: set[str] = set()
    used = 0
    for k in keys:
        if used + len(members[k]) <= budget:
            carried.add(k)
            used += len(members[k])
    return carried


def carried_keys(kg: KnowledgeGraph, keep: set[str], max_nodes: int | None) -> set[str]:
    """What :func:`clustered_whole` would carry for ``keep``, without laying anything out."""
    home = kg.meta.get("home_region")
    closure = kg.region_closure(home) if home and kg.has(home) else None
    keys, of = assign(kg, keep, closure)
    members: dict[str, list[str]] = {k: [] for k in keys}
    for n in keep:
        members[of[n]].append(n)
    return carry(keys, members, max_nodes)


def clustered_whole(kg: KnowledgeGraph, marks, keep: set[str], *, title: str, max_nodes: int | None, lang: str,
                    region_id: str | None, types: set[str] | None, advise: bool = True):
    """The whole view as clusters (see the module docstring): a :class:`View` whose ``nodes`` are the
    members the page may open (positions relative to their cluster) and ``clusters`` the aggregates."""
    from .views import View, _check_budget, _node, _quote, fitting_options, flat_positions, segment_status

    closure = marks.closure if marks.home else None
    keys, of = assign(kg, keep, closure)
    if max_nodes is not None and len(keys) > max_nodes:
        _check_budget("whole", len(keys), max_nodes, "--chain NAME or --type with fewer kinds of node")
    members: dict[str, list[str]] = {k: [] for k in keys}
    for n in sorted(keep):
        members[of[n]].append(n)
    gap = segment_status(kg, marks.home) if any(kg.node_type(n) == "Segment" for n in keep) else None

    carried = carry(keys, members, max_nodes)

    type_totals = Counter(kg.node_type(n) for n in keep)
    cols = _columns(len(keys))
    clusters: list[dict[str, Any]] = []
    nodes: list[dict[str, Any]] = []
    for i, k in enumerate(keys):
        x, y = (i % cols) * CELL_W, (i // cols) * CELL_H
        c: dict[str, Any] = {"id": f"cl:{i}", "key": k, "x": x, "y": y, "n": len(members[k]), "open": k in carried,
                             "types": dict(Counter(kg.node_type(n) for n in members[k]))}
        if k.startswith("chain:"):
            chain = k[len("chain:"):]
            counts = _counts(kg, marks, keep, chain, gap)
            c.update(kind="chain", chain=chain, name=kg.name(chain), counts=counts)
            firms = ("t_local", counts["local"]) if marks.home else ("t_firms", counts["firms"])
            bits = [("t_segments", counts["segments"]), firms, ("t_projects", counts["projects"])]
            line = " · ".join(f"{i18n.text(lang, w)} {v:,}" for w, v in bits)
            if not counts["segments"]:  # as the panorama says it: no template to count segments against
                line = i18n.text(lang, "no_template_short") + (
                    f" · {i18n.text(lang, 't_projects')} {counts['projects']:,}" if counts["projects"] else "")
            c["label"] = kg.name(chain) + "\n" + line
        else:
            name = i18n.pick(i18n.GROUP_WORDS, k, lang)
            if k == "regions_local" and marks.home:
                name += f"（{kg.name(marks.home)}）" if lang == "zh" else f" ({kg.name(marks.home)})"
            c.update(kind=k, name=name, counts={})
            c["label"] = name + "\n" + " · ".join(f"{i18n.type_label(t, lang)} {v:,}"
                                                  for t, v in sorted(c["types"].items()))
        if k not in carried:
            c["advice"] = (_advice(kg, c, region_id, types, max_nodes, _quote, fitting_options, type_totals)
                           if advise else "")
        else:
            ordered, pos, _ = flat_positions(kg, set(members[k]), wrap=True)
            xs = [p[0] for p in pos.values()]
            ys = [p[1] for p in pos.values()]
            cx, cy = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
            c["w"], c["h"] = max(xs) - min(xs) + 200, max(ys) - min(ys) + 90
            for n in ordered:
                nd = _node(kg, marks, n, pos[n][0] - cx, pos[n][1] - cy, gap)
                nd["cl"] = i
                nodes.append(nd)
        clusters.append(c)

    inside = {nd["id"] for nd in nodes}
    edges = []
    for u, v, k in kg.g.edges(keys=True):
        if u in inside and v in inside:
            edges.append({"from": u, "to": v, "type": k})
    edges.sort(key=lambda e: (e["from"], e["to"], e["type"]))
    index = {k: i for i, k in enumerate(keys)}
    pairs = links(kg, keep, of)
    view_links = [{"a": index[a], "b": index[b], "rels": link["rels"], "shared": len(link["shared"])}
                  for (a, b), link in sorted(pairs.items(), key=lambda p: (index[p[0][0]], index[p[0][1]]))]
    view = View("whole", title, kg, nodes, edges, gap=gap, lang=lang)
    view.clusters = clusters
    view.links = view_links
    view.partial = _partial(kg, keep, of, index, inside)
    return view


def _partial(kg, keep, of, index, inside) -> list[dict[str, Any]]:
    """Links between a cluster the page may open (``c``) and one it cannot (``x``): per pair, counted
    ``[x → c, c → x]`` per relationship type, with the shared firms."""
    acc: dict[tuple[int, int], dict[str, Any]] = {}
    for u, v, k in kg.g.edges(keys=True):
        if u not in keep or v not in keep or of[u] == of[v] or (u in inside) == (v in inside):
            continue
        member, other, forward = (u, v, True) if u in inside else (v, u, False)
        key = (index[of[other]], index[of[member]])
        item = acc.setdefault(key, {"x": key[0], "c": key[1], "rels": {}, "shared": set()})
        item["rels"].setdefault(k, [0, 0])[1 if forward else 0] += 1
        if k in ("OPERATES_IN", "ANCHORS") and kg.node_type(u) == "Enterprise":
            item["shared"].add(u)
    return [{**it, "shared": len(it["shared"])} for _, it in sorted(acc.items())]


def _columns(n: int, width: float = 1350, height: float = 880) -> int:
    """Columns of the opening grid that give the largest scale when fitted to a 1600×1000 window's canvas."""
    return max(range(1, n + 1), key=lambda c: (min(width / (c * CELL_W), height / (math.ceil(n / c) * CELL_H)), -c))


def _advice(kg, c, region_id, types, max_nodes, quote, fitting, type_totals: Counter) -> str:
    """How to see a cluster the file does not carry: commands counted to fit the budget."""
    where = f" --region {quote(kg.name(region_id))}" if region_id else ""
    region = {"region": region_id} if region_id else {}
    tries: list[tuple[str, dict[str, Any]]] = []
    if c["kind"] == "chain":
        name = quote(c["name"])
        tries.append((f"--view panorama --chain {name}", {"view": "panorama"}))
        tries.append((f"--view whole --chain {name}{where}",
                      {"view": "whole", "chain": c["chain"], **region, "types": types, "cluster": False}))
        for ts in (("Segment", "Project"), ("Segment", "Enterprise")):
            if not types or set(ts) < set(types):
                tries.append((f"--view whole --chain {name}{where} --type {','.join(ts)}",
                              {"view": "whole", "chain": c["chain"], **region, "types": ts, "cluster": False}))
    else:
        for t in sorted(c["types"]):
            tries.append((f"--view whole{where} --type {t}", {"view": "whole", **region, "types": (t,),
                                                               "cluster": True, "want": c["key"]}))
            if max_nodes is not None and type_totals[t] > max_nodes:  # only a bigger budget shows it
                tries.append((f"--view whole{where} --type {t} --max-nodes {type_totals[t]}",
                              {"view": "whole", **region, "types": (t,), "cluster": True, "want": c["key"],
                               "max_nodes": type_totals[t]}))
    return "; ".join(fitting(kg, tries, max_nodes))
