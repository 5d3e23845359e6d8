"""The Cypher text of every query. Fixed strings: every value (region, chain, k, weights …) is a parameter.

Each statement mirrors one rule of :mod:`chainkg.graph` (see the docstrings
there). Shared pieces:

* ``LOCAL(x)``: x is LOCATED_IN the region ``home`` or a region PART_OF it (any depth): one of ``locals``
  (x is one of ``lnodes``, see ``HOME_LOCAL``);
* ``COVERED(s)``: a local enterprise OPERATES_IN s, or a local project at 落地 or later is IN_SEGMENT s;
* ``CHAIN_OF(s, c)``: the chain whose HAS_SEGMENT reaches s (the last one in graph order, as the
  embedded engine's scope keeps it);
* ``NAME(x)``: name, else title, else id.

Ownership: a query sees only the named graph ``$graph`` (the connection always sets it). Every
statement enters the graph through a node pattern that carries ``:Chainkg`` and ``{_graph: $graph}``
(``OWN``: ``MATCH (home:Chainkg:Region {_graph: $graph, id: $region})``) and then walks
relationships, which push only ever draws between nodes of one graph. So other named graphs and
data that is not chainkg's — even with the same labels and ids — are never seen. New statements
must start the same way: no bare ``MATCH (n:Label)``.
"""

from __future__ import annotations

from chainkg.schema.cypher import GRAPH_KEY, OWNER_LABEL

#: Inside a node pattern's property map: the node belongs to the current graph.
OWN = f"{GRAPH_KEY}: $graph"
#: ``:Chainkg`` before a schema label: ``(n:{C}Segment {{{OWN}}})``.
C = f"{OWNER_LABEL}:"


def NAME(v: str) -> str:
    return (f"(CASE WHEN {v}.name IS NOT NULL AND {v}.name <> '' THEN {v}.name "
            f"WHEN {v}.title IS NOT NULL AND {v}.title <> '' THEN {v}.title ELSE {v}.id END)")


def LOCAL(v: str) -> str:
    # Membership in ``lnodes`` (see ``HOME_LOCAL``), the nodes LOCATED_IN a local region, gathered once per
    # statement from the regions' side (~5k at national scale). Checking each node's own LOCATED_IN instead
    # expands all its relationships (~7 db hits per firm): 1.06M db hits over the 145k OPERATES_IN of 强链
    # at 100k firms; a walk down the region tree from ``home`` per node cost 100 or more.
    return f"({v} IN lnodes)"


def COVERED(v: str) -> str:
    return (f"(EXISTS {{ MATCH (cf:Enterprise)-[:OPERATES_IN]->({v}) WHERE {LOCAL('cf')} }} OR "
            f"EXISTS {{ MATCH (cp:Project)-[:IN_SEGMENT]->({v}) WHERE cp.status IN $landed AND {LOCAL('cp')} }})")


def CHAIN_OF(s: str, out: str) -> str:
    return (f"CALL {{ WITH {s} OPTIONAL MATCH (hx:Chain)-[:HAS_SEGMENT]->({s}) "
            f"RETURN hx AS {out} ORDER BY coalesce(hx._seq, -1) DESC, hx.id DESC LIMIT 1 }}")


def IS_ANCHOR(v: str) -> str:
    """v is an anchor (链主): role anchor in some segment, or ANCHORS some chain (locality checked apart)."""
    return (f"({v}.anchor = true OR EXISTS {{ MATCH ({v})-[:OPERATES_IN {{role: 'anchor'}}]->() }} "
            f"OR EXISTS {{ MATCH ({v})-[:ANCHORS]->() }})")


#: The home region ``home`` and ``locals``, the regions PART_OF it (any depth, itself included).
HOME = f"""MATCH (home:{C}Region {{{OWN}, id: $region}})
CALL {{
  WITH home
  MATCH (lr:Region)-[:PART_OF*0..]->(home)
  RETURN collect(DISTINCT lr) AS locals
}}"""

