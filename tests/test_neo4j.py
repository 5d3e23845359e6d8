"""Neo4j: push and pull, names stored verbatim, re-runs, wipe, status, the CLI and bad conditions.

Needs a Neo4j server (see test_neo4j_support.py for skip/fail rules). The
wrong-password tests start a second, auth-enabled server on a free port.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_gaps import choke, kg  # noqa: F401 - fixtures
from test_neo4j_support import in_ci, load, require_neo4j, skip_or_fail

import chainkg.cli_neo4j  # noqa: F401 - registers `chainkg neo4j …` (until chainkg/cli.py imports it)
from chainkg.cli import main
from chainkg.graph import KnowledgeGraph, graph_signature
from chainkg.graph.kg import GraphError

pytestmark = pytest.mark.neo4j

REPO = Path(__file__).resolve().parents[1]
SERVER = REPO / "services" / "neo4j" / "neo4j-server"
AUTH_PASSWORD = "chainkg-test-pw-4711"


@pytest.fixture(scope="module")
def settings():
    return require_neo4j()


@pytest.fixture
def conn(settings):
    from chainkg.graph.neo4j import Connection

    with Connection(settings) as c:
        yield c


@pytest.fixture
def env(settings, monkeypatch):
    """Environment for CLI runs against the test server."""
    for k in ("CHAINKG_NEO4J_PASSWORD", "CHAINKG_NEO4J_USER", "CHAINKG_NEO4J_DATABASE", "CHAINKG_BACKEND"):
        monkeypatch.delenv(k, raising=False)
    monkeypatch.setenv("CHAINKG_NEO4J_URI", settings.uri)
    monkeypatch.setenv("CHAINKG_NEO4J_GRAPH", settings.graph)
    if settings.password:
        monkeypatch.setenv("CHAINKG_NEO4J_PASSWORD", settings.password)
    return settings


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def odd_graph() -> KnowledgeGraph:
    """Names, ids, aliases and meta with quotes, backticks, newlines, braces, emoji, Traditional Chinese."""
    from helpers import Builder

    odd = ['引号"双', "单'引", "反`引`号", "换\n行", "{花括号}", "表情🔋⚡", "臺灣積體電路", "a\\b", "$region",
           "') DETACH DELETE n //", "`) MATCH (m) DETACH DELETE m //", "tab\there", "ｆｕｌｌ　width"]
    b = Builder(home="km")
    b.kg.meta.update({"name": "odd “名字” `x` {y}\n🙂", "list": ["雲", 1, None], "nested": {"a": {"b": "c"}}})
    b.region("km", "昆明市").region("out", '外"地')
    b.chain("ch", "鏈`{條}`\n🚀")
    b.segment("s'1", odd[0], "ch", 1, feeds=["s`2"]).segment("s`2", odd[1], "ch", 2).feeds()
    for i, name in enumerate(odd):
        fid = f"f{{{i}}}\n'\"`{name}"
        b.firm(fid, name, "km" if i % 2 else "out", segment="s'1" if i % 3 else "s`2",
               seg_role="anchor" if i % 4 == 0 else "key", aliases=[name + "別名", "🙂"], lists=["上市"])
    b.edge("SUPPLIES", "f{0}\n'\"`" + odd[0], "f{1}\n'\"`" + odd[1], product="产品'\"`{}🔋")
    return b.kg


# --------------------------------------------------------------- push / pull
@pytest.mark.parametrize("which", ["kunming", "hand_built", "choke", "odd", "random"])
def test_push_then_pull_gives_an_equal_graph(conn, which, request):
    from chainkg.graph.neo4j import pull

    if which == "kunming":
        from chainkg.data import kunming

        g = kunming()
    elif which == "hand_built":
        g = request.getfixturevalue("kg")
    elif which == "choke":
        g = request.getfixturevalue("choke")
    elif which == "odd":
        g = odd_graph()
    else:
        from chainkg.graph.synthetic import random_graph

        g = random_graph(99)
    load(conn, g)
    back = pull(conn)
    assert graph_signature(back) == graph_signature(g)
    assert back.meta == g.meta
    assert back == g
    # Insertion order comes back too (the order-dependent bits of the queries rely on it).
    assert list(back.g.nodes) == list(g.g.nodes)
    assert list(back.g.edges(keys=True)) == list(g.g.edges(keys=True))
    # Name lookup works on the pulled graph, Traditional for Simplified.
    for n in list(g.nodes("Chain"))[:3]:
        assert back.find(g.name(n)) == g.find(g.name(n))


def test_odd_names_are_stored_verbatim_in_neo4j(conn):
    g = odd_graph()
    load(conn, g)
    for n, d in g.g.nodes(data=True):
        if d["type"] != "Enterprise":
            continue
        rec = conn.read("MATCH (e:Enterprise {id: $id}) RETURN e.name AS name, e.aliases AS aliases", id=n)
        assert rec and rec[0]["name"] == d["name"] and rec[0]["aliases"] == d["aliases"]
    assert conn.read("MATCH (n) RETURN count(n) AS n")[0]["n"] >= len(g)  # nothing was deleted by a name


def test_push_is_idempotent_and_mirrors_property_changes(conn):
    from chainkg.data import kunming
    from chainkg.graph.neo4j import pull, push
    from chainkg.graph.neo4j.store import count_nodes, count_relationships

    g = kunming()
    load(conn, g)
    first = (count_nodes(conn), count_relationships(conn))
    push(g, conn)
    assert (count_nodes(conn), count_relationships(conn)) == first
    assert pull(conn) == g
    # A property removed or changed locally is removed or changed in Neo4j on the next push.
    firm = next(iter(g.nodes("Enterprise")))
    g.g.nodes[firm].pop("note", None)
    g.g.nodes[firm]["aliases"] = ["新别名"]
    push(g, conn)
    assert pull(conn) == g


def test_a_push_that_fails_midway_says_so_and_a_rerun_completes_it(conn, monkeypatch):
    from neo4j.exceptions import ServiceUnavailable

    from chainkg.data import kunming
    from chainkg.graph.neo4j import PushFailed, pull, push, store, wipe
    from chainkg.graph.neo4j.connection import neo4j_errors

    g = kunming()
    wipe(conn)
    real = store._write_batch
    calls = {"n": 0}

    def flaky(c, batch):
        calls["n"] += 1
        if calls["n"] == 4:
            with neo4j_errors(c.settings):
                raise ServiceUnavailable("Connection reset by peer")
        real(c, batch)

    monkeypatch.setattr(store, "_write_batch", flaky)
    with pytest.raises(PushFailed) as err:
        push(g, conn, batch_size=40)
    msg = str(err.value)
    done = sum(len(b.rows) for b in list(store.batches(g, 40))[:3])
    assert "\n" not in msg
    assert msg.startswith(f"push stopped after {done} of 690 rows, while writing ")
    assert "cannot reach Neo4j" in msg and msg.endswith("run the push again to complete it")
    assert store.read_meta(conn)["complete"] is False
    monkeypatch.setattr(store, "_write_batch", real)
    push(g, conn, batch_size=40)
    assert store.read_meta(conn)["complete"] is True
    assert pull(conn) == g


def test_labels_and_types_come_only_from_the_schema():
    from chainkg.graph.neo4j.store import node_query, rel_query

    assert node_query("Enterprise").startswith("UNWIND $rows AS row MERGE (n:Chainkg {_graph: $graph, id: row.id}) ")
    assert node_query("Enterprise").endswith(", n:Enterprise")
    with pytest.raises(GraphError):
        node_query("Enterprise) DETACH DELETE (n")
    with pytest.raises(GraphError):
        rel_query("FEEDS]->() //", "Segment", "Segment")


def test_values_neo4j_cannot_store_are_a_clear_error(conn):
    from chainkg.graph.neo4j import push

    g = KnowledgeGraph({"name": "bad"})
    g.merge_node("Source", {"id": "s", "title": "t", "kind": {"nested": "map"}}, validate=False)
    with pytest.raises(GraphError, match=r"property 'kind' holds .* which Neo4j cannot store"):
        push(g, conn)


def test_wipe_deletes_only_chainkg_nodes(conn):
    from chainkg.graph.neo4j import wipe
    from chainkg.graph.neo4j.store import count_nodes

    load(conn, odd_graph())
    conn.write("CREATE (:NotChainkg {id: 'keep'})")
    try:
        assert wipe(conn) == len(odd_graph())
        assert count_nodes(conn) == {}
        assert conn.read("MATCH (n:NotChainkg {id: 'keep'}) RETURN count(n) AS n")[0]["n"] == 1
    finally:
        conn.write("MATCH (n:NotChainkg) DELETE n")


# ------------------------------------------------------------ ownership and named graphs
def _foreign_copy(conn, g: KnowledgeGraph) -> None:
    """Someone else's data in the same database: every node of ``g`` again, with the same labels, ids and
    properties, and every relationship between them, but not chainkg's (no :Chainkg, no _graph)."""
    from chainkg.graph.neo4j import store

    for b in store.batches(g, 500):
        if b.what.endswith(" nodes"):
            label = b.what.split()[0]
            conn.write(f"UNWIND $rows AS row CREATE (n:Shop:{label}) SET n = row.props REMOVE n._seq", rows=b.rows)
    for (rel, src, dst), rows in _rel_groups(g).items():
        conn.write(f"UNWIND $rows AS row MATCH (a:Shop:{src} {{id: row.from}}) MATCH (b:Shop:{dst} {{id: row.to}}) "
                   f"CREATE (a)-[:{rel}]->(b)", rows=rows)


