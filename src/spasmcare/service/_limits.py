# SPDX-License-Identifier: MIT
"""
A request body limit for every route: larger bodies get 413.
"""

from __future__ import annotations

from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

_TOO_LARGE = 413


class _TooLargeError(Exception):
    pass


class BodyLimit:
    """
    ASGI middleware: refuse bodies over *max_bytes* with 413.

    A declared ``Content-Length`` over the limit is refused before the
    body is read; a body streamed without one is counted as it comes.
    """

    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(
        self, scope: Scope, receive: Receive, send: Send
    ) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        length = headers.get(b"content-length", b"")
        if length.isdigit() and int(length) > self.max_bytes:
            await self._refuse(scope, receive, send)
            return
        seen = 0
        started = False

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            # Only http.request messages carry a body.
            seen += len(message.get("body", b""))
            if seen > self.max_bytes:
                raise _TooLargeError
            return message

        async def watched(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counted, watched)
        except _TooLargeError:
            if started:  # pragma: no cover (our routes read before answering)
                raise
            await self._refuse(scope, receive, send)

    async def _refuse(
        self, scope: Scope, receive: Receive, send: Send
    ) -> None:
        response = PlainTextResponse(
            f"Request body too large (limit {self.max_bytes} bytes).",
            status_code=_TOO_LARGE,
            headers={"Connection": "close"},
        )
        await response(scope, receive, send)