#: ``lnodes``, every node LOCATED_IN one of ``locals``, for ``LOCAL``; :data:`HOME_LOCAL` is :data:`HOME` and
#: this. Statements that ask LOCAL start with ``HOME_LOCAL`` and carry ``lnodes`` along (never through a
#: ``WITH DISTINCT``: that would hash the whole list once per row).
LNODES = """CALL {
  WITH locals
  UNWIND locals AS lr
  MATCH (ln)-[:LOCATED_IN]->(lr)
  RETURN collect(DISTINCT ln) AS lnodes
}"""
HOME_LOCAL = f"""{HOME}
{LNODES}"""

#: Does a node of this label have this id?
HAS_NODE = {label: f"MATCH (n:{C}{label} {{{OWN}, id: $id}}) RETURN count(n) > 0 AS ok"
            for label in ("Region", "Chain")}

#: Every name a node answers to (id, name, title, aliases), for name resolution.
NAMES_OF = {
    label: f"MATCH (n:{C}{label} {{{OWN}}}) RETURN n.id AS id, n.name AS name, n.title AS title, n.aliases AS aliases"
    for label in ("Region", "Chain")
}

# Chains in scope and their segments, in pairs; the segment's own chain as ``sc``.
_SCOPE_SEGMENTS = f"""
{HOME_LOCAL}
MATCH (c:{C}Chain {{{OWN}}})-[:HAS_SEGMENT]->(s:Segment)
WHERE $chain IS NULL OR c.id = $chain
{CHAIN_OF('s', 'sc')}
"""

# Local enterprises and projects of each segment, anchors among them, and the weak-rule facts.
_SEGMENT_FACTS = f"""
WITH home, locals, lnodes, c, s, sc,
     [(f:Enterprise)-[o:OPERATES_IN]->(s) WHERE {LOCAL('f')} |
        {{node: f, id: f.id, name: {NAME('f')},
          anchor: coalesce(o.role = 'anchor', false) OR coalesce(f.anchor, false)
                  OR EXISTS {{ MATCH (f)-[:ANCHORS]->(sc) }},
          role: o.role, above_scale: f.above_scale, revenue: f.revenue, employees: f.employees,
          capital: f.registered_capital, lists: coalesce(f.lists, [])}}] AS firms,
     [(p:Project)-[:IN_SEGMENT]->(s) WHERE {LOCAL('p')} |
        {{id: p.id, name: {NAME('p')}, status: p.status, agreed: p.agreed_amount, unit: p.amount_unit}}] AS projects
WITH home, locals, lnodes, c, s, sc, firms, projects, [x IN firms WHERE x.anchor] AS anchors,
     size(firms) > 0 OR any(p IN projects WHERE p.status IN $landed) AS covered
"""

_OUTSIDE_SUPPLIERS = f"""
CALL {{
  WITH home, locals, lnodes, anchors
  UNWIND anchors AS a
  WITH home, locals, lnodes, a.node AS an, a.name AS aname
  MATCH (sup)-[:SUPPLIES]->(an)
  WHERE NOT (sup:Enterprise AND {LOCAL('sup')})
  RETURN collect([aname, {NAME('sup')}]) AS outside
}}
"""

#: A local firm's 强链 facts as a list (a map would send every key again with each of ~2k firms at 100k firms),
#: read by ``backend._firm``.
_FIRM_FIELDS = "[x.name, x.id, x.anchor, x.role, x.above_scale, x.revenue, x.employees, x.capital, x.lists]"

_SEGMENT_COLUMNS = f"""
c.id AS scope_chain, {NAME('c')} AS scope_chain_name, c.verified AS scope_verified,
s.id AS id, s.name AS name, s.stage AS stage, s.order AS order, sc.id AS chain_id, {NAME('sc')} AS chain
"""

COVERAGE = f"""
{_SCOPE_SEGMENTS}
{_SEGMENT_FACTS}
{_OUTSIDE_SUPPLIERS}
RETURN {_SEGMENT_COLUMNS}, covered,
  [x IN firms | {_FIRM_FIELDS}] AS firms,
  outside,
  [p IN projects | [p.status, p.agreed, p.unit]] AS projects
"""

WEAK = f"""
{_SCOPE_SEGMENTS}
{_SEGMENT_FACTS}
WITH * WHERE covered
{_OUTSIDE_SUPPLIERS}
RETURN {_SEGMENT_COLUMNS},
  [x IN firms | {_FIRM_FIELDS}] AS firms,
  outside
"""

