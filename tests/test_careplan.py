# SPDX-License-Identifier: MIT
"""
The care plan: the article's steps with their caveats, referral first.
"""

from __future__ import annotations

import attrs
import pytest

from spasmcare import (
    REGIONS,
    SKIN_SAFETY_CAUTIONS,
    Assessment,
    CarePlan,
    InvalidTypeError,
    InvalidValueError,
    Phase,
    SafetyNet,
    Schedule,
    Step,
    StepKind,
    Urgency,
    evaluate,
    plan_care,
)
from spasmcare._selfcare import COLD_PACK, KEEP_MOVING, SELF_CARE_STEPS

from .vignettes import plain_strain, with_present


def _plan(assessment: Assessment) -> CarePlan:
    return plan_care(assessment, evaluate(assessment))


class TestSelfCarePlan:
    """
    A plain strain gets the article's steps, reconciled with the
    guidelines (issue 2, done when).
    """

    def test_carries_the_article_steps_in_order(self) -> None:
        """
        Stop, massage, pain relief check, cold, keep moving, heat, return.
        """
        plan = _plan(plain_strain())

        assert Urgency.SELF_CARE == plan.level
        assert plan.referral is None
        assert [
            "stop_activity",
            "gentle_massage",
            "pain_relief_check",
            "cold_pack",
            "keep_moving",
            "moist_heat",
            "return_to_activity",
        ] == [s.id for s in plan.steps]
        assert [
            Phase.NOW,
            Phase.NOW,
            Phase.NOW,
            Phase.FIRST_48_HOURS,
            Phase.FIRST_48_HOURS,
            Phase.AFTER_48_HOURS,
            Phase.ONGOING,
        ] == [s.phase for s in plan.steps]

    def test_cold_pack_timing(self) -> None:
        """
        Cold: 12-15 minutes every couple of hours for the first two days.
        """
        assert (
            Schedule(
                minutes_min=12, minutes_max=15, every_hours=2, for_hours=48
            )
            == COLD_PACK.schedule
        )
        assert "limited evidence" in COLD_PACK.evidence.lower()

    def test_bed_rest_is_brief_relative_rest(self) -> None:
        """
        The article's "couple of days' rest" became brief relative rest
        with walking from day 1 (Cochrane, NICE).
        """
        assert "avoid bed rest" in KEEP_MOVING.instructions
        assert "dahm-2010" in {c.key for c in KEEP_MOVING.citations}

    def test_no_supplements_and_no_paracetamol_alone(self) -> None:
        """
        Guidelines over the article: no supplements, no paracetamol alone.
        """
        medicine = next(
            s for s in SELF_CARE_STEPS if s.kind is StepKind.MEDICINE
        )

        assert "not recommended" in medicine.instructions
        assert any("supplements" in c for c in medicine.cautions)
        assert any("maximum dose" in c for c in medicine.cautions)

    def test_every_step_cites_evidence(self) -> None:
        """
        Each step has an evidence note and at least one citation.
        """
        for step in _plan(plain_strain()).steps:
            assert step.evidence
            assert step.citations

    def test_safety_net_lists_the_warning_signs(self) -> None:
        """
        The safety net names doctor-level and emergency-level signs and
        says what to do if things get worse.
        """
        net = _plan(plain_strain()).safety_net

        assert any("leak pee or poo" in s for s in net.emergency)
        assert any("chest pain" in s for s in net.emergency)
        assert any("no better after 4 weeks" in s for s in net.see_doctor)
        assert any("A leg or foot gets weak" in s for s in net.same_day)
        assert any("fever" in s for s in net.same_day)
        assert net.if_worse.startswith("If you get worse")

    def test_prevention_and_notice(self) -> None:
        """
        Prevention advice and the "not a diagnosis" notice are included.
        """
        plan = _plan(plain_strain())

        assert any("lifting" in p for p in plan.prevention)
        assert "not a diagnosis" in plan.notice

    def test_numbness_adds_a_caution_to_heat_and_cold(self) -> None:
        """
        Reported numbness puts an extra caution first on heat and cold.
        """
        plan = _plan(with_present(plain_strain(), "leg_pain_numbness"))

        for step in plan.steps:
            if step.kind in {StepKind.HEAT, StepKind.COLD}:
                assert "numb" in step.cautions[0]

    @pytest.mark.parametrize(
        ("age", "cautioned"), [(64, False), (65, True), (66, True)]
    )
    def test_age_65_adds_a_medicine_caution(
        self, age: int, cautioned: bool
    ) -> None:
        """
        At 65 or over (65 itself included), the medicine step starts with a
        pharmacist caution; at 64 it does not.
        """
        caution = (
            "You are 65 or over. Ask a pharmacist or doctor before you take "
            "ibuprofen or a painkiller like it."
        )

        plan = _plan(plain_strain(age_years=age))

        medicine = next(s for s in plan.steps if s.kind is StepKind.MEDICINE)
        assert cautioned is (caution in medicine.cautions)
        assert cautioned is (caution == medicine.cautions[0])


