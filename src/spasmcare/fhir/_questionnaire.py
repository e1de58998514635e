# SPDX-License-Identifier: MIT
"""
The intake as a FHIR Questionnaire, generated from QUESTIONS and the rules.
"""

from __future__ import annotations

import re
from typing import Any

from fhir.resources.R4B.questionnaire import Questionnaire

from spasmcare import (
    DEFAULT_RULES,
    QUESTIONS,
    AnswerKind,
    Assessment,
    Question,
    RuleSet,
    evaluate,
)
from spasmcare.exceptions import InvalidTypeError

from ._codes import (
    ANSWER_CODES,
    CANONICAL_BASE,
    FINDING_CODES,
    NUMBER_CODES,
    QUESTION_SYSTEM,
    SNOMED,
)

__all__ = [
    "ADAPTIVE_EXTENSION",
    "ANSWER_VALUE_SET",
    "canonical",
    "fhir_id",
    "item_order",
    "questionnaire",
]

#: SDC: the Questionnaire is adaptive; the value is the ``$next-question``
#: server's URL (SDC STU4, ``sdc-questionnaire-questionnaireAdaptive``).
ADAPTIVE_EXTENSION = (
    "http://hl7.org/fhir/uv/sdc/StructureDefinition/"
    "sdc-questionnaire-questionnaireAdaptive"
)
_MIN_VALUE = "http://hl7.org/fhir/StructureDefinition/minValue"
_MAX_VALUE = "http://hl7.org/fhir/StructureDefinition/maxValue"
_UNIT = "http://hl7.org/fhir/StructureDefinition/questionnaire-unit"
#: The contained ValueSet of the yes/no items (local reference).
ANSWER_VALUE_SET = "#yes-no-unknown"
_NOT_ID = re.compile(r"[^A-Za-z0-9\-.]")


def fhir_id(text: str) -> str:
    """
    *text* as a FHIR resource id: letters, digits, ``-`` and ``.``, at
    most 64 characters.
    """
    return _NOT_ID.sub("-", text)[:64]


def canonical(
    rules: RuleSet = DEFAULT_RULES, resource_type: str = "Questionnaire"
) -> str:
    """
    The versioned canonical URL (``url|version``) of the artefact of type
    *resource_type* generated from *rules*.

    >>> from spasmcare.fhir import canonical
    >>> canonical()
    'https://spasmcare.invalid/fhir/Questionnaire/spasmcare-default|0.3.0'

    .. versionadded:: 0.1.0
    """
    return f"{url(rules, resource_type)}|{rules.version}"


def url(rules: RuleSet, resource_type: str = "Questionnaire") -> str:
    """
    The canonical URL, without version, of an artefact made from *rules*.
    """
    return f"{CANONICAL_BASE}/{resource_type}/{fhir_id(rules.id)}"


def item_order(rules: RuleSet) -> tuple[str, ...]:
    """
    The question ids in the order of the form: red-flag questions first,
    most urgent first (catalogue order within a level), then the rest in
    catalogue order.

    .. versionadded:: 0.1.0
    """
    flags = rules.red_flags
    order = {q: i for i, q in enumerate(QUESTIONS)}
    first = sorted(flags, key=lambda q: (-flags[q].rank, order[q]))
    return (*first, *(q for q in QUESTIONS if q not in flags))


def _codings(question: Question) -> list[dict[str, str]]:
    codings = [
        {
            "system": QUESTION_SYSTEM,
            "code": question.id,
            "display": question.label,
        }
    ]
    if question.kind is AnswerKind.INTEGER:
        loinc = NUMBER_CODES[question.id][1]
        if loinc is not None:
            codings.append(loinc.coding())
    else:
        codings.extend(
            m.code.coding()
            for m in FINDING_CODES
            if m.question == question.id and m.code.system == SNOMED
        )
    return codings


