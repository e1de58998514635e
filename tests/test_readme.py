# SPDX-License-Identifier: MIT
"""
The README's usage example runs as written; its commands stay true.
"""

from __future__ import annotations

import contextlib
import io
import pathlib
import re

README = pathlib.Path(__file__).parent.parent / "README.md"


def _blocks(language: str) -> list[str]:
    return re.findall(
        rf"```{language}\n(.*?)```",
        README.read_text(encoding="utf-8"),
        re.DOTALL,
    )


class TestReadme:
    """
    The README is executable documentation.
    """

    def test_usage_example_runs(self) -> None:
        """
        Every Python block runs as written, and prints the escalation.
        """
        out = io.StringIO()
        blocks = _blocks("python")

        with contextlib.redirect_stdout(out):
            for block in blocks:
                exec(compile(block, str(README), "exec"), {})  # noqa: S102

        assert blocks
        assert "Go to the emergency department now" in out.getvalue()
        assert "cauda_equina" in out.getvalue()

    def test_two_commands_near_the_top(self) -> None:
        """
        The first two commands set up and run an assessment, and set up
        and run the tests with the same command CI runs.
        """
        first, second = (b.strip() for b in _blocks("console")[:2])
        ci = (README.parent / ".ci" / "run").read_text(encoding="utf-8")

        assert first.startswith("python3 -m venv .venv")
        assert "spasmcare assess examples/cases/" in first
        assert second.startswith("python3 -m venv .venv")
        test_command = second.split("&& ")[-1]
        assert test_command in ci
