# SPDX-License-Identifier: MIT
"""
Tests for spasmcare.rows: the row mapping the table faces share.
"""

from __future__ import annotations

import pickle
import subprocess
import sys
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from spasmcare import (
    DEFAULT_RULES,
    QUESTIONS,
    Answer,
    Assessment,
    Escalation,
    InvalidTypeError,
    InvalidValueError,
    evaluate,
    rows,
)
from spasmcare.rows import RESULT_COLUMNS, Scorer, assessment_from_row

from .strategies import assessments
from .strategies import rows as table_rows


def expected_row(escalation: Escalation) -> dict[str, Any]:
    """
    The result columns for *escalation*, built from its own fields.
    """
    rules = escalation.rule_set
    return {
        "level": escalation.level.value,
        "referral_required": escalation.referral_required,
        "screening_complete": escalation.screening_complete,
        "fired": [fired.id for fired in escalation.fired],
        "unanswered": list(escalation.unanswered),
        "rule_set_id": rules.id,
        "rule_set_version": rules.version,
        "rule_set_digest": rules.digest,
        "error": None,
    }


def one(results: dict[str, list[Any]], index: int = 0) -> dict[str, Any]:
    """
    Row *index* of column-wise results.
    """
    return {name: values[index] for name, values in results.items()}


class TestColumns:
    """
    The documented column lists.
    """

    def test_input_columns_are_the_questions(self) -> None:
        """
        Every question is an input column, yes/no ones first.
        """
        assert set(QUESTIONS) == set(rows.INPUT_COLUMNS)
        assert len(QUESTIONS) == len(rows.INPUT_COLUMNS)
        assert rows.INPUT_COLUMNS[-len(rows.NUMBER_COLUMNS) :] == (
            rows.NUMBER_COLUMNS
        )

    def test_result_columns_are_named_like_the_json(self) -> None:
        """
        The result columns are the escalation's JSON fields, flattened.
        """
        names = [column.name for column in RESULT_COLUMNS]

        assert [
            "level",
            "referral_required",
            "screening_complete",
            "fired",
            "unanswered",
            "rule_set_id",
            "rule_set_version",
            "rule_set_digest",
            "error",
        ] == names
        assert all(column.description for column in RESULT_COLUMNS)

    def test_dir(self) -> None:
        """
        dir() lists the public names.
        """
        assert sorted(rows.__all__) == sorted(dir(rows))


