"""Fuzzing every loader with Hypothesis: no traceback, one-line errors naming the file, an unchanged workspace.

Bounded so the whole file runs in well under a minute on a small machine: each test has a fixed example
budget, no per-example deadline (a shared CI box stalls now and then) and no example database on disk.
"""

from __future__ import annotations

import atexit
import datetime as dt
import json
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from chainkg.errors import ChainkgError
from chainkg.graph import KnowledgeGraph, graph_signature
from chainkg.graph.workspace import load as load_workspace
from chainkg.graph.workspace import save as save_workspace
from chainkg.loaders import LoadFailed, load_paths
from helpers import CHAINS, ENTERPRISES, REGIONS, SOURCES, write_csv

FUZZ = settings(max_examples=60, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.function_scoped_fixture])

_DIR = Path(tempfile.mkdtemp(prefix="chainkg-fuzz-"))
atexit.register(shutil.rmtree, _DIR, ignore_errors=True)


def _base() -> Path:
    """A saved workspace with a few records, made once."""
    ws = _DIR / "ws.json"
    if not ws.exists():
        d = _DIR / "base"
        write_csv(d / "sources.csv", SOURCES)
        write_csv(d / "chains.csv", CHAINS)
        write_csv(d / "regions.csv", REGIONS)
        write_csv(d / "enterprises.csv", ENTERPRISES)
        kg = KnowledgeGraph({"name": "fuzz"})
        load_paths([d], kg)
        save_workspace(kg, ws)
    return ws


def printable(text: str) -> bool:
    """One line with no control, line-breaking or bidi character (the ideographic space is fine)."""
    return all(c.isprintable() or c in " \u3000" for c in text)


def check_load(path: Path) -> None:
    """Load ``path`` into the saved workspace: it loads, or fails with one-line errors and changes nothing."""
    kg = load_workspace(_base())
    before = graph_signature(kg)
    try:
        load_paths([path], kg)
    except LoadFailed as e:
        assert e.errors
        for err in e.errors:
            text = str(err)
            assert printable(text), text
            assert text.startswith(str(path)), text
        assert graph_signature(kg) == before
    except ChainkgError as e:
        assert printable(str(e))
        assert graph_signature(kg) == before


def write(name: str, data: bytes) -> Path:
    p = _DIR / "case" / name
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_bytes(data)
    return p


# ------------------------------------------------------------------ CSV
NAMES = st.sampled_from(["enterprises.csv", "projects.csv", "segments.csv", "located_in.csv", "企业.csv", "x.csv"])
HEADERS = st.sampled_from(["id", "name", "名称", "provenance", "source", "evidence", "agreed_amount", "status",
                           "from", "to", "order", "chain", "stage", "aliases", "lists", "", "x\x1b", "a\nb"])
CELL = st.one_of(
    st.sampled_from(["ent:a", "src:t", "stated", "inferred", "template", "签约", "midstream", "chain:bat",
                     "region:km", "1,000.5", "1.000,5", "nan", "1e400", "-3", "上市|专精特新", "", " "]),
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12),
)
ENCODINGS = st.sampled_from(["utf-8", "utf-8-sig", "gbk", "big5", "utf-16", "latin-1"])


@st.composite
def csv_files(draw) -> bytes:
    import csv
    import io

    header = draw(st.lists(HEADERS, min_size=1, max_size=7))
    rows = draw(st.lists(st.lists(CELL, max_size=len(header) + 1), max_size=5))
    buf = io.StringIO()
    csv.writer(buf, lineterminator=draw(st.sampled_from(["\n", "\r\n", "\r"]))).writerows([header, *rows])
    text = buf.getvalue()
    if draw(st.booleans()):  # break it: cut, or splice in stray bytes
        cut = draw(st.integers(0, len(text)))
        text = text[:cut] + draw(st.sampled_from(['"', '\x00', '\x1b[2J', '\n"', ",,,", "\ufeff"])) + text[cut:]
    return text.encode(draw(ENCODINGS), errors="replace")


@FUZZ
@given(name=NAMES, data=csv_files())
def test_fuzz_csv(name, data):
    check_load(write(name, data))


@FUZZ
@given(name=NAMES, data=st.binary(max_size=600))
def test_fuzz_csv_bytes(name, data):
    check_load(write(name, data))


