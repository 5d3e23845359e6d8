"""Bad input never crashes, hangs or silently misreads (issue 15): one regression test per class of attack.

Each test asserts the exact shape of the one-line error (file, row or line, column, reason), so it fails
if the input is accepted, crashes, or is refused for the wrong reason.
"""

from __future__ import annotations

import io
import time
import zipfile
from pathlib import Path

import pytest

from chainkg.graph import KnowledgeGraph
from chainkg.loaders import LoadFailed, limits, load_paths, validate_paths
from chainkg.loaders.encoding import decode
from chainkg.loaders.records import LoadError, Origin
from helpers import write_csv

HEAD = ["id", "name", "provenance", "source", "evidence"]
ROW = ["ent:x", "测试企业", "stated", "src:t", "某句"]


def csv_bytes(rows: list[list[str]], encoding: str = "utf-8") -> bytes:
    import csv

    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    return buf.getvalue().encode(encoding)


@pytest.fixture
def ws(mini: Path) -> KnowledgeGraph:
    """A workspace holding the mini dataset (so src:t, chain:bat … exist)."""
    kg = KnowledgeGraph({"name": "t"})
    load_paths([mini], kg)
    return kg


def errors(path: Path, kg: KnowledgeGraph | None = None, **kw) -> list[str]:
    return [str(e) for e in validate_paths([path], kg, **kw)]


def one_error(path: Path, kg: KnowledgeGraph | None = None, **kw) -> str:
    errs = errors(path, kg, **kw)
    assert len(errs) == 1, errs
    assert "\n" not in errs[0] and "\x1b" not in errs[0]
    return errs[0]


# ----------------------------------------------------------------- CSV sizes and syntax
def test_field_over_128kb_loads_and_over_the_limit_is_one_error(tmp_path, ws):
    p = tmp_path / "enterprises.csv"
    p.write_bytes(csv_bytes([[*HEAD, "note"], [*ROW, "备" * 300_000]]))
    assert errors(p, ws) == []
    p.write_bytes(csv_bytes([[*HEAD, "备注"], [*ROW, "a" * (limits.MAX_FIELD_CHARS + 1)]]))
    assert one_error(p, ws) == (f"{p}, row 2, column 备注: field larger than 1,048,576 characters (1,048,577); "
                                "see 'Limits and encodings' in the README")


def test_field_limit_is_configurable(tmp_path, ws, monkeypatch):
    monkeypatch.setattr(limits, "MAX_FIELD_CHARS", 10)
    p = tmp_path / "enterprises.csv"
    p.write_bytes(csv_bytes([HEAD, [*ROW[:4], "一句很长很长很长的证据"]]))
    assert one_error(p, ws).startswith(f"{p}, row 2, column evidence: field larger than 10 characters (11)")


def test_unclosed_quote(tmp_path):
    p = tmp_path / "enterprises.csv"
    p.write_bytes(b'id,name,provenance,source,evidence\nent:x,"abc,stated,src:t,x\nent:y,b,stated,src:t,x\n')
    assert one_error(p) == (f"{p}, row 2: not valid CSV (unclosed quote: the quoted field starting on line 2 "
                            "never ends)")


def test_file_size_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "MAX_FILE_BYTES", 100)
    p = tmp_path / "enterprises.csv"
    p.write_bytes(csv_bytes([HEAD] + [ROW] * 10))
    assert one_error(p) == f"{p}: file is 425 bytes, larger than the limit of 100 bytes"


def test_device_is_not_read(tmp_path):
    p = tmp_path / "enterprises.csv"
    p.symlink_to("/dev/zero")
    assert one_error(p) == f"{p}: not a regular file (a device, pipe or socket cannot be loaded)"


def test_missing_path_and_empty_folder(tmp_path):
    assert one_error(tmp_path / "nope") == f"{tmp_path / 'nope'}: no such file or folder"
    (tmp_path / "d").mkdir()
    assert one_error(tmp_path / "d") == f"{tmp_path / 'd'}: folder holds no .csv, .xlsx, .yaml or .yml files"


# ----------------------------------------------------------------- messages
def test_esc_and_newline_in_headers_are_escaped(tmp_path):
    p = tmp_path / "enterprises.csv"
    p.write_bytes(b'id,"na\x1b[2J\nError: forged","x\ry"\na,b,c\n')
    errs = errors(p)
    assert errs == [f"{p}, row 1, column na\\x1b[2J\\nError: forged: unknown column for Enterprise",
                    f"{p}, row 1, column x\\ry: unknown column for Enterprise"]


