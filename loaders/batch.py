"""Validate a whole batch of records against a graph, then apply it: all or nothing."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import networkx as nx

from chainkg.graph.kg import KnowledgeGraph
from chainkg.i18n import message
from chainkg.schema import SCHEMA, check_edge, check_node
from chainkg.schema.validate import normalise

from .records import EdgeRecord, LoadError, NodeRecord, Origin

Progress = Callable[[int], None]


@dataclass
class LoadReport:
    """What a load did (or would do, for a dry run)."""

    files: list[str] = field(default_factory=list)
    nodes_added: int = 0
    nodes_updated: int = 0
    nodes_unchanged: int = 0
    edges_added: int = 0
    edges_updated: int = 0
    edges_unchanged: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.nodes_added or self.nodes_updated or self.edges_added or self.edges_updated)


def _col(rec: NodeRecord | EdgeRecord, field_name: str) -> str:
    return rec.columns.get(field_name, field_name)


def _segment_edges(records: list[NodeRecord | EdgeRecord]) -> list[NodeRecord | EdgeRecord]:
    """A Segment row's ``chain`` implies HAS_SEGMENT; add it where the batch does not say it."""
    have = {(r.source, r.target) for r in records if isinstance(r, EdgeRecord) and r.type == "HAS_SEGMENT"}
    extra: list[NodeRecord | EdgeRecord] = []
    for r in records:
        if isinstance(r, NodeRecord) and r.type == "Segment":
            chain, seg = r.props.get("chain"), r.props.get("id")
            if chain and seg and (chain, seg) not in have:
                prov = {k: r.props[k] for k in ("provenance", "source", "evidence") if k in r.props}
                extra.append(EdgeRecord("HAS_SEGMENT", str(chain), str(seg), prov, r.origin, {}))
                have.add((chain, seg))
    return records + extra


def validate_batch(records: Iterable[NodeRecord | EdgeRecord], kg: KnowledgeGraph) -> list[LoadError]:
    """Every problem with the batch if it were merged into ``kg`` (empty: it can be applied)."""
    records = _segment_edges(list(records))
    errors: list[LoadError] = []
    types: dict[str, str] = {}  # id → type, for batch nodes
    first_seen: dict[str, Origin] = {}
    nodes = [r for r in records if isinstance(r, NodeRecord)]
    edges = [r for r in records if isinstance(r, EdgeRecord)]

    def type_of(node_id: object) -> str | None:
        if not isinstance(node_id, str):
            return None
        return types.get(node_id) or (kg.node_type(node_id) if kg.has(node_id) else None)

    for r in nodes:
        nid = r.props.get("id")
        for p in check_node(r.type, r.props):
            errors.append(LoadError(r.origin, _col(r, p.field), p.reason))
        if nid is None:
            continue
        nid = str(nid)
        r.props["id"] = nid
        if nid in first_seen:
            errors.append(LoadError(r.origin, _col(r, "id"), message(
                ("duplicate_id", {"nid": nid, "first": first_seen[nid]}))))
            continue
        first_seen[nid] = r.origin
        if kg.has(nid) and kg.node_type(nid) != r.type:
            errors.append(LoadError(r.origin, _col(r, "id"),
                                    f"id {nid!r} is already a {kg.node_type(nid)} in the workspace"))
            continue
        types[nid] = r.type

    # Properties that refer to other nodes (source, Segment.chain).
    for r in nodes:
        nt = SCHEMA.node_type(r.type)
        for prop in (*nt.properties, *SCHEMA.common):
            if prop.ref is None or r.props.get(prop.name) is None:
                continue
            if not nt.needs_provenance and prop.name == "source":
                continue
            ref = str(r.props[prop.name])
            t = type_of(ref)
            if t is None:
                reason = message(("unknown_ref", {"value": ref, "kind": prop.ref}))
                errors.append(LoadError(r.origin, _col(r, prop.name), reason))
            elif t != prop.ref:
                errors.append(LoadError(r.origin, _col(r, prop.name), f"{ref!r} is a {t}, not a {prop.ref}"))

    seen_edges: dict[tuple[str, str, str], EdgeRecord] = {}
    for r in edges:
        ends_ok = True
        for end, value in (("from", r.source), ("to", r.target)):
            if value is None or str(value).strip() == "":
                errors.append(LoadError(r.origin, _col(r, end), message(("is_required", {}))))
                ends_ok = False
            elif type_of(str(value)) is None:
                errors.append(LoadError(r.origin, _col(r, end), message(
                    ("unknown_ref", {"value": value, "kind": "node"}))))
                ends_ok = False
        src = str(r.source) if r.source is not None else None
        dst = str(r.target) if r.target is not None else None
        r.source, r.target = src, dst  # type: ignore[assignment]
        problems = check_edge(r.type, r.props, type_of(src) if ends_ok else None, type_of(dst) if ends_ok else None)
        for p in problems:
            errors.append(LoadError(r.origin, _col(r, p.field), p.reason))
        src_ref = r.props.get("source")
        if src_ref is not None and type_of(str(src_ref)) != "Source":
            errors.append(LoadError(r.origin, _col(r, "source"), message(
                ("unknown_ref", {"value": src_ref, "kind": "Source"}))))
        if ends_ok:
            key = (src, dst, r.type)
            prev = seen_edges.get(key)
            if prev is not None and prev.props != r.props:
                errors.append(LoadError(r.origin, None,
                                        f"duplicate {r.type} {src}→{dst} with other values (first at {prev.origin})"))
            seen_edges.setdefault(key, r)

    if not errors:
        errors += _feeds_cycles(kg, nodes, list(seen_edges.values()))
    return errors


