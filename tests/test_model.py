# SPDX-License-Identifier: MIT
"""
Symptom and Assessment: validated, immutable, tri-state.
"""

from __future__ import annotations

import pickle

import attrs
import pytest

from spasmcare import (
    QUESTIONS,
    Answer,
    AnswerKind,
    Assessment,
    InvalidTypeError,
    InvalidValueError,
    SpasmcareError,
    Symptom,
    UnknownFindingError,
)


class TestAnswer:
    """
    Answers map from booleans and None.
    """

    @pytest.mark.parametrize(
        ("given", "expected"),
        [
            (True, Answer.PRESENT),
            (False, Answer.ABSENT),
            (None, Answer.UNKNOWN),
        ],
    )
    def test_from_bool(self, given: bool | None, expected: Answer) -> None:
        """
        True, False and None map to present, absent and unknown.
        """
        assert expected == Answer.from_bool(given)


class TestSymptom:
    """
    A symptom names a known finding and an answer.
    """

    def test_valid(self) -> None:
        """
        A known finding with an answer builds.
        """
        s = Symptom(finding="fever", answer=Answer.ABSENT)

        assert ("fever", Answer.ABSENT) == (s.finding, s.answer)

    def test_is_frozen(self) -> None:
        """
        Symptoms cannot be changed after construction.
        """
        s = Symptom(finding="fever", answer=Answer.ABSENT)

        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            s.answer = Answer.PRESENT  # type: ignore[misc]

    def test_unknown_finding(self) -> None:
        """
        An unknown id raises UnknownFindingError naming field and value.
        """
        with pytest.raises(UnknownFindingError) as e:
            Symptom(finding="fevr", answer=Answer.PRESENT)

        assert "Symptom.finding" == e.value.field
        assert "fevr" == e.value.value
        assert "Symptom.finding='fevr'" in str(e.value)

    @pytest.mark.parametrize(
        ("fields", "field"),
        [
            ({"finding": 3, "answer": Answer.PRESENT}, "Symptom.finding"),
            ({"finding": "fever", "answer": True}, "Symptom.answer"),
            ({"finding": "fever", "answer": "present"}, "Symptom.answer"),
        ],
    )
    def test_wrong_types(self, fields: dict[str, object], field: str) -> None:
        """
        Wrong types raise InvalidTypeError, also a TypeError.
        """
        with pytest.raises(TypeError) as e:
            Symptom(**fields)  # type: ignore[arg-type]

        assert isinstance(e.value, InvalidTypeError)
        assert field == e.value.field

    def test_positional_arguments_are_refused(self) -> None:
        """
        Fields are keyword-only, so they cannot be transposed.
        """
        with pytest.raises(TypeError):
            Symptom("fever", Answer.PRESENT)  # type: ignore[call-arg]


