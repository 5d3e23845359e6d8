"""Placement precision of the library match rules on the atlas labels (benchmarks/placement_eval.py).

Needs the shared public data (A-share pool and industry-chain-atlas): $CHAINKG_SHARED_DATA, or
$CHAINKG_SHARED/data, or shared/data beside the repo; skips without it. Loads only the library chains the
atlas mapping covers (placements in a chain depend only on that chain's rules), ~10 s.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

import pytest

from helpers import shared_dir

ROOT = Path(__file__).resolve().parents[1]


def _data() -> Path:
    env = os.environ.get("CHAINKG_SHARED_DATA")
    return Path(env) if env else shared_dir() / "data"


DATA = _data()
pytestmark = pytest.mark.skipif(
    not (DATA / "chainkg-a-share").is_dir() or not (DATA / "industry-chain-atlas").is_dir(),
    reason=f"shared A-share/atlas data not found at {DATA} (CI has it)",
)

#: Held-out precision at the default confidence measured after the side-line rule of the `prec10` branch
#: (70.0 %; 63.6 % after `gaps10`, 61.4 % after the first pass; see benchmarks/README.md "Placement precision");
#: a rule change that lowers it fails.
HELD_OUT_FLOOR = 0.70
#: Issue 10's target. Not reached yet: the test below is a strict xfail, so it fails (XPASS) once it is.
TARGET = 0.80


def _module():
    spec = importlib.util.spec_from_file_location("placement_eval", ROOT / "benchmarks" / "placement_eval.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod  # dataclasses look their module up
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def built():
    pe = _module()
    mapping = pe.load_mapping()
    chains = sorted({pe.chain_of(t) for segs in mapping["atlas"].values() for ts in segs.values() for t in ts})
    kg, _ = pe.build_workspace(DATA, chains)
    return pe, mapping, kg


@pytest.fixture(scope="module")
def result(built):
    pe, mapping, kg = built
    return pe.evaluate(kg, DATA, sweep=(0.5,), default=0.5, mapping=mapping, with_kunming=False)


def test_dev_report_lists_only_dev_firms_and_agrees_with_the_score(built, result):
    pe, mapping, kg = built
    text = pe.dev_report(kg, DATA, 0.5, mapping)
    codes = [line.split()[0] for line in text.splitlines() if line[:1].isdigit()]
    assert codes and all(pe.half_of(c) == "dev" for c in codes)
    s = result["atlas"]["sweep"][0.5]["dev"]
    assert text.splitlines()[-1] == f"dev at 0.5: {s['correct']} right, {s['placements'] - s['correct']} wrong"


def test_atlas_sample_is_the_expected_size(result):
    s = result["atlas"]["sweep"][0.5]
    assert s["dev"]["labels"] >= 80 and s["held-out"]["labels"] >= 80
    assert len(result["atlas"]["info"]["unmapped_segments"]) <= 3


def test_held_out_precision_does_not_regress(result):
    s = result["atlas"]["sweep"][0.5]["held-out"]
    assert s["precision"] >= HELD_OUT_FLOOR, s


def test_dev_precision_meets_the_target(result):
    s = result["atlas"]["sweep"][0.5]["dev"]
    assert s["precision"] >= TARGET, s


@pytest.mark.xfail(strict=True, reason="issue 10 target not met: held-out precision at 0.5 is 70.0 % (chain-level)")
def test_held_out_precision_meets_the_target(result):
    s = result["atlas"]["sweep"][0.5]["held-out"]
    assert s["precision"] >= TARGET, s


def test_role_precision_counts_a_placement_the_label_source_names_in_its_own_words():
    pe = _module()
    lab = pe.Label("600001", "甲", "f.yaml", "atlas_seg", frozenset({"seg:lib:ic:design"}))
    placed = {"600001": {"seg:lib:ic:design", "seg:lib:ic:fab", "seg:lib:ic:packaging"}}
    # by hand: 1 of 3 placements in a mapped segment; the atlas's words name ic:fab too → 2 of 3
    s = pe.score([lab], placed, {"ic"}, support={"600001": {"seg:lib:ic:fab"}})
    assert (s["precision"], s["role_correct"], s["role_precision"]) == (1 / 3, 2, 2 / 3)
    assert "role_precision" not in pe.score([lab], placed, {"ic"})


def test_role_support_reads_the_segment_names_and_keywords_in_the_atlas_words(built):
    pe, _, kg = built
    words = {"600001": "国内最大晶圆代工厂", "600002": "键合丝"}
    support = pe.role_support(kg, words, ["600001", "600002", "600003"], {"ic", "nonferrous"})
    assert "seg:lib:ic:fab" in support["600001"]
    assert "seg:lib:nonferrous:electronic-materials" in support["600002"]
    assert support["600003"] == set()
