# SPDX-License-Identifier: MIT
"""
The FHIR face, part three: the guidance Bundle shows what evaluate() and
plan_care() give, with every reference resolved inside the Bundle.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import Any

import pydantic
import pytest
from fhir.resources.R4B.resource import Resource
from hypothesis import given

import spasmcare.fhir as sf
from spasmcare import (
    REGIONS,
    Assessment,
    Escalation,
    InvalidTypeError,
    InvalidValueError,
    StepKind,
    Urgency,
    evaluate,
    plan_care,
)
from spasmcare.fhir import InvalidResourceError

from .strategies import assessments

WHEN = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)


def _bundle(
    assessment: Assessment, **kwargs: Any
) -> tuple[Escalation, dict[str, Any]]:
    escalation = evaluate(assessment)
    bundle = sf.guidance_bundle(
        escalation,
        plan_care(assessment, escalation),
        subject="Patient/p1",
        response=sf.response_from_assessment(assessment),
        occurred=WHEN,
        **kwargs,
    )
    document: dict[str, Any] = _plain(bundle)
    return escalation, document


def _plain(value: Any) -> Any:
    """
    A model as plain data, like its JSON but without the cost of
    serialising (about 80 ms for a Bundle, against a few here): field names
    for keys, None left out. test_plain_data_matches_the_json checks it.
    """
    if isinstance(value, pydantic.BaseModel):
        plain = {
            name: _plain(item)
            for name in type(value).model_fields
            if (item := getattr(value, name)) is not None
            and not name.endswith("__ext")
        }
        if isinstance(value, Resource):
            plain = {"resourceType": value.get_resource_type()} | plain
        return plain
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


def _references(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "reference" and isinstance(item, str):
                yield item
            else:
                yield from _references(item)
    elif isinstance(value, list):
        for item in value:
            yield from _references(item)


def _by_type(bundle: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        e["resource"]["resourceType"]: e["resource"] for e in bundle["entry"]
    }


class TestGuidanceBundle:
    """
    The Bundle holds the result evaluate() gives, as standard resources.
    """

    @given(assessments())
    def test_bundle_shows_the_result(self, assessment: Assessment) -> None:
        """
        For any assessment (one Bundle, three checks: building one takes
        about 0.1 s): references resolve, the level and rules are shown,
        the referral and plan follow the care plan.
        """
        escalation, bundle = _bundle(assessment)
        self.check_references(bundle)
        self.check_level_and_rules(escalation, bundle)
        self.check_referral_and_care_plan(assessment, escalation, bundle)

    @staticmethod
    def check_references(bundle: dict[str, Any]) -> None:
        """
        Every reference is the fullUrl of an entry, except the subject.
        """
        urls = {e["fullUrl"] for e in bundle["entry"]}

        references = set(_references(bundle))

        assert {"Patient/p1"} == references - urls
        assert all(u.startswith("urn:uuid:") for u in urls)

    @staticmethod
    def check_level_and_rules(
        escalation: Escalation, bundle: dict[str, Any]
    ) -> None:
        """
        The GuidanceResponse, RiskAssessment and Parameters show the level,
        the fired rules and the unanswered questions evaluate() gives;
        data-required exactly while screening is incomplete.
        """
        resources = _by_type(bundle)
        guidance = resources["GuidanceResponse"]
        risk = resources["RiskAssessment"]
        parameters = {
            p["name"]: p for p in resources["Parameters"]["parameter"]
        }
        fired = [f.id for f in escalation.fired]

        assert (
            sf.canonical(escalation.rule_set, "PlanDefinition")
            == (guidance["moduleCanonical"])
        )
        assert fired == [
            r["coding"][0]["code"] for r in guidance.get("reasonCode", [])
        ]
        if escalation.screening_complete:
            assert "success" == guidance["status"]
            assert "dataRequirement" not in guidance
        else:
            assert "data-required" == guidance["status"]
            (requirement,) = guidance["dataRequirement"]
            assert list(escalation.unanswered) == [
                c["code"] for c in requirement["codeFilter"][0]["code"]
            ]
        assert (
            escalation.level.value
            == parameters["level"]["valueCoding"]["code"]
        )
        level, *per_rule = risk["prediction"]
        assert escalation.level.value == level["outcome"]["coding"][0]["code"]
        assert (
            sf.URGENCY_RISK[escalation.level]
            == (level["qualitativeRisk"]["coding"][0]["code"])
        )
        assert fired == [p["outcome"]["coding"][0]["code"] for p in per_rule]
        assert escalation.notice in {n["text"] for n in guidance["note"]}

    @staticmethod
    def check_referral_and_care_plan(
        assessment: Assessment, escalation: Escalation, bundle: dict[str, Any]
    ) -> None:
        """
        A ServiceRequest exactly when a referral is required, its priority
        from the level; the CarePlan has one activity per step, the
        referral pointing at the ServiceRequest.
        """
        resources = _by_type(bundle)
        plan = plan_care(assessment, escalation)
        care_plan = resources["CarePlan"]

        assert len(plan.steps) == len(care_plan["activity"])
        assert "proposal" == care_plan["intent"]
        if not escalation.referral_required:
            assert "ServiceRequest" not in resources
            assert all("detail" in a for a in care_plan["activity"])
            return
        request = resources["ServiceRequest"]
        (url,) = [
            e["fullUrl"]
            for e in bundle["entry"]
            if e["resource"]["resourceType"] == "ServiceRequest"
        ]
        assert sf.URGENCY_PRIORITY[escalation.level] == request["priority"]
        assert StepKind.REFERRAL is plan.steps[0].kind
        assert {"reference": {"reference": url}} == care_plan["activity"][0]

    def test_priorities(self) -> None:
        """
        Both "now" levels are stat; today is urgent; a few days, routine.
        """
        assert {
            Urgency.AMBULANCE: "stat",
            Urgency.EMERGENCY: "stat",
            Urgency.URGENT: "urgent",
            Urgency.ROUTINE: "routine",
        } == dict(sf.URGENCY_PRIORITY)

    def test_timed_step_carries_its_timing(self) -> None:
        """
        The cold pack of a self-care plan is 12-15 minutes every 2 hours
        for 48 hours, as a FHIR Timing.
        """
        answers = dict.fromkeys(
            sf.item_order(evaluate(Assessment()).rule_set), False
        )
        numbers = {}
        for number in (
            "age_years",
            "pain_score",
            "duration_days",
            "episodes_past_year",
        ):
            answers.pop(number)
            numbers[number] = 1 if number != "age_years" else 35
        answers["minor_strain_onset"] = True
        assessment = Assessment.from_answers(answers, **numbers)
        _, bundle = _bundle(assessment)
        details = [
            a["detail"] for a in _by_type(bundle)["CarePlan"]["activity"]
        ]

        (cold,) = [
            d for d in details if d["code"]["coding"][0]["code"] == "cold_pack"
        ]
        repeat = cold["scheduledTiming"]["repeat"]
        assert (12, 15, "min") == (
            repeat["duration"],
            repeat["durationMax"],
            repeat["durationUnit"],
        )
        assert (1, 2, "h") == (
            repeat["frequency"],
            repeat["period"],
            repeat["periodUnit"],
        )
        assert 48 == repeat["boundsDuration"]["value"]
        assert "success" == _by_type(bundle)["GuidanceResponse"]["status"]

    def test_plain_data_matches_the_json(self) -> None:
        """
        The plain data the property tests read is the Bundle's JSON (times
        aside, which stay datetime objects).
        """
        a = Assessment.from_answers({"fever": True, "saddle_numbness": False})
        escalation = evaluate(a)
        bundle = sf.guidance_bundle(
            escalation,
            plan_care(a, escalation),
            subject="Patient/p1",
            response=sf.response_from_assessment(a),
        )

        assert json.loads(bundle.model_dump_json()) == _plain(bundle)

    def test_without_response_or_time(self) -> None:
        """
        Without a response there is no basis and no QuestionnaireResponse;
        without a time, no occurrence.
        """
        a = Assessment.from_answers({"fever": True})
        escalation = evaluate(a)
        bundle = json.loads(
            sf.guidance_bundle(
                escalation, plan_care(a, escalation), subject="Patient/p1"
            ).model_dump_json()
        )
        resources = _by_type(bundle)

        assert "QuestionnaireResponse" not in resources
        assert "basis" not in resources["RiskAssessment"]
        assert "occurrenceDateTime" not in resources["GuidanceResponse"]
        assert "created" not in resources["CarePlan"]

    def test_same_inputs_same_bundle(self) -> None:
        """
        The identifiers derive from the inputs: the same inputs give the
        same Bundle, different answers a different one.
        """
        a = Assessment.from_answers({"fever": True})
        b = Assessment.from_answers({"fever": False})

        assert _bundle(a)[1] == _bundle(a)[1]
        assert _bundle(a)[1]["identifier"] != _bundle(b)[1]["identifier"]

    @pytest.mark.parametrize(
        "answers",
        [{"fever": True}, {"saddle_numbness": True}, {"major_trauma": True}],
    )
    def test_bundle_speaks_for_the_plans_region(
        self, answers: dict[str, bool]
    ) -> None:
        """
        The Bundle's patient texts name the plan's region's number and
        services: a US plan never tells a person to call 999 or 111 (a
        rule's rationale for clinicians may still cite the NHS's advice).
        """
        assessment = Assessment.from_answers(answers)
        escalation = evaluate(assessment)
        texts = {
            region: str(
                _plain(
                    sf.guidance_bundle(
                        escalation,
                        plan_care(
                            assessment, escalation, region=REGIONS[region]
                        ),
                        subject="Patient/p1",
                        occurred=WHEN,
                    )
                )
            )
            for region in ("uk", "us")
        }
        uk_words = ("on 999", "call 111", "to the emergency department")

        assert any(w in texts["uk"] for w in uk_words)
        assert not any(w in texts["us"] for w in uk_words)
        assert any(
            w in texts["us"]
            for w in ("911", "urgent care center", "emergency room")
        )


class TestGuidanceErrors:
    """
    Inconsistent or malformed input is refused; nothing half-built is
    returned.
    """

    def test_plan_for_another_level(self) -> None:
        """
        A plan made for another escalation is refused.
        """
        a = Assessment.from_answers({"saddle_numbness": True})
        other = Assessment()

        with pytest.raises(InvalidValueError, match=r"care_plan\.level"):
            sf.guidance_bundle(
                evaluate(a),
                plan_care(other, evaluate(other)),
                subject="Patient/p1",
            )

    def test_response_giving_another_escalation(self) -> None:
        """
        A response that does not give the escalation is refused.
        """
        a = Assessment.from_answers({"saddle_numbness": True})
        escalation = evaluate(a)

        with pytest.raises(InvalidValueError, match="another escalation"):
            sf.guidance_bundle(
                escalation,
                plan_care(a, escalation),
                subject="Patient/p1",
                response=sf.response_from_assessment(Assessment()),
            )

    @pytest.mark.parametrize(
        ("kwargs", "error"),
        [
            ({"subject": "p1"}, InvalidResourceError),
            ({"subject": None}, InvalidTypeError),
            (
                {
                    "subject": "Patient/p1",
                    "occurred": dt.datetime(2026, 1, 1),  # noqa: DTZ001
                },
                InvalidTypeError,
            ),
            (
                {
                    "subject": "Patient/p1",
                    "response": {"resourceType": "Patient"},
                },
                InvalidResourceError,
            ),
        ],
    )
    def test_bad_arguments(
        self, kwargs: dict[str, Any], error: type[Exception]
    ) -> None:
        """
        A subject that is not a reference, a naive time or a response that
        is not a QuestionnaireResponse is refused.
        """
        a = Assessment()
        escalation = evaluate(a)

        with pytest.raises(error):
            sf.guidance_bundle(escalation, plan_care(a, escalation), **kwargs)

    @pytest.mark.parametrize("which", ["escalation", "care_plan"])
    def test_wrong_types(self, which: str) -> None:
        """
        The escalation and plan must be spasmcare's own objects.
        """
        a = Assessment()
        escalation = evaluate(a)
        args: dict[str, Any] = {
            "escalation": escalation,
            "care_plan": plan_care(a, escalation),
        }
        args[which] = {}

        with pytest.raises(InvalidTypeError):
            sf.guidance_bundle(subject="Patient/p1", **args)
