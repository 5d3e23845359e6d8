"""The Chinese CLI (``--lang``, ``CHAINKG_LANG``) and tables that fit the terminal (``COLUMNS``, ``--wide``).

conftest.py runs every test with CHAINKG_LANG=en and no COLUMNS; the tests here set or unset both themselves.
"""

from __future__ import annotations

import copy
import csv
import io
import json
import pickle
from dataclasses import asdict, fields

import pytest

from chainkg.cli import main
from chainkg.graph.queries import QUERIES
from chainkg.i18n import LABELS, MESSAGES, Message, message, say
from chainkg.output import display_width, render_table, wrap

#: Every registered query as a command line (both ways of scoping: all chains, and one chain).
QUERY_COMMANDS = [
    (["gaps", q.name] if q.group == "gaps" else [q.name]) + extra
    for q in QUERIES.values() for extra in ([], ["--chain", "新能源电池"])
] + [["targets", "--explain"], ["targets", "--chain", "新能源电池", "--explain"],
     ["pipeline", "--as-of", "2024-01-15"], ["gaps", "extend", "--k", "2"]]
#: The other commands that print tables.
OTHER_COMMANDS = [
    ["info"], ["show", "孚能科技"], ["show", "新能源电池"], ["search", "电池"], ["search", "云南", "--type", "企业"],
    ["templates", "list"], ["templates", "show", "新能源电池"],
]
TABLE_COMMANDS = QUERY_COMMANDS + OTHER_COMMANDS


def _run(runner, argv, monkeypatch, lang: str | None = None, columns: int | None = None):
    if lang is None:
        monkeypatch.delenv("CHAINKG_LANG", raising=False)
    else:
        monkeypatch.setenv("CHAINKG_LANG", lang)
    if columns is None:
        monkeypatch.delenv("COLUMNS", raising=False)
    else:
        monkeypatch.setenv("COLUMNS", str(columns))
    r = runner.invoke(main, argv)
    assert r.exit_code == 0, r.output
    return r.output


# ------------------------------------------------------------------------------ fitting the terminal
@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("argv", TABLE_COMMANDS, ids=" ".join)
def test_every_table_fits_80_and_120_columns(runner, monkeypatch, argv, lang):
    for columns in (80, 120):
        out = _run(runner, argv, monkeypatch, lang, columns)
        too_wide = [line for line in out.splitlines() if display_width(line) > columns]
        assert not too_wide, f"{columns} columns, {lang}: {too_wide[:2]}"


def test_match_table_fits(runner, monkeypatch, tmp_path):
    """``match`` prints its table too (on a copy: it writes its workspace unless --dry-run)."""
    ws = tmp_path / "k.json"
    assert runner.invoke(main, ["export", "--format", "workspace", "-o", str(ws)]).exit_code == 0
    for lang in ("zh", "en"):
        out = _run(runner, ["--graph", str(ws), "match", "--dry-run"], monkeypatch, lang, 80)
        assert max(display_width(line) for line in out.splitlines()) <= 80


@pytest.mark.parametrize("name", [q.name for q in QUERIES.values() if q.group == "gaps"] + ["targets"])
def test_wide_prints_one_line_per_row(runner, monkeypatch, name):
    """--wide: nothing wrapped, every column (also the one --chain makes constant), whatever COLUMNS says."""
    argv = (["gaps", name] if name != "targets" else ["targets", "--explain"]) + ["--chain", "新能源电池"]
    rows = json.loads(_run(runner, [*argv, "--format", "json"], monkeypatch, "en"))
    out = _run(runner, [*argv, "--wide"], monkeypatch, "zh", 80)
    lines = out.splitlines()
    if not rows:
        assert lines == ["（无结果）"]
        return
    assert len(lines) == len(rows) + 2  # header, rule, one line per row
    assert "产业链" in lines[0].split()  # the chain column is kept
    assert out == _run(runner, [*argv, "--wide"], monkeypatch, "zh", None)


