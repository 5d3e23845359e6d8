"""Interactive HTML views of the graph: one self-contained, offline, safe file per view.

The page inlines vis-network (the copy pyvis ships), lays nodes out in Python with physics off
(so it is usable as soon as it is drawn), and shows a legend generated from the schema, search by
name or alias in Simplified or Traditional Chinese, type and chain filters, tooltips with
provenance, and neighbourhood highlight on click.

>>> from chainkg.graph.synthetic import viz_graph as generate
>>> kg = generate(150, seed=6)
>>> html = render_view(kg, view="chain", chain="新能源电池", date="2024-01-15")
>>> "产业链图谱：新能源电池" in html
True
>>> import tempfile, pathlib
>>> out = pathlib.Path(tempfile.mkdtemp()) / "battery.html"
>>> info = write_html(kg, out, view="overview", lang="en", date="2024-01-15")
>>> info["nodes"] == len(build_view(kg, "overview").nodes), out.read_bytes()[:15]
(True, b'<!DOCTYPE html>')
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from chainkg.graph.kg import KnowledgeGraph

from .page import render_page, render_panorama
from .panorama import build_panorama
from .views import DEFAULT_MAX_NODES, VIEWS, View, ViewTooLarge, build_view

__all__ = ["DEFAULT_MAX_NODES", "PAGES", "VIEWS", "View", "ViewTooLarge", "build_panorama", "build_view",
           "render_view", "write_html"]
#: Every page `chainkg viz` writes: the panorama (全景图) and the network views.
PAGES = ("panorama", *VIEWS)


def _panorama_html(kg: KnowledgeGraph, kwargs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    extra = set(kwargs) - {"chain", "region", "lang", "dataset", "date", "max_nodes", "types", "node", "depth",
                           "cluster"}
    if extra:
        raise TypeError(f"unexpected arguments: {', '.join(sorted(extra))}")
    import datetime as _dt

    data = build_panorama(kg, kwargs.get("chain"), region=kwargs.get("region"), lang=kwargs.get("lang", "zh"))
    html = render_panorama(data, dataset=kwargs.get("dataset") or str(kg.meta.get("name") or "chainkg"),
                           date=kwargs.get("date") or _dt.date.today().isoformat())
    n_lines = sum(len(b["lines"]) for b in data["boxes"])
    return html, {"nodes": len(data["boxes"]), "edges": 0, "lines": n_lines}


def render_view(
    kg: KnowledgeGraph,
    view: str = "overview",
    *,
    chain: str | None = None,
    node: str | None = None,
    depth: int = 1,
    types: Iterable[str] | None = None,
    region: str | None = None,
    lang: str = "zh",
    max_nodes: int | None = DEFAULT_MAX_NODES,
    dataset: str | None = None,
    date: str | None = None,
    cluster: bool | None = None,
) -> str:
    """The HTML page of one view, as a string.

    ``view`` is ``overview``, ``chain`` (needs ``chain``), ``ego`` (needs ``node``; ``depth`` hops)
    or ``whole``; ``types``, ``chain`` and ``region`` narrow it (see :func:`build_view`). ``lang``
    is ``zh`` (default) or ``en`` for the page's words; names stay as in the data. ``dataset``
    (default ``kg.meta["name"]``) and ``date`` (default today) go into the title. Raises
    :class:`ViewTooLarge` above ``max_nodes`` (None: no limit).

    ``view="panorama"`` is the planner's 全景图 (one chain with ``chain``, else every chain): see
    :mod:`chainkg.visualize.panorama`.

    Example::

        from chainkg.data import kunming
        html = render_view(kunming(), view="chain", chain="新能源电池")
    """
    if view == "panorama":
        return _panorama_html(kg, {"chain": chain, "region": region, "lang": lang, "dataset": dataset,
                                   "date": date})[0]
    v = build_view(kg, view, chain=chain, node=node, depth=depth, types=types, region=region,
                   max_nodes=max_nodes, lang=lang, cluster=cluster)
    return render_page(v, dataset=dataset, date=date)


def write_html(
    kg: KnowledgeGraph, path: str | os.PathLike[str], view: str = "overview", **kwargs: Any
) -> dict[str, Any]:
    """Write the page of one view to ``path`` as UTF-8 (atomically); return what was written.

    Takes the keyword arguments of :func:`render_view`. Returns ``{"path", "view", "nodes",
    "edges", "bytes"}`` (and ``clusters`` for the clustered whole view: ``nodes`` are then the
    members its groups open to).

    Example::

        write_html(kunming(), "battery.html", view="chain", chain="新能源电池")
    """
    names = ("chain", "node", "depth", "types", "region", "lang", "max_nodes", "cluster")
    if view == "panorama":
        html, counts = _panorama_html(kg, kwargs)
    else:
        v = build_view(kg, view, **{k: kwargs[k] for k in names if k in kwargs})
        extra = set(kwargs) - set(names) - {"dataset", "date"}
        if extra:
            raise TypeError(f"unexpected arguments: {', '.join(sorted(extra))}")
        html = render_page(v, dataset=kwargs.get("dataset"), date=kwargs.get("date"))
        counts = {"nodes": len(v.nodes), "edges": len(v.edges)}
        if v.clusters:  # the clustered whole view opens with its groups; the nodes are their members
            counts["clusters"] = len(v.clusters)
    from chainkg.graph.fileio import write_bytes

    path = Path(path)
    data = html.encode("utf-8")
    write_bytes(path, data)  # atomic, through symlinks, never over a device or FIFO
    return {"path": str(path), "view": view, **counts, "bytes": len(data)}
