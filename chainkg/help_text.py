"""Help in Chinese first: every command's summary and every option's text in Chinese.

``chainkg --help`` lists the commands with Chinese summaries (the default language, as for tables);
``--lang en`` or ``CHAINKG_LANG=en`` shows the English ones. A command's own ``--help`` starts with its
Chinese summary, keeps the English description and examples (the commands and options themselves are
English words, for scripts), and gives every option its Chinese text (:data:`OPTION_HELP_ZH`), wrapped by
display width (click's wrapper counts a Chinese character as one column). ``tests/test_cli.py`` checks every
command has a summary, ``tests/test_help_zh.py`` every option a text.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

import click

#: Command path (without ``chainkg``) → one-line Chinese summary.
SUMMARY_ZH: dict[str, str] = {
    "": "chainkg——面向招商引资的产业链知识图谱。\n全景图对照现状图，找出补链、强链、延链方向和招商目标。",
    "export": "导出图：JSON、GraphML（Gephi）或 CSV 文件（可再加载）",
    "gaps": "本地产业链的缺口：覆盖、补链、强链、延链、以商招商、卡脖子",
    "gaps capability": "技术/平台缺口：本地无人提供的研发中试、检测等配套环节",
    "gaps chokepoints": "卡脖子：一旦缺失就切断本地链主某种投入的环节和企业",
    "gaps coverage": "现状图对照全景图：各环节的本地企业、链主、项目和状态",
    "gaps dependencies": "以商招商：本地链主在区外的供应商和客户，按环节分组",
    "gaps extend": "延链：与已覆盖环节相距 K 跳以内的未覆盖环节",
    "gaps missing": "补链：本地既无企业也无落地项目的全景图环节",
    "gaps supply": "供应链缺口：本地链主所需、本地无人生产的投入",
    "gaps weak": "强链：本地企业都小、仅有项目或链主外购的已覆盖环节",
    "generate": "生成可复现的全国规模测试图（用于性能测试，数据为合成）",
    "import": "把公开数据导入工作区：A 股企业池、产业链图谱、企业名录",
    "import a-share": "导入 A 股上市企业，作为全国候选企业池",
    "import atlas": "导入 industry-chain-atlas 产业链文件作为模板",
    "import register": "导入招商部门的企业名录（CSV 或 XLSX，中文表头）",
    "info": "概览：各类节点和关系的数量、各产业链的规模、来源类型构成",
    "load": "把 CSV/XLSX/YAML 文件加载进工作区：全部成功或一条不加",
    "match": "按行业代码、产品关键词和名单把企业归入全景图环节",
    "neo4j": "Neo4j 服务器上的图：推送、拉回、删除、执行 Cypher",
    "neo4j cypher": "执行一条 Cypher 语句并打印结果（默认只读）",
    "neo4j import": "初次加载：用 neo4j-admin 导入器写入本机已停止的服务器",
    "neo4j pull": "把 Neo4j 中的图读回工作区文件（与推送的图相同）",
    "neo4j push": "把图（--graph 文件或内置昆明数据）推送到 Neo4j",
    "neo4j schema": "创建 chainkg 的约束和索引（仅作用于 :Chainkg）",
    "neo4j status": "检查连接，列出 Neo4j 中 chainkg 保存的图",
    "neo4j wipe": "从 Neo4j 数据库中删除 chainkg 的图（--name 指定）",
    "pipeline": "项目推进：谋划→…→增资各阶段、金额、转化率和停滞项目",
    "report": "生成产业链报告：指标、缺口、招商目标、项目推进和图表",
    "schema": "打印数据模型说明：节点和关系类型、属性、中文列名",
    "search": "按名称、别名或 id 查找节点（简体、繁体均可）",
    "show": "查看一个节点：属性、来源与证据、相邻节点",
    "targets": "招商目标：每个缺口的区外候选企业，附透明的得分构成",
    "templates": "全国产业链全景图库：任何城市都可对照的完整产业链图谱",
    "templates export": "把全景图库中的一条产业链导出为 YAML，可编辑后再加载",
    "templates list": "列出全景图库中的产业链：环节数、阶段和所依据的公开文件",
    "templates show": "查看一条全景图：各阶段环节、供给关系和企业匹配规则",
    "templates use": "把全景图库中的产业链加入工作区（环节、供给关系和匹配规则）",
    "validate": "只检查 CSV/XLSX/YAML 文件不加载：每个问题一行",
    "viz": "生成交互式 HTML 视图：单个文件，无需联网，默认中文标签",
}


# The options every query command (graph/queries.py registry: gaps …, targets, pipeline) shares.
_QUERY_FORMAT = "table（默认）、json、csv（带 BOM 的 UTF-8，便于 Excel 打开）或 xlsx（需要 -o）。"
_QUERY_OUTPUT = "写入此文件而不是标准输出（格式由后缀决定，除非给了 --format：.xlsx、.csv、.json；其他为表格）。"

#: Option (its parameter name, as click names it) → Chinese help text. One text when the option means the same
#: on every command; else a dict from command path (without ``chainkg``; a group's path covers its commands,
#: ``""`` is the fallback) to the text there — the most specific path wins. ``--lang en`` shows click's
#: English ``help``; defaults, choices and ranges (``[default: 1; x>=1]``) are added by click in both.
OPTION_HELP_ZH: dict[str, str | dict[str, str]] = {
    "against": "对照工作区（见 --into）检查引用，或只在这些文件之间检查。",
    "as_of": {
        "pipeline": "以哪天为准计算“未推进”（YYYY-MM-DD；默认今天）。",
        "report": "项目推进中的“未推进”以哪天为准计算（YYYY-MM-DD；默认今天）。",
    },
    "ask_password": "提示输入 Neo4j 密码（不回显）。",
    "backend": "缺口、招商目标和项目推进查询所用的引擎（neo4j：见 `chainkg neo4j --help`）。",
    "base": {
        "load": "新建工作区时的起点。",
        "validate": "新建工作区时的起点（规则与 load 相同）。",
        "import": "新建工作区时的起点：内置昆明数据，或空白。",
    },
    "batch_size": "每个事务写入的行数。",
    "chain": {
        "": "只看这条产业链（名称、别名或 id）。",
        "report": "只看这条产业链（名称、别名或 id）；默认全部产业链。",
        "match": "只归入这条产业链的环节（名称、别名或 id）。默认：全部产业链模板。",
        "viz": "产业链名称或 id：--view chain 画的产业链；也用于缩小 overview 和 whole 的范围。",
    },
    "chains": "产业链条数（默认随 --firms 增加：12 + firms/20000，最多 60）。",
    "cross_feeds": "保留通向其他产业链环节的 FEEDS 供给关系（这样文件只能加载到已有那些产业链的工作区）。",
    "data": "本机已停止的服务器的实例目录（neo4j-server --data DIR）。",
    "database": "Neo4j 数据库（环境变量 CHAINKG_NEO4J_DATABASE；默认 neo4j）。",
    "dataset": "页面标题中显示的数据集名称（默认：图的名称）。",
    "depth": "--node 周围的跳数（ego 视图）。",
    "dry_run": "只显示会怎样归入环节，不做任何修改。",
    "encoding": "按此编码读取 CSV/YAML 文件（gbk、big5、utf-16-le …），不自动检测；XLSX 总是 Unicode。",
    "explain": "显示得分的每个组成部分。",
    "files": "把 CSV 文件留在此目录（默认：临时目录，用完删除）。",
    "firms": "企业数量（最多 2,000,000：每百万家企业的图约占 8 GB 内存）。",
    "fmt": {
        "": "输出格式。",
        "gaps": _QUERY_FORMAT,
        "targets": _QUERY_FORMAT,
        "pipeline": _QUERY_FORMAT,
        "export": "导出格式；workspace：工作区文件，格式由文件名决定（.chainkg 为 SQLite，或 .json）。",
    },
    "force": "文件已存在时覆盖。",
    "gbt_file": "GB/T 4754-2017 行业代码表（含 `code` 列的 CSV）：行业代码必须在表中。不给此表时，"
                "行业代码须为 2–4 位数字，且大类在 01 到 97 之间。",
    "graph_name": "chainkg 的图在 Neo4j 中的名称：多个图（城市）可共用一个数据库"
                  "（环境变量 CHAINKG_NEO4J_GRAPH；默认 'default'）。",
    "graph_path": "要操作的工作区文件（环境变量 CHAINKG_GRAPH）。默认：内置昆明数据。",
    "help": "显示本帮助并退出。",
    "home_level": "新建本地区域时：它的级别。",
    "home_part_of": "新建本地区域时：它所属的上级区域（如 佛山市）。",
    "home_region": "设定工作区的本地区域（各查询和视图默认针对的区域）；工作区中没有同名区域（Region）时新建。",
    "include_local": "本市数据已给出环节的本地企业也归入（不加此项：以其本地厂址说明的业务为准）。",
    "inputs": "同时把产品 → 投入的关系（上游材料）加载为 INPUT_OF。",
    "into": {
        "load": "加载到此工作区文件（不存在则新建）。",
        "validate": "对照 `load --into` 会写入的工作区检查（新工作区以 --base 为起点）。",
        "import": "导入到此工作区文件（不存在则新建）。默认：全局 --graph。",
        "match": "要更新的工作区文件。默认：全局 --graph。",
        "neo4j pull": "要写入的工作区文件。",
        "templates use": "把产业链加入此工作区（不存在则新建）。",
    },
    "k": {
        "gaps extend": "与已覆盖环节之间最多相隔几跳 FEEDS（延链）。",
        "targets": "延链跳数。",
    },
    "lang": {
        "": "表格、CSV/XLSX 表头和提示信息的语言（环境变量 CHAINKG_LANG）。JSON 的键和值始终是英文。",
        "viz": "页面文字的语言；名称保持数据原样（默认：全局 --lang，即 zh）。",
        "report": "理由和规则名称的语言（默认：全局 --lang，即 zh）；标题、表头和指标总是中文。",
    },
    "limit": "最多显示这么多行。",
    "max_nodes": "视图节点数超过此值时拒绝生成（默认 2,500；0：不限）。",
    "min_capital": "注册资本不低于此值（万元）的企业不算小企业。",
    "min_confidence": "只保留置信度不低于此值的归入结果。",
    "min_employees": "员工人数不低于此值的企业不算小企业。",
    "min_revenue": "营业收入不低于此值（万元）的企业不算小企业。",
    "node": "--view ego 的中心节点。",
    "node_type": "只找此类型的节点（Enterprise、Project …）。",
    "offset": "先跳过得分最高的这么多行（分页：--offset 100 --limit 100）。",
    "output": {
        "gaps": _QUERY_OUTPUT,
        "targets": _QUERY_OUTPUT,
        "pipeline": _QUERY_OUTPUT,
        "report": "要写入的文件：.xlsx（多个工作表和原生图表）、.html（一个离线页面）或 .md。",
        "viz": "要写入的 HTML 文件（单个自包含文件，离线可打开）。",
        "export": "输出文件（json、graphml），或一个空的或新的目录（csv）。",
        "generate": "要写入的工作区文件（.json 或 .json.gz）。",
        "templates export": "要写入的 YAML 文件（给目录则写入 <slug>.yaml）。",
    },
    "params": "查询参数（可重复）；VALUE 能按 JSON 解析时按 JSON 读取，否则作为文本。",
    "password": "Neo4j 密码（更好的做法：环境变量 CHAINKG_NEO4J_PASSWORD 或 --ask-password）。不给则不认证连接。",
    "port": "该服务器的端口（默认：它上次运行时的端口）。",
    "region": {
        "": "本地区域（名称或 id；默认：数据的本地区域）。",
        "match": "--include-local 所用的本地区域（默认：数据的本地区域）。",
        "viz": "whole：只保留位于该区域的节点；overview/chain：以该区域而不是图的本地区域判断本地覆盖。",
    },
    "replace": "先删除数据库中 chainkg 的节点（不加 --yes 时会先询问）。",
    "row_limit": "最多显示这么多行（按查询本身的顺序取前面的）。",
    "rules_file": "先为各环节设定的 YAML 匹配规则（segments: {id: {industries, keywords, firms}}）。"
                  "默认：各环节自带的规则；都没有时用内置的昆明规则。",
    "section": "打印哪一部分（csv 需指定一个部分）。",
    "seed": "随机种子（种子相同 → 文件相同）。",
    "show": "每个环节显示几家企业（json：全部归入结果）。",
    "stale_days": "项目停留在同一状态超过这么多天，即视为未推进。",
    "top": "列出多少个招商目标。",
    "types": "只保留这些节点类型（可重复或用逗号分隔；Enterprise 或 企业 …）。",
    "uri": "Neo4j Bolt URI（环境变量 CHAINKG_NEO4J_URI；默认 bolt://127.0.0.1:7687；TLS 用 bolt+s:// 或 "
           "neo4j+s://，自签名证书用 bolt+ssc://）。",
    "user": "Neo4j 用户名（环境变量 CHAINKG_NEO4J_USER；默认 neo4j）。",
    "version": "显示版本号并退出。",
    "view": "panorama：--chain 的全景图（或全部产业链的），可打印；overview：各产业链及其环节，按本地覆盖情况展示；"
            "chain：一条产业链的网络，上游 → 下游；ego：一个节点及其周边；whole：整张图，按产业链分组"
            "（每条产业链一个节点，可在页面中展开），可用 --type/--chain/--region 缩小范围。",
    "weight_overrides": "覆盖一个权重，如 --weight tie=3 --weight lists.世界500强=5。",
    "weights_file": "权重文件（YAML/JSON/TOML）：gap、tie、region、pipeline、lists.<名称>。",
    "wide": "表格不折行、显示全部列，不管终端多宽。",
    "write": "允许写入（默认：只读事务，写入会被拒绝）。",
    "yes": {
        "neo4j push": "--replace 删除之前不再询问。",
        "neo4j import": "替换数据库之前不再询问。",
        "neo4j wipe": "不再询问确认。",
    },
}

#: Section headings and the usage line's prefix in Chinese (click's are English words).
_HEADINGS_ZH = {"Options": "选项", "Commands": "命令", "Usage": "用法："}


def option_help_zh(command_path: str, name: str | None) -> str | None:
    """The Chinese help of option ``name`` on the command at ``command_path`` (without ``chainkg``), or None.

    >>> option_help_zh("gaps missing", "chain"), option_help_zh("report", "chain")[-8:]
    ('只看这条产业链（名称、别名或 id）。', '默认全部产业链。')
    """
    entry = OPTION_HELP_ZH.get(name or "")
    if entry is None or isinstance(entry, str):
        return entry
    best = None
    for prefix in entry:
        if (prefix == "" or command_path == prefix or command_path.startswith(prefix + " ")) and (
                best is None or len(prefix) > len(best)):
            best = prefix
    return None if best is None else entry[best]


def _lang(ctx: click.Context | None = None) -> str:
    """The language of this help: ``ctx``'s (``--lang`` before the command), else :func:`current_lang`."""
    from chainkg.cli_support import LANG_META, current_lang

    if ctx is not None and LANG_META in ctx.meta:
        return ctx.meta[LANG_META]
    return current_lang()


