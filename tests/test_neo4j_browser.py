"""Neo4j Browser and the HTTP API of the dev server (`neo4j-server start --http PORT`).

The test starts its own plain loopback server with the HTTP connector (auth off), pushes the bundled Kunming graph
into it with `chainkg neo4j push`, and checks what a Neo4j user would do next:

- the HTTP discovery document advertises this server's Bolt and HTTP addresses (not localhost:7687);
- the three example queries of services/neo4j/README.md ("Looking at chainkg's graph with Cypher"), read from the
  README itself, give over the HTTP query API the same rows as over Bolt (`chainkg neo4j cypher --format json`),
  and the first one counts exactly the nodes of the workspace (a third, independent number);
- Neo4j Browser, opened in headless Chromium from the server's /browser/ page, connects and runs the first example
  query to the same counts (screenshot in test-output/neo4j/).

Needs what the other Neo4j tests need (CHAINKG_TEST_NEO4J_URI marks an environment with the Neo4j jars; see
test_neo4j_support.py for skip/fail rules); this file never talks to that server, only to the one it starts.
The HTTPS side (TLS, auth) is checked with the auth-enabled server in test_neo4j.py.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import time
import urllib.request
from collections import Counter
from pathlib import Path
from urllib.parse import quote

import pytest
from test_neo4j import SERVER, free_port
from test_neo4j_support import require_neo4j, skip_or_fail

from chainkg.cli import main
from chainkg.data import kunming
from chainkg.graph import KnowledgeGraph

pytestmark = pytest.mark.neo4j

REPO = Path(__file__).resolve().parents[1]
SERVICE_README = REPO / "services" / "neo4j" / "README.md"
GRAPH = "kunming"


def readme_queries() -> list[str]:
    """The example statements of the README's Cypher block, split at their `//` title comments."""
    text = SERVICE_README.read_text(encoding="utf-8")
    section = text.split("## Looking at chainkg's graph with Cypher", 1)[1]
    block = re.search(r"```cypher\n(.*?)```", section, re.S).group(1)
    queries = [q.strip() for q in re.split(r"^//.*$", block, flags=re.M) if q.strip()]
    assert len(queries) == 3, queries
    return queries


@pytest.fixture(scope="module")
def web_server(tmp_path_factory):
    """A plain loopback Neo4j with Bolt and HTTP on free ports; yields (bolt_port, http_port); stopped afterwards."""
    require_neo4j()  # the Neo4j environment is there (the jars, Java); this server is our own
    if not SERVER.exists() or shutil.which("java") is None:
        skip_or_fail("cannot start a Neo4j with HTTP (needs services/neo4j/neo4j-server and Java)")
    bolt, http = free_port(), free_port()
    while http == bolt:
        http = free_port()
    data = tmp_path_factory.mktemp("neo4j-web")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CHAINKG_NEO4J_", "NEO4J_AUTH"))}
    env.update(CHAINKG_NEO4J_HEAP="512m", CHAINKG_NEO4J_PAGECACHE="32m", CHAINKG_NEO4J_START_TIMEOUT="300")
    args = ["--port", str(bolt), "--data", str(data)]
    started = subprocess.run([str(SERVER), "start", *args, "--http", str(http)], env=env, capture_output=True,
                             text=True, timeout=420)
    if started.returncode != 0:
        skip_or_fail(f"Neo4j with HTTP did not start: {(started.stderr or started.stdout)[-500:]}")
    assert f"Neo4j Browser at http://127.0.0.1:{http}/browser/" in started.stdout
    try:
        yield bolt, http
    finally:
        subprocess.run([str(SERVER), "stop", *args], env=env, capture_output=True, timeout=120)


@pytest.fixture(scope="module")
def pushed(web_server):
    """The bundled Kunming graph pushed as graph `kunming`; yields (bolt_port, http_port, the workspace graph)."""
    from click.testing import CliRunner

    bolt, http = web_server
    r = CliRunner().invoke(main, ["neo4j", "push", "--uri", f"bolt://127.0.0.1:{bolt}", "--name", GRAPH])
    assert r.exit_code == 0, r.output
    return bolt, http, kunming()


