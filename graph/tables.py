"""Excel-ready tables: CSV that Excel opens as UTF-8, and XLSX workbooks with fitted, frozen sheets.

Both neutralise text a spreadsheet would run as a formula with
:func:`chainkg.graph.fileio.escape_formula` (a leading ``'``), headers included,
so a firm named ``=HYPERLINK(…)`` stays text. CSV starts with a UTF-8 byte-order
mark: without it Excel on a Chinese Windows machine reads UTF-8 as GBK and shows
比亚迪 as mojibake.

>>> text = csv_text([{"name": "比亚迪", "note": "=1+1", "yi": 1.5}], ["name", "note", "yi"])
>>> text.startswith(BOM), text[1:].splitlines()
(True, ['name,note,yi', "比亚迪,'=1+1,1.5"])
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import repeat
from typing import Any

from wcwidth import wcswidth

from .fileio import escape_formula, write_bytes

BOM = "\ufeff"
#: Excel's number format for amounts in 亿元 (columns named ``*_yi`` or ``…(亿元)``).
YI_FORMAT = '#,##0.00" 亿元"'
RATE_FORMAT = "0.0%"
#: Characters Excel refuses in a sheet name.
_SHEET_BAD = str.maketrans({c: "_" for c in "[]:*?/\\"})


def cell_text(v: Any) -> str:
    """One value as CSV text: lists ``|``-joined, dicts ``k=v``, None empty, formula-leading text escaped."""
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return str(v)
    if isinstance(v, (list, tuple)):
        return escape_formula("|".join(cell_text(x) for x in v))
    if isinstance(v, dict):
        return escape_formula(", ".join(f"{k}={cell_text(x)}" for k, x in v.items()))
    return escape_formula(str(v))


def column_values(rows: Sequence[dict[str, Any]], column: str) -> list[Any]:
    """``[r.get(column) for r in rows]`` in one C-level pass."""
    return list(map(dict.get, rows, repeat(column)))


def each_distinct(fn: Callable[[Any], Any], values: list[Any]) -> list[Any]:
    """``[fn(v) for v in values]``, calling ``fn`` once per distinct object (by identity: ``fn`` must give
    the same for the same object). Query rows share most of their values (names, enums, reasons).

    >>> calls = []
    >>> a, b = ["x"], ["x"]
    >>> each_distinct(lambda v: calls.append(v) or len(calls), [a, b, a, a])
    [1, 2, 1, 1]
    """
    ids = list(map(id, values))
    done = {i: fn(v) for i, v in dict(zip(ids, values, strict=True)).items()}
    return list(map(done.__getitem__, ids))


def csv_text(rows: Sequence[dict[str, Any]], columns: Sequence[str] | None = None,
             headers: Sequence[str] | None = None) -> str:
    """Rows as CSV text for Excel: a BOM, then a header (``headers``, default the column names) and one line
    per row (every field when no columns)."""
    if columns is None:
        columns = list(rows[0].keys()) if rows else []
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow([escape_formula(c) for c in (columns if headers is None else headers)])
    # Column by column, each distinct value object's text once (rows share many of their values).
    texts = [each_distinct(cell_text, column_values(rows, c)) for c in columns]
    w.writerows(zip(*texts, strict=True) if columns else ([] for _ in rows))
    return BOM + buf.getvalue()


@dataclass
class Sheet:
    """One worksheet: a header row (frozen) and data rows; optional title and notes above the header."""

    name: str
    columns: list[str]
    rows: list[dict[str, Any]]
    title: str | None = None
    notes: list[str] = field(default_factory=list)
    #: column → Excel number format (``*_yi`` / ``(亿元)`` columns get :data:`YI_FORMAT` unless set)
    formats: dict[str, str] = field(default_factory=dict)


def sheet_name(name: str, taken: set[str]) -> str:
    """A valid, unique Excel sheet name (≤ 31 characters, no ``[]:*?/\\``)."""
    base = name.translate(_SHEET_BAD).strip("'")[:31] or "Sheet"
    out, n = base, 2
    while out.lower() in taken:
        suffix = f" ({n})"
        out, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(out.lower())
    return out


def xlsx_value(v: Any) -> Any:
    """A value as an Excel cell holds it: numbers and booleans native, the rest as escaped text."""
    if v is None or isinstance(v, (bool, int, float)):
        return v
    return cell_text(v)


def text_width(v: Any) -> int:
    """Display columns of a cell's text (CJK characters count two)."""
    text = v if isinstance(v, str) else ("" if v is None else (f"{v:,.2f}" if isinstance(v, float) else str(v)))
    w = wcswidth(text)
    return w if w >= 0 else len(text)


