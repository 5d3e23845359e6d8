"""Recruiting targets (招商目标): outside enterprises for each gap, with a transparent score.

Score = gap + ties + lists + region + pipeline, each part shown by ``--explain``:

* **gap** — ``w.gap`` × the gap's base: 补链 (missing) 3, 强链 (weak) 2, 延链 (extend) 1;
  a firm that fits several gaps counts the best one;
* **ties** — ``w.tie`` × SUPPLIES relationships (either way) with local anchors (以商招商);
* **lists** — ``w.lists[name]`` summed over the firm's lists (世界500强 3, 中国500强 2,
  民企500强 1, 上市 1, 专精特新 1, 单项冠军 1 by default);
* **region** — ``w.region`` when the firm's HQ lies in a source region the city
  courts: a region TARGETED by an event hosted in the home region (京津冀, 长三角 …);
* **pipeline** — ``w.pipeline`` when the firm already INVESTS in a local project
  (a warm lead; set it negative to favour new names).
"""

from __future__ import annotations

import heapq
import json
import math
import tomllib
from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, fields, replace
from itertools import repeat
from operator import add, itemgetter, neg
from pathlib import Path
from typing import Any, NamedTuple

from chainkg.errors import InvalidArgument
from chainkg.i18n import Message, Part, phrase

from .gaps import extend, missing, weak
from .kg import GraphError, KnowledgeGraph
from .scope import SegmentInfo, build_scope

GAP_BASE = {"missing": 3.0, "weak": 2.0, "extend": 1.0}
GAP_LABEL = {"missing": "补链", "weak": "强链", "extend": "延链"}
#: From how many rows kept ``targets`` indexes every firm's HQ at once rather than firm by firm.
_HQ_INDEX_FROM = 2000


@dataclass(frozen=True)
class Weights:
    """Score weights; load from a YAML/JSON/TOML file with :func:`load_weights`."""

    gap: float = 1.0
    tie: float = 2.0
    region: float = 1.0
    pipeline: float = 1.0
    lists: dict[str, float] = field(
        default_factory=lambda: {"世界500强": 3.0, "中国500强": 2.0, "民企500强": 1.0, "上市": 1.0,
                                 "专精特新": 1.0, "单项冠军": 1.0}
    )

    def with_overrides(self, overrides: dict[str, float]) -> Weights:
        """A copy with ``gap=…``, ``tie=…`` or ``lists.世界500强=…`` style overrides."""
        w = self
        lists = dict(self.lists)
        for key, value in overrides.items():
            try:
                value = float(value)
            except (TypeError, ValueError):
                raise InvalidArgument(f"weight {key!r} must be a number, got {value!r}") from None
            if not math.isfinite(value):
                raise InvalidArgument(f"weight {key!r} must be a finite number, got {value!r}")
            if key.startswith("lists."):
                lists[key[6:]] = float(value)
            elif key in ("gap", "tie", "region", "pipeline"):
                w = replace(w, **{key: float(value)})
            else:
                raise GraphError(f"unknown weight {key!r} (gap, tie, region, pipeline, lists.<list name>)")
        return replace(w, lists=lists)


def _read_config(path: Path, what: str) -> str:
    from .fileio import read_config

    return read_config(path, what)


def load_weights(path: str | Path) -> Weights:
    """Weights from a YAML, JSON or TOML file with keys gap, tie, region, pipeline and lists."""

    import yaml

    path = Path(path)
    text = _read_config(path, "weights")
    try:
        if path.suffix == ".json":
            data = json.loads(text)
        elif path.suffix == ".toml":
            data = tomllib.loads(text)
        else:
            data = yaml.safe_load(text)
    except (ValueError, yaml.YAMLError) as e:
        raise GraphError(f"{path}: not valid {path.suffix.lstrip('.') or 'YAML'} ({e})") from None
    if not isinstance(data, dict):
        raise GraphError(f"{path}: weights must be a mapping")
    flat: dict[str, float] = {}
    for k, v in data.items():
        if k == "lists" and isinstance(v, dict):
            flat.update({f"lists.{n}": x for n, x in v.items()})
        else:
            flat[k] = v
    try:
        return Weights().with_overrides({k: float(v) for k, v in flat.items()})
    except (TypeError, ValueError):
        raise GraphError(f"{path}: every weight must be a number") from None


