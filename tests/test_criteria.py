# SPDX-License-Identifier: MIT
"""
The criterion language: Kleene logic, descriptions and validation.
"""

from __future__ import annotations

from typing import Any

import pytest

from spasmcare import (
    Answer,
    Assessment,
    InvalidTypeError,
    InvalidValueError,
    UnknownFindingError,
)
from spasmcare.criteria import (
    AllOf,
    AnyOf,
    AtLeast,
    AtMost,
    CountAtLeast,
    Criterion,
    Fact,
    OnsetBefore,
    Outcome,
    Present,
)

YES, NO = True, False


def _a(**answers: bool | None) -> Assessment:
    return Assessment.from_answers(answers)


class TestKleeneLogic:
    """
    AnyOf, AllOf and CountAtLeast follow three-valued logic.
    """

    @pytest.mark.parametrize(
        ("fever", "chills", "any_", "all_"),
        [
            (YES, YES, True, True),
            (YES, NO, True, False),
            (YES, None, True, None),
            (NO, NO, False, False),
            (NO, None, None, False),
            (None, None, None, None),
        ],
    )
    def test_truth_table(
        self,
        fever: bool | None,
        chills: bool | None,
        any_: bool | None,
        all_: bool | None,
    ) -> None:
        """
        OR is true if any is true, false if all are false, else unknown;
        AND is the dual.
        """
        a = _a(fever=fever, chest_pain=chills)
        parts = (Present("fever"), Present("chest_pain"))

        assert any_ is AnyOf(*parts).check(a).verdict
        assert all_ is AllOf(*parts).check(a).verdict

    def test_count_at_least(self) -> None:
        """
        Two of three: met, undecided, or not met, with the facts of the met.
        """
        c = CountAtLeast(
            2, Present("fever"), Present("chest_pain"), Present("night_pain")
        )

        met = c.check(_a(fever=YES, chest_pain=YES, night_pain=NO))
        assert met.verdict is True
        assert (
            Fact(question="fever", value=Answer.PRESENT),
            Fact(question="chest_pain", value=Answer.PRESENT),
        ) == met.facts
        assert c.check(_a(fever=YES, chest_pain=None)).verdict is None
        assert (
            c.check(_a(fever=YES, chest_pain=NO, night_pain=NO)).verdict
            is False
        )

    def test_at_least(self) -> None:
        """
        A number meets its threshold at the threshold, not below.
        """
        c = AtLeast("pain_score", 7)

        assert c.check(Assessment(pain_score=7)).verdict is True
        assert c.check(Assessment(pain_score=6)).verdict is False
        assert c.check(Assessment()).verdict is None

    def test_at_most(self) -> None:
        """
        A number meets an upper threshold at the threshold, not above;
        the fact it rests on is the number.
        """
        c = AtMost("age_years", 15)

        met = c.check(Assessment(age_years=15))
        assert met.verdict is True
        assert (Fact(question="age_years", value=15),) == met.facts
        assert c.check(Assessment(age_years=14)).verdict is True
        assert c.check(Assessment(age_years=16)) == Outcome(verdict=False)
        assert c.check(Assessment()) == Outcome(verdict=None)

    def test_onset_before(self) -> None:
        """
        Onset age is the age minus the duration.
        """
        c = OnsetBefore(45)

        assert c.check(Assessment(age_years=46, duration_days=400)).verdict
        assert not c.check(Assessment(age_years=46, duration_days=300)).verdict
        assert c.check(Assessment(age_years=46)).verdict is None


class TestDescriptions:
    """
    Criteria describe themselves for the rule catalogue.
    """

    def test_nested(self) -> None:
        """
        Nested groups are parenthesised; counts are spelled out.
        """
        c = AllOf(
            AtLeast("pain_score", 7),
            CountAtLeast(
                2, Present("fever"), Present("chest_pain"), OnsetBefore(35)
            ),
        )

        assert (
            "all of: pain score 7 points (0-10) or more; (at least 2 of: "
            "fever or chills; chest pain; back pain began before age 35)"
        ) == c.describe()
        assert (
            "any of: chest pain; fever or chills"
            == AnyOf(Present("chest_pain"), Present("fever")).describe()
        )

    @pytest.mark.parametrize(
        ("criterion", "text"),
        [
            (Present("fever"), "fever or chills"),
            (AtLeast("pain_score", 7), "pain score 7 points (0-10) or more"),
            (AtMost("age_years", 15), "age 15 years or less"),
            (OnsetBefore(45), "back pain began before age 45"),
            (
                AllOf(Present("fever"), OnsetBefore(20)),
                "all of: fever or chills; back pain began before age 20",
            ),
            (
                CountAtLeast(1, Present("fever")),
                "all of: fever or chills",
            ),
        ],
    )
    def test_each_in_words(self, criterion: Criterion, text: str) -> None:
        """
        Each kind of criterion in words, exactly (a group of one is
        "all of").
        """
        assert text == criterion.describe()

    def test_questions_and_sufficient(self) -> None:
        """
        A criterion knows what it reads and which findings suffice alone.
        """
        c = AnyOf(
            Present("fever"),
            AllOf(Present("chest_pain"), AtLeast("pain_score", 7)),
            AllOf(Present("incontinence"), Present("incontinence")),
            CountAtLeast(
                2,
                Present("night_pain"),
                Present("thoracic_pain"),
                OnsetBefore(3),
            ),
        )

        assert {
            "fever",
            "chest_pain",
            "pain_score",
            "incontinence",
            "night_pain",
            "thoracic_pain",
            "age_years",
            "duration_days",
        } == c.questions
        assert {"fever", "incontinence"} == c.sufficient


