# SPDX-License-Identifier: MIT
"""
The decision audit log: every decision, and the feedback on its cards.

A decision records when, which request, which hook or endpoint, the rule
set (id, version, digest), the level, the fired rule ids and a SHA-256
hash of the input (the answers themselves only when configured).
Card feedback joins its decision through the card's uuid.

The store is behind a small interface (:class:`AuditStore`), so that
another database can be added; the default is SQLite through the standard
library, in WAL mode with ``synchronous=FULL``: a decision is on disk
before the request that made it is answered.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import json
import queue
import sqlite3
import threading
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol

import attrs

__all__ = [
    "AuditStore",
    "Decision",
    "FeedbackRecord",
    "GroupCommit",
    "SQLiteAuditStore",
    "input_hash",
    "utc_now",
    "utc_text",
]


def utc_now() -> str:
    """
    Now, as the audit log writes times: RFC 3339 UTC with microseconds.

    .. versionadded:: 0.1.0
    """
    return utc_text(dt.datetime.now(dt.UTC))


def utc_text(moment: dt.datetime) -> str:
    """
    *moment* (naive means UTC) as the audit log writes times, such as
    ``2026-12-01T09:00:00.000000Z``; such texts sort in time order.

    >>> utc_text(dt.datetime(2026, 12, 1, 10, tzinfo=dt.timezone(dt.timedelta(hours=1))))
    '2026-12-01T09:00:00.000000Z'

    .. versionadded:: 0.1.0
    """
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    moment = moment.astimezone(dt.UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def input_hash(document: Mapping[str, Any]) -> str:
    """
    The SHA-256 of *document* as canonical JSON (sorted keys, no spaces).

    >>> input_hash({"b": 1, "a": None})[:12]
    'c0bf82ad036c'

    .. versionadded:: 0.1.0
    """
    text = json.dumps(
        document, sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@attrs.frozen(kw_only=True)
class Decision:
    """
    One decision, as the audit log keeps it.

    Attributes:
        id: The decision's id (a uuid).
        time: When, as an RFC 3339 UTC timestamp.
        request_id: The request's id (the hook instance, or the
            ``X-Request-ID`` the service gave the request).
        endpoint: The hook or endpoint, such as ``patient-view``.
        rule_set_id: The rule set's id.
        rule_set_version: Its version.
        rule_set_digest: Its digest.
        level: The level decided (an :class:`~spasmcare.Urgency` value),
            or ``not-assessed`` when the data could not be read.
        fired: The ids of the rules that fired.
        input_hash: SHA-256 of the input (:func:`input_hash`).
        answers: The input itself, only when configured.
        cards: The uuids of the cards (and suggestions) sent.

    .. versionadded:: 0.1.0
    """

    id: str
    time: str
    request_id: str
    endpoint: str
    rule_set_id: str
    rule_set_version: str
    rule_set_digest: str
    level: str
    fired: tuple[str, ...]
    input_hash: str
    answers: Mapping[str, Any] | None = None
    cards: tuple[str, ...] = ()


@attrs.frozen(kw_only=True)
class FeedbackRecord:
    """
    What a clinician did with a card.

    Attributes:
        card: The card's uuid.
        outcome: ``accepted`` or ``overridden``.
        outcome_timestamp: When, as sent.
        received: When the service received it.
        service: The service the feedback was sent to.
        accepted_suggestions: The uuids of the suggestions accepted.
        override_code: The override reason's code, if given.
        override_system: Its system, if given.
        user_comment: The clinician's comment (only when configured).

    .. versionadded:: 0.1.0
    """

    card: str
    outcome: str
    outcome_timestamp: str
    received: str
    service: str
    accepted_suggestions: tuple[str, ...] = ()
    override_code: str | None = None
    override_system: str | None = None
    user_comment: str | None = None


class AuditStore(Protocol):
    """
    Where decisions and feedback are kept.

    .. versionadded:: 0.1.0
    """

    def record(self, decisions: Sequence[Decision]) -> None:
        """
        Keep *decisions*, durably, before returning.
        """

    def record_feedback(self, feedback: Sequence[FeedbackRecord]) -> int:
        """
        Keep *feedback*; an entry sent before is kept once.
        Returns how many entries were new.
        """

    def export(self, *, since: str | None = None) -> Iterator[dict[str, Any]]:
        """
        Every decision from *since* on (RFC 3339 UTC), oldest first, with
        its feedback.
        """

    def close(self) -> None:
        """
        Release the store.
        """


_SCHEMA = """
CREATE TABLE IF NOT EXISTS decision (
    id TEXT PRIMARY KEY,
    time TEXT NOT NULL,
    request_id TEXT NOT NULL,
    endpoint TEXT NOT NULL,
    rule_set_id TEXT NOT NULL,
    rule_set_version TEXT NOT NULL,
    rule_set_digest TEXT NOT NULL,
    level TEXT NOT NULL,
    fired TEXT NOT NULL,
    input_hash TEXT NOT NULL,
    answers TEXT
);
CREATE INDEX IF NOT EXISTS decision_time ON decision (time);
CREATE TABLE IF NOT EXISTS card (
    uuid TEXT PRIMARY KEY,
    decision_id TEXT NOT NULL REFERENCES decision (id)
);
CREATE TABLE IF NOT EXISTS feedback (
    card TEXT NOT NULL,
    outcome TEXT NOT NULL,
    outcome_timestamp TEXT NOT NULL,
    received TEXT NOT NULL,
    service TEXT NOT NULL,
    accepted_suggestions TEXT NOT NULL,
    override_code TEXT,
    override_system TEXT,
    user_comment TEXT,
    PRIMARY KEY (card, outcome, outcome_timestamp)
);
"""


class SQLiteAuditStore:
    """
    The audit log in an SQLite file (WAL, ``synchronous=FULL``).

    Safe to share between threads: writes are serialised.

    Args:
        path: The database file; created with its tables if missing.
        readonly: Open an existing file for reading only (for exports).

    Raises:
        FileNotFoundError: *readonly* and the file does not exist.

    .. versionadded:: 0.1.0
    """

    def __init__(self, path: str | Path, *, readonly: bool = False) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        if readonly:
            if not self.path.is_file():
                raise FileNotFoundError(str(self.path))
            self._db = sqlite3.connect(
                f"{self.path.resolve().as_uri()}?mode=ro",
                uri=True,
                check_same_thread=False,
                isolation_level=None,
            )
            return
        self._db = sqlite3.connect(
            self.path, check_same_thread=False, isolation_level=None
        )
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.execute("PRAGMA foreign_keys=ON")
        self._db.executescript(_SCHEMA)

    def record(self, decisions: Sequence[Decision]) -> None:
        """
        Keep *decisions* in one transaction, committed before returning.
        """
        rows = [
            (
                d.id,
                d.time,
                d.request_id,
                d.endpoint,
                d.rule_set_id,
                d.rule_set_version,
                d.rule_set_digest,
                d.level,
                json.dumps(list(d.fired)),
                d.input_hash,
                None
                if d.answers is None
                else json.dumps(d.answers, sort_keys=True),
            )
            for d in decisions
        ]
        cards = [(card, d.id) for d in decisions for card in d.cards]
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                self._db.executemany(
                    "INSERT INTO decision VALUES (?,?,?,?,?,?,?,?,?,?,?)", rows
                )
                self._db.executemany("INSERT INTO card VALUES (?,?)", cards)
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def record_feedback(self, feedback: Sequence[FeedbackRecord]) -> int:
        """
        Keep *feedback*; an entry for the same card, outcome and time is
        kept once, however often it is sent. Returns how many were new.
        """
        rows = [
            (
                f.card,
                f.outcome,
                f.outcome_timestamp,
                f.received,
                f.service,
                json.dumps(list(f.accepted_suggestions)),
                f.override_code,
                f.override_system,
                f.user_comment,
            )
            for f in feedback
        ]
        with self._lock:
            before = self._db.total_changes
            self._db.execute("BEGIN IMMEDIATE")
            self._db.executemany(
                "INSERT OR IGNORE INTO feedback VALUES (?,?,?,?,?,?,?,?,?)",
                rows,
            )
            self._db.execute("COMMIT")
            return self._db.total_changes - before

    def export(self, *, since: str | None = None) -> Iterator[dict[str, Any]]:
        """
        Every decision from *since* on, oldest first, with its cards and
        the feedback on them.
        """
        with self._lock:
            decisions = self._db.execute(
                "SELECT * FROM decision WHERE time >= ? ORDER BY time, id",
                (since or "",),
            ).fetchall()
            columns = [
                c[0]
                for c in self._db.execute(
                    "SELECT * FROM decision LIMIT 0"
                ).description
            ]
            cards = self._db.execute(
                "SELECT uuid, decision_id FROM card"
            ).fetchall()
            feedback = self._db.execute(
                "SELECT * FROM feedback ORDER BY received, card"
            ).fetchall()
            feedback_columns = [
                c[0]
                for c in self._db.execute(
                    "SELECT * FROM feedback LIMIT 0"
                ).description
            ]
        by_decision: dict[str, list[str]] = {}
        for uuid, decision_id in cards:
            by_decision.setdefault(decision_id, []).append(uuid)
        by_card: dict[str, list[dict[str, Any]]] = {}
        for row in feedback:
            entry = dict(zip(feedback_columns, row, strict=True))
            entry["accepted_suggestions"] = json.loads(
                entry["accepted_suggestions"]
            )
            by_card.setdefault(entry["card"], []).append(
                {k: v for k, v in entry.items() if v is not None}
            )
        for row in decisions:
            record = dict(zip(columns, row, strict=True))
            record["fired"] = json.loads(record["fired"])
            if record["answers"] is None:
                del record["answers"]
            else:
                record["answers"] = json.loads(record["answers"])
            uuids = sorted(by_decision.get(record["id"], []))
            record["cards"] = uuids
            record["feedback"] = [
                f for uuid in uuids for f in by_card.get(uuid, [])
            ]
            yield record

    def integrity(self) -> str:
        """
        SQLite's ``PRAGMA integrity_check`` result (``"ok"`` when sound).
        """
        with self._lock:
            row = self._db.execute("PRAGMA integrity_check").fetchone()
        return str(row[0])

    def close(self) -> None:
        """
        Close the database.
        """
        with self._lock:
            self._db.close()


class GroupCommit:
    """
    Durable audit writes for an async service, many at one fsync.

    Each request hands its decision over and waits; one writer thread
    commits every decision waiting at that moment in one transaction
    (one fsync for many requests under load), then lets each request go
    on. A request is answered only after its decision is on disk.

    Args:
        store: The store to write to.

    .. versionadded:: 0.1.0
    """

    def __init__(self, store: AuditStore) -> None:
        self._store = store
        self._queue: queue.SimpleQueue[_Waiting | None] = queue.SimpleQueue()
        self._closing = threading.Event()
        self._writer = threading.Thread(
            target=self._run, name="spasmcare-audit", daemon=True
        )
        self._writer.start()

    async def record(self, decision: Decision) -> None:
        """
        Keep *decision*; return once it is committed.

        Raises:
            Exception: Whatever the store raised for the batch.
        """
        loop = asyncio.get_running_loop()
        done: asyncio.Future[None] = loop.create_future()
        self._queue.put((decision, loop, done))
        await done

    def close(self) -> None:
        """
        Commit every decision handed over so far, then stop the writer
        thread (blocks until it has).
        """
        self._closing.set()
        self._queue.put(None)  # wakes the writer
        self._writer.join()

    def _run(self) -> None:
        while True:
            taken = [self._queue.get()]
            while not self._queue.empty():
                taken.append(self._queue.get())
            batch = [waiting for waiting in taken if waiting is not None]
            if batch:
                self._commit(batch)
            if self._closing.is_set() and self._queue.empty():
                return

    def _commit(self, batch: list[_Waiting]) -> None:
        error: BaseException | None = None
        try:
            self._store.record([decision for decision, _, _ in batch])
        except Exception as problem:  # noqa: BLE001 (handed to each waiter)
            error = problem
        for _, loop, done in batch:
            loop.call_soon_threadsafe(_settle, done, error)


_Waiting = tuple[Decision, "asyncio.AbstractEventLoop", "asyncio.Future[None]"]


def _settle(done: asyncio.Future[None], error: BaseException | None) -> None:
    if done.cancelled():  # pragma: no cover (a client gone mid-commit)
        return
    if error is None:
        done.set_result(None)
    else:
        done.set_exception(error)
