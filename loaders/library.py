"""The national chain-template library (全景图库): chain templates shipped as package data.

Each file in ``chainkg/data/library`` is one chain template in the format read by
:func:`chainkg.loaders.templates.read_template`, with its own Chain and Source, so
that any chain loads into an empty workspace. Segments carry match rules
(``match_gbt``, ``match_industries``, ``match_keywords``). FEEDS across chains sit
in the file of the supplying chain; they are loaded only when both ends are there.

These functions are what ``chainkg templates list|show|use|export`` need:
:func:`library_chains` (list), :func:`find_chain` (show), :func:`library_records`
and :func:`pending_feeds` (use), :func:`export_chain` (export).
"""

from __future__ import annotations

import difflib
import functools
import os
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from chainkg.errors import NotFoundError
from chainkg.graph.kg import KnowledgeGraph
from chainkg.graph.text import name_key

from .records import EdgeRecord, LoadFailed, NodeRecord
from .templates import read_template

__all__ = [
    "LibraryChain",
    "export_chain",
    "find_chain",
    "library_chains",
    "library_dir",
    "library_records",
    "pending_feeds",
]


@dataclass(frozen=True)
class LibraryChain:
    """One chain of the library, as its file describes it.

    ``chain`` is the Chain id, ``segments`` the number of segments, ``stages`` the
    number of distinct stages used, ``source`` the file's source mapping (id, title,
    issuer, year, url) and ``path`` the file.
    """

    slug: str
    chain: str
    name: str
    aliases: tuple[str, ...]
    name_en: str
    description: str
    segments: int
    stages: int
    source: dict[str, Any]
    path: Path


def library_dir() -> Path:
    """The folder of the shipped library files.

    Returns
    -------
    Path
        ``chainkg/data/library`` inside the installed package.

    Examples
    --------
    >>> library_dir().name
    'library'
    """
    return Path(str(resources.files("chainkg.data") / "library"))


