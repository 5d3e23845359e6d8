"""The one error root: every problem a *user* can cause is a :class:`ChainkgError`.

The CLI prints a ``ChainkgError`` (and an ``OSError`` about a file) as one line
and exits 1. Anything else is a bug and keeps its traceback, so a bug never
looks like a user mistake. Messages speak of the data and the API, never of
CLI flags: the CLI adds those hints itself where it knows them.

>>> issubclass(GraphError, ChainkgError), issubclass(DataError, ChainkgError)
(True, True)
"""

from __future__ import annotations


class ChainkgError(Exception):
    """A problem the user can fix: an unknown name, a bad input file, a server that is down …"""


class GraphError(ChainkgError):
    """A request the graph cannot satisfy (unknown node, wrong type, ambiguous name …)."""


class NotFoundError(GraphError):
    """A name, id, chain or region that the graph does not have; ``suggestions`` lists close matches."""

    def __init__(self, message: str, suggestions: list[str] | None = None, *,
                 subject: tuple[str, str] | None = None) -> None:
        self.suggestions = list(suggestions or [])
        #: what was not found, for messages in other languages: (kind — ``region``, ``chain``, ``node`` —, name)
        self.subject = subject
        if self.suggestions:
            message += "; did you mean " + "、".join(self.suggestions) + "?"
        super().__init__(message)


class NoHomeRegion(GraphError):
    """A query needs a local region and the graph names no home region."""


class UnknownType(NotFoundError, KeyError):
    """A node or relationship type the schema does not declare (a ``KeyError`` too, for lookups)."""

    __str__ = Exception.__str__  # KeyError would quote the message


class InvalidArgument(ChainkgError, ValueError):
    """An argument out of its range (``k`` < 1, a batch size of 0 …); a ``ValueError`` too."""


class DataError(ChainkgError):
    """Stored data that breaks a rule the queries rely on (e.g. a Project without ``status``)."""


class InputError(ChainkgError):
    """A file or value given by the user that cannot be read as asked."""
