"""The embedded graph engine (networkx) and the queries over it."""

from .kg import Edge, GraphError, KnowledgeGraph, SchemaError, graph_signature
from .workspace import load, save

__all__ = ["Edge", "GraphError", "KnowledgeGraph", "SchemaError", "graph_signature", "load", "save"]