def _rel_groups(g: KnowledgeGraph) -> dict:
    out: dict = {}
    for u, v, k in g.g.edges(keys=True):
        out.setdefault((k, g.g.nodes[u]["type"], g.g.nodes[v]["type"]), []).append({"from": u, "to": v})
    return out


def _foreign_state(conn) -> tuple:
    nodes = conn.read("MATCH (n:Shop) RETURN n.id AS id, labels(n) AS l, properties(n) AS p ORDER BY id")
    rels = conn.read("MATCH (a:Shop)-[r]->(b:Shop) RETURN a.id AS a, type(r) AS t, b.id AS b ORDER BY a, t, b")
    return [(r["id"], sorted(r["l"]), sorted(r["p"].items(), key=str)) for r in nodes], [tuple(r) for r in rels]


@pytest.fixture
def foreign(conn):
    from chainkg.data import kunming
    from chainkg.graph.neo4j.store import ensure_schema

    conn.run_autocommit("MATCH (n:Shop) CALL { WITH n DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS")
    ensure_schema(conn)
    _foreign_copy(conn, kunming())
    before = _foreign_state(conn)
    assert len(before[0]) == 255 and len(before[1]) > 400
    yield before
    conn.run_autocommit("MATCH (n:Shop) CALL { WITH n DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS")


