"""Chain templates (全景图) in YAML: a chain's segments and the FEEDS between them.

.. code-block:: yaml

    chain: chain:new-energy-battery   # a Chain id (in this batch or the workspace)
    source: src:domain-notes          # provenance defaults for every record in the file
    provenance: template
    evidence: "basis of the template"
    segments:
      - {id: seg:battery:cathode, code: B7, name: 正极材料, stage: midstream, order: 7,
         feeds: [seg:battery:cell]}
    feeds:                            # optional extra FEEDS, e.g. across chains
      - {from: seg:pm:silver-paste, to: seg:pv:cell, product: 银浆}

Each segment becomes a Segment node (its ``chain`` is the file's chain), a
HAS_SEGMENT relationship and one FEEDS relationship per entry of ``feeds``.

A template may also declare its Chain and its Source itself (the national
library in ``chainkg/data/library`` does), so that it loads into an empty
workspace:

.. code-block:: yaml

    chain: chain:lib:pv
    name: 光伏                         # with a name, the file makes the Chain node (verified: false)
    aliases: [光伏产业链]
    name_en: Photovoltaics             # kept as an alias of the Chain
    description: 多晶硅—硅片—电池片—组件—电站   # the Chain's note
    source: {id: src:lib:pv, title: 《智能光伏产业创新发展行动计划（2021-2025年）》,
             issuer: 工业和信息化部等, year: 2021, url: https://…}   # makes the Source node
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .encoding import read_text
from .records import EdgeRecord, LoadError, NodeRecord, Origin

_PROV = ("source", "provenance", "evidence")
_CHAIN_KEYS = ("name", "aliases", "name_en", "description")
_SOURCE_KEYS = {"id", "title", "issuer", "year", "url", "kind", "note"}
_TOP = {"chain", "segments", "feeds", *_PROV, *_CHAIN_KEYS}


class _LineLoader(yaml.SafeLoader):
    """A safe loader that remembers the line each mapping starts on."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict[str, Any]:
    mapping = loader.construct_mapping(node, deep=True)
    mapping["__line__"] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def read_template(path: Path) -> tuple[list[NodeRecord | EdgeRecord], list[LoadError]]:
    file = str(path)
    text, _ = read_text(path)
    try:
        doc = yaml.load(text, Loader=_LineLoader)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        return [], [LoadError(Origin(file, line), None, f"not valid YAML ({getattr(e, 'problem', e)})")]
    if not isinstance(doc, dict):
        return [], [LoadError(Origin(file), None, "a chain template must be a mapping with chain and segments")]
    errors: list[LoadError] = []
    top_line = doc.pop("__line__", 1)
    for key in doc:
        if key not in _TOP:
            errors.append(LoadError(Origin(file, top_line), key, "unknown key in a chain template"))
    chain = doc.get("chain")
    if not isinstance(chain, str) or not chain.strip():
        errors.append(LoadError(Origin(file, top_line), "chain", "is required (the id of the template's Chain)"))
    segments = doc.get("segments")
    if not isinstance(segments, list) or not segments:
        errors.append(LoadError(Origin(file, top_line), "segments", "is required (a list of segments)"))
        segments = []
    records: list[NodeRecord | EdgeRecord] = []
    source = doc.get("source")
    if isinstance(source, dict):
        source_line = source.pop("__line__", top_line)
        for key in source:
            if key not in _SOURCE_KEYS:
                errors.append(LoadError(Origin(file, source_line), f"source.{key}", "unknown key in a template source"))
        if not isinstance(source.get("id"), str) or not isinstance(source.get("title"), str):
            errors.append(LoadError(Origin(file, source_line), "source", "a source mapping needs id and title"))
        else:
            records.append(NodeRecord("Source", _source_props(source), Origin(file, source_line)))
            doc["source"] = source["id"]
    if errors:
        return [], errors
    defaults = {k: doc[k] for k in _PROV if doc.get(k) is not None}
    if doc.get("name") is not None:
        aliases = list(doc.get("aliases") or [])
        if doc.get("name_en"):
            aliases.append(str(doc["name_en"]))
        props = {**defaults, "id": chain, "name": doc["name"], "verified": False}
        if aliases:
            props["aliases"] = aliases
        if doc.get("description"):
            props["note"] = doc["description"]
        records.append(NodeRecord("Chain", props, Origin(file, top_line)))
    for seg in segments:
        if not isinstance(seg, dict):
            errors.append(LoadError(Origin(file, top_line), "segments", "each segment must be a mapping"))
            continue
        line = seg.pop("__line__", None)
        o = Origin(file, line)
        feeds = seg.pop("feeds", None) or []
        props = {**defaults, **{k: v for k, v in seg.items() if v is not None}}
        props["chain"] = chain
        records.append(NodeRecord("Segment", props, o))
        prov = {k: props[k] for k in _PROV if k in props}
        seg_id = props.get("id")
        records.append(EdgeRecord("HAS_SEGMENT", chain, seg_id, dict(prov), o))
        if not isinstance(feeds, list):
            errors.append(LoadError(o, "feeds", "must be a list of segment ids"))
            continue
        for target in feeds:
            records.append(EdgeRecord("FEEDS", seg_id, str(target), dict(prov), o))
    extra = doc.get("feeds") or []
    if not isinstance(extra, list):
        errors.append(LoadError(Origin(file, top_line), "feeds", "must be a list of {from, to, …}"))
        extra = []
    for f in extra:
        if not isinstance(f, dict):
            errors.append(LoadError(Origin(file, top_line), "feeds", "each feed must be a mapping"))
            continue
        o = Origin(file, f.pop("__line__", None))
        src, dst = f.pop("from", None), f.pop("to", None)
        records.append(EdgeRecord("FEEDS", src, dst, {**defaults, **f}, o))
    return records, errors


def _source_props(source: dict[str, Any]) -> dict[str, Any]:
    """A template's ``source`` mapping as Source properties (issuer → publisher, year → date)."""
    props: dict[str, Any] = {"id": source["id"], "title": source["title"], "kind": source.get("kind") or "document"}
    if source.get("issuer") is not None:
        props["publisher"] = source["issuer"]
    if source.get("year") is not None:
        props["date"] = str(source["year"])
    for key in ("url", "note"):
        if source.get(key) is not None:
            props[key] = source[key]
    return props
