"""Search keys for the page: the same matching as ``chainkg search``, done in the browser.

The browser has no OpenCC, so the page carries, per node, its name keys (Simplified, folded
exactly as :func:`chainkg.graph.text.name_key` folds them) and its names as written plus their
Traditional forms; and one small Traditional → Simplified table covering every character that
occurs in the page's names, which the page applies to the query character by character.

>>> t2s = t2s_table(["新能源电池"])
>>> t2s["電"], t2s["池"] if "池" in t2s else "unchanged"
('电', 'unchanged')
>>> names_of("新能源电池", ["宁德"])
['新能源电池', '宁德', '新能源電池', '寧德']
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

import opencc

from chainkg.graph.text import name_key

_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


@functools.cache
def _converters() -> tuple[opencc.OpenCC, ...]:
    return tuple(opencc.OpenCC(c) for c in ("s2t", "s2tw", "s2hk"))


@functools.lru_cache(maxsize=65536)
def to_traditional(text: str) -> str:
    """Simplified → Traditional (OpenCC s2t).

    >>> to_traditional("云南")
    '雲南'
    """
    return _converters()[0].convert(text)


def keys_of(*names: str | None) -> list[str]:
    """Distinct name keys of the given names, in order.

    >>> keys_of("新能源電池", "新能源电池", "ABC")
    ['新能源电池', 'abc']
    """
    return list(dict.fromkeys(name_key(n) for n in names if n))


def names_of(name: str, aliases: Iterable[str] = ()) -> list[str]:
    """A node's names as written, then their Traditional forms where they differ."""
    written = [n for n in (name, *aliases) if n]
    trad = [to_traditional(n) for n in written]
    return list(dict.fromkeys(written + [t for t in trad if t not in written]))


def t2s_table(texts: Iterable[str]) -> dict[str, str]:
    """Traditional (and variant) character → Simplified character, for the characters of ``texts``."""
    chars = {c for t in texts for c in t if _HAN.match(c)}
    table: dict[str, str] = {}
    for c in sorted(chars):
        simple = name_key(c)
        if len(simple) != 1:
            continue
        if simple != c:
            table[c] = simple
        for conv in _converters():
            t = conv.convert(simple)
            if len(t) == 1 and t != simple:
                table.setdefault(t, simple)
    return table
