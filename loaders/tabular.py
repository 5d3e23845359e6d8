"""The tabular format: one CSV file or XLSX sheet per node type and per relationship type.

A file (or sheet) is recognised by its name: ``enterprises.csv``, ``企业.csv``,
``Enterprise.csv``, ``feeds.csv``, ``FEEDS.csv`` … (see ``chainkg schema``).
Column headers are property names or their Chinese aliases (``name``/``名称``).
Row numbers in errors count the header as row 1, as a spreadsheet shows them.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from chainkg.schema import SCHEMA
from chainkg.schema.declaration import END_ALIASES
from chainkg.schema.model import Property

from .encoding import read_text
from .records import EdgeRecord, LoadError, NodeRecord, Origin


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


def _rows_from_table(
    header: list[Any], rows: Iterator[tuple[int, list[Any]]], kind: TableKind, origin: Origin
) -> tuple[list[NodeRecord | EdgeRecord], list[LoadError]]:
    errors: list[LoadError] = []
    cmap = column_map(kind)
    columns: list[str | None] = []
    seen: dict[str, str] = {}
    head_origin = Origin(origin.file, 1, origin.sheet)
    for h in header:
        h = "" if h is None else str(h).strip()
        if not h:
            columns.append(None)
            continue
        prop = cmap.get(h.casefold())
        if prop is None:
            errors.append(LoadError(head_origin, h, f"unknown column for {kind.type}"))
            columns.append(None)
        elif prop in seen:
            errors.append(LoadError(head_origin, h, f"same property as column {seen[prop]!r}"))
            columns.append(None)
        else:
            seen[prop] = h
            columns.append(prop)
    required = ["from", "to"] if kind.kind == "edge" else ["id"]
    for r in required:
        if r not in seen:
            errors.append(LoadError(head_origin, r, "required column is missing"))
    if errors:
        return [], errors
    records: list[NodeRecord | EdgeRecord] = []
    for rownum, values in rows:
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
            continue
        props: dict[str, Any] = {}
        for col, v in zip(columns, values, strict=False):
            if col is None or v is None or (isinstance(v, str) and not v.strip()):
                continue
            props[col] = v.strip() if isinstance(v, str) else v
        if len(values) > len(columns) and any(str(v).strip() for v in values[len(columns):] if v is not None):
            errors.append(LoadError(Origin(origin.file, rownum, origin.sheet), None,
                                    f"row has {len(values)} cells but the header has {len(columns)}"))
            continue
        o = Origin(origin.file, rownum, origin.sheet)
        if kind.kind == "node":
            records.append(NodeRecord(kind.type, props, o, seen))
        else:
            src, dst = props.pop("from", None), props.pop("to", None)
            records.append(EdgeRecord(kind.type, src, dst, props, o, seen))
    return records, errors


def read_csv(path: Path) -> tuple[list[NodeRecord | EdgeRecord], list[LoadError]]:
    kind = table_kind(path.stem)
    if kind is None:
        return [], [LoadError(Origin(str(path)), None, f"file name {path.stem!r} names no node or relationship type")]
    text, _encoding = read_text(path)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        return [], [LoadError(Origin(str(path)), None, "file is empty (no header row)")]
    rows = ((i, row) for i, row in enumerate(reader, start=2))
    return _rows_from_table(header, rows, kind, Origin(str(path)))


def read_xlsx(path: Path) -> tuple[list[NodeRecord | EdgeRecord], list[LoadError]]:
    import openpyxl

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as e:  # openpyxl raises many kinds for a damaged file
        return [], [LoadError(Origin(str(path)), None, f"not a readable XLSX workbook ({e})")]
    records: list[NodeRecord | EdgeRecord] = []
    errors: list[LoadError] = []
    try:
        for ws in wb.worksheets:
            origin = Origin(str(path), None, ws.title)
            kind = table_kind(ws.title)
            if kind is None:
                errors.append(LoadError(origin, None, f"sheet name {ws.title!r} names no node or relationship type"))
                continue
            it = ws.iter_rows(values_only=True)
            header = next(it, None)
            if header is None:
                continue
            rows = ((i, list(row)) for i, row in enumerate(it, start=2))
            recs, errs = _rows_from_table(list(header), rows, kind, origin)
            records += recs
            errors += errs
    finally:
        wb.close()
    return records, errors