MISSING = f"""
{_SCOPE_SEGMENTS}
WITH home, locals, lnodes, c, s, sc WHERE NOT {COVERED('s')}
WITH home, locals, lnodes, c, s, sc,
  [(u:Segment)-[:FEEDS]->(s) WHERE {COVERED('u')} | {{id: u.id, name: {NAME('u')}}}] AS ups,
  [(s)-[:FEEDS]->(v:Segment) WHERE {COVERED('v')} | {{id: v.id, name: {NAME('v')}}}] AS downs,
  [(p:Project)-[:IN_SEGMENT]->(s) WHERE {LOCAL('p')} | [{NAME('p')}, p.status]] AS pipeline
CALL {{
  WITH home, locals, lnodes, s
  OPTIONAL MATCH (s)-[:FEEDS]->(v:Segment)
  {CHAIN_OF('v', 'vc')}
  OPTIONAL MATCH (a:Enterprise)-[o:OPERATES_IN]->(v)
  WHERE {LOCAL('a')} AND (o.role = 'anchor' OR a.anchor = true
                          OR (vc IS NOT NULL AND EXISTS {{ MATCH (a)-[:ANCHORS]->(vc) }}))
  WITH DISTINCT a WHERE a IS NOT NULL
  RETURN collect({{id: a.id, name: {NAME('a')}}}) AS needing
}}
RETURN {_SEGMENT_COLUMNS}, ups, downs, needing, pipeline
"""

EXTEND = f"""
{HOME}
OPTIONAL MATCH (:{C}Chain {{{OWN}}})-[:HAS_SEGMENT]->(t:Segment)
WITH DISTINCT home, locals, t
WITH home, locals, collect(t) AS segments
{LNODES}
WITH home, locals, lnodes, [x IN segments WHERE {COVERED('x')}] AS covered
CALL {{
  WITH covered
  UNWIND covered AS c
  MATCH p = ANY SHORTEST (c) (()-[:FEEDS]->(n:Segment) WHERE NOT n IN covered)+ (s)
  WHERE length(p) <= $k
  RETURN s, 'down' AS dir, length(p) AS len, c
  UNION ALL
  WITH covered
  UNWIND covered AS c
  MATCH p = ANY SHORTEST (c) (()<-[:FEEDS]-(n:Segment) WHERE NOT n IN covered)+ (s)
  WHERE length(p) <= $k
  RETURN s, 'up' AS dir, length(p) AS len, c
}}
WITH covered, s, dir, min(len) AS d, collect([c, len]) AS reached
WITH covered, s, dir, d, [x IN reached WHERE x[1] = d | x[0]] AS via
WITH covered, s, collect({{dir: dir, d: d, via: via}}) AS found
WITH covered, s, [x IN found WHERE x.dir = 'down'][0] AS dn, [x IN found WHERE x.dir = 'up'][0] AS up
WITH covered, s, dn.d AS down, up.d AS upd, coalesce(dn.via, []) AS vd, coalesce(up.via, []) AS vu
WITH covered, s, down, upd, vd, vu,
     CASE WHEN down IS NULL THEN upd WHEN upd IS NULL THEN down WHEN down <= upd THEN down ELSE upd END AS hops
{CHAIN_OF('s', 'sc')}
WITH * WHERE sc IS NOT NULL
WITH covered, s, sc, hops,
     CASE WHEN down = upd THEN 'both' WHEN down = hops THEN 'downstream' ELSE 'upstream' END AS direction,
     CASE WHEN down = hops THEN vd ELSE [] END AS v1, CASE WHEN upd = hops THEN vu ELSE [] END AS v2
WITH covered, s, sc, hops, direction, v1 + [v IN v2 WHERE NOT v IN v1] AS via
CALL {{
  WITH via
  UNWIND via AS v
  {CHAIN_OF('v', 'vc')}
  RETURN collect({{id: v.id, name: {NAME('v')}, chain_id: vc.id, chain: {NAME('vc')}}}) AS vias
}}
WITH * WHERE $chain IS NULL OR sc.id = $chain OR any(v IN vias WHERE v.chain_id = $chain)
WITH covered, s, sc, hops, direction, vias,
     COUNT {{ MATCH (s)-[:FEEDS]-(n) RETURN DISTINCT n }} AS neighbours,
     COUNT {{ MATCH (s)-[:FEEDS]-(n) WHERE n IN covered RETURN DISTINCT n }} AS covered_neighbours
RETURN s.id AS id, s.name AS name, s.stage AS stage, s.order AS order, sc.id AS chain_id, {NAME('sc')} AS chain,
  hops, direction, vias, neighbours, covered_neighbours
"""