#: Whether a whole --help page is being written. The usage line is Chinese there only: a usage error prints it
#: too, among click's English lines (``Try … for help``, ``Error: …``), where it stays English.
_WHOLE_HELP: ContextVar[bool] = ContextVar("chainkg_whole_help", default=False)


def _clip(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` terminal columns (a CJK character takes two)."""
    from chainkg.output import display_width

    if display_width(text) <= limit:
        return text
    out, width = [], 0
    for ch in text:
        w = display_width(ch)
        if width + w > limit - 1:
            break
        out.append(ch)
        width += w
    return "".join(out) + "…"


#: A line never starts with these (they close what came before) nor ends with the openers.
# Not ASCII .,:; — after a Latin letter they stay with it anyway, and ".xlsx" after "：" may start a line.
_NO_LINE_START = set("、，。；：？！）》」』】…)]}>%")
_NO_LINE_END = set("（《「『【([{<")


def _units(text: str) -> list[str]:
    """``text`` cut where a line may break: at spaces (kept as units), between two Chinese characters and
    between Chinese and Latin — never inside a Latin word, an option name, a path or a URI, never before
    closing punctuation nor after an opening bracket."""
    from chainkg.output import display_width

    units: list[str] = []
    for ch in text:
        prev = units[-1] if units else " "
        if ch == " ":
            units.append(ch)
        elif prev != " " and (ch in _NO_LINE_START or prev[-1] in _NO_LINE_END
                              or (display_width(ch) < 2 and display_width(prev[-1]) < 2)):
            units[-1] = prev + ch
        else:
            units.append(ch)
    return units


def wrap_help(text: str, width: int) -> list[str]:
    """One line of help text in lines of at most ``width`` terminal columns (a Chinese character takes two),
    each filled as far as it goes; a unit wider than a whole line is cut by columns, whole characters only.

    click's wrapper (textwrap) counts a Chinese character as one column and breaks only at spaces, so its
    Chinese lines overflow the terminal; and it breaks ``--ask-password`` at the hyphen.

    >>> wrap_help("只看这条产业链（名称、别名或 id）。", 16)
    ['只看这条产业链', '（名称、别名或', 'id）。']
    >>> wrap_help("TLS 用 bolt+s:// 或 neo4j+s://", 12)
    ['TLS 用', 'bolt+s:// 或', 'neo4j+s://']
    """
    from chainkg.output import display_width

    width = max(width, 2)
    lines: list[str] = []
    line, used, gap = "", 0, ""
    for unit in _units(text):
        if unit == " ":
            gap += unit if line else ""  # spaces inside a line are kept (click's "  [default: …]"), at an end dropped
            continue
        w = display_width(unit)
        if line and used + len(gap) + w <= width:
            line, used = line + gap + unit, used + len(gap) + w
        else:
            if line:
                lines.append(line)
            while w > width:  # a path or URI longer than a line
                cut, cut_w = "", 0
                for ch in unit:
                    if cut and cut_w + display_width(ch) > width:
                        break
                    cut, cut_w = cut + ch, cut_w + display_width(ch)
                lines.append(cut)
                unit = unit[len(cut):]
                w = display_width(unit)
            line, used = unit, w
        gap = ""
    return [*lines, line] if line or not lines else lines


def _lines(text: str, width: int) -> list[str]:
    """``text`` wrapped by :func:`wrap_help`, its own line breaks kept."""
    return [line for part in text.split("\n") for line in wrap_help(part, width)]


@contextmanager
def _section(formatter: click.HelpFormatter, heading: str) -> Iterator[None]:
    """``formatter.section`` with a Chinese heading (full-width colon)."""
    formatter.write_paragraph()
    formatter.write(f"{'':>{formatter.current_indent}}{heading}：\n")
    formatter.indent()
    try:
        yield
    finally:
        formatter.dedent()


def _write_dl(formatter: click.HelpFormatter, rows: list[tuple[str, str]], col_max: int = 30,
              col_spacing: int = 2) -> None:
    """click's ``HelpFormatter.write_dl`` (same columns and widths), the second column wrapped by display width."""
    from chainkg.output import display_width

    first_col = min(max(display_width(first) for first, _ in rows), col_max) + col_spacing
    text_width = max(formatter.width - first_col - 2, 10)
    for first, second in rows:
        formatter.write(f"{'':>{formatter.current_indent}}{first}")
        if not second:
            formatter.write("\n")
            continue
        if display_width(first) <= first_col - col_spacing:
            formatter.write(" " * (first_col - display_width(first)))
        else:
            formatter.write("\n" + " " * (first_col + formatter.current_indent))
        lines = _lines(second, text_width)
        formatter.write(f"{lines[0]}\n")
        for line in lines[1:]:
            formatter.write(f"{'':>{first_col + formatter.current_indent}}{line}\n" if line else "\n")


def _write_usage(formatter: click.HelpFormatter, prog: str, args: str) -> None:
    """click's ``HelpFormatter.write_usage`` with the Chinese prefix, widths by display columns."""
    from chainkg.output import display_width

    prefix = f"{'':>{formatter.current_indent}}{_HEADINGS_ZH['Usage']}"
    head = f"{prefix}{prog}"
    if not args:
        formatter.write(head + "\n")
        return
    text_width = formatter.width - formatter.current_indent
    if text_width >= display_width(head) + 1 + 20:  # as click: the arguments fit right of the prefix
        indent = display_width(head) + 1
        lines = _lines(args, text_width - indent)
        formatter.write(f"{head} {lines[0]}\n")
    else:
        indent = max(formatter.current_indent, display_width(prefix)) + 4
        lines = _lines(args, text_width - indent)
        formatter.write(f"{head}\n{'':>{indent}}{lines[0]}\n")
    for line in lines[1:]:
        formatter.write(f"{'':>{indent}}{line}\n")


class _ChineseHelp:
    """Mixed into every chainkg command: the Chinese summary, headings and option texts when the language is
    Chinese; click's own formatting (English) otherwise."""

    chainkg_path: str = ""

    def get_short_help_str(self, limit: int = 45) -> str:
        zh = SUMMARY_ZH.get(self.chainkg_path)
        if zh and _lang() == "zh":
            return _clip(zh, max(limit, 20))
        return super().get_short_help_str(limit)  # type: ignore[misc]

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        token = _WHOLE_HELP.set(True)
        try:
            super().format_help(ctx, formatter)  # type: ignore[misc]
        finally:
            _WHOLE_HELP.reset(token)

    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        if not _WHOLE_HELP.get() or _lang(ctx) != "zh":
            super().format_usage(ctx, formatter)  # type: ignore[misc]
            return
        _write_usage(formatter, ctx.command_path, " ".join(self.collect_usage_pieces(ctx)))  # type: ignore[attr-defined]

    def format_help_text(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        zh = SUMMARY_ZH.get(self.chainkg_path)
        if zh and _lang(ctx) == "zh":
            formatter.write_paragraph()
            with formatter.indentation():
                for line in _lines(zh, formatter.width - formatter.current_indent):
                    formatter.write(" " * formatter.current_indent + line + "\n")
        super().format_help_text(ctx, formatter)  # type: ignore[misc]

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        if _lang(ctx) != "zh":
            super().format_options(ctx, formatter)  # type: ignore[misc]
            return
        rows = []
        for param in self.get_params(ctx):  # type: ignore[attr-defined]
            if not isinstance(param, click.Option):  # arguments: click >= 8.5 lists them in a section of their own
                continue
            # click names its help option by version ("help", "_click_default_help"): ask for it by identity
            name = "help" if param is self.get_help_option(ctx) else param.name  # type: ignore[attr-defined]
            zh = option_help_zh(self.chainkg_path, name)
            if zh is not None:
                param = copy.copy(param)  # click keeps one Option per command for every call: change a copy
                param.help = zh
            record = param.get_help_record(ctx)
            if record is not None:
                rows.append(record)
        if rows:
            with _section(formatter, _HEADINGS_ZH["Options"]):
                _write_dl(formatter, rows)
        if isinstance(self, click.Group):  # click.Group.format_options adds the commands after the options
            self.format_commands(ctx, formatter)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        if _lang(ctx) != "zh":
            super().format_commands(ctx, formatter)  # type: ignore[misc]
            return
        commands = [(name, cmd) for name in self.list_commands(ctx)  # type: ignore[attr-defined]
                    if (cmd := self.get_command(ctx, name)) is not None and not cmd.hidden]  # type: ignore[attr-defined]
        if commands:
            limit = formatter.width - 6 - max(len(name) for name, _ in commands)  # as click
            with _section(formatter, _HEADINGS_ZH["Commands"]):
                _write_dl(formatter, [(name, cmd.get_short_help_str(limit)) for name, cmd in commands])


_CLASSES: dict[type, type] = {}


def localise_help(group: click.Group, path: str = "") -> None:
    """Give ``group`` and every command under it its Chinese help (call once, after registering commands)."""
    for sub, cmd in [(path, group)] * (path == "") + [(f"{path} {n}".strip(), c) for n, c in group.commands.items()]:
        cls = type(cmd)
        if not issubclass(cls, _ChineseHelp):
            new = _CLASSES.get(cls)
            if new is None:
                new = _CLASSES[cls] = type(f"Chinese{cls.__name__}", (_ChineseHelp, cls), {})
            cmd.__class__ = new
        cmd.chainkg_path = sub
        if isinstance(cmd, click.Group) and cmd is not group:
            localise_help(cmd, sub)
