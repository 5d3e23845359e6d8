"""Rendering rows for the terminal: aligned tables (CJK-aware), JSON and CSV (UTF-8 with BOM, for Excel)."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

_wcswidth: Callable[[str], int] | None = None


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


def render_table(rows: Sequence[dict[str, Any]], columns: Sequence[str] | None = None, max_width: int = 60) -> str:
    """A plain-text table whose columns line up with Chinese text in them.

    >>> print(render_table([{"名称": "昆明", "n": 1}, {"名称": "东川区", "n": 22}]))
    名称    n
    ------  --
    昆明     1
    东川区  22
    """
    if columns is None:
        columns = list(rows[0].keys()) if rows else []
    cells = [[_cell(r.get(c)) for c in columns] for r in rows]
    cells = [[_truncate(c, max_width) for c in row] for row in cells]
    numeric = [all(isinstance(r.get(c), (int, float)) and not isinstance(r.get(c), bool)
                   for r in rows if r.get(c) is not None) and any(r.get(c) is not None for r in rows)
               for c in columns]
    widths = [max([display_width(c), *(display_width(row[i]) for row in cells)]) for i, c in enumerate(columns)]
    lines = ["  ".join(_pad(c, widths[i], False) for i, c in enumerate(columns)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    for row in cells:
        lines.append("  ".join(_pad(v, widths[i], numeric[i]) for i, v in enumerate(row)).rstrip())
    return "\n".join(lines)


def _truncate(text: str, width: int) -> str:
    if display_width(text) <= width:
        return text
    out, w = [], 0
    for ch in text:
        cw = display_width(ch)
        if w + cw > width - 1:
            break
        out.append(ch)
        w += cw
    return "".join(out) + "…"


def render_json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False)


def render_csv(rows: Sequence[dict[str, Any]], columns: Sequence[str] | None = None) -> str:
    """CSV for Excel: UTF-8 with a BOM, formula-leading text escaped (see :mod:`chainkg.graph.tables`)."""
    from chainkg.graph.tables import csv_text

    return csv_text(rows, columns)


def render(rows: Sequence[dict[str, Any]], fmt: str, columns: Sequence[str] | None = None, max_width: int = 60) -> str:
    """Rows as ``table``, ``json`` or ``csv``."""
    if fmt == "json":
        return render_json([{c: r.get(c) for c in columns} if columns else r for r in rows])
    if fmt == "csv":
        return render_csv(rows, columns).rstrip("\n")
    if not rows:
        return "(no rows)"
    return render_table(rows, columns, max_width=max_width)
