# SPDX-License-Identifier: MIT
"""
JSON in and out: the strict loader, lossless round trips, the dumps.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given

import spasmcare
from spasmcare import (
    SCHEMA_VERSION,
    Answer,
    Assessment,
    InvalidJSONError,
    InvalidTypeError,
    InvalidValueError,
    SpasmcareError,
    Urgency,
    _json,
    dump_assessment,
    dump_care_plan,
    dump_escalation,
    dump_prompt,
    dump_report,
    evaluate,
    load_assessment,
    next_question,
    plan_care,
)

from .strategies import assessments

CASES = Path(__file__).parent.parent / "examples" / "cases"


def problems_of(document: Any) -> tuple[tuple[str, str], ...]:
    """
    The problems load_assessment reports for *document*.
    """
    with pytest.raises(InvalidJSONError) as caught:
        load_assessment(document)
    return caught.value.problems


def doc(**fields: Any) -> dict[str, Any]:
    """
    A document with the schema version and *fields*.
    """
    return {"schema_version": SCHEMA_VERSION, **fields}


class TestRoundTrip:
    """
    load(dump(x)) == x for every assessment.
    """

    @given(assessments())
    def test_dict_round_trip(self, assessment: Assessment) -> None:
        """
        Loading a dumped assessment gives back an equal one.
        """
        assert assessment == load_assessment(dump_assessment(assessment))

    @given(assessments())
    def test_text_round_trip(self, assessment: Assessment) -> None:
        """
        The round trip also holds through JSON text, str and bytes.
        """
        text = json.dumps(dump_assessment(assessment))

        assert assessment == load_assessment(text)
        assert assessment == load_assessment(text.encode())

    def test_explicit_unknown_is_kept(self) -> None:
        """
        An explicit "unknown" answer survives the round trip, so a
        "don't know" is not confused with "never asked".
        """
        a = Assessment.from_answers({"fever": None})

        assert {"fever": "unknown"} == dump_assessment(a)["answers"]
        assert a == load_assessment(dump_assessment(a))

    def test_dump_shape(self) -> None:
        """
        A dump has the version, the answers in catalogue order and every
        number, null when unknown.
        """
        a = Assessment.from_answers(
            {"fever": False, "chest_pain": True}, pain_score=4
        )

        assert {
            "schema_version": "1",
            "answers": {"fever": "absent", "chest_pain": "present"},
            "age_years": None,
            "pain_score": 4,
            "duration_days": None,
            "episodes_past_year": None,
        } == dump_assessment(a)
        assert ["fever", "chest_pain"] == list(dump_assessment(a)["answers"])


class TestLoadValid:
    """
    What the loader accepts.
    """

    def test_minimal_document(self) -> None:
        """
        Only the schema version is required; everything else is unknown.
        """
        assert Assessment() == load_assessment('{"schema_version": "1"}')

    def test_mapping_input(self) -> None:
        """
        An already parsed mapping is accepted.
        """
        expected = Assessment.from_answers({"fever": True}, age_years=40)

        assert expected == load_assessment(
            doc(answers={"fever": "present"}, age_years=40)
        )

    def test_null_numbers_are_unknown(self) -> None:
        """
        A number given as null is unknown, like one left out.
        """
        assert Assessment() == load_assessment(doc(pain_score=None))

    def test_integral_float_is_an_integer(self) -> None:
        """
        5.0 is an integer in JSON Schema, so the loader takes it as 5.
        """
        assert (
            5
            == load_assessment(
                '{"schema_version":"1","pain_score":5.0}'
            ).pain_score
        )

    def test_utf8_bom_and_bytearray(self) -> None:
        """
        UTF-8 with a byte-order mark, and bytearrays, are read.
        """
        text = '{"schema_version": "1", "pain_score": 3}'
        expected = Assessment(pain_score=3)

        assert expected == load_assessment(b"\xef\xbb\xbf" + text.encode())
        assert expected == load_assessment(bytearray(text.encode()))

    @pytest.mark.parametrize(
        "path", sorted(CASES.glob("*.json")), ids=lambda p: p.stem
    )
    def test_bundled_cases_load(self, path: Path) -> None:
        """
        Every bundled case loads and round-trips to the same assessment.
        """
        assessment = load_assessment(path.read_bytes())

        assert assessment == load_assessment(dump_assessment(assessment))


class TestLoadInvalid:
    """
    Malformed input of every kind is rejected with its JSON path and the
    reason, every problem at once.
    """

    @pytest.mark.parametrize(
        ("document", "message"),
        [
            ("", "empty document; expected a JSON object"),
            (b"  \n", "empty document; expected a JSON object"),
            (
                '{"schema_version": "1", "pain',
                (
                    "not valid JSON: Unterminated string starting at "
                    "(line 1, column 25)"
                ),
            ),
            (
                b"\x89PNG\r\n\x1a\n\x00",
                (
                    "not UTF-8 text (bad byte at offset 0); "
                    "expected a JSON object"
                ),
            ),
            ("[1, 2]", "expected a JSON object; got an array"),
            ('"text"', 'expected a JSON object; got "text" (a string)'),
            (
                '{"a": 1, "a": 2}',
                "not valid JSON: the key 'a' appears twice in one object",
            ),
            (
                '{"schema_version": "1", "pain_score": NaN}',
                "not valid JSON: NaN is not a JSON number",
            ),
            ("[" * 100_000, "not valid JSON: nested too deeply"),
        ],
    )
    def test_unreadable_documents(self, document: Any, message: str) -> None:
        """
        Text that is not a JSON object is one problem at the root.
        """
        assert (("$", message),) == problems_of(document)

    def test_every_problem_at_once(self) -> None:
        """
        Unknown keys, wrong types, values out of range and unknown findings
        are all reported, each at its JSON path.
        """
        document = {
            "schema_version": "2",
            "answers": {
                "fevr": "present",
                "fever": "yes",
                "age_years": "absent",
                "odd key": "absent",
            },
            "age_years": "forty",
            "pain_score": 11,
            "duration_days": 1.5,
            "episodes_past_year": True,
            "bogus": 1,
            "chest_pain": "absent",
            "painscore": 3,
        }

        assert (
            ("$.schema_version", 'expected "1"; got "2" (a string)'),
            ("$.answers.fevr", "unknown finding id; did you mean 'fever'?"),
            (
                "$.answers.fever",
                (
                    'expected "present", "absent" or "unknown" '
                    '(or true, false, null); got "yes" (a string)'
                ),
            ),
            (
                "$.answers.age_years",
                (
                    "age_years is a number, not a yes/no finding; "
                    "give it outside 'answers'"
                ),
            ),
            (
                '$.answers["odd key"]',
                "unknown finding id; see `spasmcare schema`",
            ),
            (
                "$.age_years",
                (
                    "expected a whole number from 0 to 120 (years), or null; "
                    'got "forty" (a string)'
                ),
            ),
            ("$.pain_score", "must be from 0 to 10 points (0-10); got 11"),
            (
                "$.duration_days",
                (
                    "expected a whole number from 0 to 36500 (days), or null; "
                    "got 1.5"
                ),
            ),
            (
                "$.episodes_past_year",
                (
                    "expected a whole number from 0 to 365 (episodes), or null; "
                    "got true (a boolean)"
                ),
            ),
            (
                "$.bogus",
                (
                    "unknown key; expected one of: schema_version, id, answers, "
                    "age_years, pain_score, duration_days, episodes_past_year"
                ),
            ),
            (
                "$.chest_pain",
                (
                    "unknown key; chest_pain is a yes/no finding: "
                    "put it in 'answers'"
                ),
            ),
            ("$.painscore", "unknown key; did you mean 'pain_score'?"),
        ) == problems_of(document)

    def test_missing_schema_version(self) -> None:
        """
        Every document carries its schema version.
        """
        assert (("$.schema_version", "missing; expected '1'"),) == problems_of(
            {"pain_score": 3}
        )

    def test_answers_must_be_an_object(self) -> None:
        """
        The answers are an object from finding id to answer.
        """
        assert (
            (
                "$.answers",
                (
                    'expected an object from finding id to "present", "absent" '
                    'or "unknown"; got an array'
                ),
            ),
        ) == problems_of(doc(answers=["fever"]))

    def test_episode_longer_than_life(self) -> None:
        """
        The model's check across fields is reported at the field it names.
        """
        assert (
            (
                "$.duration_days",
                "is longer than the person's life (age_years=20); got 9000",
            ),
        ) == problems_of(doc(age_years=20, duration_days=9000))

    def test_error_type_and_message(self) -> None:
        """
        InvalidJSONError is an InvalidValueError (so a ValueError) whose
        field is the first path and whose message lists every problem.
        """
        with pytest.raises(InvalidJSONError) as caught:
            load_assessment(doc(pain_score=-1, age_years=130))
        error = caught.value

        assert isinstance(error, InvalidValueError)
        assert isinstance(error, SpasmcareError)
        assert isinstance(error, ValueError)
        assert "$.pain_score" == error.field  # the first in the document
        assert doc(pain_score=-1, age_years=130) == error.value
        assert (
            "invalid JSON document (2 problems): "
            "$.pain_score: must be from 0 to 10 points (0-10); got -1; "
            "$.age_years: must be from 0 to 120 years; got 130"
        ) == str(error)

    def test_single_problem_message(self) -> None:
        """
        One problem reads "1 problem"; an error without problems is at $.
        """
        assert "invalid JSON document (1 problem): $: bad" == str(
            InvalidJSONError([("$", "bad")])
        )
        assert "$" == InvalidJSONError([]).field

    def test_wrong_argument_type(self) -> None:
        """
        A value that is no JSON value at all is a type error.
        """
        with pytest.raises(InvalidTypeError, match="document=<object"):
            load_assessment(object())  # type: ignore[arg-type]

    @pytest.mark.parametrize("value", [42, 1.5, True, None, [], [{}], ()])
    def test_a_parsed_document_of_any_json_type_is_a_json_error(
        self, value: object
    ) -> None:
        """
        An already parsed body that is not an object (an array, a number,
        null ...) raises InvalidJSONError, as the same text does: a
        handler that catches InvalidJSONError never returns a 500.
        """
        with pytest.raises(InvalidJSONError, match="expected a JSON object"):
            load_assessment(value)  # type: ignore[arg-type]
        with pytest.raises(InvalidJSONError, match="expected a JSON object"):
            load_assessment(json.dumps(value))


class TestDescriptions:
    """
    Error messages describe what was found in JSON terms.
    """

    @pytest.mark.parametrize(
        ("value", "text"),
        [
            (None, "null"),
            (False, "false (a boolean)"),
            (7, "7"),
            (2.5, "2.5"),
            ("x" * 50, '"' + "x" * 37 + '..." (a string)'),
            ({}, "an object"),
            ([], "an array"),
            ({1}, "set"),
        ],
    )
    def test_found(self, value: object, text: str) -> None:
        """
        Each kind of JSON value is named; long strings are cut.
        """
        assert text == _json.found(value)

    def test_unexpected_errors_are_kept(self) -> None:
        """
        An error the walker does not know is still reported, not lost.
        """
        assert [("$.x", "KeyError: 'y'")] == _json.problems(
            KeyError("y"), "$.x"
        )

    def test_key_paths(self) -> None:
        """
        Identifier keys use dots; other keys are quoted in brackets.
        """
        assert "$.a_1" == _json.key_path("$", "a_1")
        assert '$["1a"]' == _json.key_path("$", "1a")
        assert '$["7"]' == _json.key_path("$", 7)


class TestDumps:
    """
    Escalations, care plans, reports and prompts as JSON.
    """

    def test_escalation(self) -> None:
        """
        The escalation carries the level, category, actions, fired rules
        with facts and citations, pending and unanswered ids, the rule
        set's id, version and digest, and the notice.
        """
        a = Assessment.from_answers({"saddle_numbness": True})
        e = evaluate(a)

        out = dump_escalation(e)

        assert [
            "schema_version",
            "id",
            "level",
            "category",
            "referral_required",
            "screening_complete",
            "action",
            "timeframe",
            "fired",
            "pending",
            "unanswered",
            "rule_set",
            "notice",
        ] == list(out)
        assert "emergency" == out["level"]
        assert "emergent" == out["category"]
        assert out["referral_required"] is True
        assert out["screening_complete"] is False
        assert e.action == out["action"]
        fired = out["fired"][0]
        assert "cauda_equina" == fired["id"]
        assert e.fired[0].rule.title == fired["title"]
        assert "emergency" == fired["urgency"]
        assert e.fired[0].rule.rationale == fired["rationale"]
        assert [{"question": "saddle_numbness", "value": "present"}] == fired[
            "facts"
        ]
        assert "nice-ng59" == fired["citations"][0]["key"]
        assert list(e.pending) == out["pending"]
        assert list(e.unanswered) == out["unanswered"]
        assert {
            "id": e.rule_set.id,
            "version": e.rule_set.version,
            "digest": e.rule_set.digest,
        } == out["rule_set"]
        assert e.notice == out["notice"]

    def test_numeric_facts(self) -> None:
        """
        A fact about a number holds the number.
        """
        e = evaluate(Assessment(pain_score=9))

        facts = dump_escalation(e)["fired"][0]["facts"]

        assert [{"question": "pain_score", "value": 9}] == facts

    def test_care_plan_and_report(self) -> None:
        """
        The care plan dump holds every step; the report holds both dumps.
        """
        a = Assessment.from_answers({"fever": True})
        e = evaluate(a)
        plan = plan_care(a, e)

        out = dump_care_plan(plan)
        at = dt.datetime(2026, 3, 2, 9, 25, tzinfo=dt.UTC)
        report = dump_report(e, plan, created_at=at)

        assert "1" == out["schema_version"]
        assert [s.id for s in plan.steps] == [s["id"] for s in out["steps"]]
        assert (
            list(plan.safety_net.emergency) == out["safety_net"]["emergency"]
        )
        assert {
            "schema_version": "1",
            "id": None,
            "assessment": dump_assessment(a),
            "escalation": dump_escalation(e),
            "care_plan": out,
            "audit": {
                "created_at": "2026-03-02T09:25:00.000Z",
                "spasmcare_version": spasmcare.__version__,
                "input_sha256": hashlib.sha256(
                    json.dumps(
                        dump_assessment(a),
                        sort_keys=True,
                        separators=(",", ":"),
                    ).encode()
                ).hexdigest(),
            },
        } == report
        assert report == json.loads(json.dumps(report))

    def test_prompt(self) -> None:
        """
        A prompt dump names the question, its type, its red-flag level and
        why it is asked.
        """
        prompt = next_question(Assessment.from_answers({"pregnant": False}))
        assert prompt is not None

        out = dump_prompt(prompt)

        assert prompt.id == out["id"]
        assert "yes_no" == out["kind"]
        assert Urgency.AMBULANCE.value == out["red_flag"]
        assert list(prompt.why) == out["why"]

    @pytest.mark.parametrize(
        "dump",
        [dump_assessment, dump_escalation, dump_care_plan, dump_prompt],
    )
    def test_wrong_type(self, dump: Any) -> None:
        """
        Each dump rejects anything but its own record.
        """
        with pytest.raises(InvalidTypeError):
            dump(Answer.PRESENT)
