# SPDX-License-Identifier: MIT
"""
The safety proof: Hypothesis properties of the evaluator and care plan.

Each class states one property in its docstring (DESIGN.md invariants).
"""

from __future__ import annotations

import copy
import random

import attrs
from hypothesis import given
from hypothesis import strategies as st

from spasmcare import (
    DEFAULT_RULES,
    SKIN_SAFETY_CAUTIONS,
    Answer,
    Assessment,
    Rule,
    StepKind,
    Urgency,
    evaluate,
    plan_care,
)
from spasmcare._findings import NUMBER_IDS

from .strategies import (
    FINDINGS,
    assessments,
    complete_assessments,
    with_witness,
    witnesses,
)

RED_FLAGS = DEFAULT_RULES.red_flags
SELF_CARE_KINDS = frozenset(StepKind) - {StepKind.REFERRAL, StepKind.INTERIM}


def _raise(assessment: Assessment, question: str, by: int) -> Assessment:
    """
    Raise the number *question* by *by*, staying valid; unknown stays.
    """
    value = assessment.number(question)
    if value is None:
        return assessment
    limit = {"pain_score": 10, "episodes_past_year": 365}.get(question)
    if question == "duration_days":
        age = assessment.age_years
        limit = 36_500 if age is None else (age + 1) * 366
    elif question == "age_years":
        limit = 120
    assert limit is not None
    return attrs.evolve(assessment, **{question: min(value + by, limit)})


class TestRedFlagAlwaysRefers:
    """
    A present red flag always gives a referral at least as urgent as its
    rule (DESIGN.md invariant 1).
    """

    @given(assessments(), st.sampled_from(sorted(RED_FLAGS)))
    def test_present_red_flag_refers_at_its_level(
        self, assessment: Assessment, finding: str
    ) -> None:
        """
        Whatever else is answered, a present red-flag finding gives
        referral_required and at least the level of its rule.
        """
        flagged = assessment.with_answer(finding, Answer.PRESENT)

        result = evaluate(flagged)

        assert result.referral_required
        assert RED_FLAGS[finding] <= result.level

    @given(assessments())
    def test_every_fired_rule_bounds_the_level(
        self, assessment: Assessment
    ) -> None:
        """
        The level is at least the urgency of every rule that fired, and a
        rule fires exactly when its criterion is met.
        """
        result = evaluate(assessment)

        met = {
            r.id
            for r in DEFAULT_RULES
            if r.criterion.check(assessment).verdict is True
        }
        assert met == {f.id for f in result.fired}
        for fired in result.fired:
            assert fired.urgency <= result.level
            assert result.referral_required


class TestRedFlagCombinationsRefer:
    """
    Every rule's own answers, laid over any assessment, give a referral at
    least as urgent as the rule: red flags that count only together
    (pregnant and bleeding; tummy pain and vomiting; sudden severe pain at
    60) as well as single ones (DESIGN.md invariant 1).
    """

    @given(assessments(), st.sampled_from(DEFAULT_RULES.rules), st.data())
    def test_any_way_of_meeting_a_rule_refers_at_its_level(
        self, assessment: Assessment, rule: Rule, data: st.DataObject
    ) -> None:
        """
        Whatever else is answered, answers that meet a rule's criterion
        fire it, and the level is at least the rule's.
        """
        answers = data.draw(witnesses(rule.criterion), label="answers")

        met = with_witness(assessment, answers)
        result = evaluate(met)

        assert rule.id in {f.id for f in result.fired}
        assert rule.urgency <= result.level
        assert result.referral_required


