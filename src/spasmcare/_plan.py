# SPDX-License-Identifier: MIT
"""
plan_care(): from an escalation to a care plan.
"""

from __future__ import annotations

import functools
import itertools
import operator
from collections.abc import Callable, Mapping
from typing import cast

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
from ._citations import Citation
from ._evaluate import NOT_A_DIAGNOSIS, Escalation
from ._findings import QUESTIONS
from ._fired import FiredRule
from ._i18n import N_
from ._model import Answer, Assessment
from ._region import UK, Region
from ._rules import Rule, RuleSet
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

_NUMBNESS_CAUTION = N_(
    "You told us about numbness or tingling: do not put heat or cold on "
    "any area that feels numb."
)
#: NSAID caution age (CLINICAL.md section 3, general pharmacology).
_NSAID_CAUTION_AGE = 65
_AGE_CAUTION = N_(
    "You are 65 or over. Ask a pharmacist or doctor before you take "
    "ibuprofen or a painkiller like it."
)
#: What to do if things get worse, at each level of the plan.
_IF_WORSE = {
    Urgency.SELF_CARE: (
        N_(
            "If you get worse, or you are worried, contact a doctor or "
            "{urgent_help}. In an emergency, call {emergency_number}."
        )
    ),
    Urgency.ROUTINE: (
        N_(
            "If you get worse before your appointment, see a doctor sooner. Or "
            "{urgent_help}."
        )
    ),
    Urgency.URGENT: (
        N_(
            "If you get worse before you see a doctor, {urgent_help}. In an "
            "emergency, call {emergency_number}."
        )
    ),
    Urgency.EMERGENCY: N_(
        "If you get worse on the way, call {emergency_number}."
    ),
    Urgency.AMBULANCE: (
        N_("If you get worse while you wait, call {emergency_number} again.")
    ),
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
        title=N_("While you wait for the ambulance"),
        instructions=(
            N_(
                "Stay where you are and rest. If you were hurt in a fall or "
                "accident, try not to move. Ask someone to stay with you, and "
                "unlock the door if you can. Have a list of your medicines "
                "ready. If you get worse while you wait, call {emergency_number} "
                "again."
            )
        ),
        evidence="Ambulance-level warning signs need help where the person "
        "is; general first aid keeps a possible spinal injury still.",
        citations=(src.NHS_BACK_PAIN,),
    ),
    Urgency.EMERGENCY: Step(
        id="on_the_way",
        phase=Phase.NOW,
        kind=StepKind.INTERIM,
        title=N_("On the way to {emergency_department}"),
        instructions=(
            N_(
                "Do not drive yourself. Ask someone to take you. If you cannot "
                "get there safely, call an ambulance on {emergency_number}. "
                "Take a list of your medicines and this summary with you. If you "
                "get worse on the way, call {emergency_number}."
            )
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
    region: Region = UK,
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
        region: Where the person is: the emergency number and the
            services every patient string names (the UK by default; see
            :data:`spasmcare.REGIONS`).

    Returns:
        The care plan.

    Raises:
        InvalidTypeError: An argument has the wrong type.
        MismatchError: *escalation* was computed from another assessment
            (its cautions would be wrong).

    >>> from spasmcare import Assessment, evaluate
    >>> a = Assessment.from_answers({"chest_pain": True})
    >>> plan_care(a, evaluate(a)).steps[0].title
    'Call an ambulance now on 999.'
    >>> from spasmcare import REGIONS
    >>> plan_care(a, evaluate(a), region=REGIONS["us"]).steps[0].title
    'Call an ambulance now on 911.'

    .. versionadded:: 0.1.0
    """
    if not isinstance(assessment, Assessment):
        raise InvalidTypeError("assessment", assessment, "an Assessment")
    if not isinstance(escalation, Escalation):
        raise InvalidTypeError("escalation", escalation, "an Escalation")
    if not isinstance(region, Region):
        raise InvalidTypeError("region", region, "a Region")
    if escalation.assessment is not assessment and (
        escalation.assessment != assessment
    ):
        raise MismatchError(
            "escalation",
            escalation.id,
            "was computed from another assessment; pass the escalation "
            "that evaluate() gave for this one",
        )
    key = _key(assessment, escalation, start_back, region)
    if key is None:
        return _build(assessment, escalation, start_back, region)
    plans = escalation.rule_set._cached(_plans)  # noqa: SLF001
    return plans(_Inputs(key, (assessment, escalation, start_back, region)))


#: How many plans each rule set keeps, the least recently used going
#: first: a plain strain's few plans are asked for again and again, and
#: each plan is some kilobytes of shared, immutable objects.
PLANS_KEPT = 1024


def _key(
    assessment: Assessment,
    escalation: Escalation,
    start_back: StartBackScore | None,
    region: Region,
) -> tuple[object, ...] | None:
    """
    Everything :func:`_build` reads from its arguments, as a hashable
    key (with the rule set, whose cache holds it); ``None`` when that
    cannot be told honestly and the plan is built afresh: a subclass
    that may read differently, a fired rule that is not the rule set's
    own, or a *start_back* that is no score (the build raises).
    """
    if (
        type(escalation) is not Escalation
        or type(assessment) is not Assessment
        or type(region) is not Region
    ):
        return None
    if start_back is None:
        risk = None
    elif type(start_back) is StartBackScore:
        risk = start_back.risk
    else:
        return None
    rules = escalation.rule_set
    own = rules._by_id  # noqa: SLF001
    fired: list[tuple[object, ...]] = []
    for f in escalation.fired:
        rule = f.rule
        if type(f) is not FiredRule or own.get(rule.id) is not rule:
            return None
        # The type too: True == 1, but a number reads as a number.
        fired.append(
            (rule.id, *((x.question, type(x.value), x.value) for x in f.facts))
        )
    answers = assessment._answers  # noqa: SLF001
    unanswered = escalation.unanswered
    questions, _ = rules._cached(_red_flag_negatives)  # noqa: SLF001
    age = assessment.age_years
    return (
        escalation.level,
        tuple(fired),
        # All that the plan reads of them: whether screening is complete,
        # and the first few questions still to ask, and how many.
        unanswered[:_NAMED],
        len(unanswered),
        # What _self_care_facts reads, from the same answers.
        any(answers.get(f) is Answer.PRESENT for f in _NUMBNESS),
        age is not None and age >= _NSAID_CAUTION_AGE,
        answers.get("pregnant") is Answer.PRESENT,
        _absent(answers, questions),
        risk,
        region,
    )


def _absent(
    answers: Mapping[str, Answer], questions: tuple[str, ...]
) -> tuple[bool, ...]:
    """
    Whether each of *questions* was answered "no" (at C speed).
    """
    return tuple(map(operator.is_, map(answers.get, questions), _ABSENT))


#: Where the key holds what _self_care_facts and _absent give.
_ADAPTED = slice(4, 7)
_ABSENT_AT = 7

#: Answer.ABSENT, as often as there are questions.
_ABSENT = itertools.repeat(Answer.ABSENT)


_Arguments = tuple[Assessment, Escalation, StartBackScore | None, Region]


class _Inputs:
    """
    A plan's key, and the arguments to build it from on a miss
    (let go once it is built, so that the cache keeps no assessment).
    """

    __slots__ = ("_hash", "arguments", "key")

    def __init__(self, key: tuple[object, ...], arguments: _Arguments) -> None:
        self.key = key
        self._hash = hash(key)
        self.arguments: _Arguments | None = arguments

    def __hash__(self) -> int:
        return self._hash

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Inputs) and self.key == other.key


def _plans(_rules: RuleSet) -> Callable[[_Inputs], CarePlan]:
    """
    A bounded cache of the plans made with a rule set (one per rule set,
    so that the key need not hash the rules).
    """

    @functools.lru_cache(maxsize=PLANS_KEPT)
    def plan(inputs: _Inputs) -> CarePlan:
        # A miss: *inputs* is the caller's own, arguments and all; what
        # the key already read of the assessment is not read again.
        key = inputs.key
        built = _build(
            *cast("_Arguments", inputs.arguments),
            adapted=cast("tuple[bool, bool, bool]", key[_ADAPTED]),
            absent=cast("tuple[bool, ...]", key[_ABSENT_AT]),
        )
        inputs.arguments = None
        return built

    return plan


def _build(
    assessment: Assessment,
    escalation: Escalation,
    start_back: StartBackScore | None,
    region: Region,
    *,
    adapted: tuple[bool, bool, bool] | None = None,
    absent: tuple[bool, ...] | None = None,
) -> CarePlan:
    """
    The plan, built afresh from checked arguments (with what the key read
    of the assessment, when it did: :func:`_self_care_facts` and
    :func:`_absent` of its red flags).
    """
    level = escalation.level
    reasons = _reasons(escalation)
    steps: list[Step] = []
    if escalation.referral_required:
        steps.append(_referral(escalation, reasons, region))
    if start_back is not None and not isinstance(start_back, StartBackScore):
        raise InvalidTypeError("start_back", start_back, "a StartBackScore")
    if level >= Urgency.EMERGENCY:
        steps.append(_interim(level, region))
    elif not any(f.rule.withholds_self_care for f in escalation.fired):
        # (Otherwise outside the self-care plan's range: the referral alone.)
        steps.extend(
            _adapted_self_care(*(adapted or _self_care_facts(assessment)))
        )
        if start_back is not None and start_back.risk in _STRATIFIED:
            steps.append(_STRATIFIED[start_back.risk])
    # The same for every plan from a rule set: made once per rule set.
    nets = escalation.rule_set._cached(_safety_nets)  # noqa: SLF001
    return CarePlan(
        level=level,
        screening_complete=escalation.screening_complete,
        steps=tuple(steps),
        prevention=PREVENTION if level < Urgency.EMERGENCY else (),
        safety_net=_filled_net(nets[level], region),
        notice=NOT_A_DIAGNOSIS,
        reasons=reasons,
        ruled_out=_ruled_out(assessment, escalation.rule_set, absent),
        region=region,
        action=_action(escalation, region),
    )


def _action(escalation: Escalation, region: Region) -> str:
    """
    The escalation's action, with *region*'s number and services.
    """
    return _regional_action(escalation.action, escalation.level, region)


@functools.lru_cache(maxsize=256)  # a few texts at each level and region
def _regional_action(action: str, level: Urgency, region: Region) -> str:
    if not action.startswith(level.action):
        return action  # screening incomplete: no number in it
    more = action.removeprefix(level.action)
    return level.action_in(region) + more


@functools.lru_cache(maxsize=64)  # a few regions and levels; immutable
def _interim(level: Urgency, region: Region) -> Step:
    step = _INTERIM[level]
    return attrs.evolve(
        step,
        title=region.fill(step.title),
        instructions=region.fill(step.instructions),
    )


@functools.lru_cache(maxsize=64)  # a few rule sets, regions and levels
def _filled_net(net: SafetyNet, region: Region) -> SafetyNet:
    return SafetyNet(
        emergency=tuple(region.fill(s) for s in net.emergency),
        same_day=tuple(region.fill(s) for s in net.same_day),
        see_doctor=tuple(region.fill(s) for s in net.see_doctor),
        if_worse=region.fill(net.if_worse),
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
        (
            _YOU_SAID.replace("{said}", first),
            *(_YOU_ALSO_SAID.replace("{said}", part) for part in rest),
        )
    )


_YOU_SAID = N_("You said {said}.")
_YOU_ALSO_SAID = N_("You also said {said}.")


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
    text = _STILL_TO_ASK.replace("{questions}", named)
    if more > 0:
        text += " " + _AND_MORE.replace("{count}", str(more))
    return text


_STILL_TO_ASK = N_("We still need to ask about: {questions}")
_AND_MORE = N_("And {count} more.")


def _reasons(escalation: Escalation) -> tuple[Reason, ...]:
    return tuple(
        _reason(
            fired.id,
            fired.urgency,
            tuple(
                dict.fromkeys(_said(f.question, f.value) for f in fired.facts)
            ),
        )
        for fired in escalation.fired
    )


@functools.lru_cache(maxsize=1024)  # immutable; rules and what was said
def _reason(rule: str, level: Urgency, said: tuple[str, ...]) -> Reason:
    return Reason(rule=rule, level=level, said=said, text=_you_said(said))


def _ruled_out(
    assessment: Assessment,
    rules: RuleSet,
    absent: tuple[bool, ...] | None = None,
) -> tuple[PertinentNegative, ...]:
    questions, negatives = rules._cached(_red_flag_negatives)  # noqa: SLF001
    if absent is None:
        absent = _absent(assessment._answers, questions)  # noqa: SLF001
    return tuple(itertools.compress(negatives, absent))


def _red_flag_negatives(
    rules: RuleSet,
) -> tuple[tuple[str, ...], tuple[PertinentNegative, ...]]:
    """
    The red-flag questions of *rules*, in catalogue order, and their
    pertinent negatives (immutable, so made once per rule set).
    """
    questions = tuple(q for q in QUESTIONS if q in rules.red_flags)
    return questions, tuple(
        PertinentNegative(question=q, label=QUESTIONS[q].label)
        for q in questions
    )


def _referral(
    escalation: Escalation, reasons: tuple[Reason, ...], region: Region
) -> Step:
    if escalation.fired:
        # Each thing the person said, once, however many rules it fired.
        said = tuple(dict.fromkeys(s for r in reasons for s in r.said))
        why = _you_said(said)
    else:
        why = _still_to_ask(escalation.unanswered)
    if all(type(f) is FiredRule for f in escalation.fired):
        # What follows from the rules alone, made once for each set of
        # fired rules and region.
        evidence, citations, advice = _rule_parts(
            tuple(f.rule for f in escalation.fired), region
        )
    else:
        evidence, citations, advice = _fired_parts(escalation.fired, region)
    action = _action(escalation, region)
    return _referral_step(
        # Without a fired rule, a referral means screening is incomplete:
        # the escalation's action says so.
        escalation.level.action_in(region)
        if escalation.fired
        else escalation.action,
        " ".join(part for part in (action, advice, why) if part),
        escalation.timeframe,
        evidence,
        citations,
    )


@functools.lru_cache(maxsize=256)  # rules and regions are immutable
def _rule_parts(
    rules: tuple[Rule, ...], region: Region
) -> tuple[str, tuple[Citation, ...], str]:
    return _fired_parts(
        tuple(FiredRule(rule=rule, facts=()) for rule in rules), region
    )


def _fired_parts(
    fired: tuple[FiredRule, ...], region: Region
) -> tuple[str, tuple[Citation, ...], str]:
    """
    The referral's evidence, citations and advice, from its fired rules.
    """
    if not fired:
        return (
            (
                "An unanswered safety question is never read as 'no'; until "
                "it is answered, self-care cannot be recommended."
            ),
            (src.NHS_BACK_PAIN,),
            "",
        )
    evidence = "; ".join(
        f"{f.id} ({f.rule.title}): {f.rule.rationale}" for f in fired
    )
    citations = tuple(dict.fromkeys(c for f in fired for c in f.citations))
    advice = " ".join(
        dict.fromkeys(
            region.fill(f.rule.advice) for f in fired if f.rule.advice
        )
    )
    return evidence, citations, advice


@functools.lru_cache(maxsize=1024)  # immutable; made from its texts alone
def _referral_step(
    title: str,
    instructions: str,
    timing: str,
    evidence: str,
    citations: tuple[Citation, ...],
) -> Step:
    return Step(
        id="referral",
        phase=Phase.NOW,
        kind=StepKind.REFERRAL,
        title=title,
        instructions=instructions,
        timing=timing,
        evidence=evidence,
        citations=citations,
    )


def _self_care_facts(assessment: Assessment) -> tuple[bool, bool, bool]:
    """
    What the self-care steps are adapted to: numbness, age 65 or over,
    pregnancy.
    """
    numb = any(assessment.answer(f) is Answer.PRESENT for f in _NUMBNESS)
    age = assessment.age_years
    older = age is not None and age >= _NSAID_CAUTION_AGE
    # Unknown keeps the usual medicine step, whose cautions already say to
    # ask a pharmacist first when pregnant.
    pregnant = assessment.answer("pregnant") is Answer.PRESENT
    return numb, older, pregnant


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
