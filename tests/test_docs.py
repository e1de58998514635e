# SPDX-License-Identifier: MIT
"""
The documentation covers the public API and the rule catalogue.

The Sphinx build (``.ci/run``) fails on warnings and broken references;
these tests catch what a clean build cannot:
a public name left out of the curated API reference,
and a catalogue page that no longer shows every rule, question or source.
"""

from __future__ import annotations

import re
import types
from pathlib import Path

import pytest
import spasmcare_docs

import spasmcare
import spasmcare.dask
import spasmcare.spark
from spasmcare import (
    DEFAULT_RULES,
    QUESTIONS,
    RuleSet,
    criteria,
    exceptions,
    rows,
)
from spasmcare import fhir as fhir_face
from spasmcare import ical as ical_face
from spasmcare import service as service_face
from spasmcare.service import cdshooks

DOCS = Path(__file__).parent.parent / "docs"

#: The modules whose ``__all__`` the API reference documents: the package,
#: its public submodules and its faces.
PUBLIC_MODULES = (
    spasmcare,
    criteria,
    exceptions,
    service_face,
    cdshooks,
    rows,
    spasmcare.dask,
    spasmcare.spark,
    fhir_face,
    ical_face,
)

_DIRECTIVE = re.compile(
    r"^\s*\.\. (?:py:)?(?P<kind>auto\w+|module|currentmodule|data|class|"
    r"function|exception|attribute|method)::\s+(?P<name>[\w.]+)",
    re.MULTILINE,
)


def documented_names(text: str) -> set[str]:
    """
    The qualified names that the reST *text* documents.

    Follows ``.. module::`` and ``.. currentmodule::``,
    as Sphinx does, to qualify short names.
    """
    names: set[str] = set()
    module = ""
    for match in _DIRECTIVE.finditer(text):
        kind, name = match.group("kind"), match.group("name")
        if kind in {"module", "currentmodule", "automodule"}:
            module = name
            if kind != "currentmodule":
                names.add(name)
            continue
        names.add(name if name.startswith("spasmcare") else f"{module}.{name}")
    return names


#: The API reference: the core and most faces in api.rst, the FHIR and
#: calendar faces in fhir.rst.
API = documented_names(
    (DOCS / "api.rst").read_text(encoding="utf-8")
) | documented_names((DOCS / "fhir.rst").read_text(encoding="utf-8"))


def public_names(module: types.ModuleType) -> list[str]:
    """
    Every name in *module*'s ``__all__``, qualified by its home.

    A class re-exported by :mod:`spasmcare` from a public submodule
    (an exception) may be documented under that submodule.
    """
    names = []
    for name in module.__all__:
        obj = getattr(module, name)
        if isinstance(obj, types.ModuleType):
            names.append(obj.__name__)
            continue
        home = getattr(obj, "__module__", module.__name__)
        if home in API:  # a documented public module
            names.append(f"{home}.{name}")
        else:
            names.append(f"{module.__name__}.{name}")
    return names


class TestApiReference:
    """
    docs/api.rst and docs/fhir.rst document every public name, and only
    public names.
    """

    @pytest.mark.parametrize(
        "module", PUBLIC_MODULES, ids=lambda module: module.__name__
    )
    def test_every_public_name_is_documented(
        self, module: types.ModuleType
    ) -> None:
        """
        Each name in ``__all__`` has an entry in the API reference.
        """
        missing = [name for name in public_names(module) if name not in API]

        assert [] == missing

    def test_only_public_names_are_documented(self) -> None:
        """
        Every entry names a public module, a public name or a member of
        one: nothing private, nothing that no longer exists.
        """
        public = {"spasmcare.__version__"}
        for module in PUBLIC_MODULES:
            public.add(module.__name__)
            public.update(public_names(module))

        stray = [
            name
            for name in API
            if name not in public and name.rpartition(".")[0] not in public
        ]

        assert [] == stray

    def test_documented_names_follow_currentmodule(self) -> None:
        """
        Short names are qualified by the module in force.
        """
        text = (
            ".. module:: spasmcare\n"
            ".. autoclass:: Assessment\n"
            ".. currentmodule:: spasmcare.criteria\n"
            ".. autoclass:: Present\n"
            ".. autofunction:: spasmcare.evaluate\n"
        )

        assert {
            "spasmcare",
            "spasmcare.Assessment",
            "spasmcare.criteria.Present",
            "spasmcare.evaluate",
        } == documented_names(text)


