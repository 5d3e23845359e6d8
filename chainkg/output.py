"""Rendering rows for people and scripts: aligned tables that fit the terminal (CJK-aware), JSON and CSV.

Tables and CSV are for people: headers, enum values and reasons in the chosen language
(:mod:`chainkg.i18n`). JSON is for scripts: keys, enum values and reasons stay English whatever the
language. A table given a ``width`` fits it: narrow columns keep their width, the wide ones share the rest
and wrap onto continuation lines (at spaces, punctuation or between Chinese characters).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from itertools import repeat
from operator import add, le, sub
from typing import Any

_wcswidth: Callable[[str], int] | None = None
#: The columns between two table columns.
GAP = 2
#: A wrapped column is never narrower than this (one Chinese character).
MIN_WIDTH = 2
#: A line may break after these characters.
_BREAK_AFTER = set(" 、，。；：,;:/|_-)）】")
#: ... but never before these.
_NO_START = set("、，。；：）】」』,.;:!?！？)")


def _load_wcswidth() -> Callable[[str], int]:
    """wcwidth, imported on the first table (not at start-up), then kept in a global: this runs per cell."""
    global _wcswidth
    from wcwidth import wcswidth

    _wcswidth = wcswidth
    return wcswidth


def display_width(text: str) -> int:
    """Columns ``text`` takes in a terminal: CJK characters take two.

    >>> display_width("昆明abc")
    7
    """
    w = (_wcswidth or _load_wcswidth())(text)
    return w if w >= 0 else len(text)


def _cell(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, float):
        if v.is_integer():
            return f"{int(v):,}"
        # Small ratios (betweenness, relatedness) need more digits than amounts do.
        text = f"{v:,.4f}" if abs(v) < 1 else f"{v:,.2f}"
        return text.rstrip("0").rstrip(".")
    if isinstance(v, (list, tuple)):
        return "|".join(_cell(x) for x in v)
    if isinstance(v, dict):
        return ", ".join(f"{k}={_cell(x)}" for k, x in v.items())
    return " ".join(str(v).split())  # newlines would break the grid


def _pad(text: str, width: int, right: bool) -> str:
    gap = width - display_width(text)
    return (" " * gap + text) if right else (text + " " * gap)


def _wide(ch: str) -> bool:
    return display_width(ch) > 1


def wrap(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` display columns.

    A line breaks after a space or punctuation when that keeps at least half a line, else between two
    characters where one is Chinese (never before 、，。）), and mid-word only when nothing else fits.

    >>> wrap("feeds covered 电芯制造、正极材料", 16)
    ['feeds covered', '电芯制造、', '正极材料']
    """
    if width < 1 or display_width(text) <= width:
        return [text]
    lines: list[str] = []
    # Where the current line may break: after a space or punctuation (strong), next to CJK (weak); 0: nowhere.
    line, used, strong, weak = "", 0, 0, 0
    for ch in text:
        cw = max(display_width(ch), 0)
        strong, weak = _breaks(line, ch, strong, weak)
        if used + cw > width and line:
            at = strong if strong and display_width(line[:strong]) * 2 >= width else (weak or strong)
            head, rest = (line[:at], line[at:]) if at else (line, "")
            lines.append(head.rstrip())
            line, strong, weak = "", 0, 0
            for c in rest.lstrip():  # the carried-over text keeps its own break points
                strong, weak = _breaks(line, c, strong, weak)
                line += c
            strong, weak = _breaks(line, ch, strong, weak)
            used = display_width(line)
        if not line and ch == " ":
            continue
        line += ch
        used += cw
    if line:
        lines.append(line.rstrip())
    return lines


def _breaks(line: str, ch: str, strong: int, weak: int) -> tuple[int, int]:
    """The break points of ``line`` once ``ch`` is appended: (after space/punctuation, next to CJK)."""
    if line and ch not in _NO_START:
        if line[-1] in _BREAK_AFTER:
            return len(line), weak
        if _wide(line[-1]) or _wide(ch):
            return strong, len(line)
    return strong, weak


def longest_token(text: str) -> int:
    """The display width of the longest piece of ``text`` that :func:`wrap` never breaks.

    >>> longest_token("part_pipeline"), longest_token("works in 补链 gap"), longest_token("recruiting")
    (8, 5, 10)
    """
    best = cur = 0
    prev = ""
    for ch in text:
        if ch == " ":
            cur, prev = 0, ch
            continue
        if prev and prev != " " and ch not in _NO_START and (prev in _BREAK_AFTER or _wide(prev) or _wide(ch)):
            cur = 0
        cur += max(display_width(ch), 0)
        best = max(best, cur)
        prev = ch
    return best


#: A text column is not wrapped narrower than this unless the table cannot fit otherwise.
SOFT_MIN = 10
#: Nor a header (two Chinese characters a line).
HEADER_SOFT_MIN = 4


