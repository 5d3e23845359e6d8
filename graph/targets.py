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
import itertools
import json
import math
import tomllib
from collections import defaultdict
from collections.abc import Callable, Container, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from itertools import compress, filterfalse, repeat
from operator import add, contains, eq, getitem, itemgetter, le, mul, neg
from pathlib import Path
from typing import Any, NamedTuple

from chainkg.errors import InvalidArgument
from chainkg.i18n import Message, Part, phrase

from .engine import no_cyclic_gc
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


class TargetRow(NamedTuple):
    """One recruiting target: an outside firm for a gap segment, its score, the score's parts and why.

    A named tuple (immutable, fields by name) rather than a dataclass like the other rows: at 100k firms
    ``targets`` makes ~110k of them, and a tuple is built in one C-level step (see :func:`target_rows`).
    """

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
        # The fields in order with ``parts`` copied, as the other rows' as_dict (dataclasses.asdict) gives.
        return {"chain": self.chain, "segment": self.segment, "segment_id": self.segment_id, "gap": self.gap,
                "enterprise": self.enterprise, "enterprise_id": self.enterprise_id, "score": self.score,
                "parts": dict(self.parts), "hq": self.hq, "placement": self.placement, "why": self.why}


def courted_regions(kg: KnowledgeGraph, regions: frozenset[str]) -> set[str]:
    """Regions targeted by events hosted in ``regions``, with every region PART_OF them."""
    targeted = {r: None for e in kg.nodes("Event") if set(kg.out(e, "HOSTED_BY")) & regions
                for r in kg.out(e, "TARGETS")}
    courted: set[str] = set()
    for r in targeted:  # each region once: many events court the same one (50 events, 21 regions at 100k firms)
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


# Rows by the hundred thousand: the cyclic GC paused while they are made, as the engines run every query
# (see no_cyclic_gc), also for a direct call — in a notebook it was 0.6-0.8 s of 1.2-1.6 s at 100k firms.
@no_cyclic_gc()
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
    nodes, succ, pred = g._node, g._succ, g._pred
    name = kg.name
    # Firms tied to local anchors or investing in a local project, indexed from the anchors' and projects' side.
    ties_of: dict[str, set[str]] = defaultdict(set)
    for a in sc.local_anchors:
        for other in (*kg.out(a, "SUPPLIES"), *kg.into(a, "SUPPLIES")):
            ties_of[other].add(a)
    invests_of: dict[str, list[str]] = defaultdict(list)
    for p in sc.local_projects:
        for f in kg.into(p, "INVESTS"):
            invests_of[f].append(p)
    extras = {f: WhyFacts([name(a) for a in ties_of.get(f, ())], [name(p) for p in invests_of.get(f, ())])
              for f in (*ties_of, *invests_of)}

    def names(firms: Sequence[str]) -> list[str]:
        out = list(map(dict.get, map(nodes.__getitem__, firms), repeat("name")))
        return out if all(out) else [n or f for n, f in zip(out, firms, strict=True)]

    def lists(firms: Sequence[str]) -> list[tuple[str, ...]]:
        raw = list(map(dict.get, map(nodes.__getitem__, firms), repeat("lists"), repeat(())))
        return list(map(tuple, raw)) if None not in raw else [tuple(x) if x else () for x in raw]

    # A firm's HQ (as :func:`hq_of`: the least id of the regions it is LOCATED_IN with role hq) and the
    # courted regions among its HQs. For all rows: one pass over every region's LOCATED_IN (firm → its HQ
    # ids, ascending, as shared tuples) gives both; for a page, the courted regions' side and each kept
    # firm's own relationships.
    courted = courted_regions(kg, sc.regions)
    every_hq: dict[str, tuple[str, ...]] = {}

    def hq_ids(regions: Iterable[str]) -> dict[str, tuple[str, ...]]:
        out: dict[str, tuple[str, ...]] = {}
        for r in sorted(regions):
            here = (r,)
            found = list(_hq_firms(pred[r]))
            twice = {f: out[f] + here for f in out.keys() & found}  # a firm with HQs in two regions
            out.update(dict.fromkeys(found, here))
            out.update(twice)
        return out

    def courted_hq(firms: Sequence[str]) -> Iterable[tuple[str, ...]]:
        ids = list(map((every_hq or hq_ids(courted)).get, firms, repeat(())))
        names_of = {t: tuple(name(r) for r in t if r in courted) for t in dict.fromkeys(ids)}
        return map(names_of.__getitem__, ids)

    def hqs(firms: Sequence[str]) -> Iterable[str | None]:
        if len(firms) < _HQ_INDEX_FROM and not every_hq:
            return [_least_hq(succ[f], name) for f in firms]
        if not every_hq:
            every_hq.update(hq_ids(kg.nodes("Region")))
        ids = list(map(every_hq.get, firms, repeat(())))
        name_of = {t: name(t[0]) if t else None for t in dict.fromkeys(ids)}
        return map(name_of.__getitem__, ids)

    def firms_in(segment: str) -> tuple[list[str], list[Mapping[str, Any]]]:
        into = pred[segment]
        placed = list(map(contains, into.values(), repeat("OPERATES_IN")))
        return list(compress(into, placed)), list(map(getitem, compress(into.values(), placed), repeat("OPERATES_IN")))

    facts = CandidateFacts(sc.local_firms, names, lists, courted_hq, hqs, extras)
    return target_rows(w, {seg: (sc.segment_info(seg), kind) for seg, kind in gaps.items()}, firms_in, facts,
                       limit=limit, offset=offset)


