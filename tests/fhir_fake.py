# SPDX-License-Identifier: MIT
"""
A small FHIR server fake on 127.0.0.1, for the service's fetches.

It answers searches with the resources it was given, records every
request (path, query and Authorization header), and can be told to fail.
It also serves a JWK Set, for issuers that publish theirs at a ``jku``.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


class FakeFhir:
    """
    The fake's state: what it serves and what it was asked.

    Attributes:
        url: Its base URL.
        resources: The resources it holds, by type.
        jwks: The JWK Set it serves at ``/jwks.json``.
        status: The HTTP status it answers with (200 unless told).
        raw: A body to send instead of JSON, if set.
        requests: ``(path, query, authorization)`` of each request.
    """

    def __init__(self) -> None:
        self.url = ""
        self.resources: dict[str, list[dict[str, Any]]] = {}
        self.jwks: dict[str, Any] = {"keys": []}
        self.status = 200
        self.raw: bytes | None = None
        self.requests: list[tuple[str, dict[str, list[str]], str | None]] = []

    def answer(self, path: str, query: dict[str, list[str]]) -> Any:
        """
        The JSON body for a GET of *path*.
        """
        if path == "/jwks.json":
            return self.jwks
        parts = path.strip("/").split("/")
        if len(parts) == 2:
            for resource in self.resources.get(parts[0], []):
                if resource.get("id") == parts[1]:
                    return resource
            return {"resourceType": "OperationOutcome", "issue": []}
        found = self.resources.get(parts[0], [])
        count = int(query.get("_count", ["100"])[0])
        return {
            "resourceType": "Bundle",
            "type": "searchset",
            "entry": [{"resource": r} for r in found[:count]],
        }


@contextmanager
def fake_fhir() -> Iterator[FakeFhir]:
    """
    Run a fake FHIR server on 127.0.0.1 (any free port) in a thread.
    """
    fake = FakeFhir()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            query = parse_qs(parts.query)
            fake.requests.append(
                (parts.path, query, self.headers.get("Authorization"))
            )
            body = (
                fake.raw or json.dumps(fake.answer(parts.path, query)).encode()
            )
            self.send_response(fake.status)
            self.send_header("Content-Type", "application/fhir+json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            pass  # keep the test output quiet

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    fake.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