# ------------------------------------------------------------------ XLSX
XCELL = st.one_of(
    st.none(), st.booleans(), st.integers(-10**12, 10**12), st.floats(allow_nan=False, allow_infinity=False),
    st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(2100, 1, 1)),
    CELL.map(lambda s: "".join(c for c in s if c in "\t\n\r" or ord(c) >= 32)),
)


@FUZZ
@given(
    sheets=st.dictionaries(
        st.sampled_from(["企业", "enterprises", "projects", "FEEDS", "Sheet1", "来源", "located_in"]),
        st.lists(st.lists(st.one_of(HEADERS.map(lambda h: h.replace("\x1b", "")), XCELL), max_size=6), max_size=5),
        min_size=1, max_size=3),
)
def test_fuzz_xlsx(sheets):
    import openpyxl

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for r in rows:
            ws.append(r)
    p = _DIR / "case" / "b.xlsx"
    p.parent.mkdir(parents=True, exist_ok=True)
    wb.save(p)
    check_load(p)


@FUZZ
@given(data=st.binary(max_size=400), keep=st.integers(0, 4000))
def test_fuzz_xlsx_damaged(data, keep):
    import openpyxl

    p = _DIR / "case" / "c.xlsx"
    p.parent.mkdir(parents=True, exist_ok=True)
    wb = openpyxl.Workbook()
    wb.active.title = "企业"
    wb.active.append(["id", "name"])
    wb.save(p)
    raw = p.read_bytes()
    p.write_bytes(raw[:keep] + data + raw[keep + len(data):])
    check_load(p)


# ------------------------------------------------------------------ YAML
YAML_TOKENS = st.sampled_from([
    "chain: chain:bat\n", "source: src:t\n", "provenance: template\n", "evidence: e\n", "segments:\n",
    "  - {id: seg:a, name: x, stage: midstream}\n", "  - {id: [a], name: {b: 1}}\n", "feeds: [seg:a]\n",
    "  - id: seg:b\n", "    name: y\n", "    name: z\n", "&a [x, y]", "*a", "[", "]", "{", "}", ": ", "- ", "\t",
    "!!python/name:os.system", "'", '"', "\\x1b", "\x1b", "---\n", "...\n", "? ", "<<: *a\n", "\n", "  ",
    "order: 1.0e+400\n", "order: .nan\n", "aliases: [[x]]\n",
])


@FUZZ
@given(tokens=st.lists(YAML_TOKENS, max_size=25), encoding=ENCODINGS)
def test_fuzz_yaml(tokens, encoding):
    check_load(write("t.yaml", "".join(tokens).encode(encoding, errors="replace")))


JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=6), children, max_size=4),
    max_leaves=20,
)


@FUZZ
@given(doc=st.fixed_dictionaries({"chain": JSONISH, "segments": JSONISH}, optional={"feeds": JSONISH,
                                                                                    "source": JSONISH}))
def test_fuzz_yaml_structures(doc):
    check_load(write("t.yaml", json.dumps(doc, ensure_ascii=False).encode()))  # JSON is YAML


# ------------------------------------------------------------------ workspace JSON (read only)
def _workspace_outcome(data: bytes) -> str | None:
    """None if ``workspace.load`` loads or refuses ``data`` with a ChainkgError; else the crash, for the report."""
    p = write("w.json", data)
    try:
        load_workspace(p)
    except ChainkgError:
        return None
    except Exception as e:  # recorded, so the assertion shows which input broke the reader
        return f"{type(e).__name__}: {e}"[:200]
    return None


WS_DOCS = st.fixed_dictionaries(
    {"format": st.sampled_from(["chainkg-workspace", "x"]), "version": st.sampled_from([1, 2, "1"])},
    optional={"meta": JSONISH, "nodes": JSONISH, "edges": JSONISH},
)


@FUZZ
@given(doc=WS_DOCS)
@example(doc={"format": "chainkg-workspace", "version": 1, "nodes": None, "edges": []})
def test_fuzz_workspace_json(doc):
    crash = _workspace_outcome(json.dumps(doc).encode())
    assert crash is None, crash


@FUZZ
@given(data=st.binary(max_size=300))
@example(data=b"\x1f\x8b")
def test_fuzz_workspace_bytes(data):
    crash = _workspace_outcome(data)
    assert crash is None, crash
