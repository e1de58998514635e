# SPDX-License-Identifier: MIT
"""
Load on the CDS Hooks service: patient-view at 1, 16 and 64 clients.

Run from the repository root::

    .venv/bin/python -m benchmarks.service_load           # 3 x 2,000 calls
    .venv/bin/python -m benchmarks.service_load --quick   # 3 x 300 calls

It starts ``spasmcare serve`` (uvicorn, one process) on 127.0.0.1 with
authentication on and a fresh audit log, and drives it with an asyncio
loop of clients, each on its own keep-alive connection, each sending its
next call as soon as the last one is answered (a closed loop: at N
clients the latency is about N / throughput). The client writes prepared
HTTP/1.1 requests on asyncio streams: httpx (``--client httpx``) costs
more CPU a call than the server, so with it, on a 2-core machine, the
benchmark mostly measures its own client. Every call carries its own ES384 JWT (made before the clock
starts) and a prefetched QuestionnaireResponse with a red flag, so every
call verifies a token, reads FHIR, evaluates, makes a card and commits a
decision to the audit log (SQLite, ``synchronous=FULL``) before it is
answered. The load is bounded (a fixed number of calls, a time limit) and
loopback only.

It prints throughput and p50/p99 latency per level and fails when any
call is not a 200: an HTTP error, or a transport error (a dropped or
reset connection), which is counted per call and never retried. The
server's log is kept (``--server-log FILE``, else a temporary file) and
its tail printed when the run fails. The aim (issue 13): p99 under 50 ms
at 64 clients on a 2-core machine; record systems budget about 500 ms for
a hook.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import math
import re
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import httpx
import jwt
from cryptography.hazmat.primitives.asymmetric import ec
from jwt.algorithms import ECAlgorithm

from spasmcare import Answer, Assessment, Symptom
from spasmcare._findings import FINDING_IDS
from spasmcare.fhir import response_from_assessment

__all__ = ["main"]

LEVELS = (1, 16, 64)
AIM_P99_MS = 50.0
ISSUER = "https://ehr.load.test"
_STARTED = re.compile(r"Uvicorn running on http://127\.0\.0\.1:(\d+)")
_TIME_LIMIT = 300.0
_START_SECONDS = 30.0
_STOP_SECONDS = 15.0
_TAIL_LINES = 40
_CALL_SECONDS = 30.0
_PATH = "/cds-services/spasmcare-back-pain"


def _body() -> bytes:
    symptoms = tuple(
        Symptom(
            finding=f,
            answer=Answer.PRESENT if f == "saddle_numbness" else Answer.ABSENT,
        )
        for f in sorted(FINDING_IDS)
    )
    assessment = Assessment(
        symptoms=symptoms,
        age_years=40,
        pain_score=6,
        duration_days=2,
        episodes_past_year=0,
    )
    response = json.loads(
        response_from_assessment(
            assessment, subject="Patient/p1"
        ).model_dump_json(exclude_none=True)
    )
    return json.dumps(
        {
            "hook": "patient-view",
            "hookInstance": str(uuid.uuid4()),
            "context": {"userId": "Practitioner/1", "patientId": "p1"},
            "prefetch": {
                "questionnaireResponse": response,
                "patient": None,
                "painScore": None,
            },
        }
    ).encode()


def _start(config: Path, log: Path) -> tuple[subprocess.Popen[bytes], str]:
    """
    Start the server with its log (standard error) going to *log*.
    """
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "spasmcare",
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                "0",
                "--config",
                str(config),
            ],
            stdin=subprocess.DEVNULL,
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + _START_SECONDS
    while time.monotonic() < deadline and process.poll() is None:
        match = _STARTED.search(log.read_text(errors="replace"))
        if match:
            return process, f"http://127.0.0.1:{match.group(1)}"
        time.sleep(0.05)
    process.kill()
    process.wait()
    msg = "the server did not start:\n" + log.read_text(errors="replace")
    raise RuntimeError(msg)


def _stop(process: subprocess.Popen[bytes]) -> float:
    """
    Stop the server as an operator would (SIGTERM); return the seconds it
    took. A server that does not stop in time is killed.

    Raises:
        RuntimeError: It did not stop within the time allowed.
    """
    started = time.perf_counter()
    process.terminate()
    try:
        process.wait(_STOP_SECONDS)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
        msg = (
            f"the server did not stop within {_STOP_SECONDS:.0f} s of SIGTERM"
        )
        raise RuntimeError(msg) from None
    return time.perf_counter() - started


def _tail(log: Path, lines: int = _TAIL_LINES) -> str:
    return "".join(
        log.read_text(errors="replace").splitlines(keepends=True)[-lines:]
    )


class _Connection:
    """
    One keep-alive HTTP/1.1 connection, as a record system holds one: each
    request is written as prepared bytes and the answer read by its
    Content-Length. It costs a fraction of what httpx does a call (httpx
    costs this machine more CPU a call than the server itself, so with it
    the benchmark mostly measured its own client).
    """

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self._streams: (
            tuple[asyncio.StreamReader, asyncio.StreamWriter] | None
        ) = None

    async def send(self, request: bytes) -> int:
        """
        Send *request*; return the answer's status code.

        Raises:
            OSError: The connection failed or was reset.
            asyncio.IncompleteReadError: It closed before the answer ended.
            ValueError: The answer is not HTTP/1.1 with a Content-Length.
        """
        if self._streams is None:
            self._streams = await asyncio.open_connection(self.host, self.port)
        reader, writer = self._streams
        writer.write(request)
        head = await reader.readuntil(b"\r\n\r\n")
        if not head.startswith(b"HTTP/1.1 "):
            msg = "not an HTTP/1.1 answer"
            raise ValueError(msg)
        fields = head.lower().split(b"\r\n")
        length = next(
            (int(f[15:]) for f in fields if f.startswith(b"content-length:")),
            None,
        )
        if length is None:
            msg = "an answer without Content-Length"
            raise ValueError(msg)
        await reader.readexactly(length)
        if b"connection: close" in fields:
            await self.close()
        return int(head[9:12])

    async def close(self) -> None:
        """
        Close the connection (the next call opens a new one).
        """
        if self._streams is not None:
            writer = self._streams[1]
            self._streams = None
            writer.close()
            with contextlib.suppress(OSError):
                await writer.wait_closed()


def _requests(url: str, tokens: Sequence[str], body: bytes) -> list[bytes]:
    """
    Each call's request, as bytes, made before the clock starts.
    """
    host = url.removeprefix("http://")
    return [
        (
            f"POST {_PATH} HTTP/1.1\r\nHost: {host}\r\n"
            f"Authorization: Bearer {token}\r\n"
            "Content-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n\r\n"
        ).encode()
        + body
        for token in tokens
    ]


async def _raw_calls(
    url: str,
    clients: int,
    requests: list[bytes],
    record: Callable[[float, int | None, str | None], None],
) -> None:
    host, _, port = url.removeprefix("http://").partition(":")

    async def client() -> None:
        connection = _Connection(host, int(port))
        try:
            while requests:
                request = requests.pop()
                started = time.perf_counter()
                try:
                    status = await asyncio.wait_for(
                        connection.send(request), _CALL_SECONDS
                    )
                except (
                    OSError,
                    TimeoutError,
                    asyncio.IncompleteReadError,
                    asyncio.LimitOverrunError,
                    ValueError,
                ) as error:
                    # A dropped or refused connection is a failed call:
                    # counted (the run fails), never retried; the client
                    # goes on with its next call on a new connection.
                    await connection.close()
                    record(
                        time.perf_counter() - started,
                        None,
                        type(error).__name__,
                    )
                    continue
                record(time.perf_counter() - started, status, None)
        finally:
            await connection.close()

    await asyncio.gather(*(client() for _ in range(clients)))


async def _httpx_calls(
    url: str,
    clients: int,
    tokens: list[str],
    body: bytes,
    record: Callable[[float, int | None, str | None], None],
) -> None:
    limits = httpx.Limits(
        max_connections=clients, max_keepalive_connections=clients
    )
    async with httpx.AsyncClient(
        base_url=url, limits=limits, timeout=_CALL_SECONDS
    ) as http:

        async def client() -> None:
            while tokens:
                token = tokens.pop()
                started = time.perf_counter()
                try:
                    response = await http.post(
                        _PATH,
                        content=body,
                        headers={
                            "Authorization": f"Bearer {token}",
                            "Content-Type": "application/json",
                        },
                    )
                except httpx.TransportError as error:
                    # Counted, never retried (as above).
                    record(
                        time.perf_counter() - started,
                        None,
                        type(error).__name__,
                    )
                    continue
                record(
                    time.perf_counter() - started, response.status_code, None
                )

        await asyncio.gather(*(client() for _ in range(clients)))


async def _level(
    url: str, clients: int, tokens: list[str], body: bytes, *, client: str
) -> dict[str, Any]:
    latencies: list[float] = []
    failures: list[str] = []
    statuses: dict[int, int] = {}

    def record(
        seconds: float, status: int | None, failure: str | None
    ) -> None:
        if failure is not None:
            failures.append(failure)
            return
        assert status is not None  # noqa: S101
        latencies.append(seconds)
        statuses[status] = statuses.get(status, 0) + 1

    calls = (
        _raw_calls(url, clients, _requests(url, tokens[::-1], body), record)
        if client == "raw"
        else _httpx_calls(url, clients, tokens[::-1], body, record)
    )
    started = time.perf_counter()
    await asyncio.wait_for(
        calls, _TIME_LIMIT
    )  # each client counts its own failures
    wall = time.perf_counter() - started
    latencies.sort()
    answered = len(latencies)
    return {
        "clients": clients,
        "calls": answered + len(failures),
        "per_second": answered / wall,
        "p50_ms": 1000 * statistics.median(latencies)
        if answered
        else math.nan,
        "p99_ms": 1000 * latencies[min(answered - 1, int(0.99 * answered))]
        if answered
        else math.nan,
        "errors": len(failures)
        + sum(n for status, n in statuses.items() if status != 200),
        "failures": {name: failures.count(name) for name in set(failures)},
    }


def _run(
    url: str,
    key: ec.EllipticCurvePrivateKey,
    calls: int,
    body: bytes,
    client: str,
) -> list[dict[str, Any]]:
    audience = f"{url}/cds-services/spasmcare-back-pain"
    now = int(time.time())
    results = []
    for clients in LEVELS:
        tokens = [
            jwt.encode(
                {
                    "iss": ISSUER,
                    "aud": audience,
                    "iat": now,
                    "exp": now + 600,
                    "jti": str(uuid.uuid4()),
                },
                key,
                algorithm="ES384",
                headers={"kid": "k1", "typ": "JWT"},
            )
            for _ in range(calls)
        ]
        asyncio.run(
            _level(url, min(clients, calls), tokens[:20], body, client=client)
        )  # warm up
        results.append(
            asyncio.run(_level(url, clients, tokens[20:], body, client=client))
        )
    return results


def _report(
    results: Sequence[dict[str, Any]], stopped: float, client: str
) -> None:
    print(
        "patient-view over HTTP (uvicorn, 1 process; JWT + evaluate + audit "
        f"commit per call; the {client} client, a connection per client)"
    )
    print(
        f"{'clients':>8} {'calls':>6} {'calls/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}"
    )
    for r in results:
        print(
            f"{r['clients']:>8} {r['calls']:>6} {r['per_second']:>9.0f} "
            f"{r['p50_ms']:>8.1f} {r['p99_ms']:>8.1f} {r['errors']:>7}"
        )
    for r in results:
        if r["failures"]:
            listed = ", ".join(
                f"{name} x{n}" for name, n in sorted(r["failures"].items())
            )
            print(f"{r['clients']} clients: transport errors: {listed}")
    print(f"the server stopped {stopped:.1f} s after SIGTERM")


def main(argv: Sequence[str] | None = None) -> int:
    """
    Run the load benchmark; return 0, or 1 when a call failed (an HTTP
    status other than 200, or a transport error such as a dropped
    connection) or the server did not stop cleanly.
    """
    parser = argparse.ArgumentParser(prog="python -m benchmarks.service_load")
    parser.add_argument(
        "--quick",
        action="store_true",
        help="300 calls per level instead of 2,000",
    )
    parser.add_argument(
        "--client",
        choices=["raw", "httpx"],
        default="raw",
        help="the load generator: raw HTTP/1.1 on asyncio streams (the "
        "default: cheap, so the server is what is measured) or httpx",
    )
    parser.add_argument(
        "--server-log",
        type=Path,
        help="keep the server's log in this file (default: a temporary "
        "file, its tail printed when the run fails)",
    )
    args = parser.parse_args(argv)
    calls = 300 if args.quick else 2_000
    key = ec.generate_private_key(ec.SECP384R1())
    jwk = {
        **ECAlgorithm.to_jwk(key.public_key(), as_dict=True),
        "kid": "k1",
        "alg": "ES384",
    }
    body = _body()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "jwks.json").write_text(json.dumps({"keys": [jwk]}))
        config = root / "load.toml"
        config.write_text(
            "[cds]\n"
            f'audit_db = "{root / "audit.sqlite3"}"\n'
            "[[cds.issuers]]\n"
            f'iss = "{ISSUER}"\n'
            f'jwks_file = "{root / "jwks.json"}"\n'
        )
        log = args.server_log or root / "server.log"
        process, url = _start(config, log)
        results: list[dict[str, Any]] = []
        problem = ""
        try:
            results = _run(url, key, calls, body, args.client)
        except Exception as error:  # noqa: BLE001 (reported with the log)
            problem = f"the run failed: {type(error).__name__}: {error}"
        finally:
            try:
                stopped = _stop(process)
            except RuntimeError as error:
                problem = problem or str(error)
                stopped = math.nan
        _report(results, stopped, args.client)
        failed = bool(problem) or any(r["errors"] for r in results)
        if failed:
            print(problem or "some calls failed")
            print(
                f"--- the server's log, last {_TAIL_LINES} lines ({log}) ---"
            )
            print(_tail(log), end="")
    if not results:
        return 1
    top = results[-1]
    verdict = "met" if top["p99_ms"] < AIM_P99_MS else "NOT met"
    print(
        f"aim p99 < {AIM_P99_MS:.0f} ms at {top['clients']} clients: {verdict} ({top['p99_ms']:.1f} ms)"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
