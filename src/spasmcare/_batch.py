# SPDX-License-Identifier: MIT
"""
evaluate_many() and evaluate_batch(): evaluate a stream of assessments
lazily.
"""

from __future__ import annotations

import typing
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

import attrs

from ._catalogue import DEFAULT_RULES
from ._evaluate import Escalation, evaluate
from ._model import Assessment
from ._rules import RuleSet
from .exceptions import InvalidTypeError, InvalidValueError, SpasmcareError

__all__ = ["BatchResult", "evaluate_batch", "evaluate_many"]

#: Records read as JSON documents: text, and any parsed JSON value
#: (a value that is not an object is a bad document, not a bad type).
_DOCUMENTS = (str, bytes, bytearray, Mapping, list, tuple, int, float)


@attrs.frozen(kw_only=True)
class BatchResult:
    """
    The result for one record of :func:`evaluate_batch`.

    Exactly one of :attr:`escalation` and :attr:`error` is set.

    Attributes:
        index: The record's position in the input, from 0.
        id: The record's correlation id (:attr:`Assessment.id`),
            or ``None`` if it has none; for a record that could not be
            read, the ``"id"`` it gave, if that was a valid id.
        escalation: The escalation, or ``None`` if the record was bad.
        error: Why the record was bad, or ``None``.

    .. versionadded:: 0.1.0
    """

    index: int
    id: str | int | None
    escalation: Escalation | None
    error: SpasmcareError | None

    @property
    def ok(self) -> bool:
        """
        Whether the record was evaluated.
        """
        return self.error is None


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

    Each escalation carries its input's correlation id
    (:attr:`Escalation.id <spasmcare.Escalation.id>`).
    To go on past a bad record, reporting it with its position,
    use :func:`evaluate_batch`.

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
    _check_options(rules, progress, every)
    return _stream(items, rules, progress, every)


def _check_options(rules: object, progress: object, every: object) -> None:
    if not isinstance(rules, RuleSet):
        raise InvalidTypeError("rules", rules, "a RuleSet")
    if progress is not None and not callable(progress):
        raise InvalidTypeError("progress", progress, "a callable or None")
    if isinstance(every, bool) or not isinstance(every, int):
        raise InvalidTypeError("every", every, "an int")
    if every < 1:
        raise InvalidValueError("every", every, "must be at least 1")


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


def evaluate_batch(
    records: Iterable[object],
    *,
    rules: RuleSet = DEFAULT_RULES,
    progress: Callable[[int], None] | None = None,
    every: int = 1000,
) -> Iterator[BatchResult]:
    """
    Evaluate a batch of records, going on past bad ones.

    Like :func:`evaluate_many`, lazily and in constant memory,
    but each result carries the record's position and correlation id,
    and a record that cannot be read or is not an assessment gives a
    result with its :attr:`~BatchResult.error` instead of ending the
    batch: nothing after it is lost.

    Args:
        records: Assessments, or assessment documents (JSON text,
            bytes, or parsed objects, as :func:`~spasmcare.load_assessment`
            reads), such as the lines of a JSON-lines file.
        rules: The rule set to apply to every record.
        progress: As for :func:`evaluate_many` (bad records count too).
        every: As for :func:`evaluate_many`.

    Returns:
        An iterator over one :class:`BatchResult` per record, in order.

    Raises:
        InvalidTypeError: As for :func:`evaluate_many`, before anything
            is read. Never for a record.
        InvalidValueError: *every* is less than 1.

    >>> lines = [
    ...     '{"schema_version": "1", "id": "a", "answers": {"chest_pain": true}}',
    ...     '{"schema_version": "1", "id": "b", "pain_score": 11}',
    ...     '{"schema_version": "1", "id": "c"}',
    ... ]
    >>> for result in evaluate_batch(lines):
    ...     level = result.escalation.level.name if result.ok else "REJECTED"
    ...     print(result.index, result.id, level)
    0 a AMBULANCE
    1 b REJECTED
    2 c ROUTINE

    .. versionadded:: 0.1.0
    """
    try:
        items = iter(records)
    except TypeError:
        raise InvalidTypeError(
            "records", records, "an iterable of assessments or documents"
        ) from None
    _check_options(rules, progress, every)
    return _batch(items, rules, progress, every)


def _batch(
    items: Iterator[object],
    rules: RuleSet,
    progress: Callable[[int], None] | None,
    every: int,
) -> Iterator[BatchResult]:
    from ._json import load_assessment  # noqa: PLC0415 (cattrs: on first use)

    def results() -> Iterator[BatchResult]:
        for index, record in enumerate(items):
            try:
                if isinstance(record, Assessment):
                    assessment = record
                elif record is None or isinstance(record, _DOCUMENTS):
                    # Any JSON value: not an object is a bad document.
                    assessment = load_assessment(typing.cast("Any", record))
                else:
                    raise InvalidTypeError(
                        f"records[{index}]",
                        record,
                        "an Assessment or an assessment document",
                    )
            except SpasmcareError as error:
                yield BatchResult(
                    index=index,
                    id=_given_id(record),
                    escalation=None,
                    error=error,
                )
                continue
            yield BatchResult(
                index=index,
                id=assessment.id,
                escalation=evaluate(assessment, rules=rules),
                error=None,
            )

    count = 0
    report = every
    for result in results():
        count += 1
        if count == report:
            report += every
            if progress is not None:
                progress(count)
        yield result
    if progress is not None and count != report - every:
        progress(count)


def _given_id(record: object) -> str | int | None:
    """
    The valid ``"id"`` of a bad record, if it has one.
    """
    from ._json import json_id, read_document  # noqa: PLC0415

    if isinstance(record, (str, bytes, bytearray)):
        try:
            record = read_document(record)
        except SpasmcareError:
            return None
    if not isinstance(record, Mapping):
        return None
    given = json_id(record.get("id"))  # 5.0 is 5, as load_assessment reads it
    try:
        return Assessment(id=given).id
    except SpasmcareError:
        return None
