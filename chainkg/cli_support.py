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
#: What the evidence field holds for each provenance kind.
EVIDENCE_LABEL = {"stated": "evidence", "template": "basis", "inferred": "reason"}


class Context:
    def __init__(self, graph_path: str | None, backend: str = "networkx") -> None:
        self.graph_path = graph_path
        self.backend_name = backend
        self._kg: KnowledgeGraph | None = None

    def backend(self):
        """The engine queries run on: the embedded graph, or a Neo4j server."""
        from chainkg.backends import get_backend

        return get_backend(self.backend_name, self)

    @property
    def kg(self) -> KnowledgeGraph:
        if self._kg is None:
            if self.graph_path:
                from chainkg.graph.workspace import load

                self._kg = load(self.graph_path, freeze=True)
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
    click.echo(f"Error: {message}", err=True)
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
                    click.echo(str(err), err=True)
            fail(str(e))
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


def emit(rows: list[dict[str, Any]], fmt: str, columns: list[str] | None = None, max_width: int = 60) -> None:
    click.echo(render(rows, fmt, columns, max_width=max_width))


