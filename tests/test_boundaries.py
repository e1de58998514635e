# SPDX-License-Identifier: MIT
"""
Every threshold from both sides, and every member of a shared list on its
own: the mutants that survived a mutation run of the safety core (issue 15)
are killed here.
"""

from __future__ import annotations

import attrs
import pytest

from spasmcare import DEFAULT_RULES, Answer, Assessment, Urgency, evaluate
from spasmcare._catalogue import _NEUROLOGICAL, _STRONG_INFECTION_RISK
from spasmcare._evaluate import NOT_A_DIAGNOSIS
from spasmcare.criteria import OnsetBefore, Present

from .vignettes import plain_strain, with_present

P = plain_strain
NEUROLOGICAL = sorted(
    c.finding for c in _NEUROLOGICAL.criteria if isinstance(c, Present)
)
STRONG_RISKS = sorted(
    c.finding
    for c in _STRONG_INFECTION_RISK.criteria
    if isinstance(c, Present)
)


def _fired(assessment: Assessment) -> set[str]:
    return {f.id for f in evaluate(assessment).fired}


class TestNeurologicalList:
    """
    Each neurological finding, alone, makes cancer history, fever and a
    strong infection risk an emergency.
    """

    def test_the_list_is_what_the_rules_say(self) -> None:
        """
        The eight findings of CLINICAL.md's neurological list.
        """
        assert [
            "both_legs",
            "incontinence",
            "leg_pain_numbness",
            "one_leg_weakness",
            "progressive_weakness",
            "saddle_numbness",
            "urinary_retention",
            "walking_difficulty",
        ] == NEUROLOGICAL

    @pytest.mark.parametrize("finding", NEUROLOGICAL)
    def test_cancer_history_with_each_is_an_emergency(
        self, finding: str
    ) -> None:
        """
        Cancer history with any one neurological finding fires
        cancer_with_neurology.
        """
        case = with_present(P(), "cancer_history", finding)

        assert "cancer_with_neurology" in _fired(case)
        assert Urgency.EMERGENCY <= evaluate(case).level

    @pytest.mark.parametrize("finding", NEUROLOGICAL)
    def test_fever_with_each_is_an_emergency(self, finding: str) -> None:
        """
        Fever with any one neurological finding, no risk factor: the
        "fever with neurological signs" branch of spinal_infection_severe.
        """
        case = with_present(P(), "fever", finding)

        assert "spinal_infection_severe" in _fired(case)
        assert Urgency.EMERGENCY <= evaluate(case).level

    @pytest.mark.parametrize("risk", STRONG_RISKS)
    @pytest.mark.parametrize("finding", NEUROLOGICAL)
    def test_a_strong_risk_with_each_is_an_emergency(
        self, risk: str, finding: str
    ) -> None:
        """
        A strong infection risk with any one neurological finding, no
        fever, fires spinal_infection_severe.
        """
        case = with_present(P(), risk, finding)

        assert "spinal_infection_severe" in _fired(case)

    @pytest.mark.parametrize("risk", STRONG_RISKS)
    def test_fever_with_each_strong_risk_is_an_emergency(
        self, risk: str
    ) -> None:
        """
        Fever with any one strong risk fires spinal_infection_severe.
        """
        assert "spinal_infection_severe" in _fired(
            with_present(P(), "fever", risk)
        )

    def test_leg_pain_alone_is_not_an_emergency(self) -> None:
        """
        The near miss: one-sided sciatica alone refers nowhere.
        """
        assert (
            Urgency.SELF_CARE
            == evaluate(with_present(P(), "leg_pain_numbness")).level
        )


class TestDayLimits:
    """
    No improvement after 28 days; not resolved by 42 days; over 3 months
    for inflammatory back pain: each limit from both sides.
    """

    @pytest.mark.parametrize(("days", "fires"), [(41, False), (42, True)])
    def test_42_days(self, days: int, fires: bool) -> None:
        """
        Day 42 is "not resolved by 6 weeks"; day 41 is not.
        """
        assert fires == ("not_improving" in _fired(P(duration_days=days)))

    @pytest.mark.parametrize(("days", "fires"), [(27, False), (28, True)])
    def test_28_days_without_improvement(self, days: int, fires: bool) -> None:
        """
        No improvement at all: day 28 counts, day 27 does not.
        """
        case = with_present(P(duration_days=days), "no_improvement")

        assert fires == ("not_improving" in _fired(case))

    @pytest.mark.parametrize(("days", "fires"), [(90, False), (91, True)])
    def test_over_3_months_for_inflammatory_pain(
        self, days: int, fires: bool
    ) -> None:
        """
        Inflammatory back pain needs 91 days or more.
        """
        case = with_present(
            P(age_years=30, duration_days=days),
            "late_night_waking",
            "better_with_movement",
        )

        assert fires == ("inflammatory_back_pain" in _fired(case))


class TestOnsetBefore:
    """
    "Began before age N": the age at onset, in completed years, is below N.
    """

    @pytest.mark.parametrize(
        ("age", "days", "met"),
        [
            (45, 1, True),  # onset at 44 (a day short of 45)
            (45, 0, False),  # onset at 45 exactly
            (46, 365, False),  # onset at 45 exactly
            (46, 366, True),  # onset a day before turning 45
        ],
    )
    def test_the_boundary(self, age: int, days: int, met: bool) -> None:
        """
        Exactly N years at onset is not "before N"; a day less is.
        """
        case = attrs.evolve(P(), age_years=age, duration_days=days)

        assert met is OnsetBefore(45).check(case).verdict

    @pytest.mark.parametrize(
        ("features", "fires"),
        [
            (("late_night_waking", "buttock_pain"), False),
            (("late_night_waking", "buttock_pain", "nsaid_response"), True),
        ],
    )
    def test_three_features_after_35(
        self, features: tuple[str, ...], fires: bool
    ) -> None:
        """
        With onset at 40 (not before 35), three features are needed.
        """
        case = with_present(P(age_years=40, duration_days=120), *features)

        assert fires == ("inflammatory_back_pain" in _fired(case))


class TestEveryRedFlagUnknown:
    """
    Any red-flag question left unknown on an otherwise complete plain
    strain: not self-care, screening incomplete, the question named; for
    every red flag, routine-level ones included.
    """

    @pytest.mark.parametrize("finding", sorted(DEFAULT_RULES.red_flags))
    def test_unknown_red_flag_blocks_self_care(self, finding: str) -> None:
        """
        The question is named and the level is at least routine.
        """
        case = P().with_answer(finding, Answer.UNKNOWN)

        result = evaluate(case)

        assert finding in result.unanswered
        assert not result.screening_complete
        assert Urgency.ROUTINE <= result.level


def test_the_notice_is_exact() -> None:
    """
    The "not a diagnosis" notice, word for word.
    """
    assert (
        (
            "This is decision support, not a diagnosis. It does not replace a "
            "doctor, nurse or pharmacist. If you are worried, or if things get "
            "worse, get medical help."
        )
        == NOT_A_DIAGNOSIS
        == evaluate(P()).notice
    )
