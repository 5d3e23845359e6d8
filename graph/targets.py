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

import json
import tomllib
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
) -> list[TargetRow]:
    """Outside enterprises to recruit for each gap segment, best first.

    Gaps are the rows of :func:`missing`, :func:`weak` and :func:`extend` (``k``
    hops). A candidate is an enterprise not located in the region that works in
    the gap segment; ties to local anchors raise its score (outside partners of
    anchors with no known segment are listed by ``gaps dependencies``). One row
    per (gap segment, enterprise); ordered by
    score (high first), then chain and template order, then name.

    >>> from chainkg.data import kunming
    >>> rows = targets(kunming(), chain="新能源电池")
    >>> all(abs(r.score - sum(r.parts.values())) < 1e-9 for r in rows)
    True
    """
    w = weights or Weights()
    sc = build_scope(kg, region, chain)
    gaps: dict[str, str] = {}
    for kind, rows in (("missing", missing(kg, region, chain)), ("weak", weak(kg, region, chain)),
                       ("extend", extend(kg, region, chain, k))):
        for r in rows:
            if r.segment_id not in gaps or GAP_BASE[kind] > GAP_BASE[gaps[r.segment_id]]:
                gaps[r.segment_id] = kind
    courted = courted_regions(kg, sc.regions)
    local_projects = sc.local_projects
    out: list[TargetRow] = []
    for seg, kind in gaps.items():
        for f in sorted(sc.all_firms_in.get(seg, ())):
            if f in sc.local_firms:
                continue
            d = kg.g.nodes[f]
            ties = sorted(set(kg.out(f, "SUPPLIES") + kg.into(f, "SUPPLIES")) & sc.local_anchors)
            lists = [x for x in d.get("lists") or () if x in w.lists]
            hq_regions = [r for r in kg.out(f, "LOCATED_IN") if kg.edge(f, r, "LOCATED_IN").get("role") == "hq"]
            courted_hq = sorted(kg.name(r) for r in hq_regions if r in courted)
            invests = sorted(p for p in kg.out(f, "INVESTS") if p in local_projects)
            parts = {
                "gap": round(w.gap * GAP_BASE[kind], 6),
                "ties": round(w.tie * len(ties), 6),
                "lists": round(sum(w.lists[x] for x in lists), 6),
                "region": round(w.region if courted_hq else 0.0, 6),
                "pipeline": round(w.pipeline if invests else 0.0, 6),
            }
            reasons = [f"works in {GAP_LABEL[kind]} gap {kg.name(seg)}"]
            if ties:
                reasons.append("tied to local anchors " + "、".join(sorted(kg.name(a) for a in ties)))
            if lists:
                reasons.append("on " + "、".join(lists))
            if courted_hq:
                reasons.append("HQ in courted region " + "、".join(courted_hq))
            if invests:
                reasons.append("already invests in " + "、".join(kg.name(p) for p in invests))
            out.append(
                TargetRow(
                    chain=kg.name(sc.segment_chain[seg]),
                    segment=kg.name(seg),
                    segment_id=seg,
                    gap=kind,
                    enterprise=kg.name(f),
                    enterprise_id=f,
                    score=round(sum(parts.values()), 6),
                    parts=parts,
                    hq=hq_of(kg, f),
                    placement=kg.edge(f, seg, "OPERATES_IN").get("provenance", ""),
                    why="; ".join(reasons),
                )
            )
    out.sort(key=lambda r: (-r.score, sc.sort_key(r.segment_id), r.enterprise, r.enterprise_id))
    return out
