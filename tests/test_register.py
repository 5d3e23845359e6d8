"""A bureau's firm register: read as it is, placed by industry code and business scope, refused row by row."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from click.testing import CliRunner

from chainkg.cli import main
from chainkg.graph.kg import KnowledgeGraph
from chainkg.graph.match import match
from chainkg.graph.scope import set_home_region
from chainkg.graph.workspace import load
from chainkg.loaders import LoadFailed, apply_batch
from chainkg.loaders.library import library_records
from chainkg.loaders.register import import_register

HEADER = ["企业名称", "统一社会信用代码", "行业代码", "经营范围", "所属镇街", "营业收入(万元)", "从业人数", "规上",
          "链主", "法定代表人"]
ROWS = [
    # code 3841 (0.6) + scope keyword 锂离子电池 (0.35): 1 − 0.4 × 0.65 = 0.74 in 电芯制造
    ["甲动力电池有限公司", "91510900MA0000001A", "C3841", "锂离子电池、电池管理系统的研发与生产", "高新区",
     "250000", "1800", "是", "是", "张三"],
    # code 3985@0.4 only for 正极材料 … and scope 磷酸铁锂 (0.35): 1 − 0.6 × 0.65 = 0.61
    ["乙正极材料有限公司", "91510900MA0000002B", "3985 电子专用材料制造", "磷酸铁锂正极材料的生产和销售", "高新区",
     "800", "60", "否", "否", "李四"],
    # scope keyword only (0.35 < 0.5): not placed; its code (5179) is in no template
    ["丙贸易有限公司", "", "5179", "锂离子电池销售", "船山区", "", "", "", "", ""],
]


def write(path: Path, rows: list[list[str]], header: list[str] = HEADER) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)
    return path


@pytest.fixture
def ws() -> KnowledgeGraph:
    kg = KnowledgeGraph()
    apply_batch(library_records(["新能源电池"]), kg)
    set_home_region(kg, "遂宁市", level="city")
    return kg


def test_register_firms_become_local_firms_with_their_fields(tmp_path, ws):
    report = import_register(ws, write(tmp_path / "名录.csv", ROWS), "region:遂宁市")
    assert report.firms == 3 and report.ignored_columns == ["法定代表人"]
    assert sorted(report.regions_created) == ["船山区", "高新区"]
    a = ws.get("ent:91510900MA0000001A")
    assert (a["name"], a["industry_code"], a["revenue"], a["employees"], a["above_scale"], a["anchor"]) == \
        ("甲动力电池有限公司", "3841", 250000.0, 1800, True, True)
    assert ws.get("ent:reg:丙贸易有限公司")["industry_code"] == "5179"
    assert ws.out("ent:91510900MA0000001A", "LOCATED_IN") == ["region:遂宁市/高新区"]
    assert ws.out("region:遂宁市/高新区", "PART_OF") == ["region:遂宁市"]
    # Loading the same register again changes nothing.
    again = import_register(ws, tmp_path / "名录.csv", "region:遂宁市")
    assert again.load.nodes_added == again.load.edges_added == again.load.nodes_updated == 0


def test_match_places_register_firms_by_code_and_scope(tmp_path, ws):
    import_register(ws, write(tmp_path / "名录.csv", ROWS), "region:遂宁市")
    report = match(ws)
    placed = {(p.firm, ws.name(p.segment_id)): p.confidence for p in report.placements}
    assert placed[("甲动力电池有限公司", "电芯制造")] == 0.74
    assert placed[("乙正极材料有限公司", "正极材料")] == 0.61
    assert not any(f == "丙贸易有限公司" for f, _ in placed)
    assert report.unplaced_local == ["丙贸易有限公司"]
    evidence = ws.edge("ent:91510900MA0000001A", "seg:lib:battery:cell", "OPERATES_IN")["evidence"]
    assert "行业代码 3841 ~ GB/T 3841" in evidence and "经营范围 “锂离子电池” ~ 锂离子电池" in evidence


@pytest.mark.parametrize(("header", "rows", "expected"), [
    (["行业代码", "经营范围"], [["3841", "电池"]], ["row 1, column 名称: required column is missing"]),
    (["名称", "注册资本"], [["甲", "1"]], ["row 1, column 行业代码: a register needs 行业代码 or 经营范围"]),
    (HEADER, [ROWS[0], ROWS[0]], ["row 3, column 统一社会信用代码: duplicate credit code 91510900MA0000001A "
                                  "(also row 2)"]),
    (HEADER, [["丁", "", "电池", "", "", "", "", "", "", ""]],
     ["row 2, column 行业代码: '电池' is not a GB/T 4754-2017 industry code"]),
    (HEADER, [["丁", "", "9999", "", "", "", "", "", "", ""]],
     ["row 2, column 行业代码: '9999' is not a GB/T 4754-2017 industry code"]),
    (HEADER, [["丁", "", "3841", "", "", "很多", "", "", "", ""]], ["row 2, column 营业收入(万元):"]),
    (HEADER, [["丁", "", "3841", "", "", "", "", "也许", "", ""]], ["row 2, column 规上: expected 是/否"]),
    (HEADER, [["丁", "", "3841", "", "", "", "", "", "", ""], ["丁", "", "3841", "", "", "", "", "", "", ""]],
     ["row 3, column 企业名称: duplicate firm '丁' (also row 2)"]),
])
def test_bad_registers_name_file_row_and_column_and_load_nothing(tmp_path, ws, header, rows, expected):
    path = write(tmp_path / "bad.csv", rows, header)
    before = len(ws), ws.g.number_of_edges()
    with pytest.raises(LoadFailed) as e:
        import_register(ws, path, "region:遂宁市")
    lines = [str(err) for err in e.value.errors]
    assert len(lines) == len(expected)
    for line, want in zip(lines, expected, strict=True):
        assert line.startswith(str(path)) and want in line, line
    assert (len(ws), ws.g.number_of_edges()) == before


def test_cli_register_import_all_or_nothing(tmp_path):
    runner = CliRunner()
    ws = tmp_path / "city.chainkg"
    r = runner.invoke(main, ["templates", "use", "新能源电池", "--into", str(ws), "--home-region", "遂宁市",
                             "--home-level", "city"])
    assert r.exit_code == 0, r.output
    bad = write(tmp_path / "bad.csv", [ROWS[0], ROWS[0]])
    r = runner.invoke(main, ["import", "register", str(bad), "--into", str(ws)])
    assert r.exit_code == 1 and "duplicate credit code" in r.output
    assert not any(n.startswith("ent:") for n in load(ws).nodes("Enterprise"))
    good = write(tmp_path / "good.csv", ROWS)
    r = runner.invoke(main, ["import", "register", str(good), "--into", str(ws)])
    assert r.exit_code == 0, r.output
    r = runner.invoke(main, ["--graph", str(ws), "match"])
    assert r.exit_code == 0 and "1 local firm placed in no segment: 丙贸易有限公司" in r.output
    r = runner.invoke(main, ["--graph", str(ws), "gaps", "missing", "--format", "json"])
    assert r.exit_code == 0 and "隔膜" in r.output


def test_gbt_code_table_restricts_codes(tmp_path, ws):
    from chainkg.loaders.register import read_code_table

    table = tmp_path / "gbt.csv"
    table.write_text("code,level,name\n38,division,电气机械\n3841,class,锂离子电池制造\n", encoding="utf-8")
    known = read_code_table(table)
    with pytest.raises(LoadFailed, match="1 error"):
        import_register(ws, write(tmp_path / "r.csv", [ROWS[1]]), "region:遂宁市", known_codes=known)
    import_register(ws, write(tmp_path / "r2.csv", [ROWS[0]]), "region:遂宁市", known_codes=known)