class TestMonotonicity:
    """
    More or worse findings never lower the level (DESIGN.md invariant 2):
    adding a present finding, raising the pain score, the duration or the
    recurrence count.
    """

    @given(assessments(), st.sampled_from(FINDINGS))
    def test_adding_a_present_finding_never_lowers(
        self, assessment: Assessment, finding: str
    ) -> None:
        """
        Answering any finding present, whatever it was before, never lowers
        the level.
        """
        before = evaluate(assessment).level

        after = evaluate(assessment.with_answer(finding, Answer.PRESENT)).level

        assert before <= after

    @given(
        assessments(),
        st.sampled_from(["pain_score", "duration_days", "episodes_past_year"]),
        st.integers(1, 400),
    )
    def test_raising_a_number_never_lowers(
        self, assessment: Assessment, question: str, by: int
    ) -> None:
        """
        Raising the pain score, the duration or the recurrence count never
        lowers the level.
        """
        before = evaluate(assessment).level

        after = evaluate(_raise(assessment, question, by)).level

        assert before <= after


class TestUnknownIsNeverNo:
    """
    Unknown never reads as absent: turning an answer from absent to
    unknown never lowers the level, and for a red-flag question never
    yields self-care (DESIGN.md invariants 2 and 3).
    """

    @given(assessments(), st.sampled_from(FINDINGS))
    def test_absent_to_unknown_never_lowers(
        self, assessment: Assessment, finding: str
    ) -> None:
        """
        A finding turning from absent to unknown never lowers the level.
        """
        absent = assessment.with_answer(finding, Answer.ABSENT)

        unknown = absent.with_answer(finding, Answer.UNKNOWN)

        assert evaluate(absent).level <= evaluate(unknown).level

    @given(assessments(), st.sampled_from(sorted(RED_FLAGS)))
    def test_unknown_red_flag_never_yields_self_care(
        self, assessment: Assessment, finding: str
    ) -> None:
        """
        With a red-flag question unknown, the result is never self-care,
        screening is incomplete, and the question is named as unanswered.
        """
        unknown = assessment.with_answer(finding, Answer.UNKNOWN)

        result = evaluate(unknown)

        assert Urgency.SELF_CARE != result.level
        assert not result.screening_complete
        assert finding in result.unanswered

    @given(assessments(), st.sampled_from(NUMBER_IDS))
    def test_forgetting_an_unused_number_never_lowers(
        self, assessment: Assessment, question: str
    ) -> None:
        """
        A number that fired no rule, turning unknown (None), never lowers
        the level: like an absent answer, a known "not bad enough" value
        must not be safer than not knowing.
        """
        before = evaluate(assessment)
        used = {
            fact.question for fired in before.fired for fact in fired.facts
        }

        forgotten = evaluate(attrs.evolve(assessment, **{question: None}))

        if question not in used:
            assert before.level <= forgotten.level

    @given(assessments())
    def test_self_care_only_when_every_red_flag_is_absent(
        self, assessment: Assessment
    ) -> None:
        """
        Self-care only when every red-flag question is answered absent,
        screening is complete and no rule fired.
        """
        result = evaluate(assessment)

        if result.level is Urgency.SELF_CARE:
            assert all(
                Answer.ABSENT == assessment.answer(f) for f in RED_FLAGS
            )
            assert result.screening_complete
            assert () == result.fired
            assert () == result.unanswered

    @given(assessments())
    def test_incomplete_screening_names_the_questions(
        self, assessment: Assessment
    ) -> None:
        """
        When screening is incomplete the level is at least routine and the
        unanswered questions are named; each one really is unanswered.
        """
        result = evaluate(assessment)

        if not result.screening_complete:
            assert Urgency.ROUTINE <= result.level
            assert result.unanswered
            for question in result.unanswered:
                value = (
                    assessment.number(question)
                    if question in NUMBER_IDS
                    else assessment.answer(question)
                )
                assert value in (None, Answer.UNKNOWN)
        else:
            assert () == result.unanswered

    @given(complete_assessments())
    def test_fully_answered_screening_is_complete(
        self, assessment: Assessment
    ) -> None:
        """
        When every question is answered, screening is always complete.
        """
        assert evaluate(assessment).screening_complete


