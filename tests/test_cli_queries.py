"""The analyst commands on the bundled Kunming graph and on a saved hand-built workspace."""

from __future__ import annotations

import json

import pytest
from test_gaps import kg as hand_built  # noqa: F401 - fixture

from chainkg.cli import main
from chainkg.graph import save

COMMANDS = [
    ["gaps", "coverage"], ["gaps", "missing"], ["gaps", "weak"], ["gaps", "extend"], ["gaps", "dependencies"],
    ["gaps", "chokepoints"], ["targets"], ["pipeline"],
]


@pytest.mark.parametrize("cmd", COMMANDS, ids=lambda c: " ".join(c))
def test_every_command_answers_on_kunming_and_json_is_stable(runner, cmd):
    first = runner.invoke(main, [*cmd, "--format", "json"])
    assert first.exit_code == 0, first.output
    second = runner.invoke(main, [*cmd, "--format", "json"])
    assert first.output == second.output
    json.loads(first.output)
    for fmt in ("table", "csv"):
        extra = ["--section", "status"] if fmt == "csv" and cmd == ["pipeline"] else []
        r = runner.invoke(main, [*cmd, "--format", fmt, *extra])
        assert r.exit_code == 0, r.output


@pytest.mark.parametrize("cmd", COMMANDS, ids=lambda c: " ".join(c))
def test_unknown_region_and_chain_are_one_line_errors(runner, cmd):
    r = runner.invoke(main, [*cmd, "--region", "火星"])
    assert r.exit_code == 1 and r.output == "Error: unknown region '火星'\n"
    r = runner.invoke(main, [*cmd, "--chain", "航天"])
    assert r.exit_code == 1 and r.output == "Error: unknown chain '航天'\n"


def test_targets_explain_shows_score_parts(runner):
    r = runner.invoke(main, ["targets", "--chain", "新能源电池", "--explain", "--wide"])  # --wide: every column
    assert r.exit_code == 0
    header = r.output.splitlines()[0].split()
    assert header[:7] == ["score", "enterprise", "chain", "segment", "gap", "hq", "placement"]
    assert header[7:] == ["part_gap", "part_ties", "part_lists", "part_region", "part_pipeline", "why"]


def test_hand_built_workspace_through_the_cli(runner, hand_built, tmp_path):  # noqa: F811
    ws = tmp_path / "w.json"
    save(hand_built, ws)
    r = runner.invoke(main, ["--graph", str(ws), "gaps", "missing", "--format", "csv"])
    lines = r.output.removeprefix("\ufeff").splitlines()
    assert lines[0].startswith("chain,segment,segment_id,stage,score")
    assert [line.split(",")[2] for line in lines[1:]] == ["A1", "A4", "B3", "A3", "C1"]
    r = runner.invoke(main, ["--graph", str(ws), "targets", "--weight", "tie=0", "--weight", "lists.世界500强=10",
                             "--format", "json"])
    assert [(d["enterprise_id"], d["score"]) for d in json.loads(r.output)] == [("f2", 14.0), ("f7", 6.0),
                                                                                ("f3", 3.0)]
    wfile = tmp_path / "w.yaml"
    wfile.write_text("tie: 0\nlists:\n  世界500强: 10\n", encoding="utf-8")
    r2 = runner.invoke(main, ["--graph", str(ws), "targets", "--weights", str(wfile), "--format", "json"])
    assert r2.output == r.output
    r = runner.invoke(main, ["--graph", str(ws), "targets", "--weight", "size=2"])
    assert r.exit_code == 1 and "unknown weight 'size'" in r.output
    r = runner.invoke(main, ["--graph", str(ws), "pipeline", "--as-of", "2024-01-15", "--section", "conversion",
                             "--format", "csv"])
    assert r.output.splitlines()[2] == "落地率 (落地/签约),1,2,0.5"
    assert r.output.startswith("\ufeffrate,")
    r = runner.invoke(main, ["--graph", str(ws), "gaps", "extend", "--k", "2", "--format", "json"])
    assert [d["segment_id"] for d in json.loads(r.output)] == ["B3", "A1", "A4", "A3"]