def _item(question: Question) -> dict[str, Any]:
    item: dict[str, Any] = {
        "linkId": question.id,
        "code": _codings(question),
        "text": question.text,
        "required": False,
        "repeats": False,
    }
    if question.kind is AnswerKind.YES_NO:
        item["type"] = "choice"
        item["answerValueSet"] = ANSWER_VALUE_SET
        return item
    unit = NUMBER_CODES[question.id][0]
    item["type"] = "integer"
    item["extension"] = [
        {"url": _MIN_VALUE, "valueInteger": question.minimum},
        {"url": _MAX_VALUE, "valueInteger": question.maximum},
        {"url": _UNIT, "valueCoding": unit.coding()},
    ]
    return item


def _value_set() -> dict[str, Any]:
    # The codes are listed, so a form renderer needs no terminology server.
    codes = list(ANSWER_CODES.values())
    return {
        "resourceType": "ValueSet",
        "id": ANSWER_VALUE_SET[1:],
        "status": "active",
        "name": "YesNoUnknown",
        "title": "Yes, no or don't know",
        "compose": {
            "include": [
                {
                    "system": SNOMED,
                    "concept": [
                        {"code": c.code, "display": c.display} for c in codes
                    ],
                }
            ]
        },
    }


def _notice(rules: RuleSet) -> str:
    return evaluate(Assessment(), rules=rules).notice


def questionnaire(
    rules: RuleSet = DEFAULT_RULES, *, next_question_url: str | None = None
) -> Questionnaire:
    """
    The intake as a FHIR R4 Questionnaire, made from the questions and
    *rules*.

    One item per question (:data:`spasmcare.QUESTIONS`): ``linkId`` is the
    question id, ``text`` the patient wording, and ``code`` carries the
    clinician label (spasmcare's question code system) with any SNOMED CT
    or LOINC code from the code tables.
    Yes/no questions are ``choice`` items bound to a contained ValueSet of
    SNOMED CT Yes (373066001), No (373067005) and Unknown (261665006);
    integer questions carry the ``minValue``/``maxValue`` extensions and a
    UCUM ``questionnaire-unit``.
    Red-flag questions come first, most urgent first (:func:`item_order`).
    No item is required: an unanswered item is unknown, never "no".
    ``url`` and ``version`` are the rule set's (:func:`canonical`).

    It is a plain static form; with *next_question_url* it also carries
    SDC's ``questionnaireAdaptive`` extension naming the server that runs
    ``$next-question``.

    Args:
        rules: The rule set the form is for.
        next_question_url: The URL of a server running SDC
            ``$next-question`` for this form, if one runs.

    Raises:
        InvalidTypeError: *rules* is not a :class:`~spasmcare.RuleSet`, or
            *next_question_url* is not a string.

    >>> from spasmcare.fhir import questionnaire
    >>> form = questionnaire()
    >>> form.item[0].linkId, form.item[0].type
    ('major_trauma', 'choice')
    >>> form.version == DEFAULT_RULES.version
    True

    .. versionadded:: 0.1.0
    """
    if not isinstance(rules, RuleSet):
        raise InvalidTypeError("rules", rules, "a RuleSet")
    if next_question_url is not None and not isinstance(
        next_question_url, str
    ):
        raise InvalidTypeError(
            "next_question_url", next_question_url, "a URL (str) or None"
        )
    resource: dict[str, Any] = {
        "resourceType": "Questionnaire",
        "id": fhir_id(rules.id),
        "url": url(rules),
        "version": rules.version,
        "name": "SpasmcareIntake",
        "title": f"Back pain intake ({rules.id} {rules.version})",
        "status": "draft",
        "experimental": True,
        "subjectType": ["Patient"],
        "publisher": "spasmcare",
        "description": (
            "Questions about an episode of back pain or back spasm, red-flag "
            "questions first. Any question may be left unanswered: it is "
            f"then unknown, never read as no. {_notice(rules)}"
        ),
        "contained": [_value_set()],
        "item": [_item(QUESTIONS[q]) for q in item_order(rules)],
    }
    if next_question_url is not None:
        resource["extension"] = [
            {"url": ADAPTIVE_EXTENSION, "valueUrl": next_question_url}
        ]
    return Questionnaire.model_validate(resource)
