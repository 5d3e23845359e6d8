"""CLI commands for the analyst queries: ``gaps …``, ``targets``, ``pipeline``.

The commands are built from the query registry (:mod:`chainkg.graph.queries`):
each is a thin layer over one registered query, run on the engine chosen with
``--backend``.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import click

from chainkg.cli_support import Context, current_lang, friendly_errors, is_wide, table_width, wide_option
from chainkg.graph.queries import QUERIES, Query
from chainkg.i18n import cli_text
from chainkg.output import localise, render, render_json

#: Output formats of the query commands; ``xlsx`` needs ``-o FILE``.
QUERY_FORMATS = click.Choice(["table", "json", "csv", "xlsx"])
SUFFIX_FORMATS = {".xlsx": "xlsx", ".csv": "csv", ".json": "json"}


def scope_options(fn):
    fn = click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
                      help="Write to this file instead of stdout (format from its suffix unless --format: "
                           ".xlsx, .csv, .json; else a table).")(fn)
    fn = click.option("--format", "fmt", type=QUERY_FORMATS, default=None,
                      help="table (default), json, csv (UTF-8 with BOM, for Excel) or xlsx (needs -o).")(fn)
    fn = click.option("--region", help="Local region (name or id; default: the dataset's home region).")(fn)
    fn = click.option("--chain", help="Only this chain (name, alias or id).")(fn)
    return wide_option(fn)


def output_format(fmt: str | None, output: Path | None) -> str:
    """The format asked for, else the one ``-o``'s suffix names, else ``table``; xlsx only into a file."""
    fmt = fmt or (SUFFIX_FORMATS.get(output.suffix.lower(), "table") if output else "table")
    if fmt == "xlsx" and output is None:
        raise click.UsageError("--format xlsx writes a file: add -o FILE.xlsx")
    return fmt


def deliver(text: str, output: Path | None, what: str) -> None:
    """Print ``text``, or write it to ``output`` (UTF-8, atomically) and say so."""
    if output is None:
        click.echo(text)
        return
    from chainkg.graph.fileio import write_bytes

    write_bytes(output, (text + "\n").encode("utf-8"))
    click.echo(cli_text("wrote", current_lang(), path=output, what=what))


def deliver_pieces(pieces: Iterable[str], output: Path | None, what: str) -> None:
    """As :func:`deliver`, for text made piece by piece: a huge answer is never one string in memory."""
    if output is None:
        for piece in pieces:
            click.echo(piece, nl=False)
        click.echo("")
        return
    from chainkg.graph.fileio import atomic_write

    with atomic_write(output) as f:
        for piece in pieces:
            f.write(piece.encode("utf-8"))
        f.write(b"\n")
    click.echo(cli_text("wrote", current_lang(), path=output, what=what))


def write_sheets(output: Path, sheets: list[tuple[str, list[dict[str, Any]], list[str] | tuple[str, ...]]]) -> None:
    """Write (name, rows, fallback columns) as one workbook: every field of the rows, one sheet each, with
    headers and values in the chosen language (numbers stay numbers)."""
    from chainkg.graph.tables import Sheet, write_xlsx
    from chainkg.i18n import label

    lang = current_lang()
    out = []
    for name, rows, cols in sheets:
        columns = list(rows[0]) if rows else list(cols)
        headers = [label(c, lang) for c in columns]
        shown = [dict(zip(headers, r.values(), strict=True)) for r in localise(rows, columns, lang)]
        out.append(Sheet(name, headers, shown))
    write_xlsx(output, out)


def query_options(query: Query):
    """The click options of a registered query's own parameters (beyond region, chain and format)."""

    def apply(fn):
        for opt in reversed(query.options):
            kind: Any = opt.type
            if opt.minimum is not None and opt.type in (int, float):
                kind = (click.IntRange if opt.type is int else click.FloatRange)(min=opt.minimum)
            flag = "--" + opt.name.replace("_", "-")
            fn = click.option(flag, opt.name, type=kind, default=opt.default, show_default=opt.default is not None,
                              help=opt.help)(fn)
        return fn

    return apply


def run_query(obj: Context, name: str, **kwargs: Any) -> list[Any] | Any:
    """Run a registered query on the engine chosen with ``--backend``."""
    return obj.backend().run(name, **kwargs)


