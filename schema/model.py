"""The building blocks a schema is declared with.

A :class:`Schema` is plain data: node types, relationship types and their
properties. Validation, Neo4j DDL, the HTML legend and the docs are all
derived from one instance of it (``chainkg.schema.SCHEMA``), so nothing about
the data model is written down twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from chainkg.errors import UnknownType

PropType = Literal["str", "int", "float", "bool", "date", "list"]


@dataclass(frozen=True)
class Property:
    """One property of a node or relationship type."""

    name: str
    type: PropType = "str"
    required: bool = False
    enum: tuple[str, ...] = ()
    #: Other column headers accepted for this property in tabular files (Chinese first).
    aliases: tuple[str, ...] = ()
    description: str = ""
    #: For numbers: smallest allowed value (amounts must not be negative).
    minimum: float | None = None
    #: The node type this property refers to by id (validated like an edge end).
    ref: str | None = None


@dataclass(frozen=True)
class NodeType:
    name: str
    zh: str
    description: str
    properties: tuple[Property, ...]
    color: str
    shape: str = "dot"
    #: Whether nodes of this type must carry provenance (a Source describes itself).
    needs_provenance: bool = True
    #: File names (without extension) and sheet names recognised for this type.
    file_names: tuple[str, ...] = ()

    def prop(self, name: str) -> Property | None:
        for p in self.properties:
            if p.name == name:
                return p
        return None


@dataclass(frozen=True)
class RelType:
    name: str
    zh: str
    description: str
    sources: tuple[str, ...]
    targets: tuple[str, ...]
    properties: tuple[Property, ...] = ()
    file_names: tuple[str, ...] = ()

    def prop(self, name: str) -> Property | None:
        for p in self.properties:
            if p.name == name:
                return p
        return None


@dataclass(frozen=True)
class Schema:
    node_types: tuple[NodeType, ...]
    rel_types: tuple[RelType, ...]
    #: Properties every node and relationship may carry (provenance, aliases …).
    common: tuple[Property, ...]
    provenance_kinds: tuple[str, ...]
    _by_name: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        for t in self.node_types:
            self._by_name["node:" + t.name] = t
        for r in self.rel_types:
            self._by_name["rel:" + r.name] = r

    def node_type(self, name: str) -> NodeType:
        try:
            return self._by_name["node:" + name]
        except KeyError:
            raise UnknownType(f"unknown node type {name!r}", _close(name, [t.name for t in self.node_types])) from None

    def rel_type(self, name: str) -> RelType:
        try:
            return self._by_name["rel:" + name]
        except KeyError:
            known = [r.name for r in self.rel_types]
            raise UnknownType(f"unknown relationship type {name!r}", _close(name, known)) from None

    def node_type_names(self, names: Any) -> set[str] | None:
        """Node type names from English or Chinese names (any case; comma-separated allowed), or None for none.

        An unknown name is an :class:`~chainkg.errors.UnknownType` that lists the close ones.
        """
        if not names:
            return None
        by: dict[str, str] = {}
        for t in self.node_types:
            by[t.name.lower()] = t.name
            by[t.zh] = t.name
        out = set()
        for n in [names] if isinstance(names, str) else names:
            for part in str(n).replace("，", ",").split(","):
                part = part.strip()
                if not part:
                    continue
                if part.lower() not in by:
                    close = _close(part, [t.name for t in self.node_types])
                    known = "" if close else "; known types: " + ", ".join(f"{t.name} ({t.zh})"
                                                                            for t in self.node_types)
                    raise UnknownType(f"unknown node type {part!r}{known}", close)
                out.add(by[part.lower()])
        return out or None

    def has_node_type(self, name: str) -> bool:
        return "node:" + name in self._by_name

    def has_rel_type(self, name: str) -> bool:
        return "rel:" + name in self._by_name

    def common_prop(self, name: str) -> Property | None:
        for p in self.common:
            if p.name == name:
                return p
        return None


def _close(name: str, names: list[str]) -> list[str]:
    """Declared type names close to ``name`` (any case)."""
    import difflib

    by_lower = {n.lower(): n for n in names}
    return [by_lower[m] for m in difflib.get_close_matches(str(name).lower(), list(by_lower), n=3, cutoff=0.6)]