def test_control_characters_in_values_are_refused(tmp_path, ws):
    p = tmp_path / "enterprises.csv"
    p.write_bytes(csv_bytes([HEAD, ["ent:x", "红\x1b[31m", "stated", "src:t", "x"]]))
    assert one_error(p, ws) == f"{p}, row 2, column name: holds the control character \\x1b"
    p.write_bytes(csv_bytes([HEAD, ["ent:\nx", "红", "stated", "src:t", "x"]]))
    assert one_error(p, ws) == f"{p}, row 2, column id: holds the control character \\n (not allowed in an id)"


def test_error_str_escapes_everything():
    e = LoadError(Origin("a\nb.csv", 3, "s\x1b"), "c\u2028", "bad \u202e")
    assert str(e) == "a\\nb.csv[s\\x1b], row 3, column c\\u2028: bad \\u202e"


def test_undecodable_bytes_name_the_file(tmp_path):
    p = tmp_path / "enterprises.csv"
    p.write_bytes(csv_bytes([HEAD, ["ent:x", "a", "stated", "src:t", "x"]]) + b"\xff\xfe\xff\n")
    assert one_error(p).startswith(f"{p}, line 3: not text in UTF-8 (with or without BOM), UTF-16 with BOM, "
                                   "GBK/GB18030 or Big5 (bytes ff fe ff 0a)")


# ----------------------------------------------------------------- encodings
def test_mixed_utf8_and_gbk_is_refused_naming_the_lines(tmp_path):
    p = tmp_path / "enterprises.csv"
    p.write_bytes(csv_bytes([HEAD, ROW, ["ent:y", "昆明", "stated", "src:t", "一句"]])
                  + csv_bytes([["ent:z", "云南", "stated", "src:t", "另一句"]], "gbk"))
    assert one_error(p) == (f"{p}, line 4: mixed text encodings: lines 2–3 are UTF-8 but line 4 is not (GBK?); "
                            "save the whole file in one encoding")


def test_big5_is_recognised_not_read_as_gb18030(tmp_path, ws):
    p = tmp_path / "enterprises.csv"
    names = ["台積電", "鴻海精密工業", "聯發科技", "廣達電腦"]
    p.write_bytes(csv_bytes([HEAD] + [[f"ent:b{i}", n, "stated", "src:t", "來源說明"] for i, n in enumerate(names)],
                            "big5"))
    load_paths([p], ws)
    assert [ws.get(f"ent:b{i}")["name"] for i in range(4)] == names


def test_too_short_to_tell_gbk_from_big5_is_refused_unless_the_encoding_is_given(tmp_path, ws):
    p = tmp_path / "enterprises.csv"
    p.write_bytes(csv_bytes([HEAD, ["ent:k", "昆明", "stated", "src:t", "x"]], "gbk"))
    assert one_error(p, ws).endswith("cannot tell whether the text is GBK or Big5 (too little Chinese text to be "
                                     "sure); give the encoding")
    assert errors(p, ws, encoding="gbk") == []
    load_paths([p], ws, encoding="gbk")
    assert ws.get("ent:k")["name"] == "昆明"


def test_utf16_with_bom_and_gbk(tmp_path, ws):
    p = tmp_path / "enterprises.csv"
    p.write_bytes(b"\xff\xfe" + csv_bytes([HEAD, ROW], "utf-16-le"))
    assert errors(p, ws) == []
    assert decode(csv_bytes([HEAD, ROW], "gbk"), "x")[1] == "gbk"
    with pytest.raises(LoadFailed) as e:
        decode(csv_bytes([HEAD, ROW], "utf-16-le"), "x.csv")
    assert str(e.value.errors[0]).startswith("x.csv, line 1: contains NUL bytes")


def test_forced_encoding_that_does_not_fit(tmp_path):
    p = tmp_path / "enterprises.csv"
    p.write_bytes(csv_bytes([HEAD, ROW], "gbk"))
    assert one_error(p, encoding="utf-8") == f"{p}, line 2: not valid utf-8 text (bytes b2 e2 ca d4)"
    assert one_error(p, encoding="klingon") == f"{p}: unknown encoding 'klingon'"


