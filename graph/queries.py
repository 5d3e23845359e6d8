"""The query registry: every analyst query, in one place.

A :class:`Query` names the networkx function that defines its rows, the row
type, the columns a table shows, its CLI options and its help with an
example. The CLI builds its commands from :data:`QUERIES`, both engines
dispatch through it (:class:`chainkg.graph.engine.Engine`), and the tests
are parametrised over it (help, README section, engine parity) — so a
query added here is exposed, documented and parity-checked at once.

To add a query: write its module (facts → rows, a function over the
embedded graph), its Cypher facts and a method of the same name on
:class:`chainkg.graph.neo4j.Neo4jBackend`, and one :func:`register` call
below.

>>> sorted(QUERIES)[:3]
['capability', 'chokepoints', 'coverage']
>>> QUERIES["missing"].columns
('chain', 'segment', 'stage', 'score', 'reason')
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .chokepoints import ChokepointRow, chokepoints
from .coverage import CoverageRow, coverage, segment_status
from .dependencies import DependencyRow, dependencies
from .gaps import CapabilityRow, ExtendRow, MissingRow, WeakRow, capability, extend, missing, weak
from .pipeline import PipelineReport, pipeline
from .supply import SupplyRow, supply
from .targets import TargetRow, Weights, load_weights, targets


@dataclass(frozen=True)
class Option:
    """A query parameter beyond region and chain, as the CLI offers it."""

    name: str
    type: type
    default: Any
    help: str
    minimum: int | None = None


@dataclass(frozen=True)
class Query:
    """One analyst query: its function (the definition of its rows), row type, columns and help."""

    name: str
    function: Callable[..., Any]
    row_type: type
    #: columns of the table view, in order (JSON and CSV carry every field)
    columns: tuple[str, ...]
    #: the first line of ``--help``
    summary: str
    #: example command lines for ``--help`` and the docs
    examples: tuple[str, ...]
    #: the CLI group the command lives in: ``gaps`` (``chainkg gaps NAME``) or ``None`` (``chainkg NAME``)
    group: str | None = "gaps"
    options: tuple[Option, ...] = ()

    @property
    def help(self) -> str:
        """The command's help text: summary, then the examples (click keeps ``\\b`` blocks as written)."""
        lines = "\n".join(f"  {e}" for e in self.examples)
        return f"{self.summary}\n\n\b\nExample:\n{lines}\n"


QUERIES: dict[str, Query] = {}


def register(query: Query) -> Query:
    if query.name in QUERIES:
        raise ValueError(f"query {query.name!r} is registered twice")
    QUERIES[query.name] = query
    return query


_K = Option("k", int, 1, "Maximum FEEDS hops from a covered segment (延链).", minimum=1)
_THRESHOLDS = (
    Option("min_revenue", float, 20000.0, "A firm with at least this revenue (万元) is substantial.", minimum=0),
    Option("min_employees", int, 300, "A firm with at least this many employees is substantial.", minimum=0),
    Option("min_capital", float, 10000.0, "A firm with at least this registered capital (万元) is substantial.",
           minimum=0),
)

