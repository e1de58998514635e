# SPDX-License-Identifier: MIT
"""
Exceptions raised by spasmcare.

All of them derive from :class:`SpasmcareError`,
and each also derives from the builtin it refines,
so ``except ValueError`` keeps working for callers who expect it.

Missing clinical answers are never an exception:
they are data (:attr:`spasmcare.Answer.UNKNOWN`).

This module imports nothing from the rest of the package.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

__all__ = [
    "InvalidJSONError",
    "InvalidTypeError",
    "InvalidValueError",
    "RuleSetError",
    "SpasmcareError",
    "UnknownFindingError",
]


class SpasmcareError(Exception):
    """
    Root of every error spasmcare raises on purpose.

    .. versionadded:: 0.1.0
    """


class InvalidValueError(SpasmcareError, ValueError):
    """
    A value has the right type but is not allowed.

    For example a pain score of 11,
    a negative duration,
    or a duration longer than the person's life.

    Attributes:
        field: Qualified name of the field, such as
            ``"Assessment.pain_score"``.
        value: The offending value.
        reason: What was expected, in words.

    .. versionadded:: 0.1.0
    """

    def __init__(self, field: str, value: Any, reason: str) -> None:
        self.field = field
        self.value = value
        self.reason = reason
        super().__init__(f"{field}={value!r}: {reason}")


class InvalidJSONError(InvalidValueError):
    """
    A JSON document is not valid: every problem found, each with its path.

    Raised by :func:`spasmcare.load_assessment` for text that is not JSON,
    unknown keys, wrong types and values out of range.
    All the problems in a document are reported at once,
    not just the first.

    Attributes:
        problems: ``(path, message)`` pairs, in document order;
            *path* is a JSON path such as ``"$.pain_score"`` or
            ``"$.answers.fevr"``, *message* says what was expected
            and what was found.
        field: The path of the first problem.
        value: The document, or ``None`` when it could not be read.
        reason: Every problem, joined into one line.

    .. versionadded:: 0.1.0
    """

    def __init__(
        self, problems: Sequence[tuple[str, str]], value: Any = None
    ) -> None:
        self.problems = tuple(problems)
        self.field = self.problems[0][0] if self.problems else "$"
        self.value = value
        self.reason = "; ".join(
            f"{path}: {message}" for path, message in self.problems
        )
        count = len(self.problems)
        noun = "problem" if count == 1 else "problems"
        ValueError.__init__(
            self, f"invalid JSON document ({count} {noun}): {self.reason}"
        )


class UnknownFindingError(InvalidValueError):
    """
    A finding or question id is not in the question catalogue.

    Attributes:
        field: Where the id was given.
        value: The unknown id.
        reason: What was expected, in words.

    .. versionadded:: 0.1.0
    """


class InvalidTypeError(SpasmcareError, TypeError):
    """
    A value has the wrong type, such as a string where a number belongs.

    Attributes:
        field: Qualified name of the field.
        value: The offending value.
        expected: The expected type, in words.

    .. versionadded:: 0.1.0
    """

    def __init__(self, field: str, value: Any, expected: str) -> None:
        self.field = field
        self.value = value
        self.expected = expected
        super().__init__(
            f"{field}={value!r}: expected {expected}, "
            f"got {type(value).__name__}"
        )


class RuleSetError(SpasmcareError, ValueError):
    """
    A rule or rule set is malformed.

    Raised when a rule or rule set is *built*
    (never while evaluating):
    a rule without a citation,
    a rule whose urgency is self-care,
    or two rules with the same id in one set.

    Attributes:
        rule_id: The id of the offending rule.
        reason: What is wrong, in words.

    .. versionadded:: 0.1.0
    """

    def __init__(self, rule_id: str, reason: str) -> None:
        self.rule_id = rule_id
        self.reason = reason
        super().__init__(f"rule {rule_id!r}: {reason}")
