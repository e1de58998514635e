# SPDX-License-Identifier: MIT
"""
Saving and restoring an interview in progress: dump_interview and
load_interview (issue 10), and the interview's own argument checks
(issue 15).
"""

from __future__ import annotations

import json
from typing import Any

import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st

from spasmcare import (
    DEFAULT_RULES,
    GROUPS,
    QUESTIONS,
    Answer,
    Assessment,
    Interview,
    InvalidJSONError,
    InvalidTypeError,
    InvalidValueError,
    MismatchError,
    RuleSetMismatchError,
    dump_interview,
    json_schema,
    load_interview,
    next_question,
)

from .strategies import assessments

STATE_SCHEMA = jsonschema.Draft202012Validator(json_schema("interview-state"))


@st.composite
def interviews(draw: st.DrawFn) -> Interview:
    """
    Interviews in progress: any assessment, with or without an id, and
    any questions and groups asked.
    """
    assessment = draw(assessments())
    if draw(st.booleans()):
        assessment = Assessment(
            symptoms=assessment.symptoms,
            age_years=assessment.age_years,
            pain_score=assessment.pain_score,
            duration_days=assessment.duration_days,
            episodes_past_year=assessment.episodes_past_year,
            id=draw(st.text(min_size=1, max_size=20).filter(str.strip)),
        )
    asked = draw(st.frozensets(st.sampled_from([*QUESTIONS, *GROUPS])))
    return Interview(assessment=assessment, asked=asked)


def scripted(interview: Interview, turns: int) -> Interview:
    """
    *interview* after *turns* "no" answers (numbers: 1), saving and
    restoring it through JSON text between every turn.
    """
    for _ in range(turns):
        prompt = interview.next_question()
        if prompt is None:
            break
        value = prompt.minimum if prompt.kind.value == "integer" else False
        restored = load_interview(json.dumps(dump_interview(interview)))
        interview = restored.answer(prompt.id, value)
    return interview


class TestRoundTrip:
    """
    dump_interview then load_interview gives back the same interview.
    """

    @given(interviews())
    def test_any_interview_round_trips_through_json_text(
        self, interview: Interview
    ) -> None:
        """
        Answers (unknown ones stay unknown), the questions asked, the id
        and the rule set all come back; the state matches its schema.
        """
        state = dump_interview(interview)

        restored = load_interview(json.dumps(state))

        assert interview == restored
        assert interview.next_question() == restored.next_question()
        assert STATE_SCHEMA.is_valid(state)
        assert state == dump_interview(restored)

    def test_the_state_holds_the_rule_set_and_sorted_asked(self) -> None:
        """
        The state records the rule set's id, version and digest, the
        assessment document and the asked ids in sorted order.
        """
        interview = Interview(
            assessment=Assessment.from_answers({"fever": None}, id="c-1"),
            asked=["pain_score", "fever", "group_emergency_signs"],
        )

        state = dump_interview(interview)

        assert {
            "id": DEFAULT_RULES.id,
            "version": DEFAULT_RULES.version,
            "digest": DEFAULT_RULES.digest,
        } == state["rule_set"]
        assert "c-1" == state["assessment"]["id"]
        assert {"fever": "unknown"} == state["assessment"]["answers"]
        assert ["fever", "group_emergency_signs", "pain_score"] == state[
            "asked"
        ]

    def test_saving_between_every_turn_changes_nothing(self) -> None:
        """
        An interview saved and restored between every turn asks the same
        questions and ends where one kept in memory does.
        """
        in_memory = Interview()
        turns = 0
        while (prompt := in_memory.next_question()) is not None:
            value = prompt.minimum if prompt.kind.value == "integer" else False
            in_memory = in_memory.answer(prompt.id, value)
            turns += 1

        assert turns > 5
        assert in_memory == scripted(Interview(), turns + 1)
        assert in_memory.escalation.screening_complete

    def test_a_custom_rule_set_round_trips_with_itself(self) -> None:
        """
        A state saved under a custom rule set loads with that rule set.
        """
        local = DEFAULT_RULES.without("frequent_recurrence", version="x.1")
        interview = Interview(rules=local).answer(
            "group_emergency_signs",
            False,  # noqa: FBT003
        )

        restored = load_interview(dump_interview(interview), rules=local)

        assert interview == restored
        assert local is restored.rules


class TestStaleState:
    """
    A state saved under another rule-set digest is refused.
    """

    def test_another_digest_is_refused_with_a_clear_error(self) -> None:
        """
        The error is a RuleSetMismatchError, also an InvalidJSONError and
        a MismatchError, at $.rule_set.digest, naming both rule sets and
        saying what to do.
        """
        state = dump_interview(Interview())
        local = DEFAULT_RULES.without("frequent_recurrence", version="x.2")

        with pytest.raises(RuleSetMismatchError) as caught:
            load_interview(state, rules=local)

        error = caught.value
        assert isinstance(error, InvalidJSONError)
        assert isinstance(error, MismatchError)
        assert "$.rule_set.digest" == error.field
        assert f"not {local.id} x.2 (digest {local.digest[:12]})" in str(error)
        assert "start a new interview" in str(error)

    def test_the_digest_decides_not_the_version(self) -> None:
        """
        A state whose digest was changed is refused even with the same id
        and version; one whose version text was changed but whose digest
        matches is accepted.
        """
        state = dump_interview(Interview())
        forged = {
            **state,
            "rule_set": {**state["rule_set"], "digest": "f" * 64},
        }
        renamed = {**state, "rule_set": {**state["rule_set"], "version": "9"}}

        with pytest.raises(RuleSetMismatchError):
            load_interview(forged)
        assert Interview() == load_interview(renamed)

    def test_a_mismatch_with_other_problems_lists_them_all(self) -> None:
        """
        With other problems too, every problem is an InvalidJSONError
        problem, the digest among them.
        """
        state = dump_interview(Interview())
        state["rule_set"]["digest"] = "0" * 64
        state["asked"] = ["nope"]

        with pytest.raises(InvalidJSONError) as caught:
            load_interview(state)

        assert not isinstance(caught.value, RuleSetMismatchError)
        assert ["$.rule_set.digest", "$.asked[0]"] == sorted(
            (path for path, _ in caught.value.problems), reverse=True
        )


