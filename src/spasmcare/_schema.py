# SPDX-License-Identifier: MIT
"""
JSON Schema (2020-12) for every JSON document spasmcare reads or writes.

The schemas are generated, never written by hand:
the input schema from the fields of :class:`~spasmcare.Assessment`
and the question catalogue (ids, wording, limits),
the output schemas from the attrs fields, properties and type hints of
the records, through the same views the converter uses
(:mod:`spasmcare._json`).
So each constraint has one source.
Copies are committed in ``src/spasmcare/schemas/``;
regenerate them with ``python -m spasmcare schema --write``.
"""

from __future__ import annotations

import enum
import inspect
import re
import types
import typing
from collections.abc import Mapping
from typing import Any

import attrs

from ._batch import BatchResult
from ._careplan import CarePlan
from ._evaluate import Escalation
from ._findings import FINDING_IDS, GROUPS, QUESTIONS
from ._interview import Prompt
from ._json import SCHEMA_VERSION, input_keys, path_type, record_paths
from ._model import _DAYS_PER_YEAR, _INT64, MAX_ID_LENGTH, Answer, Assessment
from .exceptions import InvalidValueError

__all__ = ["SCHEMA_NAMES", "json_schema"]

_DIALECT = "https://json-schema.org/draft/2020-12/schema"

#: The documents there are schemas for, by name.
SCHEMA_NAMES = (
    "assessment",
    "escalation",
    "care-plan",
    "report",
    "prompt",
    "batch-result",
    "interview-state",
)

_SIMPLE: Mapping[Any, str] = {
    type(None): "null",
    bool: "boolean",
    int: "integer",
    str: "string",
}
_ROLE = re.compile(r":[a-z:]+:`~?([^`]+)`")
_LITERAL = re.compile(r"``([^`]+)``")


def _plain(text: str) -> str:
    """
    reST to plain text: roles and literals lose their markup.
    """

    def role(match: re.Match[str]) -> str:
        target = match.group(1)
        whole = match.group(0)
        return target.rpartition(".")[2] if "`~" in whole else target

    text = _LITERAL.sub(r"\1", _ROLE.sub(role, text))
    return " ".join(text.split())


def _summary(obj: object) -> str:
    """
    The first paragraph of *obj*'s docstring, as plain text.
    """
    doc = inspect.getdoc(obj) or ""
    return _plain(doc.split("\n\n", 1)[0])


def _attribute_docs(cls: type) -> dict[str, str]:
    """
    The ``Attributes:`` section of *cls*'s docstring, by name.
    """
    docs: dict[str, list[str]] = {}
    inside, current = False, ""
    for line in (inspect.getdoc(cls) or "").splitlines():
        if line.strip() == "Attributes:":
            inside = True
        elif inside and line.startswith("        "):
            docs.setdefault(current, []).append(line)
        elif inside and line.startswith("    ") and ":" in line:
            current, _, text = line.strip().partition(":")
            docs[current] = [text]
        elif inside and line.strip():
            inside = False
    return {name: _plain(" ".join(lines)) for name, lines in docs.items()}


def _describe(cls: type, path: str) -> str:
    owner: Any = cls
    names = path.split(".")
    for name in names[:-1]:
        owner = path_type(owner, name)
    name = names[-1]
    if attrs.has(owner) and name in attrs.fields_dict(owner):
        return _attribute_docs(owner).get(name, "")
    return _summary(getattr(owner, name))