@dataclass(frozen=True, slots=True)
class TargetRow:
    chain: str
    segment: str
    segment_id: str
    gap: str
    enterprise: str
    enterprise_id: str
    score: float
    parts: dict[str, float]
    hq: str | None
    #: Provenance of the fact that places the firm in the segment (stated / template / inferred).
    placement: str
    why: str

    def as_dict(self) -> dict[str, Any]:
        # What dataclasses.asdict gives (fields in order, ``parts`` copied), without its recursive deep copy:
        # ``chainkg targets`` turns ~110k rows into dicts at 100k firms.
        return {"chain": self.chain, "segment": self.segment, "segment_id": self.segment_id, "gap": self.gap,
                "enterprise": self.enterprise, "enterprise_id": self.enterprise_id, "score": self.score,
                "parts": dict(self.parts), "hq": self.hq, "placement": self.placement, "why": self.why}


def courted_regions(kg: KnowledgeGraph, regions: frozenset[str]) -> set[str]:
    """Regions targeted by events hosted in ``regions``, with every region PART_OF them."""
    courted: set[str] = set()
    for e in kg.nodes("Event"):
        if set(kg.out(e, "HOSTED_BY")) & regions:
            for r in kg.out(e, "TARGETS"):
                courted |= kg.region_closure(r)
    return courted - set(regions)


def gap_kinds(missing_rows: Iterable[Any], weak_rows: Iterable[Any], extend_rows: Iterable[Any]) -> dict[str, str]:
    """Each gap segment's strongest gap kind (补链 over 强链 over 延链)."""
    gaps: dict[str, str] = {}
    for kind, rows in (("missing", missing_rows), ("weak", weak_rows), ("extend", extend_rows)):
        for r in rows:
            if r.segment_id not in gaps or GAP_BASE[kind] > GAP_BASE[gaps[r.segment_id]]:
                gaps[r.segment_id] = kind
    return gaps


def gap_part(w: Weights, kind: str) -> float:
    return round(w.gap * GAP_BASE[kind], 6)


def firm_parts(w: Weights, ties: int, lists: Iterable[str], courted: bool, invests: bool) -> tuple[float, ...]:
    """The parts of a firm's score that do not depend on the gap: (ties, lists, region, pipeline)."""
    return (
        round(w.tie * ties, 6),
        round(float(sum(w.lists[x] for x in lists if x in w.lists)), 6),
        round(w.region, 6) if courted else 0.0,
        round(w.pipeline, 6) if invests else 0.0,
    )


@dataclass(frozen=True)
class TargetFacts:
    """What an engine gathers for one (gap segment, outside enterprise) candidate."""

    segment: SegmentInfo
    gap: str
    enterprise: str
    enterprise_id: str
    #: names of the local anchors it SUPPLIES or is supplied by
    ties: list[str]
    #: the firm's lists (世界500强 …), in stored order
    lists: list[str]
    #: names of the courted regions its HQ lies in
    courted_hq: list[str]
    #: names of the local projects it INVESTS in
    invests: list[str]
    hq: str | None
    placement: str
    placement_evidence: str | None


def target_row(f: TargetFacts, w: Weights) -> TargetRow:
    """One recruiting-target row: its score parts and the ``why`` text naming every fact behind them."""
    ties, lists_part, region_part, pipe_part = firm_parts(w, len(f.ties), f.lists, bool(f.courted_hq),
                                                          bool(f.invests))
    gp = gap_part(w, f.gap)
    reasons: list[Part] = [("works_in_gap", {"gap": GAP_LABEL[f.gap], "segment": f.segment.name})]
    if f.ties:
        reasons.append(("tied_to_anchors", {"names": sorted(f.ties)}))
    lists = [x for x in f.lists if x in w.lists]
    if lists:
        reasons.append(("on_lists", {"names": lists}))
    if f.courted_hq:
        reasons.append(("hq_courted", {"names": sorted(f.courted_hq)}))
    if f.invests:
        reasons.append(("invests", {"names": sorted(f.invests)}))
    if f.placement == "inferred" and f.placement_evidence:
        reasons.append(("placed_by_inference", {"evidence": f.placement_evidence}))
    return TargetRow(
        chain=f.segment.chain, segment=f.segment.name, segment_id=f.segment.id, gap=f.gap,
        enterprise=f.enterprise, enterprise_id=f.enterprise_id,
        score=round(gp + sum((ties, lists_part, region_part, pipe_part)), 6),
        parts={"gap": gp, "ties": ties, "lists": lists_part, "region": region_part, "pipeline": pipe_part},
        hq=f.hq, placement=f.placement, why=Message(reasons),
    )


def target_key(score: float, segment: SegmentInfo, enterprise: str, enterprise_id: str) -> tuple:
    """The order of target rows: score (high first), chain and template order, then firm name and id."""
    return (-score, segment.key, enterprise, enterprise_id)


