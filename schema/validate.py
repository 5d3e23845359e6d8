"""Record validation derived from the schema declaration.

Two layers:

* :func:`coerce` turns a raw cell (text from CSV/XLSX/YAML) into the typed
  value a property declares, or raises :class:`ValueError` with a reason a
  person can act on;
* :func:`check_node` / :func:`check_edge` check a typed record against its
  type (required fields, enums, minimums, provenance rules) and return every
  problem found, never just the first.

Cross-record rules (unknown references, duplicate ids, FEEDS cycles) need the
whole batch and live in :mod:`chainkg.loaders.validation`.
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from dataclasses import dataclass
from typing import Any

from .declaration import SCHEMA
from .model import NodeType, Property, RelType

_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_TRUE = {"true", "yes", "y", "1", "是", "对", "t"}
_FALSE = {"false", "no", "n", "0", "否", "f"}
LIST_SEPARATOR = "|"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one field of one record."""

    field: str
    reason: str


def coerce(prop: Property, raw: Any) -> Any:
    """Convert ``raw`` to the declared type of ``prop``.

    Empty strings and ``None`` become ``None`` (absent). Lists accept a
    Python list or a ``|``-separated string.

    >>> from chainkg.schema import SCHEMA
    >>> coerce(SCHEMA.node_type("Project").prop("agreed_amount"), " 12.5 ")
    12.5
    >>> coerce(SCHEMA.node_type("Enterprise").prop("lists"), "世界500强|上市")
    ['世界500强', '上市']
    """
    if raw is None:
        return None
    if isinstance(raw, str):
        raw = raw.strip()
        if raw == "":
            return None
    t = prop.type
    if t == "str":
        if isinstance(raw, float) and raw.is_integer():
            raw = int(raw)  # XLSX gives 600519 as 600519.0
        return str(raw)
    if t == "list":
        if isinstance(raw, (list, tuple)):
            items = [str(x).strip() for x in raw]
        else:
            items = [x.strip() for x in str(raw).split(LIST_SEPARATOR)]
        items = [x for x in items if x]
        return items or None
    if t == "bool":
        if isinstance(raw, bool):
            return raw
        s = str(raw).strip().lower()
        if s in _TRUE:
            return True
        if s in _FALSE:
            return False
        raise ValueError(f"expected true/false, got {raw!r}")
    if t == "int":
        if isinstance(raw, bool):
            raise ValueError(f"expected a whole number, got {raw!r}")
        try:
            f = float(str(raw).replace(",", ""))
        except ValueError:
            raise ValueError(f"expected a whole number, got {raw!r}") from None
        if not f.is_integer():
            raise ValueError(f"expected a whole number, got {raw!r}")
        return int(f)
    if t == "float":
        if isinstance(raw, bool):
            raise ValueError(f"expected a number, got {raw!r}")
        try:
            f = float(str(raw).replace(",", ""))
        except ValueError:
            raise ValueError(f"expected a number, got {raw!r}") from None
        if math.isnan(f) or math.isinf(f):
            raise ValueError(f"expected a finite number, got {raw!r}")
        return f
    if t == "date":
        if isinstance(raw, _dt.datetime):
            return raw.date().isoformat()
        if isinstance(raw, _dt.date):
            return raw.isoformat()
        s = str(raw).strip()
        if not _DATE.match(s):
            raise ValueError(f"expected a date YYYY-MM-DD, YYYY-MM or YYYY, got {raw!r}")
        parts = [int(x) for x in s.split("-")]
        try:
            _dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
        except ValueError:
            raise ValueError(f"no such date: {raw!r}") from None
        return s
    raise AssertionError(f"unhandled property type {t}")  # pragma: no cover


def _check_props(
    props: dict[str, Any], declared: tuple[Property, ...], *, edge: bool
) -> list[Problem]:
    problems: list[Problem] = []
    known = {p.name: p for p in declared}
    for p in SCHEMA.common:
        if edge and p.name == "id":
            continue
        known[p.name] = p
    for name, prop in known.items():
        value = props.get(name)
        if value is None:
            if prop.required:
                problems.append(Problem(name, "is required"))
            continue
        try:
            value = coerce(prop, value)
        except ValueError as e:
            problems.append(Problem(name, str(e)))
            continue
        if value is None:
            if prop.required:
                problems.append(Problem(name, "is required"))
            continue
        if prop.enum:
            values = value if isinstance(value, list) else [value]
            for v in values:
                if v not in prop.enum:
                    problems.append(Problem(name, f"{v!r} is not one of {', '.join(prop.enum)}"))
        if prop.minimum is not None and isinstance(value, (int, float)) and value < prop.minimum:
            problems.append(Problem(name, f"must be ≥ {prop.minimum:g}, got {value:g}"))
    for name in props:
        if name not in known:
            problems.append(Problem(name, "is not a property of this type"))
    kind = props.get("provenance")
    if kind in ("stated", "inferred") and not props.get("evidence"):
        what = "the quoted sentence" if kind == "stated" else "the reason"
        problems.append(Problem("evidence", f"is required when provenance is {kind} ({what})"))
    return problems


def check_node(node_type: NodeType | str, props: dict[str, Any]) -> list[Problem]:
    """Every problem with a node record of ``node_type`` (empty list: valid).

    >>> check_node("Chain", {"id": "c1", "name": "生物医药", "verified": True,
    ...     "provenance": "stated", "source": "s1"})
    [Problem(field='evidence', reason='is required when provenance is stated (the quoted sentence)')]
    """
    nt = SCHEMA.node_type(node_type) if isinstance(node_type, str) else node_type
    if not nt.needs_provenance:
        props = {"provenance": "stated", "source": props.get("id"), "evidence": "-", **props}
    return _check_props(props, nt.properties, edge=False)


def check_edge(
    rel: RelType | str, props: dict[str, Any], source_type: str | None, target_type: str | None
) -> list[Problem]:
    """Every problem with a relationship record, including disallowed endpoint types."""
    rt = SCHEMA.rel_type(rel) if isinstance(rel, str) else rel
    problems = _check_props(props, rt.properties, edge=True)
    if source_type is not None and source_type not in rt.sources:
        problems.append(
            Problem("from", f"{rt.name} must start at {'/'.join(rt.sources)}, not {source_type}")
        )
    if target_type is not None and target_type not in rt.targets:
        problems.append(Problem("to", f"{rt.name} must end at {'/'.join(rt.targets)}, not {target_type}"))
    return problems


def normalise(declared: tuple[Property, ...], props: dict[str, Any], *, edge: bool) -> dict[str, Any]:
    """Coerce every known property and drop absent ones (assumes the record is valid)."""
    known = {p.name: p for p in declared}
    for p in SCHEMA.common:
        if not (edge and p.name == "id"):
            known[p.name] = p
    out: dict[str, Any] = {}
    for name, value in props.items():
        prop = known.get(name)
        v = coerce(prop, value) if prop else value
        if v is not None:
            out[name] = v
    return out
