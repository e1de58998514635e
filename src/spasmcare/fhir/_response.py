# SPDX-License-Identifier: MIT
"""
QuestionnaireResponse <-> Assessment: strict in, lossless both ways.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from fhir.resources.R4B.questionnaire import Questionnaire
from fhir.resources.R4B.questionnaireresponse import (
    QuestionnaireResponse,
    QuestionnaireResponseItem,
    QuestionnaireResponseItemAnswer,
)

from spasmcare import (
    DEFAULT_RULES,
    QUESTIONS,
    Answer,
    AnswerKind,
    Assessment,
    Question,
    RuleSet,
    Symptom,
    evaluate,
)
from spasmcare.exceptions import (
    InvalidTypeError,
    InvalidValueError,
    UnknownFindingError,
)

from ._codes import ANSWER_CODES, SNOMED
from ._errors import (
    InvalidResourceError,
    check_reference,
    parse_resource,
    parse_resource_json,
)
from ._fastread import fast_assessment
from ._questionnaire import canonical, item_order

__all__ = [
    "assessment_from_response",
    "assessment_from_response_json",
    "response_from_assessment",
]

_QR = "QuestionnaireResponse"
#: QuestionnaireResponse.status codes (R4) a response may have to be read.
_USABLE = frozenset(("in-progress", "completed", "amended", "stopped"))
_ANSWER_OF: dict[tuple[str | None, str | None], Answer] = {
    (code.system, code.code): answer for answer, code in ANSWER_CODES.items()
}
_ANSWERS_IN_WORDS = ", ".join(
    f"{c.code} ({c.display})" for c in ANSWER_CODES.values()
)
#: Every value[x] of an answer, to name the one given.
_VALUES = (
    "valueBoolean",
    "valueDecimal",
    "valueInteger",
    "valueDate",
    "valueDateTime",
    "valueTime",
    "valueString",
    "valueUri",
    "valueAttachment",
    "valueCoding",
    "valueQuantity",
    "valueReference",
)


def response_from_assessment(
    assessment: Assessment,
    *,
    rules: RuleSet = DEFAULT_RULES,
    subject: str | None = None,
    authored: dt.datetime | None = None,
) -> QuestionnaireResponse:
    """
    The assessment as a response to :func:`questionnaire` (*rules*).

    Every answer given becomes an item, in the form's order: yes/no answers
    as SNOMED CT Yes, No or Unknown codings (an explicit "don't know" stays
    Unknown), numbers as ``valueInteger``. Questions never answered have no
    item. ``status`` is ``completed`` when screening is complete
    (:attr:`spasmcare.Escalation.screening_complete`), else
    ``in-progress``. :func:`assessment_from_response` gives back an equal
    assessment.

    Args:
        assessment: The answers.
        rules: The rule set of the Questionnaire answered.
        subject: A reference to the patient, such as ``"Patient/123"``.
        authored: When the answers were given (timezone-aware).

    Raises:
        InvalidTypeError: An argument has the wrong type.
        InvalidResourceError: *subject* is not a FHIR reference.

    >>> from spasmcare import Assessment
    >>> from spasmcare.fhir import response_from_assessment
    >>> qr = response_from_assessment(
    ...     Assessment.from_answers({"fever": False}, pain_score=3)
    ... )
    >>> qr.status, [item.linkId for item in qr.item]
    ('in-progress', ['fever', 'pain_score'])

    .. versionadded:: 0.1.0
    """
    if not isinstance(assessment, Assessment):
        raise InvalidTypeError("assessment", assessment, "an Assessment")
    escalation = evaluate(assessment, rules=rules)
    listed = {s.finding for s in assessment.symptoms}
    items = []
    for question_id in item_order(rules):
        question = QUESTIONS[question_id]
        if question.kind is AnswerKind.YES_NO:
            if question_id not in listed:
                continue
            answer = assessment.answer(question_id)
            value: dict[str, Any] = {
                "valueCoding": ANSWER_CODES[answer].coding()
            }
        else:
            number = assessment.number(question_id)
            if number is None:
                continue
            value = {"valueInteger": number}
        items.append(
            {"linkId": question_id, "text": question.text, "answer": [value]}
        )
    resource: dict[str, Any] = {
        "resourceType": _QR,
        "questionnaire": canonical(rules),
        "status": (
            "completed" if escalation.screening_complete else "in-progress"
        ),
    }
    if subject is not None:
        resource["subject"] = {
            "reference": check_reference("subject", subject)
        }
    if authored is not None:
        if getattr(authored, "tzinfo", None) is None:
            raise InvalidTypeError(
                "authored", authored, "a timezone-aware datetime"
            )
        resource["authored"] = authored.isoformat()
    if items:
        resource["item"] = items
    return QuestionnaireResponse.model_validate(resource)


def assessment_from_response(
    response: QuestionnaireResponse | dict[str, Any],
    *,
    rules: RuleSet = DEFAULT_RULES,
) -> Assessment:
    """
    Read a response to :func:`questionnaire` (*rules*) as an Assessment.

    Items not in the response, or without an answer, are unknown, never
    "no". The response is checked strictly, and nothing is guessed.

    Args:
        response: A QuestionnaireResponse model, or its JSON as a dict.
            Its ``questionnaire`` is the versioned canonical of the form
            (``url|version``), or, as in SDC's adaptive forms, ``#id`` of
            a contained Questionnaire whose ``derivedFrom`` is that
            canonical.
        rules: The rule set whose Questionnaire was answered.

    Raises:
        InvalidResourceError: It is not a QuestionnaireResponse, its status
            is ``entered-in-error`` (or not an R4 status), it answers
            another Questionnaire or version, a linkId appears twice, an
            item holds nested items, or an item has more than one answer.
        UnknownFindingError: A linkId is not an item of the Questionnaire.
        InvalidTypeError: An answer has the wrong type (such as a
            ``valueBoolean`` for a yes/no item, which takes a coding).
        InvalidValueError: A coding is not Yes, No or Unknown, or a number
            is out of range.

    Every error names the item's index and linkId in its ``field``.

    >>> from spasmcare import Assessment
    >>> from spasmcare.fhir import (
    ...     assessment_from_response, response_from_assessment
    ... )
    >>> a = Assessment.from_answers({"fever": None, "chest_pain": False})
    >>> assessment_from_response(response_from_assessment(a)) == a
    True

    .. versionadded:: 0.1.0
    """
    # A plainly valid dict takes the fast path (no model built); anything
    # else the full check, which names the problem (see _fastread), in the
    # order it always has: the response first, then the rules.
    if isinstance(rules, RuleSet):
        fast = fast_assessment(
            response,
            canonical=canonical(rules),
            usable=_USABLE,
            answers=_ANSWER_OF,
        )
        if fast is not None:
            return fast
    return assessment_from_response_checked(response, rules=rules)


def assessment_from_response_checked(
    response: QuestionnaireResponse | dict[str, Any],
    *,
    rules: RuleSet = DEFAULT_RULES,
) -> Assessment:
    """
    :func:`assessment_from_response` through the ``fhir.resources`` model
    alone: the full check, on which the fast path falls back (the tests
    check that both read the same responses alike).
    """
    qr = parse_resource(response, QuestionnaireResponse)
    if not isinstance(rules, RuleSet):
        raise InvalidTypeError("rules", rules, "a RuleSet")
    _check_status(qr.status)
    _check_questionnaire(qr, canonical(rules))
    symptoms: list[Symptom] = []
    numbers: dict[str, int] = {}
    seen: dict[str, int] = {}
    for index, item in enumerate(qr.item or ()):
        where = f"{_QR}.item[{index}]"
        link_id = item.linkId or ""  # required by the model
        question = QUESTIONS.get(link_id)
        if question is None:
            raise UnknownFindingError(
                f"{where}.linkId",
                link_id,
                f"not an item of Questionnaire {canonical(rules)}",
            )
        where = f"{where} (linkId {link_id!r})"
        if link_id in seen:
            raise InvalidResourceError(
                where,
                link_id,
                f"linkId given twice (also item[{seen[link_id]}]); "
                "answer each item once",
            )
        seen[link_id] = index
        value = _read_item(item, question, where)
        if value is None:
            continue
        if isinstance(value, Answer):
            symptoms.append(Symptom(finding=link_id, answer=value))
        else:
            numbers[link_id] = value
    return Assessment(symptoms=tuple(symptoms), **numbers)


def assessment_from_response_json(
    text: str | bytes, *, rules: RuleSet = DEFAULT_RULES
) -> Assessment:
    """
    :func:`assessment_from_response` for QuestionnaireResponse JSON text.

    Raises:
        InvalidResourceError: The text is not JSON, or any error of
            :func:`assessment_from_response`.

    .. versionadded:: 0.1.0
    """
    return assessment_from_response(
        parse_resource_json(text, QuestionnaireResponse), rules=rules
    )


def _check_status(status: str | None) -> None:
    if status == "entered-in-error":
        raise InvalidResourceError(
            f"{_QR}.status",
            status,
            "the response was entered in error and must not be used",
        )
    if status not in _USABLE:
        raise InvalidResourceError(
            f"{_QR}.status",
            status,
            "must be one of " + ", ".join(sorted(_USABLE)),
        )


def _check_questionnaire(qr: QuestionnaireResponse, expected: str) -> None:
    field = f"{_QR}.questionnaire"
    named = qr.questionnaire
    if named is None:
        raise InvalidResourceError(
            field, None, f"must name the Questionnaire answered, {expected}"
        )
    if named.startswith("#"):
        contained = [
            r
            for r in qr.contained or ()
            if isinstance(r, Questionnaire) and r.id == named[1:]
        ]
        if not contained:
            raise InvalidResourceError(
                field, named, "no contained Questionnaire has this id"
            )
        derived = contained[0].derivedFrom or []
        if expected not in derived:
            raise InvalidResourceError(
                f"{_QR}.contained[{named}].derivedFrom",
                derived,
                f"the contained Questionnaire must derive from {expected}",
            )
        return
    if named != expected:
        raise InvalidResourceError(
            field,
            named,
            f"answers another Questionnaire or version; expected {expected}",
        )


def _read_item(
    item: QuestionnaireResponseItem, question: Question, where: str
) -> Answer | int | None:
    if item.item:
        raise InvalidResourceError(
            f"{where}.item",
            [i.linkId for i in item.item],
            "a nested group the Questionnaire lacks (its items are all "
            "top-level)",
        )
    answers = item.answer or []
    if not answers:
        return None  # shown but not answered: unknown
    if len(answers) > 1:
        raise InvalidResourceError(
            f"{where}.answer",
            len(answers),
            "the item does not repeat: give one answer at most",
        )
    answer = answers[0]
    where = f"{where}.answer[0]"
    if answer.item:
        raise InvalidResourceError(
            f"{where}.item",
            [i.linkId for i in answer.item],
            "a nested item the Questionnaire lacks",
        )
    if question.kind is AnswerKind.YES_NO:
        return _read_coding(answer, where)
    return _read_integer(answer, question, where)


def _given(answer: QuestionnaireResponseItemAnswer) -> str | None:
    return next((n for n in _VALUES if getattr(answer, n) is not None), None)


def _read_coding(
    answer: QuestionnaireResponseItemAnswer, where: str
) -> Answer:
    coding = answer.valueCoding
    if coding is None:
        raise InvalidTypeError(
            where,
            _given(answer),
            f"valueCoding with SNOMED CT {_ANSWERS_IN_WORDS}",
        )
    read = _ANSWER_OF.get((coding.system, coding.code))
    if read is None:
        raise InvalidValueError(
            f"{where}.valueCoding",
            f"{coding.system}|{coding.code}",
            f"must be SNOMED CT ({SNOMED}) {_ANSWERS_IN_WORDS}",
        )
    return read


def _read_integer(
    answer: QuestionnaireResponseItemAnswer, question: Question, where: str
) -> int:
    value = answer.valueInteger
    if value is None:
        raise InvalidTypeError(where, _given(answer), "valueInteger")
    low, high = question.minimum, question.maximum
    assert low is not None  # noqa: S101 (integer questions have limits)
    assert high is not None  # noqa: S101
    if not low <= value <= high:
        raise InvalidValueError(
            f"{where}.valueInteger",
            value,
            f"must be from {low} to {high} {question.unit}",
        )
    return value
