"""The tabular format: one CSV file or XLSX sheet per node type and per relationship type.

A file (or sheet) is recognised by its name: ``enterprises.csv``, ``企业.csv``,
``Enterprise.csv``, ``feeds.csv``, ``FEEDS.csv`` … (see ``chainkg schema``).
Column headers are property names or their Chinese aliases (``name``/``名称``).
Row numbers in errors count the header as row 1, as a spreadsheet shows them.

Every read is bounded (see :mod:`chainkg.loaders.limits`): field, row and file
sizes for CSV; member sizes, compression ratios and the cell count for XLSX,
all checked before or while reading, never after.
"""

from __future__ import annotations

import csv
import io
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from chainkg.i18n import message
from chainkg.schema import SCHEMA
from chainkg.schema.declaration import END_ALIASES
from chainkg.schema.model import Property

from . import limits
from .encoding import read_bytes, read_text
from .records import EdgeRecord, LoadError, LoadFailed, NodeRecord, Origin, bad_text, escape, shorten


@dataclass(frozen=True)
class TableKind:
    kind: str  # "node" | "edge"
    type: str


def _kind_names() -> dict[str, TableKind]:
    names: dict[str, TableKind] = {}
    for nt in SCHEMA.node_types:
        for n in (nt.name, nt.zh, *nt.file_names):
            names[n.casefold()] = TableKind("node", nt.name)
    for rt in SCHEMA.rel_types:
        for n in (rt.name, rt.zh, *rt.file_names):
            names[n.casefold()] = TableKind("edge", rt.name)
    return names


KIND_NAMES = _kind_names()


def table_kind(name: str) -> TableKind | None:
    """The node or relationship type a file stem or sheet name stands for.

    >>> table_kind("企业")
    TableKind(kind='node', type='Enterprise')
    >>> table_kind("FEEDS")
    TableKind(kind='edge', type='FEEDS')
    """
    return KIND_NAMES.get(name.strip().casefold())


def column_map(kind: TableKind) -> dict[str, str]:
    """Accepted header (case-folded) → property name, for one table kind."""
    props: list[Property] = []
    if kind.kind == "node":
        props += SCHEMA.node_type(kind.type).properties
        props += SCHEMA.common
    else:
        props += SCHEMA.rel_type(kind.type).properties
        props += [p for p in SCHEMA.common if p.name != "id"]
    out: dict[str, str] = {}
    for p in props:
        for header in (p.name, *p.aliases):
            out.setdefault(header.casefold(), p.name)
    if kind.kind == "edge":
        for end, aliases in END_ALIASES.items():
            for a in aliases:
                out[a.casefold()] = end
    return out


_IDS = ("id", "from", "to")


def _rows_from_table(
    header: list[Any], rows: Iterator[tuple[int, list[Any]]], kind: TableKind, origin: Origin, header_row: int = 1
) -> tuple[list[NodeRecord | EdgeRecord], list[LoadError]]:
    errors: list[LoadError] = []
    cmap = column_map(kind)
    columns: list[str | None] = []
    seen: dict[str, str] = {}
    head_origin = Origin(origin.file, header_row, origin.sheet)
    for h in header:
        h = "" if h is None else str(h).strip()
        if not h:
            columns.append(None)
            continue
        prop = cmap.get(h.casefold())
        if prop is None:
            errors.append(LoadError(head_origin, shorten(h) if len(h) > 60 else h,
                                    message(("unknown_column", {"type": kind.type}))))
            columns.append(None)
        elif prop in seen:
            errors.append(LoadError(head_origin, h, message(("same_property", {"other": seen[prop]}))))
            columns.append(None)
        else:
            seen[prop] = h
            columns.append(prop)
    required = ["from", "to"] if kind.kind == "edge" else ["id"]
    for r in required:
        if r not in seen:
            errors.append(LoadError(head_origin, r, message(("required_column", {}))))
    if errors:
        return [], errors
    records: list[NodeRecord | EdgeRecord] = []
    for rownum, values in rows:
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
            continue
        o = Origin(origin.file, rownum, origin.sheet)
        if len(values) > len(columns) and any(str(v).strip() for v in values[len(columns):] if v is not None):
            errors.append(LoadError(o, None, message(("cell_count", {"cells": len(values), "columns": len(columns)}))))
            continue
        props: dict[str, Any] = {}
        bad = False
        for col, v in zip(columns, values, strict=False):
            if col is None or v is None or (isinstance(v, str) and not v.strip()):
                continue
            if isinstance(v, str):
                v = v.strip()
                why = bad_text(v, identifier=col in _IDS)
                if why:
                    errors.append(LoadError(o, seen[col], why))
                    bad = True
                    continue
            props[col] = v
        if bad:
            continue
        if kind.kind == "node":
            records.append(NodeRecord(kind.type, props, o, seen))
        else:
            src, dst = props.pop("from", None), props.pop("to", None)
            records.append(EdgeRecord(kind.type, src, dst, props, o, seen))
    return records, errors


