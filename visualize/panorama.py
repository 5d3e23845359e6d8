"""The planner's 全景图: segment boxes in stage columns, local firms inside, gaps coloured, targets named.

One chain (``chain``) or every chain (one band per chain, stage columns aligned). What a box says
comes from the query registry, never from rules of its own: status from
:func:`chainkg.graph.queries.coverage`, 强链 rules from :func:`~chainkg.graph.queries.weak`, 补链 facts
from :func:`~chainkg.graph.queries.missing` and recruiting targets with their score parts from
:func:`~chainkg.graph.queries.targets`; "chains of a node" is :func:`chainkg.graph.scope.chains_of`.

Outside firms are collapsed into a count per box ("外地 289 家", expandable in the page), local
firms beyond :data:`FIRM_LINES` into "另 N 家", so a box stays the same size at 20 or 2,000 firms.

>>> from chainkg.graph.synthetic import viz_graph as generate
>>> p = build_panorama(generate(300, seed=3), chain="新能源電池")
>>> p["meta"]["kind"], p["bands"][0]["name"], p["tally"]["segments"] == len(p["boxes"])
('chain', '新能源电池', True)
>>> sorted({b["status"] for b in p["boxes"]}) <= ["covered", "missing", "weak"]
True
"""

from __future__ import annotations

import math
import unicodedata
from collections import Counter, defaultdict
from typing import Any

from chainkg.errors import NoHomeRegion
from chainkg.graph.kg import GraphError, KnowledgeGraph
from chainkg.graph.queries import coverage, missing, targets, weak
from chainkg.graph.scope import CNY_TO_YI, build_scope, chains_of, project_status, resolve_chain
from chainkg.schema import STAGES

from . import i18n
from .search import keys_of, names_of, t2s_table

#: Geometry of the one-chain panorama (world px = CSS px at zoom 1).
BOX_W, NAME_FS, LINE_FS, LINE_H, NAME_H, PAD = 250, 18, 14, 20, 24, 8
#: Geometry of the all-chains overview.
OV_W, OV_NAME_FS, OV_LINE_FS = 168, 16, 12
#: Local firm names shown in a box before "另 N 家"; targets listed in a 缺失/薄弱 box.
FIRM_LINES, TARGET_LINES, TARGETS_KEPT, OUTSIDE_KEPT = 8, 3, 5, 200
COL_GAP, BOX_GAP = 36, 12


def text_width(text: str, size: float) -> float:
    """Approximate drawn width: CJK and full-width characters one em, others ~0.58 em.

    >>> text_width("锂盐", 10), text_width("PACK", 10)
    (20.0, 23.2)
    """
    return sum(float(size) if unicodedata.east_asian_width(ch) in "WF" else size * 0.58 for ch in text)


def fit(text: str, size: float, width: float) -> str:
    """``text`` cut with an ellipsis to fit ``width``.

    >>> fit("新能源汽车/两轮车/工程机械", 10, 60)
    '新能源汽车…'
    """
    if text_width(text, size) <= width:
        return text
    out = ""
    for ch in text:
        if text_width(out + ch + "…", size) > width:
            break
        out += ch
    return out + "…"


def wrap(text: str, size: float, width: float, lines: int = 2) -> list[str]:
    """``text`` broken into at most ``lines`` lines of ``width``, the last one cut with an ellipsis.

    >>> wrap("新能源汽车/两轮车/工程机械", 10, 80)
    ['新能源汽车/', '两轮车/工程机械']
    """
    out: list[str] = []
    rest = text
    while rest and len(out) < lines - 1 and text_width(rest, size) > width:
        cut = 1
        while cut < len(rest) and text_width(rest[: cut + 1], size) <= width:
            cut += 1
        soft = max((i + 1 for i in range(cut) if rest[i] in "/／·、 "), default=0)  # break after a separator
        if soft >= cut // 2:
            cut = soft
        out.append(rest[:cut])
        rest = rest[cut:]
    if rest:
        out.append(fit(rest, size, width))
    return out


def amount_text(kg: KnowledgeGraph, project: str) -> str | None:
    """A project's agreed amount as one cell: "13.69 亿元" (CNY units in 亿元), else amount and unit as given.

    >>> from chainkg.graph.kg import KnowledgeGraph
    >>> g = KnowledgeGraph({})
    >>> _ = g.merge_node("Project", {"id": "p", "name": "x", "status": "签约", "agreed_amount": 136900,
    ...                              "amount_unit": "万元"}, validate=False)
    >>> amount_text(g, "p")
    '13.69 亿元'
    """
    d = kg.g.nodes[project]
    amount, unit = d.get("agreed_amount"), d.get("amount_unit")
    if amount is None:
        return None
    if unit in CNY_TO_YI:
        return f"{float(amount) * CNY_TO_YI[unit]:,.2f}".rstrip("0").rstrip(".") + " 亿元"
    return f"{amount:,}" + (f" {unit}" if unit else "")


