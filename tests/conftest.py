# SPDX-License-Identifier: MIT
"""
Hypothesis profiles: a quick default, a thorough ``ci`` profile.

Choose with ``HYPOTHESIS_PROFILE=ci`` (``.ci/run`` does).
"""

from __future__ import annotations

import importlib.util
import os
import pathlib

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "default",
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "ci",
    max_examples=400,
    deadline=None,
    derandomize=True,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
# The mutation run (python -m tools.mutate): the default profile's
# examples, derandomized and without the example database, so that a
# mutant's result is the same on every run and every machine.
settings.register_profile(
    "mutation",
    max_examples=60,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


#: Test modules of suites deselected by default whose own extra (not in
#: the tests extra) they import at module level: the module, and what.
_NEEDS_EXTRA = {"test_service_openapi.py": "schemathesis"}  # servicetests
_DEFAULT_MARKERS = "not browser and not slow and not spark"


def pytest_ignore_collect(
    collection_path: pathlib.Path, config: pytest.Config
) -> bool | None:
    """
    Leave out such a module when its extra is missing and the default
    markers deselect all of it anyway (the README's command, on a
    machine with only the tests extra); asked for (``-m slow``), it is
    collected, and a missing extra is an error.
    """
    needs = _NEEDS_EXTRA.get(collection_path.name)
    if needs is None or importlib.util.find_spec(needs) is not None:
        return None
    return bool(config.getoption("markexpr") == _DEFAULT_MARKERS)
