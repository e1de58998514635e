# SPDX-License-Identifier: MIT
"""
The service's shutdown: what the routes opened is closed, the audit log
only after every decision handed to it is committed, and a server
stopped with SIGTERM leaves its database checkpointed and sound.
"""

from __future__ import annotations

import asyncio
import signal
import socket
import sqlite3
import threading
import time
from collections.abc import Sequence
from pathlib import Path

import httpx
import pytest
from starlette.routing import BaseRoute

from spasmcare import DEFAULT_RULES
from spasmcare.service import CdsConfig, ServiceConfig, create_app
from spasmcare.service._audit import Decision, GroupCommit, SQLiteAuditStore
from spasmcare.service._http import Context
from spasmcare.service._resources import Resources

from .servers import running_server
from .test_service_audit import decision

_WAIT_SECONDS = 10.0
#: shutdown_seconds (1) plus uvicorn's own steps, with room for a busy machine.
_STOP_WITHIN_SECONDS = 8.0


class GatedStore(SQLiteAuditStore):
    """
    A real SQLite store whose first write waits until it is let go.
    """

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self.entered = threading.Event()
        self.release = threading.Event()

    def record(self, decisions: Sequence[Decision]) -> None:
        """
        Say that a write began, wait to be let go, then write.
        """
        self.entered.set()
        self.release.wait(_WAIT_SECONDS)
        super().record(decisions)


class TestGroupCommitClose:
    """
    Closing the writer commits what is waiting, then stops its thread.
    """

    def test_close_commits_what_waits_then_stops(self, tmp_path: Path) -> None:
        """
        A decision handed over while another is being written, then
        close: both are committed, both waiters return, the thread ends.
        """
        store = GatedStore(tmp_path / "audit.sqlite3")
        writer = GroupCommit(store)

        async def run() -> None:
            first = asyncio.ensure_future(
                writer.record(decision(1, time="2026-12-03T10:00:00Z"))
            )
            await asyncio.to_thread(store.entered.wait, _WAIT_SECONDS)
            second = asyncio.ensure_future(
                writer.record(decision(2, time="2026-12-03T10:00:01Z"))
            )
            await asyncio.sleep(0)  # the second is handed over
            closing = asyncio.ensure_future(asyncio.to_thread(writer.close))
            store.release.set()
            await asyncio.wait_for(
                asyncio.gather(first, second, closing), _WAIT_SECONDS
            )

        asyncio.run(run())

        assert ["d1", "d2"] == [d["id"] for d in store.export()]
        assert not writer._writer.is_alive()
        store.close()

    def test_close_with_nothing_waiting(self, tmp_path: Path) -> None:
        """
        An idle writer stops at once.
        """
        store = SQLiteAuditStore(tmp_path / "audit.sqlite3")
        writer = GroupCommit(store)

        writer.close()

        assert not writer._writer.is_alive()
        store.close()


async def _record(ctx: Context, request_id: str) -> None:
    await ctx.record(
        endpoint="assess",
        request_id=request_id,
        escalation=None,
        assessment=None,
        rules=DEFAULT_RULES,
        note="no data",
    )


class TestContextClose:
    """
    The shared state closes its client and its log, and opens them again
    when used after that.
    """

    def test_close_checkpoints_the_log_and_closes_the_client(
        self, tmp_path: Path
    ) -> None:
        """
        After close the HTTP client is closed and the WAL is folded into
        the database file (no -wal file left); used again, both reopen.
        """
        path = tmp_path / "audit.sqlite3"
        ctx = Context.create(CdsConfig(auth=False, audit_db=str(path)))

        wal = Path(f"{path}-wal")

        async def run() -> tuple[httpx.AsyncClient, bool, bool]:
            client = ctx.http
            await _record(ctx, "r1")
            had_wal = await asyncio.to_thread(wal.exists)
            await ctx.close()
            wal_left = await asyncio.to_thread(wal.exists)
            assert ctx.http is not client
            await _record(ctx, "r2")
            await ctx.close()
            await ctx.close()  # closing twice is harmless
            return client, had_wal, wal_left

        client, had_wal, wal_left = asyncio.run(run())

        assert client.is_closed
        assert had_wal
        assert not wal_left
        reader = SQLiteAuditStore(path, readonly=True)
        assert ["r1", "r2"] == sorted(d["request_id"] for d in reader.export())
        reader.close()


class TestLifespan:
    """
    create_app closes what the route modules handed it when the app's
    lifespan ends.
    """

    def test_shutdown_closes_each_resource_last_first(self) -> None:
        """
        Nothing is closed while the app runs; at shutdown every closer
        runs, the last registered first, even when one fails (its error
        is raised after the others ran).
        """
        closed: list[str] = []

        def module(_: ServiceConfig, resources: Resources) -> list[BaseRoute]:
            async def first() -> None:
                closed.append("first")

            async def second() -> None:
                closed.append("second")
                msg = "cannot close"
                raise OSError(msg)

            resources.on_close(first)
            resources.on_close(second)
            return []

        app = create_app(route_modules=[module])

        async def run() -> None:
            async with app.router.lifespan_context(app):
                assert [] == closed

        with pytest.raises(OSError, match="cannot close"):
            asyncio.run(run())
        assert ["second", "first"] == closed


