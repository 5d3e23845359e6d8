"""Shared set-up for the Neo4j tests (no tests here).

The tests use only the server named by CHAINKG_TEST_NEO4J_URI (password, if
any, in CHAINKG_TEST_NEO4J_PASSWORD), never the user's CHAINKG_NEO4J_URI: a test
run must not touch a server it was not given for testing (.ci/run starts one and
sets it). Without it, or when it does not answer, they skip with the reason,
except under CI=true, where they fail: CI starts Neo4j first, so a missing server
there is a broken build. The tests work in the named graph ``chainkg-test`` and
wipe only that graph.
"""

from __future__ import annotations

import os
from typing import Any

import pytest

from chainkg.graph.kg import GraphError, KnowledgeGraph


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() == "true"


def skip_or_fail(reason: str) -> None:
    if in_ci():
        pytest.fail(f"{reason} (CI=true: the Neo4j tests must run, not skip)", pytrace=False)
    pytest.skip(reason)


TEST_URI = "CHAINKG_TEST_NEO4J_URI"
TEST_PASSWORD = "CHAINKG_TEST_NEO4J_PASSWORD"
TEST_GRAPH = "chainkg-test"


def require_neo4j():
    """Settings of the test server (CHAINKG_TEST_NEO4J_URI) when it answers, or skip/fail with the reason."""
    try:
        from chainkg.graph.neo4j import Connection, Settings
    except ImportError as e:  # pragma: no cover - the driver is a dependency
        skip_or_fail(f"the neo4j driver is not installed ({e})")
    uri = os.environ.get(TEST_URI)
    if not uri:
        skip_or_fail(f"{TEST_URI} is not set: the neo4j tests run only against a server started for them "
                     "(services/neo4j/neo4j-server start --port 7697 --data /tmp/neo4j-test; "
                     f"export {TEST_URI}=bolt://127.0.0.1:7697)")
    settings = Settings.from_env({}, uri=uri, password=os.environ.get(TEST_PASSWORD) or None, graph=TEST_GRAPH)
    try:
        Connection(settings).close()
    except GraphError as e:
        skip_or_fail(f"no Neo4j server for the neo4j tests: {e} "
                     "(start one with services/neo4j/neo4j-server start)")
    return settings


def load(conn, kg: KnowledgeGraph) -> None:
    """Make the database hold exactly ``kg``."""
    from chainkg.graph.neo4j import push, wipe

    wipe(conn)
    push(kg, conn, batch_size=97)  # odd size: several batches per label even on small graphs


def outcome(fn, *args: Any, **kwargs: Any) -> tuple:
    """A query's rows as plain dicts, or the error it raised (type and message)."""
    try:
        result = fn(*args, **kwargs)
    except (GraphError, ValueError) as e:
        return ("error", type(e).__name__, str(e))
    if hasattr(result, "as_dict"):
        return ("ok", result.as_dict())
    return ("ok", [r.as_dict() for r in result])
