"""The chainkg data model, declared once.

Everything else (record validation, Neo4j constraints, the HTML legend,
``chainkg schema`` and the README's schema section) is generated from
:data:`SCHEMA`.
"""

from __future__ import annotations

from .model import NodeType, Property, RelType, Schema

P = Property

PROVENANCE_KINDS = ("stated", "template", "inferred")
PIPELINE_STAGES = ("谋划", "在谈", "签约", "落地", "开工", "投产", "增资")
STAGES = ("upstream", "midstream", "downstream", "support", "cycle")
REGION_LEVELS = (
    "country",
    "macro_region",
    "province",
    "city",
    "district",
    "county",
    "town",
    "dev_zone",
    "coop_zone",
    "park",
)
LISTS = ("世界500强", "中国500强", "民企500强", "上市", "专精特新", "单项冠军")
AMOUNT_UNITS = ("亿元", "万元", "元", "亿美元", "万美元", "美元")
OPERATES_ROLES = ("anchor", "key", "supporting")
LOCATED_ROLES = ("hq", "site", "office", "project")

#: Provenance and identity carried by every record.
COMMON = (
    P("id", required=True, aliases=("编号", "ID"), description="Unique id across the whole graph."),
    P(
        "provenance",
        required=True,
        enum=PROVENANCE_KINDS,
        aliases=("来源类型", "依据类型"),
        description="stated (a source says it), template (authored chain template), inferred (a guess, with a reason).",
    ),
    P(
        "source",
        required=True,
        ref="Source",
        aliases=("来源",),
        description="Id of the Source node the record comes from.",
    ),
    P(
        "evidence",
        aliases=("证据", "依据"),
        description="The sentence quoted from the source (stated), the basis (template) or the reason (inferred).",
    ),
)

NAME = P("name", required=True, aliases=("名称", "名字"), description="Canonical name (Simplified Chinese).")
ALIASES = P(
    "aliases",
    type="list",
    aliases=("别名",),
    description="Other names, e.g. the Traditional forms; separated by '|' in tabular files.",
)
NOTE = P("note", aliases=("备注",), description="Free text.")