class _Builder:
    """
    Collects ``$defs`` while it turns type hints into schemas.
    """

    def __init__(self) -> None:
        self.defs: dict[str, Any] = {}

    def schema(self, tp: Any) -> dict[str, Any]:
        if tp in _SIMPLE:
            return {"type": _SIMPLE[tp]}
        if isinstance(tp, types.UnionType):
            members = [self.schema(arg) for arg in typing.get_args(tp)]
            if all(list(m) == ["type"] for m in members):
                return {"type": [m["type"] for m in members]}
            return {"anyOf": members}
        if typing.get_origin(tp) is tuple:
            return {
                "type": "array",
                "items": self.schema(typing.get_args(tp)[0]),
            }
        if isinstance(tp, type) and issubclass(tp, enum.Enum):
            self.defs.setdefault(tp.__name__, _enum(tp))
            return {"$ref": f"#/$defs/{tp.__name__}"}
        if isinstance(tp, type) and attrs.has(tp):
            if tp.__name__ not in self.defs:
                self.defs[tp.__name__] = {}  # a placeholder against cycles
                self.defs[tp.__name__] = self.record(tp)
            return {"$ref": f"#/$defs/{tp.__name__}"}
        raise TypeError(f"no JSON Schema for {tp!r}")

    def record(self, cls: type, *, document: bool = False) -> dict[str, Any]:
        properties: dict[str, Any] = {}
        if document:
            properties["schema_version"] = _VERSION
        for path in record_paths(cls):
            key = path.rpartition(".")[2]
            prop = self.schema(path_type(cls, path))
            description = _describe(cls, path)
            if description:
                prop = {"description": description, **prop}
            properties[key] = prop
        return {
            "description": _summary(cls),
            "type": "object",
            "properties": properties,
            "required": list(properties),
            "additionalProperties": False,
        }


_VERSION = {
    "description": "Version of the document format.",
    "const": SCHEMA_VERSION,
}


def _enum(tp: type[enum.Enum]) -> dict[str, Any]:
    """
    The schema of an enum: its values, and each value's Python name
    (the values of :class:`~spasmcare.Urgency` are Infermedica's codes,
    which differ from the names).
    """
    names = ", ".join(
        f"{member.value} = {tp.__name__}.{member.name}" for member in tp
    )
    return {
        "description": f"{_summary(tp)} In Python: {names}.",
        "enum": [member.value for member in tp],
    }


#: How a JSON document's id is read, beyond what the model says.
_JSON_ID = (
    "In JSON a whole-number float id (5.0) is read as that integer (5): "
    "JSON Schema, like JavaScript, cannot tell the two apart. Any other "
    "fraction (5.5) is refused. A float cannot hold every integer beyond "
    "2^53, so send a large id as an integer or a string."
)


def _id_schema() -> dict[str, Any]:
    return {
        "description": _attribute_docs(Assessment)["id"],
        "type": ["string", "integer", "null"],
        "minLength": 1,
        "maxLength": MAX_ID_LENGTH,
        "pattern": "\\S",
        "minimum": _INT64.start,
        "maximum": _INT64.stop - 1,
    }


def _within_life() -> list[dict[str, Any]]:
    """
    ``duration_days`` at most the person's life, ``(age_years + 1) *
    366`` days, as one ``if``/``then`` per age (JSON Schema has no
    arithmetic), so a validator enforces what the loader does.
    """
    ages = QUESTIONS["age_years"]
    assert ages.minimum is not None  # noqa: S101 (integer questions have limits)
    assert ages.maximum is not None  # noqa: S101
    days = QUESTIONS["duration_days"].maximum
    assert days is not None  # noqa: S101
    # From the age whose life reaches the range of duration_days on, that
    # range is the limit: no clause is needed.
    return [
        {
            "if": {
                "properties": {"age_years": {"const": age}},
                "required": ["age_years"],
            },
            "then": {
                "properties": {
                    "duration_days": {"maximum": (age + 1) * _DAYS_PER_YEAR}
                }
            },
        }
        for age in range(ages.minimum, ages.maximum + 1)
        if (age + 1) * _DAYS_PER_YEAR < days
    ]


def _header(name: str, title: str) -> dict[str, Any]:
    return {
        "$schema": _DIALECT,
        "$id": f"urn:spasmcare:schema:{SCHEMA_VERSION}:{name}",
        "title": title,
    }