class _TooBig(Exception):
    def __init__(self, error: LoadError):
        self.error = error


def _check_row(values: list[Any], rownum: int, origin: Origin, names: list[Any]) -> None:
    """Refuse a row over the column, field or row limits (raises :class:`_TooBig`)."""
    o = Origin(origin.file, rownum, origin.sheet)
    if rownum > limits.MAX_ROWS:
        raise _TooBig(LoadError(o, None, f"more than {limits.MAX_ROWS:,} rows"))
    if len(values) > limits.MAX_COLUMNS:
        raise _TooBig(LoadError(o, None, f"row has {len(values):,} cells, more than the limit of "
                                         f"{limits.MAX_COLUMNS:,}"))
    total = 0
    for i, v in enumerate(values):
        if isinstance(v, str):
            total += len(v)
            if len(v) > limits.MAX_FIELD_CHARS:
                name = names[i] if i < len(names) and names[i] not in (None, "") else f"#{i + 1}"
                raise _TooBig(LoadError(o, shorten(str(name)) if len(str(name)) > 60 else str(name),
                                        f"field larger than {limits.MAX_FIELD_CHARS:,} characters "
                                        f"({len(v):,}); see 'Limits and encodings' in the README"))
    if total > limits.MAX_ROW_CHARS:
        raise _TooBig(LoadError(o, None, f"row larger than {limits.MAX_ROW_CHARS:,} characters ({total:,})"))


def _csv_table(path: Path, encoding: str | None) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """(header, numbered rows) of a CSV file, bounded and checked; raises :class:`LoadFailed`."""
    text, _encoding = read_text(path, encoding)
    origin = Origin(str(path))
    # The file is already bounded, so let the csv module read any field and check sizes here, with row and column.
    old_limit = csv.field_size_limit()
    csv.field_size_limit(max(old_limit, len(text) + 1))
    try:
        reader = csv.reader(io.StringIO(text, newline=""), strict=True)
        table: list[tuple[int, list[str]]] = []
        header: list[str] | None = None
        rownum = 0
        try:
            while True:
                start_line = reader.line_num + 1
                try:
                    row = next(reader)
                except StopIteration:
                    break
                except csv.Error as e:
                    msg = str(e)
                    if "unexpected end of data" in msg:
                        msg = f"unclosed quote: the quoted field starting on line {start_line} never ends"
                    raise LoadFailed([LoadError(Origin(str(path), rownum + 1), None, f"not valid CSV ({msg})")]) \
                        from None
                rownum += 1
                _check_row(row, rownum, origin, header or [])
                if header is None:
                    header = row
                else:
                    table.append((rownum, row))
        except _TooBig as e:
            raise LoadFailed([e.error]) from None
    finally:
        csv.field_size_limit(old_limit)
    if header is None:
        raise LoadFailed([LoadError(origin, None, message(("file_empty", {})))])
    return header, table


def read_csv(path: Path, encoding: str | None = None) -> tuple[list[NodeRecord | EdgeRecord], list[LoadError]]:
    """Records of one CSV file (UTF-8, GBK, Big5, UTF-16 …; see :mod:`chainkg.loaders.encoding`)."""
    kind = table_kind(path.stem)
    if kind is None:
        return [], [LoadError(Origin(str(path)), None, f"file name {path.stem!r} names no node or relationship type")]
    try:
        header, table = _csv_table(path, encoding)
    except LoadFailed as e:
        return [], e.errors
    return _rows_from_table(header, iter(table), kind, Origin(str(path)))


