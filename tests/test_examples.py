# SPDX-License-Identifier: MIT
"""
The scripts in examples/ run, and print what their docstrings promise.

Each example is run as ``__main__`` with :mod:`runpy`, as
``python examples/NAME.py`` would run it.
"""

from __future__ import annotations

import json
import runpy
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from wsgiref.simple_server import make_server

import jsonschema
import pytest

from spasmcare import (
    DEFAULT_RULES,
    InvalidJSONError,
    json_schema,
    load_assessment,
)

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
    examples/batch_from_file.py: a JSON-lines batch job, end to end.
    """

    def test_bundled_file_is_evaluated_and_bad_lines_reported(
        self, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """
        Every good case gets a level under its id; the two bad lines are
        reported with their line number, id and reasons, the cases after
        them are not lost (the last is an ambulance case), and the exit
        status is 1.
        """
        with pytest.raises(SystemExit) as exit_info:
            run_example("batch_from_file.py", capsys)
        out = capsys.readouterr().out

        assert 1 == exit_info.value.code
        assert "strain             SELF_CARE  complete" in out
        assert "saddle-numbness    EMERGENCY" in out
        assert "cauda_equina" in out
        assert "line 3   typo-in-form REJECTED" in out
        assert (
            "$.pain_score: must be from 0 to 10 points (0-10); got 11" in out
        )
        assert "line 6   unknown-question REJECTED" in out
        assert "$.answers.headache: unknown finding id" in out
        assert "chest-pain         AMBULANCE" in out
        assert "Evaluated 6:" in out
        assert "rejected 2." in out

    def test_every_line_of_the_bundled_file_is_in_the_wire_format(
        self,
    ) -> None:
        """
        Each line of examples/data/assessments.jsonl validates against
        the assessment schema exactly when load_assessment accepts it:
        the example uses the one documented wire format.
        """
        schema = jsonschema.Draft202012Validator(json_schema("assessment"))
        path = EXAMPLES / "data" / "assessments.jsonl"
        verdicts = []
        for line in path.read_text(encoding="utf-8").splitlines():
            document = json.loads(line)
            try:
                load_assessment(document)
            except InvalidJSONError:
                accepted = False
            else:
                accepted = True
            verdicts.append((schema.is_valid(document), accepted))

        assert [(ok, ok) for ok, _ in verdicts] == verdicts
        assert 2 == [ok for ok, _ in verdicts].count(False)

    def test_jsonl_output_matches_the_batch_result_schema(
        self, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """
        With --jsonl, each output line is a batch-result document carrying
        the input position and the id, in input order, with the
        escalation or the error.
        """
        main = load_example("batch_from_file.py")["main"]

        status = main(["--jsonl"])
        lines = capsys.readouterr().out.splitlines()

        schema = jsonschema.Draft202012Validator(json_schema("batch-result"))
        results = [json.loads(line) for line in lines]
        assert 1 == status
        assert [] == [
            e.message for r in results for e in schema.iter_errors(r)
        ]
        assert list(range(8)) == [r["index"] for r in results]
        assert [
            "strain",
            "saddle-numbness",
            "typo-in-form",
            "cancer-history",
            "two-weak-flags",
            "unknown-question",
            "partial-intake",
            "chest-pain",
        ] == [r["id"] for r in results]
        assert "emergency_ambulance" == results[-1]["escalation"]["level"]
        assert "chest-pain" == results[-1]["escalation"]["id"]
        assert results[2]["escalation"] is None
        assert "InvalidJSONError" == results[2]["error"]["type"]
        assert [
            {
                "path": "$.pain_score",
                "message": "must be from 0 to 10 points (0-10); got 11",
            }
        ] == results[2]["error"]["problems"]

    def test_clean_file_exits_zero(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """
        A file with only good lines (and a blank one) returns 0.
        """
        cases = tmp_path / "cases.jsonl"
        cases.write_text(
            json.dumps(
                {
                    "schema_version": "1",
                    "id": "x",
                    "answers": {"chest_pain": True},
                }
            )
            + "\n\n",
            encoding="utf-8",
        )
        main = load_example("batch_from_file.py")["main"]

        status = main([str(cases)])

        assert 0 == status
        assert "AMBULANCE" in capsys.readouterr().out

    @pytest.mark.parametrize(
        ("line", "reason"),
        [
            ("[1, 2]", "$: expected a JSON object; got an array"),
            (
                '{"schema_version": "1", "id": "x", "colour": "red"}',
                "$.colour: unknown key",
            ),
            (
                '{"schema_version": "1", "answers": {"fever": "yes"}}',
                '$.answers.fever: expected "present", "absent" or "unknown"',
            ),
            ('{"answers": {}}', "$.schema_version: missing"),
            ("not json", "$: not valid JSON"),
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
        Lines of the wrong shape are rejected with a reason, the line
        after them is still evaluated, and the status is 1.
        """
        cases = tmp_path / "cases.jsonl"
        good = '{"schema_version": "1", "id": "after"}'
        cases.write_text(line + "\n" + good + "\n", encoding="utf-8")
        main = load_example("batch_from_file.py")["main"]

        status = main([str(cases)])

        out = capsys.readouterr().out
        assert 1 == status
        assert reason in out
        assert "after              ROUTINE" in out


