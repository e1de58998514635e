# SPDX-License-Identifier: MIT
"""
Flat rows in, flat results out: the mapping every table face shares.

A *row* is one record of a table (a CSV or Parquet file, a Spark or Dask
DataFrame), read as a mapping from column name to a plain value.
The ``spasmcare batch`` command, :mod:`spasmcare.spark` and
:mod:`spasmcare.dask` all read rows, and write results, through this
module, so the three give the same answer for the same record:
the answer :func:`spasmcare.evaluate` gives.

**Input columns.**
Each yes/no question is a column named by its finding id
(:data:`ANSWER_COLUMNS`), holding:

========================  =========================
value                     answer
========================  =========================
``"present"``, ``True``   present
``"absent"``, ``False``   absent
``"unknown"``             unknown
null, ``""``, NaN         unknown
========================  =========================

Each number is a column named like the field of
:class:`~spasmcare.Assessment` (:data:`NUMBER_COLUMNS`),
holding a whole number, or null when unknown
(a float with a whole value, such as pandas makes of an integer column
with gaps, is read as that whole number).
A question whose column is missing is unknown: it is never read as "no".
These are the answers of the JSON wire format
(:func:`spasmcare.load_assessment`), plus ``""`` and NaN,
which is how tables write a missing value.

An ``id`` column (:data:`ID_COLUMN`) is the record's correlation id,
as in the JSON (:attr:`spasmcare.Assessment.id`): a string or a 64-bit
integer (or a float with a whole value), or null for none.
Other columns are not read.

**Result columns** (:data:`RESULT_COLUMNS`) are named like the fields of
the escalation's JSON document (:func:`spasmcare.dump_escalation`).
A row that cannot be read is never dropped and never stops a batch:
its ``error`` column names the column and the value,
its result columns are null, and the other rows are scored as usual.

>>> from spasmcare.rows import Scorer
>>> scorer = Scorer()
>>> results = scorer.score([
...     {"saddle_numbness": "present", "age_years": 47},
...     {"saddle_numbness": "maybe"},
... ])
>>> results["level"], results["fired"]
(['emergency', None], [['cauda_equina'], None])
>>> results["error"][1]
"saddle_numbness='maybe': must be present, absent or unknown, a boolean, or null"

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import enum
import math
import pickle
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from ._batch import evaluate_many
from ._catalogue import DEFAULT_RULES
from ._evaluate import Escalation
from ._findings import NUMBER_IDS, QUESTIONS, AnswerKind
from ._json import _answer as _json_answer
from ._model import Answer, Assessment
from ._rules import RuleSet
from .exceptions import InvalidTypeError, InvalidValueError, SpasmcareError

__all__ = [
    "ANSWER_COLUMNS",
    "ID_COLUMN",
    "INDEX_COLUMN",
    "INPUT_COLUMNS",
    "NUMBER_COLUMNS",
    "RESULT_COLUMNS",
    "Column",
    "ColumnKind",
    "Scorer",
    "assessment_from_row",
]


def __dir__() -> list[str]:
    return list(__all__)


#: The yes/no question columns, named by finding id, in catalogue order.
ANSWER_COLUMNS: tuple[str, ...] = tuple(
    q.id for q in QUESTIONS.values() if q.kind is AnswerKind.YES_NO
)
#: The number columns, named like the numeric fields of
#: :class:`~spasmcare.Assessment`.
NUMBER_COLUMNS: tuple[str, ...] = NUMBER_IDS
#: Every column a row is read from.
INPUT_COLUMNS: tuple[str, ...] = (*ANSWER_COLUMNS, *NUMBER_COLUMNS)
#: The record's optional correlation id, named and checked as in the
#: JSON (:attr:`spasmcare.Assessment.id`); batch results carry it
#: (the DataFrame faces keep every input column anyway).
ID_COLUMN = "id"
#: The 0-based position of a record in a batch's input, named like
#: :attr:`spasmcare.BatchResult.index`.
INDEX_COLUMN = "index"


class ColumnKind(enum.Enum):
    """
    The type of a result column, for each engine to map to its own.

    .. versionadded:: 0.1.0
    """

    #: Text, or null.
    STRING = "string"
    #: ``True`` or ``False``, or null.
    BOOLEAN = "boolean"
    #: A list of text values, or null.
    STRINGS = "strings"


@attrs.frozen(kw_only=True)
class Column:
    """
    One result column.

    Attributes:
        name: The column's name.
        kind: Its type.
        description: What it holds.

    .. versionadded:: 0.1.0
    """

    name: str
    kind: ColumnKind
    description: str


#: The columns a score adds, in order.
RESULT_COLUMNS: tuple[Column, ...] = (
    Column(
        name="level",
        kind=ColumnKind.STRING,
        description=(
            "How urgently to refer: the level's code, as in the JSON "
            "documents (self_care, consultation, consultation_24, "
            "emergency, emergency_ambulance)."
        ),
    ),
    Column(
        name="referral_required",
        kind=ColumnKind.BOOLEAN,
        description="Whether a clinician should see the person.",
    ),
    Column(
        name="screening_complete",
        kind=ColumnKind.BOOLEAN,
        description=(
            "Whether every rule was decided and every red-flag question "
            "answered."
        ),
    ),
    Column(
        name="fired",
        kind=ColumnKind.STRINGS,
        description="Ids of the rules that fired, most urgent first.",
    ),
    Column(
        name="unanswered",
        kind=ColumnKind.STRINGS,
        description=(
            "Ids of the questions still unknown that matter (every "
            "red-flag question among them), most urgent first."
        ),
    ),
    Column(
        name="rule_set_id",
        kind=ColumnKind.STRING,
        description="The id of the rule set used (set on every row).",
    ),
    Column(
        name="rule_set_version",
        kind=ColumnKind.STRING,
        description="Its version (set on every row).",
    ),
    Column(
        name="rule_set_digest",
        kind=ColumnKind.STRING,
        description="Its SHA-256 digest (set on every row).",
    ),
    Column(
        name="error",
        kind=ColumnKind.STRING,
        description=(
            "Null when the row was scored; otherwise why it could not be "
            "read, naming the column and the value (the columns above "
            "the rule set's are then null)."
        ),
    ),
)

_ANSWER_IDS = frozenset(ANSWER_COLUMNS)
_NUMBER_IDS = frozenset(NUMBER_COLUMNS)


def _answer(column: str, value: Any) -> Answer:
    answer = _json_answer(
        value
    )  # the JSON's: the three strings, booleans, null
    if answer is not None:
        return answer
    if value == "" or (isinstance(value, float) and math.isnan(value)):
        return Answer.UNKNOWN  # a table's missing value
    if isinstance(value, str):
        raise InvalidValueError(
            column,
            value,
            "must be present, absent or unknown, a boolean, or null",
        )
    raise InvalidTypeError(
        column, value, "present, absent, unknown, a boolean or null"
    )


def _number(column: str, value: Any) -> int | None:
    if value is None:
        return None
    if type(value) is int:
        return value
    if isinstance(value, float):
        if math.isnan(value):
            return None
        if value.is_integer():
            return int(value)
        raise InvalidValueError(column, value, "must be a whole number")
    if isinstance(value, int) and not isinstance(value, bool):
        return int(value)
    raise InvalidTypeError(column, value, "a whole number or null")


def _id(value: Any) -> Any:
    """
    A table's id cell as the id it stands for: NaN (pandas' missing
    value) is none, and a whole float is that whole number (as pandas
    makes of an integer id column with gaps), as for the number columns;
    anything else is checked by the assessment.
    """
    if isinstance(value, float):
        if math.isnan(value):
            return None
        if value.is_integer():
            return int(value)
    return value


def assessment_from_row(row: Mapping[str, Any]) -> Assessment:
    """
    Read one row (see the module's docstring) as an assessment.

    Args:
        row: Column name to value; columns that are neither questions
            nor the ``id`` are not read.

    Returns:
        The assessment.

    Raises:
        InvalidValueError: A value is not allowed (an unknown answer,
            a number out of range); its ``field`` is the column's name.
        InvalidTypeError: A value has the wrong type, or *row* is not a
            mapping; its ``field`` is the column's name.

    >>> from spasmcare.rows import assessment_from_row
    >>> assessment_from_row({"fever": False, "pain_score": 4.0, "id": "r1"})
    Assessment(symptoms=(Symptom(finding='fever', answer=<Answer.ABSENT: 'absent'>),), age_years=None, pain_score=4, duration_days=None, episodes_past_year=None, id='r1')

    .. versionadded:: 0.1.0
    """
    if not isinstance(row, Mapping):
        raise InvalidTypeError("row", row, "a mapping of column to value")
    answers: dict[str, Answer] = {}
    numbers: dict[str, int | None] = {}
    for column, value in row.items():
        if column in _ANSWER_IDS:
            answers[column] = _answer(column, value)
        elif column in _NUMBER_IDS:
            numbers[column] = _number(column, value)
    try:
        return Assessment.from_answers(
            answers, id=_id(row.get(ID_COLUMN)), **numbers
        )
    except InvalidValueError as error:
        # "Assessment.pain_score" -> the column, "pain_score".
        raise InvalidValueError(
            error.field.rpartition(".")[2], error.value, error.reason
        ) from None
    except InvalidTypeError as error:  # only the id's type is left to check
        raise InvalidTypeError(
            ID_COLUMN, error.value, "a string, an integer or null"
        ) from None


def _problems(error: SpasmcareError) -> list[str]:
    """
    What is wrong, one line per problem: ``where: message`` for each of
    an :class:`~spasmcare.InvalidJSONError`'s problems, else the error's
    message (which names the field and the value).
    """
    found = getattr(error, "problems", None)
    if found:
        return [f"{where}: {message}" for where, message in found]
    return [str(error)]


def _digest(rules: RuleSet) -> str:
    return rules.digest


#: Scorers made when unpickled, by the pickled rule set: a worker that
#: unpickles the same scorer for task after task compiles its rules once.
_UNPICKLED: dict[bytes, Scorer] = {}
_KEEP = 8


def _unpickle(rules: bytes) -> Scorer:
    scorer = _UNPICKLED.get(rules)
    if scorer is None:
        if len(_UNPICKLED) >= _KEEP:
            del _UNPICKLED[next(iter(_UNPICKLED))]
        scorer = _UNPICKLED[rules] = Scorer(rules=pickle.loads(rules))  # noqa: S301 (our own bytes, from __reduce__)
    return scorer


def _check_rules(_: object, __: Any, value: Any) -> None:
    if not isinstance(value, RuleSet):
        raise InvalidTypeError("Scorer.rules", value, "a RuleSet")


@attrs.frozen(kw_only=True)
class Scorer:
    """
    Score batches of rows with one rule set.

    A scorer is small to send to the workers of a cluster:
    it pickles as its rule set, and a process that unpickles the same
    scorer again (task after task, as Spark's and Dask's workers do)
    gets the scorer it made the first time,
    whose rules are already compiled.

    Attributes:
        rules: The rule set to apply.

    Raises:
        InvalidTypeError: *rules* is not a :class:`~spasmcare.RuleSet`.

    .. versionadded:: 0.1.0
    """

    rules: RuleSet = attrs.field(default=DEFAULT_RULES, validator=_check_rules)

    def __reduce__(self) -> tuple[Any, tuple[bytes]]:
        return _unpickle, (pickle.dumps(self.rules),)

    def score(self, rows: Iterable[Mapping[str, Any]]) -> dict[str, list[Any]]:
        """
        Score a batch of rows.

        The rows are read with :func:`assessment_from_row` and
        evaluated with :func:`spasmcare.evaluate_many`.

        Args:
            rows: The batch.

        Returns:
            Each result column's name (:data:`RESULT_COLUMNS`) and its
            values, one per row, in order: as many values as rows.
        """
        items: list[Assessment | SpasmcareError] = []
        for row in rows:
            try:
                items.append(assessment_from_row(row))
            except SpasmcareError as error:
                items.append(error)
        return self._results(items)

    def _results(
        self, items: list[Assessment | SpasmcareError]
    ) -> dict[str, list[Any]]:
        """
        The result columns for assessments, and errors where a row could
        not be read.
        """
        rules = self.rules
        escalations = evaluate_many(
            [item for item in items if isinstance(item, Assessment)],
            rules=rules,
        )
        level: list[str | None] = []
        referral: list[bool | None] = []
        complete: list[bool | None] = []
        fired: list[list[str] | None] = []
        unanswered: list[list[str] | None] = []
        errors: list[str | None] = []
        for item in items:
            if isinstance(item, Assessment):
                escalation: Escalation = next(escalations)
                level.append(escalation.level.value)
                referral.append(escalation.referral_required)
                complete.append(not escalation.unanswered)
                fired.append([f.rule.id for f in escalation.fired])
                unanswered.append(list(escalation.unanswered))
                errors.append(None)
            else:
                level.append(None)
                referral.append(None)
                complete.append(None)
                fired.append(None)
                unanswered.append(None)
                errors.append("; ".join(_problems(item)))
        count = len(items)
        return {
            "level": level,
            "referral_required": referral,
            "screening_complete": complete,
            "fired": fired,
            "unanswered": unanswered,
            "rule_set_id": [rules.id] * count,
            "rule_set_version": [rules.version] * count,
            "rule_set_digest": [rules._cached(_digest)] * count,  # noqa: SLF001
            "error": errors,
        }
