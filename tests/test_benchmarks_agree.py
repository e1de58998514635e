# SPDX-License-Identifier: MIT
"""
The benchmark baseline and cases stay honest (benchmarks/, issue 5).

The bare if-chain in ``benchmarks/baseline.py`` is only a fair baseline
while it decides exactly what :func:`spasmcare.evaluate` decides.
"""

from __future__ import annotations

from benchmarks.baseline import baseline
from benchmarks.cases import RED_FLAGS, generate, records, to_assessment
from hypothesis import given

from spasmcare import Assessment, evaluate

from .strategies import assessments, complete_assessments


def _decided(assessment: Assessment) -> tuple[object, tuple[str, ...]]:
    escalation = evaluate(assessment)
    return escalation.level, tuple(rule.id for rule in escalation.fired)


class TestBaselineAgrees:
    """
    The baseline returns evaluate()'s level and fired rule ids.
    """

    def test_generated_cases(self) -> None:
        """
        It agrees on the first 500 benchmark cases.
        """
        for record in records(500):
            assessment = to_assessment(record)

            assert _decided(assessment) == baseline(assessment)

    @given(assessments())
    def test_any_assessment(self, assessment: Assessment) -> None:
        """
        It agrees on any valid assessment, unknown answers included.
        """
        assert _decided(assessment) == baseline(assessment)

    @given(complete_assessments())
    def test_complete_assessments(self, assessment: Assessment) -> None:
        """
        It agrees on fully answered assessments.
        """
        assert _decided(assessment) == baseline(assessment)


class TestCases:
    """
    The generated cases are fixed, seeded and realistic.
    """

    def test_deterministic(self) -> None:
        """
        The same seed gives the same records, and the list is a prefix of
        the stream.
        """
        assert records(50) == records(50)
        assert records(50)[:20] == list(generate(20))
        assert records(5, seed=1) != records(5)

    def test_mix(self) -> None:
        """
        About 10% have a red flag, and some have unknown answers.
        """
        cases = records(2000)
        flagged = sum(
            any(record["answers"].get(f) for f in RED_FLAGS)
            for record in cases
        )
        unknown = sum(
            None in record["answers"].values()
            or len(record["answers"]) < 41
            or None in (record["age_years"], record["duration_days"])
            for record in cases
        )

        assert 0.07 < flagged / len(cases) < 0.13
        assert 0.15 < unknown / len(cases) < 0.25

    def test_endless_stream(self) -> None:
        """
        generate(-1) does not stop.
        """
        stream = generate(-1)

        assert 30 == len([next(stream) for _ in range(30)])
