"""What ``chainkg info`` and ``chainkg show`` report, as data (the CLI only renders it)."""

from __future__ import annotations

from typing import Any

from .kg import KnowledgeGraph
from .scope import chains_of


def info_data(kg: KnowledgeGraph) -> dict[str, Any]:
    """Counts per node type, relationship type, chain and provenance kind."""
    c = kg.counts()
    chains = []
    for ch in sorted(kg.nodes("Chain"), key=lambda n: (not kg.get(n).get("verified"), kg.name(n))):
        d = kg.get(ch)
        segs = kg.segments_of(ch)
        firms = {e for s in segs for e in kg.into(s, "OPERATES_IN")}
        projects = set(kg.into(ch, "IN_CHAIN")) | {p for s in segs for p in kg.into(s, "IN_SEGMENT")}
        chains.append(
            {
                "chain": d["name"],
                "tier": d.get("tier"),
                "verified": d.get("verified"),
                "segments": len(segs),
                "enterprises": len(firms),
                "anchors": len(kg.into(ch, "ANCHORS")),
                "projects": len(projects),
            }
        )
    return {
        "graph": kg.meta.get("name", ""),
        "nodes": dict(sorted(c["nodes"].items())),
        "edges": dict(sorted(c["edges"].items())),
        "provenance": dict(sorted(c["provenance"].items())),
        "chains": chains,
    }


def show_data(kg: KnowledgeGraph, ref: str) -> dict[str, Any]:
    """A node's properties, provenance (with the source's title) and neighbours."""
    node_id = kg.resolve(ref)
    d = kg.get(node_id)
    prov_keys = ("provenance", "source", "evidence")
    props = {k: v for k, v in d.items() if k not in prov_keys and k not in ("id", "type")}
    src = d.get("source")
    provenance = {k: d[k] for k in prov_keys if k in d}
    if src and kg.has(src):
        provenance["source_title"] = kg.name(src)
    neighbours = []
    for direction, rel, other in kg.neighbours(node_id):
        e = kg.edge(node_id, other, rel) if direction == "out" else kg.edge(other, node_id, rel)
        extra = {k: v for k, v in e.items() if k not in ("type", *prov_keys)}
        neighbours.append(
            {
                "direction": "→" if direction == "out" else "←",
                "relationship": rel,
                "type": kg.node_type(other),
                "name": kg.name(other),
                "id": other,
                "detail": extra or None,
                "provenance": e.get("provenance"),
                "evidence": e.get("evidence"),
            }
        )
    neighbours.sort(key=lambda r: (r["relationship"], r["direction"], r["type"], r["name"], r["id"]))
    return {"id": node_id, "type": d["type"], "properties": props, "provenance": provenance,
            "chains": [kg.name(c) for c in chains_of(kg, node_id)], "neighbours": neighbours}
