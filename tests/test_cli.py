# SPDX-License-Identifier: MIT
"""
The spasmcare command: assess, interview, rules, schema.
"""

from __future__ import annotations

import io
import json
import runpy
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from spasmcare import (
    DEFAULT_RULES,
    SCHEMA_NAMES,
    Answer,
    AnswerKind,
    Interview,
    __version__,
    json_schema,
    load_assessment,
)
from spasmcare.cli import (
    EXIT_DATA_ERROR,
    EXIT_INCOMPLETE,
    EXIT_INTERRUPTED,
    EXIT_NO_INPUT,
    EXIT_OK,
    EXIT_USAGE,
    main,
    schema_text,
)

ROOT = Path(__file__).parent.parent
CASES = ROOT / "examples" / "cases"

#: Each bundled case: the level and the rules that fire.
EXPECTED = {
    "plain-strain": ("self_care", []),
    "incomplete-intake": ("consultation", []),
    "cauda-equina": ("emergency", ["cauda_equina"]),
    "major-trauma": ("emergency_ambulance", ["major_trauma", "severe_pain"]),
    "cancer-history": (
        "consultation_24",
        ["cancer_history", "malignancy_flags"],
    ),
    "cancer-with-neurology": (
        "emergency",
        ["cancer_with_neurology", "cancer_history"],
    ),
    "spinal-infection": (
        "emergency",
        ["spinal_infection_severe", "spinal_infection"],
    ),
    "aortic-aneurysm": (
        "emergency_ambulance",
        ["aortic_aneurysm", "severe_pain"],
    ),
    "chest-pain": ("emergency_ambulance", ["chest_pain"]),
    "renal-colic": ("emergency", ["renal_colic", "severe_pain"]),
    "kidney-infection": (
        "consultation_24",
        ["spinal_infection", "kidney_infection", "kidney_problem"],
    ),
    "inflammatory-back-pain": (
        "consultation",
        ["not_improving", "inflammatory_back_pain"],
    ),
    "severe-pain": ("consultation", ["severe_pain"]),
    "not-improving": ("consultation", ["not_improving"]),
    "frequent-recurrence": ("consultation", ["frequent_recurrence"]),
    "cramps-electrolytes": (
        "consultation_24",
        ["electrolyte_disturbance", "widespread_cramps"],
    ),
    "fracture-risk": ("consultation_24", ["fracture_risk"]),
    "one-leg-weakness": ("consultation_24", ["one_sided_weakness"]),
    "progressive-weakness": (
        "emergency",
        ["progressive_neurological_deficit", "one_sided_weakness"],
    ),
}


def run(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    *argv: str,
    stdin: str | bytes = b"",
) -> tuple[int, str, str]:
    """
    Run main(argv) in-process with *stdin*; return status, stdout, stderr.
    """
    data = stdin.encode() if isinstance(stdin, str) else stdin
    monkeypatch.setattr(
        sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8")
    )
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


