"""Test data helpers: a tiny valid dataset and a CSV writer."""

from __future__ import annotations

import csv
from pathlib import Path

SOURCES = [{"id": "src:t", "title": "测试来源", "kind": "notes"}]
CHAINS = [
    {"id": "chain:bat", "name": "新能源电池", "aliases": "新能源電池", "tier": "8", "verified": "true",
     "provenance": "stated", "source": "src:t", "evidence": "接续重点打造生物医药、新能源电池"},
]
REGIONS = [
    {"id": "region:yn", "name": "云南省", "level": "province", "provenance": "stated", "source": "src:t",
     "evidence": "…"},
    {"id": "region:km", "name": "昆明市", "level": "city", "provenance": "stated", "source": "src:t",
     "evidence": "…"},
]
ENTERPRISES = [
    {"id": "ent:a", "name": "孚能科技", "aliases": "孚能", "lists": "上市", "provenance": "stated",
     "source": "src:t", "evidence": "孚能科技新能源電池…項目落地開工"},
]
TEMPLATE = """\
chain: chain:bat
source: src:t
provenance: template
evidence: basis for the test template
segments:
  - {id: seg:cathode, name: 正极材料, stage: midstream, order: 1, feeds: [seg:cell]}
  - {id: seg:cell, name: 电芯制造, stage: midstream, order: 2}
"""


def write_csv(path: Path, rows: list[dict], encoding: str = "utf-8", header: list[str] | None = None) -> Path:
    header = header or list(dict.fromkeys(k for r in rows for k in r))
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding=encoding, newline="") as f:
        w = csv.DictWriter(f, fieldnames=header)
        w.writeheader()
        for r in rows:
            w.writerow(r)
    return path



class Builder:
    """Builds small graphs by hand for query tests: every record gets template provenance."""

    def __init__(self, home: str = "km", kg=None):
        from chainkg.graph import KnowledgeGraph

        if kg is not None:  # add to a graph built before
            self.kg = kg
            return
        self.kg = KnowledgeGraph({"name": "hand-built", "home_region": home})
        self.kg.merge_node("Source", {"id": "s", "title": "hand-built test graph"})

    def node(self, node_type: str, node_id: str, **props):
        self.kg.merge_node(node_type, {"id": node_id, "provenance": "template", "source": "s", **props})
        return self

    def edge(self, rel: str, a: str, b: str, **props):
        self.kg.merge_edge(rel, a, b, {"provenance": "template", "source": "s", **props})
        return self

    def region(self, rid: str, name: str, level: str = "city", part_of: str | None = None):
        self.node("Region", rid, name=name, level=level)
        if part_of:
            self.edge("PART_OF", rid, part_of)
        return self

    def chain(self, cid: str, name: str, verified: bool = True):
        return self.node("Chain", cid, name=name, verified=verified)

    def segment(self, sid: str, name: str, chain: str, order: int, stage: str = "midstream", feeds=()):
        self.node("Segment", sid, name=name, chain=chain, order=order, stage=stage)
        self.edge("HAS_SEGMENT", chain, sid)
        self._feeds = getattr(self, "_feeds", []) + [(sid, f) for f in feeds]
        return self

    def feeds(self):
        for a, b in getattr(self, "_feeds", []):
            self.edge("FEEDS", a, b)
        self._feeds = []
        return self

    def firm(self, fid: str, name: str, located: str | None = None, role: str = "site", segment: str | None = None,
             seg_role: str = "key", **props):
        self.node("Enterprise", fid, name=name, **props)
        if located:
            self.edge("LOCATED_IN", fid, located, role=role)
        if segment:
            self.edge("OPERATES_IN", fid, segment, role=seg_role)
        return self


def shared_dir():
    """The project's shared/ folder (sources and public data): $CHAINKG_SHARED, or beside the repo."""
    import os
    from pathlib import Path

    env = os.environ.get("CHAINKG_SHARED")
    return Path(env) if env else Path(__file__).resolve().parents[2] / "shared"
