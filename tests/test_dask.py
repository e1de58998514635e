# SPDX-License-Identifier: MIT
"""
spasmcare.dask: map_partitions with a correct meta, on the synchronous
and the threaded schedulers.
"""

from __future__ import annotations

import importlib
import sys
from typing import Any

import dask
import dask.dataframe as dd
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import spasmcare.dask
from spasmcare import (
    DEFAULT_RULES,
    Assessment,
    InvalidTypeError,
    InvalidValueError,
    evaluate,
)
from spasmcare.rows import RESULT_COLUMNS

from .strategies import rows as table_rows
from .test_rows import expected_row

SCHEDULERS = ["sync", "threads"]


def from_pandas(frame: pd.DataFrame, npartitions: int) -> dd.DataFrame:
    """
    ``dask.dataframe.from_pandas``, typed.
    """
    result: dd.DataFrame = dd.from_pandas(  # type: ignore[no-untyped-call]
        frame, npartitions=npartitions
    )
    return result


def frame() -> pd.DataFrame:
    """
    A small pandas frame with the awkward types pandas makes.
    """
    return pd.DataFrame(
        {
            "id": ["a", "b", "c", "d"],
            "saddle_numbness": pd.array(
                [True, False, None, False], dtype="boolean"
            ),
            "fever": ["absent", "absent", "yes", None],
            "age_years": [47.0, np.nan, 30.0, 30.0],
            "pain_score": pd.array([3, None, 2, 11], dtype="Int64"),
        },
        index=[10, 11, 12, 13],
    )


def result(scored: pd.DataFrame, label: Any) -> dict[str, Any]:
    """
    The result columns of the row with index *label*, as plain values.
    """
    row = scored.loc[label]
    out = {}
    for column in RESULT_COLUMNS:
        value = row[column.name]
        out[column.name] = None if value is pd.NA else value
    return out