class TestMapping:
    """
    "present"/"absent"/"unknown" or booleans; null, "" and NaN are unknown.
    """

    @pytest.mark.parametrize(
        ("value", "answer"),
        [
            ("present", Answer.PRESENT),
            (True, Answer.PRESENT),
            ("absent", Answer.ABSENT),
            (False, Answer.ABSENT),
            ("unknown", Answer.UNKNOWN),
            (None, Answer.UNKNOWN),
            ("", Answer.UNKNOWN),
            (float("nan"), Answer.UNKNOWN),
        ],
    )
    def test_answers(self, value: object, answer: Answer) -> None:
        """
        Each spelling reads as its answer.
        """
        assessment = assessment_from_row({"fever": value})

        assert answer is assessment.answer("fever")

    def test_missing_column_is_unknown(self) -> None:
        """
        A question without a column is unknown, never absent.
        """
        assessment = assessment_from_row({"pain_score": 3})

        assert Answer.UNKNOWN is assessment.answer("saddle_numbness")
        assert Assessment(pain_score=3) == assessment

    @pytest.mark.parametrize(
        ("value", "number"),
        [(4, 4), (4.0, 4), (None, None), (float("nan"), None)],
    )
    def test_numbers(self, value: object, number: int | None) -> None:
        """
        Whole numbers, whole floats and null (or NaN) are read.
        """
        assert number == assessment_from_row({"pain_score": value}).pain_score

    def test_other_columns_are_not_read(self) -> None:
        """
        A column that is neither a question nor the id is left alone.
        """
        assert Assessment() == assessment_from_row({"fevr": "??", "x": []})

    @pytest.mark.parametrize(
        ("value", "identifier"),
        [
            ("r1", "r1"),
            (7, 7),
            (7.0, 7),
            (None, None),
            (float("nan"), None),
        ],
    )
    def test_id(self, value: object, identifier: str | int | None) -> None:
        """
        The id column is the correlation id, as in the JSON: a string or
        an integer (a whole float, as pandas makes, too); null or NaN is
        none.
        """
        assert identifier == assessment_from_row({"id": value}).id

    @pytest.mark.parametrize(
        ("value", "error", "message"),
        [
            (
                "",
                InvalidValueError,
                "id='': must be 1 to 256 characters, not all blank",
            ),
            (
                2**63,
                InvalidValueError,
                "id=9223372036854775808: an integer id must fit in 64 bits",
            ),
            (
                1.5,
                InvalidTypeError,
                "id=1.5: expected a string, an integer or null, got float",
            ),
            (
                True,
                InvalidTypeError,
                "id=True: expected a string, an integer or null, got bool",
            ),
        ],
    )
    def test_bad_id(
        self, value: object, error: type[Exception], message: str
    ) -> None:
        """
        An id the JSON would refuse is refused, naming the column.
        """
        with pytest.raises(error) as raised:
            assessment_from_row({"id": value, "fever": True})

        assert message == str(raised.value)
        assert "id" == raised.value.field  # type: ignore[attr-defined]

    @pytest.mark.parametrize(
        ("row", "error", "message"),
        [
            (
                {"fever": "yes"},
                InvalidValueError,
                (
                    "fever='yes': must be present, absent or unknown, a "
                    "boolean, or null"
                ),
            ),
            (
                {"fever": 1},
                InvalidTypeError,
                (
                    "fever=1: expected present, absent, unknown, a boolean or "
                    "null, got int"
                ),
            ),
            (
                {"pain_score": 4.5},
                InvalidValueError,
                "pain_score=4.5: must be a whole number",
            ),
            (
                {"pain_score": "4"},
                InvalidTypeError,
                "pain_score='4': expected a whole number or null, got str",
            ),
            (
                {"pain_score": True},
                InvalidTypeError,
                "pain_score=True: expected a whole number or null, got bool",
            ),
            (
                {"pain_score": 11},
                InvalidValueError,
                "pain_score=11: must be from 0 to 10 points (0-10)",
            ),
            (
                {"age_years": 20, "duration_days": 9000},
                InvalidValueError,
                (
                    "duration_days=9000: is longer than the person's life "
                    "(age_years=20)"
                ),
            ),
        ],
    )
    def test_errors_name_the_column_and_value(
        self, row: dict[str, Any], error: type[Exception], message: str
    ) -> None:
        """
        A bad value raises the library's error, naming the column.
        """
        with pytest.raises(error) as raised:
            assessment_from_row(row)

        assert message == str(raised.value)
        assert next(iter(row)) in str(raised.value)

    def test_int_subclass(self) -> None:
        """
        An int subclass (numpy's, an IntEnum) is read as its value.
        """

        class Small(int):
            pass

        assert 3 == assessment_from_row({"pain_score": Small(3)}).pain_score

    def test_not_a_mapping(self) -> None:
        """
        A row must be a mapping.
        """
        with pytest.raises(InvalidTypeError) as raised:
            assessment_from_row(["fever"])  # type: ignore[arg-type]

        assert "row" == raised.value.field

    @given(table_rows())
    def test_spellings_read_as_the_assessment(
        self, case: tuple[Assessment, dict[str, Any]]
    ) -> None:
        """
        Any spelling of an assessment reads as an equal one, up to
        unknown answers that were left out (which evaluate alike).
        """
        assessment, row = case

        read = assessment_from_row(row)

        for finding in rows.ANSWER_COLUMNS:
            assert assessment.answer(finding) is read.answer(finding)
        for name in rows.NUMBER_COLUMNS:
            assert getattr(assessment, name) == getattr(read, name)
        assert assessment.id == read.id