class TestParallelBatch:
    """
    examples/parallel_batch.py: the same batch, shared among processes.
    """

    def test_processes_give_the_single_process_results_in_order(
        self, tmp_path: Path
    ) -> None:
        """
        Run as a script with two worker processes over a file of five
        chunks (of 5 lines), it prints exactly what one evaluate_batch over the whole
        file gives, in input order, with positions counted across chunks.
        """
        source = (EXAMPLES / "data" / "assessments.jsonl").read_text(
            encoding="utf-8"
        )
        lines = source.splitlines() * 3
        path = tmp_path / "cases.jsonl"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        example = load_example("parallel_batch.py")
        expected = [
            json.dumps(example["dump_batch_result"](r), ensure_ascii=False)
            for r in example["evaluate_batch"](lines)
        ]

        done = subprocess.run(  # noqa: S603 (our interpreter, fixed arguments)
            [
                sys.executable,
                str(EXAMPLES / "parallel_batch.py"),
                str(path),
                "2",
                "5",
            ],
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
        )

        assert 1 == done.returncode  # the bundled file has bad lines
        assert expected == done.stdout.splitlines()
        assert "24 records:" in done.stderr
        assert "rejected 6" in done.stderr

    def test_chunks_are_numbered_across_the_file(self) -> None:
        """
        The chunks cover every line once, each with its first index.
        """
        chunks = load_example("parallel_batch.py")["chunks"]

        assert [(0, ["a", "b"]), (2, ["c"])] == list(chunks("abc", 2))
        assert [] == list(chunks([], 2))

    def test_a_clean_file_exits_zero(self, tmp_path: Path) -> None:
        """
        With one worker per core (no WORKERS given), a file of good lines
        returns 0.
        """
        path = tmp_path / "cases.jsonl"
        path.write_text('{"schema_version": "1", "id": 1}\n', encoding="utf-8")

        done = subprocess.run(  # noqa: S603 (our interpreter, fixed arguments)
            [sys.executable, str(EXAMPLES / "parallel_batch.py"), str(path)],
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
        )

        assert 0 == done.returncode
        assert '"index": 0, "id": 1' in done.stdout


