"""chainkg: an industrial-chain knowledge graph (产业链知识图谱) for city investment promotion (招商引资)."""

from chainkg.graph import GraphError, KnowledgeGraph, load, save

__version__ = "0.1.0"

__all__ = ["GraphError", "KnowledgeGraph", "__version__", "load", "save"]
