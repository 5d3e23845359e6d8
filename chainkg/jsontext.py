"""A long JSON list written in pieces: ``json.dumps(items, ensure_ascii=False, indent=2)``'s text, byte for byte.

``chainkg targets`` with every row at 1M relationships held ~240k row dicts and their whole JSON text at once
(2 GB peak). :func:`pieces` takes the rows as they come and writes a few hundred at a time.

Rows that are dicts of scalars and of dicts of scalars (``targets``' rows: ``parts`` is the one nested dict)
are written without ``json``'s pure-Python indenting encoder: ``json``'s C encoder (used only without
``indent``) writes them with the separators that ``indent=2`` puts between items at their depth. Any other
row (a list inside, an unexpected type) goes through ``json.dumps`` as before; the property tests compare
both with ``json.dumps`` on random rows.

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


#: ``json``'s C encoder (it is used only without ``indent``) with the separators ``indent=2`` puts between
#: the items of a dict at depth 1 (a row) and depth 2 (a dict inside a row). Strings, numbers (NaN and
#: infinities too), subclasses of str and int, and keys come out as the pure-Python encoder writes them.
_DEPTH1 = json.JSONEncoder(ensure_ascii=False, separators=(",\n    ", ": ")).encode
_DEPTH2 = json.JSONEncoder(ensure_ascii=False, separators=(",\n      ", ": ")).encode
_SCALAR = (str, int, float)


def _flat_item(d: dict[Any, Any]) -> str | None:
    """``"\\n  {…}"``: a list item that is a dict of scalars and of dicts of scalars, as ``json.dumps(…,
    indent=2)`` writes it at depth 1; None for anything else (the caller then uses ``json.dumps``).

    Runs of scalar items are written by the C encoder at once; a dict value is written by it at depth 2.
    """
    if not d:
        return None
    out: list[str] = []
    run: dict[Any, Any] = {}
    for k, v in d.items():
        if v is None or isinstance(v, _SCALAR):
            run[k] = v
            continue
        if type(v) is not dict or type(k) is not str:
            return None
        for v2 in v.values():
            if not (v2 is None or isinstance(v2, _SCALAR)):
                return None
        if run:
            out.append(_DEPTH1(run)[1:-1])
            run = {}
        out.append(encode_basestring(k) + ": " + ("{\n      " + _DEPTH2(v)[1:-1] + "\n    }" if v else "{}"))
    if run:
        out.append(_DEPTH1(run)[1:-1])
    return "\n  {\n    " + ",\n    ".join(out) + "\n  }"
