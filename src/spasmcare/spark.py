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
   #  ('b', None, "saddle_numbness='maybe': must be present, absent or ...")]

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
    ID_COLUMN,
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
_INTEGER_TYPES = (
    st.ByteType,
    st.ShortType,
    st.IntegerType,
    st.LongType,
    st.NullType,
)
_NUMBER_TYPES = (*_INTEGER_TYPES, st.FloatType, st.DoubleType)
_ID_TYPES = (st.StringType, *_INTEGER_TYPES)


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


def _expected(name: str) -> tuple[tuple[type, ...], str]:
    """
    The Spark types a read column may have, and their description.
    """
    if name == ID_COLUMN:
        return _ID_TYPES, "a string or integer column (the correlation id)"
    if name in _ANSWERS:
        return _ANSWER_TYPES, "a string or boolean column"
    return _NUMBER_TYPES, "an integer or floating-point column"


def _check_columns(schema: Any) -> list[str]:
    """
    The columns of a frame's *schema* (a ``StructType``) that are read:
    its question columns and its ``id``, once their types are checked.
    """
    names = set(schema.fieldNames())
    for column in RESULT_COLUMNS:
        if column.name in names:
            raise InvalidValueError(
                "frame",
                column.name,
                "is a result column; rename or drop it first",
            )
    columns = []
    for field in schema.fields:
        if field.name not in _INPUT and field.name != ID_COLUMN:
            continue
        allowed, expected = _expected(field.name)
        if not isinstance(field.dataType, allowed):
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
            number columns, and an optional string or integer ``id``.
        rules: The rule set to apply.

    Returns:
        A DataFrame with the result columns added.

    Raises:
        InvalidTypeError: *frame* is not a DataFrame, *rules* not a
            :class:`~spasmcare.RuleSet`, or a question or ``id`` column
            has a type that cannot hold its values (cast it first).
        InvalidValueError: *frame* already has a result column.

    .. versionadded:: 0.1.0
    """
    if not isinstance(frame, DataFrame):
        raise InvalidTypeError("frame", frame, "a pyspark DataFrame")
    # The two lines that need a running Spark (a JVM): the README's
    # test command does not count them; .ci/run's Spark step covers
    # them (see .ci/coverage-spark.toml).
    function, schema = _plan(frame.schema, rules)  # JVM-only
    return frame.mapInArrow(function, schema)  # JVM-only


def _plan(
    schema: Any, rules: RuleSet
) -> tuple[functools.partial[Iterator[Any]], Any]:
    """
    What :func:`score` asks of Spark for a frame of *schema*:
    the function for ``mapInArrow``, and the result's schema.

    Raises:
        InvalidTypeError: As for :func:`score`.
        InvalidValueError: As for :func:`score`.
    """
    scorer = Scorer(rules=rules)
    columns = _check_columns(schema)
    result = st.StructType([*schema.fields, *result_schema().fields])
    # A partial, not a closure: the workers run _score_batches itself.
    function = functools.partial(
        _score_batches, scorer=scorer, columns=columns, schema=_arrow_schema()
    )
    return function, result
