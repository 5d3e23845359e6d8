"""What every CLI command shares: the context (workspace, engine), error handling and output.

Command modules import this, never :mod:`chainkg.cli`; ``cli.py`` registers their
commands explicitly.
"""

from __future__ import annotations

import functools
import gc
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from chainkg.errors import ChainkgError
from chainkg.output import render

if TYPE_CHECKING:
    from chainkg.graph.kg import KnowledgeGraph

FORMATS = click.Choice(["table", "json", "csv"])
GRAPH_ENV = "CHAINKG_GRAPH"
#: Nodes from which the CLI leaves a loaded graph for the operating system to reclaim at exit.
BIG_GRAPH = 20_000


#: The Neo4j connection options every command accepts (``chainkg --uri … gaps missing``, ``chainkg neo4j --uri …``).
NEO4J_OPTIONS = (
    click.option("--uri", help="Neo4j Bolt URI (env CHAINKG_NEO4J_URI; default bolt://127.0.0.1:7687; "
                 "bolt+s:// or neo4j+s:// for TLS, bolt+ssc:// for a self-signed certificate)."),
    click.option("--user", help="Neo4j user (env CHAINKG_NEO4J_USER; default neo4j)."),
    click.option("--password", help="Neo4j password (better: env CHAINKG_NEO4J_PASSWORD or --ask-password). "
                 "None: connect without auth."),
    click.option("--ask-password", is_flag=True, default=None, help="Prompt for the Neo4j password (not echoed)."),
    click.option("--database", help="Neo4j database (env CHAINKG_NEO4J_DATABASE; default neo4j)."),
    click.option("--name", "graph_name", help="Name of chainkg's graph in Neo4j: several graphs (cities) share a "
                 "database (env CHAINKG_NEO4J_GRAPH; default 'default')."),
)


def neo4j_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Add :data:`NEO4J_OPTIONS` to a click group or command."""
    for option in reversed(NEO4J_OPTIONS):
        fn = option(fn)
    return fn


class Context:
    def __init__(self, graph_path: str | None, backend: str = "networkx") -> None:
        self.graph_path = graph_path
        self.backend_name = backend
        self._kg: KnowledgeGraph | None = None
        #: Neo4j settings given as options (the environment fills the rest); later options win.
        self.neo4j_options: dict[str, Any] = {}

    def set_neo4j_options(self, uri: str | None = None, user: str | None = None, password: str | None = None,
                          ask_password: bool | None = None, database: str | None = None,
                          graph_name: str | None = None) -> None:
        if ask_password:
            password = click.prompt("Neo4j password", hide_input=True, err=True)
        given = {"uri": uri, "user": user, "password": password, "database": database, "graph": graph_name}
        self.neo4j_options.update({k: v for k, v in given.items() if v})

    @property
    def neo4j_settings(self):
        """Where Neo4j is: the options given, then the environment, then the defaults."""
        from chainkg.graph.neo4j import Settings

        return Settings.from_env(**self.neo4j_options)

    def backend(self):
        """The engine queries run on: the embedded graph, or a Neo4j server."""
        from chainkg.backends import get_backend

        return get_backend(self.backend_name, self)

    @property
    def kg(self) -> KnowledgeGraph:
        if self._kg is None:
            if self.graph_path:
                from chainkg.graph.workspace import load

                # Read-only: no command changes the graph it queries (writers open the workspace themselves).
                self._kg = load(self.graph_path, freeze=True, read_only=True)
            else:
                from chainkg.data import kunming

                self._kg = kunming()
            # The graph lives as long as the command: keep the cyclic collector off its millions of
            # objects (at 100k firms this alone takes a quarter off every query).
            if len(self._kg) >= BIG_GRAPH:
                # ... and past the command's end: a frozen cycle is never collected, so the exiting process
                # skips freeing the graph object by object (0.3 s at 100k firms, 1 s at 1M relationships).
                keep: list = [self._kg]
                keep.append(keep)
            gc.collect()
            gc.freeze()
        return self._kg

    @property
    def graph_label(self) -> str:
        return self.graph_path or "bundled Kunming graph"


def fail(message: str, code: int = 1) -> None:
    click.echo(f"{'错误：' if current_lang() == 'zh' else 'Error: '}{message}", err=True)
    sys.exit(code)


def friendly_errors(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Show a user's mistake as one line and exit 1; let a bug keep its traceback.

    User mistakes are :class:`chainkg.errors.ChainkgError` (a bad input file lists
    every problem first) and ``OSError`` about a file (named in the line). Any
    other exception is a bug in chainkg and propagates unchanged.
    """
    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except BrokenPipeError:
            # The reader (head, less) went away: stop quietly, as Unix tools do.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            sys.exit(141)
        except ChainkgError as e:
            from chainkg.loaders import LoadFailed  # here, not at start-up: loaders import the schema

            if isinstance(e, LoadFailed):
                for err in e.errors:
                    click.echo(err.say(current_lang()), err=True)
            from chainkg.i18n import error_text

            fail(error_text(e, current_lang()))
        except OSError as e:
            where = f"{e.filename}: " if e.filename else ""
            fail(f"{where}{e.strerror or e}")

    return wrapper