def test_foreign_data_with_the_same_labels_and_ids_survives_every_command(env, conn, foreign, tmp_path):
    """A Neo4j shop's own Region, Enterprise, Segment … nodes (same ids as chainkg's) are never seen or touched."""
    from chainkg.data import kunming
    from chainkg.graph.workspace import load as load_ws

    steps = [["neo4j", "wipe", "--yes"], ["neo4j", "push"], ["neo4j", "push"], ["neo4j", "push", "--replace", "--yes"],
             ["neo4j", "status"], ["neo4j", "pull", "--into", str(tmp_path / "back.json")],
             ["--backend", "neo4j", "gaps", "missing"], ["--backend", "neo4j", "targets"],
             ["--backend", "neo4j", "gaps", "chokepoints"], ["--backend", "neo4j", "gaps", "dependencies"]]
    for args in steps:
        r = cli(args)
        assert r.exit_code == 0, (args, r.output)
        if args[0] == "--backend":
            assert r.stdout == cli(args[2:]).stdout, args  # the foreign copy adds nothing to the rows
        assert _foreign_state(conn) == foreign, args
    assert load_ws(tmp_path / "back.json") == kunming()
    assert "255 nodes, 435 relationships" in cli(["neo4j", "status"]).output
    r = cli(["neo4j", "wipe", "--yes"])
    assert r.exit_code == 0 and "deleted 255 nodes" in r.output
    assert _foreign_state(conn) == foreign
    # chainkg's constraints are on its own labels only: the foreign nodes share ids and were never refused.
    cons = conn.read("SHOW CONSTRAINTS YIELD name, labelsOrTypes WHERE name STARTS WITH 'chainkg'")
    assert {tuple(c["labelsOrTypes"]) for c in cons} <= {("Chainkg",), ("ChainkgMeta",)}