class TestBadState:
    """
    A bad state document raises InvalidJSONError with every problem.
    """

    @pytest.mark.parametrize(
        ("change", "expected"),
        [
            ({"schema_version": "2"}, "$.schema_version"),
            ({"rule_set": None}, "$.rule_set"),
            ({"rule_set": {"id": "x"}}, "$.rule_set"),
            (
                {"rule_set": {"id": 1, "version": "1", "digest": "1"}},
                "$.rule_set",
            ),
            ({"assessment": None}, "$.assessment"),
            ({"assessment": [1]}, "$.assessment"),
            ({"assessment": 3j}, "$.assessment"),
            (
                {"assessment": {"schema_version": "1", "pain_score": 11}},
                "$.assessment.pain_score",
            ),
            ({"asked": None}, "$.asked"),
            ({"asked": "fever"}, "$.asked"),
            ({"asked": ["fever", 3]}, "$.asked[1]"),
            ({"asked": ["fevr"]}, "$.asked[0]"),
            ({"extra": 1}, "$.extra"),
        ],
    )
    def test_each_problem_is_named_by_its_path(
        self, change: dict[str, Any], expected: str
    ) -> None:
        """
        Each kind of problem is reported at its JSON path.
        """
        state = {**dump_interview(Interview()), **change}

        with pytest.raises(InvalidJSONError) as caught:
            load_interview(state)

        assert expected in [path for path, _ in caught.value.problems]

    def test_missing_keys_are_each_reported(self) -> None:
        """
        An empty object names every key that is missing.
        """
        with pytest.raises(InvalidJSONError) as caught:
            load_interview("{}")

        assert [
            "$.schema_version",
            "$.rule_set",
            "$.assessment",
            "$.asked",
        ] == [path for path, _ in caught.value.problems]

    @pytest.mark.parametrize("document", ["[]", [], 5, "null", None])
    def test_any_json_type_is_a_json_error(self, document: object) -> None:
        """
        Not an object, whatever its JSON type: InvalidJSONError.
        """
        with pytest.raises(InvalidJSONError, match="expected a JSON object"):
            load_interview(document)  # type: ignore[arg-type]

    def test_wrong_argument_types(self) -> None:
        """
        Not a JSON value, a rule set that is not one, or dumping something
        that is not an interview: InvalidTypeError.
        """
        with pytest.raises(InvalidTypeError, match="document"):
            load_interview(object())  # type: ignore[arg-type]
        with pytest.raises(InvalidTypeError, match="rules"):
            load_interview("{}", rules="x")  # type: ignore[arg-type]
        with pytest.raises(InvalidTypeError, match="interview"):
            dump_interview("x")  # type: ignore[arg-type]


class TestUnhashableIds:
    """
    Issue 15: a list or dict where a question id belongs raised a plain
    TypeError (unhashable); now InvalidTypeError naming the argument.
    """

    @pytest.mark.parametrize("bad", [["x"], {"a": 1}, 3])
    def test_every_entry_point_names_the_argument(self, bad: Any) -> None:
        """
        Interview.answer, Interview(asked=...), next_question(asked=...),
        Assessment.answer and json_schema all refuse it with their own
        error.
        """
        with pytest.raises(InvalidTypeError, match="question="):
            Interview().answer(bad, True)  # noqa: FBT003
        with pytest.raises(InvalidTypeError, match=r"asked\[\]="):
            Interview(asked=[bad])
        with pytest.raises(InvalidTypeError, match=r"asked\[\]="):
            next_question(Assessment(), asked=[bad])
        with pytest.raises(InvalidTypeError, match="finding="):
            Assessment().answer(bad)
        with pytest.raises(InvalidValueError, match="name="):
            json_schema(bad)


class TestNumberAcrossAnswers:
    """
    Issue 15: an age that does not fit the duration given earlier names
    the age, the answer just given.
    """

    def test_age_after_a_long_duration_names_the_age(self) -> None:
        """
        duration_days 9000, then age 20: the error's field is age_years
        and its value 20, and it says which earlier answer it clashes
        with.
        """
        interview = Interview().answer("duration_days", 9000)

        with pytest.raises(InvalidValueError) as caught:
            interview.answer("age_years", 20)

        assert ("age_years", 20) == (caught.value.field, caught.value.value)
        assert "duration_days=9000" in str(caught.value)
        assert "longer than the person's life" in str(caught.value)

    def test_a_number_out_of_its_own_range_still_names_itself(self) -> None:
        """
        An age out of range is reported on the age as before.
        """
        with pytest.raises(InvalidValueError, match=r"Assessment\.age_years"):
            Interview().answer("age_years", 500)

    def test_a_valid_pair_is_accepted(self) -> None:
        """
        An age that fits the duration is recorded.
        """
        interview = Interview().answer("duration_days", 9000)

        assert 30 == interview.answer("age_years", 30).assessment.age_years
        assert Answer.UNKNOWN == interview.assessment.answer("fever")
