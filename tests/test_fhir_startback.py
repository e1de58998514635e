# SPDX-License-Identifier: MIT
"""
STarT Back as FHIR: LOINC-coded Observations (issue 12, part 2).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

import spasmcare.fhir as sf
from spasmcare import InvalidTypeError, score_start_back
from spasmcare.fhir import InvalidResourceError

HIGH = dict.fromkeys([f"Q{i}" for i in range(1, 9)], "agree") | {
    "Q9": "extremely"
}


def _observations(bundle: Any) -> dict[str, dict[str, Any]]:
    document = json.loads(bundle.model_dump_json())
    return {
        e["resource"]["code"]["coding"][0]["code"]: e["resource"]
        | {"fullUrl": e["fullUrl"]}
        for e in document["entry"]
    }


class TestStartBackObservations:
    """
    The panel 91349-1 with total 91351-7, subscore 91350-9 and risk
    91352-5.
    """

    @pytest.mark.parametrize(
        ("answers", "total", "distress", "risk"),
        [
            (HIGH, 9, 5, "LA9193-9"),
            (
                HIGH | dict.fromkeys(["Q5", "Q6", "Q7"], "disagree"),
                6,
                2,
                "LA8982-6",
            ),
            (
                dict.fromkeys(HIGH, "disagree") | {"Q9": "not_at_all"},
                0,
                0,
                "LA9194-7",
            ),
        ],
    )
    def test_complete_score(
        self, answers: dict[str, str], total: int, distress: int, risk: str
    ) -> None:
        """
        A complete score gives final Observations with the scores and the
        risk level's LOINC answer code; the panel has them as members.
        """
        when = dt.datetime(2026, 3, 2, 10, tzinfo=dt.UTC)
        found = _observations(
            sf.start_back_bundle(
                score_start_back(answers), subject="Patient/p1", effective=when
            )
        )
        panel = found["91349-1"]

        assert total == found["91351-7"]["valueInteger"]
        assert distress == found["91350-9"]["valueInteger"]
        assert (
            risk
            == found["91352-5"]["valueCodeableConcept"]["coding"][0]["code"]
        )
        assert {
            found[c]["fullUrl"] for c in ("91351-7", "91350-9", "91352-5")
        } == {m["reference"] for m in panel["hasMember"]}
        assert {"final"} == {o["status"] for o in found.values()}
        assert all("clinician" in o["note"][0]["text"] for o in found.values())
        assert {when.isoformat().replace("+00:00", "Z")} | {
            when.isoformat()
        } >= {o["effectiveDateTime"] for o in found.values()}

    def test_undecided_risk(self) -> None:
        """
        With items missing and the group undecided: preliminary, no risk
        Observation, the missing items named.
        """
        score = score_start_back(
            dict.fromkeys(["Q1", "Q2", "Q3", "Q4"], "agree")
        )
        found = _observations(
            sf.start_back_bundle(score, subject="Patient/p1")
        )

        assert {"91349-1", "91351-7", "91350-9"} == set(found)
        assert {"preliminary"} == {o["status"] for o in found.values()}
        assert "Q5" in found["91349-1"]["note"][1]["text"]

    @pytest.mark.parametrize(
        ("kwargs", "error"),
        [
            ({"score": {}}, InvalidTypeError),
            ({"subject": "p1"}, InvalidResourceError),
            ({"effective": dt.datetime(2026, 3, 2)}, InvalidTypeError),  # noqa: DTZ001
        ],
    )
    def test_bad_arguments(
        self, kwargs: dict[str, Any], error: type[Exception]
    ) -> None:
        """
        Wrong types and malformed references are refused.
        """
        arguments: dict[str, Any] = {
            "score": score_start_back(HIGH),
            "subject": "Patient/p1",
        } | kwargs

        with pytest.raises(error):
            sf.start_back_bundle(**arguments)