def open_workspace(path: Path, base: str) -> KnowledgeGraph:
    """The workspace at ``path``, or a new one from ``base`` (``kunming``: the bundled graph; ``empty``)."""
    from chainkg.graph.kg import KnowledgeGraph
    from chainkg.graph.workspace import load

    if path.exists():
        return load(path)
    if base == "kunming":
        from chainkg.data import kunming

        return kunming()
    return KnowledgeGraph({"name": path.stem})


LANG_META = "chainkg.lang"
WIDE_META = "chainkg.wide"


def _set_lang(ctx: click.Context, _param: click.Parameter, value: str) -> str:
    ctx.meta[LANG_META] = value  # now, so that a --help after it (eager too) is in this language
    return value


def lang_option(fn: Callable[..., Any]) -> Callable[..., Any]:
    """``--lang zh|en`` on the ``chainkg`` group (env ``CHAINKG_LANG``; Chinese by default)."""
    return click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True,
                        envvar="CHAINKG_LANG", is_eager=True, callback=_set_lang,
                        help="Language of tables, CSV/XLSX headers and messages (env CHAINKG_LANG). "
                             "JSON keys and values stay English.")(fn)


def _set_wide(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if value:
        ctx.meta[WIDE_META] = True


#: ``--wide`` on every command that prints a table: every column, nothing wrapped.
wide_option = click.option("--wide", is_flag=True, expose_value=False, callback=_set_wide,
                           help="Print tables unwrapped, every column, whatever the terminal's width.")


def current_lang() -> str:
    """The language chosen for this command (``--lang``, ``CHAINKG_LANG``, else Chinese)."""
    ctx = click.get_current_context(silent=True)
    if ctx is not None and LANG_META in ctx.meta:
        return ctx.meta[LANG_META]
    from chainkg.i18n import env_lang

    return env_lang()


def is_wide() -> bool:
    """Whether ``--wide`` was given."""
    ctx = click.get_current_context(silent=True)
    return bool(ctx is not None and ctx.meta.get(WIDE_META))


def table_width() -> int | None:
    """The width a table printed now must fit, or None (no fitting).

    ``--wide``: None. Else ``COLUMNS`` when set (as :func:`shutil.get_terminal_size` reads it), else the
    terminal's width when stdout is one. Output to a pipe or file is not fitted unless ``COLUMNS`` says so:
    a script or a pager gets every cell whole, one line per row.
    """
    if is_wide():
        return None
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    if sys.stdout.isatty():
        import shutil

        return shutil.get_terminal_size().columns
    return None


def echo_fitted(line: str = "", hang: int = 2) -> None:
    """Print a line of text, wrapped to the terminal like tables are (continuation lines indented by ``hang``
    more than the line's own indent)."""
    width = table_width()
    if width is None or not line:
        click.echo(line)
        return
    from chainkg.output import wrap

    indent = len(line) - len(line.lstrip(" "))
    pad = " " * min(indent + hang, max(width // 2, 0))
    first, *rest = wrap(line.strip(" "), max(width - indent, 1))
    out = [" " * indent + first]
    for part in rest:
        out += [pad + p for p in wrap(part, max(width - len(pad), 1))]
    click.echo("\n".join(out))


def emit(rows: list[dict[str, Any]], fmt: str, columns: list[str] | None = None,
         drop_constant: tuple[str, ...] = ()) -> None:
    """Print rows as a table (fitted to the terminal, in the chosen language), JSON or CSV."""
    click.echo(render(rows, fmt, columns, lang=current_lang(), width=table_width(), drop_constant=drop_constant))




def home_region_options(fn):
    """``--home-region NAME`` (with ``--home-level`` and ``--home-part-of`` for a new region) on a writing command."""
    fn = click.option("--home-part-of", metavar="REGION",
                      help="For a new home region: the region it lies in (e.g. 佛山市).")(fn)
    fn = click.option("--home-level", type=click.Choice(["city", "district", "county", "town", "dev_zone", "park"]),
                      default="district", show_default=True, help="For a new home region: its level.")(fn)
    fn = click.option("--home-region", metavar="NAME",
                      help="Set the workspace's home region (the local region every query and view defaults to); "
                           "created if the workspace has no Region of that name.")(fn)
    return fn


def apply_home_region(kg: KnowledgeGraph, name: str | None, level: str, part_of: str | None) -> str | None:
    """Set the home region when ``--home-region`` was given; returns its id."""
    if not name:
        return None
    from chainkg.graph.scope import set_home_region

    return set_home_region(kg, name, level=level, part_of=part_of)


def encoding_option(fn):
    """``--encoding`` for commands that read CSV/YAML: force one codec when detection refuses a file."""
    return click.option("--encoding", metavar="CODEC", default=None,
                        help="Read CSV/YAML files in this encoding (gbk, big5, utf-16-le …) instead of detecting it; "
                             "XLSX is always Unicode.")(fn)