_LOCAL_ANCHORS = f"""
CALL {{
  WITH locals
  UNWIND locals AS lr
  MATCH (a:Enterprise)-[:LOCATED_IN]->(lr)
  WITH DISTINCT a WHERE {IS_ANCHOR('a')}
  RETURN a
}}
WITH home, locals, lnodes, a
WHERE $chain IS NULL OR EXISTS {{ MATCH (a)-[:ANCHORS]->(:Chain {{id: $chain}}) }}
   OR EXISTS {{ MATCH (a)-[:OPERATES_IN]->()<-[:HAS_SEGMENT]-(:Chain {{id: $chain}}) }}
"""

DEPENDENCIES = f"""
{HOME_LOCAL}
{_LOCAL_ANCHORS}
CALL {{
  WITH home, locals, lnodes, a
  MATCH (o:Enterprise)-[r:SUPPLIES]->(a) WHERE NOT {LOCAL('o')}
  RETURN o, 'supplier' AS relation, r.product AS product
  UNION ALL
  WITH home, locals, lnodes, a
  MATCH (a)-[r:SUPPLIES]->(o:Enterprise) WHERE NOT {LOCAL('o')}
  RETURN o, 'customer' AS relation, r.product AS product
}}
OPTIONAL MATCH (o)-[:OPERATES_IN]->(seg)
{CHAIN_OF('seg', 'sc')}
RETURN a.id AS anchor_id, {NAME('a')} AS anchor, o.id AS enterprise_id, {NAME('o')} AS enterprise, relation, product,
  seg.id AS segment_id, {NAME('seg')} AS segment, seg.order AS order, sc.id AS chain_id, {NAME('sc')} AS chain,
  [(o)-[l:LOCATED_IN]->(r) WHERE l.role = 'hq' | [r.id, {NAME('r')}]] AS hq
"""

SUPPLY = f"""
{HOME_LOCAL}
{_LOCAL_ANCHORS}
CALL {{
  WITH home, locals, lnodes, a
  MATCH (a)-[:OPERATES_IN]->(t:Segment)<-[:FEEDS]-(u:Segment)
  WHERE EXISTS {{ MATCH (:Chain)-[:HAS_SEGMENT]->(u) }} AND coalesce(u.stage, '') <> $support AND NOT {COVERED('u')}
  RETURN u, {NAME('t')} AS via, null AS sup
  UNION ALL
  WITH home, locals, lnodes, a
  MATCH (sup:Enterprise)-[:SUPPLIES]->(a)
  WHERE NOT {LOCAL('sup')}
  MATCH (sup)-[:OPERATES_IN]->(u:Segment)
  WHERE EXISTS {{ MATCH (:Chain)-[:HAS_SEGMENT]->(u) }} AND coalesce(u.stage, '') <> $support AND NOT {COVERED('u')}
  RETURN u, null AS via, sup
}}
{CHAIN_OF('u', 'sc')}
RETURN u.id AS id, u.name AS name, u.stage AS stage, u.order AS order, sc.id AS chain_id, {NAME('sc')} AS chain,
  {NAME('a')} AS anchor, via,
  CASE WHEN sup IS NULL THEN null ELSE {NAME('sup')} END AS supplier,
  CASE WHEN sup IS NULL THEN [] ELSE [(sup)-[l:LOCATED_IN]->(r) WHERE l.role = 'hq' | [r.id, {NAME('r')}]] END AS hq
"""

