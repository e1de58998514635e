# SPDX-License-Identifier: MIT
"""
A fired rule, and what a rule set decides about one assessment.

Both the evaluator (:mod:`spasmcare._evaluate`) and the rule compiler
(:mod:`spasmcare._compile`) use these; neither imports the other for them.
"""

from __future__ import annotations

from collections.abc import Callable

import attrs

from ._citations import Citation
from ._model import Assessment
from ._rules import Rule
from ._urgency import Urgency
from .criteria import Fact

__all__ = ["Decide", "Decision", "FiredRule"]


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


#: What a rule set decides about one assessment:
#:
#: * the fired rules (:class:`~spasmcare.FiredRule`, with their facts);
#: * the rules that cannot be decided, each with the rank of its urgency
#:   and the questions it reads that are unknown
#:   (:meth:`~spasmcare.criteria.Criterion.unknown_questions`);
#: * the red flags (:attr:`~spasmcare.RuleSet.red_flags`) that are unknown,
#:   each with the rank of its level, in the order of ``red_flags``.
#:
#: Both lists of rules are most urgent first, catalogue order within a level.
Decision = tuple[
    list[FiredRule],
    list[tuple[Rule, int, tuple[str, ...]]],
    list[tuple[str, int]],
]
#: A rule set's criteria, as one function of an assessment.
Decide = Callable[[Assessment], Decision]
