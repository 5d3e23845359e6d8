"""CLI commands for the analyst queries: ``gaps …``, ``targets``, ``pipeline``.

The commands are built from the query registry (:mod:`chainkg.graph.queries`):
each is a thin layer over one registered query, run on the engine chosen with
``--backend``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from chainkg.cli_support import FORMATS, Context, emit, friendly_errors
from chainkg.graph.queries import QUERIES, Query
from chainkg.output import render_json


def scope_options(fn):
    fn = click.option("--format", "fmt", type=FORMATS, default="table", show_default=True)(fn)
    fn = click.option("--region", help="Local region (name or id; default: the dataset's home region).")(fn)
    fn = click.option("--chain", help="Only this chain (name, alias or id).")(fn)
    return fn


def query_options(query: Query):
    """The click options of a registered query's own parameters (beyond region, chain and format)."""

    def apply(fn):
        for opt in reversed(query.options):
            kind = click.IntRange(min=opt.minimum) if opt.type is int and opt.minimum is not None else opt.type
            flag = "--" + opt.name.replace("_", "-")
            fn = click.option(flag, opt.name, type=kind, default=opt.default, show_default=opt.default is not None,
                              help=opt.help)(fn)
        return fn

    return apply


def run_query(obj: Context, name: str, **kwargs: Any) -> list[Any] | Any:
    """Run a registered query on the engine chosen with ``--backend``."""
    return obj.backend().run(name, **kwargs)


def emit_rows(rows: list[Any], fmt: str, columns: list[str] | tuple[str, ...]) -> None:
    dicts = [r.as_dict() for r in rows]
    if fmt == "json":
        click.echo(render_json(dicts))
    else:
        emit(dicts, fmt, list(columns) if fmt == "table" else None, max_width=110)


@click.group()
def gaps() -> None:
    """Find gaps in the local chain: coverage, missing (补链), weak (强链), extend (延链), dependencies, chokepoints.

    \b
    Example:
      chainkg gaps missing --chain 新能源电池
      chainkg gaps coverage --format csv > coverage.csv
    """


def gap_command(query: Query) -> click.Command:
    """A ``chainkg gaps NAME`` command for a registered query: rows as a table, JSON or CSV."""

    @scope_options
    @query_options(query)
    @click.pass_obj
    @friendly_errors
    def command(obj: Context, chain: str | None, region: str | None, fmt: str, **kw: Any) -> None:
        rows = run_query(obj, query.name, region=region, chain=chain, **kw)
        emit_rows(rows, fmt, query.columns)

    command.__doc__ = query.help
    return click.command(query.name)(command)


for _query in QUERIES.values():
    if _query.group == "gaps":
        gaps.add_command(gap_command(_query))


@click.command(help=QUERIES["targets"].help)
@scope_options
@click.option("--explain", is_flag=True, help="Show each part of the score.")
@click.option("--weights", "weights_file", type=click.Path(dir_okay=False, path_type=Path),
              help="YAML/JSON/TOML file with weights gap, tie, region, pipeline, lists.<name>.")
@click.option("--weight", "weight_overrides", multiple=True, metavar="NAME=VALUE",
              help="Override one weight, e.g. --weight tie=3 --weight lists.世界500强=5.")
@query_options(QUERIES["targets"])
@click.pass_obj
@friendly_errors
def targets(obj: Context, chain: str | None, region: str | None, fmt: str, explain: bool,
            weights_file: Path | None, weight_overrides: tuple[str, ...], k: int, limit: int | None,
            offset: int) -> None:
    from chainkg.graph.targets import Weights, load_weights

    weights = load_weights(weights_file) if weights_file else Weights()
    overrides: dict[str, float] = {}
    for item in weight_overrides:
        key, sep, value = item.partition("=")
        try:
            overrides[key.strip()] = float(value)
        except ValueError:
            sep = ""
        if not sep:
            raise click.BadParameter(f"{item!r} is not NAME=NUMBER", param_hint="--weight")
    weights = weights.with_overrides(overrides)
    rows = run_query(obj, "targets", region=region, chain=chain, weights=weights, k=k, limit=limit,
                     offset=offset)
    dicts = [r.as_dict() for r in rows]
    if fmt == "json":
        click.echo(render_json(dicts))
        return
    for d in dicts:
        d.update({f"+{part}": v for part, v in d.pop("parts").items()})
    cols = ["score", "enterprise", "chain", "segment", "gap", "hq", "placement"]
    if explain:
        cols += ["+gap", "+ties", "+lists", "+region", "+pipeline", "why"]
    emit(dicts, fmt, cols if fmt == "table" else None, max_width=110)


@click.command(help=QUERIES["pipeline"].help)
@scope_options
@click.option("--section", type=click.Choice(["all", "status", "chain", "region", "event", "conversion", "stalled"]),
              default="all", show_default=True, help="Which part to print (csv needs one section).")
@query_options(QUERIES["pipeline"])
@click.pass_obj
@friendly_errors
def pipeline(obj: Context, chain: str | None, region: str | None, fmt: str, section: str,
             as_of: str | None, stale_days: int) -> None:
    if as_of is not None:
        from chainkg.schema import SCHEMA, coerce

        try:
            as_of = coerce(SCHEMA.node_type("Project").prop("status_date"), as_of)
        except ValueError as e:
            raise click.BadParameter(str(e), param_hint="--as-of") from None
    report = run_query(obj, "pipeline", region=region, chain=chain, as_of=as_of, stale_days=stale_days)
    data = report.as_dict()
    sections = {
        "status": data["by_status"], "chain": data["by_chain"], "region": data["by_region"],
        "event": data["by_event"], "conversion": data["conversion"], "stalled": data["stalled"],
    }
    if fmt == "json":
        click.echo(render_json(data if section == "all" else sections[section]))
        return
    if fmt == "csv":
        emit(sections["status" if section == "all" else section], "csv")
        return
    chosen = sections if section == "all" else {section: sections[section]}
    if section == "all":
        t = data["totals"]
        click.echo(f"{t['projects']} local projects; agreed {t['agreed_amount_yi']:g} 亿元; "
                   f"funds in place {t['funds_in_place_yi']:g} 亿元\n")
    for name, rows in chosen.items():
        click.echo(f"[{name}]")
        cols = None
        if name in ("status", "chain", "region", "event"):
            cols = ["key", "projects", "agreed_amount_yi", "funds_in_place_yi"]
        emit(rows, "table", cols, max_width=80)
        click.echo()

#: The commands this module adds to ``chainkg`` (registered by :mod:`chainkg.cli`).
COMMANDS = [gaps, targets, pipeline]
