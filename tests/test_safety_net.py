# SPDX-License-Identifier: MIT
"""
Each level shows what it needs (issue 12, part 4): an emergency plan holds
the action and what to do on the way, and nothing that competes; a
referral, a short safety net for its level; self-care, at most 8 warning
signs grouped by urgency. Every plan says why both ways.
"""

from __future__ import annotations

import attrs
import pytest
from hypothesis import given

from spasmcare import (
    DEFAULT_RULES,
    QUESTIONS,
    Answer,
    Assessment,
    CarePlan,
    PertinentNegative,
    Rule,
    StepKind,
    Urgency,
    dump_care_plan,
    evaluate,
    plan_care,
)
from spasmcare._safetynet import HISTORY_RULES, SIGNS
from spasmcare.criteria import Present
from spasmcare.exceptions import InvalidValueError

from .strategies import assessments, complete_assessments
from .test_rules import EXAMPLES
from .vignettes import plain_strain, with_present

#: The tier a sign list stands for.
TIERS = {
    "emergency": Urgency.EMERGENCY,
    "same_day": Urgency.URGENT,
    "see_doctor": Urgency.ROUTINE,
}


def _plan(assessment: Assessment) -> CarePlan:
    return plan_care(assessment, evaluate(assessment))


def _tier(level: Urgency) -> Urgency:
    return min(level, Urgency.EMERGENCY)


class TestShortList:
    """
    The short list stands for every rule, at its tier or above.
    """

    def test_self_care_lists_at_most_8_signs(self) -> None:
        """
        A plain strain's safety net: 8 signs or fewer, in three tiers.
        """
        net = _plan(plain_strain()).safety_net

        assert len(net.signs) <= 8
        assert net.emergency
        assert net.same_day
        assert net.see_doctor

    def test_every_default_rule_has_a_sign_at_its_tier_or_above(
        self,
    ) -> None:
        """
        Each rule, but those about history already asked, is stood for by
        a sign no less urgent than the rule.
        """
        uncovered = [
            rule.id
            for rule in DEFAULT_RULES
            if rule.id not in HISTORY_RULES
            and not any(
                rule.id in sign.rules
                and _tier(sign.tier) >= _tier(rule.urgency)
                for sign in SIGNS
            )
        ]

        assert [] == uncovered

    def test_signs_name_only_default_rules(self) -> None:
        """
        No sign stands for a rule that does not exist.
        """
        ids = {rule.id for rule in DEFAULT_RULES}

        assert all(sign.rules <= ids for sign in SIGNS)
        assert HISTORY_RULES <= ids

    def test_a_deployers_rule_keeps_its_own_warning_sign(self) -> None:
        """
        A rule no sign stands for is listed in its own words and tier.
        """
        extra = attrs.evolve(
            DEFAULT_RULES["chest_pain"],
            id="local_rule",
            title="A local rule",
            warning_sign="You get a local warning sign.",
            urgency=Urgency.URGENT,
        )
        rules = DEFAULT_RULES.replace(extra, version="0.2.0+local")
        case = plain_strain()

        net = plan_care(case, evaluate(case, rules=rules)).safety_net

        assert "You get a local warning sign." in net.same_day

    def test_a_sign_for_removed_rules_is_left_out(self) -> None:
        """
        Without the rule a sign stands for, the sign is not listed.
        """
        rules = DEFAULT_RULES.without("major_trauma", version="0.2.0+local")
        case = plain_strain()

        net = plan_care(case, evaluate(case, rules=rules)).safety_net

        assert "You have a bad fall or accident." not in net.emergency
        assert len(net.signs) == 7

    def test_a_rule_made_more_urgent_keeps_its_own_sign(self) -> None:
        """
        A sign stands for a rule only at the rule's tier or above: made an
        emergency, a same-day rule's own sign joins the emergency tier.
        """
        fever = DEFAULT_RULES["spinal_infection"]
        urgent = Rule(
            id=fever.id,
            title=fever.title,
            urgency=Urgency.EMERGENCY,
            criterion=Present("fever"),
            rationale=fever.rationale,
            warning_sign=fever.warning_sign,
            citations=fever.citations,
        )
        rules = DEFAULT_RULES.replace(urgent, version="0.2.0+local")
        case = plain_strain()

        net = plan_care(case, evaluate(case, rules=rules)).safety_net

        assert fever.warning_sign in net.emergency


