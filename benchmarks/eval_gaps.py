"""Do chainkg's gap queries find the gaps a place published? Recall and precision on public cases.

Each case in ``benchmarks/eval/cases/*.yaml`` names a place, its key chains, the local firms public text
names (its "register") and the gaps its government or press published (the answer key). For each case:

1. write the firms as a bureau's register (``benchmarks/eval/registers/<case>.csv``: 名称, 行业代码, 经营范围,
   链主) — only what a register holds, never the gap answers;
2. build a workspace from nothing but library templates and that register: ``templates use`` the case's
   chains, ``import register`` with the place as home region, ``match``;
3. run the gap queries (missing, weak, extend, capability, supply) on the case's chains;
4. map each published gap to library segments by one stated rule (below) and score.

Mapping rule (the same for every case): a published gap maps to the segments of the case's chains whose
name or an alias occurs in the gap text or contains it, or one of whose match keywords (not a veto) occurs
in the gap text — each name, alias and keyword also in its variants (head words 装备/设备/机械/机,
材料/料; a four-character compound with its halves joined by 与/及/和: ``chainkg.graph.text.term_variants``,
the matcher's own morphology); a ``capability`` gap also
maps to the support segments whose name shares one of the words 研发, 检测, 认证, 中试, 测试, 平台, 软件, 设计,
创新 with the gap text. A gap that maps to nothing counts as missed.

A gap is *found* when one of its segments is flagged by any gap query. Recall = found / published.
Precision = flagged segments that some published gap maps to / flagged segments; the published lists
are short (5–9 gaps), so precision is a lower bound: a flagged segment nobody published may still be a gap.

    python benchmarks/eval_gaps.py            # Markdown tables
    python benchmarks/eval_gaps.py --json     # everything, for tests and notes
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
CASES = HERE / "eval" / "cases"
REGISTERS = HERE / "eval" / "registers"
CAPABILITY_WORDS = ("研发", "检测", "认证", "中试", "测试", "平台", "软件", "设计", "创新")
KINDS = ("upstream", "midstream", "downstream", "supply", "capability")


def case_chains(case: dict[str, Any]) -> list[str]:
    """The library chains a case is about: its chains' ``library`` names (firms of other chains are noise)."""
    return list(dict.fromkeys(c["library"] for c in case.get("chains", []) if c.get("library")))


def scored_chains(case: dict[str, Any]) -> list[str]:
    """The chains whose gaps are scored: those any published gap names."""
    return list(dict.fromkeys(g["chain"] for g in case["gaps"]))


def write_register(case: dict[str, Any], path: Path) -> Path:
    """The case's firms as a register: 名称, 行业代码, 经营范围, 链主 (是/否)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f)
        w.writerow(["名称", "行业代码", "经营范围", "链主"])
        for firm in case["firms"]:
            scope = firm.get("business_scope") or "、".join(firm.get("products") or [])
            w.writerow([firm["name"], firm.get("gbt", ""), scope, "是" if firm.get("role") == "anchor" else "否"])
    return path


def build(case: dict[str, Any], register: Path):
    """A workspace from library templates and the register only; returns (graph, match report)."""
    from chainkg.graph.kg import KnowledgeGraph
    from chainkg.graph.match import match
    from chainkg.graph.scope import set_home_region
    from chainkg.loaders import LoadFailed, apply_batch, validate_batch
    from chainkg.loaders.library import library_records
    from chainkg.loaders.register import import_register

    kg = KnowledgeGraph({"name": case["place"]})
    names = case_chains(case) + scored_chains(case) + [f["chain"] for f in case["firms"] if f.get("chain")]
    records = library_records(names, kg)
    errors = validate_batch(records, kg)
    if errors:
        raise LoadFailed(errors)
    apply_batch(records, kg)
    home = set_home_region(kg, case["place"], level="city" if case["place"].endswith("市") else "district")
    import_register(kg, register, home)
    report = match(kg)
    return kg, report


def _key(text: str) -> str:
    from chainkg.graph.text import name_key

    return name_key(text)


def segment_terms(kg, seg: str) -> tuple[list[str], list[str]]:
    d = kg.g.nodes[seg]
    names = [d["name"], *(d.get("aliases") or [])]
    # A name with parts (正极材料/负极材料) matches by each part too.
    parts = [p for n in names for p in n.replace("／", "/").split("/") if len(p) >= 2]
    keywords = [k for k in d.get("match_keywords") or [] if not k.startswith("-") and len(k) >= 2]
    return list(dict.fromkeys(names + parts)), keywords


def map_gap(kg, gap: dict[str, Any], segments: list[str]) -> list[str]:
    """The segments a published gap maps to, by the module's stated rule."""
    from chainkg.graph.text import term_variants

    text = _key(gap["text"])
    out = []
    for s in segments:
        names, keywords = segment_terms(kg, s)
        hit = any(v in text or (len(text) >= 2 and text in v) for n in names for v in term_variants(_key(n)))
        hit = hit or any(v in text for k in keywords for v in term_variants(_key(k)))
        if not hit and gap["kind"] == "capability" and kg.g.nodes[s].get("stage") == "support":
            hit = any(w in gap["text"] and w in kg.g.nodes[s]["name"] for w in CAPABILITY_WORDS)
        if hit:
            out.append(s)
    return out