def _feeds_cycles(kg: KnowledgeGraph, nodes: list[NodeRecord], edges: list[EdgeRecord]) -> list[LoadError]:
    """A FEEDS cycle among the segments of one chain is an error (templates run upstream → downstream)."""
    chain_of: dict[str, str] = {s: kg.chain_of(s) or "" for s in kg.nodes("Segment")}
    for r in nodes:
        if r.type == "Segment":
            chain_of[r.props["id"]] = str(r.props["chain"])
    origin_of: dict[tuple[str, str], Origin] = {}
    per_chain: dict[str, nx.DiGraph] = defaultdict(nx.DiGraph)
    for e in kg.edges("FEEDS"):
        if chain_of.get(e.source) == chain_of.get(e.target):
            per_chain[chain_of[e.source]].add_edge(e.source, e.target)
    for r in edges:
        if r.type == "FEEDS" and chain_of.get(r.source) == chain_of.get(r.target):
            per_chain[chain_of[r.source]].add_edge(r.source, r.target)
            origin_of[(r.source, r.target)] = r.origin
    errors = []
    for chain in sorted(per_chain):
        g = per_chain[chain]
        for cycle in nx.simple_cycles(g):
            loop = " → ".join([*cycle, cycle[0]])
            pairs = list(zip(cycle, [*cycle[1:], cycle[0]], strict=True))
            origin = next((origin_of[p] for p in pairs if p in origin_of), Origin("workspace"))
            errors.append(LoadError(origin, "feeds", f"FEEDS cycle inside chain {chain}: {loop}"))
            if len(errors) >= 20:
                return errors
    return errors


def apply_batch(
    records: Iterable[NodeRecord | EdgeRecord], kg: KnowledgeGraph, progress: Progress | None = None
) -> LoadReport:
    """Merge a batch that :func:`validate_batch` accepted into ``kg`` (merge by id; idempotent).

    ``progress(1)`` is called once per record given (implied HAS_SEGMENT rows are not counted).
    """
    records = list(records)
    given = len(records)
    records = _segment_edges(records)
    report = LoadReport()
    done_edges: set[tuple[str, str, str]] = set()
    for r in records:
        if isinstance(r, NodeRecord):
            if progress:
                progress(1)
            nt = SCHEMA.node_type(r.type)
            props = normalise(nt.properties, r.props, edge=False)
            nid = props["id"]
            if kg.has(nid):
                before = kg.get(nid)
                after = {**before, **props}
                if after == before:
                    report.nodes_unchanged += 1
                    continue
                report.nodes_updated += 1
            else:
                report.nodes_added += 1
            kg.merge_node(r.type, props, validate=False)
    for i, r in enumerate(records):
        if isinstance(r, EdgeRecord):
            if progress and i < given:
                progress(1)
            key = (r.source, r.target, r.type)
            if key in done_edges:
                continue
            done_edges.add(key)
            props = normalise(SCHEMA.rel_type(r.type).properties, r.props, edge=True)
            if kg.has_edge(*key):
                before = kg.edge(*key)
                after = {**before, **props}
                if after == before:
                    report.edges_unchanged += 1
                    continue
                report.edges_updated += 1
            else:
                report.edges_added += 1
            kg.merge_edge(r.type, r.source, r.target, props, validate=False)
    return report
