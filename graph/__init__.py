"""The embedded graph engine (networkx) and the queries over it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__all__ = ["Edge", "GraphError", "KnowledgeGraph", "SchemaError", "graph_signature", "load", "save"]

if TYPE_CHECKING:
    from .kg import Edge, GraphError, KnowledgeGraph, SchemaError, graph_signature
    from .workspace import load, save


def __getattr__(name: str) -> Any:
    # Imported on first use, so importing a submodule (or `chainkg --help`) does not load networkx.
    if name in ("Edge", "GraphError", "KnowledgeGraph", "SchemaError", "graph_signature"):
        from . import kg

        return getattr(kg, name)
    if name in ("load", "save"):
        from . import workspace

        return getattr(workspace, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
