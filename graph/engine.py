"""What a query engine must provide, and the embedded one.

An engine answers a registered query by name (:data:`chainkg.graph.queries.QUERIES`)
with the rows that query's module defines. It only *gathers facts* — Python over
the adjacency dicts, or Cypher on a server — and hands them to the module's row
builders, so every engine returns the same rows (the parity tests check this for
every registered query).
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator
from typing import Any, Protocol, runtime_checkable

from chainkg.errors import NotFoundError

from .kg import KnowledgeGraph


@runtime_checkable
class Engine(Protocol):
    """Runs registered queries: ``run("missing", region=…, chain=…)`` → rows."""

    def run(self, query: str, **kwargs: Any) -> Any: ...


def check_query(name: str) -> None:
    """Raise :class:`NotFoundError` unless ``name`` is a registered query."""
    from .queries import QUERIES

    if name not in QUERIES:
        raise NotFoundError(f"unknown query {name!r}", sorted(QUERIES))


@contextlib.contextmanager
def no_cyclic_gc() -> Iterator[None]:
    """Run a query with the cyclic garbage collector paused (re-enabled after, if it was on).

    A query allocates hundreds of thousands of small, acyclic objects (rows, dicts, strings); each of them
    triggers the collector's counters, and every few thousand allocations it walks the young objects — and
    every tenth time all the old ones too: the engine's fetched facts, or a graph that was not frozen. At 100k
    firms that was 40 % of ``targets`` on Neo4j (target_rows 3.5 → 1.3–2.0 s). Reference counting still frees
    everything a query drops; cycles wait for the next collection.
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


class NetworkxEngine:
    """The embedded engine: runs each query's function on an in-memory graph.

    >>> from chainkg.graph.examples import toy_chain
    >>> [r.segment for r in NetworkxEngine(toy_chain()).run("weak")]
    ['电芯']
    """

    def __init__(self, kg: KnowledgeGraph) -> None:
        self.kg = kg

    def run(self, query: str, **kwargs: Any) -> Any:
        from .queries import QUERIES

        check_query(query)
        with no_cyclic_gc():
            return QUERIES[query].function(self.kg, **kwargs)
