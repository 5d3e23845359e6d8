"""Loader behaviour: every class of error is reported with file, row and column; loads are all-or-nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from chainkg.graph import KnowledgeGraph, graph_signature
from chainkg.loaders import LoadFailed, load_paths, validate_paths
from helpers import REGIONS, write_csv


def errors_for(paths, kg=None):
    return [(Path(e.origin.file).name, e.origin.row, e.column, e.reason) for e in validate_paths(paths, kg)]


def test_valid_folder_loads(mini):
    kg = KnowledgeGraph()
    report = load_paths([mini], kg)
    assert report.nodes_added == 1 + 1 + 2 + 1 + 2  # sources, chains, regions, enterprises, segments
    assert kg.node_type("seg:cell") == "Segment"
    # HAS_SEGMENT comes from the template's chain; FEEDS from the segment's feeds list.
    assert kg.has_edge("chain:bat", "seg:cathode", "HAS_SEGMENT")
    assert kg.has_edge("seg:cathode", "seg:cell", "FEEDS")
    assert kg.edge("seg:cathode", "seg:cell", "FEEDS")["provenance"] == "template"
    assert kg.get("chain:bat")["verified"] is True
    assert kg.get("ent:a")["lists"] == ["上市"]


def test_loading_twice_changes_nothing(mini):
    kg = KnowledgeGraph()
    load_paths([mini], kg)
    before = graph_signature(kg)
    report = load_paths([mini], kg)
    assert not report.changed
    assert report.nodes_added == report.nodes_updated == report.edges_added == 0
    assert graph_signature(kg) == before


def test_three_bad_rows_each_reported(mini):
    write_csv(mini / "projects.csv", [
        {"id": "proj:1", "name": "好项目", "status": "签约", "agreed_amount": "10", "amount_unit": "亿元",
         "provenance": "stated", "source": "src:t", "evidence": "…"},
        {"id": "proj:2", "name": "坏状态", "status": "完成", "agreed_amount": "10", "amount_unit": "亿元",
         "provenance": "stated", "source": "src:t", "evidence": "…"},
        {"id": "proj:3", "name": "负金额", "status": "签约", "agreed_amount": "-5", "amount_unit": "亿元",
         "provenance": "stated", "source": "src:t", "evidence": "…"},
        {"id": "proj:4", "name": "没来源", "status": "签约", "agreed_amount": "1", "amount_unit": "亿元",
         "provenance": "", "source": "src:t", "evidence": "…"},
    ])
    errs = errors_for([mini])
    assert errs == [
        ("projects.csv", 3, "status", "'完成' is not one of 谋划, 在谈, 签约, 落地, 开工, 投产, 增资"),
        ("projects.csv", 4, "agreed_amount", "must be ≥ 0, got -5"),
        ("projects.csv", 5, "provenance", "is required"),
    ]
    kg = KnowledgeGraph()
    with pytest.raises(LoadFailed):
        load_paths([mini], kg)
    assert len(kg) == 0  # nothing half-loaded


def test_gbk_file_with_one_bad_row_names_the_chinese_column(mini):
    write_csv(mini / "企业.csv", [
        {"编号": "ent:b", "名称": "云南裕能", "榜单": "上市", "来源类型": "stated", "来源": "src:t", "证据": "裕能"},
        {"编号": "ent:c", "名称": "坏榜单", "榜单": "世界五百强", "来源类型": "stated", "来源": "src:t", "证据": "…"},
    ], encoding="gbk")
    assert (mini / "企业.csv").read_bytes().decode("gbk")  # really GBK, not UTF-8
    assert errors_for([mini / "企业.csv"]) == [
        ("企业.csv", 3, "榜单", "'世界五百强' is not one of 世界500强, 中国500强, 民企500强, 上市, 专精特新, 单项冠军"),
        ("企业.csv", 2, "来源", "unknown reference 'src:t' (no such Source)"),
        ("企业.csv", 3, "来源", "unknown reference 'src:t' (no such Source)"),
    ]
    assert errors_for([mini]) == [errors_for([mini / "企业.csv"])[0]]


def test_utf8_bom_header_is_read(mini):
    path = mini / "enterprises.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    kg = KnowledgeGraph()
    load_paths([mini], kg)
    assert kg.get("ent:a")["name"] == "孚能科技"


def test_unknown_reference_and_wrong_endpoint_type(mini):
    write_csv(mini / "invests.csv", [
        {"from": "ent:a", "to": "proj:nope", "provenance": "stated", "source": "src:t", "evidence": "…"},
        {"from": "region:km", "to": "ent:a", "provenance": "stated", "source": "src:t", "evidence": "…"},
    ])
    assert errors_for([mini]) == [
        ("invests.csv", 2, "to", "unknown reference 'proj:nope' (no such node)"),
        ("invests.csv", 3, "from", "INVESTS must start at Enterprise, not Region"),
        ("invests.csv", 3, "to", "INVESTS must end at Project, not Enterprise"),
    ]


def test_duplicate_id_within_batch_and_type_clash_with_workspace(mini):
    write_csv(mini / "regions.csv", [*[dict(r) for r in REGIONS],
                                     {"id": "region:km", "name": "又一个", "level": "city", "provenance": "stated",
                                      "source": "src:t", "evidence": "…"}])
    errs = errors_for([mini])
    assert ("regions.csv", 4, "id", "duplicate id 'region:km' (first at " + str(mini / "regions.csv") + ", row 3)") \
        in errs
    kg = KnowledgeGraph()
    kg.merge_node("Source", {"id": "src:t", "title": "t"})
    kg.merge_node("Region", {"id": "ent:a", "name": "x", "level": "city", "provenance": "template", "source": "src:t"})
    errs = errors_for([mini / "enterprises.csv"], kg)
    assert errs == [("enterprises.csv", 2, "id", "id 'ent:a' is already a Region in the workspace")]


def test_stated_needs_evidence_inferred_needs_reason(mini):
    write_csv(mini / "anchors.csv", [
        {"from": "ent:a", "to": "chain:bat", "provenance": "stated", "source": "src:t", "evidence": ""},
        {"from": "ent:a", "to": "chain:bat", "provenance": "inferred", "source": "src:t"},
    ], header=["from", "to", "provenance", "source", "evidence"])
    errs = errors_for([mini])
    assert ("anchors.csv", 2, "evidence", "is required when provenance is stated (the quoted sentence)") in errs
    assert ("anchors.csv", 3, "evidence", "is required when provenance is inferred (the reason)") in errs


def test_feeds_cycle_inside_a_chain_is_refused_but_across_chains_allowed(mini):
    (mini / "templates" / "bat.yaml").write_text(
        (mini / "templates" / "bat.yaml").read_text("utf-8").replace("order: 2}", "order: 2, feeds: [seg:cathode]}"),
        encoding="utf-8")
    errs = errors_for([mini])
    assert len(errs) == 1
    file, row, col, reason = errs[0]
    assert (file, col) == ("bat.yaml", "feeds") and row in (6, 7)
    assert reason.startswith("FEEDS cycle inside chain chain:bat: ")
    assert "seg:cathode" in reason and "seg:cell" in reason


def test_unknown_column_missing_id_column_bad_types(mini):
    write_csv(mini / "statistics.csv", [
        {"id": "stat:1", "name": "到位资金", "value": "1168.02", "unit": "亿元", "colour": "red",
         "provenance": "stated", "source": "src:t", "evidence": "…"},
    ])
    write_csv(mini / "events.csv", [{"name": "推介会"}])
    write_csv(mini / "projects.csv", [
        {"id": "proj:d", "name": "日期错", "status": "签约", "signed_date": "2023-13-01", "agreed_amount": "十亿",
         "provenance": "stated", "source": "src:t", "evidence": "…"}])
    # Header problems are reported first: a file whose columns are wrong cannot be read row by row.
    assert errors_for([mini]) == [
        ("events.csv", 1, "id", "required column is missing"),
        ("statistics.csv", 1, "colour", "unknown column for Statistic"),
    ]
    (mini / "events.csv").unlink()
    (mini / "statistics.csv").unlink()
    assert errors_for([mini]) == [
        ("projects.csv", 2, "agreed_amount", "expected a number, got '十亿'"),
        ("projects.csv", 2, "signed_date", "no such date: '2023-13-01'"),
    ]


def test_file_level_errors(tmp_path):
    (tmp_path / "widgets.csv").write_text("id\n1\n", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("x", encoding="utf-8")
    (tmp_path / "bad.yaml").write_text("chain: [unclosed\n", encoding="utf-8")
    errs = errors_for([tmp_path / "widgets.csv", tmp_path / "notes.txt", tmp_path / "bad.yaml",
                       tmp_path / "missing.csv"])
    assert errs[0] == ("widgets.csv", None, None, "file name 'widgets' names no node or relationship type")
    assert errs[1] == ("notes.txt", None, None, "unsupported file type (use .csv, .xlsx, .yaml or .yml)")
    assert errs[2][0] == "bad.yaml" and errs[2][3].startswith("not valid YAML")
    assert errs[3] == ("missing.csv", None, None, "no such file or folder")


def test_xlsx_sheets_load_like_csv_files(mini, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "项目"
    ws.append(["编号", "名称", "状态", "协议金额", "金额单位", "签约日期", "来源类型", "来源", "证据"])
    import datetime

    ws.append(["proj:x", "测试项目", "签约", 12.5, "亿元", datetime.date(2023, 8, 28), "stated", "src:t", "…"])
    ws.append(["proj:y", "坏项目", "签约", -1, "亿元", None, "stated", "src:t", "…"])
    ws2 = wb.create_sheet("invests")
    ws2.append(["from", "to", "provenance", "source", "evidence"])
    ws2.append(["ent:a", "proj:x", "stated", "src:t", "…"])
    path = tmp_path / "book.xlsx"
    wb.save(path)
    errs = validate_paths([mini, path])
    assert [(e.origin.sheet, e.origin.row, e.column, e.reason) for e in errs] == [
        ("项目", 3, "协议金额", "must be ≥ 0, got -1")]
    ws.delete_rows(3)
    wb.save(path)
    kg = KnowledgeGraph()
    load_paths([mini, path], kg)
    assert kg.get("proj:x")["signed_date"] == "2023-08-28"
    assert kg.get("proj:x")["agreed_amount"] == 12.5
    assert kg.has_edge("ent:a", "proj:x", "INVESTS")


def test_segment_csv_implies_has_segment(mini):
    write_csv(mini / "segments.csv", [
        {"id": "seg:sep", "name": "隔膜", "chain": "chain:bat", "stage": "midstream", "order": "3",
         "provenance": "template", "source": "src:t", "evidence": "basis"},
        {"id": "seg:bad", "name": "坏", "chain": "chain:none", "stage": "sideways",
         "provenance": "template", "source": "src:t"},
    ])
    errs = errors_for([mini])
    assert errs[:2] == [
        ("segments.csv", 3, "stage", "'sideways' is not one of upstream, midstream, downstream, support, cycle"),
        ("segments.csv", 3, "chain", "unknown reference 'chain:none' (no such Chain)"),
    ]
    (mini / "segments.csv").write_text("\n".join((mini / "segments.csv").read_text("utf-8").splitlines()[:2]) + "\n",
                                       encoding="utf-8")
    kg = KnowledgeGraph()
    load_paths([mini], kg)
    assert kg.has_edge("chain:bat", "seg:sep", "HAS_SEGMENT")
    assert kg.segments_of("chain:bat") == ["seg:cathode", "seg:cell", "seg:sep"]
