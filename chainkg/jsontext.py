"""A long JSON list written in pieces: ``json.dumps(items, ensure_ascii=False, indent=2)``'s text, byte for byte.

``chainkg targets`` with every row at 1M relationships held ~240k row dicts and their whole JSON text at once
(2 GB peak). :func:`pieces` takes the rows as they come and writes a few hundred at a time.

Rows that are dicts of scalars and of dicts of scalars (``targets``' rows: ``parts`` is the one nested dict)
are written without ``json``'s pure-Python indenting encoder (the C one is used only without ``indent``):
each string through ``json``'s own C string encoder, each number as ``json`` writes it, laid out as
``indent=2`` lays them out. Any other row (a list inside, a non-str key, an unexpected type) goes through
``json.dumps`` as before; the property tests compare both with ``json.dumps`` on random rows.

>>> import json
>>> data = [{"a": 1, "b": [1.5, "x", None]}, [], "z"]
>>> "".join(pieces(iter(data), batch=2)) == json.dumps(data, ensure_ascii=False, indent=2)
True
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from json.encoder import encode_basestring
from typing import Any

_INF = float("inf")


def pieces(items: Iterable[Any], batch: int = 500) -> Iterator[str]:
    """The text of ``json.dumps(list(items), ensure_ascii=False, indent=2)`` in pieces, consuming ``items``.

    Each batch is dumped as a list; its brackets are dropped and the batches joined with ``,`` — the items'
    own text is what ``json`` writes for them inside the whole list (indentation depends only on depth).
    """
    buf: list[Any] = []
    first = True
    for item in items:
        buf.append(item)
        if len(buf) >= batch:
            yield ("[" if first else ",") + _middle(buf)
            first = False
            buf.clear()
    if buf:
        yield ("[" if first else ",") + _middle(buf)
        first = False
    yield "[]" if first else "\n]"


def _middle(batch: list[Any]) -> str:
    """``"\\n  item,\\n  item"``: the batch's list text without its brackets."""
    texts = []
    for item in batch:
        text = _flat_item(item) if type(item) is dict else None
        if text is None:
            return json.dumps(batch, ensure_ascii=False, indent=2)[1:-2]
        texts.append(text)
    return ",".join(texts)


def _scalar(v: Any) -> str | None:
    """``v`` as ``json.dumps`` writes it, or None for a container or a type it would not write as-is."""
    if isinstance(v, str):
        return encode_basestring(v)
    if v is None:
        return "null"
    if v is True:
        return "true"
    if v is False:
        return "false"
    if type(v) is float:
        if v != v:
            return "NaN"
        if v == _INF:
            return "Infinity"
        if v == -_INF:
            return "-Infinity"
        return float.__repr__(v)
    if type(v) is int:
        return int.__repr__(v)
    return None


def _flat_item(d: dict[str, Any]) -> str | None:
    """``"\\n  {…}"``: a list item that is a dict of scalars and non-empty dicts of scalars, as ``json.dumps(…,
    indent=2)`` writes it at depth 1; None for anything else (the caller then uses ``json.dumps``)."""
    if not d:
        return None
    out = []
    for k, v in d.items():
        if type(k) is not str:
            return None
        text = _scalar(v)
        if text is None:
            if type(v) is not dict or not v:
                return None
            inner = []
            for k2, v2 in v.items():
                t2 = _scalar(v2)
                if type(k2) is not str or t2 is None:
                    return None
                inner.append(encode_basestring(k2) + ": " + t2)
            text = "{\n      " + ",\n      ".join(inner) + "\n    }"
        out.append(encode_basestring(k) + ": " + text)
    return "\n  {\n    " + ",\n    ".join(out) + "\n  }"
