# SPDX-License-Identifier: MIT
"""
plan_care(): from an escalation to a care plan.
"""

from __future__ import annotations

import functools

import attrs

from . import _citations as src
from ._careplan import (
    CarePlan,
    PertinentNegative,
    Phase,
    Reason,
    SafetyNet,
    Step,
    StepKind,
)
from ._evaluate import NOT_A_DIAGNOSIS, Escalation
from ._findings import QUESTIONS
from ._model import Answer, Assessment
from ._rules import RuleSet
from ._safetynet import safety_nets
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
    "You are 65 or over. Ask a pharmacist or doctor before you take "
    "ibuprofen or a painkiller like it."
)
#: What to do if things get worse, at each level of the plan.
_IF_WORSE = {
    Urgency.SELF_CARE: (
        "If you get worse, or you are worried, contact a doctor or call "
        "your urgent care or out-of-hours service. In an emergency, call "
        "an ambulance."
    ),
    Urgency.ROUTINE: (
        "If you get worse before your appointment, see a doctor sooner. Or "
        "call your urgent care or out-of-hours service."
    ),
    Urgency.URGENT: (
        "If you get worse before you see a doctor, call your urgent care "
        "or out-of-hours service. In an emergency, call an ambulance."
    ),
    Urgency.EMERGENCY: "If you get worse on the way, call an ambulance.",
    Urgency.AMBULANCE: "If you get worse while you wait, call again.",
}

#: The stratified-care step for each STarT Back risk that needs one.
_STRATIFIED = {
    StartBackRisk.MEDIUM: EXERCISE_PROGRAMME,
    StartBackRisk.HIGH: EXERCISE_PROGRAMME_PSYCHOLOGICAL,
}

#: What to do while waiting or on the way, at each emergency level.
_INTERIM = {
    Urgency.AMBULANCE: Step(
        id="while_you_wait",
        phase=Phase.NOW,
        kind=StepKind.INTERIM,
        title="While you wait for the ambulance",
        instructions=(
            "Stay where you are and rest. If you were hurt in a fall or "
            "accident, try not to move. Ask someone to stay with you, and "
            "unlock the door if you can. Have a list of your medicines "
            "ready. If you get worse while you wait, call again."
        ),
        evidence="Ambulance-level warning signs need help where the person "
        "is; general first aid keeps a possible spinal injury still.",
        citations=(src.NHS_BACK_PAIN,),
    ),
    Urgency.EMERGENCY: Step(
        id="on_the_way",
        phase=Phase.NOW,
        kind=StepKind.INTERIM,
        title="On the way to the emergency department",
        instructions=(
            "Do not drive yourself. Ask someone to take you. If you cannot "
            "get there safely, call an ambulance. Take a list of your "
            "medicines and this summary with you. If you get worse on the "
            "way, call an ambulance."
        ),
        evidence="Emergency-level warning signs need assessment now; "
        "nothing at home should delay it.",
        citations=(src.NHS_BACK_PAIN,),
    ),
}


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
    person under 16: the steps are written for adults). The safety net is short and matched to the
    level: a self-care plan lists at most 8 warning signs, grouped by how
    urgent they are; a referral lists the signs that mean going sooner; an
    emergency plan lists none, and no prevention advice, so that nothing
    competes with getting help. Every plan says what to do if things get
    worse, and why both ways: the rules that fired, in the person's words
    (:attr:`CarePlan.reasons`), and the red-flag questions answered "no"
    (:attr:`CarePlan.ruled_out`).

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
    reasons = _reasons(escalation)
    steps: list[Step] = []
    if escalation.referral_required:
        steps.append(_referral(escalation, reasons))
    if start_back is not None and not isinstance(start_back, StartBackScore):
        raise InvalidTypeError("start_back", start_back, "a StartBackScore")
    if level >= Urgency.EMERGENCY:
        steps.append(_INTERIM[level])
    elif not any(f.rule.withholds_self_care for f in escalation.fired):
        # (Otherwise outside the self-care plan's range: the referral alone.)
        steps.extend(_self_care(assessment))
        if start_back is not None and start_back.risk in _STRATIFIED:
            steps.append(_STRATIFIED[start_back.risk])
    # The same for every plan from a rule set: made once per rule set.
    nets = escalation.rule_set._cached(_safety_nets)  # noqa: SLF001
    return CarePlan(
        level=level,
        screening_complete=escalation.screening_complete,
        steps=tuple(steps),
        prevention=PREVENTION if level < Urgency.EMERGENCY else (),
        safety_net=nets[level],
        notice=NOT_A_DIAGNOSIS,
        reasons=reasons,
        ruled_out=_ruled_out(assessment, escalation.rule_set),
    )


def _said(question: str, value: Answer | int) -> str:
    said = QUESTIONS[question].said
    return said.format(value=value) if isinstance(value, int) else said


def _you_said(said: tuple[str, ...]) -> str:
    """
    "You said A. You also said B.": one short sentence each.
    """
    first, *rest = said
    return " ".join(
        (f"You said {first}.", *(f"You also said {part}." for part in rest))
    )


#: How many of the questions still to ask a referral names.
_NAMED = 5


def _still_to_ask(unanswered: tuple[str, ...]) -> str:
    """
    "We still need to ask about: Pain score. Age." (at most five named).
    """
    named = " ".join(
        f"{QUESTIONS[q].label[0].upper()}{QUESTIONS[q].label[1:]}."
        for q in unanswered[:_NAMED]
    )
    more = len(unanswered) - _NAMED
    tail = f" And {more} more." if more > 0 else ""
    return f"We still need to ask about: {named}{tail}"


def _reasons(escalation: Escalation) -> tuple[Reason, ...]:
    reasons = []
    for fired in escalation.fired:
        said = tuple(
            dict.fromkeys(_said(f.question, f.value) for f in fired.facts)
        )
        reasons.append(
            Reason(
                rule=fired.id,
                level=fired.urgency,
                said=said,
                text=_you_said(said),
            )
        )
    return tuple(reasons)


def _ruled_out(
    assessment: Assessment, rules: RuleSet
) -> tuple[PertinentNegative, ...]:
    flags = rules._cached(_red_flag_negatives)  # noqa: SLF001
    absent = {
        s.finding for s in assessment.symptoms if s.answer is Answer.ABSENT
    }
    return tuple(negative for q, negative in flags if q in absent)


def _red_flag_negatives(
    rules: RuleSet,
) -> tuple[tuple[str, PertinentNegative], ...]:
    """
    Each red-flag question of *rules*, in catalogue order, with its
    pertinent negative (immutable, so made once per rule set).
    """
    return tuple(
        (q.id, PertinentNegative(question=q.id, label=q.label))
        for q in QUESTIONS.values()
        if q.id in rules.red_flags
    )


def _referral(escalation: Escalation, reasons: tuple[Reason, ...]) -> Step:
    if escalation.fired:
        # Each thing the person said, once, however many rules it fired.
        said = tuple(dict.fromkeys(s for r in reasons for s in r.said))
        why = _you_said(said)
        evidence = "; ".join(
            f"{f.id} ({f.rule.title}): {f.rule.rationale}"
            for f in escalation.fired
        )
        citations = tuple(
            dict.fromkeys(c for f in escalation.fired for c in f.citations)
        )
    else:
        why = _still_to_ask(escalation.unanswered)
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


def _safety_nets(rules: RuleSet) -> dict[Urgency, SafetyNet]:
    return safety_nets(rules, _IF_WORSE)