class TestReferralPlans:
    """
    When a referral is needed it is the first step.
    """

    def test_emergency_plan_starts_with_it_and_holds_no_self_care(
        self,
    ) -> None:
        """
        A cauda equina feature: the referral first, then interim advice.
        """
        plan = _plan(with_present(plain_strain(), "saddle_numbness"))

        assert Urgency.EMERGENCY == plan.level
        assert [StepKind.REFERRAL, StepKind.INTERIM] == [
            s.kind for s in plan.steps
        ]
        referral = plan.referral
        assert referral is not None
        assert "emergency department" in referral.title
        assert "You said you have numbness" in referral.instructions
        assert "Possible cauda equina syndrome" in referral.evidence
        assert "Now." == referral.timing

    def test_routine_plan_keeps_self_care_after_the_referral(self) -> None:
        """
        Severe pain: see a doctor within days, self-care meanwhile.
        """
        plan = _plan(plain_strain(pain_score=8))

        assert StepKind.REFERRAL is plan.steps[0].kind
        assert "Within the next few days." == plan.steps[0].timing
        assert StepKind.COLD in {s.kind for s in plan.steps}

    def test_incomplete_plan_names_the_questions(self) -> None:
        """
        Incomplete screening: the first step asks for the missing answers.
        """
        plan = _plan(plain_strain(pain_score=None))

        assert not plan.screening_complete
        assert StepKind.REFERRAL is plan.steps[0].kind
        assert (
            "We still need to ask about: Pain score."
            in plan.steps[0].instructions
        )
        assert "pain_score" not in plan.steps[0].instructions
        assert "not been answered" in plan.steps[0].title

    @pytest.mark.parametrize(
        ("field", "expected"),
        [
            ("assessment", "an Assessment"),
            ("escalation", "an Escalation"),
            ("region", "a Region"),
        ],
    )
    def test_wrong_types(self, field: str, expected: str) -> None:
        """
        plan_care() refuses arguments of the wrong type by name, with
        the value given and the type expected.
        """
        a = Assessment()
        arguments: dict[str, object] = {
            "assessment": a,
            "escalation": evaluate(a),
            "region": REGIONS["uk"],
        }
        wrong = ["not", field]
        arguments[field] = wrong

        with pytest.raises(InvalidTypeError) as e:
            plan_care(**arguments)  # type: ignore[arg-type]

        assert field == e.value.field
        assert wrong is e.value.value
        assert expected == e.value.expected
        assert f"expected {expected}, got list" in str(e.value)


class TestReferralStep:
    """
    The referral step word for word: its title, what it says to do, its
    evidence and citations (the incomplete screening's, and each fired
    rule's, once, most urgent first), and each rule's advice, filled in
    for the region.
    """

    def test_incomplete_screening(self) -> None:
        a = Assessment()
        escalation = evaluate(a)

        step = plan_care(a, escalation).steps[0]

        assert ("referral", Phase.NOW, StepKind.REFERRAL) == (
            step.id,
            step.phase,
            step.kind,
        )
        assert escalation.action == step.title
        assert step.instructions.startswith(
            escalation.action + " We still need to ask about: "
        )
        assert (
            "An unanswered safety question is never read as 'no'; until it "
            "is answered, self-care cannot be recommended."
        ) == step.evidence
        assert ("nhs-back-pain",) == tuple(c.key for c in step.citations)
        assert escalation.timeframe == step.timing

    def test_each_fired_rule_once_most_urgent_first(self) -> None:
        a = with_present(plain_strain(), "fever", "incontinence")
        escalation = evaluate(a)
        fired = escalation.fired
        assert [
            "cauda_equina",
            "spinal_infection_severe",
            "spinal_infection",
        ] == [f.rule.id for f in fired]

        step = plan_care(a, escalation).steps[0]

        assert (
            "Go to the emergency department now. If you cannot get there "
            "safely, call an ambulance on 999."
        ) == step.title
        assert (
            step.title + " You said you have started to leak pee or poo. "
            "You also said you have a fever or chills."
        ) == step.instructions
        assert (
            "; ".join(
                f"{f.rule.id} ({f.rule.title}): {f.rule.rationale}"
                for f in fired
            )
            == step.evidence
        )
        keys = [c.key for f in fired for c in f.citations]
        assert list(dict.fromkeys(keys)) == [c.key for c in step.citations]
        assert len(keys) > len(step.citations)  # shared ones once
        assert "Now." == step.timing

    def test_advice_once_and_filled_for_the_region(self) -> None:
        a = with_present(plain_strain(), "pregnant", "contractions")
        escalation = evaluate(a)
        assert ["pregnancy_warning_signs"] == [
            f.rule.id for f in escalation.fired
        ]

        step = plan_care(a, escalation, region=REGIONS["us"]).steps[0]

        title = (
            "Go to the emergency room (ER) now. If you cannot get there "
            "safely, call an ambulance on 911."
        )
        assert title == step.title
        assert (
            f"{title} Because you are pregnant, call your maternity unit or "
            "midwife now: they may ask you to go straight to the maternity "
            "unit. If you cannot reach them, go to the emergency room (ER). "
            "You said you are or could be pregnant. You also said your bump "
            "or tummy tightens on and off."
        ) == step.instructions


