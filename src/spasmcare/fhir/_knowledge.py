# SPDX-License-Identifier: MIT
"""
The rule set as FHIR knowledge artefacts: a PlanDefinition (eca-rule) whose
actions carry FHIRPath applicability conditions, and a Library.
"""

from __future__ import annotations

import base64
import json
from typing import Any

from fhir.resources.R4B.bundle import Bundle

from spasmcare import (
    DEFAULT_RULES,
    QUESTIONS,
    Answer,
    Assessment,
    Rule,
    RuleSet,
    evaluate,
)
from spasmcare.criteria import (
    AtLeast,
    AtMost,
    CountAtLeast,
    Criterion,
    OnsetBefore,
    Present,
)
from spasmcare.exceptions import InvalidTypeError, RuleSetError

from ._codes import (
    ANSWER_CODES,
    QUESTION_SYSTEM,
    URGENCY_PRIORITY,
    URGENCY_SYSTEM,
)
from ._questionnaire import canonical, fhir_id, questionnaire, url

__all__ = ["condition_expression", "knowledge_bundle"]

_YES = ANSWER_CODES[Answer.PRESENT]
#: Days in a year, as spasmcare.criteria.OnsetBefore counts the age at onset
#: (the FHIRPath agreement property test checks that both count alike).
_DAYS_PER_YEAR = 365


def _value(question: str, kind: str) -> str:
    return f"item.where(linkId = '{question}').answer.value.ofType({kind})"


def condition_expression(criterion: Criterion) -> str:  # noqa: PLR0911
    """
    The FHIRPath expression, over a QuestionnaireResponse to
    :func:`~spasmcare.fhir.questionnaire`, that is true exactly when
    *criterion* is met.

    It keeps the three-valued meaning of :mod:`spasmcare.criteria`: an
    unknown answer never makes it true (every test is an ``exists()``, and
    "don't know" is not the Yes code). It uses no ``resolve()`` or
    ``extension()``, so simple engines such as fhirpathpy evaluate it.

    Raises:
        RuleSetError: *criterion* is not built from the blocks of
            :mod:`spasmcare.criteria`, so it has no FHIRPath form.

    >>> from spasmcare.criteria import AtLeast
    >>> from spasmcare.fhir import condition_expression
    >>> condition_expression(AtLeast("pain_score", 7))
    "item.where(linkId = 'pain_score').answer.value.ofType(integer).where($this >= 7).exists()"

    .. versionadded:: 0.1.0
    """
    if isinstance(criterion, Present):
        return (
            f"{_value(criterion.finding, 'Coding')}.where(system = "
            f"'{_YES.system}' and code = '{_YES.code}').exists()"
        )
    if isinstance(criterion, AtLeast):
        return (
            f"{_value(criterion.question, 'integer')}"
            f".where($this >= {criterion.threshold}).exists()"
        )
    if isinstance(criterion, AtMost):
        return (
            f"{_value(criterion.question, 'integer')}"
            f".where($this <= {criterion.threshold}).exists()"
        )
    if isinstance(criterion, OnsetBefore):
        age = _value("age_years", "integer")
        days = _value("duration_days", "integer")
        return (
            f"({age}.exists() and {days}.exists()) and "
            f"({age} * {_DAYS_PER_YEAR} - {days} < "
            f"{criterion.age_years * _DAYS_PER_YEAR})"
        )
    if isinstance(criterion, CountAtLeast):
        parts = [condition_expression(c) for c in criterion.criteria]
        if criterion.count == len(parts):
            return " and ".join(f"({p})" for p in parts)
        if criterion.count == 1:
            return " or ".join(f"({p})" for p in parts)
        total = " + ".join(f"iif({p}, 1, 0)" for p in parts)
        return f"({total}) >= {criterion.count}"
    raise RuleSetError(
        type(criterion).__name__,
        "a criterion not built from spasmcare.criteria has no FHIRPath form",
    )


def _citation(rule: Rule) -> list[dict[str, Any]]:
    artefacts = []
    for c in rule.citations:
        artefact: dict[str, Any] = {
            "type": "citation",
            "label": c.key,
            "display": c.title,
            "citation": str(c),
        }
        if c.url is not None:
            artefact["url"] = c.url
        artefacts.append(artefact)
    return artefacts


def _inputs(rule: Rule) -> list[dict[str, Any]]:
    order = {q: i for i, q in enumerate(QUESTIONS)}
    return [
        {
            "type": "QuestionnaireResponse",
            "codeFilter": [
                {
                    "path": "item.code",
                    "code": [
                        {
                            "system": QUESTION_SYSTEM,
                            "code": q,
                            "display": QUESTIONS[q].label,
                        }
                    ],
                }
            ],
        }
        for q in sorted(rule.criterion.questions, key=order.__getitem__)
    ]