def read_table(path: Path, encoding: str | None = None) -> tuple[list[Any], list[tuple[int, list[Any]]], str | None]:
    """(header, numbered rows, sheet) of a CSV file or of a workbook's first non-empty sheet, with every bound
    the loaders apply (sizes, zip bombs, cell and time budgets). For tables whose name says nothing, such
    as a firm register. Raises :class:`LoadFailed`.
    """
    if path.suffix.lower() == ".csv":
        header, table = _csv_table(path, encoding)
        return header, table, None
    if path.suffix.lower() != ".xlsx":
        raise LoadFailed([LoadError(Origin(str(path)), None, "expected a .csv or .xlsx file")])
    budget = {"cells": float(limits.XLSX_MAX_CELLS), "deadline": time.monotonic() + limits.XLSX_MAX_SECONDS}
    data = read_bytes(path)
    _check_archive(path, data).close()
    try:
        reader, sheets = _open_workbook(data)
    except Exception as e:  # openpyxl raises many kinds for a damaged file
        raise LoadFailed([LoadError(Origin(str(path)), None,
                                    f"not a readable XLSX workbook ({shorten(str(e), 120)})")]) from None
    try:
        for title, target in sheets:
            if target is None:
                continue
            origin = Origin(str(path), None, title)
            header: list[Any] | None = None
            table: list[tuple[int, list[Any]]] = []
            try:
                for idx, values in _sheet_rows(reader, target, origin, budget):
                    _check_row(values, idx, origin, header or [])
                    if header is None:
                        if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
                            continue
                        header = values
                    else:
                        table.append((idx, values))
            except _TooBig as e:
                raise LoadFailed([e.error]) from None
            except LoadFailed:
                raise
            except Exception as e:  # a damaged sheet
                raise LoadFailed([LoadError(origin, None, f"not a readable sheet ({shorten(str(e), 120)})")]) \
                    from None
            if header is not None:
                return header, table, title
    finally:
        reader.archive.close()
    raise LoadFailed([LoadError(Origin(str(path)), None, "no sheet with a header row")])


def _check_archive(path: Path, data: bytes) -> zipfile.ZipFile:
    """Open the XLSX zip and refuse it before any member is inflated if it could exhaust memory or time."""
    origin = Origin(str(path))

    def fail(reason: str) -> LoadFailed:
        return LoadFailed([LoadError(origin, None, reason)])

    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError) as e:
        raise fail(f"not an XLSX workbook (not a zip archive: {e}; an old .xls or an encrypted "
                   "workbook must be saved as .xlsx first)") from None
    if len(infos) > limits.XLSX_MAX_MEMBERS:
        raise fail(f"not an XLSX workbook: {len(infos):,} parts in the archive (limit {limits.XLSX_MAX_MEMBERS:,})")
    total = 0
    for info in infos:
        name = escape(info.filename)
        lower = info.filename.lower()
        if lower.endswith("sharedstrings.xml"):
            cap = limits.XLSX_MAX_SHARED_STRINGS_BYTES
        elif lower.startswith("xl/worksheets/") or not lower.endswith((".xml", ".rels")):
            cap = limits.XLSX_MAX_PART_BYTES
        else:  # workbook, styles, theme …: parsed whole before any sheet, outside the time budget
            cap = limits.XLSX_MAX_OTHER_XML_BYTES
        if info.file_size > cap:
            raise fail(f"part {name} would inflate to {limits.size(info.file_size)}, over the limit of "
                       f"{limits.size(cap)} (a zip bomb, or a sheet too large to load)")
        if info.file_size > limits.XLSX_RATIO_FLOOR and \
                info.file_size > limits.XLSX_MAX_RATIO * max(info.compress_size, 1):
            ratio = info.file_size // max(info.compress_size, 1)
            raise fail(f"part {name} is compressed {ratio:,}:1, over the limit of {limits.XLSX_MAX_RATIO}:1 "
                       "(a zip bomb?)")
        total += info.file_size
    if total > limits.XLSX_MAX_TOTAL_BYTES:
        raise fail(f"workbook would inflate to {limits.size(total)}, over the limit of "
                   f"{limits.size(limits.XLSX_MAX_TOTAL_BYTES)}")
    return zf


