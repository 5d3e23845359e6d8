"""Connecting to Neo4j: settings from options or the environment, and one-line errors.

Every failure the driver can raise is turned into a :class:`Neo4jFailure` (a
:class:`~chainkg.graph.kg.GraphError`), so the CLI prints one line and exits 1.
The password is never part of a message, a repr or a log line.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import re
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from chainkg.graph.kg import GraphError

ENV_URI = "CHAINKG_NEO4J_URI"
ENV_USER = "CHAINKG_NEO4J_USER"
ENV_PASSWORD = "CHAINKG_NEO4J_PASSWORD"
ENV_DATABASE = "CHAINKG_NEO4J_DATABASE"
ENV_GRAPH = "CHAINKG_NEO4J_GRAPH"
DEFAULT_URI = "bolt://127.0.0.1:7687"
DEFAULT_USER = "neo4j"
DEFAULT_DATABASE = "neo4j"
#: The graph name when none is given: several named graphs (cities, workspaces) can share one database.
DEFAULT_GRAPH = "default"
BOLT_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")

# The driver logs retries as warnings; without this, Python's last-resort handler would print them on
# stderr next to the CLI's one-line error. Applications that configure logging still receive them.
logging.getLogger("neo4j").addHandler(logging.NullHandler())


class Neo4jFailure(GraphError):
    """Neo4j could not do what was asked; the message is one line for a person."""


class Neo4jUnreachable(Neo4jFailure):
    """No Bolt server answered at the URI."""


class Neo4jAuthFailed(Neo4jFailure):
    """The server refused the credentials (or needs some)."""


def redact(uri: str) -> str:
    """The URI without any password embedded in it.

    >>> redact("bolt://neo4j:s3cret@db.example:7687")
    'bolt://neo4j:***@db.example:7687'
    >>> redact("bolt://127.0.0.1:7687")
    'bolt://127.0.0.1:7687'
    """
    try:
        parts = urlsplit(uri)
    except ValueError:
        return uri
    if parts.password is None:
        return uri
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    return urlunsplit(parts._replace(netloc=f"{parts.username}:***@{host}"))


@dataclass(frozen=True)
class Settings:
    """Where chainkg's Neo4j lives. ``password=None`` connects without authentication."""

    uri: str = DEFAULT_URI
    user: str = DEFAULT_USER
    password: str | None = field(default=None, repr=False)
    database: str = DEFAULT_DATABASE
    graph: str = DEFAULT_GRAPH
    connection_timeout: float = 5.0

    def __post_init__(self) -> None:
        if not isinstance(self.graph, str) or not self.graph.strip() or len(self.graph) > 200:
            raise Neo4jFailure(f"bad graph name {self.graph!r}: give 1 to 200 characters")

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None, **overrides: Any) -> Settings:
        """Settings from CHAINKG_NEO4J_URI/USER/PASSWORD/DATABASE/GRAPH, then non-None ``overrides``.

        >>> Settings.from_env({}).uri
        'bolt://127.0.0.1:7687'
        >>> Settings.from_env({"CHAINKG_NEO4J_PASSWORD": "pw"})  # doctest: +NORMALIZE_WHITESPACE
        Settings(uri='bolt://127.0.0.1:7687', user='neo4j', database='neo4j', graph='default',
                 connection_timeout=5.0)
        >>> Settings.from_env({"CHAINKG_NEO4J_GRAPH": "kunming"}, graph="chengdu").graph
        'chengdu'
        """
        env = os.environ if env is None else env
        s = cls(
            uri=env.get(ENV_URI) or DEFAULT_URI,
            user=env.get(ENV_USER) or DEFAULT_USER,
            password=env.get(ENV_PASSWORD) or None,
            database=env.get(ENV_DATABASE) or DEFAULT_DATABASE,
            graph=env.get(ENV_GRAPH) or DEFAULT_GRAPH,
        )
        return replace(s, **{k: v for k, v in overrides.items() if v is not None})

    @property
    def where(self) -> str:
        """URI (password redacted) for messages."""
        return redact(self.uri)

    @property
    def auth(self) -> tuple[str, str] | None:
        return None if self.password is None else (self.user, self.password)


CERT_UNTRUSTED = "certificate not trusted"
TLS_FAILED = "TLS failed"


