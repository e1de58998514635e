# SPDX-License-Identifier: MIT
"""
The web interview: ``/interview``, one question at a time, plain HTML.

``GET /interview`` shows the first question. Each answer is a form
``POST`` to ``/interview`` that carries every answer so far in hidden
fields (see :mod:`spasmcare.service._state`); the server replays them,
records the new answer and shows the next question, or the result when
the interview is over. ``POST /interview/print`` shows the result laid
out for printing. Nothing is stored on the server, no JavaScript is
needed, and answers never appear in a URL.
"""

from __future__ import annotations

import importlib.resources
import urllib.parse
from collections.abc import Mapping, Sequence
from typing import Any

import jinja2
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import BaseRoute, Route

from spasmcare import (
    QUESTIONS,
    Answer,
    AnswerKind,
    Escalation,
    Interview,
    Prompt,
    Region,
    Urgency,
    evaluate,
    plan_care,
)
from spasmcare.criteria import Fact
from spasmcare.exceptions import InvalidValueError

from ._config import ServiceConfig
from ._resources import Resources
from ._state import MAX_STEPS, UNSURE, Step, answer, replay

_BAD_REQUEST = 400
_UNSUPPORTED = 415
_FORM = "application/x-www-form-urlencoded"
#: The value of the "None of these" tick box of a group.
_NONE = "none"

#: Security headers of every page: nothing cached (health data), nothing
#: loaded from elsewhere, no scripts at all, no framing.
_HEADERS = {
    "Cache-Control": "no-store",
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self'; img-src 'self'; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
}

#: The heading of each result, in plain words (its placeholders, such as
#: ``{emergency_department}``, filled from the service's region).
LEVEL_HEADINGS = {
    Urgency.SELF_CARE: "You can look after your back at home",
    Urgency.ROUTINE: "Book an appointment with a doctor",
    Urgency.URGENT: "Speak to a doctor today",
    Urgency.EMERGENCY: "Go to {emergency_department} now",
    Urgency.AMBULANCE: "Call an ambulance now",
}

