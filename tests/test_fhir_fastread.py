# SPDX-License-Identifier: MIT
"""
assessment_from_response's fast path against the full check.

A QuestionnaireResponse dict that is plainly valid is read without
building the ``fhir.resources`` model; anything else goes to
assessment_from_response_checked(), which builds it. Both must give
equal assessments, and refuse the same responses with the same error
(type, field and message), so that the fast path never takes what the
model refuses nor reads anything differently.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from spasmcare import DEFAULT_RULES, QUESTIONS, Assessment
from spasmcare.exceptions import InvalidTypeError, SpasmcareError
from spasmcare.fhir import (
    InvalidResourceError,
    _fastread,
    canonical,
    response_from_assessment,
)
from spasmcare.fhir._fastread import fast_assessment
from spasmcare.fhir._response import (
    _ANSWER_OF,
    _USABLE,
    assessment_from_response,
    assessment_from_response_checked,
)

from .strategies import assessments, json_values

CANONICAL = canonical(DEFAULT_RULES)
SNOMED = "http://snomed.info/sct"
YES = {"system": SNOMED, "code": "373066001", "display": "Yes"}

MOMENTS = [
    "2026-12-04T01:02:03Z",
    "2026-12-04T01:02:03.5+01:00",
    "2026-12-04T01:02:03.123456-00:00",
    "2026-12-04T01:02:03+14:00",
    "2026-12-04T01:02:03+15:00",  # beyond FHIR's zones
    "2026-12-04T01:02:03.1234567Z",  # seven digits
    "2026-02-30T00:00:00Z",  # no such day
    "2026-12-04T24:00:00Z",
    "2026-12-04T01:02:60Z",  # a leap second
    "2026-12-04T01:02:03",  # no zone
    "2026-12-04",
    "2026-12",
    "0000-01-01T00:00:00Z",
    " 2026-12-04T01:02:03Z",
    7,
]
REFERENCES = [
    {"reference": "Patient/p1"},
    {"reference": "Practitioner/a.b-1"},
    {"reference": "patient/p1"},
    {"reference": "Patient/" + "x" * 65},
    {"reference": "urn:uuid:0d4b5f14-5d1e-4d0e-9a59-0b6f7c6b2d2e"},
    {"reference": ""},
    {"reference": " Patient/p1"},
    {"display": "Pat"},
    {"reference": "Patient/p1", "display": "Pat"},
    {},
    "Patient/p1",
]
IDENTIFIERS = ["a", "A-1.b", "x" * 64, "x" * 65, "a b", "", 5, "é"]
TEXTS = ["Yes", "a b", " x", "x ", "", "a\nb", "a\x0bb", "\x1c", "\u00a0", 5]
STATUSES = [*sorted(_USABLE), "entered-in-error", "COMPLETED", "done", None]
QUESTIONNAIRES = [
    CANONICAL,
    CANONICAL.partition("|")[0],
    CANONICAL + " ",
    "#form",
    "https://example.org/Questionnaire/other|1",
    None,
]
ANSWERS = [
    [],
    [{"valueCoding": YES}, {"valueCoding": YES}],
    [{}],
    [{"valueBoolean": True}],
    [{"valueCoding": {"system": SNOMED, "code": "373067005"}}],
    [{"valueCoding": {"system": SNOMED, "code": "261665006"}}],
    [{"valueCoding": {"system": SNOMED, "code": "1"}}],
    [{"valueCoding": {"system": "http://loinc.org", "code": "373066001"}}],
    [{"valueCoding": {**YES, "userSelected": True}}],
    [{"valueCoding": {"code": "373066001"}}],
    [{"valueCoding": YES, "item": [{"linkId": "x"}]}],
    [{"valueInteger": 5}],
    [{"valueInteger": -1}],
    [{"valueInteger": 11}],
    [{"valueInteger": 5.0}],
    [{"valueInteger": True}],
    [{"valueInteger": "5"}],
    [{"valueInteger": 2**31}],
    [{"valueInteger": 40_000}],
    None,
    {"valueInteger": 5},
]


def _outcome(read: Any, response: object) -> tuple[Any, ...]:
    """
    What *read* makes of *response*: the assessment, or the error.
    """
    try:
        assessment = read(copy.deepcopy(response))
    except SpasmcareError as error:
        return (type(error), str(error))
    return ("accepted", assessment)


def _response(assessment: Assessment) -> dict[str, Any]:
    model = response_from_assessment(assessment, subject="Patient/p1")
    document: dict[str, Any] = json.loads(
        model.model_dump_json(exclude_none=True)
    )
    return document


@st.composite
def responses(draw: st.DrawFn) -> dict[str, Any]:
    """
    QuestionnaireResponse dicts: valid ones, as a record system holds them
    (with an id, meta, authored and references), and ones with a few
    problems, mostly at the edges of what the fast path takes.
    """
    document = _response(draw(assessments()))
    top = st.sampled_from(IDENTIFIERS)
    values = {
        "id": top,
        "meta": st.fixed_dictionaries(
            {},
            optional={
                "versionId": top,
                "lastUpdated": st.sampled_from(MOMENTS),
            },
        )
        | json_values(),
        "authored": st.sampled_from(MOMENTS),
        "subject": st.sampled_from(REFERENCES),
        "encounter": st.sampled_from(REFERENCES),
        "author": st.sampled_from(REFERENCES),
        "source": st.sampled_from(REFERENCES),
        "status": st.sampled_from(STATUSES),
        "questionnaire": st.sampled_from(QUESTIONNAIRES),
        "resourceType": st.sampled_from(["QuestionnaireResponse", "Patient"]),
        "language": st.just("en"),
        "item": st.sampled_from([[], None, {}]),
    }
    for _ in range(draw(st.integers(0, 4))):
        kind = draw(st.sampled_from(["top", "drop", "item", "item", "answer"]))
        items = document.get("item")
        if kind == "top":
            key = draw(st.sampled_from(sorted(values)))
            document[key] = draw(values[key])
        elif kind == "drop" and document:
            document.pop(draw(st.sampled_from(sorted(document))))
        elif kind == "item" and isinstance(items, list) and items:
            item = items[draw(st.integers(0, len(items) - 1))]
            change = draw(st.sampled_from(["linkId", "text", "extra", "drop"]))
            if change == "linkId":
                item["linkId"] = draw(
                    st.sampled_from(
                        [*sorted(QUESTIONS)[:5], "unknown", "", 3, None]
                        + [i.get("linkId") for i in items]
                    )
                )
            elif change == "text":
                item["text"] = draw(st.sampled_from(TEXTS))
            elif change == "extra":
                item[draw(st.sampled_from(["definition", "item", "id"]))] = "x"
            elif item:
                item.pop(draw(st.sampled_from(sorted(item))))
        elif kind == "answer" and isinstance(items, list) and items:
            item = items[draw(st.integers(0, len(items) - 1))]
            item["answer"] = draw(st.sampled_from(ANSWERS))
    return document


def _with_item(index: int, **fields: Any) -> dict[str, Any]:
    """
    :func:`_plain` with item *index* changed (a key set to ``None`` is
    dropped).
    """
    document = _plain()
    item = document["item"][index]
    item.update(fields)
    for key in [k for k, v in item.items() if v is None]:
        del item[key]
    return document


def _twice(link_id: str) -> dict[str, Any]:
    document = _plain()
    item = next(i for i in document["item"] if i["linkId"] == link_id)
    document["item"].append(copy.deepcopy(item))
    return document


def _plain() -> dict[str, Any]:
    document = _response(
        Assessment.from_answers(
            {"fever": True, "chest_pain": False, "pregnant": None},
            age_years=40,
            pain_score=6,
        )
    )
    document.update(
        id="qr-1",
        meta={"versionId": "3", "lastUpdated": "2026-12-04T01:02:03.5+01:00"},
        authored="2026-12-04T01:00:00Z",
        author={"reference": "Patient/p1"},
        encounter={"reference": "Encounter/e-9"},
    )
    return document


@given(responses())
@example(_plain())
@example({**_plain(), "item": []})  # the model takes an empty list
@example({**_plain(), "contained": []})
@example({**_plain(), "authored": "2026-02-29T00:00:00Z"})  # not a leap year
@example([_plain()])
@example(_with_item(0, text=""))  # the model refuses an empty string
@example(_with_item(0, text="\x0b"))  # and one of whitespace only
@example(_with_item(0, text="\x1c"))  # but takes this one
@example(_twice("pain_score"))  # a number given twice
@example(_twice("fever"))
@example(_with_item(0, answer=[]))  # the model takes no answer
@example("not a response")
def test_fast_path_agrees_with_the_full_check(response: object) -> None:
    """
    Same assessments, same errors, whichever way is taken.
    """
    assert _outcome(assessment_from_response, response) == _outcome(
        assessment_from_response_checked, response
    )


@given(responses())
def test_fast_path_takes_only_what_the_full_check_accepts(
    response: dict[str, Any],
) -> None:
    """
    When the fast path gives an assessment, the full check gives an equal
    one; what the full check refuses never gets through the fast path.
    """
    fast = fast_assessment(
        copy.deepcopy(response),
        canonical=CANONICAL,
        usable=_USABLE,
        answers=_ANSWER_OF,
    )
    if fast is not None:
        assert assessment_from_response_checked(response) == fast


def _fast(response: object) -> Assessment | None:
    return fast_assessment(
        response, canonical=CANONICAL, usable=_USABLE, answers=_ANSWER_OF
    )


def test_fast_path_takes_a_record_systems_response() -> None:
    """
    It does take an ordinary response as a record system keeps it (an
    id, meta, times, references), and the service's load benchmark's
    (so it is not always falling back).
    """
    expected = Assessment.from_answers(
        {"fever": True, "chest_pain": False, "pregnant": None},
        age_years=40,
        pain_score=6,
    )
    assert expected == _fast(_plain())
    assert Assessment() == _fast(
        {
            "resourceType": "QuestionnaireResponse",
            "status": "in-progress",
            "questionnaire": CANONICAL,
        }
    )


@pytest.mark.parametrize(
    "change",
    [
        {"status": "entered-in-error"},
        {"questionnaire": "#form"},
        {"authored": "2026-12-04T01:02:03"},
        {
            "authored": dt.datetime(2026, 12, 4, tzinfo=dt.UTC).isoformat()
            + "x"
        },
        {"text": {"status": "generated", "div": "<div>x</div>"}},
        {"meta": {"source": "x"}},
        {"meta": []},
        {"meta": {}},
        {"meta": {"versionId": "a b"}},
        {"meta": {"lastUpdated": "2026-12-04"}},
    ],
)
def test_anything_else_falls_back(change: dict[str, Any]) -> None:
    """
    A response the fast path is not sure of goes to the full check.
    """
    assert _fast({**_plain(), **change}) is None


@pytest.mark.parametrize(
    "answer",
    [
        [{"valueCoding": "373066001"}],
        [{"valueCoding": {"system": SNOMED, "code": 373066001}}],
        [{"valueCoding": YES, "valueString": "yes"}],
    ],
)
def test_an_odd_yes_no_answer_falls_back(answer: list[Any]) -> None:
    """
    A coding that is not a dict of strings goes to the full check.
    """
    response = _plain()
    fever = next(i for i in response["item"] if i["linkId"] == "fever")
    fever["answer"] = answer

    assert _fast(response) is None


@pytest.mark.parametrize("value", [6.0, True, "6", None])
def test_an_odd_number_falls_back(value: object) -> None:
    """
    A valueInteger that is not a JSON integer goes to the full check,
    which may still read it (the model takes 6.0 as 6).
    """
    response = _plain()
    pain = next(i for i in response["item"] if i["linkId"] == "pain_score")
    pain["answer"] = [{"valueInteger": value}]

    assert _fast(response) is None
    assert _outcome(assessment_from_response, response) == _outcome(
        assessment_from_response_checked, response
    )


def test_meta_with_one_of_its_keys_is_taken() -> None:
    """
    meta may have either key alone.
    """
    for meta in ({"versionId": "1"}, {"lastUpdated": "2026-12-04T01:02:03Z"}):
        assert _fast({**_plain(), "meta": meta}) is not None


def test_a_wrong_answer_falls_back_and_gets_the_full_error() -> None:
    """
    A number out of range is refused by the full check, with its item.
    """
    response = _plain()
    for item in response["item"]:
        if item["linkId"] == "pain_score":
            item["answer"] = [{"valueInteger": 11}]

    assert _fast(response) is None
    with pytest.raises(SpasmcareError, match=r"linkId 'pain_score'"):
        assessment_from_response(response)


def test_rules_that_are_not_a_rule_set_are_refused() -> None:
    """
    The fast path is not tried without a RuleSet; the full check names
    the argument, as before.
    """
    with pytest.raises(InvalidTypeError, match="rules"):
        assessment_from_response(_plain(), rules="x")  # type: ignore[arg-type]
    # A bad response is named first, as it always was.
    with pytest.raises(InvalidResourceError, match="resourceType"):
        assessment_from_response({}, rules="x")  # type: ignore[arg-type]


def test_odd_texts_and_references_fall_back() -> None:
    """
    A text that is not a string, or a reference that is not an object,
    goes to the full check.
    """
    response = _plain()
    response["item"][0]["text"] = 5
    assert _fast(response) is None
    assert _fast({**_plain(), "subject": "Patient/p1"}) is None


def test_checked_texts_are_kept_up_to_a_bound(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """
    A text found valid is remembered (the form's texts come in every
    response), but only up to a bound; one not remembered is checked
    again each time, and an invalid one is never remembered.
    """
    monkeypatch.setattr(_fastread, "_CHECKED_TEXTS", set())
    _fastread._text("Yes")
    with pytest.raises(_fastread._SlowPathError):
        _fastread._text(" x")
    monkeypatch.setattr(_fastread, "_MAX_CHECKED_TEXTS", 1)
    _fastread._text("No")

    assert {"Yes"} == _fastread._CHECKED_TEXTS