def _tls_hint(reason: str, uri: str) -> str:
    """The reason, with what to do when the client's and the server's TLS do not match."""
    scheme = uri.partition("://")[0].lower()
    secure = scheme.endswith(("+s", "+ssc"))
    if reason == CERT_UNTRUSTED:
        return ("the server's TLS certificate is not trusted: for a self-signed certificate use "
                f"{scheme.split('+')[0]}+ssc://, or install the CA")
    if reason == TLS_FAILED and secure:
        return f"TLS handshake failed: that port does not speak TLS; use {scheme.split('+')[0]}://"
    if reason == TLS_FAILED or (not secure and reason in ("no Bolt server on that port", "connection reset")):
        return f"{reason}; if the server requires TLS, use {scheme}+s:// (or {scheme}+ssc:// for a self-signed one)"
    return reason


def _reason(exc: BaseException) -> str:
    """A short reason for a connection failure: 'connection refused', 'unknown host' …"""
    seen: set[int] = set()
    stack: list[BaseException] = [exc]
    texts: list[str] = []
    while stack:
        e = stack.pop()
        if id(e) in seen:
            continue
        seen.add(id(e))
        if isinstance(e, socket.gaierror):
            return "unknown host"
        if isinstance(e, ConnectionRefusedError) or getattr(e, "errno", None) == errno.ECONNREFUSED:
            return "connection refused"
        if isinstance(e, TimeoutError | socket.timeout):
            return "timed out"
        texts.append(str(e))
        for nxt in (e.__cause__, e.__context__, *getattr(e, "exceptions", ())):
            if nxt is not None:
                stack.append(nxt)
    text = " ".join(texts)
    for pattern, reason in (
        (r"Connection refused|Errno 111", "connection refused"),
        (r"DNS resolve|Name or service not known|nodename nor servname", "unknown host"),
        (r"looks like HTTP", "that port speaks HTTP, not Bolt"),
        (r"CERTIFICATE_VERIFY_FAILED|certificate verify failed|self[- ]signed", CERT_UNTRUSTED),
        (r"WRONG_VERSION_NUMBER|wrong version number|record layer|SSLError|SSL:|\bTLS\b|EOF occurred in violation",
         TLS_FAILED),
        (r"timed out|[Tt]imeout", "timed out"),
        (r"[Hh]andshake|Bolt service|protocol", "no Bolt server on that port"),
        (r"Connection reset|Errno 104", "connection reset"),
    ):
        if re.search(pattern, text):
            return reason
    first = (texts[0] if texts else type(exc).__name__).strip().splitlines()
    return (first[0] if first else type(exc).__name__)[:160]


def _message(exc: BaseException) -> str:
    """The server's own message for a Neo4jError, on one line."""
    msg = getattr(exc, "message", None) or str(exc)
    return " ".join(str(msg).split())[:300]


def scrub(text: str, settings: Settings) -> str:
    """``text`` with the password (from the settings or the URI) replaced by ***."""
    secrets = [settings.password]
    with contextlib.suppress(ValueError):
        secrets.append(urlsplit(settings.uri).password)
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    return text


def translate(exc: BaseException, settings: Settings) -> GraphError:
    """The one-line :class:`GraphError` for a driver exception (never showing the password)."""
    err = _translate(exc, settings)
    if isinstance(err, GraphError) and err is not exc:
        return type(err)(scrub(str(err), settings))
    return err


def _translate(exc: BaseException, settings: Settings) -> GraphError:
    from neo4j import exceptions as ne

    where = settings.where
    if isinstance(exc, GraphError):
        return exc
    if isinstance(exc, ne.AuthError):
        code = getattr(exc, "code", "") or ""
        if "RateLimit" in code:
            return Neo4jAuthFailed(
                f"Neo4j at {where} refused user {settings.user}: too many failed logins, wait a few seconds"
            )
        if settings.password is None:
            return Neo4jAuthFailed(
                f"Neo4j at {where} needs a password for user {settings.user} (set {ENV_PASSWORD})"
            )
        return Neo4jAuthFailed(f"Neo4j rejected the credentials for user {settings.user}")
    if isinstance(exc, ne.ServiceUnavailable | ne.SessionExpired | OSError):
        return Neo4jUnreachable(f"cannot reach Neo4j at {where} ({_tls_hint(_reason(exc), settings.uri)})")
    if isinstance(exc, ne.ConfigurationError):
        return Neo4jFailure(f"bad Neo4j settings for {where}: {' '.join(str(exc).split())[:200]}")
    if isinstance(exc, ne.Neo4jError):
        code = getattr(exc, "code", "") or ""
        if code.endswith("DatabaseNotFound"):
            return Neo4jFailure(f"Neo4j at {where} has no database {settings.database!r}")
        if code.endswith("Forbidden") or ".Security." in code:
            return Neo4jAuthFailed(f"Neo4j refused user {settings.user}: {_message(exc)}")
        return Neo4jFailure(f"Neo4j error {code or type(exc).__name__}: {_message(exc)}")
    if isinstance(exc, ne.DriverError):
        return Neo4jFailure(f"Neo4j driver error talking to {where}: {_reason(exc)}")
    raise exc


