# SPDX-License-Identifier: MIT
"""
The FHIR face, part two: the rule set as a PlanDefinition and a Library,
with FHIRPath conditions that agree with evaluate().
"""

from __future__ import annotations

import base64
import functools
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import fhirpathpy
import pytest
from fhirpathpy.models import models
from hypothesis import example, given

import spasmcare.fhir as sf
from spasmcare import (
    DEFAULT_RULES,
    QUESTIONS,
    Assessment,
    Rule,
    RuleSetError,
    evaluate,
    load_assessment,
)
from spasmcare.criteria import Criterion, Outcome, Present

from .strategies import assessments

R4 = models["r4"]
CASES = Path(__file__).parent.parent / "examples" / "cases"


def _doc(resource: Any) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(resource.model_dump_json())
    return document


BUNDLE = _doc(sf.knowledge_bundle())
RESOURCES = {
    e["resource"]["resourceType"]: e["resource"] for e in BUNDLE["entry"]
}
PLAN = RESOURCES["PlanDefinition"]
#: Each action's condition, compiled once.
CONDITIONS: dict[str, Callable[..., list[Any]]] = {
    action["id"]: fhirpathpy.compile(
        action["condition"][0]["expression"]["expression"], R4
    )
    for action in PLAN["action"]
}


def _applicable(assessment: Assessment, *, whole: bool = False) -> set[str]:
    """
    The rules whose conditions are true over the assessment's response.

    fhirpathpy takes about a second for all the conditions over a whole
    response, so unless *whole*, each condition is evaluated over the
    response cut down to the items its rule reads: the same result, since a
    condition reads only those items
    (:meth:`TestFHIRPathAgreement.test_conditions_read_only_their_items`).
    """
    qr = _doc(sf.response_from_assessment(assessment))
    applies = set()
    for rule in DEFAULT_RULES:
        if whole:
            result = CONDITIONS[rule.id](qr)
        else:
            items = [
                i
                for i in qr.get("item", [])
                if i["linkId"] in rule.criterion.questions
            ]
            result = _evaluate(rule.id, json.dumps(items))
        assert result in ([True], [False]), (rule.id, result)
        if result == [True]:
            applies.add(rule.id)
    return applies


@functools.cache
def _evaluate(rule_id: str, items: str) -> list[Any]:
    """
    A condition over a response holding only *items* (JSON): memoised, as
    evaluation is pure and generated responses share most of their items.
    """
    qr = {"resourceType": "QuestionnaireResponse", "status": "completed"}
    return CONDITIONS[rule_id](qr | {"item": json.loads(items)})