def _action(rule: Rule) -> dict[str, Any]:
    try:
        expression = condition_expression(rule.criterion)
    except RuleSetError as error:
        raise RuleSetError(rule.id, error.reason) from None
    return {
        "id": rule.id,
        "title": rule.title,
        "description": rule.rationale,
        "priority": URGENCY_PRIORITY[rule.urgency],
        "code": [
            {
                "coding": [
                    {
                        "system": URGENCY_SYSTEM,
                        "code": rule.urgency.value,
                        "display": rule.urgency.name.lower().replace("_", " "),
                    }
                ],
                "text": rule.urgency.action,
            }
        ],
        "documentation": _citation(rule),
        "input": _inputs(rule),
        "condition": [
            {
                "kind": "applicability",
                "expression": {
                    "language": "text/fhirpath",
                    "expression": expression,
                    "description": (
                        f"Rule {rule.id}: {rule.criterion.describe()}"
                    ),
                },
            }
        ],
    }


def _plan_definition(rules: RuleSet) -> dict[str, Any]:
    return {
        "resourceType": "PlanDefinition",
        "id": fhir_id(rules.id),
        "url": url(rules, "PlanDefinition"),
        "version": rules.version,
        "name": "SpasmcareEscalationRules",
        "title": f"Back pain escalation rules ({rules.id} {rules.version})",
        "type": {
            "coding": [
                {
                    "system": "http://terminology.hl7.org/CodeSystem/"
                    "plan-definition-type",
                    "code": "eca-rule",
                }
            ]
        },
        "status": "draft",
        "experimental": True,
        "publisher": "spasmcare",
        "description": (
            "One action per rule; an action applies when its FHIRPath "
            "condition is true over a QuestionnaireResponse to "
            f"{canonical(rules)}. The most urgent applicable action sets "
            "the level; while a red-flag question is unanswered the level "
            "is never self-care. Rule set digest (SHA-256): "
            f"{rules.digest}. {evaluate(Assessment(), rules=rules).notice}"
        ),
        "library": [canonical(rules, "Library")],
        "action": [_action(rule) for rule in rules],
    }


def _library(rules: RuleSet) -> dict[str, Any]:
    conditions = {
        rule.id: condition_expression(rule.criterion) for rule in rules
    }
    data = json.dumps(conditions, indent=2, sort_keys=False).encode()
    return {
        "resourceType": "Library",
        "id": fhir_id(rules.id),
        "url": url(rules, "Library"),
        "version": rules.version,
        "name": "SpasmcareEscalationLogic",
        "title": f"Back pain escalation logic ({rules.id} {rules.version})",
        "status": "draft",
        "experimental": True,
        "type": {
            "coding": [
                {
                    "system": "http://terminology.hl7.org/CodeSystem/"
                    "library-type",
                    "code": "logic-library",
                }
            ]
        },
        "description": (
            "The FHIRPath applicability condition of each rule, by rule id, "
            "as a JSON object (the same expressions as the PlanDefinition's "
            "actions)."
        ),
        "dataRequirement": [{"type": "QuestionnaireResponse"}],
        "content": [
            {
                "contentType": "application/json",
                "title": "FHIRPath conditions by rule id",
                "data": base64.b64encode(data).decode("ascii"),
            }
        ],
    }


def _code_system(rules: RuleSet) -> dict[str, Any]:
    return {
        "resourceType": "CodeSystem",
        "id": "question",
        "url": QUESTION_SYSTEM,
        "version": rules.version,
        "name": "SpasmcareQuestion",
        "title": "spasmcare questions",
        "status": "draft",
        "experimental": True,
        "caseSensitive": True,
        "content": "complete",
        "concept": [
            {"code": q.id, "display": q.label, "definition": q.text}
            for q in QUESTIONS.values()
        ],
    }


def knowledge_bundle(rules: RuleSet = DEFAULT_RULES) -> Bundle:
    """
    The rule set as FHIR knowledge artefacts, in one collection Bundle.

    - A PlanDefinition of type ``eca-rule`` with one action per rule: its
      ``id`` the rule id, with title, description (the rationale),
      priority, a ``relatedArtifact`` per citation, an ``input`` per
      question it reads, and an applicability condition in FHIRPath over
      the QuestionnaireResponse (:func:`condition_expression`), whose
      description carries the rule id and the rule in words.
    - A Library (``logic-library``) holding the same conditions by rule id.
    - The Questionnaire (:func:`~spasmcare.fhir.questionnaire`) and the
      CodeSystem of the questions its items are coded with.

    A property test evaluates the conditions with fhirpathpy and checks
    that the actions whose conditions are true are exactly the rules
    :func:`spasmcare.evaluate` fires.

    Raises:
        InvalidTypeError: *rules* is not a :class:`~spasmcare.RuleSet`.
        RuleSetError: A rule's criterion has no FHIRPath form.

    .. versionadded:: 0.1.0
    """
    if not isinstance(rules, RuleSet):
        raise InvalidTypeError("rules", rules, "a RuleSet")
    resources = [
        _plan_definition(rules),
        _library(rules),
        json.loads(questionnaire(rules).model_dump_json()),
        _code_system(rules),
    ]
    return Bundle.model_validate(
        {
            "resourceType": "Bundle",
            "id": fhir_id(f"{rules.id}-{rules.version}"),
            "type": "collection",
            "entry": [{"fullUrl": r["url"], "resource": r} for r in resources],
        }
    )