@functools.lru_cache(maxsize=1)
def _chains() -> tuple[LibraryChain, ...]:
    out = []
    for path in sorted(library_dir().glob("*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        segs = doc.get("segments") or []
        out.append(LibraryChain(
            slug=path.stem,
            chain=doc["chain"],
            name=doc["name"],
            aliases=tuple(doc.get("aliases") or ()),
            name_en=doc.get("name_en") or "",
            description=doc.get("description") or "",
            segments=len(segs),
            stages=len({s.get("stage") for s in segs}),
            source=dict(doc["source"]) if isinstance(doc.get("source"), dict) else {"id": doc.get("source")},
            path=path,
        ))
    return tuple(out)


def library_chains() -> list[LibraryChain]:
    """Every chain of the library, sorted by slug.

    Returns
    -------
    list of LibraryChain

    Examples
    --------
    >>> chains = library_chains()
    >>> len(chains) >= 28
    True
    >>> pv = next(c for c in chains if c.slug == "pv")
    >>> pv.chain, pv.name, pv.name_en
    ('chain:lib:pv', '光伏', 'Photovoltaics')
    >>> pv.source["id"], pv.source["year"]
    ('src:lib:pv', 2021)
    """
    return list(_chains())


def _keys(c: LibraryChain) -> list[str]:
    return [c.slug, c.chain, c.name, *c.aliases, c.name_en]


def find_chain(name: str) -> LibraryChain:
    """The library chain with this slug, id, name or alias (Simplified or Traditional, any case).

    Parameters
    ----------
    name : str
        ``pv``, ``chain:lib:pv``, ``光伏``, ``光伏產業``, ``Photovoltaics`` …

    Returns
    -------
    LibraryChain

    Raises
    ------
    NotFoundError
        When no chain has that name; ``suggestions`` lists the closest chain names
        (close spellings, and names containing the text or contained in it).

    Examples
    --------
    >>> find_chain("新能源電池").slug
    'battery'
    >>> find_chain("chain:lib:pv").name
    '光伏'
    >>> find_chain("电池")
    Traceback (most recent call last):
    ...
    chainkg.errors.NotFoundError: no library chain named '电池'; did you mean 新能源电池...?
    """
    key = name_key(name)
    chains = _chains()
    for c in chains:
        if any(name_key(k) == key for k in _keys(c)):
            return c
    raise NotFoundError(f"no library chain named {name!r}", _suggest(key, chains))


def _suggest(key: str, chains: tuple[LibraryChain, ...], limit: int = 5) -> list[str]:
    scored: dict[str, float] = {}
    for c in chains:
        for k in _keys(c):
            kk = name_key(k)
            if not kk:
                continue
            score = difflib.SequenceMatcher(None, key, kk).ratio()
            if key and (key in kk or kk in key):
                score = max(score, 0.8 + 0.2 * min(len(key), len(kk)) / max(len(key), len(kk)))
            if score >= 0.5:
                scored[c.name] = max(scored.get(c.name, 0.0), score)
    return [n for n, _ in sorted(scored.items(), key=lambda kv: (-kv[1], kv[0]))][:limit]


def _read(chain: LibraryChain) -> list[NodeRecord | EdgeRecord]:
    records, errors = read_template(chain.path)
    if errors:
        raise LoadFailed(errors)
    return records


def _split(
    names: list[str], kg: KnowledgeGraph | None
) -> tuple[list[NodeRecord | EdgeRecord], list[EdgeRecord]]:
    chosen = list({c.slug: c for c in (find_chain(n) for n in names)}.values())
    slugs = {c.slug for c in chosen}
    records = [r for c in chosen for r in _read(c)]
    chain_of = {r.props["id"]: r.props["chain"] for r in records if isinstance(r, NodeRecord) and r.type == "Segment"}

    def present(seg: str) -> bool:
        return seg in chain_of or (kg is not None and kg.has(seg))

    kept: list[NodeRecord | EdgeRecord] = []
    pending: list[EdgeRecord] = []
    for r in records:
        if (isinstance(r, EdgeRecord) and r.type == "FEEDS" and chain_of.get(r.source) != chain_of.get(r.target)
                and not (present(r.source) and present(r.target))):
            pending.append(r)
        else:
            kept.append(r)
    # FEEDS into the chosen chains from other library chains (their files hold them).
    for c in _chains():
        if c.slug in slugs:
            continue
        for r in _read(c):
            if isinstance(r, EdgeRecord) and r.type == "FEEDS" and r.target in chain_of:
                (kept if present(r.source) else pending).append(r)
    return kept, pending


def library_records(names: list[str], kg: KnowledgeGraph | None = None) -> list[NodeRecord | EdgeRecord]:
    """The records that add library chains to a graph, ready for ``validate_batch``/``apply_batch``.

    For each chain: its Source, its Chain (``verified: False``), its Segments with
    their match rules, HAS_SEGMENT and the FEEDS inside the chain. A FEEDS across
    chains is included only when both ends are among the chosen chains or already
    in ``kg``; the others are returned by :func:`pending_feeds`.

    Parameters
    ----------
    names : list of str
        Chains by slug, id, name or alias (see :func:`find_chain`); duplicates are ignored.
    kg : KnowledgeGraph, optional
        The graph the records are meant for: cross-chain feeds to its segments are kept.

    Returns
    -------
    list of NodeRecord and EdgeRecord

    Raises
    ------
    NotFoundError
        For an unknown chain name.

    Examples
    --------
    >>> from chainkg.loaders import apply_batch, validate_batch
    >>> records = library_records(["光伏", "稀贵金属与有色新材料"])
    >>> kg = KnowledgeGraph()
    >>> validate_batch(records, kg)
    []
    >>> report = apply_batch(records, kg)
    >>> kg.has_edge("seg:lib:nonferrous:silver-paste", "seg:lib:pv:cell", "FEEDS")
    True
    >>> kg.get("chain:lib:pv")["verified"]
    False
    """
    return _split(names, kg)[0]


def pending_feeds(names: list[str], kg: KnowledgeGraph | None = None) -> list[EdgeRecord]:
    """The cross-chain FEEDS of the chosen chains that :func:`library_records` leaves out.

    Each has one end among the chosen chains and the other neither chosen nor in
    ``kg`` (both directions: the chosen chains' own cross feeds and the feeds other
    library chains declare into them); it can be added once the other chain is loaded.

    Examples
    --------
    >>> feeds = pending_feeds(["光伏"])
    >>> ("seg:lib:pv:inverter", "seg:lib:storage:pcs") in [(f.source, f.target) for f in feeds]
    True
    >>> ("seg:lib:nonferrous:silver-paste", "seg:lib:pv:cell") in [(f.source, f.target) for f in feeds]
    True
    >>> [f for f in pending_feeds(["光伏", "稀贵金属与有色新材料"]) if f.source.startswith("seg:lib:nonferrous")
    ...  and f.target.startswith("seg:lib:pv")]
    []
    """
    return _split(names, kg)[1]


def export_chain(name: str, path: str | os.PathLike[str], *, cross_feeds: bool = True) -> Path:
    """Write a library chain's YAML to ``path``, byte for byte as shipped, for editing and loading back.

    The file loads with ``chainkg load`` (``.yaml``). Its top-level ``feeds:`` block
    (cross-chain FEEDS) refers to segments of other chains, so such a file loads only
    into a workspace that has them; ``cross_feeds=False`` leaves that block out so the
    file loads into any workspace.

    Parameters
    ----------
    name : str
        The chain (see :func:`find_chain`).
    path : path-like
        Where to write; a folder gets ``<slug>.yaml`` inside it.
    cross_feeds : bool
        Keep the cross-chain ``feeds:`` block (default).

    Returns
    -------
    Path
        The file written.

    Raises
    ------
    NotFoundError
        For an unknown chain name.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     out = export_chain("光伏", d)
    ...     out.name, out.read_bytes() == find_chain("pv").path.read_bytes()
    ('pv.yaml', True)
    """
    chain = find_chain(name)
    out = Path(path)
    if out.is_dir():
        out = out / f"{chain.slug}.yaml"
    data = chain.path.read_bytes()
    if not cross_feeds:
        lines = data.decode("utf-8").splitlines(keepends=True)
        cut = next((i for i, line in enumerate(lines) if line.startswith("feeds:")), len(lines))
        end = next((j for j in range(cut + 1, len(lines)) if not lines[j].startswith((" ", "#", "\n"))), len(lines))
        data = "".join(lines[:cut] + lines[end:]).encode("utf-8")
    out.write_bytes(data)
    return out
