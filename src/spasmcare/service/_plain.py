# SPDX-License-Identifier: MIT
"""
The plain JSON endpoints, with their OpenAPI description.

- ``POST /assess``: the library's assessment JSON in
  (``spasmcare schema assessment``), the report out
  (``spasmcare schema report``);
- ``POST /interview/next``: ``{"assessment": ..., "asked": [...]}`` in,
  the next prompt (or the report when the interview is over) out;
- ``GET /openapi.json``: the OpenAPI 3.1 description of both.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from spasmcare import (
    DEFAULT_RULES,
    GROUPS,
    QUESTIONS,
    Assessment,
    dump_escalation,
    dump_prompt,
    dump_report,
    evaluate,
    json_schema,
    load_assessment,
    next_question,
    plan_care,
)
from spasmcare.exceptions import InvalidJSONError

from ._http import (
    BadRequestError,
    Context,
    guarded,
    json_object,
    problems_of,
    request_id,
)

__all__ = ["openapi", "plain_routes"]

_ASKED_LIMIT = len(QUESTIONS) + len(GROUPS)


def _components() -> dict[str, Any]:
    """
    The library's schemas as OpenAPI components: every ``$defs`` entry
    becomes a component, and references are rewritten to point there.
    """
    schemas: dict[str, Any] = {}

    def move(node: Any) -> Any:
        if isinstance(node, dict):
            return {
                key: (
                    value.replace("#/$defs/", "#/components/schemas/")
                    if key == "$ref" and isinstance(value, str)
                    else move(value)
                )
                for key, value in node.items()
                if key not in {"$schema", "$id", "$defs"}
            }
        if isinstance(node, list):
            return [move(item) for item in node]
        return node

    for name, title in (
        ("assessment", "Assessment"),
        ("escalation", "Escalation"),
        ("report", "Report"),
        ("prompt", "Prompt"),
    ):
        schema = json_schema(name)
        for key, definition in schema.get("$defs", {}).items():
            moved = move(definition)
            if (
                key in schemas and schemas[key] != moved
            ):  # pragma: no cover (the library's schemas share their parts)
                msg = f"two different schemas are both called {key}"
                raise RuntimeError(msg)
            schemas[key] = moved
        moved_schema = move(schema)
        # The library's assessment schema enforces the life limit
        # (duration_days within (age_years + 1) * 366 days) as one
        # if/then per age; schema-driven generators cannot make documents
        # from that many clauses (nor from the same rule as an anyOf of
        # one branch per age). Here it is stated in the description; the
        # endpoints enforce it (400, naming duration_days).
        if moved_schema.pop("allOf", None) is not None:
            moved_schema["description"] = moved_schema["description"].replace(
                "(the allOf below)", _LIFE_LIMIT_WHERE
            )
        schemas[title] = moved_schema
    return schemas


#: Where the OpenAPI says the life limit is stated in full.
_LIFE_LIMIT_WHERE = (
    "(the library's JSON Schema, `spasmcare schema assessment`, states it "
    "as one if/then per age; a body beyond it gets 400 naming duration_days)"
)


def openapi() -> dict[str, Any]:
    """
    The OpenAPI 3.1 description of the plain JSON endpoints.

    .. versionadded:: 0.1.0
    """
    components = _components()
    problem = {
        "type": "object",
        "required": ["error", "problems"],
        "properties": {
            "error": {"type": "string"},
            "problems": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["path", "message"],
                    "properties": {
                        "path": {"type": "string"},
                        "message": {"type": "string"},
                    },
                },
            },
        },
    }
    components["Problem"] = problem
    components["InterviewRequest"] = {
        "type": "object",
        "required": ["assessment"],
        "additionalProperties": False,
        "properties": {
            "assessment": {"$ref": "#/components/schemas/Assessment"},
            "asked": {
                "type": "array",
                "maxItems": _ASKED_LIMIT,
                "uniqueItems": True,
                "items": {"enum": sorted([*QUESTIONS, *GROUPS])},
                "description": "Ids of questions (and groups) already asked, such as numbers the person did not know.",
            },
        },
    }
    components["InterviewStep"] = {
        "type": "object",
        "required": ["done"],
        "additionalProperties": False,
        "properties": {
            "done": {"type": "boolean"},
            "prompt": {"$ref": "#/components/schemas/Prompt"},
            "escalation": {"$ref": "#/components/schemas/Escalation"},
            "report": {"$ref": "#/components/schemas/Report"},
        },
    }
    bad = {
        "description": "The body is not valid: every problem with its JSON path.",
        "content": {
            "application/json": {
                "schema": {"$ref": "#/components/schemas/Problem"}
            }
        },
    }
    too_large = {"description": "The body is larger than the limit."}

    def post(
        summary: str, request: str, response: str, description: str
    ) -> dict[str, Any]:
        return {
            "post": {
                "summary": summary,
                "description": description,
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {
                                "$ref": f"#/components/schemas/{request}"
                            }
                        }
                    },
                },
                "responses": {
                    "200": {
                        "description": "The result.",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "$ref": f"#/components/schemas/{response}"
                                }
                            }
                        },
                    },
                    "400": bad,
                    "413": too_large,
                },
            }
        }

    return {
        "openapi": "3.1.0",
        "info": {
            "title": "spasmcare",
            "version": DEFAULT_RULES.version,
            "description": (
                "Decision support for back spasm and acute low back pain: red-flag "
                "escalation and a self-care plan. Not a diagnosis."
            ),
        },
        "paths": {
            "/assess": post(
                "Assess answers",
                "Assessment",
                "Report",
                "The escalation and care plan for an assessment (the library's JSON).",
            ),
            "/interview/next": post(
                "The next interview question",
                "InterviewRequest",
                "InterviewStep",
                "The next question to ask, red flags first; or, when the interview is over, the report.",
            ),
        },
        "components": {"schemas": components},
    }


_RULES = DEFAULT_RULES


async def _assess(ctx: Context, request: Request) -> Response:
    body = await json_object(request, "an assessment object")
    try:
        assessment = load_assessment(body)
    except InvalidJSONError as error:
        raise BadRequestError(problems_of(error)) from None
    escalation = evaluate(assessment, rules=_RULES)
    plan = plan_care(assessment, escalation, region=ctx.region)
    await ctx.record(
        endpoint="assess",
        request_id=request_id(request),
        escalation=escalation,
        assessment=assessment,
        rules=_RULES,
    )
    return JSONResponse(dump_report(escalation, plan))


def _interview_request(
    body: Mapping[str, Any],
) -> tuple[Assessment, list[str]]:
    """
    The assessment and the ids asked, from an /interview/next body.

    Raises:
        BadRequestError: With every problem's path.
    """
    problems = [
        (f"$.{key}", "unknown key")
        for key in body
        if key not in {"assessment", "asked"}
    ]
    asked = body.get("asked", [])
    if not isinstance(asked, list) or not all(
        isinstance(a, str) for a in asked
    ):
        problems.append(("$.asked", "expected an array of question ids"))
        asked = []
    problems += [
        (f"$.asked[{i}]", "not a question or group id")
        for i, a in enumerate(asked)
        if a not in QUESTIONS and a not in GROUPS
    ]
    assessment = Assessment()
    if not isinstance(body.get("assessment"), Mapping):
        problems.append(("$.assessment", "required: an assessment object"))
    else:
        try:
            assessment = load_assessment(body["assessment"])
        except InvalidJSONError as error:
            problems += [
                (f"$.assessment{path[1:]}", message)
                for path, message in problems_of(error)
            ]
    if problems:
        raise BadRequestError(problems)
    return assessment, asked


async def _interview_next(ctx: Context, request: Request) -> Response:
    assessment, asked = _interview_request(
        await json_object(request, "an object with assessment and asked")
    )
    prompt = next_question(assessment, asked=asked, rules=_RULES)
    escalation = evaluate(assessment, rules=_RULES)
    if prompt is not None:
        return JSONResponse(
            {
                "done": False,
                "prompt": dump_prompt(prompt),
                "escalation": dump_escalation(escalation),
            }
        )
    plan = plan_care(assessment, escalation, region=ctx.region)
    await ctx.record(
        endpoint="interview/next",
        request_id=request_id(request),
        escalation=escalation,
        assessment=assessment,
        rules=_RULES,
    )
    return JSONResponse(
        {"done": True, "report": dump_report(escalation, plan)}
    )


def plain_routes(ctx: Context) -> list[BaseRoute]:
    """
    The plain JSON routes, sharing *ctx*.
    """
    document = openapi()

    async def assess(request: Request) -> Response:
        return await _assess(ctx, request)

    async def interview_next(request: Request) -> Response:
        return await _interview_next(ctx, request)

    async def describe(_: Request) -> Response:
        return JSONResponse(document)

    return [
        Route("/assess", guarded(assess), methods=["POST"]),
        Route("/interview/next", guarded(interview_next), methods=["POST"]),
        Route("/openapi.json", describe, methods=["GET"]),
    ]
