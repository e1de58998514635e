# SPDX-License-Identifier: MIT
"""
The CDS Hooks 2.0 routes: discovery, the two services, and feedback.

- ``GET /cds-services``: discovery;
- ``POST /cds-services/spasmcare-back-pain``: ``patient-view``, the
  patient's back-pain answers as a card;
- ``POST /cds-services/spasmcare-lumbar-imaging``: ``order-select``, the
  lumbar imaging check;
- ``POST /cds-services/{id}/feedback``: what the clinician did with a card.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import re
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlsplit

import attrs
import httpx
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute

from spasmcare import (
    DEFAULT_RULES,
    Assessment,
    Escalation,
    evaluate,
    plan_care,
)
from spasmcare.exceptions import SpasmcareError
from spasmcare.fhir import NUMBER_CODES, assessment_from_response, canonical

from ._audit import FeedbackRecord, utc_now
from ._cards import missing_data_card, patient_view_cards
from ._codes import LOW_BACK_PAIN
from ._http import LOG, BadRequestError, Context, cors_route, json_body
from ._orderselect import has_low_back_pain, imaging_orders, order_select_cards
from .cdshooks import (
    Card,
    FeedbackEntry,
    HookRequest,
    ServiceDescriptor,
    cards_response,
    parse_feedback,
    parse_hook_request,
)

__all__ = ["IMAGING_SERVICE", "PATIENT_SERVICE", "SERVICES", "cds_routes"]

_PATIENT = "{{context.patientId}}"
_PAIN = NUMBER_CODES["pain_score"][1]
assert _PAIN is not None  # noqa: S101 (the FHIR face's table has it)
_QUESTIONNAIRE_URL = canonical(DEFAULT_RULES).partition("|")[0]
_USAGE = (
    "FHIR R4. Prefetch (or fhirServer with fhirAuthorization) must give the "
    "latest QuestionnaireResponse to the spasmcare intake Questionnaire "
    f"({_QUESTIONNAIRE_URL}); without it the card says the red flags were "
    "not assessed."
)

#: The patient-view service: the back-pain answers as a card.
PATIENT_SERVICE = ServiceDescriptor(
    id="spasmcare-back-pain",
    hook="patient-view",
    title="Back pain red-flag screening (spasmcare)",
    description=(
        "Reads the patient's answers to the spasmcare back-pain questionnaire "
        "and shows the escalation level, the red flags found and the "
        "red-flag questions still unanswered, with a referral to create "
        "when one is needed. Decision support, not a diagnosis."
    ),
    prefetch={
        "patient": f"Patient/{_PATIENT}",
        "questionnaireResponse": (
            f"QuestionnaireResponse?subject=Patient/{_PATIENT}"
            f"&questionnaire={_QUESTIONNAIRE_URL}&_sort=-authored&_count=1"
        ),
        "painScore": (
            f"Observation?subject=Patient/{_PATIENT}"
            f"&code={_PAIN.system}|{_PAIN.code}&_sort=-date&_count=1"
        ),
    },
    usage_requirements=_USAGE,
)

_LBP_CODES = ",".join(f"{c.system}|{c.code}" for c in LOW_BACK_PAIN)

#: The order-select service: imaging for low back pain.
IMAGING_SERVICE = ServiceDescriptor(
    id="spasmcare-lumbar-imaging",
    hook="order-select",
    title="Lumbar imaging for low back pain (spasmcare)",
    description=(
        "When lumbar spine X-ray, CT or MRI is selected for low back pain of "
        "under 6 weeks with no red flag recorded, warns that imaging is not "
        "recommended (ACP 2011, NICE NG59) and offers to remove the order; "
        "with a red flag, supports the order and names the red flag."
    ),
    prefetch={
        "questionnaireResponse": PATIENT_SERVICE.prefetch[
            "questionnaireResponse"
        ],
        "conditions": f"Condition?subject=Patient/{_PATIENT}&code={_LBP_CODES}",
    },
    usage_requirements=_USAGE,
)

#: The services, by id.
SERVICES = {s.id: s for s in (PATIENT_SERVICE, IMAGING_SERVICE)}

_TOKEN = re.compile(r"\{\{context\.(\w+)\}\}")
_PRECONDITION_FAILED = 412


class FetchError(Exception):
    """
    The client's FHIR server could not give the data (412).
    """


@attrs.frozen
class Prefetched:
    """
    One prefetch key's value, read tri-state.

    Attributes:
        state: ``resource`` (found), ``none`` (no data), ``error`` (the
            client sent an OperationOutcome), ``absent`` (not attempted and
            not fetchable).
        resources: The resources found.
    """

    state: str
    resources: tuple[Mapping[str, Any], ...] = ()


def _read(value: Any, kind: str) -> Prefetched:
    if value is None:
        return Prefetched("none")
    if not isinstance(value, Mapping):
        raise BadRequestError(
            [
                (
                    "$.prefetch",
                    "a prefetch value must be a FHIR resource or null",
                )
            ]
        )
    if value.get("resourceType") == "OperationOutcome":
        return Prefetched("error")
    if value.get("resourceType") == "Bundle":
        found = [
            e["resource"]
            for e in value.get("entry") or ()
            if isinstance(e, Mapping)
            and isinstance(e.get("resource"), Mapping)
            and e["resource"].get("resourceType") == kind
        ]
        return (
            Prefetched("resource", tuple(found))
            if found
            else Prefetched("none")
        )
    if value.get("resourceType") == kind:
        return Prefetched("resource", (value,))
    return Prefetched("none")


def _fill(template: str, context: Mapping[str, Any]) -> str | None:
    missing = False

    def token(match: re.Match[str]) -> str:
        nonlocal missing
        value = context.get(match.group(1))
        if not isinstance(value, str) or not value:
            missing = True
            return ""
        return value

    filled = _TOKEN.sub(token, template)
    return None if missing else filled


def _fetchable(request: HookRequest) -> bool:
    if request.fhir_server is None or request.fhir_authorization is None:
        return False
    parts = urlsplit(request.fhir_server)
    # FHIR data travels over TLS only, but for this machine (development).
    return parts.scheme == "https" or (
        parts.scheme == "http"
        and parts.hostname in {"127.0.0.1", "localhost", "::1"}
    )


async def _fetch(ctx: Context, request: HookRequest, query: str) -> Any:
    assert request.fhir_server is not None  # noqa: S101 (checked by _fetchable)
    assert request.fhir_authorization is not None  # noqa: S101
    url = f"{request.fhir_server.rstrip('/')}/{query}"
    try:
        response = await ctx.http.get(
            url,
            headers={
                "Authorization": f"Bearer {request.fhir_authorization.access_token}",
                "Accept": "application/fhir+json",
            },
        )
    except httpx.HTTPError as error:
        raise FetchError(type(error).__name__) from None
    if response.status_code != 200:  # noqa: PLR2004
        raise FetchError(f"HTTP {response.status_code}")
    try:
        return response.json()
    except ValueError:
        raise FetchError("not JSON") from None


async def _prefetch(
    ctx: Context, service: ServiceDescriptor, request: HookRequest
) -> dict[str, Prefetched]:
    kinds = {
        key: template.split("?")[0].split("/")[0]
        for key, template in service.prefetch.items()
    }
    found: dict[str, Prefetched] = {}
    wanted: dict[str, str] = {}
    for key in service.prefetch:
        if key in request.prefetch:
            found[key] = _read(request.prefetch[key], kinds[key])
            continue
        query = _fill(service.prefetch[key], request.context)
        if query is not None and _fetchable(request):
            wanted[key] = query
        else:
            found[key] = Prefetched("absent")
    if wanted:
        values = await asyncio.gather(
            *(_fetch(ctx, request, q) for q in wanted.values())
        )
        for key, value in zip(wanted, values, strict=True):
            found[key] = _read(value, kinds[key])
    return found


_WHY_NOT = {
    "none": "no back-pain questionnaire response on record",
    "error": "the record system could not provide the questionnaire response",
    "absent": "the questionnaire response was not sent and the record cannot be read",
}


def _assessment(
    found: Mapping[str, Prefetched],
) -> tuple[Assessment | None, str]:
    """
    The assessment from the prefetched response, or why there is none.
    """
    response = found["questionnaireResponse"]
    if response.state != "resource":
        return None, _WHY_NOT[response.state]
    try:
        return assessment_from_response(dict(response.resources[0])), ""
    except (SpasmcareError, ValueError, TypeError) as error:
        field = getattr(error, "field", "the response")
        return None, f"the questionnaire response could not be read ({field})"


def _with_record_data(
    assessment: Assessment, found: Mapping[str, Prefetched]
) -> Assessment:
    """
    The pain score and age from the record, where the answers lack them.
    """
    changes: dict[str, int] = {}
    pain = found.get("painScore")
    if (
        assessment.pain_score is None
        and pain is not None
        and pain.state == "resource"
    ):
        value = _observation_value(pain.resources[0])
        if value is not None and 0 <= value <= 10:  # noqa: PLR2004
            changes["pain_score"] = value
    patient = found.get("patient")
    if (
        assessment.age_years is None
        and patient is not None
        and patient.state == "resource"
    ):
        age = _age(patient.resources[0].get("birthDate"))
        if age is not None and 16 <= age <= 120:  # noqa: PLR2004
            changes["age_years"] = age
    if not changes:
        return assessment
    try:
        return attrs.evolve(assessment, **changes)
    except SpasmcareError:
        return assessment  # such as an age shorter than the episode


def _observation_value(observation: Mapping[str, Any]) -> int | None:
    if observation.get("status") in {"entered-in-error", "cancelled"}:
        return None
    value = observation.get("valueInteger")
    if value is None and isinstance(observation.get("valueQuantity"), Mapping):
        value = observation["valueQuantity"].get("value")
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, float))
        or value != int(value)
    ):
        return None
    return int(value)


def _age(birth: Any) -> int | None:
    if not isinstance(birth, str) or len(birth) != 10:  # noqa: PLR2004
        return None
    try:
        born = dt.date.fromisoformat(birth)
    except ValueError:
        return None
    today = dt.datetime.now(dt.UTC).date()
    return (
        today.year
        - born.year
        - ((today.month, today.day) < (born.month, born.day))
    )


def _uuids(cards: Sequence[Card]) -> list[str]:
    return [
        u for c in cards for u in (c.uuid, *(s.uuid for s in c.suggestions))
    ]


async def _read_answers(
    ctx: Context, service: ServiceDescriptor, request: HookRequest
) -> tuple[dict[str, Prefetched], Assessment | None, str]:
    """
    What a hook reads from its request: the prefetched (or fetched) data,
    and the assessment from its questionnaire response, or why there is
    none.
    """
    found = await _prefetch(ctx, service, request)
    assessment, why = _assessment(found)
    return found, assessment, why


async def _answer(
    ctx: Context,
    service: ServiceDescriptor,
    request: HookRequest,
    cards: tuple[Card, ...] | list[Card],
    *,
    escalation: Escalation | None,
    assessment: Assessment | None,
    why: str,
) -> Response:
    """
    Keep the decision in the audit log, then answer with the cards.
    """
    await ctx.record(
        endpoint=service.hook,
        request_id=request.hook_instance,
        escalation=escalation,
        assessment=assessment,
        rules=DEFAULT_RULES,
        cards=_uuids(cards),
        note=why,
    )
    return JSONResponse(cards_response(cards))


async def _patient_view(ctx: Context, request: HookRequest) -> Response:
    found, assessment, why = await _read_answers(ctx, PATIENT_SERVICE, request)
    escalation: Escalation | None = None
    if assessment is None:
        cards: tuple[Card, ...] = (
            missing_data_card(why, interview_url=ctx.config.interview_url),
        )
    else:
        assessment = _with_record_data(assessment, found)
        escalation = evaluate(assessment, rules=DEFAULT_RULES)
        patient = str(request.context.get("patientId", "unknown"))
        cards = patient_view_cards(
            escalation,
            plan_care(assessment, escalation, region=ctx.region),
            patient_id=patient,
            interview_url=ctx.config.interview_url,
        )
    return await _answer(
        ctx,
        PATIENT_SERVICE,
        request,
        cards,
        escalation=escalation,
        assessment=assessment,
        why=why,
    )


def _onset_days(found: Mapping[str, Prefetched]) -> int | None:
    conditions = found.get("conditions")
    if conditions is None or conditions.state != "resource":
        return None
    days = []
    today = dt.datetime.now(dt.UTC).date()
    for condition in conditions.resources:
        onset = condition.get("onsetDateTime")
        if isinstance(onset, str) and len(onset) >= 10:  # noqa: PLR2004
            try:
                days.append((today - dt.date.fromisoformat(onset[:10])).days)
            except ValueError:
                continue
    return min(days) if days and min(days) >= 0 else None


async def _order_select(ctx: Context, request: HookRequest) -> Response:
    orders = imaging_orders(request.context)
    rules = DEFAULT_RULES
    if not orders:
        return JSONResponse(cards_response([]))
    found, assessment, why = await _read_answers(ctx, IMAGING_SERVICE, request)
    escalation = (
        evaluate(assessment, rules=rules) if assessment is not None else None
    )
    duration = assessment.duration_days if assessment is not None else None
    if duration is None:
        duration = _onset_days(found)
    conditions = (
        found["conditions"].resources
        if found["conditions"].state == "resource"
        else ()
    )
    bundle = {
        "resourceType": "Bundle",
        "entry": [{"resource": c} for c in conditions],
    }
    cards = order_select_cards(
        orders,
        low_back_pain=has_low_back_pain(request.context, bundle),
        duration_days=duration,
        escalation=escalation,
        rules=rules,
    )
    return await _answer(
        ctx,
        IMAGING_SERVICE,
        request,
        cards,
        escalation=escalation,
        assessment=assessment,
        why=why,
    )


async def _discovery(ctx: Context, request: Request) -> Response:
    if ctx.config.discovery_auth:
        refusal = await ctx.authenticate(
            request, [f"{ctx.base_url(request)}/cds-services"]
        )
        if refusal is not None:
            return refusal
    return JSONResponse({"services": [s.to_json() for s in SERVICES.values()]})


async def _call(ctx: Context, request: Request) -> Response:
    service_id = request.path_params["service"]
    service = SERVICES.get(service_id)
    if service is None:
        return JSONResponse({"error": "no such service"}, status_code=404)
    refusal = await ctx.authenticate(
        request, [f"{ctx.base_url(request)}/cds-services/{service_id}"]
    )
    if refusal is not None:
        return refusal
    hook = parse_hook_request(await json_body(request))
    if hook.hook != service.hook:
        raise BadRequestError(
            [
                (
                    "$.hook",
                    f"this service answers {service.hook}, not {hook.hook}",
                )
            ]
        )
    try:
        if service is PATIENT_SERVICE:
            return await _patient_view(ctx, hook)
        return await _order_select(ctx, hook)
    except FetchError as error:
        LOG.warning(
            "412 %s request=%s: FHIR server: %s",
            service_id,
            hook.hook_instance,
            error,
        )
        return JSONResponse(
            {
                "error": "the FHIR data needed could not be read from fhirServer"
            },
            status_code=_PRECONDITION_FAILED,
        )


def _feedback_record(
    entry: FeedbackEntry, *, service: str, received: str, keep: bool
) -> FeedbackRecord:
    reason = entry.override_reason
    coding = reason.reason if reason is not None else None
    return FeedbackRecord(
        card=entry.card,
        outcome=entry.outcome,
        outcome_timestamp=entry.outcome_timestamp,
        received=received,
        service=service,
        accepted_suggestions=entry.accepted_suggestions,
        override_code=coding.code if coding is not None else None,
        override_system=coding.system if coding is not None else None,
        user_comment=reason.user_comment if keep and reason else None,
    )


async def _feedback(ctx: Context, request: Request) -> Response:
    service_id = request.path_params["service"]
    if service_id not in SERVICES:
        return JSONResponse({"error": "no such service"}, status_code=404)
    base = f"{ctx.base_url(request)}/cds-services/{service_id}"
    refusal = await ctx.authenticate(request, [f"{base}/feedback", base])
    if refusal is not None:
        return refusal
    entries = parse_feedback(await json_body(request))
    received = utc_now()
    records = [
        _feedback_record(
            e,
            service=service_id,
            received=received,
            keep=ctx.config.record_answers,
        )
        for e in entries
    ]
    new = await run_in_threadpool(ctx.store.record_feedback, records)
    LOG.info("feedback %s: %d entries, %d new", service_id, len(records), new)
    return Response(status_code=200)


def cds_routes(ctx: Context) -> list[BaseRoute]:
    """
    The CDS Hooks routes, sharing *ctx*.
    """
    origins = ctx.config.cors_origins

    async def discovery(request: Request) -> Response:
        return await _discovery(ctx, request)

    async def call(request: Request) -> Response:
        return await _call(ctx, request)

    async def feedback(request: Request) -> Response:
        return await _feedback(ctx, request)

    return [
        cors_route(
            "/cds-services", discovery, methods=["GET"], origins=origins
        ),
        cors_route(
            "/cds-services/{service}", call, methods=["POST"], origins=origins
        ),
        cors_route(
            "/cds-services/{service}/feedback",
            feedback,
            methods=["POST"],
            origins=origins,
        ),
    ]
