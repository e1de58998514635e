# SPDX-License-Identifier: MIT
"""
What the service's JSON endpoints share: reading bodies, error answers,
CORS, the audit log and the JWT check.
"""

from __future__ import annotations

import asyncio
import json
import logging
import sys
import threading
import uuid
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any

import attrs
import httpx
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route, request_response

from spasmcare import (
    REGIONS,
    Assessment,
    Escalation,
    Region,
    RuleSet,
    dump_assessment,
)
from spasmcare.exceptions import InvalidJSONError

from ._audit import (
    Decision,
    GroupCommit,
    SQLiteAuditStore,
    input_hash,
    utc_now,
)
from ._auth import AuthenticationError, JWTVerifier
from ._settings import CdsConfig

__all__ = ["Context", "bad_request", "json_body", "json_object", "request_id"]

#: The name of the log handler the service adds.
_HANDLER = "spasmcare.service"

#: Longest X-Request-ID kept as given.
_REQUEST_ID_LIMIT = 128

LOG = logging.getLogger("spasmcare.service")

Handler = Callable[[Request], Awaitable[Response]]


class BadRequestError(Exception):
    """
    A request body that cannot be used: 400 with every problem's path.
    """

    def __init__(self, problems: Sequence[tuple[str, str]]) -> None:
        self.problems = tuple(problems)
        super().__init__("; ".join(f"{p}: {m}" for p, m in self.problems))


def bad_request(problems: Sequence[tuple[str, str]]) -> JSONResponse:
    """
    A 400 answer listing each problem with its JSON path.
    """
    return JSONResponse(
        {
            "error": "invalid request",
            "problems": [
                {"path": path, "message": message}
                for path, message in problems
            ],
        },
        status_code=400,
    )


def _unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise BadRequestError([("$", f"the key {key!r} appears twice")])
        result[key] = value
    return result


async def json_body(request: Request) -> Any:
    """
    The request's body as JSON.

    Raises:
        BadRequestError: The body is not JSON (or repeats a key).
    """
    raw = await request.body()
    try:
        return json.loads(raw, object_pairs_hook=_unique)
    except UnicodeDecodeError:
        raise BadRequestError([("$", "the body is not UTF-8 text")]) from None
    except json.JSONDecodeError as error:
        raise BadRequestError(
            [
                (
                    "$",
                    f"not JSON: {error.msg} at line {error.lineno} column {error.colno}",
                )
            ]
        ) from None


async def json_object(request: Request, expected: str) -> Mapping[str, Any]:
    """
    The request's body as a JSON object.

    Args:
        request: The request.
        expected: What the body should be, in words (for the 400).

    Raises:
        BadRequestError: The body is not JSON, or not an object.
    """
    body = await json_body(request)
    if not isinstance(body, Mapping):
        raise BadRequestError([("$", f"expected {expected}")])
    return body


def request_id(request: Request) -> str:
    """
    The request's ``X-Request-ID`` when it is short printable text, else a
    new uuid.
    """
    given = request.headers.get("x-request-id", "")
    if 0 < len(given) <= _REQUEST_ID_LIMIT and given.isprintable():
        return given
    return str(uuid.uuid4())


def problems_of(error: InvalidJSONError) -> list[tuple[str, str]]:
    """
    The problems of *error*, as ``(path, message)`` pairs.
    """
    return list(error.problems) or [(error.field, error.reason)]