def test_two_named_graphs_coexist_and_each_answers_its_own_queries(env, conn, kg, tmp_path):  # noqa: F811
    from chainkg.graph import save
    from chainkg.graph.workspace import load as load_ws

    ws = tmp_path / "hand.json"
    save(kg, ws)
    try:
        assert cli(["neo4j", "push", "--name", "t-kunming", "--replace", "--yes"]).exit_code == 0
        r = cli(["--graph", str(ws), "neo4j", "push", "--name", "t-hand", "--replace", "--yes"])
        assert r.exit_code == 0 and "graph t-hand" in r.output, r.output
        for cmd in (["gaps", "missing"], ["targets"], ["gaps", "coverage"]):
            assert cli(["--backend", "neo4j", "--name", "t-kunming", *cmd]).stdout == cli(cmd).stdout
            on_neo4j = cli(["--backend", "neo4j", "--name", "t-hand", *cmd])
            assert on_neo4j.stdout == cli(["--graph", str(ws), *cmd]).stdout and on_neo4j.exit_code == 0
        status = cli(["neo4j", "status", "--name", "t-hand"]).output
        assert "t-hand" in status and "t-kunming" in status
        assert cli(["neo4j", "wipe", "--yes", "--name", "t-hand"]).exit_code == 0
        out = tmp_path / "k.json"
        assert cli(["neo4j", "--name", "t-kunming", "pull", "--into", str(out)]).exit_code == 0
        from chainkg.data import kunming

        assert load_ws(out) == kunming()
        r = cli(["--backend", "neo4j", "--name", "t-hand", "gaps", "missing"])
        assert r.exit_code == 1 and "holds no chainkg graph named 't-hand'" in r.output
    finally:
        cli(["neo4j", "wipe", "--yes", "--name", "t-hand"])
        cli(["neo4j", "wipe", "--yes", "--name", "t-kunming"])


def test_connection_options_work_before_any_command(settings, monkeypatch):
    """`chainkg --uri … --backend neo4j gaps missing`: the same options as `chainkg neo4j …`, env as fallback."""
    monkeypatch.setenv("CHAINKG_NEO4J_URI", f"bolt://127.0.0.1:{free_port()}")  # wrong: the options win
    args = ["--uri", settings.uri, "--name", settings.graph]
    if settings.password:
        args += ["--password", settings.password]
    assert cli([*args, "neo4j", "push", "--replace", "--yes"]).exit_code == 0
    r = cli(["--backend", "neo4j", *args, "gaps", "missing"])
    assert r.exit_code == 0 and r.stdout == cli(["gaps", "missing"]).stdout
    r = cli(["neo4j", *args, "status"])
    assert r.exit_code == 0 and settings.uri in r.output
    r = cli(["neo4j", "status", *args])
    assert r.exit_code == 0 and settings.uri in r.output
    port = free_port()
    one_line_error(cli(["--backend", "neo4j", "--uri", f"bolt://127.0.0.1:{port}", "--password", "s3cret-pw-x",
                        "gaps", "missing"]), f"cannot reach Neo4j at bolt://127.0.0.1:{port} (connection refused)")


def test_cypher_command_is_read_only_unless_write(env, conn):
    import json

    assert cli(["neo4j", "push", "--replace", "--yes"]).exit_code == 0
    r = cli(["neo4j", "cypher", "MATCH (n:Chainkg:Region {_graph: $graph, id: $id}) RETURN n.name AS name, n AS node",
             "-p", "id=region:kunming", "--format", "json"])
    assert r.exit_code == 0, r.output
    rows = json.loads(r.stdout)
    assert rows[0]["name"] == "昆明市" and "Region" in rows[0]["node"]["labels"]
    r = cli(["neo4j", "cypher", "CREATE (x:CypherProbe) RETURN x"])
    one_line_error(r, "this statement writes; `chainkg neo4j cypher` runs read-only unless --write is given")
    assert conn.read("MATCH (x:CypherProbe) RETURN count(x) AS n")[0]["n"] == 0
    r = cli(["neo4j", "cypher", "--write", "CREATE (x:CypherProbe {k: $k}) RETURN x.k AS k", "-p", "k=[1, 2]"])
    assert r.exit_code == 0 and "nodes_created 1" in r.stderr and "1|2" in r.stdout
    r = cli(["neo4j", "cypher", "--write", "MATCH (x:CypherProbe) CALL { WITH x DELETE x } IN TRANSACTIONS"])
    assert r.exit_code == 0 and "nodes_deleted 1" in r.stderr, r.output
    r = cli(["neo4j", "cypher", "RETURN 1", "-p", "no-equals"])
    assert r.exit_code == 2 and "use KEY=VALUE" in r.output


def test_backend_on_an_empty_database_says_to_push(conn, settings):
    from chainkg.graph.neo4j import Neo4jBackend, wipe

    wipe(conn)
    with Neo4jBackend(settings) as b, pytest.raises(GraphError, match="holds no chainkg graph"):
        b.run("missing")
    with Neo4jBackend(settings) as b, pytest.raises(GraphError, match="unknown query"):
        b.run("drop_everything")


# ------------------------------------------------------------------------ CLI
def cli(args: list[str], input: str | None = None):
    return CliRunner().invoke(main, args, input=input)


