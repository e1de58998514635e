# SPDX-License-Identifier: MIT
"""
A scored STarT Back questionnaire as LOINC-coded FHIR Observations.
"""

from __future__ import annotations

import datetime as dt
import json
import types
import uuid
from collections.abc import Mapping
from typing import Any

from fhir.resources.R4B.bundle import Bundle

from spasmcare import StartBackRisk, StartBackScore
from spasmcare.exceptions import InvalidTypeError

from ._codes import LOINC, Code
from ._errors import check_reference

__all__ = ["START_BACK_CODES", "start_back_bundle"]

#: LOINC codes of the STarT Back Screening Tool (INTEROP.md section 7.4).
START_BACK_CODES: Mapping[str | StartBackRisk, Code] = types.MappingProxyType(
    {
        "panel": Code(
            system=LOINC, code="91349-1", display="STarT Back Screening Tool"
        ),
        "total": Code(system=LOINC, code="91351-7", display="Total score"),
        "distress": Code(
            system=LOINC, code="91350-9", display="Psychosocial subscale score"
        ),
        "risk": Code(system=LOINC, code="91352-5", display="Risk level"),
        StartBackRisk.LOW: Code(system=LOINC, code="LA9194-7", display="Low"),
        StartBackRisk.MEDIUM: Code(
            system=LOINC, code="LA8982-6", display="Medium"
        ),
        StartBackRisk.HIGH: Code(
            system=LOINC, code="LA9193-9", display="High"
        ),
    }
)
_NAMESPACE = uuid.UUID("8d0a3c5e-1b7f-5c2d-a4e6-9f0b1c2d3e4f")
_SURVEY = {
    "coding": [
        {
            "system": "http://terminology.hl7.org/CodeSystem/"
            "observation-category",
            "code": "survey",
        }
    ]
}


def start_back_bundle(
    score: StartBackScore,
    *,
    subject: str,
    effective: dt.datetime | None = None,
) -> Bundle:
    """
    A STarT Back score as a collection Bundle of LOINC-coded Observations.

    The panel (LOINC 91349-1) has as members the total score (91351-7),
    the distress subscore (91350-9) and, when the risk group is decided,
    the risk level (91352-5, answers LA9194-7 Low, LA8982-6 Medium,
    LA9193-9 High). With items unanswered the Observations are
    ``preliminary`` and name the missing items; the scores are then those
    of the items answered. Every Observation carries the notice that the
    tool is for clinician use as part of a full assessment.

    Args:
        score: From :func:`spasmcare.score_start_back`.
        subject: A reference to the patient, such as ``"Patient/123"``.
        effective: When it was answered (timezone-aware).

    Raises:
        InvalidTypeError: An argument has the wrong type.
        InvalidResourceError: *subject* is not a reference.

    .. versionadded:: 0.1.0
    """
    if not isinstance(score, StartBackScore):
        raise InvalidTypeError("score", score, "a StartBackScore")
    check_reference("subject", subject)
    when = None
    if effective is not None:
        if getattr(effective, "tzinfo", None) is None:
            raise InvalidTypeError(
                "effective", effective, "a timezone-aware datetime"
            )
        when = effective.isoformat()
    seed = json.dumps([subject, dict(score.answers), when], sort_keys=True)

    def urn(name: str) -> str:
        return f"urn:uuid:{uuid.uuid5(_NAMESPACE, f'{seed}:{name}')}"

    note = [{"text": score.notice}]
    if score.missing:
        note.append(
            {"text": "Items not answered: " + ", ".join(score.missing)}
        )

    def observation(key: Any, value: dict[str, Any]) -> dict[str, Any]:
        resource: dict[str, Any] = {
            "resourceType": "Observation",
            "status": "final" if score.complete else "preliminary",
            "category": [_SURVEY],
            "code": {"coding": [START_BACK_CODES[key].coding()]},
            "subject": {"reference": subject},
            **value,
            "note": note,
        }
        if when is not None:
            resource["effectiveDateTime"] = when
        return resource

    members = [
        ("total", observation("total", {"valueInteger": score.total})),
        (
            "distress",
            observation("distress", {"valueInteger": score.distress}),
        ),
    ]
    if score.risk is not None:
        concept = {"coding": [START_BACK_CODES[score.risk].coding()]}
        members.append(
            ("risk", observation("risk", {"valueCodeableConcept": concept}))
        )
    panel = observation(
        "panel",
        {"hasMember": [{"reference": urn(name)} for name, _ in members]},
    )
    return Bundle.model_validate(
        {
            "resourceType": "Bundle",
            "type": "collection",
            "entry": [
                {"fullUrl": urn(name), "resource": resource}
                for name, resource in [("panel", panel), *members]
            ],
        }
    )