def _hq_firms(located_in: dict[str, dict[str, Any]]) -> Iterator[str]:
    """Of a region's incoming relationships (firm → {type: properties}), the firms whose LOCATED_IN there is
    their HQ (role hq): C-level passes, as every region's are read when all of ``targets``' rows are asked."""
    roles = map(dict.get, map(dict.get, located_in.values(), repeat("LOCATED_IN"), repeat(_NO_PROPS)), repeat("role"))
    return compress(located_in, map(eq, roles, repeat("hq")))


def _least_hq(out: dict[str, dict[str, Any]], name: Callable[[str], str]) -> str | None:
    hq = None
    for r, kd in out.items():
        located = kd.get("LOCATED_IN")
        if located is not None and located.get("role") == "hq" and (hq is None or r < hq):
            hq = r
    return None if hq is None else name(hq)


class WhyFacts(NamedTuple):
    """The names behind a firm's ties and investments (unsorted): the local anchors it SUPPLIES or is supplied
    by, the local projects it INVESTS in."""

    ties: Sequence[str]
    invests: Sequence[str]


@dataclass(frozen=True)
class CandidateFacts:
    """What :func:`target_rows` reads of the firms in the gap segments, asked in bulk.

    Each callable takes a list of firm ids and gives one value per firm, in order, so an engine answers
    with look-ups mapped over its dicts instead of a Python call per firm: at 100k firms there are ~85k
    candidates in ~110k rows.
    """

    #: firms located in the home region: not candidates
    local: Container[str]
    #: each firm's name
    names: Callable[[Sequence[str]], Iterable[str]]
    #: each firm's lists (世界500强 …) in stored order
    lists: Callable[[Sequence[str]], Iterable[tuple[str, ...]]]
    #: the names of the courted regions each firm's HQs lie in (few are distinct: share them)
    courted_hq: Callable[[Sequence[str]], Iterable[tuple[str, ...]]]
    #: each firm's HQ name (None without one); asked for every candidate before ``courted_hq`` when every
    #: one will be in the rows (no limit), else for the firms of the rows kept
    hqs: Callable[[Sequence[str]], Iterable[str | None]]
    #: the few firms tied to local anchors or investing in local projects, with those names
    extras: Mapping[str, WhyFacts]


