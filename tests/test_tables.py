"""XLSX sheets (graph/tables.py): what each cell and column gets, worked out by hand on a small sheet."""

from __future__ import annotations

from openpyxl import load_workbook

from chainkg.graph.tables import YI_FORMAT, Sheet, write_xlsx


def test_sheet_cells_styles_and_widths(tmp_path):
    rows = [{"name": "昆明", "amount_yi": 12.5, "why": "长" * 40},  # 80 columns wide: wraps
            {"name": "=cmd", "amount_yi": None, "why": "x" * 10}]
    p = tmp_path / "s.xlsx"
    write_xlsx(p, [Sheet("s", ["name", "amount_yi", "why"], rows, title="标题", notes=["注"]),
                   Sheet("empty", ["a"], [])])
    wb = load_workbook(p)
    assert wb.sheetnames == ["s", "empty"]
    ws = wb["s"]
    assert (ws["A1"].value, ws["A1"].font.b, ws["A1"].font.sz) == ("标题", True, 14)
    assert (ws["A2"].value, ws["A2"].font.i) == ("注", True)
    assert [c.value for c in ws[3]] == [None, None, None]  # a blank line before the header
    assert [c.value for c in ws[4]] == ["name", "amount_yi", "why"]
    assert all(c.font.b and c.fill.fgColor.rgb == "00DDE7F3" for c in ws[4])
    assert ws.freeze_panes == "A5" and ws.max_row == 6
    assert (ws["A5"].value, ws["B5"].value, ws["B5"].number_format) == ("昆明", 12.5, YI_FORMAT)
    assert (ws["A6"].value, ws["B6"].value, ws["B6"].number_format) == ("'=cmd", None, "General")
    assert ws["C5"].alignment.wrap_text and not ws["C6"].alignment.wrap_text
    # widths + 2: A the longest of "name" 4, "昆明" 4, "'=cmd" 5; B "amount_yi" 9 vs "12.50" + 5 for 亿元 = 10;
    # C 80 capped at 60
    assert [ws.column_dimensions[c].width for c in "ABC"] == [7, 12, 62]
    empty = wb["empty"]
    assert [c.value for c in empty[1]] == ["a"] and empty.max_row == 1 and empty.freeze_panes == "A2"
