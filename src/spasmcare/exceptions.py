# SPDX-License-Identifier: MIT
"""
Exceptions raised by spasmcare.

All of them derive from :class:`SpasmcareError`,
and each also derives from the builtin it refines,
so ``except ValueError`` keeps working for callers who expect it.

Missing clinical answers are never an exception:
they are data (:attr:`spasmcare.Answer.UNKNOWN`).

Messages show at most 80 characters of a value (200 of a field name)
(longer ones are cut, ending in ``...``), and a very long integer as its
number of digits, so that a hostile input never makes a huge message;
the error's attributes keep the value itself.

This module imports nothing from the rest of the package.
"""

from __future__ import annotations

import math
import reprlib
from collections.abc import Sequence
from typing import Any, TypeGuard

__all__ = [
    "InvalidJSONError",
    "InvalidTypeError",
    "InvalidValueError",
    "MismatchError",
    "RuleSetError",
    "RuleSetMismatchError",
    "SpasmcareError",
    "UnknownFindingError",
]

#: The most characters of one value, or one field name, that a message
#: shows.
_SHOWN = 80
#: The same for a field name, which may hold a path.
_FIELD_SHOWN = 200

#: Integers longer than this many bits are shown by their size:
#: Python refuses to turn one of more than 4,300 digits into text.
_LONG_INT_BITS = 3 * _SHOWN

_REPR = reprlib.Repr()
_REPR.maxstring = _SHOWN
_REPR.maxother = _SHOWN
_REPR.maxlevel = 2


def _digits(value: int) -> int:
    """
    How many decimal digits *value* has, found without turning it into
    text (which Python refuses beyond 4,300 digits).

    >>> _digits(10**5000), _digits(-(10**5000) + 1), _digits(7)
    (5001, 5000, 1)
    """
    magnitude = abs(value)
    # A lower bound (log10 of the top bit), then at most one more digit.
    digits = int((magnitude.bit_length() - 1) * math.log10(2)) + 1
    return digits + 1 if magnitude >= 10**digits else digits


def _clip(text: str, limit: int = _SHOWN) -> str:
    """
    *text*, cut to *limit* characters (ending in ``...``) if longer.

    >>> _clip("x" * 100, 10)
    'xxxxxxx...'
    """
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _shown(value: Any) -> str:
    """
    A short repr of *value* for a message: at most 80
    characters, and a huge integer as its size.

    >>> _shown(10**5000)
    '<an integer of 5001 digits>'
    >>> _shown("a" * 1000)  # doctest: +ELLIPSIS
    "'aaa...aaa'"
    """
    if _is_long_int(value):
        return f"<an integer of {_digits(value)} digits>"
    # reprlib shows an object whose __repr__ fails by its type and id.
    return _clip(_REPR.repr(value))


def _is_long_int(value: object) -> TypeGuard[int]:
    """
    Whether *value* is an integer too long to show as digits.
    """
    return type(value) is int and value.bit_length() > _LONG_INT_BITS


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
        super().__init__(
            f"{_clip(field, _FIELD_SHOWN)}={_shown(value)}: {reason}"
        )


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


class MismatchError(InvalidValueError):
    """
    Two arguments that belong together do not:
    an escalation computed from another assessment,
    or a care plan made from another escalation.

    Attributes:
        field: The argument that does not match.
        value: What it holds (such as the other assessment's id).
        reason: What does not match, and what to do.

    .. versionadded:: 0.1.0
    """


class RuleSetMismatchError(InvalidJSONError, MismatchError):
    """
    A saved interview state was made under another rule set
    (another digest) than the one given to go on with.

    It is an :exc:`InvalidJSONError` (the state is not valid for these
    rules) and a :exc:`MismatchError`; its one problem is at
    ``$.rule_set.digest`` and says which rule sets differ.
    A handler may answer it with HTTP 409 and start a new interview.

    .. versionadded:: 0.1.0
    """


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
            f"{_clip(field, _FIELD_SHOWN)}={_shown(value)}: expected {expected}, "
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
