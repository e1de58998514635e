# SPDX-License-Identifier: MIT
"""
The scripts in examples/ run, and print what their docstrings promise.

Each example is run as ``__main__`` with :mod:`runpy`, as
``python examples/NAME.py`` would run it.
"""

from __future__ import annotations

import json
import runpy
import sys
from pathlib import Path
from typing import Any

import pytest

from spasmcare import DEFAULT_RULES

EXAMPLES = Path(__file__).parent.parent / "examples"


@pytest.fixture(autouse=True)
def script_argv(monkeypatch: pytest.MonkeyPatch) -> None:
    """
    Run each example with no command-line arguments, not pytest's.
    """
    monkeypatch.setattr(sys, "argv", ["example.py"])


def run_example(name: str, capsys: pytest.CaptureFixture[str]) -> str:
    """
    Run examples/*name* as a script and return what it printed.
    """
    runpy.run_path(str(EXAMPLES / name), run_name="__main__")
    return capsys.readouterr().out


def load_example(name: str) -> dict[str, Any]:
    """
    Import examples/*name* without running its ``__main__`` block.
    """
    return runpy.run_path(str(EXAMPLES / name), run_name="example")


class TestEveryExampleIsTested:
    """
    A new example cannot be added without a test here.
    """

    def test_every_script_has_a_test_class(self) -> None:
        """
        Each examples/*.py has a ``Test<Name>`` class in this module.
        """
        scripts = {
            "Test" + path.stem.title().replace("_", "")
            for path in EXAMPLES.glob("*.py")
        }

        assert set() == scripts - set(globals())


class TestQuickstart:
    """
    examples/quickstart.py: a self-care case and an emergency case.
    """

    def test_strain_gets_self_care_and_numbness_an_emergency(
        self, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """
        The plain strain is self-care with the heat and cold cautions;
        saddle numbness is an emergency that names its rule and sources,
        with the referral as the first step.
        """
        out = run_example("quickstart.py", capsys)
        strain, numb = out.split("== The same, with saddle numbness")

        assert "Level: SELF_CARE (self_care)" in strain
        assert "Caution: Always put a cloth or towel" in strain
        assert "Level: EMERGENCY (emergent)" in numb
        assert "[cauda_equina]" in numb
        assert "sources: nice-ng59" in numb
        assert "1. Go to the emergency department now." in numb
        assert "Use a cold pack" not in numb


class TestUnansweredQuestions:
    """
    examples/unanswered_questions.py: a partial intake, then a chat.
    """

    def test_unknown_is_never_self_care_until_answered(
        self, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """
        The partial form gives a routine level with screening incomplete;
        "don't know" for fever keeps it there after the chat; answering it
        "no" gives self-care.
        """
        lines = run_example("unanswered_questions.py", capsys).splitlines()

        assert lines[0].startswith(
            "After the form: level=ROUTINE screening_complete=False"
        )
        assert "Still unanswered: fever" in lines
        assert (
            "After the chat: level=ROUTINE screening_complete=False "
            "unanswered=1"
        ) in lines
        assert (
            "With the temperature taken: level=SELF_CARE "
            "screening_complete=True unanswered=0"
        ) in lines

    def test_answer_rejects_the_wrong_kind_of_reply(self) -> None:
        """
        The helper refuses a yes/no reply to a number question and the
        other way round.
        """
        example = load_example("unanswered_questions.py")
        answer = example["answer"]
        assessment = example["Assessment"]()

        with pytest.raises(TypeError, match="needs a number"):
            answer(assessment, "pain_score", reply=True)
        with pytest.raises(TypeError, match="yes, no or don't know"):
            answer(assessment, "fever", reply=3)


class TestCustomRules:
    """
    examples/custom_rules.py: extending and restricting DEFAULT_RULES.
    """

    def test_extended_set_escalates_and_restriction_is_reported(
        self, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """
        The extended set has its own id and version and one more rule, and
        fires the stricter fracture rule and the local rule; the
        restriction reports the questions no rule reads any more.
        """
        out = run_example("custom_rules.py", capsys)

        version = DEFAULT_RULES.version
        assert (
            f"example-clinic {version}+clinic.1: {len(DEFAULT_RULES) + 1} rules"
        ) in out
        assert "No longer read: arthritis_enthesitis_psoriasis" in out
        assert f"With spasmcare-default {version}: ROUTINE" in out
        assert (
            f"With example-clinic {version}+clinic.1: URGENT (fired: "
            "fracture_risk, clinic_very_severe_pain, severe_pain)"
        ) in out


class TestBatchFromFile:
    """
    examples/batch_from_file.py: a JSON-lines batch.
    """

    def test_bundled_file_is_evaluated_and_bad_lines_reported(
        self, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """
        Every good case gets a level; the two bad lines are reported with
        the reason, and the exit status is 1.
        """
        with pytest.raises(SystemExit) as exit_info:
            run_example("batch_from_file.py", capsys)
        out = capsys.readouterr().out

        assert 1 == exit_info.value.code
        assert "strain             SELF_CARE  complete" in out
        assert "EMERGENCY" in out
        assert "cauda_equina" in out
        assert "Assessment.pain_score=11" in out
        assert "'headache': not a known finding id" in out
        assert "Evaluated 5:" in out
        assert "rejected 2." in out

    def test_clean_file_exits_zero(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """
        A file with only good lines (and a blank one) returns 0.
        """
        cases = tmp_path / "cases.jsonl"
        cases.write_text(
            json.dumps({"id": "x", "answers": {"chest_pain": True}}) + "\n\n",
            encoding="utf-8",
        )
        main = load_example("batch_from_file.py")["main"]

        status = main([str(cases)])

        assert 0 == status
        assert "AMBULANCE" in capsys.readouterr().out

    @pytest.mark.parametrize(
        ("line", "reason"),
        [
            ("[1, 2]", "each line must be a JSON object"),
            ('{"id": "x", "colour": "red"}', "unknown keys: colour"),
            ('{"answers": {"fever": "yes"}}', "expected True, False, None"),
        ],
    )
    def test_malformed_lines_are_rejected(
        self,
        tmp_path: Path,
        capsys: pytest.CaptureFixture[str],
        line: str,
        reason: str,
    ) -> None:
        """
        Lines of the wrong shape are rejected with a reason, and the
        status is 1.
        """
        cases = tmp_path / "cases.jsonl"
        cases.write_text(line + "\n", encoding="utf-8")
        main = load_example("batch_from_file.py")["main"]

        status = main([str(cases)])

        assert 1 == status
        assert reason in capsys.readouterr().out
