"""The bundled Kunming dataset, shipped inside the package."""

from __future__ import annotations

import functools
from importlib import resources
from pathlib import Path

from chainkg.graph.kg import KnowledgeGraph

HOME_REGION = "region:kunming"


def kunming_path() -> Path:
    """The folder holding the bundled Kunming CSV files and chain templates."""
    return Path(str(resources.files("chainkg.data") / "kunming"))


@functools.lru_cache(maxsize=1)
def _kunming_cached() -> KnowledgeGraph:
    from chainkg.loaders import load_paths

    kg = KnowledgeGraph(
        {
            "name": "昆明 Kunming (bundled)",
            "home_region": HOME_REGION,
            "description": "Built from 《昆明招商引资释放“强磁力”》(昆明日报, 2024-01-15) and the domain notes.",
        }
    )
    load_paths([kunming_path()], kg)
    return kg


def kunming() -> KnowledgeGraph:
    """A fresh copy of the bundled Kunming graph (validated on the way in).

    >>> kg = kunming()
    >>> kg.meta["home_region"]
    'region:kunming'
    """
    return _kunming_cached().copy()
