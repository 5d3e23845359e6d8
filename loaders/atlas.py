"""Chain templates from the industry-chain-atlas YAML files (github.com/JiMoxiao/industry-chain-atlas, MIT).

``chainkg import atlas FILE…`` maps each file (one chain) onto the schema:

* ``industry`` → Chain ``chain:atlas:<file stem>`` (verified false, provenance template);
* ``segments`` → Segment ``seg:atlas:<stem>:<id>`` (``position`` → stage, file order → order,
  ``id`` → code, ``description`` → note) with HAS_SEGMENT;
* ``key_companies`` → Enterprise, deduplicated by normalised stock code with firms already in
  the graph (e.g. the A-share pool), and OPERATES_IN role key, provenance stated by the atlas;
* ``supply_relationships`` → SUPPLIES between firms (stated, the atlas's note as evidence) and
  FEEDS between their segments (template, derived from the supply links; only from a lower to a
  higher ``layer`` inside a chain, so templates stay acyclic).

The MIT notice is kept in each Source node. Data points (capacities, market sizes) are not imported.
"""

from __future__ import annotations

import re
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import yaml

from chainkg.graph.kg import GraphError, KnowledgeGraph

from .a_share import FirmIndex, PoolReport, RegionMapper, Writer, enrich_existing, normalise_code

ATLAS_URL = "https://github.com/JiMoxiao/industry-chain-atlas"
ATLAS_COMMIT = "06661655379f918564a78ac905c045b3e824a76e"
MIT_NOTICE = "MIT License, Copyright (c) 2026 Semiconductor Industry Chain Atlas Contributors."
STAGE_OF_POSITION = {"upstream": "upstream", "midstream": "midstream", "downstream": "downstream",
                     "support": "support", "cycle": "cycle", "上游": "upstream", "中游": "midstream",
                     "下游": "downstream"}


class _Loader(yaml.BaseLoader):
    """Every scalar stays a string (so 002129 keeps its zeros) and mappings remember their line."""


def _mapping(loader: _Loader, node: yaml.MappingNode) -> dict[str, Any]:
    m = loader.construct_mapping(node, deep=True)
    m["__line__"] = node.start_mark.line + 1
    return m


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)


def _slug(text: str) -> str:
    return re.sub(r"[^0-9A-Za-z_\-]+", "-", text).strip("-").lower() or "atlas"


def read_atlas(path: Path) -> dict[str, Any]:
    """One atlas file, read with the same bounds as a chain template (size, encoding, depth, alias expansion)."""
    from .encoding import read_text
    from .records import LoadFailed, escape
    from .templates import _check_structure

    try:
        text, _ = read_text(path)
        problem = _check_structure(text)
        if problem is not None:
            raise GraphError(escape(f"{path}, line {problem[0]}: {problem[1]}"))
        doc = yaml.load(text, Loader=_Loader)
    except LoadFailed as e:
        raise GraphError(str(e.errors[0])) from None
    except OSError as e:
        raise GraphError(escape(f"{path}: cannot read ({e.strerror or e})")) from None
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f", line {mark.line + 1}" if mark is not None else ""
        raise GraphError(escape(f"{path}{where}: not valid YAML ({getattr(e, 'problem', None) or e})")) from None
    if not isinstance(doc, dict) or not doc.get("industry") or not isinstance(doc.get("segments"), list):
        raise GraphError(f"{path}: not an industry-chain-atlas file (needs industry and segments)")
    return doc


