# SPDX-License-Identifier: MIT
"""
The families rule set 0.2.0 added (issue 9): the tummy, pregnancy,
spinal infection without fever, and an aneurysm without a mass or collapse.

Each family has its emergencies, its same-day cases and its near misses,
and the care plan adapts to pregnancy.
"""

from __future__ import annotations

import attrs
import pytest

from spasmcare import (
    Answer,
    Assessment,
    StepKind,
    Urgency,
    evaluate,
    plan_care,
)
from spasmcare._selfcare import PREGNANCY_HEAT_CAUTION, PREGNANCY_PAIN_RELIEF

from .vignettes import plain_strain, with_present

P = plain_strain


def _without(assessment: Assessment, *findings: str) -> Assessment:
    """
    A copy of *assessment* where *findings* were never asked.
    """
    return attrs.evolve(
        assessment,
        symptoms=tuple(
            s for s in assessment.symptoms if s.finding not in findings
        ),
    )


def _fired(assessment: Assessment) -> set[str]:
    return {f.id for f in evaluate(assessment).fired}


class TestAbdomen:
    """
    Back pain with tummy pain is a mimic until shown otherwise: the NHS
    sends vomiting, fever, yellow skin and a sudden severe start to A&E,
    and other tummy pain to a GP the same day.
    """

    @pytest.mark.parametrize(
        "feature", ["vomiting", "fever", "jaundice", "sudden_severe_pain"]
    )
    def test_tummy_pain_with_an_emergency_feature_is_an_emergency(
        self, feature: str
    ) -> None:
        """
        Tummy pain with any one emergency feature goes to the emergency
        department.
        """
        case = with_present(P(), "abdominal_pain", feature)

        assert Urgency.EMERGENCY <= evaluate(case).level
        assert "abdominal_emergency" in _fired(case)

    def test_tummy_pain_alone_is_same_day(self) -> None:
        """
        Tummy pain as well as back pain, nothing else: a GP today.
        """
        assert (
            Urgency.URGENT
            == evaluate(with_present(P(), "abdominal_pain")).level
        )

    def test_vomiting_without_tummy_pain_is_not_a_referral(self) -> None:
        """
        Being sick once with a plain strain does not refer on its own.
        """
        assert (
            Urgency.SELF_CARE == evaluate(with_present(P(), "vomiting")).level
        )

    def test_passing_little_urine_is_same_day(self) -> None:
        """
        Much less urine than usual (possible kidney injury): a GP today.
        """
        result = evaluate(with_present(P(), "little_urine"))

        assert Urgency.URGENT == result.level
        assert ["kidney_problem"] == [f.id for f in result.fired]

    def test_an_unasked_tummy_question_is_never_self_care(self) -> None:
        """
        A plain strain with the tummy question never asked is not
        self-care, and the question is named.
        """
        result = evaluate(_without(P(), "abdominal_pain"))

        assert Urgency.ROUTINE == result.level
        assert "abdominal_pain" in result.unanswered


class TestPregnancy:
    """
    Back pain in pregnancy with bleeding, fluid loss, contractions, fewer
    baby movements, fever, tummy pain or severe pain needs the maternity
    unit now; with bleeding and tummy pain, an ambulance.
    """

    @pytest.mark.parametrize(
        "sign",
        [
            "pregnancy_bleeding",
            "contractions",
            "reduced_baby_movements",
            "fever",
            "abdominal_pain",
            "pain_unbearable",
        ],
    )
    def test_a_warning_sign_in_pregnancy_is_an_emergency(
        self, sign: str
    ) -> None:
        """
        Each pregnancy warning sign sends a pregnant person for assessment
        now.
        """
        case = with_present(P(), "pregnant", sign)

        assert Urgency.EMERGENCY <= evaluate(case).level
        assert "pregnancy_warning_signs" in _fired(case)

    def test_severe_pain_score_in_pregnancy_is_an_emergency(self) -> None:
        """
        Pain of 7 out of 10 in pregnancy is a warning sign; 6 is not.
        """
        assert (
            Urgency.EMERGENCY
            == evaluate(with_present(P(pain_score=7), "pregnant")).level
        )
        assert (
            Urgency.SELF_CARE
            == evaluate(with_present(P(pain_score=6), "pregnant")).level
        )

    def test_bleeding_with_tummy_pain_calls_an_ambulance(self) -> None:
        """
        Bleeding with tummy pain in pregnancy: call 999.
        """
        case = with_present(
            P(), "pregnant", "pregnancy_bleeding", "abdominal_pain"
        )

        assert Urgency.AMBULANCE == evaluate(case).level

    def test_pregnancy_signs_do_not_matter_when_not_pregnant(self) -> None:
        """
        Someone who cannot be pregnant is not asked the pregnancy signs:
        their answers do not change a plain strain's self-care.
        """
        case = _without(
            P(),
            "pregnancy_bleeding",
            "contractions",
            "reduced_baby_movements",
        )

        result = evaluate(case)

        assert Urgency.SELF_CARE == result.level
        assert result.screening_complete

    def test_unknown_pregnancy_with_unknown_signs_is_not_self_care(
        self,
    ) -> None:
        """
        "Could you be pregnant?" unasked, with the signs unasked too:
        never self-care, and both are named as still to ask.
        """
        result = evaluate(_without(P(), "pregnant", "contractions"))

        assert Urgency.ROUTINE == result.level
        assert {"pregnant", "contractions"} <= set(result.unanswered)

    def test_the_referral_says_to_call_the_maternity_unit(self) -> None:
        """
        The plan's referral step carries the rule's maternity advice.
        """
        case = with_present(P(), "pregnant", "contractions")

        referral = plan_care(case, evaluate(case)).steps[0]

        assert StepKind.REFERRAL is referral.kind
        assert "call your maternity unit or midwife now" in (
            referral.instructions
        )

    def test_self_care_in_pregnancy_drops_anti_inflammatories(self) -> None:
        """
        A pregnant person with a plain strain gets self-care without the
        anti-inflammatory step, and heat carries the pregnancy caution.
        """
        case = with_present(P(), "pregnant")

        plan = plan_care(case, evaluate(case))

        medicines = [s for s in plan.steps if s.kind is StepKind.MEDICINE]
        heat = [s for s in plan.steps if s.kind is StepKind.HEAT]
        assert [PREGNANCY_PAIN_RELIEF] == medicines
        assert "ibuprofen is the usual first choice" not in " ".join(
            s.instructions for s in plan.steps
        )
        assert all(PREGNANCY_HEAT_CAUTION in s.cautions for s in heat)
        assert all(
            "pregnancy-heat-safety" in {c.key for c in s.citations}
            for s in heat
        )

    @pytest.mark.parametrize("answer", [Answer.ABSENT, Answer.UNKNOWN])
    def test_self_care_when_not_known_pregnant_keeps_the_usual_step(
        self, answer: Answer
    ) -> None:
        """
        Not pregnant, or not said: the usual medicine step, whose caution
        already says to ask first when pregnant.
        """
        case = P().with_answer("pregnant", answer)

        plan = plan_care(case, evaluate(case))

        medicines = [s for s in plan.steps if s.kind is StepKind.MEDICINE]
        assert ["pain_relief_check"] == [s.id for s in medicines]
        assert "are pregnant" in medicines[0].cautions[0]