def targets(
    kg: KnowledgeGraph,
    region: str | None = None,
    chain: str | None = None,
    weights: Weights | None = None,
    k: int = 1,
    limit: int | None = None,
    offset: int = 0,
) -> list[TargetRow]:
    """Outside enterprises to recruit for each gap segment, best first.

    Gaps are the rows of :func:`missing`, :func:`weak` and :func:`extend` (``k``
    hops); a segment in several takes its strongest gap. A candidate is an
    enterprise not located in the region that works in the gap segment. One row
    per (gap segment, enterprise); score = gap + ties + lists + region + pipeline
    (see the module docstring).

    Parameters
    ----------
    kg : KnowledgeGraph
    region, chain : str, optional
        As for :func:`chainkg.graph.gaps.missing`.
    weights : Weights, optional
        Score weights (default :class:`Weights`).
    k : int
        延链 hops.
    limit : int, optional
        Keep the best ``limit`` rows (after ``offset``).
    offset : int
        Skip the best ``offset`` rows first (pages: ``offset=100, limit=100`` is rows 101–200).

    Returns
    -------
    list of TargetRow
        By score (high first), then chain and template order, then firm name and id.

    Raises
    ------
    NotFoundError, GraphError
        As for :func:`chainkg.graph.gaps.missing`.

    Examples
    --------
    >>> from chainkg.graph.examples import toy_chain
    >>> [(r.enterprise, r.segment, r.gap, r.score, r.parts["ties"]) for r in targets(toy_chain())]
    [('乙材料', '材料', 'missing', 5.0, 2.0)]
    """
    if offset < 0:
        raise InvalidArgument(f"offset must be 0 or more, not {offset}")
    w = weights or Weights()
    sc = build_scope(kg, region, chain)
    gaps = gap_kinds(missing(kg, scope=sc), weak(kg, scope=sc), extend(kg, k=k, scope=sc))
    g = kg.g
    # Per-firm facts, indexed once from the few anchors, local projects and courted regions
    # rather than looked up for each of (possibly) 100k candidate rows.
    ties_of: dict[str, set[str]] = defaultdict(set)
    for a in sc.local_anchors:
        for other in (*kg.out(a, "SUPPLIES"), *kg.into(a, "SUPPLIES")):
            ties_of[other].add(a)
    invests_of: dict[str, list[str]] = defaultdict(list)
    for p in sc.local_projects:
        for f in kg.into(p, "INVESTS"):
            invests_of[f].append(p)
    courted_hq_of: dict[str, list[str]] = defaultdict(list)
    for r in sorted(courted_regions(kg, sc.regions)):
        region_name = kg.name(r)
        for f, kd in g._pred[r].items():
            if "LOCATED_IN" in kd and kd["LOCATED_IN"].get("role") == "hq":
                courted_hq_of[f].append(region_name)

    nodes = g._node
    local = sc.local_firms
    succ = g._succ
    name = kg.name

    def score_facts(f: str) -> tuple[str, tuple] | None:
        if f in local:
            return None
        d = nodes[f]
        lists = d.get("lists")
        return d.get("name") or f, (len(ties_of[f]) if f in ties_of else 0, tuple(lists) if lists else (),
                                    f in courted_hq_of, f in invests_of)

    tie_names = {f: [name(a) for a in anchors] for f, anchors in ties_of.items()}
    invest_names = {f: [name(p) for p in projects] for f, projects in invests_of.items()}

    # Each kept firm's HQ (as :func:`hq_of`: the first LOCATED_IN region by id whose role is hq, i.e. the
    # least such id). For a page, looked up per firm; for many rows, indexed once from the regions' side:
    # one tight pass over the LOCATED_IN relationships of ~2k regions instead of a walk of each of ~85k
    # firms' relationships.
    hq_name_of: dict[str, str] | None = None
    if limit is None or offset + limit > _HQ_INDEX_FROM:
        hq_name_of = {}
        pred = g._pred
        for r in sorted(kg.nodes("Region"), reverse=True):  # so that the least region id is written last
            region_name = name(r)
            for f, kd in pred[r].items():
                located = kd.get("LOCATED_IN")
                if located is not None and located.get("role") == "hq":
                    hq_name_of[f] = region_name
    make_why = WhyFacts._make  # tuple.__new__: a NamedTuple's own __new__ is a Python function

    def why_facts(f: str) -> WhyFacts:
        if hq_name_of is not None:
            hq_name = hq_name_of.get(f)
        else:
            hq = None
            for r, kd in succ[f].items():
                located = kd.get("LOCATED_IN")
                if located is not None and located.get("role") == "hq" and (hq is None or r < hq):
                    hq = r
            hq_name = None if hq is None else name(hq)
        return make_why((tie_names.get(f, ()), nodes[f].get("lists") or (), courted_hq_of.get(f, ()),
                         invest_names.get(f, ()), hq_name))

    def placement(f: str, seg: str) -> tuple[str, str | None]:
        placed = succ[f][seg]["OPERATES_IN"]
        return placed.get("provenance", ""), placed.get("evidence")

    return target_rows(w, {seg: (sc.segment_info(seg), kind) for seg, kind in gaps.items()},
                       lambda seg: sc.all_firms_in.get(seg, ()), score_facts, why_facts, placement,
                       limit=limit, offset=offset)


