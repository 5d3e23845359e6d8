"""Finding nodes by part of a name or alias."""

from __future__ import annotations

from typing import Any

from .kg import KnowledgeGraph
from .text import name_key


def search_nodes(kg: KnowledgeGraph, text: str, node_type: str | None = None, limit: int = 200) -> list[dict[str, Any]]:
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
    for n in kg.nodes(node_type):
        d = kg.g.nodes[n]
        names = [n, d.get("name") or d.get("title") or "", *(d.get("aliases") or ())]
        keys = [name_key(x) for x in names if x]
        if any(key in k for k in keys):
            exact = any(key == k for k in keys)
            rows.append((not exact, kg.name(n), n, d))
    rows.sort(key=lambda r: (r[0], r[1], r[2]))
    return [{"id": n, "type": d["type"], "name": name, "aliases": d.get("aliases")} for _, name, n, d in rows[:limit]]
