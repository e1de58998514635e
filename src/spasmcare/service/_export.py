# SPDX-License-Identifier: MIT
"""
``spasmcare audit export``: the audit log as JSON lines.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from ._audit import SQLiteAuditStore, utc_text

__all__ = ["export_audit", "parse_since"]

_EXIT_OK = 0
_EXIT_DATA_ERROR = 65
_EXIT_NO_INPUT = 66


def parse_since(text: str) -> str:
    """
    An ISO 8601 date or date-time as the audit log writes times.

    A date means its midnight; no offset means UTC.

    Raises:
        ValueError: *text* is not an ISO 8601 date or date-time.

    >>> parse_since("2026-12-01")
    '2026-12-01T00:00:00.000000Z'
    """
    moment = dt.datetime.fromisoformat(text.strip())
    return utc_text(moment)


def export_audit(
    path: Path,
    since: str | None,
    out: TextIO,
    error: Callable[..., None],
) -> int:
    """
    Write the decisions in the audit log *path* to *out*, one JSON object
    a line; return the exit status (0, 65 for a bad ``--since``,
    66 when the log cannot be read).
    """
    start = None
    if since is not None:
        try:
            start = parse_since(since)
        except ValueError:
            error(f"--since {since!r}: expected an ISO 8601 date or time")
            return _EXIT_DATA_ERROR
    try:
        store = SQLiteAuditStore(path, readonly=True)
    except FileNotFoundError:
        error(f"{path}: no such audit log")
        return _EXIT_NO_INPUT
    try:
        out.writelines(
            json.dumps(record, sort_keys=True) + "\n"
            for record in store.export(since=start)
        )
    except sqlite3.DatabaseError as problem:
        error(f"{path}: cannot read the audit log ({problem})")
        return _EXIT_NO_INPUT
    finally:
        store.close()
    return _EXIT_OK