#: Every segment as [id, name, seq, its chain's name (null if none), covered locally], every FEEDS tie as
#: [from, to, seq], the local anchors (of ``$chain``, if given) as [id, name, segment ids] by id, and the
#: ids of the local enterprises, in one record: the FEEDS graph of chokepoints, the facts of any segment row,
#: all that the segment rows need (so Python computes them while :data:`CHOKE_SUPPLY_REACH_PACKED` is still
#: on the server), and whether an enterprise row is local (``lnodes`` is at hand here).
CHOKE_SEGMENTS = f"""
{HOME_LOCAL}
CALL {{
  WITH home, locals, lnodes
  MATCH (s:{C}Segment {{{OWN}}})
  {CHAIN_OF('s', 'sc')}
  RETURN collect([s.id, {NAME('s')}, s._seq, {NAME('sc')}, {COVERED('s')}]) AS segments
}}
CALL {{
  MATCH (u:{C}Segment {{{OWN}}})-[r:FEEDS]->(v:Segment)
  RETURN collect([u.id, v.id, r._seq]) AS feeds
}}
CALL {{
  WITH home, locals, lnodes
  {_LOCAL_ANCHORS}
  WITH a ORDER BY a.id
  RETURN collect([a.id, {NAME('a')}, [(a)-[:OPERATES_IN]->(t:Segment) | t.id]]) AS anchors
}}
RETURN segments, feeds, anchors, [n IN lnodes WHERE n:Enterprise | n.id] AS local_firms
"""
#: The part of the SUPPLIES graph that reaches the anchors ``$ids``: every node that supplies one of them,
#: directly or not (the anchors included), with its direct suppliers, whether it has any SUPPLIES tie
#: and its segments, as parallel lists in one record. Only this part is sent: 19k nodes with their ties for
#: ``chainkg generate --firms 100000 --seed 7``, where the whole SUPPLIES graph has 214k ties.
CHOKE_SUPPLY_REACH = f"""
UNWIND $ids AS aid
MATCH (a:{C}Enterprise {{{OWN}, id: aid}})
MATCH (a)<-[:SUPPLIES*0..]-(x)
WITH DISTINCT x
RETURN collect(x.id) AS ids, collect([(u)-[:SUPPLIES]->(x) | u.id]) AS suppliers,
  collect(EXISTS {{ MATCH (x)-[:SUPPLIES]-() }}) AS tied, collect([(x)-[:OPERATES_IN]->(s) | s.id]) AS segments
"""
#: :data:`CHOKE_SUPPLY_REACH` from the local anchors (of ``$chain``, if given; found here rather than sent
#: back as ``$ids``, so that it runs side by side with :data:`CHOKE_SEGMENTS`) packed into text, as
#: :data:`TARGET_CANDIDATES_PACKED` is (the driver decodes a few long strings far faster than 19k nested
#: lists): per node ``id, suppliers, tied, segments``, each field ended by ``$us`` and each supplier and
#: segment id by ``$rs``, ``$chunk`` nodes per string; ``n``, ``ns`` and ``nseg`` count nodes, suppliers
#: and segments, so the reader can prove it split every id whole. The anchors need only ``locals``: no
#: ``lnodes`` (``HOME``, not ``HOME_LOCAL``).
_REACH_ANCHORS = _LOCAL_ANCHORS.replace("WITH home, locals, lnodes, a", "WITH home, locals, a")
assert _REACH_ANCHORS != _LOCAL_ANCHORS and "lnodes" not in _REACH_ANCHORS
CHOKE_SUPPLY_REACH_PACKED = f"""
{HOME}
CALL {{
  WITH home, locals
  {_REACH_ANCHORS}
  RETURN collect(a) AS anchors
}}
CALL {{
  WITH anchors
  UNWIND anchors AS a
  MATCH (a)<-[:SUPPLIES*0..]-(x)
  WITH DISTINCT x
  WITH x.id AS id, [(u)-[:SUPPLIES]->(x) | u.id] AS sup, EXISTS {{ MATCH (x)-[:SUPPLIES]-() }} AS tied,
    [(x)-[:OPERATES_IN]->(s) | s.id] AS segs
  RETURN count(*) AS n, sum(size(sup)) AS ns, sum(size(segs)) AS nseg,
    min(CASE WHEN id IS :: STRING NOT NULL AND all(u IN sup WHERE u IS :: STRING NOT NULL)
        AND all(s IN segs WHERE s IS :: STRING NOT NULL) THEN 1 ELSE 0 END) AS okn,
    collect(id + $us + reduce(t = '', u IN sup | t + u + $rs) + $us + CASE WHEN tied THEN '1' ELSE '' END + $us
            + reduce(t = '', s IN segs | t + s + $rs) + $us) AS lines
}}
RETURN n, ns, nseg, coalesce(okn, 1) = 1 AS ok,
  [i IN range(0, size(lines) - 1, $chunk) | reduce(t = '', x IN lines[i..i + $chunk] | t + x)] AS chunks
"""
#: The names of enterprise rows, in one record (~2k firms at 100k firms; a record each cost the driver more
#: than the server's work): per firm [id, name, [[seq, segment id] of each OPERATES_IN]]; its chain is the
#: first segment's, by seq then id. (Whether it is local comes with :data:`CHOKE_SEGMENTS`.)
CHOKE_FIRM_DETAILS = f"""
UNWIND $ids AS id
MATCH (n:{C}Enterprise {{{OWN}, id: id}})
RETURN collect([n.id, {NAME('n')}, [(n)-[r:OPERATES_IN]->(s) | [r._seq, s.id]]]) AS firms
"""
#: :data:`CHOKE_FIRM_DETAILS` packed into text (the driver decoded its ~20k small values in ~50 ms): per firm
#: ``id, name, segment ids, seqs``, each field ended by ``$us``, each segment id and each seq (decimal text,
#: empty when null) by ``$rs``, ``$chunk`` firms per string. ``n`` counts the firms and ``nops`` their
#: OPERATES_IN (the reader's proof that it split every value whole); ``ok`` says every packed value is text
#: and every seq an integer or null (else the list statement answers, and its reader orders them as before).
CHOKE_FIRM_DETAILS_PACKED = f"""
UNWIND $ids AS id
MATCH (n:{C}Enterprise {{{OWN}, id: id}})
WITH n.id AS id, {NAME('n')} AS name, [(n)-[r:OPERATES_IN]->(s) | [s.id, r._seq]] AS ops
WITH count(*) AS n, sum(size(ops)) AS nops,
  min(CASE WHEN id IS :: STRING NOT NULL AND name IS :: STRING NOT NULL
      AND all(o IN ops WHERE o[0] IS :: STRING NOT NULL AND (o[1] IS NULL OR o[1] IS :: INTEGER))
      THEN 1 ELSE 0 END) AS okn,
  collect(id + $us + name + $us + reduce(t = '', o IN ops | t + o[0] + $rs) + $us
          + reduce(t = '', o IN ops | t + coalesce(toString(o[1]), '') + $rs) + $us) AS lines
RETURN n, nops, coalesce(okn, 1) = 1 AS ok,
  [i IN range(0, size(lines) - 1, $chunk) | reduce(t = '', x IN lines[i..i + $chunk] | t + x)] AS chunks
"""