class TestFHIRPathAgreement:
    """
    The actions whose conditions are true are exactly the rules evaluate()
    fires: the logic is published as an executable, checked artefact.
    """

    @given(assessments())
    @example(Assessment())
    @example(Assessment.from_answers({"saddle_numbness": True}))
    @example(Assessment(age_years=30, duration_days=100 * 365 // 10))
    def test_conditions_match_fired_rules(
        self, assessment: Assessment
    ) -> None:
        """
        For any assessment, unknown answers included, the true conditions
        are the fired rules; an unknown answer never makes one true.
        """
        fired = {rule.id for rule in evaluate(assessment).fired}

        assert fired == _applicable(assessment)

    @pytest.mark.parametrize(
        "case", ["plain-strain", "cauda-equina", "incomplete-intake"]
    )
    def test_whole_responses_of_bundled_cases(self, case: str) -> None:
        """
        Over the whole response of bundled cases, too (self-care, an
        emergency, an incomplete intake).
        """
        path = CASES / f"{case}.json"
        assessment = load_assessment(path.read_text(encoding="utf-8"))
        fired = {rule.id for rule in evaluate(assessment).fired}

        assert fired == _applicable(assessment, whole=True)

    def test_conditions_read_only_their_items(self) -> None:
        """
        Each condition names only the linkIds of the questions its rule
        reads.
        """
        for action in PLAN["action"]:
            expression = action["condition"][0]["expression"]["expression"]
            named = set(re.findall(r"linkId = '(\w+)'", expression))
            assert DEFAULT_RULES[action["id"]].criterion.questions == named

    def test_every_rule_is_an_action(self) -> None:
        """
        One action per rule, in catalogue order, its id the rule id.
        """
        assert [r.id for r in DEFAULT_RULES] == [
            a["id"] for a in PLAN["action"]
        ]


class TestPlanDefinition:
    """
    The PlanDefinition is generated from the rules.
    """

    def test_header(self) -> None:
        """
        eca-rule, versioned like the rule set, pointing at the Library.
        """
        assert "eca-rule" == PLAN["type"]["coding"][0]["code"]
        assert DEFAULT_RULES.version == PLAN["version"]
        assert [sf.canonical(DEFAULT_RULES, "Library")] == PLAN["library"]
        assert DEFAULT_RULES.digest in PLAN["description"]

    @pytest.mark.parametrize("rule", list(DEFAULT_RULES), ids=lambda r: r.id)
    def test_action(self, rule: Rule) -> None:
        """
        Each action has the rule's title, rationale, priority, a citation
        per source, an input per question read, and a FHIRPath condition
        described by the rule id and its criterion in words.
        """
        (action,) = [a for a in PLAN["action"] if a["id"] == rule.id]
        expression = action["condition"][0]["expression"]

        assert rule.title == action["title"]
        assert rule.rationale == action["description"]
        assert sf.URGENCY_PRIORITY[rule.urgency] == action["priority"]
        assert [c.key for c in rule.citations] == [
            d["label"] for d in action["documentation"]
        ]
        assert {"citation"} == {d["type"] for d in action["documentation"]}
        assert rule.criterion.questions == {
            i["codeFilter"][0]["code"][0]["code"] for i in action["input"]
        }
        assert "applicability" == action["condition"][0]["kind"]
        assert "text/fhirpath" == expression["language"]
        assert rule.id in expression["description"]
        assert rule.criterion.describe() in expression["description"]
        for banned in ("resolve(", "extension("):
            assert banned not in expression["expression"]

    def test_library_holds_the_same_conditions(self) -> None:
        """
        The Library's JSON content maps each rule id to its condition.
        """
        library = RESOURCES["Library"]
        (content,) = library["content"]
        data = json.loads(base64.b64decode(content["data"]))

        assert "logic-library" == library["type"]["coding"][0]["code"]
        assert {
            a["id"]: a["condition"][0]["expression"]["expression"]
            for a in PLAN["action"]
        } == data

    def test_bundle_carries_the_form_and_its_code_system(self) -> None:
        """
        The knowledge Bundle also holds the Questionnaire and the question
        CodeSystem; every fullUrl is the resource's canonical URL.
        """
        codes = RESOURCES["CodeSystem"]

        assert _doc(sf.questionnaire()) == RESOURCES["Questionnaire"]
        assert sorted(QUESTIONS) == sorted(c["code"] for c in codes["concept"])
        for entry in BUNDLE["entry"]:
            assert entry["resource"]["url"] == entry["fullUrl"]

    def test_a_custom_criterion_has_no_fhirpath(self) -> None:
        """
        A criterion not built from spasmcare.criteria is refused, naming
        the rule.
        """

        class Odd(Criterion):
            def check(self, assessment: Assessment) -> Outcome:  # noqa: ARG002
                return Outcome(verdict=None)

            def describe(self) -> str:
                return "odd"

            @property
            def questions(self) -> frozenset[str]:
                return frozenset()

            @property
            def sufficient(self) -> frozenset[str]:
                return frozenset()

        rule = DEFAULT_RULES["cauda_equina"]
        odd = DEFAULT_RULES.replace(
            Rule(
                id="odd",
                title="Odd",
                urgency=rule.urgency,
                criterion=Odd(),
                rationale="x",
                warning_sign="x",
                citations=rule.citations,
            ),
            version="odd",
        )

        with pytest.raises(RuleSetError, match="'odd'"):
            sf.knowledge_bundle(odd)

    def test_rules_must_be_a_rule_set(self) -> None:
        """
        knowledge_bundle checks its argument.
        """
        with pytest.raises(TypeError):
            sf.knowledge_bundle("rules")  # type: ignore[arg-type]

    def test_present_expression(self) -> None:
        """
        A finding is met only by the SNOMED CT Yes code.
        """
        expression = sf.condition_expression(Present("fever"))

        assert "373066001" in expression
        assert "linkId = 'fever'" in expression
