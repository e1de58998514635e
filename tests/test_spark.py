# SPDX-License-Identifier: MIT
"""
spasmcare.spark: its code in this process, and on a real local Spark.

The tests without a ``spark`` fixture need no JVM (pyspark imports
without one): they run in the default suite and cover spasmcare.spark
but for its two ``# JVM-only`` lines. The classes marked ``spark`` start
one local Spark session (``local[2]``) for the module; they are
deselected by default, and ``.ci/run`` runs them in their own step
(``-m spark``) under coverage, which checks those two lines too
(``.ci/coverage-spark.toml``).
"""

from __future__ import annotations

import math
import os
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import types as spark_types

import spasmcare.spark
from spasmcare import (
    DEFAULT_RULES,
    Assessment,
    InvalidTypeError,
    InvalidValueError,
    evaluate,
)
from spasmcare.rows import (
    INPUT_COLUMNS,
    NUMBER_COLUMNS,
    RESULT_COLUMNS,
    Scorer,
)

from .strategies import rows as table_rows
from .test_rows import expected_row

pytestmark = [
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
        f"{name} {'long' if name in NUMBER_COLUMNS else 'string'}"
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


@pytest.mark.spark
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
                    "saddle_numbness='maybe': must be present, absent or "
                    "unknown, a boolean, or null"
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
        rows = [
            (str(index), *(text_row(row)[name] for name in INPUT_COLUMNS))
            for index, (_, row) in enumerate(cases)
        ]
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

    def test_ids(self, spark: SparkSession) -> None:
        """
        A string or integer id column is read as the JSON's id: an id the
        JSON refuses is the row's error; a column of another type is
        refused before any job runs.
        """
        frame = spark.createDataFrame(
            [("a", True), ("", True)], "id string, fever boolean"
        )

        out = [row.error for row in spasmcare.spark.score(frame).collect()]

        assert [None, "id='': must be 1 to 256 characters, not all blank"] == (
            out
        )
        with pytest.raises(InvalidTypeError) as raised:
            spasmcare.spark.score(spark.createDataFrame([], "id double"))
        assert "frame.id" == raised.value.field

    def test_bad_frames_fail_before_a_job(self, spark: SparkSession) -> None:
        """
        A real frame with a result column, or a question column of the
        wrong type, is refused when score() is called.
        """
        with pytest.raises(InvalidValueError) as clash:
            spasmcare.spark.score(
                spark.createDataFrame([("x",)], "level string")
            )
        with pytest.raises(InvalidTypeError) as typed:
            spasmcare.spark.score(spark.createDataFrame([], "fever int"))

        assert "level" == clash.value.value
        assert "frame.fever" == typed.value.field


def schema_of(*fields: tuple[str, Any]) -> Any:
    """
    A Spark schema (no session needed) of these names and types.
    """
    return spark_types.StructType(
        [spark_types.StructField(name, kind) for name, kind in fields]
    )


class TestPlan:
    """
    What score() asks of Spark, worked out without a JVM.
    """

    def test_result_schema(self) -> None:
        """
        The result schema names each result column with its Spark type.
        """
        schema = spasmcare.spark.result_schema()

        assert [c.name for c in RESULT_COLUMNS] == schema.fieldNames()
        assert "array<string>" == schema["fired"].dataType.simpleString()
        assert "boolean" == schema["referral_required"].dataType.simpleString()

    def test_plan(self) -> None:
        """
        The input columns come first, then the results; the function
        reads the question columns and the id, and nothing else, with
        the rule set given.
        """
        rules = DEFAULT_RULES.without("spinal_infection", version="s")
        given = schema_of(
            ("note", spark_types.StringType()),
            ("fever", spark_types.BooleanType()),
            ("id", spark_types.LongType()),
            ("pain_score", spark_types.DoubleType()),
        )

        function, schema = spasmcare.spark._plan(given, rules)

        assert [
            "note",
            "fever",
            "id",
            "pain_score",
            *(c.name for c in RESULT_COLUMNS),
        ] == schema.fieldNames()
        assert ["fever", "id", "pain_score"] == function.keywords["columns"]
        assert rules is function.keywords["scorer"].rules
        assert function.func is spasmcare.spark._score_batches

    @pytest.mark.parametrize(
        "kind",
        [
            spark_types.StringType(),
            spark_types.IntegerType(),
            spark_types.LongType(),
            spark_types.NullType(),
        ],
    )
    def test_id_types(self, kind: Any) -> None:
        """
        A string or integer id column is read.
        """
        _, schema = spasmcare.spark._plan(
            schema_of(("id", kind)), DEFAULT_RULES
        )

        assert kind == schema["id"].dataType

    def test_clashing_column(self) -> None:
        """
        A column named like a result column is refused.
        """
        with pytest.raises(InvalidValueError) as raised:
            spasmcare.spark._plan(
                schema_of(("level", spark_types.StringType())), DEFAULT_RULES
            )

        assert "frame" == raised.value.field
        assert "level" == raised.value.value

    @pytest.mark.parametrize(
        ("name", "kind", "expected"),
        [
            ("fever", spark_types.IntegerType(), "a string or boolean column"),
            (
                "pain_score",
                spark_types.StringType(),
                "an integer or floating-point column",
            ),
            (
                "id",
                spark_types.DoubleType(),
                "a string or integer column (the correlation id)",
            ),
        ],
    )
    def test_column_types(self, name: str, kind: Any, expected: str) -> None:
        """
        A read column of a type that cannot hold its values is refused,
        naming it and its type.
        """
        with pytest.raises(InvalidTypeError) as raised:
            spasmcare.spark._plan(schema_of((name, kind)), DEFAULT_RULES)

        assert f"frame.{name}" == raised.value.field
        assert kind.simpleString() == raised.value.value
        assert expected == raised.value.expected

    def test_bad_rules(self) -> None:
        """
        The rules must be a rule set.
        """
        with pytest.raises(InvalidTypeError):
            spasmcare.spark._plan(schema_of(), "rules")  # type: ignore[arg-type]

    def test_not_a_frame(self) -> None:
        """
        A list is not a DataFrame.
        """
        with pytest.raises(InvalidTypeError) as raised:
            spasmcare.spark.score([])

        assert "frame" == raised.value.field

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


#: Every question column as text (numbers as integers), and the id.
TEXT_ARROW_SCHEMA = pa.schema(
    [("id", pa.string())]
    + [
        (name, pa.int64() if name in NUMBER_COLUMNS else pa.string())
        for name in INPUT_COLUMNS
    ]
)


class TestWorkerFunction:
    """
    The function that runs on the workers, here in this process, on
    Arrow batches as mapInArrow hands them over.
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
        assert self.arrow() == pa.schema(
            [out.schema.field(c.name) for c in RESULT_COLUMNS]
        )

    @given(
        st.lists(
            st.lists(table_rows(), min_size=1, max_size=6),
            min_size=1,
            max_size=3,
        )
    )
    def test_same_as_evaluate(
        self, batches: list[list[tuple[Assessment, dict[str, Any]]]]
    ) -> None:
        """
        For generated records, batch after batch, every row's results
        are what evaluate() gives (property).
        """
        arrow = [
            pa.RecordBatch.from_pylist(
                [text_row(row) for _, row in cases], schema=TEXT_ARROW_SCHEMA
            )
            for cases in batches
        ]

        out = list(
            spasmcare.spark._score_batches(
                iter(arrow),
                Scorer(),
                ["id", *INPUT_COLUMNS],
                self.arrow(),
            )
        )

        assert [len(cases) for cases in batches] == [b.num_rows for b in out]
        for cases, batch in zip(batches, out, strict=True):
            for index, (assessment, _) in enumerate(cases):
                assert expected_row(evaluate(assessment)) == {
                    c.name: batch.column(c.name)[index].as_py()
                    for c in RESULT_COLUMNS
                }

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
        ) as raised:
            importlib.import_module("spasmcare.spark")

        assert isinstance(raised.value.__cause__, ImportError)

    def test_without_pyspark_in_a_fresh_process(self) -> None:
        """
        In a process where pyspark cannot be found at all (a finder that
        refuses it, as if it were not installed), ``import spasmcare``
        works and ``import spasmcare.spark`` names the extra.
        """
        code = """
import importlib.abc, sys

class NoPyspark(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name == "pyspark" or name.startswith("pyspark."):
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None

sys.meta_path.insert(0, NoPyspark())
import spasmcare
print(spasmcare.evaluate(spasmcare.Assessment()).level.name)
try:
    import spasmcare.spark
except ImportError as error:
    print(error)
print(sorted(name for name in sys.modules if name.startswith("pyspark")))
"""

        result = subprocess.run(  # noqa: S603 (our own interpreter)
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        )

        assert [
            "ROUTINE",
            (
                "spasmcare.spark needs the 'spark' extra: "
                "pip install 'spasmcare[spark]'"
            ),
            "[]",
        ] == result.stdout.splitlines()


def text_row(row: dict[str, Any]) -> dict[str, Any]:
    """
    A generated row as text columns hold it: answers as strings, numbers
    as integers or null.
    """
    out: dict[str, Any] = {"id": row.get("id")}
    for name in INPUT_COLUMNS:
        value = row.get(name)
        if isinstance(value, bool):
            value = "present" if value else "absent"
        elif isinstance(value, float):
            value = None if math.isnan(value) else int(value)
        out[name] = value
    if isinstance(out["id"], float):  # NaN: no id
        out["id"] = None
    return out