@contextlib.contextmanager
def neo4j_errors(settings: Settings) -> Iterator[None]:
    """Re-raise driver exceptions as one-line :class:`GraphError` subclasses."""
    from neo4j import exceptions as ne

    try:
        yield
    except (ne.Neo4jError, ne.DriverError, OSError) as e:
        if isinstance(e, GraphError):
            raise
        raise translate(e, settings) from None


class Connection:
    """A verified driver for one database; use as a context manager or call :meth:`close`."""

    def __init__(self, settings: Settings | None = None) -> None:
        from neo4j import GraphDatabase
        from neo4j.exceptions import ConfigurationError

        self.settings = settings or Settings.from_env()
        scheme = self.settings.uri.partition("://")[0].lower()
        if scheme not in BOLT_SCHEMES:
            raise Neo4jFailure(f"bad Neo4j URI {self.settings.where!r}: use bolt://host:7687 or neo4j://host:7687 "
                               f"(schemes {', '.join(BOLT_SCHEMES)})")
        if "@" in self.settings.uri.partition("://")[2].partition("/")[0]:
            raise Neo4jFailure(f"bad Neo4j URI {self.settings.where!r}: give the user and password in "
                               f"{ENV_USER} and {ENV_PASSWORD} (or options), not in the URI")
        try:
            self.driver = GraphDatabase.driver(
                self.settings.uri,
                auth=self.settings.auth,
                connection_timeout=self.settings.connection_timeout,
                max_transaction_retry_time=10.0,
                notifications_min_severity="OFF",
                user_agent="chainkg",
            )
        except (ValueError, ConfigurationError) as e:
            detail = scrub(" ".join(str(e).split())[:200], self.settings)
            raise Neo4jFailure(f"bad Neo4j URI {self.settings.where!r}: {detail}") from None
        try:
            with neo4j_errors(self.settings):
                self.driver.verify_connectivity()
                self.driver.execute_query("RETURN 1", database_=self.settings.database)
        except BaseException:
            self.driver.close()
            raise

    def __enter__(self) -> Connection:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.driver.close()

    def _with_graph(self, params: dict[str, Any]) -> dict[str, Any]:
        """``params`` plus ``$graph``, the name of chainkg's graph every statement is scoped to."""
        return {"graph": self.settings.graph, **params}

    def read(self, query: str, **params: Any) -> list[Any]:
        """Run a read query; the records (auto-retried on transient errors). ``$graph`` is always set."""
        from neo4j import RoutingControl

        params = self._with_graph(params)
        with neo4j_errors(self.settings):
            return self.driver.execute_query(
                query, params, database_=self.settings.database, routing_=RoutingControl.READ
            ).records

    def write(self, query: str, **params: Any) -> Any:
        """Run a write query in its own transaction (auto-retried on transient errors); its summary counters."""
        params = self._with_graph(params)
        with neo4j_errors(self.settings):
            return self.driver.execute_query(query, params, database_=self.settings.database).summary.counters

    def run_autocommit(self, query: str, **params: Any) -> list[Any]:
        """Run a statement outside a managed transaction (schema changes, CALL … IN TRANSACTIONS)."""
        params = self._with_graph(params)
        with neo4j_errors(self.settings), self.driver.session(database=self.settings.database) as session:
            return list(session.run(query, params))

    def server(self) -> dict[str, str]:
        rec = self.read("CALL dbms.components() YIELD name, versions, edition "
                        "RETURN name, versions[0] AS version, edition")
        return {"name": rec[0]["name"], "version": rec[0]["version"], "edition": rec[0]["edition"]} if rec else {}