@attrs.define
class Context:
    """
    What the CDS Hooks routes share while the app runs.

    The audit log and the HTTP client are opened on first use and closed
    by :meth:`close` (when the app shuts down); used again after that,
    they open again.

    Attributes:
        config: The ``[cds]`` settings.
        verifier: The JWT check (``None`` when authentication is off).
        region: The region patient texts speak for.
    """

    config: CdsConfig
    verifier: JWTVerifier | None = None
    region: Region = REGIONS["uk"]
    _http: httpx.AsyncClient | None = None
    _store: SQLiteAuditStore | None = None
    _writer: GroupCommit | None = None
    _lock: threading.Lock = attrs.Factory(threading.Lock)

    @property
    def http(self) -> httpx.AsyncClient:
        """
        The client for FHIR servers and JWK Sets (opened on first use).
        """
        if self._http is None:
            self._http = httpx.AsyncClient(
                timeout=self.config.fhir_timeout_seconds,
                follow_redirects=False,
            )
        return self._http

    @property
    def store(self) -> SQLiteAuditStore:
        """
        The audit log, opened (and created) on first use.
        """
        with self._lock:
            if self._store is None:
                self._store = SQLiteAuditStore(self.config.audit_db)
            return self._store

    @property
    def writer(self) -> GroupCommit:
        """
        The audit log's writer (decisions are committed in groups).
        """
        store = self.store
        with self._lock:
            if self._writer is None:
                self._writer = GroupCommit(store)
            return self._writer

    async def fetch_json(self, url: str) -> Mapping[str, Any]:
        """
        GET *url* as JSON (a JWK Set).

        Raises:
            httpx.HTTPError: It could not be fetched.
            ValueError: It is not JSON.
        """
        response = await self.http.get(
            url, headers={"Accept": "application/json"}
        )
        response.raise_for_status()
        document: Mapping[str, Any] = response.json()
        return document

    @classmethod
    def create(
        cls, config: CdsConfig, region: Region = REGIONS["uk"]
    ) -> Context:
        """
        Build the JWT check, and warn about unsafe settings on standard
        error.
        """
        ctx = cls(config=config, region=region)
        if config.auth:
            ctx.verifier = JWTVerifier(
                [i.issuer() for i in config.issuers], fetch=ctx.fetch_json
            )
        for warning in config.warnings():
            sys.stderr.write(f"spasmcare serve: WARNING: {warning}\n")
        if not any(h.get_name() == _HANDLER for h in LOG.handlers):
            # uvicorn configures its own loggers only: give ours a handler,
            # so that decisions (ids and rule ids only) reach the log.
            handler = logging.StreamHandler(sys.stderr)
            handler.set_name(_HANDLER)
            handler.setFormatter(
                logging.Formatter("%(levelname)s:     spasmcare: %(message)s")
            )
            LOG.addHandler(handler)
            LOG.setLevel(logging.INFO)
            LOG.propagate = False
        return ctx

    def base_url(self, request: Request) -> str:
        """
        The public base URL: configured, or the request's own.
        """
        if self.config.base_url is not None:
            return self.config.base_url.rstrip("/")
        return f"{request.url.scheme}://{request.url.netloc}"

    async def authenticate(
        self, request: Request, audiences: Sequence[str]
    ) -> Response | None:
        """
        ``None`` when the request may go on, else the 401 to send.
        """
        if self.verifier is None:
            return None
        try:
            await self.verifier.verify(
                request.headers.get("authorization"), audience=audiences
            )
        except AuthenticationError as error:
            LOG.warning(
                "401 %s %s: %s", request.method, request.url.path, error.reason
            )
            return JSONResponse(
                {"error": "unauthorized"},
                status_code=401,
                headers={"WWW-Authenticate": "Bearer"},
            )
        return None

    async def record(
        self,
        *,
        endpoint: str,
        request_id: str,
        escalation: Escalation | None,
        assessment: Assessment | None,
        rules: RuleSet,
        cards: Sequence[str] = (),
        note: str | None = None,
    ) -> Decision:
        """
        Keep the decision in the audit log (on disk before returning).
        """
        document: Mapping[str, Any]
        if assessment is not None:
            document = dump_assessment(assessment)
        else:
            document = {"not_assessed": note or "no data"}
        decision = Decision(
            id=str(uuid.uuid4()),
            time=utc_now(),
            request_id=request_id,
            endpoint=endpoint,
            rule_set_id=rules.id,
            rule_set_version=rules.version,
            rule_set_digest=rules.digest,
            level=escalation.level.value
            if escalation is not None
            else "not-assessed",
            fired=tuple(f.id for f in escalation.fired)
            if escalation is not None
            else (),
            input_hash=input_hash(document),
            answers=dict(document)
            if self.config.record_answers and assessment is not None
            else None,
            cards=tuple(cards),
        )
        await self.writer.record(decision)
        LOG.info(
            "decision %s %s request=%s level=%s fired=%s",
            decision.id,
            endpoint,
            request_id,
            decision.level,
            ",".join(decision.fired) or "-",
        )
        return decision

    async def close(self) -> None:
        """
        Close the HTTP client, and the audit log once every decision
        handed to it is committed (closing the last connection
        checkpoints the WAL into the database file).
        """
        with self._lock:
            http, self._http = self._http, None
            writer, self._writer = self._writer, None
            store, self._store = self._store, None
        if http is not None:
            await http.aclose()
        if writer is not None:
            await asyncio.to_thread(writer.close)
        if store is not None:
            store.close()


def cors_route(
    path: str,
    handler: Handler,
    *,
    methods: Sequence[str],
    origins: Sequence[str],
) -> Route:
    """
    A route whose answers carry CORS headers and which answers preflight
    requests, as CDS Hooks asks of services called from browsers.
    """
    app = CORSMiddleware(
        request_response(guarded(handler)),
        allow_origins=list(origins),
        allow_methods=[*methods, "OPTIONS"],
        allow_headers=["Authorization", "Content-Type"],
        expose_headers=[
            "Origin",
            "Accept",
            "Content-Location",
            "Location",
            "X-Requested-With",
        ],
        max_age=600,
    )
    return Route(path, app, methods=[*methods, "OPTIONS"])


def guarded(handler: Handler) -> Handler:
    async def guarded(request: Request) -> Response:
        try:
            return await handler(request)
        except BadRequestError as error:
            return bad_request(error.problems)
        except InvalidJSONError as error:
            return bad_request(problems_of(error))

    return guarded
