"""Option help in Chinese first: every option of every command has a Chinese text (chainkg/help_text.py),
shown by default and wrapped by display width; ``--lang en`` / ``CHAINKG_LANG=en`` shows click's own help,
unchanged. Parametrised over every command, so a new option without a Chinese text fails here."""

from __future__ import annotations

import re

import click
import pytest

from chainkg.cli import main
from chainkg.help_text import (
    OPTION_HELP_ZH,
    SUMMARY_ZH,
    _write_usage,
    option_help_zh,
    wrap_help,
)
from chainkg.output import display_width

CJK = re.compile(r"[\u4e00-\u9fff]")
#: A character of a Latin "word" the wrapper keeps whole: option names, variables, paths, URIs.
LATIN = r"[A-Za-z0-9_./:+<>$`=-]"


def _commands(group: click.Group = main, path: str = ""):
    yield path, group
    for name, cmd in sorted(group.commands.items()):
        sub = f"{path} {name}".strip()
        if isinstance(cmd, click.Group):
            yield from _commands(cmd, sub)
        else:
            yield sub, cmd


COMMANDS = dict(_commands())


def _context(path: str) -> click.Context:
    """The context `chainkg PATH` runs in (the group's settings, e.g. its help option names, passed down)."""
    ctx = click.Context(main, info_name="chainkg", **main.context_settings)
    for name in _argv(path):
        ctx = click.Context(ctx.command.commands[name], info_name=name, parent=ctx)
    return ctx


def _options(path: str) -> list[tuple[str, click.Option]]:
    """(name as help_text keys it, option) for every option --help lists, click's help option included."""
    ctx = _context(path)  # click caches the help option a command makes first: it must be the real one
    cmd = ctx.command
    helper = cmd.get_help_option(ctx)
    return [("help" if p is helper else p.name, p) for p in cmd.get_params(ctx)
            if isinstance(p, click.Option) and not p.hidden]


def _argv(path: str) -> list[str]:
    return path.split() if path else []


def _section(output: str, heading: str) -> list[str]:
    """The lines of one section of --help (up to the next blank line)."""
    lines = output.split("\n")
    start = lines.index(heading) + 1
    end = lines.index("", start) if "" in lines[start:] else len(lines)
    return lines[start:end]


@pytest.fixture
def zh(monkeypatch):
    monkeypatch.delenv("CHAINKG_LANG", raising=False)  # conftest sets en; Chinese is the CLI's default


def test_the_walk_sees_every_command():
    """The parametrisation below covers what `chainkg --help` offers: every command with a Chinese summary."""
    assert set(COMMANDS) == set(SUMMARY_ZH)
    assert sum(len(_options(p)) for p in COMMANDS) >= 220 + len(COMMANDS)  # + each command's -h


@pytest.mark.parametrize("path", sorted(COMMANDS), ids=lambda p: p or "chainkg")
def test_every_option_has_a_chinese_text_shown_by_default(runner, zh, path):
    out = runner.invoke(main, [*_argv(path), "--help"], prog_name="chainkg")
    assert out.exit_code == 0, out.output
    shown = re.sub(r"\s+", "", "".join(_section(out.output, "选项：")))
    for name, option in _options(path):
        text = option_help_zh(path, name)
        assert text and CJK.search(text), f"no Chinese help for {option.opts[0]} of `chainkg {path}`"
        assert re.sub(r"\s+", "", text) in shown, (path, name)
        if option.help:  # the English text is not shown as well
            assert re.sub(r"\s+", "", option.help) not in re.sub(r"\s+", "", out.output), (path, name)


def test_same_english_same_chinese_and_back():
    """Where an option name means different things on different commands (its English help differs), the
    Chinese differs too, and the same English is the same Chinese: every override is where it should be."""
    by_name: dict[str, dict[str | None, set[str]]] = {}
    for path in COMMANDS:
        for name, option in _options(path):
            by_name.setdefault(name, {}).setdefault(option.help, set()).add(option_help_zh(path, name))
    for name, texts in by_name.items():
        assert all(len(zh) == 1 for zh in texts.values()), (name, texts)
        distinct = {next(iter(zh)) for zh in texts.values()}
        assert len(distinct) == len(texts), (name, texts)