_ENVIRONMENT = jinja2.Environment(
    loader=jinja2.PackageLoader("spasmcare.service", "templates"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
_ENVIRONMENT.filters["sentence"] = lambda text: text[:1].upper() + text[1:]
_CSS = (
    importlib.resources.files("spasmcare.service")
    .joinpath("static/interview.css")
    .read_bytes()
)


class _AskAgainError(Exception):
    """
    The person's answer cannot be used: ask again, saying why.
    """

    def __init__(self, message: str, typed: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.typed = typed


class _BadFormError(Exception):
    """
    The form cannot be read: answered with 400 (or 415).
    """

    def __init__(
        self, field: str, reason: str, status: int = _BAD_REQUEST
    ) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason
        self.status = status


def _page(
    request: Request, template: str, status: int = 200, **context: Any
) -> HTMLResponse:
    html = _ENVIRONMENT.get_template(template).render(
        root=request.scope.get("root_path", ""), **context
    )
    return HTMLResponse(html, status_code=status, headers=_HEADERS)


async def _form(request: Request) -> Mapping[str, list[str]]:
    kind = request.headers.get("content-type", "").partition(";")[0]
    if kind.strip().lower() != _FORM:
        raise _BadFormError(
            "content-type", f"must be {_FORM}", status=_UNSUPPORTED
        )
    body = await request.body()
    try:
        text = body.decode("utf-8")
        pairs = urllib.parse.parse_qsl(
            text,
            keep_blank_values=True,
            strict_parsing=False,
            max_num_fields=MAX_STEPS + 8,
        )
    except (UnicodeDecodeError, ValueError) as error:
        raise _BadFormError("body", "not a readable form") from error
    fields: dict[str, list[str]] = {}
    for name, value in pairs:
        fields.setdefault(name, []).append(value)
    return fields


def _one(fields: Mapping[str, list[str]], name: str) -> str | None:
    values = fields.get(name, [])
    if len(values) > 1:
        raise _BadFormError(name, "given more than once")
    return values[0] if values else None


def _progress(interview: Interview, answered: int) -> tuple[int, int]:
    """
    Questions answered, and that plus those that may still be asked.
    """
    escalation = interview.escalation
    open_ = [q for q in escalation.unanswered if q not in interview.asked]
    return answered, answered + len(open_)


def _said(fact: Fact) -> str:
    """
    An answer a rule relied on, as the person would say it.
    """
    question = QUESTIONS[fact.question]
    if isinstance(fact.value, Answer):
        words = {
            Answer.PRESENT: "You said yes to: ",
            Answer.ABSENT: "You said no to: ",
            Answer.UNKNOWN: "You were not sure about: ",
        }
        return f"{words[fact.value]}{question.label}."
    return f"You said {question.label}: {fact.value} {question.unit}."


def _reasons(escalation: Escalation) -> list[str]:
    """
    The answers behind the result, each once, in the order of the rules.
    """
    said: dict[str, None] = {}
    for fired in escalation.fired:
        for fact in fired.facts:
            said.setdefault(_said(fact))
    return list(said)


def _question_page(
    request: Request,
    interview: Interview,
    steps: Sequence[Step],
    prompt: Prompt,
    *,
    chosen: frozenset[str] = frozenset(),
    typed: str = "",
    error: str | None = None,
) -> HTMLResponse:
    done, total = _progress(interview, len(steps))
    return _page(
        request,
        "question.html",
        status=_BAD_REQUEST if error else 200,
        title=prompt.text,
        prompt=prompt,
        is_number=prompt.kind is AnswerKind.INTEGER,
        number=len(steps) + 1,
        done=done,
        total=total,
        steps=[step.encode() for step in steps],
        chosen=chosen,
        typed=typed,
        error=error,
    )


def _result_page(
    request: Request,
    interview: Interview,
    steps: Sequence[Step],
    *,
    printable: bool = False,
) -> HTMLResponse:
    escalation: Escalation = evaluate(interview.assessment)
    region: Region = request.app.state.config.region
    plan = plan_care(interview.assessment, escalation, region=region)
    heading = region.fill(LEVEL_HEADINGS[escalation.level])
    emergency = escalation.level >= Urgency.EMERGENCY
    return _page(
        request,
        "print.html" if printable else "result.html",
        title=heading,
        heading=heading,
        emergency_heading=region.fill(
            "Call an ambulance or go to {emergency_department} if:"
        ),
        level=escalation.level.name.lower(),
        escalation=escalation,
        plan=plan,
        emergency=emergency,
        reasons=_reasons(escalation),
        not_answered=[QUESTIONS[q].label for q in escalation.unanswered],
        steps=[step.encode() for step in steps],
    )


def _error_page(request: Request, error: _BadFormError) -> HTMLResponse:
    return _page(
        request,
        "error.html",
        status=error.status,
        title="This page could not be read",
        field=error.field,
        reason=error.reason,
    )


async def _start(request: Request) -> Response:
    interview = Interview()
    prompt = interview.next_question()
    assert prompt is not None  # noqa: S101 (an empty interview asks)
    return _question_page(request, interview, (), prompt)


async def _answer(request: Request) -> Response:
    try:
        return await _handle(request, printable=False)
    except _BadFormError as error:
        return _error_page(request, error)


async def _print(request: Request) -> Response:
    try:
        return await _handle(request, printable=True)
    except _BadFormError as error:
        return _error_page(request, error)


async def _handle(request: Request, *, printable: bool) -> Response:
    fields = await _form(request)
    try:
        interview, steps = replay(fields.get("step", []))
    except InvalidValueError as error:
        raise _BadFormError(error.field, error.reason) from error
    action = _one(fields, "action") or "continue"
    if action == "back":
        return _back(request, steps)
    prompt = interview.next_question()
    if printable or action == "result":
        if prompt is not None:
            raise _BadFormError("step", "the interview is not finished")
        return _result_page(request, interview, steps, printable=printable)
    if action not in {"continue", UNSURE}:
        raise _BadFormError("action", f"unknown action {action!r}")
    if prompt is None:
        raise _BadFormError("step", "the interview is already finished")
    return _record(request, fields, interview, steps, prompt, action)


def _record(  # noqa: PLR0917 (a private step of _handle)
    request: Request,
    fields: Mapping[str, list[str]],
    interview: Interview,
    steps: Sequence[Step],
    prompt: Prompt,
    action: str,
) -> Response:
    """
    Record the answer to *prompt* and show what comes next.
    """
    if _one(fields, "question") != prompt.id:
        raise _BadFormError(
            "question", "not the question being asked (the form is stale)"
        )
    try:
        token = _token(fields, prompt, action)
        interview = _answer_as_asked(interview, prompt, token)
    except _AskAgainError as again:
        return _question_page(
            request,
            interview,
            steps,
            prompt,
            chosen=_chosen_values(fields, prompt),
            typed=again.typed,
            error=again.message,
        )
    steps = (*steps, Step(question=prompt.id, token=token))
    following = interview.next_question()
    if following is None:
        return _result_page(request, interview, steps)
    return _question_page(request, interview, steps, following)


def _answer_as_asked(
    interview: Interview, prompt: Prompt, token: str
) -> Interview:
    try:
        return answer(interview, prompt, token)
    except InvalidValueError:
        if prompt.kind is not AnswerKind.INTEGER:
            raise _BadFormError("answer", "not one of the answers") from None
        raise _AskAgainError(
            f"Type a whole number from {prompt.minimum} to {prompt.maximum}, "
            "or choose “I don’t know”.",
            typed=token,
        ) from None


def _chosen_values(
    fields: Mapping[str, list[str]], prompt: Prompt
) -> frozenset[str]:
    """
    What the person chose on a page that is asked again.
    """
    if prompt.kind is AnswerKind.INTEGER:
        return frozenset()
    return frozenset(fields.get("answer", []))


def _token(
    fields: Mapping[str, list[str]], prompt: Prompt, action: str
) -> str:
    """
    The answer token of the form's controls.

    Raises:
        _AskAgainError: Nothing usable was chosen or typed.
    """
    if prompt.kind is AnswerKind.INTEGER:
        if action == UNSURE:
            return UNSURE
        number = (_one(fields, "number") or "").strip()
        if not number:
            raise _AskAgainError("Type a number, or choose “I don’t know”.")
        return number
    if prompt.is_group:
        return _group_token(fields, prompt)
    chosen = _one(fields, "answer")
    if not chosen:
        raise _AskAgainError("Choose one of the answers.")
    return chosen


def _group_token(fields: Mapping[str, list[str]], prompt: Prompt) -> str:
    values = fields.get("answer", [])
    shown = [q.id for q in prompt.questions]
    if len(set(values)) != len(values):
        raise _BadFormError("answer", "given more than once")
    if set(values) - {*shown, _NONE, UNSURE}:
        raise _BadFormError("answer", "not one of the answers")
    if _NONE in values:
        if len(values) > 1:
            raise _AskAgainError(
                "You chose “None of these” and another answer. Choose "
                "“None of these” on its own, or tick what you have."
            )
        return "no"
    ticked = [q for q in shown if q in values]
    if not ticked:
        if UNSURE in values:
            return UNSURE
        raise _AskAgainError(
            "Tick what you have, or choose “None of these” or “Not sure”."
        )
    head = UNSURE if UNSURE in values else "yes"
    return f"{head}:{','.join(ticked)}"


def _chosen_by(prompt: Prompt, token: str) -> frozenset[str]:
    """
    The controls that *token* was chosen with, to show it chosen again.
    """
    if not prompt.is_group:
        return frozenset((token,))
    head, colon, listed = token.partition(":")
    if head == "no":
        return frozenset((_NONE,))
    marks = set(listed.split(",")) if colon else set()
    if head == UNSURE:
        marks.add(UNSURE)
    return frozenset(marks)


def _back(request: Request, steps: Sequence[Step]) -> Response:
    """
    Undo the last answer and ask that question again, showing it chosen.
    """
    if not steps:
        raise _BadFormError("action", "there is no answer to go back to")
    *kept, last = steps
    interview, _ = replay([step.encode() for step in kept])
    prompt = interview.next_question()
    assert prompt is not None  # noqa: S101 (the step was asked here)
    if prompt.kind is AnswerKind.INTEGER:
        typed = "" if last.token == UNSURE else last.token
        return _question_page(request, interview, kept, prompt, typed=typed)
    return _question_page(
        request, interview, kept, prompt, chosen=_chosen_by(prompt, last.token)
    )


async def _css(_: Request) -> Response:
    return Response(
        _CSS,
        media_type="text/css",
        headers={"Cache-Control": "public, max-age=3600"},
    )


def routes(config: ServiceConfig, _: Resources) -> Sequence[BaseRoute]:
    """
    The web interview's routes (none when it is switched off).
    """
    if not config.interview.enabled:
        return []
    return [
        Route("/interview", _start, methods=["GET"], name="interview"),
        Route("/interview", _answer, methods=["POST"]),
        Route("/interview/print", _print, methods=["POST"]),
        Route("/interview/interview.css", _css, methods=["GET"]),
    ]


__all__ = ["LEVEL_HEADINGS", "routes"]