def _prov(kg: KnowledgeGraph, d: dict[str, Any], lang: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if d.get("provenance"):
        out["pv"] = d["provenance"]
        out["pvl"] = i18n.pick(i18n.PROVENANCE, d["provenance"], lang)
    src = d.get("source")
    if src:
        out["src"] = kg.name(src) if kg.has(src) else str(src)
    if d.get("evidence"):
        out["ev"] = str(d["evidence"])
    return out


class _Builder:
    def __init__(self, kg: KnowledgeGraph, region: str | None, chain: str | None, lang: str) -> None:
        self.kg, self.lang = kg, lang
        self.chain = resolve_chain(kg, chain)
        try:
            self.scope = build_scope(kg, region, self.chain)
        except NoHomeRegion:
            self.scope = None  # no region to judge against: no status, no local/outside split
        self.region = self.scope.region if self.scope else None
        self.entities: dict[str, dict[str, Any]] = {}
        self.search: list[tuple[str, list[str], list[str], str]] = []  # id, keys, names, kind
        self.status: dict[str, str] = {}
        self.rules: dict[str, list[str]] = {}
        self.weak_reason: dict[str, str] = {}
        self.missing: dict[str, Any] = {}
        self.targets: dict[str, list[Any]] = defaultdict(list)
        self.amounts: dict[str, float] = {}
        if self.scope is not None:
            for r in coverage(kg, self.region, self.chain):
                self.status[r.segment_id] = r.status
                self.amounts[r.segment_id] = r.agreed_amount_yi
            for r in weak(kg, self.region, self.chain):
                self.rules[r.segment_id] = list(r.rules)
                self.weak_reason[r.segment_id] = r.reason
            for r in missing(kg, self.region, self.chain):
                self.missing[r.segment_id] = r
            for r in targets(kg, self.region, self.chain):
                self.targets[r.segment_id].append(r)

    # ------------------------------------------------------------ facts
    def local(self, n: str) -> bool | None:
        if self.scope is None:
            return None
        return n in self.scope.local_firms or n in self.scope.local_projects

    def is_anchor(self, f: str) -> bool:
        return self.scope is not None and f in self.scope.local_anchors

    def firms(self, s: str) -> tuple[list[str], list[str]]:
        kg = self.kg
        every = set(kg.into(s, "OPERATES_IN"))
        if self.scope is None:
            return [], sorted(every, key=lambda f: (kg.name(f), f))
        local = sorted((f for f in every if f in self.scope.local_firms),
                       key=lambda f: (not self.is_anchor(f), kg.name(f), f))
        outside = sorted((f for f in every if f not in self.scope.local_firms), key=lambda f: (kg.name(f), f))
        return local, outside

    def projects(self, s: str) -> list[str]:
        ps = self.kg.into(s, "IN_SEGMENT")
        if self.scope is not None:
            ps = [p for p in ps if p in self.scope.local_projects]
        return sorted(ps, key=lambda p: (self.kg.name(p), p))

    def project_row(self, p: str) -> list[Any]:
        return [p, self.kg.name(p), project_status(self.kg, p), amount_text(self.kg, p)]

    def index(self, n: str, kind: str) -> None:
        d = self.kg.g.nodes[n]
        aliases = [str(a) for a in d.get("aliases") or ()]
        self.search.append((n, keys_of(self.kg.name(n), *aliases, n), names_of(self.kg.name(n), aliases), kind))

    # ------------------------------------------------------------ inspector records
    def rows_of(self, n: str) -> list[list[str]]:
        """Properties with Chinese labels and values (ids and provenance go under 来源)."""
        kg, lang = self.kg, self.lang
        d = kg.g.nodes[n]
        t = d["type"]
        rows = []
        for k, v in d.items():
            if k in ("type", "name", "aliases", "provenance", "source", "evidence", "chain", "order", "code",
                     "note", "anchor") or v in (None, "", []):
                continue
            rows.append([i18n.prop_label(k, lang, t), i18n.value(k, v, lang)])
        aliases = d.get("aliases")
        if aliases:
            rows.append([i18n.text(lang, "aliases"), "、".join(str(a) for a in aliases)])
        return rows

    def folded(self, n: str) -> dict[str, Any]:
        """The 来源 fold: id, code/order/note, provenance."""
        d = self.kg.g.nodes[n]
        extra = [[i18n.text(self.lang, "id"), n]]
        for k in ("code", "order", "note"):
            if d.get(k) not in (None, ""):
                extra.append([i18n.prop_label(k, self.lang, d["type"]), str(d[k])])
        return {"rows": extra, **_prov(self.kg, d, self.lang)}

    def firm_entity(self, f: str) -> None:
        if f in self.entities:
            return
        kg, lang = self.kg, self.lang
        segs = kg.out(f, "OPERATES_IN")
        self.entities[f] = {
            "t": "Enterprise", "name": kg.name(f), "local": self.local(f), "anchor": self.is_anchor(f),
            "where": "、".join(kg.name(r) for r in kg.out(f, "LOCATED_IN")),
            "segs": [[s, kg.name(s), "、".join(kg.name(c) for c in chains_of(kg, s))] for s in segs],
            "chains": [kg.name(c) for c in chains_of(kg, f)],
            "projects": [self.project_row(p) for p in sorted(kg.out(f, "INVESTS"))],
            "rows": self.rows_of(f), "fold": self.folded(f),
        }
        self.index(f, i18n.type_label("Enterprise", lang))

    def segment_entity(self, s: str, local: list[str], outside: list[str], projects: list[str]) -> dict[str, Any]:
        kg, lang = self.kg, self.lang
        d = kg.g.nodes[s]
        status = self.status.get(s)
        rules = [{"code": r, "label": i18n.pick(i18n.WEAK_RULE, r, lang)} for r in self.rules.get(s, [])]
        rec: dict[str, Any] = {
            "t": "Segment", "name": kg.name(s), "stage": i18n.pick(i18n.STAGE, d.get("stage", ""), lang),
            "chain": "、".join(kg.name(c) for c in chains_of(kg, s)),
            "status": status, "rules": rules,
            "local": [[f, kg.name(f), 1 if self.is_anchor(f) else 0] for f in local],
            "outside": [[f, kg.name(f)] for f in outside[:OUTSIDE_KEPT] if f], "n_outside": len(outside),
            "projects": [self.project_row(p) for p in projects],
            "amount": self.amounts.get(s) or None,
            "targets": [self.target_rec(r) for r in self.targets.get(s, [])[:TARGETS_KEPT]],
            "rows": self.rows_of(s), "fold": self.folded(s),
        }
        if s in self.weak_reason:
            rec["fold"]["rows"].append([i18n.text(lang, "rule_detail"), i18n.say(self.weak_reason[s], lang)])
        m = self.missing.get(s)
        if m is not None:
            rec["miss"] = {"score": m.score, "up": m.covered_upstream, "down": m.covered_downstream,
                           "anchors": m.anchors_needing, "pipeline": m.pipeline}
            rec["fold"]["rows"].append([i18n.text(lang, "rule_detail"), i18n.say(m.reason, lang)])
        return rec

    def target_rec(self, r: Any) -> dict[str, Any]:
        self.firm_entity(r.enterprise_id)
        return {"id": r.enterprise_id, "name": r.enterprise, "score": r.score, "gap": r.gap,
                "gapl": i18n.pick(i18n.GAP_KIND, r.gap, self.lang), "hq": r.hq,
                "parts": [[i18n.pick(i18n.SCORE_PART, k, self.lang), v] for k, v in r.parts.items()],
                "why": i18n.say(r.why, self.lang)}

    # ------------------------------------------------------------ boxes
    def box(self, s: str, band: int, detailed: bool) -> dict[str, Any]:
        kg, lang = self.kg, self.lang
        local, outside = self.firms(s)
        projects = self.projects(s)
        for f in local:
            self.firm_entity(f)
        if detailed:  # the overview lists outside names only (its payload stays small at national scale)
            for f in outside[:OUTSIDE_KEPT]:
                self.firm_entity(f)
        else:
            outside = outside[:OUTSIDE_KEPT // 5] + [""] * (len(outside) - OUTSIDE_KEPT // 5)
        self.index(s, i18n.type_label("Segment", lang))
        self.entities[s] = self.segment_entity(s, local, outside, projects)
        status = self.status.get(s)
        w = BOX_W if detailed else OV_W
        inner = w - 2 * PAD
        lines: list[dict[str, Any]] = []
        if detailed:
            name = wrap(kg.name(s), NAME_FS, inner - 4, 2)
            for f in local[:FIRM_LINES]:  # whole names, on two lines when long
                tag = "【链主】" if self.is_anchor(f) else ""
                for i, part in enumerate(wrap(tag + kg.name(f), LINE_FS, inner, 2)):
                    lines.append({"k": ("anchor" if tag else "firm") + ("" if i == 0 else " cont"),
                                  "t": part, "id": f})
            if len(local) > FIRM_LINES:
                lines.append({"k": "more", "t": i18n.text(lang, "more_local").format(n=len(local) - FIRM_LINES)})
            for p in projects[:2]:
                _, pname, pst, _ = self.project_row(p)
                lines.append({"k": "proj", "t": fit(f"〔{pst}〕{pname}", LINE_FS, inner), "id": p})
            if len(projects) > 2:
                lines.append({"k": "more", "t": i18n.text(lang, "more_projects").format(n=len(projects) - 2)})
            if status == "weak":
                for r in self.rules.get(s, []):
                    lines.append({"k": "rule", "t": fit("强链：" + i18n.pick(i18n.WEAK_RULE, r, lang), LINE_FS,
                                                        inner)})
            if status == "missing" and not self.targets.get(s):
                lines.append({"k": "thead", "t": i18n.text(lang, "no_targets")})
            if status in ("missing", "weak") and self.targets.get(s):
                lines.append({"k": "thead", "t": i18n.text(lang, "targets_head")})
                for i, r in enumerate(self.targets[s][:TARGET_LINES]):
                    score = f"{r.score:g}"
                    room = inner - text_width(score, LINE_FS) - 14
                    for part_i, part in enumerate(wrap(f"{i + 1}. {r.enterprise}", LINE_FS, room, 2)):
                        line = {"k": "target" if part_i == 0 else "target cont", "t": part if part_i == 0
                                else "   " + part, "id": r.enterprise_id}
                        if part_i == 0:
                            line["s"] = score
                        lines.append(line)
            if outside:
                key = "n_outside" if self.scope is not None else "n_firms"
                lines.append({"k": "out", "t": i18n.text(lang, key).format(n=f"{len(outside):,}")})
            h = PAD + NAME_H * len(name) + LINE_H * len(lines) + PAD
        else:
            name = [fit(kg.name(s), OV_NAME_FS, inner)]
            bits = []
            if self.scope is not None:
                bits.append(i18n.text(lang, "ov_local").format(n=len(local)))
            bits.append(i18n.text(lang, "ov_out" if self.scope is not None else "ov_firms").format(n=len(outside)))
            if status == "missing" and self.targets.get(s):
                bits.append("→" + self.targets[s][0].enterprise)
            lines.append({"k": "sum", "t": fit(" · ".join(bits), OV_LINE_FS, inner)})
            h = PAD + 22 + 17 + PAD - 2
        return {"id": s, "band": band, "stage": kg.g.nodes[s].get("stage", ""), "name": name, "status": status,
                "w": w, "h": h, "lines": lines, "n_out": len(outside), "local": len(local)}

    def tally(self, segs: list[str]) -> dict[str, int]:
        c = Counter(self.status.get(s) for s in segs)
        local = set()
        anchors = set()
        projects = set()
        if self.scope is not None:
            for s in segs:
                local |= self.scope.firms_in.get(s, set())
                anchors |= {f for f in self.scope.firms_in.get(s, set()) if f in self.scope.local_anchors}
                projects |= self.scope.projects_in.get(s, set())
        return {"segments": len(segs), "covered": c["covered"], "weak": c["weak"], "missing": c["missing"],
                "local": len(local), "anchors": len(anchors), "projects": len(projects)}


def _split(heights: list[float], k: int) -> list[list[int]]:
    """Indices 0..n-1 in order, cut into at most ``k`` runs of about equal total height."""
    if k <= 1 or len(heights) <= 1:
        return [list(range(len(heights)))]
    target = sum(heights) / k
    runs: list[list[int]] = [[]]
    acc = 0.0
    for i, h in enumerate(heights):
        if runs[-1] and acc + h / 2 > target and len(runs) < k:
            runs.append([])
            acc = 0.0
        runs[-1].append(i)
        acc += h + BOX_GAP
    return runs


def build_panorama(
    kg: KnowledgeGraph, chain: str | None = None, *, region: str | None = None, lang: str = "zh",
    aspect: float = 1.45,
) -> dict[str, Any]:
    """The panorama of one chain (``chain``) or of every chain, as the JSON the page draws.

    ``region`` (default: the graph's ``home_region``) is what "local" and the coverage status are
    judged against; without one the page says so and colours nothing. ``aspect`` is the width/height
    the layout aims at (the page's canvas).
    """
    if lang not in i18n.LANGS:
        raise GraphError(f"unknown language {lang!r}; choose one of {', '.join(i18n.LANGS)}")
    b = _Builder(kg, region, chain, lang)
    detailed = b.chain is not None
    chains = [b.chain] if detailed else sorted(
        kg.nodes("Chain"), key=lambda c: (not kg.out(c, "HAS_SEGMENT"), not kg.g.nodes[c].get("verified"),
                                          kg.name(c), c))
    bands: list[dict[str, Any]] = []
    boxes: list[dict[str, Any]] = []
    per_stage: dict[str, int] = defaultdict(int)
    for i, c in enumerate(chains):
        segs = kg.segments_of(c)
        band = {"id": c, "name": kg.name(c), "tally": b.tally(segs), "boxes": []}
        if not segs:
            band["note"] = i18n.text(lang, "no_template")
        for s in segs:
            box = b.box(s, i, detailed)
            band["boxes"].append(len(boxes))
            boxes.append(box)
        for st, n in Counter(boxes[j]["stage"] for j in band["boxes"]).items():
            per_stage[st] = max(per_stage[st], n)
        bands.append(band)
    stages = [s for s in STAGES if per_stage.get(s)] + sorted(s for s in per_stage if s not in STAGES)

    # sub-columns per stage: one chain is balanced towards `aspect`; the overview keeps bands low
    k = dict.fromkeys(stages, 1)
    if detailed:
        def col_height(st: str) -> float:
            hs = [x["h"] for x in boxes if x["stage"] == st]
            return max(sum(hs[j] + BOX_GAP for j in run) for run in _split(hs, k[st]))
        for _ in range(40):
            width = sum(k[st] * (BOX_W + BOX_GAP) + COL_GAP for st in stages)
            tallest = max(stages, key=col_height, default=None)
            if tallest is None or col_height(tallest) * aspect <= width or k[tallest] >= per_stage[tallest]:
                break
            k[tallest] += 1
    else:
        for st in stages:
            k[st] = max(1, math.ceil(per_stage[st] / 3))
    w = BOX_W if detailed else OV_W
    cols, x = [], 0.0
    for st in stages:
        cols.append({"stage": st, "label": i18n.pick(i18n.STAGE, st, lang), "x": x,
                     "w": k[st] * (w + BOX_GAP) - BOX_GAP, "sub": k[st]})
        x += k[st] * (w + BOX_GAP) - BOX_GAP + COL_GAP
    col_of = {c["stage"]: i for i, c in enumerate(cols)}
    for band in bands:
        by_stage: dict[str, list[int]] = defaultdict(list)
        for j in band["boxes"]:
            by_stage[boxes[j]["stage"]].append(j)
        for st, js in by_stage.items():
            ci = col_of[st]
            for sub, run in enumerate(_split([boxes[j]["h"] for j in js], k[st])):
                for j in (js[r] for r in run):
                    boxes[j]["col"] = ci
                    boxes[j]["x"] = cols[ci]["x"] + sub * (w + BOX_GAP)
    total = b.tally([x["id"] for x in boxes])
    home = kg.name(b.region) if b.region else None
    title = (f"{i18n.text(lang, 'view_panorama')}{i18n.colon(lang)}{kg.name(b.chain)}" if detailed
             else i18n.text(lang, "view_panorama_all"))
    texts = [n for _, _, names, _ in b.search for n in names]
    return {
        "meta": {"kind": "chain" if detailed else "overview", "title": title, "lang": lang, "home": home,
                 "chain": b.chain},
        "ui": i18n.ui_strings(lang),
        "geo": {"line_h": LINE_H, "name_h": NAME_H if detailed else 22, "pad": PAD, "gap": BOX_GAP,
                "band_gap": 28 if detailed else 22, "name_fs": NAME_FS if detailed else OV_NAME_FS,
                "line_fs": LINE_FS if detailed else OV_LINE_FS, "head": 0 if detailed else 150},
        "gap": {k: i18n.pick(i18n.GAP, k, lang) for k in i18n.GAP},
        "cols": cols,
        "bands": bands,
        "boxes": boxes,
        "tally": total,
        "entities": b.entities,
        "search": [{"id": n, "k": keys, "n": names, "ty": kind} for n, keys, names, kind in b.search],
        "t2s": t2s_table(texts),
    }
