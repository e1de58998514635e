# SPDX-License-Identifier: MIT
"""
SDC ``$next-question``: the interview as an adaptive FHIR Questionnaire.

``POST /Questionnaire/$next-question`` takes a ``Parameters`` with one
``questionnaire-response`` (or the bare QuestionnaireResponse): an
adaptive response (SDC 4.0.0 ``sdc-questionnaireresponse-adapt``) whose
``questionnaire`` is ``#id`` of a contained Questionnaire with no ``url``
or ``version`` and ``derivedFrom`` the spasmcare intake's canonical.
It returns a ``Parameters`` whose ``return`` is that response with the
next item(s) appended to the contained Questionnaire, in the library's
interview order (red flags first; a grouped prompt appends all its
questions at once; the interview stops as soon as an emergency is
certain). When it is over, the response's status is ``completed``, the
contained Questionnaire ends with a read-only ``disposition`` display
item, and a second parameter, ``guidance``, holds the FHIR face's
guidance Bundle (:func:`spasmcare.fhir.guidance_bundle`: GuidanceResponse,
RiskAssessment, the referral when one is needed, CarePlan, Parameters)
when the response's ``subject`` is a literal reference (the disposition
item says what to do in any case).
Errors are OperationOutcomes.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from spasmcare import (
    DEFAULT_RULES,
    GROUPS,
    REGIONS,
    Assessment,
    CarePlan,
    Escalation,
    Region,
    evaluate,
    next_question,
    plan_care,
)
from spasmcare.exceptions import SpasmcareError
from spasmcare.fhir import (
    ANSWER_CODES,
    InvalidResourceError,
    assessment_from_response,
    canonical,
    guidance_bundle,
    questionnaire,
)

from ._http import BadRequestError, Context, json_object, request_id

__all__ = ["next_question_routes", "next_step"]

_FHIR_JSON = "application/fhir+json"


def _outcome(
    problems: list[tuple[str, str]], status: int = 400
) -> JSONResponse:
    return JSONResponse(
        {
            "resourceType": "OperationOutcome",
            "issue": [
                {
                    "severity": "error",
                    "code": "invalid",
                    "diagnostics": message,
                    "expression": [path],
                }
                for path, message in problems
            ],
        },
        status_code=status,
        media_type=_FHIR_JSON,
    )


def _base_items() -> dict[str, dict[str, Any]]:
    """
    The intake's items by linkId, with their answers listed inline (a
    contained Questionnaire cannot itself contain the ValueSet).
    """
    form = questionnaire(DEFAULT_RULES).model_dump(
        mode="json", exclude_none=True
    )
    options = [
        {"valueCoding": code.coding()} for code in ANSWER_CODES.values()
    ]
    items = {}
    for item in form["item"]:
        if "answerValueSet" in item:
            del item["answerValueSet"]
            item["answerOption"] = copy.deepcopy(options)
        items[item["linkId"]] = item
    return items


_ITEMS = _base_items()


def _response(body: Mapping[str, Any]) -> dict[str, Any]:
    if body.get("resourceType") == "QuestionnaireResponse":
        return dict(body)
    if body.get("resourceType") != "Parameters":
        raise BadRequestError(
            [
                (
                    "$.resourceType",
                    "expected Parameters or QuestionnaireResponse",
                )
            ]
        )
    parameters = body.get("parameter")
    if not isinstance(parameters, list):
        raise BadRequestError(
            [
                (
                    "Parameters.parameter",
                    "expected one questionnaire-response parameter",
                )
            ]
        )
    found = [
        p
        for p in parameters
        if isinstance(p, Mapping) and p.get("name") == "questionnaire-response"
    ]
    if len(found) != 1 or len(parameters) != 1:
        raise BadRequestError(
            [
                (
                    "Parameters.parameter",
                    "expected exactly one parameter, questionnaire-response",
                )
            ]
        )
    resource = found[0].get("resource")
    if (
        not isinstance(resource, Mapping)
        or resource.get("resourceType") != "QuestionnaireResponse"
    ):
        raise BadRequestError(
            [
                (
                    "Parameters.parameter[0].resource",
                    "expected a QuestionnaireResponse",
                )
            ]
        )
    return dict(resource)


def _contained(qr: Mapping[str, Any]) -> dict[str, Any]:
    named = qr.get("questionnaire")
    if not isinstance(named, str) or not named.startswith("#"):
        raise BadRequestError(
            [
                (
                    "QuestionnaireResponse.questionnaire",
                    "must be #id of the contained Questionnaire (SDC adaptive)",
                )
            ]
        )
    for index, resource in enumerate(qr.get("contained") or ()):
        if (
            isinstance(resource, Mapping)
            and resource.get("resourceType") == "Questionnaire"
            and resource.get("id") == named[1:]
        ):
            where = f"QuestionnaireResponse.contained[{index}]"
            problems = [
                (
                    f"{where}.{key}",
                    "must be absent in an adaptive Questionnaire",
                )
                for key in ("url", "version")
                if key in resource
            ]
            if resource.get("derivedFrom") != [canonical(DEFAULT_RULES)]:
                problems.append(
                    (
                        f"{where}.derivedFrom",
                        f"must be [{canonical(DEFAULT_RULES)!r}]",
                    )
                )
            if not isinstance(resource.get("item", []), list):
                problems.append((f"{where}.item", "expected an array"))
            if problems:
                raise BadRequestError(problems)
            return dict(resource)
    raise BadRequestError(
        [
            (
                "QuestionnaireResponse.contained",
                f"no contained Questionnaire has the id {named[1:]!r}",
            )
        ]
    )


def _asked(form: Mapping[str, Any]) -> set[str]:
    sent = {
        i.get("linkId") for i in form.get("item", []) if isinstance(i, Mapping)
    }
    asked = {link for link in sent if isinstance(link, str) and link in _ITEMS}
    asked |= {g for g, group in GROUPS.items() if asked & set(group.members)}
    return asked


def _guidance(
    escalation: Escalation, plan: CarePlan, subject: Any
) -> dict[str, Any] | None:
    """
    The FHIR face's guidance Bundle (:func:`spasmcare.fhir.guidance_bundle`)
    about the response's subject; ``None`` when the subject is not a
    literal reference (a CarePlan and a referral need a patient to point
    at; the disposition item still says what to do).
    """
    reference = (
        subject.get("reference") if isinstance(subject, Mapping) else None
    )
    if not isinstance(reference, str):
        return None
    try:
        bundle = guidance_bundle(escalation, plan, subject=reference)
    except InvalidResourceError:
        return None
    document: dict[str, Any] = json.loads(bundle.model_dump_json())
    return document


def next_step(
    qr: Mapping[str, Any], region: Region = REGIONS["uk"]
) -> tuple[dict[str, Any], Escalation | None, Assessment, CarePlan | None]:
    """
    The adaptive response *qr* with its next items, or completed (what to
    do named in *region*'s words).

    Returns:
        The new response; the escalation, when the interview is over
        (else ``None``); the assessment; the care plan when over.

    Raises:
        BadRequestError: The response breaks the adaptive profile.
        SpasmcareError: An answer cannot be read (the FHIR face's errors).
    """
    form = _contained(qr)
    # Display items (a group's "any of these?", the disposition) carry no
    # answers; a client that echoes them in the response loses nothing.
    display = {
        i.get("linkId")
        for i in form.get("item", [])
        if isinstance(i, Mapping) and i.get("type") == "display"
    }
    answers = dict(qr)
    if isinstance(qr.get("item"), list):
        answers["item"] = [
            i
            for i in qr["item"]
            if not (isinstance(i, Mapping) and i.get("linkId") in display)
        ]
    assessment = assessment_from_response(answers)
    prompt = next_question(assessment, asked=_asked(form), rules=DEFAULT_RULES)
    out = copy.deepcopy(dict(qr))
    out_form: dict[str, Any] = next(
        r
        for r in out["contained"]
        if isinstance(r, dict)
        and r.get("resourceType") == "Questionnaire"
        and r.get("id") == form["id"]
    )
    items = out_form.setdefault("item", [])
    if prompt is not None:
        out["status"] = "in-progress"
        if prompt.is_group:
            items.append(
                {
                    "linkId": prompt.id,
                    "type": "display",
                    "text": prompt.text,
                    "readOnly": True,
                }
            )
            ids = [q.id for q in prompt.questions]
        else:
            ids = [prompt.id]
        items += [copy.deepcopy(_ITEMS[i]) for i in ids]
        return out, None, assessment, None
    escalation = evaluate(assessment, rules=DEFAULT_RULES)
    plan = plan_care(assessment, escalation, region=region)
    out["status"] = "completed"
    titles = "; ".join(f.rule.title for f in escalation.fired)
    text = f"{escalation.level.action_in(region)} {escalation.timeframe}"
    if titles:
        text += f" Why: {titles}."
    items.append(
        {
            "linkId": "disposition",
            "type": "display",
            "readOnly": True,
            "text": f"{text} {escalation.notice}",
        }
    )
    return out, escalation, assessment, plan


def next_question_routes(ctx: Context) -> list[BaseRoute]:
    """
    The ``$next-question`` route, sharing *ctx*.
    """

    async def operation(request: Request) -> Response:
        try:
            qr = _response(
                await json_object(
                    request, "a Parameters or a QuestionnaireResponse"
                )
            )
            out, escalation, assessment, plan = next_step(qr, ctx.region)
        except BadRequestError as error:
            return _outcome(list(error.problems))
        except SpasmcareError as error:
            return _outcome(
                [
                    (
                        str(getattr(error, "field", "QuestionnaireResponse")),
                        str(getattr(error, "reason", error)),
                    )
                ]
            )
        parameters: list[dict[str, Any]] = [
            {"name": "return", "resource": out}
        ]
        if escalation is not None and plan is not None:
            guidance = _guidance(escalation, plan, out.get("subject"))
            if guidance is not None:
                parameters.append({"name": "guidance", "resource": guidance})
            await ctx.record(
                endpoint="$next-question",
                request_id=request_id(request),
                escalation=escalation,
                assessment=assessment,
                rules=DEFAULT_RULES,
            )
        return JSONResponse(
            {"resourceType": "Parameters", "parameter": parameters},
            media_type=_FHIR_JSON,
        )

    return [
        Route("/Questionnaire/$next-question", operation, methods=["POST"])
    ]
