"""Neo4j DDL derived from the schema, scoped to chainkg's own nodes.

Every node chainkg writes carries the label ``:Chainkg`` (besides its schema type) and the
property ``_graph`` (the name of the graph it belongs to, so several workspaces — cities —
share one database). The constraints and indexes are on ``:Chainkg`` and ``:ChainkgMeta``
only: they never constrain or slow down data that is not chainkg's, even when that data
uses the same labels (Region, Enterprise …) and the same ids.
"""

from __future__ import annotations

#: The label every chainkg node carries; constraints and indexes are on it alone.
OWNER_LABEL = "Chainkg"
#: The label of the one metadata node of each named graph.
META_LABEL = "ChainkgMeta"
#: The property naming the graph a node or relationship belongs to.
GRAPH_KEY = "_graph"


def legacy_statements() -> list[str]:
    """Drop what chainkg versions before named graphs created on the generic labels (it constrained foreign data).

    >>> legacy_statements()[0]
    'DROP CONSTRAINT chainkg_chain_id IF EXISTS'
    """
    from .declaration import SCHEMA

    names = [nt.name.lower() for nt in SCHEMA.node_types]
    return ([f"DROP CONSTRAINT chainkg_{n}_id IF EXISTS" for n in names]
            + [f"DROP INDEX chainkg_{n}_name IF EXISTS" for n in names])


def constraint_statements() -> list[str]:
    """Statements that create the constraints and indexes chainkg relies on (idempotent).

    Labels come from the schema declaration, never from user input.

    >>> constraint_statements()[0]
    'CREATE CONSTRAINT chainkg_node_key IF NOT EXISTS FOR (n:Chainkg) REQUIRE (n._graph, n.id) IS UNIQUE'
    """
    return [
        f"CREATE CONSTRAINT chainkg_node_key IF NOT EXISTS FOR (n:{OWNER_LABEL}) "
        f"REQUIRE (n.{GRAPH_KEY}, n.id) IS UNIQUE",
        f"CREATE CONSTRAINT chainkg_meta_key IF NOT EXISTS FOR (m:{META_LABEL}) REQUIRE m.{GRAPH_KEY} IS UNIQUE",
        f"CREATE INDEX chainkg_node_name IF NOT EXISTS FOR (n:{OWNER_LABEL}) ON (n.{GRAPH_KEY}, n.name)",
    ]