def test_every_chinese_text_is_used():
    """No entry or per-command override is dead (a misspelt command path would be one)."""
    used = {(path, name) for path in COMMANDS for name, _ in _options(path)}
    for name, entry in OPTION_HELP_ZH.items():
        assert any(n == name for _, n in used), name
        if isinstance(entry, dict):
            for prefix in entry:
                assert any(n == name and (prefix == "" or p == prefix or p.startswith(prefix + " "))
                           and option_help_zh(p, n) == entry[prefix] for p, n in used), (name, prefix)


def _plain(cmd: click.Command) -> click.Command:
    """``cmd`` as click alone would render it: its class without chainkg's Chinese layer."""
    cls = type(cmd).__bases__[1]  # help_text.localise_help made the class (_ChineseHelp, click's class)
    assert cls.__module__.startswith("click")
    bare = object.__new__(cls)
    bare.__dict__.update(cmd.__dict__)
    return bare


@pytest.mark.parametrize("path", sorted(COMMANDS), ids=lambda p: p or "chainkg")
@pytest.mark.parametrize("how", ["--lang", "env"])
def test_english_help_is_exactly_clicks(runner, monkeypatch, path, how):
    """English: the same text as click renders for the command without chainkg's Chinese layer."""
    monkeypatch.setenv("CHAINKG_LANG", "en")  # for the subcommands a group lists (they are chainkg's)
    ctx = _context(path)
    ctx.command = _plain(ctx.command)
    with runner.isolation():  # the runner's terminal (CliRunner fixes click's width)
        expected = ctx.command.get_help(ctx) + "\n"
    if how == "--lang":
        monkeypatch.delenv("CHAINKG_LANG")
    argv = ["--lang", "en"] * (how == "--lang") + [*_argv(path), "--help"]
    out = runner.invoke(main, argv, prog_name="chainkg")
    assert out.exit_code == 0
    assert out.output == expected
    assert "选项" not in out.output and "用法" not in out.output


def test_targets_help_in_both_languages(runner, zh, monkeypatch):
    out = runner.invoke(main, ["targets", "--help"], prog_name="chainkg").output
    assert out.startswith("用法：chainkg targets [OPTIONS]\n")
    assert "  --explain                       显示得分的每个组成部分。\n" in out
    assert "  --k INTEGER RANGE               延链跳数。  [default: 1; x>=1]\n" in out
    assert "  -h, --help                      显示本帮助并退出。\n" in out
    assert "Show each part of the score." not in out
    assert "Recruiting targets (招商目标) for each gap" in out  # the English description stays, below the summary
    for argv, env in ((["--lang", "en", "targets", "--help"], None), (["targets", "--help"], "en")):
        if env:
            monkeypatch.setenv("CHAINKG_LANG", env)
        en = runner.invoke(main, argv, prog_name="chainkg").output
        assert "  --explain                       Show each part of the score.\n" in en
        assert "  --k INTEGER RANGE               延链 hops.  [default: 1; x>=1]\n" in en
        assert en.startswith("Usage: chainkg targets [OPTIONS]\n") and "显示得分" not in en


def test_options_are_not_changed_by_chinese_help(runner, zh):
    """click keeps one Option object per command for all calls; Chinese help works on copies."""
    before = {(p, o.opts[0]): o.help for p in COMMANDS for _, o in _options(p)}
    for path in COMMANDS:
        assert runner.invoke(main, [*_argv(path), "--help"]).exit_code == 0
    assert {(p, o.opts[0]): o.help for p in COMMANDS for _, o in _options(p)} == before


def _check_narrow(out: str, path: str, width: int = 58) -> None:
    """Every line of the Chinese summary and of the options fits ``width`` (click's textwrap would count a
    Chinese character as one column), no line starts with closing punctuation or ends with an opening bracket,
    no Latin word (an option, a variable, a path) is split, and nothing is lost: each text, spaces aside, is
    there in order."""
    summary = out.split("\n\n")[1].split("\n")
    options = _section(out, "选项：")
    ctx = _context(path)
    # An option's own names (--section [all|status|…]) are click's, on a line of their own when long, as in English.
    names = {option.get_help_record(ctx)[0] for _, option in _options(path)}
    for line in summary + options:
        assert display_width(line) <= width or line.strip() in names, line
        body = line.strip()
        assert not body or (body[0] not in "、，。；：）】" and body[-1] not in "（【"), line
    assert re.sub(r"\s+", "", "".join(summary)) == re.sub(r"\s+", "", SUMMARY_ZH[path])
    joined = "\n".join(options)
    for name, _ in _options(path):
        text = option_help_zh(path, name)
        assert re.sub(r"\s+", "", text) in re.sub(r"\s+", "", joined)
        for word in re.findall(rf"{LATIN}{{3,}}", text):
            assert re.search(rf"(?<!{LATIN}){re.escape(word)}(?!{LATIN})", joined), (name, word)


