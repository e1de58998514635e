# SPDX-License-Identifier: MIT
"""
JSON in and out, through one strict cattrs converter.

An :class:`~spasmcare.Assessment` is read from, and written to,
a JSON object of this shape (the one wire format of every face)::

    {
      "schema_version": "1",
      "id": "encounter-42",
      "answers": {"fever": "absent", "chest_pain": "present"},
      "age_years": 35,
      "pain_score": 4,
      "duration_days": 2,
      "episodes_past_year": 0
    }

Every key but ``schema_version`` may be left out:
a finding that is not in ``answers`` is unknown, and so is a number that
is left out or ``null``.
An answer may also be written ``true`` (present), ``false`` (absent) or
``null`` (unknown); output always uses the three strings.
``id`` is an optional, opaque correlation id (a string or an integer),
carried to every output. A whole-number float id (``5.0``) is read as that
integer (``5``), as JSON Schema and JavaScript count it; any other
fraction (``5.5``) is refused.
Escalations, care plans, reports and interview prompts are written
(never read back) with the same converter.
The JSON Schemas in :mod:`spasmcare._schema` are generated from the same
classes and the same tables as this module.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import re
import threading
import typing
from collections.abc import Callable, Mapping
from typing import Any

import attrs
from cattrs.errors import ClassValidationError, ForbiddenExtraKeysError
from cattrs.gen import (
    make_dict_structure_fn,
    make_dict_unstructure_fn,
    override,
)
from cattrs.preconf.json import make_converter

from ._careplan import (
    CarePlan,
    PertinentNegative,
    Phase,
    Reason,
    SafetyNet,
    Schedule,
    Step,
    StepKind,
)
from ._catalogue import DEFAULT_RULES
from ._citations import Citation
from ._evaluate import Escalation, FiredRule
from ._findings import FINDING_IDS, GROUPS, NUMBER_IDS, QUESTIONS
from ._model import Answer, Assessment, Symptom
from ._region import Region
from ._rules import Rule, RuleSet
from ._urgency import TriageCategory, Urgency
from .criteria import Fact
from .exceptions import (
    InvalidJSONError,
    InvalidTypeError,
    InvalidValueError,
    MismatchError,
    RuleSetMismatchError,
    SpasmcareError,
    _digits,
    _is_long_int,
)
from .exceptions import _clip as clip

if typing.TYPE_CHECKING:  # loaded on first use, not with the JSON face
    from ._batch import BatchResult
    from ._interview import Interview, Prompt

__all__ = [
    "SCHEMA_VERSION",
    "dump_assessment",
    "dump_batch_result",
    "dump_care_plan",
    "dump_escalation",
    "dump_interview",
    "dump_prompt",
    "dump_report",
    "load_assessment",
    "load_interview",
    "report_json",
]

#: The version of every JSON document spasmcare reads or writes.
#: It changes only when a document changes in a way old readers would
#: misread.
SCHEMA_VERSION = "1"

#: JSON keys that differ from the attribute they hold.
RENAMED = {"symptoms": "answers"}

#: The finding ids in catalogue order, for readable output.
_ORDER = {question: index for index, question in enumerate(QUESTIONS)}

#: What an answer may be, in JSON: its value, or true, false and null.
_ANSWERS = {answer.value: answer for answer in Answer}
_BOOLEAN_ANSWERS = {True: Answer.PRESENT, False: Answer.ABSENT}

#: What each output record shows, where that is not simply its attrs
#: fields: attribute names, or dotted paths into a field.
#: The JSON key is the last part of each path.
VIEWS: Mapping[type, tuple[str, ...]] = {
    Escalation: (
        "id",
        "level",
        "category",
        "referral_required",
        "screening_complete",
        "action",
        "timeframe",
        "fired",
        "pending",
        "unanswered",
        "rule_set",
        "notice",
    ),
    FiredRule: (
        "id",
        "rule.title",
        "urgency",
        "rule.rationale",
        "facts",
        "citations",
    ),
    RuleSet: ("id", "version", "digest"),
}

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
#: Longest string, or key in a path, shown in an error message.
_SHOWN = 40
#: Longest unknown key that gets a "did you mean" search, and how many
#: unknown keys of one object get one: the search costs time in the
#: length of the key, so a hostile document must not buy minutes of CPU.
_MAX_SUGGESTED_KEY = 64
_MAX_SUGGESTIONS = 10
#: Integers of more digits than this are refused while parsing
#: (Python's own limit for turning digits into an int).
_MAX_DIGITS = 4300


# ------------------------------------------------------------ shape ---


def input_keys() -> dict[str, str]:
    """
    Each init field of :class:`~spasmcare.Assessment` and its JSON key.
    """
    return {
        a.name: RENAMED.get(a.name, a.name)
        for a in attrs.fields(Assessment)
        if a.init
    }


def record_paths(cls: type) -> tuple[str, ...]:
    """
    The attribute paths an output record shows, in order.
    """
    if cls in VIEWS:
        return VIEWS[cls]
    return tuple(a.name for a in attrs.fields(cls) if a.init)


def path_type(cls: type, path: str) -> Any:
    """
    The type of the attribute or property at dotted *path* in *cls*.
    """
    owner, tp = cls, None
    for name in path.split("."):
        if attrs.has(owner) and name in attrs.fields_dict(owner):
            tp = typing.get_type_hints(owner)[name]
        else:
            tp = typing.get_type_hints(getattr(owner, name).fget)["return"]
        owner = tp
    return tp


def key_path(path: str, key: object) -> str:
    """
    The JSON path of *key* inside the object at *path*.

    >>> key_path("$", "answers"), key_path("$.answers", "odd key")
    ('$.answers', '$.answers["odd key"]')
    """
    text = clip(str(key), _SHOWN)
    if isinstance(key, str) and _IDENTIFIER.match(text):
        return f"{path}.{text}"
    return f"{path}[{json.dumps(text)}]"


def found(value: object) -> str:
    """
    Describe a JSON value for an error message, as it was written
    (``1e+300``, not its 301 digits), cut to a readable length.

    >>> found(10**5000), found(1e300), found("x" * 50)
    ('a number of 5001 digits', '1e+300', '"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx..." (a string)')
    """
    if isinstance(value, str):
        value = clip(value, _SHOWN)
    if _is_long_int(value):
        return f"a number of {_digits(value)} digits"
    if value is None or isinstance(value, (bool, int, float, str)):
        kind = {bool: " (a boolean)", str: " (a string)"}.get(type(value), "")
        return json.dumps(value) + kind
    if isinstance(value, Mapping):
        return "an object"
    if isinstance(value, (list, tuple)):
        return "an array"
    return type(value).__name__


# -------------------------------------------------------- converter ---

#: The converter: strict, and reporting every problem at once.
converter = make_converter(forbid_extra_keys=True, detailed_validation=True)


def _problem(message: str) -> InvalidJSONError:
    return InvalidJSONError((("$", message),))


def _number_hook(name: str) -> Callable[[Any, Any], int | None]:
    question = QUESTIONS[name]
    expected = (
        f"expected a whole number from {question.minimum} to "
        f"{question.maximum} ({question.unit}), or null"
    )

    def structure(given: Any, _: Any) -> int | None:
        if given is None:
            return None
        value = given
        if isinstance(value, float) and value.is_integer():
            # JSON Schema counts 5.0 as an integer; so do we.
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            raise _problem(f"{expected}; got {found(value)}")
        try:
            # The model's own validator, on this field alone.
            attrs.evolve(_EMPTY, **{name: value})
        except InvalidValueError as error:
            raise _problem(f"{error.reason}; got {found(given)}") from None
        return value

    return structure


def _suggestion(key: object, allowed: list[str], *, budget: int) -> str | None:
    """
    The allowed key closest to *key*, if any is close,
    searched for only while *budget* lasts and for short keys.
    """
    if budget <= 0 or not isinstance(key, str):
        return None
    if len(key) > _MAX_SUGGESTED_KEY:
        return None
    import difflib  # noqa: PLC0415 (only for a misspelt key)

    close = difflib.get_close_matches(key, allowed, n=1)
    return close[0] if close else None


_FINDINGS_SORTED = sorted(FINDING_IDS)


def _finding_problem(key: object, *, budget: int) -> str:
    if key in NUMBER_IDS:
        return (
            f"{key} is a number, not a yes/no finding; "
            "give it outside 'answers'"
        )
    close = _suggestion(key, _FINDINGS_SORTED, budget=budget)
    hint = f"did you mean {close!r}?" if close else "see `spasmcare schema`"
    return f"unknown finding id; {hint}"


def _answer(given: Any) -> Answer | None:
    """
    The answer *given* stands for, or ``None`` if it is not one.
    """
    if given is None:
        return Answer.UNKNOWN
    if type(given) is bool:
        return _BOOLEAN_ANSWERS[given]
    return _ANSWERS.get(given) if type(given) is str else None


def _structure_answers(value: Any, _: Any) -> tuple[Symptom, ...]:
    if not isinstance(value, Mapping):
        raise _problem(
            "expected an object from finding id to "
            f'"present", "absent" or "unknown"; got {found(value)}'
        )
    problems: list[tuple[str, str]] = []
    symptoms: list[Symptom] = []
    budget = _MAX_SUGGESTIONS
    for key, given in value.items():
        path = key_path("$", key)
        if not (type(key) is str and key in FINDING_IDS):
            problems.append((path, _finding_problem(key, budget=budget)))
            budget -= 1
            continue
        answer = _answer(given)
        if answer is None:
            problems.append(
                (
                    path,
                    (
                        'expected "present", "absent" or "unknown" '
                        f"(or true, false, null); got {found(given)}"
                    ),
                )
            )
        else:
            symptoms.append(Symptom(finding=key, answer=answer))
    if problems:
        raise InvalidJSONError(problems)
    return tuple(symptoms)


def _unstructure_answers(symptoms: tuple[Symptom, ...]) -> dict[str, str]:
    ordered = sorted(symptoms, key=lambda s: _ORDER[s.finding])
    return {s.finding: s.answer.value for s in ordered}


_EMPTY = Assessment()


def json_id(value: Any) -> Any:
    """
    A JSON correlation id as the id it stands for: a whole-number float
    is that integer, as JSON Schema counts it (and as JavaScript, which
    has no other numbers, writes it); anything else is left as given, for
    the model to check (so ``5.5`` is refused there).

    >>> json_id(5.0), json_id(5), json_id("5"), json_id(5.5)
    (5, 5, '5', 5.5)
    """
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _structure_id(given: Any, _: Any) -> str | int | None:
    value = json_id(given)
    try:
        # The model's own validator, on this field alone.
        attrs.evolve(_EMPTY, id=value)
    except (InvalidTypeError, InvalidValueError) as error:
        reason = (
            error.reason
            if isinstance(error, InvalidValueError)
            else "expected a string, an integer or null"
        )
        raise _problem(f"{reason}; got {found(given)}") from None
    result: str | int | None = value
    return result


_OVERRIDES: dict[str, Any] = {
    "symptoms": override(rename="answers", struct_hook=_structure_answers),
    "id": override(struct_hook=_structure_id),
    **{name: override(struct_hook=_number_hook(name)) for name in NUMBER_IDS},
}
converter.register_structure_hook(
    Assessment, make_dict_structure_fn(Assessment, converter, **_OVERRIDES)
)
converter.register_unstructure_hook(
    Assessment,
    make_dict_unstructure_fn(
        Assessment,
        converter,
        symptoms=override(
            rename="answers", unstruct_hook=_unstructure_answers
        ),
        id=override(omit_if_default=True),
    ),
)


def _view_hook(cls: type) -> Callable[[Any], dict[str, Any]]:
    fields = [
        (path.rpartition(".")[2], path.split("."), path_type(cls, path))
        for path in VIEWS[cls]
    ]

    # Each field's hook, found on first use (when every hook is
    # registered), not on each call.
    hooks: list[tuple[str, list[str], Callable[[Any], Any]]] = []

    def unstructure(obj: Any) -> dict[str, Any]:
        if not hooks:
            hooks.extend(
                (key, names, converter.get_unstructure_hook(tp))
                for key, names, tp in fields
            )
        out: dict[str, Any] = {}
        for key, names, hook in hooks:
            value = obj
            for name in names:
                value = getattr(value, name)
            out[key] = hook(value)
        return out

    return unstructure


for _cls in VIEWS:
    converter.register_unstructure_hook(_cls, _view_hook(_cls))


# ------------------------------------------------------------ input ---


class _DuplicateKeyError(Exception):
    """
    A key appears twice in one JSON object.
    """


class _NotJSONError(Exception):
    """
    ``NaN``, ``Infinity`` or ``-Infinity``: Python reads them, JSON has none.
    """


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _DuplicateKeyError(key)
        out[key] = value
    return out


class _TooLongError(Exception):
    """
    An integer of more digits than Python turns into an int.
    """


def _reject_constant(name: str) -> Any:
    raise _NotJSONError(name)


def _parse_int(digits: str) -> int:
    if len(digits) > _MAX_DIGITS:
        raise _TooLongError(len(digits.lstrip("-")))
    return int(digits)


def _parse(text: str | bytes | bytearray) -> Any:
    if isinstance(text, (bytes, bytearray)):
        try:
            text = bytes(text).decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise _problem(
                f"not UTF-8 text (bad byte at offset {error.start}); "
                "expected a JSON object"
            ) from None
    if not text.strip():
        raise _problem("empty document; expected a JSON object")
    try:
        return json.loads(
            text,
            object_pairs_hook=_unique_keys,
            parse_constant=_reject_constant,
            parse_int=_parse_int,
        )
    except json.JSONDecodeError as error:
        raise _problem(
            f"not valid JSON: {error.msg} "
            f"(line {error.lineno}, column {error.colno})"
        ) from None
    except _DuplicateKeyError as error:
        raise _problem(
            f"not valid JSON: the key {error.args[0]!r} appears twice in one "
            "object"
        ) from None
    except _NotJSONError as error:
        raise _problem(
            f"not valid JSON: {error.args[0]} is not a JSON number"
        ) from None
    except _TooLongError as error:
        raise _problem(
            f"a number of {error.args[0]} digits; no value here has more "
            "than a few"
        ) from None
    except RecursionError:
        raise _problem("not valid JSON: nested too deeply") from None


def _top_level_problem(key: object, *, budget: int) -> str:
    if key in FINDING_IDS:
        return f"unknown key; {key} is a yes/no finding: put it in 'answers'"
    allowed = ["schema_version", "id", *input_keys().values()]
    allowed = list(dict.fromkeys(allowed))
    close = _suggestion(key, allowed, budget=budget)
    if close:
        return f"unknown key; did you mean {close!r}?"
    return f"unknown key; expected one of: {', '.join(allowed)}"


def problems(error: BaseException, path: str) -> list[tuple[str, str]]:
    """
    Flatten a structuring error into ``(JSON path, message)`` pairs.
    """
    if isinstance(error, InvalidJSONError):
        return [
            (path + where[1:], message) for where, message in error.problems
        ]
    if isinstance(error, InvalidValueError):
        # The model's check across fields, such as an episode longer
        # than the person's life: it names the attribute.
        name = error.field.rpartition(".")[2]
        key = input_keys().get(name, name)
        return [
            (key_path(path, key), f"{error.reason}; got {found(error.value)}")
        ]
    if isinstance(error, ForbiddenExtraKeysError):
        return [
            (
                key_path(path, key),
                _top_level_problem(key, budget=_MAX_SUGGESTIONS - index),
            )
            for index, key in enumerate(error.extra_fields)
        ]
    if isinstance(error, ClassValidationError):
        keys = input_keys()
        with_notes, without = error.group_exceptions()
        out = [
            item
            for sub, note in with_notes
            for item in problems(sub, key_path(path, keys[note.name]))
        ]
        for sub in without:
            out.extend(problems(sub, path))
        return out
    # Not expected: report it rather than lose it.
    return [(path, f"{type(error).__name__}: {error}")]


#: Python values that a JSON parser gives for a document that is not an
#: object: they are bad documents (InvalidJSONError), not bad arguments.
_JSON_VALUES = (list, tuple, int, float, bool, type(None))


def read_document(document: object) -> Mapping[Any, Any]:
    """
    The JSON object in *document* (text, bytes or an already parsed value).

    Raises:
        InvalidJSONError: *document* is not JSON, or not a JSON object
            (an array, a number, ``null`` ...), parsed or not.
        InvalidTypeError: *document* is no JSON value at all.
    """
    if isinstance(document, (str, bytes, bytearray)):
        data = _parse(document)
    elif isinstance(document, (Mapping, *_JSON_VALUES)):
        data = document
    else:
        raise InvalidTypeError(
            "document", document, "JSON text (str or bytes) or a mapping"
        )
    if not isinstance(data, Mapping):
        raise _problem(f"expected a JSON object; got {found(data)}")
    return data


def in_document_order(
    found_problems: list[tuple[str, str]], data: Mapping[Any, Any]
) -> list[tuple[str, str]]:
    """
    *found_problems* sorted by where their key is in *data*
    (a missing key first); stable within one key.
    """
    place = {key_path("$", key): index for index, key in enumerate(data)}

    def order(problem: tuple[str, str]) -> int:
        path = problem[0]
        for end in (path.find(".", 2), path.find("[", 2)):
            if end > 0 and path[:end] in place:
                return place[path[:end]]
        return place.get(path, -1)

    return sorted(found_problems, key=order)


def check_version(
    body: dict[Any, Any], found_problems: list[tuple[str, str]], at: str = "$"
) -> None:
    """
    Take ``schema_version`` out of *body*, noting a problem if it is
    missing or wrong.
    """
    path = f"{at}.schema_version"
    if "schema_version" not in body:
        found_problems.append((path, f"missing; expected {SCHEMA_VERSION!r}"))
        return
    version = body.pop("schema_version")
    if not (isinstance(version, str) and version == SCHEMA_VERSION):
        found_problems.append(
            (
                path,
                f"expected {json.dumps(SCHEMA_VERSION)}; got {found(version)}",
            )
        )


def load_assessment(
    document: str | bytes | bytearray | Mapping[str, Any],
) -> Assessment:
    """
    Read an assessment from JSON text or from an already parsed object.

    The document is checked strictly:
    unknown keys, wrong types, unknown finding ids,
    numbers out of range, a missing or wrong ``schema_version``,
    duplicate keys and ``NaN`` are all rejected,
    and every problem is reported at once, in document order.
    Answers may be ``"present"``, ``"absent"`` and ``"unknown"``,
    or ``true``, ``false`` and ``null`` for the same.
    The shape is described in this module's docstring and by
    ``spasmcare.json_schema("assessment")``.

    Args:
        document: JSON text (``str``, or UTF-8 ``bytes``),
            or a value such as the result of :func:`json.loads`.

    Returns:
        The assessment. ``load_assessment(dump_assessment(a)) == a``.

    Raises:
        InvalidJSONError: The document is not valid, whatever its JSON
            type (an array or a number raises it too);
            :attr:`~spasmcare.exceptions.InvalidJSONError.problems` lists
            each problem with its JSON path.
        InvalidTypeError: *document* is not a JSON value at all
            (neither text nor a mapping, list, number, bool or None).

    >>> load_assessment('{"schema_version": "1", "id": 7, "answers": {"fever": false}}')
    Assessment(symptoms=(Symptom(finding='fever', answer=<Answer.ABSENT: 'absent'>),), age_years=None, pain_score=None, duration_days=None, episodes_past_year=None, id=7)
    >>> load_assessment('{"schema_version": "1", "pain_score": 11}')
    Traceback (most recent call last):
    ...
    spasmcare.exceptions.InvalidJSONError: invalid JSON document (1 problem): $.pain_score: must be from 0 to 10 points (0-10); got 11

    .. versionadded:: 0.1.0
    """
    # A plainly valid document takes the fast path; anything else (an
    # error, or a value the fast path does not handle) the full check,
    # which reports every problem (see _fast_load).
    assessment = _fast_load(document)
    if assessment is not None:
        return assessment
    return load_assessment_checked(document)


def load_assessment_checked(
    document: str | bytes | bytearray | Mapping[str, Any],
) -> Assessment:
    """
    :func:`load_assessment` through the full, strict converter alone.

    It reports every problem of a bad document; :func:`load_assessment`
    falls back on it for any document its fast path does not accept,
    and the tests check that both accept the same documents and give
    the same assessments.
    """
    data = read_document(document)
    found_problems: list[tuple[str, str]] = []
    body = dict(data)
    check_version(body, found_problems)
    try:
        assessment = converter.structure(body, Assessment)
    except ClassValidationError as error:
        found_problems.extend(problems(error, "$"))
    else:
        if not found_problems:
            return assessment
    raise InvalidJSONError(in_document_order(found_problems, data), data)


# -------------------------------------------------------- fast path ---
#
# Most documents are valid. For them, the strict converter's generated
# code, its detailed validation and the pure-Python JSON parser hooks
# cost ten times the evaluation itself (issue 16). The fast path below
# accepts only documents that are plainly valid, with exactly the types
# the full check accepts, and builds the same Assessment (the model's own
# validators still run); for anything else it returns None and the full
# check, load_assessment_checked(), reads the document again and reports
# every problem. So a document is refused, and each problem named, by
# one code path only.

#: The keys of an assessment document.
_DOCUMENT_KEYS = frozenset(("schema_version", "id", "answers", *NUMBER_IDS))
#: The answers a JSON document may give, by exact type and value.
_FAST_ANSWERS: tuple[tuple[type, object, Answer], ...] = (
    *((str, answer.value, answer) for answer in Answer),
    (bool, True, Answer.PRESENT),
    (bool, False, Answer.ABSENT),
    (type(None), None, Answer.UNKNOWN),
)


class _FastPathError(Exception):
    """
    The fast path does not take this document: the full check will.
    """


def _fast_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)
    if len(out) != len(pairs):
        raise _FastPathError  # a duplicate key: the full parser names it
    return out


def _fast_parse(document: object) -> object:
    """
    *document* parsed as the full parser does, for a valid document;
    raises for anything else.
    """
    if isinstance(document, (bytes, bytearray)):
        document = bytes(document).decode("utf-8-sig")
    if not isinstance(document, str):
        return document
    return json.loads(
        document,
        object_pairs_hook=_fast_pairs,
        parse_constant=_reject_constant,
    )


@functools.cache
def _symptoms() -> dict[tuple[str, type, object], Symptom]:
    """
    Every Symptom there can be (immutable, so shared), by its finding and
    the exact type and value of its JSON answer; made on first use.
    """
    return {
        (finding, kind, value): Symptom(finding=finding, answer=answer)
        for finding in FINDING_IDS
        for kind, value, answer in _FAST_ANSWERS
    }


def _fast_number(value: object) -> object:
    if type(value) is float and value.is_integer():
        return int(value)  # JSON Schema counts 5.0 as an integer; so do we
    if value is None or type(value) is int:
        return value
    raise _FastPathError


def _fast_load(document: object) -> Assessment | None:
    """
    The assessment in *document* if it is plainly valid, else None.
    """
    try:
        data = _fast_parse(document)
        if (
            type(data) is not dict
            or not data.keys() <= _DOCUMENT_KEYS
            or type(data.get("schema_version")) is not str
            or data["schema_version"] != SCHEMA_VERSION
        ):
            return None
        answers = data.get("answers", {})
        if type(answers) is not dict:
            return None
        symptoms = _symptoms()
        given = tuple(
            [
                symptoms[finding, type(value), value]
                for finding, value in answers.items()
            ]
        )
        identifier = data.get("id")
        if type(identifier) is float and identifier.is_integer():
            identifier = int(identifier)  # as json_id() reads it
        elif not (identifier is None or type(identifier) in {str, int}):
            return None
        return Assessment(
            symptoms=given,
            age_years=_fast_number(data.get("age_years")),  # type: ignore[arg-type]
            pain_score=_fast_number(data.get("pain_score")),  # type: ignore[arg-type]
            duration_days=_fast_number(data.get("duration_days")),  # type: ignore[arg-type]
            episodes_past_year=_fast_number(data.get("episodes_past_year")),  # type: ignore[arg-type]
            id=identifier,
        )
    except (
        _FastPathError,
        _NotJSONError,
        KeyError,
        TypeError,
        ValueError,
        RecursionError,
    ):
        # KeyError: an unknown finding or answer; TypeError: an unhashable
        # one; ValueError: not JSON, not UTF-8, or a value the model
        # refuses (its errors are ValueErrors and TypeErrors too);
        # _NotJSONError: NaN or Infinity.
        return None


def _check(value: object, cls: type, name: str) -> None:
    if not isinstance(value, cls):
        raise InvalidTypeError(name, value, f"a {cls.__name__}")


def dump_assessment(assessment: Assessment) -> dict[str, Any]:
    """
    The assessment as a JSON-ready dict (pass it to :func:`json.dumps`).

    Every listed answer is kept, including explicit ``"unknown"`` ones,
    and every number is written (``null`` when unknown),
    so that :func:`load_assessment` gives back an equal assessment.
    The correlation id comes first, and only when there is one.

    Raises:
        InvalidTypeError: *assessment* is not an Assessment.

    .. versionadded:: 0.1.0
    """
    _check(assessment, Assessment, "assessment")
    body: dict[str, Any] = converter.unstructure(assessment)
    if "id" in body:
        return {"schema_version": SCHEMA_VERSION, "id": body.pop("id"), **body}
    return {"schema_version": SCHEMA_VERSION, **body}


def input_digest(document: Mapping[str, Any]) -> str:
    """
    The SHA-256 (hex) of a JSON document in canonical form:
    keys sorted, no spaces, UTF-8, non-ASCII characters kept.

    >>> input_digest({"b": 1, "a": "é"}) == hashlib.sha256(
    ...     '{"a":"é","b":1}'.encode()
    ... ).hexdigest()
    True
    """
    text = json.dumps(
        document, sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )
    return hashlib.sha256(text.encode()).hexdigest()


def dump_escalation(escalation: Escalation) -> dict[str, Any]:
    """
    The escalation as a JSON-ready dict, for an audit trail or an app.

    It holds the level (and its 3-level category), the action and
    timeframe in plain language, every fired rule with its facts and
    citations, the pending rules and unanswered questions,
    the rule set's id, version and digest, and the notice.
    It is written for readers; it is not read back.

    Raises:
        InvalidTypeError: *escalation* is not an Escalation.

    .. versionadded:: 0.1.0
    """
    _check(escalation, Escalation, "escalation")
    body: dict[str, Any] = converter.unstructure(escalation)
    return {"schema_version": SCHEMA_VERSION, **body}


def dump_care_plan(care_plan: CarePlan) -> dict[str, Any]:
    """
    The care plan as a JSON-ready dict.

    Raises:
        InvalidTypeError: *care_plan* is not a CarePlan.

    .. versionadded:: 0.1.0
    """
    _check(care_plan, CarePlan, "care_plan")
    body: dict[str, Any] = converter.unstructure(care_plan)
    return {"schema_version": SCHEMA_VERSION, **body}


def dump_report(
    escalation: Escalation,
    care_plan: CarePlan,
    *,
    created_at: dt.datetime | None = None,
) -> dict[str, Any]:
    """
    A report that can stand alone in an audit trail: the correlation id,
    a copy of the input, the escalation, the care plan, and when, with
    what and from what input it was made.

    ``spasmcare assess --format json`` prints it.
    ``audit.input_sha256`` is the SHA-256 of the ``assessment`` copy in
    canonical JSON (keys sorted, no spaces, UTF-8), so the copy can be
    checked and replayed (:func:`load_assessment`, then
    :func:`~spasmcare.evaluate`).
    :func:`report_json` gives the same report as JSON text, faster.

    Args:
        escalation: The result of :func:`~spasmcare.evaluate`.
        care_plan: The result of :func:`~spasmcare.plan_care` for it.
        created_at: When the result was made, with a time zone.
            When ``None`` the clock is read once, here: the evaluator
            itself never reads it.

    Raises:
        InvalidTypeError: An argument has the wrong type.
        InvalidValueError: *created_at* has no time zone.
        MismatchError: *care_plan* was not made from *escalation*
            (its level or screening state differs).

    .. versionadded:: 0.1.0
    """
    assessment, audit = _report_parts(escalation, care_plan, created_at)
    return {
        "schema_version": SCHEMA_VERSION,
        "id": escalation.id,
        "assessment": assessment,
        "escalation": dump_escalation(escalation),
        "care_plan": dump_care_plan(care_plan),
        "audit": audit,
    }


def report_json(
    escalation: Escalation,
    care_plan: CarePlan,
    *,
    created_at: dt.datetime | None = None,
) -> str:
    """
    The report of :func:`dump_report` as JSON text: the same text as
    ``json.dumps(dump_report(escalation, care_plan, created_at=...))``,
    made several times faster, since the text of each part of a care
    plan (immutable, and shared by the plans :func:`~spasmcare.plan_care`
    keeps) is made once and reused.

    >>> import datetime as dt, json
    >>> from spasmcare import Assessment, evaluate, plan_care
    >>> a = Assessment.from_answers({"fever": True})
    >>> e = evaluate(a)
    >>> p = plan_care(a, e)
    >>> when = dt.datetime(2026, 3, 2, tzinfo=dt.UTC)
    >>> report_json(e, p, created_at=when) == json.dumps(
    ...     dump_report(e, p, created_at=when)
    ... )
    True

    Args:
        escalation: The result of :func:`~spasmcare.evaluate`.
        care_plan: The result of :func:`~spasmcare.plan_care` for it.
        created_at: As for :func:`dump_report`.

    Raises:
        InvalidTypeError: An argument has the wrong type.
        InvalidValueError: *created_at* has no time zone.
        MismatchError: *care_plan* was not made from *escalation*.

    .. versionadded:: 0.1.0
    """
    moment = _checked(escalation, care_plan, created_at)
    from . import __version__  # noqa: PLC0415 (importlib.metadata is slow)

    shown, canonical = _assessment_texts(escalation.assessment)
    audit = (
        f'{{"created_at": {_text(timestamp(moment))}, '
        f'"spasmcare_version": {_text(__version__)}, '
        f'"input_sha256": "{hashlib.sha256(canonical.encode()).hexdigest()}"}}'
    )
    return (
        f'{{"schema_version": {_text(SCHEMA_VERSION)}, '
        f'"id": {_text(escalation.id)}, '
        f'"assessment": {shown}, '
        f'"escalation": {_escalation_text(escalation)}, '
        f'"care_plan": {{"schema_version": {_text(SCHEMA_VERSION)}, '
        f"{_text(care_plan)[1:]}, "
        f'"audit": {audit}}}'
    )


#: Each answer as the report shows it, and as its canonical digest reads
#: it (json.dumps with sort_keys, no spaces; finding ids are plain ASCII),
#: each with the separator after it; nothing for a finding not answered.
_SHOWN_ANSWERS: dict[tuple[str, Answer | None], str] = {
    (finding, answer): (
        ""
        if answer is None
        else f"{json.dumps(finding)}: {json.dumps(answer.value)}, "
    )
    for finding in FINDING_IDS
    for answer in (*Answer, None)
}
_CANONICAL_ANSWERS = {
    key: shown.replace(": ", ":", 1).replace(", ", ",")
    for key, shown in _SHOWN_ANSWERS.items()
}
_SHOWN_ORDER = tuple(q for q in QUESTIONS if q in FINDING_IDS)
_CANONICAL_ORDER = tuple(sorted(FINDING_IDS))


def _number_text(value: int | None) -> str:
    # As the C encoder writes an int (a subclass too).
    return "null" if value is None else int.__repr__(value)


def _assessment_texts(assessment: Assessment) -> tuple[str, str]:
    """
    ``json.dumps(dump_assessment(assessment))``, and the canonical text
    :func:`input_digest` hashes, made straight from the assessment.
    """
    answers = assessment._answers  # noqa: SLF001
    shown = _SHOWN_ANSWERS
    canonical = _CANONICAL_ANSWERS
    age = _number_text(assessment.age_years)
    pain = _number_text(assessment.pain_score)
    duration = _number_text(assessment.duration_days)
    episodes = _number_text(assessment.episodes_past_year)
    identifier = assessment.id
    if identifier is None:
        shown_id = canonical_id = ""
    else:
        shown_id = f'"id": {json.dumps(identifier)}, '
        canonical_id = f'"id":{json.dumps(identifier, ensure_ascii=False)},'
    # Every finding looked up at C speed; the last separator cut off.
    shown_answers = "".join(
        map(
            shown.__getitem__,
            zip(_SHOWN_ORDER, map(answers.get, _SHOWN_ORDER), strict=True),
        )
    )[:-2]
    canonical_answers = "".join(
        map(
            canonical.__getitem__,
            zip(
                _CANONICAL_ORDER,
                map(answers.get, _CANONICAL_ORDER),
                strict=True,
            ),
        )
    )[:-1]
    shown_text = (
        f'{{"schema_version": "{SCHEMA_VERSION}", {shown_id}'
        f'"answers": {{{shown_answers}}}, "age_years": {age}, '
        f'"pain_score": {pain}, "duration_days": {duration}, '
        f'"episodes_past_year": {episodes}}}'
    )
    canonical_text = (
        f'{{"age_years":{age},"answers":{{{canonical_answers}}},'
        f'"duration_days":{duration},"episodes_past_year":{episodes},'
        f'{canonical_id}"pain_score":{pain},'
        f'"schema_version":"{SCHEMA_VERSION}"}}'
    )
    return shown_text, canonical_text


def _report_parts(
    escalation: Escalation,
    care_plan: CarePlan,
    created_at: dt.datetime | None,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """
    The report's copy of the assessment and its audit, once the
    arguments are checked.
    """
    created_at = _checked(escalation, care_plan, created_at)
    from . import __version__  # noqa: PLC0415 (importlib.metadata is slow)

    assessment = dump_assessment(escalation.assessment)
    return assessment, {
        "created_at": timestamp(created_at),
        "spasmcare_version": __version__,
        "input_sha256": input_digest(assessment),
    }


def _checked(
    escalation: Escalation,
    care_plan: CarePlan,
    created_at: dt.datetime | None,
) -> dt.datetime:
    """
    When the report is made, once the arguments are checked.
    """
    _check(escalation, Escalation, "escalation")
    _check(care_plan, CarePlan, "care_plan")
    if (care_plan.level, care_plan.screening_complete) != (
        escalation.level,
        escalation.screening_complete,
    ):
        raise MismatchError(
            "care_plan",
            care_plan.level,
            "was made from another escalation (its level or screening "
            "state differs); call plan_care with this escalation",
        )
    if created_at is None:
        created_at = dt.datetime.now(dt.UTC)
    elif not isinstance(created_at, dt.datetime):
        raise InvalidTypeError("created_at", created_at, "a datetime or None")
    elif created_at.utcoffset() is None:
        raise InvalidValueError(
            "created_at",
            created_at,
            "needs a time zone, such as dt.UTC",
        )
    return created_at


#: The classes whose JSON text is kept, with each field's name and key.
_TEXT_FIELDS: dict[type, tuple[tuple[str, str], ...]] = {
    cls: tuple((f.name, json.dumps(f.name)) for f in attrs.fields(cls))
    for cls in (
        CarePlan,
        Step,
        Schedule,
        SafetyNet,
        Reason,
        PertinentNegative,
        Region,
        Citation,
    )
}
_ENUMS = (Urgency, Phase, StepKind, TriageCategory, Answer)
_PLAIN = (str, int, bool, float, type(None))
#: How many texts are kept, of care plans (some 17 KB each, so at most
#: about 17 MB: as many as plan_care keeps for a rule set) and of their
#: parts (a few hundred bytes to a few kilobytes); first in, first out.
_PLAN_TEXTS_KEPT = 1024
_PART_TEXTS_KEPT = 4096
#: Each kept text by the id of its object, with the object (held, so that
#: its id is not reused while the text is kept).
_plan_texts: dict[int, tuple[object, str]] = {}
_part_texts: dict[int, tuple[object, str]] = {}
_texts_lock = threading.Lock()


def _kept(
    texts: dict[int, tuple[object, str]],
    kept: int,
    value: object,
    make: Callable[[Any], str],
) -> str:
    """
    ``make(value)``, kept in *texts* by the id of *value* (at most *kept*
    of them, first in, first out).
    """
    found = texts.get(id(value))
    if found is not None and found[0] is value:
        return found[1]
    made = make(value)
    with _texts_lock:
        if len(texts) >= kept:
            del texts[next(iter(texts))]
        texts[id(value)] = (value, made)
    return made


def _plan_text(plan: CarePlan) -> str:
    """
    The plan's text, kept for the plans used most recently.
    """
    key = id(plan)
    with _texts_lock:
        found = _plan_texts.pop(key, None)
        if found is not None and found[0] is plan:
            _plan_texts[key] = found  # now the most recent
            return found[1]
    made = _fields_text(plan)
    with _texts_lock:
        if len(_plan_texts) >= _PLAN_TEXTS_KEPT:
            del _plan_texts[next(iter(_plan_texts))]
        _plan_texts[key] = (plan, made)
    return made


def _fields_text(value: object) -> str:
    return (
        "{"
        + ", ".join(
            [
                f"{key}: {_text(getattr(value, name))}"
                for name, key in _TEXT_FIELDS[type(value)]
            ]
        )
        + "}"
    )


#: JSON's text of a string (the C encoder's, as json.dumps uses) and of
#: the constants.
_string_text = json.encoder.encode_basestring_ascii
#: The text of a value of each plain type, as json.dumps writes it.
_SIMPLE: dict[type, Callable[[Any], str]] = {
    str: _string_text,
    int: int.__repr__,
    bool: {True: "true", False: "false"}.__getitem__,
    type(None): lambda _: "null",
}


def _text(value: object) -> str:
    """
    ``json.dumps(converter.unstructure(value))``, with the text of each
    immutable care-plan object made once (they are shared between plans).
    """
    cls = type(value)
    if cls in _ENUMS:
        value = value.value  # type: ignore[attr-defined]
        cls = type(value)
    simple = _SIMPLE.get(cls)
    if simple is not None:
        return simple(value)
    if cls in _TEXT_FIELDS:
        return (
            _plan_text(value)  # type: ignore[arg-type]
            if cls is CarePlan
            else _kept(_part_texts, _PART_TEXTS_KEPT, value, _fields_text)
        )
    if cls is tuple:
        return _tuple_text(value)  # type: ignore[arg-type]
    # Anything else (a subclass, say) as the converter writes it.
    return json.dumps(value if cls in _PLAIN else converter.unstructure(value))


def _tuple_text(items: tuple[object, ...]) -> str:
    if all(type(item) is str for item in items):
        return "[" + ", ".join(map(_string_text, items)) + "]"  # type: ignore[arg-type]
    texts = _part_texts
    parts = []
    for item in items:
        # A kept part found here, without a call (the usual case).
        found = texts.get(id(item))
        parts.append(
            found[1] if found is not None and found[0] is item else _text(item)
        )
    return "[" + ", ".join(parts) + "]"


def _escalation_text(escalation: Escalation) -> str:
    """
    ``json.dumps(dump_escalation(escalation))``, with the text of each
    rule and rule set made once.
    """
    fired = escalation.fired
    if type(escalation) is not Escalation or not all(
        type(f) is FiredRule and all(type(x) is Fact for x in f.facts)
        for f in fired
    ):
        return json.dumps(dump_escalation(escalation))
    text = _text
    rule_set = _kept(
        _part_texts, _PART_TEXTS_KEPT, escalation.rule_set, _rule_set_text
    )
    return (
        f'{{"schema_version": "{SCHEMA_VERSION}", '
        f'"id": {text(escalation.id)}, '
        f'"level": {text(escalation.level)}, '
        f'"category": {text(escalation.category)}, '
        f'"referral_required": {text(escalation.referral_required)}, '
        f'"screening_complete": {text(escalation.screening_complete)}, '
        f'"action": {text(escalation.action)}, '
        f'"timeframe": {text(escalation.timeframe)}, '
        f'"fired": [{", ".join(map(_fired_text, fired))}], '
        f'"pending": {text(escalation.pending)}, '
        f'"unanswered": {text(escalation.unanswered)}, '
        f'"rule_set": {rule_set}, '
        f'"notice": {text(escalation.notice)}}}'
    )


def _fired_text(fired: FiredRule) -> str:
    facts = ", ".join(
        f'{{"question": {_text(fact.question)}, "value": {_text(fact.value)}}}'
        for fact in fired.facts
    )
    head, tail = _kept(
        _part_texts, _PART_TEXTS_KEPT, fired.rule, _rule_text
    ).split("\0")
    return f"{head}{facts}{tail}"


def _rule_text(rule: Rule) -> str:
    """
    A fired rule's text but its facts, which go where the NUL is.
    """
    dumps = json.dumps
    return (
        f'{{"id": {dumps(rule.id)}, "title": {dumps(rule.title)}, '
        f'"urgency": {dumps(rule.urgency.value)}, '
        f'"rationale": {dumps(rule.rationale)}, "facts": [\0], '
        f'"citations": {_text(rule.citations)}}}'
    )


def _rule_set_text(rules: RuleSet) -> str:
    return json.dumps(
        {"id": rules.id, "version": rules.version, "digest": rules.digest}
    )


def timestamp(moment: dt.datetime) -> str:
    """
    *moment* in UTC as ISO 8601 text, to the millisecond, ending in ``Z``.

    >>> timestamp(dt.datetime(2026, 3, 2, 9, 25, tzinfo=dt.UTC))
    '2026-03-02T09:25:00.000Z'
    """
    utc = moment.astimezone(dt.UTC).replace(tzinfo=None)
    return utc.isoformat(timespec="milliseconds") + "Z"


def dump_prompt(prompt: Prompt) -> dict[str, Any]:
    """
    An interview question as a JSON-ready dict, for a form or a chatbot.

    Raises:
        InvalidTypeError: *prompt* is not a Prompt.

    .. versionadded:: 0.1.0
    """
    from ._interview import Prompt  # noqa: PLC0415 (on first use)

    _check(prompt, Prompt, "prompt")
    body: dict[str, Any] = converter.unstructure(prompt)
    return {"schema_version": SCHEMA_VERSION, **body}


def dump_error(error: SpasmcareError) -> dict[str, Any]:
    """
    An error as a JSON-ready dict: its class, its message and its
    problems (``(path, message)`` pairs; one, at the field, for an error
    that is not about a JSON document).
    """
    if isinstance(error, InvalidJSONError):
        pairs = error.problems
    else:
        pairs = ((clip(str(getattr(error, "field", "$")), 200), str(error)),)
    return {
        "type": type(error).__name__,
        "message": str(error),
        "problems": [
            {"path": path, "message": message} for path, message in pairs
        ],
    }


def dump_batch_result(result: BatchResult) -> dict[str, Any]:
    """
    One result of :func:`~spasmcare.evaluate_batch` as a JSON-ready dict:
    the record's position and correlation id, and its escalation or why
    it was rejected; one line of a batch job's JSON-lines output.

    Raises:
        InvalidTypeError: *result* is not a BatchResult.

    .. versionadded:: 0.1.0
    """
    from ._batch import BatchResult  # noqa: PLC0415 (on first use)

    _check(result, BatchResult, "result")
    return {
        "schema_version": SCHEMA_VERSION,
        "index": result.index,
        "id": result.id,
        "escalation": None
        if result.escalation is None
        else dump_escalation(result.escalation),
        "error": None if result.error is None else dump_error(result.error),
    }


# -------------------------------------------------------- interview ---

#: The keys of an interview state, in order.
INTERVIEW_KEYS = ("schema_version", "rule_set", "assessment", "asked")
_RULE_SET_KEYS = ("id", "version", "digest")


def dump_interview(interview: Interview) -> dict[str, Any]:
    """
    An interview in progress as a JSON-ready dict, to store between the
    turns of a stateless handler and read back with
    :func:`load_interview`.

    It holds the answers so far (an assessment document, with its
    correlation id), the ids of the questions asked (sorted), and the
    id, version and digest of the rule set it screens with.

    Raises:
        InvalidTypeError: *interview* is not an Interview.

    .. versionadded:: 0.1.0
    """
    from ._interview import Interview  # noqa: PLC0415 (on first use)

    _check(interview, Interview, "interview")
    rules = interview.rules
    return {
        "schema_version": SCHEMA_VERSION,
        "rule_set": {
            "id": rules.id,
            "version": rules.version,
            "digest": rules.digest,
        },
        "assessment": dump_assessment(interview.assessment),
        "asked": sorted(interview.asked),
    }


def load_interview(
    document: str | bytes | bytearray | Mapping[str, Any],
    *,
    rules: RuleSet = DEFAULT_RULES,
) -> Interview:
    """
    Read an interview saved by :func:`dump_interview`, to go on with it.

    The state must have been saved under *rules*: a state saved under
    another rule set (another digest, as after an update) is refused,
    because its questions and answers were chosen by other rules;
    start a new interview then.

    Args:
        document: JSON text, bytes, or a parsed value.
        rules: The rule set to go on with.

    Returns:
        The interview. ``load_interview(dump_interview(i)) == i``
        for an interview *i* with *rules*.

    Raises:
        RuleSetMismatchError: The state was saved under another rule set;
            it is an :exc:`~spasmcare.exceptions.InvalidJSONError` too.
        InvalidJSONError: The document is not a valid interview state
            (every problem at once, with its JSON path).
        InvalidTypeError: *document* is not a JSON value, or *rules* is
            not a RuleSet.

    >>> from spasmcare import Interview
    >>> interview = Interview().answer("group_emergency_signs", False)
    >>> load_interview(dump_interview(interview)) == interview
    True

    .. versionadded:: 0.1.0
    """
    if not isinstance(rules, RuleSet):
        raise InvalidTypeError("rules", rules, "a RuleSet")
    data = read_document(document)
    found_problems: list[tuple[str, str]] = []
    body = dict(data)
    check_version(body, found_problems)
    expected = ", ".join(INTERVIEW_KEYS)
    found_problems.extend(
        (key_path("$", key), f"unknown key; expected one of: {expected}")
        for key in body
        if key not in INTERVIEW_KEYS
    )
    saved = body.get("rule_set")
    mismatch = _rule_set_problem(saved, rules, found_problems)
    assessment = _nested_assessment(body.get("assessment"), found_problems)
    asked = _asked(body.get("asked"), found_problems)
    if mismatch is not None:
        if not found_problems:
            raise RuleSetMismatchError(
                (("$.rule_set.digest", mismatch),), data
            )
        found_problems.append(("$.rule_set.digest", mismatch))
    if found_problems or assessment is None or asked is None:
        raise InvalidJSONError(in_document_order(found_problems, data), data)
    from ._interview import Interview  # noqa: PLC0415 (on first use)

    return Interview(assessment=assessment, asked=asked, rules=rules)


def _rule_set_problem(
    saved: Any, rules: RuleSet, found_problems: list[tuple[str, str]]
) -> str | None:
    """
    Check the saved rule set's shape; the mismatch message if it is
    another rule set than *rules*.
    """
    path = "$.rule_set"
    if saved is None:
        found_problems.append(
            (path, "missing; expected the rule set's id, version and digest")
        )
        return None
    if (
        not isinstance(saved, Mapping)
        or set(saved) != set(_RULE_SET_KEYS)
        or not all(isinstance(saved[k], str) for k in _RULE_SET_KEYS)
    ):
        found_problems.append(
            (
                path,
                (
                    'expected {"id": ..., "version": ..., "digest": ...} '
                    f"(strings); got {found(saved)}"
                ),
            )
        )
        return None
    if saved["digest"] == rules.digest:
        return None
    return (
        f"saved under rule set {clip(saved['id'], _SHOWN)} "
        f"{clip(saved['version'], _SHOWN)} (digest "
        f"{saved['digest'][:12]}), not {rules.id} {rules.version} "
        f"(digest {rules.digest[:12]}); its questions were chosen by other "
        "rules: start a new interview"
    )


def _nested_assessment(
    value: Any, found_problems: list[tuple[str, str]]
) -> Assessment | None:
    if value is None:
        found_problems.append(
            ("$.assessment", "missing; expected an assessment document")
        )
        return None
    try:
        return load_assessment(value)
    except InvalidJSONError as error:
        found_problems.extend(
            ("$.assessment" + path[1:], message)
            for path, message in error.problems
        )
    except InvalidTypeError:
        found_problems.append(
            (
                "$.assessment",
                f"expected an assessment document; got {found(value)}",
            )
        )
    return None


def _asked(
    value: Any, found_problems: list[tuple[str, str]]
) -> frozenset[str] | None:
    if value is None:
        found_problems.append(
            ("$.asked", "missing; expected an array of question ids")
        )
        return None
    if not isinstance(value, (list, tuple)):
        found_problems.append(
            (
                "$.asked",
                f"expected an array of question ids; got {found(value)}",
            )
        )
        return None
    bad = [
        (f"$.asked[{index}]", f"not a question or group id; got {found(item)}")
        for index, item in enumerate(value)
        if not (type(item) is str and (item in QUESTIONS or item in GROUPS))
    ]
    found_problems.extend(bad)
    return None if bad else frozenset(value)