def http_json(url: str, body: dict | None = None) -> dict:
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json",
                                                          "Accept": "application/json"})
    with urllib.request.urlopen(req, timeout=60) as resp:
        return json.loads(resp.read())


def label_counts(kg: KnowledgeGraph) -> dict[str, int]:
    """Nodes per schema type, counted in the workspace (what the first README query must return)."""
    return dict(Counter(kg.node_type(n) for n in kg.nodes()))


def test_discovery_advertises_this_server(web_server):
    bolt, http = web_server
    doc = http_json(f"http://127.0.0.1:{http}/")
    assert doc["bolt_direct"] == f"bolt://127.0.0.1:{bolt}"
    assert doc["transaction"] == f"http://127.0.0.1:{http}/db/{{databaseName}}/tx"
    assert doc["neo4j_edition"] == "community"
    with urllib.request.urlopen(f"http://127.0.0.1:{http}/browser/", timeout=60) as resp:
        page = resp.read().decode()
    assert "Neo4j Browser" in page and "<div id=\"mount\">" in page


def test_readme_queries_agree_over_http_and_bolt(pushed):
    from click.testing import CliRunner

    bolt, http, kg = pushed
    queries = readme_queries()
    for q in queries:
        over_http = http_json(f"http://127.0.0.1:{http}/db/neo4j/query/v2",
                              {"statement": q, "parameters": {"graph": GRAPH}})
        assert "errors" not in over_http, over_http
        fields, values = over_http["data"]["fields"], over_http["data"]["values"]
        r = CliRunner().invoke(main, ["neo4j", "cypher", "--uri", f"bolt://127.0.0.1:{bolt}", "--name", GRAPH,
                                      "--format", "json", q])
        assert r.exit_code == 0, r.output
        over_bolt = json.loads(r.output)
        assert [dict(zip(fields, v, strict=True)) for v in values] == over_bolt, q
        assert values, f"the README query returned no rows: {q}"
    first = http_json(f"http://127.0.0.1:{http}/db/neo4j/query/v2",
                      {"statement": queries[0], "parameters": {"graph": GRAPH}})["data"]["values"]
    assert dict(first) == label_counts(kg)


def test_neo4j_browser_runs_the_first_readme_query(pushed, tmp_path):
    from browser import chromium
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    bolt, http, kg = pushed
    query = readme_queries()[0].replace("$graph", f"'{GRAPH}'")
    drv = chromium.start(tmp_path / "chromium", 1600, 1000)
    try:
        drv.get(f"http://127.0.0.1:{http}/browser/?dbms=bolt://127.0.0.1:{bolt}&preselectAuthMethod=NO_AUTH"
                f"&cmd=edit&arg={quote(query)}")
        wait = WebDriverWait(drv, 90, poll_frequency=0.5)
        wait.until(lambda d: "Connected to Neo4j" in d.find_element(By.TAG_NAME, "body").text)
        editor = wait.until(lambda d: d.find_element(By.CSS_SELECTOR, "textarea.inputarea"))
        editor.send_keys(Keys.CONTROL, Keys.ENTER)
        wait.until(lambda d: "completed after" in d.find_element(By.TAG_NAME, "body").text)
        time.sleep(0.5)
        out = chromium.OUT.parent / "neo4j"
        out.mkdir(parents=True, exist_ok=True)
        drv.save_screenshot(str(out / "browser-first-query.png"))
        text = drv.find_element(By.TAG_NAME, "body").text
        (out / "browser-first-query.txt").write_text(text, encoding="utf-8")
    finally:
        drv.quit()
    counts = label_counts(kg)
    for label, n in counts.items():
        # the Browser's table shows strings quoted: a row reads `"Segment" 130`
        assert f'"{label}" {n}\n' in text, f"{label} {n} not in the Browser's result table"
