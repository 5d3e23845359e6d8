"""What a loader reads, before it touches a graph: records with their origin, and errors."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from chainkg.errors import InputError


@dataclass(frozen=True)
class Origin:
    """Where a record came from: file, row (1-based, header is row 1) and sheet (XLSX)."""

    file: str
    row: int | None = None
    sheet: str | None = None

    def __str__(self) -> str:
        where = self.file + (f"[{self.sheet}]" if self.sheet else "")
        return where + (f", row {self.row}" if self.row is not None else "")


@dataclass(frozen=True)
class LoadError:
    """One problem: file, row, column and a reason a person can act on."""

    origin: Origin
    column: str | None
    reason: str

    def __str__(self) -> str:
        col = f", column {self.column}" if self.column else ""
        return f"{self.origin}{col}: {self.reason}"


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