#: 招商目标 candidates, one record per gap segment and placement (provenance, and the evidence where the row
#: shows it: inferred placements): the outside enterprises placed so as parallel lists of id, name, lists
#: and HQ region ids. A few hundred records rather than one per row, and each placement text sent once
#: per record: the driver's cost is per record and per value.
TARGET_CANDIDATES = f"""
{HOME_LOCAL}
UNWIND $gaps AS gid
MATCH (s:{C}Segment {{{OWN}, id: gid}})<-[o:OPERATES_IN]-(f:Enterprise)
WHERE NOT {LOCAL('f')}
WITH gid, f, coalesce(o.provenance, '') AS placement,
  CASE WHEN o.provenance = 'inferred' THEN coalesce(o.evidence, '') ELSE '' END AS evidence
RETURN gid AS segment, placement, evidence, collect(f.id) AS ids, collect({NAME('f')}) AS names,
  collect(coalesce(f.lists, [])) AS lists, collect([(f)-[l:LOCATED_IN]->(r) WHERE l.role = 'hq' | r.id]) AS hqs
"""

#: The same candidates with each firm's facts packed into text: per placement group, the firms as four
#: fields ``id, name, hq ids, lists``, each field ended by ``$us`` (the hq ids and list items each ended by
#: ``$rs``), joined ``$chunk`` firms at a time (string concatenation in ``reduce`` copies the text so far,
#: so long chunks grow quadratically). The pure-Python driver decodes ~650k small values in seconds but
#: one long string at C speed. The separators are control characters; the counts (``n`` firms, ``nh`` hq
#: ids, ``nl`` list items) and ``ok`` (every packed value a string) let the reader check that no text
#: held one, else it asks :data:`TARGET_CANDIDATES`. The properties are read through map projections
#: (``f {.id, .name, …}``), which walk a node's property chain once rather than once per property: 1.96M →
#: 1.29M db hits at 100k firms; what remains is mostly the LOCATED_IN expansion for the HQs (~7 db hits a
#: firm: a firm's relationships are read one by one).
TARGET_CANDIDATES_PACKED = f"""
{HOME_LOCAL}
UNWIND $gaps AS gid
MATCH (s:{C}Segment {{{OWN}, id: gid}})<-[o:OPERATES_IN]-(f:Enterprise)
WHERE NOT {LOCAL('f')}
WITH gid, f, o {{.provenance, .evidence}} AS op, f {{.id, .name, .title, .lists}} AS fp
WITH gid, coalesce(op.provenance, '') AS placement,
  CASE WHEN op.provenance = 'inferred' THEN coalesce(op.evidence, '') ELSE '' END AS evidence,
  fp.id AS id, {NAME('fp')} AS name, [(f)-[l:LOCATED_IN]->(r) WHERE l.role = 'hq' | r.id] AS hqs,
  coalesce(fp.lists, []) AS lists
WITH gid, placement, evidence, count(*) AS n, sum(size(hqs)) AS nh, sum(size(lists)) AS nl,
  min(CASE WHEN id IS :: STRING NOT NULL AND name IS :: STRING NOT NULL AND all(h IN hqs WHERE h IS :: STRING)
      AND all(x IN lists WHERE x IS :: STRING) THEN 1 ELSE 0 END) = 1 AS ok,
  collect(id + $us + name + $us + reduce(t = '', h IN hqs | t + h + $rs) + $us
          + reduce(t = '', x IN lists | t + x + $rs) + $us) AS lines
RETURN gid AS segment, placement, evidence, n, nh, nl, ok,
  [i IN range(0, size(lines) - 1, $chunk) | reduce(t = '', x IN lines[i..i + $chunk] | t + x)] AS chunks
"""

