# SPDX-License-Identifier: MIT
"""
The public surface: names, version, exceptions.
"""

from __future__ import annotations

import importlib.metadata

import pytest

import spasmcare
from spasmcare import exceptions


class TestPublicNames:
    """
    The package re-exports a sorted, complete __all__.
    """

    def test_all_is_sorted_and_importable(self) -> None:
        """
        __all__ has no duplicates (ruff keeps it sorted) and every name in
        it exists.
        """
        assert len(set(spasmcare.__all__)) == len(spasmcare.__all__)
        for name in spasmcare.__all__:
            assert hasattr(spasmcare, name)

    def test_dir_lists_the_public_names(self) -> None:
        """
        dir() shows the public names and the version.
        """
        assert sorted([*spasmcare.__all__, "__version__"]) == dir(spasmcare)

    def test_version_comes_from_metadata(self) -> None:
        """
        __version__ is the installed distribution's version.
        """
        assert importlib.metadata.version("spasmcare") == spasmcare.__version__


class TestExceptions:
    """
    One root; each error also subclasses its builtin.
    """

    @pytest.mark.parametrize(
        ("error", "builtin"),
        [
            (exceptions.InvalidValueError, ValueError),
            (exceptions.UnknownFindingError, ValueError),
            (exceptions.InvalidTypeError, TypeError),
            (exceptions.RuleSetError, ValueError),
        ],
    )
    def test_hierarchy(self, error: type[Exception], builtin: type) -> None:
        """
        Each error is a SpasmcareError and its matching builtin.
        """
        assert issubclass(error, exceptions.SpasmcareError)
        assert issubclass(error, builtin)

    def test_messages_name_field_and_value(self) -> None:
        """
        Messages carry the field, the value and the reason.
        """
        e = exceptions.InvalidTypeError("A.b", "7", "an int")

        assert "A.b='7': expected an int, got str" == str(e)
        assert "rule 'x': bad" == str(exceptions.RuleSetError("x", "bad"))