@dataclass
class CaseResult:
    case: str
    place: str
    chains: list[str]
    firms: int
    placed: int
    gaps: int
    found: int
    by_kind: dict[str, list[int]] = field(default_factory=dict)
    flagged: int = 0
    flagged_published: int = 0
    missed: list[str] = field(default_factory=list)
    unmapped: list[str] = field(default_factory=list)
    flagged_by_query: dict[str, int] = field(default_factory=dict)

    @property
    def recall(self) -> float:
        return self.found / self.gaps if self.gaps else 0.0

    @property
    def precision(self) -> float:
        return self.flagged_published / self.flagged if self.flagged else 0.0


def evaluate(path: Path) -> CaseResult:
    from chainkg.graph import queries as q

    case = yaml.safe_load(path.read_text(encoding="utf-8"))
    register = write_register(case, REGISTERS / f"{path.stem}.csv")
    kg, _ = build(case, register)
    from chainkg.loaders.library import find_chain

    chains = [find_chain(c).chain for c in scored_chains(case)]
    segments = [s for c in chains for s in kg.segments_of(c)]
    flagged: dict[str, set[str]] = {}
    for c in chains:
        for name in ("missing", "weak", "extend", "capability", "supply"):
            for row in q.QUERIES[name].function(kg, chain=c):
                if row.segment_id in segments:
                    flagged.setdefault(row.segment_id, set()).add(name)
    local = {f for f in kg.nodes("Enterprise") if kg.out(f, "OPERATES_IN")}
    res = CaseResult(path.stem, case["place"], [kg.name(c) for c in chains], len(case["firms"]), len(local),
                     len(case["gaps"]), 0)
    published: set[str] = set()
    for gap in case["gaps"]:
        mapped = map_gap(kg, gap, [s for s in segments if kg.g.nodes[s]["chain"] == find_chain(gap["chain"]).chain])
        published.update(mapped)
        hit = any(s in flagged for s in mapped)
        res.found += hit
        n, f = res.by_kind.get(gap["kind"], [0, 0])
        res.by_kind[gap["kind"]] = [n + 1, f + hit]
        if not mapped:
            res.unmapped.append(f"{gap['id']} {gap['text']}")
        elif not hit:
            res.missed.append(f"{gap['id']} {gap['text']} → {'、'.join(kg.name(s) for s in mapped)} (covered)")
    res.flagged = len(flagged)
    res.flagged_published = len(set(flagged) & published)
    res.flagged_by_query = dict(Counter(n for names in flagged.values() for n in names))
    return res


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    results = [evaluate(p) for p in sorted(CASES.glob("*.yaml"))]
    if args.json:
        print(json.dumps([{**r.__dict__, "recall": r.recall, "precision": r.precision} for r in results],
                         ensure_ascii=False, indent=1))
        return 0
    print("| case | chains | firms (placed) | published gaps | found | recall | flagged segments | precision |")
    print("|---|---|---|---|---|---|---|---|")
    for r in results:
        print(f"| {r.place} | {'、'.join(r.chains)} | {r.firms} ({r.placed}) | {r.gaps} | {r.found} | "
              f"{r.recall:.0%} | {r.flagged} | {r.precision:.0%} |")
    tot = Counter()
    for r in results:
        for kind, (n, f) in r.by_kind.items():
            tot[kind, "n"] += n
            tot[kind, "f"] += f
    print("\n| kind | published | found | recall |\n|---|---|---|---|")
    for kind in KINDS:
        n, f = tot[kind, "n"], tot[kind, "f"]
        if n:
            print(f"| {kind} | {n} | {f} | {f / n:.0%} |")
    n = sum(tot[k, "n"] for k in ("upstream", "downstream", "supply"))
    f = sum(tot[k, "f"] for k in ("upstream", "downstream", "supply"))
    print(f"| upstream+downstream+supply | {n} | {f} | {f / n:.0%} |")
    for r in results:
        for line in r.unmapped:
            print(f"- {r.place}: unmapped {line}")
        for line in r.missed:
            print(f"- {r.place}: missed {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
