"""CLI commands for Neo4j: ``chainkg neo4j push|pull|wipe|status``.

Connection settings come from the group's options or the environment
(CHAINKG_NEO4J_URI, CHAINKG_NEO4J_USER, CHAINKG_NEO4J_PASSWORD,
CHAINKG_NEO4J_DATABASE); the password is never printed.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path

import click

from chainkg.cli_support import FORMATS, Context, emit, friendly_errors, neo4j_options, wide_option
from chainkg.output import render_json


@contextlib.contextmanager
def _pushing(nodes: int, relationships: int) -> Iterator[Callable[[int], None]]:
    """Progress of a push (chainkg.progress): preparing, then nodes, then relationships (batches never mix)."""
    from chainkg import progress

    with progress.task("正在准备推送 {nodes:,} 个节点、{rels:,} 条关系…",
                       "Preparing to push {nodes:,} nodes, {rels:,} relationships…",
                       nodes=nodes, rels=relationships) as task:
        phase = ["prepare"]

        def step(n: int) -> None:
            if phase[0] == "prepare":
                phase[0] = "nodes"
                task.stage("正在推送到 Neo4j：{done:,} / {total:,} 个节点",
                           "Pushing to Neo4j: {done:,} / {total:,} nodes", total=nodes)
            elif phase[0] == "nodes" and task.done >= nodes:
                phase[0] = "relationships"
                task.stage("正在推送到 Neo4j：{done:,} / {total:,} 条关系",
                           "Pushing to Neo4j: {done:,} / {total:,} relationships", total=relationships)
            task.done += n

        yield step


def _settings(obj: Context):
    return obj.neo4j_settings


def _connect(obj: Context):
    from chainkg.graph.neo4j import Connection

    return Connection(_settings(obj))


@click.group("neo4j")
@neo4j_options
@click.pass_obj
def neo4j(obj: Context, **options: object) -> None:
    """Keep graphs in a Neo4j server: push them, pull them back, wipe them, run Cypher, check the connection.

    Each graph has a name (--name, env CHAINKG_NEO4J_GRAPH; default 'default'), so several cities share one
    database; chainkg's nodes carry the label :Chainkg and the property _graph, and chainkg never reads,
    changes or deletes anything else. The connection options (--uri, --user, --password, --ask-password,
    --database, --name) work here and before any command (`chainkg --uri … --backend neo4j gaps missing`);
    the environment (CHAINKG_NEO4J_URI, _USER, _PASSWORD, _DATABASE, _GRAPH) fills the rest.

    \b
    Example:
      chainkg neo4j push --name kunming       # the bundled Kunming graph (or --graph FILE)
      chainkg --backend neo4j --name kunming gaps missing
      chainkg neo4j --name kunming pull --into city.json
      CHAINKG_NEO4J_URI=bolt+s://db:7687 CHAINKG_NEO4J_PASSWORD=… chainkg neo4j status
    """
    obj.set_neo4j_options(**options)  # type: ignore[arg-type]


@neo4j.command()
@click.option("--batch-size", type=click.IntRange(min=1), default=5000, show_default=True,
              help="Rows per transaction.")
@click.option("--replace", is_flag=True, help="Delete chainkg's nodes in the database first (asks unless --yes).")
@click.option("--yes", is_flag=True, help="Do not ask before --replace deletes.")
@neo4j_options
@click.pass_obj
@friendly_errors
def push(obj: Context, batch_size: int, replace: bool, yes: bool, **options: object) -> None:
    """Push the graph (--graph FILE, or the bundled Kunming graph) into Neo4j.

    Constraints and indexes first, then nodes and relationships in batches, merged by id: pushing twice
    leaves the same graph, and re-running a push that stopped part-way completes it.

    \b
    Example:
      chainkg neo4j push
      chainkg --graph city.json neo4j push --replace --yes
    """
    obj.set_neo4j_options(**options)  # type: ignore[arg-type]
    from chainkg.graph.neo4j import push as push_graph
    from chainkg.graph.neo4j import wipe
    from chainkg.graph.neo4j.store import count_nodes

    kg = obj.kg
    with _connect(obj) as conn:
        if replace:
            if not yes:
                click.confirm(f"Delete chainkg's graph {conn.settings.graph!r} in Neo4j database "
                              f"{conn.settings.database!r} at {conn.settings.where} before pushing?",
                              abort=True, err=True)
            wipe(conn)
        with _pushing(kg.g.number_of_nodes(), kg.g.number_of_edges()) as step:
            report = push_graph(kg, conn, batch_size=batch_size, progress=step)
        click.echo(f"pushed {obj.graph_label}: {report.nodes} nodes, {report.relationships} relationships "
                   f"to {conn.settings.where} (database {conn.settings.database}, graph {conn.settings.graph}) "
                   f"in {report.seconds:.1f} s "
                   f"({report.rows_per_second:,.0f} rows/s)")
        extra = sum(count_nodes(conn).values()) - report.nodes
        if extra > 0:
            click.echo(f"note: graph {conn.settings.graph!r} also holds {extra} nodes that are not in this "
                       "workspace (from earlier pushes); queries see them too. `chainkg neo4j push --replace` "
                       "mirrors this workspace exactly.", err=True)


def _server_script() -> Path:
    import os

    given = os.environ.get("CHAINKG_NEO4J_SERVER")
    path = Path(given) if given else Path(__file__).resolve().parents[1] / "services" / "neo4j" / "neo4j-server"
    if not path.exists():
        from chainkg.graph.kg import GraphError

        raise GraphError(f"no neo4j-server script at {path}; set CHAINKG_NEO4J_SERVER to services/neo4j/neo4j-server")
    return path


@neo4j.command("import")
@click.option("--data", "data", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Instance dir of a local, stopped server (neo4j-server --data DIR).")
@click.option("--port", type=int, help="Its port (default: the one it last ran on).")
@click.option("--files", type=click.Path(file_okay=False, path_type=Path),
              help="Keep the CSV files here (default: a temporary dir, removed afterwards).")
@click.option("--yes", is_flag=True, help="Do not ask before replacing the database.")
@neo4j_options
@click.pass_obj
@friendly_errors
def import_(obj: Context, data: Path, port: int | None, files: Path | None, yes: bool, **options: object) -> None:
    """Initial load at import speed: the graph into a local, stopped server with neo4j-admin's importer.

    Replaces the whole database `neo4j` of that instance (the importer writes a new store), so use it for
    the first load of a big workspace; then start the server and run `chainkg neo4j schema` (constraints
    and indexes come after the data). Later changes: `chainkg neo4j push`.

    \b
    Example:
      services/neo4j/neo4j-server stop --port 7687
      chainkg --graph big.json neo4j import --data services/neo4j/run/7687 --name kunming --yes
      services/neo4j/neo4j-server start --port 7687 && chainkg neo4j schema
    """
    import subprocess
    import tempfile
    import time

    from chainkg import progress
    from chainkg.graph.kg import GraphError
    from chainkg.graph.neo4j.bulk import write_import_files

    obj.set_neo4j_options(**options)  # type: ignore[arg-type]
    settings = obj.neo4j_settings
    if port is None:
        try:
            port = int((data / "neo4j.port").read_text().strip())
        except (OSError, ValueError):
            raise GraphError(f"{data} is not an instance dir of neo4j-server (no neo4j.port); pass --port") from None
    if not yes:
        click.confirm(f"Replace the whole database 'neo4j' in {data} with graph {settings.graph!r}?", abort=True,
                      err=True)
    kg = obj.kg
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="chainkg-import-") as tmp:
        with progress.task("正在写入导入文件：{nodes:,} 个节点…", "Writing import files: {nodes:,} nodes…",
                           nodes=len(kg)):
            out = write_import_files(kg, files or Path(tmp), settings.graph)
        with progress.task("正在用 neo4j-admin 导入 {nodes:,} 个节点、{rels:,} 条关系…",
                           "Importing {nodes:,} nodes, {rels:,} relationships with neo4j-admin…",
                           nodes=out.nodes, rels=out.relationships):
            done = subprocess.run([str(_server_script()), "import", "--port", str(port), "--data", str(data), "--",
                                   *out.args], capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        lines = [x for x in (done.stderr or done.stdout).strip().splitlines() if x.strip()]
        raise GraphError(f"the import failed: {lines[-1] if lines else 'exit code ' + str(done.returncode)}")
    rows = out.nodes + out.relationships
    click.echo(f"imported {obj.graph_label}: {out.nodes} nodes, {out.relationships} relationships into {data} "
               f"(graph {settings.graph}) in {seconds:.1f} s ({rows / seconds:,.0f} rows/s); start the server "
               "and run `chainkg neo4j schema`")


@neo4j.command()
@neo4j_options
@click.pass_obj
@friendly_errors
def schema(obj: Context, **options: object) -> None:
    """Create chainkg's constraints and indexes (on :Chainkg only), wait until they are online, finish an import.

    Push does this itself; run it after `chainkg neo4j import` (it also sets what the importer cannot write
    and marks the imported graph complete).
    """
    from chainkg.graph.neo4j.store import finish_import

    obj.set_neo4j_options(**options)  # type: ignore[arg-type]
    with _connect(obj) as conn:
        finished = finish_import(conn)
        click.echo(f"constraints and indexes online at {conn.settings.where} (database {conn.settings.database})"
                   + (f"; imported graph {conn.settings.graph!r} complete" if finished else ""))


@neo4j.command()
@click.option("--into", "into", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Workspace file to write.")
@click.option("--force", is_flag=True, help="Overwrite the file if it exists.")
@neo4j_options
@click.pass_obj
@friendly_errors
def pull(obj: Context, into: Path, force: bool, **options: object) -> None:
    """Read the graph from Neo4j into a workspace file (the same graph that was pushed).

    \b
    Example:
      chainkg neo4j pull --into city.json
      chainkg --graph city.json gaps missing
    """
    obj.set_neo4j_options(**options)  # type: ignore[arg-type]
    from chainkg import progress
    from chainkg.graph.kg import GraphError
    from chainkg.graph.neo4j import pull as pull_graph
    from chainkg.graph.workspace import save

    if into.exists() and not force:
        raise GraphError(f"{into} exists; pass --force to overwrite it")
    with _connect(obj) as conn, progress.task("正在从 Neo4j 读取图 {graph}…", "Reading graph {graph} from Neo4j…",
                                              graph=conn.settings.graph):
        kg = pull_graph(conn)  # the loading step shows its own counts
        where = conn.settings.where
    save(kg, into)
    click.echo(f"{into}: {len(kg)} nodes, {kg.g.number_of_edges()} relationships from {where}")


@neo4j.command()
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@neo4j_options
@click.pass_obj
@friendly_errors
def wipe(obj: Context, yes: bool, **options: object) -> None:
    """Delete chainkg's graph (--name) from the Neo4j database. Other graphs and other data are left alone.

    \b
    Example:
      chainkg neo4j wipe
      chainkg neo4j wipe --yes
    """
    obj.set_neo4j_options(**options)  # type: ignore[arg-type]
    from chainkg.graph.neo4j import wipe as wipe_graph

    with _connect(obj) as conn:
        if not yes:
            click.confirm(f"Delete chainkg's graph {conn.settings.graph!r} in Neo4j database "
                          f"{conn.settings.database!r} at {conn.settings.where}?", abort=True, err=True)
        n = wipe_graph(conn)
        click.echo(f"deleted {n} nodes of graph {conn.settings.graph!r} from {conn.settings.where} "
                   f"(database {conn.settings.database})")


@neo4j.command()
@click.option("--format", "fmt", type=FORMATS, default="table", show_default=True)
@wide_option
@neo4j_options
@click.pass_obj
@friendly_errors
def status(obj: Context, fmt: str, **options: object) -> None:
    """Check the connection and show what chainkg holds in Neo4j.

    \b
    Example:
      chainkg neo4j status
    """
    obj.set_neo4j_options(**options)  # type: ignore[arg-type]
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
    click.echo(f"chainkg graphs here: {', '.join(data['graphs']) or '—'}")
    if not data["nodes"]:
        click.echo(f"no chainkg graph named {data['name']!r} here yet (chainkg neo4j push --name {data['name']})")
        return
    state = {True: "complete", False: "INCOMPLETE (run the push again)", None: "unknown"}[data["last_push_complete"]]
    click.echo(f"graph {data['name']!r}: {data['graph'] or '—'}; home region {data['home_region'] or '—'}; "
               f"last push {data['pushed_at'] or '—'} ({state})")
    click.echo(f"{data['nodes']} nodes, {data['relationships']} relationships\n")
    emit([{"label": k, "count": v} for k, v in data["by_label"].items()], "table")
    click.echo()
    emit([{"relationship": k, "count": v} for k, v in data["by_type"].items()], "table")

def _param(text: str) -> tuple[str, object]:
    """KEY=VALUE: VALUE as JSON when it parses (numbers, lists, true, null), else as text."""
    import json

    key, sep, value = text.partition("=")
    if not sep or not key.isidentifier():
        raise click.BadParameter(f"{text!r}: use KEY=VALUE", param_hint="--param")
    try:
        return key, json.loads(value)
    except ValueError:
        return key, value


def _plain_value(v: object) -> object:
    """A driver value as plain data: nodes and relationships as their labels/type and properties."""
    from neo4j.graph import Node, Path, Relationship

    if isinstance(v, Node):
        return {"labels": sorted(v.labels), **{k: _plain_value(x) for k, x in v.items()}}
    if isinstance(v, Relationship):
        return {"type": v.type, **{k: _plain_value(x) for k, x in v.items()}}
    if isinstance(v, Path):
        return [_plain_value(n) for n in v.nodes]
    if isinstance(v, list):
        return [_plain_value(x) for x in v]
    if isinstance(v, dict):
        return {k: _plain_value(x) for k, x in v.items()}
    if hasattr(v, "iso_format"):
        return v.iso_format()
    return v


@neo4j.command("cypher")
@click.argument("query")
@click.option("--param", "-p", "params", multiple=True, metavar="KEY=VALUE",
              help="A query parameter (repeatable); VALUE is read as JSON when it parses, else as text.")
@click.option("--write", is_flag=True, help="Allow writes (default: a read-only transaction; writes are refused).")
@click.option("--format", "fmt", type=FORMATS, default="table", show_default=True)
@wide_option
@neo4j_options
@click.pass_obj
@friendly_errors
def cypher(obj: Context, query: str, params: tuple[str, ...], write: bool, fmt: str, **options: object) -> None:
    """Run one Cypher statement on the Neo4j database and print its rows (read-only unless --write).

    $graph is set to the graph name (--name), so `MATCH (n:Chainkg {_graph: $graph})` stays inside chainkg's graph.

    \b
    Example:
      chainkg neo4j cypher 'MATCH (n:Chainkg {_graph: $graph}) RETURN labels(n) AS labels, count(*) AS n'
      chainkg neo4j cypher 'MATCH (e:Chainkg:Enterprise {_graph: $graph}) WHERE e.name CONTAINS $q
                            RETURN e.id, e.name' -p q=宁德
    """
    obj.set_neo4j_options(**options)  # type: ignore[arg-type]
    values = dict(_param(p) for p in params)
    with _connect(obj) as conn:
        if write:
            from chainkg.graph.neo4j.connection import neo4j_errors

            # an auto-commit transaction, so `CALL { … } IN TRANSACTIONS` works too
            with neo4j_errors(conn.settings), conn.driver.session(database=conn.settings.database) as session:
                result = session.run(query, conn._with_graph(values))
                records = list(result)
                counters = result.consume().counters
        else:
            from chainkg.graph.neo4j import Neo4jFailure

            try:
                records, counters = conn.read(query, **values), None
            except Neo4jFailure as e:
                if "AccessMode" in str(e):
                    raise Neo4jFailure("this statement writes; `chainkg neo4j cypher` runs read-only unless --write "
                                       "is given") from None
                raise
    rows = [{k: _plain_value(v) for k, v in r.items()} for r in records]
    if fmt == "json":
        click.echo(render_json(rows))
    else:
        emit(rows, fmt)
    if counters is not None and counters.contains_updates:
        changed = {k: v for k, v in vars(counters).items() if isinstance(v, int) and not isinstance(v, bool) and v}
        click.echo("changed: " + ", ".join(f"{k.strip('_')} {v}" for k, v in changed.items()), err=True)


#: The commands this module adds to ``chainkg`` (registered by :mod:`chainkg.cli`).
COMMANDS = [neo4j]
