# SPDX-License-Identifier: MIT
"""
JSON in and out, through one strict cattrs converter.

An :class:`~spasmcare.Assessment` is read from, and written to,
a JSON object of this shape::

    {
      "schema_version": "1",
      "answers": {"fever": "absent", "chest_pain": "present"},
      "age_years": 35,
      "pain_score": 4,
      "duration_days": 2,
      "episodes_past_year": 0
    }

Every key but ``schema_version`` may be left out:
a finding that is not in ``answers`` is unknown, and so is a number that
is left out or ``null``.
Escalations, care plans, reports and interview prompts are written
(never read back) with the same converter.
The JSON Schemas in :mod:`spasmcare._schema` are generated from the same
classes and the same tables as this module.
"""

from __future__ import annotations

import difflib
import json
import re
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

from ._careplan import CarePlan
from ._evaluate import Escalation, FiredRule
from ._findings import FINDING_IDS, NUMBER_IDS, QUESTIONS
from ._interview import Prompt
from ._model import Answer, Assessment, Symptom
from ._rules import RuleSet
from .exceptions import InvalidJSONError, InvalidTypeError, InvalidValueError

__all__ = [
    "SCHEMA_VERSION",
    "dump_assessment",
    "dump_care_plan",
    "dump_escalation",
    "dump_prompt",
    "dump_report",
    "load_assessment",
]

#: The version of every JSON document spasmcare reads or writes.
#: It changes only when a document changes in a way old readers would
#: misread.
SCHEMA_VERSION = "1"

#: JSON keys that differ from the attribute they hold.
RENAMED = {"symptoms": "answers"}

#: The finding ids in catalogue order, for readable output.
_ORDER = {question: index for index, question in enumerate(QUESTIONS)}

#: What an answer may be, in JSON.
_ANSWERS = {answer.value: answer for answer in Answer}

