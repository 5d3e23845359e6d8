"""Loaders: the tabular format (CSV/XLSX) and chain templates (YAML), validated all-or-nothing."""

from .api import expand_paths, load_paths, read_paths, validate_paths
from .batch import LoadReport, apply_batch, validate_batch
from .records import EdgeRecord, LoadError, LoadFailed, NodeRecord, Origin

__all__ = [
    "EdgeRecord",
    "LoadError",
    "LoadFailed",
    "LoadReport",
    "NodeRecord",
    "Origin",
    "apply_batch",
    "expand_paths",
    "load_paths",
    "read_paths",
    "validate_batch",
    "validate_paths",
]
