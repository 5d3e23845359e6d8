"""The README's tour shows real output: each command's current output appears in it verbatim.

The tour is in Chinese, the CLI's default language, as a 100-column terminal shows it (COLUMNS=100).
"""

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
    ["gaps", "supply", "--chain", "新能源电池"],
    ["pipeline", "--as-of", "2024-01-15"],
]


@pytest.fixture
def tour(monkeypatch):
    """The tour's terminal: Chinese (CHAINKG_LANG unset), 100 columns."""
    monkeypatch.delenv("CHAINKG_LANG", raising=False)
    monkeypatch.setenv("COLUMNS", "100")


@pytest.mark.parametrize("argv", SHOWN, ids=" ".join)
def test_readme_output_is_current(runner, argv, tour):
    r = runner.invoke(main, argv)
    assert r.exit_code == 0
    assert r.output.rstrip() in README, f"README output of `chainkg {' '.join(argv)}` is stale"


WALKTHROUGH = [
    ["templates", "use", "新能源电池", "--into", "suining.chainkg", "--home-region", "遂宁市", "--home-level", "city"],
    ["import", "register", "遂宁企业名录.csv", "--into", "suining.chainkg"],
    ["--graph", "suining.chainkg", "match"],
    ["--graph", "suining.chainkg", "gaps", "missing"],
    ["--graph", "suining.chainkg", "gaps", "capability"],
    ["--graph", "suining.chainkg", "gaps", "supply"],
]


def test_register_walkthrough_output_is_current(runner, tmp_path, monkeypatch, tour):
    """The README's any-city walkthrough: a register and library templates only, each step's real output."""
    import shutil

    root = Path(__file__).resolve().parents[1]
    shutil.copy(root / "benchmarks" / "eval" / "registers" / "suining.csv", tmp_path / "遂宁企业名录.csv")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CHAINKG_NO_CACHE", "1")
    for argv in WALKTHROUGH:
        r = runner.invoke(main, argv)
        assert r.exit_code == 0, r.output
        shown = f"$ chainkg {' '.join(argv)}\n{r.output.rstrip()}\n"
        assert shown in README, f"README output of `chainkg {' '.join(argv)}` is stale"
