"""Reading files into a graph: collect every record, validate the whole batch, then apply it."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from pathlib import Path

from chainkg.graph.kg import KnowledgeGraph

from .batch import LoadReport, Progress, apply_batch, validate_batch
from .records import EdgeRecord, LoadError, LoadFailed, NodeRecord, Origin
from .tabular import read_csv, read_xlsx
from .templates import read_template

READERS = {".csv": read_csv, ".xlsx": read_xlsx, ".yaml": read_template, ".yml": read_template}


def expand_paths(paths: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """Files to read: files as given, folders searched recursively for .csv/.xlsx/.yaml/.yml (sorted)."""
    out: list[Path] = []
    for p in paths:
        p = Path(p)
        if p.is_dir():
            out += sorted(f for f in p.rglob("*") if f.suffix.lower() in READERS and f.is_file()
                          and not f.name.startswith((".", "~$")))
        else:
            out.append(p)
    return out


def read_paths(
    paths: Iterable[str | os.PathLike[str]],
) -> tuple[list[NodeRecord | EdgeRecord], list[LoadError], list[str]]:
    """Read every file; returns (records, errors, file names). Never raises for bad content."""
    records: list[NodeRecord | EdgeRecord] = []
    errors: list[LoadError] = []
    files: list[str] = []
    for path in expand_paths(paths):
        files.append(str(path))
        reader = READERS.get(path.suffix.lower())
        if reader is None:
            errors.append(LoadError(Origin(str(path)), None,
                                    "unsupported file type (use .csv, .xlsx, .yaml or .yml)"))
            continue
        if not path.exists():
            errors.append(LoadError(Origin(str(path)), None, "no such file"))
            continue
        try:
            recs, errs = reader(path)
        except LoadFailed as e:
            errors += e.errors
            continue
        except OSError as e:
            errors.append(LoadError(Origin(str(path)), None, f"cannot read ({e.strerror or e})"))
            continue
        records += recs
        errors += errs
    return records, errors, files


def validate_paths(paths: Iterable[str | os.PathLike[str]], kg: KnowledgeGraph | None = None) -> list[LoadError]:
    """Every problem loading ``paths`` into ``kg`` would hit (an empty graph when None).

    >>> validate_paths(["no-such.csv"])[0].reason
    'no such file'
    """
    records, errors, _ = read_paths(paths)
    if errors:
        return errors
    return validate_batch(records, kg if kg is not None else KnowledgeGraph())


def load_paths(
    paths: Iterable[str | os.PathLike[str]],
    kg: KnowledgeGraph,
    progress: Callable[[int], AbstractContextManager[Progress]] | None = None,
) -> LoadReport:
    """Load files into ``kg``: all or nothing. Raises :class:`LoadFailed` listing every error.

    Loading the same files twice changes nothing (records merge by id).
    ``progress(total)`` may return a context manager yielding an ``update(n)`` callable.
    """
    records, errors, files = read_paths(paths)
    if not errors:
        errors = validate_batch(records, kg)
    if errors:
        raise LoadFailed(errors)
    if progress is None:
        report = apply_batch(records, kg)
    else:
        with progress(len(records)) as update:
            report = apply_batch(records, kg, update)
    report.files = files
    return report