class TestInfectionWithoutFever:
    """
    Fever is absent in about half of spinal infections: strong risks refer
    the same day without one, and with neurological symptoms they are an
    emergency. Common risks (such as diabetes) alone do not refer.
    """

    @pytest.mark.parametrize(
        "risk",
        [
            "injects_drugs",
            "weak_immune_system",
            "recent_spine_procedure",
            "recent_serious_infection",
        ],
    )
    def test_a_strong_risk_without_fever_is_same_day(self, risk: str) -> None:
        """
        A strong infection risk with new back pain, no fever: a GP today.
        """
        result = evaluate(with_present(P(), risk))

        assert Urgency.URGENT == result.level
        assert "spinal_infection_risk" in {f.id for f in result.fired}

    def test_drug_injection_after_a_minor_strain_is_not_self_care(
        self,
    ) -> None:
        """
        The published miss: injects drugs, new pain after a minor strain,
        no fever. Now same day, not self-care.
        """
        assert (
            Urgency.SELF_CARE
            < evaluate(with_present(P(), "injects_drugs")).level
        )

    def test_a_strong_risk_with_neurology_is_an_emergency(self) -> None:
        """
        Injecting drugs with sciatica, without fever: emergency.
        """
        case = with_present(P(), "injects_drugs", "leg_pain_numbness")

        assert Urgency.EMERGENCY == evaluate(case).level
        assert "spinal_infection_severe" in _fired(case)

    def test_fever_with_a_strong_risk_is_an_emergency(self) -> None:
        """
        Fever with a weakened immune system: emergency.
        """
        case = with_present(P(), "fever", "weak_immune_system")

        assert Urgency.EMERGENCY == evaluate(case).level

    def test_a_common_risk_alone_is_self_care(self) -> None:
        """
        The broad risk question (which includes diabetes) without fever
        does not refer a plain strain.
        """
        assert (
            Urgency.SELF_CARE
            == evaluate(with_present(P(), "infection_risk")).level
        )


class TestAneurysmWithoutAMass:
    """
    Older people with sudden, severe pain that no strain explains, or
    tummy and back pain with vascular risk, are an aneurysm until shown
    otherwise (NICE NG156); the same age with a clear strain is not.
    """

    @pytest.mark.parametrize(
        ("age", "vascular", "level"),
        [
            (60, False, Urgency.EMERGENCY),
            (59, False, Urgency.URGENT),
            (50, True, Urgency.EMERGENCY),
            (49, True, Urgency.URGENT),
        ],
    )
    def test_sudden_severe_pain_by_age_and_vascular_risk(
        self, age: int, vascular: bool, level: Urgency
    ) -> None:
        """
        Sudden severe non-mechanical pain: emergency from 60, or from 50
        with a vascular risk factor; same day below those ages.
        """
        case = with_present(P(age_years=age), "sudden_severe_pain")
        if vascular:
            case = with_present(case, "vascular_risk")

        assert level == evaluate(case).level

    def test_tummy_pain_with_vascular_risk_at_50_is_an_emergency(
        self,
    ) -> None:
        """
        The published miss: an older man with vascular risk and belly
        pain. Emergency, not routine.
        """
        case = with_present(P(age_years=68), "abdominal_pain", "vascular_risk")

        assert Urgency.EMERGENCY == evaluate(case).level
        assert "aortic_aneurysm_suspected" in _fired(case)

    @pytest.mark.parametrize("age", [60, 65, 69])
    def test_a_clear_strain_at_the_same_age_is_self_care(
        self, age: int
    ) -> None:
        """
        The near miss: the same age, pain after lifting, no sudden severe
        pain: self-care.
        """
        assert Urgency.SELF_CARE == evaluate(P(age_years=age)).level

    def test_unknown_age_with_sudden_severe_pain_asks_the_age(self) -> None:
        """
        Sudden severe pain with the age unknown: same day at least, and
        the age is still to ask.
        """
        case = with_present(P(age_years=None), "sudden_severe_pain")

        result = evaluate(case)

        assert Urgency.URGENT == result.level
        assert "age_years" in result.unanswered
