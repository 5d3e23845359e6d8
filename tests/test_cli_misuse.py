"""A CLI misuse sweep: every command and every option type, given bad values, ends in one clear line.

No traceback (an exception other than SystemExit), exit code 1 (a user mistake) or 2 (a usage error), and
for exit 1 exactly one ``Error:`` line with control characters escaped.
"""

from __future__ import annotations

import click
import pytest
from click.testing import CliRunner

from chainkg.cli import main

#: A valid call of each leaf command (the sweep changes one option at a time).
BASE = {
    "info": [], "show": ["孚能科技"], "search": ["电池"], "schema": [], "gaps coverage": [], "gaps missing": [],
    "gaps capability": [], "gaps supply": [], "gaps weak": [], "gaps extend": [], "gaps dependencies": [],
    "gaps chokepoints": [], "targets": ["--limit", "3"], "pipeline": ["--as-of", "2024-01-15"],
    "templates list": [], "templates show": ["光伏"], "export": ["--format", "json", "-o", "{tmp}/out.json"],
    "viz": ["-o", "{tmp}/v.html"], "report": ["--chain", "新能源电池", "-o", "{tmp}/r.md"],
    "validate": ["{tmp}/missing.csv"], "load": ["{tmp}/missing.csv", "--into", "{tmp}/ws.json"],
}
BAD = {
    click.INT: ["abc", "-99999999999999999999", "1e9", ""],
    click.FLOAT: ["nan", "inf", "abc", ""],
    click.STRING: ["\x1b[2J火星", "a\nb", "=cmd|' /C calc'!A0", "", "電池" * 500],
    # Never a real device: a bug here would replace it on the machine running the tests (as root in CI).
    "path": ["{tmp}/no/such/dir/x", "{tmp}/fifo", "{tmp}"],
}


def leaf_commands(group: click.Group, prefix: str = ""):
    for name, cmd in sorted(group.commands.items()):
        if isinstance(cmd, click.Group):
            yield from leaf_commands(cmd, f"{prefix}{name} ")
        else:
            yield f"{prefix}{name}", cmd


def cases():
    for name, cmd in leaf_commands(main):
        if name not in BASE:
            continue
        for p in cmd.params:
            if not isinstance(p, click.Option) or p.is_flag or p.name in ("help",):
                continue
            kind = "path" if isinstance(p.type, click.Path) else (
                click.INT if isinstance(p.type, (click.types.IntParamType, click.IntRange)) else
                click.FLOAT if isinstance(p.type, (click.types.FloatParamType, click.FloatRange)) else
                click.STRING if isinstance(p.type, click.types.StringParamType) else None)
            for value in BAD.get(kind, []):
                yield pytest.param(name, p.opts[-1], value, id=f"{name}:{p.opts[-1]}={value[:12]!r}")


@pytest.mark.parametrize(("command", "option", "value"), list(cases()))
def test_bad_option_value_is_one_clear_line(tmp_path, command, option, value):
    import os
    import stat

    os.mkfifo(tmp_path / "fifo")
    argv = [*command.split(), *(a.format(tmp=tmp_path) for a in BASE[command]), option, value.format(tmp=tmp_path)]
    r = CliRunner().invoke(main, argv)
    assert r.exception is None or isinstance(r.exception, SystemExit), f"{argv}: {r.exception!r}"
    if r.exit_code == 1:
        errors = [line for line in r.output.splitlines() if line.startswith("Error:")]
        assert len(errors) == 1, r.output
        assert "\x1b" not in errors[0]
    else:
        assert r.exit_code in (0, 2), (r.exit_code, r.output)
    assert stat.S_ISFIFO(os.stat(tmp_path / "fifo").st_mode), "a FIFO was replaced by a file"


@pytest.mark.parametrize("doc", [
    '{"format": "chainkg-workspace", "version": 1, "nodes": null, "edges": []}',
    '{"format": "chainkg-workspace", "version": 1, "nodes": [{"id": 5, "type": "Region"}], "edges": []}',
    "[" * 100_000 + "]" * 100_000,
    '{"format": "chainkg-workspace", "version": 1, "nodes": [], "edges": [{"from": "a", "to": "b", "type": "X"}]}',
])
def test_broken_workspace_files_are_one_line(tmp_path, doc):
    ws = tmp_path / "ws.json"
    ws.write_text(doc, encoding="utf-8")
    r = CliRunner().invoke(main, ["--graph", str(ws), "info"])
    assert r.exit_code == 1 and r.output.startswith(f"Error: {ws}:"), r.output
    assert r.output.count("\n") == 1


def test_truncated_gzip_workspace(tmp_path):
    ws = tmp_path / "ws.json.gz"
    ws.write_bytes(b"\x1f\x8b")
    r = CliRunner().invoke(main, ["--graph", str(ws), "gaps", "missing"])
    assert r.exit_code == 1 and "not a readable workspace file" in r.output
