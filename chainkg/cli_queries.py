"""CLI commands for the analyst queries: ``gaps …``, ``targets``, ``pipeline``.

Each command is a thin layer over one function of :mod:`chainkg.graph`, run on
the engine chosen with ``--backend``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from chainkg.cli import FORMATS, Context, emit, friendly_errors, main
from chainkg.output import render_json

QUERY_COLUMNS = {
    "coverage": ["chain", "segment", "stage", "local_enterprises", "anchors", "projects", "agreed_amount_yi", "status"],
    "missing": ["chain", "segment", "stage", "score", "reason"],
    "weak": ["chain", "segment", "stage", "local_enterprises", "rules", "reason"],
    "extend": ["chain", "segment", "stage", "direction", "hops", "relatedness", "reason"],
    "dependencies": ["chain", "segment", "enterprise", "relation", "anchor", "product", "hq"],
    "chokepoints": ["kind", "name", "chain", "local", "betweenness", "anchors", "inputs"],
}


def scope_options(fn):
    fn = click.option("--format", "fmt", type=FORMATS, default="table", show_default=True)(fn)
    fn = click.option("--region", help="Local region (name or id; default: the dataset's home region).")(fn)
    fn = click.option("--chain", help="Only this chain (name, alias or id).")(fn)
    return fn


def run_query(obj: Context, name: str, **kwargs: Any) -> list[Any] | Any:
    """Run a query on the selected backend."""
    return obj.backend().run(name, **kwargs)


def emit_rows(rows: list[Any], fmt: str, columns: list[str]) -> None:
    dicts = [r.as_dict() for r in rows]
    if fmt == "json":
        click.echo(render_json(dicts))
    else:
        emit(dicts, fmt, columns if fmt == "table" else None, max_width=110)


@main.group()
def gaps() -> None:
    """Find gaps in the local chain: coverage, missing (补链), weak (强链), extend (延链), dependencies, chokepoints.

    \b
    Example:
      chainkg gaps missing --chain 新能源电池
      chainkg gaps coverage --format csv > coverage.csv
    """


def _gap_command(name: str, doc: str, extra=None):
    @scope_options
    @click.pass_obj
    @friendly_errors
    def command(obj: Context, chain: str | None, region: str | None, fmt: str, **kw: Any) -> None:
        rows = run_query(obj, name, region=region, chain=chain, **kw)
        emit_rows(rows, fmt, QUERY_COLUMNS[name])

    command.__doc__ = doc
    if extra:
        command = extra(command)
    gaps.command(name)(command)


_gap_command("coverage", """The 现状图 against the 全景图: per chain and segment, local enterprises, anchors,
projects by status, agreed amount (亿元) and status (covered / weak / missing).

\b
Example:
  chainkg gaps coverage --chain 新能源电池
""")
_gap_command("missing", """补链: template segments with no local enterprise and no landed project, ranked by how
much of the local chain touches them (covered neighbours up- and downstream, local anchors that need them).

\b
Example:
  chainkg gaps missing --chain 新能源电池
  chainkg gaps missing --region 东川区 --format json
""")
_gap_command("weak", """强链: covered segments with a single local enterprise, without a local anchor, or whose
local anchors buy from outside the region.

\b
Example:
  chainkg gaps weak
""")
_gap_command(
    "extend",
    """延链: uncovered segments within K FEEDS hops of covered ones (up- or downstream, across chains),
ranked by relatedness (share of FEEDS neighbours covered locally).

\b
Example:
  chainkg gaps extend --k 2 --chain 稀贵金属新材料
""",
    extra=click.option("--k", "k", type=click.IntRange(min=1), default=1, show_default=True,
                       help="Maximum FEEDS hops from a covered segment."),
)
_gap_command("dependencies", """以商招商: suppliers and customers of local anchors that are outside the region,
grouped by segment.

\b
Example:
  chainkg gaps dependencies --chain 新能源电池
""")
_gap_command("chokepoints", """Segments and enterprises whose removal cuts local anchors off from all of an input
(dominators on the FEEDS and SUPPLIES graphs), ranked by directed betweenness.

\b
Example:
  chainkg gaps chokepoints
""")


@main.command()
@scope_options
@click.option("--explain", is_flag=True, help="Show each part of the score.")
@click.option("--weights", "weights_file", type=click.Path(dir_okay=False, path_type=Path),
              help="YAML/JSON/TOML file with weights gap, tie, region, pipeline, lists.<name>.")
@click.option("--weight", "weight_overrides", multiple=True, metavar="NAME=VALUE",
              help="Override one weight, e.g. --weight tie=3 --weight lists.世界500强=5.")
@click.option("--k", "k", type=click.IntRange(min=1), default=1, show_default=True, help="延链 hops.")
@click.option("--limit", type=click.IntRange(min=1), default=None, help="Show at most this many rows.")
@click.pass_obj
@friendly_errors
def targets(obj: Context, chain: str | None, region: str | None, fmt: str, explain: bool,
            weights_file: Path | None, weight_overrides: tuple[str, ...], k: int, limit: int | None) -> None:
    """Recruiting targets (招商目标) for each gap: outside enterprises with a transparent score.

    score = gap (补链 3 / 强链 2 / 延链 1, × gap weight) + ties to local anchors + 500-strong and other lists
    + HQ in a courted source region + already in the local pipeline. See README "targets".

    \b
    Example:
      chainkg targets --chain 新能源电池 --explain
      chainkg targets --weight tie=3 --weights my-weights.yaml
    """
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
    rows = run_query(obj, "targets", region=region, chain=chain, weights=weights, k=k, limit=limit)
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


@main.command()
@scope_options
@click.option("--section", type=click.Choice(["all", "status", "chain", "region", "event", "conversion", "stalled"]),
              default="all", show_default=True, help="Which part to print (csv needs one section).")
@click.option("--as-of", help="Date to measure 'not moved' from (YYYY-MM-DD; default today).")
@click.option("--stale-days", type=click.IntRange(min=0), default=180, show_default=True,
              help="A project at the same status for longer than this has not moved.")
@click.pass_obj
@friendly_errors
def pipeline(obj: Context, chain: str | None, region: str | None, fmt: str, section: str,
             as_of: str | None, stale_days: int) -> None:
    """The project pipeline 谋划→在谈→签约→落地→开工→投产→增资: projects by status, chain, region and event,
    totals of agreed amount and funds in place (亿元), stage conversion (落地率, 开工率, 投产率) and projects
    that have not moved.

    \b
    Example:
      chainkg pipeline
      chainkg pipeline --section conversion --format csv
    """
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
