# SPDX-License-Identifier: MIT
"""
load_assessment's fast path against the full, strict check (issue 16).

load_assessment() takes plainly valid documents by a fast path and
falls back on load_assessment_checked(), the strict cattrs converter,
for anything else. Both must accept the same documents, give equal
assessments, and refuse the same documents with the same problems
(each with its JSON path) and the same exception type.
"""

from __future__ import annotations

import json
from typing import Any

from hypothesis import example, given
from hypothesis import strategies as st

from spasmcare import Assessment, dump_assessment
from spasmcare._json import (
    _fast_load,
    load_assessment,
    load_assessment_checked,
)
from spasmcare.exceptions import InvalidJSONError, SpasmcareError

from .strategies import assessment_documents

VALID = {
    "schema_version": "1",
    "answers": {"fever": "absent"},
    "age_years": 30,
}


def _outcome(load: Any, document: object) -> tuple[Any, ...]:
    """
    What *load* makes of *document*: the assessment, or the error.
    """
    try:
        assessment = load(document)
    except InvalidJSONError as error:
        return (type(error), error.problems, str(error))
    except SpasmcareError as error:
        return (type(error), str(error))
    return ("accepted", assessment, repr(assessment))


def _texts(document: dict[str, Any]) -> st.SearchStrategy[object]:
    text = json.dumps(document)
    return st.sampled_from(
        [
            document,
            text,
            text.encode(),
            text.encode("utf-16"),  # not UTF-8: refused
            "\ufeff" + text,
            text[:-1],  # cut short
            text.replace("{", '{"schema_version": "1", ', 1),  # a duplicate
        ]
    )


@given(assessment_documents().flatmap(_texts))
@example(VALID)
@example(json.dumps(VALID))
@example(json.dumps(VALID).encode())
@example(bytearray(json.dumps(VALID).encode()))
@example([VALID])  # not an object
@example({**VALID, "symptoms": {}})  # the attribute's name, not the key
@example({**VALID, "schema_version": 1})
@example({**VALID, "schema_version": "2"})
@example({"answers": {}})  # no schema_version
@example({**VALID, "answers": []})
@example({**VALID, "answers": {"fever": 1}})  # 1 is not true
@example({**VALID, "answers": {"fever": 1.0}})
@example({**VALID, "answers": {"fever": []}})  # unhashable
@example({**VALID, "answers": {"fevr": True}})
@example({**VALID, "answers": {1: True}})
@example({**VALID, "id": 1.5})
@example({**VALID, "id": 5.0})  # a whole-number float id is that integer
@example('{"schema_version": "1", "id": -7.0}')
@example({**VALID, "id": 2.0**63})  # whole, but beyond 64 bits
@example({**VALID, "id": float("inf")})
@example({**VALID, "id": True})
@example({**VALID, "id": ""})
@example({**VALID, "id": 2**63})
@example({**VALID, "pain_score": 5.0})  # an integral float is an integer
@example({**VALID, "pain_score": 5.5})
@example({**VALID, "pain_score": True})
@example({**VALID, "pain_score": 11})
@example({**VALID, "age_years": 1, "duration_days": 5000})  # beyond a life
@example('{"schema_version": "1", "pain_score": NaN}')
@example('{"schema_version": "1", "pain_score": 1' + "0" * 5000 + "}")
@example("[" * 100_000 + "]" * 100_000)
@example(b"\xff")
@example("  ")
@example(7)
@example(object())
def test_fast_path_agrees_with_the_full_check(document: object) -> None:
    """
    Same assessments, same errors, same paths, whichever way is taken.
    """
    assert _outcome(load_assessment, document) == _outcome(
        load_assessment_checked, document
    )


@given(assessment_documents())
def test_fast_path_takes_only_what_the_full_check_accepts(
    document: dict[str, Any],
) -> None:
    """
    When the fast path gives an assessment, the full check gives an equal
    one; a document the full check refuses never gets through the fast
    path.
    """
    fast = _fast_load(document)
    if fast is not None:
        assert load_assessment_checked(document) == fast


def test_fast_path_takes_valid_documents() -> None:
    """
    The fast path does take ordinary valid documents (it is not always
    falling back), with answers as strings or as true/false/null.
    """
    assessment = Assessment.from_answers(
        {"fever": False, "chest_pain": True, "pregnant": None},
        age_years=40,
        pain_score=3,
        id="r-1",
    )
    document = dump_assessment(assessment)
    assert _fast_load(document) == assessment
    assert _fast_load(json.dumps(document)) == assessment
    as_booleans = {
        **document,
        "answers": {"fever": False, "chest_pain": True, "pregnant": None},
    }
    assert _fast_load(as_booleans) == assessment
    assert _fast_load({"schema_version": "1"}) == Assessment()