def test_chain_filter_drops_the_constant_column_and_says_so(runner, monkeypatch):
    out = _run(runner, ["gaps", "missing", "--chain", "新能源电池"], monkeypatch, None, 120)
    first, header = out.splitlines()[:2]
    assert first == "产业链：新能源电池（各行相同，未列出）"
    assert header.split() == ["环节", "阶段", "得分", "理由"]
    out = _run(runner, ["gaps", "missing", "--chain", "新能源电池"], monkeypatch, "en", 120)
    assert out.splitlines()[0] == "chain: 新能源电池 (the same on every row, not shown)"
    # Without --chain the column stays, though here too every row could share a chain.
    out = _run(runner, ["gaps", "missing"], monkeypatch, "en", 120)
    assert out.splitlines()[0].split()[0] == "chain"


def test_unfitted_without_a_terminal(runner, monkeypatch):
    """Not a TTY and no COLUMNS (a pipe, a file): every cell whole, one line per row."""
    rows = json.loads(_run(runner, ["gaps", "missing", "--format", "json"], monkeypatch, "en"))
    out = _run(runner, ["gaps", "missing"], monkeypatch, "en")
    assert len(out.splitlines()) == len(rows) + 2
    assert all(r["reason"] in out for r in rows)


def test_wrapping_a_chinese_table_by_hand():
    """Worked out by hand (see the comments): 30 columns leave 26 after two gaps of 2.

    Natural widths 6 (电解液), 1 (a number), 44 (22 Chinese characters); the reason column starts at its
    soft minimum 10, takes the 9 columns left (6 + 1 + 19 = 26) and wraps at 19: after 、 and ；, which
    keeps at least half a line, and after the space before 电芯制造.
    """
    rows = [{"环节": "锂盐", "n": 2, "理由": "无本地企业、无落地项目；下游已覆盖：正极材料"},
            {"环节": "电解液", "n": 1, "理由": "feeds covered 电芯制造"}]
    assert render_table(rows, width=30).splitlines() == [
        "环节    n  理由",
        "------  -  -------------------",
        "锂盐    2  无本地企业、",
        "           无落地项目；",
        "           下游已覆盖：",
        "           正极材料",
        "电解液  1  feeds covered",
        "           电芯制造",
    ]
    # Unfitted, the same table is one line per row.
    assert render_table(rows).splitlines()[2] == "锂盐    2  无本地企业、无落地项目；下游已覆盖：正极材料"


def test_wrap_never_starts_a_line_with_closing_punctuation_and_breaks_long_words():
    assert wrap("甲乙丙丁、戊", 8) == ["甲乙丙", "丁、戊"]  # 、 may not start a line: 丁 goes with it
    assert wrap("abcdefghij", 4) == ["abcd", "efgh", "ij"]
    assert wrap("", 4) == [""]


# ------------------------------------------------------------------------------ language
def test_chinese_is_the_default_and_english_is_one_switch_away(runner, monkeypatch):
    argv = ["gaps", "missing", "--chain", "新能源电池"]
    zh = _run(runner, argv, monkeypatch, None, 200)
    assert zh.splitlines()[1].split() == ["环节", "阶段", "得分", "理由"]
    assert "上游" in zh and "无本地企业、无落地项目" in zh and "upstream" not in zh
    en_env = _run(runner, argv, monkeypatch, "en", 200)
    assert en_env.splitlines()[1].split() == ["segment", "stage", "score", "reason"]
    assert "no local enterprise and no landed project" in en_env
    en_opt = _run(runner, ["--lang", "en", *argv], monkeypatch, None, 200)
    assert en_opt == en_env
    assert _run(runner, ["--lang", "zh", *argv], monkeypatch, "en", 200) == zh  # the option beats the env


