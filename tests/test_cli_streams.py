# SPDX-License-Identifier: MIT
"""
The command answers with its documented exit codes, and no traceback,
whatever the state of its streams (issue 15: closed standard input and
output, a full disk, a non-UTF-8 terminal, a schema directory that is a
file).

Each case runs twice: in this process with the stream replaced (so the
coverage run sees every branch), and as a real process with the stream
really closed or full.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from spasmcare.cli import (
    EXIT_CANT_CREATE,
    EXIT_IO_ERROR,
    EXIT_NO_INPUT,
    EXIT_OK,
    main,
)

ROOT = Path(__file__).parent.parent
STRAIN = str(ROOT / "examples" / "cases" / "plain-strain.json")


def shell(command: str, **env: str) -> subprocess.CompletedProcess[str]:
    """
    Run ``spasmcare`` (this interpreter) with shell redirections.
    """
    return subprocess.run(  # noqa: S603 (fixed arguments, our interpreter)
        [  # noqa: S607
            "bash",
            "-c",
            f"{sys.executable} -m spasmcare {command}",
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
        env={"PATH": "/usr/bin:/bin", **env},
        cwd=ROOT,
    )


class FullDisk(io.TextIOWrapper):
    """
    A text stream whose writes fail as on a full disk.
    """

    def __init__(self) -> None:
        super().__init__(io.BytesIO(), encoding="utf-8")

    def write(self, text: str) -> int:  # noqa: ARG002
        """
        Fail with ENOSPC.
        """
        raise OSError(28, "No space left on device")


class TestClosedInput:
    """
    With standard input closed, `assess -` and `interview` exit 66.
    """

    @pytest.mark.parametrize("command", [["assess", "-"], ["interview"]])
    @pytest.mark.parametrize("stdin", [None, "closed"])
    def test_in_process(
        self,
        monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str],
        command: list[str],
        stdin: str | None,
    ) -> None:
        """
        sys.stdin missing or closed: exit 66 with a message.
        """
        stream = io.StringIO()
        stream.close()
        monkeypatch.setattr(sys, "stdin", None if stdin is None else stream)

        status = main(command)

        assert EXIT_NO_INPUT == status
        assert "standard input is closed" in capsys.readouterr().err

    @pytest.mark.parametrize("command", ["assess -", "interview"])
    def test_real_process(self, command: str) -> None:
        """
        `0<&-`: exit 66, no traceback.
        """
        done = shell(f"{command} 0<&-")

        assert EXIT_NO_INPUT == done.returncode
        assert "Traceback" not in done.stderr
        assert "standard input is closed" in done.stderr


class TestUnwritableOutput:
    """
    A closed standard output, a broken pipe or a full disk: exit 74.
    """

    def test_closed_stdout_in_process(
        self,
        monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str],
    ) -> None:
        """
        sys.stdout missing: exit 74 before anything is done.
        """
        monkeypatch.setattr(sys, "stdout", None)

        assert EXIT_IO_ERROR == main(["assess", STRAIN])
        assert "standard output is closed" in capsys.readouterr().err

    def test_full_disk_in_process(
        self,
        monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str],
    ) -> None:
        """
        Writes failing with ENOSPC: exit 74 naming the reason.
        """
        monkeypatch.setattr(sys, "stdout", FullDisk())

        assert EXIT_IO_ERROR == main(["assess", STRAIN])
        assert "No space left on device" in capsys.readouterr().err

    def test_stderr_gone_too(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """
        With standard error closed or failing as well, the exit status
        alone reports it.
        """
        monkeypatch.setattr(sys, "stdout", FullDisk())
        monkeypatch.setattr(sys, "stderr", FullDisk())

        assert EXIT_IO_ERROR == main(["rules"])
        monkeypatch.setattr(sys, "stderr", None)
        assert EXIT_IO_ERROR == main(["rules"])

    @pytest.mark.parametrize(
        ("redirect", "message"),
        [
            ("1>&-", "standard output is closed"),
            ("> /dev/full", "No space left on device"),
        ],
    )
    def test_real_process(self, redirect: str, message: str) -> None:
        """
        `1>&-` and `> /dev/full`: exit 74, no traceback, nothing from the
        interpreter's last flush.
        """
        done = shell(f"assess {STRAIN} {redirect}")

        assert EXIT_IO_ERROR == done.returncode
        assert "Traceback" not in done.stderr
        assert "Exception ignored" not in done.stderr
        assert message in done.stderr


def _accented(tmp_path: Path) -> str:
    """
    The plain strain with a correlation id that ASCII cannot show.
    """
    document = json.loads(Path(STRAIN).read_text(encoding="utf-8"))
    document["id"] = "café 38 °C"
    path = tmp_path / "accented.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return str(path)


class TestEncoding:
    """
    On an ASCII terminal every character is still written (replaced in
    text, escaped in JSON).
    """

    def test_text_replaces_what_the_terminal_cannot_show(self) -> None:
        """
        Text output: exit 0, the degree sign replaced.
        """
        done = shell(f"assess {STRAIN}", PYTHONIOENCODING="ascii")

        assert EXIT_OK == done.returncode
        assert "Traceback" not in done.stderr
        assert "Result: SELF-CARE" in done.stdout

    def test_json_is_escaped_and_still_reads_back(
        self, tmp_path: Path
    ) -> None:
        """
        JSON output: \\u escapes, and the same document.
        """
        case = _accented(tmp_path)
        ascii_run = shell(
            f"assess --format json {case}", PYTHONIOENCODING="ascii"
        )
        utf8_run = shell(
            f"assess --format json {case}", PYTHONIOENCODING="utf-8"
        )

        assert EXIT_OK == ascii_run.returncode
        assert ascii_run.stdout.isascii()
        ascii_report = json.loads(ascii_run.stdout)
        utf8_report = json.loads(utf8_run.stdout)
        for report in (ascii_report, utf8_report):
            del report["audit"]["created_at"]
        assert utf8_report == ascii_report

    def test_in_process_json_on_an_ascii_stream(
        self, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
    ) -> None:
        """
        In this process: an ASCII stream gets escaped JSON.
        """
        case = _accented(tmp_path)
        out = io.TextIOWrapper(io.BytesIO(), encoding="ascii")
        monkeypatch.setattr(sys, "stdout", out)

        status = main(["assess", "--format", "json", case])

        out.seek(0)
        assert EXIT_OK == status
        assert "\\u00b0" in out.read()


class TestSchemaDirectory:
    """
    `schema --write --dir FILE`: exit 73, not a traceback.
    """

    def test_a_file_as_the_directory(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """
        The directory is a file: exit 73 naming the path.
        """
        target = tmp_path / "not-a-dir"
        target.write_text("x", encoding="utf-8")

        status = main(["schema", "--write", "--dir", str(target)])

        assert EXIT_CANT_CREATE == status
        assert f"{target}" in capsys.readouterr().err
