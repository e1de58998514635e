# SPDX-License-Identifier: MIT
"""
Clinical vignettes shared by the tests.
"""

from __future__ import annotations

import attrs

from spasmcare import Answer, Assessment, Symptom
from spasmcare._findings import FINDING_IDS


def plain_strain(**changes: int | None) -> Assessment:
    """
    A plain acute strain after lifting, with every question answered.

    Every finding is absent except ``minor_strain_onset``;
    a 35-year-old, pain 5/10, one day in, no earlier episodes.
    *changes* replaces numbers.
    """
    symptoms = tuple(
        Symptom(
            finding=f,
            answer=Answer.PRESENT
            if f == "minor_strain_onset"
            else Answer.ABSENT,
        )
        for f in sorted(FINDING_IDS)
    )
    base = Assessment(
        symptoms=symptoms,
        age_years=35,
        pain_score=5,
        duration_days=1,
        episodes_past_year=0,
    )
    return attrs.evolve(base, **changes)


def with_present(assessment: Assessment, *findings: str) -> Assessment:
    """
    A copy of *assessment* with *findings* answered present.
    """
    for finding in findings:
        assessment = assessment.with_answer(finding, Answer.PRESENT)
    return assessment


def with_absent(assessment: Assessment, *findings: str) -> Assessment:
    """
    A copy of *assessment* with *findings* answered absent.
    """
    for finding in findings:
        assessment = assessment.with_answer(finding, Answer.ABSENT)
    return assessment
