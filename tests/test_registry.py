"""The query registry drives the CLI, the docs and the parity checks: nothing registered escapes them."""

from __future__ import annotations

import json
import os
import random
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from chainkg.cli import main
from chainkg.cli_queries import gap_command
from chainkg.graph.engine import NetworkxEngine
from chainkg.graph.examples import toy_chain
from chainkg.graph.queries import QUERIES, Query

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def argv_of(query: Query) -> list[str]:
    return [query.group, query.name] if query.group else [query.name]


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_every_query_has_help_with_its_examples(name):
    query = QUERIES[name]
    r = CliRunner().invoke(main, [*argv_of(query), "--help"])
    assert r.exit_code == 0, r.output
    assert "Example:" in r.output
    for example in query.examples:
        assert example in r.output


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_every_query_has_a_readme_section(name):
    assert re.search(rf"^### {name} — ", README, re.M), f"README has no '### {name} — …' section"


def test_every_query_has_a_parity_case():
    from test_neo4j_parity import cases_for

    names = {name for name, _ in cases_for([None], [None], random.Random(0))}
    assert names == set(QUERIES)


def test_every_query_runs_on_the_toy_chain_through_the_engine():
    engine = NetworkxEngine(toy_chain())
    for name in QUERIES:
        engine.run(name)  # no error; rows are checked in the query modules' doctests


def test_a_new_query_is_a_cli_command_from_its_registry_entry():
    """What adding a query costs: a function and a registry entry give a documented command."""
    from chainkg.graph.gaps import MissingRow, missing

    def uncovered(kg, region=None, chain=None, top=1):
        return missing(kg, region, chain)[:top]

    toy = Query("uncovered", uncovered, MissingRow, ("segment", "score"), "The uncovered segments.",
                ("chainkg gaps uncovered --top 2",), options=())
    cmd = gap_command(toy)
    assert "chainkg gaps uncovered --top 2" in CliRunner().invoke(cmd, ["--help"]).output
    r = CliRunner().invoke(cmd, ["--format", "json"], obj=type("Ctx", (), {
        "backend": lambda self: type("E", (), {"run": lambda self, name, **kw: uncovered(toy_chain(), **kw)})()})())
    assert r.exit_code == 0, r.output
    assert [row["segment"] for row in json.loads(r.output)] == ["材料"]


def _run_cli(args: list[str], seed: str) -> str:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    out = subprocess.run([sys.executable, "-m", "chainkg.cli", *args], capture_output=True, text=True, env=env,
                         check=True, cwd=ROOT)
    return out.stdout


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_rows_do_not_depend_on_hash_seed(name):
    """Set and dict order change with PYTHONHASHSEED across processes; the rows must not."""
    args = [*argv_of(QUERIES[name]), "--format", "json"]
    if name == "pipeline":
        args += ["--as-of", "2024-01-15"]
    first = _run_cli(args, "1")
    assert json.loads(first), "no rows: the comparison would prove nothing"
    assert _run_cli(args, "2") == first


def test_readme_python_block_runs_and_prints_what_the_readme_shows(capsys):
    m = re.search(r"```python\n(.*?)```\n\n```\n(.*?)```", README, re.S)
    assert m, "README has no Python block followed by its output"
    exec(compile(m.group(1), "README.md", "exec"), {})
    assert capsys.readouterr().out == m.group(2)


def test_chains_of_a_node_agree_in_show_html_and_pipeline():
    """One rule for "which chains a node belongs to": show, the HTML chain filter and pipeline agree."""
    from chainkg.data import kunming
    from chainkg.graph.pipeline import pipeline
    from chainkg.graph.summary import show_data
    from chainkg.visualize.views import build_view

    kg = kunming()
    view = build_view(kg, view="whole", max_nodes=None)
    html = {n["id"]: sorted(kg.name(c) for c in n["chains"]) for n in view.nodes}
    assert set(html) == {n for n in kg.nodes() if kg.node_type(n) != "Source"}  # the page leaves Sources out
    for node in html:
        assert sorted(show_data(kg, node)["chains"]) == html[node], node
    # pipeline counts each local project once under each of its chains
    by_chain = {g.key: g.projects for g in pipeline(kg).by_chain}
    local = kg.region_closure(kg.meta["home_region"])
    expected: dict[str, int] = {}
    for p in kg.nodes("Project"):
        if set(kg.out(p, "LOCATED_IN")) & local:
            for name in html[p] or ["(none)"]:
                expected[name] = expected.get(name, 0) + 1
    assert by_chain == expected
    # 均和云谷 invests in a 数字经济 project: every view of it says so
    firm = kg.find("均和云谷", "Enterprise")[0]
    assert "数字经济" in html[firm]


def test_queries_run_with_the_cyclic_collector_paused_and_restore_it():
    import gc

    from chainkg.graph.engine import NetworkxEngine, no_cyclic_gc
    from chainkg.graph.examples import toy_chain

    seen = []
    engine = NetworkxEngine(toy_chain())
    real = engine.kg.out

    def spy(*args):
        seen.append(gc.isenabled())
        return real(*args)

    engine.kg.out = spy
    assert gc.isenabled()
    engine.run("missing")
    assert seen and not any(seen) and gc.isenabled()  # paused during the query, back on after
    with pytest.raises(RuntimeError), no_cyclic_gc():
        raise RuntimeError("a failing query")
    assert gc.isenabled()  # back on after an error too
    gc.disable()
    try:
        engine.run("missing")
        assert not gc.isenabled()  # it was off: left off
    finally:
        gc.enable()
