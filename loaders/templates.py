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

Templates are read with PyYAML's safe loader (no Python objects), with the
nesting depth and the size after alias expansion checked on the event stream
*before* anything is built (see :mod:`chainkg.loaders.limits`). A key given
twice in one mapping is an error, and every field must be a scalar (or, for a
list property such as ``aliases``, a list of scalars): ``id: [a, b]`` or
``name: {zh: …}`` is one error naming the file, line and field.
"""

from __future__ import annotations

import datetime as _dt
from pathlib import Path
from typing import Any

import yaml

from chainkg.schema import SCHEMA

from . import limits
from .encoding import read_text
from .records import EdgeRecord, LoadError, NodeRecord, Origin, bad_text, shorten

_PROV = ("source", "provenance", "evidence")
_CHAIN_KEYS = ("name", "aliases", "name_en", "description")
_SOURCE_KEYS = {"id", "title", "issuer", "year", "url", "kind", "note"}
_TOP = {"chain", "segments", "feeds", *_PROV, *_CHAIN_KEYS}
_SCALARS = (str, int, float, bool, _dt.date)
_LISTS = {p.name for p in (*SCHEMA.node_type("Segment").properties, *SCHEMA.common) if p.type == "list"}


class _Mapping(dict):
    """A YAML mapping that remembers the line it starts on."""

    line: int = 0


#: libyaml when PyYAML has it (ten times faster); deep recursion is ruled out by the depth check beforehand.
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _LineLoader(_SafeLoader):  # type: ignore[misc,valid-type]
    """A safe loader that remembers the line each mapping starts on and refuses duplicate keys."""

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        """A value YAML's own constructors cannot build (``2024-13-45``, ``!!int abc``) is an error at its line."""
        try:
            return super().construct_object(node, deep)
        except yaml.YAMLError:
            raise
        except (ValueError, KeyError, TypeError, OverflowError) as e:
            raise yaml.constructor.ConstructorError(None, None, f"cannot read the value {shorten(node.value)} ({e})"
                                                    if isinstance(node, yaml.ScalarNode) else
                                                    f"cannot read this value ({e})", node.start_mark) from None


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> _Mapping:
    seen: dict[Any, yaml.Node] = {}
    for key_node, _ in node.value:
        if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == "tag:yaml.org,2002:merge":
            continue
        key = loader.construct_object(key_node)
        try:
            first = seen.get(key)
        except TypeError:
            continue
        if first is not None:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r} (first on line {first.start_mark.line + 1})", key_node.start_mark)
        seen[key] = key_node
    mapping = _Mapping(loader.construct_mapping(node, deep=True))
    mapping.line = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _check_structure(text: str) -> tuple[int, str] | None:
    """(line, reason) if the YAML nests too deeply or expands too far through aliases; parses events only."""
    stack: list[list[Any]] = []  # per open collection: [expanded size so far, anchor]
    sizes: dict[str, int] = {}
    for ev in yaml.parse(text, Loader=_SafeLoader):
        if isinstance(ev, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            if len(stack) >= limits.YAML_MAX_DEPTH:
                return ev.start_mark.line + 1, f"nested more than {limits.YAML_MAX_DEPTH} levels deep"
            stack.append([1, ev.anchor])
            continue
        if isinstance(ev, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            n, anchor = stack.pop()
            if anchor:
                sizes[anchor] = n
        elif isinstance(ev, yaml.ScalarEvent):
            n = 1
            if ev.anchor:
                sizes[ev.anchor] = 1
        elif isinstance(ev, yaml.AliasEvent):
            n = sizes.get(ev.anchor, 1)
        else:
            continue
        if stack:
            stack[-1][0] += n
            if stack[-1][0] > limits.YAML_MAX_NODES:
                return ev.start_mark.line + 1, (f"expands to more than {limits.YAML_MAX_NODES:,} values through "
                                                f"aliases (*{ev.anchor})" if isinstance(ev, yaml.AliasEvent) else
                                                f"holds more than {limits.YAML_MAX_NODES:,} values")
    return None


def _value_problem(key: str, value: Any) -> str | None:
    """Why ``value`` cannot be the value of field ``key``, or None."""
    if value is None:
        return None
    if isinstance(value, _SCALARS):
        if isinstance(value, str):
            if len(value) > limits.MAX_FIELD_CHARS:
                return f"field larger than {limits.MAX_FIELD_CHARS:,} characters ({len(value):,})"
            return bad_text(value, identifier=key in ("id", "from", "to", "chain", "source"))
        return None
    if isinstance(value, list) and key in _LISTS:
        for item in value:
            if not isinstance(item, _SCALARS) or isinstance(item, bool):
                return f"expected a list of texts, got an item {shorten(item)}"
            if isinstance(item, str) and (why := _value_problem(key, item)):
                return why
        return None
    what = "a list" if isinstance(value, list) else "a mapping" if isinstance(value, dict) else type(value).__name__
    return f"expected a single value (text or number), got {what}: {shorten(value)}"


def _id_problem(value: Any) -> str | None:
    if not isinstance(value, (str, int)) or isinstance(value, bool):
        what = "a list" if isinstance(value, list) else "a mapping" if isinstance(value, dict) else repr(value)
        return f"expected an id (text), got {what}" + (f": {shorten(value)}" if isinstance(value, (list, dict))
                                                       else "")
    return bad_text(str(value), identifier=True)


def read_template(path: Path, encoding: str | None = None) -> tuple[list[NodeRecord | EdgeRecord], list[LoadError]]:
    """Records of one chain template; every problem is an error with file, line and field."""
    file = str(path)
    if path.stat().st_size > limits.YAML_MAX_FILE_BYTES:
        return [], [LoadError(Origin(file), None, f"file is {limits.size(path.stat().st_size)}, larger than the "
                                                  f"limit of {limits.size(limits.YAML_MAX_FILE_BYTES)} for a template")]
    text, _ = read_text(path, encoding)

    def at(line: int | None) -> Origin:
        return Origin(file, line, unit="line")

    try:
        problem = _check_structure(text)
        if problem is not None:
            return [], [LoadError(at(problem[0]), None, problem[1])]
        doc = yaml.load(text, Loader=_LineLoader)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        return [], [LoadError(at(line), None, f"not valid YAML ({getattr(e, 'problem', None) or e})")]
    if not isinstance(doc, _Mapping):
        return [], [LoadError(at(None), None, "a chain template must be a mapping with chain and segments")]
    errors: list[LoadError] = []
    top = at(doc.line)
    for key in doc:
        if key not in _TOP:
            errors.append(LoadError(top, str(key), "unknown key in a chain template"))
    chain = doc.get("chain")
    if not isinstance(chain, str) or not chain.strip():
        errors.append(LoadError(top, "chain", "is required (the id of the template's Chain)"))
    elif why := bad_text(chain, identifier=True):
        errors.append(LoadError(top, "chain", why))
    segments = doc.get("segments")
    if not isinstance(segments, list) or not segments:
        errors.append(LoadError(top, "segments", "is required (a list of segments)"))
        segments = []
    records: list[NodeRecord | EdgeRecord] = []
    source = doc.get("source")
    if isinstance(source, _Mapping):
        src_at = at(source.line)
        for key, value in source.items():
            if key not in _SOURCE_KEYS:
                errors.append(LoadError(src_at, f"source.{key}", "unknown key in a template source"))
            elif why := _value_problem(str(key), value):
                errors.append(LoadError(src_at, f"source.{key}", why))
        if not isinstance(source.get("id"), str) or not isinstance(source.get("title"), str):
            errors.append(LoadError(src_at, "source", "a source mapping needs id and title"))
        elif not errors:
            records.append(NodeRecord("Source", _source_props(source), src_at))
            doc["source"] = source["id"]
    for key in _CHAIN_KEYS:
        if why := _value_problem("aliases" if key == "aliases" else "name", doc.get(key)):
            errors.append(LoadError(top, key, why))
    defaults = {k: doc[k] for k in _PROV if doc.get(k) is not None}
    for k, v in defaults.items():
        if why := _value_problem(k, v):
            errors.append(LoadError(top, k, why))
    if errors:
        return [], errors
    if doc.get("name") is not None:
        aliases = [str(a) for a in doc.get("aliases") or []]
        if doc.get("name_en"):
            aliases.append(str(doc["name_en"]))
        props = {**defaults, "id": chain, "name": str(doc["name"]), "verified": False}
        if aliases:
            props["aliases"] = aliases
        if doc.get("description"):
            props["note"] = str(doc["description"])
        records.append(NodeRecord("Chain", props, top))
    for seg in segments:
        if not isinstance(seg, _Mapping):
            errors.append(LoadError(top, "segments", f"each segment must be a mapping, got {shorten(seg)}"))
            continue
        o = at(seg.line)
        seg = dict(seg)
        feeds = seg.pop("feeds", None)
        bad = False
        for k, v in seg.items():
            why = _id_problem(v) if k == "id" and v is not None else _value_problem(str(k), v)
            if why:
                errors.append(LoadError(o, str(k), why))
                bad = True
        if feeds is None:
            feeds = []
        elif not isinstance(feeds, list):
            errors.append(LoadError(o, "feeds", f"must be a list of segment ids, got {shorten(feeds)}"))
            bad = True
        else:
            for target in feeds:
                if why := _id_problem(target):
                    errors.append(LoadError(o, "feeds", why))
                    bad = True
        if bad:
            continue
        props = {**defaults, **{k: v for k, v in seg.items() if v is not None}}
        props["chain"] = chain
        records.append(NodeRecord("Segment", props, o))
        prov = {k: props[k] for k in _PROV if k in props}
        seg_id = props.get("id")
        seg_id = str(seg_id) if seg_id is not None else None
        records.append(EdgeRecord("HAS_SEGMENT", chain, seg_id, dict(prov), o))
        for target in feeds:
            records.append(EdgeRecord("FEEDS", seg_id, str(target), dict(prov), o))
    extra = doc.get("feeds") or []
    if not isinstance(extra, list):
        errors.append(LoadError(top, "feeds", "must be a list of {from, to, …}"))
        extra = []
    for f in extra:
        if not isinstance(f, _Mapping):
            errors.append(LoadError(top, "feeds", f"each feed must be a mapping, got {shorten(f)}"))
            continue
        o = at(f.line)
        f = dict(f)
        src, dst = f.pop("from", None), f.pop("to", None)
        bad = False
        for k, v in (("from", src), ("to", dst)):
            if v is not None and (why := _id_problem(v)):
                errors.append(LoadError(o, k, why))
                bad = True
        for k, v in f.items():
            if why := _value_problem(str(k), v):
                errors.append(LoadError(o, str(k), why))
                bad = True
        if bad:
            continue
        records.append(EdgeRecord("FEEDS", None if src is None else str(src), None if dst is None else str(dst),
                                  {**defaults, **f}, o))
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
