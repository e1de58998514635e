# SPDX-License-Identifier: MIT
"""
Shared Hypothesis strategies: one per value object.

Every new field of a value object must be added here.
"""

from __future__ import annotations

from typing import Any

import attrs
from hypothesis import strategies as st

from spasmcare import (
    QUESTIONS,
    Answer,
    AnswerKind,
    Assessment,
    Symptom,
    dump_assessment,
)
from spasmcare._findings import FINDING_IDS, NUMBER_IDS
from spasmcare.criteria import (
    AtLeast,
    AtMost,
    CountAtLeast,
    Criterion,
    OnsetBefore,
    Present,
)

FINDINGS = sorted(FINDING_IDS)
ANSWERS = st.sampled_from(Answer)


#: Benign ranges, drawn three times as often as the full range, so that
#: self-care and near misses are reached as often as escalations.
_TYPICAL = {
    "age_years": (16, 49),
    "pain_score": (0, 6),
    "duration_days": (0, 27),
    "episodes_past_year": (0, 2),
}


def numbers(question: str) -> st.SearchStrategy[int]:
    """
    Valid values for the integer question *question*, mostly typical ones.
    """
    q = QUESTIONS[question]
    assert q.kind is AnswerKind.INTEGER
    assert q.minimum is not None
    assert q.maximum is not None
    typical = st.integers(*_TYPICAL[question])
    return st.one_of(
        typical, typical, typical, st.integers(q.minimum, q.maximum)
    )


def symptoms(
    answers: st.SearchStrategy[Answer] = ANSWERS,
) -> st.SearchStrategy[Symptom]:
    """
    One valid symptom.
    """
    return st.builds(
        Symptom, finding=st.sampled_from(FINDINGS), answer=answers
    )


@st.composite
def assessments(
    draw: st.DrawFn,
    *,
    answers: st.SearchStrategy[Answer] = ANSWERS,
    unknown_numbers: bool = True,
) -> Assessment:
    """
    Whole, valid assessments, including unknown answers and numbers.

    Args:
        draw: Hypothesis's draw function.
        answers: Strategy for each listed finding's answer.
        unknown_numbers: Whether numbers may be ``None``.
    """
    screened = draw(st.booleans())
    if not screened:
        # Sparse: a few findings answered, the rest never asked.
        listed = draw(st.lists(st.sampled_from(FINDINGS), unique=True))
        symptoms = tuple(
            Symptom(finding=f, answer=draw(answers)) for f in listed
        )
    else:
        # Screened: everything answered absent but for a few findings,
        # which is where self-care and near misses live.
        odd = draw(
            st.dictionaries(st.sampled_from(FINDINGS), answers, max_size=4)
        )
        symptoms = tuple(
            Symptom(finding=f, answer=odd.get(f, Answer.ABSENT))
            for f in FINDINGS
        )

    def number(question: str) -> int | None:
        strategy = numbers(question)
        # Screened intakes rarely leave a number out; sparse ones often do.
        if unknown_numbers and draw(st.integers(0, 9)) < (
            1 if screened else 5
        ):
            return None
        return draw(strategy)

    age = number("age_years")
    duration = number("duration_days")
    if age is not None and duration is not None:
        # Keep the episode within the person's life.
        duration = min(duration, age * 365)
    return Assessment(
        symptoms=symptoms,
        age_years=age,
        pain_score=number("pain_score"),
        duration_days=duration,
        episodes_past_year=number("episodes_past_year"),
    )


KNOWN_ANSWERS = st.sampled_from([Answer.PRESENT, Answer.ABSENT])


def complete_assessments(
    answers: st.SearchStrategy[Answer] = KNOWN_ANSWERS,
) -> st.SearchStrategy[Assessment]:
    """
    Assessments where every question is answered (no unknowns).
    """
    return st.builds(
        _fill,
        assessments(answers=answers, unknown_numbers=False),
        st.sampled_from([Answer.ABSENT, Answer.PRESENT]),
    )


def _fill(assessment: Assessment, rest: Answer) -> Assessment:
    given = {s.finding for s in assessment.symptoms}
    extra = tuple(
        Symptom(finding=f, answer=rest) for f in FINDINGS if f not in given
    )
    return Assessment(
        symptoms=(*assessment.symptoms, *extra),
        age_years=assessment.age_years,
        pain_score=assessment.pain_score,
        duration_days=assessment.duration_days,
        episodes_past_year=assessment.episodes_past_year,
    )


# ------------------------------------------------------ JSON (issue 4) ---