def test_zh_messages_no_rows_and_home_region(runner, monkeypatch, tmp_path):
    from chainkg.graph.kg import KnowledgeGraph
    from chainkg.graph.workspace import save

    out = _run(runner, ["search", "不存在的名字"], monkeypatch, None)
    assert out.strip() == "（无结果）"
    ws = tmp_path / "empty.json"
    save(KnowledgeGraph({"name": "空"}), ws)
    monkeypatch.delenv("CHAINKG_LANG", raising=False)
    r = runner.invoke(main, ["--graph", str(ws), "gaps", "missing"])
    assert r.exit_code == 1
    assert r.output.strip().startswith("错误：数据未设定本地区域") and "--region" in r.output
    r = runner.invoke(main, ["gaps", "missing", "--chain", "电池"])
    assert r.exit_code == 1 and "找不到产业链“电池”；是否要找：" in r.output and "新能源电池" in r.output
    r = runner.invoke(main, ["--lang", "en", "gaps", "missing", "--chain", "电池"])
    assert r.output.startswith("Error: unknown chain '电池'")


@pytest.mark.parametrize("argv", [c for c in QUERY_COMMANDS if "--explain" not in c], ids=" ".join)
def test_json_is_the_same_in_both_languages(runner, monkeypatch, argv):
    zh = json.loads(_run(runner, [*argv, "--format", "json"], monkeypatch, None))
    en = json.loads(_run(runner, [*argv, "--format", "json"], monkeypatch, "en"))
    assert zh == en


def test_csv_headers_and_values_follow_the_language_and_stay_excel_ready(runner, monkeypatch):
    for argv in (["gaps", "missing"], ["gaps", "weak"], ["targets"], ["pipeline", "--section", "stalled"]):
        rows = json.loads(_run(runner, [*argv, "--format", "json"], monkeypatch, "en"))
        for lang in ("zh", "en"):
            text = _run(runner, [*argv, "--format", "csv"], monkeypatch, lang)
            assert text.startswith("\ufeff")
            table = list(csv.reader(io.StringIO(text.encode("utf-8").decode("utf-8-sig"))))
            header, body = table[0], table[1:]
            assert len(body) == len(rows)
            assert not [h for h in header if h[:1] in ("=", "+", "-", "@")]
            keys = [k for k in rows[0] if k != "parts"]  # targets: the score parts as part_… columns, last
            keys += [f"part_{p}" for p in rows[0].get("parts", {})]
            expected = [LABELS.get(k, k) if lang == "zh" else k for k in keys]
            assert header == expected
    text = _run(runner, ["gaps", "missing", "--format", "csv"], monkeypatch, None)
    body = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert {r["阶段"] for r in body} <= {"上游", "中游", "下游", "循环", "配套"}
    assert all(r["理由"].startswith("无本地企业、无落地项目") for r in body)


