"""Every docstring example in the package runs and gives the output it shows."""

import doctest
import importlib
import pkgutil

import pytest

import chainkg


def _modules():
    for info in pkgutil.walk_packages(chainkg.__path__, "chainkg."):
        yield info.name


@pytest.mark.parametrize("name", sorted(_modules()))
def test_docstring_examples(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0, f"{result.failed} doctest(s) failed in {name}"
