# SPDX-License-Identifier: MIT
"""
The evaluator: the done-when vignettes, incompleteness and the result.
"""

from __future__ import annotations

import pickle

import pytest

from spasmcare import (
    DEFAULT_RULES,
    Answer,
    Assessment,
    InvalidTypeError,
    TriageCategory,
    Urgency,
    evaluate,
)
from spasmcare.criteria import Fact

from .vignettes import plain_strain, with_present


class TestPlainStrain:
    """
    A plain acute strain after lifting, every red flag answered absent,
    gets self-care (issue 2, done when).
    """

    def test_self_care(self) -> None:
        """
        Self-care, complete screening, nothing fired, no referral.
        """
        result = evaluate(plain_strain())

        assert Urgency.SELF_CARE == result.level
        assert not result.referral_required
        assert result.screening_complete
        assert () == result.fired
        assert () == result.pending
        assert TriageCategory.SELF_CARE == result.category
        assert "at home" in result.action

    def test_cauda_equina_feature_gives_emergency(self) -> None:
        """
        The same case with one cauda equina feature is an emergency,
        naming the rule, the fact and the sources.
        """
        result = evaluate(with_present(plain_strain(), "urinary_retention"))

        assert Urgency.EMERGENCY == result.level
        assert result.referral_required
        [fired] = result.fired
        assert "cauda_equina" == fired.id
        assert (
            Fact(question="urinary_retention", value=Answer.PRESENT),
        ) == fired.facts
        assert "nice-ng59" in {c.key for c in fired.citations}
        assert "Go to the emergency department now" in result.action
        assert "Now." == result.timeframe
        assert TriageCategory.EMERGENT == result.category


class TestIncompleteScreening:
    """
    Unanswered red-flag questions never read as "no".
    """

    def test_empty_assessment_is_not_self_care(self) -> None:
        """
        Nothing asked: routine referral, incomplete, every red-flag
        question named, most urgent first.
        """
        result = evaluate(Assessment())

        assert Urgency.ROUTINE == result.level
        assert not result.screening_complete
        assert set(DEFAULT_RULES.red_flags) <= set(result.unanswered)
        ambulance = {
            f
            for f, level in DEFAULT_RULES.red_flags.items()
            if level is Urgency.AMBULANCE
        }
        assert ambulance == set(result.unanswered[: len(ambulance)])
        assert "not been answered" in result.action

    def test_one_unanswered_question_is_named(self) -> None:
        """
        Leaving out one red-flag answer names exactly that question.
        """
        case = plain_strain().with_answer("chest_pain", Answer.UNKNOWN)

        result = evaluate(case)

        assert ("chest_pain",) == result.unanswered
        assert ("chest_pain",) == result.pending
        assert Urgency.ROUTINE == result.level
        assert result.referral_required

    def test_unknown_number_is_named(self) -> None:
        """
        An unknown pain score leaves the severity rule pending.
        """
        result = evaluate(plain_strain(pain_score=None))

        assert ("pain_score",) == result.unanswered
        assert ("severe_pain",) == result.pending

    def test_fired_and_incomplete_says_it_may_get_more_urgent(self) -> None:
        """
        A fired rule with open questions warns that it may escalate.
        """
        result = evaluate(Assessment.from_answers({"fever": True}))

        assert Urgency.URGENT == result.level
        assert "may make this advice more urgent" in result.action

    def test_ambulance_never_says_it_may_get_more_urgent(self) -> None:
        """
        Nothing is more urgent than an ambulance: no such warning then.
        """
        result = evaluate(Assessment.from_answers({"chest_pain": True}))

        assert Urgency.AMBULANCE == result.level
        assert not result.screening_complete
        assert Urgency.AMBULANCE.action == result.action

    def test_red_flag_unknown_but_rule_fired_is_still_listed(self) -> None:
        """
        An unknown red flag whose rule already fired through another
        finding is still listed as unanswered.
        """
        case = with_present(plain_strain(), "incontinence").with_answer(
            "saddle_numbness", Answer.UNKNOWN
        )

        result = evaluate(case)

        assert () == result.pending
        assert ("saddle_numbness",) == result.unanswered
        assert not result.screening_complete

    def test_routine_red_flag_unknown_but_rule_fired_is_still_listed(
        self,
    ) -> None:
        """
        The same for a routine-level red flag, which no pending rule
        needs: unbearable pain unknown, the severity rule fired through
        the pain score. Screening is not complete.
        """
        assert Urgency.ROUTINE is DEFAULT_RULES.red_flags["pain_unbearable"]
        case = plain_strain(pain_score=8).with_answer(
            "pain_unbearable", Answer.UNKNOWN
        )

        result = evaluate(case)

        assert ["severe_pain"] == [f.rule.id for f in result.fired]
        assert () == result.pending
        assert ("pain_unbearable",) == result.unanswered
        assert not result.screening_complete

    def test_a_question_ranks_with_the_most_urgent_rule_that_needs_it(
        self,
    ) -> None:
        """
        Cancer history is an urgent red flag, and the emergency rule of
        cancer with one-leg weakness needs it: it is asked among the
        emergency questions (catalogue order there, so before "very
        unwell"), not after them.
        """
        assert Urgency.URGENT is DEFAULT_RULES.red_flags["cancer_history"]
        case = (
            with_present(plain_strain(), "one_leg_weakness")
            .with_answer("cancer_history", Answer.UNKNOWN)
            .with_answer("very_unwell", Answer.UNKNOWN)
        )

        result = evaluate(case)

        assert "cancer_with_neurology" in result.pending
        assert ("cancer_history", "very_unwell") == result.unanswered


