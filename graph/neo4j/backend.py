"""The Neo4j query engine: the same queries and typed rows as :mod:`chainkg.graph.queries`, answered in Cypher.

Each rule runs in Cypher (:mod:`.cypher`) with parameters only. Python turns
records into the same dataclasses, builds the explanation strings, rounds
like the embedded engine and applies its final sort keys (string order must be
Python's: Neo4j compares UTF-16 code units, which puts emoji before some CJK
punctuation). Two things Cypher on Community cannot do are computed in Python
on graphs fetched by Cypher: directed betweenness centrality (no GDS) and the
dominator sets of chokepoints (networkx ``immediate_dominators`` on the FEEDS
and SUPPLIES graphs, exactly as the embedded engine does).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

import networkx as nx

from chainkg.graph.chokepoints import (
    ChokepointRow,
    betweenness,
    enterprise_hits,
    relevant_supply_graph,
    row_order,
    segment_hits,
)
from chainkg.graph.coverage import CoverageRow
from chainkg.graph.dependencies import UNPLACED, DependencyRow
from chainkg.graph.gaps import ExtendRow, MissingRow, WeakRow
from chainkg.graph.kg import GraphError
from chainkg.graph.pipeline import (
    CONVERSIONS,
    STAGE_INDEX,
    UNGROUPED,
    ConversionRow,
    GroupRow,
    PipelineReport,
    StalledRow,
    _parse,
)
from chainkg.graph.scope import CNY_TO_YI, LANDED
from chainkg.graph.targets import GAP_BASE, GAP_LABEL, TargetRow, Weights
from chainkg.graph.text import name_key
from chainkg.schema import PIPELINE_STAGES

from . import cypher as q
from .connection import Connection, Neo4jFailure, Settings
from .store import read_meta

QUERY_NAMES = ("coverage", "missing", "weak", "extend", "dependencies", "chokepoints", "targets", "pipeline")
_FAR = 10**9
#: ANY SHORTEST path selectors and quantified path patterns (used by 延链) arrived in Neo4j 5.21.
MIN_VERSION = (5, 21)
#: The fixed explanations of two 强链 rules (the others name firms).
_WEAK_TEXT = {
    "no-enterprise": "covered only by a landed project; no local enterprise operates in it",
    "no-anchor": "no local anchor (链主) works in it",
}


def _order(v: Any) -> int:
    return _FAR if v is None else v


def _seg_key(chain: str | None, order: Any, seg: str) -> tuple:
    """The embedded engine's ``Scope.sort_key``: chain name, template order, id."""
    return (chain or "", _order(order), seg)


def _names(items: list[dict[str, Any]]) -> list[str]:
    return sorted(x["name"] for x in items)


