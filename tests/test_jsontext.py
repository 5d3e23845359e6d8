"""JSON written in pieces must be json.dumps(…, ensure_ascii=False, indent=2)'s text byte for byte."""

from __future__ import annotations

import json
import math
from enum import IntEnum, StrEnum

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chainkg.jsontext import pieces


def reference(data):
    return json.dumps(data, ensure_ascii=False, indent=2)


scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True, allow_infinity=True),
                    st.text())
values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=5), st.tuples(inner, inner),
                            st.dictionaries(st.text(max_size=5), inner, max_size=5)),
    max_leaves=30,
)


@settings(max_examples=200, deadline=None)
@given(st.lists(values, max_size=12), st.integers(min_value=1, max_value=4))
def test_pieces_join_to_the_same_text(items, batch):
    assert "".join(pieces(iter(items), batch=batch)) == reference(items)


class Colour(StrEnum):
    RED = "红"


class Level(IntEnum):
    HIGH = 3


@pytest.mark.parametrize("data", [
    [],
    {},
    [[], {}, [[]], {"a": {}}],
    {"中文": "昆明\n\"引号\"\t", "emoji": "🚀", "ctl": "\x00\x1f"},
    {1: "int key", "s": 2},  # a non-text key: the standard encoder's text
    {True: 1, None: 2, 1.5: 3},
    [Colour.RED, Level.HIGH, {"c": Colour.RED, "l": Level.HIGH}],  # subclasses of str and int
    [math.nan, math.inf, -math.inf, -0.0, 1e300, 0.1 + 0.2],
    [{"score": 5.0, "parts": {"gap": 3.0, "ties": 2.0}, "hq": None, "why": "works in 补链 gap 材料"}],
])
def test_edge_cases(data):
    assert "".join(pieces(data if isinstance(data, list) else [data])) == reference(
        data if isinstance(data, list) else [data])


def test_errors_are_the_standard_ones():
    with pytest.raises(TypeError, match="not JSON serializable"):
        "".join(pieces([{"a": object()}]))


flat_rows = st.dictionaries(
    st.one_of(st.text(max_size=6), st.integers()),
    st.one_of(scalars, st.dictionaries(st.text(max_size=4), scalars, max_size=4),
              st.sampled_from([Colour.RED, Level.HIGH, -0.0])),
    max_size=8,
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(flat_rows, values), max_size=10), st.integers(min_value=1, max_value=4))
def test_flat_rows_written_fast_are_the_same_text(items, batch):
    """Dicts of scalars and of dicts of scalars (the fast path), mixed with anything else."""
    assert "".join(pieces(iter(items), batch=batch)) == reference(items)


def test_target_rows_take_the_fast_path_and_give_the_same_text():
    from chainkg.graph.examples import toy_chain
    from chainkg.graph.targets import targets
    from chainkg.jsontext import _flat_item

    rows = [r.as_dict() for r in targets(toy_chain())]
    assert rows and all(_flat_item(r) is not None for r in rows)
    assert "".join(pieces(rows)) == reference(rows)


# Batches of rows sharing their keys (a query's rows): the column-by-column path. Each key gets one kind of
# column, some plain (one type: the C-speed encoders) and some mixed or odd (the value-by-value fallback).
column_kinds = st.sampled_from(["str", "float", "finite", "int", "str|None", "bool", "mixed", "nested", "nested-odd",
                                "enum"])
kind_values = {
    "str": st.text(), "float": st.floats(allow_nan=True, allow_infinity=True),
    "finite": st.floats(allow_nan=False, allow_infinity=False), "int": st.integers(),
    "str|None": st.one_of(st.none(), st.text()), "bool": st.booleans(), "mixed": scalars,
    "nested": st.fixed_dictionaries({"gap": st.floats(allow_nan=False), "ties": st.floats(), "名%s": st.text()}),
    "nested-odd": st.one_of(st.dictionaries(st.text(max_size=3), scalars, max_size=3), st.just({}), values),
    "enum": st.sampled_from([Colour.RED, Level.HIGH, "x", 1]),
}


@st.composite
def uniform_batches(draw):
    keys = draw(st.lists(st.one_of(st.text(max_size=6), st.just("a%sb"), st.just("%")), min_size=1, max_size=6,
                         unique=True))
    kinds = [draw(column_kinds) for _ in keys]
    n = draw(st.integers(min_value=1, max_value=8))
    return [{k: draw(kind_values[kind]) for k, kind in zip(keys, kinds, strict=True)} for _ in range(n)]


@settings(max_examples=400, deadline=None)
@given(uniform_batches(), st.integers(min_value=1, max_value=5))
def test_rows_sharing_their_keys_written_column_by_column_are_the_same_text(rows, batch):
    assert "".join(pieces(iter(rows), batch=batch)) == reference(rows)


def test_query_rows_take_the_column_path():
    from chainkg.data import kunming
    from chainkg.graph.targets import targets
    from chainkg.jsontext import _uniform_rows

    rows = [r.as_dict() for r in targets(kunming())]
    assert len(rows) > 10 and _uniform_rows(rows) is not None
    assert "".join(pieces(rows, batch=7)) == reference(rows)
