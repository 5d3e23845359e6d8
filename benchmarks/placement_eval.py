"""Placement precision/recall of the library match rules on labelled samples that chainkg did not write.

Workspace: the A-share pool (``import_a_share`` into an empty graph, no product inputs) + the library
chain templates (``library_records``), then ``chainkg.graph.match.match(kg, min_confidence=t, dry_run=True)``.

Sample A — industry-chain-atlas (MIT, github.com/JiMoxiao/industry-chain-atlas): each segment's
``key_companies`` are firms an outside author put in that segment. ``placement_mapping.yaml`` maps every
atlas segment to the library segments that do the same thing (or to none: unmapped). Labels are
(firm, atlas segment) pairs of firms present in the pool, over mapped segments.

* precision = of our placements of labelled firms into the library chains the mapping covers (the chains
  of the mapped segments), the share in a library segment that one of the firm's atlas segments maps to;
  ``seg-precision`` is the same over placements into mapped segments only (the ones the atlas can judge);
* recall = of labelled (firm, atlas segment) pairs, the share we place in one of its mapped segments;
* ``role-precision`` (a separate, second measure for the partial-label problem; never replaces the two
  above): a placement also counts as right when the atlas author's own words about that firm name the
  library segment. The words are the ``role`` lines of all the firm's ``key_companies`` entries and the
  ``product`` of every ``supply_relationships`` row where the firm is the supplier; "name" means the
  segment's name, an alias, a part of a name split at ``/``, or one of its match keywords (not a veto, ≥ 2
  characters), each also in its head-word variants (``term_variants``) — the rule the gap evaluation uses
  to map published gaps (``eval_gaps.map_gap``), fixed before the measure was first computed.

The atlas firms are split into two halves by a fixed hash (sha256 of the six-digit code, first byte
even → ``dev``, odd → ``held-out``); rules were tuned looking at ``dev`` only.

Sample B — the Kunming firms: curated OPERATES_IN of the bundled Kunming graph, for enterprises that are
A-share firms (matched by short name or alias in the pool, plus the hand table ``kunming_firms``).
Kunming segments map to the library chain with the same name (``kunming``/``kunming_chains`` in the
mapping file). precision = of our placements of those firms into those six library chains, the share in a
segment that one of the firm's curated segments maps to; recall = of (firm, curated segment) pairs with a
mapped counterpart, the share placed there.

Usage: python benchmarks/placement_eval.py [--data DIR] [--json out.json] [--sweep 0.3,0.4,...]
       python benchmarks/placement_eval.py --dev-report [--min-confidence 0.5]   # dev half only, for rule work
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
MAPPING = HERE / "placement_mapping.yaml"
LISTS = HERE / "eval" / "lists"
ADJUDICATION = HERE / "eval" / "adjudication"
SWEEP = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)


def shared_data() -> Path:
    """``$CHAINKG_SHARED_DATA``, else ``$CHAINKG_SHARED/data``, else ``shared/data`` beside the repo (as the tests)."""
    if os.environ.get("CHAINKG_SHARED_DATA"):
        return Path(os.environ["CHAINKG_SHARED_DATA"])
    if os.environ.get("CHAINKG_SHARED"):
        return Path(os.environ["CHAINKG_SHARED"]) / "data"
    return HERE.parents[1] / "shared" / "data"


def seg_id(short: str) -> str:
    return f"seg:lib:{short}"


def chain_of(seg: str) -> str:
    return seg.split(":")[2]


def half_of(code: str) -> str:
    """``dev`` or ``held-out``, by a fixed hash of the six-digit stock code.

    >>> half_of("688126.SH") == half_of("688126")
    True
    """
    digits = code.split(".")[0]
    return "dev" if hashlib.sha256(digits.encode()).digest()[0] % 2 == 0 else "held-out"


def load_mapping(path: Path = MAPPING) -> dict[str, Any]:
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    doc["atlas"] = {f: {s: [seg_id(x) for x in v or []] for s, v in segs.items()} for f, segs in doc["atlas"].items()}
    doc["kunming"] = {k: [seg_id(x) for x in v or []] for k, v in doc["kunming"].items()}
    doc["lists"] = {f: {s: [seg_id(x) for x in v or []] for s, v in segs.items()}
                    for f, segs in (doc.get("lists") or {}).items()}
    return doc


# ----------------------------------------------------------------------------- workspace
def build_workspace(data: Path, chains: list[str] | None = None):
    """Empty graph + A-share pool + library chains (all, or the slugs given); returns (kg, seconds)."""
    from chainkg.graph.kg import KnowledgeGraph
    from chainkg.loaders import apply_batch, validate_batch
    from chainkg.loaders.a_share import import_a_share
    from chainkg.loaders.library import library_chains, library_records

    t0 = time.perf_counter()
    kg = KnowledgeGraph({"name": "placement-eval"})
    import_a_share(kg, data / "chainkg-a-share", inputs=False, validate=False)
    records = library_records(chains or [c.slug for c in library_chains()], kg)
    errors = validate_batch(records, kg)
    if errors:
        raise SystemExit(f"library records do not validate: {errors[:3]}")
    apply_batch(records, kg)
    return kg, time.perf_counter() - t0


def placements(kg, threshold: float) -> dict[str, set[str]]:
    """firm code (6 digits) → library segments it is placed in at ``threshold``."""
    from chainkg.graph.match import match

    rep = match(kg, min_confidence=threshold, dry_run=True)
    out: dict[str, set[str]] = defaultdict(set)
    for p in rep.placements:
        if p.stock_code and p.segment_id.startswith("seg:lib:"):
            out[p.stock_code.split(".")[0]].add(p.segment_id)
    return out


# ----------------------------------------------------------------------------- labels
@dataclass(frozen=True)
class Label:
    code: str       # six digits
    name: str
    group: str      # atlas file / Kunming chain
    segment: str    # atlas / Kunming segment id
    targets: frozenset[str]


def pool_codes(kg) -> dict[str, str]:
    """six-digit code → firm name, for the pool."""
    g = kg.g
    out = {}
    for f in kg.nodes("Enterprise"):
        code = g.nodes[f].get("stock_code")
        if code:
            out[str(code).split(".")[0]] = g.nodes[f].get("name", "")
    return out


def mapped_targets(segmap: dict[str, list[str]], fname: str, segment: str, info: dict[str, Any],
                   shown: str) -> frozenset[str]:
    """The library segments a label source's ``segment`` maps to; empty (and noted in ``info``) when unmapped.

    Every segment a source names must have a line in the mapping table, so a new one cannot go unscored unnoticed.
    """
    if segment not in segmap:
        raise SystemExit(f"{fname}: segment {segment!r} missing from the mapping table")
    targets = frozenset(segmap[segment])
    if not targets:
        info["unmapped_segments"].append(shown)
    return targets


def atlas_labels(atlas_dir: Path, mapping: dict[str, Any], pool: dict[str, str]) -> tuple[list[Label], dict]:
    from chainkg.loaders.a_share import normalise_code

    labels: list[Label] = []
    info: dict[str, Any] = {"unmapped_segments": [], "not_in_pool": [], "name_mismatch": [], "mapped_segments": 0}
    renames = {str(k): list(v) for k, v in (mapping.get("atlas_renames") or {}).items()}
    for fname, segmap in mapping["atlas"].items():
        # BaseLoader: every scalar a string, so 002617 stays a code (safe_load would read it as octal).
        doc = yaml.load((atlas_dir / fname).read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
        seen = set()
        for seg in doc["segments"]:
            sid = seg["id"]
            seen.add(sid)
            targets = mapped_targets(segmap, fname, sid, info, f"{fname}:{sid} {seg['name']}")
            if not targets:
                continue
            info["mapped_segments"] += 1
            for kc in seg.get("key_companies") or []:
                code = normalise_code(kc.get("code"))
                if code is None:
                    continue
                digits = code.split(".")[0]
                if digits not in pool:
                    info["not_in_pool"].append(f"{digits} {kc.get('name')}")
                    continue
                aname = str(kc.get("name") or "")
                if aname and aname != pool[digits] and renames.get(digits) != [aname, pool[digits]]:
                    info["name_mismatch"].append(f"{digits} {aname} (pool: {pool[digits]})")
                    continue
                labels.append(Label(digits, pool[digits], fname, sid, targets))
        extra = set(segmap) - seen
        if extra:
            raise SystemExit(f"{fname}: mapping names segments the atlas lacks: {sorted(extra)}")
    info["not_in_pool"] = sorted(set(info["not_in_pool"]))
    info["name_mismatch"] = sorted(set(info["name_mismatch"]))
    return list(dict.fromkeys(labels)), info


def atlas_words(atlas_dir: Path, files) -> dict[str, str]:
    """six-digit code → the atlas author's words about the firm: its ``role`` lines and the products it supplies."""
    words: dict[str, list[str]] = defaultdict(list)
    for fname in files:
        doc = yaml.load((atlas_dir / fname).read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
        for seg in doc["segments"]:
            for kc in seg.get("key_companies") or []:
                if kc.get("code") and kc.get("role"):
                    words[str(kc["code"]).split(".")[0].zfill(6)].append(kc["role"])
        for rel in doc.get("supply_relationships") or []:
            if rel.get("supplier_code") and rel.get("product"):
                words[str(rel["supplier_code"]).split(".")[0].zfill(6)].append(rel["product"])
    return {code: "；".join(ws) for code, ws in words.items()}


def segment_terms(kg, seg: str) -> list[str]:
    """Name, aliases, name parts (split at /) and non-veto match keywords of a segment, with head-word variants."""
    from chainkg.graph.text import name_key, term_variants

    d = kg.g.nodes[seg]
    names = [d["name"], *(d.get("aliases") or [])]
    parts = [p for n in names for p in n.replace("／", "/").split("/") if len(p) >= 2]
    keywords = [k for k in d.get("match_keywords") or [] if not k.startswith("-") and len(k) >= 2]
    return sorted({v for t in [*names, *parts, *keywords] for v in term_variants(name_key(t)) if v})


def role_support(kg, words: dict[str, str], codes, chains: set[str]) -> dict[str, set[str]]:
    """code → library segments (of ``chains``) that the atlas author's words about the firm name."""
    from chainkg.graph.text import name_key

    segs = [s for s in kg.nodes("Segment") if s.startswith("seg:lib:") and chain_of(s) in chains]
    terms = {s: segment_terms(kg, s) for s in segs}
    out: dict[str, set[str]] = {}
    for code in codes:
        text = name_key(words.get(code, ""))
        out[code] = {s for s in segs if text and any(t in text for t in terms[s])}
    return out


def kunming_labels(mapping: dict[str, Any], kg) -> tuple[list[Label], dict]:
    from chainkg.data import kunming
    from chainkg.graph.text import name_key

    by_name: dict[str, set[str]] = defaultdict(set)
    g = kg.g
    for f in kg.nodes("Enterprise"):
        d = g.nodes[f]
        code = d.get("stock_code")
        if code:
            for n in [d.get("name", ""), *(d.get("aliases") or [])]:
                by_name[name_key(n)].add(str(code).split(".")[0])
    hand = {name_key(k): name_key(v) for k, v in (mapping.get("kunming_firms") or {}).items()}
    km = kunming()
    kg_ = km.g
    labels: list[Label] = []
    info: dict[str, Any] = {"firms_with_curated": 0, "not_in_pool": [], "unmapped_pairs": []}
    for f in km.nodes("Enterprise"):
        segs = [s for s in km.out(f, "OPERATES_IN")
                if kg_.edges[f, s, "OPERATES_IN"].get("source") != "src:chainkg-match"]
        if not segs:
            continue
        info["firms_with_curated"] += 1
        d = kg_.nodes[f]
        names = [d.get("name", ""), *(d.get("aliases") or [])]
        codes = set().union(*(by_name.get(name_key(n), set()) for n in names))
        if not codes:
            codes = set().union(*(by_name.get(hand[name_key(n)], set()) for n in names if name_key(n) in hand))
        if len(codes) != 1:
            info["not_in_pool"].append(d.get("name"))
            continue
        code = codes.pop()
        for s in segs:
            chain = next(iter(km.into(s, "HAS_SEGMENT")), None)
            targets = frozenset(mapping["kunming"].get(s, []))
            if not targets:
                info["unmapped_pairs"].append(f"{d.get('name')} → {s}")
                continue
            labels.append(Label(code, d.get("name"), chain or "?", s, targets))
    return labels, info


def pool_firms(kg) -> dict[str, list[str]]:
    """six-digit code → [short name, full name, …] (name keys), for resolving names in published lists."""
    from chainkg.graph.text import name_key

    g = kg.g
    out = {}
    for f in kg.nodes("Enterprise"):
        d = g.nodes[f]
        if d.get("stock_code"):
            names = [d.get("name", ""), *(d.get("aliases") or [])]
            out[str(d["stock_code"]).split(".")[0]] = [name_key(n) for n in names]
    return out


def resolve_firm(name: str, code: str | None, firms: dict[str, list[str]], renames: dict[str, str]) -> tuple[str, str]:
    """(status, six-digit code) of a firm named in a published list; status is ``ok``, ``not_in_pool`` or ``mismatch``.

    The stated rule: a code the page gives must be a pool firm whose short or full name contains the page's
    name (or the rename table pairs them); without a code, the one pool firm whose short name is the page's
    name, else the one whose full name contains it (≥ 3 characters), else the one whose short name starts with
    it (pages shorten 迈瑞医疗 to 迈瑞), else the rename table (the pool's names are of 2021).

    >>> firms = {"601012": ["隆基股份", "隆基绿能科技股份有限公司"],
    ...          "002129": ["中环股份", "天津中环半导体股份有限公司"]}
    >>> resolve_firm("隆基绿能", None, firms, {}), resolve_firm("TCL中环", "002129", firms, {"tcl中环": "002129"})
    (('ok', '601012'), ('ok', '002129'))
    >>> resolve_firm("通威股份", "600438", firms, {}), resolve_firm("天合", None, firms, {})
    (('not_in_pool', '600438'), ('not_in_pool', ''))
    >>> resolve_firm("隆基绿能", "002129", firms, {}), resolve_firm("隆基", None, firms, {})
    (('mismatch', '002129'), ('ok', '601012'))
    """
    from chainkg.graph.text import name_key

    key = name_key(name)
    if code:
        digits = str(code).split(".")[0].zfill(6)
        if digits not in firms:
            return "not_in_pool", digits
        if any(key in n for n in firms[digits]) or renames.get(key) == digits:
            return "ok", digits
        return "mismatch", digits
    exact = [c for c, ns in firms.items() if ns and ns[0] == key]
    if len(exact) == 1:
        return "ok", exact[0]
    within = [c for c, ns in firms.items() if len(key) >= 3 and any(key in n for n in ns[1:])]
    if len(within) == 1:
        return "ok", within[0]
    prefix = [c for c, ns in firms.items() if len(key) >= 2 and ns and ns[0].startswith(key)]
    if len(prefix) == 1:
        return "ok", prefix[0]
    if key in renames and renames[key] in firms:
        return "ok", renames[key]
    return "not_in_pool", ""


def list_labels(list_dir: Path, mapping: dict[str, Any], firms: dict[str, list[str]]) -> tuple[list[Label], dict]:
    """Sample C: (firm, published segment) pairs from the transcribed lists in ``list_dir``, over mapped segments.

    Each file holds one chain's sources (pages naming firms under a segment, as the page writes it);
    ``mapping["lists"][file][segment]`` gives the library segments. ``group`` is the file, ``segment`` the
    page's segment name; the same pair named by several sources is one label.
    """
    from chainkg.graph.text import name_key

    renames = {name_key(k): str(v).zfill(6) for k, v in (mapping.get("lists_renames") or {}).items()}
    outside = {name_key(n) for n in mapping.get("lists_not_pool") or []}
    labels: list[Label] = []
    info: dict[str, Any] = {"files": {}, "unmapped_segments": [], "not_in_pool": [], "name_mismatch": [],
                            "skipped_lists": []}
    for fname, segmap in mapping["lists"].items():
        doc = yaml.load((list_dir / fname).read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
        sources = doc["sources"]
        info["files"][fname] = {"chain": doc.get("chain"), "sources": len(sources),
                                "urls": [src["url"] for src in sources]}
        seen = set()
        for src in sources:
            for seg in src.get("segments") or []:
                name = seg["segment"]
                if seg.get("skip"):
                    info["skipped_lists"].append(f"{src['id']} {name}: {seg['skip']}")
                    continue
                seen.add(name)
                targets = mapped_targets(segmap, fname, name, info, f"{fname}:{name}")
                if not targets:
                    continue
                for firm in seg.get("firms") or []:
                    status, code = (("not_in_pool", "") if name_key(firm["name"]) in outside else
                                    resolve_firm(firm["name"], firm.get("code") or None, firms, renames))
                    if status == "ok":
                        labels.append(Label(code, firm["name"], fname, name, targets))
                    elif status == "mismatch":
                        info["name_mismatch"].append(f"{code} {firm['name']}")
                    else:
                        info["not_in_pool"].append(f"{firm['name']}{' ' + code if code else ''}")
        extra = set(segmap) - seen
        if extra:
            raise SystemExit(f"{fname}: mapping names segments no source has: {sorted(extra)}")
    for k in ("unmapped_segments", "not_in_pool", "name_mismatch"):
        info[k] = sorted(set(info[k]))
    # one label per (firm, file, published segment), whichever spelling the sources used
    return list({(lab.code, lab.group, lab.segment): lab for lab in labels}.values()), info


# ----------------------------------------------------------------------------- scoring
def score(labels: list[Label], placed: dict[str, set[str]], chains: set[str] | None = None,
          support: dict[str, set[str]] | None = None, own_chains: bool = False) -> dict[str, Any]:
    """Precision (chain-level and segment-level) and recall of ``placed`` against ``labels``.

    ``chains``: the library chains placements are judged in (default: the chains of the labels' targets).
    ``support``: code → segments the label source's own words about the firm name (``role_support``); when
    given, ``role_precision`` counts a placement right if it is mapped-right or so named.
    ``own_chains``: judge each firm's placements only in the chains its own labels map into (a battery-cell
    maker listed only by battery sources is not judged in the storage chain).
    """
    truth: dict[str, set[str]] = defaultdict(set)
    for lab in labels:
        truth[lab.code] |= lab.targets
    mapped_segs = {t for lab in labels for t in lab.targets}
    if chains is None:
        chains = {chain_of(s) for s in mapped_segs}
    tp = fp = seg_tp = seg_fp = role_tp = 0
    for code, ok in truth.items():
        named = (support or {}).get(code, set())
        judged = chains & {chain_of(t) for t in ok} if own_chains else chains
        for s in placed.get(code, ()):
            if chain_of(s) not in judged:
                continue
            role_tp += s in ok or s in named
            if s in ok:
                tp += 1
            else:
                fp += 1
            if s in mapped_segs:
                seg_tp += s in ok
                seg_fp += s not in ok
    hit = sum(1 for lab in labels if placed.get(lab.code, set()) & lab.targets)
    return {
        "firms": len(truth), "labels": len(labels), "placements": tp + fp, "correct": tp,
        "precision": tp / (tp + fp) if tp + fp else None,
        "seg_placements": seg_tp + seg_fp,
        "seg_precision": seg_tp / (seg_tp + seg_fp) if seg_tp + seg_fp else None,
        "recalled": hit, "recall": hit / len(labels) if labels else None,
        **({"role_correct": role_tp, "role_precision": role_tp / (tp + fp) if tp + fp else None}
           if support is not None else {}),
    }


def load_adjudication(folder: Path = ADJUDICATION) -> tuple[dict[tuple[str, str], str], dict[str, Any]] | None:
    """(code, segment) → assessor verdict (``yes``/``no``/``unclear``) for the adjudicated placements, and the
    assessors' record on the control items (decoys: segments of the same chain the firm was neither placed in
    nor labelled with); None when the verdict files are not there.

    ``items.yaml`` is the key (which question is which placement or control); ``verdicts-*.yaml`` are the
    assessors' answers to ``pairs-*.yaml``, by question id.
    """
    vfiles = sorted(folder.glob("verdicts-*.yaml"))
    if not (folder / "items.yaml").is_file() or not vfiles:
        return None
    key = {it["id"]: it for it in yaml.load((folder / "items.yaml").read_text(encoding="utf-8"),
                                            Loader=yaml.BaseLoader)}
    answers = {v["id"]: v for f in vfiles
               for v in yaml.load(f.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)}
    missing = sorted(set(key) - set(answers))
    if missing:
        raise SystemExit(f"adjudication: no verdict for {', '.join(missing)}")
    verdicts, controls = {}, defaultdict(int)
    for qid, it in key.items():
        v = answers[qid]["verdict"]
        if v not in ("yes", "no", "unclear"):
            raise SystemExit(f"adjudication: {qid} has verdict {v!r} (yes, no or unclear)")
        if it["kind"] == "decoy":
            controls[v] += 1
        else:
            verdicts[it["stock_code"].zfill(6), it["segment_id"]] = v
    n = sum(controls.values())
    return verdicts, {"controls": dict(controls), "control_yes_rate": controls["yes"] / n if n else None,
                      "placements_judged": len(verdicts),
                      "placements_yes": sum(v == "yes" for v in verdicts.values())}


def adjudicated(labels: list[Label], placed: dict[str, set[str]], chains: set[str],
                verdicts: dict[tuple[str, str], str]) -> dict[str, Any]:
    """Precision when a placement the labels call wrong counts as right if the assessor found public evidence
    that the firm makes that segment's products (verdict ``yes``). A wrong placement nobody judged stays wrong.

    >>> lab = Label("600001", "甲", "f", "s", frozenset({"seg:lib:ic:design"}))
    >>> placed = {"600001": {"seg:lib:ic:design", "seg:lib:ic:fab", "seg:lib:ic:packaging", "seg:lib:pv:cell"}}
    >>> v = {("600001", "seg:lib:ic:fab"): "yes", ("600001", "seg:lib:ic:packaging"): "no"}
    >>> r = adjudicated([lab], placed, {"ic"}, v)   # by hand: design right, fab confirmed, packaging not; pv not judged
    >>> (r["placements"], r["label_correct"], r["confirmed"], r["unjudged"], r["precision"])
    (3, 1, 1, 0, 0.6666666666666666)
    """
    truth: dict[str, set[str]] = defaultdict(set)
    for lab in labels:
        truth[lab.code] |= lab.targets
    n = right = confirmed = unjudged = 0
    for code, ok in truth.items():
        for seg in placed.get(code, ()):
            if chain_of(seg) not in chains:
                continue
            n += 1
            if seg in ok:
                right += 1
            elif verdicts.get((code, seg)) == "yes":
                confirmed += 1
            elif (code, seg) not in verdicts:
                unjudged += 1
    return {"placements": n, "label_correct": right, "confirmed": confirmed, "unjudged": unjudged,
            "precision": (right + confirmed) / n if n else None}


def evaluate(kg, data: Path, sweep=SWEEP, default: float = 0.5, mapping: dict | None = None,
             with_kunming: bool = True) -> dict[str, Any]:
    mapping = mapping or load_mapping()
    pool = pool_codes(kg)
    segs_in_kg = set(kg.nodes("Segment"))
    for targets in [*[t for m in mapping["atlas"].values() for t in m.values()], *mapping["kunming"].values(),
                    *[t for m in mapping["lists"].values() for t in m.values()]]:
        for t in targets:
            if t not in segs_in_kg and chain_of(t) in {s.split(":")[2] for s in segs_in_kg if s.startswith("seg:lib:")}:
                raise SystemExit(f"mapping names {t}, which is not a library segment")
    a_labels, a_info = atlas_labels(data / "industry-chain-atlas", mapping, pool)
    halves = {h: [lab for lab in a_labels if half_of(lab.code) == h] for h in ("dev", "held-out")}
    all_chains = {chain_of(t) for lab in a_labels for t in lab.targets}
    support = role_support(kg, atlas_words(data / "industry-chain-atlas", mapping["atlas"]),
                           {lab.code for lab in a_labels}, all_chains)
    out: dict[str, Any] = {"default_threshold": default, "atlas": {"info": a_info, "sweep": {}, "by_file": {}},
                           "kunming": {}}
    by_thr = {t: placements(kg, t) for t in sorted({*sweep, default})}
    for t, placed in by_thr.items():
        out["atlas"]["sweep"][t] = {
            "all": score(a_labels, placed, all_chains, support),
            **{h: score(labs, placed, all_chains, support) for h, labs in halves.items()},
        }
    placed = by_thr[default]
    for fname in mapping["atlas"]:
        labs = [lab for lab in a_labels if lab.group == fname]
        out["atlas"]["by_file"][fname] = {
            "all": score(labs, placed),
            **{h: score([lab for lab in labs if half_of(lab.code) == h], placed,
                        {chain_of(t) for lab in labs for t in lab.targets}) for h in halves},
        }
    if mapping["lists"] and (LISTS / next(iter(mapping["lists"]))).is_file():
        l_labels, l_info = list_labels(LISTS, mapping, pool_firms(kg))
        l_chains = {chain_of(t) for lab in l_labels for t in lab.targets}
        l_halves = {h: [lab for lab in l_labels if half_of(lab.code) == h] for h in ("dev", "held-out")}
        out["lists"] = {"info": l_info, "sweep": {t: {"all": score(l_labels, p, l_chains),
                                                      "own-chain": score(l_labels, p, l_chains, own_chains=True),
                                                      **{h: score(labs, p, l_chains) for h, labs in l_halves.items()}}
                                                  for t, p in by_thr.items()}, "by_file": {}}
        for fname in mapping["lists"]:
            labs = [lab for lab in l_labels if lab.group == fname]
            out["lists"]["by_file"][fname] = score(labs, placed, {chain_of(t) for lab in labs for t in lab.targets})
    adj = load_adjudication()
    if adj is not None:
        verdicts, record = adj
        samples = {"atlas": (halves, all_chains)}
        if "lists" in out:
            samples["lists"] = (l_halves, l_chains)
        out["adjudicated"] = {"assessors": record, "threshold": default, **{
            name: {**{h: adjudicated(labs, placed, chains, verdicts) for h, labs in hv.items()},
                   "all": adjudicated([lab for labs in hv.values() for lab in labs], placed, chains, verdicts)}
            for name, (hv, chains) in samples.items()}}
    if with_kunming:
        k_labels, k_info = kunming_labels(mapping, kg)
        k_chains = set(mapping["kunming_chains"].values())
        out["kunming"] = {"info": k_info, "sweep": {t: score(k_labels, p, k_chains) for t, p in by_thr.items()},
                          "by_chain": {}, "firms": sorted({f"{lab.code} {lab.name}" for lab in k_labels})}
        for kc, lc in mapping["kunming_chains"].items():
            labs = [lab for lab in k_labels if lab.group == kc]
            out["kunming"]["by_chain"][lc] = score(labs, placed, {lc})
    return out


def dev_report(kg, data: Path, threshold: float, mapping: dict | None = None, sample: str = "atlas") -> str:
    """Every placement of a **dev**-half firm of ``sample`` (``atlas`` or ``lists``) at ``threshold``, right or
    wrong, with its evidence.

    The held-out half is never listed: rules are chosen looking at this report only, then held-out is scored.
    """
    from chainkg.graph.match import match

    mapping = mapping or load_mapping()
    pool = pool_codes(kg)
    if sample == "lists":
        labels, _ = list_labels(LISTS, mapping, pool_firms(kg))
    else:
        labels, _ = atlas_labels(data / "industry-chain-atlas", mapping, pool)
    firm_labels: dict[str, list[Label]] = defaultdict(list)
    for lab in labels:
        if half_of(lab.code) == "dev":
            firm_labels[lab.code].append(lab)
    truth = {code: frozenset().union(*(lab.targets for lab in labs)) for code, labs in firm_labels.items()}
    chains = {chain_of(t) for lab in labels for t in lab.targets}
    by_code: dict[str, list] = defaultdict(list)
    for p in match(kg, min_confidence=threshold, dry_run=True).placements:
        code = (p.stock_code or "").split(".")[0]
        if code in truth and p.segment_id.startswith("seg:lib:") and chain_of(p.segment_id) in chains:
            by_code[code].append(p)
    g = kg.g
    firm_of = {str(g.nodes[f]["stock_code"]).split(".")[0]: f for f in kg.nodes("Enterprise")
               if g.nodes[f].get("stock_code")}
    lines, right, wrong, missed = [], 0, 0, 0
    for code in sorted(truth):
        segs = dict.fromkeys(lab.segment for lab in firm_labels[code])
        lines.append(f"{code} {pool[code]}  {sample}: {', '.join(segs)}")
        for p in by_code.get(code, []):
            ok = p.segment_id in truth[code]
            right, wrong = right + ok, wrong + (not ok)
            lines.append(f"  {'ok ' if ok else 'BAD'} {p.segment_id.removeprefix('seg:lib:')} {p.confidence:.2f}  "
                         f"{p.evidence}")
        got = {p.segment_id for p in by_code.get(code, [])}
        for lab in firm_labels[code]:
            if not lab.targets & got:
                missed += 1
                targets = ", ".join(sorted(t.removeprefix("seg:lib:") for t in lab.targets))
                lines.append(f"  MISSED {lab.segment} → {targets}")
        if not truth[code] <= got:  # what the matcher had to go on
            fid = firm_of[code]
            inds = [f"{g.nodes[i].get('name')} ({g.nodes[i].get('code')})" for i in kg.out(fid, "IN_INDUSTRY")]
            prods = sorted(((d.get("revenue_share") or 0, g.nodes[v].get("name", "")) for _, v, k, d
                            in g.out_edges(fid, keys=True, data=True) if k == "MAKES"), reverse=True)[:4]
            lines.append(f"    industry: {', '.join(inds) or '—'}; products: "
                         f"{', '.join(f'{n} ({s:.0%})' for s, n in prods) or '—'}")
    lines.append(f"dev at {threshold}: {right} right, {wrong} wrong, {missed} labels missed")
    return "\n".join(lines)


# ----------------------------------------------------------------------------- report
def pct(x: float | None) -> str:
    return "—" if x is None else f"{100 * x:.1f}%"


def cells(s: dict[str, Any], seg: bool = True) -> str:
    """A :func:`score` result as table cells: firms, labels, placements, precision, [seg-prec,] recall."""
    return " | ".join([str(s["firms"]), str(s["labels"]), str(s["placements"]), pct(s["precision"]),
                       *([pct(s["seg_precision"])] if seg else []), pct(s["recall"])])


def markdown(res: dict[str, Any], seconds: dict[str, float]) -> str:
    t0 = res["default_threshold"]
    a = res["atlas"]
    lines = [
        "# Placement precision/recall of the library match rules",
        "",
        "How the numbers are computed (see the docstring of benchmarks/placement_eval.py):",
        "- workspace = A-share pool (empty base) + all library chains; placements = `match(kg, min_confidence=t)`.",
        "- **precision** = of our placements of labelled firms into the library chains the labels cover, the share "
        "in a segment the label source puts that firm in (via the mapping table); **seg-prec** = the same over "
        "placements into mapped segments only; **recall** = of labelled (firm, segment) pairs, the share we place "
        "in a mapped counterpart; **role-prec** (a second measure, for the atlas's partial labels) = precision "
        "where a placement also counts as right when the atlas author's own words about the firm (its `role` "
        "lines, the products it supplies) name the segment.",
        "- Sample A = industry-chain-atlas key companies present in the pool; halves by sha256 of the stock code "
        "(dev: rules were tuned looking at these; held-out: scored only at the end).",
        "- Sample B = curated OPERATES_IN of the bundled Kunming firms that are A-share firms.",
        "",
        f"Sample A: {a['info']['mapped_segments']} mapped atlas segments, "
        f"{len(a['info']['unmapped_segments'])} unmapped ({'; '.join(a['info']['unmapped_segments'])}); "
        f"{len(a['info']['not_in_pool'])} atlas firms not in the pool ({', '.join(a['info']['not_in_pool'])}); "
        f"skipped for a code/name mismatch: {', '.join(a['info']['name_mismatch']) or '—'}.",
        "",
        "## Sample A (atlas) — sweep",
        "",
        "| threshold | half | firms | labels | placements | precision | seg-prec | recall | role-prec |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for t, by in a["sweep"].items():
        for h in ("dev", "held-out", "all"):
            s = by[h]
            mark = " **(default)**" if t == t0 and h == "all" else ""
            lines.append(f"| {t:.1f}{mark} | {h} | {cells(s)} | {pct(s.get('role_precision'))} |")
    lines += ["", f"## Sample A (atlas) — per atlas file at {t0}", "",
              "| atlas file | half | firms | labels | placements | precision | seg-prec | recall |",
              "|---|---|---|---|---|---|---|---|"]
    for f, by in a["by_file"].items():
        for h in ("dev", "held-out", "all"):
            s = by[h]
            lines.append(f"| {f} | {h} | {cells(s)} |")
    c = res.get("lists")
    if c:
        ci = c["info"]
        lines += ["", "## Sample C (published segment lists)", "",
                  "Sources per file: "
                  + "; ".join(f"{f} ({v['chain']}): {v['sources']}" for f, v in ci["files"].items())
                  + f". Unmapped published segments: {'; '.join(ci['unmapped_segments']) or '—'}. "
                  f"Firms not in the pool: {len(ci['not_in_pool'])}; code/name mismatches skipped: "
                  f"{', '.join(ci['name_mismatch']) or '—'}.",
                  "", "| threshold | judged in | firms | labels | placements | precision | seg-prec | recall |",
                  "|---|---|---|---|---|---|---|---|"]
        for t, by in c["sweep"].items():
            for h in ("dev", "held-out", "all", "own-chain"):
                s = by[h]
                mark = " **(default)**" if t == t0 and h == "all" else ""
                judged = {"all": "all firms, all covered chains", "own-chain": "all firms, each firm’s own chains"}
                lines.append(f"| {t:.1f}{mark} | {judged.get(h, h + ' half, all covered chains')} | {cells(s)} |")
        lines += ["", f"Per file at {t0}:", "",
                  "| file | firms | labels | placements | precision | seg-prec | recall |",
                  "|---|---|---|---|---|---|---|"]
        for f, s in c["by_file"].items():
            lines.append(f"| {f} | {cells(s)} |")
    adj = res.get("adjudicated")
    if adj:
        rec = adj["assessors"]
        lines += ["", f"## Adjudicated precision at {adj['threshold']} (public evidence on disputed placements)",
                  "", f"Assessors judged {rec['placements_judged']} disputed placements ({rec['placements_yes']} yes) "
                  f"and {sum(rec['controls'].values())} control items (said yes to "
                  f"{rec['controls'].get('yes', 0)}: {pct(rec['control_yes_rate'])}).", "",
                  "| sample | half | placements | right by the labels | confirmed by evidence | unjudged | "
                  "adjudicated precision |", "|---|---|---|---|---|---|---|"]
        for name in ("atlas", "lists"):
            for h in ("dev", "held-out", "all"):
                if name in adj:
                    r = adj[name][h]
                    lines.append(f"| {name} | {h} | {r['placements']} | {r['label_correct']} | {r['confirmed']} | "
                                 f"{r['unjudged']} | {pct(r['precision'])} |")
    k = res.get("kunming")
    if k:
        lines += ["", "## Sample B (Kunming firms)", "",
                  f"{len(k['firms'])} A-share firms with curated placements: {', '.join(k['firms'])}. "
                  f"Not in the pool: {', '.join(k['info']['not_in_pool']) or '—'}. "
                  f"Curated pairs without a library counterpart: {'; '.join(k['info']['unmapped_pairs']) or '—'}.",
                  "", "| threshold | firms | labels | placements | precision | recall |", "|---|---|---|---|---|---|"]
        for t, s in k["sweep"].items():
            lines.append(f"| {t:.1f} | {cells(s, seg=False)} |")
        lines += ["", f"Per library chain at {t0}:", "",
                  "| library chain | firms | labels | placements | precision | recall |", "|---|---|---|---|---|---|"]
        for c, s in k["by_chain"].items():
            lines.append(f"| {c} | {cells(s, seg=False)} |")
    lines += ["", "Run time: " + ", ".join(f"{k} {v:.1f} s" for k, v in seconds.items())]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=shared_data(), help="shared/data folder")
    ap.add_argument("--json", type=Path, help="also write the results as JSON here")
    ap.add_argument("--sweep", default=",".join(str(t) for t in SWEEP))
    ap.add_argument("--min-confidence", type=float, default=0.5)
    ap.add_argument("--dev-report", action="store_true",
                    help="list every dev-half placement (right/wrong, evidence) at --min-confidence and stop; "
                         "the held-out half is never listed")
    ap.add_argument("--sample", choices=("atlas", "lists"), default="atlas",
                    help="which labelled sample --dev-report lists (default atlas)")
    args = ap.parse_args(argv)
    if not (args.data / "chainkg-a-share").is_dir():
        print(f"no A-share data under {args.data}", file=sys.stderr)
        return 2
    if args.dev_report:
        mapping = load_mapping()
        chains = sorted({chain_of(t) for segs in mapping[args.sample].values() for ts in segs.values() for t in ts})
        kg, _ = build_workspace(args.data, chains)
        print(dev_report(kg, args.data, args.min_confidence, mapping, args.sample))
        return 0
    t0 = time.perf_counter()
    kg, build = build_workspace(args.data)
    t1 = time.perf_counter()
    res = evaluate(kg, args.data, [float(x) for x in args.sweep.split(",")], args.min_confidence)
    seconds = {"build": build, "match+score": time.perf_counter() - t1, "total": time.perf_counter() - t0}
    res["seconds"] = seconds
    print(markdown(res, seconds))
    if args.json:
        args.json.write_text(json.dumps(res, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
