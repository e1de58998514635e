# SPDX-License-Identifier: MIT
"""
The hazard log (docs/safety/hazard-log.toml): every rule controls a hazard,
every hazard is verified by tests that exist, and the docs page is the file.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
import spasmcare_docs

from spasmcare import DEFAULT_RULES

ROOT = Path(__file__).parent.parent
RECORDS = spasmcare_docs.load_hazard_log()
SEVERITIES = {"catastrophic", "critical", "serious", "minor"}


def _defined(path: Path) -> set[str]:
    """
    "Class::test" and "test" names defined in a test file.
    """
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            names.add(node.name)
        elif isinstance(node, ast.ClassDef):
            names.update(
                f"{node.name}::{item.name}"
                for item in node.body
                if isinstance(item, ast.FunctionDef)
            )
    return names


class TestRecords:
    """
    Each record has every field, a known severity and a unique id.
    """

    def test_fields_and_ids(self) -> None:
        """
        id, hazard, cause, severity, rules, design and tests in every
        record; ids unique.
        """
        fields = {
            "id",
            "hazard",
            "cause",
            "severity",
            "rules",
            "design",
            "tests",
        }

        assert all(fields == set(r) for r in RECORDS)
        assert all(r["severity"] in SEVERITIES for r in RECORDS)
        assert len({r["id"] for r in RECORDS}) == len(RECORDS)
        assert all(r["rules"] or r["design"] for r in RECORDS)


class TestTraceability:
    """
    Every rule is a control of some hazard; every hazard names at least one
    existing test.
    """

    def test_every_rule_controls_a_hazard(self) -> None:
        """
        The rules named in the log are exactly the default rules.
        """
        named = {rule for r in RECORDS for rule in r["rules"]}

        assert {rule.id for rule in DEFAULT_RULES} == named

    @pytest.mark.parametrize("record", RECORDS, ids=lambda r: r["id"])
    def test_every_hazard_names_existing_tests(
        self, record: dict[str, object]
    ) -> None:
        """
        At least one test, and each test id names a test that exists.
        """
        tests = record["tests"]
        assert isinstance(tests, list)
        assert tests
        for test in tests:
            file, _, name = test.partition("::")
            assert name, test
            assert name in _defined(ROOT / file), test


class TestDocsPage:
    """
    The docs page is generated from the file.
    """

    def test_the_page_uses_the_directive(self) -> None:
        """
        docs/explanation/hazards.rst renders the log with hazard-log.
        """
        page = (ROOT / "docs" / "explanation" / "hazards.rst").read_text(
            encoding="utf-8"
        )

        assert ".. hazard-log::" in page

    def test_rendering_shows_every_hazard_control_and_test(self) -> None:
        """
        Every id, rule and test appears in the rendered page.
        """
        text = spasmcare_docs.render_hazard_log(RECORDS)

        for record in RECORDS:
            assert f"{record['id']}: " in text
            for rule in record["rules"]:
                assert f":rule:`{rule}`" in text
            for test in record["tests"]:
                assert f"``{test}``" in text
