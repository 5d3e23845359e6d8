"""JSON text exactly as ``json.dumps(data, ensure_ascii=False, indent=2)`` writes it, faster and in pieces.

Python 3.11's ``json`` uses its C encoder only without ``indent``; with it, every value goes through a
pure-Python generator: 112k ``targets`` rows took longer to print than to compute. Here each container whose
values are all plain scalars (most rows are) is written by the C encoder in one call, with the newline and
indentation inside its item separator; anything else (nested containers, non-text keys, types ``json`` does
not know) recurses or falls back to ``json.dumps`` for that value, re-indented. :func:`pieces` yields a
top-level list a few hundred items at a time, so a huge answer is never one string in memory.

>>> import json
>>> data = [{"a": 1, "b": [1.5, "x", None], "c": {}, "d": {"e": True}}, [], "z"]
>>> dumps(data) == json.dumps(data, ensure_ascii=False, indent=2)
True
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

_SCALARS = frozenset({str, int, float, bool, type(None)})
_ENCODERS: dict[int, Any] = {}


def _flat(level: int) -> Any:
    """The C encoder writing a flat container's items one per line at ``level`` (its own indent + 2)."""
    enc = _ENCODERS.get(level)
    if enc is None:
        enc = _ENCODERS[level] = json.JSONEncoder(
            ensure_ascii=False, separators=(",\n" + "  " * (level + 1), ": ")).encode
    return enc


_scalar = json.JSONEncoder(ensure_ascii=False).encode


def _encode(o: Any, level: int) -> str:
    """``o`` as indented JSON whose first line starts at ``level`` (later lines carry their own indent)."""
    t = type(o)
    if t in _SCALARS:
        return _scalar(o)
    inner = "\n" + "  " * (level + 1)
    if t is dict:
        if not o:
            return "{}"
        if all(type(k) is str for k in o):
            if all(type(v) in _SCALARS for v in o.values()):
                text = _flat(level)(o)
                return "{" + inner + text[1:-1] + "\n" + "  " * level + "}"
            return ("{" + inner + ("," + inner).join(_scalar(k) + ": " + _encode(v, level + 1) for k, v in o.items())
                    + "\n" + "  " * level + "}")
    elif t is list or t is tuple:
        if not o:
            return "[]"
        if all(type(v) in _SCALARS for v in o):
            text = _flat(level)(o)
            return "[" + inner + text[1:-1] + "\n" + "  " * level + "]"
        return "[" + inner + ("," + inner).join(_encode(v, level + 1) for v in o) + "\n" + "  " * level + "]"
    # Anything else (subclasses, non-text keys, unknown types): the standard encoder, same text or same error.
    return json.dumps(o, ensure_ascii=False, indent=2).replace("\n", "\n" + "  " * level)


def dumps(data: Any) -> str:
    """``json.dumps(data, ensure_ascii=False, indent=2)``, byte for byte."""
    return _encode(data, 0)


def pieces(items: Iterable[Any], batch: int = 500) -> Iterator[str]:
    """The text of ``dumps(list(items))`` in pieces, consuming ``items`` as it goes (a generator is fine)."""
    buf: list[str] = []
    first = True
    for item in items:
        buf.append(_encode(item, 1))
        if len(buf) >= batch:
            yield ("[\n  " if first else ",\n  ") + ",\n  ".join(buf)
            first = False
            buf.clear()
    if buf:
        yield ("[\n  " if first else ",\n  ") + ",\n  ".join(buf)
        first = False
    yield "[]" if first else "\n]"
