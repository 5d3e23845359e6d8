"""What a loader reads, before it touches a graph: records with their origin, and errors."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from typing import Any

from chainkg.errors import InputError
from chainkg.i18n import cli_text, say

_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def escape(text: str) -> str:
    r"""``text`` safe to print on one terminal line: control, line-breaking and bidi characters escaped.

    Data reaches error messages (headers, values, sheet names); escaped, it can
    neither clear the screen nor forge extra lines.

    >>> print(escape("id\x1b[2J\nForged"))
    id\x1b[2J\nForged
    >>> escape("企业 名称　x"), escape("id\xa0")
    ('企业 名称　x', 'id\\xa0')
    """
    if text.isprintable():
        return text
    out = []
    for c in text:
        if c.isprintable() or c in " \u3000":  # the ideographic space is ordinary in Chinese text
            out.append(c)
        elif c in _NAMED:
            out.append(_NAMED[c])
        else:  # controls, line and paragraph separators, bidi overrides, and look-alike spaces (NBSP …)
            n = ord(c)
            out.append(f"\\x{n:02x}" if n < 0x100 else f"\\u{n:04x}" if n < 0x10000 else f"\\U{n:08x}")
    return "".join(out)


def shorten(value: Any, limit: int = 60) -> str:
    """``repr(value)`` cut to ``limit`` characters, for messages about huge or nested values.

    >>> shorten("a" * 100, 10)
    "'aaaaa…(102 chars)"
    """
    text = repr(value) if not isinstance(value, str) or len(value) <= limit * 4 else repr(value[: limit * 4])
    if len(text) <= limit:
        return text
    n = len(value) + 2 if isinstance(value, str) else len(text)
    return f"{text[: limit - 4]}…({n} chars)"


def bad_text(value: str, *, identifier: bool = False) -> str | None:
    r"""Why ``value`` cannot be stored as text, or None: control characters (any line break, for an id).

    >>> bad_text("a\x1bb"), bad_text("a\nb"), bad_text("a\nb", identifier=True)
    ('holds the control character \\x1b', None, 'holds the control character \\n (not allowed in an id)')
    """
    if value.isprintable():
        return None
    for c in value:
        if unicodedata.category(c) == "Cc" and (identifier or c not in "\t\n\r"):
            note = " (not allowed in an id)" if identifier and c in "\t\n\r" else ""
            return f"holds the control character {escape(c)}{note}"
        if identifier and c in "\u2028\u2029\x85":
            return f"holds the line break {escape(c)} (not allowed in an id)"
    return None


@dataclass(frozen=True)
class Origin:
    """Where a record came from: file, row (1-based, header is row 1; or line, in YAML) and sheet (XLSX)."""

    file: str
    row: int | None = None
    sheet: str | None = None
    #: What ``row`` counts: ``"row"`` (a table's record) or ``"line"`` (a text line, e.g. in YAML).
    unit: str = "row"

    def __str__(self) -> str:
        where = self.file + (f"[{self.sheet}]" if self.sheet else "")
        return where + (f", {self.unit} {self.row}" if self.row is not None else "")

    def say(self, lang: str) -> str:
        """Where, in ``lang`` (``en``: ``str(self)``): ``firms.xlsx[名录] 第 3 行``."""
        if lang != "zh":
            return str(self)
        where = self.file + (f"[{self.sheet}]" if self.sheet else "")
        return where + (f" 第 {self.row} 行" if self.row is not None else "")


@dataclass(frozen=True)
class LoadError:
    """One problem: file, row, column and a reason a person can act on."""

    origin: Origin
    column: str | None
    reason: str

    def __str__(self) -> str:
        col = f", column {self.column}" if self.column is not None and self.column != "" else ""
        return escape(f"{self.origin}{col}: {self.reason}")

    def say(self, lang: str) -> str:
        """The problem as one line in ``lang``: the frame always, the reason where the catalogue has it.

        >>> from chainkg.i18n import message
        >>> e = LoadError(Origin("名录.csv", 3), "行业代码", message(("register_bad_code", {"value": "99"})))
        >>> str(e)
        "名录.csv, row 3, column 行业代码: '99' is not a GB/T 4754-2017 industry code"
        >>> e.say("zh")
        '名录.csv 第 3 行，列“行业代码”：“99”不是 GB/T 4754-2017 行业代码'
        """
        if lang != "zh":
            return str(self)
        col = f"，列“{self.column}”" if self.column is not None and self.column != "" else ""
        return escape(f"{self.origin.say(lang)}{col}：{say(self.reason, lang)}")


@dataclass
class NodeRecord:
    type: str
    props: dict[str, Any]
    origin: Origin
    #: Original column header per property, so errors name the column the user wrote.
    columns: dict[str, str] = field(default_factory=dict)


@dataclass
class EdgeRecord:
    type: str
    source: str
    target: str
    props: dict[str, Any]
    origin: Origin
    columns: dict[str, str] = field(default_factory=dict)


class LoadFailed(InputError):
    """Raised when any record is bad; nothing was loaded. ``errors`` lists them all."""

    def __init__(self, errors: list[LoadError]):
        self.errors = errors
        n = len(errors)
        super().__init__(f"{n} error{'s' if n != 1 else ''}; nothing was loaded")

    def say(self, lang: str) -> str:
        n = len(self.errors)
        return cli_text("load_failed", lang, n=n, s="s" if n != 1 else "")
