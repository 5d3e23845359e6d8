"""Finding nodes by part of a name or alias."""

from __future__ import annotations

from typing import Any

from .kg import KnowledgeGraph
from .text import name_key


def search_nodes(kg: KnowledgeGraph, text: str, node_type: str | set[str] | None = None,
                 limit: int = 200) -> list[dict[str, Any]]:
    """Nodes whose id, name or alias contains ``text`` (Traditional or Simplified), exact matches first.

    >>> kg = KnowledgeGraph()
    >>> _ = kg.merge_node("Source", {"id": "s", "title": "t"})
    >>> _ = kg.merge_node("Region", {"id": "r1", "name": "东川区", "level": "district",
    ...     "provenance": "stated", "source": "s", "evidence": "…"})
    >>> [r["id"] for r in search_nodes(kg, "東川")]
    ['r1']
    """
    key = name_key(text)
    rows = []
    types = {node_type} if isinstance(node_type, str) else node_type
    for n in kg.nodes():
        if types and kg.g.nodes[n]["type"] not in types:
            continue
        d = kg.g.nodes[n]
        names = [n, d.get("name") or d.get("title") or "", *(d.get("aliases") or ())]
        keys = [name_key(x) for x in names if x]
        if any(key in k for k in keys):
            exact = any(key == k for k in keys)
            rows.append((not exact, kg.name(n), n, d))
    rows.sort(key=lambda r: (r[0], r[1], r[2]))
    return [{"id": n, "type": d["type"], "name": name, "aliases": d.get("aliases")} for _, name, n, d in rows[:limit]]


def suggest(text: str, candidates: list[tuple[str, list[str]]], limit: int = 3) -> list[str]:
    """The display names of the candidates closest to ``text``: substring matches first, then similar spelling.

    ``candidates`` are (display name, every name it answers to) pairs; the comparison is on
    :func:`name_key`, so Traditional and Simplified spellings meet.

    >>> chains = [("新能源电池", ["新能源电池", "锂电池"]), ("光伏", ["光伏"]), ("生物医药", ["生物医药"])]
    >>> suggest("电池", chains)
    ['新能源电池']
    >>> suggest("生物医藥產業", chains)
    ['生物医药']
    >>> suggest("火星", chains)
    []
    """
    import difflib

    key = name_key(text)
    if not key:
        return []
    scored: dict[str, float] = {}
    for display, names in candidates:
        best = 0.0
        for n in names:
            k = name_key(n)
            if not k:
                continue
            if key in k or k in key:
                best = max(best, 2.0 + len(min(k, key, key=len)) / len(max(k, key, key=len)))
            else:
                best = max(best, difflib.SequenceMatcher(None, key, k).ratio())
        if best >= 0.5:
            scored[display] = max(best, scored.get(display, 0.0))
    return [d for d, _ in sorted(scored.items(), key=lambda t: (-t[1], t[0]))[:limit]]


def candidates_of(kg: KnowledgeGraph, node_type: str) -> list[tuple[str, list[str]]]:
    """(display name, names) of every node of a type, for :func:`suggest`."""
    out = []
    types = {node_type} if isinstance(node_type, str) else node_type
    for n in kg.nodes():
        if types and kg.g.nodes[n]["type"] not in types:
            continue
        d = kg.g.nodes[n]
        out.append((kg.name(n), [n, *(d[k] for k in ("name", "title") if d.get(k)), *(d.get("aliases") or ())]))
    return out
