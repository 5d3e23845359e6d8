"""The public evaluation cases: their data is well formed, and chainkg's recall on them does not fall back.

The numbers are measured by ``benchmarks/eval_gaps.py`` (method and rules in its docstring and in
benchmarks/README.md); these floors are the values of the commit that introduced them, so a change that
loses published gaps fails here.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest
import yaml

from helpers import shared_dir

ROOT = Path(__file__).resolve().parents[1]
CASES = sorted((ROOT / "benchmarks" / "eval" / "cases").glob("*.yaml"))


def _runner():
    spec = importlib.util.spec_from_file_location("eval_gaps", ROOT / "benchmarks" / "eval_gaps.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["eval_gaps"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_case_is_well_formed(path):
    case = yaml.safe_load(path.read_text(encoding="utf-8"))
    sources = {s["id"] for s in case["sources"]}
    assert sources and all(s.get("url") and s.get("title") for s in case["sources"])
    assert case["firms"] and len(case["gaps"]) >= 5
    for item in [*case["firms"], *case["gaps"]]:
        assert item["source"] in sources and item.get("quote"), item
    assert all(g["kind"] in ("upstream", "midstream", "downstream", "supply", "capability") for g in case["gaps"])


def test_every_firm_code_is_a_gbt_class():
    table = shared_dir() / "data" / "gbt4754-2017" / "industries.csv"
    if not table.exists():
        pytest.skip("shared/ data not found")
    classes = {line.split(",")[0] for line in table.read_text(encoding="utf-8").splitlines()[1:]}
    for path in CASES:
        for firm in yaml.safe_load(path.read_text(encoding="utf-8"))["firms"]:
            assert str(firm["gbt"]) in classes, (path.stem, firm["name"], firm["gbt"])


#: Published gaps found per case when these floors were set (see benchmarks/README.md).
FLOORS = {"chongqing_ic_packaging": 4, "chongqing_synthetic_materials": 2, "dadukou_glassfiber": 1,
          "huaian_pcb": 3, "suining": 5}


def test_recall_does_not_fall_back():
    results = {r.case: r for r in map(_runner().evaluate, CASES)}
    assert len(results) >= 3
    for case, floor in FLOORS.items():
        assert results[case].found >= floor, (case, results[case].missed, results[case].unmapped)
