"""The schema declaration and the rules derived from it."""

import pytest

from chainkg.schema import PIPELINE_STAGES, SCHEMA, check_edge, check_node, coerce
from chainkg.schema.cypher import constraint_statements
from chainkg.schema.docs import schema_markdown

OK = {"provenance": "template", "source": "s"}


def fields(problems):
    return sorted((p.field, p.reason) for p in problems)


def test_required_types_and_relationships_are_declared():
    for t in ("Chain", "Segment", "Enterprise", "Leader", "Project", "Region", "Event", "Source", "Statistic"):
        assert SCHEMA.has_node_type(t)
    ends = {r.name: (r.sources, r.targets) for r in SCHEMA.rel_types}
    assert ends["FEEDS"] == (("Segment",), ("Segment",))
    assert ends["OPERATES_IN"] == (("Enterprise",), ("Segment",))
    assert ends["ANCHORS"] == (("Enterprise",), ("Chain",))
    assert ends["SIGNED_AT"] == (("Project",), ("Event",))
    assert PIPELINE_STAGES == ("谋划", "在谈", "签约", "落地", "开工", "投产", "增资")


def test_required_fields_enum_minimum_and_unknown_property():
    problems = check_node("Project", {"id": "p", "status": "完成", "agreed_amount": -1, "colour": "red", **OK})
    assert fields(problems) == [
        ("agreed_amount", "must be ≥ 0, got -1"),
        ("colour", "is not a property of this type"),
        ("name", "is required"),
        ("status", "'完成' is not one of 谋划, 在谈, 签约, 落地, 开工, 投产, 增资"),
    ]


def test_provenance_rules():
    base = {"id": "c", "name": "x", "verified": False}
    assert fields(check_node("Chain", {**base, "source": "s"})) == [("provenance", "is required")]
    assert fields(check_node("Chain", {**base, "provenance": "guess", "source": "s"})) == [
        ("provenance", "'guess' is not one of stated, template, inferred")]
    assert fields(check_node("Chain", {**base, "provenance": "inferred", "source": "s"})) == [
        ("evidence", "is required when provenance is inferred (the reason)")]
    assert check_node("Chain", {**base, "provenance": "template", "source": "s"}) == []
    # A Source describes itself: no provenance needed.
    assert check_node("Source", {"id": "s", "title": "article"}) == []


def test_edge_endpoint_types():
    problems = check_edge("FEEDS", OK, "Enterprise", "Segment")
    assert fields(problems) == [("from", "FEEDS must start at Segment, not Enterprise")]
    assert check_edge("LOCATED_IN", {**OK, "role": "hq"}, "Project", "Region") == []
    assert fields(check_edge("LOCATED_IN", {**OK, "role": "home"}, "Project", "Region")) == [
        ("role", "'home' is not one of hq, site, office, project")]


@pytest.mark.parametrize(("prop", "raw", "expected"), [
    ("verified", "是", True), ("verified", "false", False), ("verified", "0", False),
])
def test_coerce_bool(prop, raw, expected):
    assert coerce(SCHEMA.node_type("Chain").prop(prop), raw) is expected


def test_coerce_errors():
    amount = SCHEMA.node_type("Project").prop("agreed_amount")
    assert coerce(amount, "1,168.02") == 1168.02
    for bad in ("abc", "nan", "inf"):
        with pytest.raises(ValueError):
            coerce(amount, bad)
    date = SCHEMA.node_type("Project").prop("signed_date")
    assert coerce(date, "2023-08") == "2023-08"
    with pytest.raises(ValueError, match="no such date"):
        coerce(date, "2023-02-30")
    order = SCHEMA.node_type("Segment").prop("order")
    with pytest.raises(ValueError, match="whole number"):
        coerce(order, "1.5")


def test_ddl_and_docs_cover_every_type():
    ddl = " ".join(constraint_statements())
    # one key for every node type, on chainkg's own label: it never constrains data that is not chainkg's
    assert "FOR (n:Chainkg) REQUIRE (n._graph, n.id) IS UNIQUE" in ddl
    for nt in SCHEMA.node_types:
        assert f"(n:{nt.name})" not in ddl
    md = schema_markdown()
    for t in (*SCHEMA.node_types, *SCHEMA.rel_types):
        assert f"`{t.name}`" in md
    assert "`协议金额`" in md  # Chinese column aliases are documented


def test_docs_schema_reference_is_up_to_date():
    from pathlib import Path

    doc = Path(__file__).resolve().parents[1] / "docs" / "schema.md"
    assert doc.read_text(encoding="utf-8") == schema_markdown(), "run: chainkg schema > docs/schema.md"
