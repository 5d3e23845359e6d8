"""CLI command ``chainkg report``: the chain report as XLSX, HTML or Markdown (see :mod:`chainkg.graph.report`)."""

from __future__ import annotations

from pathlib import Path

import click

from chainkg.cli_support import Context, current_lang, friendly_errors


@click.command()
@click.option("--chain", help="Only this chain (name, alias or id); default: every chain.")
@click.option("--region", help="Local region (name or id; default: the dataset's home region).")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="File to write: .xlsx (sheets and native charts), .html (one offline page) or .md.")
@click.option("--top", type=click.IntRange(min=1), default=20, show_default=True,
              help="How many 招商目标 to list.")
@click.option("--as-of", help="Date the pipeline's 'not moved' is measured from (YYYY-MM-DD; default today).")
@click.option("--stale-days", type=click.IntRange(min=0), default=180, show_default=True,
              help="A project at the same status for longer than this has not moved.")
@click.option("--lang", type=click.Choice(["zh", "en"]), default=None,
              help="Language of the reasons and rule names (default: the global --lang, zh); titles, headers "
                   "and KPIs are Chinese.")
@click.pass_obj
@friendly_errors
def report(obj: Context, chain: str | None, region: str | None, output: Path, top: int, as_of: str | None,
           stale_days: int, lang: str | None) -> None:
    """Write a chain report: KPIs, 缺链/薄弱/延链, 以商招商, 卡脖子, 招商目标, the project pipeline and charts.

    The format follows the file's suffix: .xlsx (one sheet per section, native Excel charts),
    .html (inline SVG charts and the chain panorama; opens offline) or .md (for pasting).

    \b
    Example:
      chainkg report --chain 新能源电池 -o 新能源电池.xlsx
      chainkg report --chain 新能源电池 --region 安宁市 -o 安宁-电池.html
      chainkg report -o 全部产业链.md
    """
    from chainkg.graph.report import FORMATS, build_report, write_report

    if output.suffix.lower() not in FORMATS:
        raise click.BadParameter(f"{output}: write .xlsx, .html or .md", param_hint="-o")
    if as_of is not None:
        from chainkg.schema import SCHEMA, coerce

        try:
            as_of = coerce(SCHEMA.node_type("Project").prop("status_date"), as_of)
        except ValueError as e:
            raise click.BadParameter(str(e), param_hint="--as-of") from None
    kg = obj.kg if obj.backend_name == "networkx" else None
    rep = build_report(obj.backend(), chain=chain, region=region, kg=kg, top=top, as_of=as_of,
                       stale_days=stale_days, lang=lang or current_lang())
    fmt = write_report(rep, output)
    from chainkg.i18n import cli_text

    click.echo(cli_text("report_done", current_lang(), path=output, title=rep.title, fmt=fmt,
                        sections=len(rep.sections), charts=len(rep.charts)))


#: The commands this module adds to ``chainkg`` (registered by :mod:`chainkg.cli`).
COMMANDS = [report]