register(Query(
    "coverage", coverage, CoverageRow,
    ("chain", "segment", "stage", "local_enterprises", "anchors", "projects", "agreed_amount_yi", "status"),
    "The 现状图 against the 全景图: per chain and segment, local enterprises, anchors, projects by status, "
    "agreed amount (亿元) and status (covered / weak / missing).",
    ("chainkg gaps coverage --chain 新能源电池", "chainkg gaps coverage --format csv > coverage.csv"),
))
register(Query(
    "missing", missing, MissingRow, ("chain", "segment", "stage", "score", "reason"),
    "补链: template segments with no local enterprise and no landed project, ranked by how much of the local "
    "chain touches them (covered neighbours up- and downstream, local anchors that need them).",
    ("chainkg gaps missing --chain 新能源电池", "chainkg gaps missing --region 东川区 --format json"),
))
register(Query(
    "capability", capability, CapabilityRow, ("chain", "segment", "score", "reason"),
    "技术/平台缺口: support segments (R&D and pilot platforms, testing and certification, industrial software, "
    "equipment services) with no local firm or landed project, ranked by the covered segments and anchors they "
    "would serve.",
    ("chainkg gaps capability --chain 新能源电池",),
))
register(Query(
    "supply", supply, SupplyRow, ("chain", "segment", "rule", "score", "reason"),
    "供应链缺口: inputs local anchors need (FEEDS into their segments, SUPPLIES to them) that no local firm "
    "makes, by concentration: one known supplier, one supplier region, or outside only.",
    ("chainkg gaps supply", "chainkg gaps supply --chain 新能源电池 --format csv > supply.csv"),
))
register(Query(
    "weak", weak, WeakRow, ("chain", "segment", "stage", "local_enterprises", "rules", "reason"),
    "强链: covered segments whose local firms are all small (no anchor, key, listed or 规上 firm and none above "
    "the size thresholds), covered only by a landed project, or whose local anchors buy from outside the region.",
    ("chainkg gaps weak", "chainkg gaps weak --min-revenue 50000 --min-employees 1000"),
    options=_THRESHOLDS,
))
register(Query(
    "extend", extend, ExtendRow, ("chain", "segment", "stage", "direction", "hops", "relatedness", "reason"),
    "延链: uncovered segments within K FEEDS hops of covered ones (up- or downstream, across chains), ranked by "
    "relatedness (share of FEEDS neighbours covered locally).",
    ("chainkg gaps extend --k 2 --chain 稀贵金属新材料",),
    options=(_K,),
))
register(Query(
    "dependencies", dependencies, DependencyRow,
    ("chain", "segment", "enterprise", "relation", "anchor", "product", "hq"),
    "以商招商: suppliers and customers of local anchors that are outside the region, grouped by segment.",
    ("chainkg gaps dependencies --chain 新能源电池",),
))
register(Query(
    "chokepoints", chokepoints, ChokepointRow, ("kind", "name", "chain", "local", "betweenness", "anchors", "inputs"),
    "Segments and enterprises whose removal cuts local anchors off from all of an input (dominators on the FEEDS "
    "and SUPPLIES graphs), ranked by directed betweenness.",
    ("chainkg gaps chokepoints",),
))
register(Query(
    "targets", targets, TargetRow, ("score", "enterprise", "chain", "segment", "gap", "hq", "placement"),
    "Recruiting targets (招商目标) for each gap: outside enterprises with a transparent score. score = gap "
    "(补链 3 / 强链 2 / 延链 1, × gap weight) + ties to local anchors + 500-strong and other lists + HQ in a "
    "courted source region + already in the local pipeline. See README \"targets\".",
    ("chainkg targets --chain 新能源电池 --explain", "chainkg targets --weight tie=3 --weights my-weights.yaml"),
    group=None,
    options=(Option("k", int, 1, "延链 hops.", minimum=1),
             Option("limit", int, None, "Show at most this many rows.", minimum=1),
             Option("offset", int, 0, "Skip this many of the best rows first (pages: --offset 100 --limit 100).",
                    minimum=0)),
))
register(Query(
    "pipeline", pipeline, PipelineReport, ("key", "projects", "agreed_amount_yi", "funds_in_place_yi"),
    "The project pipeline 谋划→在谈→签约→落地→开工→投产→增资: projects by status, chain, region and event, "
    "totals of agreed amount and funds in place (亿元), stage conversion (落地率, 开工率, 投产率) and projects "
    "that have not moved.",
    ("chainkg pipeline", "chainkg pipeline --section conversion --format csv"),
    group=None,
    options=(Option("as_of", str, None, "Date to measure 'not moved' from (YYYY-MM-DD; default today)."),
             Option("stale_days", int, 180, "A project at the same status for longer than this has not moved.",
                    minimum=0)),
))

__all__ = [
    "QUERIES",
    "Option",
    "Query",
    "Weights",
    "capability",
    "chokepoints",
    "coverage",
    "dependencies",
    "extend",
    "load_weights",
    "missing",
    "pipeline",
    "register",
    "segment_status",
    "supply",
    "targets",
    "weak",
]
