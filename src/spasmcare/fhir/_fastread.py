# SPDX-License-Identifier: MIT
"""
A fast path for reading a QuestionnaireResponse given as a dict.

Most responses a service reads are plainly valid, and for them the
``fhir.resources`` models cost far more than reading the answers (about
5 ms a 45-item response, nearly all pydantic validation: the service's
largest cost a call). :func:`fast_assessment` takes only responses whose
every key and value has a shape the models are sure to accept (exact
JSON types, identifiers, references and times of a strict form), and
reads them as :func:`~spasmcare.fhir.assessment_from_response` does; for
anything else it returns ``None``, and the full check, which builds the
model, reads the response again and raises its usual error. So a
response is refused, and its problem named, by one code path only; the
tests check that the two paths agree.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Mapping
from typing import Any

from spasmcare import (
    QUESTIONS,
    Answer,
    AnswerKind,
    Assessment,
    Question,
    Symptom,
)

__all__ = ["fast_assessment"]

_QR = "QuestionnaireResponse"
#: Every key a response may have on the fast path.
_KEYS = frozenset(
    (
        "resourceType",
        "id",
        "meta",
        "status",
        "questionnaire",
        "subject",
        "encounter",
        "author",
        "source",
        "authored",
        "item",
    )
)
_REFERENCES = ("subject", "encounter", "author", "source")
_ITEM_KEYS = frozenset(("linkId", "text", "answer"))
_CODING_KEYS = frozenset(("system", "code", "display"))
_META_KEYS = frozenset(("versionId", "lastUpdated"))
#: A FHIR id (the model's own pattern and length).
_ID = re.compile(r"[A-Za-z0-9\-.]{1,64}")
#: A relative reference, Type/id: a strict subset of what FHIR allows.
_REFERENCE = re.compile(r"[A-Z][A-Za-z]{0,63}/[A-Za-z0-9\-.]{1,64}")
#: A full date and time with seconds and a zone (a FHIR dateTime and
#: instant, within the zones FHIR allows); the calendar is checked too.
_MOMENT = re.compile(
    r"[1-9][0-9]{3}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])"
    r"T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]{1,6})?"
    r"(Z|[+-]((0[0-9]|1[0-3]):[0-5][0-9]|14:00))"
)
#: A FHIR string, with no space at either end.
_TEXT = re.compile(r"[^\s]([ \r\n\t\S]*[^\s])?")


class _SlowPathError(Exception):
    """
    Not for the fast path: the full check will read it.
    """


def _need(condition: bool) -> None:  # noqa: FBT001
    if not condition:
        raise _SlowPathError


#: Texts already found to be FHIR strings (the form's own item texts and
#: displays come again and again), up to a bound.
_CHECKED_TEXTS: set[str] = set()
_MAX_CHECKED_TEXTS = 4096


def _text(value: object) -> None:
    if type(value) is not str:
        raise _SlowPathError
    if value in _CHECKED_TEXTS:
        return
    _need(_TEXT.fullmatch(value) is not None)
    if len(_CHECKED_TEXTS) < _MAX_CHECKED_TEXTS:
        _CHECKED_TEXTS.add(value)


@functools.cache
def _symptom(finding: str, answer: Answer) -> Symptom:
    """
    The Symptom (immutable, so shared), made once per finding and answer.
    """
    return Symptom(finding=finding, answer=answer)


def _moment(value: object) -> None:
    if type(value) is not str or _MOMENT.fullmatch(value) is None:
        raise _SlowPathError
    dt.datetime.fromisoformat(value)  # a ValueError: not a real day


def _identifier(value: object) -> None:
    _need(type(value) is str and _ID.fullmatch(str(value)) is not None)


def _reference(value: object) -> None:
    if type(value) is not dict or value.keys() != {"reference"}:
        raise _SlowPathError
    reference = value["reference"]
    _need(
        type(reference) is str and _REFERENCE.fullmatch(reference) is not None
    )


def _header(
    response: dict[str, Any], canonical: str, usable: frozenset[str]
) -> None:
    _need(response.keys() <= _KEYS and response.get("resourceType") == _QR)
    status = response.get("status")
    _need(type(status) is str and status in usable)
    questionnaire = response.get("questionnaire")
    _need(type(questionnaire) is str and questionnaire == canonical)
    if "id" in response:
        _identifier(response["id"])
    if "meta" in response:
        meta = response["meta"]
        if type(meta) is not dict or not meta or not meta.keys() <= _META_KEYS:
            raise _SlowPathError
        if "versionId" in meta:
            _identifier(meta["versionId"])
        if "lastUpdated" in meta:
            _moment(meta["lastUpdated"])
    for key in _REFERENCES:
        if key in response:
            _reference(response[key])
    if "authored" in response:
        _moment(response["authored"])


def _coding(
    answer: dict[str, Any],
    answers: Mapping[tuple[str | None, str | None], Answer],
) -> Answer:
    _need(answer.keys() == {"valueCoding"})
    coding = answer["valueCoding"]
    if type(coding) is not dict or not coding.keys() <= _CODING_KEYS:
        raise _SlowPathError
    if "display" in coding:
        _text(coding["display"])
    system, code = coding.get("system"), coding.get("code")
    if type(system) is not str or type(code) is not str:
        raise _SlowPathError
    return answers[system, code]  # a KeyError: not Yes, No or Unknown


def _integer(answer: dict[str, Any], question: Question) -> int:
    _need(answer.keys() == {"valueInteger"})
    value = answer["valueInteger"]
    low, high = question.minimum, question.maximum
    if type(value) is not int or low is None or high is None:
        raise _SlowPathError
    _need(low <= value <= high)
    return value


def _read(
    response: dict[str, Any],
    canonical: str,
    usable: frozenset[str],
    answers: Mapping[tuple[str | None, str | None], Answer],
) -> Assessment:
    _header(response, canonical, usable)
    items = response.get("item", [])
    if type(items) is not list or ("item" in response and not items):
        raise _SlowPathError
    symptoms: list[Symptom] = []
    numbers: dict[str, int] = {}
    seen: set[str] = set()
    for item in items:
        if type(item) is not dict or not item.keys() <= _ITEM_KEYS:
            raise _SlowPathError
        link_id = item.get("linkId")
        if type(link_id) is not str or link_id in seen:
            raise _SlowPathError
        seen.add(link_id)
        question = QUESTIONS[link_id]  # a KeyError: not an item of the form
        if "text" in item:
            _text(item["text"])
        if "answer" not in item:
            continue  # shown but not answered: unknown
        given = item["answer"]
        if (
            type(given) is not list
            or len(given) != 1
            or type(given[0]) is not dict
        ):
            raise _SlowPathError
        if question.kind is AnswerKind.YES_NO:
            symptoms.append(_symptom(link_id, _coding(given[0], answers)))
        else:
            numbers[link_id] = _integer(given[0], question)
    return Assessment(symptoms=tuple(symptoms), **numbers)


def fast_assessment(
    response: object,
    *,
    canonical: str,
    usable: frozenset[str],
    answers: Mapping[tuple[str | None, str | None], Answer],
) -> Assessment | None:
    """
    The assessment in *response* if it is a plainly valid
    QuestionnaireResponse dict, else ``None`` (the full check will read it).

    Args:
        response: What was given to read.
        canonical: The versioned canonical it must answer (``url|version``).
        usable: The statuses a response may have to be read.
        answers: The answer of each (system, code) of a yes/no item.
    """
    if type(response) is not dict:
        return None
    try:
        return _read(response, canonical, usable, answers)
    except (_SlowPathError, KeyError, TypeError, ValueError):
        # KeyError: an unknown linkId or coding; TypeError: an unhashable
        # one; ValueError: not a real day, or a value the model refuses
        # (its errors are ValueErrors and TypeErrors too).
        return None