QUERY_COMMANDS = [
    ["gaps", "missing"], ["gaps", "coverage"], ["gaps", "weak"], ["gaps", "extend", "--k", "2"],
    ["gaps", "dependencies"], ["gaps", "chokepoints"], ["targets", "--explain"],
    ["pipeline", "--as-of", "2024-01-15"], ["gaps", "missing", "--chain", "新能源電池", "--format", "json"],
    ["targets", "--region", "东川区", "--format", "csv"],
]


def test_cli_push_then_every_query_prints_what_the_embedded_engine_prints(env):
    r = cli(["neo4j", "push", "--replace", "--yes"])
    assert r.exit_code == 0, r.output
    assert r.output.startswith("pushed bundled Kunming graph: 255 nodes, 435 relationships to ")
    for cmd in QUERY_COMMANDS:
        embedded = cli(cmd)
        on_neo4j = cli(["--backend", "neo4j", *cmd])
        assert embedded.exit_code == 0 and on_neo4j.exit_code == 0, on_neo4j.output
        assert on_neo4j.stdout == embedded.stdout, cmd
    r = cli(["--backend", "neo4j", "gaps", "missing", "--region", "火星"])
    assert (r.exit_code, r.output) == (1, "Error: unknown region '火星'\n")


def test_cli_status_pull_and_wipe(env, tmp_path):
    from chainkg.graph.workspace import load as load_ws

    assert cli(["neo4j", "push", "--replace", "--yes"]).exit_code == 0
    r = cli(["neo4j", "status"])
    assert r.exit_code == 0 and "(complete)" in r.output and "255 nodes, 435 relationships" in r.output
    out = tmp_path / "pulled.json"
    r = cli(["neo4j", "pull", "--into", str(out)])
    assert r.exit_code == 0, r.output
    from chainkg.data import kunming

    assert load_ws(out) == kunming()
    r = cli(["neo4j", "pull", "--into", str(out)])
    assert (r.exit_code, r.output) == (1, f"Error: {out} exists; pass --force to overwrite it\n")
    # wipe asks first; "n" keeps everything
    r = cli(["neo4j", "wipe"], input="n\n")
    assert r.exit_code == 1 and "Aborted" in r.output
    assert "255 nodes" in cli(["neo4j", "status"]).output
    r = cli(["neo4j", "wipe"], input="y\n")
    assert r.exit_code == 0 and "deleted 255 nodes" in r.output
    assert "no chainkg graph named 'chainkg-test' here yet" in cli(["neo4j", "status"]).output
    r = cli(["--backend", "neo4j", "gaps", "missing"])
    assert r.exit_code == 1 and r.output.startswith("Error: Neo4j database 'neo4j' at ")
    assert r.output.count("\n") == 1


def test_cli_push_warns_about_nodes_from_an_earlier_push(env, tmp_path, kg):  # noqa: F811
    from chainkg.graph import save

    assert cli(["neo4j", "push", "--replace", "--yes"]).exit_code == 0
    ws = tmp_path / "hand.json"
    save(kg, ws)
    r = cli(["--graph", str(ws), "neo4j", "push"])
    assert r.exit_code == 0 and "nodes that are not in this workspace" in r.stderr


# -------------------------------------------------------------- bad conditions
def one_line_error(r, expected: str) -> None:
    assert r.exit_code == 1, r.output
    assert r.stdout == ""
    assert r.stderr == f"Error: {expected}\n"


@pytest.mark.parametrize("args", [["neo4j", "status"], ["neo4j", "push"], ["--backend", "neo4j", "gaps", "missing"],
                                  ["--backend", "neo4j", "targets"]])
def test_nothing_listening_is_one_line(args, monkeypatch):
    port = free_port()
    monkeypatch.setenv("CHAINKG_NEO4J_URI", f"bolt://127.0.0.1:{port}")
    one_line_error(cli(args), f"cannot reach Neo4j at bolt://127.0.0.1:{port} (connection refused)")


def test_a_port_that_is_not_bolt_is_one_line(monkeypatch):
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen()
    port = srv.getsockname()[1]

    def answer() -> None:
        while True:
            try:
                c, _ = srv.accept()
            except OSError:
                return
            with c:
                c.recv(64)
                c.sendall(b"HTTP/1.1 400 Bad Request\r\n\r\n")

    threading.Thread(target=answer, daemon=True).start()
    try:
        monkeypatch.setenv("CHAINKG_NEO4J_URI", f"bolt://127.0.0.1:{port}")
        one_line_error(cli(["neo4j", "status"]),
                       f"cannot reach Neo4j at bolt://127.0.0.1:{port} (that port speaks HTTP, not Bolt)")
    finally:
        srv.close()


