"""Query engines: the embedded networkx graph (default) and a Neo4j server.

Both expose ``run(name, **kwargs)`` for the same query names and return the
same typed rows, so the CLI does not care which one answers.
"""

from __future__ import annotations

from typing import Any

from chainkg.graph.kg import GraphError

QUERY_NAMES = ("coverage", "missing", "weak", "extend", "dependencies", "chokepoints", "targets", "pipeline")


class NetworkxBackend:
    """Runs the plain functions of :mod:`chainkg.graph` on the embedded graph."""

    def __init__(self, kg) -> None:
        self.kg = kg

    def run(self, name: str, **kwargs: Any) -> Any:
        from chainkg.graph import queries

        if name not in QUERY_NAMES:
            raise GraphError(f"unknown query {name!r}")
        return getattr(queries, name)(self.kg, **kwargs)


def get_backend(name: str, ctx) -> Any:
    if name == "networkx":
        return NetworkxBackend(ctx.kg)
    if name == "neo4j":
        from chainkg.graph.neo4j import Neo4jBackend, Settings

        settings = getattr(ctx, "neo4j_settings", None) or Settings.from_env()
        return Neo4jBackend(settings, close_after_run=True)
    raise GraphError(f"unknown backend {name!r}")
