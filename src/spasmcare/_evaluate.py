# SPDX-License-Identifier: MIT
"""
The escalation evaluator: evaluate() and its result, Escalation.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs

from ._catalogue import DEFAULT_RULES
from ._findings import QUESTIONS
from ._fired import FiredRule
from ._i18n import N_
from ._model import Assessment
from ._rules import Rule, RuleSet
from ._urgency import TriageCategory, Urgency
from .exceptions import InvalidTypeError

if TYPE_CHECKING:
    from ._fired import Decide

__all__ = ["Escalation", "FiredRule", "evaluate"]

#: The level when screening is incomplete and no rule fired:
#: the least urgent referral, so an unanswered question never reads as
#: "no" and never yields self-care, yet any rule that later fires can
#: only raise the level (every rule is above self-care).
INCOMPLETE_LEVEL = Urgency.ROUTINE

#: Catalogue order of the questions, to break ties.
_ORDER = {question: index for index, question in enumerate(QUESTIONS)}

NOT_A_DIAGNOSIS = N_(
    "This is decision support, not a diagnosis. It does not replace "
    "a doctor, nurse or pharmacist. If you are worried, or if things get "
    "worse, get medical help."
)


@attrs.frozen(kw_only=True, repr=False)
class Escalation:
    """
    The evaluator's result: how urgently to refer, and why.

    Attributes:
        level: The level: the most urgent fired rule, at least
            :attr:`Urgency.ROUTINE` while screening is incomplete,
            and :attr:`Urgency.SELF_CARE` only when every rule was
            decided and none fired.
        fired: The rules that fired, most urgent first,
            each with the answers that fired it.
        pending: Ids of rules that could not be decided because an answer
            they need is unknown, most urgent first.
        unanswered: Ids of the questions still unknown that matter:
            those the pending rules need, and every red-flag question;
            most urgent first. Empty when screening is complete.
        rule_set: The rule set used (its id, version and digest belong in
            an audit trail).
        assessment: The assessment it was computed from:
            :func:`~spasmcare.plan_care` checks that it is given the same
            one, and its :attr:`~Assessment.id` is the escalation's
            :attr:`id`.

    .. versionadded:: 0.1.0
    """

    level: Urgency
    fired: tuple[FiredRule, ...]
    pending: tuple[str, ...]
    unanswered: tuple[str, ...]
    rule_set: RuleSet
    assessment: Assessment

    def __repr__(self) -> str:
        # Short: the whole assessment and the rule set have their own.
        fired = tuple(f.rule.id for f in self.fired)
        return (
            f"Escalation(level={self.level}, fired={fired!r}, "
            f"pending={len(self.pending)}, unanswered={len(self.unanswered)}, "
            f"rule_set={self.rule_set.id!r}, id={self.id!r})"
        )

    @property
    def id(self) -> str | int | None:
        """
        The correlation id of the assessment, if it has one.
        """
        return self.assessment.id

    @property
    def referral_required(self) -> bool:
        """
        Whether a clinician should see the person
        (at every level above self-care).
        """
        return self.level > Urgency.SELF_CARE

    @property
    def screening_complete(self) -> bool:
        """
        Whether every rule could be decided and every red-flag question
        was answered.

        When ``False``, the level is never self-care and
        :attr:`unanswered` names the questions to ask.
        """
        return not self.unanswered

    @property
    def category(self) -> TriageCategory:
        """
        The level in the 3-level scheme of published evaluations.
        """
        return self.level.category

    @property
    def action(self) -> str:
        """
        What to do, in plain language.
        """
        if self.fired or self.screening_complete:
            action = self.level.action
        else:
            action = N_(
                "Some safety questions have not been answered, so self-care "
                "cannot be recommended yet. Answer the remaining questions, "
                "or book an appointment with a doctor."
            )
        if (
            self.fired
            and not self.screening_complete
            and self.level < Urgency.AMBULANCE
        ):
            action += " " + N_(
                "Some safety questions have not been answered; answering "
                "them may make this advice more urgent."
            )
        return action

    @property
    def timeframe(self) -> str:
        """
        How soon, in plain language.
        """
        return self.level.timeframe

    @property
    def notice(self) -> str:
        """
        The "not a diagnosis" statement to show with any result.
        """
        return NOT_A_DIAGNOSIS


def evaluate(
    assessment: Assessment, *, rules: RuleSet = DEFAULT_RULES
) -> Escalation:
    """
    Decide whether, and how urgently, a person should see a doctor.

    The evaluator is pure: same input, same output;
    it does no I/O, keeps no global state and does not change its input.
    (The first evaluation with a rule set compiles its criteria into one
    function, kept with that rule set; results are the same either way.)
    The most urgent fired rule wins; levels are never averaged.

    Args:
        assessment: What the person reported.
        rules: The rule set to apply.

    Returns:
        The escalation, with every fired rule, its facts and citations.

    Raises:
        InvalidTypeError: *assessment* is not an :class:`Assessment`,
            or *rules* is not a :class:`RuleSet`.

    >>> from spasmcare import Assessment
    >>> result = evaluate(Assessment.from_answers({"saddle_numbness": True}))
    >>> result.level, [rule.id for rule in result.fired]
    (<Urgency.EMERGENCY: 'emergency'>, ['cauda_equina'])
    >>> result.screening_complete
    False

    .. versionadded:: 0.1.0
    """
    if not isinstance(assessment, Assessment):
        raise InvalidTypeError("assessment", assessment, "an Assessment")
    if not isinstance(rules, RuleSet):
        raise InvalidTypeError("rules", rules, "a RuleSet")
    # Every rule's criterion, compiled once per rule set (see _compile.py).
    # Both lists are most urgent first, catalogue order within a level.
    decide = rules._cached(_compiled)  # noqa: SLF001
    fired, pending, flags = decide(assessment)
    if not fired:
        level = INCOMPLETE_LEVEL if pending else Urgency.SELF_CARE
    elif pending:
        level = max(fired[0].rule.urgency, INCOMPLETE_LEVEL)
    else:
        level = fired[0].rule.urgency
    return Escalation(
        level=level,
        fired=tuple(fired),
        pending=tuple([rule.id for rule, _, _ in pending]) if pending else (),
        unanswered=_unanswered(pending, flags) if pending or flags else (),
        rule_set=rules,
        assessment=assessment,
    )


def _compiled(rules: RuleSet) -> Decide:
    """
    The criteria of *rules* compiled into one function (see _compile.py).

    Imported here, on the first evaluation with a rule set,
    to keep it out of ``import spasmcare``.
    """
    from ._compile import compile_rules  # noqa: PLC0415

    return compile_rules(rules)


def _unanswered(
    pending: list[tuple[Rule, int, tuple[str, ...]]],
    flags: list[tuple[str, int]],
) -> tuple[str, ...]:
    """
    What is still unknown and matters: every question a pending rule
    needs, and every red-flag question, most urgent first.

    *pending* holds each undecided rule (most urgent first) with the rank
    of its urgency and its unknown questions; *flags* each unknown red
    flag with the rank of its level (see ``_fired.Decision``).
    """
    rank: dict[str, int] = {}
    for _, level, questions in pending:
        for question in questions:
            if question not in rank:  # the first rule is the most urgent
                rank[question] = level
    for finding, level in flags:
        if rank.get(finding, -1) < level:
            rank[finding] = level
    # Catalogue order, then most urgent first (a stable sort keeps the
    # catalogue order within a level).
    return tuple(
        sorted(
            sorted(rank, key=_ORDER.__getitem__),
            key=rank.__getitem__,
            reverse=True,
        )
    )
