"""Shared fixtures: a tiny valid dataset written to a temp folder, and a CLI runner."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from helpers import CHAINS, ENTERPRISES, REGIONS, SOURCES, TEMPLATE, write_csv


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    """A small valid dataset folder."""
    d = tmp_path / "mini"
    write_csv(d / "sources.csv", SOURCES)
    write_csv(d / "chains.csv", CHAINS)
    write_csv(d / "regions.csv", REGIONS)
    write_csv(d / "enterprises.csv", ENTERPRISES)
    write_csv(d / "part_of.csv", [{"from": "region:km", "to": "region:yn", "provenance": "stated",
                                   "source": "src:t", "evidence": "…"}])
    write_csv(d / "located_in.csv", [{"from": "ent:a", "to": "region:km", "role": "site",
                                      "provenance": "inferred", "source": "src:t", "evidence": "has a plant"}])
    (d / "templates").mkdir()
    (d / "templates" / "bat.yaml").write_text(TEMPLATE, encoding="utf-8")
    return d


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture(autouse=True)
def _own_cache_folder(tmp_path_factory, monkeypatch):
    """Tests keep their snapshot cache entries (graph/snapcache.py) in a folder of the test session, never in
    the user's ~/.cache/chainkg; a test of the cache itself points XDG_CACHE_HOME at its own tmp_path."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.getbasetemp() / "xdg-cache"))


@pytest.fixture(autouse=True)
def _no_user_neo4j(monkeypatch):
    """Tests never see the user's Neo4j settings (CHAINKG_NEO4J_*, CHAINKG_BACKEND): they would reach a
    server the tests were not given. Neo4j tests use CHAINKG_TEST_NEO4J_URI (see test_neo4j_support.py)."""
    for k in list(os.environ):
        if k.startswith("CHAINKG_NEO4J_") or k == "CHAINKG_BACKEND":
            monkeypatch.delenv(k)


@pytest.fixture(autouse=True)
def _english_unfitted(monkeypatch):
    """Tests see English tables (the CLI is Chinese by default) unfitted to any terminal: CHAINKG_LANG=en and
    no COLUMNS. A test of Chinese output or of fitting sets them itself (see test_cli_lang.py)."""
    monkeypatch.setenv("CHAINKG_LANG", "en")
    monkeypatch.delenv("COLUMNS", raising=False)