def target_rows(
    w: Weights,
    gaps: dict[str, tuple[SegmentInfo, str]],
    firms_in: Callable[[str], tuple[list[str], list[Mapping[str, Any]]]],
    facts: CandidateFacts,
    *,
    limit: int | None = None,
    offset: int = 0,
) -> list[TargetRow]:
    """The target rows, ranked and cut to ``offset``/``limit``: the rows of :func:`target_row`, built fast.

    What each engine gathers: ``gaps`` (segment id → its facts and gap kind), ``firms_in(segment)`` (the
    enterprises working in it and, in the same order, the properties of their OPERATES_IN: provenance,
    evidence) and ``facts`` about the firms. A firm's score parts other than the gap depend
    only on (number of tied anchors, lists, HQ courted, invests locally), of which there are few distinct
    values: parts and scores are computed once per value, candidates are small (score, segment rank,
    name, id) tuples made by C-level passes, and rows are built only for the ones kept, column by column.
    The tests compare every row with :func:`target_row`.
    """
    # Gap segments in the rows' order (chain, then template order): a candidate carries its segment's rank,
    # an int, rather than the segment's key tuple, so candidates are small tuples that sort fast.
    ranked = sorted(gaps.items(), key=lambda item: item[1][0].key)
    in_segment = [firms_in(seg) for seg, _ in ranked]
    firms = list(filterfalse(facts.local.__contains__,
                             dict.fromkeys(itertools.chain.from_iterable(f for f, _ in in_segment))))
    if not firms:
        return []
    # Firms are looked up by position (list indexing, no hashing) and grouped in classes: a firm's class
    # stands for what its score and the middle of its ``why`` depend on — (lists, courted HQ regions) for
    # most firms, shared by thousands; a firm with ties or local investments is a class of its own.
    position = dict(zip(firms, itertools.count()))
    # Every candidate is in the rows when there is no limit: their HQs now (an engine may read the courted
    # ones from the same pass); else only the kept firms' HQs, at the end.
    hq_col = list(facts.hqs(firms)) if limit is None else None
    lists_courted = list(zip(facts.lists(firms), facts.courted_hq(firms), strict=True))
    classes: dict[Any, int] = {}  # (lists, courted HQ names), or a firm with extras → class number
    class_col = list(map(classes.setdefault, lists_courted, itertools.count()))
    extras = facts.extras
    for f in extras.keys() & position.keys():
        class_col[position[f]] = classes[f] = len(firms) + len(classes)  # a number no shared class has
    # Names are sort keys: every candidate's for all rows; for a page, only those of the candidates that
    # can reach it (below).
    name_col = list(facts.names(firms)) if limit is None else None

    # Per class: the parts of its score other than the gap, and the names behind the middle of its ``why``.
    parts_of: dict[int, tuple[float, ...]] = {}
    why_of: dict[int, tuple] = {}
    for key, c in classes.items():
        if isinstance(key, tuple):
            lists, courted_hq = key
            ties, invests = (), ()
        else:
            lists, courted_hq = lists_courted[position[key]]
            ties, invests = extras[key]
        parts_of[c] = firm_parts(w, len(ties), lists, bool(courted_hq), bool(invests))
        why_of[c] = (ties, lists, courted_hq, invests)

    # A candidate: (-score, segment rank, name, id, position, index of its OPERATES_IN properties in
    # ``placed_in[rank]``); the properties are read for the rows kept only. For a page, first without
    # name and id: (-score, segment rank, position, index).
    candidates: list[tuple[float, int, str, str, int, int]] = []
    placed_in: list[list[Mapping[str, Any]]] = []
    by_kind: dict[str, dict[int, float]] = {}
    for rank, ((_, (_, kind)), (segment_firms, placed)) in enumerate(zip(ranked, in_segment, strict=True)):
        neg_score = by_kind.get(kind)
        if neg_score is None:
            gp = gap_part(w, kind)
            neg_score = by_kind[kind] = {c: -round(gp + sum(parts), 6) for c, parts in parts_of.items()}
        outside = list(map(position.__contains__, segment_firms))
        if all(outside):  # a missing segment has no local firm
            kept, props = segment_firms, placed
        else:
            kept, props = list(compress(segment_firms, outside)), list(compress(placed, outside))
        placed_in.append(props)
        at = list(map(position.__getitem__, kept))
        negs = map(neg_score.__getitem__, map(class_col.__getitem__, at))
        if name_col is not None:
            candidates.extend(zip(negs, repeat(rank), map(name_col.__getitem__, at), kept, at, range(len(kept))))
        else:
            candidates.extend(zip(negs, repeat(rank), at, range(len(kept))))
    if limit is not None:
        candidates = _page(candidates, offset + limit, firms, facts)[offset:]
    else:
        candidates.sort()
        if offset:
            candidates = candidates[offset:]
    if not candidates:
        return []
    if hq_col is None:
        kept = list(dict.fromkeys(c[4] for c in candidates))  # positions of the firms kept
        hq_of = dict(zip(kept, facts.hqs([firms[i] for i in kept]), strict=True))
        hq_col = list(map(hq_of.get, range(len(firms))))
    return _assemble(w, ranked, candidates, hq_col, class_col, why_of, parts_of, placed_in)


def _page(candidates: list[tuple[float, int, int, int]], k: int, firms: list[str],
          facts: CandidateFacts) -> list[tuple[float, int, str, str, int, int]]:
    """The best ``k`` candidates, with names and ids, from candidates without them.

    The k-th best (score, segment) is found without names; every candidate up to it can be among the best
    ``k`` (at the k-th's own score and segment only the name decides), and only those are named and ranked:
    a page names a few hundred firms instead of every candidate.
    """
    if len(candidates) > k:
        last = heapq.nsmallest(k, candidates)[-1][:2]
        candidates = list(compress(candidates, map(le, map(itemgetter(0, 1), candidates), repeat(last))))
    at = list(dict.fromkeys(map(itemgetter(2), candidates)))
    ids = list(map(firms.__getitem__, at))
    name_of = dict(zip(at, zip(facts.names(ids), ids, strict=True), strict=True))  # position → (name, id)
    named = [(neg, rank, *name_of[p], p, j) for neg, rank, p, j in candidates]
    return heapq.nsmallest(k, named)


