# SPDX-License-Identifier: MIT
"""
The guided interview: which question to ask next, for forms and chatbots.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import attrs

from ._catalogue import DEFAULT_RULES
from ._evaluate import Escalation, evaluate
from ._findings import (
    FINDING_IDS,
    GROUP_OF,
    GROUPS,
    QUESTIONS,
    AnswerKind,
    Group,
    Question,
)
from ._model import Answer, Assessment
from ._rules import Rule, RuleSet
from ._urgency import Urgency
from ._validators import instance_of
from .criteria import CountAtLeast, Criterion, Present
from .exceptions import (
    InvalidTypeError,
    InvalidValueError,
    UnknownFindingError,
)

__all__ = ["Interview", "Prompt", "next_question"]


@attrs.frozen(kw_only=True)
class Prompt:
    """
    The next question to ask, and why it is asked.

    Attributes:
        id: The question id: a finding id for yes/no questions,
            the name of an :class:`~spasmcare.Assessment` field for numbers.
        label: Short noun phrase for the question.
        text: The question, in plain language.
        kind: The answer type: yes/no/don't know, or a whole number.
        minimum: Smallest allowed answer (numbers only).
        maximum: Largest allowed answer (numbers only).
        unit: Unit of the answer (numbers only).
        red_flag: The level a "yes" escalates to on its own,
            or ``None`` if the question is not a red flag.
            For a group, the most urgent of its questions' levels.
        why: Titles of the rules that read the answer, most urgent first:
            precise, for clinicians.
        purpose: Why the question is asked, in plain words, to show a
            person ("To check for an infection in or near your spine.").
        questions: The questions this prompt asks: one for a single
            question; for a group ("Do you have any of these?"),
            its questions that still matter, to show as a list.
            A group is answered with :meth:`Interview.answer` and the
            group's id: ``False`` for "none of these", ``True`` for "yes",
            ``None`` for "not sure"; after "yes" or "not sure" its
            questions come one by one (a client that can show a
            multi-select may answer them all at once instead).

    .. versionadded:: 0.1.0
    """

    id: str
    label: str
    text: str
    kind: AnswerKind
    minimum: int | None
    maximum: int | None
    unit: str | None
    red_flag: Urgency | None
    why: tuple[str, ...]
    purpose: str
    questions: tuple[Question, ...]

    @property
    def is_group(self) -> bool:
        """
        Whether the prompt asks about several questions at once.
        """
        return self.id in GROUPS


def _asked_ids(value: Any) -> frozenset[str]:
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        raise InvalidTypeError("asked", value, "an iterable of question ids")
    items = tuple(value)
    for item in items:
        if not isinstance(item, str):  # an unhashable id too (a list ...)
            raise InvalidTypeError("asked[]", item, "a question id (str)")
    ids = frozenset(items)
    for question in sorted(ids):
        if question not in QUESTIONS and question not in GROUPS:
            raise UnknownFindingError(
                "asked",
                question,
                "not a question or group id (see spasmcare.QUESTIONS "
                "and spasmcare.GROUPS)",
            )
    return ids


def _why(question_ids: Iterable[str], rules: RuleSet) -> tuple[str, ...]:
    ids = frozenset(question_ids)
    readers = sorted(
        (r for r in rules if ids & r.criterion.questions),
        key=lambda r: r.urgency.rank,
        reverse=True,
    )
    return tuple(r.title for r in readers)


def _prompt(question_id: str, rules: RuleSet) -> Prompt:
    question = QUESTIONS[question_id]
    return Prompt(
        id=question.id,
        label=question.label,
        text=question.text,
        kind=question.kind,
        minimum=question.minimum,
        maximum=question.maximum,
        unit=question.unit,
        red_flag=rules.red_flags.get(question_id),
        why=_why((question_id,), rules),
        purpose=question.purpose,
        questions=(question,),
    )


def _group_prompt(
    group: Group, members: tuple[str, ...], rules: RuleSet
) -> Prompt:
    levels = [rules.red_flags[m] for m in members if m in rules.red_flags]
    return Prompt(
        id=group.id,
        label=group.label,
        text=group.text,
        kind=AnswerKind.YES_NO,
        minimum=None,
        maximum=None,
        unit=None,
        red_flag=max(levels) if levels else None,
        why=_why(members, rules),
        purpose=group.purpose,
        questions=tuple(QUESTIONS[m] for m in members),
    )


def _next(
    assessment: Assessment,
    escalation: Escalation,
    asked: frozenset[str],
    rules: RuleSet,
) -> Prompt | None:
    candidates = _candidates(assessment, escalation, asked, rules)
    if not candidates:
        return None
    best = candidates[0]
    group = GROUP_OF.get(best)
    if group is not None and group.id not in asked:
        members = _open_members(group, candidates)
        if len(members) > 1:
            return _group_prompt(group, members, rules)
    return _prompt(best, rules)


def _open_members(
    group: Group, candidates: tuple[str, ...]
) -> tuple[str, ...]:
    """
    The group's questions among *candidates*, in the group's order.
    """
    open_ = frozenset(candidates)
    return tuple(m for m in group.members if m in open_)


def _candidates(
    assessment: Assessment,
    escalation: Escalation,
    asked: frozenset[str],
    rules: RuleSet,
) -> tuple[str, ...]:
    """
    The questions still worth asking, the one to ask next first.
    """
    listed = {s.finding for s in assessment.symptoms}
    if escalation.level >= Urgency.EMERGENCY:
        # An emergency answer ends the interview: every further question
        # delays care. The one exception is a more urgent rule that an
        # answer already given has started to meet (pregnant and bleeding,
        # and tummy pain not yet asked): its missing answers are asked, so
        # that the interview never stops one answer short of an ambulance.
        unanswered = _closer_to_more_urgent(assessment, escalation, rules)
    else:
        unanswered = escalation.unanswered
    candidates = [q for q in unanswered if q not in asked and q not in listed]
    if not candidates:
        return ()
    flags = rules.red_flags
    gates = rules._cached(_gates)  # noqa: SLF001
    # The rest of a rule that a "yes" has started to meet, at that rule's
    # level.
    started: dict[str, Urgency] = {}
    present = {
        s.finding for s in assessment.symptoms if s.answer is Answer.PRESENT
    }
    for rule_id in escalation.pending:
        rule = rules[rule_id]
        if present & rule.criterion.questions:  # a "yes" has started it
            for question in rule.criterion.unknown_questions(assessment):
                started[question] = max(
                    started.get(question, rule.urgency), rule.urgency
                )

    def order(question: str) -> int:
        # Most urgent first. At each level, its gates come first (so that
        # no group of red flags, which may hold a sign of the next level
        # down, comes before them), then its red flags, then the rest of
        # a rule a "yes" has started (a gate among them is no longer
        # first). Then the evaluator's order (the sort is stable).
        flag = -3 * flags[question].rank - 1 if question in flags else 0
        if question in started:
            return min(flag, -3 * started[question].rank)
        if question in gates:
            return min(flag, -3 * gates[question].rank - 2)
        return flag

    return tuple(sorted(candidates, key=order))


def _necessary(criterion: Criterion) -> frozenset[str]:
    """
    Questions that every way of meeting *criterion* needs answered "yes"
    (or, for a number, known): a "no" to any of them rules it out.
    """
    if isinstance(criterion, Present):
        return frozenset((criterion.finding,))
    if isinstance(criterion, CountAtLeast):
        parts = [_necessary(c) for c in criterion.criteria]
        if criterion.count == len(criterion.criteria):
            return frozenset().union(*parts)
        return frozenset.intersection(*parts)
    # AtLeast, AtMost, OnsetBefore and custom criteria: no finding is
    # necessary.
    return frozenset()


def _gates(rules: RuleSet) -> dict[str, Urgency]:
    """
    Each *gate* question and the most urgent rule it opens.

    A gate is a finding that is not a red flag but that a rule needs
    ("are you pregnant?" for the pregnancy rules), where no other finding
    the rule needs is a red flag (which would be asked first anyway).
    Asking gates early finds those rules' emergencies early, and a "no"
    to a gate spares the questions behind it.

    An ambulance rule is the exception: the red flags it needs count only
    if they are ambulance red flags too. A lower one ("tummy pain" for
    bleeding in pregnancy) would be asked after the emergency red flags,
    and an emergency answer ends the interview, so without its gates
    asked first an ambulance would be missed.
    """
    flags = rules.red_flags

    def asked_first(question: str, rule: Rule) -> bool:
        return question in flags and (
            rule.urgency is not Urgency.AMBULANCE
            or flags[question] is Urgency.AMBULANCE
        )

    gates: dict[str, Urgency] = {}
    for rule in rules:
        needed = _necessary(rule.criterion)
        if any(asked_first(q, rule) for q in needed):
            continue
        for question in needed - flags.keys():
            gates[question] = max(
                gates.get(question, rule.urgency), rule.urgency
            )
    return gates


def _closer_to_more_urgent(
    assessment: Assessment, escalation: Escalation, rules: RuleSet
) -> tuple[str, ...]:
    """
    The unknown questions of pending rules more urgent than the level
    that some present answer already partly meets, in the evaluator's order.
    """
    present = {
        s.finding for s in assessment.symptoms if s.answer is Answer.PRESENT
    }
    needed: set[str] = set()
    for rule_id in escalation.pending:
        rule = rules[rule_id]
        if rule.urgency > escalation.level and (
            present & rule.criterion.questions
        ):
            needed.update(rule.criterion.unknown_questions(assessment))
    return tuple(q for q in escalation.unanswered if q in needed)


def next_question(
    assessment: Assessment,
    *,
    asked: Iterable[str] = (),
    rules: RuleSet = DEFAULT_RULES,
) -> Prompt | None:
    """
    The question to ask next, or ``None`` when the interview is over.

    Red-flag questions come first, the most urgent first;
    then the other questions that undecided rules still need.
    A *gate*, a question a rule needs that is not a red flag, comes just
    before the red flags of its rule's level: "are you pregnant?", which
    opens an ambulance rule, is the first question.
    The interview is over when screening is complete,
    as soon as an answer calls for an emergency department or an
    ambulance, or when every question that matters has been asked
    (some may have been answered "don't know").
    After an emergency-department answer, the only questions still asked
    are those of a more urgent (ambulance) rule that a "yes" already given
    has started to meet, such as bleeding in a person who said they are
    pregnant and have tummy pain.

    A yes/no question counts as asked when *assessment* lists its
    finding, whatever the answer (an explicit :attr:`Answer.UNKNOWN` is
    "don't know"). A number left unknown cannot say that,
    so pass the ids of questions already asked in *asked*.

    Args:
        assessment: The answers so far.
        asked: Ids of questions already asked, such as numbers the person
            did not know.
        rules: The rule set to screen with.

    Returns:
        The next question, or ``None``.

    Raises:
        InvalidTypeError: An argument has the wrong type.
        UnknownFindingError: *asked* holds an unknown question id.

    >>> from spasmcare import Assessment
    >>> next_question(Assessment()).id
    'pregnant'
    >>> not_pregnant = Assessment.from_answers({"pregnant": False})
    >>> next_question(not_pregnant).id
    'group_emergency_signs'
    >>> next_question(not_pregnant, asked=["group_emergency_signs"]).id
    'major_trauma'
    >>> next_question(Assessment.from_answers({"chest_pain": True})) is None
    True

    .. versionadded:: 0.1.0
    """
    ids = _asked_ids(asked)
    escalation = evaluate(assessment, rules=rules)
    return _next(assessment, escalation, ids, rules)


@attrs.frozen(kw_only=True)
class Interview:
    """
    An interview in progress: the answers so far and what was asked.

    Each :meth:`answer` returns a new interview; nothing is changed in
    place, so an interview can be stored between a chatbot's turns.

    Attributes:
        assessment: The answers so far.
        asked: Ids of the questions asked so far.
        rules: The rule set to screen with.

    >>> interview = Interview().answer("pregnant", False)
    >>> prompt = interview.next_question()
    >>> prompt.text, [q.id for q in prompt.questions][:2]
    ('Do you have any of these?', ['major_trauma', 'chest_pain'])
    >>> interview = interview.answer(prompt.id, False)  # "none of these"
    >>> interview.assessment.answer("chest_pain")
    <Answer.ABSENT: 'absent'>

    .. versionadded:: 0.1.0
    """

    assessment: Assessment = attrs.field(
        factory=Assessment,
        validator=instance_of(Assessment, name="an Assessment"),
    )
    asked: frozenset[str] = attrs.field(
        default=frozenset(), converter=_asked_ids
    )
    rules: RuleSet = attrs.field(
        default=DEFAULT_RULES, validator=instance_of(RuleSet, name="a RuleSet")
    )

    @property
    def escalation(self) -> Escalation:
        """
        The escalation for the answers so far.
        """
        return evaluate(self.assessment, rules=self.rules)

    def next_question(self) -> Prompt | None:
        """
        The question to ask next, or ``None`` when the interview is over.

        See :func:`spasmcare.next_question`.
        """
        return _next(self.assessment, self.escalation, self.asked, self.rules)

    def answer(
        self,
        question: str,
        value: Answer | bool | int | None,  # noqa: FBT001 (the answer)
    ) -> Interview:
        """
        Record the answer to *question* and return the new interview.

        Args:
            question: A question id, or the id of the group prompt being
                asked (see :attr:`Prompt.questions`).
            value: For a yes/no question: ``True``, ``False``,
                ``None`` (don't know) or an :class:`Answer`.
                For a number: an ``int``, or ``None`` (don't know).
                For a group: ``False`` ("none of these": each of its
                questions shown is answered "no"), ``True`` ("yes") or
                ``None`` ("not sure"); after the last two its questions
                are asked one by one.

        Raises:
            UnknownFindingError: *question* is not a question or group id.
            InvalidTypeError: *value* does not fit the question, or
                *question* is not a string.
            InvalidValueError: A number is out of range or does not fit
                an earlier answer (an episode longer than the life: named
                by *question*, the answer just given), or the group is
                not the one being asked now.
        """
        if not isinstance(question, str):
            raise InvalidTypeError("question", question, "a question id (str)")
        if question in GROUPS:
            return self._answer_group(GROUPS[question], value)
        if question not in QUESTIONS:
            raise UnknownFindingError(
                "question", question, "not a question or group id"
            )
        if question in FINDING_IDS:
            if not (value is None or isinstance(value, (bool, Answer))):
                raise InvalidTypeError(
                    question, value, "True, False, None or an Answer"
                )
            answer = (
                value if isinstance(value, Answer) else Answer.from_bool(value)
            )
            assessment = self.assessment.with_answer(question, answer)
        else:
            assessment = self._with_number(question, value)
        return attrs.evolve(
            self, assessment=assessment, asked=self.asked | {question}
        )

    def _with_number(self, question: str, value: object) -> Assessment:
        number: dict[str, Any] = {question: value}
        try:
            return attrs.evolve(self.assessment, **number)
        except InvalidValueError as error:
            if error.field.rpartition(".")[2] == question:
                raise
            # A check across fields (an episode longer than the life)
            # names the other field; name the answer just given.
            other = error.field.rpartition(".")[2]
            raise InvalidValueError(
                question,
                value,
                f"does not fit an earlier answer: {other}={error.value} "
                f"{error.reason}",
            ) from None

    def _answer_group(
        self,
        group: Group,
        value: Answer | bool | int | None,  # noqa: FBT001 (the answer)
    ) -> Interview:
        if not (value is None or isinstance(value, (bool, Answer))):
            raise InvalidTypeError(
                group.id, value, "True, False, None or an Answer"
            )
        candidates = _candidates(
            self.assessment, self.escalation, self.asked, self.rules
        )
        members = (
            () if group.id in self.asked else _open_members(group, candidates)
        )
        if len(members) < 2:  # noqa: PLR2004 (a group asks two or more)
            raise InvalidValueError(
                "question",
                group.id,
                "this group is not being asked now; answer its questions "
                "one by one",
            )
        answer = (
            value if isinstance(value, Answer) else Answer.from_bool(value)
        )
        assessment = self.assessment
        asked = self.asked | {group.id}
        if answer is Answer.ABSENT:
            # "None of these": every question that was shown is "no".
            for member in members:
                assessment = assessment.with_answer(member, Answer.ABSENT)
            asked |= set(members)
        # "Yes" and "not sure" answer nothing: the questions come one by
        # one, so "not sure" never becomes "no".
        return attrs.evolve(self, assessment=assessment, asked=asked)