def test_xlsx_headers_follow_the_language(runner, monkeypatch, tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "缺链.xlsx"
    _run(runner, ["gaps", "missing", "-o", str(out)], monkeypatch, None)
    ws = load_workbook(out).active
    header = [c.value for c in ws[1]]
    assert header[:4] == ["产业链", "环节", "环节编号", "阶段"]
    assert ws.cell(row=2, column=4).value in ("上游", "中游", "下游", "循环")


def test_viz_and_report_follow_the_global_language(runner, monkeypatch, tmp_path):
    monkeypatch.setenv("CHAINKG_LANG", "en")
    page = tmp_path / "p.html"
    assert runner.invoke(main, ["viz", "--chain", "新能源电池", "-o", str(page)]).exit_code == 0
    assert '<html lang="en"' in page.read_text(encoding="utf-8")
    assert runner.invoke(main, ["viz", "--chain", "新能源电池", "--lang", "zh", "-o", str(page)]).exit_code == 0
    assert '<html lang="zh' in page.read_text(encoding="utf-8")
    md = tmp_path / "r.md"
    assert runner.invoke(main, ["report", "--chain", "新能源电池", "-o", str(md)]).exit_code == 0
    assert "no local enterprise and no landed project" in md.read_text(encoding="utf-8")
    assert runner.invoke(main, ["--lang", "zh", "report", "--chain", "新能源电池", "-o", str(md)]).exit_code == 0
    assert "无本地企业、无落地项目" in md.read_text(encoding="utf-8")


# ------------------------------------------------------------------------------ the catalogue
def test_every_row_field_has_a_chinese_header():
    names = {n for q in QUERIES.values()
             for n in getattr(q.row_type, "_fields", None) or [f.name for f in fields(q.row_type)]}  # named tuple
    assert {"enterprise_id", "placement", "why"} <= names  # TargetRow, a named tuple, is counted
    missing = sorted(names - set(LABELS))
    missing = [m for m in missing if m not in ("by_status", "by_chain", "by_region", "by_event", "totals",
                                               "conversion", "stalled")]  # the pipeline's sections, not columns
    assert not missing


def test_every_message_renders_in_both_languages():
    from chainkg.graph.examples import toy_chain
    from chainkg.graph.queries import extend, missing, supply, targets, weak

    kg = toy_chain()
    reasons = [r.reason for r in missing(kg) + weak(kg) + extend(kg, k=2) + supply(kg)]
    reasons += [r.why for r in targets(kg)]
    codes = {c for m in reasons for c, _ in m.parts}
    assert codes <= set(MESSAGES)
    for m in reasons:
        assert isinstance(m, Message)
        zh = say(m, "zh")
        assert zh != m and not any(w in zh for w in ("local", "covered", "anchors"))
        assert say(m, "en") == m


def test_a_message_is_its_english_text_for_scripts():
    m = message(("no_local", {}), ("feeds_covered", {"names": ["电芯", "整车"]}))
    assert m == "no local enterprise and no landed project; feeds covered 电芯、整车"
    assert json.dumps({"reason": m}, ensure_ascii=False) == \
        '{"reason": "no local enterprise and no landed project; feeds covered 电芯、整车"}'
    for copied in (copy.deepcopy(m), pickle.loads(pickle.dumps(m))):
        assert copied == m and copied.say("zh") == "无本地企业、无落地项目；下游已覆盖：电芯、整车"
    from chainkg.graph.examples import toy_chain
    from chainkg.graph.queries import missing

    row = missing(toy_chain())[0]
    assert isinstance(asdict(row)["reason"], Message)  # asdict keeps the phrases (the report localises them)


# ------------------------------------------------------------------------------ loading and writing in Chinese
PROJECTS = ("id,name,status,agreed_amount,provenance,source,evidence\n"
            "proj:a,甲项目,签约,5,stated,src:kunming-2024-01-15,引文\n"
            "proj:b,乙项目,签了,3,stated,src:kunming-2024-01-15,引文\n"
            "proj:c,丙项目,在谈,-3,stated,src:nope,引文\n")


def test_load_errors_name_file_row_and_column_in_chinese_and_stay_english_for_scripts(runner, monkeypatch, tmp_path):
    (tmp_path / "projects.csv").write_text(PROJECTS, encoding="utf-8")
    ws = tmp_path / "city.json"
    argv = ["load", str(tmp_path / "projects.csv"), "--into", str(ws), "--base", "kunming"]
    monkeypatch.delenv("CHAINKG_LANG", raising=False)
    def output_lines(r) -> list[str]:
        return [ln.replace(str(tmp_path) + "/", "") for ln in r.output.splitlines()]

    r = runner.invoke(main, argv)
    assert r.exit_code == 1 and not ws.exists()
    assert output_lines(r) == [
        "projects.csv 第 3 行，列“status”：“签了”不是可选值之一（谋划、在谈、签约、落地、开工、投产、增资）",
        "projects.csv 第 4 行，列“agreed_amount”：应不小于 0，实际为 -3",
        "projects.csv 第 4 行，列“source”：引用“src:nope”不存在（没有这个来源）",
        "错误：共 3 处错误，未加载任何数据",
    ]
    r = runner.invoke(main, ["--lang", "en", *argv])
    assert output_lines(r) == [
        "projects.csv, row 3, column status: '签了' is not one of 谋划, 在谈, 签约, 落地, 开工, 投产, 增资",
        "projects.csv, row 4, column agreed_amount: must be ≥ 0, got -3",
        "projects.csv, row 4, column source: unknown reference 'src:nope' (no such Source)",
        "Error: 3 errors; nothing was loaded",
    ]


def test_a_bad_register_in_chinese(runner, monkeypatch, tmp_path):
    reg = tmp_path / "名录.csv"
    reg.write_text("名称,统一社会信用代码,行业代码,规上\n甲公司,91530100MA6K00000X,3841,是\n"
                   "乙公司,91530100MA6K00000X,3849,是\n丙公司,,9999,是\n丁公司,,3841,也许\n丙公司,,3841,是\n",
                   encoding="utf-8")
    monkeypatch.delenv("CHAINKG_LANG", raising=False)
    ws = tmp_path / "w.chainkg"
    r = runner.invoke(main, ["import", "register", str(reg), "--into", str(ws), "--home-region", "昆明市"])
    assert r.exit_code == 1
    lines = [ln.replace(str(tmp_path) + "/", "") for ln in r.output.splitlines()]
    assert lines == [
        "名录.csv 第 3 行，列“统一社会信用代码”：统一社会信用代码 91530100MA6K00000X 重复（第 2 行已有）",
        "名录.csv 第 4 行，列“行业代码”：“9999”不是 GB/T 4754-2017 行业代码",
        "名录.csv 第 5 行，列“规上”：应填 是/否，实际为“也许”",
        "名录.csv 第 6 行，列“名称”：企业“丙公司”重复（第 4 行已有）；请填写统一社会信用代码以区分",
        "错误：共 4 处错误，未加载任何数据",
    ]


def test_what_writing_commands_say_follows_the_language(runner, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    reg = tmp_path / "名录.csv"
    reg.write_text("名称,行业代码\n甲公司,3841\n乙公司,3849\n", encoding="utf-8")
    zh = [
        (["templates", "use", "新能源电池", "--into", "w.chainkg"],
         "w.chainkg：节点新增 21、更新 0；关系新增 42、更新 0\n"
         "另有 8 条与工作区外产业链之间的供给关系（FEEDS）暂未加入，加入那些产业链时会一并加上\n"),
        (["import", "register", "名录.csv", "--into", "w.chainkg", "--home-region", "昆明市"],
         "名录.csv：企业 2 家（本地区域 昆明市）；节点新增 3、更新 0，关系新增 2\n"),
    ]
    for argv, expected in zh:
        out = _run(runner, argv, monkeypatch, None, 200)
        assert out == expected, argv
    out = _run(runner, ["--graph", "w.chainkg", "gaps", "missing", "-o", "m.csv"], monkeypatch, None)
    with open("m.csv", encoding="utf-8-sig", newline="") as f:
        n = len(list(csv.DictReader(f)))
    assert n > 0 and out == f"m.csv：{n} 行（csv）\n"
    out = _run(runner, ["--graph", "w.chainkg", "export", "--format", "json", "-o", "x.json"], monkeypatch, None)
    data = json.loads((tmp_path / "x.json").read_text(encoding="utf-8"))
    assert out == f"x.json：{len(data['nodes'])} 个节点，{len(data['edges'])} 条关系\n"
    out = _run(runner, ["--graph", "w.chainkg", "match", "--dry-run"], monkeypatch, None, 200)
    assert out.splitlines()[-2:] == [
        "1 家本地企业未归入任何环节：乙公司（其行业代码和经营范围不符合任何模板规则；--format json 列出全部）",
        "w.chainkg：将新增 2 条环节归属，更新 0，移除 0；0 家已有人工整理的归属；"
        "0 家本地企业以本市数据为准（最低置信度 0.5）",
    ]
    js = _run(runner, ["--graph", "w.chainkg", "match", "--dry-run", "--format", "json"], monkeypatch, None)
    assert js == _run(runner, ["--graph", "w.chainkg", "match", "--dry-run", "--format", "json"], monkeypatch, "en")
    out = _run(runner, ["--graph", "w.chainkg", "viz", "--view", "overview", "-o", "v.html"], monkeypatch, None)
    assert out.startswith("v.html：产业链总览，") and out.rstrip().endswith(" KB")
    out = _run(runner, ["--graph", "w.chainkg", "viz", "--view", "overview", "-o", "v.html"], monkeypatch, "en")
    assert out.startswith("v.html: overview view, ")