def test_bad_uris_are_one_line_and_never_show_a_password(monkeypatch):
    monkeypatch.setenv("CHAINKG_NEO4J_URI", "http://127.0.0.1:7474")
    r = cli(["neo4j", "status"])
    assert r.exit_code == 1 and r.stderr.startswith("Error: bad Neo4j URI 'http://127.0.0.1:7474': use bolt://")
    monkeypatch.setenv("CHAINKG_NEO4J_URI", "bolt://neo4j:hunter2-secret@127.0.0.1:7687")
    r = cli(["neo4j", "status"])
    assert r.exit_code == 1 and "hunter2-secret" not in r.output and "***" in r.stderr
    monkeypatch.setenv("CHAINKG_NEO4J_URI", "bolt://no-such-host.invalid:7687")
    one_line_error(cli(["neo4j", "status"]), "cannot reach Neo4j at bolt://no-such-host.invalid:7687 (unknown host)")


def test_unknown_database_is_one_line(env, monkeypatch):
    monkeypatch.setenv("CHAINKG_NEO4J_DATABASE", "nosuchdb")
    one_line_error(cli(["neo4j", "status"]), f"Neo4j at {env.where} has no database 'nosuchdb'")


def test_settings_never_show_the_password():
    from chainkg.graph.neo4j import Settings

    s = Settings.from_env({"CHAINKG_NEO4J_PASSWORD": "hunter2-secret"})
    assert "hunter2-secret" not in repr(s) and "hunter2-secret" not in str(s)
    assert s.auth == ("neo4j", "hunter2-secret")
    assert Settings.from_env({}).auth is None


TLS_HOST = "127.0.0.2"  # a loopback address that is not the default one


@pytest.fixture(scope="module")
def shared_server(tmp_path_factory):
    """A second Neo4j as a team would share it: auth on (user neo4j, AUTH_PASSWORD), Bolt on 127.0.0.2 with TLS
    required (a self-signed certificate from `neo4j-server selfsigned`), HTTPS (the HTTP API and Neo4j Browser,
    `--http`) with the same certificate, a setting passed through with --conf.
    Yields its bolt+ssc:// URI and its HTTPS base URL; stopped afterwards."""
    if not SERVER.exists() or shutil.which("java") is None or shutil.which("openssl") is None:
        skip_or_fail("cannot start an auth-enabled Neo4j (needs services/neo4j/neo4j-server, Java and openssl)")
    port, https_port = free_port(), free_port()
    data = tmp_path_factory.mktemp("neo4j-auth")
    certs = tmp_path_factory.mktemp("neo4j-certs")
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHAINKG_NEO4J_")}
    env.update(NEO4J_AUTH_PASSWORD=AUTH_PASSWORD, CHAINKG_NEO4J_HEAP="384m", CHAINKG_NEO4J_PAGECACHE="32m")
    made = subprocess.run([str(SERVER), "selfsigned", str(certs), "--host", TLS_HOST], env=env,
                          capture_output=True, text=True, timeout=60)
    assert made.returncode == 0, made.stderr
    args = ["--port", str(port), "--data", str(data)]
    started = subprocess.run([str(SERVER), "start", *args, "--listen", TLS_HOST,
                              "--tls-cert", str(certs / "public.crt"), "--tls-key", str(certs / "private.key"),
                              "--http", str(https_port), "--conf", "db.transaction.timeout=61s"],
                             env=env, capture_output=True, text=True, timeout=300)
    if started.returncode != 0:
        skip_or_fail(f"the auth-enabled Neo4j did not start: {(started.stderr or started.stdout)[-500:]}")
    assert f"ready at bolt+s://{TLS_HOST}:{port}, Neo4j Browser at https://{TLS_HOST}:{https_port}/browser/" \
        in started.stdout
    try:
        yield f"bolt+ssc://{TLS_HOST}:{port}", f"https://{TLS_HOST}:{https_port}"
    finally:
        subprocess.run([str(SERVER), "stop", *args], env=env, capture_output=True, timeout=120)


@pytest.fixture(scope="module")
def auth_server(shared_server):
    """The shared server's bolt+ssc:// URI."""
    return shared_server[0]


