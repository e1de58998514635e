# SPDX-License-Identifier: MIT
"""
plan_care(): from an escalation to a care plan.
"""

from __future__ import annotations

import functools

import attrs

from . import _citations as src
from ._careplan import CarePlan, Phase, SafetyNet, Step, StepKind
from ._evaluate import NOT_A_DIAGNOSIS, Escalation
from ._model import Answer, Assessment
from ._rules import RuleSet
from ._selfcare import (
    EXERCISE_PROGRAMME,
    EXERCISE_PROGRAMME_PSYCHOLOGICAL,
    PREGNANCY_HEAT_CAUTION,
    PREGNANCY_PAIN_RELIEF,
    PREVENTION,
    SELF_CARE_STEPS,
)
from ._startback import StartBackRisk, StartBackScore
from ._urgency import Urgency
from .exceptions import InvalidTypeError, MismatchError

__all__ = ["plan_care"]

#: Findings that mean reduced feeling somewhere: heat and cold need care.
_NUMBNESS = ("saddle_numbness", "both_legs", "leg_pain_numbness")

_NUMBNESS_CAUTION = (
    "You told us about numbness or tingling: do not put heat or cold on "
    "any area that feels numb."
)
#: NSAID caution age (CLINICAL.md section 3, general pharmacology).
_NSAID_CAUTION_AGE = 65
_AGE_CAUTION = (
    "You are 65 or over: ask a pharmacist or doctor before taking "
    "anti-inflammatory painkillers."
)
_WORSE = (
    "If you get worse, or you are worried, contact a doctor, call your "
    "urgent care or out-of-hours service, or in an emergency call an "
    "ambulance."
)

#: The stratified-care step for each STarT Back risk that needs one.
_STRATIFIED = {
    StartBackRisk.MEDIUM: EXERCISE_PROGRAMME,
    StartBackRisk.HIGH: EXERCISE_PROGRAMME_PSYCHOLOGICAL,
}

_INTERIM = (
    Step(
        id="while_you_get_help",
        phase=Phase.NOW,
        kind=StepKind.INTERIM,
        title="While you get help",
        instructions=(
            "Do not drive yourself. Ask someone to take you, or call an "
            "ambulance. Take a list of your medicines and this summary with "
            "you. If you get worse while waiting, call an ambulance."
        ),
        evidence="Emergency-level warning signs need assessment now; "
        "nothing at home should delay it.",
        citations=(src.NHS_BACK_PAIN,),
    ),
)


def plan_care(
    assessment: Assessment,
    escalation: Escalation,
    *,
    start_back: StartBackScore | None = None,
) -> CarePlan:
    """
    Turn an escalation into a plan a person can follow.

    When a referral is needed it is the first step, with its timeframe and
    reasons. At emergency and ambulance levels the plan holds only the
    referral and safe interim advice, so that nothing delays care.
    Otherwise the self-care steps follow, adapted to the assessment
    (numbness, age, pregnancy), unless a fired rule withholds them (a
    person under 16: the steps are written for adults), and the safety net lists every warning sign from the
    rule set, so a person knows what to do if things get worse.

    With a STarT Back score from a clinician (*start_back*), a medium or
    high risk adds stratified care after the self-care steps (NICE NG59
    1.1.3: an exercise programme, with a psychological approach for high
    risk); a low risk needs nothing more, since the self-care plan is the
    reassurance, activity and self-management NICE describes for it.
    Emergency plans never carry it.

    Args:
        assessment: The assessment that was evaluated.
        escalation: The result of :func:`spasmcare.evaluate` for it.
        start_back: A scored STarT Back questionnaire, if a clinician
            used one.

    Returns:
        The care plan.

    Raises:
        InvalidTypeError: An argument has the wrong type.
        MismatchError: *escalation* was computed from another assessment
            (its cautions would be wrong).

    >>> from spasmcare import Assessment, evaluate
    >>> a = Assessment.from_answers({"chest_pain": True})
    >>> plan_care(a, evaluate(a)).steps[0].title
    'Call an ambulance now (999 in the UK, 911 in the US).'

    .. versionadded:: 0.1.0
    """
    if not isinstance(assessment, Assessment):
        raise InvalidTypeError("assessment", assessment, "an Assessment")
    if not isinstance(escalation, Escalation):
        raise InvalidTypeError("escalation", escalation, "an Escalation")
    if escalation.assessment is not assessment and (
        escalation.assessment != assessment
    ):
        raise MismatchError(
            "escalation",
            escalation.id,
            "was computed from another assessment; pass the escalation "
            "that evaluate() gave for this one",
        )
    level = escalation.level
    steps: list[Step] = []
    if escalation.referral_required:
        steps.append(_referral(escalation))
    if start_back is not None and not isinstance(start_back, StartBackScore):
        raise InvalidTypeError("start_back", start_back, "a StartBackScore")
    if level >= Urgency.EMERGENCY:
        steps.extend(_INTERIM)
    elif not any(f.rule.withholds_self_care for f in escalation.fired):
        # (Otherwise outside the self-care plan's range: the referral alone.)
        steps.extend(_self_care(assessment))
        if start_back is not None and start_back.risk in _STRATIFIED:
            steps.append(_STRATIFIED[start_back.risk])
    return CarePlan(
        level=level,
        screening_complete=escalation.screening_complete,
        steps=tuple(steps),
        prevention=PREVENTION,
        # The same for every plan from a rule set: made once per rule set.
        safety_net=escalation.rule_set._cached(_safety_net),  # noqa: SLF001
        notice=NOT_A_DIAGNOSIS,
    )


