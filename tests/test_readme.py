"""The README's tour shows real output: each command's current output appears in it verbatim."""

from pathlib import Path

import pytest

from chainkg.cli import main

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")

SHOWN = [
    ["info"],
    ["show", "孚能科技"],
    ["gaps", "missing", "--chain", "新能源电池"],
    ["targets", "--chain", "新能源电池", "--explain", "--limit", "6"],
    ["gaps", "coverage", "--chain", "新能源电池"],
    ["gaps", "weak", "--chain", "新能源电池"],
    ["gaps", "extend", "--chain", "新能源电池"],
    ["gaps", "dependencies"],
    ["gaps", "chokepoints", "--chain", "新能源电池"],
    ["pipeline", "--as-of", "2024-01-15"],
]


@pytest.mark.parametrize("argv", SHOWN, ids=" ".join)
def test_readme_output_is_current(runner, argv):
    r = runner.invoke(main, argv)
    assert r.exit_code == 0
    assert r.output.rstrip() in README, f"README output of `chainkg {' '.join(argv)}` is stale"
