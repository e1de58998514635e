# SPDX-License-Identifier: MIT
"""
People under 16 get a safe answer through the normal result path
(issue 10): "this tool is for people aged 16 and over: speak to a doctor
or pharmacist" (rule under_16; NICE NG59 covers people aged 16 and over).
"""

from __future__ import annotations

import json

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from spasmcare import (
    DEFAULT_RULES,
    Interview,
    InvalidTypeError,
    RuleSetError,
    StepKind,
    UnknownFindingError,
    Urgency,
    dump_report,
    evaluate,
    load_assessment,
    plan_care,
)
from spasmcare.criteria import AtMost

from .vignettes import plain_strain, with_present

ADVICE = (
    "This tool is for people aged 16 and over: speak to a doctor or "
    "pharmacist."
)


class TestUnder16:
    """
    The rule under_16: a referral, the advice, no adult self-care.
    """

    @given(st.integers(0, 15))
    def test_a_child_is_referred_without_adult_self_care(
        self, age: int
    ) -> None:
        """
        A plain strain at any age under 16 is a routine referral with the
        advice and its source, and the plan holds only the referral (no
        heat, cold or medicines written for adults) and the safety net.
        """
        assessment = plain_strain(age_years=age, duration_days=1)

        escalation = evaluate(assessment)
        plan = plan_care(assessment, escalation)

        assert Urgency.ROUTINE == escalation.level
        assert ["under_16"] == [f.id for f in escalation.fired]
        assert "nice-ng59" == escalation.fired[0].citations[0].key
        assert [StepKind.REFERRAL] == [s.kind for s in plan.steps]
        assert ADVICE in plan.steps[0].instructions
        assert plan.safety_net.emergency

    def test_sixteen_is_covered(self) -> None:
        """
        At 16 a plain strain is self-care, as for any adult.
        """
        assessment = plain_strain(age_years=16, duration_days=1)

        escalation = evaluate(assessment)

        assert Urgency.SELF_CARE == escalation.level
        assert StepKind.REFERRAL not in {
            s.kind for s in plan_care(assessment, escalation).steps
        }

    @pytest.mark.parametrize(
        ("finding", "level"),
        [
            ("saddle_numbness", Urgency.EMERGENCY),
            ("chest_pain", Urgency.AMBULANCE),
            ("fever", Urgency.URGENT),
        ],
    )
    def test_red_flags_still_lead_for_a_child(
        self, finding: str, level: Urgency
    ) -> None:
        """
        A red flag in a child gives its own level, above the routine
        referral, and fires alongside under_16.
        """
        assessment = with_present(plain_strain(age_years=9), finding)

        escalation = evaluate(assessment)

        assert level == escalation.level
        assert "under_16" in [f.id for f in escalation.fired]
        assert level == escalation.fired[0].urgency

    def test_the_json_face_and_the_interview_accept_a_child(self) -> None:
        """
        Age 5 is an answer, not a validation error, in JSON and in the
        interview; the report shows the rule.
        """
        assessment = load_assessment(
            json.dumps({"schema_version": "1", "age_years": 5})
        )
        interview = Interview().answer("age_years", 5)

        escalation = evaluate(assessment)
        report = dump_report(escalation, plan_care(assessment, escalation))

        assert "under_16" in [f["id"] for f in report["escalation"]["fired"]]
        assert 5 == interview.assessment.age_years
        assert "under_16" in [f.id for f in interview.escalation.fired]

    def test_an_unknown_age_is_pending_never_no(self) -> None:
        """
        Without an age the rule cannot be decided: it is pending and the
        age is unanswered, so no self-care is given on a guess.
        """
        escalation = evaluate(plain_strain(age_years=None))

        assert "under_16" in escalation.pending
        assert "age_years" in escalation.unanswered
        assert Urgency.SELF_CARE != escalation.level

    def test_a_rule_set_without_it_gives_the_adult_plan(self) -> None:
        """
        A deployer who removes the rule (a paediatric service with its
        own rules) gets the usual result: the rule is the only control.
        """
        local = DEFAULT_RULES.without("under_16", version="x-paediatric")
        assessment = plain_strain(age_years=10, duration_days=1)

        assert Urgency.SELF_CARE == evaluate(assessment, rules=local).level


class TestAtMost:
    """
    The criterion the rule uses: met at or below its threshold.
    """

    @given(st.integers(0, 120))
    def test_met_exactly_at_or_below(self, age: int) -> None:
        """
        Met for ages up to 15, not met from 16, unknown without an age.
        """
        outcome = AtMost("age_years", 15).check(plain_strain(age_years=age))

        assert (age <= 15) == outcome.verdict

    def test_cannot_tell_without_the_number(self) -> None:
        """
        An unknown number cannot be decided.
        """
        outcome = AtMost("age_years", 15).check(plain_strain(age_years=None))

        assert outcome.verdict is None

    def test_bad_arguments(self) -> None:
        """
        An unknown question or a threshold that is not an int is refused.
        """
        with pytest.raises(UnknownFindingError, match=r"AtMost\.question"):
            AtMost("fever", 1)
        with pytest.raises(InvalidTypeError, match=r"AtMost\.threshold"):
            AtMost("age_years", True)  # noqa: FBT003
        assert "age 15 years or less" == AtMost("age_years", 15).describe()


def test_withholds_self_care_must_be_a_bool() -> None:
    """
    A rule's withholds_self_care is checked when the rule is built.
    """
    rule = DEFAULT_RULES["under_16"]

    with pytest.raises(RuleSetError, match="withholds_self_care='yes'"):
        attrs.evolve(rule, withholds_self_care="yes")  # type: ignore[arg-type]
    assert rule.withholds_self_care is True
    assert [rule] == [r for r in DEFAULT_RULES if r.withholds_self_care]