def json_values() -> st.SearchStrategy[Any]:
    """
    Any JSON value: null, booleans, numbers, strings, arrays and objects.
    """
    scalars = (
        st.none()
        | st.booleans()
        | st.integers(-(10**6), 10**6)
        | st.floats(allow_nan=False, allow_infinity=False)
        | st.text(max_size=8)
    )
    return st.recursive(
        scalars,
        lambda inner: (
            st.lists(inner, max_size=3)
            | st.dictionaries(st.text(max_size=8), inner, max_size=3)
        ),
        max_leaves=6,
    )


#: Keys an assessment document may hold, and some it may not.
DOCUMENT_KEYS = st.sampled_from(
    ["schema_version", "answers", *NUMBER_IDS, "fever", "painscore", ""]
)
#: Finding ids, number ids in the wrong place, and unknown ids.
ANSWER_KEYS = st.sampled_from(FINDINGS) | st.sampled_from(
    ["fevr", "age_years", "", "Fever"]
)
#: Answers as JSON: the three valid ones and some invalid ones.
ANSWER_VALUES = (
    st.sampled_from(["present", "absent", "unknown", "yes", True, None, 1])
    | json_values()
)
#: Valid correlation ids: strings of 1 to 256 characters (not all blank)
#: and 64-bit integers.
IDS = st.text(min_size=1, max_size=256).filter(str.strip) | st.integers(
    -(2**63), 2**63 - 1
)
#: Invalid ones: empty or blank, too long, too big, other JSON types.
BAD_IDS = st.sampled_from(
    ["", "   ", "x" * 257, 2**63, -(2**63) - 1, 1.5, True, [], {}]
)
#: Whole-number floats, which a JSON document's id may be (read as the
#: integer, as JSON Schema counts them), inside the 64-bit range and not.
WHOLE_FLOAT_IDS = st.integers(-(2**53), 2**53).map(float) | st.sampled_from(
    [0.0, -0.0, 9.2e18, -9.2e18, 2.0**63, -(2.0**64), 1e300]
)
#: The JSON booleans (and null) that stand for each answer.
BOOLEAN_ANSWERS = {"present": True, "absent": False, "unknown": None}
#: Numbers as JSON: in range or not, integral floats, wrong types.
NUMBER_VALUES = (
    st.none()
    | st.integers(-5, 40_000)
    | st.integers(-5, 200).map(float)
    | st.sampled_from([0.5, True, "5", [], {}])
)


@st.composite
def assessment_documents(draw: st.DrawFn) -> dict[str, Any]:
    """
    JSON assessment documents: valid ones, and ones with a few problems.

    Each starts from a valid dumped assessment, sometimes with a
    correlation id and with answers written as true/false/null, and gets
    up to four mutations: keys dropped or added, wrong types, values out
    of range, unknown or misplaced finding ids, bad ids.
    """
    document: dict[str, Any] = dump_assessment(draw(assessments()))
    if draw(st.booleans()):
        document["id"] = draw(IDS)
    if draw(st.booleans()):
        document["answers"] = {
            key: BOOLEAN_ANSWERS[value]
            for key, value in document["answers"].items()
        }
    for _ in range(draw(st.integers(0, 4))):
        kind = draw(st.sampled_from(["drop", "top", "answer", "number", "id"]))
        if kind == "drop" and document:
            document.pop(draw(st.sampled_from(sorted(document))))
        elif kind == "top":
            document[draw(DOCUMENT_KEYS)] = draw(json_values())
        elif kind == "answer" and isinstance(document.get("answers"), dict):
            document["answers"][draw(ANSWER_KEYS)] = draw(ANSWER_VALUES)
        elif kind == "number":
            document[draw(st.sampled_from(NUMBER_IDS))] = draw(NUMBER_VALUES)
        elif kind == "id":
            document["id"] = draw(IDS | BAD_IDS | WHOLE_FLOAT_IDS)
    return document


#: Key of :func:`witnesses` answers for the tightest "began before age"
#: bound; :func:`with_witness` turns it into an age and a duration.
ONSET_BEFORE = "onset_before_age"