# ----------------------------------------------------------------- numbers
@pytest.mark.parametrize("raw, reason", [
    ("1.000,5", "'1.000,5' is not a plain decimal number: use '.' for decimals and ',' only between groups of "
                "three digits (1,234.5)"),
    ("1,2345", "'1,2345' is not a plain decimal number: use '.' for decimals and ',' only between groups of "
               "three digits (1,234.5)"),
    ("1e400", "'1e400' is not a plain decimal number: write it without an exponent"),
    ("nan", "expected a number, got 'nan'"),
    ("inf", "expected a number, got 'inf'"),
    ("１２３", "expected a number, got '１２３'"),
])
def test_numbers_are_parsed_strictly(tmp_path, ws, raw, reason):
    p = tmp_path / "projects.csv"
    p.write_bytes(csv_bytes([["id", "name", "status", "agreed_amount", "provenance", "source", "evidence"],
                             ["proj:x", "p", "签约", raw, "stated", "src:t", "x"]]))
    assert one_error(p, ws) == f"{p}, row 2, column agreed_amount: {reason}"


def test_thousands_groups_of_three_are_read(tmp_path, ws):
    p = tmp_path / "projects.csv"
    p.write_bytes(csv_bytes([["id", "name", "status", "agreed_amount", "provenance", "source", "evidence"],
                             ["proj:x", "p", "签约", "1,234,567.5", "stated", "src:t", "x"]]))
    load_paths([p], ws)
    assert ws.get("proj:x")["agreed_amount"] == 1234567.5


# ----------------------------------------------------------------- YAML
TPL = "chain: chain:bat\nsource: src:t\nprovenance: template\nevidence: basis\nsegments:\n  - {seg}\n"