def test_the_shared_server_speaks_https_with_auth(shared_server):
    """--http with --tls-cert: the HTTP API and the Browser over HTTPS only, with the same certificate; the HTTP
    API needs the password like Bolt does."""
    import base64
    import http.client
    import json
    import ssl
    import urllib.error
    import urllib.request

    bolt, base = shared_server
    ctx = ssl.create_default_context()
    ctx.check_hostname, ctx.verify_mode = False, ssl.CERT_NONE  # the self-signed trial certificate
    with urllib.request.urlopen(base + "/", context=ctx, timeout=60) as resp:
        doc = json.loads(resp.read())
    assert doc["bolt_direct"] == "bolt://" + bolt.split("://", 1)[1]
    assert doc["query"] == base + "/db/{databaseName}/query/v2"
    with urllib.request.urlopen(base + "/browser/", context=ctx, timeout=60) as resp:
        assert "Neo4j Browser" in resp.read().decode()
    query = json.dumps({"statement": "RETURN 6 * 7 AS n"}).encode()
    url = base + "/db/neo4j/query/v2"
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(urllib.request.Request(url, data=query, headers={"Content-Type": "application/json"}),
                               context=ctx, timeout=60)
    assert refused.value.code == 401
    token = base64.b64encode(f"neo4j:{AUTH_PASSWORD}".encode()).decode()
    req = urllib.request.Request(url, data=query, headers={"Content-Type": "application/json",
                                                           "Authorization": "Basic " + token})
    with urllib.request.urlopen(req, context=ctx, timeout=60) as resp:
        assert json.loads(resp.read())["data"]["values"] == [[42]]
    plain = "http://" + base.split("://", 1)[1] + "/"
    with pytest.raises((urllib.error.URLError, http.client.HTTPException, OSError)):  # no plain HTTP answer
        urllib.request.urlopen(plain, timeout=10).read()


