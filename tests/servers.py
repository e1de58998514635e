# SPDX-License-Identifier: MIT
"""
Start ``spasmcare serve`` with uvicorn in a subprocess on 127.0.0.1.

The server asks for any free port (``--port 0``) and the port it got is
read from uvicorn's start-up line, so parallel runs never collide. Under
``coverage run`` the server runs under coverage too (the data files are
combined with the others), so the code that only the server runs counts
toward the coverage gate honestly.
"""

from __future__ import annotations

import re
import signal
import subprocess
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from .subprocesses import python

_ROOT = Path(__file__).resolve().parent.parent
_STARTED = re.compile(r"Uvicorn running on http://(127\.[\d.]+):(\d+)")
_START_SECONDS = 30.0
_STOP_SECONDS = 15.0


def _command(arguments: Sequence[str]) -> list[str]:
    return [*python(), "-m", "spasmcare", "serve", *arguments]


@contextmanager
def running_server(
    *arguments: str,
    lines: list[str] | None = None,
    stop: signal.Signals = signal.SIGINT,
    exit_codes: list[int] | None = None,
) -> Iterator[str]:
    """
    Run ``spasmcare serve --host 127.0.0.1 --port 0 *arguments*`` (a
    ``--host`` in *arguments* wins, as long as it is in 127.0.0.0/8).

    The server's log lines (standard error) are appended to *lines* as
    they come, when it is given. It is stopped with *stop* (uvicorn stops
    cleanly on SIGINT and SIGTERM), and its exit status is appended to
    *exit_codes*, when it is given.

    Yields:
        The base URL, such as ``http://127.0.0.1:41234``.
    """
    process = subprocess.Popen(  # noqa: S603 (our own interpreter)
        _command(["--host", "127.0.0.1", "--port", "0", *arguments]),
        cwd=_ROOT,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    reader: list[threading.Thread] = []
    try:
        yield _wait_for_start(process, reader, [] if lines is None else lines)
    finally:
        process.send_signal(stop)  # a clean stop writes coverage
        try:
            process.wait(_STOP_SECONDS)
        except subprocess.TimeoutExpired:  # pragma: no cover (a hung server)
            process.kill()
            process.wait()
        if exit_codes is not None:
            exit_codes.append(process.returncode)
        for thread in reader:
            thread.join(_STOP_SECONDS)
        assert process.stderr is not None
        process.stderr.close()


def _wait_for_start(
    process: subprocess.Popen[str],
    threads: list[threading.Thread],
    seen: list[str],
) -> str:
    found: list[str] = []

    def read() -> None:
        assert process.stderr is not None
        for line in process.stderr:
            seen.append(line)
            match = _STARTED.search(line)
            if match and not found:
                found.append(f"http://{match.group(1)}:{match.group(2)}")
        # Keep draining to the end so the server never blocks on stderr.

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    threads.append(reader)
    waited = 0.0
    while not found and waited < _START_SECONDS:
        if process.poll() is not None:
            break
        reader.join(0.05)
        waited += 0.05
    if not found:
        process.kill()
        process.wait()
        reader.join(_STOP_SECONDS)
        message = "the server did not start:\n" + "".join(seen)
        raise RuntimeError(message)
    return found[0]
