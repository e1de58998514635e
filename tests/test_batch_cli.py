# SPDX-License-Identifier: MIT
"""
``spasmcare batch IN OUT``: JSON lines, CSV and Parquet, streamed.
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
import pty
import subprocess
import sys
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from spasmcare import (
    Assessment,
    _batchcli,
    cli,
    dump_assessment,
    evaluate,
    load_assessment,
)
from spasmcare.cli import main
from spasmcare.rows import RESULT_COLUMNS

from .strategies import rows as table_rows
from .test_rows import expected_row

OUTPUT = ["id", "index", *(c.name for c in RESULT_COLUMNS)]
STRAIN = {
    "schema_version": "1",
    "answers": {"saddle_numbness": "absent"},
    "pain_score": 3,
}
CES = {"schema_version": "1", "answers": {"saddle_numbness": "present"}}


def batch(*args: str | Path) -> int:
    """
    Run ``spasmcare batch ARGS`` in this process; the exit status.
    """
    return main(["batch", *map(str, args)])


def write_jsonl(path: Path, lines: list[Any]) -> Path:
    """
    *lines* as JSON lines (strings are written as they are).
    """
    path.write_text(
        "".join(
            (line if isinstance(line, str) else json.dumps(line)) + "\n"
            for line in lines
        ),
        encoding="utf-8",
    )
    return path


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    """
    The objects of a JSON-lines file.
    """
    return [json.loads(line) for line in path.read_text().splitlines()]


def expected(
    assessment: Assessment, position: int, identifier: Any = None
) -> dict[str, Any]:
    """
    The output row for *assessment*.
    """
    return {
        "id": identifier,
        "index": position,
        **expected_row(evaluate(assessment)),
    }


class TestJsonLines:
    """
    Each line is an assessment document with an optional id.
    """

    def test_results_in_order_with_ids(self, tmp_path: Path) -> None:
        """
        One output line per record, in order, with its id and position;
        nothing rejected, exit status 0, an empty rejects file.
        """
        source = write_jsonl(
            tmp_path / "in.jsonl", [{**STRAIN, "id": "s1"}, CES]
        )

        status = batch(source, tmp_path / "out.jsonl")

        assert cli.EXIT_OK == status
        assert [
            expected(load_assessment(STRAIN), 0, "s1"),
            expected(load_assessment(CES), 1),
        ] == read_jsonl(tmp_path / "out.jsonl")
        assert "" == (tmp_path / "out.rejects.jsonl").read_text()

    def test_rejects_with_line_numbers(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """
        Bad records keep their place in OUT, with an error, and go to the
        rejects file with the line they are on; blank lines are skipped;
        the exit status says some were rejected.
        """
        source = write_jsonl(
            tmp_path / "in.jsonl",
            [
                CES,
                "",
                {**STRAIN, "pain_score": 11, "id": "bad"},
                "{not json",
                "[1, 2]",
                {**STRAIN, "id": ""},
                {**STRAIN, "id": 7},
            ],
        )

        status = batch(source, tmp_path / "out.jsonl")

        assert cli.EXIT_INCOMPLETE == status
        out = read_jsonl(tmp_path / "out.jsonl")
        assert [0, 1, 2, 3, 4, 5] == [row["index"] for row in out]
        assert ["emergency", None, None, None, None, "consultation"] == [
            row["level"] for row in out
        ]
        assert [None, "bad", None, None, None, 7] == [row["id"] for row in out]
        rejects = read_jsonl(tmp_path / "out.rejects.jsonl")
        assert [(1, 3, "bad"), (2, 4, None), (3, 5, None), (4, 6, None)] == [
            (r["index"], r["line"], r["id"]) for r in rejects
        ]
        problems = [
            [(p["path"], p["message"]) for p in r["error"]["problems"]]
            for r in rejects
        ]
        assert [
            ("$.pain_score", "must be from 0 to 10 points (0-10); got 11")
        ] == problems[0]
        assert problems[1][0][1].startswith("not valid JSON")
        assert "InvalidJSONError" == rejects[2]["error"]["type"]
        assert [
            (
                "$.id",
                'must be 1 to 256 characters, not all blank; got "" (a string)',
            )
        ] == problems[3]
        assert out[1]["error"] == "$.pain_score: " + problems[0][0][1]
        err = capsys.readouterr().err
        assert "scored 2 of 6 records; rejected 4 (see " in err
        assert "emergency                      1" in err

    def test_quiet(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """
        --quiet prints no summary.
        """
        source = write_jsonl(tmp_path / "in.jsonl", [CES])

        assert cli.EXIT_OK == batch(source, tmp_path / "o.jsonl", "-q")
        assert "" == capsys.readouterr().err


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    """
    A CSV file with *header* and *rows*.
    """
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(header)
        writer.writerows(rows)
    return path


class TestCsv:
    """
    One column per question; cells are text, empty is null.
    """

    def test_csv_to_csv(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """
        Booleans are written true/false, lists joined with ';', null as an
        empty cell; a misspelt column is pointed out.
        """
        source = write_csv(
            tmp_path / "in.csv",
            ["id", "saddle_numbness", "fevr", "age_years", "pain_score"],
            [["a", "present", "x", "47", ""], ["b", "maybe", "", "", "4"]],
        )

        status = batch(source, tmp_path / "out.csv")

        assert cli.EXIT_INCOMPLETE == status
        with (tmp_path / "out.csv").open(newline="") as file:
            out = list(csv.DictReader(file))
        assert OUTPUT == list(out[0])
        ces = expected_row(
            evaluate(
                Assessment.from_answers(
                    {"saddle_numbness": True}, age_years=47
                )
            )
        )
        assert "a" == out[0]["id"]
        assert "0" == out[0]["index"]
        assert ces["level"] == out[0]["level"]
        assert "true" == out[0]["referral_required"]
        assert "false" == out[0]["screening_complete"]
        assert ";".join(ces["unanswered"]) == out[0]["unanswered"]
        assert "cauda_equina" == out[0]["fired"]
        assert "" == out[0]["error"]
        assert "" == out[1]["level"]
        assert out[1]["error"].startswith("saddle_numbness='maybe'")
        assert "columns not read: fevr (did you mean fever?)" in (
            capsys.readouterr().err
        )

    def test_true_and_false_cells(self, tmp_path: Path) -> None:
        """
        true and false in an answer column are booleans (as the output
        writes them), so a CSV of true/false answers reads as the JSON
        would; elsewhere they are text, and an id is always text.
        """
        source = write_csv(
            tmp_path / "in.csv",
            ["id", "saddle_numbness", "fever", "note"],
            [["7", "true", "false", "true"], ["8", "True", "", ""]],
        )

        assert cli.EXIT_INCOMPLETE == batch(source, tmp_path / "out.jsonl")

        out = read_jsonl(tmp_path / "out.jsonl")
        assert (
            expected(
                Assessment.from_answers(
                    {"saddle_numbness": True, "fever": False}, id="7"
                ),
                0,
                "7",
            )
            == out[0]
        )
        assert out[1]["error"].startswith("saddle_numbness='True': must be")
        assert "8" == out[1]["id"]

    def test_line_numbers_follow_the_file(self, tmp_path: Path) -> None:
        """
        The rejects name the line a record starts on, counting the
        header, blank lines and cells that span lines.
        """
        source = tmp_path / "in.csv"
        source.write_text(
            'id,pain_score\n"two\nlines",3\n\nx,11\ny,1,2\n',
            encoding="utf-8",
        )

        assert cli.EXIT_INCOMPLETE == batch(source, tmp_path / "out.csv")

        rejects = read_jsonl(tmp_path / "out.rejects.jsonl")
        assert [(1, 5, "x"), (2, 6, None)] == [
            (r["index"], r["line"], r["id"]) for r in rejects
        ]
        assert "fields=3: the header has 2" == rejects[1]["error"]["message"]
        assert "fields" == rejects[1]["error"]["problems"][0]["path"]

    def test_not_utf8(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """
        A file that is not UTF-8 text is bad data (65), naming the line.
        """
        source = tmp_path / "in.csv"
        source.write_bytes(b"id,fever\n" + b"a,absent\n" * 3000 + b"b,\xff\n")

        assert cli.EXIT_DATA_ERROR == batch(source, tmp_path / "out.csv")
        assert "not a CSV file (near line" in capsys.readouterr().err

    def test_bad_header(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """
        A header that is not UTF-8 is bad data too.
        """
        source = tmp_path / "in.csv"
        source.write_bytes(b"\xff\xfe,id\n")

        assert cli.EXIT_DATA_ERROR == batch(source, tmp_path / "out.csv")
        assert "not a CSV file" in capsys.readouterr().err

    def test_empty_file(self, tmp_path: Path) -> None:
        """
        An empty file gives a header and nothing else.
        """
        source = tmp_path / "in.csv"
        source.write_text("")

        assert cli.EXIT_OK == batch(source, tmp_path / "out.csv")
        header = ",".join(OUTPUT) + "\r\n"
        assert header.encode() == (tmp_path / "out.csv").read_bytes()


def table(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """
    Rows with every key, for a Parquet file.
    """
    keys = sorted({key for row in rows for key in row})
    return [{key: row.get(key) for key in keys} for row in rows]


class TestParquet:
    """
    Parquet in and out, through pyarrow, a batch of rows at a time.
    """

    def test_typed_columns_and_id_type(self, tmp_path: Path) -> None:
        """
        Boolean and string answers, integer ids kept as integers, lists
        as lists, and the line null.
        """
        source = tmp_path / "in.parquet"
        pq.write_table(
            pa.table(
                {
                    "id": [10, 11, 12],
                    "saddle_numbness": [True, False, None],
                    "fever": ["absent", "absent", "yes"],
                    "pain_score": pa.array([3, None, 2], pa.int8()),
                }
            ),
            source,
        )

        status = batch(source, tmp_path / "out.parquet")

        assert cli.EXIT_INCOMPLETE == status
        out = pq.read_table(tmp_path / "out.parquet")
        assert OUTPUT == out.schema.names
        assert pa.int64() == out.schema.field("id").type
        assert pa.list_(pa.string()) == out.schema.field("fired").type
        rows = out.to_pylist()
        assert [10, 11, 12] == [row["id"] for row in rows]
        first = Assessment.from_answers(
            {"saddle_numbness": True, "fever": False}, pain_score=3
        )
        assert expected(first, 0, 10) == rows[0]
        assert rows[2]["error"].startswith("fever='yes'")
        rejects = read_jsonl(tmp_path / "out.rejects.jsonl")
        assert [(2, None, 12)] == [
            (r["index"], r["line"], r["id"]) for r in rejects
        ]

    def test_a_float_id_column(self, tmp_path: Path) -> None:
        """
        A float id column (as pandas writes integers with gaps): a whole
        float is that integer, as in the JSON, and the output's id column
        holds integers; a fraction is refused, naming the value.
        """
        source = tmp_path / "in.parquet"
        pq.write_table(
            pa.table({"id": [1.0, 2.5], "fever": ["present", "absent"]}),
            source,
        )

        status = batch(source, tmp_path / "out.parquet")

        assert cli.EXIT_INCOMPLETE == status
        out = pq.read_table(tmp_path / "out.parquet")
        assert pa.int64() == out.schema.field("id").type
        rows = out.to_pylist()
        fever = Assessment.from_answers({"fever": True})
        assert expected(fever, 0, 1) == rows[0]
        assert [1, None] == [row["id"] for row in rows]
        (reject,) = read_jsonl(tmp_path / "out.rejects.jsonl")
        assert (1, None) == (reject["index"], reject["id"])
        assert reject["error"]["message"].startswith("id=2.5: expected")

    def test_an_id_column_of_another_type(self, tmp_path: Path) -> None:
        """
        Ids of a type no id can have (true/false) are refused, and the
        output's id column is text, null for them.
        """
        source = tmp_path / "in.parquet"
        pq.write_table(pa.table({"id": [True], "fever": ["absent"]}), source)

        status = batch(source, tmp_path / "out.parquet", "-q")

        assert cli.EXIT_INCOMPLETE == status
        out = pq.read_table(tmp_path / "out.parquet")
        assert pa.string() == out.schema.field("id").type
        assert [None] == [row["id"] for row in out.to_pylist()]

    @settings(
        max_examples=25,
        suppress_health_check=[HealthCheck.function_scoped_fixture],
    )
    @given(st.lists(table_rows(), min_size=1, max_size=8))
    def test_same_as_evaluate(
        self, tmp_path: Path, cases: list[tuple[Assessment, dict[str, Any]]]
    ) -> None:
        """
        For generated records, each result row through Parquet is what
        evaluate() gives (property).
        """
        source = tmp_path / "gen.parquet"
        # The column no question reads is kept: a table of no columns
        # would have no rows.
        rows = [dict(row) for _, row in cases]
        for row in rows:  # one type per column: strings, or null
            for key, value in row.items():
                if isinstance(value, bool):
                    row[key] = "present" if value else "absent"
                elif isinstance(value, float) and math.isnan(value):
                    row[key] = None
        pq.write_table(pa.Table.from_pylist(table(rows)), source)

        assert batch(source, tmp_path / "gen.out.parquet", "-q") in {0, 1}

        out = pq.read_table(tmp_path / "gen.out.parquet").to_pylist()
        assert [
            expected(a, i, row.get("id"))
            for i, ((a, _), row) in enumerate(zip(cases, rows, strict=True))
        ] == out

    def test_without_input_columns(self, tmp_path: Path) -> None:
        """
        A file with no question columns is all unknown: never self-care.
        """
        source = tmp_path / "in.parquet"
        pq.write_table(pa.table({"other": [1, 2]}), source)

        assert cli.EXIT_OK == batch(source, tmp_path / "out.jsonl", "-q")

        out = read_jsonl(tmp_path / "out.jsonl")
        assert [expected(Assessment(), 0), expected(Assessment(), 1)] == out

    def test_not_parquet(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """
        A file that is not Parquet is bad data (65).
        """
        source = tmp_path / "in.parquet"
        source.write_text("id\n")

        assert cli.EXIT_DATA_ERROR == batch(source, tmp_path / "out.csv")
        assert "not a Parquet file" in capsys.readouterr().err

    def test_without_pyarrow(
        self,
        tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str],
    ) -> None:
        """
        Parquet without pyarrow is a usage error naming the extra, for
        input and for output.
        """
        source = write_jsonl(tmp_path / "in.jsonl", [CES])
        monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)

        assert cli.EXIT_USAGE == batch(source, tmp_path / "out.parquet")
        assert cli.EXIT_USAGE == batch(tmp_path / "x.parquet", source)
        err = capsys.readouterr().err
        assert 2 == err.count("pip install 'spasmcare[batch]'")


class TestStreams:
    """
    Standard input and output, for JSON lines and CSV.
    """

    def test_pipe(self) -> None:
        """
        - reads standard input and writes standard output; the rejects
        go to standard error when OUT is -; the exit status says so.
        """
        data = "id,pain_score\na,3\nb,12\n"

        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "spasmcare",
                "batch",
                "-",
                "-",
                "--from",
                "csv",
                "--to",
                "jsonl",
            ],
            input=data,
            capture_output=True,
            text=True,
            check=False,
        )

        assert cli.EXIT_INCOMPLETE == result.returncode
        out = [json.loads(line) for line in result.stdout.splitlines()]
        assert ["a", "b"] == [row["id"] for row in out]
        rejects = [
            json.loads(line)
            for line in result.stderr.splitlines()
            if line.startswith("{")
        ]
        assert [3] == [r["line"] for r in rejects]
        assert "scored 1 of 2 records; rejected 1\n" in result.stderr

    @pytest.mark.parametrize("rejects", [True, False])
    def test_in_process_streams(
        self,
        monkeypatch: pytest.MonkeyPatch,
        tmp_path: Path,
        capsys: pytest.CaptureFixture[str],
        rejects: bool,
    ) -> None:
        """
        The same in this process: the rejects go to the file given, or to
        standard error.
        """
        reading, writing = os.pipe()  # a real pipe: it has no position
        os.write(writing, b"id,pain_score\na,3\nb,99\n")
        os.close(writing)
        stdout = io.TextIOWrapper(io.BytesIO())
        monkeypatch.setattr(sys, "stdout", stdout)
        given = ["--rejects", str(tmp_path / "r.jsonl")] if rejects else []

        with io.TextIOWrapper(os.fdopen(reading, "rb")) as stdin:
            monkeypatch.setattr(sys, "stdin", stdin)
            status = batch(
                "-", "-", "--from", "csv", "--to", "csv", "-q", *given
            )

        assert cli.EXIT_INCOMPLETE == status
        stdout.buffer.seek(0)
        assert stdout.buffer.read().startswith(b"id,index,level")
        err = capsys.readouterr().err
        written = (tmp_path / "r.jsonl").read_text() if rejects else err
        assert [3] == [json.loads(written)["line"]]


class TestUsage:
    """
    Bad usage exits 2, a missing input 66, an unwritable output 73.
    """

    @pytest.mark.parametrize(
        ("args", "message"),
        [
            (["in.txt", "out.csv"], "cannot tell the format of IN"),
            (["in.csv", "out"], "cannot tell the format of OUT"),
            (["-", "out.csv"], "give --from"),
            (["in.parquet", "-", "--to", "parquet"], "must be a file"),
            (["in.csv", "in.csv"], "must be different files"),
            (
                ["in.csv", "out.csv", "--rejects", "out.csv"],
                "must be different files",
            ),
        ],
    )
    def test_usage(
        self,
        args: list[str],
        message: str,
        capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch,
        tmp_path: Path,
    ) -> None:
        """
        Each misuse is reported and nothing is written.
        """
        monkeypatch.chdir(tmp_path)

        assert cli.EXIT_USAGE == batch(*args)
        assert message in capsys.readouterr().err
        assert [] == list(tmp_path.iterdir())

    @pytest.mark.parametrize("name", ["missing.csv", "missing.parquet"])
    def test_missing_input(
        self, tmp_path: Path, name: str, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """
        An input that does not exist exits 66.
        """
        status = batch(tmp_path / name, tmp_path / "out.csv")

        assert cli.EXIT_NO_INPUT == status
        assert "cannot read" in capsys.readouterr().err

    def test_unwritable_output(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """
        An output in a missing directory exits 73.
        """
        source = write_jsonl(tmp_path / "in.jsonl", [CES])

        status = batch(source, tmp_path / "no" / "out.csv")

        assert cli.EXIT_CANT_CREATE == status
        assert "cannot write" in capsys.readouterr().err

    @pytest.mark.parametrize(
        "args",
        [
            ["no/out.parquet"],
            ["out.csv", "--rejects", "no/rejects.jsonl"],
        ],
    )
    def test_unwritable_parquet_or_rejects(
        self,
        tmp_path: Path,
        args: list[str],
        monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str],
    ) -> None:
        """
        A Parquet output or a rejects file that cannot be made exits 73.
        """
        source = write_jsonl(tmp_path / "in.jsonl", [CES])
        monkeypatch.chdir(tmp_path)

        assert cli.EXIT_CANT_CREATE == batch(source, *args)
        assert "cannot write" in capsys.readouterr().err

    def test_statuses_agree_with_the_cli(self) -> None:
        """
        The batch command's statuses are the documented ones.
        """
        assert (
            cli.EXIT_OK,
            cli.EXIT_INCOMPLETE,
            cli.EXIT_USAGE,
            cli.EXIT_DATA_ERROR,
            cli.EXIT_NO_INPUT,
            cli.EXIT_CANT_CREATE,
        ) == (
            _batchcli.OK,
            _batchcli.REJECTED,
            _batchcli.USAGE,
            _batchcli.DATA_ERROR,
            _batchcli.NO_INPUT,
            _batchcli.CANT_CREATE,
        )


class _Terminal(io.StringIO):
    """
    Standard error that says it is a terminal.
    """

    def isatty(self) -> bool:
        return True


class TestProgress:
    """
    A progress bar on a terminal only, and not with --quiet.
    """

    def run_on_terminal(self, tmp_path: Path, *extra: str) -> str:
        """
        Score a file under a real pseudo-terminal; what it showed.
        """
        source = write_jsonl(tmp_path / "in.jsonl", [CES] * 50)
        leader, follower = pty.openpty()
        env = {**os.environ, "TERM": "xterm", "COLUMNS": "100"}
        env.pop("NO_COLOR", None)
        try:
            process = subprocess.run(  # noqa: S603 (our own interpreter)
                [
                    sys.executable,
                    "-m",
                    "spasmcare",
                    "batch",
                    str(source),
                    str(tmp_path / "out.csv"),
                    *extra,
                ],
                stderr=follower,
                stdout=subprocess.DEVNULL,
                env=env,
                check=False,
                timeout=60,
            )
            os.close(follower)
            shown = b""
            while True:
                try:
                    data = os.read(leader, 65536)
                except OSError:  # the terminal closed
                    break
                if not data:
                    break
                shown += data
        finally:
            os.close(leader)
        assert 0 == process.returncode
        return shown.decode(errors="replace")

    def test_bar_on_a_terminal(self, tmp_path: Path) -> None:
        """
        On a terminal the bar is drawn, then the summary.
        """
        shown = self.run_on_terminal(tmp_path)

        assert "scoring" in shown
        assert "50 rows" in shown
        assert "scored 50 of 50 records" in shown

    def test_no_bar_with_quiet(self, tmp_path: Path) -> None:
        """
        --quiet draws nothing.
        """
        assert "" == self.run_on_terminal(tmp_path, "--quiet")

    def test_no_bar_when_piped(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """
        Piped, only the summary is written.
        """
        source = write_jsonl(tmp_path / "in.jsonl", [CES])

        batch(source, tmp_path / "out.csv")

        assert "scoring" not in capsys.readouterr().err

    @pytest.mark.parametrize("fmt", ["jsonl", "parquet"])
    def test_bar_in_process(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str
    ) -> None:
        """
        The bar counts bytes of text and rows of Parquet.
        """
        source = write_jsonl(tmp_path / "in.jsonl", [CES] * 3)
        if fmt == "parquet":
            batch(source, tmp_path / "in.parquet", "-q")
            source = tmp_path / "in.parquet"
        terminal = _Terminal()
        monkeypatch.setattr(sys, "stderr", terminal)

        assert cli.EXIT_OK == batch(source, tmp_path / "out.csv")
        assert "3 rows" in terminal.getvalue()

    def test_without_rich(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """
        Without rich there is no bar, and the batch still runs.
        """
        source = write_jsonl(tmp_path / "in.jsonl", [CES])
        terminal = _Terminal()
        monkeypatch.setattr(sys, "stderr", terminal)
        monkeypatch.setitem(sys.modules, "rich.console", None)

        assert cli.EXIT_OK == batch(source, tmp_path / "out.csv")
        assert "scoring" not in terminal.getvalue()


class TestStreaming:
    """
    Records are read, scored and written a chunk at a time.
    """

    @pytest.mark.parametrize("count", [6, 7])
    @pytest.mark.parametrize("fmt", ["jsonl", "csv"])
    def test_chunks(
        self,
        tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch,
        count: int,
        fmt: str,
    ) -> None:
        """
        Several chunks (full ones only, or a part one at the end) give the
        same output as one, positions running on.
        """
        documents = [
            dump_assessment(
                Assessment.from_answers({"fever": answer}, pain_score=score)
            )
            for answer in (True, False, None)
            for score in (1, 9, None)
        ][:count]
        source = write_jsonl(tmp_path / "in.jsonl", documents)
        if fmt == "csv":
            batch(source, tmp_path / "in.csv", "-q")  # results as records
            source = tmp_path / "in.csv"
        batch(source, tmp_path / "one.jsonl", "-q")
        monkeypatch.setattr(_batchcli, "CHUNK", 3)

        batch(source, tmp_path / "many.jsonl", "-q")

        many = read_jsonl(tmp_path / "many.jsonl")
        assert read_jsonl(tmp_path / "one.jsonl") == many
        assert list(range(count)) == [row["index"] for row in many]
