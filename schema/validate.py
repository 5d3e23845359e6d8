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

from chainkg.i18n import message

from .declaration import SCHEMA
from .model import NodeType, Property, RelType

_DATE = re.compile(r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$")
#: Numbers in text are plain decimals: ``1234.5``, ``-3``; a comma may only separate groups of three digits
#: before the point (``1,234.5``) and is never a decimal mark. ``1.000,5``, ``1e5``, ``nan``, ``inf``, ``0x10``
#: and full-width or other non-ASCII digits are refused rather than guessed at.
_PLAIN = re.compile(r"[+-]?[0-9]+(\.[0-9]+)?")
_GROUPED = re.compile(r"[+-]?[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?")
_SEPARATED = re.compile(r"[+-]?[0-9.,]*[0-9][0-9.,]*")
_EXPONENT = re.compile(r"[+-]?[0-9.]+[eE][+-]?[0-9]+")
MAX_NUMBER_CHARS = 40
#: Largest whole number (exact in a float and in JavaScript, so JSON, Neo4j and the HTML page agree).
MAX_WHOLE = 2**53
_TRUE = {"true", "yes", "y", "1", "是", "对", "t"}
_FALSE = {"false", "no", "n", "0", "否", "f"}
LIST_SEPARATOR = "|"


def _show(raw: Any, limit: int = 60) -> str:
    text = repr(raw[: limit * 2] if isinstance(raw, str) else raw)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _kind(raw: Any) -> str:
    if isinstance(raw, dict):
        return f"a mapping {_show(raw)}"
    if isinstance(raw, (list, tuple, set, frozenset)):
        return f"a list {_show(raw)}"
    return _show(raw)


def parse_number(raw: Any, *, whole: bool = False) -> int | float:
    """A number from a cell: plain decimals only, never a guess about separators.

    >>> parse_number(" 1,234.5 "), parse_number("-3", whole=True), parse_number(2.0, whole=True)
    (1234.5, -3, 2)
    >>> for bad in ("1.000,5", "1e400", "nan", "1,2345"):
    ...     try:
    ...         parse_number(bad)
    ...     except ValueError as e:
    ...         print(e)
    '1.000,5' is not a plain decimal number: use '.' for decimals and ',' only between groups of three digits (1,234.5)
    '1e400' is not a plain decimal number: write it without an exponent
    expected a number, got 'nan'
    '1,2345' is not a plain decimal number: use '.' for decimals and ',' only between groups of three digits (1,234.5)
    """
    what = "a whole number" if whole else "a number"
    if isinstance(raw, bool):
        raise ValueError(f"expected {what}, got {raw!r}")
    if isinstance(raw, int):
        if abs(raw) > MAX_WHOLE:
            raise ValueError(f"expected {what} of at most {MAX_WHOLE:,} in size, got {_show(raw)}")
        return raw if whole else float(raw)
    if isinstance(raw, float):
        if not math.isfinite(raw):
            raise ValueError(f"expected a finite number, got {raw!r}")
        if whole:
            if not raw.is_integer():
                raise ValueError(f"expected {what}, got {raw!r}")
            return int(raw)
        return raw
    if not isinstance(raw, str):
        raise ValueError(f"expected {what}, got {_kind(raw)}")
    s = raw.strip()
    if len(s) > MAX_NUMBER_CHARS:
        raise ValueError(f"expected {what} of at most {MAX_NUMBER_CHARS} characters, got {_show(raw)}")
    if _PLAIN.fullmatch(s):
        text = s
    elif _GROUPED.fullmatch(s):
        text = s.replace(",", "")
    elif _SEPARATED.fullmatch(s):
        raise ValueError(f"{raw!r} is not a plain decimal number: use '.' for decimals and ',' only between groups "
                         "of three digits (1,234.5)")
    elif _EXPONENT.fullmatch(s):
        raise ValueError(f"{raw!r} is not a plain decimal number: write it without an exponent")
    else:
        raise ValueError(f"expected {what}, got {_show(raw)}")
    if whole:
        if "." in text and text.split(".")[1].strip("0"):
            raise ValueError(f"expected {what}, got {raw!r}")
        return parse_number(int(text.split(".")[0]), whole=True)
    return float(text)


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
        if isinstance(raw, (list, tuple, set, frozenset, dict)):
            raise ValueError(f"expected text, got {_kind(raw)}")
        if isinstance(raw, bool):
            raise ValueError(f"expected text, got {raw!r} (quote it)")
        if isinstance(raw, float) and raw.is_integer():
            raw = int(raw)  # XLSX gives 600519 as 600519.0
        return str(raw)
    if t == "list":
        if isinstance(raw, (list, tuple)):
            for x in raw:
                if isinstance(x, (list, tuple, set, frozenset, dict)):
                    raise ValueError(f"expected a list of texts, got an item that is {_kind(x)}")
            items = [str(x).strip() for x in raw]
        elif isinstance(raw, (dict, set, frozenset)):
            raise ValueError(f"expected a list of texts, got {_kind(raw)}")
        else:
            items = [x.strip() for x in str(raw).split(LIST_SEPARATOR)]
        items = [x for x in items if x]
        return items or None
    if t == "bool":
        if isinstance(raw, bool):
            return raw
        s = str(raw).strip().lower() if isinstance(raw, (str, int)) else None
        if s in _TRUE:
            return True
        if s in _FALSE:
            return False
        raise ValueError(f"expected true/false, got {_kind(raw)}")
    if t == "int":
        return parse_number(raw, whole=True)
    if t == "float":
        return parse_number(raw)
    if t == "date":
        if isinstance(raw, _dt.datetime):
            return raw.date().isoformat()
        if isinstance(raw, _dt.date):
            return raw.isoformat()
        if (isinstance(raw, int) and not isinstance(raw, bool)) or (isinstance(raw, float) and raw.is_integer()):
            raw = str(int(raw))  # a year typed into a number cell
        if not isinstance(raw, str):
            raise ValueError(f"expected a date YYYY-MM-DD, YYYY-MM or YYYY, got {_kind(raw)}")
        s = raw.strip()
        if not _DATE.match(s):
            raise ValueError(f"expected a date YYYY-MM-DD, YYYY-MM or YYYY, got {_show(raw)}")
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
                problems.append(Problem(name, message(("is_required", {}))))
            continue
        try:
            value = coerce(prop, value)
        except ValueError as e:
            problems.append(Problem(name, str(e)))
            continue
        if value is None:
            if prop.required:
                problems.append(Problem(name, message(("is_required", {}))))
            continue
        if prop.enum:
            values = value if isinstance(value, list) else [value]
            for v in values:
                if v not in prop.enum:
                    problems.append(Problem(name, message(
                        ("not_in_enum", {"value": v, "allowed": list(prop.enum)}))))
        if prop.minimum is not None and isinstance(value, (int, float)) and value < prop.minimum:
            problems.append(Problem(name, message(
                ("below_minimum", {"minimum": f"{prop.minimum:g}", "value": f"{value:g}"}))))
    for name in props:
        if name not in known:
            problems.append(Problem(name, message(("not_a_property", {}))))
    kind = props.get("provenance")
    if kind in ("stated", "inferred") and not props.get("evidence"):
        what = "the quoted sentence" if kind == "stated" else "the reason"
        problems.append(Problem("evidence", message(("evidence_required", {"kind": kind, "what": what}))))
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