def _assemble(w: Weights, ranked: list[tuple[str, tuple[SegmentInfo, str]]], candidates: list[tuple],
              hq_col: list[str | None], class_col: list[int], why_of: dict[int, tuple],
              parts_of: dict[int, tuple[float, ...]], placed_in: list[list[Mapping[str, Any]]]) -> list[TargetRow]:
    """The kept candidates' rows, column by column: each column is one C-level pass (map, zip) over the
    rows, and the Python-level work runs once per distinct value — the middle of ``why`` per firm class, a
    ``why`` per distinct (segment, middle, placement), a ``parts`` dict per (gap kind, class)."""
    negs, ranks, fnames, firms, at, index = zip(*candidates, strict=True)
    seg_ids = [seg for seg, _ in ranked]
    # Each row's placement, (provenance, evidence) of its OPERATES_IN: a few distinct ones, numbered in turn.
    props = list(map(getitem, map(placed_in.__getitem__, ranks), index))
    placement_no: dict[tuple[str, str | None], int] = {}
    placed = list(map(placement_no.setdefault, zip(map(dict.get, props, repeat("provenance"), repeat("")),
                                                   map(dict.get, props, repeat("evidence")), strict=True),
                      itertools.count()))
    placement = {number: value for value, number in placement_no.items()}
    cls = list(map(class_col.__getitem__, at))

    # The middle of ``why`` (the phrases after "works in … gap") of each class; classes share middles.
    middles: list[tuple[tuple[Part, ...], str]] = []
    middle_no: dict[tuple, int] = {}
    lists_w = w.lists
    mid_of: dict[int, int] = {}
    for c in dict.fromkeys(cls):  # the classes of the rows kept (a page has a few of ~5k)
        ties, lists, courted_hq, invests = why_of[c]
        mkey = (tuple(ties), tuple(x for x in lists if x in lists_w), tuple(courted_hq), tuple(invests))
        number = middle_no.get(mkey)
        if number is None:
            number = middle_no[mkey] = len(middles)
            middles.append(_middle(*mkey))
        mid_of[c] = number

    # One ``why`` (an immutable Message) per distinct (segment, middle, placement): rows share it. Its head
    # is the segment's, its tail the placement's (an inferred one names its evidence, as target_row does).
    why_keys = list(zip(ranks, map(mid_of.__getitem__, cls), placed, strict=True))
    heads = []
    for _, (info, kind) in ranked:
        head: Part = ("works_in_gap", {"gap": GAP_LABEL[kind], "segment": info.name})
        heads.append(((head,), f"works in {GAP_LABEL[kind]} gap {info.name}"))
    tails = {i: ((("placed_by_inference", {"evidence": evidence}),), "; placed by inference: " + evidence)
             if provenance == "inferred" and evidence else ((), "") for i, (provenance, evidence) in placement.items()}
    whys: dict[tuple, Message] = {}
    for key in dict.fromkeys(why_keys):
        rank, mid, placed_id = key
        (head, head_text), (phrases, middle_text), (tail, tail_text) = heads[rank], middles[mid], tails[placed_id]
        why = whys[key] = str.__new__(Message, head_text + middle_text + tail_text)
        why.parts = head + phrases + tail

    # parts: one dict per distinct (gap part, class), copied for each row; keyed by one int, class × 4 + kind
    kinds = [kind for _, (_, kind) in ranked]
    kind_names = list(GAP_BASE)
    part_keys = list(map(add, map(mul, cls, repeat(4)), map([kind_names.index(k) for k in kinds].__getitem__, ranks)))
    templates = {key: dict(zip(_PART_NAMES, (gap_part(w, kind_names[key % 4]), *parts_of[key // 4]), strict=True))
                 for key in set(part_keys)}
    infos = [info for _, (info, _) in ranked]
    columns = (
        map([i.chain for i in infos].__getitem__, ranks),
        map([i.name for i in infos].__getitem__, ranks),
        map(seg_ids.__getitem__, ranks),
        map(kinds.__getitem__, ranks),
        fnames,
        firms,
        map(neg, negs),  # the ranked score, round(gap + sum of the firm's parts, 6), negated back
        map(dict.copy, map(templates.__getitem__, part_keys)),
        map(hq_col.__getitem__, at),
        map(itemgetter(0), map(placement.__getitem__, placed)),
        map(whys.__getitem__, why_keys),
    )
    # tuple.__new__ directly: TargetRow's own __new__ (and _make) are Python functions.
    return list(map(tuple.__new__, repeat(TargetRow), zip(*columns, strict=True)))


_PART_NAMES = ("gap", "ties", "lists", "region", "pipeline")
_NO_PROPS: dict[str, Any] = {}


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