class Neo4jBackend:
    """Runs the analyst queries on a Neo4j server.

    >>> Neo4jBackend(Settings(uri="bolt://127.0.0.1:1")).settings.uri
    'bolt://127.0.0.1:1'
    """

    def __init__(self, settings: Settings | None = None, *, close_after_run: bool = False) -> None:
        self.settings = settings or Settings.from_env()
        self.close_after_run = close_after_run
        self._conn: Connection | None = None

    @classmethod
    def from_environment(cls) -> Neo4jBackend:
        return cls(Settings.from_env())

    # ------------------------------------------------------------ plumbing
    @property
    def conn(self) -> Connection:
        if self._conn is None:
            conn = Connection(self.settings)
            version = conn.server().get("version", "")
            if _version(version) < MIN_VERSION:
                conn.close()
                raise Neo4jFailure(f"chainkg's Cypher queries need Neo4j {'.'.join(map(str, MIN_VERSION))} or "
                                   f"later; {self.settings.where} runs {version or 'an unknown version'}")
            self._conn = conn
        return self._conn

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def __enter__(self) -> Neo4jBackend:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def run(self, name: str, **kwargs: Any) -> Any:
        if name not in QUERY_NAMES:
            raise GraphError(f"unknown query {name!r}")
        try:
            return getattr(self, name)(**kwargs)
        finally:
            if self.close_after_run:
                self.close()

    def _read(self, query: str, params: dict[str, Any], **extra: Any) -> list[Any]:
        return self.conn.read(query, **params, **extra)

    # ---------------------------------------------------------- resolution
    def _has(self, label: str, node_id: str) -> bool:
        return bool(self.conn.read(q.HAS_NODE[label], id=node_id)[0]["ok"])

    def _lookup(self, label: str, text: str) -> list[str]:
        """Ids of ``label`` nodes with ``text`` as id, name, title or alias (Simplified or Traditional)."""
        key = name_key(text)
        ids = set()
        for rec in self.conn.read(q.NAMES_OF[label]):
            names = [rec["id"], *(rec[k] for k in ("name", "title") if rec[k])]
            names += list(rec["aliases"] or ())
            if any(isinstance(n, str) and name_key(n) == key for n in names):
                ids.add(rec["id"])
        return sorted(ids)

    def _resolve(self, label: str, text: str, what: str) -> str:
        if self._has(label, text):
            return text
        ids = self._lookup(label, text)
        if len(ids) != 1:
            raise GraphError(f"unknown {what} {text!r}")
        return ids[0]

    def _region(self, region: str | None) -> str:
        if region is not None:
            return self._resolve("Region", region, "region")
        info = read_meta(self.conn)
        if info is None and not self.conn.read("MATCH (n:Region) RETURN n.id AS id LIMIT 1"):
            raise Neo4jFailure(
                f"Neo4j database {self.settings.database!r} at {self.settings.where} holds no chainkg graph "
                "(push one with `chainkg neo4j push`)"
            )
        home = ((info or {}).get("meta") or {}).get("home_region")
        if not home:
            raise GraphError("the graph names no home region; pass --region")
        if not self._has("Region", home):
            raise GraphError(f"home region {home!r} is not a Region in the graph")
        return home

    def _params(self, region: str | None, chain: str | None) -> dict[str, Any]:
        """Resolve region then chain (same order and messages as ``build_scope``) into query parameters."""
        region_id = self._region(region)
        chain_id = None if chain is None else self._resolve("Chain", chain, "chain")
        return {
            "region": region_id,
            "chain": chain_id,
            "landed": list(LANDED),
            "stages": list(PIPELINE_STAGES),
            "cny": dict(CNY_TO_YI),
        }

    # --------------------------------------------------------------- gaps
    @staticmethod
    def _scope_order(recs: list[Any]) -> list[Any]:
        """Records in ``Scope.segments()`` order: chains verified first then by name, segments by template order."""
        return sorted(recs, key=lambda r: (not r["scope_verified"], r["scope_chain_name"], r["scope_chain"],
                                           _order(r["order"]), r["id"]))

    def coverage(self, region: str | None = None, chain: str | None = None) -> list[CoverageRow]:
        params = self._params(region, chain)
        rows = []
        for r in self._scope_order(self._read(q.COVERAGE, params)):
            firms = sorted(tuple(x) for x in r["firms"])
            rows.append(CoverageRow(
                chain=r["chain"],
                chain_id=r["chain_id"],
                segment=r["name"],
                segment_id=r["id"],
                stage=r["stage"],
                order=r["order"],
                local_enterprises=len(firms),
                anchors=r["anchors"],
                enterprises=[name for name, _ in firms],
                projects={st: n for st, n in zip(PIPELINE_STAGES, r["by_status"], strict=True) if n},
                agreed_amount_yi=round(r["agreed"], 6),
                status=r["status"],
            ))
        return rows

    def missing(self, region: str | None = None, chain: str | None = None) -> list[MissingRow]:
        params = self._params(region, chain)
        rows = []
        for r in self._scope_order(self._read(q.MISSING, params)):
            ups, downs, needing = _names(r["ups"]), _names(r["downs"]), _names(r["needing"])
            pipeline = sorted(f"{name} ({status})" for name, status in r["pipeline"])
            parts = ["no local enterprise and no landed project"]
            if ups:
                parts.append("fed by covered " + "、".join(ups))
            if downs:
                parts.append("feeds covered " + "、".join(downs))
            if needing:
                parts.append("needed by local anchors " + "、".join(needing))
            if pipeline:
                parts.append("not yet landed: " + "、".join(pipeline))
            if not (ups or downs or needing):
                parts.append("no covered neighbour (a new chain segment, 建链 rather than 补链)")
            rows.append((_seg_key(r["chain"], r["order"], r["id"]), MissingRow(
                chain=r["chain"],
                segment=r["name"],
                segment_id=r["id"],
                stage=r["stage"],
                score=r["score"],
                covered_upstream=ups,
                covered_downstream=downs,
                anchors_needing=needing,
                pipeline=pipeline,
                reason="; ".join(parts),
            )))
        rows.sort(key=lambda t: (-t[1].score, t[0]))
        return [row for _, row in rows]

    def weak(self, region: str | None = None, chain: str | None = None) -> list[WeakRow]:
        params = self._params(region, chain)
        rows = []
        for r in self._scope_order(self._read(q.WEAK, params)):
            texts = []
            for rule in r["rules"]:
                if rule == "single-enterprise":
                    texts.append(f"single local enterprise {r['firms'][0]} (single point of failure)")
                elif rule == "outside-suppliers":
                    pairs = sorted(f"{a} ← {s}" for a, s in r["outside"])
                    texts.append("local anchors buy from outside the region: " + "、".join(pairs))
                else:
                    texts.append(_WEAK_TEXT[rule])
            rows.append((_seg_key(r["chain"], r["order"], r["id"]), WeakRow(
                chain=r["chain"],
                segment=r["name"],
                segment_id=r["id"],
                stage=r["stage"],
                local_enterprises=len(r["firms"]),
                rules=list(r["rules"]),
                reason="; ".join(texts),
            )))
        rows.sort(key=lambda t: (-len(t[1].rules), t[0]))
        return [row for _, row in rows]

    def extend(self, region: str | None = None, chain: str | None = None, k: int = 1) -> list[ExtendRow]:
        if k < 1:
            raise ValueError("k must be at least 1")
        params = self._params(region, chain)
        rows = []
        for r in sorted(self._read(q.EXTEND, params, k=int(k)), key=lambda r: r["id"]):
            hops, direction = r["hops"], r["direction"]
            via = _names(r["vias"])
            nbrs, cov = r["neighbours"], r["covered_neighbours"]
            rel = round(r["relatedness"], 4) if nbrs else 0.0
            side = {"downstream": "downstream of", "upstream": "upstream of", "both": "next to"}[direction]
            reason = f"{hops} hop{'s' if hops > 1 else ''} {side} covered " + "、".join(via)
            reason += f"; {cov} of {nbrs} FEEDS neighbours covered"
            cross = sorted({v["chain"] for v in r["vias"] if v["chain_id"] != r["chain_id"]})
            if cross:
                reason += "; across chains from " + "、".join(cross)
            rows.append((_seg_key(r["chain"], r["order"], r["id"]), ExtendRow(
                chain=r["chain"],
                segment=r["name"],
                segment_id=r["id"],
                stage=r["stage"],
                direction=direction,
                hops=hops,
                relatedness=rel,
                covered_neighbours=cov,
                neighbours=nbrs,
                via=via,
                reason=reason,
            )))
        rows.sort(key=lambda t: (-t[1].relatedness, t[1].hops, t[0]))
        return [row for _, row in rows]

    # ------------------------------------------------------- dependencies
    def dependencies(self, region: str | None = None, chain: str | None = None) -> list[DependencyRow]:
        params = self._params(region, chain)
        rows = []
        for r in self._read(q.DEPENDENCIES, params):
            hq = min(r["hq"])[1] if r["hq"] else None
            seg = r["segment_id"]
            row = DependencyRow(
                chain=(r["chain"] or "") if seg else "",
                segment=r["segment"] if seg else UNPLACED,
                segment_id=seg,
                enterprise=r["enterprise"],
                enterprise_id=r["enterprise_id"],
                relation=r["relation"],
                anchor=r["anchor"],
                anchor_id=r["anchor_id"],
                product=r["product"],
                hq=hq,
            )
            seg_key = _seg_key(r["chain"], r["order"], seg) if seg else ("\uffff", 0, "")
            rows.append(((seg_key, row.relation, row.enterprise, row.enterprise_id, row.anchor, row.anchor_id), row))
        rows.sort(key=lambda t: t[0])
        return [row for _, row in rows]

    # -------------------------------------------------------- chokepoints
    def chokepoints(self, region: str | None = None, chain: str | None = None) -> list[ChokepointRow]:
        params = self._params(region, chain)
        anchors = {r["id"]: r for r in self._read(q.CHOKE_ANCHORS, params)}
        segs = sorted(self.conn.read(q.CHOKE_SEGMENTS), key=lambda r: _seq_order(r["seq"], r["id"]))
        seg_name = {r["id"]: r["name"] for r in segs}
        feed = nx.DiGraph()
        feed.add_nodes_from(r["id"] for r in segs)
        feed.add_edges_from((r["u"], r["v"]) for r in sorted(self.conn.read(q.CHOKE_FEEDS),
                                                             key=lambda r: _seq_order(r["seq"], (r["u"], r["v"]))))
        supply = nx.DiGraph()
        supply.add_edges_from((r["u"], r["v"]) for r in sorted(self.conn.read(q.CHOKE_SUPPLIES),
                                                               key=lambda r: _seq_order(r["seq"], (r["u"], r["v"]))))
        ops: dict[str, set[str]] = defaultdict(set)
        for r in self.conn.read(q.CHOKE_SUPPLIER_SEGMENTS):
            ops[r["firm"]].add(r["segment"])

        seg_hits = segment_hits(feed, {a: sorted(anchors[a]["segments"]) for a in anchors})
        full = supply

        def supply_pred(n: str) -> tuple[list[str], bool]:
            return (list(full.predecessors(n)), True) if n in full else ([], False)

        supply = relevant_supply_graph(supply_pred, set(anchors))
        firm_hits = enterprise_hits(supply, ops, set(anchors))

        rows = []
        for kind, hits, graph, details in (("segment", seg_hits, feed, q.CHOKE_SEGMENT_DETAILS),
                                           ("enterprise", firm_hits, supply, q.CHOKE_FIRM_DETAILS)):
            if not hits:
                continue
            bc = betweenness(graph)
            info = {r["id"]: r for r in self._read(details, params, ids=sorted(hits))}
            for n, (cut, inputs) in hits.items():
                d = info[n]
                local = bool(d["local"])
                anchors_named = sorted(anchors[a]["name"] for a in cut)
                inputs_named = sorted(seg_name.get(i, i) for i in inputs)
                where = "covered locally" if kind == "segment" and local else (
                    "local" if local else ("not covered locally" if kind == "segment" else "outside the region"))
                rows.append(ChokepointRow(
                    kind=kind,
                    name=d["name"],
                    id=n,
                    chain=d["chain"] or "",
                    local=local,
                    betweenness=round(bc.get(n, 0.0), 6) if bc is not None else None,
                    anchors=anchors_named,
                    inputs=inputs_named,
                    reason=(f"every path from {'、'.join(inputs_named)} to {'、'.join(anchors_named)} "
                            f"passes through it; {where}"),
                ))
        rows.sort(key=row_order)
        return rows

    # ------------------------------------------------------------ targets
    def targets(
        self,
        region: str | None = None,
        chain: str | None = None,
        weights: Weights | None = None,
        k: int = 1,
        limit: int | None = None,
    ) -> list[TargetRow]:
        w = weights or Weights()
        gaps: dict[str, str] = {}
        for kind, found in (("missing", self.missing(region, chain)), ("weak", self.weak(region, chain)),
                            ("extend", self.extend(region, chain, k))):
            for r in found:
                if r.segment_id not in gaps or GAP_BASE[kind] > GAP_BASE[gaps[r.segment_id]]:
                    gaps[r.segment_id] = kind
        params = self._params(region, chain)
        if not gaps:
            return []
        seg = {r["id"]: r for r in self._read(q.SEGMENT_INFO, params, ids=sorted(gaps))}
        courted = self._read(q.COURTED, params)[0]["courted"]
        recs = self._read(
            q.TARGETS, params, courted=courted,
            gaps=[{"id": s, "kind": kind} for s, kind in gaps.items()],
            gap_base=dict(GAP_BASE),
            w_gap=w.gap, w_tie=w.tie, w_region=w.region, w_pipeline=w.pipeline, w_lists=dict(w.lists),
        )
        out = []
        for r in recs:
            s, kind = r["segment_id"], r["gap"]
            si = seg[s]
            parts = {
                "gap": round(r["p_gap"], 6),
                "ties": round(r["p_ties"], 6),
                "lists": round(float(r["p_lists"]), 6),
                "region": round(r["p_region"], 6),
                "pipeline": round(r["p_pipeline"], 6),
            }
            ties = sorted(r["ties"])
            lists = list(r["lists"])
            courted_hq = sorted(h["name"] for h in r["hqs"] if h["courted"])
            invests = sorted(name for _, name in r["invests"])
            reasons = [f"works in {GAP_LABEL[kind]} gap {si['name']}"]
            if ties:
                reasons.append("tied to local anchors " + "、".join(ties))
            if lists:
                reasons.append("on " + "、".join(lists))
            if courted_hq:
                reasons.append("HQ in courted region " + "、".join(courted_hq))
            if invests:
                reasons.append("already invests in " + "、".join(invests))
            if r["placement"] == "inferred" and r["placement_evidence"]:
                reasons.append(f"placed by inference: {r['placement_evidence']}")
            hq = min((h["id"], h["name"]) for h in r["hqs"])[1] if r["hqs"] else None
            row = TargetRow(
                chain=si["chain"],
                segment=si["name"],
                segment_id=s,
                gap=kind,
                enterprise=r["enterprise"],
                enterprise_id=r["enterprise_id"],
                score=round(sum(parts.values()), 6),
                parts=parts,
                hq=hq,
                placement=r["placement"],
                why="; ".join(reasons),
            )
            out.append(((-row.score, _seg_key(si["chain"], si["order"], s), row.enterprise, row.enterprise_id), row))
        out.sort(key=lambda t: t[0])
        return [row for _, row in out][:limit]

    # ----------------------------------------------------------- pipeline
    def pipeline(
        self,
        region: str | None = None,
        chain: str | None = None,
        *,
        as_of: str | None = None,
        stale_days: int = 180,
    ) -> PipelineReport:
        params = self._params(region, chain)
        today = _parse(as_of) if as_of else dt.date.today()
        groups: dict[str, list[GroupRow]] = {"status": [], "chain": [], "region": [], "event": []}
        for r in self._read(q.PIPELINE_GROUPS, params, ungrouped=UNGROUPED):
            groups[r["grp"]].append(GroupRow(r["grp"], r["key"], r["projects"], round(r["agreed"], 6),
                                             round(r["funds"], 6)))
        for name, rows in groups.items():
            if name == "status":
                rows.sort(key=lambda g: STAGE_INDEX.get(g.key, 99))
            else:
                rows.sort(key=lambda g: (g.key == UNGROUPED, -g.projects, g.key))
        s = self._read(
            q.PIPELINE_SUMMARY, params, stage_index=dict(STAGE_INDEX),
            conversions=[[f"{name} ({num}/{den})", num, den] for name, num, den in CONVERSIONS],
        )[0]
        totals = GroupRow("all", "total", s["n"], round(s["agreed"], 6), round(s["funds"], 6))
        conversion = [ConversionRow(c["rate"], c["reached"], c["of"],
                                    round(c["reached"] / c["of"], 4) if c["of"] else None) for c in s["conversion"]]
        stalled = []
        for r in self._read(q.PIPELINE_STALLED, params, done=["投产", "增资"], today=today.isoformat(),
                            stale_days=int(stale_days)):
            if r["since"] is None:
                stalled.append(StalledRow(r["name"], r["id"], r["status"], None, None, "no status date recorded"))
            else:
                stalled.append(StalledRow(r["name"], r["id"], r["status"], r["since"], r["days"],
                                          f"at {r['status']} for {r['days']} days (> {stale_days})"))
        stalled.sort(key=lambda r: (r.days is None, -(r.days or 0), STAGE_INDEX[r.status], r.project, r.id))
        return PipelineReport(groups["status"], groups["chain"], groups["region"], groups["event"], totals,
                              conversion, stalled)


def _version(text: str) -> tuple[int, ...]:
    """(major, minor) of a Neo4j version string; calendar versions (2025.01) count as newer than 5.x.

    >>> _version("5.26.30"), _version("4.4.1"), _version("2025.01.0"), _version("dev")
    ((5, 26), (4, 4), (2025, 1), (0,))
    """
    parts = []
    for x in text.split(".")[:2]:
        if not x.isdigit():
            break
        parts.append(int(x))
    return tuple(parts) or (0,)


def _seq_order(seq: Any, ident: Any) -> tuple:
    return (0, seq, str(ident)) if isinstance(seq, int) else (1, 0, str(ident))