def emit_rows(rows: list[Any], fmt: str, columns: list[str] | tuple[str, ...], output: Path | None = None,
              name: str = "rows", chain: str | None = None) -> None:
    """Rows as a table (the given columns), JSON, CSV or XLSX (every field), on stdout or into ``output``.

    A table on stdout fits the terminal; with ``chain`` (a ``--chain`` filter) its constant chain column is
    left out and named above the table.
    """
    dicts = [r.as_dict() if hasattr(r, "as_dict") else r for r in rows]
    what = cli_text("n_rows", current_lang(), n=len(dicts), fmt=fmt)
    if fmt == "xlsx":
        write_sheets(output, [(name, dicts, columns)])
        click.echo(cli_text("wrote", current_lang(), path=output, what=what))
    elif fmt == "json":
        deliver(render_json(dicts), output, what)
    else:
        table = fmt == "table"
        text = render(dicts, fmt, list(columns) if table else None, lang=current_lang(),
                      width=table_width() if output is None else None,
                      drop_constant=("chain",) if chain and not is_wide() else ())
        deliver(text, output, what)


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
    @click.option("--limit", "row_limit", type=click.IntRange(min=1), default=None,
                  help="Show at most this many rows (the first ones in the query's order).")
    @click.pass_obj
    @friendly_errors
    def command(obj: Context, chain: str | None, region: str | None, fmt: str | None, output: Path | None,
                row_limit: int | None, **kw: Any) -> None:
        fmt = output_format(fmt, output)
        rows = run_query(obj, query.name, region=region, chain=chain, **kw)
        emit_rows(rows[:row_limit], fmt, query.columns, output, query.name, chain)

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
def targets(obj: Context, chain: str | None, region: str | None, fmt: str | None, output: Path | None, explain: bool,
            weights_file: Path | None, weight_overrides: tuple[str, ...], k: int, limit: int | None,
            offset: int) -> None:
    from chainkg.graph.targets import Weights, load_weights

    fmt = output_format(fmt, output)
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
    if fmt == "json":
        from chainkg.jsontext import pieces

        # Row by row: all rows at 1M relationships were ~240k dicts and their JSON text at once (2 GB).
        deliver_pieces(pieces(r.as_dict() for r in rows), output,
                       cli_text("n_rows", current_lang(), n=len(rows), fmt="json"))
        return
    dicts = [r.as_dict() for r in rows]
    # Score parts as flat columns; named part_… since a header starting with + would be a formula to Excel.
    for d in dicts:
        d.update({f"part_{part}": v for part, v in d.pop("parts").items()})
    cols = ["score", "enterprise", "chain", "segment", "gap", "hq", "placement"]
    if explain:
        cols += ["part_gap", "part_ties", "part_lists", "part_region", "part_pipeline", "why"]
    emit_rows(dicts, fmt, cols, output, "targets", chain)


@click.command(help=QUERIES["pipeline"].help)
@scope_options
@click.option("--section", type=click.Choice(["all", "status", "chain", "region", "event", "conversion", "stalled"]),
              default="all", show_default=True, help="Which part to print (csv needs one section).")
@query_options(QUERIES["pipeline"])
@click.pass_obj
@friendly_errors
def pipeline(obj: Context, chain: str | None, region: str | None, fmt: str | None, output: Path | None, section: str,
             as_of: str | None, stale_days: int) -> None:
    fmt = output_format(fmt, output)
    if as_of is not None:
        from chainkg.schema import SCHEMA, coerce

        try:
            as_of = coerce(SCHEMA.node_type("Project").prop("status_date"), as_of)
        except ValueError as e:
            raise click.BadParameter(str(e), param_hint="--as-of") from None
    if fmt == "csv" and section == "all":
        raise click.UsageError("a CSV holds one table: add --section (status, chain, region, event, conversion, "
                               "stalled), or use --format xlsx -o FILE for every section as sheets")
    report = run_query(obj, "pipeline", region=region, chain=chain, as_of=as_of, stale_days=stale_days)
    data = report.as_dict()
    sections = {
        "status": data["by_status"], "chain": data["by_chain"], "region": data["by_region"],
        "event": data["by_event"], "conversion": data["conversion"], "stalled": data["stalled"],
    }
    group_cols = ["key", "projects", "agreed_amount_yi", "funds_in_place_yi"]
    fallback = {"conversion": ["rate", "reached", "of", "value"],
                "stalled": ["project", "id", "status", "since", "days", "reason"]}
    chosen = sections if section == "all" else {section: sections[section]}
    if fmt == "json":
        deliver(render_json(data if section == "all" else sections[section]), output,
                cli_text("one_section", current_lang(), section=section, fmt="json"))
        return
    if fmt == "xlsx":
        sheets = [("totals", [data["totals"]], group_cols)] if section == "all" else []
        sheets += [(name, rows, fallback.get(name, group_cols)) for name, rows in chosen.items()]
        write_sheets(output, sheets)
        click.echo(cli_text("wrote", current_lang(), path=output,
                            what=cli_text("n_sheets", current_lang(), n=len(sheets))))
        return
    lang = current_lang()
    if fmt == "csv":
        deliver(render(sections[section], "csv", lang=lang), output,
                cli_text("n_rows", lang, n=len(sections[section]), fmt="csv"))
        return
    parts = []
    if section == "all":
        t = data["totals"]
        parts.append(cli_text("pipeline_totals", lang, n=t["projects"], agreed=f"{t['agreed_amount_yi']:g}",
                              funds=f"{t['funds_in_place_yi']:g}") + "\n")
    width = table_width() if output is None else None
    for name, rows in chosen.items():
        cols = group_cols if name in ("status", "chain", "region", "event") else None
        table = render(rows, "table", cols, lang=lang, width=width)
        parts.append(f"[{cli_text('section_' + name, lang)}]\n{table}\n")
    deliver("\n".join(parts), output, cli_text("n_sections", lang, n=len(chosen), fmt="table"))


#: The commands this module adds to ``chainkg`` (registered by :mod:`chainkg.cli`).
COMMANDS = [gaps, targets, pipeline]