class TestSigterm:
    """
    For real: uvicorn stopped with SIGTERM, as a service manager stops it.
    """

    def test_a_server_stopped_with_sigterm_leaves_a_clean_log(
        self, tmp_path: Path
    ) -> None:
        """
        Every decision answered is in the log; the server exits after its
        shutdown; the WAL is checkpointed (no -wal or -shm file left)
        and the database opens cleanly, still in WAL mode.
        """
        audit = tmp_path / "audit.sqlite3"
        config = tmp_path / "service.toml"
        config.write_text(
            f"[cds]\nauth = false\naudit_db = {str(audit)!r}\n",
            encoding="utf-8",
        )
        lines: list[str] = []
        codes: list[int] = []
        statuses = []

        with running_server(
            "--config",
            str(config),
            lines=lines,
            stop=signal.SIGTERM,
            exit_codes=codes,
        ) as url:
            with httpx.Client(base_url=url) as http:
                for number in range(12):
                    response = http.post(
                        "/assess",
                        json={
                            "schema_version": "1",
                            "pain_score": number % 11,
                        },
                    )
                    statuses.append(response.status_code)
            wal_while_running = Path(f"{audit}-wal").exists()

        assert [200] * 12 == statuses
        # uvicorn shuts down cleanly, then re-raises the signal it caught
        # (since 0.29), so the exit is by SIGTERM; older ones exit 0.
        assert codes in ([-signal.SIGTERM], [0])
        assert any("Application shutdown complete" in line for line in lines)
        assert wal_while_running
        assert not Path(f"{audit}-wal").exists()
        assert not Path(f"{audit}-shm").exists()
        db = sqlite3.connect(audit)
        try:
            assert "ok" == db.execute("PRAGMA integrity_check").fetchone()[0]
            assert "wal" == db.execute("PRAGMA journal_mode").fetchone()[0]
            assert (
                12 == db.execute("SELECT count(*) FROM decision").fetchone()[0]
            )
        finally:
            db.close()

    def test_a_stalled_client_cannot_hold_the_stop_up(
        self, tmp_path: Path
    ) -> None:
        """
        A client that sent half of its request and went silent: SIGTERM
        still stops the server after ``shutdown_seconds`` (its request is
        cancelled, no decision made), the log closed and sound. Without
        the limit uvicorn waits for that request for ever.
        """
        audit = tmp_path / "audit.sqlite3"
        config = tmp_path / "service.toml"
        config.write_text(
            "shutdown_seconds = 1\n"
            f"[cds]\nauth = false\naudit_db = {str(audit)!r}\n",
            encoding="utf-8",
        )
        lines: list[str] = []
        codes: list[int] = []

        with running_server(
            "--config",
            str(config),
            lines=lines,
            stop=signal.SIGTERM,
            exit_codes=codes,
        ) as url:
            answered = httpx.post(
                f"{url}/assess", json={"schema_version": "1"}
            ).status_code
            host, port = httpx.URL(url).host, httpx.URL(url).port
            assert port is not None
            stalled = socket.create_connection((host, port))
            stalled.sendall(
                b"POST /assess HTTP/1.1\r\nHost: x\r\n"
                b"Content-Type: application/json\r\n"
                b'Content-Length: 100\r\n\r\n{"schema_'
            )
            # The request has begun: the server waits for the rest.
            time.sleep(0.5)
            stopping = time.monotonic()
        stopped = time.monotonic() - stopping
        stalled.close()

        assert 200 == answered
        assert stopped < _STOP_WITHIN_SECONDS
        assert codes in ([-signal.SIGTERM], [0])
        assert any("graceful shutdown exceeded" in line for line in lines)
        assert any("Application shutdown complete" in line for line in lines)
        db = sqlite3.connect(audit)
        try:
            assert "ok" == db.execute("PRAGMA integrity_check").fetchone()[0]
            assert (
                1 == db.execute("SELECT count(*) FROM decision").fetchone()[0]
            )
        finally:
            db.close()


class TestKeepAlive:
    """
    The server keeps an idle connection open longer than its callers do,
    so that it never closes one as a client reuses it (the client's
    request would be reset: the load benchmark's dropped connections).
    """

    def test_the_default_outlasts_the_callers_idle_timeouts(self) -> None:
        """
        Longer than httpx's (5 s, uvicorn's own default too: the two
        raced) and than a proxy's or load balancer's usual 60 s.
        """
        httpx_idle = httpx.Limits().keepalive_expiry
        assert httpx_idle is not None

        assert ServiceConfig().keep_alive_seconds > max(httpx_idle, 60)

    def test_uvicorn_keeps_a_connection_for_the_time_set(
        self, tmp_path: Path
    ) -> None:
        """
        With ``keep_alive_seconds = 3`` a connection idle for 1 s serves
        the next request, and the server closes it after 3 s idle (not
        uvicorn's default 5 s).
        """
        config = tmp_path / "service.toml"
        config.write_text(
            "keep_alive_seconds = 3\n"
            f"[cds]\nauth = false\naudit_db = {str(tmp_path / 'a.db')!r}\n",
            encoding="utf-8",
        )
        request = b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n"

        with running_server("--config", str(config)) as url:
            host, port = httpx.URL(url).host, httpx.URL(url).port
            assert port is not None
            with socket.create_connection((host, port), timeout=10) as conn:
                conn.sendall(request)
                first = _response(conn)
                time.sleep(1)
                conn.sendall(request)
                second = _response(conn)
                idle = time.monotonic()
                end = conn.recv(1)  # blocks until the server closes
                closed_after = time.monotonic() - idle

        assert first.startswith(b"HTTP/1.1 200")
        assert second.startswith(b"HTTP/1.1 200")
        assert b"" == end
        assert 2.5 < closed_after < 4.5  # 3 s, give or take


def _response(conn: socket.socket) -> bytes:
    """
    One whole response read from *conn* (headers and Content-Length body).
    """
    data = b""
    while b"\r\n\r\n" not in data:
        data += conn.recv(65536)
    head, _, body = data.partition(b"\r\n\r\n")
    length = next(
        int(line.split(b":", 1)[1])
        for line in head.lower().split(b"\r\n")
        if line.startswith(b"content-length:")
    )
    while len(body) < length:
        body += conn.recv(65536)
    return data