class WhyFacts(NamedTuple):
    """A candidate firm's facts behind its ``why`` text (names unsorted), gathered once per firm kept."""

    ties: Sequence[str]
    lists: Sequence[str]
    courted_hq: Sequence[str]
    invests: Sequence[str]
    hq: str | None


def target_rows(
    w: Weights,
    gaps: dict[str, tuple[SegmentInfo, str]],
    firms_in: Callable[[str], Iterable[str]],
    score_facts: Callable[[str], tuple[str, tuple] | None],
    why_facts: Callable[[str], WhyFacts],
    placement: Callable[[str, str], tuple[str, str | None]],
    *,
    limit: int | None = None,
    offset: int = 0,
) -> list[TargetRow]:
    """The target rows, ranked and cut to ``offset``/``limit``: the rows of :func:`target_row`, built fast.

    What each engine gathers, as plain look-ups: ``gaps`` (segment id → its facts and gap kind);
    ``firms_in(segment)``, the enterprises working in it; ``score_facts(firm)``, None for a local firm
    (not a candidate), else its name and the arguments of :func:`firm_parts` (number of tied anchors,
    lists, HQ courted, invests locally); ``why_facts(firm)``; ``placement(firm, segment)``, the
    provenance and evidence of its OPERATES_IN. A firm's parts other than the gap are the same in every
    segment: they are computed once per firm, (score, segment, name) tuples are ranked, and rows are
    built only for the ones kept (at 100k firms there are ~110k rows of ~85k firms). The tests compare
    every row with :func:`target_row`.
    """
    # Gap segments in the rows' order (chain, then template order): a candidate carries its segment's rank,
    # an int, rather than the segment's key tuple, so candidates are small tuples that sort fast.
    ranked = sorted(gaps.items(), key=lambda item: item[1][0].key)
    firm_key: dict[str, tuple[float, str, tuple[float, ...]] | None] = {}
    candidates: list[tuple[float, int, str, str]] = []
    append = candidates.append
    parts_of: dict[tuple, tuple[float, ...]] = {}  # firm_parts by its arguments: few distinct ones
    known = firm_key.get  # a firm not yet seen gives _UNSEEN
    for rank, (seg, (_, kind)) in enumerate(ranked):
        gp = gap_part(w, kind)
        for f in firms_in(seg):
            key = known(f, _UNSEEN)
            if key is _UNSEEN:
                facts = score_facts(f)
                if facts is None:
                    key = firm_key[f] = None
                else:
                    args = facts[1]
                    parts = parts_of.get(args)
                    if parts is None:
                        parts = parts_of[args] = firm_parts(w, *args)
                    key = firm_key[f] = (sum(parts), facts[0], parts)
            if key is not None:
                append((-round(gp + key[0], 6), rank, key[1], f))
    if limit is not None:
        candidates = heapq.nsmallest(offset + limit, candidates)[offset:]
    else:
        candidates.sort()
        if offset:
            candidates = candidates[offset:]

    if not candidates:
        return []
    # The rows are built column by column: each column is one C-level pass (map, zip) over the kept
    # candidates, and the Python-level work runs once per distinct firm and once per distinct ``why``, not
    # once per row. At 100k firms (112k rows of 84k firms, ~20k distinct whys) the assembly is ~0.75 s, most
    # of it the per-firm why facts (0.29 s) and the 11 slot columns (0.27 s); see benchmarks/README.md.
    negs, ranks, fnames, firms = zip(*candidates, strict=True)
    seg_ids = [seg for seg, _ in ranked]
    seg_col = list(map(seg_ids.__getitem__, ranks))
    placed = list(map(placement, firms, seg_col))  # (provenance, evidence) of each row's OPERATES_IN

    # Per firm: the number of the middle of its ``why`` (the phrases after "works in … gap") and its HQ's
    # name. Most firms share a middle (no ties, the same lists, no courted HQ).
    middle_no: dict[tuple, int] = {}
    middles: list[tuple[tuple[Part, ...], str]] = []
    mid_of: dict[str, int] = {}
    hq_of: dict[str, str | None] = {}
    firm_parts_of: dict[str, tuple[float, ...]] = {}
    weighted: dict[tuple, tuple[str, ...]] = {(): ()}  # a firm's lists → those that carry a weight, in order
    lists_w = w.lists
    for f in dict.fromkeys(firms):
        ties, lists, courted_hq, invests, hq_of[f] = why_facts(f)
        lists = tuple(lists)
        on = weighted.get(lists)
        if on is None:
            on = weighted[lists] = tuple(x for x in lists if x in lists_w)
        mkey = (tuple(ties), on, tuple(courted_hq), tuple(invests))
        mid = middle_no.get(mkey)
        if mid is None:
            mid = middle_no[mkey] = len(middles)
            middles.append(_middle(*mkey))
        mid_of[f] = mid
        firm_parts_of[f] = firm_key[f][2]  # type: ignore[index]  # a candidate: not None

    # One ``why`` (an immutable Message) per distinct (segment, middle, placement): rows share it.
    why_keys = list(zip(ranks, map(mid_of.__getitem__, firms), placed, strict=True))
    whys: dict[tuple, Message] = {}
    for rank, mid, (provenance, evidence) in dict.fromkeys(why_keys):
        info, kind = ranked[rank][1]
        phrases, middle = middles[mid]
        text = f"works in {GAP_LABEL[kind]} gap {info.name}{middle}"
        phrases = (("works_in_gap", {"gap": GAP_LABEL[kind], "segment": info.name}), *phrases)
        if provenance == "inferred" and evidence:
            # As :func:`target_row`: an inferred placement names its evidence (when there is one).
            text += "; placed by inference: " + evidence
            phrases += (("placed_by_inference", {"evidence": evidence}),)
        whys[(rank, mid, (provenance, evidence))] = Message(phrases, text)

    # parts: the gap's part (by segment) then the firm's four (ties, lists, region, pipeline), as a dict
    gap_of = [(gap_part(w, kind),) for _, (_, kind) in ranked]
    part_values = map(add, map(gap_of.__getitem__, ranks), map(firm_parts_of.__getitem__, firms))
    infos = [info for _, (info, _) in ranked]
    columns = (
        map([i.chain for i in infos].__getitem__, ranks),
        map([i.name for i in infos].__getitem__, ranks),
        seg_col,
        map([kind for _, (_, kind) in ranked].__getitem__, ranks),
        fnames,
        firms,
        map(neg, negs),  # the ranked score, round(gap + sum of the firm's parts, 6), negated back
        map(dict, map(zip, repeat(_PART_NAMES), part_values)),
        map(hq_of.__getitem__, firms),
        map(itemgetter(0), placed),
        map(whys.__getitem__, why_keys),
    )
    # The rows' slots set column by column: a frozen dataclass's __init__ goes through object.__setattr__
    # for each of its 11 fields, per row.
    out: list[TargetRow] = list(map(object.__new__, repeat(TargetRow, len(candidates))))
    for setter, column in zip(_SETTERS, columns, strict=True):
        deque(map(setter, out, column), maxlen=0)
    return out


_PART_NAMES = ("gap", "ties", "lists", "region", "pipeline")
_UNSEEN = object()
# The slot setters of TargetRow in field order (frozen: its own __setattr__ refuses), used by target_rows.
_SETTERS = tuple(TargetRow.__dict__[f.name].__set__ for f in fields(TargetRow))


def _middle(ties: Sequence[str], lists: Sequence[str], courted_hq: Sequence[str],
            invests: Sequence[str]) -> tuple[tuple[Part, ...], str]:
    """The phrases of ``why`` after the gap (as :func:`target_row` makes them) and their English text."""
    phrases: list[Part] = []
    if ties:
        phrases.append(("tied_to_anchors", {"names": sorted(ties)}))
    if lists:
        phrases.append(("on_lists", {"names": list(lists)}))
    if courted_hq:
        phrases.append(("hq_courted", {"names": sorted(courted_hq)}))
    if invests:
        phrases.append(("invests", {"names": sorted(invests)}))
    return tuple(phrases), "".join("; " + phrase(c, a, "en") for c, a in phrases)
