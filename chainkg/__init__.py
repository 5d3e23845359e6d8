"""chainkg: an industrial-chain knowledge graph (产业链知识图谱) for city investment promotion (招商引资)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = ["GraphError", "KnowledgeGraph", "__version__", "load", "save"]

if TYPE_CHECKING:
    from chainkg.graph import GraphError, KnowledgeGraph, load, save


def __getattr__(name: str) -> Any:
    # Imported on first use: `chainkg --help` and commands that never touch a graph skip networkx.
    if name in ("GraphError", "KnowledgeGraph", "load", "save"):
        from chainkg import graph

        return getattr(graph, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
