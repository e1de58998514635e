# SPDX-License-Identifier: MIT
"""
Score a Dask DataFrame: one result row per input row, on any scheduler.

Needs the ``dask`` extra: ``pip install 'spasmcare[dask]'``.

>>> import dask.dataframe as dd
>>> import pandas as pd
>>> import spasmcare.dask
>>> frame = pd.DataFrame({
...     "id": ["a", "b"],
...     "saddle_numbness": ["present", "maybe"],
... })
>>> scored = spasmcare.dask.score(dd.from_pandas(frame, npartitions=1))
>>> done = scored.compute()
>>> done["level"].tolist()
['emergency', <NA>]
>>> done["error"].tolist()[1]
"saddle_numbness='maybe': must be present, absent or unknown, a boolean, or null"

The rows are read as :mod:`spasmcare.rows` describes, and the results are
the :data:`~spasmcare.rows.RESULT_COLUMNS`.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from typing import Any

from ._catalogue import DEFAULT_RULES
from ._rules import RuleSet
from .exceptions import InvalidTypeError, InvalidValueError
from .rows import ID_COLUMN, INPUT_COLUMNS, RESULT_COLUMNS, ColumnKind, Scorer

__all__ = ["score"]


def __dir__() -> list[str]:
    return list(__all__)


def _require() -> tuple[Any, Any]:
    try:
        import dask.dataframe as dd  # noqa: PLC0415
        import pandas as pd  # noqa: PLC0415
    except ImportError as error:
        raise ImportError(
            "spasmcare.dask needs the 'dask' extra: "
            "pip install 'spasmcare[dask]'"
        ) from error
    return dd, pd


dd, pd = _require()

_INPUT = frozenset(INPUT_COLUMNS)
_DTYPES = {
    ColumnKind.STRING: pd.StringDtype(),
    ColumnKind.BOOLEAN: pd.BooleanDtype(),
    ColumnKind.STRINGS: object,
}


def _values(series: Any) -> list[Any]:
    """
    A column's values as plain Python values, with ``None`` for every
    kind of missing value (NaN, ``pd.NA``).
    """
    values: list[Any] = (
        series.astype(object).where(series.notna(), None).tolist()
    )
    return values


def _score_partition(partition: Any, scorer: Scorer) -> Any:
    """
    One pandas partition with the result columns added.

    Used by :func:`score` for every partition, and for its ``meta``
    (the empty partition), so the result's types are always the
    declared ones.
    """
    columns = [
        name
        for name in partition.columns
        if name in _INPUT or name == ID_COLUMN
    ]
    values = [_values(partition[name]) for name in columns]
    rows = [
        dict(zip(columns, row, strict=True))
        for row in zip(*values, strict=True)
    ] or [{}] * len(partition)
    results = scorer.score(rows)
    added = pd.DataFrame(
        {
            column.name: pd.Series(
                results[column.name],
                index=partition.index,
                dtype=_DTYPES[column.kind],
            )
            for column in RESULT_COLUMNS
        },
        index=partition.index,
    )
    return pd.concat([partition, added], axis=1)


def score(frame: Any, *, rules: RuleSet = DEFAULT_RULES) -> Any:
    """
    Score every row of a Dask DataFrame.

    Each partition is scored with :meth:`spasmcare.rows.Scorer.score`
    (:func:`~spasmcare.evaluate_many` over its rows).
    Every input column and the index are kept; the
    :data:`~spasmcare.rows.RESULT_COLUMNS` are added.
    A row that cannot be read gets an ``error`` and is kept:
    as many rows come out as go in.
    Nothing is computed until you ask for it.

    Args:
        frame: A Dask DataFrame (``dask.dataframe.DataFrame``), one row
            per record.
        rules: The rule set to apply.

    Returns:
        A lazy DataFrame with a correct ``meta``.

    Raises:
        InvalidTypeError: *frame* is not a Dask DataFrame,
            or *rules* not a :class:`~spasmcare.RuleSet`.
        InvalidValueError: *frame* already has a result column.

    .. versionadded:: 0.1.0
    """
    if not isinstance(frame, dd.DataFrame):
        raise InvalidTypeError("frame", frame, "a dask DataFrame")
    scorer = Scorer(rules=rules)
    for column in RESULT_COLUMNS:
        if column.name in frame.columns:
            raise InvalidValueError(
                "frame",
                column.name,
                "is a result column; rename or drop it first",
            )
    meta = _score_partition(frame._meta, scorer)  # noqa: SLF001
    return frame.map_partitions(
        _score_partition, scorer, meta=meta, align_dataframes=False
    )