def tpl(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "t.yaml"
    p.write_text(text, encoding="utf-8")
    return p


def test_yaml_id_as_list_is_one_error(tmp_path, ws):
    p = tpl(tmp_path, TPL.format(seg="{id: [a, b], name: x, stage: midstream}"))
    assert one_error(p, ws) == f"{p}, line 6, column id: expected an id (text), got a list: ['a', 'b']"


def test_yaml_mapping_where_a_name_is_expected(tmp_path, ws):
    p = tpl(tmp_path, TPL.format(seg="{id: seg:a, name: {zh: 正极}, stage: midstream}"))
    assert one_error(p, ws) == (f"{p}, line 6, column name: expected a single value (text or number), got a "
                                "mapping: {'zh': '正极'}")


def test_yaml_duplicate_keys_name_the_line(tmp_path, ws):
    p = tpl(tmp_path, TPL.format(seg="{id: seg:a, name: x, stage: midstream}") + "chain: chain:other\n")
    assert one_error(p, ws) == f"{p}, line 7: not valid YAML (duplicate key 'chain' (first on line 1))"
    p = tpl(tmp_path, TPL.format(seg="{id: seg:a, name: x, name: y, stage: midstream}"))
    assert one_error(p, ws) == f"{p}, line 6: not valid YAML (duplicate key 'name' (first on line 6))"


def test_yaml_5000_deep_nesting(tmp_path):
    p = tpl(tmp_path, "a: " + "[" * 5000 + "]" * 5000 + "\n")
    # libyaml stops at its own depth limit before ours; either way one line, no RecursionError
    assert one_error(p) in (f"{p}, line 1: nested more than 64 levels deep",
                            f"{p}, line 1: not valid YAML (exceeded maximum nesting depth)")
    p = tpl(tmp_path, "a: " + "[" * 100 + "]" * 100 + "\n")
    assert one_error(p) == f"{p}, line 1: nested more than 64 levels deep"


def test_yaml_alias_bomb_is_refused_quickly(tmp_path):
    text = "chain: chain:bat\nx0: &x0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
    text += "".join(f"x{i}: &x{i} [{', '.join(['*x' + str(i - 1)] * 10)}]\n" for i in range(1, 9))
    text += "segments:\n  - {id: seg:a, name: x, stage: midstream, aliases: *x8}\n"
    assert len(text) < 1100
    p = tpl(tmp_path, text)
    t = time.monotonic()
    err = one_error(p)
    assert time.monotonic() - t < 2
    assert err.startswith(f"{p}, line ") and "expands to more than 100,000 values through aliases" in err


@pytest.mark.parametrize("value, reason", [
    ("note: 2024-13-45", "not valid YAML (cannot read the value '2024-13-45' (month must be in 1..12))"),
    ("order: !!int abc", "not valid YAML (cannot read the value 'abc' (invalid literal for int() with base 10: "
                         "'abc'))"),
])
def test_yaml_values_its_constructors_cannot_build(tmp_path, ws, value, reason):
    p = tpl(tmp_path, TPL.format(seg=f"{{id: seg:a, name: x, stage: midstream, {value}}}"))
    assert one_error(p, ws) == f"{p}, line 6: {reason}"


def test_whole_numbers_are_bounded(tmp_path, ws):
    p = tpl(tmp_path, TPL.format(seg="{id: seg:a, name: x, stage: midstream, order: 99999999999999999999}"))
    assert one_error(p, ws) == (f"{p}, line 6, column order: expected a whole number of at most "
                                "9,007,199,254,740,992 in size, got 99999999999999999999")


def test_errors_are_capped_per_file(tmp_path, ws):
    p = tpl(tmp_path, TPL.format(seg="{id: seg:a, name: x, stage: midstream, feeds: ["
                                 + ", ".join(f"s{i}" for i in range(250)) + "]}"))
    errs = errors(p, ws)
    assert len(errs) == 101
    assert errs[0] == f"{p}, line 6, column to: unknown reference 's0' (no such node)"
    assert errs[-1] == f"{p}: … and 150 more errors in this file"


def test_yaml_python_tags_are_not_run(tmp_path):
    p = tpl(tmp_path, '!!python/object/apply:os.system ["echo pwned"]\n')
    assert one_error(p).startswith(f"{p}, line 1: not valid YAML (could not determine a constructor for the tag")


def test_yaml_line_key_is_not_special(tmp_path, ws):
    p = tpl(tmp_path, TPL.format(seg="{id: seg:a, name: x, stage: midstream, __line__: 5}"))
    assert one_error(p, ws) == f"{p}, line 6, column __line__: is not a property of this type"


# ----------------------------------------------------------------- XLSX
def workbook(path: Path, sheets: dict[str, list[list]]) -> Path:
    import openpyxl

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        sheet = wb.create_sheet(title)
        for r in rows:
            sheet.append(r)
    wb.save(path)
    return path


def rewrite(path: Path, **members: bytes | None) -> Path:
    with zipfile.ZipFile(path) as z:
        old = {n: z.read(n) for n in z.namelist()}
    old.update(members)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for n, data in old.items():
            if data is not None:
                z.writestr(n, data)
    return path


SHEET = ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
         'spreadsheetml/2006/main">{dim}<sheetData>{rows}</sheetData></worksheet>')
HEADER_XML = '<row r="1">' + "".join(f'<c r="{chr(65 + i)}1" t="inlineStr"><is><t>{h}</t></is></c>'
                                     for i, h in enumerate(HEAD)) + "</row>"


def test_xlsx_cell_at_xfd1048576_is_fast(tmp_path):
    p = workbook(tmp_path / "b.xlsx", {"企业": [HEAD]})
    rows = HEADER_XML + '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
    rewrite(p, **{"xl/worksheets/sheet1.xml": SHEET.format(dim='<dimension ref="A1:XFD1048576"/>',
                                                           rows=rows).encode()})
    t = time.monotonic()
    err = one_error(p)
    assert time.monotonic() - t < 5
    assert err == f"{p}[企业], row 1048576: row has 16,384 cells but the header has 5"


def test_xlsx_zip_bomb_is_refused_before_inflating(tmp_path):
    p = workbook(tmp_path / "b.xlsx", {"企业": [HEAD]})
    with zipfile.ZipFile(p) as z:
        members = {n: z.read(n) for n in z.namelist()}
    with zipfile.ZipFile(p, "w", zipfile.ZIP_DEFLATED) as z:
        for n, data in members.items():
            if n != "xl/worksheets/sheet1.xml":
                z.writestr(n, data)
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
            zeros = b" " * (1 << 20)
            for _ in range(300):
                f.write(zeros)
    t = time.monotonic()
    err = one_error(p)
    assert time.monotonic() - t < 2
    assert err == (f"{p}: part xl/worksheets/sheet1.xml would inflate to 300 MiB, over the limit of 256 MiB "
                   "(a zip bomb, or a sheet too large to load)")