@pytest.fixture
def interview_server() -> Iterator[str]:
    """
    examples/http_interview.py's app served on a free port of 127.0.0.1
    in a thread; yields its URL and stops it afterwards.
    """
    example = load_example("http_interview.py")
    server = make_server(
        "127.0.0.1", 0, example["app"], handler_class=example["QuietHandler"]
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/interview"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def post(url: str, body: object) -> tuple[int, Any]:
    """
    POST *body* as JSON to *url* over HTTP; the status and parsed reply.
    """
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    request = urllib.request.Request(  # noqa: S310 (a loopback http URL)
        url, data=data, headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        with error:
            return error.code, json.loads(error.read())


def run_interview(
    url: str, replies: dict[str, Any], request_id: str
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """
    Walk one interview over HTTP, keeping nothing but the last state:
    "no" / "none of these" unless *replies* says otherwise.
    """
    status, reply = post(url, {"id": request_id, "state": None})
    replies_seen = [reply]
    while reply["prompt"] is not None:
        assert 200 == status
        question = reply["prompt"]["id"]
        answer = {"question": question, "value": replies.get(question, False)}
        status, reply = post(url, {"state": reply["state"], "answer": answer})
        replies_seen.append(reply)
    return replies_seen, reply


class TestHttpInterview:
    """
    examples/http_interview.py: a stateless handler, over real HTTP.
    """

    PLAIN = {  # noqa: RUF012 (read only)
        "minor_strain_onset": True,
        "age_years": 35,
        "pain_score": 5,
        "duration_days": 1,
        "episodes_past_year": 0,
    }

    def test_a_plain_strain_reaches_self_care_with_its_id(
        self, interview_server: str
    ) -> None:
        """
        A plain strain answered turn by turn, the state carried by the
        client, reaches self-care in 12 prompts; every reply carries the
        correlation id, every state and the report match their schemas.
        """
        replies, last = run_interview(interview_server, self.PLAIN, "req-7")

        state_schema = jsonschema.Draft202012Validator(
            json_schema("interview-state")
        )
        report_schema = jsonschema.Draft202012Validator(json_schema("report"))
        assert 13 == len(replies)  # 12 prompts, then the report
        assert {"req-7"} == {r["id"] for r in replies}
        assert all(state_schema.is_valid(r["state"]) for r in replies)
        assert report_schema.is_valid(last["report"])
        assert "self_care" == last["report"]["escalation"]["level"]
        assert "req-7" == last["report"]["assessment"]["id"]

    def test_an_emergency_ends_the_interview_at_once(
        self, interview_server: str
    ) -> None:
        """
        Both legs numb: the interview stops and the report is an
        emergency, whatever was left to ask.
        """
        replies = {**self.PLAIN, "group_nerve_signs": True, "both_legs": True}

        _, last = run_interview(interview_server, replies, "req-8")

        assert "emergency" == last["report"]["escalation"]["level"]
        assert "cauda_equina" in [
            f["id"] for f in last["report"]["escalation"]["fired"]
        ]

    def test_the_server_keeps_no_state_between_turns(
        self, interview_server: str
    ) -> None:
        """
        Two interviews interleaved on one server do not mix, and a state
        replayed gives the same reply again.
        """
        _, a = post(interview_server, {"id": "a", "state": None})
        _, b = post(interview_server, {"id": 2, "state": None})
        answer = {"question": a["prompt"]["id"], "value": True}

        _, a1 = post(interview_server, {"state": a["state"], "answer": answer})
        _, a2 = post(interview_server, {"state": a["state"], "answer": answer})
        _, b1 = post(interview_server, {"state": b["state"]})

        assert ("a", 2) == (a1["id"], b1["id"])
        assert a1["state"] == a2["state"]
        assert b["state"] == b1["state"]

    def test_a_state_from_another_rule_set_gets_409(
        self, interview_server: str
    ) -> None:
        """
        A state saved under another rule-set digest is refused with 409
        and a message saying why.
        """
        _, reply = post(interview_server, {"id": "x", "state": None})
        state = reply["state"]
        state["rule_set"]["digest"] = "0" * 64

        status, refused = post(interview_server, {"state": state})

        assert 409 == status
        assert "$.rule_set.digest" == refused["problems"][0]["path"]
        assert "start a new interview" in refused["problems"][0]["message"]

    @pytest.mark.parametrize(
        ("body", "path"),
        [
            (b"[1, 2]", "$"),
            (b"{not json", "$"),
            ({"state": {"schema_version": "1"}}, "$.state.rule_set"),
            ({"state": None, "colour": 1}, "$.colour"),
            ({"state": None, "answer": "yes"}, "$.answer"),
            (
                {"state": None, "answer": {"question": "fevr", "value": True}},
                "$",
            ),
            (
                {
                    "state": None,
                    "answer": {"question": "age_years", "value": 200},
                },
                "$",
            ),
        ],
    )
    def test_bad_requests_get_400_with_the_problem(
        self, interview_server: str, body: object, path: str
    ) -> None:
        """
        A bad body, state or answer is a 400 naming where the problem is,
        never a 500.
        """
        status, refused = post(interview_server, body)

        assert 400 == status
        assert path == refused["problems"][0]["path"]

    def test_other_paths_and_methods_are_refused(
        self, interview_server: str
    ) -> None:
        """
        Only POST /interview is served; a body over 64 KiB is refused.
        """
        with pytest.raises(urllib.error.HTTPError) as not_found:
            urllib.request.urlopen(interview_server + "x", timeout=10)  # noqa: S310
        with pytest.raises(urllib.error.HTTPError) as get:
            urllib.request.urlopen(interview_server, timeout=10)  # noqa: S310
        status, _ = post(interview_server, b" " * (65 * 1024))

        not_found.value.close()
        get.value.close()
        assert (404, 405, 413) == (
            not_found.value.code,
            get.value.code,
            status,
        )


class TestStreamAssessments:
    """
    examples/stream_assessments.py: evaluate_many over a generator.
    """

    def test_progress_levels_and_ids(
        self, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """
        Progress every 2,500 records, the levels add up to 10,000, and
        the ambulance ids are exactly the records with chest pain.
        """
        example = load_example("stream_assessments.py")
        chest_pain = [
            a.id
            for a in example["intake"](10_000)
            if a.answer("chest_pain").value == "present"
        ]

        with pytest.raises(SystemExit) as done:
            run_example("stream_assessments.py", capsys)
        out = capsys.readouterr().out.splitlines()

        assert 0 == done.value.code
        assert [f"... {n:,} evaluated" for n in (2500, 5000, 7500, 10000)] == (
            out[:4]
        )
        counts = [
            int(p.split()[1].replace(",", "")) for p in out[4].split(", ")
        ]
        assert 10_000 == sum(counts)
        assert (
            f"ambulance: {len(chest_pain):,} records, first {chest_pain[:3]}"
        ) == out[5]