class TestEachLevel:
    """
    Emergency: nothing competes. Referral: the tiers above its level.
    """

    @pytest.mark.parametrize("rule_id", sorted(EXAMPLES))
    def test_each_rules_case_shows_only_the_tiers_above_it(
        self, rule_id: str
    ) -> None:
        """
        The tiers shown are those more urgent than the plan's level.
        """
        case, _ = EXAMPLES[rule_id]

        plan = _plan(case)

        for name, tier in TIERS.items():
            signs = getattr(plan.safety_net, name)
            assert bool(signs) is (tier > plan.level)

    @given(assessments())
    def test_emergency_plans_hold_nothing_that_competes(
        self, assessment: Assessment
    ) -> None:
        """
        At emergency levels: the referral, what to do while waiting or on
        the way, no prevention, no warning-sign list; and always what to do
        if things get worse.
        """
        plan = _plan(assessment)

        assert plan.safety_net.if_worse
        if plan.level >= Urgency.EMERGENCY:
            assert [StepKind.REFERRAL, StepKind.INTERIM] == [
                s.kind for s in plan.steps
            ]
            assert () == plan.prevention
            assert () == plan.safety_net.signs

    def test_the_ambulance_interim_does_not_send_a_person_to_travel(
        self,
    ) -> None:
        """
        Waiting for an ambulance is not "ask someone to take you".
        """
        ambulance = _plan(with_present(plain_strain(), "chest_pain"))
        emergency = _plan(with_present(plain_strain(), "saddle_numbness"))

        assert "While you wait" in ambulance.steps[1].title
        assert "take you" not in ambulance.steps[1].instructions
        assert "Do not drive yourself" in emergency.steps[1].instructions

    def test_an_emergency_plan_with_a_list_cannot_be_built(self) -> None:
        """
        The plan refuses prevention or signs at an emergency level.
        """
        plan = _plan(with_present(plain_strain(), "chest_pain"))
        net = _plan(plain_strain()).safety_net

        with pytest.raises(InvalidValueError, match="nothing may compete"):
            attrs.evolve(plan, safety_net=net)
        with pytest.raises(InvalidValueError, match="nothing may compete"):
            attrs.evolve(plan, prevention=("Lift with care.",))


class TestWhyBothWays:
    """
    The rules that fired, with their facts; the red flags found absent.
    """

    @given(complete_assessments())
    def test_reasons_follow_the_fired_rules(
        self, assessment: Assessment
    ) -> None:
        """
        One reason a fired rule, in order, each saying every fact.
        """
        escalation = evaluate(assessment)

        plan = plan_care(assessment, escalation)

        assert [f.id for f in escalation.fired] == [
            r.rule for r in plan.reasons
        ]
        for fired, reason in zip(escalation.fired, plan.reasons, strict=True):
            assert fired.urgency is reason.level
            assert len({f.question for f in fired.facts}) == len(reason.said)
            assert reason.text.startswith("You said ")

    @given(assessments())
    def test_pertinent_negatives_are_the_red_flags_answered_no(
        self, assessment: Assessment
    ) -> None:
        """
        Exactly the red-flag questions answered "no", in catalogue order.
        """
        plan = _plan(assessment)

        expected = [
            q
            for q in QUESTIONS
            if q in DEFAULT_RULES.red_flags
            and assessment.answer(q) is Answer.ABSENT
        ]
        assert expected == [n.question for n in plan.ruled_out]
        assert all(
            QUESTIONS[n.question].label == n.label for n in plan.ruled_out
        )

    def test_unknown_is_never_a_pertinent_negative(self) -> None:
        """
        "Don't know" is not "no".
        """
        case = plain_strain().with_answer("chest_pain", Answer.UNKNOWN)

        plan = _plan(case)

        assert "chest_pain" not in {n.question for n in plan.ruled_out}
        assert PertinentNegative(
            question="fever", label=QUESTIONS["fever"].label
        ) in set(plan.ruled_out)

    def test_json_says_why_both_ways(self) -> None:
        """
        The JSON care plan carries the reasons, the pertinent negatives and
        what to do if things get worse.
        """
        case = with_present(plain_strain(), "fever")

        out = dump_care_plan(_plan(case))

        assert [
            {
                "rule": "spinal_infection",
                "level": "consultation_24",
                "said": ["you have a fever or chills"],
                "text": "You said you have a fever or chills.",
            }
        ] == out["reasons"]
        assert {"question": "chest_pain", "label": "chest pain"} in out[
            "ruled_out"
        ]
        assert out["safety_net"]["if_worse"].startswith("If you get worse")
        assert [] == out["safety_net"]["same_day"]