def test_xlsx_compression_ratio_and_shared_strings_limits(tmp_path, monkeypatch):
    p = workbook(tmp_path / "b.xlsx", {"企业": [HEAD]})
    rewrite(p, **{"docProps/app.xml": b"<a>" + b" " * (4 << 20) + b"</a>"})
    assert one_error(p).startswith(f"{p}: part docProps/app.xml is compressed ")
    assert one_error(p).endswith(":1, over the limit of 200:1 (a zip bomb?)")
    monkeypatch.setattr(limits, "XLSX_MAX_SHARED_STRINGS_BYTES", 1000)
    p = rewrite(workbook(tmp_path / "c.xlsx", {"企业": [HEAD]}),
                **{"xl/sharedStrings.xml": b"<sst>" + b"<si><t>x</t></si>" * 100 + b"</sst>"})
    assert one_error(p) == (f"{p}: part xl/sharedStrings.xml would inflate to 1,711 bytes, over the "
                            "limit of 1,000 bytes (a zip bomb, or a sheet too large to load)")


def test_xlsx_cell_budget(tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "XLSX_MAX_CELLS", 50)
    p = workbook(tmp_path / "b.xlsx", {"企业": [HEAD] + [ROW] * 20})
    assert one_error(p) == f"{p}[企业]: workbook has more than 50 cells (split it, or save the sheets as CSV)"


def test_xlsx_without_expected_sheets_is_an_error(tmp_path):
    p = workbook(tmp_path / "b.xlsx", {"Sheet1": [HEAD, ROW]})
    assert one_error(p) == f"{p}[Sheet1]: sheet name 'Sheet1' names no node or relationship type"
    p = workbook(tmp_path / "c.xlsx", {"企业": [HEAD, ROW]})
    with zipfile.ZipFile(p) as z:
        wb_xml = z.read("xl/workbook.xml").decode()
    start, end = wb_xml.index("<sheets>"), wb_xml.index("</sheets>") + len("</sheets>")
    rewrite(p, **{"xl/workbook.xml": (wb_xml[:start] + "<sheets></sheets>" + wb_xml[end:]).encode()})
    assert one_error(p) == f"{p}: workbook has no worksheets"
    p = workbook(tmp_path / "d.xlsx", {"企业": [HEAD, ROW]})
    rewrite(p, **{"xl/worksheets/sheet1.xml": None})
    assert one_error(p) == f"{p}[企业]: the workbook lists this sheet but does not contain it"
    p = workbook(tmp_path / "e.xlsx", {"企业": []})
    assert one_error(p) == f"{p}[企业]: sheet is empty (no header row)"


def test_xlsx_newline_header_and_error_cells(tmp_path):
    p = workbook(tmp_path / "b.xlsx", {"企业": [["id", "na\nError: forged"], ["a", "b"]]})
    assert one_error(p) == f"{p}[企业], row 1, column na\\nError: forged: unknown column for Enterprise"
    p = workbook(tmp_path / "c.xlsx", {"企业": [HEAD]})
    rows = HEADER_XML + ('<row r="2"><c r="A2" t="inlineStr"><is><t>ent:x</t></is></c>'
                         '<c r="B2" t="e"><v>#N/A</v></c></row>')
    rewrite(p, **{"xl/worksheets/sheet1.xml": SHEET.format(dim="", rows=rows).encode()})
    assert one_error(p) == f"{p}[企业], row 2: cell 2 holds the Excel error '#N/A'; fix or clear it"


def test_not_a_zip(tmp_path):
    p = tmp_path / "企业.xlsx"
    p.write_bytes(csv_bytes([HEAD, ROW]))
    assert one_error(p).startswith(f"{p}: not an XLSX workbook (not a zip archive: File is not a zip file;")


# ----------------------------------------------------------------- all or nothing
def test_a_refused_file_leaves_the_workspace_unchanged(tmp_path, ws):
    from chainkg.graph import graph_signature

    before = graph_signature(ws)
    p = write_csv(tmp_path / "enterprises.csv", [dict(zip(HEAD, ROW, strict=True)),
                                                 {**dict(zip(HEAD, ROW, strict=True)), "id": "ent:y",
                                                  "name": "x\x1b"}])
    with pytest.raises(LoadFailed):
        load_paths([p], ws)
    assert graph_signature(ws) == before
