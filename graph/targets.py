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
import tomllib
from collections import defaultdict
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from .dependencies import hq_of
from .gaps import extend, missing, weak
from .kg import GraphError, KnowledgeGraph
from .scope import build_scope

GAP_BASE = {"missing": 3.0, "weak": 2.0, "extend": 1.0}
GAP_LABEL = {"missing": "补链", "weak": "强链", "extend": "延链"}


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
            if key.startswith("lists."):
                lists[key[6:]] = float(value)
            elif key in ("gap", "tie", "region", "pipeline"):
                w = replace(w, **{key: float(value)})
            else:
                raise GraphError(f"unknown weight {key!r} (gap, tie, region, pipeline, lists.<list name>)")
        return replace(w, lists=lists)


def load_weights(path: str | Path) -> Weights:
    """Weights from a YAML, JSON or TOML file with keys gap, tie, region, pipeline and lists."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as e:
        raise GraphError(f"{path}: cannot read weights ({e.strerror or e})") from None
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


@dataclass(frozen=True)
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
        return asdict(self)


def courted_regions(kg: KnowledgeGraph, regions: frozenset[str]) -> set[str]:
    """Regions targeted by events hosted in ``regions``, with every region PART_OF them."""
    courted: set[str] = set()
    for e in kg.nodes("Event"):
        if set(kg.out(e, "HOSTED_BY")) & regions:
            for r in kg.out(e, "TARGETS"):
                courted |= kg.region_closure(r)
    return courted - set(regions)


def targets(
    kg: KnowledgeGraph,
    region: str | None = None,
    chain: str | None = None,
    weights: Weights | None = None,
    k: int = 1,
    limit: int | None = None,
) -> list[TargetRow]:
    """Outside enterprises to recruit for each gap segment, best first (at most ``limit`` rows).

    Gaps are the rows of :func:`missing`, :func:`weak` and :func:`extend` (``k``
    hops). A candidate is an enterprise not located in the region that works in
    the gap segment; ties to local anchors raise its score (outside partners of
    anchors with no known segment are listed by ``gaps dependencies``). One row
    per (gap segment, enterprise); ordered by score (high first), then chain and
    template order, then name.

    >>> from chainkg.data import kunming
    >>> rows = targets(kunming(), chain="新能源电池")
    >>> all(abs(r.score - sum(r.parts.values())) < 1e-9 for r in rows)
    True
    """
    w = weights or Weights()
    sc = build_scope(kg, region, chain)
    gaps: dict[str, str] = {}
    for kind, rows in (("missing", missing(kg, scope=sc)), ("weak", weak(kg, scope=sc)),
                       ("extend", extend(kg, k=k, scope=sc))):
        for r in rows:
            if r.segment_id not in gaps or GAP_BASE[kind] > GAP_BASE[gaps[r.segment_id]]:
                gaps[r.segment_id] = kind
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
        for f in kg.into(r, "LOCATED_IN"):
            if g.edges[f, r, "LOCATED_IN"].get("role") == "hq":
                courted_hq_of[f].append(kg.name(r))

    # A firm's parts other than the gap are the same in every segment: compute them once per firm.
    firm_parts: dict[str, tuple[float, float, float, float]] = {}
    firm_key: dict[str, tuple[float, str]] = {}
    nodes = g._node
    local = sc.local_firms
    candidates = []
    for seg, kind in gaps.items():
        gap_part = round(w.gap * GAP_BASE[kind], 6)
        seg_key = sc.sort_key(seg)
        for f in sc.all_firms_in.get(seg, ()):
            key = firm_key.get(f)
            if key is None:
                if f in local:
                    continue
                lists = nodes[f].get("lists") or ()
                parts = firm_parts[f] = (
                    round(w.tie * len(ties_of.get(f, ())), 6),
                    round(float(sum(w.lists[x] for x in lists if x in w.lists)), 6),
                    round(w.region, 6) if f in courted_hq_of else 0.0,
                    round(w.pipeline, 6) if f in invests_of else 0.0,
                )
                key = firm_key[f] = (sum(parts), nodes[f].get("name") or f)
            candidates.append((-round(gap_part + key[0], 6), seg_key, key[1], f, seg, kind, gap_part))
    if limit is not None:
        candidates = heapq.nsmallest(limit, candidates)
    else:
        candidates.sort()

    out: list[TargetRow] = []
    for neg_score, _, name, f, seg, kind, gap_part in candidates:
        ties, lists_part, region_part, pipe_part = firm_parts[f]
        d = g.nodes[f]
        reasons = [f"works in {GAP_LABEL[kind]} gap {kg.name(seg)}"]
        if f in ties_of:
            reasons.append("tied to local anchors " + "、".join(sorted(kg.name(a) for a in ties_of[f])))
        lists = [x for x in d.get("lists") or () if x in w.lists]
        if lists:
            reasons.append("on " + "、".join(lists))
        if f in courted_hq_of:
            reasons.append("HQ in courted region " + "、".join(sorted(courted_hq_of[f])))
        if f in invests_of:
            reasons.append("already invests in " + "、".join(sorted(kg.name(p) for p in invests_of[f])))
        placed = g.edges[f, seg, "OPERATES_IN"]
        if placed.get("provenance") == "inferred" and placed.get("evidence"):
            reasons.append(f"placed by inference: {placed['evidence']}")
        out.append(
            TargetRow(
                chain=kg.name(sc.segment_chain[seg]),
                segment=kg.name(seg),
                segment_id=seg,
                gap=kind,
                enterprise=name,
                enterprise_id=f,
                score=-neg_score,
                parts={"gap": gap_part, "ties": ties, "lists": lists_part, "region": region_part,
                       "pipeline": pipe_part},
                hq=hq_of(kg, f),
                placement=placed.get("provenance", ""),
                why="; ".join(reasons),
            )
        )
    return out
