"""Every docstring example in the package runs and gives the output it shows."""

import doctest
import importlib
import pkgutil

import pytest

PACKAGES = ["chainkg", "chainkg.graph", "chainkg.graph.neo4j", "chainkg.schema", "chainkg.loaders", "chainkg.visualize",
            "chainkg.data"]


def _modules():
    for pkg in PACKAGES:
        yield pkg
        module = importlib.import_module(pkg)
        for info in pkgutil.iter_modules(module.__path__, pkg + "."):
            if not info.ispkg:
                yield info.name


@pytest.mark.parametrize("name", sorted(set(_modules())))
def test_docstring_examples(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0, f"{result.failed} doctest(s) failed in {name}"
