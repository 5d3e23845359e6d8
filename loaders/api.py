"""Reading files into a graph: collect every record, validate the whole batch, then apply it."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from pathlib import Path

from chainkg.graph.kg import KnowledgeGraph
from chainkg.i18n import message

from .batch import LoadReport, Progress, apply_batch, validate_batch
from .records import EdgeRecord, LoadError, LoadFailed, NodeRecord, Origin
from .tabular import read_csv, read_xlsx
from .templates import read_template

READERS = {".csv": read_csv, ".xlsx": read_xlsx, ".yaml": read_template, ".yml": read_template}
#: Errors listed per file; the rest are counted in one closing line.
MAX_ERRORS_PER_FILE = 100


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


def _read_one(path: Path, encoding: str | None) -> tuple[list[NodeRecord | EdgeRecord], list[LoadError]]:
    origin = Origin(str(path))
    if not path.exists() and not path.is_symlink():
        return [], [LoadError(origin, None, message(("no_such_path", {})))]
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        return [], [LoadError(origin, None, message(("unsupported_file", {})))]
    try:
        recs, errs = reader(path, encoding=encoding)
    except LoadFailed as e:
        return [], e.errors
    except FileNotFoundError:
        return [], [LoadError(origin, None, "no such file (a broken link?)")]
    except OSError as e:
        return [], [LoadError(origin, None, f"cannot read ({e.strerror or e})")]
    return recs, cap_errors(errs)


def cap_errors(errors: list[LoadError]) -> list[LoadError]:
    """At most ``MAX_ERRORS_PER_FILE`` errors per file, the rest counted in one closing line per file."""
    per_file: dict[str, int] = {}
    out: list[LoadError] = []
    for e in errors:
        n = per_file[e.origin.file] = per_file.get(e.origin.file, 0) + 1
        if n <= MAX_ERRORS_PER_FILE:
            out.append(e)
    for file, n in per_file.items():
        if n > MAX_ERRORS_PER_FILE:
            out.append(LoadError(Origin(file), None,
                                 message(("more_errors", {"n": n - MAX_ERRORS_PER_FILE}))))
    return out


def read_paths(
    paths: Iterable[str | os.PathLike[str]], *, encoding: str | None = None
) -> tuple[list[NodeRecord | EdgeRecord], list[LoadError], list[str]]:
    """Read every file; returns (records, errors, file names). Never raises for bad content.

    ``encoding`` forces the text encoding of CSV and YAML files (``"gbk"``, ``"big5"``, ``"utf-16"`` …);
    by default each file's encoding is detected, and a file that is mixed or ambiguous is an error.
    """
    records: list[NodeRecord | EdgeRecord] = []
    errors: list[LoadError] = []
    files: list[str] = []
    for given in paths:
        given = Path(given)
        if given.is_dir() and not expand_paths([given]):
            errors.append(LoadError(Origin(str(given)), None, message(("empty_folder", {}))))
            continue
        for path in expand_paths([given]):
            files.append(str(path))
            recs, errs = _read_one(path, encoding)
            records += recs
            errors += errs
    return records, errors, files


def validate_paths(
    paths: Iterable[str | os.PathLike[str]], kg: KnowledgeGraph | None = None, *, encoding: str | None = None
) -> list[LoadError]:
    """Every problem loading ``paths`` into ``kg`` would hit (an empty graph when None).

    >>> validate_paths(["no-such.csv"])[0].reason
    'no such file or folder'
    """
    records, errors, _ = read_paths(paths, encoding=encoding)
    if errors:
        return errors
    return cap_errors(validate_batch(records, kg if kg is not None else KnowledgeGraph()))


def load_paths(
    paths: Iterable[str | os.PathLike[str]],
    kg: KnowledgeGraph,
    progress: Callable[[int], AbstractContextManager[Progress]] | None = None,
    *,
    encoding: str | None = None,
) -> LoadReport:
    """Load files into ``kg``: all or nothing. Raises :class:`LoadFailed` listing every error.

    Loading the same files twice changes nothing (records merge by id).
    ``progress(total)`` may return a context manager yielding an ``update(n)`` callable.
    ``encoding`` forces the text encoding of CSV and YAML files (see :func:`read_paths`).
    """
    records, errors, files = read_paths(paths, encoding=encoding)
    if not errors:
        errors = cap_errors(validate_batch(records, kg))
    if errors:
        raise LoadFailed(errors)
    if progress is None:
        report = apply_batch(records, kg)
    else:
        with progress(len(records)) as update:
            report = apply_batch(records, kg, update)
    report.files = files
    return report