def _capped_width(text: str, cap: int) -> int:
    """``min(text_width(text), cap + 1)`` without measuring all of a long text (a 200-character reason)."""
    if text.isascii() and text.isprintable():
        return min(len(text), cap + 1)
    if len(text) > cap + 1:
        w = wcswidth(text[:cap + 1])  # a prefix's width never exceeds the whole's (widths are ≥ 0) …
        if w > cap:
            return cap + 1
        # … unless it holds a character wcswidth cannot measure (-1) or zero-width ones: measure it all
    return min(text_width(text), cap + 1)


def number_format(column: str, formats: dict[str, str]) -> str | None:
    if column in formats:
        return formats[column]
    if column.endswith("_yi") or "亿元" in column:
        return YI_FORMAT
    return None


def fill_sheet(ws, sheet: Sheet, max_width: int = 60) -> int:
    """Write ``sheet`` into the openpyxl worksheet ``ws``; returns the header's row number (frozen below it).

    Row by row with ``ws.append``, so ``ws`` may be a write-only worksheet (:func:`workbook`: 112k rows in
    seconds and without holding every cell) or a normal one (the report, which styles cells afterwards).
    Column widths (the longest text, CJK counted double, at most ``max_width``) and the frozen header are set
    before the first row, as a write-only sheet needs. A number in a formatted column (亿元) gets the format; a
    text wider than ``max_width`` wraps.
    """
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    columns = sheet.columns
    formats = [number_format(c, sheet.formats) for c in columns]
    values = [[xlsx_value(r.get(c)) for r in sheet.rows] for c in columns]  # column by column
    # Each column's cells as shown: their width (capped: only "wider than max_width" matters beyond it) and
    # the cells that need a style. Widths are worked out once per distinct text.
    widths = [text_width(c) for c in columns]
    wrap = Alignment(wrap_text=True, vertical="top")
    styled: list[dict[int, dict[str, Any]]] = []  # per column: row index → the cell's style
    for j, col in enumerate(values):
        marks: dict[int, dict[str, Any]] = {}
        fmt = formats[j]
        seen: dict[Any, int] = {}
        for i, v in enumerate(col):
            if fmt and isinstance(v, (int, float)) and not isinstance(v, bool):
                shown = text_width(float(v)) + (5 if fmt == YI_FORMAT else 0)
                marks[i] = {"number_format": fmt}
            else:
                key = (type(v), v)
                shown = seen.get(key)
                if shown is None:
                    shown = seen[key] = (_capped_width(v, max_width) if isinstance(v, str)
                                         else min(text_width(v), max_width + 1))
            if shown > max_width:
                marks.setdefault(i, {})["alignment"] = wrap
            if shown > widths[j]:
                widths[j] = shown
        styled.append(marks)
    for j, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(j)].width = min(w, max_width) + 2
    header = 1 + (1 if sheet.title else 0) + len(sheet.notes) + (1 if sheet.title or sheet.notes else 0)
    ws.freeze_panes = f"A{header + 1}"

    def cell(value: Any, **style: Any):
        c = WriteOnlyCell(ws, value=value)
        for k, x in style.items():
            setattr(c, k, x)
        return c

    if sheet.title:
        ws.append([cell(escape_formula(sheet.title), font=Font(bold=True, size=14))])
    for note in sheet.notes:
        ws.append([cell(escape_formula(note), font=Font(italic=True, color="555555"))])
    if sheet.title or sheet.notes:
        ws.append([])
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDE7F3")
    ws.append([cell(escape_formula(c), font=bold, fill=fill) for c in columns])
    for i, row in enumerate(zip(*values, strict=True)):
        out = list(row)
        for j, marks in enumerate(styled):
            style = marks.get(i)
            if style is not None:
                out[j] = cell(out[j], **style)
        ws.append(out)
    return header


def workbook(sheets: Sequence[Sheet]):
    """A write-only openpyxl workbook with one worksheet per sheet, in order."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    taken: set[str] = set()
    for s in sheets:
        fill_sheet(wb.create_sheet(sheet_name(s.name, taken)), s)
    return wb


def xlsx_bytes(wb) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def write_xlsx(path: str | os.PathLike[str], sheets: Sequence[Sheet]) -> None:
    """Write the sheets as one XLSX workbook (atomically, like every file chainkg writes)."""
    write_bytes(path, xlsx_bytes(workbook(sheets)))


def write_csv_file(path: str | os.PathLike[str], rows: Sequence[dict[str, Any]],
                   columns: Sequence[str] | None = None) -> None:
    """Write rows as an Excel-ready CSV file (UTF-8 with BOM)."""
    write_bytes(path, csv_text(rows, columns).encode("utf-8"))
