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
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .encoding import read_text
from .records import EdgeRecord, LoadError, NodeRecord, Origin

_PROV = ("source", "provenance", "evidence")
_TOP = {"chain", "segments", "feeds", *_PROV}


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
    if errors:
        return [], errors
    defaults = {k: doc[k] for k in _PROV if doc.get(k) is not None}
    records: list[NodeRecord | EdgeRecord] = []
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
