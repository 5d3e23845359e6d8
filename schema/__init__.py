"""The one declaration of chainkg's data model and everything derived from it."""

from .declaration import (
    AMOUNT_UNITS,
    LISTS,
    PIPELINE_STAGES,
    PROVENANCE_KINDS,
    REGION_LEVELS,
    SCHEMA,
    STAGES,
)
from .model import NodeType, Property, RelType, Schema
from .validate import Problem, check_edge, check_node, coerce

__all__ = [
    "AMOUNT_UNITS",
    "LISTS",
    "PIPELINE_STAGES",
    "PROVENANCE_KINDS",
    "REGION_LEVELS",
    "SCHEMA",
    "STAGES",
    "NodeType",
    "Problem",
    "Property",
    "RelType",
    "Schema",
    "check_edge",
    "check_node",
    "coerce",
]