class TestAssess:
    """
    spasmcare assess FILE|-
    """

    def test_every_case_is_bundled_and_expected(self) -> None:
        """
        The table of expectations covers exactly the bundled cases.
        """
        assert sorted(EXPECTED) == sorted(p.stem for p in CASES.glob("*.json"))

    @pytest.mark.parametrize("name", sorted(EXPECTED))
    def test_case_level_and_rules(
        self,
        name: str,
        capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        """
        Each bundled case gives its expected level and fired rules, as
        JSON that matches the report schema.
        """
        status, out, err = run(
            capsys,
            monkeypatch,
            "assess",
            str(CASES / f"{name}.json"),
            "--format",
            "json",
        )
        report = json.loads(out)
        escalation = report["escalation"]

        assert (EXIT_OK, "") == (status, err)
        assert EXPECTED[name] == (
            escalation["level"],
            [rule["id"] for rule in escalation["fired"]],
        )
        jsonschema.validate(report, json_schema("report"))

    def test_plain_strain_text(
        self,
        capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        """
        The text report gives the result, the plan with cautions, the
        safety net, the notice and the rule set.
        """
        status, out, _ = run(
            capsys, monkeypatch, "assess", str(CASES / "plain-strain.json")
        )

        assert EXIT_OK == status
        assert out.startswith("Result: SELF-CARE\n")
        for text in (
            "Care plan:",
            "Caution: Always put a cloth or towel",
            "To lower the chance of another episode:",
            "Call 999 or go to the emergency department now if:",
            "See a doctor today if:",
            "Book a doctor's appointment if:",
            "not a diagnosis",
            f"Rules: {DEFAULT_RULES.id} {DEFAULT_RULES.version}",
        ):
            assert text in out
        assert max(len(line) for line in out.splitlines()) <= 79

    def test_region_names_its_number(
        self,
        capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        """
        --region us: 911 and the emergency room, never 999.
        """
        status, out, _ = run(
            capsys,
            monkeypatch,
            "assess",
            "--region",
            "us",
            str(CASES / "chest-pain.json"),
        )

        assert EXIT_OK == status
        assert "What to do: Call an ambulance now on 911." in out
        assert "999" not in out

    def test_emergency_text(
        self,
        capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        """
        An emergency shows why (rules, facts, sources) and no prevention.
        """
        status, out, _ = run(
            capsys, monkeypatch, "assess", str(CASES / "cauda-equina.json")
        )

        assert EXIT_OK == status
        assert out.startswith("Result: EMERGENCY DEPARTMENT NOW\n")
        assert "Why:\n  - You said you have new trouble peeing" in out
        assert "  - Possible cauda equina syndrome" in out  # for a clinician
        assert "Sources: NICE." in out
        assert "To lower the chance" not in out
        assert "if:\n" not in out  # no warning-sign list competes
        assert "you said you do not have them" in out  # pertinent negatives

    def test_incomplete_text_lists_unanswered(
        self,
        capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        """
        An incomplete intake lists what is still to be answered.
        """
        _, out, _ = run(
            capsys,
            monkeypatch,
            "assess",
            str(CASES / "incomplete-intake.json"),
        )

        assert "Not answered yet (answering may change this advice):" in out

    def test_emergency_text_does_not_list_open_questions(
        self,
        capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch,
        tmp_path: Path,
    ) -> None:
        """
        At emergency levels the open questions are not listed: they would
        only delay care.
        """
        case = tmp_path / "ces.json"
        case.write_text(
            '{"schema_version": "1", "answers": {"saddle_numbness": "present"}}'
        )

        _, out, _ = run(capsys, monkeypatch, "assess", str(case))

        assert "EMERGENCY DEPARTMENT NOW" in out
        assert "Not answered yet" not in out

    def test_standard_input(
        self,
        capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        """
        "-" reads the document from standard input.
        """
        data = (CASES / "chest-pain.json").read_bytes()

        status, out, _ = run(
            capsys, monkeypatch, "assess", "-", "--format", "json", stdin=data
        )

        assert EXIT_OK == status
        assert "emergency_ambulance" == json.loads(out)["escalation"]["level"]


class TestBadInput:
    """
    "Malformed inputs of every kind give a clear error and a non-zero
    exit": one line per problem on stderr with the file, the JSON path and
    what was expected, and never a traceback.
    """

    @pytest.mark.parametrize(
        ("content", "expected"),
        [
            (b'{"schema_version": "1", "answers": {', "$: not valid JSON"),
            (
                b'{"schema_version": "1", "pain_score": "high"}',
                "$.pain_score: expected a whole number from 0 to 10",
            ),
            (
                b'{"schema_version": "1", "colour": "red"}',
                "$.colour: unknown key",
            ),
            (
                b'{"schema_version": "1", "age_years": 150}',
                "$.age_years: must be from 0 to 120 years; got 150",
            ),
            (
                b'{"schema_version": "1", "answers": {"fever": "yes"}}',
                '$.answers.fever: expected "present", "absent" or "unknown"',
            ),
            (b"", "$: empty document"),
            (b"\x00\xff\xfe binary \x89", "$: not UTF-8 text"),
            (b"[]", "$: expected a JSON object; got an array"),
            (b"{}", "$.schema_version: missing"),
        ],
        ids=[
            "truncated",
            "wrong-type",
            "extra-key",
            "out-of-range",
            "bad-answer",
            "empty",
            "binary",
            "not-an-object",
            "no-version",
        ],
    )
    def test_malformed_file(
        self,
        content: bytes,
        expected: str,
        tmp_path: Path,
        capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        """
        Each kind of malformed file exits 65 with the file and JSON path.
        """
        path = tmp_path / "bad.json"
        path.write_bytes(content)

        status, out, err = run(capsys, monkeypatch, "assess", str(path))
        lines = err.splitlines()

        assert (EXIT_DATA_ERROR, "") == (status, out)
        assert lines[0].startswith(f"spasmcare: {path}: {expected}")
        assert (
            "spasmcare: the expected format is printed by `spasmcare schema`"
            == lines[-1]
        )
        assert 2 == len(lines)
        assert "Traceback" not in err

    def test_bad_standard_input(
        self,
        capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        """
        Standard input is named <stdin> in errors.
        """
        status, _, err = run(capsys, monkeypatch, "assess", "-", stdin="{")

        assert EXIT_DATA_ERROR == status
        assert err.startswith("spasmcare: <stdin>: $: not valid JSON")

    def test_many_problems_are_capped(
        self,
        tmp_path: Path,
        capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        """
        At most 20 problems are listed, then how many more there are.
        """
        answers = {f"x{i}": "present" for i in range(25)}
        path = tmp_path / "many.json"
        path.write_text(
            json.dumps({"schema_version": "1", "answers": answers})
        )

        status, _, err = run(capsys, monkeypatch, "assess", str(path))
        lines = err.splitlines()

        assert EXIT_DATA_ERROR == status
        assert 22 == len(lines)
        assert f"spasmcare: {path}: ... and 5 more" == lines[20]

    @pytest.mark.parametrize("kind", ["missing", "directory"])
    def test_unreadable_file(
        self,
        kind: str,
        tmp_path: Path,
        capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        """
        A file that cannot be read exits 66 with one line naming it.
        """
        path = tmp_path / "nothing.json" if kind == "missing" else tmp_path

        status, _, err = run(capsys, monkeypatch, "assess", str(path))

        assert EXIT_NO_INPUT == status
        assert err.startswith(f"spasmcare: {path}: cannot read: ")
        assert 1 == len(err.splitlines())


class TestUsage:
    """
    Usage errors exit 2; --help and --version exit 0.
    """

    @pytest.mark.parametrize(
        "argv", [[], ["frobnicate"], ["assess"], ["schema", "nope"]]
    )
    def test_usage_errors(
        self,
        argv: list[str],
        capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        """
        A missing or unknown command or argument is a usage error.
        """
        status, _, err = run(capsys, monkeypatch, *argv)

        assert EXIT_USAGE == status
        assert "usage: spasmcare" in err

    def test_help(
        self,
        capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        """
        --help lists the commands and the exit statuses.
        """
        status, out, _ = run(capsys, monkeypatch, "--help")

        assert EXIT_OK == status
        assert "assess" in out
        assert "65 invalid input data" in out

    def test_version(
        self,
        capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        """
        --version prints the installed version.
        """
        status, out, _ = run(capsys, monkeypatch, "--version")

        assert (EXIT_OK, f"spasmcare {__version__}\n") == (status, out)


def scripted_answers(*, noise: bool = False) -> str:
    """
    Standard input answering the interview as the plain-strain case.

    With *noise*, some replies are invalid first and must be asked again.
    """
    case = load_assessment((CASES / "plain-strain.json").read_bytes())
    interview = Interview()
    lines: list[str] = []
    while (prompt := interview.next_question()) is not None:
        if prompt.kind is AnswerKind.YES_NO:
            if prompt.is_group:
                # "none of these", "yes" or "not sure", as the case says.
                answers = {case.answer(q.id) for q in prompt.questions}
                answer = (
                    Answer.ABSENT
                    if answers == {Answer.ABSENT}
                    else Answer.PRESENT
                    if Answer.PRESENT in answers
                    else Answer.UNKNOWN
                )
            else:
                answer = case.answer(prompt.id)
            reply = {"present": "Yes", "absent": "n", "unknown": "?"}[
                answer.value
            ]
            lines += ["maybe", reply] if noise else [reply]
            interview = interview.answer(prompt.id, answer)
        else:
            number = case.number(prompt.id)
            lines += ["lots", "99999", str(number)] if noise else [str(number)]
            interview = interview.answer(prompt.id, number)
    return "\n".join(lines) + "\n"


class TestInterview:
    """
    spasmcare interview: "driven end to end by a test that feeds it
    answers on standard input".
    """

    def test_end_to_end(
        self,
        capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        """
        Answering as the plain strain, with some invalid replies asked
        again, ends in self-care.
        """
        status, out, err = run(
            capsys,
            monkeypatch,
            "interview",
            stdin=scripted_answers(noise=True),
        )

        assert (EXIT_OK, "") == (status, err)
        assert "Please answer yes, no or don't know" in out
        assert "Please answer yes, none of these or not sure" in out
        assert "      - a bad accident or fall" in out  # a group lists them
        assert "'lots' is not a whole number" in out
        assert "'99999' must be from" in out
        assert "(Why we ask: To check for signs that you need help" in out
        assert "\nResult: SELF-CARE\n" in out

    def test_json_output_is_pure(
        self,
        capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        """
        With --format json the questions go to stderr and stdout is the
        report alone.
        """
        status, out, err = run(
            capsys,
            monkeypatch,
            "interview",
            "--format",
            "json",
            stdin=scripted_answers(),
        )
        report: dict[str, Any] = json.loads(out)

        assert EXIT_OK == status
        assert "self_care" == report["escalation"]["level"]
        assert "yes / no / don't know >" in err

    def test_emergency_ends_early(
        self,
        capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        """
        After "no" to the first question ("are you pregnant?"), a "yes" to
        the first group of warning signs, then to its first (ambulance)
        red flag, ends the interview.
        """
        status, out, _ = run(
            capsys, monkeypatch, "interview", stdin="n\ny\ny\n"
        )

        assert EXIT_OK == status
        assert 1 == out.count("yes / none of these / not sure >")
        assert 2 == out.count("yes / no / don't know >")
        assert "Result: CALL AN AMBULANCE NOW" in out

    def test_dont_know_everything(
        self,
        capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        """
        "Don't know" to everything ends the interview short of self-care.
        """
        status, out, _ = run(
            capsys, monkeypatch, "interview", stdin="don't know\n" * 100
        )

        assert EXIT_OK == status
        assert "Result: SEE A DOCTOR (ROUTINE)" in out

    def test_end_of_input(
        self,
        capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        """
        End of input stops cleanly, without advice, with status 1.
        """
        status, out, err = run(capsys, monkeypatch, "interview", stdin="n\n")

        assert EXIT_INCOMPLETE == status
        assert "Result:" not in out
        assert (
            "spasmcare: the interview stopped at the end of the input" in err
        )
        assert "Traceback" not in err

    def test_ctrl_c(
        self,
        capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        """
        Ctrl-C stops cleanly with status 130.
        """

        class Interrupting:
            def readline(self) -> str:
                raise KeyboardInterrupt

        monkeypatch.setattr(sys, "stdin", Interrupting())

        status = main(["interview"])
        _, err = capsys.readouterr()

        assert EXIT_INTERRUPTED == status
        assert err.endswith("spasmcare: interrupted\n")


class TestRules:
    """
    spasmcare rules
    """

    def test_lists_every_rule(
        self,
        capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        """
        Every rule is listed with its id, level, title and sources.
        """
        status, out, _ = run(capsys, monkeypatch, "rules")

        assert EXIT_OK == status
        assert out.startswith(
            f"{DEFAULT_RULES.id} {DEFAULT_RULES.version}: "
            f"{len(DEFAULT_RULES)} rules"
        )
        for rule in DEFAULT_RULES:
            level = rule.urgency.name.lower().replace("_", " ")
            assert f"\n{rule.id} [{level}]\n" in out
        assert "cauda_equina [emergency]" in out
        assert out.count("Sources: ") == len(DEFAULT_RULES)


class TestSchema:
    """
    spasmcare schema [NAME] [--write | --check] [--dir DIR]
    """

    @pytest.mark.parametrize("name", SCHEMA_NAMES)
    def test_prints_the_schema(
        self,
        name: str,
        capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        """
        The printed schema is the generated one.
        """
        status, out, _ = run(capsys, monkeypatch, "schema", name)

        assert (EXIT_OK, json_schema(name)) == (status, json.loads(out))

    def test_default_is_the_input_schema(
        self,
        capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        """
        Without a name, the input (assessment) schema is printed.
        """
        _, out, _ = run(capsys, monkeypatch, "schema")

        assert schema_text("assessment") == out

    def test_write_then_check(
        self,
        tmp_path: Path,
        capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        """
        --check fails on missing or stale files; --write fixes them and
        leaves up-to-date files alone.
        """
        folder = tmp_path / "schemas"
        status, _, err = run(
            capsys, monkeypatch, "schema", "--check", "--dir", str(folder)
        )
        assert EXIT_INCOMPLETE == status
        assert "regenerate with: python -m spasmcare schema --write" in err

        status, _, err = run(
            capsys, monkeypatch, "schema", "--write", "--dir", str(folder)
        )
        assert EXIT_OK == status
        assert len(SCHEMA_NAMES) == err.count("spasmcare: wrote: ")

        (folder / "prompt.schema.json").write_text("{}")
        status, _, err = run(
            capsys, monkeypatch, "schema", "--write", "--dir", str(folder)
        )
        assert (EXIT_OK, 1) == (status, err.count("wrote"))

        status, _, err = run(
            capsys, monkeypatch, "schema", "--check", "--dir", str(folder)
        )
        assert (EXIT_OK, "") == (status, err)


class TestModule:
    """
    python -m spasmcare, in-process and as a real process.
    """

    def test_runpy(
        self,
        capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        """
        Running the package as a module calls main() and exits with its
        status.
        """
        monkeypatch.setattr(sys, "argv", ["spasmcare", "rules"])

        with pytest.raises(SystemExit) as caught:
            runpy.run_module("spasmcare", run_name="__main__")

        assert EXIT_OK == caught.value.code
        assert "cauda_equina" in capsys.readouterr().out

    def test_subprocess_success(self) -> None:
        """
        `python -m spasmcare assess` on the README's case exits 0.
        """
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "spasmcare",
                "assess",
                "examples/cases/plain-strain.json",
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )

        assert (EXIT_OK, "") == (result.returncode, result.stderr)
        assert result.stdout.startswith("Result: SELF-CARE")

    def test_subprocess_bad_input(self, tmp_path: Path) -> None:
        """
        Bad input from a real process: status 65, no traceback.
        """
        path = tmp_path / "bad.json"
        path.write_bytes(b'{"schema_version": "1", "pain_score": 99')

        result = subprocess.run(  # noqa: S603 (our own interpreter)
            [sys.executable, "-m", "spasmcare", "assess", str(path)],
            capture_output=True,
            text=True,
            check=False,
        )

        assert EXIT_DATA_ERROR == result.returncode
        assert "Traceback" not in result.stderr
        assert f"spasmcare: {path}: $: not valid JSON" in result.stderr