def test_a_shared_server_needs_auth_off_loopback(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CHAINKG_NEO4J_", "NEO4J_AUTH"))}
    r = subprocess.run([str(SERVER), "start", "--listen", "0.0.0.0", "--port", str(free_port()),
                        "--data", str(tmp_path)], env=env, capture_output=True, text=True, timeout=60)
    assert r.returncode != 0 and "not a loopback address: set NEO4J_AUTH_PASSWORD" in r.stderr


def test_tls_server_settings_and_mismatches(auth_server, settings, monkeypatch):
    """TLS on, the --conf setting applied; each TLS mismatch is one line that says what to do."""
    from chainkg.graph.neo4j import Connection, Settings

    with Connection(Settings(uri=auth_server, password=AUTH_PASSWORD)) as c:
        got = {r["name"]: r["value"] for r in c.read(
            "SHOW SETTINGS YIELD name, value WHERE name IN ['db.transaction.timeout', 'server.bolt.tls_level'] "
            "RETURN name, value")}
    assert got == {"db.transaction.timeout": "1m1s", "server.bolt.tls_level": "REQUIRED"}
    monkeypatch.setenv("CHAINKG_NEO4J_PASSWORD", AUTH_PASSWORD)
    plain = auth_server.replace("bolt+ssc://", "bolt://")
    monkeypatch.setenv("CHAINKG_NEO4J_URI", plain)
    one_line_error(cli(["neo4j", "status"]), f"cannot reach Neo4j at {plain} (no Bolt server on that port; if the "
                   "server requires TLS, use bolt+s:// (or bolt+ssc:// for a self-signed one))")
    strict = auth_server.replace("bolt+ssc://", "bolt+s://")
    monkeypatch.setenv("CHAINKG_NEO4J_URI", strict)
    one_line_error(cli(["neo4j", "status"]), f"cannot reach Neo4j at {strict} (the server's TLS certificate is not "
                   "trusted: for a self-signed certificate use bolt+ssc://, or install the CA)")
    if settings.uri.startswith("bolt://"):
        secure = settings.uri.replace("bolt://", "bolt+s://")
        monkeypatch.setenv("CHAINKG_NEO4J_URI", secure)
        one_line_error(cli(["neo4j", "status"]), f"cannot reach Neo4j at {secure} (TLS handshake failed: that "
                       "port does not speak TLS; use bolt://)")


def test_wrong_password_is_one_line(auth_server, monkeypatch):
    monkeypatch.setenv("CHAINKG_NEO4J_URI", auth_server)
    monkeypatch.setenv("CHAINKG_NEO4J_PASSWORD", "not-the-password")
    for args in (["neo4j", "status"], ["--backend", "neo4j", "gaps", "missing"]):
        r = cli(args)
        one_line_error(r, "Neo4j rejected the credentials for user neo4j")
        assert "not-the-password" not in r.output
    monkeypatch.setenv("CHAINKG_NEO4J_USER", "mallory")
    one_line_error(cli(["neo4j", "status"]), "Neo4j rejected the credentials for user mallory")


def test_missing_password_is_one_line(auth_server, monkeypatch):
    monkeypatch.setenv("CHAINKG_NEO4J_URI", auth_server)
    monkeypatch.delenv("CHAINKG_NEO4J_PASSWORD", raising=False)
    one_line_error(cli(["neo4j", "status"]),
                   f"Neo4j at {auth_server} needs a password for user neo4j (set CHAINKG_NEO4J_PASSWORD)")


def test_right_password_pushes_and_queries(auth_server, monkeypatch):
    monkeypatch.setenv("CHAINKG_NEO4J_URI", auth_server)
    monkeypatch.setenv("CHAINKG_NEO4J_PASSWORD", AUTH_PASSWORD)
    monkeypatch.delenv("CHAINKG_NEO4J_USER", raising=False)
    r = cli(["neo4j", "push"])
    assert r.exit_code == 0 and AUTH_PASSWORD not in r.output
    assert cli(["--backend", "neo4j", "gaps", "weak"]).stdout == cli(["gaps", "weak"]).stdout


def test_ci_flag_is_read(monkeypatch):
    monkeypatch.setenv("CI", "true")
    assert in_ci()
    monkeypatch.setenv("CI", "false")
    assert not in_ci()


@pytest.mark.parametrize("name", ["chainkg.graph.neo4j", "chainkg.graph.neo4j.backend",
                                  "chainkg.graph.neo4j.connection", "chainkg.graph.neo4j.store",
                                  "chainkg.graph.neo4j.cypher", "chainkg.cli_neo4j"])
def test_docstring_examples(name):
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0


def test_offline_import_gives_the_same_graph_as_a_push(tmp_path):
    """`chainkg neo4j import` into a stopped local instance, then start + `schema`: pull gives the graph back
    (odd names: quotes, backticks, newlines, braces, emoji, backslashes; lists; empty texts; ints vs floats)."""
    if not SERVER.exists() or shutil.which("java") is None:
        skip_or_fail("cannot run the importer (needs services/neo4j/neo4j-server and Java)")
    from chainkg.graph import save
    from chainkg.graph.workspace import load as load_ws

    g = odd_graph()
    first = next(iter(g.nodes("Enterprise")))
    g.g.nodes[first].update(note="", revenue=12.0, employees=7, lists=[])
    ws = tmp_path / "odd.json"
    save(g, ws)
    port = free_port()
    data = tmp_path / "inst"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CHAINKG_NEO4J_", "NEO4J_AUTH"))}
    env.update(CHAINKG_NEO4J_HEAP="384m", CHAINKG_NEO4J_PAGECACHE="32m")
    data.mkdir()
    (data / "neo4j.port").write_text(str(port))
    r = CliRunner().invoke(main, ["--graph", str(ws), "neo4j", "import", "--data", str(data), "--name", "odd",
                                  "--yes"], env=env)
    assert r.exit_code == 0, r.output
    assert "imported" in r.output and f"{len(g)} nodes" in r.output
    args = ["--port", str(port), "--data", str(data)]
    try:
        # this server also opts in to APOC core (it must start cleanly and answer)
        started = subprocess.run([str(SERVER), "start", *args, "--with-apoc"], env=env, capture_output=True,
                                 text=True, timeout=300)
        assert started.returncode == 0, started.stderr[-500:]
        uri = ["--uri", f"bolt://127.0.0.1:{port}", "--name", "odd"]
        r = cli(["neo4j", *uri, "cypher", "RETURN apoc.version() AS v, apoc.text.join(['a', 'b'], '-') AS j",
                 "--format", "csv"])
        assert r.exit_code == 0, r.output
        assert r.stdout.splitlines()[1].startswith("5.26") and r.stdout.splitlines()[1].endswith(",a-b")
        assert cli(["neo4j", *uri, "schema"]).exit_code == 0
        out = tmp_path / "back.json"
        r = cli(["neo4j", *uri, "pull", "--into", str(out)])
        assert r.exit_code == 0, r.output
        back = load_ws(out)
        assert back == g and back.meta == g.meta
        assert list(back.g.nodes) == list(g.g.nodes) and list(back.g.edges(keys=True)) == list(g.g.edges(keys=True))
        assert "(complete)" in cli(["neo4j", *uri, "status"]).output
    finally:
        subprocess.run([str(SERVER), "stop", *args], env=env, capture_output=True, timeout=120)