class TestRuleCatalogue:
    """
    The rule catalogue page is generated from DEFAULT_RULES at build time
    and shows every rule with its level, criterion, rationale and sources.
    """

    TEXT = spasmcare_docs.render_rule_catalogue(DEFAULT_RULES)

    def test_page_uses_the_generator_on_the_default_rules(self) -> None:
        """
        docs/rules.rst holds the directive, not a copy of the rules, and
        the directive reads DEFAULT_RULES by default.
        """
        page = (DOCS / "rules.rst").read_text(encoding="utf-8")

        assert ".. rule-catalogue::" in page
        assert ":rules:" not in page
        assert "cauda_equina" not in page

    def test_header_names_set_version_and_digest(self) -> None:
        """
        The rule set's id, version and digest head the page.
        """
        assert f"``{DEFAULT_RULES.id}``" in self.TEXT
        assert f"``{DEFAULT_RULES.version}``" in self.TEXT
        assert f"``{DEFAULT_RULES.digest}``" in self.TEXT

    @pytest.mark.parametrize("rule_id", [rule.id for rule in DEFAULT_RULES])
    def test_every_rule_has_a_full_entry(self, rule_id: str) -> None:
        """
        Each rule has a target, its level, its criterion in words, its
        rationale, its warning sign and every one of its citations.
        """
        rule = DEFAULT_RULES[rule_id]
        entry = self.TEXT.split(f".. rule:: {rule_id}\n")[1].split(
            ".. rule:: "
        )[0]
        flat = " ".join(entry.split())

        assert f"``{rule_id}``: {spasmcare_docs.escape(rule.title)}" in entry
        assert f"spasmcare.Urgency.{rule.urgency.name}" in entry
        assert spasmcare_docs.escape(rule.criterion.describe()) in flat
        assert spasmcare_docs.escape(rule.rationale) in flat
        assert spasmcare_docs.escape(rule.warning_sign) in flat
        for citation in rule.citations:
            assert f"(key ``{citation.key}``)" in entry

    def test_a_custom_rule_set_is_rendered_too(self) -> None:
        """
        The generator takes any rule set, so a changed catalogue shows up
        on the page: a removed rule disappears.
        """
        smaller = DEFAULT_RULES.without("renal_colic", version="test")

        text = spasmcare_docs.render_rule_catalogue(smaller)

        assert ".. rule:: renal_colic" not in text
        assert "``test``" in text

    def test_escape_keeps_markup_characters_literal(self) -> None:
        """
        Characters that reST reads as markup are escaped.
        """
        assert r"a\*b\* \`c\` d\_ \|e\|" == spasmcare_docs.escape(
            "a*b* `c` d_ |e|"
        )


class TestQuestionCatalogue:
    """
    The question catalogue page is generated from QUESTIONS and
    DEFAULT_RULES at build time.
    """

    TEXT = spasmcare_docs.render_question_catalogue(DEFAULT_RULES)

    def test_page_uses_the_generator(self) -> None:
        """
        docs/questions.rst holds the directive, not a copy.
        """
        page = (DOCS / "questions.rst").read_text(encoding="utf-8")

        assert ".. question-catalogue::" in page

    @pytest.mark.parametrize("question_id", list(QUESTIONS))
    def test_every_question_is_listed(self, question_id: str) -> None:
        """
        Each question has a target and its wording.
        """
        question = QUESTIONS[question_id]
        flat = " ".join(self.TEXT.split())

        assert f".. question:: {question_id}\n" in self.TEXT
        assert spasmcare_docs.escape(question.text) in flat

    def test_red_flags_are_marked_with_their_level(self) -> None:
        """
        Each red flag of the rule set is marked with its own level.
        """
        flags = DEFAULT_RULES.red_flags

        marks = re.findall(
            r"\*\*Red flag:\*\* :attr:`Urgency\.(\w+) ", self.TEXT
        )

        assert len(flags) == len(marks)
        assert sorted(u.name for u in flags.values()) == sorted(marks)


class TestGeneratedOutput:
    """
    Pages that show a script's or a command's output run it at build time.
    """

    def test_example_output_runs_the_script(self) -> None:
        """
        The output is what the example prints, even when it exits with a
        status.
        """
        custom = spasmcare_docs.example_output("custom_rules.py")
        batch = spasmcare_docs.example_output("batch_from_file.py")

        assert f"example-clinic {DEFAULT_RULES.version}+clinic.1" in custom
        assert "rejected 2." in batch

    def test_cli_help_hides_the_install_path(self) -> None:
        """
        The help comes from the command, with no machine's paths in it.
        """
        text = spasmcare_docs.cli_help("schema")
        package = str(Path(spasmcare.__file__).parent)

        assert text.startswith("usage: spasmcare schema")
        assert package not in text


class TestPublicNameResolver:
    """
    Type hints that name a private module link to the public name.
    """

    @pytest.mark.parametrize(
        ("target", "expected"),
        [
            ("spasmcare._model.Assessment", "spasmcare.Assessment"),
            ("spasmcare._rules.RuleSet.replace", "spasmcare.RuleSet.replace"),
            ("spasmcare._findings.FINDING_IDS", None),
            ("spasmcare.criteria.Present", None),
            ("attrs.Attribute", None),
        ],
    )
    def test_public_name(self, target: str, expected: str | None) -> None:
        """
        Only names re-exported by spasmcare are rewritten.
        """
        assert expected == spasmcare_docs.public_name(target)


def test_rule_set_type_is_what_the_generator_expects() -> None:
    """
    DEFAULT_RULES is a RuleSet (the directive's default).
    """
    assert isinstance(DEFAULT_RULES, RuleSet)
