# SPDX-License-Identifier: MIT
"""
The decision audit log (SQLite in a real file) and
``spasmcare audit export``.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import json
import sqlite3
from pathlib import Path

import pytest

from spasmcare.cli import main
from spasmcare.service._audit import (
    Decision,
    FeedbackRecord,
    GroupCommit,
    SQLiteAuditStore,
    input_hash,
    utc_now,
    utc_text,
)
from spasmcare.service._export import export_audit, parse_since


def decision(number: int, *, time: str, answers: bool = False) -> Decision:
    """
    A decision numbered *number* at *time*, with two card uuids.
    """
    return Decision(
        id=f"d{number}",
        time=time,
        request_id=f"r{number}",
        endpoint="patient-view",
        rule_set_id="spasmcare-default",
        rule_set_version="1",
        rule_set_digest="abc",
        level="emergency",
        fired=("cauda_equina",),
        input_hash=input_hash({"n": number}),
        answers={"saddle_numbness": "present"} if answers else None,
        cards=(f"card-{number}", f"suggestion-{number}"),
    )


def feedback(card: str, *, outcome: str = "accepted") -> FeedbackRecord:
    """
    Feedback on *card*.
    """
    return FeedbackRecord(
        card=card,
        outcome=outcome,
        outcome_timestamp="2026-12-03T10:00:00Z",
        received=utc_now(),
        service="spasmcare",
        accepted_suggestions=("suggestion-1",)
        if outcome == "accepted"
        else (),
        override_code=None if outcome == "accepted" else "patient-declined",
    )


@pytest.fixture
def store(tmp_path: Path) -> SQLiteAuditStore:
    """
    A fresh audit log in a real file.
    """
    return SQLiteAuditStore(tmp_path / "audit.sqlite3")


class TestStore:
    """
    Decisions and feedback are kept durably and joined.
    """

    def test_database_is_wal_with_full_sync(
        self, store: SQLiteAuditStore
    ) -> None:
        """
        WAL journal; synchronous=FULL (2) on the store's connection.
        """
        db = sqlite3.connect(store.path)

        assert "wal" == db.execute("PRAGMA journal_mode").fetchone()[0]
        assert 2 == store._db.execute("PRAGMA synchronous").fetchone()[0]
        assert "ok" == store.integrity()

    def test_feedback_joins_its_decision_and_is_idempotent(
        self, store: SQLiteAuditStore
    ) -> None:
        """
        Feedback sent twice is kept once, under the decision whose card
        it names; answers are kept only when given.
        """
        store.record(
            [decision(1, time="2026-12-03T09:00:00.000000Z", answers=True)]
        )
        store.record([decision(2, time="2026-12-03T09:30:00.000000Z")])

        first = store.record_feedback([feedback("card-1")])
        again = store.record_feedback([feedback("card-1")])
        other = store.record_feedback(
            [feedback("card-2", outcome="overridden")]
        )
        one, two = store.export()

        assert (1, 0, 1) == (first, again, other)
        assert ["card-1", "suggestion-1"] == one["cards"]
        assert ["accepted"] == [f["outcome"] for f in one["feedback"]]
        assert ["suggestion-1"] == one["feedback"][0]["accepted_suggestions"]
        assert {"saddle_numbness": "present"} == one["answers"]
        assert "answers" not in two
        assert "patient-declined" == two["feedback"][0]["override_code"]
        assert ["cauda_equina"] == two["fired"]

    def test_since_keeps_later_decisions(
        self, store: SQLiteAuditStore
    ) -> None:
        """
        Only decisions at or after *since* are exported, oldest first.
        """
        store.record(
            [
                decision(2, time="2026-12-02T00:00:00.000000Z"),
                decision(1, time="2026-12-01T00:00:00.000000Z"),
                decision(3, time="2026-12-03T00:00:00.000000Z"),
            ]
        )

        ids = [
            r["id"] for r in store.export(since="2026-12-02T00:00:00.000000Z")
        ]

        assert ["d2", "d3"] == ids
        assert ["d1", "d2", "d3"] == [r["id"] for r in store.export()]

    def test_a_failed_write_keeps_nothing(
        self, store: SQLiteAuditStore
    ) -> None:
        """
        A batch with a duplicate id is rolled back whole.
        """
        store.record([decision(1, time="2026-12-01T00:00:00.000000Z")])

        with pytest.raises(sqlite3.IntegrityError):
            store.record(
                [
                    decision(2, time="2026-12-01T00:00:00.000000Z"),
                    decision(1, time="2026-12-01T00:00:00.000000Z"),
                ]
            )

        assert ["d1"] == [r["id"] for r in store.export()]

    def test_reopening_keeps_everything(self, tmp_path: Path) -> None:
        """
        A closed store reopens with its decisions; a read-only store
        reads them too.
        """
        path = tmp_path / "audit.sqlite3"
        first = SQLiteAuditStore(path)
        first.record([decision(1, time=utc_now())])
        first.close()

        reader = SQLiteAuditStore(path, readonly=True)

        assert ["d1"] == [r["id"] for r in reader.export()]
        reader.close()

    def test_readonly_store_needs_a_file(self, tmp_path: Path) -> None:
        """
        Reading a log that does not exist fails, and creates nothing.
        """
        with pytest.raises(FileNotFoundError):
            SQLiteAuditStore(tmp_path / "none.sqlite3", readonly=True)

        assert not (tmp_path / "none.sqlite3").exists()


class TestTimes:
    """
    Times are RFC 3339 UTC texts that sort in time order.
    """

    def test_offsets_become_utc(self) -> None:
        """
        10:00+01:00 is 09:00Z; a naive time is UTC.
        """
        plus_one = dt.timezone(dt.timedelta(hours=1))

        assert "2026-12-01T09:00:00.000000Z" == utc_text(
            dt.datetime(2026, 12, 1, 10, tzinfo=plus_one)
        )
        assert "2026-12-01T10:00:00.000000Z" == utc_text(
            dt.datetime(2026, 12, 1, 10)  # noqa: DTZ001 (naive on purpose)
        )
        assert utc_now().endswith("Z")

    def test_since_accepts_dates_and_times(self) -> None:
        """
        A date is its midnight; Z and offsets are understood.
        """
        assert "2026-12-01T00:00:00.000000Z" == parse_since("2026-12-01")
        assert "2026-12-01T08:00:00.000000Z" == parse_since(
            "2026-12-01T09:00:00+01:00"
        )
        assert "2026-12-01T09:00:00.000000Z" == parse_since(
            "2026-12-01T09:00:00Z"
        )


class TestExportCommand:
    """
    ``spasmcare audit export [--since]`` writes JSON lines.
    """

    def test_export_writes_one_json_object_a_line(
        self,
        store: SQLiteAuditStore,
        capsys: pytest.CaptureFixture[str],
    ) -> None:
        """
        Each decision is one line of JSON; --since filters.
        """
        store.record(
            [
                decision(1, time="2026-12-01T00:00:00.000000Z"),
                decision(2, time="2026-12-03T00:00:00.000000Z"),
            ]
        )

        status = main(["audit", "export", "--db", str(store.path)])
        everything = capsys.readouterr().out.splitlines()
        later = main(
            [
                "audit",
                "export",
                "--db",
                str(store.path),
                "--since",
                "2026-12-02",
            ]
        )
        some = capsys.readouterr().out.splitlines()

        assert (0, 0) == (status, later)
        assert ["d1", "d2"] == [json.loads(line)["id"] for line in everything]
        assert ["d2"] == [json.loads(line)["id"] for line in some]

    def test_bad_since_exits_65(
        self, store: SQLiteAuditStore, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """
        --since must be a date or time.
        """
        status = main(
            [
                "audit",
                "export",
                "--db",
                str(store.path),
                "--since",
                "last week",
            ]
        )

        assert 65 == status
        assert "--since 'last week'" in capsys.readouterr().err

    def test_missing_log_exits_66(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """
        A log that does not exist.
        """
        status = main(["audit", "export", "--db", str(tmp_path / "x.sqlite3")])

        assert 66 == status
        assert "no such audit log" in capsys.readouterr().err

    def test_a_file_that_is_not_a_database_exits_66(
        self, tmp_path: Path
    ) -> None:
        """
        A file that is not SQLite.
        """
        path = tmp_path / "not.sqlite3"
        path.write_text("hello, this is not a database at all" * 40)
        errors: list[str] = []

        status = export_audit(path, None, io.StringIO(), errors.append)

        assert 66 == status
        assert "cannot read the audit log" in errors[0]


class TestGroupCommit:
    """
    Many waiting decisions, one transaction; failures reach each waiter.
    """

    def test_concurrent_decisions_are_all_committed(
        self, store: SQLiteAuditStore
    ) -> None:
        """
        Fifty decisions recorded at once are all in the log when their
        awaits return.
        """
        writer = GroupCommit(store)

        async def many() -> None:
            await asyncio.gather(
                *(
                    writer.record(decision(n, time=utc_now()))
                    for n in range(50)
                )
            )

        asyncio.run(many())

        assert 50 == len(list(store.export()))

    def test_a_failed_batch_fails_its_waiters(
        self, store: SQLiteAuditStore
    ) -> None:
        """
        A decision that cannot be written raises in the request that
        waits for it.
        """
        writer = GroupCommit(store)
        store.record([decision(1, time=utc_now())])

        with pytest.raises(sqlite3.IntegrityError):
            asyncio.run(writer.record(decision(1, time=utc_now())))
