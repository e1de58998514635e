# SPDX-License-Identifier: MIT
"""
Tests for evaluate_many(): lazy, constant-memory batch evaluation.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from spasmcare import (
    DEFAULT_RULES,
    Assessment,
    InvalidTypeError,
    InvalidValueError,
    evaluate,
    evaluate_many,
)

from .strategies import assessments

FEVER = Assessment.from_answers({"fever": True})
NOTHING = Assessment()


class _Counting:
    """
    An endless iterator of assessments that counts how many were read.
    """

    def __init__(self) -> None:
        self.read = 0

    def __iter__(self) -> Iterator[Assessment]:
        for index in itertools.count():
            self.read += 1
            yield FEVER if index % 2 else NOTHING


class TestResults:
    """
    Each escalation is exactly what evaluate() returns, in input order.
    """

    @given(st.lists(assessments(), max_size=3))
    def test_same_as_evaluate(self, items: list[Assessment]) -> None:
        """
        evaluate_many() yields evaluate(a) for each a, in order.
        """
        assert [evaluate(a) for a in items] == list(evaluate_many(items))

    def test_custom_rules(self) -> None:
        """
        The rules argument is used for every assessment.
        """
        rules = DEFAULT_RULES.without("spinal_infection", version="t")

        expected = [evaluate(FEVER, rules=rules)]

        assert expected == list(evaluate_many([FEVER], rules=rules))
        assert rules is expected[0].rule_set

    def test_empty_input(self) -> None:
        """
        No assessments, no escalations, and no progress report.
        """
        calls: list[int] = []

        assert [] == list(evaluate_many([], progress=calls.append))
        assert [] == calls


class TestLaziness:
    """
    Input is read one assessment at a time, only as results are asked for.
    """

    def test_endless_input(self) -> None:
        """
        An endless generator is fine: only what is taken is read.
        """
        source = _Counting()

        taken = list(itertools.islice(evaluate_many(source), 3))

        assert 3 == len(taken)
        assert 3 == source.read

    def test_nothing_read_before_the_first_result(self) -> None:
        """
        Calling evaluate_many() reads nothing; each next() reads one.
        """
        source = _Counting()

        results = evaluate_many(source)

        assert 0 == source.read
        next(results)
        assert 1 == source.read

    def test_results_are_not_kept(self) -> None:
        """
        The iterator holds no list of inputs or results.
        """
        results = evaluate_many(iter([FEVER] * 3))

        assert iter(results) is results
        assert not isinstance(results, (list, tuple))


class TestProgress:
    """
    The progress callback gets the count so far, every *every* items and
    once at the end.
    """

    @pytest.mark.parametrize(
        ("count", "every", "expected"),
        [
            (5, 2, [2, 4, 5]),
            (4, 2, [2, 4]),
            (3, 1, [1, 2, 3]),
            (2, 10, [2]),
        ],
    )
    def test_counts(self, count: int, every: int, expected: list[int]) -> None:
        """
        Reports after each *every* assessments and at the end, never twice.
        """
        calls: list[int] = []

        list(
            evaluate_many([FEVER] * count, progress=calls.append, every=every)
        )

        assert expected == calls

    def test_reported_before_the_result_is_handed_on(self) -> None:
        """
        The count includes the escalation about to be yielded.
        """
        calls: list[int] = []
        results = evaluate_many([FEVER] * 3, progress=calls.append, every=1)

        next(results)

        assert [1] == calls

    def test_no_final_report_when_stopped_early(self) -> None:
        """
        A stream that is not exhausted gets no final report.
        """
        calls: list[int] = []

        list(
            itertools.islice(
                evaluate_many(_Counting(), progress=calls.append, every=2), 3
            )
        )

        assert [2] == calls

    def test_without_a_callback(self) -> None:
        """
        every without progress changes nothing.
        """
        expected = [evaluate(NOTHING)] * 3

        assert expected == list(evaluate_many([NOTHING] * 3, every=2))

    def test_default_every_thousand(self) -> None:
        """
        By default progress is reported every 1000 assessments.
        """
        calls: list[int] = []

        list(evaluate_many([NOTHING] * 2001, progress=calls.append))

        assert [1000, 2000, 2001] == calls


class TestErrors:
    """
    Bad arguments fail at once; a bad item fails when it is reached.
    """

    @pytest.mark.parametrize(
        ("kwargs", "field"),
        [
            ({"assessments": 3}, "assessments"),
            ({"assessments": [], "rules": "default"}, "rules"),
            ({"assessments": [], "progress": 3}, "progress"),
            ({"assessments": [], "every": 1.5}, "every"),
            ({"assessments": [], "every": True}, "every"),
        ],
    )
    def test_wrong_types(self, kwargs: dict[str, Any], field: str) -> None:
        """
        Wrong argument types raise InvalidTypeError before anything runs.
        """
        with pytest.raises(InvalidTypeError) as error:
            evaluate_many(**kwargs)

        assert field == error.value.field

    @pytest.mark.parametrize("every", [0, -1])
    def test_every_must_be_positive(self, every: int) -> None:
        """
        every below 1 raises InvalidValueError.
        """
        with pytest.raises(InvalidValueError) as error:
            evaluate_many([], every=every)

        assert "every" == error.value.field

    def test_bad_item(self) -> None:
        """
        An item that is not an Assessment raises when reached, naming its
        index; the results before it were handed on.
        """
        results = evaluate_many([FEVER, {"fever": True}])  # type: ignore[list-item]

        assert evaluate(FEVER) == next(results)
        with pytest.raises(InvalidTypeError) as error:
            next(results)

        assert "assessments[1]" == error.value.field