class TestValidation:
    """
    Plans and steps that break the rules cannot be built.
    """

    def _plan_with(self, level: Urgency, *steps: Step) -> CarePlan:
        return CarePlan(
            level=level,
            screening_complete=True,
            steps=steps,
            prevention=(),
            safety_net=SafetyNet(
                emergency=(), same_day=(), see_doctor=(), if_worse="w"
            ),
            notice="n",
        )

    def test_heat_without_skin_safety_fails(self) -> None:
        """
        A heat or cold step without every skin-safety caution is refused.
        """
        with pytest.raises(InvalidValueError, match="skin-safety"):
            attrs.evolve(COLD_PACK, cautions=SKIN_SAFETY_CAUTIONS[1:])

    def test_referral_must_come_first(self) -> None:
        """
        A referral-level plan must start with the referral.
        """
        with pytest.raises(InvalidValueError, match="first step"):
            self._plan_with(Urgency.URGENT, COLD_PACK)

    def test_self_care_plan_holds_no_referral(self) -> None:
        """
        A self-care plan cannot contain a referral.
        """
        referral = _plan(plain_strain(pain_score=8)).steps[0]

        with pytest.raises(InvalidValueError, match="no referral"):
            self._plan_with(Urgency.SELF_CARE, referral)

    def test_emergency_plan_holds_no_self_care(self) -> None:
        """
        An emergency plan cannot contain a self-care step.
        """
        referral = _plan(with_present(plain_strain(), "chest_pain")).steps[0]

        with pytest.raises(InvalidValueError, match="only the referral"):
            self._plan_with(Urgency.AMBULANCE, referral, COLD_PACK)

    def test_empty_plan_fails(self) -> None:
        """
        A plan needs at least one step.
        """
        with pytest.raises(InvalidValueError, match="must not be empty"):
            self._plan_with(Urgency.SELF_CARE)

    @pytest.mark.parametrize(
        ("changes", "error"),
        [
            ({"minutes_min": 0}, InvalidValueError),
            ({"minutes_max": 5}, InvalidValueError),
            ({"every_hours": -1}, InvalidValueError),
            ({"for_hours": "48"}, InvalidTypeError),
            ({"minutes_min": 1.5}, InvalidTypeError),
        ],
    )
    def test_bad_schedules(
        self, changes: dict[str, object], error: type[Exception]
    ) -> None:
        """
        Schedules need positive whole numbers with min <= max.
        """
        fields: dict[str, object] = {"minutes_min": 10, "minutes_max": 20}
        fields.update(changes)

        with pytest.raises(error):
            Schedule(**fields)  # type: ignore[arg-type]

    @pytest.mark.parametrize(
        ("changes", "error"),
        [
            ({"title": " "}, InvalidValueError),
            ({"title": 3}, InvalidTypeError),
            ({"timing": ""}, InvalidValueError),
            ({"cautions": ("",)}, InvalidValueError),
            ({"cautions": "x"}, InvalidTypeError),
            ({"citations": ()}, InvalidValueError),
            ({"citations": ("NICE",)}, InvalidTypeError),
            ({"phase": "now"}, InvalidTypeError),
        ],
    )
    def test_bad_steps(
        self, changes: dict[str, object], error: type[Exception]
    ) -> None:
        """
        Steps validate every field, naming it.
        """
        with pytest.raises(error, match="Step"):
            attrs.evolve(KEEP_MOVING, **changes)  # type: ignore[arg-type]
