# SPDX-License-Identifier: MIT
"""
The command line's FHIR and calendar parts: `assess --format fhir`,
`assess --ics`, and `spasmcare fhir` for the committed artefacts.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import icalendar
import pytest

from spasmcare import evaluate, load_assessment
from spasmcare.cli import (
    EXIT_DATA_ERROR,
    EXIT_INCOMPLETE,
    EXIT_OK,
    EXIT_USAGE,
    main,
)
from spasmcare.fhir import ARTEFACT_DIR, ARTEFACTS, artefact_text

CASES = Path(__file__).parent.parent / "examples" / "cases"
PLAIN = str(CASES / "plain-strain.json")
CAUDA = str(CASES / "cauda-equina.json")


def _without(monkeypatch: pytest.MonkeyPatch, library: str, face: str) -> None:
    for name in [m for m in sys.modules if m.startswith(face)]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, library, None)


class TestAssessFHIR:
    """
    assess --format fhir prints the guidance Bundle.
    """

    @pytest.mark.parametrize("case", [PLAIN, CAUDA])
    def test_prints_the_guidance_bundle(
        self, case: str, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """
        The output is a Bundle whose Parameters give the level evaluate()
        gives for the case.
        """
        assert EXIT_OK == main(["assess", case, "--format", "fhir"])

        bundle = json.loads(capsys.readouterr().out)
        expected = evaluate(load_assessment(Path(case).read_bytes())).level
        (parameters,) = [
            e["resource"]
            for e in bundle["entry"]
            if e["resource"]["resourceType"] == "Parameters"
        ]
        level = next(
            p for p in parameters["parameter"] if p["name"] == "level"
        )
        assert "Bundle" == bundle["resourceType"]
        assert expected.value == level["valueCoding"]["code"]

    def test_without_the_extra(
        self,
        monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str],
    ) -> None:
        """
        Without the fhir extra the command says which extra to install.
        """
        _without(monkeypatch, "fhir.resources.R4B", "spasmcare.fhir")

        assert EXIT_USAGE == main(["assess", PLAIN, "--format", "fhir"])
        assert "spasmcare[fhir]" in capsys.readouterr().err


class TestAssessICS:
    """
    assess --ics FILE writes the care plan's reminders.
    """

    def test_writes_a_calendar(self, tmp_path: Path) -> None:
        """
        The file parses as a calendar with the self-care reminders.
        """
        path = tmp_path / "plan.ics"

        assert EXIT_OK == main(
            ["assess", PLAIN, "--ics", str(path), "--tz", "Europe/London"]
        )

        calendar = icalendar.Calendar.from_ical(path.read_bytes())
        assert len(list(calendar.walk("VEVENT"))) >= 2

    def test_unknown_time_zone(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """
        An unknown time zone is bad input data, and nothing is written.
        """
        path = tmp_path / "plan.ics"

        assert EXIT_DATA_ERROR == main(
            ["assess", PLAIN, "--ics", str(path), "--tz", "Mars/Base"]
        )
        assert "--tz" in capsys.readouterr().err
        assert not path.exists()

    def test_without_the_extra(
        self,
        monkeypatch: pytest.MonkeyPatch,
        tmp_path: Path,
        capsys: pytest.CaptureFixture[str],
    ) -> None:
        """
        Without the ical extra the command says which extra to install.
        """
        _without(monkeypatch, "icalendar", "spasmcare.ical")

        assert EXIT_USAGE == main(
            ["assess", PLAIN, "--ics", str(tmp_path / "x.ics")]
        )
        assert "spasmcare[ical]" in capsys.readouterr().err


class TestArtefacts:
    """
    The committed Questionnaire and knowledge Bundle are generated, and
    CI checks them (`spasmcare fhir --check`), as schema --check does.
    """

    @pytest.mark.parametrize("name", list(ARTEFACTS))
    def test_committed_copies_are_current(self, name: str) -> None:
        """
        Each committed file is what the code makes now.
        """
        assert artefact_text(name) == (ARTEFACT_DIR / name).read_text("utf-8")

    def test_print(self, capsys: pytest.CaptureFixture[str]) -> None:
        """
        `spasmcare fhir` prints the Questionnaire; with a name, that one.
        """
        assert EXIT_OK == main(["fhir"])
        assert (
            "Questionnaire"
            == json.loads(capsys.readouterr().out)["resourceType"]
        )
        assert EXIT_OK == main(["fhir", "knowledge-bundle"])
        assert "Bundle" == json.loads(capsys.readouterr().out)["resourceType"]

    def test_write_then_check(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """
        --check fails on a missing or changed file and names it; --write
        makes them current; then --check passes.
        """
        directory = str(tmp_path / "artefacts")

        assert EXIT_INCOMPLETE == main(["fhir", "--check", "--dir", directory])
        assert "stale" in capsys.readouterr().err
        assert EXIT_OK == main(["fhir", "--write", "--dir", directory])
        assert EXIT_OK == main(["fhir", "--check", "--dir", directory])
        (tmp_path / "artefacts" / "questionnaire.json").write_text("{}")
        assert EXIT_INCOMPLETE == main(["fhir", "--check", "--dir", directory])
        assert "questionnaire.json" in capsys.readouterr().err
        assert EXIT_OK == main(["fhir", "--write", "--dir", directory])
        assert EXIT_OK == main(["fhir", "--write", "--dir", directory])

    def test_without_the_extra(
        self,
        monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str],
    ) -> None:
        """
        Without the fhir extra, `spasmcare fhir` names it.
        """
        _without(monkeypatch, "fhir.resources.R4B", "spasmcare.fhir")

        assert EXIT_USAGE == main(["fhir", "--check"])
        assert "spasmcare[fhir]" in capsys.readouterr().err
