# SPDX-License-Identifier: MIT
"""
evaluate_many(): evaluate a stream of assessments lazily.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from ._catalogue import DEFAULT_RULES
from ._evaluate import Escalation, evaluate
from ._model import Assessment
from ._rules import RuleSet
from .exceptions import InvalidTypeError, InvalidValueError

__all__ = ["evaluate_many"]


def evaluate_many(
    assessments: Iterable[Assessment],
    *,
    rules: RuleSet = DEFAULT_RULES,
    progress: Callable[[int], None] | None = None,
    every: int = 1000,
) -> Iterator[Escalation]:
    """
    Evaluate many assessments, one at a time, in constant memory.

    The result is a lazy iterator: each assessment is read from
    *assessments* only when its escalation is asked for,
    and nothing is kept once it has been handed on.
    So a generator over millions of intake records can be streamed
    through in the memory one record takes.
    Each escalation is exactly what :func:`evaluate` returns.

    Args:
        assessments: Any iterable of assessments, such as a generator.
        rules: The rule set to apply to every assessment.
        progress: Called with the number of assessments evaluated so far,
            after every *every* of them and once more when *assessments*
            is exhausted (unless that count was just reported).
        every: How often to call *progress*, in assessments.

    Returns:
        An iterator over the escalations, in input order.

    Raises:
        InvalidTypeError: *assessments* is not iterable, *rules* is not a
            :class:`RuleSet`, *progress* is not callable, or *every* is
            not an int (all raised at once, before anything is read);
            an item is not an :class:`Assessment` (raised when it is
            reached; the escalations before it have been handed on).
        InvalidValueError: *every* is less than 1.

    >>> from spasmcare import Assessment
    >>> intake = (
    ...     Assessment.from_answers({"chest_pain": answer})
    ...     for answer in (True, False, None)
    ... )
    >>> counts = []
    >>> for escalation in evaluate_many(intake, progress=counts.append, every=2):
    ...     print(escalation.level.name, escalation.pending[:1])
    AMBULANCE ('aortic_aneurysm',)
    ROUTINE ('aortic_aneurysm',)
    ROUTINE ('aortic_aneurysm',)
    >>> counts
    [2, 3]

    .. versionadded:: 0.1.0
    """
    try:
        items = iter(assessments)
    except TypeError:
        raise InvalidTypeError(
            "assessments", assessments, "an iterable of Assessment"
        ) from None
    if not isinstance(rules, RuleSet):
        raise InvalidTypeError("rules", rules, "a RuleSet")
    if progress is not None and not callable(progress):
        raise InvalidTypeError("progress", progress, "a callable or None")
    if isinstance(every, bool) or not isinstance(every, int):
        raise InvalidTypeError("every", every, "an int")
    if every < 1:
        raise InvalidValueError("every", every, "must be at least 1")
    return _stream(items, rules, progress, every)


def _stream(
    items: Iterator[Assessment],
    rules: RuleSet,
    progress: Callable[[int], None] | None,
    every: int,
) -> Iterator[Escalation]:
    count = 0
    report = every
    for assessment in items:
        if not isinstance(assessment, Assessment):
            raise InvalidTypeError(
                f"assessments[{count}]", assessment, "an Assessment"
            )
        escalation = evaluate(assessment, rules=rules)
        count += 1
        if count == report:
            report += every
            if progress is not None:
                progress(count)
        yield escalation
    if progress is not None and count != report - every:
        progress(count)