class TestAssessment:
    """
    Assessments are validated, immutable and order-independent.
    """

    def test_unlisted_findings_are_unknown_never_absent(self) -> None:
        """
        A question nobody asked reads as unknown.
        """
        a = Assessment()

        assert Answer.UNKNOWN == a.answer("saddle_numbness")
        assert a.number("pain_score") is None

    def test_symptom_order_is_canonical(self) -> None:
        """
        The same symptoms in any order give equal assessments.
        """
        x = Symptom(finding="fever", answer=Answer.ABSENT)
        y = Symptom(finding="chest_pain", answer=Answer.PRESENT)

        assert Assessment(symptoms=(x, y)) == Assessment(symptoms=[y, x])
        assert (y, x) == Assessment(symptoms=(x, y)).symptoms

    def test_from_answers(self) -> None:
        """
        from_answers() maps bools, None and Answers; numbers pass through.
        """
        a = Assessment.from_answers(
            {
                "fever": True,
                "chest_pain": False,
                "night_pain": None,
                "incontinence": Answer.ABSENT,
            },
            age_years=40,
            pain_score=3,
            duration_days=2,
            episodes_past_year=1,
        )

        assert Answer.PRESENT == a.answer("fever")
        assert Answer.ABSENT == a.answer("chest_pain")
        assert Answer.UNKNOWN == a.answer("night_pain")
        assert Answer.ABSENT == a.answer("incontinence")
        assert (40, 3, 2, 1) == (
            a.age_years,
            a.pain_score,
            a.duration_days,
            a.episodes_past_year,
        )
        assert Assessment() == Assessment.from_answers()

    def test_from_answers_rejects_a_non_mapping(self) -> None:
        """
        Answers must be a mapping.
        """
        with pytest.raises(InvalidTypeError, match="answers"):
            Assessment.from_answers(["fever"])  # type: ignore[arg-type]

    def test_from_answers_rejects_odd_answers(self) -> None:
        """
        An answer that is not a bool, None or Answer names its key.
        """
        with pytest.raises(InvalidTypeError) as e:
            Assessment.from_answers({"fever": "yes"})  # type: ignore[dict-item]

        assert "answers['fever']" == e.value.field

    def test_with_answer_replaces(self) -> None:
        """
        with_answer() returns a copy with one answer replaced.
        """
        a = Assessment.from_answers({"fever": False})

        b = a.with_answer("fever", Answer.PRESENT)

        assert Answer.ABSENT == a.answer("fever")
        assert Answer.PRESENT == b.answer("fever")
        assert 1 == len(b.symptoms)

    @pytest.mark.parametrize(
        ("field", "value"),
        [
            ("pain_score", 11),
            ("pain_score", -1),
            ("age_years", -1),
            ("age_years", 121),
            ("duration_days", -1),
            ("episodes_past_year", -2),
            ("episodes_past_year", 366),
        ],
    )
    def test_out_of_range_numbers(self, field: str, value: int) -> None:
        """
        Out-of-range numbers raise InvalidValueError naming field and value.
        """
        with pytest.raises(InvalidValueError) as e:
            Assessment(**{field: value})

        assert f"Assessment.{field}" == e.value.field
        assert value == e.value.value
        assert isinstance(e.value, ValueError)
        assert isinstance(e.value, SpasmcareError)

    @pytest.mark.parametrize("value", ["5", 5.0, True, [5]])
    def test_wrong_number_types(self, value: object) -> None:
        """
        Strings, floats and bools are not integers.
        """
        with pytest.raises(InvalidTypeError) as e:
            Assessment(pain_score=value)  # type: ignore[arg-type]

        assert "Assessment.pain_score" == e.value.field
        assert "expected an integer or None" in str(e.value)

    def test_duration_longer_than_life(self) -> None:
        """
        An episode cannot be longer than the person has lived.
        """
        with pytest.raises(InvalidValueError, match="longer than the person"):
            Assessment(age_years=20, duration_days=21 * 366 + 1)

    def test_a_finding_answered_twice(self) -> None:
        """
        Two answers to one finding are refused, naming the finding.
        """
        s = Symptom(finding="fever", answer=Answer.ABSENT)

        with pytest.raises(InvalidValueError) as e:
            Assessment(symptoms=(s, attrs.evolve(s, answer=Answer.PRESENT)))

        assert "fever" == e.value.value

    @pytest.mark.parametrize("value", ["fever", 3, None, {"fever": 1}])
    def test_symptoms_must_be_an_iterable_of_symptoms(
        self, value: object
    ) -> None:
        """
        Anything but an iterable of Symptom is a type error.
        """
        with pytest.raises(InvalidTypeError, match=r"Assessment\.symptoms"):
            Assessment(symptoms=value)

    def test_symptoms_items_must_be_symptoms(self) -> None:
        """
        A non-Symptom item is named in the error.
        """
        ok = Symptom(finding="fever", answer=Answer.ABSENT)

        with pytest.raises(InvalidTypeError, match=r"symptoms\[\]") as e:
            Assessment(symptoms=(ok, "chest_pain"))

        assert "chest_pain" == e.value.value

    def test_unknown_ids_in_lookups(self) -> None:
        """
        Looking up an unknown finding or number is an error, not unknown.
        """
        a = Assessment()

        with pytest.raises(UnknownFindingError):
            a.answer("fevr")
        with pytest.raises(UnknownFindingError):
            a.number("fever")

    def test_is_frozen_hashable_and_picklable(self) -> None:
        """
        Assessments are immutable values.
        """
        a = Assessment.from_answers({"fever": False}, pain_score=2)

        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            a.pain_score = 3  # type: ignore[misc]
        assert hash(a) == hash(pickle.loads(pickle.dumps(a)))
        assert a == pickle.loads(pickle.dumps(a))


class TestQuestions:
    """
    The question catalogue is the one source of ids, text and limits.
    """

    def test_integer_questions_match_assessment_fields(self) -> None:
        """
        Each integer question is an Assessment field, with limits.
        """
        fields = {f.name for f in attrs.fields(Assessment)}
        for q in QUESTIONS.values():
            if q.kind is AnswerKind.INTEGER:
                assert q.id in fields
                assert q.minimum is not None
                assert q.maximum is not None

    def test_every_question_has_text(self) -> None:
        """
        Every question has a label and a question ending in '?' or ')'.
        """
        for q in QUESTIONS.values():
            assert q.label
            assert q.text.rstrip().endswith(("?", ")"))
