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

