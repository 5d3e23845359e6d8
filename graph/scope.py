"""What "local" means for a query: a region and everything PART_OF it, and the facts indexed by segment.

Every gap, target and pipeline query starts from a :class:`Scope`, built once
in one pass over the relationships, so the queries themselves are cheap.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from .kg import GraphError, KnowledgeGraph

#: Pipeline stages counted as "landed" (the project is physically here).
LANDED = ("落地", "开工", "投产", "增资")
#: Amount units converted to 亿 of their currency.
CNY_TO_YI = {"亿元": 1.0, "万元": 1e-4, "元": 1e-8}
USD_TO_YI = {"亿美元": 1.0, "万美元": 1e-4, "美元": 1e-8}


def resolve_region(kg: KnowledgeGraph, region: str | None) -> str:
    """The Region id ``region`` names (id, name or alias); default: the dataset's home region."""
    if region is None:
        home = kg.meta.get("home_region")
        if not home:
            raise GraphError("the graph names no home region; pass --region")
        if not kg.has(home) or kg.node_type(home) != "Region":
            raise GraphError(f"home region {home!r} is not a Region in the graph")
        return home
    try:
        return kg.resolve(region, "Region")
    except GraphError:
        raise GraphError(f"unknown region {region!r}") from None


def resolve_chain(kg: KnowledgeGraph, chain: str | None) -> str | None:
    """The Chain id ``chain`` names, or None for all chains."""
    if chain is None:
        return None
    try:
        return kg.resolve(chain, "Chain")
    except GraphError:
        raise GraphError(f"unknown chain {chain!r}") from None


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
    #: segment → every enterprise (local or not) operating in it
    all_firms_in: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    #: segment → local projects in it
    projects_in: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    #: local enterprises that are anchors (链主: ANCHORS a chain or role anchor in a segment)
    local_anchors: set[str] = field(default_factory=set)
    segment_chain: dict[str, str] = field(default_factory=dict)

    def chains(self) -> list[str]:
        """Chains in scope that have a template, by verified first, then name."""
        kg = self.kg
        ids = [self.chain] if self.chain else [c for c in kg.nodes("Chain") if kg.out(c, "HAS_SEGMENT")]
        return sorted(ids, key=lambda c: (not kg.get(c).get("verified"), kg.name(c), c))

    def segments(self) -> list[str]:
        """Segments of the chains in scope, chain by chain in template order."""
        return [s for c in self.chains() for s in self.kg.segments_of(c)]

    def is_landed(self, project: str) -> bool:
        return self.kg.g.nodes[project].get("status") in LANDED

    def covered(self, segment: str) -> bool:
        """A segment is covered when a local enterprise works in it or a landed local project is in it."""
        return bool(self.firms_in.get(segment)) or any(self.is_landed(p) for p in self.projects_in.get(segment, ()))

    def sort_key(self, segment: str) -> tuple:
        kg = self.kg
        chain = self.segment_chain.get(segment, "")
        return (kg.name(chain) if chain else "", kg.g.nodes[segment].get("order", 10**9), segment)


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
    nodes = g._node
    operates: list[tuple[str, str, dict]] = []
    anchors: list[str] = []
    in_segment: list[tuple[str, str]] = []
    # One pass over the adjacency dicts (the edge key is the type): no edge views, no per-edge tuples.
    for u, nbrs in g._succ.items():
        for v, keys in nbrs.items():
            if "LOCATED_IN" in keys and v in regions:
                t = nodes[u]["type"]
                if t == "Enterprise":
                    sc.local_firms.add(u)
                elif t == "Project":
                    sc.local_projects.add(u)
            if "HAS_SEGMENT" in keys:
                sc.segment_chain[v] = u
            if "OPERATES_IN" in keys:
                operates.append((u, v, keys["OPERATES_IN"]))
            if "ANCHORS" in keys:
                anchors.append(u)
            if "IN_SEGMENT" in keys:
                in_segment.append((u, v))
    for u, v, d in operates:
        sc.all_firms_in[v].add(u)
        if u in sc.local_firms:
            sc.firms_in[v].add(u)
            if d.get("role") == "anchor":
                sc.anchors_in[v].add(u)
                sc.local_anchors.add(u)
    sc.local_anchors.update(u for u in anchors if u in sc.local_firms)
    for u, v in in_segment:
        if u in sc.local_projects:
            sc.projects_in[v].add(u)
    # A chain's 链主 working in one of that chain's segments anchors the segment too.
    for seg, firms in sc.firms_in.items():
        chain_of_seg = sc.segment_chain.get(seg)
        for f in firms:
            if chain_of_seg and g.has_edge(f, chain_of_seg, key="ANCHORS"):
                sc.anchors_in[seg].add(f)
    return sc
