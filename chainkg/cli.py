"""The ``chainkg`` command line: a thin layer over the Python API.

Every command prints results to stdout and errors as one line to stderr with a
non-zero exit code; no traceback reaches the user (set CHAINKG_DEBUG=1 to see one).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from chainkg import cli_neo4j, cli_pool, cli_queries, cli_report, cli_templates
from chainkg.cli_support import (
    FORMATS,
    GRAPH_ENV,
    LANG_META,
    Context,
    apply_home_region,
    current_lang,
    echo_fitted,
    emit,
    encoding_option,
    fail,
    friendly_errors,
    home_region_options,
    lang_option,
    neo4j_options,
    wide_option,
)
from chainkg.help_text import localise_help
from chainkg.i18n import cli_text
from chainkg.output import render_json

if TYPE_CHECKING:
    from chainkg.progress import Task


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 110})
@click.option(
    "--graph",
    "graph_path",
    envvar=GRAPH_ENV,
    type=click.Path(dir_okay=False),
    help=f"Workspace file to work on (env {GRAPH_ENV}). Default: the bundled Kunming graph.",
)
@click.option(
    "--backend",
    type=click.Choice(["networkx", "neo4j"]),
    default="networkx",
    show_default=True,
    envvar="CHAINKG_BACKEND",
    help="Engine for gap, target and pipeline queries (neo4j: see `chainkg neo4j --help`).",
)
@neo4j_options
@lang_option
@click.version_option(package_name="chainkg")
@click.pass_context
def main(ctx: click.Context, graph_path: str | None, backend: str, lang: str, **neo4j: Any) -> None:
    """chainkg — industrial-chain knowledge graph (产业链知识图谱) for investment promotion (招商引资).

    \b
    Examples:
      chainkg info
      chainkg show 孚能科技
      chainkg --graph city.json load my-data/ --into city.json
      chainkg --backend neo4j --uri bolt+s://db.example:7687 --name kunming gaps missing
      chainkg --lang en gaps missing          (English tables; or CHAINKG_LANG=en)
    """
    ctx.meta[LANG_META] = lang
    from chainkg import progress  # here, not at start-up

    progress.enable(lang=lang)  # a spinner on stderr for slow steps, when stderr is a terminal (chainkg.progress)
    ctx.call_on_close(lambda: progress.enable(False))  # in-process callers (tests, notebooks) get it back off
    ctx.obj = Context(graph_path, backend)
    ctx.obj.set_neo4j_options(**neo4j)


# ---------------------------------------------------------------------- info
@main.command()
@click.option("--format", "fmt", type=FORMATS, default="table", show_default=True)
@wide_option
@click.pass_obj
@friendly_errors
def info(obj: Context, fmt: str) -> None:
    """Summarise the graph: counts per node and edge type, per chain, and the provenance mix.

    \b
    Example:
      chainkg info
      chainkg --graph city.json info --format json
    """
    from chainkg.graph.summary import info_data

    data = info_data(obj.kg)
    if fmt == "json":
        click.echo(render_json(data))
        return
    if fmt == "csv":
        rows = [{"section": "node", "name": k, "count": v} for k, v in data["nodes"].items()]
        rows += [{"section": "edge", "name": k, "count": v} for k, v in data["edges"].items()]
        rows += [{"section": "provenance", "name": k, "count": v} for k, v in data["provenance"].items()]
        emit(rows, "csv")
        return
    from chainkg.i18n import cli_text

    lang = current_lang()
    graph = data["graph"] or (obj.graph_path or cli_text("bundled", lang))
    click.echo(cli_text("graph_counts", lang, graph=graph, nodes=sum(data["nodes"].values()),
                        edges=sum(data["edges"].values())) + "\n")
    left = [{"node type": k, "count": v} for k, v in data["nodes"].items()]
    right = [{"relationship": k, "count": v} for k, v in data["edges"].items()]
    emit(left, "table")
    click.echo()
    emit(right, "table")
    click.echo()
    emit([{"provenance": k, "records": v} for k, v in data["provenance"].items()], "table")
    click.echo()
    emit(data["chains"], "table")


# ---------------------------------------------------------------------- show
@main.command()
@click.argument("ref", metavar="NAME-OR-ID")
@click.option("--format", "fmt", type=FORMATS, default="table", show_default=True)
@wide_option
@click.pass_obj
@friendly_errors
def show(obj: Context, ref: str, fmt: str) -> None:
    """Show one node: properties, provenance with evidence, and neighbours.

    NAME-OR-ID may be an id, a name or an alias, in Simplified or Traditional Chinese.

    \b
    Example:
      chainkg show 孚能科技
      chainkg show 宇澤半導體
    """
    from chainkg.graph.summary import show_data

    data = show_data(obj.kg, ref)
    if fmt == "json":
        click.echo(render_json(data))
        return
    if fmt == "csv":
        emit(data["neighbours"], "csv")
        return
    from chainkg.i18n import EVIDENCE, PROVENANCE, cli_text, enum_value, pick, prop_label, schema_label

    lang = current_lang()
    sep = "：" if lang == "zh" else ": "
    title = data["properties"].get("name") or data["properties"].get("title") or data["id"]
    echo_fitted(f"{title}  [{schema_label(data['type'], lang)}]  id={data['id']}")
    for k, v in data["properties"].items():
        if k not in ("name", "title"):
            v = enum_value(k, v, lang)
            shown = "|".join(map(str, v)) if isinstance(v, list) else v
            echo_fitted(f"  {prop_label(k, lang, data['type'])}{sep}{shown}")
    if data["chains"]:
        echo_fitted(f"  {cli_text('chain_line', lang)}{sep}{'、'.join(data['chains'])}")
    p = data["provenance"]
    if p:
        kind = p.get("provenance", "—")
        click.echo()
        echo_fitted(cli_text("provenance_line", lang, kind=pick(PROVENANCE, kind, lang),
                             source=p.get("source_title") or p.get("source", "—")))
        if p.get("evidence"):
            label = pick(EVIDENCE, kind if kind in EVIDENCE else "stated", lang)
            echo_fitted(f"  {label}{sep}{p['evidence']}")
    if data["neighbours"]:
        click.echo()
        emit(data["neighbours"], "table", ["direction", "relationship", "type", "name", "detail", "provenance"])
        stated = [n for n in data["neighbours"] if n["provenance"] == "stated" and n["evidence"]]
        for ev in dict.fromkeys(n["evidence"] for n in stated):
            click.echo()
            echo_fitted(f"  “{ev}”", hang=1)


# ------------------------------------------------------------------- search
@main.command()
@click.argument("text")
@click.option("--type", "node_type", help="Only nodes of this type (Enterprise, Project …).")
@click.option("--format", "fmt", type=FORMATS, default="table", show_default=True)
@wide_option
@click.pass_obj
@friendly_errors
def search(obj: Context, text: str, node_type: str | None, fmt: str) -> None:
    """Find nodes whose name, alias or id contains TEXT (Simplified or Traditional).

    \b
    Example:
      chainkg search 电池
      chainkg search 雲南 --type Enterprise
    """
    from chainkg.graph.lookup import search_nodes
    from chainkg.schema import SCHEMA

    rows = search_nodes(obj.kg, text, SCHEMA.node_type_names(node_type))
    emit(rows, fmt, ["id", "type", "name", "aliases"])


# ----------------------------------------------------------------- validate
@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--against/--standalone", default=True, show_default=True,
              help="Check references against a workspace (see --into) or the files alone.")
@click.option("--into", "into", type=click.Path(dir_okay=False, path_type=Path),
              help="Check against the workspace `load --into` would write (a new one starts from --base).")
@click.option("--base", type=click.Choice(["empty", "kunming"]), default="empty", show_default=True,
              help="What a new workspace starts from (the same rule as load).")
@encoding_option
@click.pass_obj
@friendly_errors
def validate(obj: Context, paths: tuple[Path, ...], against: bool, into: Path | None, base: str,
             encoding: str | None) -> None:
    """Check CSV/XLSX/YAML files without loading them: one line per problem (file, row, column, reason).

    References are checked against the workspace `load --into` would change: --into, else the global --graph,
    else a new workspace from --base (empty unless --base kunming), as `load` does.

    \b
    Example:
      chainkg validate my-data/
      chainkg validate projects.csv --into city.chainkg
      chainkg validate enterprises.csv invests.csv --standalone
    """
    from chainkg.graph.kg import KnowledgeGraph
    from chainkg.graph.workspace import load as load_workspace
    from chainkg.graph.workspace import new_graph
    from chainkg.loaders import validate_paths

    missing = [p for p in paths if not p.exists()]
    if missing:
        fail("; ".join(f"{p}: no such file or folder" for p in missing))
    if not against:
        kg = KnowledgeGraph()
    elif into is not None:
        kg = load_workspace(into) if into.exists() else new_graph(into, base)
    elif obj.graph_path:
        kg = obj.kg
    else:
        kg = new_graph(Path("workspace"), base)
    with _checking(paths):
        errors = validate_paths(paths, kg, encoding=encoding)
    if errors:
        for e in errors:
            click.echo(e.say(current_lang()), err=True)
        fail(cli_text("check_failed", current_lang(), n=len(errors), s="s" if len(errors) != 1 else "",
                      paths=len(paths)))
    click.echo(cli_text("checked_ok", current_lang(), paths=", ".join(map(str, paths))))


# --------------------------------------------------------------------- load
def _merging(total: int) -> Task:
    """The progress of merging ``total`` checked records (a task is the ``update(n)`` callable it yields)."""
    from chainkg import progress

    return progress.task("正在合并 {done:,} / {total:,} 条记录", "Merging {done:,} / {total:,} records", total=total)


def _checking(paths: tuple[Path, ...]) -> Task:
    from chainkg import progress

    what = ", ".join(p.name or str(p) for p in paths[:3]) + (f" (+{len(paths) - 3})" if len(paths) > 3 else "")
    return progress.task("正在读取并检查 {what}…", "Reading and checking {what}…", what=what)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--into", "into", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Workspace file to load into (created if missing).")
@click.option("--base", type=click.Choice(["empty", "kunming"]), default="empty", show_default=True,
              help="What a new workspace starts from.")
@home_region_options
@encoding_option
@click.pass_obj
@friendly_errors
def load(obj: Context, paths: tuple[Path, ...], into: Path, base: str, home_region: str | None, home_level: str,
         home_part_of: str | None, encoding: str | None) -> None:
    """Load CSV/XLSX/YAML files into a workspace: all or nothing, merge by id.

    If any row is bad, every problem is listed and the workspace is left as it was.

    \b
    Example:
      chainkg load my-data/ --into city.json
      chainkg load firms.xlsx --into city.json --base kunming
      chainkg load my-data/ --into gaoming.chainkg --home-region 高明区 --home-part-of 佛山市
    """
    from chainkg.graph.workspace import new_graph, open_for_update
    from chainkg.loaders import load_paths

    with open_for_update(into, lambda: new_graph(into, base)) as ws:  # locked: read → load → write
        with _checking(paths):
            report = load_paths(paths, ws.kg, _merging, encoding=encoding)
        home = apply_home_region(ws.kg, home_region, home_level, home_part_of)
        ws.changed = report.changed or home is not None
    click.echo(cli_text("load_done", current_lang(), path=into, nodes_added=report.nodes_added,
                        nodes_updated=report.nodes_updated, nodes_unchanged=report.nodes_unchanged,
                        edges_added=report.edges_added, edges_updated=report.edges_updated,
                        edges_unchanged=report.edges_unchanged))


# ------------------------------------------------------------------- export
@main.command()
@click.option("--format", "fmt", type=click.Choice(["json", "graphml", "csv", "workspace"]), required=True,
              help="workspace: a workspace file in the format its name says (.chainkg SQLite, .json).")
@click.option("-o", "--output", required=True, type=click.Path(path_type=Path),
              help="Output file (json, graphml) or an empty/new folder (csv).")
@click.pass_obj
@friendly_errors
def export(obj: Context, fmt: str, output: Path) -> None:
    """Export the graph as node-link JSON, GraphML (Gephi) or CSV files (the loader's format).

    \b
    Example:
      chainkg export --format graphml -o kunming.graphml
      chainkg export --format csv -o kunming-csv/
    """
    from chainkg.graph import export as ex

    kg = obj.kg
    if fmt == "graphml":
        ex.write_graphml(kg, output)
    elif fmt == "json":
        ex.write_json(kg, output)
    elif fmt == "workspace":
        from chainkg.graph.workspace import save

        save(kg, output)
    else:
        files = ex.write_csv(kg, output)
        click.echo(cli_text("written_files", current_lang(), path=output, n=len(files)))
        return
    click.echo(cli_text("written_graph", current_lang(), path=output, nodes=len(kg), edges=kg.g.number_of_edges()))


# ------------------------------------------------------------------- schema
@main.command()
@click.option("--format", "fmt", type=click.Choice(["markdown", "cypher"]), default="markdown", show_default=True)
@friendly_errors
def schema(fmt: str) -> None:
    """Print the schema reference (node and relationship types, properties, column aliases).

    \b
    Example:
      chainkg schema
      chainkg schema --format cypher     # the Neo4j constraints and indexes
    """
    if fmt == "cypher":
        from chainkg.schema.cypher import constraint_statements

        click.echo(";\n".join(constraint_statements()) + ";")
    else:
        from chainkg.schema.docs import schema_markdown

        click.echo(schema_markdown(), nl=False)


# ----------------------------------------------------------------------- viz
@main.command()
@click.option("--view", type=click.Choice(["panorama", "overview", "chain", "ego", "whole"]), default="panorama",
              show_default=True,
              help="panorama: the 全景图 of --chain (or of every chain), printable; overview: chains → segments by "
                   "local coverage; chain: one chain's network, upstream → downstream; "
                   "ego: a node and its neighbourhood; whole: the graph, grouped by chain (one node per chain, "
                   "opened in the page), narrowed by --type/--chain/--region.")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="HTML file to write (one self-contained file; opens offline).")
@click.option("--chain", help="Chain name or id: the chain of --view chain; narrows overview and whole.")
@click.option("--node", metavar="NAME-OR-ID", help="Centre of --view ego.")
@click.option("--depth", type=click.IntRange(0, 6), default=1, show_default=True, help="Hops around --node (ego).")
@click.option("--type", "types", multiple=True,
              help="Keep only these node types (repeat or comma-separate; Enterprise or 企业 …).")
@click.option("--region", help="whole: keep what is located in the region; overview/chain: judge local coverage "
                               "against it instead of the graph's home region.")
@click.option("--lang", type=click.Choice(["zh", "en"]), default=None,
              help="Language of the page's words; names stay as in the data (default: the global --lang, zh).")
@click.option("--max-nodes", type=click.IntRange(0), default=None,
              help="Refuse views with more nodes than this (default 2,500; 0: no limit).")
@click.option("--title", "dataset", help="Dataset name shown in the page title (default: the graph's name).")
@click.pass_obj
@friendly_errors
def viz(obj: Context, view: str, output: Path, chain: str | None, node: str | None, depth: int,
        types: tuple[str, ...], region: str | None, lang: str | None, max_nodes: int | None,
        dataset: str | None) -> None:
    """Write an interactive HTML view of the graph: one file, no network needed, Chinese labels by default.

    Search by name or alias (Simplified or Traditional), filter by type and chain, hover for
    properties and provenance, click to highlight a node's neighbours.

    \b
    Examples:
      chainkg viz --chain 新能源电池 -o battery.html              (全景图)
      chainkg viz --view chain --chain 新能源电池 -o battery-net.html
      chainkg viz --view overview -o overview.html
      chainkg viz --view ego --node 孚能科技 --depth 2 -o funeng.html
      chainkg viz --view whole --type Enterprise,Project --region 安宁市 -o anning.html
      chainkg viz --view overview --lang en -o overview-en.html
    """
    from chainkg.visualize import DEFAULT_MAX_NODES, write_html

    limit = DEFAULT_MAX_NODES if max_nodes is None else (max_nodes or None)
    info = write_html(obj.kg, output, view=view, chain=chain, node=node, depth=depth, types=types or None,
                      region=region, lang=lang or current_lang(), max_nodes=limit, dataset=dataset)
    from chainkg.visualize.i18n import text

    say = current_lang()
    what = (cli_text("viz_segments", say, n=info["nodes"]) if view == "panorama"
            else cli_text("viz_nodes", say, nodes=info["nodes"], edges=info["edges"]))
    if info.get("clusters"):
        what = cli_text("viz_groups", say, n=info["clusters"], what=what)
    shown = text(say, f"view_{info['view']}") if say == "zh" else info["view"]
    click.echo(cli_text("viz_done", say, path=info["path"], view=shown, what=what, kb=f"{info['bytes'] / 1024:,.0f}"))


# Commands defined in their own modules, registered explicitly (they never import this module).
for _module in (cli_queries, cli_report, cli_templates, cli_pool, cli_neo4j):
    for _command in _module.COMMANDS:
        main.add_command(_command)
localise_help(main)

if __name__ == "__main__":  # pragma: no cover
    main()
