"""Choosing the engine a CLI command runs its query on: the embedded graph (default) or a Neo4j server."""

from __future__ import annotations

from typing import Any

from chainkg.errors import NotFoundError
from chainkg.graph.engine import Engine, NetworkxEngine


def get_backend(name: str, ctx: Any) -> Engine:
    if name == "networkx":
        return NetworkxEngine(ctx.kg)
    if name == "neo4j":
        from chainkg.graph.neo4j import Neo4jBackend, Settings

        settings = getattr(ctx, "neo4j_settings", None) or Settings.from_env()
        return Neo4jBackend(settings, close_after_run=True)
    raise NotFoundError(f"unknown backend {name!r}", ["networkx", "neo4j"])
