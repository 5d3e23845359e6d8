"""An attack corpus for the loaders: 150+ bad (and a few tricky good) inputs through the real CLI.

Not collected by pytest (no ``test_`` prefix). Run it by hand::

    python tests/attack_corpus.py            # all cases
    python tests/attack_corpus.py -k xlsx -v # only cases whose name contains "xlsx", with details

Each case is one or more files written to a temp folder. For every case it runs, in a subprocess with a
10 s timeout and a 2 GiB address-space limit (so a memory bomb cannot hurt a shared machine)::

    chainkg --graph ws.json validate FILE
    chainkg load FILE --into ws.json

against a small saved workspace, and counts

* tracebacks (any ``Traceback`` on stderr),
* hangs (over 10 s),
* misreads (a case that must be refused exits 0, or an accepted case stores the wrong value),
* refusals of good input (a case that must load is refused),
* changed workspaces (a refused load that modified ws.json),
* bad messages (a stderr line that names neither the input nor is the closing ``Error: N errors …`` summary,
  or holds a raw control character).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

TIMEOUT = 10
MEMORY = 2 << 30

HEAD = ["id", "name", "provenance", "source", "evidence"]
ROW = ["ent:x", "测试企业", "stated", "src:t", "某句"]
PHEAD = ["id", "name", "status", "agreed_amount", "amount_unit", "provenance", "source", "evidence"]
SHEAD = ["id", "chain", "name", "stage", "order", "provenance", "source", "evidence"]


@dataclass
class Case:
    name: str
    files: dict[str, bytes | Callable[[Path], None]]
    expect: str = "reject"  # reject | accept | either
    #: For accepted cases: node id → {prop: value} the workspace must then hold.
    check: dict[str, dict] = field(default_factory=dict)
    main: str | None = None  # the path given to the CLI (default: the only file, or the folder)


def csv_bytes(rows: list[list], encoding: str = "utf-8") -> bytes:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    return buf.getvalue().encode(encoding)


def ent(*cells: str, encoding: str = "utf-8") -> bytes:
    return csv_bytes([HEAD, [*cells]], encoding)


def proj(amount: str) -> bytes:
    return csv_bytes([PHEAD, ["proj:x", "测试项目", "签约", amount, "亿元", "stated", "src:t", "签约"]])


def seg(order: str) -> bytes:
    return csv_bytes([SHEAD, ["seg:x", "chain:bat", "测试环节", "midstream", order, "template", "src:t", "模板"]])


TEMPLATE = """\
chain: chain:bat
source: src:t
provenance: template
evidence: basis
segments:
  - {id: seg:a, name: 正极材料, stage: midstream, order: 1, feeds: [seg:b]}
  - {id: seg:b, name: 电芯制造, stage: midstream, order: 2}