def _assessment() -> dict[str, Any]:
    properties: dict[str, Any] = {"schema_version": _VERSION}
    notes = _attribute_docs(Assessment)
    for name, key in input_keys().items():
        if name == "id":
            schema = _id_schema()
            properties[key] = {
                **schema,
                "description": f"{schema['description']} {_JSON_ID}",
            }
        elif name == "symptoms":
            properties[key] = {
                "description": (
                    "The yes/no answers, by finding id. A finding that is "
                    "left out is unknown, never absent. Each answer is "
                    '"present", "absent" or "unknown"; true, false and null '
                    "are accepted for the same (output uses the strings)."
                ),
                "type": "object",
                "properties": {
                    q.id: {
                        "title": q.label,
                        "description": q.text,
                        "$ref": "#/$defs/AnswerInput",
                    }
                    for q in QUESTIONS.values()
                    if q.id in FINDING_IDS
                },
                "additionalProperties": False,
            }
        else:
            question = QUESTIONS[name]
            properties[key] = {
                "title": question.label,
                "description": f"{notes[name]} Asked as: {question.text} "
                "Left out or null when unknown.",
                "type": ["integer", "null"],
                "minimum": question.minimum,
                "maximum": question.maximum,
            }
    return {
        **_header("assessment", "spasmcare assessment"),
        "description": (
            f"{_summary(Assessment)} Input of `spasmcare assess` and of "
            "every face. duration_days must also not exceed the person's "
            "life, (age_years + 1) * 366 days (the allOf below)."
        ),
        "type": "object",
        "properties": properties,
        "required": ["schema_version"],
        "additionalProperties": False,
        "allOf": _within_life(),
        "$defs": {
            "AnswerInput": {
                "description": (
                    f"{_summary(Answer)} true, false and null mean "
                    "present, absent and unknown."
                ),
                "enum": [
                    *(answer.value for answer in Answer),
                    True,
                    False,
                    None,
                ],
            }
        },
    }


def _document(name: str, title: str, cls: type) -> dict[str, Any]:
    builder = _Builder()
    root = builder.record(cls, document=True)
    return {
        **_header(name, title),
        **root,
        "$defs": dict(sorted(builder.defs.items())),
    }


_AUDIT = {
    "description": (
        "When, with what and from what input the report was made."
    ),
    "type": "object",
    "properties": {
        "created_at": {
            "description": (
                "When the result was made (UTC, ISO 8601): passed in or "
                "read once when the report is written, never by the "
                "evaluator."
            ),
            "type": "string",
            "format": "date-time",
        },
        "spasmcare_version": {
            "description": "The spasmcare package version that made it.",
            "type": "string",
        },
        "input_sha256": {
            "description": (
                "SHA-256 (hex) of the assessment copy in canonical JSON: "
                "keys sorted, separators ',' and ':', UTF-8."
            ),
            "type": "string",
            "pattern": "^[0-9a-f]{64}$",
        },
    },
    "required": ["created_at", "spasmcare_version", "input_sha256"],
    "additionalProperties": False,
}


def _report() -> dict[str, Any]:
    builder = _Builder()
    escalation = builder.record(Escalation, document=True)
    care_plan = builder.record(CarePlan, document=True)
    assessment = _assessment()
    defs = {**builder.defs, **assessment.pop("$defs")}
    for key in ("$schema", "$id", "title"):
        del assessment[key]
    return {
        **_header("report", "spasmcare report"),
        "description": (
            "A report that can stand alone in an audit trail: the "
            "correlation id, a copy of the input, the escalation and its "
            "care plan, and the audit fields. The output of `spasmcare "
            "assess --format json` and `spasmcare interview --format json`."
        ),
        "type": "object",
        "properties": {
            "schema_version": _VERSION,
            "id": _id_schema(),
            "assessment": assessment,
            "escalation": escalation,
            "care_plan": care_plan,
            "audit": _AUDIT,
        },
        "required": [
            "schema_version",
            "id",
            "assessment",
            "escalation",
            "care_plan",
            "audit",
        ],
        "additionalProperties": False,
        "$defs": dict(sorted(defs.items())),
    }


_ERROR = {
    "description": "Why a record was rejected.",
    "type": "object",
    "properties": {
        "type": {
            "description": (
                "The class of the error (spasmcare.exceptions), such as "
                "InvalidJSONError."
            ),
            "type": "string",
        },
        "message": {"description": "The whole message.", "type": "string"},
        "problems": {
            "description": (
                "Each problem with its JSON path, in document order."
            ),
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "path": {"type": "string"},
                    "message": {"type": "string"},
                },
                "required": ["path", "message"],
                "additionalProperties": False,
            },
        },
    },
    "required": ["type", "message", "problems"],
    "additionalProperties": False,
}