@pytest.mark.parametrize("path", sorted(COMMANDS), ids=lambda p: p or "chainkg")
def test_narrow_terminal_wraps_by_display_width(zh, monkeypatch, path):
    """COLUMNS=60 (click's help is then 58 columns wide). Rendered in-process, outside CliRunner, which fixes
    click's width at 80 whatever COLUMNS says."""
    monkeypatch.setenv("COLUMNS", "60")
    _check_narrow(_context(path).get_help(), path)


def test_narrow_terminal_for_real(tmp_path):
    """The same in a process of its own in a 60-column terminal (COLUMNS), as a user runs `chainkg`."""
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "CHAINKG_LANG"} | {"COLUMNS": "60"}
    run = "from chainkg.cli import main; main(prog_name='chainkg')"
    out = subprocess.run([sys.executable, "-c", run, "targets", "--help"], env=env, cwd=tmp_path,
                         capture_output=True, text=True, check=True).stdout
    _check_narrow(out, "targets")
    assert "  --offset INTEGER RANGE          先跳过得分最高的这么多行\n" in out  # 58 columns, not 58 characters


@pytest.mark.parametrize("text", sorted({t for e in OPTION_HELP_ZH.values()
                                         for t in ([e] if isinstance(e, str) else e.values())} |
                                        {s for s in SUMMARY_ZH.values()}))
def test_wrap_help_fits_every_width_and_loses_nothing(text):
    for width in range(4, 90, 3):
        for part in text.split("\n"):
            lines = wrap_help(part, width)
            assert all(display_width(line) <= width for line in lines), (width, lines)
            assert "".join(lines).replace(" ", "") == part.replace(" ", "")
            assert all(line == line.strip() for line in lines)


def test_wrap_help_by_hand():
    # Chinese characters take two columns: 5 columns hold two of them.
    assert wrap_help("一二三四五", 5) == ["一二", "三四", "五"]
    # Closing punctuation stays with the character before it, an opening bracket with the one after.
    assert wrap_help("环节、链主（本地）", 6) == ["环节、", "链主", "（本", "地）"]
    # Latin words stay whole; the spaces between them are kept inside a line, dropped at its ends.
    assert wrap_help("见 --ask-password 或  [default: 1]", 18) == ["见 --ask-password", "或  [default: 1]"]
    # A word longer than a line is cut by columns (whole characters).
    assert wrap_help("bolt://127.0.0.1:7687", 8) == ["bolt://1", "27.0.0.1", ":7687"]
    assert wrap_help("", 10) == [""]


def test_usage_line_aligns_by_display_width():
    """The Chinese prefix 用法： takes 6 columns (click's own code would count 3)."""
    f = click.HelpFormatter(width=60)
    _write_usage(f, "chainkg neo4j cypher", "[OPTIONS] QUERY [MORE] [ARGS] [AND] [MORE]")
    assert f.getvalue() == ("用法：chainkg neo4j cypher [OPTIONS] QUERY [MORE] [ARGS]\n"
                            + " " * 27 + "[AND] [MORE]\n")
    f = click.HelpFormatter(width=40)  # too narrow for the arguments beside the prefix: below it, as click does
    _write_usage(f, "chainkg neo4j cypher", "[OPTIONS] QUERY [MORE] [ARGS] [AND] [MORE]")
    assert f.getvalue() == ("用法：chainkg neo4j cypher\n" + " " * 10 + "[OPTIONS] QUERY [MORE] [ARGS]\n"
                            + " " * 10 + "[AND] [MORE]\n")


def test_usage_errors_stay_clicks_english(runner, zh):
    """A usage error prints the usage line among click's English lines: it stays English there, in zh too."""
    r = runner.invoke(main, ["targets", "--bogus"], prog_name="chainkg")
    assert r.exit_code == 2
    assert r.output.startswith("Usage: chainkg targets [OPTIONS]\nTry 'chainkg targets --help' for help.\n")
    assert "用法" not in r.output
