"""Neo4j DDL derived from the schema: one uniqueness constraint per node label, name indexes."""

from __future__ import annotations

from .declaration import SCHEMA


def constraint_statements() -> list[str]:
    """Statements that create the constraints and indexes chainkg relies on (idempotent).

    Labels come from the schema declaration, never from user input.

    >>> constraint_statements()[0]
    'CREATE CONSTRAINT chainkg_chain_id IF NOT EXISTS FOR (n:Chain) REQUIRE n.id IS UNIQUE'
    """
    out = []
    for nt in SCHEMA.node_types:
        out.append(
            f"CREATE CONSTRAINT chainkg_{nt.name.lower()}_id IF NOT EXISTS "
            f"FOR (n:{nt.name}) REQUIRE n.id IS UNIQUE"
        )
    for nt in SCHEMA.node_types:
        if nt.prop("name") is not None:
            out.append(f"CREATE INDEX chainkg_{nt.name.lower()}_name IF NOT EXISTS FOR (n:{nt.name}) ON (n.name)")
    return out