"""


def yml(text: str, encoding: str = "utf-8") -> bytes:
    return text.encode(encoding)


# ------------------------------------------------------------------ XLSX builders
def xlsx(sheets: dict[str, list[list]]) -> Callable[[Path], None]:
    def build(path: Path) -> None:
        import openpyxl

        wb = openpyxl.Workbook()
        wb.remove(wb.active)
        for title, rows in sheets.items():
            ws = wb.create_sheet(title)
            for r in rows:
                ws.append(r)
        wb.save(path)

    return build


def xlsx_patched(sheets: dict[str, list[list]], patch: Callable[[dict[str, bytes]], None]) -> Callable[[Path], None]:
    """Build a workbook, then rewrite its zip members with ``patch(members)``."""

    def build(path: Path) -> None:
        xlsx(sheets)(path)
        with zipfile.ZipFile(path) as z:
            members = {n: z.read(n) for n in z.namelist()}
        patch(members)
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
            for n, data in members.items():
                if data is not None:
                    z.writestr(n, data)

    return build


def sheet_xml(rows_xml: str, dimension: str | None = None) -> bytes:
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"{dim}<sheetData>{rows_xml}</sheetData></worksheet>"
    ).encode()


def header_row_xml() -> str:
    cells = "".join(f'<c r="{chr(65 + i)}1" t="inlineStr"><is><t>{h}</t></is></c>' for i, h in enumerate(HEAD))
    return f'<row r="1">{cells}</row>'


def set_sheet(xml: bytes) -> Callable[[dict[str, bytes]], None]:
    def patch(m: dict[str, bytes]) -> None:
        m["xl/worksheets/sheet1.xml"] = xml

    return patch


def big_member(name: str, size: int, head: bytes, unit: bytes, tail: bytes) -> Callable[[Path], None]:
    """A valid workbook whose member ``name`` is replaced by ``head + unit*k + tail`` (``size`` bytes), streamed."""

    def build(path: Path) -> None:
        xlsx({"企业": [HEAD, ROW]})(path)
        with zipfile.ZipFile(path) as z:
            members = {n: z.read(n) for n in z.namelist()}
        if name == "xl/sharedStrings.xml" and name not in members:
            ct = members["[Content_Types].xml"].decode()
            ct = ct.replace("</Types>", '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                            'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
            members["[Content_Types].xml"] = ct.encode()
            rels = members["xl/_rels/workbook.xml.rels"].decode()
            rels = rels.replace("</Relationships>", '<Relationship Id="rIdSS" Type="http://schemas.openxmlformats.org/'
                                'officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
                                "</Relationships>")
            members["xl/_rels/workbook.xml.rels"] = rels.encode()
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
            for n, data in members.items():
                if n == name:
                    continue
                z.writestr(n, data)
            with z.open(name, "w", force_zip64=True) as f:
                f.write(head)
                left = size - len(head) - len(tail)
                chunk = unit * max(1, (1 << 20) // len(unit))
                while left > 0:
                    f.write(chunk[:left])
                    left -= len(chunk)
                f.write(tail)

    return build


def many_cells(n_rows: int, n_cols: int) -> Callable[[Path], None]:
    def build(path: Path) -> None:
        def patch(m: dict[str, bytes]) -> None:
            parts = [header_row_xml()]
            for r in range(2, n_rows + 2):
                cells = "".join(f'<c r="{_col(c)}{r}"><v>1</v></c>' for c in range(n_cols))
                parts.append(f'<row r="{r}">{cells}</row>')
            m["xl/worksheets/sheet1.xml"] = sheet_xml("".join(parts))

        xlsx_patched({"企业": [HEAD]}, patch)(path)

    return build


def _col(i: int) -> str:
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


def symlink_to(target: str) -> Callable[[Path], None]:
    def build(path: Path) -> None:
        path.symlink_to(target)

    return build


def fifo(path: Path) -> None:
    os.mkfifo(path)


def folder(path: Path) -> None:
    path.mkdir()


# ------------------------------------------------------------------ the cases
def cases() -> list[Case]:
    C: list[Case] = []
    add = C.append
    big5_names = ["台積電", "鴻海精密工業", "聯發科技", "廣達電腦", "華碩電腦", "國泰金融", "統一企業"]

    # --- CSV: sizes and syntax
    add(Case("csv_note_200KB", {"enterprises.csv": csv_bytes([[*HEAD, "note"], [*ROW, "a" * 200000]])}, "accept",
             {"ent:x": {"name": "测试企业"}}))
    add(Case("csv_note_1MB", {"enterprises.csv": csv_bytes([[*HEAD, "note"], [*ROW, "备" * 330000]])}, "accept",
             {"ent:x": {"name": "测试企业"}}))
    add(Case("csv_note_2MiB", {"enterprises.csv": csv_bytes([[*HEAD, "note"], [*ROW, "a" * (2 << 20)]])}))
    add(Case("csv_unclosed_quote_row", {"enterprises.csv": b'id,name,provenance,source,evidence\nent:x,"abc,stated,'
                                         b'src:t,x\nent:y,b,stated,src:t,x\n'}))
    add(Case("csv_unclosed_quote_header", {"enterprises.csv": b'"id,name,provenance,source,evidence\n'}))
    add(Case("csv_unclosed_quote_big", {"enterprises.csv": b'id,name,provenance,source,evidence\nent:x,"'
                                         + b"a" * 300_000 + b"\n" * 10}))
    add(Case("csv_quote_after_quote", {"enterprises.csv": b'id,name,provenance,source,evidence\n'
                                        b'ent:x,"ab"c,stated,src:t,x\n'}, "either"))
    add(Case("csv_nul_in_field", {"enterprises.csv": ent("ent:x", "测\x00试", "stated", "src:t", "x")}, "either"))
    add(Case("csv_esc_header", {"enterprises.csv": csv_bytes([["id\x1b[2J\x1b[H", "name"], ["a", "b"]])}))
    add(Case("csv_newline_header", {"enterprises.csv": csv_bytes([["id", "na\nme\nForged: error"], ["a", "b"]])}))
    add(Case("csv_cr_header", {"enterprises.csv": csv_bytes([["id", "na\rme"], ["a", "b"]])}))
    add(Case("csv_esc_value", {"enterprises.csv": ent("ent:x", "\x1b[31m红\x1b[0m", "stated", "src:t", "x")},
             "either", {"ent:x": {"name": "\x1b[31m红\x1b[0m"}}))
    add(Case("csv_bidi_value_bad_ref", {"enterprises.csv": ent("ent:x", "a", "stated", "src:\u202eevil", "x")}))
    add(Case("csv_nel_unknown_ref", {"enterprises.csv": ent("ent:x", "a", "stated", "src:\x85x\u2028y", "x")}))
    add(Case("csv_too_many_cells", {"enterprises.csv": csv_bytes([HEAD, [*ROW, "extra"]])}))
    add(Case("csv_20000_columns", {"enterprises.csv": csv_bytes([HEAD + [f"c{i}" for i in range(20000)], ROW])}))
    add(Case("csv_duplicate_header", {"enterprises.csv": csv_bytes([["id", "name", "名称"], ["a", "b", "c"]])}))
    add(Case("csv_duplicate_id", {"enterprises.csv": csv_bytes([HEAD, ROW, ROW])}))
    add(Case("csv_unknown_source", {"enterprises.csv": ent("ent:x", "a", "stated", "src:nope", "x")}))
    add(Case("csv_5MB_line", {"enterprises.csv": b"id,name\n" + b"a," * (5 << 19) + b"\n"}))
    add(Case("csv_many_empty_lines", {"enterprises.csv": csv_bytes([HEAD, ROW]) + b"\n" * 1_000_000}, "either",
             {"ent:x": {"name": "测试企业"}}))
    add(Case("csv_many_commas_rows", {"enterprises.csv": csv_bytes([HEAD, ROW]) + b",,,,\n" * 200_000}, "either"))
    add(Case("csv_empty", {"enterprises.csv": b""}))
    add(Case("csv_whitespace_only", {"enterprises.csv": b"   \n \n"}))
    add(Case("csv_header_only", {"enterprises.csv": csv_bytes([HEAD])}, "either"))
    add(Case("csv_no_id_column", {"enterprises.csv": csv_bytes([["name"], ["a"]])}))
    add(Case("csv_semicolons", {"enterprises.csv": b"id;name;provenance;source;evidence\nent:x;a;stated;src:t;x\n"}))
    add(Case("csv_tabs", {"enterprises.csv": b"id\tname\tprovenance\tsource\tevidence\nent:x\ta\tstated\tsrc:t\tx\n"}))
    add(Case("csv_unknown_file_name", {"foo.csv": csv_bytes([HEAD, ROW])}))
    add(Case("csv_txt_extension", {"enterprises.txt": csv_bytes([HEAD, ROW])}))
    add(Case("csv_crlf", {"enterprises.csv": csv_bytes([HEAD, ROW]).replace(b"\n", b"\r\n")}, "accept",
             {"ent:x": {"name": "测试企业"}}))
    add(Case("csv_cr_only", {"enterprises.csv": csv_bytes([HEAD, ROW]).replace(b"\n", b"\r")}, "either",
             {"ent:x": {"name": "测试企业"}}))
    add(Case("csv_upper_ext", {"ENTERPRISES.CSV": csv_bytes([HEAD, ROW])}, "accept", {"ent:x": {"name": "测试企业"}}))
    add(Case("csv_id_newline", {"enterprises.csv": ent("ent:\nx", "a", "stated", "src:t", "x")}, "either"))
    add(Case("csv_formula_text", {"enterprises.csv": ent("ent:x", '=HYPERLINK("http://x","y")', "stated", "src:t",
                                                        "x")}, "accept",
             {"ent:x": {"name": '=HYPERLINK("http://x","y")'}}))
    add(Case("csv_dict_looking_text", {"enterprises.csv": ent("ent:x", "{'a': 1}", "stated", "src:t", "x")},
             "accept", {"ent:x": {"name": "{'a': 1}"}}))
    add(Case("csv_random_bytes", {"enterprises.csv": bytes(hashlib.sha256(str(i).encode()).digest()[j % 32]
                                                         for i in range(400) for j in range(32))}))
    add(Case("csv_png", {"enterprises.csv": b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8}))
    add(Case("csv_gzip", {"enterprises.csv": b"\x1f\x8b\x08\x00" + bytes(range(256)) * 4}))
    add(Case("csv_lists_bad_enum", {"enterprises.csv": csv_bytes([[*HEAD, "lists"], [*ROW, "上市|不存在"]])}))
    add(Case("csv_bad_provenance", {"enterprises.csv": ent("ent:x", "a", "guessed", "src:t", "x")}))
    add(Case("csv_stated_no_evidence", {"enterprises.csv": ent("ent:x", "a", "stated", "src:t", "")}))
    add(Case("csv_empty_id", {"enterprises.csv": ent("", "a", "stated", "src:t", "x")}))
    add(Case("csv_id_clash_type", {"regions.csv": csv_bytes([[*HEAD, "level"], ["ent:a", "x", "stated", "src:t",
                                                                              "x", "city"]])}))
    add(Case("csv_edge_missing_end", {"located_in.csv": csv_bytes([["from", "to", "role", "provenance", "source",
                                                                     "evidence"], ["ent:a", "", "site", "stated",
                                                                                   "src:t", "x"]])}))
    add(Case("csv_edge_wrong_types", {"located_in.csv": csv_bytes([["from", "to", "role", "provenance", "source",
                                                                     "evidence"], ["region:km", "ent:a", "site",
                                                                                   "stated", "src:t", "x"]])}))

    # --- CSV: encodings
    add(Case("enc_invalid_ff", {"enterprises.csv": ent("ent:x", "a", "stated", "src:t", "x") + b"\xff\xfe\xff\n"}))
    add(Case("enc_lone_ff_in_name", {"enterprises.csv": ent("ent:x", "a", "stated", "src:t", "x").replace(b",a,",
                                                                                                         b",a\xff,")}))
    mixed = csv_bytes([HEAD, ROW, ["ent:y", "昆明企业", "stated", "src:t", "一句"]]) + \
        csv_bytes([["ent:z", "云南企业", "stated", "src:t", "另一句"]], "gbk")
    add(Case("enc_utf8_with_one_gbk_row", {"enterprises.csv": mixed}))
    mixed2 = csv_bytes([HEAD, ["ent:z", "云南企业", "stated", "src:t", "另一句"]], "gbk") + \
        csv_bytes([ROW], "utf-8")
    add(Case("enc_gbk_with_one_utf8_row", {"enterprises.csv": mixed2}, "either", {"ent:x": {"name": "测试企业"}}))
    add(Case("enc_utf8bom_then_gbk", {"enterprises.csv": b"\xef\xbb\xbf" + csv_bytes([HEAD, ROW], "gbk")}))
    rows_b5 = [HEAD] + [[f"ent:b{i}", n, "stated", "src:t", "來源說明"] for i, n in enumerate(big5_names)]
    add(Case("enc_big5", {"enterprises.csv": csv_bytes(rows_b5, "big5")}, "either",
             {f"ent:b{i}": {"name": n} for i, n in enumerate(big5_names)}))
    add(Case("enc_big5_short", {"enterprises.csv": csv_bytes([HEAD, ["ent:b", "臺灣", "stated", "src:t", "說明"]],
                                                             "big5")}, "either", {"ent:b": {"name": "臺灣"}}))
    add(Case("enc_big5_one_name", {"enterprises.csv": csv_bytes([HEAD, ["ent:b", "鴻海", "stated", "src:t", "x"]],
                                                                "big5")}, "either", {"ent:b": {"name": "鴻海"}}))
    add(Case("enc_gbk", {"enterprises.csv": csv_bytes([HEAD, ROW], "gbk")}, "accept", {"ent:x": {"name": "测试企业"}}))
    add(Case("enc_gbk_short", {"enterprises.csv": csv_bytes([HEAD, ["ent:g", "孚能", "stated", "src:t", "x"]], "gbk")},
             "accept", {"ent:g": {"name": "孚能"}}))
    add(Case("enc_gb18030_4byte", {"enterprises.csv": csv_bytes([HEAD, ["ent:g", "企业€𠀀", "stated", "src:t", "x"]],
                                                                "gb18030")}, "accept",
             {"ent:g": {"name": "企业€𠀀"}}))
    add(Case("enc_utf16le_bom", {"enterprises.csv": b"\xff\xfe" + csv_bytes([HEAD, ROW], "utf-16-le")}, "accept",
             {"ent:x": {"name": "测试企业"}}))
    add(Case("enc_utf16be_bom", {"enterprises.csv": b"\xfe\xff" + csv_bytes([HEAD, ROW], "utf-16-be")}, "accept",
             {"ent:x": {"name": "测试企业"}}))
    add(Case("enc_utf16le_no_bom", {"enterprises.csv": csv_bytes([HEAD, ROW], "utf-16-le")}, "either",
             {"ent:x": {"name": "测试企业"}}))
    add(Case("enc_utf16_odd_length", {"enterprises.csv": b"\xff\xfe" + csv_bytes([HEAD, ROW], "utf-16-le") + b"x"}))
    add(Case("enc_utf32_bom", {"enterprises.csv": csv_bytes([HEAD, ROW], "utf-32")}, "either",
             {"ent:x": {"name": "测试企业"}}))
    add(Case("enc_utf8_bom", {"enterprises.csv": b"\xef\xbb\xbf" + csv_bytes([HEAD, ROW])}, "accept",
             {"ent:x": {"name": "测试企业"}}))
    add(Case("enc_latin1", {"enterprises.csv": ent("ent:x", "Café Müller", "stated", "src:t", "x", encoding="latin-1")},
             "either", {"ent:x": {"name": "Café Müller"}}))
    add(Case("enc_cp1252_quotes", {"enterprises.csv": ent("ent:x", "\u201cq\u201d", "stated", "src:t", "x",
                                                         encoding="cp1252")}, "either",
             {"ent:x": {"name": "\u201cq\u201d"}}))
    add(Case("enc_shift_jis", {"enterprises.csv": ent("ent:x", "トヨタ自動車", "stated", "src:t", "x",
                                                     encoding="shift_jis")}, "either",
             {"ent:x": {"name": "トヨタ自動車"}}))
    add(Case("enc_utf8_surrogate", {"enterprises.csv": ent("ent:x", "a", "stated", "src:t", "x")
                                    + b"b,\xed\xa0\x80\n"}))
    add(Case("enc_utf8_overlong", {"enterprises.csv": ent("ent:x", "a", "stated", "src:t", "x")
                                   .replace(b",a,", b",\xc0\xaf,")}, "either"))
    add(Case("enc_truncated_utf8", {"enterprises.csv": csv_bytes([HEAD, ROW])[:-4]}, "either"))

    # --- numbers and other typed values
    for i, bad in enumerate(["1.000,5", "1e400", "nan", "inf", "-inf", "1e5", "0x10", "１２３", "12元", "1,2345",
                             "1..2", "--1", "+", "1 000", "1'000", "1_000", "Infinity", "12.5.3", "9" * 500, "-3",
                             "1,00", ",100", "100,", "1,000,00", "1.5e-3", "五", "١٢٣", "0b101", "(12)", "12%"]):
        add(Case(f"num_amount_{i}_{bad[:10]}", {"projects.csv": proj(bad)}))
    for i, (good, value) in enumerate([(" 12.5 ", 12.5), ("1,000.5", 1000.5), ("1,234,567", 1234567.0), ("0", 0.0),
                                       ("3", 3.0), ("+4.25", 4.25)]):
        add(Case(f"num_amount_ok_{i}", {"projects.csv": proj(good)}, "either" if "," in good else "accept",
                 {"proj:x": {"agreed_amount": value}}))
    for i, bad in enumerate(["1.5", "1e3", "x", "-1", "1,0"]):
        add(Case(f"num_order_{i}", {"segments.csv": seg(bad)}))
    add(Case("num_order_ok", {"segments.csv": seg("3")}, "accept", {"seg:x": {"order": 3}}))
    for i, bad in enumerate(["2024-02-30", "2024/01/15", "15.01.2024", "二〇二四年", "2024-1-5", "99999-01-01"]):
        add(Case(f"date_{i}", {"projects.csv": csv_bytes([[*PHEAD, "signed_date"],
                                                          ["proj:x", "测试项目", "签约", "1", "亿元", "stated",
                                                           "src:t", "签约", bad]])}))
    add(Case("bool_maybe", {"chains.csv": csv_bytes([["id", "name", "verified", "provenance", "source", "evidence"],
                                                     ["chain:x", "x", "maybe", "stated", "src:t", "x"]])}))

    # --- files and folders
    add(Case("path_missing", {}, main="nope/enterprises.csv"))
    add(Case("path_missing_folder", {}, main="no-such-folder"))
    add(Case("path_empty_folder", {"d": folder}, main="d"))
    add(Case("path_folder_only_txt", {"d": folder, "d/readme.txt": b"hi"}, main="d"))
    add(Case("path_folder_bad_file", {"d": folder, "d/enterprises.csv": ent("ent:x", "a", "stated", "src:nope", "x")},
             main="d"))
    add(Case("path_symlink_dev_zero", {"enterprises.csv": symlink_to("/dev/zero")}))
    add(Case("path_symlink_dev_urandom", {"enterprises.yaml": symlink_to("/dev/urandom")}))
    add(Case("path_fifo", {"enterprises.csv": fifo}))
    add(Case("path_dir_named_csv", {"enterprises.csv": folder}))
    add(Case("path_dangling_symlink", {"enterprises.csv": symlink_to("/nonexistent/x.csv")}))

    # --- YAML
    def tpl(seg_line: str, extra: str = "") -> bytes:
        return yml(f"chain: chain:bat\nsource: src:t\nprovenance: template\nevidence: basis\n{extra}segments:\n"
                   f"  - {seg_line}\n")

    add(Case("yaml_ok", {"t.yaml": yml(TEMPLATE)}, "accept", {"seg:a": {"name": "正极材料"}}))
    add(Case("yaml_id_list", {"t.yaml": tpl("{id: [a, b], name: x, stage: midstream}")}))
    add(Case("yaml_id_mapping", {"t.yaml": tpl("{id: {a: 1}, name: x, stage: midstream}")}))
    add(Case("yaml_name_mapping", {"t.yaml": tpl("{id: seg:a, name: {zh: 正极}, stage: midstream}")}))
    add(Case("yaml_name_list", {"t.yaml": tpl("{id: seg:a, name: [正极], stage: midstream}")}))
    add(Case("yaml_name_bool", {"t.yaml": tpl("{id: seg:a, name: yes, stage: midstream}")}, "either",
             {"seg:a": {"name": "yes"}}))
    add(Case("yaml_name_null", {"t.yaml": tpl("{id: seg:a, name: null, stage: midstream}")}))
    add(Case("yaml_id_null", {"t.yaml": tpl("{id: null, name: x, stage: midstream}")}))
    add(Case("yaml_aliases_nested", {"t.yaml": tpl("{id: seg:a, name: x, stage: midstream, aliases: [[a, [b]]]}")}))
    add(Case("yaml_aliases_mapping_item", {"t.yaml": tpl("{id: seg:a, name: x, stage: midstream, aliases: [{a: 1}]}")}))
    add(Case("yaml_order_float", {"t.yaml": tpl("{id: seg:a, name: x, stage: midstream, order: 1.5}")}))
    add(Case("yaml_order_nan", {"t.yaml": tpl("{id: seg:a, name: x, stage: midstream, order: .nan}")}))
    add(Case("yaml_order_inf", {"t.yaml": tpl("{id: seg:a, name: x, stage: midstream, order: .inf}")}))
    add(Case("yaml_order_huge", {"t.yaml": tpl("{id: seg:a, name: x, stage: midstream, order: 1.0e+400}")}))
    add(Case("yaml_order_1e400_str", {"t.yaml": tpl("{id: seg:a, name: x, stage: midstream, order: 1e400}")}))
    add(Case("yaml_order_list", {"t.yaml": tpl("{id: seg:a, name: x, stage: midstream, order: [1]}")}))
    deep = "[" * 5000 + "]" * 5000
    add(Case("yaml_deep_5000_seq", {"t.yaml": tpl(f"{{id: seg:a, name: x, stage: midstream, note: {deep}}}")}))
    add(Case("yaml_deep_5000_map", {"t.yaml": yml("a: " + "{a: " * 5000 + "1" + "}" * 5000 + "\n")}))
    add(Case("yaml_deep_block", {"t.yaml": yml("".join("  " * i + "- \n" for i in range(3000)))}))
    add(Case("yaml_deep_60", {"t.yaml": tpl(f"{{id: seg:a, name: x, stage: midstream, note: {'[' * 60 + ']' * 60}}}")}))
    bomb = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    for p, q in zip("bcdefghi", "abcdefgh", strict=True):
        bomb += f"{p}: &{p} [{', '.join(['*' + q] * 9)}]\n"
    add(Case("yaml_alias_bomb_top", {"t.yaml": yml(bomb)}))
    bomb2 = ("chain: chain:bat\nsource: src:t\nprovenance: template\nevidence: basis\n"
             "x0: &x0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
             + "".join(f"x{i}: &x{i} [{', '.join(['*x' + str(i - 1)] * 10)}]\n" for i in range(1, 9))
             + "segments:\n  - {id: seg:a, name: x, stage: midstream, aliases: *x8}\n")
    add(Case("yaml_alias_bomb_aliases", {"t.yaml": yml(bomb2)}))
    add(Case("yaml_alias_ok", {"t.yaml": yml("chain: chain:bat\nsource: src:t\nprovenance: template\n"
                                              "evidence: &e basis\nsegments:\n"
                                              "  - {id: seg:a, name: x, stage: midstream, evidence: *e}\n"
                                              "  - {id: seg:b, name: y, stage: midstream, evidence: *e}\n")},
             "accept", {"seg:b": {"evidence": "basis"}}))
    add(Case("yaml_dup_top_key", {"t.yaml": yml(TEMPLATE + "chain: chain:other\n")}))
    add(Case("yaml_dup_seg_key", {"t.yaml": tpl("{id: seg:a, name: x, name: y, stage: midstream}")}))
    add(Case("yaml_dup_block_key", {"t.yaml": yml("chain: chain:bat\nsource: src:t\nprovenance: template\n"
                                                   "evidence: basis\nsegments:\n  - id: seg:a\n    name: x\n"
                                                   "    stage: midstream\n    id: seg:b\n")}))
    add(Case("yaml_segments_mapping", {"t.yaml": yml("chain: chain:bat\nsegments: {a: 1}\n")}))
    add(Case("yaml_segments_empty", {"t.yaml": yml("chain: chain:bat\nsegments: []\n")}))
    add(Case("yaml_segment_scalar", {"t.yaml": tpl("just a string")}))
    add(Case("yaml_seg_feeds_mapping", {"t.yaml": tpl("{id: seg:a, name: x, stage: midstream, feeds: {a: 1}}")}))
    add(Case("yaml_seg_feeds_nested", {"t.yaml": tpl("{id: seg:a, name: x, stage: midstream, feeds: [[seg:b]]}")}))
    add(Case("yaml_seg_feeds_string", {"t.yaml": tpl("{id: seg:a, name: x, stage: midstream, feeds: seg:b}")}))
    add(Case("yaml_feed_from_list", {"t.yaml": yml(TEMPLATE + "feeds:\n  - {from: [seg:a], to: seg:b}\n")}))
    add(Case("yaml_feed_scalar", {"t.yaml": yml(TEMPLATE + "feeds: [seg:a]\n")}))
    add(Case("yaml_unknown_top", {"t.yaml": yml(TEMPLATE + "segmnets: []\n")}))
    add(Case("yaml_line_key", {"t.yaml": tpl("{id: seg:a, name: x, stage: midstream, __line__: 5}")}))
    add(Case("yaml_tabs", {"t.yaml": yml("chain: chain:bat\nsegments:\n\t- {id: a}\n")}))
    add(Case("yaml_python_tag", {"t.yaml": yml('!!python/object/apply:os.system ["echo pwned"]\n')}))
    add(Case("yaml_python_name", {"t.yaml": yml(TEMPLATE.replace("basis", "!!python/name:os.system"))}))
    add(Case("yaml_invalid", {"t.yaml": yml("a: b: c\n")}))
    add(Case("yaml_multi_doc", {"t.yaml": yml(TEMPLATE + "---\n" + TEMPLATE)}))
    add(Case("yaml_empty", {"t.yaml": b""}))
    add(Case("yaml_comment_only", {"t.yaml": b"# nothing\n"}))
    add(Case("yaml_scalar_doc", {"t.yaml": b"hello\n"}))
    add(Case("yaml_list_doc", {"t.yaml": b"- a\n- b\n"}))
    add(Case("yaml_binary", {"t.yml": bytes(range(256)) * 4}))
    add(Case("yaml_undefined_alias", {"t.yaml": yml(TEMPLATE.replace("basis", "*nope"))}))
    add(Case("yaml_complex_key", {"t.yaml": yml("? [a, b]\n: c\nchain: x\n")}))
    add(Case("yaml_esc_key", {"t.yaml": yml(TEMPLATE + '"evil\\e[2J\\nForged: line": 1\n')}))
    add(Case("yaml_chain_int", {"t.yaml": yml(TEMPLATE.replace("chain: chain:bat", "chain: 42"))}))
    add(Case("yaml_chain_list", {"t.yaml": yml(TEMPLATE.replace("chain: chain:bat", "chain: [chain:bat]"))}))
    add(Case("yaml_source_list", {"t.yaml": yml(TEMPLATE.replace("source: src:t", "source: [src:t]"))}))
    add(Case("yaml_provenance_map", {"t.yaml": yml(TEMPLATE.replace("provenance: template", "provenance: {a: 1}"))}))
    add(Case("yaml_dup_segment_ids", {"t.yaml": tpl("{id: seg:a, name: x, stage: midstream}",
                                                    ).replace(b"segments:\n", b"segments:\n  - {id: seg:a, name: y, "
                                                                              b"stage: midstream}\n")}))
    add(Case("yaml_2MiB_string", {"t.yaml": tpl("{id: seg:a, name: x, stage: midstream, note: " + "a" * (2 << 20)
                                                + "}")}))
    add(Case("yaml_gbk", {"t.yaml": yml(TEMPLATE, "gbk")}, "accept", {"seg:a": {"name": "正极材料"}}))
    add(Case("yaml_utf16", {"t.yaml": yml(TEMPLATE, "utf-16")}, "accept", {"seg:a": {"name": "正极材料"}}))
    add(Case("yaml_big5", {"t.yaml": yml(TEMPLATE.replace("正极材料", "正極材料").replace("电芯制造", "電芯製造"),
                                         "big5")}, "either", {"seg:a": {"name": "正極材料"}}))
    add(Case("yaml_merge_key", {"t.yaml": yml("chain: chain:bat\nsource: src:t\nprovenance: template\n"
                                               "evidence: basis\nbase: &b {stage: midstream}\nsegments:\n"
                                               "  - {<<: *b, id: seg:a, name: x}\n")}, "either"))
    add(Case("yaml_big_flat_feeds", {"t.yaml": tpl("{id: seg:a, name: x, stage: midstream, feeds: ["
                                                   + ", ".join(f"s{i}" for i in range(100_000)) + "]}")}))
    add(Case("yaml_octal_order", {"t.yaml": tpl("{id: seg:a, name: x, stage: midstream, order: 010}")}, "either"))
    add(Case("yaml_date_name", {"t.yaml": tpl("{id: seg:a, name: 2024-01-15, stage: midstream}")}, "either",
             {"seg:a": {"name": "2024-01-15"}}))
    add(Case("yaml_binary_tag", {"t.yaml": tpl("{id: seg:a, name: !!binary aGVsbG8=, stage: midstream}")}))
    add(Case("yaml_set_tag", {"t.yaml": tpl("{id: seg:a, name: !!set {a, b}, stage: midstream}")}))
    add(Case("yaml_bad_timestamp", {"t.yaml": tpl("{id: seg:a, name: x, stage: midstream, note: 2024-13-45}")}))
    add(Case("yaml_int_tag_abc", {"t.yaml": tpl("{id: seg:a, name: x, stage: midstream, order: !!int abc}")}))
    add(Case("yaml_bool_tag_maybe", {"t.yaml": tpl("{id: seg:a, name: x, stage: midstream, order: !!bool maybe}")}))
    add(Case("yaml_huge_int", {"t.yaml": tpl("{id: seg:a, name: x, stage: midstream, order: 99999999999999999999}")}))
    add(Case("yaml_sexagesimal", {"t.yaml": tpl("{id: seg:a, name: x, stage: midstream, order: 1:20}")}, "either"))
    add(Case("yaml_symlink_loop", {"t.yaml": symlink_to("t.yaml")}))
    add(Case("yaml_anchor_on_segment_reuse", {"t.yaml": yml("chain: chain:bat\nsource: src:t\nprovenance: template\n"
                                                             "evidence: basis\nsegments:\n"
                                                             "  - &s {id: seg:a, name: x, stage: midstream}\n"
                                                             "  - *s\n")}))

    # --- XLSX
    add(Case("xlsx_ok", {"企业.xlsx": xlsx({"企业": [HEAD, ROW]})}, "accept", {"ent:x": {"name": "测试企业"}}))
    add(Case("xlsx_cell_XFD1048576", {"b.xlsx": xlsx_patched({"企业": [HEAD]}, set_sheet(sheet_xml(
        header_row_xml() + '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>')))}))
    add(Case("xlsx_dimension_lies_huge", {"b.xlsx": xlsx_patched({"企业": [HEAD]}, set_sheet(sheet_xml(
        header_row_xml(), "A1:XFD1048576")))}, "either"))
    add(Case("xlsx_dimension_lies_small", {"b.xlsx": xlsx_patched({"企业": [HEAD]}, set_sheet(sheet_xml(
        header_row_xml() + '<row r="2">' + "".join(f'<c r="{chr(65 + i)}2" t="inlineStr"><is><t>{v}</t></is></c>'
                                                   for i, v in enumerate(ROW)) + "</row>", "A1:A1")))},
        "either", {"ent:x": {"name": "测试企业"}}))
    add(Case("xlsx_row_2M", {"b.xlsx": xlsx_patched({"企业": [HEAD]}, set_sheet(sheet_xml(
        header_row_xml() + '<row r="2000000"><c r="A2000000"><v>1</v></c></row>')))}))
    add(Case("xlsx_bad_ref", {"b.xlsx": xlsx_patched({"企业": [HEAD]}, set_sheet(sheet_xml(
        header_row_xml() + '<row r="2"><c r="ZZZZZ2"><v>1</v></c></row>')))}))
    add(Case("xlsx_gap_rows", {"b.xlsx": xlsx_patched({"企业": [HEAD]}, set_sheet(sheet_xml(
        header_row_xml() + '<row r="900000">' + "".join(
            f'<c r="{chr(65 + i)}900000" t="inlineStr"><is><t>{v}</t></is></c>' for i, v in enumerate(ROW))
        + "</row>")))}, "either", {"ent:x": {"name": "测试企业"}}))
    add(Case("xlsx_zip_bomb_sheet", {"b.xlsx": big_member(
        "xl/worksheets/sheet1.xml", 600 << 20, sheet_xml(header_row_xml())[:-len(b"</sheetData></worksheet>")],
        b"<row/>", b"</sheetData></worksheet>")}))
    add(Case("xlsx_shared_strings_bomb", {"b.xlsx": big_member(
        "xl/sharedStrings.xml", 300 << 20,
        b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/'
        b'main">', b"<si><t>a</t></si>", b"</sst>")}))
    add(Case("xlsx_docprops_bomb", {"b.xlsx": big_member("docProps/app.xml", 400 << 20, b"<a>", b" ", b"</a>")}))
    add(Case("xlsx_5M_cells", {"b.xlsx": many_cells(1_000_000, 5)}))
    add(Case("xlsx_not_zip", {"企业.xlsx": csv_bytes([HEAD, ROW])}))
    add(Case("xlsx_ole", {"企业.xlsx": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4000)}))
    add(Case("xlsx_empty_file", {"企业.xlsx": b""}))
    add(Case("xlsx_truncated", {"企业.xlsx": lambda p: (xlsx({"企业": [HEAD, ROW]})(p),
                                                      p.write_bytes(p.read_bytes()[:1500]))}))
    add(Case("xlsx_no_workbook_xml", {"b.xlsx": xlsx_patched({"企业": [HEAD, ROW]},
                                                             lambda m: m.pop("xl/workbook.xml"))}))
    add(Case("xlsx_missing_sheet_part", {"b.xlsx": xlsx_patched({"企业": [HEAD, ROW]},
                                                                lambda m: m.pop("xl/worksheets/sheet1.xml"))}))

    def no_sheets(m: dict[str, bytes]) -> None:
        wb = m["xl/workbook.xml"].decode()
        start, end = wb.index("<sheets>"), wb.index("</sheets>")
        m["xl/workbook.xml"] = (wb[:start] + "<sheets></sheets>" + wb[end + 9:]).encode()

    add(Case("xlsx_no_sheets", {"b.xlsx": xlsx_patched({"企业": [HEAD, ROW]}, no_sheets)}))
    add(Case("xlsx_only_unknown_sheet", {"b.xlsx": xlsx({"Sheet1": [HEAD, ROW]})}))
    add(Case("xlsx_empty_known_sheet", {"b.xlsx": xlsx({"企业": []})}, "either"))
    add(Case("xlsx_esc_header", {"b.xlsx": xlsx_patched({"企业": [HEAD]}, set_sheet(sheet_xml(
        '<row r="1"><c r="A1" t="inlineStr"><is><t>id_x001B_[2J</t></is></c><c r="B1" t="inlineStr"><is><t>'
        'x&#13;y</t></is></c></row>')))}))
    add(Case("xlsx_newline_header", {"b.xlsx": xlsx({"企业": [["id", "na\nForged: x"], ["a", "b"]]})}))
    add(Case("xlsx_bidi_sheet_title", {"b.xlsx": xlsx({"企\u202e业": [HEAD, ROW]})}))
    add(Case("xlsx_error_cell", {"b.xlsx": xlsx_patched({"企业": [HEAD]}, set_sheet(sheet_xml(
        header_row_xml() + '<row r="2"><c r="A2" t="inlineStr"><is><t>ent:x</t></is></c>'
        '<c r="B2" t="e"><v>#N/A</v></c><c r="C2" t="inlineStr"><is><t>stated</t></is></c>'
        '<c r="D2" t="inlineStr"><is><t>src:t</t></is></c><c r="E2" t="inlineStr"><is><t>x</t></is></c></row>')))}))
    add(Case("xlsx_formula_no_value", {"b.xlsx": xlsx_patched({"企业": [HEAD]}, set_sheet(sheet_xml(
        header_row_xml() + '<row r="2"><c r="A2" t="inlineStr"><is><t>ent:x</t></is></c>'
        '<c r="B2" t="inlineStr"><is><t>n</t></is></c><c r="C2" t="inlineStr"><is><t>stated</t></is></c>'
        '<c r="D2" t="inlineStr"><is><t>src:t</t></is></c><c r="E2"><f>A1&amp;"x"</f></c></row>')))}, "either"))
    add(Case("xlsx_bool_name", {"b.xlsx": xlsx({"企业": [HEAD, ["ent:x", True, "stated", "src:t", "x"]]})}, "either",
             {"ent:x": {"name": "True"}}))
    add(Case("xlsx_number_name", {"b.xlsx": xlsx({"企业": [HEAD, ["ent:x", 123, "stated", "src:t", "x"]]})}, "either",
             {"ent:x": {"name": "123"}}))
    add(Case("xlsx_date_amount", {"b.xlsx": xlsx({"项目": [PHEAD, ["proj:x", "p", "签约",
                                                                  __import__("datetime").datetime(2024, 1, 1),
                                                                  "亿元", "stated", "src:t", "x"]]})}))
    add(Case("xlsx_text_amount", {"b.xlsx": xlsx({"项目": [PHEAD, ["proj:x", "p", "签约", "1.000,5", "亿元", "stated",
                                                                  "src:t", "x"]]})}))
    add(Case("xlsx_2MiB_cell", {"b.xlsx": xlsx_patched({"企业": [HEAD]}, set_sheet(sheet_xml(
        header_row_xml() + '<row r="2">' + "".join(f'<c r="{chr(65 + i)}2" t="inlineStr"><is><t>{v}</t></is></c>'
                                                   for i, v in enumerate([*ROW[:4], "a" * (2 << 20)])) + "</row>")))}))
    add(Case("xlsx_extra_cells", {"b.xlsx": xlsx({"企业": [HEAD, ROW + [None] * 50 + ["x"]]})}))
    add(Case("xlsx_1000_sheets", {"b.xlsx": xlsx({f"s{i}": [["id"]] for i in range(1000)})}))
    add(Case("xlsx_entity_bomb", {"b.xlsx": xlsx_patched({"企业": [HEAD]}, set_sheet(
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
                   for i in range(1, 10))
        + b']><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
          b'<row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>'))}))
    add(Case("xlsx_xxe", {"b.xlsx": xlsx_patched({"企业": [HEAD]}, set_sheet(
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        b'<row r="1"><c r="A1" t="inlineStr"><is><t>&e;</t></is></c></row></sheetData></worksheet>'))}))
    add(Case("xlsx_bad_shared_index", {"b.xlsx": xlsx_patched({"企业": [HEAD]}, set_sheet(sheet_xml(
        header_row_xml() + '<row r="2"><c r="A2" t="s"><v>99999</v></c></row>')))}))
    add(Case("xlsx_many_members", {"b.xlsx": xlsx_patched({"企业": [HEAD, ROW]},
                                                           lambda m: m.update({f"junk/{i}": b"" for i in
                                                                               range(30_000)}))}, "either",
             {"ent:x": {"name": "测试企业"}}))
    add(Case("xlsx_garbage_sheet_xml", {"b.xlsx": xlsx_patched({"企业": [HEAD]}, set_sheet(b"<not xml"))}))
    add(Case("xlsx_two_sheets_same_type", {"b.xlsx": xlsx({"企业": [HEAD, ROW], "enterprises": [HEAD, ROW]})}))
    return C


# ------------------------------------------------------------------ running
def _limit() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def run(args: list[str], cwd: Path) -> tuple[int | None, str, float]:
    t = time.monotonic()
    env = {**os.environ, "PYTHONHASHSEED": "0", "COLUMNS": "200"}
    env.pop("CHAINKG_DEBUG", None)
    try:
        p = subprocess.run(args, cwd=cwd, capture_output=True, timeout=TIMEOUT, preexec_fn=_limit, env=env)
    except subprocess.TimeoutExpired:
        return None, "", time.monotonic() - t
    return p.returncode, p.stderr.decode("utf-8", "backslashreplace"), time.monotonic() - t


def base_workspace(path: Path) -> None:
    sys.path.insert(0, str(Path(__file__).parent))
    from chainkg.graph import KnowledgeGraph
    from chainkg.graph.workspace import save
    from chainkg.loaders import load_paths
    from helpers import CHAINS, ENTERPRISES, REGIONS, SOURCES, write_csv

    d = path.parent / "base-data"
    write_csv(d / "sources.csv", SOURCES)
    write_csv(d / "chains.csv", CHAINS)
    write_csv(d / "regions.csv", REGIONS)
    write_csv(d / "enterprises.csv", ENTERPRISES)
    kg = KnowledgeGraph({"name": "attack"})
    load_paths([d], kg)
    save(kg, path)


#: The CLI's closing line after the per-file errors.
SUMMARY = re.compile(r"Error: \d+ errors?(; nothing was loaded| in \d+ path\(s\))")


def bad_message_lines(stderr: str, main: str) -> list[str]:
    """stderr lines that hold a raw control character, or name neither the input nor are the closing summary."""
    bad = []
    for line in stderr.splitlines():
        raw = any((ord(c) < 32 and c != "\t") or 0x7f <= ord(c) < 0xa0 or c in "\u2028\u2029\u202e" for c in line)
        named = line.startswith((main, str(Path(main).parent))) or bool(SUMMARY.fullmatch(line)) or (
            line.startswith("Error: ") and main in line)
        if raw or not named:
            bad.append(line)
    return bad


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("-k", default="", help="only cases whose name contains this")
    ap.add_argument("-v", action="store_true", help="print every case")
    ap.add_argument("--chainkg", default=shutil.which("chainkg") or "chainkg")
    ns = ap.parse_args()
    counts = dict(cases=0, runs=0, tracebacks=0, hangs=0, misreads=0, refused_good=0, changed_workspaces=0,
                  bad_messages=0)
    problems: list[str] = []
    with tempfile.TemporaryDirectory(prefix="chainkg-attack-") as tmp:
        root = Path(tmp)
        base = root / "base.json"
        base_workspace(base)
        for case in cases():
            if ns.k not in case.name:
                continue
            counts["cases"] += 1
            d = root / case.name
            d.mkdir()
            try:
                for rel, content in case.files.items():
                    p = d / rel
                    p.parent.mkdir(parents=True, exist_ok=True)
                    if callable(content):
                        content(p)
                    else:
                        p.write_bytes(content)
            except Exception as e:  # a builder that cannot make its input is a bug of this script: say so, go on
                problems.append(f"{case.name}: could not build the input ({e!r})"[:200])
                counts["cases"] -= 1
                continue
            main_path = case.main or (next(iter(case.files)) if len(case.files) == 1 else ".")
            ws = d / "ws.json"
            shutil.copy(base, ws)
            before = ws.read_bytes()
            notes = []
            for cmd in (["--graph", "ws.json", "validate", main_path], ["load", main_path, "--into", "ws.json"]):
                counts["runs"] += 1
                code, err, secs = run([ns.chainkg, *cmd], d)
                what = f"{case.name} [{cmd[2] if cmd[0] == '--graph' else 'load'}]"
                if code is None:
                    counts["hangs"] += 1
                    notes.append(f"{what}: HANG > {TIMEOUT}s")
                    continue
                if "Traceback (most recent call last)" in err:
                    counts["tracebacks"] += 1
                    notes.append(f"{what}: TRACEBACK {err.strip().splitlines()[-1][:200]}")
                    continue
                bad = bad_message_lines(err, main_path)
                if bad:
                    counts["bad_messages"] += 1
                    notes.append(f"{what}: bad message line {bad[0][:160]!r}")
                if case.expect == "reject" and code == 0:
                    counts["misreads"] += 1
                    notes.append(f"{what}: exit 0 on input that must be refused")
                if case.expect == "accept" and code != 0:
                    counts["refused_good"] += 1
                    notes.append(f"{what}: refused good input: {err.strip().splitlines()[:2]}")
                if cmd[0] == "load":
                    after = ws.read_bytes() if ws.exists() else b""
                    if code != 0 and after != before:
                        counts["changed_workspaces"] += 1
                        notes.append(f"{what}: refused load changed the workspace")
                    if code == 0 and case.check:
                        doc = json.loads(after)
                        nodes = {n["id"]: n for n in doc["nodes"]}
                        for nid, props in case.check.items():
                            got = {k: nodes.get(nid, {}).get(k) for k in props}
                            if got != props:
                                counts["misreads"] += 1
                                notes.append(f"{what}: stored {got!r}, expected {props!r}")
                                break
                if ns.v:
                    print(f"  {what}: exit {code} in {secs:.1f}s; {err.strip().splitlines()[:1]}"[:300])
            problems += notes
            shutil.rmtree(d, ignore_errors=True)
    for p in problems:
        print(p)
    print(json.dumps(counts))
    bad = sum(v for k, v in counts.items() if k not in ("cases", "runs"))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
