"""Placement precision of the library match rules on the atlas labels (benchmarks/placement_eval.py).

Needs the shared public data (A-share pool and industry-chain-atlas): $CHAINKG_SHARED_DATA, or
$CHAINKG_SHARED/data, or shared/data beside the repo; skips without it. Loads only the library chains the
atlas and list mappings cover (placements in a chain depend only on that chain's rules), ~15 s. Sample C (the
published lists) and the adjudication files live in benchmarks/eval/ and ship with the repo.
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
    chains = sorted({pe.chain_of(t) for sample in ("atlas", "lists") for segs in mapping[sample].values()
                     for ts in segs.values() for t in ts})
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
    missed = s["labels"] - s["recalled"]
    assert text.splitlines()[-1] == (f"dev at 0.5: {s['correct']} right, {s['placements'] - s['correct']} wrong, "
                                     f"{missed} labels missed")


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


@pytest.mark.xfail(strict=True, reason="by labels alone held-out precision at 0.5 is 70.0 % (chain-level); the "
                                       "target is met on adjudicated precision, tested below")
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


# ----------------------------------------------------------------------------- Sample C: published segment lists
def test_benchmark_doctests_pass():
    import doctest

    result = doctest.testmod(_module(), optionflags=doctest.ELLIPSIS)
    assert result.attempted >= 8 and result.failed == 0


def _write_list(tmp_path, segments: list[dict]) -> Path:
    doc = {"chain": "测试链", "sources": [{"id": "t-1", "url": "https://example.org/1", "site": "例", "title": None,
                                           "date": None, "segments": segments}]}
    import yaml

    (tmp_path / "t.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    return tmp_path


def test_list_labels_resolve_names_skip_marked_lists_and_dedupe(tmp_path):
    pe = _module()
    folder = _write_list(tmp_path, [
        {"segment": "硅片", "quote": "q", "firms": [{"name": "隆基绿能"}, {"name": "TCL中环", "code": "002129"}]},
        {"segment": "硅片", "quote": "q", "firms": [{"name": "隆基"}]},             # same pair again, short name
        {"segment": "组件", "quote": "q", "skip": "heading inferred", "firms": [{"name": "隆基绿能"}]},
        {"segment": "重点标的", "quote": "q", "firms": [{"name": "隆基绿能"}]},       # unmapped
        {"segment": "硅片", "quote": "q", "firms": [{"name": "隆基绿能", "code": "002129"}, {"name": "博世"},
                                                   {"name": "通威股份"}]},
    ])
    mapping = {"lists": {"t.yaml": {"硅片": ["seg:lib:pv:wafer"], "重点标的": []}},
               "lists_renames": {"TCL中环": "002129"}, "lists_not_pool": ["博世"]}
    firms = {"601012": ["隆基股份", "隆基绿能科技股份有限公司"], "002129": ["中环股份", "天津中环半导体股份有限公司"],
             "300422": ["博世科", "广西博世科环保科技股份有限公司"]}
    labels, info = pe.list_labels(folder, mapping, firms)
    # by hand: 隆基 (three spellings, one pair) and 中环 in 硅片; 组件 skipped; 重点标的 unmapped;
    # 隆基绿能 with 中环's code is a mismatch; 博世 is Bosch; 通威 is not in this pool
    assert sorted((lab.code, lab.segment) for lab in labels) == [("002129", "硅片"), ("601012", "硅片")]
    assert info["skipped_lists"] == ["t-1 组件: heading inferred"]
    assert info["unmapped_segments"] == ["t.yaml:重点标的"]
    assert info["name_mismatch"] == ["002129 隆基绿能"]
    assert info["not_in_pool"] == ["博世", "通威股份"]


def test_list_labels_refuse_a_segment_the_mapping_lacks(tmp_path):
    pe = _module()
    folder = _write_list(tmp_path, [{"segment": "电池片", "quote": "q", "firms": [{"name": "通威股份"}]}])
    with pytest.raises(SystemExit, match="电池片"):
        pe.list_labels(folder, {"lists": {"t.yaml": {"硅片": ["seg:lib:pv:wafer"]}}}, {})


def test_own_chain_precision_judges_a_firm_only_in_its_labelled_chains():
    pe = _module()
    lab = pe.Label("300750", "宁德时代", "battery.yaml", "电芯", frozenset({"seg:lib:battery:cell"}))
    other = pe.Label("300274", "阳光电源", "storage.yaml", "PCS", frozenset({"seg:lib:storage:pcs"}))
    placed = {"300750": {"seg:lib:battery:cell", "seg:lib:storage:li-cell"}, "300274": {"seg:lib:storage:pcs"}}
    chains = {"battery", "storage"}
    # by hand: all covered chains → 宁德's storage placement is judged (wrong): 2 of 3; own chains → 2 of 2
    assert pe.score([lab, other], placed, chains)["precision"] == 2 / 3
    assert pe.score([lab, other], placed, chains, own_chains=True)["precision"] == 1.0


def test_lists_sample_is_the_expected_size(built):
    pe, mapping, kg = built
    labels, info = pe.list_labels(pe.LISTS, mapping, pe.pool_firms(kg))
    assert len(info["files"]) == 8 and all(f["sources"] >= 3 for f in info["files"].values())
    assert len(labels) >= 300 and len({lab.code for lab in labels}) >= 200
    assert all(pe.half_of(lab.code) in ("dev", "held-out") for lab in labels)


# ----------------------------------------------------------------------------- adjudicated precision
#: Adjudicated precision at 0.5 when the assessors' verdicts were recorded (benchmarks/README.md, "Placement
#: precision", fourth pass): atlas held-out 86.0 %, all 90.5 %; lists held-out 78.5 %, all 84.3 % (after the
#: recall pass of eb19c35). A placement added by a later rule change that nobody judged counts as wrong, so
#: these fail until new disputed placements are adjudicated.
ADJUDICATED_FLOOR = {("atlas", "held-out"): TARGET, ("atlas", "all"): TARGET,
                     ("lists", "all"): TARGET, ("lists", "held-out"): 0.77}


@pytest.mark.parametrize(("sample", "half"), sorted(ADJUDICATED_FLOOR))
def test_adjudicated_precision_holds(result, sample, half):
    r = result["adjudicated"][sample][half]
    assert r["precision"] >= ADJUDICATED_FLOOR[sample, half], r


def test_assessors_said_no_to_almost_every_control_item(result):
    rec = result["adjudicated"]["assessors"]
    # 40 controls: segments of the same chain the firm was neither placed in nor labelled with (3 yes, all true)
    assert sum(rec["controls"].values()) >= 30 and rec["control_yes_rate"] <= 0.10, rec


def test_adjudication_refuses_a_missing_or_unknown_verdict(tmp_path):
    pe = _module()
    import yaml

    (tmp_path / "items.yaml").write_text(yaml.safe_dump([
        {"id": "Q001", "stock_code": "600001", "segment_id": "seg:lib:ic:fab", "kind": "placed"},
        {"id": "Q002", "stock_code": "600001", "segment_id": "seg:lib:ic:eda-ip", "kind": "decoy"}]))
    (tmp_path / "verdicts-a.yaml").write_text(yaml.safe_dump([{"id": "Q001", "verdict": "yes"}]))
    with pytest.raises(SystemExit, match="Q002"):
        pe.load_adjudication(tmp_path)
    (tmp_path / "verdicts-a.yaml").write_text(yaml.safe_dump([{"id": "Q001", "verdict": "yes"},
                                                              {"id": "Q002", "verdict": "maybe"}]))
    with pytest.raises(SystemExit, match="maybe"):
        pe.load_adjudication(tmp_path)
    (tmp_path / "verdicts-a.yaml").write_text(yaml.safe_dump([{"id": "Q001", "verdict": "yes"},
                                                              {"id": "Q002", "verdict": "no"}]))
    verdicts, record = pe.load_adjudication(tmp_path)
    assert verdicts == {("600001", "seg:lib:ic:fab"): "yes"}
    assert record["controls"] == {"no": 1} and record["control_yes_rate"] == 0.0


def test_lists_precision_does_not_regress(result):
    # raw precision on Sample C (labels only) at 0.5 after the recall pass (eb19c35): held-out 64.6 % (65
    # placements), all 66.9 % (127)
    s = result["lists"]["sweep"][0.5]
    assert s["held-out"]["precision"] >= 0.64 and s["all"]["precision"] >= 0.64, s
