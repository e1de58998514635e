# SPDX-License-Identifier: MIT
"""
An escalation and its care plan as FHIR: the guidance Bundle.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from collections.abc import Callable
from typing import Any

from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

from spasmcare import (
    QUESTIONS,
    CarePlan,
    Escalation,
    FiredRule,
    Schedule,
    Step,
    StepKind,
    Urgency,
    evaluate,
)
from spasmcare.exceptions import InvalidTypeError, InvalidValueError

from ._codes import (
    QUESTION_SYSTEM,
    RISK_PROBABILITY,
    RULE_SYSTEM,
    STEP_SYSTEM,
    UCUM,
    URGENCY_PRIORITY,
    URGENCY_RISK,
    URGENCY_SYSTEM,
)
from ._errors import check_reference, parse_resource
from ._questionnaire import canonical
from ._response import assessment_from_response

__all__ = ["guidance_bundle"]

#: The namespace of the Bundle's urn:uuid identifiers (uuid5 of the inputs,
#: so the same inputs give the same Bundle).
_NAMESPACE = uuid.UUID("5b0b4a8e-6f4c-5d0e-9a57-3c1f0f3c2a11")


def _level(level: Urgency) -> dict[str, str]:
    return {
        "system": URGENCY_SYSTEM,
        "code": level.value,
        "display": level.name.lower().replace("_", " "),
    }


def _rule(fired: FiredRule) -> dict[str, str]:
    return {
        "system": RULE_SYSTEM,
        "code": fired.id,
        "display": fired.rule.title,
    }


def _question(question: str) -> dict[str, str]:
    return {
        "system": QUESTION_SYSTEM,
        "code": question,
        "display": QUESTIONS[question].label,
    }


def _risk(level: Urgency) -> dict[str, Any]:
    return {
        "coding": [{"system": RISK_PROBABILITY, "code": URGENCY_RISK[level]}]
    }


def _timing(schedule: Schedule) -> dict[str, Any]:
    repeat: dict[str, Any] = {
        "duration": schedule.minutes_min,
        "durationMax": schedule.minutes_max,
        "durationUnit": "min",
    }
    if schedule.every_hours is not None:
        repeat |= {
            "frequency": 1,
            "period": schedule.every_hours,
            "periodUnit": "h",
        }
    if schedule.for_hours is not None:
        repeat["boundsDuration"] = {
            "value": schedule.for_hours,
            "unit": "h",
            "system": UCUM,
            "code": "h",
        }
    return {"repeat": repeat}


def _activity(step: Step) -> dict[str, Any]:
    detail: dict[str, Any] = {
        "code": {
            "coding": [
                {"system": STEP_SYSTEM, "code": step.id, "display": step.title}
            ],
            "text": step.title,
        },
        "status": "not-started",
        "description": " ".join(
            t for t in (step.instructions, step.timing, *step.cautions) if t
        ),
    }
    if step.schedule is not None:
        detail["scheduledTiming"] = _timing(step.schedule)
    elif step.timing is not None:
        detail["scheduledString"] = step.timing
    return {"detail": detail}


def _action(escalation: Escalation, care_plan: CarePlan) -> str:
    # The plan's action names its region's number and services.
    return care_plan.action or escalation.action


def _parameters(escalation: Escalation, care_plan: CarePlan) -> dict[str, Any]:
    rules = escalation.rule_set
    parameter: list[dict[str, Any]] = [
        {"name": "level", "valueCoding": _level(escalation.level)},
        {"name": "category", "valueCode": escalation.category.value},
        {
            "name": "referralRequired",
            "valueBoolean": escalation.referral_required,
        },
        {
            "name": "screeningComplete",
            "valueBoolean": escalation.screening_complete,
        },
        {"name": "action", "valueString": _action(escalation, care_plan)},
        {"name": "timeframe", "valueString": escalation.timeframe},
        *(
            {"name": "firedRule", "valueCoding": _rule(f)}
            for f in escalation.fired
        ),
        *(
            {
                "name": "pendingRule",
                "valueCoding": {
                    "system": RULE_SYSTEM,
                    "code": r,
                    "display": rules[r].title,
                },
            }
            for r in escalation.pending
        ),
        *(
            {"name": "unanswered", "valueCoding": _question(q)}
            for q in escalation.unanswered
        ),
        {"name": "ruleSet", "valueString": f"{rules.id} {rules.version}"},
        {"name": "ruleSetDigest", "valueString": rules.digest},
    ]
    return {"resourceType": "Parameters", "parameter": parameter}


def _prediction(fired: FiredRule) -> dict[str, Any]:
    facts = "; ".join(str(fact) for fact in fired.facts)
    sources = " ".join(str(c) for c in fired.citations)
    return {
        "outcome": {"coding": [_rule(fired)], "text": fired.rule.title},
        "qualitativeRisk": _risk(fired.urgency),
        "rationale": (
            f"{fired.rule.rationale} Answers: {facts}. Sources: {sources}"
        ),
    }


def _check(escalation: Escalation, care_plan: CarePlan, subject: str) -> None:
    if not isinstance(escalation, Escalation):
        raise InvalidTypeError("escalation", escalation, "an Escalation")
    if not isinstance(care_plan, CarePlan):
        raise InvalidTypeError("care_plan", care_plan, "a CarePlan")
    if care_plan.level is not escalation.level:
        raise InvalidValueError(
            "care_plan.level",
            care_plan.level.value,
            f"must be the plan for this escalation "
            f"(level {escalation.level.value})",
        )
    check_reference("subject", subject)


def guidance_bundle(
    escalation: Escalation,
    care_plan: CarePlan,
    *,
    subject: str,
    response: QuestionnaireResponse | dict[str, Any] | None = None,
    occurred: dt.datetime | None = None,
) -> Bundle:
    """
    The escalation and its care plan as a FHIR R4 collection Bundle.

    It holds:

    - a **GuidanceResponse**: ``moduleCanonical`` is the versioned
      canonical of the PlanDefinition of
      :func:`~spasmcare.fhir.knowledge_bundle`; ``status`` is
      ``data-required``, with a ``dataRequirement`` naming the unanswered
      questions (codes of the question code system, which are the linkIds),
      while screening is incomplete, and ``success`` when it is complete;
      ``reasonCode`` names the fired rules, ``note`` carries the action and
      the decision-support notice, ``outputParameters`` the result as data,
      and ``result`` the CarePlan (also while incomplete: an emergency
      referral is never held back for want of answers);
    - a **RiskAssessment**: one prediction for the level and one per fired
      rule, each with ``qualitativeRisk`` (:data:`URGENCY_RISK`), the
      rule's rationale, the answers that fired it and its citations;
      ``basis`` is the QuestionnaireResponse when given;
    - a **ServiceRequest** (draft proposal) when a referral is required,
      its ``priority`` mapped from the level (:data:`URGENCY_PRIORITY`);
    - a **CarePlan** (``intent`` proposal): one activity per step, the
      referral as a reference to the ServiceRequest, the others with their
      description, cautions and timing;
    - a **Parameters** resource with the level, category, fired and pending
      rules, unanswered questions and the rule set's version and digest;
    - the **QuestionnaireResponse**, when given.

    Every reference between them is a ``urn:uuid`` fullUrl in the Bundle;
    only *subject* points outside it. The identifiers are derived from the
    inputs, so the same inputs give the same Bundle.

    Args:
        escalation: The result of :func:`spasmcare.evaluate`.
        care_plan: The result of :func:`spasmcare.plan_care` for it.
        subject: A reference to the patient, such as ``"Patient/123"``.
        response: The QuestionnaireResponse the escalation was made from;
            it must give the same escalation.
        occurred: When the assessment was made (timezone-aware).

    Raises:
        InvalidTypeError: An argument has the wrong type.
        InvalidValueError: The plan is not for this escalation, or the
            response gives another escalation.
        InvalidResourceError: *subject* is not a reference, or *response*
            is not a valid response to the rule set's Questionnaire.

    .. versionadded:: 0.1.0
    """
    _check(escalation, care_plan, subject)
    qr = _read_response(escalation, response)
    when = _when(occurred)
    seed = hashlib.sha256(
        json.dumps(
            [
                subject,
                escalation.rule_set.id,
                escalation.rule_set.version,
                escalation.level.value,
                [f.id for f in escalation.fired],
                [[str(x) for x in f.facts] for f in escalation.fired],
                list(escalation.unanswered),
                [s.id for s in care_plan.steps],
                qr,
                when,
            ]
        ).encode()
    ).hexdigest()

    def urn(name: str) -> str:
        return f"urn:uuid:{uuid.uuid5(_NAMESPACE, f'{seed}:{name}')}"

    common: dict[str, Any] = {"subject": {"reference": subject}}
    entries = [
        ("gr", _guidance(escalation, care_plan, urn) | common),
        ("risk", _risk_assessment(escalation, care_plan, urn, qr) | common),
    ]
    if care_plan.referral is not None:
        entries.append(
            (
                "referral",
                _service_request(escalation, care_plan.referral, urn) | common,
            )
        )
    entries.append(
        ("careplan", _care_plan(escalation, care_plan, urn) | common)
    )
    entries.append(("parameters", _parameters(escalation, care_plan)))
    if qr is not None:
        entries.append(("qr", qr))
    if when is not None:
        by_name = dict(entries)
        by_name["gr"]["occurrenceDateTime"] = when
        by_name["risk"]["occurrenceDateTime"] = when
        by_name["careplan"]["created"] = when
    return Bundle.model_validate(
        {
            "resourceType": "Bundle",
            "identifier": {
                "system": "urn:ietf:rfc:3986",
                "value": urn("bundle"),
            },
            "type": "collection",
            "entry": [
                {"fullUrl": urn(name), "resource": resource}
                for name, resource in entries
            ],
        }
    )


def _read_response(
    escalation: Escalation,
    response: QuestionnaireResponse | dict[str, Any] | None,
) -> dict[str, Any] | None:
    if response is None:
        return None
    rules = escalation.rule_set
    model = parse_resource(response, QuestionnaireResponse)
    again = evaluate(assessment_from_response(model, rules=rules), rules=rules)
    if (again.level, again.fired, again.unanswered) != (
        escalation.level,
        escalation.fired,
        escalation.unanswered,
    ):
        raise InvalidValueError(
            "response",
            model.id,
            "gives another escalation than the one given; pass the "
            "response it was made from",
        )
    document: dict[str, Any] = json.loads(model.model_dump_json())
    return document


def _when(occurred: dt.datetime | None) -> str | None:
    if occurred is None:
        return None
    if getattr(occurred, "tzinfo", None) is None:
        raise InvalidTypeError(
            "occurred", occurred, "a timezone-aware datetime"
        )
    return occurred.isoformat()


def _guidance(
    escalation: Escalation, care_plan: CarePlan, urn: Callable[[str], str]
) -> dict[str, Any]:
    guidance: dict[str, Any] = {
        "resourceType": "GuidanceResponse",
        "identifier": [{"system": "urn:ietf:rfc:3986", "value": urn("gr")}],
        "moduleCanonical": canonical(escalation.rule_set, "PlanDefinition"),
        "status": (
            "success" if escalation.screening_complete else "data-required"
        ),
        "note": [
            {"text": _action(escalation, care_plan)},
            {"text": escalation.notice},
        ],
        "outputParameters": {"reference": urn("parameters")},
        "result": {"reference": urn("careplan")},
    }
    if escalation.fired:
        guidance["reasonCode"] = _reasons(escalation)
    if not escalation.screening_complete:
        guidance["dataRequirement"] = [
            {
                "type": "QuestionnaireResponse",
                "codeFilter": [
                    {
                        "path": "item.code",
                        "code": [_question(q) for q in escalation.unanswered],
                    }
                ],
            }
        ]
    return guidance


def _reasons(escalation: Escalation) -> list[dict[str, Any]]:
    return [
        {"coding": [_rule(f)], "text": f.rule.title} for f in escalation.fired
    ]


def _risk_assessment(
    escalation: Escalation,
    care_plan: CarePlan,
    urn: Callable[[str], str],
    qr: dict[str, Any] | None,
) -> dict[str, Any]:
    rules, level = escalation.rule_set, escalation.level
    risk: dict[str, Any] = {
        "resourceType": "RiskAssessment",
        "status": "final" if escalation.screening_complete else "preliminary",
        "method": {
            "text": (
                f"spasmcare rule set {rules.id} {rules.version} "
                f"(digest {rules.digest})"
            ),
        },
        "prediction": [
            {
                "outcome": {
                    "coding": [_level(level)],
                    "text": level.action_in(care_plan.region),
                },
                "qualitativeRisk": _risk(level),
            },
            *(_prediction(f) for f in escalation.fired),
        ],
        "mitigation": care_plan.steps[0].title,
        "note": [{"text": escalation.notice}],
    }
    if qr is not None:
        risk["basis"] = [{"reference": urn("qr")}]
    return risk


def _service_request(
    escalation: Escalation, referral: Step, urn: Callable[[str], str]
) -> dict[str, Any]:
    level = escalation.level
    request: dict[str, Any] = {
        "resourceType": "ServiceRequest",
        "status": "draft",
        "intent": "proposal",
        "priority": URGENCY_PRIORITY[level],
        "code": {"coding": [_level(level)], "text": referral.title},
        "reasonReference": [{"reference": urn("risk")}],
        "patientInstruction": referral.instructions,
    }
    if escalation.fired:
        request["reasonCode"] = _reasons(escalation)
    return request


def _care_plan(
    escalation: Escalation, care_plan: CarePlan, urn: Callable[[str], str]
) -> dict[str, Any]:
    safety = care_plan.safety_net
    return {
        "resourceType": "CarePlan",
        "status": "active",
        "intent": "proposal",
        "title": "Back pain care plan",
        "description": _action(escalation, care_plan),
        "activity": [
            {"reference": {"reference": urn("referral")}}
            if step.kind is StepKind.REFERRAL
            else _activity(step)
            for step in care_plan.steps
        ],
        "note": [
            *(
                {"text": f"{heading}: {item}"}
                for heading, items in (
                    ("Emergency, go now", safety.emergency),
                    ("See a doctor today", safety.same_day),
                    ("Book a doctor's appointment", safety.see_doctor),
                    ("To prevent another episode", care_plan.prevention),
                )
                for item in items
            ),
            {"text": care_plan.notice},
        ],
    }