def import_atlas(kg: KnowledgeGraph, paths: list[str | Path], *, validate: bool = True) -> PoolReport:
    """Merge atlas chain files into ``kg``; returns what was done, cleaned and skipped."""
    t0 = time.perf_counter()
    report = PoolReport("industry-chain-atlas templates from " + ", ".join(str(p) for p in paths))
    for k, v in {
        "unknown-position": "segments with an unknown position: stage set to midstream",
        "bad-code": "key companies or supply links whose code is not a stock code: skipped",
        "matched-existing": "key companies already in the graph (same stock code, or same name): reused, "
                            "stock code and names added",
        "hq-from-name": "new firms given an HQ region from their name",
        "supply-no-buyer": "supply links without buyer_code (the buyers are only named in the note): no SUPPLIES",
        "supply-unknown-firm": "supply links naming a firm that is no key company of any file read: skipped",
        "feeds-backward": "segment links implied by supply ties that run against the atlas layers: not added "
                          "as FEEDS (templates must stay acyclic)",
        "feeds-duplicate": "supply links implying a FEEDS already added: merged",
        "data-points": "data points (capacity, output, market figures): not imported",
    }.items():
        report.explain(k, v)
    w = Writer(kg, report, validate)
    firms = FirmIndex(kg)
    regions = RegionMapper(kg, report)
    docs = []
    for p in paths:
        p = Path(p)
        docs.append((p, read_atlas(p)))

    firm_segments: dict[str, list[tuple[str, int, str]]] = defaultdict(list)  # firm → (segment, layer, chain)
    seen_existing: set[str] = set()
    for path, doc in docs:
        stem = _slug(path.stem)
        sid = f"src:atlas:{stem}"
        w.node("Source", {
            "id": sid, "title": f"industry-chain-atlas: {doc['industry']} ({path.name})",
            "publisher": "JiMoxiao/industry-chain-atlas", "url": f"{ATLAS_URL}/blob/{ATLAS_COMMIT}/data/{path.name}",
            "kind": "dataset",
            "note": f"Commit {ATLAS_COMMIT[:7]}. {MIT_NOTICE} Chain template with key A-share firms and supply links.",
        })
        chain = f"chain:atlas:{stem}"
        name = str(doc["industry"]).strip()
        w.node("Chain", {"id": chain, "name": name, "verified": False, "tier": "N", "provenance": "template",
                         "source": sid, "evidence": f"{path.name} line 1: industry {name}",
                         "note": "Chain template from industry-chain-atlas; not one of the city's chains."})
        for order, seg in enumerate(doc["segments"], 1):
            if not isinstance(seg, dict) or not seg.get("id") or not seg.get("name"):
                continue
            line = seg.get("__line__")
            seg_id = f"seg:atlas:{stem}:{_slug(str(seg['id']))}"
            pos = str(seg.get("position") or "").strip()
            stage = STAGE_OF_POSITION.get(pos)
            if stage is None:
                report.count("unknown-position", example=f"{path.name} line {line}: {pos!r}")
                stage = "midstream"
            props: dict[str, Any] = {
                "id": seg_id, "name": str(seg["name"]).strip(), "chain": chain, "stage": stage, "order": order,
                "code": str(seg["id"]), "provenance": "template", "source": sid,
                "evidence": f"{path.name} line {line}: segment {seg['id']} {seg['name']} ({pos})",
            }
            if seg.get("description"):
                props["note"] = str(seg["description"]).strip()
            w.node("Segment", props)
            w.edge("HAS_SEGMENT", chain, seg_id, {"provenance": "template", "source": sid,
                                                  "evidence": props["evidence"]})
            n_points = len(seg.get("data_points") or [])
            if n_points:
                report.count("data-points", n_points)
            try:
                layer = int(seg.get("layer", order))
            except ValueError:
                layer = order
            for kc in seg.get("key_companies") or []:
                if not isinstance(kc, dict):
                    continue
                code = normalise_code(kc.get("code"))
                kname = str(kc.get("name") or "").strip()
                if code is None:
                    report.count("bad-code", example=f"{path.name} line {kc.get('__line__')}: {kc.get('code')!r}")
                    continue
                fid, existed = firms.resolve(code, [kname] if kname else [])
                ev = f"{path.name} line {kc.get('__line__')}: {kname} ({kc.get('code')})"
                if existed and kg.has(fid):
                    if fid not in seen_existing and not str(kg.g.nodes[fid].get("source", "")).startswith("src:atlas:"):
                        seen_existing.add(fid)
                        report.count("matched-existing", example=f"{code} {kname} → {fid}")
                    enrich_existing(kg, fid, code, [kname])
                else:
                    w.node("Enterprise", {"id": fid, "name": kname or code, "stock_code": code, "lists": ["上市"],
                                          "provenance": "stated", "source": sid,
                                          "evidence": f"{ev} key company of {seg['name']}"})
                    placed = regions.place(kname) if kname else None
                    if placed:
                        w.edge("LOCATED_IN", fid, placed[0], {
                            "role": "hq", "provenance": "inferred", "source": sid,
                            "evidence": f"name {kname} begins with {placed[1]} ({path.name})"})
                        report.count("hq-from-name")
                role = str(kc.get("role") or "").strip()
                w.edge("OPERATES_IN", fid, seg_id, {
                    "role": "key", "provenance": "stated", "source": sid,
                    "evidence": f"{ev} — {role}" if role else ev})
                firm_segments[fid].append((seg_id, layer, chain))

    # Supply links: SUPPLIES between firms, FEEDS between their segments.
    for path, doc in docs:
        stem = _slug(path.stem)
        sid = f"src:atlas:{stem}"
        for rel in doc.get("supply_relationships") or []:
            if not isinstance(rel, dict):
                continue
            line = rel.get("__line__")
            sup = normalise_code(rel.get("supplier_code"))
            if sup is None:
                report.count("bad-code", example=f"{path.name} line {line}")
                continue
            if not rel.get("buyer_code"):
                report.count("supply-no-buyer", example=f"{path.name} line {line}")
                continue
            buy = normalise_code(rel.get("buyer_code"))
            if buy is None:
                report.count("bad-code", example=f"{path.name} line {line}")
                continue
            a, b = firms.by_code.get(sup), firms.by_code.get(buy)
            if a is None or b is None or not firm_segments.get(a) or not firm_segments.get(b):
                report.count("supply-unknown-firm", example=f"{path.name} line {line}: {sup}→{buy}")
                continue
            product = str(rel.get("product") or "").strip()
            note = str(rel.get("notes") or "").strip()
            ev = f"{path.name} line {line}: {note or product}"
            if rel.get("confidence"):
                ev += f" (atlas confidence {rel['confidence']}/5)"
            props: dict[str, Any] = {"provenance": "stated", "source": sid, "evidence": ev}
            if product:
                props["product"] = product
            w.edge("SUPPLIES", a, b, props)
            for sa, la, ca in firm_segments[a]:
                for sb, lb, cb in firm_segments[b]:
                    if sa == sb:
                        continue
                    if (ca == cb and la >= lb) or (ca != cb and kg.has_edge(sb, sa, "FEEDS")):
                        report.count("feeds-backward")
                        continue
                    if kg.has_edge(sa, sb, "FEEDS"):
                        report.count("feeds-duplicate")
                        continue
                    fprops: dict[str, Any] = {
                        "provenance": "template", "source": sid,
                        "evidence": f"derived from the atlas supply link {kg.name(a)}→{kg.name(b)} "
                                    f"({product or 'supply'}), {path.name} line {line}"}
                    if product:
                        fprops["product"] = product
                    w.edge("FEEDS", sa, sb, fprops)
    report.seconds = time.perf_counter() - t0
    return report
