"""Neo4j as a second home for the graph: push/pull/wipe, and every analyst query answered in Cypher.

>>> from chainkg.graph.neo4j import Settings
>>> Settings.from_env({"CHAINKG_NEO4J_URI": "bolt://db:7687"}).uri
'bolt://db:7687'
"""

from .backend import Neo4jBackend
from .connection import Connection, Neo4jAuthFailed, Neo4jFailure, Neo4jUnreachable, Settings, redact
from .store import DEFAULT_BATCH, PushFailed, PushReport, pull, push, status, wipe

__all__ = [
    "DEFAULT_BATCH",
    "Connection",
    "Neo4jAuthFailed",
    "Neo4jBackend",
    "Neo4jFailure",
    "Neo4jUnreachable",
    "PushFailed",
    "PushReport",
    "Settings",
    "pull",
    "push",
    "redact",
    "status",
    "wipe",
]