def _batch_result() -> dict[str, Any]:
    builder = _Builder()
    escalation = builder.record(Escalation, document=True)
    notes = _attribute_docs(BatchResult)
    return {
        **_header("batch-result", "spasmcare batch result"),
        "description": (
            f"{_summary(BatchResult)} One line of a batch job's output "
            "(dump_batch_result)."
        ),
        "type": "object",
        "properties": {
            "schema_version": _VERSION,
            "index": {
                "description": notes["index"],
                "type": "integer",
                "minimum": 0,
            },
            "id": {**_id_schema(), "description": notes["id"]},
            "escalation": {
                "description": notes["escalation"],
                "anyOf": [escalation, {"type": "null"}],
            },
            "error": {
                "description": notes["error"],
                "anyOf": [_ERROR, {"type": "null"}],
            },
        },
        "required": ["schema_version", "index", "id", "escalation", "error"],
        "additionalProperties": False,
        "$defs": dict(sorted(builder.defs.items())),
    }


def _interview_state() -> dict[str, Any]:
    assessment = _assessment()
    defs = assessment.pop("$defs")
    for key in ("$schema", "$id", "title"):
        del assessment[key]
    return {
        **_header("interview-state", "spasmcare interview state"),
        "description": (
            "An interview in progress (dump_interview), to store between "
            "the turns of a stateless handler and read back with "
            "load_interview, which refuses a state saved under another "
            "rule-set digest."
        ),
        "type": "object",
        "properties": {
            "schema_version": _VERSION,
            "rule_set": {
                "description": "The rule set the interview screens with.",
                "type": "object",
                "properties": {
                    "id": {"type": "string"},
                    "version": {"type": "string"},
                    "digest": {
                        "type": "string",
                        "pattern": "^[0-9a-f]{64}$",
                    },
                },
                "required": ["id", "version", "digest"],
                "additionalProperties": False,
            },
            "assessment": assessment,
            "asked": {
                "description": (
                    "Ids of the questions and groups asked so far, sorted."
                ),
                "type": "array",
                "items": {"enum": [*QUESTIONS, *GROUPS]},
                "uniqueItems": True,
            },
        },
        "required": ["schema_version", "rule_set", "assessment", "asked"],
        "additionalProperties": False,
        "$defs": defs,
    }


def json_schema(name: str = "assessment") -> dict[str, Any]:
    """
    The JSON Schema (draft 2020-12) of one of spasmcare's JSON documents.

    Args:
        name: ``"assessment"`` (the input: :func:`load_assessment`),
            ``"escalation"`` (:func:`dump_escalation`),
            ``"care-plan"`` (:func:`dump_care_plan`),
            ``"report"`` (:func:`dump_report`, as ``spasmcare assess
            --format json`` prints it),
            ``"prompt"`` (:func:`dump_prompt`),
            ``"batch-result"`` (:func:`dump_batch_result`) or
            ``"interview-state"`` (:func:`dump_interview`).

    Returns:
        The schema, as a JSON-ready dict.

    Raises:
        InvalidValueError: *name* is not one of those names.

    >>> json_schema()["properties"]["pain_score"]["maximum"]
    10

    .. versionadded:: 0.1.0
    """
    builders: Mapping[str, Any] = {
        "assessment": _assessment,
        "escalation": lambda: _document(
            "escalation", "spasmcare escalation", Escalation
        ),
        "care-plan": lambda: _document(
            "care-plan", "spasmcare care plan", CarePlan
        ),
        "report": _report,
        "prompt": lambda: _document(
            "prompt", "spasmcare interview prompt", Prompt
        ),
        "batch-result": _batch_result,
        "interview-state": _interview_state,
    }
    if name not in SCHEMA_NAMES:  # a tuple: an unhashable name is no error
        raise InvalidValueError(
            "name", name, f"expected one of {', '.join(SCHEMA_NAMES)}"
        )
    schema: dict[str, Any] = builders[name]()
    return schema
