# SPDX-License-Identifier: MIT
"""
A stateless HTTP handler for the guided interview (WSGI, standard
library only).

The server keeps nothing between requests: each response carries the
interview's state (``spasmcare schema interview-state``), and the client
sends it back with the next answer. Any process behind a load balancer
can take any turn, and a restart loses nothing.

``POST /interview`` with a JSON body::

    {"id": "req-1",                    # first turn only: a correlation id
     "state": null,                    # or the state from the last response
     "answer": null}                   # or {"question": ID, "value": ...}

``value`` is ``true``, ``false`` or ``null`` ("don't know") for a yes/no
question or a group, or a whole number (or ``null``) for a number.
The response (200) is::

    {"id": "req-1", "state": {...}, "prompt": {...} or null,
     "report": null or {...}}

``prompt`` is the next question (``spasmcare schema prompt``); when the
interview is over it is ``null`` and ``report`` holds the result
(``spasmcare schema report``), whose time is read once, here.
A bad body or answer gets 400 with the problems; a state saved under
another rule set (after an update) gets 409: start again.

Run it with ``python examples/http_interview.py [PORT]`` (default 8000,
on 127.0.0.1).
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Callable, Iterable, Mapping
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, make_server

from spasmcare import Assessment as _Assessment
from spasmcare import (
    Interview,
    InvalidJSONError,
    RuleSetMismatchError,
    SpasmcareError,
    dump_interview,
    dump_prompt,
    dump_report,
    load_interview,
    plan_care,
)

StartResponse = Callable[[str, list[tuple[str, str]]], Any]

#: The largest body accepted, in bytes.
MAX_BODY = 64 * 1024


class BadRequestError(Exception):
    """
    A request the handler refuses, with its status and problems.
    """

    def __init__(self, status: str, problems: list[tuple[str, str]]) -> None:
        super().__init__(status)
        self.status = status
        self.problems = problems


def turn(body: Mapping[str, Any]) -> dict[str, Any]:
    """
    One turn of the interview: restore, answer, save, ask or report.

    Raises:
        BadRequestError: The body, the state or the answer is bad.
    """
    unknown = set(body) - {"id", "state", "answer"}
    if unknown:
        raise BadRequestError(
            "400 Bad Request",
            [(f"$.{key}", "unknown key") for key in sorted(unknown)],
        )
    try:
        if body.get("state") is None:
            interview = Interview(assessment=_Assessment(id=body.get("id")))
        else:
            interview = load_interview(body["state"])
        answer = body.get("answer")
        if answer is not None:
            if not isinstance(answer, dict) or set(answer) != {
                "question",
                "value",
            }:
                raise BadRequestError(
                    "400 Bad Request",
                    [("$.answer", 'expected {"question": ..., "value": ...}')],
                )
            interview = interview.answer(answer["question"], answer["value"])
    except RuleSetMismatchError as error:
        raise BadRequestError("409 Conflict", list(error.problems)) from None
    except InvalidJSONError as error:
        problems = [("$.state" + p[1:], m) for p, m in error.problems]
        raise BadRequestError("400 Bad Request", problems) from None
    except SpasmcareError as error:
        raise BadRequestError("400 Bad Request", [("$", str(error))]) from None
    prompt = interview.next_question()
    report = None
    if prompt is None:
        escalation = interview.escalation
        plan = plan_care(interview.assessment, escalation)
        report = dump_report(
            escalation, plan, created_at=dt.datetime.now(dt.UTC)
        )
    return {
        "id": interview.assessment.id,
        "state": dump_interview(interview),
        "prompt": None if prompt is None else dump_prompt(prompt),
        "report": report,
    }


def _reply(
    start_response: StartResponse, status: str, document: object
) -> Iterable[bytes]:
    payload = json.dumps(document, ensure_ascii=False).encode()
    start_response(
        status,
        [
            ("Content-Type", "application/json"),
            ("Content-Length", str(len(payload))),
        ],
    )
    return [payload]


def read_body(environ: dict[str, Any]) -> dict[str, Any]:
    """
    The request's JSON object.

    Raises:
        BadRequestError: The body is too big, not JSON, or not an object.
    """
    length = int(environ.get("CONTENT_LENGTH") or 0)
    if length > MAX_BODY:
        raise BadRequestError("413 Content Too Large", [("$", "too big")])
    try:
        body = json.loads(environ["wsgi.input"].read(length) or b"null")
    except ValueError:
        raise BadRequestError(
            "400 Bad Request", [("$", "not valid JSON")]
        ) from None
    if not isinstance(body, dict):
        raise BadRequestError(
            "400 Bad Request", [("$", "expected a JSON object")]
        )
    return body


def app(
    environ: dict[str, Any], start_response: StartResponse
) -> Iterable[bytes]:
    """
    The WSGI application: ``POST /interview`` only.
    """
    if environ.get("PATH_INFO") != "/interview":
        return _reply(start_response, "404 Not Found", {"error": "not found"})
    if environ.get("REQUEST_METHOD") != "POST":
        return _reply(
            start_response,
            "405 Method Not Allowed",
            {"error": "use POST"},
        )
    try:
        return _reply(start_response, "200 OK", turn(read_body(environ)))
    except BadRequestError as error:
        problems = [{"path": p, "message": m} for p, m in error.problems]
        return _reply(start_response, error.status, {"problems": problems})


class QuietHandler(WSGIRequestHandler):
    """
    A request handler that does not log every request to stderr.
    """

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        """
        Log nothing.
        """


def main(argv: list[str] | None = None) -> int:
    """
    Serve the interview on 127.0.0.1:PORT until interrupted.
    """
    args = sys.argv[1:] if argv is None else argv
    port = int(args[0]) if args else 8000
    with make_server("127.0.0.1", port, app, handler_class=QuietHandler) as s:
        print(f"POST http://127.0.0.1:{s.server_port}/interview")
        try:
            s.serve_forever()
        except KeyboardInterrupt:
            return 0
    return 0  # pragma: no cover (serve_forever returns only when stopped)


if __name__ == "__main__":
    raise SystemExit(main())
