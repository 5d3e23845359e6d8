"""The project pipeline (谋划→在谈→签约→落地→开工→投产→增资): counts, amounts, conversion, stalled projects."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from chainkg.i18n import Message
from chainkg.schema import PIPELINE_STAGES

from .kg import KnowledgeGraph
from .rowdict import row_dict
from .scope import CNY_TO_YI, build_scope, chains_of, project_status

STAGE_INDEX = {s: i for i, s in enumerate(PIPELINE_STAGES)}
#: (rate name, numerator stage, denominator stage): share of projects that reached the
#: denominator stage and went on to reach the numerator stage.
CONVERSIONS = (
    ("签约率", "签约", "在谈"),
    ("落地率", "落地", "签约"),
    ("开工率", "开工", "落地"),
    ("投产率", "投产", "开工"),
)
UNGROUPED = "(none)"


@dataclass(frozen=True)
class GroupRow:
    """Projects of one group (a status, chain, region or event) with their amounts."""

    group: str
    key: str
    projects: int
    agreed_amount_yi: float
    funds_in_place_yi: float

    def as_dict(self) -> dict[str, Any]:
        return row_dict(self)


@dataclass(frozen=True)
class ConversionRow:
    rate: str
    reached: int
    of: int
    value: float | None

    def as_dict(self) -> dict[str, Any]:
        return row_dict(self)


@dataclass(frozen=True)
class StalledRow:
    project: str
    id: str
    status: str
    since: str | None
    days: int | None
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return row_dict(self)


@dataclass(frozen=True)
class PipelineReport:
    by_status: list[GroupRow]
    by_chain: list[GroupRow]
    by_region: list[GroupRow]
    by_event: list[GroupRow]
    totals: GroupRow
    conversion: list[ConversionRow]
    stalled: list[StalledRow]

    def as_dict(self) -> dict[str, Any]:
        return row_dict(self)


def _yi(d: dict[str, Any], key: str) -> float:
    factor = CNY_TO_YI.get(d.get("amount_unit", ""))
    v = d.get(key)
    return v * factor if factor is not None and v is not None else 0.0


def _parse(date: str) -> dt.date:
    parts = [int(x) for x in date.split("-")]
    return dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)


def _period_end(date: str) -> dt.date:
    """The last day a partial date can mean (2023 → 2023-12-31), so staleness is never overstated.

    >>> _period_end("2023"), _period_end("2024-02"), _period_end("2023-05-04")
    (datetime.date(2023, 12, 31), datetime.date(2024, 2, 29), datetime.date(2023, 5, 4))
    """
    parts = [int(x) for x in date.split("-")]
    if len(parts) == 1:
        return dt.date(parts[0], 12, 31)
    if len(parts) == 2:
        nxt = dt.date(parts[0] + parts[1] // 12, parts[1] % 12 + 1, 1)
        return nxt - dt.timedelta(days=1)
    return dt.date(*parts)


@dataclass(frozen=True)
class ProjectFacts:
    """What an engine gathers for one local project in scope."""

    id: str
    name: str
    status: str
    status_date: str | None
    agreed_yi: float
    funds_yi: float
    #: names of its chains, regions and events
    chains: list[str]
    regions: list[str]
    events: list[str]


def pipeline_report(projects: list[ProjectFacts], *, as_of: str | None = None, stale_days: int = 180) -> PipelineReport:
    """The pipeline report from gathered project facts: groups, totals, conversion rates and stalled projects."""

    def group(name: str, keys_of) -> list[GroupRow]:
        acc: dict[str, list[ProjectFacts]] = defaultdict(list)
        for p in projects:
            for key in keys_of(p) or [UNGROUPED]:
                acc[key].append(p)
        rows = [GroupRow(name, key, len(ps), round(sum(p.agreed_yi for p in ps), 6),
                         round(sum(p.funds_yi for p in ps), 6)) for key, ps in acc.items()]
        if name == "status":
            rows.sort(key=lambda r: STAGE_INDEX.get(r.key, 99))
        else:
            rows.sort(key=lambda r: (r.key == UNGROUPED, -r.projects, r.key))
        return rows

    projects = sorted(projects, key=lambda p: p.id)
    by_status = group("status", lambda p: [p.status])
    by_chain = group("chain", lambda p: sorted(set(p.chains)))
    by_region = group("region", lambda p: sorted(p.regions))
    by_event = group("event", lambda p: sorted(p.events))
    totals = GroupRow("all", "total", len(projects), round(sum(p.agreed_yi for p in projects), 6),
                      round(sum(p.funds_yi for p in projects), 6))

    def reached(stage: str) -> int:
        return sum(STAGE_INDEX[p.status] >= STAGE_INDEX[stage] for p in projects)

    conversion = []
    for name, num, den in CONVERSIONS:
        n, d = reached(num), reached(den)
        conversion.append(ConversionRow(f"{name} ({num}/{den})", n, d, round(n / d, 4) if d else None))

    today = _parse(as_of) if as_of else dt.date.today()
    stalled = []
    for p in projects:
        if p.status in ("投产", "增资"):
            continue  # done moving through the pipeline
        if p.status_date is None:
            stalled.append(StalledRow(p.name, p.id, p.status, None, None, Message([("no_status_date", {})])))
            continue
        days = (today - _period_end(p.status_date)).days
        if days > stale_days:
            stalled.append(StalledRow(p.name, p.id, p.status, p.status_date, days,
                                      Message([("stalled", {"status": p.status, "days": days,
                                                             "stale": stale_days})])))
    stalled.sort(key=lambda r: (r.days is None, -(r.days or 0), STAGE_INDEX[r.status], r.project, r.id))
    return PipelineReport(by_status, by_chain, by_region, by_event, totals, conversion, stalled)


def pipeline(
    kg: KnowledgeGraph,
    region: str | None = None,
    chain: str | None = None,
    *,
    as_of: str | None = None,
    stale_days: int = 180,
) -> PipelineReport:
    """Local projects by status, chain, region and event; totals; stage conversion; projects not moved.

    Local projects are those LOCATED_IN the region (or a region PART_OF it);
    with a chain, those IN_CHAIN it or IN_SEGMENT one of its segments.
    Amounts are summed in 亿元 over CNY units. A project has *reached* a stage
    when its status is that stage or a later one; a rate is reached(later) /
    reached(earlier), e.g. 落地率 = projects at 落地 or beyond / projects at 签约
    or beyond. *Not moved*: status date older than ``stale_days`` before
    ``as_of`` (default today; a partial date such as 2023 counts from its last
    day); projects with no status date are listed as unknown.

    Parameters
    ----------
    kg : KnowledgeGraph
    region, chain : str, optional
        As for :func:`chainkg.graph.gaps.missing`.
    as_of : str, optional
        The date "not moved" is measured from (YYYY, YYYY-MM or YYYY-MM-DD); default today.
    stale_days : int
        A project at the same status for longer than this has not moved.

    Returns
    -------
    PipelineReport

    Raises
    ------
    NotFoundError, GraphError
        As for :func:`chainkg.graph.gaps.missing`.
    DataError
        If a local project has no status.

    Examples
    --------
    >>> from chainkg.graph.examples import toy_chain
    >>> kg = toy_chain()
    >>> _ = kg.merge_node("Project", {"id": "p1", "name": "甲电池二期", "status": "签约", "status_date": "2024-01",
    ...     "agreed_amount": 20, "amount_unit": "亿元", "provenance": "stated", "source": "src:toy", "evidence": "…"})
    >>> kg.merge_edge("LOCATED_IN", "p1", "r:here", {"provenance": "stated", "source": "src:toy", "evidence": "…"})
    >>> kg.merge_edge("IN_SEGMENT", "p1", "s:cell", {"provenance": "stated", "source": "src:toy", "evidence": "…"})
    >>> r = pipeline(kg, as_of="2024-12-31")
    >>> r.totals.agreed_amount_yi, [(c.rate, c.reached, c.of) for c in r.conversion[:2]]
    (20.0, [('签约率 (签约/在谈)', 1, 1), ('落地率 (落地/签约)', 0, 1)])
    >>> [(s.project, s.days) for s in r.stalled]
    [('甲电池二期', 335)]
    """
    sc = build_scope(kg, region, chain)
    projects = set(sc.local_projects)
    if sc.chain:
        segs = set(kg.segments_of(sc.chain))
        projects = {p for p in projects if kg.has_edge(p, sc.chain, "IN_CHAIN") or segs & set(kg.out(p, "IN_SEGMENT"))}
    nodes = kg.g.nodes
    memo: dict[str, list[str]] = {}
    facts = [
        ProjectFacts(
            id=p, name=kg.name(p), status=project_status(kg, p), status_date=nodes[p].get("status_date"),
            agreed_yi=_yi(nodes[p], "agreed_amount"), funds_yi=_yi(nodes[p], "funds_in_place"),
            chains=[kg.name(c) for c in chains_of(kg, p, memo)],
            regions=[kg.name(r) for r in kg.out(p, "LOCATED_IN")],
            events=[kg.name(e) for e in kg.out(p, "SIGNED_AT")],
        )
        for p in projects
    ]
    return pipeline_report(facts, as_of=as_of, stale_days=stale_days)
