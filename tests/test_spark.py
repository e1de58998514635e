# SPDX-License-Identifier: MIT
"""
spasmcare.spark on a real local Spark (``local[2]``), one session for
the module.

Deselected by default (slow: a JVM); ``.ci/run`` runs them in their own
step with ``-m spark``, under coverage.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from typing import Any

import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyspark.sql import DataFrame, SparkSession

import spasmcare.spark
from spasmcare import (
    DEFAULT_RULES,
    Assessment,
    InvalidTypeError,
    InvalidValueError,
    evaluate,
)
from spasmcare.rows import INPUT_COLUMNS, RESULT_COLUMNS, Scorer

from .strategies import rows as table_rows
from .test_rows import expected_row

pytestmark = [
    pytest.mark.spark,
    # PySpark 4.x warns about pandas 3 whenever it is imported with it;
    # spasmcare.spark uses Arrow (mapInArrow), not pandas.
    pytest.mark.filterwarnings(
        "ignore:PySpark does not yet fully support pandas:FutureWarning"
    ),
]

#: Every question column as text, for frames built from generated rows.
TEXT_SCHEMA = ", ".join(
    ["id string"]
    + [
        f"{name} {'string' if name not in ('age_years', 'pain_score', 'duration_days', 'episodes_past_year') else 'long'}"
        for name in INPUT_COLUMNS
    ]
)


@pytest.fixture(scope="module")
def spark() -> Iterator[SparkSession]:
    """
    One local Spark session with two cores for every test here.
    """
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ["SPARK_LOCAL_IP"] = "127.0.0.1"  # loopback only
    session = (
        SparkSession.builder.master("local[2]")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .appName("spasmcare-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.driver.memory", "1g")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def results(frame: DataFrame) -> dict[Any, dict[str, Any]]:
    """
    The result columns of each row, by id.
    """
    return {
        row["id"]: {c.name: row[c.name] for c in RESULT_COLUMNS}
        for row in frame.collect()
    }


class TestScore:
    """
    Rows in = rows out, input columns kept, results equal evaluate().
    """

    def test_the_documented_example(self, spark: SparkSession) -> None:
        """
        The module's example gives what it says.
        """
        frame = spark.createDataFrame(
            [("a", "present"), ("b", "maybe")],
            "id string, saddle_numbness string",
        )

        scored = spasmcare.spark.score(frame)

        assert [
            ("a", "emergency", None),
            (
                "b",
                None,
                (
                    "saddle_numbness='maybe': must be present, absent, "
                    "unknown, true, false or null"
                ),
            ),
        ] == [(row.id, row.level, row.error) for row in scored.collect()]

    def test_typed_columns(self, spark: SparkSession) -> None:
        """
        Boolean and string answers, integer and double numbers, nulls;
        every input column kept, in front.
        """
        frame = spark.createDataFrame(
            [
                ("a", True, "absent", 47.0, 3, "x"),
                ("b", False, None, None, None, "y"),
                ("c", None, "yes", 30.0, 2, "z"),
                ("d", False, "absent", 30.5, 11, "w"),
            ],
            "id string, saddle_numbness boolean, fever string, "
            "age_years double, pain_score int, note string",
        )

        scored = spasmcare.spark.score(frame)

        assert [*frame.columns, *(c.name for c in RESULT_COLUMNS)] == (
            scored.columns
        )
        out = results(scored)
        first = Assessment.from_answers(
            {"saddle_numbness": True, "fever": False},
            age_years=47,
            pain_score=3,
        )
        assert expected_row(evaluate(first)) == out["a"]
        assert (
            expected_row(
                evaluate(Assessment.from_answers({"saddle_numbness": False}))
            )
            == out["b"]
        )
        assert out["c"]["error"].startswith("fever='yes'")
        assert "age_years=30.5: must be a whole number" == out["d"]["error"]
        assert out["d"]["level"] is None
        assert DEFAULT_RULES.version == out["d"]["rule_set_version"]

    def test_rows_in_equal_rows_out(self, spark: SparkSession) -> None:
        """
        Over many partitions, with bad rows among them, every row comes
        out once.
        """
        frame = spark.range(0, 5000, numPartitions=7).selectExpr(
            "cast(id as string) as id",
            "case when id % 10 = 0 then 'maybe' "
            "when id % 3 = 0 then 'present' else 'absent' end "
            "as saddle_numbness",
            "id % 12 as pain_score",
        )

        scored = spasmcare.spark.score(frame)

        assert 5000 == scored.count()
        assert 5000 == scored.select("id").distinct().count()
        bad = scored.where("error is not null")
        # 'maybe' every 10th row, pain 11 every 12th (some rows both).
        assert {
            str(i) for i in range(5000) if i % 10 == 0 or i % 12 == 11
        } == {row.id for row in bad.select("id").collect()}
        assert 0 == bad.where("level is not null").count()

    @settings(
        max_examples=10,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture],
    )
    @given(st.lists(table_rows(), min_size=1, max_size=20))
    def test_same_as_evaluate(
        self,
        spark: SparkSession,
        cases: list[tuple[Assessment, dict[str, Any]]],
    ) -> None:
        """
        For generated records, every row's results are what evaluate()
        gives for the same answers (property).
        """
        rows = []
        for index, (_, row) in enumerate(cases):
            record: list[Any] = [str(index)]
            for name in INPUT_COLUMNS:
                value = row.get(name)
                if isinstance(value, bool):
                    value = "present" if value else "absent"
                if isinstance(value, float):
                    value = None if value != value else int(value)  # noqa: PLR0124
                record.append(value)
            rows.append(tuple(record))
        frame = spark.createDataFrame(rows, TEXT_SCHEMA).repartition(3)

        out = results(spasmcare.spark.score(frame))

        assert len(cases) == len(out)
        for index, (assessment, _) in enumerate(cases):
            assert expected_row(evaluate(assessment)) == out[str(index)]

    def test_custom_rules(self, spark: SparkSession) -> None:
        """
        The rule set given is applied and recorded.
        """
        rules = DEFAULT_RULES.without("spinal_infection", version="s")
        frame = spark.createDataFrame(
            [("a", True)], "id string, fever boolean"
        )

        out = results(spasmcare.spark.score(frame, rules=rules))

        assert (
            expected_row(
                evaluate(Assessment.from_answers({"fever": True}), rules=rules)
            )
            == out["a"]
        )

    def test_result_schema(self) -> None:
        """
        The result schema names each result column with its Spark type.
        """
        schema = spasmcare.spark.result_schema()

        assert [c.name for c in RESULT_COLUMNS] == schema.fieldNames()
        assert "array<string>" == schema["fired"].dataType.simpleString()
        assert "boolean" == schema["referral_required"].dataType.simpleString()


class TestErrors:
    """
    Bad arguments are the library's errors, raised before any job runs.
    """

    def test_not_a_frame(self) -> None:
        """
        A list is not a DataFrame.
        """
        with pytest.raises(InvalidTypeError) as raised:
            spasmcare.spark.score([])

        assert "frame" == raised.value.field

    def test_clashing_column(self, spark: SparkSession) -> None:
        """
        A column named like a result column is refused.
        """
        frame = spark.createDataFrame([("x",)], "level string")

        with pytest.raises(InvalidValueError) as raised:
            spasmcare.spark.score(frame)

        assert "level" == raised.value.value

    @pytest.mark.parametrize(
        ("schema", "field"),
        [
            ("fever int", "frame.fever"),
            ("pain_score string", "frame.pain_score"),
        ],
    )
    def test_column_types(
        self, spark: SparkSession, schema: str, field: str
    ) -> None:
        """
        A question column of a type that cannot hold its answers is
        refused, naming it and its type.
        """
        frame = spark.createDataFrame([], schema)

        with pytest.raises(InvalidTypeError) as raised:
            spasmcare.spark.score(frame)

        assert field == raised.value.field

    def test_dir(self) -> None:
        """
        dir() lists the public names.
        """
        assert ["result_schema", "score"] == dir(spasmcare.spark)


class _Short(Scorer):
    """
    A broken scorer that loses a row, to show the check works.
    """

    def score(self, rows: Any) -> dict[str, list[Any]]:
        out = super().score(rows)
        return {name: values[1:] for name, values in out.items()}


class TestWorkerFunction:
    """
    The function that runs on the workers, here in this process.
    """

    def arrow(self) -> Any:
        """
        The Arrow schema of the results.
        """
        return spasmcare.spark._arrow_schema()

    def test_batches(self) -> None:
        """
        Each batch comes back with its columns and the results.
        """
        data: dict[str, list[Any]] = {
            "id": ["a", "b"],
            "fever": [True, None],
            "x": [1, 2],
        }
        batch = pa.record_batch(data)

        (out,) = spasmcare.spark._score_batches(
            iter([batch]), Scorer(), ["fever"], self.arrow()
        )

        assert ["id", "fever", "x", *(c.name for c in RESULT_COLUMNS)] == (
            out.schema.names
        )
        assert expected_row(
            evaluate(Assessment.from_answers({"fever": True}))
        ) == {c.name: out.column(c.name)[0].as_py() for c in RESULT_COLUMNS}

    def test_rows_in_equal_rows_out_is_checked(self) -> None:
        """
        A scorer that lost a row stops the batch with an error.
        """
        batch = pa.record_batch({"fever": [True, None]})

        with pytest.raises(AssertionError, match="2 rows in, 1 out"):
            list(
                spasmcare.spark._score_batches(
                    iter([batch]), _Short(), ["fever"], self.arrow()
                )
            )


class TestExtra:
    """
    Importing spasmcare.spark without pyspark names the extra.
    """

    def test_import_error_names_the_extra(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """
        With pyspark missing, the ImportError says what to install.
        """
        import importlib  # noqa: PLC0415

        monkeypatch.delitem(sys.modules, "spasmcare.spark")
        monkeypatch.setitem(sys.modules, "pyspark.sql.types", None)

        with pytest.raises(
            ImportError, match=r"pip install 'spasmcare\[spark\]'"
        ):
            importlib.import_module("spasmcare.spark")
