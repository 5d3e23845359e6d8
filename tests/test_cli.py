"""The command line as a user meets it: output, exit codes, one-line errors, all-or-nothing loads."""

from __future__ import annotations

import json

import click
import pytest

from chainkg.cli import main
from helpers import write_csv


def run(runner, *args, graph=None):
    argv = (["--graph", str(graph)] if graph else []) + [str(a) for a in args]
    return runner.invoke(main, argv, catch_exceptions=False)


def test_load_then_info_show_search(runner, mini, tmp_path):
    ws = tmp_path / "city.json"
    r = run(runner, "load", mini, "--into", ws)
    assert r.exit_code == 0, r.output
    assert "nodes +7 added" in r.output
    r = run(runner, "info", "--format", "json", graph=ws)
    data = json.loads(r.output)
    assert data["nodes"] == {"Chain": 1, "Enterprise": 1, "Region": 2, "Segment": 2, "Source": 1}
    assert data["edges"] == {"FEEDS": 1, "HAS_SEGMENT": 2, "LOCATED_IN": 1, "PART_OF": 1}
    assert data["chains"] == [{"chain": "新能源电池", "tier": "8", "verified": True, "segments": 2,
                               "enterprises": 0, "anchors": 0, "projects": 0}]
    # 7 nodes with provenance minus the Source, plus 5 relationships.
    assert data["provenance"] == {"inferred": 1, "stated": 5, "template": 5}
    r = run(runner, "show", "新能源電池", graph=ws)
    assert r.exit_code == 0
    assert r.output.splitlines()[0] == "新能源电池  [Chain]  id=chain:bat"
    assert "evidence: 接续重点打造生物医药、新能源电池" in r.output
    assert "电芯制造" in r.output and "HAS_SEGMENT" in r.output
    r = run(runner, "search", "能", "--format", "csv", graph=ws)
    assert r.output.splitlines() == ["\ufeffid,type,name,aliases", "ent:a,Enterprise,孚能科技,孚能",
                                     "chain:bat,Chain,新能源电池,新能源電池"]


def test_bad_rows_refused_workspace_unchanged_then_fixed_load_is_idempotent(runner, mini, tmp_path):
    ws = tmp_path / "city.json"
    assert run(runner, "load", mini, "--into", ws).exit_code == 0
    before = ws.read_bytes()
    rows = [
        {"id": "proj:1", "name": "好", "status": "签约", "agreed_amount": "1", "provenance": "stated",
         "source": "src:t", "evidence": "…"},
        {"id": "proj:2", "name": "坏1", "status": "签了", "provenance": "stated", "source": "src:t", "evidence": "…"},
        {"id": "proj:3", "name": "坏2", "status": "签约", "agreed_amount": "-3", "provenance": "stated",
         "source": "src:nope", "evidence": "…"},
        {"id": "proj:1", "name": "坏3", "status": "签约", "provenance": "stated", "source": "src:t", "evidence": "…"},
    ]
    bad = write_csv(tmp_path / "new" / "projects.csv", rows)
    r = runner.invoke(main, ["load", str(bad), "--into", str(ws)])
    assert r.exit_code == 1
    lines = r.output.strip().splitlines()
    assert lines == [
        f"{bad}, row 3, column status: '签了' is not one of 谋划, 在谈, 签约, 落地, 开工, 投产, 增资",
        f"{bad}, row 4, column agreed_amount: must be ≥ 0, got -3",
        f"{bad}, row 5, column id: duplicate id 'proj:1' (first at {bad}, row 2)",
        f"{bad}, row 4, column source: unknown reference 'src:nope' (no such Source)",
        "Error: 4 errors; nothing was loaded",
    ]
    assert "Traceback" not in r.output
    assert ws.read_bytes() == before
    write_csv(bad, [rows[0], {**rows[1], "status": "在谈"}, {**rows[2], "agreed_amount": "3", "source": "src:t"}])
    r = run(runner, "load", bad, "--into", ws)
    assert "nodes +3 added" in r.output
    after_first = ws.read_bytes()
    r = run(runner, "load", bad, "--into", ws)
    assert "nodes +0 added, 0 updated, 3 unchanged" in r.output
    assert ws.read_bytes() == after_first


def test_errors_are_one_line_with_nonzero_exit(runner, tmp_path):
    r = runner.invoke(main, ["--graph", str(tmp_path / "none.json"), "info"])
    assert r.exit_code == 1
    assert r.output == f"Error: {tmp_path / 'none.json'}: no such workspace file\n"
    r = runner.invoke(main, ["show", "没有这个公司"])
    assert r.exit_code == 1 and r.output.startswith("Error: no node named") and r.output.count("\n") == 1