#: What each output record shows, where that is not simply its attrs
#: fields: attribute names, or dotted paths into a field.
#: The JSON key is the last part of each path.
VIEWS: Mapping[type, tuple[str, ...]] = {
    Escalation: (
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
#: Longest string shown in an error message.
_SHOWN = 40


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
    if isinstance(key, str) and _IDENTIFIER.match(key):
        return f"{path}.{key}"
    return f"{path}[{json.dumps(str(key))}]"


def found(value: object) -> str:
    """
    Describe a JSON value for an error message.
    """
    if isinstance(value, str) and len(value) > _SHOWN:
        value = value[: _SHOWN - 3] + "..."
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

    def structure(value: Any, _: Any) -> int | None:
        if value is None:
            return None
        if isinstance(value, float) and value.is_integer():
            # JSON Schema counts 5.0 as an integer; so do we.
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            raise _problem(f"{expected}; got {found(value)}")
        try:
            # The model's own validator, on this field alone.
            attrs.evolve(_EMPTY, **{name: value})
        except InvalidValueError as error:
            raise _problem(f"{error.reason}; got {value}") from None
        return value

    return structure


def _finding_problem(key: object) -> str:
    if key in NUMBER_IDS:
        return (
            f"{key} is a number, not a yes/no finding; "
            "give it outside 'answers'"
        )
    close = difflib.get_close_matches(str(key), sorted(FINDING_IDS), n=1)
    hint = f"did you mean {close[0]!r}?" if close else "see `spasmcare schema`"
    return f"unknown finding id; {hint}"


def _structure_answers(value: Any, _: Any) -> tuple[Symptom, ...]:
    if not isinstance(value, Mapping):
        raise _problem(
            "expected an object from finding id to "
            f'"present", "absent" or "unknown"; got {found(value)}'
        )
    problems: list[tuple[str, str]] = []
    symptoms: list[Symptom] = []
    for key, given in value.items():
        path = key_path("$", key)
        try:
            # The model's own check of the finding id.
            Symptom(finding=key, answer=Answer.UNKNOWN)
        except (InvalidTypeError, InvalidValueError):
            problems.append((path, _finding_problem(key)))
            continue
        answer = _ANSWERS.get(given) if isinstance(given, str) else None
        if answer is None:
            problems.append(
                (
                    path,
                    (
                        'expected "present", "absent" or "unknown"; '
                        f"got {found(given)}"
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

_OVERRIDES: dict[str, Any] = {
    "symptoms": override(rename="answers", struct_hook=_structure_answers),
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
    ),
)


def _view_hook(cls: type) -> Callable[[Any], dict[str, Any]]:
    fields = [
        (path.rpartition(".")[2], path.split("."), path_type(cls, path))
        for path in VIEWS[cls]
    ]

    def unstructure(obj: Any) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, names, tp in fields:
            value = obj
            for name in names:
                value = getattr(value, name)
            out[key] = converter.unstructure(value, unstructure_as=tp)
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


def _reject_constant(name: str) -> Any:
    raise _NotJSONError(name)


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
    except RecursionError:
        raise _problem("not valid JSON: nested too deeply") from None


def _top_level_problem(key: object) -> str:
    if key in FINDING_IDS:
        return f"unknown key; {key} is a yes/no finding: put it in 'answers'"
    allowed = ["schema_version", *input_keys().values()]
    close = difflib.get_close_matches(str(key), allowed, n=1)
    if close:
        return f"unknown key; did you mean {close[0]!r}?"
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
        return [(key_path(path, key), f"{error.reason}; got {error.value}")]
    if isinstance(error, ForbiddenExtraKeysError):
        return [
            (key_path(path, key), _top_level_problem(key))
            for key in sorted(error.extra_fields, key=str)
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


def load_assessment(
    document: str | bytes | bytearray | Mapping[str, Any],
) -> Assessment:
    """
    Read an assessment from JSON text or from an already parsed object.

    The document is checked strictly:
    unknown keys, wrong types, unknown finding ids,
    numbers out of range, a missing or wrong ``schema_version``,
    duplicate keys and ``NaN`` are all rejected,
    and every problem is reported at once.
    The shape is described in this module's docstring and by
    ``spasmcare.json_schema("assessment")``.

    Args:
        document: JSON text (``str``, or UTF-8 ``bytes``),
            or a mapping such as the result of :func:`json.loads`.

    Returns:
        The assessment. ``load_assessment(dump_assessment(a)) == a``.

    Raises:
        InvalidJSONError: The document is not valid;
            :attr:`~spasmcare.exceptions.InvalidJSONError.problems` lists
            each problem with its JSON path.
        InvalidTypeError: *document* is neither text nor a mapping.

    >>> load_assessment('{"schema_version": "1", "answers": {"fever": "absent"}}')
    Assessment(symptoms=(Symptom(finding='fever', answer=<Answer.ABSENT: 'absent'>),), age_years=None, pain_score=None, duration_days=None, episodes_past_year=None)
    >>> load_assessment('{"schema_version": "1", "pain_score": 11}')
    Traceback (most recent call last):
    ...
    spasmcare.exceptions.InvalidJSONError: invalid JSON document (1 problem): $.pain_score: must be from 0 to 10 points (0-10); got 11

    .. versionadded:: 0.1.0
    """
    if isinstance(document, (str, bytes, bytearray)):
        data = _parse(document)
    elif isinstance(document, Mapping):
        data = document
    else:
        raise InvalidTypeError(
            "document", document, "JSON text (str or bytes) or a mapping"
        )
    if not isinstance(data, Mapping):
        raise _problem(f"expected a JSON object; got {found(data)}")
    found_problems: list[tuple[str, str]] = []
    body = dict(data)
    if "schema_version" not in body:
        found_problems.append(
            ("$.schema_version", f"missing; expected {SCHEMA_VERSION!r}")
        )
    else:
        version = body.pop("schema_version")
        if not (isinstance(version, str) and version == SCHEMA_VERSION):
            found_problems.append(
                (
                    "$.schema_version",
                    (
                        f"expected {json.dumps(SCHEMA_VERSION)}; "
                        f"got {found(version)}"
                    ),
                )
            )
    try:
        assessment = converter.structure(body, Assessment)
    except ClassValidationError as error:
        found_problems.extend(problems(error, "$"))
    else:
        if not found_problems:
            return assessment
    raise InvalidJSONError(found_problems, data)


def _check(value: object, cls: type, name: str) -> None:
    if not isinstance(value, cls):
        raise InvalidTypeError(name, value, f"a {cls.__name__}")


def dump_assessment(assessment: Assessment) -> dict[str, Any]:
    """
    The assessment as a JSON-ready dict (pass it to :func:`json.dumps`).

    Every listed answer is kept, including explicit ``"unknown"`` ones,
    and every number is written (``null`` when unknown),
    so that :func:`load_assessment` gives back an equal assessment.

    Raises:
        InvalidTypeError: *assessment* is not an Assessment.

    .. versionadded:: 0.1.0
    """
    _check(assessment, Assessment, "assessment")
    body: dict[str, Any] = converter.unstructure(assessment)
    return {"schema_version": SCHEMA_VERSION, **body}


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


def dump_report(escalation: Escalation, care_plan: CarePlan) -> dict[str, Any]:
    """
    The escalation and the care plan together, as ``spasmcare assess
    --format json`` prints them.

    Raises:
        InvalidTypeError: An argument has the wrong type.

    .. versionadded:: 0.1.0
    """
    return {
        "schema_version": SCHEMA_VERSION,
        "escalation": dump_escalation(escalation),
        "care_plan": dump_care_plan(care_plan),
    }


def dump_prompt(prompt: Prompt) -> dict[str, Any]:
    """
    An interview question as a JSON-ready dict, for a form or a chatbot.

    Raises:
        InvalidTypeError: *prompt* is not a Prompt.

    .. versionadded:: 0.1.0
    """
    _check(prompt, Prompt, "prompt")
    body: dict[str, Any] = converter.unstructure(prompt)
    return {"schema_version": SCHEMA_VERSION, **body}