def _share(widths: list[int], lack: Sequence[int], slack: int) -> int:
    """Add up to ``slack`` columns to ``widths``, never past ``lack``: a lack no bigger than an equal share is
    filled whole (so only the widest columns wrap), the rest is split in proportion to the lacks left.

    >>> w = [10, 10, 10]; _share(w, [2, 30, 50], 20), w
    (0, [12, 16, 22])
    """
    open_ = sorted((i for i, x in enumerate(lack) if x > 0), key=lambda i: lack[i])
    while open_ and slack > 0:
        share = slack // len(open_)
        i = open_[0]
        if lack[i] <= share:
            widths[i] += lack[i]
            slack -= lack[i]
            open_.pop(0)
            continue
        # The rest in proportion to what each still lacks: a long reason takes most, a name a little.
        total = sum(lack[j] for j in open_)
        add = {j: slack * lack[j] // total for j in open_}
        for j in sorted(open_, key=lambda j: -lack[j])[: slack - sum(add.values())]:
            add[j] += 1
        for j, x in add.items():
            widths[j] += x
        return 0
    return slack


def fit_widths(natural: Sequence[int], content: Sequence[int], soft: Sequence[int], hard: Sequence[int],
               available: int) -> list[int]:
    """Column widths summing to at most ``available`` (separators excluded) when the ``hard`` minimums allow.

    ``natural`` is a column's unwrapped width (header or cells), ``content`` its cells' widest. Every column
    keeps its natural width when all fit. Else each starts at its ``soft`` minimum (no word broken, no short
    text wrapped); what is left goes first to the cells that would wrap, in proportion to what they lack —
    so a long reason column takes most of it — and only then to headers. If even the soft minimums do not
    fit, headers wrap first, then the widest columns give way one column at a time down to their ``hard``
    minimums (a number's width, one Chinese character).

    >>> fit_widths([5, 10, 100], [1, 10, 100], [5, 10, 10], [1, 2, 2], 60)
    [5, 10, 45]
    >>> fit_widths([5, 30, 100], [1, 30, 100], [5, 10, 10], [1, 2, 2], 60)
    [5, 16, 39]
    >>> fit_widths([13, 30, 100], [1, 30, 100], [8, 10, 10], [1, 2, 2], 27)
    [7, 10, 10]
    >>> fit_widths([13, 30, 100], [1, 30, 100], [8, 10, 10], [1, 2, 2], 18)
    [2, 8, 8]
    """
    if sum(natural) <= available:
        return list(natural)
    widths = [min(s, n) for s, n in zip(soft, natural, strict=True)]
    slack = available - sum(widths)
    if slack >= 0:
        slack = _share(widths, [max(min(c, n) - w, 0) for c, n, w in zip(content, natural, widths, strict=True)],
                       slack)
        _share(widths, [n - w for n, w in zip(natural, widths, strict=True)], slack)
        return widths
    # Too many columns for the soft minimums: wrap headers down to their cells, then squeeze the widest.
    for floor in ([max(c, h, MIN_WIDTH) for c, h in zip(content, hard, strict=True)],
                  [max(h, MIN_WIDTH) for h in hard]):
        while sum(widths) > available:
            room = [w - f for w, f in zip(widths, floor, strict=True)]
            i = max(range(len(widths)), key=lambda i: (room[i], widths[i]))
            if room[i] <= 0:
                break  # cannot be narrower: the table overflows rather than lose a digit
            widths[i] -= 1
    return widths


def render_table(rows: Sequence[dict[str, Any]], columns: Sequence[str] | None = None,
                 headers: Sequence[str] | None = None, width: int | None = None) -> str:
    """A plain-text table whose columns line up with Chinese text in them.

    ``headers`` are shown for ``columns`` (default: the column names). With ``width``, the table fits
    in that many columns: long cells wrap onto continuation lines; without, nothing is wrapped.

    >>> print(render_table([{"名称": "昆明", "n": 1}, {"名称": "东川区", "n": 22}]))
    名称    n
    ------  --
    昆明     1
    东川区  22
    >>> print(render_table([{"k": "a", "why": "works in 补链 gap 电解液"}], width=14))
    k  why
    -  -----------
    a  works in
       补链 gap
       电解液
    """
    if columns is None:
        columns = list(rows[0].keys()) if rows else []
    headers = list(headers) if headers is not None else list(columns)
    from chainkg.graph.tables import column_values, each_distinct

    # Column by column, each distinct value object's text and width worked out once (rows share most values).
    raw = [column_values(rows, c) for c in columns]
    texts = [each_distinct(_cell, col) for col in raw]
    text_widths = [each_distinct(display_width, col) for col in texts]
    numeric = [_numeric(col) for col in raw]
    content = [max(tw, default=0) for tw in text_widths]
    natural = [max(display_width(h), c) for h, c in zip(headers, content, strict=True)]
    widths = natural
    if width is not None:
        # Numbers never wrap; a header may (at ``_`` or between Chinese characters) down to its longest word.
        hard = [c if num else MIN_WIDTH for c, num in zip(content, numeric, strict=True)]
        soft = [max(c if num else min(max(SOFT_MIN, max(each_distinct(longest_token, col), default=0)), 20),
                    min(display_width(h), max(longest_token(h), HEADER_SOFT_MIN)))
                for h, c, num, col in zip(headers, content, numeric, texts, strict=True)]
        widths = fit_widths(natural, content, soft, hard, width - GAP * (len(columns) - 1))

    def lines_of(values: Sequence[str], right: Sequence[bool]) -> list[str]:
        wrapped = [wrap(v, widths[i]) for i, v in enumerate(values)]
        out = []
        for k in range(max((len(w) for w in wrapped), default=1)):
            out.append((" " * GAP).join(_pad(w[k] if k < len(w) else "", widths[i], right[i] and k == 0)
                                        for i, w in enumerate(wrapped)).rstrip())
        return out

    lines = lines_of(headers, [False] * len(headers))
    lines.append((" " * GAP).join("-" * w for w in widths))
    if not columns:
        return "\n".join(lines + [""] * len(rows))
    # A row whose every cell fits its column is one line: its cells padded column by column (C-level passes);
    # a row with a cell to wrap goes through lines_of.
    padded = []
    for col, tw, w, right in zip(texts, text_widths, widths, numeric, strict=True):
        spaces = map(" ".__mul__, map(sub, repeat(w), tw))
        padded.append(list(map(add, spaces, col) if right else map(add, col, spaces)))
    one_line = list(map(str.rstrip, map((" " * GAP).join, zip(*padded, strict=True))))
    fits = list(map(all, zip(*(map(le, tw, repeat(w)) for tw, w in zip(text_widths, widths, strict=True)),
                             strict=True)))
    for i, row in enumerate(zip(*texts, strict=True)):
        if fits[i]:
            lines.append(one_line[i])
        else:
            lines += lines_of(row, numeric)
    return "\n".join(lines)


def _numeric(values: list[Any]) -> bool:
    """A column of numbers (bool is not one), None aside, with at least one number: right-aligned, never wrapped."""
    types = set(map(type, values)) - {type(None)}
    return bool(types) and all(issubclass(t, (int, float)) and not issubclass(t, bool) for t in types)


def render_json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False)