NODE_TYPES = (
    NodeType(
        "Chain",
        "产业链",
        "A key industrial chain of the city's 8+N system.",
        (
            NAME,
            ALIASES,
            P("tier", enum=("8", "N"), aliases=("层级",), description='"8" for the eight key chains, "N" for others.'),
            P(
                "verified",
                type="bool",
                required=True,
                aliases=("已核实",),
                description="True only when a source confirms the chain belongs to the city's system.",
            ),
            NOTE,
        ),
        color="#c0392b",
        shape="star",
        file_names=("chains", "chain", "产业链"),
    ),
    NodeType(
        "Segment",
        "环节",
        "A segment (link) of a chain template (全景图): upstream, midstream or downstream.",
        (
            NAME,
            ALIASES,
            P("chain", required=True, ref="Chain", aliases=("产业链", "所属产业链"), description="Id of its chain."),
            P("stage", required=True, enum=STAGES, aliases=("位置", "上中下游"), description="Position in the chain."),
            P("order", type="int", minimum=0, aliases=("序号",), description="Order of the segment inside its chain."),
            P("code", aliases=("代码",), description="Short code from the template, e.g. B7."),
            P(
                "match_industries",
                type="list",
                aliases=("匹配行业",),
                description="Industry codes (e.g. Shenwan) whose firms belong here; used by `chainkg match`.",
            ),
            P(
                "match_gbt",
                type="list",
                aliases=("匹配国标行业",),
                description="GB/T 4754-2017 class codes whose firms belong here; used by `chainkg match`.",
            ),
            P(
                "match_keywords",
                type="list",
                aliases=("匹配关键词",),
                description="Product keywords that place a firm here; used by `chainkg match`.",
            ),
            P(
                "match_firms",
                type="list",
                aliases=("匹配企业",),
                description="Firms known to work here (stock codes or names); used by `chainkg match`.",
            ),
            NOTE,
        ),
        color="#2980b9",
        shape="box",
        file_names=("segments", "segment", "环节"),
    ),
    NodeType(
        "Enterprise",
        "企业",
        "A firm: chain master (链主), supplier, or recruiting target.",
        (
            NAME,
            ALIASES,
            P("stock_code", aliases=("股票代码",), description="Stock code with exchange suffix, e.g. 688567.SH."),
            P("credit_code", aliases=("统一社会信用代码", "信用代码"), description="Unified social credit code."),
            P("industry_code", aliases=("行业代码", "国民经济行业代码", "国标行业代码"),
              description="GB/T 4754-2017 industry code of the firm's main business (class, 4 digits), as registers "
                          "record it; used by `chainkg match`."),
            P("business_scope", aliases=("经营范围",),
              description="Business scope (经营范围) as registered; its clauses are matched against segment keywords."),
            P("registered_capital", type="float", minimum=0, aliases=("注册资本", "注册资本(万元)"),
              description="Registered capital in 万元 (CNY)."),
            P("revenue", type="float", minimum=0, aliases=("营业收入", "营收", "营业收入(万元)", "营收(万元)"),
              description="Annual revenue in 万元 (CNY)."),
            P("employees", type="int", minimum=0, aliases=("从业人数", "职工人数", "员工人数"),
              description="Number of employees."),
            P("above_scale", type="bool", aliases=("规上", "规上企业", "是否规上"),
              description="规模以上工业企业 (above-scale firm): yes/no."),
            P("anchor", type="bool", aliases=("链主", "是否链主", "龙头企业"),
              description="The bureau counts it as a 链主/龙头 firm: it anchors every segment it works in."),
            P(
                "lists",
                type="list",
                enum=LISTS,
                aliases=("榜单",),
                description="Memberships such as 世界500强, 中国500强, 民企500强, 上市.",
            ),
            NOTE,
        ),
        color="#27ae60",
        shape="dot",
        file_names=("enterprises", "enterprise", "firms", "企业"),
    ),
    NodeType(
        "Leader",
        "链长",
        "A chain leader (链长): a city leader in charge of one chain.",
        (
            NAME,
            P("title", aliases=("职务",), description="Office held, e.g. 市领导."),
            P("person_name", aliases=("姓名",), description="Only where a source gives it."),
            NOTE,
        ),
        color="#8e44ad",
        shape="triangle",
        file_names=("leaders", "leader", "链长"),
    ),
    NodeType(
        "Project",
        "项目",
        "An investment project in the pipeline 谋划→在谈→签约→落地→开工→投产→增资.",
        (
            NAME,
            ALIASES,
            P("status", required=True, enum=PIPELINE_STAGES, aliases=("状态", "阶段"), description="Pipeline stage."),
            P(
                "agreed_amount",
                type="float",
                minimum=0,
                aliases=("协议金额",),
                description="Agreed investment (协议金额), in amount_unit.",
            ),
            P(
                "funds_in_place",
                type="float",
                minimum=0,
                aliases=("到位资金",),
                description="Funds in place (到位资金), in amount_unit.",
            ),
            P("amount_unit", enum=AMOUNT_UNITS, aliases=("金额单位", "单位"), description="Unit of the amounts."),
            P("capacity", aliases=("产能", "规模"), description="Capacity where stated, e.g. 20GW."),
            P("signed_date", type="date", aliases=("签约日期",), description="YYYY-MM-DD, YYYY-MM or YYYY."),
            P("start_date", type="date", aliases=("开工日期",), description="YYYY-MM-DD, YYYY-MM or YYYY."),
            P(
                "status_date",
                type="date",
                aliases=("状态日期",),
                description="When the project reached its current status (for 'not moved').",
            ),
            P("commissioner", aliases=("首席服务专员", "服务专员"), description="Service commissioner (首席服务专员)."),
            NOTE,
        ),
        color="#e67e22",
        shape="diamond",
        file_names=("projects", "project", "项目"),
    ),
    NodeType(
        "Region",
        "区域",
        "A place: province, city, district, development or cooperation zone, or a source macro-region.",
        (
            NAME,
            ALIASES,
            P("level", required=True, enum=REGION_LEVELS, aliases=("级别", "层级"), description="Kind of region."),
            NOTE,
        ),
        color="#16a085",
        shape="ellipse",
        file_names=("regions", "region", "区域"),
    ),
    NodeType(
        "Event",
        "活动",
        "A promotion activity (推介会, 对接会, 座谈会 …).",
        (
            NAME,
            ALIASES,
            P("kind", aliases=("类型",), description="推介会, 对接会, 座谈会, 调度会 …"),
            P("date", type="date", aliases=("日期",), description="YYYY-MM-DD, YYYY-MM or YYYY."),
            P("place", aliases=("地点",), description="Where it took place, as text."),
            P("host", aliases=("主办",), description="Who hosted it."),
            NOTE,
        ),
        color="#d35400",
        shape="hexagon",
        file_names=("events", "event", "活动"),
    ),
    NodeType(
        "Statistic",
        "指标",
        "An aggregate figure a source states (到位资金 1168.02亿元, 554 managed projects …).",
        (
            NAME,
            P("value", type="float", required=True, aliases=("数值",), description="The number."),
            P("unit", aliases=("单位",), description="亿元, 个, %, 户 …"),
            P("period", aliases=("期间",), description="e.g. 2023-01/2023-11."),
            P("change_pct", type="float", aliases=("同比",), description="Year-on-year change in percent."),
            NOTE,
        ),
        color="#7f8c8d",
        shape="square",
        file_names=("statistics", "statistic", "指标"),
    ),
    NodeType(
        "Industry",
        "行业",
        "An industry of a classification such as Shenwan 2021 (申万行业).",
        (
            NAME,
            P("code", required=True, aliases=("行业代码", "代码"), description="Code in its classification."),
            P("level", type="int", minimum=1, aliases=("级别",), description="1 for top level, 2, 3 …"),
            P("scheme", aliases=("分类体系",), description="e.g. SW2021."),
            NOTE,
        ),
        color="#34495e",
        shape="square",
        file_names=("industries", "industry", "行业"),
    ),
    NodeType(
        "Product",
        "产品",
        "A product or material firms make.",
        (NAME, ALIASES, NOTE),
        color="#f1c40f",
        shape="dot",
        file_names=("products", "product", "产品"),
    ),
    NodeType(
        "Source",
        "来源",
        "A document or dataset facts come from.",
        (
            P("title", required=True, aliases=("标题",), description="Title."),
            P("publisher", aliases=("发布者",), description="Who published it."),
            P("author", aliases=("作者",), description="Author."),
            P("date", type="date", aliases=("日期",), description="Publication date."),
            P("url", aliases=("链接",), description="Where it was read."),
            P("kind", aliases=("类型",), description="article, notes, dataset …"),
            NOTE,
        ),
        color="#95a5a6",
        shape="text",
        needs_provenance=False,
        file_names=("sources", "source", "来源"),
    ),
)

