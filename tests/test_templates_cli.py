"""``chainkg templates``: the national library from the command line; export → edit → load back."""

from __future__ import annotations

import json

from click.testing import CliRunner

from chainkg.cli import main
from chainkg.graph.workspace import load
from chainkg.loaders.library import library_chains


def test_list_shows_every_library_chain():
    r = CliRunner().invoke(main, ["templates", "list", "--format", "json"])
    assert r.exit_code == 0
    rows = json.loads(r.output)
    assert len(rows) == len(library_chains()) >= 28
    assert all(row["basis"] and row["segments"] >= 12 for row in rows)


def test_show_and_unknown_name_suggests():
    runner = CliRunner()
    r = runner.invoke(main, ["templates", "show", "新能源電池"])
    assert r.exit_code == 0 and "电芯制造" in r.output and "basis:" in r.output
    r = runner.invoke(main, ["templates", "show", "电池"])
    assert r.exit_code == 1 and "did you mean 新能源电池" in r.output


def test_use_sets_home_region_and_keeps_cross_feeds_between_chosen_chains(tmp_path):
    ws = tmp_path / "city.chainkg"
    r = CliRunner().invoke(main, ["templates", "use", "光伏", "稀贵金属与有色新材料", "--into", str(ws),
                                  "--home-region", "曲靖市", "--home-level", "city"])
    assert r.exit_code == 0, r.output
    kg = load(ws)
    assert kg.meta["home_region"] == "region:曲靖市"
    assert kg.has_edge("seg:lib:nonferrous:silver-paste", "seg:lib:pv:cell", "FEEDS")
    r = CliRunner().invoke(main, ["--graph", str(ws), "gaps", "capability", "--chain", "光伏", "--format", "json"])
    assert r.exit_code == 0 and json.loads(r.output), "a workspace with no firm has every support segment as a gap"


def test_export_edit_load_back(tmp_path):
    runner = CliRunner()
    out = tmp_path / "pv.yaml"
    assert runner.invoke(main, ["templates", "export", "光伏", "-o", str(out)]).exit_code == 0
    text = out.read_text(encoding="utf-8").replace("name: \"光伏\"\n", "name: \"光伏（本市版）\"\n", 1)
    out.write_text(text, encoding="utf-8")
    ws = tmp_path / "ws.json"
    r = runner.invoke(main, ["load", str(out), "--into", str(ws)])
    assert r.exit_code == 0, r.output
    assert load(ws).get("chain:lib:pv")["name"] == "光伏（本市版）"
