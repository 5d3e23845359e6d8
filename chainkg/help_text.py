"""Help in Chinese first: every command's summary in Chinese, then its English description and options.

``chainkg --help`` lists the commands with Chinese summaries (the default language, as for tables);
``--lang en`` or ``CHAINKG_LANG=en`` shows the English ones. A command's own ``--help`` starts with its
Chinese summary and keeps the English description, examples and option texts (the commands and options
themselves are English words, for scripts). ``tests/test_cli.py`` checks every command has a summary.
"""

from __future__ import annotations

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


def _lang() -> str:
    from chainkg.cli_support import current_lang

    return current_lang()


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


class _ChineseHelp:
    """Mixed into every chainkg command: the Chinese summary when the language is Chinese."""

    chainkg_path: str = ""

    def get_short_help_str(self, limit: int = 45) -> str:
        zh = SUMMARY_ZH.get(self.chainkg_path)
        if zh and _lang() == "zh":
            return _clip(zh, max(limit, 20))
        return super().get_short_help_str(limit)  # type: ignore[misc]

    def format_help_text(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        zh = SUMMARY_ZH.get(self.chainkg_path)
        if zh and _lang() == "zh":
            formatter.write_paragraph()
            with formatter.indentation():
                for line in zh.split("\n"):  # not re-wrapped: Chinese has no spaces to break at
                    formatter.write(" " * formatter.current_indent + line + "\n")
        super().format_help_text(ctx, formatter)  # type: ignore[misc]


_CLASSES: dict[type, type] = {}


def localise_help(group: click.Group, path: str = "") -> None:
    """Give ``group`` and every command under it its Chinese summary (call once, after registering commands)."""
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