#: The HQ expression of :data:`TARGET_CANDIDATES_PACKED`; :data:`TARGET_CANDIDATES_PACKED_NO_HQ` is the same
#: statement without it, for when :data:`TARGET_HQS_PACKED` proved it has every HQ.
_CANDIDATE_HQS = "[(f)-[l:LOCATED_IN]->(r) WHERE l.role = 'hq' | r.id]"
assert _CANDIDATE_HQS in TARGET_CANDIDATES_PACKED
TARGET_CANDIDATES_PACKED_NO_HQ = TARGET_CANDIDATES_PACKED.replace(_CANDIDATE_HQS, "[]")

#: Every HQ (a LOCATED_IN with role hq) into this graph's regions, read from the regions' side: a region's
#: relationships are grouped by type and direction, so only its LOCATED_IN are read (0.32M db hits for all
#: 100k firms at 100k firms, against 0.83M for expanding each candidate's relationships one by one). Packed
#: as ``firm id $us region id $us`` per HQ, ``$chunk`` HQs per string; ``n`` counts them and ``ok`` says
#: every id is text. That is every HQ only when :data:`TARGET_FIRM_FACTS` says ``regions_only``.
TARGET_HQS_PACKED = f"""
MATCH (r:{C}Region {{{OWN}}})
WITH r, r.id AS rid
MATCH (r)<-[l:LOCATED_IN]-(f)
WHERE l.role = 'hq'
WITH rid, f.id AS fid
WITH count(*) AS n, min(CASE WHEN fid IS :: STRING NOT NULL AND rid IS :: STRING NOT NULL THEN 1 ELSE 0 END) AS okn,
  collect(fid + $us + rid + $us) AS lines
RETURN n, coalesce(okn, 1) = 1 AS ok,
  [i IN range(0, size(lines) - 1, $chunk) | reduce(t = '', x IN lines[i..i + $chunk] | t + x)] AS chunks
"""