def render_csv(rows: Sequence[dict[str, Any]], columns: Sequence[str] | None = None,
               headers: Sequence[str] | None = None) -> str:
    """CSV for Excel: UTF-8 with a BOM, formula-leading text escaped (see :mod:`chainkg.graph.tables`)."""
    from chainkg.graph.tables import csv_text

    return csv_text(rows, columns, headers)


def localise(rows: Sequence[dict[str, Any]], columns: Sequence[str], lang: str) -> list[dict[str, Any]]:
    """Rows as people read them in ``lang``: reasons, and in Chinese enum values and booleans, translated."""
    from functools import partial

    from chainkg.graph.tables import column_values, each_distinct
    from chainkg.i18n import display_value

    # Column by column, each distinct value object once: rows share their reasons (a Message renders its
    # Chinese phrase by phrase: 20k distinct among targets' 112k rows) and their enum and name strings.
    shown = [each_distinct(partial(display_value, c, lang=lang), column_values(rows, c)) for c in columns]
    if not columns:
        return [{} for _ in rows]
    return list(map(dict, map(zip, repeat(columns), zip(*shown, strict=True))))


def constant_columns(rows: Sequence[dict[str, Any]], candidates: Sequence[str],
                     columns: Sequence[str]) -> dict[str, Any]:
    """Of ``candidates``, the shown columns that hold one value on every row (a filter made them constant)."""
    out = {}
    for c in candidates:
        if c in columns and len(columns) > 1 and rows:
            values = {repr(r.get(c)) for r in rows}
            if len(values) == 1:
                out[c] = rows[0].get(c)
    return out


def render(rows: Sequence[dict[str, Any]], fmt: str, columns: Sequence[str] | None = None, *, lang: str = "en",
           width: int | None = None, drop_constant: Sequence[str] = ()) -> str:
    """Rows as ``table``, ``json`` or ``csv``.

    JSON keeps the rows as they are (English keys, enum values and reasons); a table and CSV show them in
    ``lang``. A table fits ``width`` (None: no fitting) and leaves out the ``drop_constant`` columns that hold
    one value on every row, saying so on a line above it.
    """
    from chainkg.i18n import cli_text, label

    if fmt == "json":
        return render_json([{c: r.get(c) for c in columns} if columns else r for r in rows])
    if columns is None:
        columns = list(rows[0].keys()) if rows else []
    if fmt == "csv":
        return render_csv(localise(rows, columns, lang), columns, [label(c, lang) for c in columns]).rstrip("\n")
    if not rows:
        return cli_text("no_rows", lang)
    fixed = constant_columns(rows, drop_constant, columns)
    shown = [c for c in columns if c not in fixed]
    notes = [cli_text("fixed", lang, label=label(c, lang), value=_cell(localise([{c: v}], [c], lang)[0][c]))
             for c, v in fixed.items()]
    table = render_table(localise(rows, shown, lang), shown, [label(c, lang) for c in shown], width)
    wrapped_notes = [line for note in notes for line in (wrap(note, width) if width else [note])]
    return "\n".join([*wrapped_notes, table])
