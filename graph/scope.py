"""What "local" means for a query: a region and everything PART_OF it, and the facts indexed by segment.

Every gap, target and pipeline query starts from a :class:`Scope`, built once
in one pass over the relationships, so the queries themselves are cheap.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from chainkg.errors import DataError, GraphError, NoHomeRegion, NotFoundError

from .kg import KnowledgeGraph
from .lookup import candidates_of, suggest

#: Pipeline stages counted as "landed" (the project is physically here).
LANDED = ("落地", "开工", "投产", "增资")
#: Amount units converted to 亿 of their currency.
CNY_TO_YI = {"亿元": 1.0, "万元": 1e-4, "元": 1e-8}
USD_TO_YI = {"亿美元": 1.0, "万美元": 1e-4, "美元": 1e-8}


def project_status(kg: KnowledgeGraph, project: str) -> str:
    """A project's pipeline status; a stored Project without one is a :class:`DataError` naming it."""
    status = kg.g._node[project].get("status")
    if not status:
        raise DataError(f"Project {project!r} ({kg.name(project)}) has no status, which every Project needs "
                        "(谋划, 在谈, 签约, 落地, 开工, 投产 or 增资)")
    return status


def resolve_region(kg: KnowledgeGraph, region: str | None) -> str:
    """The Region id ``region`` names (id, name or alias); default: the dataset's home region."""
    if region is None:
        home = kg.meta.get("home_region")
        if not home:
            raise NoHomeRegion("the graph names no home region; name the local region")
        if not kg.has(home) or kg.node_type(home) != "Region":
            raise GraphError(f"home region {home!r} is not a Region in the graph")
        return home
    try:
        return kg.resolve(region, "Region")
    except GraphError:
        raise NotFoundError(f"unknown region {region!r}", suggest(region, candidates_of(kg, "Region")),
                            subject=("region", region)) from None


def resolve_chain(kg: KnowledgeGraph, chain: str | None) -> str | None:
    """The Chain id ``chain`` names, or None for all chains."""
    if chain is None:
        return None
    try:
        return kg.resolve(chain, "Chain")
    except GraphError:
        raise NotFoundError(f"unknown chain {chain!r}", suggest(chain, candidates_of(kg, "Chain")),
                            subject=("chain", chain)) from None


_FAR = 10**9


def segment_key(chain_name: str | None, order: int | None, segment_id: str) -> tuple:
    """The one order of segments in every query's rows: chain name, template order (none last), id.

    >>> sorted([("电池", None, "b"), ("电池", 2, "a"), ("光伏", 9, "c")], key=lambda t: segment_key(*t))
    [('光伏', 9, 'c'), ('电池', 2, 'a'), ('电池', None, 'b')]
    """
    return (chain_name or "", _FAR if order is None else order, segment_id)


def in_order(keyed: Iterable[tuple[tuple, Any]]) -> list[Any]:
    """The rows of (sort key, row) pairs, in key order: how every query orders what its builder made.

    >>> in_order([((2, "b"), "second"), ((1, "z"), "first")])
    ['first', 'second']
    """
    return [row for _, row in sorted(keyed, key=lambda t: t[0])]


def chain_key(verified: bool | None, name: str, chain_id: str) -> tuple:
    """The order of chains in every query: verified chains first, then by name and id."""
    return (not verified, name, chain_id)


@dataclass(frozen=True)
class SegmentInfo:
    """A template segment as every engine gathers it: id, name, stage, order and its chain."""

    id: str
    name: str
    stage: str
    order: int | None
    chain_id: str | None
    chain: str

    @property
    def key(self) -> tuple:
        return segment_key(self.chain, self.order, self.id)


