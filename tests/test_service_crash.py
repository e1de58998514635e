# SPDX-License-Identifier: MIT
"""
The audit log survives a crash: kill -9 the server in the middle of a
stream of requests; every request that got a 200 is in the log, and the
database opens cleanly (slow: ``pytest -m slow``).
"""

from __future__ import annotations

import json
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import httpx
import pytest

from spasmcare import dump_assessment

from .vignettes import plain_strain, with_present

pytestmark = pytest.mark.slow

_STARTED = re.compile(r"Uvicorn running on http://127\.0\.0\.1:(\d+)")
WORKERS = 4
BEFORE_KILL = 120


class Server:
    """
    A server process, its URL and the thread draining its log.
    """

    def __init__(
        self, process: subprocess.Popen[str], url: str, drain: threading.Thread
    ) -> None:
        self.process = process
        self.url = url
        self.drain = drain

    def stop(self, sig: int) -> None:
        """
        Send *sig*, wait for the process, close its log.
        """
        self.process.send_signal(sig)
        self.process.wait(15)
        self.drain.join(15)
        assert self.process.stderr is not None
        self.process.stderr.close()


def start(config: Path) -> Server:
    """
    Start the server (not under coverage: it is killed, so it could not
    write its data anyway).
    """
    process = subprocess.Popen(  # noqa: S603 (our own interpreter)
        [
            sys.executable,
            "-m",
            "spasmcare",
            "serve",
            "--port",
            "0",
            "--config",
            str(config),
        ],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stderr is not None
    for line in process.stderr:
        match = _STARTED.search(line)
        if match:
            drain = threading.Thread(target=process.stderr.read, daemon=True)
            drain.start()
            return Server(process, f"http://127.0.0.1:{match.group(1)}", drain)
    process.wait(15)
    process.stderr.close()
    raise RuntimeError("the server did not start")


def stream(url: str, answered: list[str], stop: threading.Event) -> None:
    """
    Send /assess calls until the server dies, noting each 200's id.
    """
    body = json.dumps(dump_assessment(with_present(plain_strain(), "fever")))
    with httpx.Client(base_url=url, timeout=5) as http:
        while not stop.is_set():
            request_id = str(uuid.uuid4())
            try:
                response = http.post(
                    "/assess",
                    content=body,
                    headers={
                        "X-Request-ID": request_id,
                        "Content-Type": "application/json",
                    },
                )
            except httpx.HTTPError:
                return  # the server is gone
            if response.status_code == 200:
                answered.append(request_id)


class TestCrash:
    """
    Durability under kill -9 (WAL, synchronous=FULL, commit before 200).
    """

    @pytest.mark.parametrize("round_", [1, 2])
    def test_every_200_is_in_the_log_after_kill_9(
        self, tmp_path_factory: pytest.TempPathFactory, round_: int
    ) -> None:
        """
        Kill the server while four clients stream requests; restart it on
        the same file. Every id that got a 200 is a decision, the file
        passes SQLite's integrity check, and the restarted server serves.
        """
        root = tmp_path_factory.getbasetemp() / "crash"
        root.mkdir(exist_ok=True)
        audit = root / "audit.sqlite3"
        config = root / "service.toml"
        config.write_text(
            f"[cds]\nauth = false\naudit_db = {json.dumps(str(audit))}\n"
        )
        server = start(config)
        answered: list[str] = []
        stop = threading.Event()
        workers = [
            threading.Thread(target=stream, args=(server.url, answered, stop))
            for _ in range(WORKERS)
        ]
        for worker in workers:
            worker.start()
        deadline = time.monotonic() + 60
        while (
            len(answered) < BEFORE_KILL * round_
            and time.monotonic() < deadline
        ):
            time.sleep(0.01)
        server.stop(signal.SIGKILL)  # kill -9, mid-stream
        stop.set()
        for worker in workers:
            worker.join(10)

        db = sqlite3.connect(audit)
        try:
            assert "ok" == db.execute("PRAGMA integrity_check").fetchone()[0]
            logged = {
                row[0] for row in db.execute("SELECT request_id FROM decision")
            }
        finally:
            db.close()
        assert len(answered) >= BEFORE_KILL
        assert set() == set(answered) - logged
        again = start(config)
        try:
            assert (
                200 == httpx.get(f"{again.url}/health", timeout=5).status_code
            )
        finally:
            again.stop(signal.SIGINT)