class TestScore:
    """
    Rows in = rows out, input columns and index kept, results equal to
    evaluate().
    """

    @pytest.mark.parametrize("scheduler", SCHEDULERS)
    def test_results(self, scheduler: str) -> None:
        """
        Each row's results, on each scheduler.
        """
        scored = spasmcare.dask.score(
            from_pandas(frame(), npartitions=2)
        ).compute(scheduler=scheduler)

        assert [10, 11, 12, 13] == list(scored.index)
        assert list(frame().columns) == list(scored.columns)[:5]
        assert ["a", "b", "c", "d"] == list(scored["id"])
        assert [3, None, 2, 11] == [
            None if v is pd.NA else v for v in scored["pain_score"]
        ]
        first = Assessment.from_answers(
            {"saddle_numbness": True, "fever": False},
            age_years=47,
            pain_score=3,
        )
        assert expected_row(evaluate(first)) == result(scored, 10)
        assert expected_row(
            evaluate(
                Assessment.from_answers(
                    {"saddle_numbness": False, "fever": False}
                )
            )
        ) == result(scored, 11)
        assert result(scored, 12)["error"].startswith("fever='yes'")
        assert (
            "pain_score=11: must be from 0 to 10 points (0-10)"
            == (result(scored, 13)["error"])
        )
        assert result(scored, 13)["level"] is None

    @pytest.mark.parametrize("scheduler", SCHEDULERS)
    def test_meta_is_correct(self, scheduler: str) -> None:
        """
        The declared meta has exactly the computed columns and dtypes.
        """
        scored = spasmcare.dask.score(from_pandas(frame(), npartitions=3))

        computed = scored.compute(scheduler=scheduler)

        assert list(scored.columns) == list(computed.columns)
        assert scored.dtypes.equals(computed.dtypes)
        assert scored._meta.dtypes.equals(computed.dtypes)

    def test_ids(self) -> None:
        """
        The id column is read as the JSON's id: an integer column with
        gaps (floats in pandas) is fine; an id the JSON refuses is the
        row's error, naming the column and the value.
        """
        pandas_frame = pd.DataFrame(
            {"id": [1, None, 3], "fever": [True, True, True]}
        )
        pandas_frame.loc[2, "id"] = 2.5

        scored = spasmcare.dask.score(
            from_pandas(pandas_frame, npartitions=1)
        ).compute(scheduler="sync")

        assert scored["error"].iloc[:2].isna().all()
        assert scored["level"].iloc[:2].notna().all()
        assert (
            "id=2.5: expected a string, an integer or null, got float"
            == scored["error"].iloc[2]
        )

    def test_lazy(self) -> None:
        """
        Nothing is scored until computed; the graph holds a partition per
        input partition.
        """
        scored = spasmcare.dask.score(from_pandas(frame(), npartitions=2))

        assert isinstance(scored, dd.DataFrame)
        assert 2 == scored.npartitions

    def test_without_question_columns(self) -> None:
        """
        A frame without question columns is all unknown (never self-care).
        """
        plain = pd.DataFrame({"other": [1, 2]})

        scored = spasmcare.dask.score(from_pandas(plain, npartitions=1))

        assert ["consultation"] * 2 == list(
            scored["level"].compute(scheduler="sync")
        )

    def test_custom_rules(self) -> None:
        """
        The rule set given is applied and recorded.
        """
        rules = DEFAULT_RULES.without("spinal_infection", version="d")
        plain = pd.DataFrame({"fever": [True]})

        scored = spasmcare.dask.score(
            from_pandas(plain, npartitions=1), rules=rules
        ).compute(scheduler="sync")

        assert ["d"] == list(scored["rule_set_version"])
        assert expected_row(
            evaluate(Assessment.from_answers({"fever": True}), rules=rules)
        ) == result(scored, 0)

    @settings(max_examples=20)
    @given(
        st.lists(table_rows(), min_size=1, max_size=10),
        st.sampled_from(SCHEDULERS),
    )
    def test_same_as_evaluate(
        self, cases: list[tuple[Assessment, dict[str, Any]]], scheduler: str
    ) -> None:
        """
        For generated records, every row's results are what evaluate()
        gives for the same answers (property).
        """
        rows = [row for _, row in cases]
        pandas_frame = pd.DataFrame(rows)
        for column in pandas_frame.columns:
            # One type per column, as in real data: Dask turns an object
            # column's booleans into the text "True" (convert-string), so
            # booleans go in a boolean column, or are spelt as text.
            values = [v for v in pandas_frame[column] if v is not None]
            flags = [v for v in values if isinstance(v, bool)]
            if flags and len(flags) == len(values):
                pandas_frame[column] = pandas_frame[column].astype("boolean")
            elif flags:
                pandas_frame[column] = [
                    ("present" if v else "absent")
                    if isinstance(v, bool)
                    else v
                    for v in pandas_frame[column]
                ]

        scored = spasmcare.dask.score(
            from_pandas(pandas_frame, npartitions=2)
        ).compute(scheduler=scheduler)

        assert len(cases) == len(scored)
        for label, (assessment, _) in zip(scored.index, cases, strict=True):
            assert expected_row(evaluate(assessment)) == result(scored, label)


class TestErrors:
    """
    Bad arguments are the library's errors, raised before anything runs.
    """

    def test_not_a_dask_frame(self) -> None:
        """
        A pandas frame is not a Dask one.
        """
        with pytest.raises(InvalidTypeError) as raised:
            spasmcare.dask.score(frame())

        assert "frame" == raised.value.field

    def test_clashing_column(self) -> None:
        """
        A column named like a result column is refused.
        """
        clash = from_pandas(pd.DataFrame({"level": [1]}), npartitions=1)

        with pytest.raises(InvalidValueError) as raised:
            spasmcare.dask.score(clash)

        assert "level" == raised.value.value

    def test_bad_rules(self) -> None:
        """
        rules must be a RuleSet.
        """
        with pytest.raises(InvalidTypeError):
            spasmcare.dask.score(
                from_pandas(frame(), npartitions=1),
                rules="x",  # type: ignore[arg-type]
            )

    def test_dir(self) -> None:
        """
        dir() lists the public names.
        """
        assert ["score"] == dir(spasmcare.dask)


class TestExtra:
    """
    Importing spasmcare.dask without dask names the extra.
    """

    def test_import_error_names_the_extra(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """
        With dask missing, the ImportError says what to install.
        """
        monkeypatch.delitem(sys.modules, "spasmcare.dask")
        monkeypatch.setitem(sys.modules, "dask.dataframe", None)

        with pytest.raises(
            ImportError, match=r"pip install 'spasmcare\[dask\]'"
        ):
            importlib.import_module("spasmcare.dask")


def test_dask_config_untouched() -> None:
    """
    Scoring leaves the user's dask configuration alone.
    """
    before = dask.config.get("scheduler", None)

    spasmcare.dask.score(from_pandas(frame(), npartitions=1))

    assert before == dask.config.get("scheduler", None)