class TestScorer:
    """
    Results equal evaluate() record by record; a bad row is an error, not
    a failure, and is never dropped.
    """

    @given(st.lists(table_rows(), max_size=6))
    def test_same_as_evaluate(
        self, cases: list[tuple[Assessment, dict[str, Any]]]
    ) -> None:
        """
        Each result row is what evaluate() gives for the same answers.
        """
        results = Scorer().score(row for _, row in cases)

        assert [expected_row(evaluate(a)) for a, _ in cases] == [
            one(results, index) for index in range(len(cases))
        ]

    @given(assessments())
    def test_custom_rules(self, assessment: Assessment) -> None:
        """
        The scorer's rule set is the one applied and recorded.
        """
        rules = DEFAULT_RULES.without("spinal_infection", version="t")
        row: dict[str, Any] = {
            s.finding: s.answer.value for s in assessment.symptoms
        }
        row |= {"age_years": assessment.age_years}
        row |= {"duration_days": assessment.duration_days}
        row |= {"pain_score": assessment.pain_score}
        row |= {"episodes_past_year": assessment.episodes_past_year}

        actual = one(Scorer(rules=rules).score([row]))

        assert expected_row(evaluate(assessment, rules=rules)) == actual
        assert "t" == actual["rule_set_version"]

    def test_bad_rows_are_kept_in_place(self) -> None:
        """
        Rows in = rows out: a bad row gets an error, the others are
        scored, and the order holds.
        """
        good = {"saddle_numbness": "present"}
        results = Scorer().score([good, {"fever": "yes"}, good])

        assert [
            None,
            (
                "fever='yes': must be present, absent or unknown, a "
                "boolean, or null"
            ),
            None,
        ] == results["error"]
        assert ["emergency", None, "emergency"] == results["level"]
        assert [True, None, True] == results["referral_required"]
        assert [None] == results["fired"][1:2]
        assert all(len(values) == 3 for values in results.values())
        assert [DEFAULT_RULES.version] * 3 == results["rule_set_version"]

    def test_empty_batch(self) -> None:
        """
        No rows, no results, and every column is there.
        """
        results = Scorer().score([])

        assert {c.name: [] for c in RESULT_COLUMNS} == results

    def test_json_problems_are_listed(self) -> None:
        """
        An error with problems (a JSON document's) lists each one.
        """
        from spasmcare import InvalidJSONError  # noqa: PLC0415

        error = InvalidJSONError([("$.a", "bad"), ("$.b", "worse")])

        results = Scorer()._results([error])

        assert ["$.a: bad; $.b: worse"] == results["error"]

    def test_rules_must_be_a_rule_set(self) -> None:
        """
        A scorer needs a RuleSet.
        """
        with pytest.raises(InvalidTypeError) as raised:
            Scorer(rules="default")  # type: ignore[arg-type]

        assert "Scorer.rules" == raised.value.field


class TestPickling:
    """
    A scorer pickles as its rule set, and a process that unpickles the
    same bytes again reuses the scorer (and so the compiled rules).
    """

    def test_round_trip_reuses_the_scorer(self) -> None:
        """
        Unpickling the same bytes twice gives the same scorer.
        """
        rules = DEFAULT_RULES.without("spinal_infection", version="p")
        data = pickle.dumps(Scorer(rules=rules))

        first, second = pickle.loads(data), pickle.loads(data)

        assert first is second
        assert Scorer(rules=rules) == first

    def test_compiled_once_per_process(self) -> None:
        """
        The rules of a scorer unpickled again are already compiled.
        """
        rules = DEFAULT_RULES.without("frequent_recurrence", version="c")
        data = pickle.dumps(Scorer(rules=rules))
        first = pickle.loads(data)
        first.score([{"fever": True}])
        compiled = dict(first.rules._derived)

        again = pickle.loads(data)

        assert compiled == dict(again.rules._derived)
        assert compiled

    def test_the_cache_is_bounded(self) -> None:
        """
        Only the last few rule sets are kept.
        """
        for index in range(rows._KEEP + 3):
            pickle.loads(
                pickle.dumps(
                    Scorer(
                        rules=DEFAULT_RULES.without(
                            "frequent_recurrence", version=f"b{index}"
                        )
                    )
                )
            )

        assert rows._KEEP == len(rows._UNPICKLED)


class TestImport:
    """
    The row mapping needs no extra.
    """

    def test_no_table_libraries(self) -> None:
        """
        Importing spasmcare.rows imports no pyarrow, pandas, dask or
        pyspark.
        """
        code = (
            "import sys, spasmcare, spasmcare.rows, spasmcare.cli; "
            "print(sorted({'pyarrow', 'pandas', 'dask', 'pyspark', 'rich'}"
            " & set(sys.modules)))"
        )

        result = subprocess.run(  # noqa: S603 (our own interpreter)
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
        )

        assert "[]" == result.stdout.strip()