#: The per-firm facts of 招商目标 that come from the few local anchors, local projects and events, in one
#: record of lists (the driver's cost is per record and per value; this was four statements and ~7k
#: records at 100k firms):
#:
#: * ``ties``: [firm id, anchor name] for each local anchor (any chain) and each enterprise tied to it by
#:   SUPPLIES either way, once per distinct anchor;
#: * ``invests``: [firm id, project name] for each local project and each enterprise that INVESTS in it;
#: * ``courted``: the regions the city courts: PART_OF (any depth) a region TARGETED by an event hosted
#:   locally, and not local;
#: * ``regions``: [id, name] of every region (for HQ names);
#: * ``regions_only``: every LOCATED_IN in the database ends at a Region (two counts from the count store, so
#:   O(1)): then :data:`TARGET_HQS_PACKED` has every HQ.
TARGET_FIRM_FACTS = f"""
{HOME}
CALL {{ MATCH ()-[l:LOCATED_IN]->() RETURN count(l) AS located }}
CALL {{ MATCH ()-[l:LOCATED_IN]->(:Region) RETURN count(l) AS into_regions }}
CALL {{
  WITH locals
  UNWIND locals AS lr
  MATCH (a:Enterprise)-[:LOCATED_IN]->(lr)
  WITH DISTINCT a WHERE {IS_ANCHOR('a')}
  MATCH (a)-[:SUPPLIES]-(f)
  WITH DISTINCT a, f
  RETURN collect([f.id, {NAME('a')}]) AS ties
}}
CALL {{
  WITH locals
  UNWIND locals AS lr
  MATCH (p:Project)-[:LOCATED_IN]->(lr)
  WITH DISTINCT p
  MATCH (f)-[:INVESTS]->(p)
  RETURN collect([f.id, {NAME('p')}]) AS invests
}}
CALL {{
  WITH home
  OPTIONAL MATCH (e:Event)-[:HOSTED_BY]->(:Region)-[:PART_OF*0..]->(home)
  WITH DISTINCT home, e
  OPTIONAL MATCH (e)-[:TARGETS]->(:Region)<-[:PART_OF*0..]-(x:Region)
  WITH DISTINCT home, x
  WHERE x IS NOT NULL AND NOT EXISTS {{ MATCH (x)-[:PART_OF*0..]->(home) }}
  RETURN collect(x.id) AS courted
}}
CALL {{
  MATCH (r:{C}Region {{{OWN}}})
  RETURN collect([r.id, {NAME('r')}]) AS regions
}}
RETURN ties, invests, courted, regions, located = into_regions AS regions_only
"""

_LOCAL_PROJECTS = f"""
{HOME}
CALL {{
  WITH locals
  UNWIND locals AS lr
  MATCH (p:Project)-[:LOCATED_IN]->(lr)
  RETURN DISTINCT p
}}
WITH p
WHERE $chain IS NULL OR EXISTS {{ MATCH (p)-[:IN_CHAIN]->(:Chain {{id: $chain}}) }}
   OR EXISTS {{ MATCH (p)-[:IN_SEGMENT]->()<-[:HAS_SEGMENT]-(:Chain {{id: $chain}}) }}
WITH p,
  CASE WHEN p.agreed_amount IS NOT NULL AND p.amount_unit IN keys($cny)
       THEN p.agreed_amount * $cny[p.amount_unit] ELSE 0.0 END AS yi_agreed,
  CASE WHEN p.funds_in_place IS NOT NULL AND p.amount_unit IN keys($cny)
       THEN p.funds_in_place * $cny[p.amount_unit] ELSE 0.0 END AS yi_funds
"""

PIPELINE_PROJECTS = f"""
{_LOCAL_PROJECTS}
RETURN p.id AS id, {NAME('p')} AS name, p.status AS status, p.status_date AS since,
  yi_agreed AS agreed, yi_funds AS funds,
  [x IN [(p)-[:IN_CHAIN]->(c1:Chain) | c1] + [(p)-[:IN_SEGMENT]->(:Segment)<-[:HAS_SEGMENT]-(c2:Chain) | c2] |
     {NAME('x')}] AS chains,
  [(p)-[:LOCATED_IN]->(r) | {NAME('r')}] AS regions,
  [(p)-[:SIGNED_AT]->(e) | {NAME('e')}] AS events
"""

ANY_REGION = f"MATCH (n:{C}Region {{{OWN}}}) RETURN n.id AS id LIMIT 1"
