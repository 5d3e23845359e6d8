"""CLI commands for the national candidate pool: ``import a-share``, ``import atlas``, ``match``, ``generate``.

Each command reads a workspace file (``--into``, else the global ``--graph``), changes it and saves it
atomically, like ``chainkg load --into``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from chainkg.cli_support import (
    Context,
    apply_home_region,
    current_lang,
    echo_fitted,
    emit,
    encoding_option,
    friendly_errors,
    home_region_options,
    wide_option,
)
from chainkg.errors import GraphError
from chainkg.i18n import cli_text
from chainkg.output import render_json

if TYPE_CHECKING:
    from chainkg.graph.kg import KnowledgeGraph

BASES = click.Choice(["empty", "kunming"])


def _target(obj: Context, into: Path | None) -> Path:
    path = into or (Path(obj.graph_path) if obj.graph_path else None)
    if path is None:
        raise GraphError("name the workspace to write: --into FILE (or the global --graph FILE)")
    return path


def _save_and_report(kg: KnowledgeGraph, path: Path, report, fmt: str) -> None:
    if fmt == "json":
        click.echo(render_json({"workspace": str(path), **report.as_dict()}))
    else:
        click.echo(report.format())
        click.echo(cli_text("saved_graph", current_lang(), path=path, nodes=len(kg), edges=kg.g.number_of_edges()))


def _into_option(fn):
    fn = click.option("--base", type=BASES, default="empty", show_default=True,
                      help="What a new workspace starts from: the bundled Kunming graph or nothing.")(fn)
    fn = click.option("--into", type=click.Path(dir_okay=False, path_type=Path),
                      help="Workspace file to import into (created if missing). Default: the global --graph.")(fn)
    return fn


@click.group("import")
def import_group() -> None:
    """Import public datasets into a workspace: the A-share candidate pool, industry-chain-atlas templates.

    \b
    Example:
      chainkg import a-share ../shared/data/chainkg-a-share --into pool.json
      chainkg import atlas ../shared/data/industry-chain-atlas/*.yaml --into pool.json
    """


@import_group.command("a-share")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@_into_option
@click.option("--inputs/--no-inputs", default=True, show_default=True,
              help="Also load the product → input links (上游材料) as INPUT_OF.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.pass_obj
@friendly_errors
def import_a_share_cmd(obj: Context, folder: Path, into: Path | None, base: str, inputs: bool, fmt: str) -> None:
    """Import the A-share listed firms (ChainKnowledgeGraph JSON Lines) as the national candidate pool.

    Firms are keyed by normalised stock code (ent:600519.SH); Shenwan industries, main products with
    revenue share and product inputs come along. Prints what was cleaned or skipped and why.

    \b
    Example:
      chainkg import a-share ../shared/data/chainkg-a-share --into pool.json
      chainkg --graph pool.json import a-share ../shared/data/chainkg-a-share --no-inputs
    """
    from chainkg import progress
    from chainkg.graph.workspace import new_graph, open_for_update
    from chainkg.loaders.a_share import import_a_share

    path = _target(obj, into)
    with open_for_update(path, lambda: new_graph(path, base)) as ws, \
            progress.task("正在导入 A 股上市公司：{folder}…", "Importing A-share listed firms from {folder}…",
                          folder=folder.name or str(folder)):
        report = import_a_share(ws.kg, folder, inputs=inputs)
    _save_and_report(ws.kg, path, report, fmt)


@import_group.command("atlas")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@_into_option
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.pass_obj
@friendly_errors
def import_atlas_cmd(obj: Context, files: tuple[Path, ...], into: Path | None, base: str, fmt: str) -> None:
    """Import industry-chain-atlas chain files (YAML, MIT) as chain templates with their key listed firms.

    A folder stands for the .yaml files in it. Firms are deduplicated by stock code with those
    already in the workspace (import the A-share pool first to merge them).

    \b
    Example:
      chainkg import atlas ../shared/data/industry-chain-atlas --into pool.json
      chainkg --graph pool.json import atlas semiconductor.yaml
    """
    from chainkg import progress
    from chainkg.graph.workspace import new_graph, open_for_update
    from chainkg.loaders.atlas import import_atlas

    paths: list[Path] = []
    for f in files:
        if f.is_dir():
            paths += sorted(p for p in f.iterdir() if p.suffix in (".yaml", ".yml"))
        elif not f.exists():
            raise GraphError(f"{f}: no such file")
        else:
            paths.append(f)
    if not paths:
        raise GraphError("no .yaml files to import")
    path = _target(obj, into)
    with open_for_update(path, lambda: new_graph(path, base)) as ws, \
            progress.task("正在导入 {n:,} 个产业链图谱文件…", "Importing {n:,} chain atlas files…", n=len(paths)):
        report = import_atlas(ws.kg, paths)
    _save_and_report(ws.kg, path, report, fmt)


@import_group.command("register")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--into", type=click.Path(dir_okay=False, path_type=Path),
              help="Workspace file to import into (created if missing). Default: the global --graph.")
@home_region_options
@click.option("--gbt", "gbt_file", type=click.Path(dir_okay=False, path_type=Path),
              help="The GB/T 4754-2017 code table (CSV with a `code` column): industry codes must be in it. "
                   "Without it a code must have 2–4 digits and a division between 01 and 97.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@encoding_option
@click.pass_obj
@friendly_errors
def import_register_cmd(obj: Context, file: Path, into: Path | None, home_region: str | None, home_level: str,
                        home_part_of: str | None, gbt_file: Path | None, fmt: str, encoding: str | None) -> None:
    """Import a bureau's firm register (企业名录, CSV or XLSX with Chinese headers) as the home region's firms.

    Columns read: 名称, 统一社会信用代码, 行业代码 (GB/T 4754), 经营范围, 区县/镇街, 注册资本, 营业收入, 从业人数
    (amounts in 万元), 规上, 链主; others are ignored and listed. A district or town column puts each firm in
    that place, created inside the home region. All or nothing: every bad row is one line.
    Then run `chainkg match` to place the firms into the chain templates.

    \b
    Example:
      chainkg import register 企业名录.xlsx --into gaoming.chainkg --home-region 高明区 --home-part-of 佛山市
      chainkg --graph gaoming.chainkg match
    """
    from chainkg import progress
    from chainkg.graph.workspace import new_graph, open_for_update
    from chainkg.loaders.register import import_register, read_code_table

    known = read_code_table(gbt_file) if gbt_file else None
    path = _target(obj, into)
    with open_for_update(path, lambda: new_graph(path, "empty")) as ws:
        home = apply_home_region(ws.kg, home_region, home_level, home_part_of) or ws.kg.meta.get("home_region")
        if not home:
            raise GraphError("the workspace has no home region: name it with --home-region")
        with progress.task("正在导入企业名录 {name}…", "Importing the firm register {name}…", name=file.name):
            report = import_register(ws.kg, file, home, known_codes=known, encoding=encoding)
    if fmt == "json":
        click.echo(render_json({"workspace": str(path), **report.as_dict()}))
    else:
        click.echo(report.format(current_lang()))


@click.command("match")
@click.option("--chain", help="Only this chain's segments (name, alias or id). Default: every chain template.")
@click.option("--min-confidence", type=click.FloatRange(0, 1), default=0.5, show_default=True,
              help="Keep placements at least this confident.")
@click.option("--rules", "rules_file", type=click.Path(dir_okay=False, path_type=Path),
              help="YAML rules to set on the segments first (segments: {id: {industries, keywords, firms}}). "
                   "Default: the segments' own rules, or the bundled Kunming rules when none has any.")
@click.option("--region", help="Home region (default: the dataset's) for --include-local.")
@click.option("--include-local", is_flag=True,
              help="Also place local firms the city's data already places (off: their sites say what they do here).")
@click.option("--dry-run", is_flag=True, help="Show what would be placed; change nothing.")
@click.option("--into", type=click.Path(dir_okay=False, path_type=Path),
              help="Workspace file to update. Default: the global --graph.")
@click.option("--show", type=click.IntRange(min=0), default=3, show_default=True,
              help="Firms shown per segment (json: all placements).")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True)
@wide_option
@click.pass_obj
@friendly_errors
def match_cmd(obj: Context, chain: str | None, min_confidence: float, rules_file: Path | None, region: str | None,
              include_local: bool, dry_run: bool, into: Path | None, show: int, fmt: str) -> None:
    """Place pool firms into template segments by the segments' rules: industry codes, product keywords
    (weighted by revenue share) and explicit firm lists. Placements are OPERATES_IN marked inferred, with
    the evidence and a confidence; rerunning replaces earlier match placements, never curated ones.

    \b
    confidence = 1 − Π(1 − c): keyword 0.3 + 0.6 × revenue share (0.4 if unknown), industry 0.6, list 0.9.
    In each chain a firm goes only to segments within 0.2 of its best one there (the rest: overruled).
    A product keyword with nothing else agreeing needs a product of at least half the firm's revenue.

    \b
    Example:
      chainkg --graph pool.json match
      chainkg --graph pool.json match --chain 新能源电池 --min-confidence 0.6 --dry-run
    """
    from chainkg.graph import match as m
    from chainkg.graph.kg import KnowledgeGraph
    from chainkg.graph.workspace import open_for_update

    path = _target(obj, into)
    if not path.exists():
        raise GraphError(f"{path}: no such workspace (import a pool first: chainkg import a-share DIR --into {path})")
    with open_for_update(path, KnowledgeGraph) as ws:
        kg = ws.kg
        ws.changed = not dry_run
        _match_in(kg, m, obj, chain, min_confidence, rules_file, region, include_local, dry_run, path, show, fmt)


def _match_in(kg, m, obj, chain, min_confidence, rules_file, region, include_local, dry_run, path, show, fmt):
    lang = "en" if fmt == "json" else current_lang()  # JSON (its notes too) is the same in every language
    notes: list[str] = []
    if rules_file is not None:
        applied, unknown = m.apply_rules(kg, m.load_rules(rules_file))
        notes.append(cli_text("match_rules_file", lang, file=rules_file, n=len(applied)) +
                     (cli_text("match_rules_unknown", lang, n=len(unknown)) if unknown else ""))
    elif not any(m.has_rules(kg, s) for _, s in m.scope_segments(kg, chain)):
        bundled = m.bundled_rules("kunming")
        applied, _ = m.apply_rules(kg, m.load_rules(bundled))
        if applied:
            notes.append(cli_text("match_bundled", lang, n=len(applied)))
    from chainkg import progress

    with progress.task("正在把企业匹配到产业链环节…", "Matching firms to chain segments…"):
        report = m.match(kg, chain, min_confidence, region=region, include_local=include_local, dry_run=dry_run)
    if fmt == "json":
        click.echo(render_json({"workspace": str(path), "dry_run": dry_run, "notes": notes, **report.as_dict()}))
        return
    rows = []
    for s in report.segments:
        d = s.as_dict()
        d["top"] = "、".join(s.top[:show])
        rows.append(d)
    emit(rows, fmt, ["chain", "segment", "firms", "by_keyword", "by_industry", "by_code", "by_scope", "by_list",
                     "below_threshold", "overruled", "top"] if fmt == "table" else None,
         drop_constant=("chain",) if chain else ())
    if fmt == "csv":
        return
    for n in notes:
        echo_fitted(n)
    if report.no_rules:
        echo_fitted(cli_text("match_no_rules", lang, n=len(report.no_rules)))
    if report.unknown_rule_refs:
        echo_fitted(cli_text("match_unknown_refs", lang, refs="; ".join(report.unknown_rule_refs[:5]) +
                             (" …" if len(report.unknown_rule_refs) > 5 else "")))
    if report.unplaced_local:
        n = len(report.unplaced_local)
        echo_fitted(cli_text("match_unplaced", lang, n=n, s="s" if n != 1 else "",
                             names="、".join(report.unplaced_local[:20]) + (" …" if n > 20 else "")))
    verb = cli_text("match_verb_dry" if dry_run else "match_verb", lang)
    echo_fitted(cli_text("match_done", lang, path=path, verb=verb,
                         added=report.added, updated=report.updated, removed=report.removed,
                         kept=report.kept_curated, skipped=report.skipped_local, min=min_confidence))


@click.command("generate")
@click.option("--firms", type=click.IntRange(min=10, max=2_000_000), required=True,
              help="Number of enterprises (at most 2,000,000: a graph takes about 8 GB per million firms).")
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed (same seed → same file).")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Workspace file to write (.json or .json.gz).")
@click.option("--chains", type=click.IntRange(min=2), default=None,
              help="Number of chains (default grows with --firms: 12 + firms/20000, at most 60).")
@click.pass_obj
@friendly_errors
def generate_cmd(obj: Context, firms: int, seed: int, output: Path, chains: int | None) -> None:
    """Generate a deterministic national-scale graph for benchmarks: chains and segments (FEEDS, also across
    chains), a province → city → district tree with one home city, heavy-tailed SUPPLIES, anchors, projects
    and events. Every record is valid and marked inferred ("synthetic").

    \b
    Example:
      chainkg generate --firms 100000 --seed 1 -o national.json
      chainkg --graph national.json gaps missing
    """
    from chainkg import progress
    from chainkg.graph.synthetic import national_graph as generate
    from chainkg.graph.workspace import save

    with progress.task("正在生成 {firms:,} 家企业的全国图…", "Generating a national graph of {firms:,} firms…",
                       firms=firms):
        kg = generate(firms, seed=seed, chains=chains)
    save(kg, output)  # with its own progress line
    c = kg.counts()
    click.echo(f"{output}: {len(kg):,} nodes, {kg.g.number_of_edges():,} relationships "
               f"({', '.join(f'{k} {v:,}' for k, v in sorted(c['edges'].items()))})")

#: The commands this module adds to ``chainkg`` (registered by :mod:`chainkg.cli`).
COMMANDS = [import_group, match_cmd, generate_cmd]