def _sheet_rows(reader: Any, target: str, origin: Origin, budget: dict[str, float]) -> Iterator[tuple[int, list[Any]]]:
    """The rows of one sheet as they are stored: no filling of gaps, no trust in its dimension.

    Empty rows between stored rows cost nothing, so a lone cell at XFD1048576 is one row, not a million.
    ``budget`` holds the cells the workbook may still have and the time by which it must be read.
    """
    from openpyxl.worksheet._reader import WorkSheetParser

    wb = reader.wb
    with reader.archive.open(target) as src:
        parser = WorkSheetParser(src, reader.shared_strings, data_only=True, epoch=wb.epoch,
                                 date_formats=wb._date_formats, timedelta_formats=wb._timedelta_formats)
        for idx, cells in parser.parse():
            if not cells:
                continue
            budget["cells"] -= len(cells)
            if budget["cells"] < 0:
                raise _TooBig(LoadError(origin, None, f"workbook has more than {limits.XLSX_MAX_CELLS:,} cells "
                                                      "(split it, or save the sheets as CSV)"))
            if time.monotonic() > budget["deadline"]:
                raise _TooBig(LoadError(origin, None, f"workbook takes more than {limits.XLSX_MAX_SECONDS:g} s to "
                                                      "read (split it, or save the sheets as CSV)"))
            width = max(c["column"] for c in cells)
            o = Origin(origin.file, idx, origin.sheet)
            if idx > limits.MAX_ROWS or width > limits.MAX_COLUMNS:
                raise _TooBig(LoadError(o, None, "cell beyond the last row or column a sheet can have"))
            values: list[Any] = [None] * width
            for c in cells:
                v = c["value"]
                if c.get("data_type") == "e":
                    raise _TooBig(LoadError(o, None, f"cell {c['column']} holds the Excel error {v!r}; "
                                                     "fix or clear it"))
                values[c["column"] - 1] = v
            yield idx, values


def _open_workbook(data: bytes) -> tuple[Any, list[tuple[str, str | None]]]:
    """openpyxl's reader with strings, styles and the sheet list loaded, but no sheet touched yet.

    (``load_workbook`` in read-only mode scans every sheet without a dimension to size it: the time a
    sheet takes must be spent once, under the budget.) Returns the reader and (title, part or None if missing).
    """
    from openpyxl.reader.excel import ExcelReader
    from openpyxl.styles.stylesheet import apply_stylesheet

    reader = ExcelReader(io.BytesIO(data), read_only=True, data_only=True)
    reader.read_manifest()
    reader.read_strings()
    reader.read_workbook()
    apply_stylesheet(reader.archive, reader.wb)
    sheets: list[tuple[str, str | None]] = []
    for sheet, rel in reader.parser.find_sheets():
        if "chartsheet" in (rel.Type or ""):
            continue
        sheets.append((sheet.name, rel.target if rel.target in reader.valid_files else None))
    return reader, sheets


def read_xlsx(path: Path, encoding: str | None = None) -> tuple[list[NodeRecord | EdgeRecord], list[LoadError]]:
    """Records of every sheet of a workbook; each sheet is named after a node or relationship type.

    ``encoding`` is accepted for symmetry with :func:`read_csv` and ignored (XLSX text is always Unicode).
    """
    budget = {"cells": float(limits.XLSX_MAX_CELLS), "deadline": time.monotonic() + limits.XLSX_MAX_SECONDS}
    data = read_bytes(path)
    _check_archive(path, data).close()
    file = Origin(str(path))
    try:
        reader, sheets = _open_workbook(data)
    except Exception as e:  # openpyxl raises many kinds for a damaged file
        return [], [LoadError(file, None, f"not a readable XLSX workbook ({shorten(str(e), 120)})")]
    records: list[NodeRecord | EdgeRecord] = []
    errors: list[LoadError] = []
    try:
        if not sheets:
            return [], [LoadError(file, None, "workbook has no worksheets")]
        for title, target in sheets:
            origin = Origin(str(path), None, title)
            kind = table_kind(title)
            if kind is None:
                errors.append(LoadError(origin, None, f"sheet name {title!r} names no node or relationship type"))
                continue
            if target is None:
                errors.append(LoadError(origin, None, "the workbook lists this sheet but does not contain it"))
                continue
            try:
                table = []
                header: list[Any] | None = None
                header_row = 1
                for idx, values in _sheet_rows(reader, target, origin, budget):
                    _check_row(values, idx, origin, header or [])
                    if header is None:
                        if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
                            continue
                        header, header_row = values, idx
                    else:
                        table.append((idx, values))
            except _TooBig as e:
                errors.append(e.error)
                if "cells" in e.error.reason or " s to read" in e.error.reason:
                    break
                continue
            except Exception as e:  # a damaged sheet: bad XML, bad cell references, bad shared-string index …
                errors.append(LoadError(origin, None, f"not a readable sheet ({shorten(str(e), 120)})"))
                continue
            if header is None:
                errors.append(LoadError(origin, None, message(("sheet_empty", {}))))
                continue
            recs, errs = _rows_from_table(header, iter(table), kind, origin, header_row)
            records += recs
            errors += errs
    finally:
        reader.archive.close()
    return records, errors