@st.composite
def witnesses(draw: st.DrawFn, criterion: Criterion) -> dict[str, Any]:
    """
    Answers that meet *criterion* on their own, drawn among its ways to be
    met: for "all of", every part; for "at least k of", k parts; a finding
    present; a number at or a little above its threshold (at or a little
    below, for "at most"); for "began
    before age N", the bound N (under :data:`ONSET_BEFORE`).

    Lay them over an assessment with :func:`with_witness`.
    """
    if isinstance(criterion, Present):
        return {criterion.finding: Answer.PRESENT}
    if isinstance(criterion, AtLeast):
        question = QUESTIONS[criterion.question]
        assert question.maximum is not None
        top = min(question.maximum, criterion.threshold + 30)
        return {
            criterion.question: draw(st.integers(criterion.threshold, top))
        }
    if isinstance(criterion, AtMost):
        question = QUESTIONS[criterion.question]
        assert question.minimum is not None
        bottom = max(question.minimum, criterion.threshold - 30)
        return {
            criterion.question: draw(st.integers(bottom, criterion.threshold))
        }
    if isinstance(criterion, OnsetBefore):
        return {ONSET_BEFORE: criterion.age_years}
    assert isinstance(criterion, CountAtLeast), criterion
    parts = draw(
        st.lists(
            st.sampled_from(criterion.criteria),
            min_size=criterion.count,
            max_size=criterion.count,
            unique=True,
        )
    )
    answers: dict[str, Any] = {}
    for part in parts:
        for key, value in draw(witnesses(part)).items():
            if key == ONSET_BEFORE and key in answers:
                answers[key] = min(value, answers[key])
            elif isinstance(value, int) and key in answers:
                answers[key] = max(value, answers[key])
            else:
                answers[key] = value
    return answers


def with_witness(
    assessment: Assessment, answers: dict[str, Any]
) -> Assessment:
    """
    *assessment* with *answers* (from :func:`witnesses`) laid over it.

    Numbers are minima: a number in *answers* replaces the assessment's.
    A "began before age N" bound sets the age (at least N, or the minimum
    age asked for) and a duration that puts the onset a year before N.
    """
    numbers_given = {k: v for k, v in answers.items() if k in NUMBER_IDS}
    if ONSET_BEFORE in answers:
        bound = answers[ONSET_BEFORE]
        age = max(numbers_given.get("age_years", 16), bound, 16)
        days = (age - bound + 1) * 365
        numbers_given["age_years"] = age
        numbers_given["duration_days"] = max(
            days, numbers_given.get("duration_days", 0)
        )
    age = numbers_given.get("age_years", assessment.age_years)
    days = numbers_given.get("duration_days", assessment.duration_days)
    if age is not None and days is not None and days > (age + 1) * 365:
        if "age_years" in numbers_given and "duration_days" not in answers:
            # The witness's age (such as "at most 15") stands: the
            # assessment's own long episode is shortened instead.
            numbers_given["duration_days"] = (age + 1) * 365
        else:
            # A long episode given to a young person: make them old enough.
            numbers_given["age_years"] = -(-days // 365)
    for key, value in answers.items():
        if key in FINDING_IDS:
            assessment = assessment.with_answer(key, value)
    return attrs.evolve(assessment, **numbers_given)


# ----------------------------------------------- table rows (issue 14) ---

#: The ways a row may spell each answer (spasmcare.rows).
ROW_SPELLINGS: dict[Answer, tuple[Any, ...]] = {
    Answer.PRESENT: ("present", True),
    Answer.ABSENT: ("absent", False),
    Answer.UNKNOWN: ("unknown", None, "", float("nan")),
}


@st.composite
def rows(draw: st.DrawFn) -> tuple[Assessment, dict[str, Any]]:
    """
    An assessment and a table row that spells it, each answer in one of
    its spellings (an unknown one sometimes left out), each number an
    int, a whole float or null, plus an ``id`` (a string, as text
    columns hold, or null, NaN or left out for none; the assessment has
    the same id) and a column no question reads.
    """
    identifier = draw(
        st.none() | st.text(min_size=1, max_size=5).filter(str.strip)
    )
    assessment = attrs.evolve(draw(assessments()), id=identifier)
    row: dict[str, Any] = {"note": "x"}
    if identifier is not None:
        row["id"] = identifier
    elif draw(st.booleans()):
        row["id"] = draw(st.sampled_from([None, float("nan")]))
    for symptom in assessment.symptoms:
        if symptom.answer is Answer.UNKNOWN and draw(st.booleans()):
            continue
        row[symptom.finding] = draw(
            st.sampled_from(ROW_SPELLINGS[symptom.answer])
        )
    for name in NUMBER_IDS:
        value = getattr(assessment, name)
        if value is None:
            if draw(st.booleans()):
                row[name] = draw(st.sampled_from([None, float("nan")]))
        else:
            row[name] = draw(st.sampled_from([value, float(value)]))
    return assessment, row