class TestPurity:
    """
    Evaluation is pure, deterministic and independent of symptom order
    (DESIGN.md invariant 5).
    """

    @given(assessments(), st.randoms(use_true_random=False))
    def test_symptom_order_does_not_matter(
        self, assessment: Assessment, rnd: random.Random
    ) -> None:
        """
        Shuffling the symptoms gives an equal assessment and an equal
        escalation.
        """
        shuffled = list(assessment.symptoms)
        rnd.shuffle(shuffled)

        reordered = attrs.evolve(assessment, symptoms=tuple(shuffled))

        assert assessment == reordered
        assert evaluate(assessment) == evaluate(reordered)

    @given(assessments())
    def test_deterministic_and_leaves_input_unchanged(
        self, assessment: Assessment
    ) -> None:
        """
        Two evaluations of the same input are equal, and the input is
        unchanged afterwards.
        """
        before = copy.deepcopy(assessment)

        first, second = evaluate(assessment), evaluate(assessment)

        assert first == second
        assert before == assessment


class TestEveryRuleCitedAndLive:
    """
    Every fired rule cites its source; every rule can fire
    (DESIGN.md invariant 4).
    """

    @given(assessments())
    def test_every_fired_rule_has_a_citation(
        self, assessment: Assessment
    ) -> None:
        """
        Each fired rule carries at least one citation and the facts that
        fired it.
        """
        for fired in evaluate(assessment).fired:
            assert fired.citations
            assert fired.facts

    def test_no_dead_rule(self) -> None:
        """
        Every rule in DEFAULT_RULES fires on some input: with every
        finding present, a 50-year-old whose pain began at 44 fires them
        all (old enough for the aneurysm rules, young enough at onset for
        inflammatory back pain) but the rule for people under 16, which
        the same answers at 15 fire.
        """
        everything = Assessment.from_answers(
            dict.fromkeys(FINDINGS, True),
            age_years=50,
            pain_score=10,
            duration_days=2_000,
            episodes_past_year=12,
        )
        young = attrs.evolve(everything, age_years=15)

        fired = {f.id for f in evaluate(everything).fired}
        fired_young = {f.id for f in evaluate(young).fired}

        assert {r.id for r in DEFAULT_RULES} == fired | {"under_16"}
        assert "under_16" in fired_young


class TestEmergencyLeadsThePlan:
    """
    An emergency or ambulance escalation always yields a plan whose first
    step is that referral, with no self-care step that could delay care
    (DESIGN.md invariant 6).
    """

    @given(assessments())
    def test_referral_first_and_nothing_that_delays(
        self, assessment: Assessment
    ) -> None:
        """
        Any referral is the first step; at emergency levels no self-care
        step follows.
        """
        escalation = evaluate(assessment)

        plan = plan_care(assessment, escalation)

        if escalation.referral_required:
            assert StepKind.REFERRAL is plan.steps[0].kind
            assert escalation.timeframe == plan.steps[0].timing
        else:
            assert StepKind.REFERRAL not in {s.kind for s in plan.steps}
        if escalation.level >= Urgency.EMERGENCY:
            assert not {s.kind for s in plan.steps} & SELF_CARE_KINDS
            assert escalation.level.action == plan.steps[0].title


class TestThermalStepsAreSafe:
    """
    Every heat or cold step carries its skin-safety cautions.
    """

    @given(assessments())
    def test_heat_and_cold_steps_carry_skin_safety(
        self, assessment: Assessment
    ) -> None:
        """
        Whatever the plan, each heat or cold step carries every skin-safety
        caution (cloth, reduced sensation and circulation, never sleep on a
        heat pad).
        """
        plan = plan_care(assessment, evaluate(assessment))

        for step in plan.steps:
            if step.kind in {StepKind.HEAT, StepKind.COLD}:
                assert set(SKIN_SAFETY_CAUTIONS) <= set(step.cautions)
