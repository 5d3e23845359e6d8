"""The Neo4j query engine: the same queries and typed rows as :mod:`chainkg.graph.queries`, answered in Cypher.

Each rule runs in Cypher (:mod:`.cypher`) with parameters only. Python turns
records into the same dataclasses, builds the explanation strings, rounds
like the embedded engine and applies its final sort keys (string order must be
Python's: Neo4j compares UTF-16 code units, which puts emoji before some CJK
punctuation). Two things Cypher on Community cannot do are computed in Python
on graphs fetched by Cypher: directed betweenness centrality (no GDS) and the
dominator sets of chokepoints (:mod:`chainkg.graph.dominators` and
:mod:`chainkg.graph.digraph` on the FEEDS and SUPPLIES graphs, exactly as the
embedded engine does).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from itertools import repeat
from operator import itemgetter
from typing import Any, NamedTuple

from chainkg.errors import DataError, GraphError, InvalidArgument, NoHomeRegion, NotFoundError
from chainkg.graph.chokepoints import (
    ChokepointRow,
    Hits,
    betweenness,
    chokepoint_row,
    enterprise_hits,
    relevant_supply_graph,
    row_order,
    segment_hits,
)
from chainkg.graph.coverage import CoverageFacts, CoverageRow, coverage_rows
from chainkg.graph.dependencies import UNPLACED, DependencyRow, sort_dependencies
from chainkg.graph.digraph import Digraph
from chainkg.graph.engine import check_query, no_cyclic_gc
from chainkg.graph.gaps import (
    SUPPORT,
    CapabilityRow,
    ExtendFacts,
    ExtendRow,
    FirmFacts,
    MissingFacts,
    MissingRow,
    Thresholds,
    WeakFacts,
    WeakRow,
    capability_rows,
    extend_rows,
    missing_rows,
    weak_rows,
)
from chainkg.graph.lookup import suggest
from chainkg.graph.pipeline import PipelineReport, ProjectFacts, pipeline_report
from chainkg.graph.scope import CNY_TO_YI, LANDED, SegmentInfo, chain_key, segment_key
from chainkg.graph.supply import SupplyFacts, SupplyRow, supply_rows
from chainkg.graph.targets import CandidateFacts, TargetRow, Weights, WhyFacts, gap_kinds, target_rows
from chainkg.graph.text import name_key
from chainkg.schema import PIPELINE_STAGES

from . import cypher as q
from .connection import Connection, Neo4jFailure, Settings
from .store import read_meta

#: ANY SHORTEST path selectors and quantified path patterns (used by 延链) arrived in Neo4j 5.21.
MIN_VERSION = (5, 21)


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
        check_query(name)
        try:
            with no_cyclic_gc():
                return getattr(self, name)(**kwargs)
        finally:
            if self.close_after_run:
                self.close()

    def _read(self, query: str, params: dict[str, Any], **extra: Any) -> list[Any]:
        return self.conn.read(query, **params, **extra)

    # ---------------------------------------------------------- resolution
    def _has(self, label: str, node_id: str) -> bool:
        return bool(self.conn.read(q.HAS_NODE[label], id=node_id)[0]["ok"])

    def _candidates(self, label: str) -> list[tuple[str, str, list[str]]]:
        """(id, display name, every name) of each ``label`` node: id, name, title and aliases."""
        out = []
        for rec in self.conn.read(q.NAMES_OF[label]):
            names = [rec["id"], *(rec[k] for k in ("name", "title") if rec[k])]
            names += [n for n in rec["aliases"] or () if isinstance(n, str)]
            out.append((rec["id"], rec["name"] or rec["title"] or rec["id"], names))
        return out

    def _resolve(self, label: str, text: str, what: str) -> str:
        if self._has(label, text):
            return text
        key = name_key(text)
        cands = self._candidates(label)
        ids = sorted({i for i, _, names in cands if any(name_key(n) == key for n in names)})
        if len(ids) != 1:
            raise NotFoundError(f"unknown {what} {text!r}", suggest(text, [(d, names) for _, d, names in cands]))
        return ids[0]

    def _region(self, region: str | None) -> str:
        if region is not None:
            return self._resolve("Region", region, "region")
        info = read_meta(self.conn)
        if info is None and not self.conn.read(q.ANY_REGION):
            raise Neo4jFailure(
                f"Neo4j database {self.settings.database!r} at {self.settings.where} holds no chainkg graph "
                f"named {self.settings.graph!r} (push one with `chainkg neo4j push --name {self.settings.graph}`)"
            )
        home = ((info or {}).get("meta") or {}).get("home_region")
        if not home:
            raise NoHomeRegion("the graph names no home region; name the local region")
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
        return sorted(recs, key=lambda r: (chain_key(r["scope_verified"], r["scope_chain_name"], r["scope_chain"]),
                                           segment_key("", r["order"], r["id"])))

    @staticmethod
    def _segment(r: Any) -> SegmentInfo:
        return SegmentInfo(r["id"], r["name"], r["stage"], r["order"], r["chain_id"], r["chain"] or "")

    def coverage(self, region: str | None = None, chain: str | None = None) -> list[CoverageRow]:
        params = self._params(region, chain)
        facts = []
        for r in self._scope_order(self._read(q.COVERAGE, params)):
            seg = self._segment(r)
            facts.append(CoverageFacts(
                segment=seg, covered=r["covered"], firms=[(x[0], x[1]) for x in r["firms"]],
                weak=WeakFacts(seg, [_firm(x) for x in r["firms"]], [tuple(x) for x in r["outside"]]),
                projects=[tuple(x) for x in r["projects"]],
            ))
        return coverage_rows(facts)

    def _uncovered(self, region: str | None, chain: str | None) -> list[MissingFacts]:
        return self._missing_facts(self._params(region, chain))

    def _missing_facts(self, params: dict[str, Any]) -> list[MissingFacts]:
        return [MissingFacts(self._segment(r), [x["name"] for x in r["ups"]], [x["name"] for x in r["downs"]],
                             [x["name"] for x in r["needing"]], [tuple(x) for x in r["pipeline"]])
                for r in self._read(q.MISSING, params)]

    def missing(self, region: str | None = None, chain: str | None = None) -> list[MissingRow]:
        return missing_rows(self._uncovered(region, chain))

    def capability(self, region: str | None = None, chain: str | None = None) -> list[CapabilityRow]:
        return capability_rows(self._uncovered(region, chain))

    def supply(self, region: str | None = None, chain: str | None = None) -> list[SupplyRow]:
        params = self._params(region, chain)
        needed: dict[str, set] = defaultdict(set)
        suppliers: dict[str, set] = defaultdict(set)
        segs: dict[str, SegmentInfo] = {}
        for r in self._read(q.SUPPLY, params, support=SUPPORT):
            segs[r["id"]] = self._segment(r)
            needed[r["id"]].add((r["anchor"], r["via"]))
            if r["supplier"] is not None:
                suppliers[r["id"]].add((r["supplier"], min(r["hq"])[1] if r["hq"] else None))
        return supply_rows(SupplyFacts(segs[u], list(need), list(suppliers.get(u, ()))) for u, need in needed.items())

    def weak(self, region: str | None = None, chain: str | None = None, *,
             min_revenue: float = Thresholds.revenue, min_employees: int = Thresholds.employees,
             min_capital: float = Thresholds.registered_capital) -> list[WeakRow]:
        params = self._params(region, chain)
        return weak_rows(self._weak_facts(params), Thresholds(min_revenue, min_employees, min_capital))

    def _weak_facts(self, params: dict[str, Any]) -> list[WeakFacts]:
        return [WeakFacts(self._segment(r), [_firm(x) for x in r["firms"]], [tuple(x) for x in r["outside"]])
                for r in self._read(q.WEAK, params)]

    def extend(self, region: str | None = None, chain: str | None = None, k: int = 1) -> list[ExtendRow]:
        if k < 1:
            raise InvalidArgument("k must be at least 1")
        return extend_rows(self._extend_facts(self._params(region, chain), k))

    def _extend_facts(self, params: dict[str, Any], k: int) -> list[ExtendFacts]:
        return [ExtendFacts(self._segment(r), r["hops"], r["direction"],
                            [(v["name"], v["chain_id"], v["chain"] or "") for v in r["vias"]],
                            r["neighbours"], r["covered_neighbours"])
                for r in self._read(q.EXTEND, params, k=int(k))]

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
            rows.append((segment_key(r["chain"], r["order"], seg) if seg else None, row))
        return sort_dependencies(rows)

    # -------------------------------------------------------- chokepoints
    def chokepoints(self, region: str | None = None, chain: str | None = None) -> list[ChokepointRow]:
        params = self._params(region, chain)
        rows = []
        # Two statements side by side (the server runs each on one core): every segment with the FEEDS ties
        # and the anchors, and the part of the SUPPLIES graph that reaches the anchors (the longer one). The
        # segment rows are computed while the second is still on the server; results in serial order.
        with ThreadPoolExecutor(max_workers=2) as pool:
            seg_f = pool.submit(self._read, q.CHOKE_SEGMENTS, params)
            reach_f = pool.submit(self._read, q.CHOKE_SUPPLY_REACH_PACKED, params, chunk=64, us=_US, rs=_RS)
            seg_rec = seg_f.result()[0]
            # [id, name, seq, chain name, covered locally] per segment, in graph order
            segs = sorted(seg_rec["segments"], key=lambda r: _seq_order(r[2], r[0]))
            seg_name = {sid: name for sid, name, *_ in segs}
            chain_of = {sid: chain_name or "" for sid, _, _, chain_name, _ in segs}
            feed = Digraph()
            feed.add_nodes_from(seg_name)
            feeds = sorted(seg_rec["feeds"], key=lambda r: _seq_order(r[2], (r[0], r[1])))
            feed.add_edges_from((u, v) for u, v, _ in feeds)
            anchors = {a: (name, segments) for a, name, segments in seg_rec["anchors"]}
            seg_hits = segment_hits(feed, {a: sorted(segments) for a, (_, segments) in anchors.items()})
            if seg_hits:
                seg_facts = {r[0]: r for r in segs}
                rows += self._choke_rows("segment", seg_hits, feed, anchors, seg_name, {
                    sid: (name, chain_name or "", bool(covered))
                    for sid, name, _, chain_name, covered in (seg_facts[s] for s in seg_hits)})
            reach_rec = reach_f.result()[0]
        # Only the part of the SUPPLIES graph that reaches the anchors, with those firms' segments; the same
        # walk as the embedded engine's then picks the same nodes and ties from it.
        packed = _unpack_reach(reach_rec)
        if packed is None:  # an id held a separator (or was not text): the same facts as lists
            r = self._read(q.CHOKE_SUPPLY_REACH, params, ids=sorted(anchors))[0]
            packed = (dict(zip(r["ids"], zip(r["suppliers"], r["tied"], strict=True), strict=True)),
                      dict(zip(r["ids"], r["segments"], strict=True)))
        reach, ops = packed

        def supply_pred(n: str) -> tuple[list[str], bool]:
            return reach.get(n, ([], False))

        supply = relevant_supply_graph(supply_pred, set(anchors))
        firm_hits = enterprise_hits(supply, ops, set(anchors))
        if firm_hits:
            # The rows' names and chains are asked while the rows are built (~2k at 100k firms): built with
            # the rest of their facts (whether local came with the segments), then given their names.
            local_firms = set(seg_rec["local_firms"])
            with ThreadPoolExecutor(max_workers=1) as pool:
                names_f = pool.submit(self._firm_names, params, sorted(firm_hits), chain_of)
                built = self._choke_rows("enterprise", firm_hits, supply, anchors, seg_name,
                                         {f: ("", "", f in local_firms) for f in firm_hits})
                names = names_f.result()
            rows += [replace(r, name=names[r.id][0], chain=names[r.id][1]) for r in built]
        rows.sort(key=row_order)
        return rows

    @staticmethod
    def _choke_rows(kind: str, hits: Hits, graph: Digraph, anchors: dict[str, tuple[str, list[str]]],
                    seg_name: dict[str, str], details: dict[str, Details]) -> list[ChokepointRow]:
        """The rows of one kind, as the embedded engine builds them (``details``: id → name, chain, local)."""
        bc = betweenness(graph)
        rows = []
        for n, (cut, inputs) in hits.items():
            name, chain_name, local = details[n]
            rows.append(chokepoint_row(kind, name, n, chain_name, local, bc.get(n, 0.0) if bc is not None else None,
                                       [anchors[a][0] for a in cut], [seg_name.get(i, i) for i in inputs]))
        return rows

    def _firm_names(self, params: dict[str, Any], ids: list[str],
                    chain_of: dict[str, str]) -> dict[str, tuple[str, str]]:
        """id → (name, chain name) of these enterprises. The chain is that of the firm's first OPERATES_IN
        (in push order, then by id), as the embedded engine's."""
        firms = _unpack_firms(self._read(q.CHOKE_FIRM_DETAILS_PACKED, params, ids=ids, chunk=64, us=_US, rs=_RS)[0])
        if firms is None:  # some text held a separator (or was not text): the same facts as lists
            firms = self._read(q.CHOKE_FIRM_DETAILS, params, ids=ids)[0]["firms"]
        names = {}
        for firm, name, placed in firms:
            first = min(placed, key=lambda x: _seq_order(x[0], x[1]))[1] if placed else None
            names[firm] = (name, chain_of.get(first, ""))
        return names

    # ------------------------------------------------------------ targets
    def targets(
        self,
        region: str | None = None,
        chain: str | None = None,
        weights: Weights | None = None,
        k: int = 1,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[TargetRow]:
        if offset < 0:
            raise InvalidArgument(f"offset must be 0 or more, not {offset}")
        w = weights or Weights()
        params = self._params(region, chain)  # resolved once, before any statement: as the gap queries would
        if k < 1:
            raise InvalidArgument("k must be at least 1")
        # The server answers each statement on one core: the per-firm facts of the local anchors, projects
        # and events, the three gap statements and (when they can be had so) every HQ from the regions' side
        # run side by side (the driver is thread-safe; each read takes its own session), then the candidates
        # in parts. Results are taken in one fixed order (firm facts, missing, weak, extend, HQs, candidates),
        # so the first error raised does not depend on timing.
        with ThreadPoolExecutor(max_workers=4 + _PARTS) as pool:
            side_f = pool.submit(self._read, q.TARGET_FIRM_FACTS, params)
            found = [pool.submit(self._missing_facts, params), pool.submit(self._weak_facts, params),
                     pool.submit(self._extend_facts, params, k)]
            side = side_f.result()[0]
            # When every LOCATED_IN ends at a Region, the regions' side has every HQ and the candidates need
            # not expand their own LOCATED_IN (a third of that statement's work at 100k firms).
            from_regions = bool(side["regions_only"])
            hqs_f = pool.submit(self._read, q.TARGET_HQS_PACKED, params, chunk=64, us=_US, rs=_RS) \
                if from_regions else None
            uncovered, weak, near = (f.result() for f in found)
            gaps = gap_kinds(missing_rows(uncovered), weak_rows(weak), extend_rows(near))
            if not gaps:
                return []
            ids = list(gaps)

            def candidates(query: str) -> Candidates | None:
                parts = [pool.submit(self._packed_candidates, query, params, ids[i::_PARTS]) for i in range(_PARTS)
                         if ids[i::_PARTS]]
                return _merge_candidates([p.result() for p in parts])

            if hqs_f is None:
                cands = candidates(q.TARGET_CANDIDATES_PACKED)
            else:
                cands = candidates(q.TARGET_CANDIDATES_PACKED_NO_HQ)
                hq_of = _unpack_hqs(hqs_f.result()[0])
                if hq_of is None:  # an id held a separator (or was not text): each candidate's own HQs after all
                    cands = candidates(q.TARGET_CANDIDATES_PACKED)
                elif cands is not None:
                    cands = cands._replace(hqs=hq_of)  # a firm without an HQ is not in it: hq_facts reads ""
        # The gap segments' facts come with the gap statements' records (the same columns).
        seg = {f.segment.id: f.segment for f in (*uncovered, *weak, *near)}
        courted = set(side["courted"])
        ties: dict[str, list[str]] = defaultdict(list)
        for firm, anchor in side["ties"]:
            ties[firm].append(anchor)
        invests: dict[str, list[str]] = defaultdict(list)
        for firm, project in side["invests"]:
            invests[firm].append(project)
        region_name = dict(side["regions"])
        if cands is None:  # some text held a separator (or a value was not text): the same facts as lists
            cands = _list_candidates(self._read(q.TARGET_CANDIDATES, params, gaps=ids))
        names, hq_of, lists_of, firms_in, placed_in, split = cands
        # A firm's lists and HQ ids come as one value each (packed text, or a tuple), and few are distinct
        # (tens of list combinations, ~1.5k HQ sets for 85k firms at 100k firms): each distinct value is read
        # once and its facts shared by every firm that has it.
        lists_info = {value: tuple(split(value)) for value in set(lists_of.values())}
        hq_info: dict[Any, tuple[tuple[str, ...], str | None]] = {}  # (courted names, HQ name)
        for value in {*hq_of.values(), ""}:
            hqs = split(value)
            hq_info[value] = (tuple(region_name[h] for h in hqs if h in courted),
                              region_name[min(hqs)] if hqs else None)
        extras = {f: WhyFacts(ties.get(f, ()), invests.get(f, ())) for f in (*ties, *invests)}

        # Every look-up below is mapped over the firms (no Python call per firm); the statements gave only
        # outside firms, so none is local.
        facts = CandidateFacts(
            local=frozenset(),
            names=lambda fs: map(names.__getitem__, fs),
            lists=lambda fs: map(lists_info.__getitem__, map(lists_of.__getitem__, fs)),
            courted_hq=lambda fs: map(itemgetter(0), map(hq_info.__getitem__, map(hq_of.get, fs, repeat("")))),
            hqs=lambda fs: map(itemgetter(1), map(hq_info.__getitem__, map(hq_of.get, fs, repeat("")))),
            extras=extras,
        )
        # Python ranks and builds rows as the embedded engine does.
        def candidates_in(s: str) -> tuple[list[str], list[dict[str, str]]]:
            firms = firms_in.get(s, [])
            return firms, list(map(placed_in[s].__getitem__, firms)) if firms else []

        return target_rows(w, {s: (seg[s], kind) for s, kind in gaps.items()}, candidates_in, facts,
                           limit=limit, offset=offset)

    def _packed_candidates(self, query: str, params: dict[str, Any], gaps: list[str]) -> Candidates | None:
        """The candidates of these gap segments from :data:`.cypher.TARGET_CANDIDATES_PACKED` (or its
        ``_NO_HQ`` form), read as they arrive (in the worker thread, while the other parts are still on the
        server), or None (see :func:`_unpack_candidates`)."""
        return _unpack_candidates(self._read(query, params, gaps=gaps, chunk=16, us=_US, rs=_RS))

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
        facts = []
        for r in self._read(q.PIPELINE_PROJECTS, params):
            if not r["status"]:
                raise DataError(f"Project {r['id']!r} ({r['name']}) has no status, which every Project needs "
                                "(谋划, 在谈, 签约, 落地, 开工, 投产 or 增资)")
            facts.append(ProjectFacts(r["id"], r["name"], r["status"], r["since"], r["agreed"], r["funds"],
                                      list(r["chains"]), list(r["regions"]), list(r["events"])))
        return pipeline_report(facts, as_of=as_of, stale_days=stale_days)


#: Separators of :data:`.cypher.TARGET_CANDIDATES_PACKED` (ASCII unit and record separators).
_US, _RS = "\x1f", "\x1e"
#: The candidates statement runs as this many parts side by side (gap segments dealt out in turn): the
#: server runs each on one core, and with a few parts the uneven segments even out.
_PARTS = 4
#: A chokepoint row's facts: name, chain name, local (covered locally, for a segment).
Details = tuple[str, str, bool]


class Candidates(NamedTuple):
    """The 招商目标 candidates: per firm its name, HQ region ids and lists (each one hashable value that
    ``split`` reads: packed text, or a tuple), the firms in each gap segment, and each (segment → firm →
    OPERATES_IN properties: provenance, evidence)."""

    names: dict[str, str]
    hqs: dict[str, Any]
    lists: dict[str, Any]
    firms_in: dict[str, list[str]]
    placed_in: dict[str, dict[str, dict[str, str]]]
    split: Callable[[Any], list[str]]


def _unpack_hqs(r: Any) -> dict[str, str] | None:
    """firm id → its HQ region ids, each ended by the record separator (the candidates' packed HQ field),
    from a :data:`.cypher.TARGET_HQS_PACKED` record, or None when an id is not text or holds a separator.

    >>> rec = {"ok": True, "n": 3, "chunks": ["a\x1fr1\x1fb\x1fr1\x1f", "a\x1fr2\x1f"]}
    >>> _unpack_hqs(rec)
    {'a': 'r1\\x1er2\\x1e', 'b': 'r1\\x1e'}
    >>> _unpack_hqs({**rec, "ok": False}), _unpack_hqs({**rec, "chunks": ["a\x1fr\x1e1\x1f"], "n": 1})
    (None, None)
    """
    if not r["ok"]:
        return None
    text = "".join(r["chunks"])
    fields = text.split(_US)
    if len(fields) != 2 * r["n"] + 1 or fields[-1] or _RS in text:
        return None
    hqs: dict[str, str] = {}
    for firm, region in zip(fields[0:-1:2], fields[1::2], strict=True):
        hqs[firm] = hqs.get(firm, "") + region + _RS
    return hqs


def _merge_candidates(parts: list[Candidates | None]) -> Candidates | None:
    """The candidates of several parts (disjoint sets of gap segments) as one, or None if any part is None."""
    if any(p is None for p in parts):
        return None
    out = Candidates({}, {}, {}, {}, {}, _split)
    for p in parts:
        assert p is not None
        out.names.update(p.names)
        out.hqs.update(p.hqs)
        out.lists.update(p.lists)
        out.firms_in.update(p.firms_in)
        out.placed_in.update(p.placed_in)
    return out


def _split(text: str) -> list[str]:
    """Items each ended by the record separator: ``"a\\x1eb\\x1e"`` → ``["a", "b"]``, ``""`` → ``[]``."""
    return text.split(_RS)[:-1] if text else []


def _packed_columns(r: Any) -> tuple[list[str], list[str], list[str], list[str]] | None:
    """The four columns of a packed record (``chunks`` of fields each ended by the unit separator, four per
    row, ``n`` rows), or None when ``ok`` says a value was not text or the fields are not exactly 4 × n: a
    separator inside a value only adds pieces. Each reader then checks its own counted list columns.

    >>> _packed_columns({"ok": True, "n": 2, "chunks": ["a\x1f1\x1f\x1fx\x1f", "b\x1f2\x1fy\x1f\x1f"]})
    (['a', 'b'], ['1', '2'], ['', 'y'], ['x', ''])
    >>> _packed_columns({"ok": True, "n": 1, "chunks": ["a\x1f1\x1f\x1f\x1fx\x1f"]}) is None
    True
    """
    if not r["ok"]:
        return None
    fields = "".join(r["chunks"]).split(_US)
    if len(fields) != 4 * r["n"] + 1 or fields[-1]:
        return None
    return fields[0:-1:4], fields[1::4], fields[2::4], fields[3::4]


def _unpack_candidates(records: list[Any]) -> Candidates | None:
    """The candidates of :data:`.cypher.TARGET_CANDIDATES_PACKED` records, or None when the counts show that
    some text held a separator (or ``ok`` that a value was not text).

    Each firm is four fields, each ended by the unit separator, so one ``split`` and four slices read a
    record's columns. A separator inside a value only ever adds pieces: exactly 4 × n fields (the last
    empty), and the counted HQ ids and list items in their columns, mean every value was read whole.

    >>> rec = {"segment": "s", "placement": "stated", "evidence": "", "n": 2, "nh": 1, "nl": 2, "ok": True,
    ...        "chunks": ["a\x1f甲\x1fr1\x1e\x1f\x1f", "b\x1f乙\x1f\x1f上市\x1e专精特新\x1e\x1f"]}
    >>> c = _unpack_candidates([rec])
    >>> c.names, c.firms_in, [c.split(c.hqs[f]) for f in "ab"], c.split(c.lists["b"])
    ({'a': '甲', 'b': '乙'}, {'s': ['a', 'b']}, [['r1'], []], ['上市', '专精特新'])
    >>> c.placed_in
    {'s': {'a': {'provenance': 'stated', 'evidence': ''}, 'b': {'provenance': 'stated', 'evidence': ''}}}
    >>> _unpack_candidates([{**rec, "nl": 3}]) is None
    True
    """
    names: dict[str, str] = {}
    hqs: dict[str, str] = {}
    lists: dict[str, str] = {}
    firms_in: dict[str, list[str]] = {}
    placed_in: dict[str, dict[str, dict[str, str]]] = {}
    for r in records:
        columns = _packed_columns(r)
        if columns is None:
            return None
        ids, name_col, hq_col, list_col = columns
        if "".join(hq_col).count(_RS) != r["nh"] or "".join(list_col).count(_RS) != r["nl"]:
            return None
        names.update(zip(ids, name_col, strict=True))
        hqs.update(zip(ids, hq_col, strict=True))
        lists.update(zip(ids, list_col, strict=True))
        firms_in.setdefault(r["segment"], []).extend(ids)
        placed_in.setdefault(r["segment"], {}).update(dict.fromkeys(ids, _placement(r)))
    return Candidates(names, hqs, lists, firms_in, placed_in, _split)


#: The part of the SUPPLIES graph that reaches the anchors: node → (direct suppliers, tied), node → segments.
Reach = tuple[dict[str, tuple[list[str], bool]], dict[str, list[str]]]


def _unpack_reach(r: Any) -> Reach | None:
    """(node → (direct suppliers, tied), node → segments) from a :data:`.cypher.CHOKE_SUPPLY_REACH_PACKED`
    record, or None when the counts show an id held a separator (or ``ok`` that one was not text).

    As in :func:`_unpack_candidates`: a separator inside an id only adds pieces, so exactly 4 × n fields and
    the counted suppliers and segments in their columns mean every id was read whole.

    >>> rec = {"n": 2, "ns": 1, "nseg": 2, "ok": True,
    ...        "chunks": ["a\x1fb\x1e\x1f1\x1fS1\x1e\x1f", "b\x1f\x1f1\x1fS2\x1e\x1f"]}
    >>> _unpack_reach(rec)
    ({'a': (['b'], True), 'b': ([], True)}, {'a': ['S1'], 'b': ['S2']})
    >>> _unpack_reach({**rec, "ns": 2}) is None
    True
    """
    columns = _packed_columns(r)
    if columns is None:
        return None
    ids, sup_col, tied_col, seg_col = columns
    if "".join(sup_col).count(_RS) != r["ns"] or "".join(seg_col).count(_RS) != r["nseg"]:
        return None
    reach = {i: (_split(s), t == "1") for i, s, t in zip(ids, sup_col, tied_col, strict=True)}
    return reach, {i: _split(g) for i, g in zip(ids, seg_col, strict=True)}


def _unpack_firms(r: Any) -> list[tuple[str, str, list[tuple[int | None, str]]]] | None:
    """[(id, name, [(seq, segment id) of each OPERATES_IN])] from a :data:`.cypher.CHOKE_FIRM_DETAILS_PACKED`
    record, or None when the counts show that some text held a separator (or ``ok`` that a value was not
    text, or a seq not an integer).

    Four fields per firm; a separator inside an id or name only adds pieces, so exactly 4 × n fields and the
    counted OPERATES_IN in both list columns mean every value was read whole (a \\x1e in an id or name is
    kept: those fields are not split on it).

    >>> rec = {"n": 2, "nops": 3, "ok": True,
    ...        "chunks": ["f\x1f甲\x1fS1\x1eS2\x1e\x1f7\x1e3\x1e\x1f", "g\x1f乙\x1fS1\x1e\x1f\x1e\x1f"]}
    >>> _unpack_firms(rec)
    [('f', '甲', [(7, 'S1'), (3, 'S2')]), ('g', '乙', [(None, 'S1')])]
    >>> _unpack_firms({**rec, "nops": 2}) is None
    True
    """
    columns = _packed_columns(r)
    if columns is None:
        return None
    ids, name_col, seg_col, seq_col = columns
    if "".join(seg_col).count(_RS) != r["nops"] or "".join(seq_col).count(_RS) != r["nops"]:
        return None
    return [(i, name, [(int(q) if q else None, s) for q, s in zip(_split(seqs), _split(segs), strict=True)])
            for i, name, segs, seqs in zip(ids, name_col, seg_col, seq_col, strict=True)]


def _placement(r: Any) -> dict[str, str]:
    """The OPERATES_IN properties of a candidates record's segment (one object that all its firms share)."""
    return {"provenance": r["placement"], "evidence": r["evidence"]}


def _list_candidates(records: list[Any]) -> Candidates:
    """The candidates of :data:`.cypher.TARGET_CANDIDATES` records (the facts as lists)."""
    c = Candidates({}, {}, {}, {}, {}, list)
    for r in records:
        ids = r["ids"]
        c.names.update(zip(ids, r["names"], strict=True))
        c.hqs.update(zip(ids, map(tuple, r["hqs"]), strict=True))  # tuples: hashable, as the packed texts are
        c.lists.update(zip(ids, map(tuple, r["lists"]), strict=True))
        c.firms_in.setdefault(r["segment"], []).extend(ids)
        c.placed_in.setdefault(r["segment"], {}).update(dict.fromkeys(ids, _placement(r)))
    return c


def _firm(x: list[Any]) -> FirmFacts:
    """A local firm's facts from :data:`.cypher._FIRM_FIELDS`: name, id, anchor, role, above_scale, revenue,
    employees, capital, lists."""
    name, _, anchor, role, above_scale, revenue, employees, capital, lists = x
    return FirmFacts(name, bool(anchor), role, above_scale, revenue, employees, capital, tuple(lists))


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