@dataclass
class Scope:
    """Local facts for one region, indexed for the queries."""

    kg: KnowledgeGraph
    region: str
    regions: frozenset[str]
    chain: str | None
    local_firms: set[str] = field(default_factory=set)
    local_projects: set[str] = field(default_factory=set)
    #: segment → local enterprises operating in it
    firms_in: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    #: segment → local enterprises with role anchor in it
    anchors_in: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    #: segment → local projects in it
    projects_in: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    #: local enterprises that are anchors (链主: ANCHORS a chain or role anchor in a segment)
    local_anchors: set[str] = field(default_factory=set)
    segment_chain: dict[str, str] = field(default_factory=dict)

    def chains(self) -> list[str]:
        """Chains in scope that have a template, by verified first, then name."""
        kg = self.kg
        ids = [self.chain] if self.chain else [c for c in kg.nodes("Chain") if kg.out(c, "HAS_SEGMENT")]
        return sorted(ids, key=lambda c: chain_key(kg.g.nodes[c].get("verified"), kg.name(c), c))

    def segments(self) -> list[str]:
        """Segments of the chains in scope, chain by chain in template order."""
        return [s for c in self.chains() for s in self.kg.segments_of(c)]

    def is_landed(self, project: str) -> bool:
        return project_status(self.kg, project) in LANDED

    def covered(self, segment: str) -> bool:
        """A segment is covered when a local enterprise works in it or a landed local project is in it."""
        return bool(self.firms_in.get(segment)) or any(self.is_landed(p) for p in self.projects_in.get(segment, ()))

    def sort_key(self, segment: str) -> tuple:
        kg = self.kg
        chain = self.segment_chain.get(segment, "")
        return segment_key(kg.name(chain) if chain else "", kg.g.nodes[segment].get("order"), segment)

    def segment_info(self, segment: str) -> SegmentInfo:
        """The facts every segment row starts from."""
        d = self.kg.g.nodes[segment]
        chain = self.segment_chain.get(segment)
        return SegmentInfo(segment, d.get("name") or segment, d.get("stage", ""), d.get("order"),
                           chain, self.kg.name(chain) if chain else "")


def build_scope(kg: KnowledgeGraph, region: str | None = None, chain: str | None = None) -> Scope:
    """Resolve the region and chain (clear errors for unknown ones) and index the local facts.

    >>> from chainkg.data import kunming
    >>> s = build_scope(kunming())
    >>> s.region
    'region:kunming'
    """
    region_id = resolve_region(kg, region)
    chain_id = resolve_chain(kg, chain)
    regions = frozenset(kg.region_closure(region_id))
    sc = Scope(kg, region_id, regions, chain_id)
    g = kg.g
    nodes, succ, pred = g._node, g._succ, g._pred
    # From the local end: the regions' incoming LOCATED_IN, then those firms' and projects' own relationships.
    # A pass over every relationship (477k at 100k firms) cost ~0.4 s per query; the local part is a few
    # thousand. The relationship types' ends are the schema's (LOCATED_IN from an Enterprise or Project,
    # HAS_SEGMENT from a Chain, OPERATES_IN and ANCHORS from an Enterprise, IN_SEGMENT from a Project).
    for r in regions:
        for u, keys in pred[r].items():
            if "LOCATED_IN" in keys:
                t = nodes[u]["type"]
                if t == "Enterprise":
                    sc.local_firms.add(u)
                elif t == "Project":
                    sc.local_projects.add(u)
    for c, d in nodes.items():  # in node order, as the last chain naming a segment wins
        if d["type"] == "Chain":
            for v, keys in succ[c].items():
                if "HAS_SEGMENT" in keys:
                    sc.segment_chain[v] = c
    for u in sc.local_firms:
        flagged = nodes[u].get("anchor")
        for v, keys in succ[u].items():
            d = keys.get("OPERATES_IN")
            if d is not None:
                sc.firms_in[v].add(u)
                if d.get("role") == "anchor" or flagged:
                    sc.anchors_in[v].add(u)
                    sc.local_anchors.add(u)
            if "ANCHORS" in keys:
                sc.local_anchors.add(u)
        if flagged:
            sc.local_anchors.add(u)
    for p in sc.local_projects:
        for v, keys in succ[p].items():
            if "IN_SEGMENT" in keys:
                sc.projects_in[v].add(p)
    # A chain's 链主 working in one of that chain's segments anchors the segment too.
    for seg, firms in sc.firms_in.items():
        chain_of_seg = sc.segment_chain.get(seg)
        for f in firms:
            if chain_of_seg and g.has_edge(f, chain_of_seg, key="ANCHORS"):
                sc.anchors_in[seg].add(f)
    return sc


