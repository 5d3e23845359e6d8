"""``chainkg templates``: the national chain-template library (全景图库) — list, show, use, export."""

from __future__ import annotations

from pathlib import Path

import click

from chainkg.cli_support import (
    FORMATS,
    Context,
    apply_home_region,
    current_lang,
    echo_fitted,
    emit,
    friendly_errors,
    home_region_options,
    wide_option,
)
from chainkg.i18n import cli_text
from chainkg.output import render_json


@click.group()
def templates() -> None:
    """The national chain-template library (全景图库): complete chain maps any city can hold its firms against.

    \b
    Example:
      chainkg templates list
      chainkg templates show 新能源电池
      chainkg templates use 新能源电池 光伏 --into city.chainkg --home-region 高明区
      chainkg templates export 光伏 -o pv.yaml
    """


@templates.command("list")
@click.option("--format", "fmt", type=FORMATS, default="table", show_default=True)
@wide_option
@friendly_errors
def list_cmd(fmt: str) -> None:
    """Every library chain: segments, stages and the public document it follows.

    \b
    Example:
      chainkg templates list
      chainkg templates list --format csv > library.csv
    """
    from chainkg.loaders.library import library_chains

    rows = [{"slug": c.slug, "chain": c.name, "segments": c.segments, "stages": c.stages,
             "basis": c.source.get("title", ""), "issuer": c.source.get("issuer", ""), "year": c.source.get("year")}
            for c in library_chains()]
    if fmt == "json":
        click.echo(render_json(rows))
    else:
        emit(rows, fmt)


@templates.command("show")
@click.argument("name")
@click.option("--format", "fmt", type=FORMATS, default="table", show_default=True)
@wide_option
@friendly_errors
def show_cmd(name: str, fmt: str) -> None:
    """One library chain: its segments by stage, what each feeds, and the rules that place firms in it.

    \b
    Example:
      chainkg templates show 新能源电池
      chainkg templates show pv --format json
    """
    from chainkg.graph.kg import KnowledgeGraph
    from chainkg.loaders import apply_batch
    from chainkg.loaders.library import find_chain, library_records

    chain = find_chain(name)
    kg = KnowledgeGraph()
    apply_batch(library_records([chain.slug]), kg)
    rows = []
    for s in kg.segments_of(chain.chain):
        d = kg.g.nodes[s]
        rows.append({"order": d.get("order"), "segment": d["name"], "stage": d["stage"],
                     "feeds": "、".join(sorted(kg.name(v) for v in kg.out(s, "FEEDS"))),
                     "gbt": "|".join(d.get("match_gbt") or []),
                     "keywords": "|".join(d.get("match_keywords") or [])})
    if fmt == "json":
        click.echo(render_json({"slug": chain.slug, "chain": chain.name, "name_en": chain.name_en,
                                "description": chain.description, "source": chain.source, "segments": rows}))
        return
    if fmt == "table":
        src = chain.source
        lang = current_lang()
        echo_fitted(cli_text("template_head", lang, name=chain.name, name_en=chain.name_en, n=chain.segments,
                             description=chain.description))
        echo_fitted(cli_text("template_basis", lang, title=src.get("title", ""), issuer=src.get("issuer", ""),
                             year=src.get("year", "")))
        click.echo()
    emit(rows, fmt)


@templates.command("use")
@click.argument("names", nargs=-1, required=True)
@click.option("--into", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Workspace to add the chains to (created if missing).")
@home_region_options
@click.pass_obj
@friendly_errors
def use_cmd(obj: Context, names: tuple[str, ...], into: Path, home_region: str | None, home_level: str,
            home_part_of: str | None) -> None:
    """Add library chains to a workspace (all or nothing): segments, FEEDS and match rules.

    FEEDS between two chosen chains, or to chains already in the workspace, come along; the others are
    counted and added when you use the other chain later.

    \b
    Example:
      chainkg templates use 新能源电池 储能 --into city.chainkg
      chainkg templates use 光伏 --into city.chainkg --home-region 曲靖市 --home-level city
    """
    from chainkg.graph.workspace import new_graph, open_for_update
    from chainkg.loaders import LoadFailed, apply_batch, validate_batch
    from chainkg.loaders.library import library_records, pending_feeds

    with open_for_update(into, lambda: new_graph(into, "empty")) as ws:
        records = library_records(list(names), ws.kg)
        errors = validate_batch(records, ws.kg)
        if errors:
            raise LoadFailed(errors)
        report = apply_batch(records, ws.kg)
        home = apply_home_region(ws.kg, home_region, home_level, home_part_of)
        pending = pending_feeds(list(names), ws.kg)
        ws.changed = report.changed or home is not None
    lang = current_lang()
    click.echo(cli_text("use_done", lang, path=into, nodes_added=report.nodes_added,
                        nodes_updated=report.nodes_updated, edges_added=report.edges_added,
                        edges_updated=report.edges_updated))
    if pending:
        click.echo(cli_text("feeds_pending", lang, n=len(pending)))


@templates.command("export")
@click.argument("name")
@click.option("-o", "--output", required=True, type=click.Path(path_type=Path),
              help="YAML file to write (a folder gets <slug>.yaml).")
@click.option("--cross-feeds/--no-cross-feeds", default=False, show_default=True,
              help="Keep the FEEDS to other chains' segments (the file then loads only where those chains are).")
@friendly_errors
def export_cmd(name: str, output: Path, cross_feeds: bool) -> None:
    """Write a library chain as YAML to edit and load back (`chainkg load FILE --into …`).

    \b
    Example:
      chainkg templates export 新能源电池 -o battery.yaml
      chainkg load battery.yaml --into city.chainkg
    """
    from chainkg.loaders.library import export_chain

    path = export_chain(name, output, cross_feeds=cross_feeds)
    click.echo(cli_text("written", current_lang(), path=path))


#: The commands this module adds to ``chainkg`` (registered by :mod:`chainkg.cli`).
COMMANDS = [templates]