def test_graph_from_environment_variable(runner, mini, tmp_path, monkeypatch):
    ws = tmp_path / "env.json"
    run(runner, "load", mini, "--into", ws)
    monkeypatch.setenv("CHAINKG_GRAPH", str(ws))
    r = runner.invoke(main, ["show", "孚能"])
    assert r.exit_code == 0 and "孚能科技  [Enterprise]" in r.output


def test_validate_and_export(runner, mini, tmp_path):
    r = run(runner, "validate", mini)
    assert r.exit_code == 0 and r.output.startswith("ok:")
    ws = tmp_path / "w.json"
    run(runner, "load", mini, "--into", ws)
    for fmt, out in (("graphml", tmp_path / "g.graphml"), ("json", tmp_path / "g.json"), ("csv", tmp_path / "csv")):
        r = run(runner, "export", "--format", fmt, "-o", out, graph=ws)
        assert r.exit_code == 0, r.output
        assert out.exists()


def test_table_output_aligns_cjk(runner, mini, tmp_path):
    ws = tmp_path / "w.json"
    run(runner, "load", mini, "--into", ws)
    r = run(runner, "search", "市", graph=ws)  # 昆明市 and 云南省? only names containing 市
    lines = r.output.splitlines()
    from chainkg.output import display_width

    # Every data line starts its "type" column at the same display column as the header.
    col = display_width(lines[0][: lines[0].index("type")])
    for line in lines[2:]:
        prefix = line.split("Region")[0]
        assert display_width(prefix) == col


def test_every_command_has_help_with_an_example(runner):
    for cmd in main.commands:
        r = runner.invoke(main, [cmd, "--help"])
        assert r.exit_code == 0
        assert "Example" in r.output, cmd


def _command_paths(group=main, path=()):
    for name, cmd in sorted(group.commands.items()):
        yield (*path, name)
        if isinstance(cmd, click.Group):
            yield from _command_paths(cmd, (*path, name))


@pytest.mark.parametrize("path", list(_command_paths()), ids=" ".join)
def test_every_command_summarises_itself_in_chinese_first(runner, monkeypatch, path):
    """Chinese (the default): the command's --help opens with its Chinese summary, and its group lists it;
    English: neither (the English description is there in both; option texts: tests/test_help_zh.py)."""
    from chainkg.help_text import SUMMARY_ZH
    from chainkg.output import display_width

    zh = SUMMARY_ZH[" ".join(path)]
    assert any("\u4e00" <= c <= "\u9fff" for c in zh) and display_width(zh) <= 58  # fits a line of --help
    monkeypatch.delenv("CHAINKG_LANG", raising=False)
    monkeypatch.setenv("COLUMNS", "100")
    r = runner.invoke(main, [*path, "--help"])
    assert r.exit_code == 0
    assert r.output.split("\n\n")[1].strip() == zh
    listing = runner.invoke(main, [*path[:-1], "--help"]).output
    assert f"  {path[-1]} " in listing and zh in listing
    en = runner.invoke(main, ["--lang", "en", *path, "--help"]).output
    assert zh not in en and en.split("\n\n")[1].strip() == r.output.split("\n\n")[2].strip()


def test_chainkg_help_in_both_languages(runner, monkeypatch):
    monkeypatch.delenv("CHAINKG_LANG", raising=False)
    zh = runner.invoke(main, ["--help"]).output
    assert zh.split("\n\n")[1] == ("  chainkg——面向招商引资的产业链知识图谱。\n"
                                     "  全景图对照现状图，找出补链、强链、延链方向和招商目标。")
    assert "  info       概览：" in zh
    for argv, env in ((["--lang", "en", "--help"], None), (["--help"], "en")):
        if env:
            monkeypatch.setenv("CHAINKG_LANG", env)
        en = runner.invoke(main, argv).output
        assert "产业链知识图谱。" not in en and "  info       Summarise the graph" in en


def test_types_in_chinese_and_unknown_types(runner):
    """Chinese type names work wherever types are taken; a misspelt one is an error, not '(no rows)'."""
    r = runner.invoke(main, ["search", "电池", "--type", "企业", "--format", "json"])
    assert r.exit_code == 0 and '"type": "Enterprise"' in r.output
    r = runner.invoke(main, ["search", "电池", "--type", "Enterprse"])
    assert r.exit_code == 1 and "did you mean Enterprise" in r.output


def test_every_gap_query_takes_limit(runner):
    import json

    full = json.loads(runner.invoke(main, ["gaps", "missing", "--format", "json"]).output)
    two = json.loads(runner.invoke(main, ["gaps", "missing", "--format", "json", "--limit", "2"]).output)
    assert len(full) > 2 and two == full[:2]
