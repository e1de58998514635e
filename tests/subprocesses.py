# SPDX-License-Identifier: MIT
"""
Starting Python subprocesses that coverage measures too.
"""

from __future__ import annotations

import sys
from pathlib import Path

import coverage

ROOT = Path(__file__).parent.parent


def python() -> list[str]:
    """
    The command that runs Python: under ``coverage run --parallel-mode``
    when the tests themselves are measured, so that code run in the
    subprocess (the service under uvicorn) counts towards coverage.
    """
    if coverage.Coverage.current() is None:
        return [sys.executable]
    return [
        sys.executable,
        "-m",
        "coverage",
        "run",
        "--parallel-mode",
        f"--rcfile={ROOT / 'pyproject.toml'}",
    ]
