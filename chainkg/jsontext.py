"""A long JSON list written in pieces: ``json.dumps(items, ensure_ascii=False, indent=2)``'s text, byte for byte.

``chainkg targets`` with every row at 1M relationships held ~240k row dicts and their whole JSON text at once
(2 GB peak). :func:`pieces` takes the rows as they come and writes a few hundred at a time.

(A faster writer of the same indented text — the C encoder per flat container, Python for the rest — was
tried in this pass and measured no faster than ``json`` on query rows, which nest lists and dicts; see
benchmarks/README.md, *Workspace store*.)

>>> import json
>>> data = [{"a": 1, "b": [1.5, "x", None]}, [], "z"]
>>> "".join(pieces(iter(data), batch=2)) == json.dumps(data, ensure_ascii=False, indent=2)
True
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
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
    return json.dumps(batch, ensure_ascii=False, indent=2)[1:-2]
