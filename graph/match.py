"""Segment matching: place the firms of a national pool into chain-template segments, with evidence.

A Segment may declare how to recognise its firms (schema properties
``match_industries``, ``match_keywords``, ``match_firms``); a rules file (YAML)
can set them for many segments at once (:func:`load_rules`, :func:`apply_rules`).
:func:`match` then adds OPERATES_IN relationships marked ``provenance:
inferred`` with the evidence (which product and revenue share, which industry,
or the explicit list) and a ``confidence``.

Rule syntax (each a list of strings, so they fit the schema's list properties):

* ``match_keywords`` — product keywords; a firm MAKES a product whose name
  contains one. A keyword starting with ``-`` vetoes products containing it
  (``-压滤机`` keeps 隔膜压滤机 out of 隔膜).
* ``match_industries`` — industry codes (e.g. Shenwan ``630701``) or names; a
  code covers its sub-industries (SUBINDUSTRY_OF). ``630702@0.3`` sets the
  weight of a broad industry.
* ``match_firms`` — stock codes or names of firms known to work there,
  optionally with ``@weight``.

Confidence (every signal in [0, 1], combined as a noisy-OR
``1 − Π(1 − cᵢ)``, capped at 0.99):

* keyword: per matching product ``0.3 + 0.6 × revenue_share`` (0.4 when the share
  is unknown); the firm's best product counts;
* industry: 0.6 (or the ``@weight``);
* explicit list: 0.9 (or the ``@weight``).

A placement is kept when its confidence reaches ``min_confidence`` (0.5 by
default; a keyword alone would need a revenue share of at least 1/3, the
side-line rule below asks for 1/2, or a second signal). Within one chain a firm is placed only in the segments within
``CHAIN_MARGIN`` (0.2) of its best segment of that chain: its main business
there says where it sits, a much weaker second candidate is left out (counted
as ``overruled``). A product keyword with no other kind of evidence agreeing (industry code, register code,
scope clause, list) places a firm only when that product is at least ``MAIN_SHARE`` (half) of its revenue:
a known side line alone is not where the firm sits. Firms inside the home region that the city's data already places
(curated OPERATES_IN) are left alone unless ``include_local``: their local
sites, not their national product mix, say what they do here.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from chainkg.schema import check_node

from .kg import GraphError, KnowledgeGraph

MATCH_SOURCE = "src:chainkg-match"
W_INDUSTRY = 0.6
W_FIRM = 0.9
KW_BASE = 0.3
KW_SPAN = 0.6
KW_UNKNOWN = 0.4
MAX_CONFIDENCE = 0.99
W_GBT = 0.6
#: A keyword in a firm's registered business scope (经营范围) or name: weaker than a main product, since a
#: scope lists many activities; alone it does not reach the default threshold, with a GB/T code it does.
W_SCOPE = 0.35
RULE_KEYS = {"industries": "match_industries", "keywords": "match_keywords", "firms": "match_firms",
             "gbt": "match_gbt"}
_CLAUSES = re.compile(r"[、，,；;。：:（）()\n/|]+")
_WEIGHT = re.compile(r"^(.*?)@([0-9]*\.?[0-9]+)$")
_CODE = re.compile(r"^(?:(SH|SZ|BJ)\.?)?(\d{6})(?:\.?(SH|SZ|BJ))?$", re.I)


def bundled_rules(name: str = "kunming") -> Path:
    """The rules file shipped with chainkg for a bundled dataset (``kunming``)."""
    return Path(str(resources.files("chainkg.loaders") / "match_rules" / f"{name}.yaml"))


def split_weight(entry: str, default: float) -> tuple[str, float]:
    """``"630702@0.3"`` → ``("630702", 0.3)``; no weight → the default.

    >>> split_weight("630702@0.3", 0.6), split_weight("锂电池", 0.6)
    (('630702', 0.3), ('锂电池', 0.6))
    """
    m = _WEIGHT.match(entry.strip())
    if m:
        w = float(m.group(2))
        if not 0 <= w <= 1:
            raise GraphError(f"rule {entry!r}: weight must be between 0 and 1")
        return m.group(1).strip(), w
    return entry.strip(), default


def keyword_confidence(share: float | None) -> float:
    """Confidence of one product keyword hit given the product's revenue share.

    >>> keyword_confidence(1.0), keyword_confidence(0.5), keyword_confidence(None)
    (0.9, 0.6, 0.4)
    """
    if share is None:
        return KW_UNKNOWN
    return round(KW_BASE + KW_SPAN * min(max(share, 0.0), 1.0), 6)


def combine(confidences: list[float]) -> float:
    """Noisy-OR of independent signals, capped.

    >>> combine([0.6, 0.4])
    0.76
    """
    miss = 1.0
    for c in confidences:
        miss *= 1.0 - c
    return round(min(1.0 - miss, MAX_CONFIDENCE), 6)


# ----------------------------------------------------------------------------- rules
def _read_config(path: Path, what: str) -> str:
    from .fileio import read_config

    return read_config(path, what)


def load_rules(path: str | Path) -> dict[str, dict[str, list[str]]]:
    """Segment id → {match_industries, match_keywords, match_firms} from a rules YAML file.

    The file is ``segments: {<segment id>: {industries: [...], keywords: [...], firms: [...]}}``.
    """
    path = Path(path)
    try:
        doc = yaml.safe_load(_read_config(path, "rules"))
    except yaml.YAMLError as e:
        raise GraphError(f"{path}: not valid YAML ({e})") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("segments"), dict):
        raise GraphError(f"{path}: a rules file needs 'segments: {{<segment id>: {{keywords: [...], ...}}}}'")
    out: dict[str, dict[str, list[str]]] = {}
    for seg, rules in doc["segments"].items():
        if not isinstance(rules, dict):
            raise GraphError(f"{path}: rules of {seg} must be a mapping of industries/keywords/firms")
        props: dict[str, list[str]] = {}
        for key, value in rules.items():
            if key not in RULE_KEYS:
                raise GraphError(f"{path}: {seg}: unknown key {key!r} (use industries, keywords, firms)")
            if not isinstance(value, list):
                raise GraphError(f"{path}: {seg}.{key} must be a list")
            items = [str(v).strip() for v in value if str(v).strip()]
            if key == "industries":
                items = [i.zfill(6) if i.isdigit() else i for i in items]  # YAML may read 110101 as int
            for item in items:
                if key != "keywords":
                    split_weight(item, 0.0)
            props[RULE_KEYS[key]] = items
        out[str(seg)] = props
    return out


def apply_rules(kg: KnowledgeGraph, rules: dict[str, dict[str, list[str]]]) -> tuple[list[str], list[str]]:
    """Set the rules as Segment properties; returns (segments updated, rule ids that are not segments here)."""
    applied, unknown = [], []
    for seg, props in rules.items():
        if not kg.has(seg) or kg.node_type(seg) != "Segment":
            unknown.append(seg)
            continue
        d = kg.g.nodes[seg]
        new = {**d, **{k: v for k, v in props.items() if v}}
        new.pop("type", None)
        problems = check_node("Segment", {"id": seg, **new})
        if problems:
            raise GraphError(f"rules for {seg}: " + "; ".join(f"{p.field}: {p.reason}" for p in problems))
        for k, v in props.items():
            if v:
                d[k] = list(v)
            else:
                d.pop(k, None)
        applied.append(seg)
    return applied, unknown


def has_rules(kg: KnowledgeGraph, seg: str) -> bool:
    d = kg.g.nodes[seg]
    return any(d.get(k) for k in RULE_KEYS.values())


# ---------------------------------------------------------------------------- result
@dataclass(frozen=True)
class Placement:
    firm_id: str
    firm: str
    stock_code: str | None
    segment_id: str
    confidence: float
    evidence: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class SegmentResult:
    chain: str
    segment: str
    segment_id: str
    firms: int = 0
    by_keyword: int = 0
    by_industry: int = 0
    by_list: int = 0
    by_code: int = 0
    by_scope: int = 0
    below_threshold: int = 0
    overruled: int = 0
    top: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class MatchReport:
    min_confidence: float
    segments: list[SegmentResult] = field(default_factory=list)
    placements: list[Placement] = field(default_factory=list)
    added: int = 0
    updated: int = 0
    removed: int = 0
    kept_curated: int = 0
    skipped_local: int = 0
    no_rules: list[str] = field(default_factory=list)
    unknown_rule_refs: list[str] = field(default_factory=list)
    #: local firms (of the home region) that no segment holds after matching, by name
    unplaced_local: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "min_confidence": self.min_confidence,
            "added": self.added, "updated": self.updated, "removed": self.removed,
            "kept_curated": self.kept_curated, "skipped_local": self.skipped_local,
            "segments": [s.as_dict() for s in self.segments],
            "placements": [p.as_dict() for p in self.placements],
            "segments_without_rules": self.no_rules,
            "unknown_rule_references": self.unknown_rule_refs,
            "unplaced_local_firms": self.unplaced_local,
        }


# ----------------------------------------------------------------------------- match
class _KeywordIndex:
    """Finds which keywords occur in a text, fast: keywords are indexed by their first character.

    A keyword is also found in its head-word variants (涂布机 in 涂布设备, 正极材料 in 正极料: see
    :func:`chainkg.graph.text.term_variants`); a hit is reported as the keyword itself.
    """

    def __init__(self, keywords: set[str]) -> None:
        from .text import term_variants

        self.by_first: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for k in sorted(keywords):
            if k:
                for v in term_variants(k.casefold()):
                    self.by_first[v[0]].append((v, k.casefold()))

    def hits(self, text: str) -> set[str]:
        t = text.casefold()
        out: set[str] = set()
        for i, ch in enumerate(t):
            for v, k in self.by_first.get(ch, ()):
                if t.startswith(v, i):
                    out.add(k)
        return out


def _pct(share: float | None) -> str:
    return "share unknown" if share is None else f"revenue share {share:.1%}"


def scope_segments(kg: KnowledgeGraph, chain: str | None) -> list[tuple[str, str]]:
    """(chain, segment) pairs of one chain (resolved as every query resolves it) or of every template."""
    from .scope import resolve_chain

    chain_id = resolve_chain(kg, chain)
    chains = [chain_id] if chain_id else sorted(c for c in kg.nodes("Chain") if kg.out(c, "HAS_SEGMENT"))
    return [(c, s) for c in chains for s in kg.segments_of(c)]


def _local_firms(kg: KnowledgeGraph, region: str | None) -> set[str]:
    """Enterprises of the region (default: the home region; none when the graph names none)."""
    from .scope import resolve_region

    if region is None and not kg.meta.get("home_region"):
        return set()
    regions = kg.region_closure(resolve_region(kg, region))
    g = kg.g
    return {u for r in regions for u, _, k in g.in_edges(r, keys=True)
            if k == "LOCATED_IN" and g.nodes[u]["type"] == "Enterprise"}


#: Within one chain, a firm's candidate segment whose confidence is this far below the firm's best segment of
#: that chain is dropped: a product keyword scores 0.3 + 0.6 × revenue share, so 0.2 is a third of revenue.
#: A firm's main business in a chain says where it sits; a side line a third of revenue smaller, or a bare
#: industry code next to a strong product match, is more often a mislabelled product line than a second
#: segment (chosen on the dev half of the atlas sample, see benchmarks/README.md "Placement precision").
CHAIN_MARGIN = 0.2


#: A product keyword alone (no industry code, register code or scope clause agreeing) places a firm only when the
#: product is at least this share of its revenue: a known side line is not where the firm sits. On the dev half
#: of the atlas sample, keyword-only placements at 0.5–0.6 (a product of 1/3–1/2 of revenue) were 2 right of 4
#: while those backed by a second kind of evidence were 16 of 17 (benchmarks/README.md "Placement precision").
MAIN_SHARE = 0.5


def _lone_side_line(sig) -> bool:
    """Only product-keyword evidence, and its best product is a known side line (revenue share < MAIN_SHARE)."""
    kinds = {x[2] for x in sig}
    return kinds == {"keyword"} and max(x[0] for x in sig) < keyword_confidence(MAIN_SHARE)


def _overruled(signals, ruled, min_confidence: float) -> set[tuple[str, str]]:
    """(segment, firm) candidates that reach the threshold but trail the firm's best segment of the same chain
    by more than :data:`CHAIN_MARGIN`."""
    chain_of = {s: c for c, s in ruled}
    per: dict[tuple[str, str], list[tuple[str, float]]] = defaultdict(list)
    for s, firms in signals.items():
        if s not in chain_of:
            continue
        for firm, sig in firms.items():
            conf = combine([x[0] for x in sig])
            if conf >= min_confidence and not _lone_side_line(sig):
                per[firm, chain_of[s]].append((s, conf))
    out: set[tuple[str, str]] = set()
    for (firm, _), cands in per.items():
        best = max(c for _, c in cands)
        out.update((s, firm) for s, conf in cands if conf < best - CHAIN_MARGIN)
    return out


def match(
    kg: KnowledgeGraph,
    chain: str | None = None,
    min_confidence: float = 0.5,
    *,
    region: str | None = None,
    include_local: bool = False,
    dry_run: bool = False,
) -> MatchReport:
    """Place pool firms into the segments (of ``chain``, or all templates) whose rules they meet.

    Writes OPERATES_IN (provenance inferred, source ``src:chainkg-match``) unless
    ``dry_run``; earlier match placements in those segments that no longer
    qualify are removed, curated placements (any other source) are never
    touched. See the module docstring for the confidence formula.
    """
    if not 0 <= min_confidence <= 1:
        raise GraphError("min_confidence must be between 0 and 1")
    g = kg.g
    report = MatchReport(min_confidence)
    scope = scope_segments(kg, chain)
    ruled = [(c, s) for c, s in scope if has_rules(kg, s)]
    report.no_rules = [s for _, s in scope if not has_rules(kg, s)]
    local = _local_firms(kg, region)
    curated_local = set()
    for f in local:
        if any(g.edges[f, s, "OPERATES_IN"].get("source") != MATCH_SOURCE for s in kg.out(f, "OPERATES_IN")):
            curated_local.add(f)

    # Indexes built once.
    ind_by_code: dict[str, str] = {}
    for i in kg.nodes("Industry"):
        ind_by_code[str(g.nodes[i].get("code"))] = i
    firm_by_code: dict[str, str] = {}
    for f in kg.nodes("Enterprise"):
        code = g.nodes[f].get("stock_code")
        if code:
            firm_by_code[str(code).upper()] = f

    seg_rules: dict[str, dict[str, Any]] = {}
    all_keywords: set[str] = set()
    for _, s in ruled:
        d = g.nodes[s]
        kws = [k for k in d.get("match_keywords") or [] if not k.startswith("-")]
        excl = [k[1:].casefold() for k in d.get("match_keywords") or [] if k.startswith("-") and len(k) > 1]
        all_keywords.update(kws)
        seg_rules[s] = {"keywords": {k.casefold() for k in kws}, "exclude": excl}

    # Keyword hits: product → keywords it contains, only for products some firm makes.
    kw_index = _KeywordIndex(all_keywords)
    makers: dict[str, list[tuple[str, float | None]]] = defaultdict(list)
    for u, v, k, d in g.edges(keys=True, data=True):
        if k == "MAKES":
            makers[v].append((u, d.get("revenue_share")))
    product_hits: dict[str, set[str]] = {}
    for p in makers:
        hits = kw_index.hits(g.nodes[p].get("name", ""))
        if hits:
            product_hits[p] = hits
    by_keyword: dict[str, list[str]] = defaultdict(list)  # keyword → segments
    for s, r in seg_rules.items():
        for kw in r["keywords"]:
            by_keyword[kw].append(s)

    # segment → firm → list of (confidence, evidence, kind)
    signals: dict[str, dict[str, list[tuple[float, str, str]]]] = defaultdict(lambda: defaultdict(list))
    best_kw: dict[tuple[str, str], list[tuple[float, str]]] = defaultdict(list)
    for p, hits in product_hits.items():
        pname = g.nodes[p].get("name", "")
        low = pname.casefold()
        segs = {s for kw in hits for s in by_keyword.get(kw, ())}
        for s in segs:
            if any(x in low for x in seg_rules[s]["exclude"]):
                continue
            kw = next(k for k in sorted(hits) if s in by_keyword.get(k, ()))
            for firm, share in makers[p]:
                best_kw[(s, firm)].append((keyword_confidence(share), f"makes {pname} ({_pct(share)}) ~ {kw}"))
    for (s, firm), hits in best_kw.items():
        hits.sort(key=lambda h: (-h[0], h[1]))
        text = "; ".join(h[1] for h in hits[:2]) + (f" (+{len(hits) - 2} more)" if len(hits) > 2 else "")
        signals[s][firm].append((hits[0][0], text, "keyword"))

    for _, s in ruled:
        d = g.nodes[s]
        for entry in d.get("match_industries") or []:
            ref, w = split_weight(entry, W_INDUSTRY)
            if not ind_by_code:
                break  # no industry tree in the workspace (e.g. a register-only one): nothing to look up
            iid = ind_by_code.get(ref)
            if iid is None:
                ids = kg.find(ref, "Industry")
                iid = ids[0] if len(ids) == 1 else None
            if iid is None:
                report.unknown_rule_refs.append(f"{s}: industry {ref}")
                continue
            tree = {iid}
            stack = [iid]
            while stack:
                for child in kg.into(stack.pop(), "SUBINDUSTRY_OF"):
                    if child not in tree:
                        tree.add(child)
                        stack.append(child)
            for ind in sorted(tree):
                idata = g.nodes[ind]
                for firm in kg.into(ind, "IN_INDUSTRY"):
                    signals[s][firm].append((w, f"industry {idata.get('name')} ({idata.get('code')})", "industry"))
        for entry in d.get("match_firms") or []:
            ref, w = split_weight(entry, W_FIRM)
            m = _CODE.match(ref)
            fid = None
            if m:
                digits = m.group(2)
                fid = next((firm_by_code[c] for c in (f"{digits}.SH", f"{digits}.SZ", f"{digits}.BJ")
                            if c in firm_by_code), None)
            if fid is None:
                ids = kg.find(ref, "Enterprise")
                fid = ids[0] if len(ids) == 1 else None
            if fid is None:
                report.unknown_rule_refs.append(f"{s}: firm {ref}")
                continue
            signals[s][fid].append((w, "named in the segment's match list", "list"))

    # GB/T 4754 codes of registered firms: a segment's code (class, or a group/division prefix) covers
    # every firm whose registered industry code starts with it.
    firms_by_gbt: dict[str, list[str]] = defaultdict(list)
    scoped: list[tuple[str, str]] = []
    for f in kg.nodes("Enterprise"):
        fd = g.nodes[f]
        if fd.get("industry_code"):
            firms_by_gbt[str(fd["industry_code"])].append(f)
        if fd.get("business_scope") or (fd.get("industry_code") and fd.get("name")):
            scoped.append((f, fd.get("business_scope") or ""))
    for _, s in ruled:
        for entry in g.nodes[s].get("match_gbt") or []:
            ref, w = split_weight(entry, W_GBT)
            for code, firms in firms_by_gbt.items():
                if code.startswith(ref):
                    for firm in firms:
                        signals[s][firm].append((w, f"行业代码 {code} ~ GB/T {ref}", "code"))
    # Business scope (and the registered name) of register firms, clause by clause: vetoes apply per clause.
    for firm, scope_text in scoped:
        clauses = [c for c in _CLAUSES.split(f"{g.nodes[firm].get('name', '')}、{scope_text}") if c.strip()]
        best: dict[str, str] = {}
        for clause in clauses:
            low = clause.casefold()
            for kw in sorted(kw_index.hits(clause)):
                for s in by_keyword.get(kw, ()):
                    if s not in best and not any(x in low for x in seg_rules[s]["exclude"]):
                        best[s] = f"经营范围 “{clause.strip()}” ~ {kw}"
        for s, text in best.items():
            signals[s][firm].append((W_SCOPE, text, "scope"))

    if not dry_run and ruled and not kg.has(MATCH_SOURCE):
        kg.merge_node("Source", {
            "id": MATCH_SOURCE, "title": "chainkg match: segment rules applied to the firm pool",
            "publisher": "chainkg project", "kind": "notes",
            "note": "Placements by product keywords (0.3 + 0.6 × revenue share; 0.4 if unknown), industry codes "
                    "(Shenwan or GB/T 4754, 0.6), business-scope keywords (0.35) and explicit lists (0.9), "
                    "combined as 1 − Π(1 − c); in each chain only segments within 0.2 of the firm's best; a product "
                    "keyword alone needs half the firm's revenue. "
                    "See chainkg.graph.match.",
        })
    overruled = _overruled(signals, ruled, min_confidence)
    # Decide, segment by segment.
    for c, s in ruled:
        res = SegmentResult(kg.name(c), kg.name(s), s)
        chosen: dict[str, Placement] = {}
        for firm, sig in signals.get(s, {}).items():
            if firm in curated_local and not include_local:
                report.skipped_local += 1
                continue
            conf = combine([x[0] for x in sig])
            if conf < min_confidence or _lone_side_line(sig):
                res.below_threshold += 1
                continue
            if (s, firm) in overruled:
                res.overruled += 1
                continue
            kinds = {x[2] for x in sig}
            res.by_keyword += "keyword" in kinds
            res.by_industry += "industry" in kinds
            res.by_list += "list" in kinds
            res.by_code += "code" in kinds
            res.by_scope += "scope" in kinds
            evidence = f"{kg.name(s)}: " + "; ".join(x[1] for x in sorted(sig, key=lambda x: -x[0]))
            evidence += f" → confidence {conf:.2f}"
            chosen[firm] = Placement(firm, kg.name(firm), g.nodes[firm].get("stock_code"), s, conf, evidence)
        res.firms = len(chosen)
        ranked = sorted(chosen.values(), key=lambda p: (-p.confidence, p.firm, p.firm_id))
        res.top = [f"{p.firm} ({p.confidence:.2f})" for p in ranked[:5]]
        report.segments.append(res)
        report.placements.extend(ranked)
        # A dry run counts exactly what a real run would change, and changes nothing.
        for firm in list(kg.into(s, "OPERATES_IN")):
            e = g.edges[firm, s, "OPERATES_IN"]
            if e.get("source") == MATCH_SOURCE and firm not in chosen:
                if not dry_run:
                    g.remove_edge(firm, s, key="OPERATES_IN")
                report.removed += 1
        for p in ranked:
            props = {"provenance": "inferred", "source": MATCH_SOURCE, "evidence": p.evidence,
                     "confidence": p.confidence}
            if g.has_edge(p.firm_id, s, key="OPERATES_IN"):
                e = g.edges[p.firm_id, s, "OPERATES_IN"]
                if e.get("source") != MATCH_SOURCE:
                    report.kept_curated += 1
                    continue
                if any(e.get(k) != v for k, v in props.items()):
                    if not dry_run:
                        e.update(props)
                    report.updated += 1
                continue
            if not dry_run:
                g.add_edge(p.firm_id, s, key="OPERATES_IN", type="OPERATES_IN", **props)
            report.added += 1
    placed = {p.firm_id for p in report.placements}
    report.unplaced_local = sorted(kg.name(f) for f in local
                                   if f not in placed and not kg.out(f, "OPERATES_IN"))
    return report