def _referral(escalation: Escalation) -> Step:
    if escalation.fired:
        reasons = "; ".join(
            f"{f.rule.title} (you reported {', '.join(map(str, f.facts))})"
            for f in escalation.fired
        )
        why = f"Why: {reasons}."
        evidence = "; ".join(
            f"{f.id}: {f.rule.rationale}" for f in escalation.fired
        )
        citations = tuple(
            dict.fromkeys(c for f in escalation.fired for c in f.citations)
        )
    else:
        why = (
            "Why: these safety questions are still unanswered: "
            + ", ".join(escalation.unanswered)
            + "."
        )
        evidence = (
            "An unanswered safety question is never read as 'no'; until it "
            "is answered, self-care cannot be recommended."
        )
        citations = (src.NHS_BACK_PAIN,)
    advice = " ".join(
        dict.fromkeys(f.rule.advice for f in escalation.fired if f.rule.advice)
    )
    return Step(
        id="referral",
        phase=Phase.NOW,
        kind=StepKind.REFERRAL,
        # Without a fired rule, a referral means screening is incomplete:
        # the escalation's action says so.
        title=escalation.level.action
        if escalation.fired
        else escalation.action,
        instructions=" ".join(
            part for part in (escalation.action, advice, why) if part
        ),
        timing=escalation.timeframe,
        evidence=evidence,
        citations=citations,
    )


def _self_care(assessment: Assessment) -> tuple[Step, ...]:
    numb = any(assessment.answer(f) is Answer.PRESENT for f in _NUMBNESS)
    age = assessment.age_years
    older = age is not None and age >= _NSAID_CAUTION_AGE
    # Unknown keeps the usual medicine step, whose cautions already say to
    # ask a pharmacist first when pregnant.
    pregnant = assessment.answer("pregnant") is Answer.PRESENT
    return _adapted_self_care(numb, older, pregnant)


@functools.cache  # eight plans at most; steps are immutable, so shared
def _adapted_self_care(
    numb: bool,  # noqa: FBT001
    older: bool,  # noqa: FBT001
    pregnant: bool,  # noqa: FBT001
) -> tuple[Step, ...]:
    steps = []
    for step in SELF_CARE_STEPS:
        if pregnant and step.kind is StepKind.MEDICINE:
            step = PREGNANCY_PAIN_RELIEF  # noqa: PLW2901
        extra: tuple[str, ...] = ()
        if step.kind in {StepKind.COLD, StepKind.HEAT}:
            extra = (
                *((_NUMBNESS_CAUTION,) if numb else ()),
                *(
                    (PREGNANCY_HEAT_CAUTION,)
                    if pregnant and step.kind is StepKind.HEAT
                    else ()
                ),
            )
        elif older and step.kind is StepKind.MEDICINE:
            extra = (_AGE_CAUTION,)
        if pregnant and step.kind is StepKind.HEAT:
            step = attrs.evolve(  # noqa: PLW2901
                step,
                citations=(*step.citations, src.PREGNANCY_HEAT_SAFETY),
            )
        steps.append(
            attrs.evolve(step, cautions=(*extra, *step.cautions))
            if extra
            else step
        )
    return tuple(steps)


def _safety_net(rules: RuleSet) -> SafetyNet:
    signs: dict[Urgency, dict[str, None]] = {level: {} for level in Urgency}
    for rule in rules.rules:
        signs[rule.urgency][rule.warning_sign] = None
    return SafetyNet(
        emergency=(*signs[Urgency.AMBULANCE], *signs[Urgency.EMERGENCY]),
        same_day=tuple(signs[Urgency.URGENT]),
        see_doctor=(*signs[Urgency.ROUTINE], _WORSE),
    )