class TestValidation:
    """
    Criteria are validated when built.
    """

    def test_unknown_finding(self) -> None:
        """
        Present() refuses an unknown finding.
        """
        with pytest.raises(UnknownFindingError, match=r"Present\.finding"):
            Present("fevr")

    def test_unknown_number(self) -> None:
        """
        AtLeast() refuses a question that is not an integer question.
        """
        with pytest.raises(UnknownFindingError, match=r"AtLeast\.question"):
            AtLeast("fever", 1)

    @pytest.mark.parametrize(
        "build",
        [
            lambda: AtLeast("pain_score", "7"),  # type: ignore[arg-type]
            lambda: AtLeast("pain_score", True),  # noqa: FBT003
            lambda: OnsetBefore("45"),  # type: ignore[arg-type]
            lambda: CountAtLeast("2", Present("fever")),  # type: ignore[arg-type]
            lambda: AnyOf(Present("fever"), "fever"),  # type: ignore[arg-type]
        ],
    )
    def test_wrong_types(self, build: object) -> None:
        """
        Non-integers and non-criteria raise InvalidTypeError.
        """
        with pytest.raises(InvalidTypeError):
            build()  # type: ignore[operator]

    @pytest.mark.parametrize(
        "build",
        [
            AnyOf,
            lambda: CountAtLeast(0, Present("fever")),
            lambda: CountAtLeast(2, Present("fever")),
        ],
    )
    def test_impossible_counts(self, build: object) -> None:
        """
        Empty groups and counts outside 1..n raise InvalidValueError.
        """
        with pytest.raises(InvalidValueError):
            build()  # type: ignore[operator]


#: Each way of building a criterion wrongly, and the error it must raise,
#: exactly: (build, error, field, value, what was expected, in words).
_WRONG: list[tuple[Any, type[Exception], str, object, str]] = [
    (lambda: Present("fevr"), UnknownFindingError, "Present.finding",
     "fevr", "not a known finding id"),
    (lambda: AtLeast("fever", 1), UnknownFindingError, "AtLeast.question",
     "fever", "not an integer question"),
    (lambda: AtLeast("pain_score", "7"),  # type: ignore[arg-type]
     InvalidTypeError,
     "AtLeast.threshold", "7", "an int"),
    (lambda: AtLeast("pain_score", True), InvalidTypeError,  # noqa: FBT003
     "AtLeast.threshold", True, "an int"),
    (lambda: AtMost("fever", 1), UnknownFindingError, "AtMost.question",
     "fever", "not an integer question"),
    (lambda: AtMost("age_years", "15"),  # type: ignore[arg-type]
     InvalidTypeError, "AtMost.threshold",
     "15", "an int"),
    (lambda: AtMost("age_years", False), InvalidTypeError,  # noqa: FBT003
     "AtMost.threshold", False, "an int"),
    (lambda: OnsetBefore("45"),  # type: ignore[arg-type]
     InvalidTypeError, "OnsetBefore.age_years",
     "45", "an int"),
    (lambda: OnsetBefore(True), InvalidTypeError,  # noqa: FBT003
     "OnsetBefore.age_years", True, "an int"),
    (lambda: CountAtLeast("2", Present("fever")),  # type: ignore[arg-type]
     InvalidTypeError,
     "CountAtLeast.count", "2", "an int"),
    (lambda: CountAtLeast(True, Present("fever")), InvalidTypeError,  # noqa: FBT003
     "CountAtLeast.count", True, "an int"),
    (lambda: CountAtLeast(0, Present("fever")), InvalidValueError,
     "CountAtLeast.count", 0, "must be from 1 to 1 (the number of criteria)"),
    (lambda: CountAtLeast(3, Present("fever"), Present("chest_pain")),
     InvalidValueError, "CountAtLeast.count", 3,
     "must be from 1 to 2 (the number of criteria)"),
    (AnyOf, InvalidValueError, "CountAtLeast.criteria", (),
     "needs at least one criterion"),
    (lambda: AnyOf(Present("fever"), "fever"),  # type: ignore[arg-type]
     InvalidTypeError,
     "CountAtLeast.criteria[]", "fever", "a Criterion"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("build", "error", "field", "value", "expected"),
    _WRONG,
    ids=[f"{w[2]}={w[3]!r}" for w in _WRONG],
)
def test_each_wrong_criterion_is_refused_exactly(
    build: Any,
    error: type[Exception],
    field: str,
    value: object,
    expected: str,
) -> None:
    """
    The error's type, field, value (the very object given) and what was
    expected, each exactly.
    """
    with pytest.raises(error) as e:
        build()

    got = e.value
    assert type(got) is error
    assert field == got.field  # type: ignore[attr-defined]
    assert type(value) is type(got.value)  # type: ignore[attr-defined]
    assert value == got.value  # type: ignore[attr-defined]
    words = (
        got.expected if isinstance(got, InvalidTypeError) else got.reason  # type: ignore[attr-defined]
    )
    assert expected == words


@pytest.mark.parametrize(
    ("question", "value", "text"),
    [
        ("fever", Answer.PRESENT, "fever or chills: present"),
        ("fever", Answer.ABSENT, "fever or chills: absent"),
        ("pain_score", 9, "pain score: 9"),
        ("pain_score", 0, "pain score: 0"),
    ],
)
def test_a_fact_in_words(
    question: str, value: Answer | int, text: str
) -> None:
    """
    A fact reads as the question's label and the answer, exactly.
    """
    assert text == str(Fact(question=question, value=value))