_ENDS = ("from", "to")
REL_TYPES = (
    RelType("LEADS", "担任链长", "A leader is chain leader (链长) of a chain.", ("Leader",), ("Chain",),
            file_names=("leads",)),
    RelType("HAS_SEGMENT", "包含环节", "A chain has a segment in its template.", ("Chain",), ("Segment",),
            file_names=("has_segment",)),
    RelType(
        "FEEDS",
        "供给",
        "Upstream segment feeds a downstream one; may cross chains.",
        ("Segment",),
        ("Segment",),
        (P("product", aliases=("产品",), description="What flows, where known."),),
        file_names=("feeds",),
    ),
    RelType(
        "OPERATES_IN",
        "从事环节",
        "An enterprise works in a segment.",
        ("Enterprise",),
        ("Segment",),
        (
            P("role", enum=OPERATES_ROLES, aliases=("角色",), description="anchor, key or supporting."),
            P("confidence", type="float", minimum=0, aliases=("置信度",),
              description="0–1, for placements inferred by matching."),
        ),
        file_names=("operates_in",),
    ),
    RelType("ANCHORS", "链主", "An enterprise is a chain master (链主/龙头) of a chain.", ("Enterprise",),
            ("Chain",), file_names=("anchors",)),
    RelType(
        "SUPPLIES",
        "供货",
        "One enterprise supplies another.",
        ("Enterprise",),
        ("Enterprise",),
        (P("product", aliases=("产品",), description="What is supplied."),),
        file_names=("supplies",),
    ),
    RelType(
        "LOCATED_IN",
        "位于",
        "Where an enterprise (HQ or site), project or event is.",
        ("Enterprise", "Project", "Event"),
        ("Region",),
        (P("role", enum=LOCATED_ROLES, aliases=("角色",), description="hq, site, office or project."),),
        file_names=("located_in",),
    ),
    RelType("PART_OF", "隶属", "A region lies inside another.", ("Region",), ("Region",), file_names=("part_of",)),
    RelType("INVESTS", "投资", "An enterprise invests in a project.", ("Enterprise",), ("Project",),
            file_names=("invests",)),
    RelType("IN_SEGMENT", "属于环节", "A project belongs to a segment.", ("Project",), ("Segment",),
            file_names=("in_segment",)),
    RelType("IN_CHAIN", "属于产业链", "A project belongs to a chain.", ("Project",), ("Chain",),
            file_names=("in_chain",)),
    RelType("SIGNED_AT", "签约于", "A project was signed at an event.", ("Project",), ("Event",),
            file_names=("signed_at",)),
    RelType("HOSTED_BY", "主办", "An event was hosted by a region's government or a zone.", ("Event",),
            ("Region",), file_names=("hosted_by",)),
    RelType("TARGETS", "面向", "An event courts firms from a source region.", ("Event",), ("Region",),
            file_names=("targets",)),
    RelType("IN_INDUSTRY", "所属行业", "An enterprise belongs to an industry.", ("Enterprise",), ("Industry",),
            file_names=("in_industry",)),
    RelType("SUBINDUSTRY_OF", "上级行业", "An industry is part of a broader one.", ("Industry",), ("Industry",),
            file_names=("subindustry_of",)),
    RelType(
        "MAKES",
        "主营产品",
        "An enterprise makes a product (main business).",
        ("Enterprise",),
        ("Product",),
        (P("revenue_share", type="float", minimum=0, aliases=("收入占比",),
           description="Share of revenue, 0–1, where known."),),
        file_names=("makes",),
    ),
    RelType("INPUT_OF", "上游材料", "A product is an input (material) of another.", ("Product",), ("Product",),
            file_names=("input_of",)),
    RelType(
        "DESCRIBES",
        "描述",
        "A statistic is about a region, chain or event.",
        ("Statistic",),
        ("Region", "Chain", "Event"),
        file_names=("describes",),
    ),
)

#: Columns that name the two ends of a relationship in tabular files.
END_ALIASES = {"from": ("from", "起点", "源", "from_id"), "to": ("to", "终点", "目标", "to_id")}

SCHEMA = Schema(
    node_types=NODE_TYPES,
    rel_types=REL_TYPES,
    common=COMMON,
    provenance_kinds=PROVENANCE_KINDS,
)