def chains_of(kg: KnowledgeGraph, node_id: str, memo: dict[str, list[str]] | None = None) -> list[str]:
    """The chains a node belongs to (ids, by name): the one home of this rule for show, views and pipeline.

    A Chain is its own; a Segment belongs to the chain that HAS it (or names it in ``chain``);
    an Enterprise to the chains of its segments, the chains it ANCHORS and those of the projects
    it INVESTS in; a Project to the chains it is IN_CHAIN and those of its segments; a Leader to
    the chains it LEADS.

    >>> from chainkg.graph.examples import toy_chain
    >>> chains_of(toy_chain(), "e:yi"), chains_of(toy_chain(), "r:here")
    (['c:bat'], [])

    ``memo`` (a dict the caller keeps for one query) remembers each segment's chains: a segment's
    incoming relationships include every firm working in it, thousands at national scale.
    """

    def segment_chains(s: str) -> list[str]:
        if memo is None:
            return kg.into(s, "HAS_SEGMENT")
        found = memo.get(s)
        if found is None:
            found = memo[s] = kg.into(s, "HAS_SEGMENT")
        return found

    t = kg.node_type(node_id)
    found: set[str] = set()
    if t == "Chain":
        found.add(node_id)
    elif t == "Segment":
        found.update(kg.into(node_id, "HAS_SEGMENT"))
        if not found and kg.g.nodes[node_id].get("chain"):
            found.add(kg.g.nodes[node_id]["chain"])
    elif t == "Enterprise":
        found.update(kg.out(node_id, "ANCHORS"))
        for s in kg.out(node_id, "OPERATES_IN"):
            found.update(segment_chains(s))
        for p in kg.out(node_id, "INVESTS"):
            found.update(chains_of(kg, p, memo))
    elif t == "Project":
        found.update(kg.out(node_id, "IN_CHAIN"))
        for s in kg.out(node_id, "IN_SEGMENT"):
            found.update(segment_chains(s))
    elif t == "Leader":
        found.update(kg.out(node_id, "LEADS"))
    return sorted((c for c in found if kg.has(c)), key=lambda c: (kg.name(c), c))


SETTINGS_SOURCE = "src:chainkg-settings"


def set_home_region(kg: KnowledgeGraph, region: str, *, level: str = "district", part_of: str | None = None) -> str:
    """Make ``region`` the graph's home region (``meta["home_region"]``), the default of every query and view.

    ``region`` names a Region already in the graph (id, name or alias) or a new one, created with
    ``level`` and, if ``part_of`` names a Region, PART_OF it. Returns the Region id.

    >>> from chainkg.graph.kg import KnowledgeGraph
    >>> kg = KnowledgeGraph()
    >>> set_home_region(kg, "高明区", part_of=None)
    'region:高明区'
    >>> kg.meta["home_region"], kg.get("region:高明区")["level"]
    ('region:高明区', 'district')
    """
    ids = [region] if kg.has(region) and kg.node_type(region) == "Region" else kg.find(region, "Region")
    if len(ids) > 1:
        raise GraphError(f"{region!r} names {len(ids)} regions: {', '.join(ids)}; use an id")
    if ids:
        rid = ids[0]
    else:
        if not kg.has(SETTINGS_SOURCE):
            kg.merge_node("Source", {"id": SETTINGS_SOURCE, "title": "chainkg workspace settings",
                                     "kind": "notes", "note": "facts the user set when loading (home region)"})
        rid = f"region:{region}"
        kg.merge_node("Region", {"id": rid, "name": region, "level": level, "provenance": "stated",
                                 "source": SETTINGS_SOURCE, "evidence": f"home region set by the user: {region}"})
        if part_of:
            parent = resolve_region(kg, part_of)
            kg.merge_edge("PART_OF", rid, parent, {"provenance": "stated", "source": SETTINGS_SOURCE,
                                                   "evidence": f"set by the user: {region} is part of {part_of}"})
    kg.meta["home_region"] = rid
    return rid
