"""CLI commands for Neo4j: ``chainkg neo4j push|pull|wipe|status``.

Connection settings come from the group's options or the environment
(CHAINKG_NEO4J_URI, CHAINKG_NEO4J_USER, CHAINKG_NEO4J_PASSWORD,
CHAINKG_NEO4J_DATABASE); the password is never printed.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import click

from chainkg.cli_support import FORMATS, Context, emit, friendly_errors
from chainkg.output import render_json


@contextlib.contextmanager
def _progress(total: int, label: str) -> Iterator[Callable[[int], None]]:
    """A progress bar on stderr when it is a terminal; otherwise nothing."""
    if not sys.stderr.isatty():
        yield lambda n: None
        return
    with click.progressbar(length=total, label=label, file=sys.stderr) as bar:
        yield bar.update


def _settings(obj: Context):
    from chainkg.graph.neo4j import Settings

    return getattr(obj, "neo4j_settings", None) or Settings.from_env()


def _connect(obj: Context):
    from chainkg.graph.neo4j import Connection

    return Connection(_settings(obj))


@click.group("neo4j")
@click.option("--uri", envvar="CHAINKG_NEO4J_URI", help="Bolt URI (env CHAINKG_NEO4J_URI; default "
              "bolt://127.0.0.1:7687).")
@click.option("--user", envvar="CHAINKG_NEO4J_USER", help="User (env CHAINKG_NEO4J_USER; default neo4j).")
@click.option("--password", envvar="CHAINKG_NEO4J_PASSWORD", show_default=False, show_envvar=False,
              help="Password (better: env CHAINKG_NEO4J_PASSWORD). None: connect without auth.")
@click.option("--ask-password", is_flag=True, help="Prompt for the password (not echoed).")
@click.option("--database", envvar="CHAINKG_NEO4J_DATABASE", help="Database (env CHAINKG_NEO4J_DATABASE; "
              "default neo4j).")
@click.pass_obj
def neo4j(obj: Context, uri: str | None, user: str | None, password: str | None, ask_password: bool,
          database: str | None) -> None:
    """Keep the graph in a Neo4j server: push it, pull it back, wipe it, check the connection.

    Queries run on Neo4j with `chainkg --backend neo4j …` (settings from the environment).

    \b
    Example:
      chainkg neo4j push                      # the bundled Kunming graph (or --graph FILE)
      chainkg --backend neo4j gaps missing
      chainkg neo4j pull --into city.json
      CHAINKG_NEO4J_URI=bolt://db:7687 CHAINKG_NEO4J_PASSWORD=… chainkg neo4j status
    """
    from chainkg.graph.neo4j import Settings

    if ask_password:
        password = click.prompt("Neo4j password", hide_input=True, err=True)
    obj.neo4j_settings = Settings.from_env(uri=uri or None, user=user or None, password=password or None,
                                           database=database or None)


@neo4j.command()
@click.option("--batch-size", type=click.IntRange(min=1), default=5000, show_default=True,
              help="Rows per transaction.")
@click.option("--replace", is_flag=True, help="Delete chainkg's nodes in the database first (asks unless --yes).")
@click.option("--yes", is_flag=True, help="Do not ask before --replace deletes.")
@click.pass_obj
@friendly_errors
def push(obj: Context, batch_size: int, replace: bool, yes: bool) -> None:
    """Push the graph (--graph FILE, or the bundled Kunming graph) into Neo4j.

    Constraints and indexes first, then nodes and relationships in batches, merged by id: pushing twice
    leaves the same graph, and re-running a push that stopped part-way completes it.

    \b
    Example:
      chainkg neo4j push
      chainkg --graph city.json neo4j push --replace --yes
    """
    from chainkg.graph.neo4j import push as push_graph
    from chainkg.graph.neo4j import wipe
    from chainkg.graph.neo4j.store import count_nodes

    kg = obj.kg
    with _connect(obj) as conn:
        if replace:
            if not yes:
                click.confirm(f"Delete every chainkg node in Neo4j database {conn.settings.database!r} at "
                              f"{conn.settings.where} before pushing?", abort=True, err=True)
            wipe(conn)
        total = kg.g.number_of_nodes() + kg.g.number_of_edges()
        with _progress(total, "pushing") as bar:
            report = push_graph(kg, conn, batch_size=batch_size, progress=bar)
        click.echo(f"pushed {obj.graph_label}: {report.nodes} nodes, {report.relationships} relationships "
                   f"to {conn.settings.where} (database {conn.settings.database}) in {report.seconds:.1f} s "
                   f"({report.rows_per_second:,.0f} rows/s)")
        extra = sum(count_nodes(conn).values()) - report.nodes
        if extra > 0:
            click.echo(f"note: the database also holds {extra} chainkg nodes that are not in this graph "
                       "(from earlier pushes); queries see them too. `chainkg neo4j push --replace` mirrors "
                       "this graph exactly.", err=True)


@neo4j.command()
@click.option("--into", "into", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Workspace file to write.")
@click.option("--force", is_flag=True, help="Overwrite the file if it exists.")
@click.pass_obj
@friendly_errors
def pull(obj: Context, into: Path, force: bool) -> None:
    """Read the graph from Neo4j into a workspace file (the same graph that was pushed).

    \b
    Example:
      chainkg neo4j pull --into city.json
      chainkg --graph city.json gaps missing
    """
    from chainkg.graph.kg import GraphError
    from chainkg.graph.neo4j import pull as pull_graph
    from chainkg.graph.workspace import save

    if into.exists() and not force:
        raise GraphError(f"{into} exists; pass --force to overwrite it")
    with _connect(obj) as conn:
        kg = pull_graph(conn)
        where = conn.settings.where
    save(kg, into)
    click.echo(f"{into}: {len(kg)} nodes, {kg.g.number_of_edges()} relationships from {where}")


@neo4j.command()
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.pass_obj
@friendly_errors
def wipe(obj: Context, yes: bool) -> None:
    """Delete every chainkg node (and its relationships) from the Neo4j database. Other data is left alone.

    \b
    Example:
      chainkg neo4j wipe
      chainkg neo4j wipe --yes
    """
    from chainkg.graph.neo4j import wipe as wipe_graph

    with _connect(obj) as conn:
        if not yes:
            click.confirm(f"Delete every chainkg node in Neo4j database {conn.settings.database!r} at "
                          f"{conn.settings.where}?", abort=True, err=True)
        n = wipe_graph(conn)
        click.echo(f"deleted {n} nodes from {conn.settings.where} (database {conn.settings.database})")


@neo4j.command()
@click.option("--format", "fmt", type=FORMATS, default="table", show_default=True)
@click.pass_obj
@friendly_errors
def status(obj: Context, fmt: str) -> None:
    """Check the connection and show what chainkg holds in Neo4j.

    \b
    Example:
      chainkg neo4j status
    """
    from chainkg.graph.neo4j import status as graph_status

    with _connect(obj) as conn:
        data = graph_status(conn)
    if fmt == "json":
        click.echo(render_json(data))
        return
    if fmt == "csv":
        rows = [{"section": "label", "name": k, "count": v} for k, v in data["by_label"].items()]
        rows += [{"section": "type", "name": k, "count": v} for k, v in data["by_type"].items()]
        emit(rows, "csv")
        return
    server = data["server"]
    click.echo(f"Neo4j {server.get('version', '?')} {server.get('edition', '')} at {data['uri']} "
               f"(database {data['database']})")
    if not data["nodes"]:
        click.echo("no chainkg graph here yet (chainkg neo4j push)")
        return
    state = {True: "complete", False: "INCOMPLETE (run the push again)", None: "unknown"}[data["last_push_complete"]]
    click.echo(f"graph: {data['graph'] or '—'}; home region {data['home_region'] or '—'}; "
               f"last push {data['pushed_at'] or '—'} ({state})")
    click.echo(f"{data['nodes']} nodes, {data['relationships']} relationships\n")
    emit([{"label": k, "count": v} for k, v in data["by_label"].items()], "table")
    click.echo()
    emit([{"relationship": k, "count": v} for k, v in data["by_type"].items()], "table")

#: The commands this module adds to ``chainkg`` (registered by :mod:`chainkg.cli`).
COMMANDS = [neo4j]
