"""All analyst queries in one namespace (one module per family behind it)."""

from .chokepoints import chokepoints
from .coverage import coverage, segment_status
from .dependencies import dependencies
from .gaps import extend, missing, weak
from .pipeline import pipeline
from .targets import Weights, load_weights, targets

__all__ = [
    "Weights",
    "chokepoints",
    "coverage",
    "dependencies",
    "extend",
    "load_weights",
    "missing",
    "pipeline",
    "segment_status",
    "targets",
    "weak",
]