class TestEscalation:
    """
    The result carries what an audit trail needs.
    """

    def test_most_urgent_rule_wins_and_comes_first(self) -> None:
        """
        Levels are never averaged: the most urgent fired rule wins.
        """
        case = with_present(plain_strain(pain_score=8), "chest_pain", "fever")

        result = evaluate(case)

        assert Urgency.AMBULANCE == result.level
        assert ["chest_pain", "spinal_infection", "severe_pain"] == [
            f.id for f in result.fired
        ]
        assert "Call an ambulance" in result.action

    def test_records_the_rule_set(self) -> None:
        """
        The escalation names the rule set, its version and digest.
        """
        result = evaluate(plain_strain())

        assert "spasmcare-default" == result.rule_set.id
        assert DEFAULT_RULES.version == result.rule_set.version
        assert DEFAULT_RULES.digest == result.rule_set.digest

    def test_facts_read_as_text(self) -> None:
        """
        Facts render with their question label.
        """
        [fired] = evaluate(plain_strain(pain_score=9)).fired

        assert ["pain score: 9"] == [str(f) for f in fired.facts]
        assert "chest pain: present" == str(
            Fact(question="chest_pain", value=Answer.PRESENT)
        )

    def test_action_texts_exactly(self) -> None:
        """
        What to do, word for word: the level's action; with screening
        incomplete, the "not answered" sentence after it (never after an
        ambulance action), or in place of self-care when nothing fired.
        """
        more = (
            " Some safety questions have not been answered; answering them "
            "may make this advice more urgent."
        )

        assert Urgency.SELF_CARE.action == evaluate(plain_strain()).action
        assert (
            "Some safety questions have not been answered, so self-care "
            "cannot be recommended yet. Answer the remaining questions, or "
            "book an appointment with a doctor."
        ) == evaluate(Assessment()).action
        assert (
            Urgency.URGENT.action + more
            == evaluate(Assessment.from_answers({"fever": True})).action
        )
        assert (
            Urgency.URGENT.action
            == evaluate(with_present(plain_strain(), "fever")).action
        )
        assert (
            Urgency.AMBULANCE.action
            == evaluate(Assessment.from_answers({"major_trauma": True})).action
        )

    def test_states_it_is_not_a_diagnosis(self) -> None:
        """
        Every escalation carries the "not a diagnosis" notice.
        """
        assert "not a diagnosis" in evaluate(plain_strain()).notice

    def test_pickles(self) -> None:
        """
        Escalations survive pickling (for process pools).
        """
        result = evaluate(with_present(plain_strain(), "fever"))

        assert result == pickle.loads(pickle.dumps(result))

    @pytest.mark.parametrize(
        ("assessment", "rules", "field"),
        [
            ({"fever": True}, DEFAULT_RULES, "assessment"),
            (Assessment(), "default", "rules"),
        ],
    )
    def test_wrong_types(
        self, assessment: object, rules: object, field: str
    ) -> None:
        """
        A non-Assessment or a non-RuleSet is refused by name.
        """
        with pytest.raises(InvalidTypeError) as e:
            evaluate(assessment, rules=rules)  # type: ignore[arg-type]

        value = (assessment, rules)[field == "rules"]
        expected = {"assessment": "an Assessment", "rules": "a RuleSet"}
        assert field == e.value.field
        assert value is e.value.value
        assert expected[field] == e.value.expected
        assert (
            f"{field}={value!r}: expected {expected[field]}, "
            f"got {type(value).__name__}"
        ) == str(e.value)


class TestUrgency:
    """
    Urgency is ordered and maps to the 3-level scheme.
    """

    def test_order(self) -> None:
        """
        Levels run from self-care to ambulance.
        """
        assert [
            Urgency.SELF_CARE,
            Urgency.ROUTINE,
            Urgency.URGENT,
            Urgency.EMERGENCY,
            Urgency.AMBULANCE,
        ] == sorted(Urgency, reverse=True)[::-1]
        assert Urgency.ROUTINE < Urgency.URGENT
        assert Urgency.AMBULANCE > Urgency.EMERGENCY
        assert Urgency.URGENT <= Urgency.URGENT
        assert Urgency.URGENT >= Urgency.ROUTINE
        assert [0, 1, 2, 3, 4] == [u.rank for u in Urgency]

    @pytest.mark.parametrize("op", ["__lt__", "__le__", "__gt__", "__ge__"])
    def test_does_not_compare_with_other_types(self, op: str) -> None:
        """
        Comparing with a number is not supported.
        """
        assert NotImplemented is getattr(Urgency.URGENT, op)(2)

    @pytest.mark.parametrize(
        ("level", "category"),
        [
            (Urgency.AMBULANCE, TriageCategory.EMERGENT),
            (Urgency.EMERGENCY, TriageCategory.EMERGENT),
            (Urgency.URGENT, TriageCategory.NON_EMERGENT),
            (Urgency.ROUTINE, TriageCategory.NON_EMERGENT),
            (Urgency.SELF_CARE, TriageCategory.SELF_CARE),
        ],
    )
    def test_three_level_mapping(
        self, level: Urgency, category: TriageCategory
    ) -> None:
        """
        {A, E} are emergent, {U, R} non-emergent, S self-care.
        """
        assert category == level.category

    def test_every_level_has_action_and_timeframe(self) -> None:
        """
        Each level says what to do and how soon.
        """
        for level in Urgency:
            assert level.action
            assert level.timeframe
