"""A user's mistake is one clear line and exit 1; a bug keeps its traceback."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from chainkg.cli import main
from chainkg.data import kunming
from chainkg.errors import ChainkgError, DataError, InvalidArgument, NotFoundError, UnknownType
from chainkg.graph import queries
from chainkg.graph.workspace import save


def test_project_without_status_is_a_data_error_naming_it(tmp_path):
    kg = kunming()
    project = sorted(kg.nodes("Project"))[0]
    del kg.g.nodes[project]["status"]  # as a hand-edited workspace file would hold it
    ws = tmp_path / "ws.json"
    save(kg, ws)
    r = CliRunner().invoke(main, ["--graph", str(ws), "pipeline"])
    assert r.exit_code == 1
    assert r.output.startswith("Error: Project ") and repr(project) in r.output and "has no status" in r.output
    assert r.output.count("\n") == 1
    with pytest.raises(DataError, match=repr(project)):
        queries.pipeline(kg)


def test_a_bug_inside_a_query_keeps_its_traceback(monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setitem(queries.QUERIES, "missing", queries.Query(**{**queries.QUERIES["missing"].__dict__,
                                                                    "function": broken}))
    r = CliRunner().invoke(main, ["gaps", "missing"])
    assert isinstance(r.exception, RuntimeError)
    assert "Error:" not in r.output


def test_unknown_names_suggest_close_ones():
    with pytest.raises(NotFoundError, match=r"unknown chain '电池'; did you mean 新能源电池\?"):
        queries.missing(kunming(), chain="电池")
    r = CliRunner().invoke(main, ["gaps", "missing", "--chain", "电池"])
    assert r.exit_code == 1 and "did you mean 新能源电池" in r.output


def test_error_classes_are_both_chainkg_errors_and_the_builtin_they_replace():
    assert issubclass(InvalidArgument, ValueError) and issubclass(InvalidArgument, ChainkgError)
    assert issubclass(UnknownType, KeyError) and str(UnknownType("unknown node type 'X'")) == "unknown node type 'X'"
    with pytest.raises(InvalidArgument):
        queries.extend(kunming(), k=0)


def test_library_messages_do_not_name_cli_flags():
    kg = kunming()
    kg.meta.pop("home_region")
    with pytest.raises(ChainkgError) as e:
        queries.missing(kg)
    assert "--" not in str(e.value)
