"""row_dict is dataclasses.asdict, faster: same dicts, same value types, fresh containers (issue 13)."""

from __future__ import annotations

import dataclasses
from collections import defaultdict, namedtuple
from typing import Any

import pytest

from chainkg.data import kunming
from chainkg.graph.queries import QUERIES
from chainkg.graph.rowdict import row_dict
from chainkg.graph.synthetic import national_graph
from chainkg.i18n import Message


def shape(v: Any) -> Any:
    """The value with every object's exact type beside it (``1 == 1.0 == True`` but they print differently)."""
    if isinstance(v, dict):
        return (type(v), [(shape(k), shape(x)) for k, x in v.items()])
    if isinstance(v, (list, tuple, set, frozenset)):
        return (type(v), [shape(x) for x in v])
    return (type(v), v)


def rows_of(result: Any) -> list[Any]:
    """Every object with ``as_dict`` in a query's result (a list of rows, or a report of row lists)."""
    found = []
    stack = [result]
    while stack:
        v = stack.pop()
        if isinstance(v, list):
            stack.extend(v)
        elif dataclasses.is_dataclass(v) and hasattr(v, "as_dict"):
            found.append(v)
            stack.extend(getattr(v, f.name) for f in dataclasses.fields(v))
    return found


@pytest.mark.parametrize("graph", [kunming, lambda: national_graph(400, seed=3)], ids=["kunming", "national400"])
def test_every_query_row_as_dict_is_asdict(graph):
    kg = graph()
    checked = set()
    for name, q in QUERIES.items():
        for row in rows_of(q.function(kg)):
            got, want = row.as_dict(), dataclasses.asdict(row)
            assert shape(got) == shape(want), (name, row)
            checked.add(type(row).__name__)
    assert {"MissingRow", "WeakRow", "ExtendRow", "CoverageRow", "ChokepointRow", "DependencyRow",
            "PipelineReport", "StalledRow"} <= checked


Pair = namedtuple("Pair", "a b")


@dataclasses.dataclass
class Inner:
    xs: list[int]


@dataclasses.dataclass
class Odd:
    """Everything asdict treats specially."""

    inner: Inner
    pair: Pair
    sub: Any
    s: set
    msg: Message
    nested: dict
    atoms: tuple


class MyList(list):
    pass


def test_uncommon_values_go_the_way_asdict_takes_them():
    msg = Message([], "a reason")
    row = Odd(Inner([1, 2]), Pair([1], {"k": 2}), MyList([1.0, True]), {3, 4},
              msg, {1: [None, "s"], "t": (1, 2.5)}, (1, 1.0, True, None, "a"))
    got, want = row_dict(row), dataclasses.asdict(row)
    assert shape(got) == shape(want)
    assert got["msg"] is msg  # a Message keeps its phrases (its deep copy is itself)
    # Containers are fresh copies, as asdict makes them: changing the dict never changes the row.
    assert got["inner"]["xs"] is not row.inner.xs and got["s"] is not row.s and got["nested"][1] is not row.nested[1]


@dataclasses.dataclass
class WithDefaultdict:
    dd: defaultdict


def test_defaultdict_keeps_its_factory():
    # Python 3.12's asdict does this; 3.11's raises TypeError (no query row holds one).
    row = WithDefaultdict(defaultdict(list, {"a": [1]}))
    got = row_dict(row)["dd"]
    assert type(got) is defaultdict and got.default_factory is list and got == {"a": [1]}
    assert got["a"] is not row.dd["a"]
