# SPDX-License-Identifier: MIT
"""
The escalation evaluator: evaluate() and its result, Escalation.
"""

from __future__ import annotations

import attrs

from ._catalogue import DEFAULT_RULES
from ._citations import Citation
from ._findings import QUESTIONS
from ._model import Answer, Assessment
from ._rules import Rule, RuleSet
from ._urgency import TriageCategory, Urgency
from .criteria import Fact
from .exceptions import InvalidTypeError

__all__ = ["Escalation", "FiredRule", "evaluate"]

#: The level when screening is incomplete and no rule fired:
#: the least urgent referral, so an unanswered question never reads as
#: "no" and never yields self-care, yet any rule that later fires can
#: only raise the level (every rule is above self-care).
INCOMPLETE_LEVEL = Urgency.ROUTINE

#: Catalogue order of the questions, to break ties.
_ORDER = {question: index for index, question in enumerate(QUESTIONS)}

NOT_A_DIAGNOSIS = (
    "This is decision support, not a diagnosis. It does not replace "
    "a doctor, nurse or pharmacist. If you are worried, or if things get "
    "worse, get medical help."
)


@attrs.frozen(kw_only=True)
class FiredRule:
    """
    A rule whose criterion was met, with the answers that met it.

    Attributes:
        rule: The rule.
        facts: The answers that met its criterion.

    .. versionadded:: 0.1.0
    """

    rule: Rule
    facts: tuple[Fact, ...]

    @property
    def id(self) -> str:
        """
        The rule's id.
        """
        return self.rule.id

    @property
    def urgency(self) -> Urgency:
        """
        The rule's level.
        """
        return self.rule.urgency

    @property
    def citations(self) -> tuple[Citation, ...]:
        """
        The rule's sources.
        """
        return self.rule.citations


@attrs.frozen(kw_only=True)
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

    .. versionadded:: 0.1.0
    """

    level: Urgency
    fired: tuple[FiredRule, ...]
    pending: tuple[str, ...]
    unanswered: tuple[str, ...]
    rule_set: RuleSet

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
            action = (
                "Some safety questions have not been answered, so self-care "
                "cannot be recommended yet. Answer the remaining questions, "
                "or book an appointment with a doctor."
            )
        if self.fired and not self.screening_complete:
            action += (
                " Some safety questions have not been answered; answering "
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
    it does no I/O, keeps no state and does not change its input.
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
    fired: list[FiredRule] = []
    pending: list[Rule] = []
    for rule in rules.rules:
        outcome = rule.criterion.check(assessment)
        if outcome.verdict:
            fired.append(FiredRule(rule=rule, facts=outcome.facts))
        elif outcome.verdict is None:
            pending.append(rule)
    # Stable sorts: most urgent first, catalogue order within a level.
    fired.sort(key=lambda f: f.urgency.rank, reverse=True)
    pending.sort(key=lambda r: r.urgency.rank, reverse=True)
    level = max((f.urgency for f in fired), default=Urgency.SELF_CARE)
    if pending:
        level = max(level, INCOMPLETE_LEVEL)
    return Escalation(
        level=level,
        fired=tuple(fired),
        pending=tuple(r.id for r in pending),
        unanswered=_unanswered(assessment, rules, pending),
        rule_set=rules,
    )


def _unanswered(
    assessment: Assessment, rules: RuleSet, pending: list[Rule]
) -> tuple[str, ...]:
    """
    What is still unknown and matters: every question a pending rule
    needs, and every red-flag question, most urgent first.
    """
    rank: dict[str, int] = {}
    for rule in pending:
        for question in rule.criterion.unknown_questions(assessment):
            rank[question] = max(rank.get(question, 0), rule.urgency.rank)
    for finding, urgency in rules.red_flags.items():
        if assessment.answer(finding) is Answer.UNKNOWN:
            rank[finding] = max(rank.get(finding, 0), urgency.rank)
    return tuple(sorted(rank, key=lambda q: (-rank[q], _ORDER[q])))
