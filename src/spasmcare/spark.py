# SPDX-License-Identifier: MIT
"""
Score a Spark DataFrame: one result row per input row, on any cluster.

Needs the ``spark`` extra: ``pip install 'spasmcare[spark]'``
(PySpark 4 or later, with pyarrow).

.. code-block:: python

   import spasmcare.spark

   frame = spark.createDataFrame(
       [("a", "present"), ("b", "maybe")],
       "id string, saddle_numbness string",
   )
   scored = spasmcare.spark.score(frame)
   [(row.id, row.level, row.error) for row in scored.collect()]
   # [('a', 'emergency', None),
   #  ('b', None, "saddle_numbness='maybe': must be present, absent, ...")]

The rows are read as :mod:`spasmcare.rows` describes, and the results are
the :data:`~spasmcare.rows.RESULT_COLUMNS`.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from typing import Any

from ._catalogue import DEFAULT_RULES
from ._rules import RuleSet
from .exceptions import InvalidTypeError, InvalidValueError
from .rows import (
    ANSWER_COLUMNS,
    INPUT_COLUMNS,
    NUMBER_COLUMNS,
    RESULT_COLUMNS,
    ColumnKind,
    Scorer,
)

__all__ = ["result_schema", "score"]


def __dir__() -> list[str]:
    return list(__all__)


def _require() -> tuple[Any, Any]:
    try:
        import pyarrow as pa  # noqa: PLC0415
        import pyspark.sql.types as st  # noqa: PLC0415
        from pyspark.sql import DataFrame  # noqa: PLC0415, F401
    except ImportError as error:
        raise ImportError(
            "spasmcare.spark needs the 'spark' extra: "
            "pip install 'spasmcare[spark]'"
        ) from error
    return pa, st


pa, st = _require()
from pyspark.sql import DataFrame  # noqa: E402 (after the guard)

_INPUT = frozenset(INPUT_COLUMNS)
_ANSWERS = frozenset(ANSWER_COLUMNS)
_NUMBERS = frozenset(NUMBER_COLUMNS)
_SPARK_TYPES = {
    ColumnKind.STRING: st.StringType(),
    ColumnKind.BOOLEAN: st.BooleanType(),
    ColumnKind.STRINGS: st.ArrayType(st.StringType()),
}
_ANSWER_TYPES = (st.StringType, st.BooleanType, st.NullType)
_NUMBER_TYPES = (
    st.ByteType,
    st.ShortType,
    st.IntegerType,
    st.LongType,
    st.FloatType,
    st.DoubleType,
    st.NullType,
)


def result_schema() -> Any:
    """
    The result columns as a Spark schema (a ``StructType``), in order.
    """
    return st.StructType(
        [
            st.StructField(
                column.name, _SPARK_TYPES[column.kind], nullable=True
            )
            for column in RESULT_COLUMNS
        ]
    )


def _score_batches(
    batches: Iterator[Any], scorer: Scorer, columns: list[str], schema: Any
) -> Iterator[Any]:
    """
    Each Arrow record batch with the result columns added.

    This is what runs on the workers (``mapInArrow``): it reads the
    question *columns* of each batch as rows, scores them with
    :meth:`~spasmcare.rows.Scorer.score` and appends the results,
    as Arrow arrays of the types in the Arrow *schema* of the result.
    Rows in = rows out, in order; that is checked for every batch.
    """
    for batch in batches:
        rows = batch.select(columns).to_pylist()
        results = scorer.score(rows)
        arrays = list(batch.columns)
        names = list(batch.schema.names)
        for field in schema:
            values = results[field.name]
            if len(values) != batch.num_rows:  # only a bug could do it
                msg = f"{batch.num_rows} rows in, {len(values)} out"
                raise AssertionError(msg)
            arrays.append(pa.array(values, type=field.type))
            names.append(field.name)
        yield pa.RecordBatch.from_arrays(arrays, names=names)


def _check_columns(frame: Any) -> list[str]:
    """
    The question columns of *frame*, once their types are checked.
    """
    names = set(frame.columns)
    for column in RESULT_COLUMNS:
        if column.name in names:
            raise InvalidValueError(
                "frame",
                column.name,
                "is a result column; rename or drop it first",
            )
    columns = []
    for field in frame.schema.fields:
        if field.name not in _INPUT:
            continue
        allowed = _ANSWER_TYPES if field.name in _ANSWERS else _NUMBER_TYPES
        if not isinstance(field.dataType, allowed):
            expected = (
                "a string or boolean column"
                if field.name in _ANSWERS
                else "an integer or floating-point column"
            )
            raise InvalidTypeError(
                f"frame.{field.name}", field.dataType.simpleString(), expected
            )
        columns.append(field.name)
    return columns


def _arrow_schema() -> Any:
    kinds = {
        ColumnKind.STRING: pa.string(),
        ColumnKind.BOOLEAN: pa.bool_(),
        ColumnKind.STRINGS: pa.list_(pa.string()),
    }
    return pa.schema([(c.name, kinds[c.kind]) for c in RESULT_COLUMNS])


def score(frame: Any, *, rules: RuleSet = DEFAULT_RULES) -> Any:
    """
    Score every row of a Spark DataFrame.

    Runs a function over the frame with ``mapInArrow``:
    each Arrow batch is scored with :meth:`spasmcare.rows.Scorer.score`
    (:func:`~spasmcare.evaluate_many` over its rows), and the rule set
    is compiled once per worker process.
    Every input column is kept; the :func:`result_schema` columns are
    added. A row that cannot be read gets an ``error`` and is kept:
    as many rows come out as go in, and no row fails the job.
    Nothing runs until an action (``count``, ``write``, ...).

    Args:
        frame: A ``pyspark.sql.DataFrame``, one row per record:
            string or boolean answer columns, integer or floating-point
            number columns.
        rules: The rule set to apply.

    Returns:
        A DataFrame with the result columns added.

    Raises:
        InvalidTypeError: *frame* is not a DataFrame, *rules* not a
            :class:`~spasmcare.RuleSet`, or a question column has a type
            that cannot hold its answers (cast it first).
        InvalidValueError: *frame* already has a result column.

    .. versionadded:: 0.1.0
    """
    if not isinstance(frame, DataFrame):
        raise InvalidTypeError("frame", frame, "a pyspark DataFrame")
    scorer = Scorer(rules=rules)
    columns = _check_columns(frame)
    arrow = _arrow_schema()
    schema = st.StructType([*frame.schema.fields, *result_schema().fields])

    # A partial, not a closure: the workers run _score_batches itself.
    batches = functools.partial(
        _score_batches, scorer=scorer, columns=columns, schema=arrow
    )
    return frame.mapInArrow(batches, schema)
