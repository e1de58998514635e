# SPDX-License-Identifier: MIT
"""
The benchmark baseline and cases stay honest (benchmarks/, issue 5).

The bare if-chain in ``benchmarks/baseline.py`` is only a fair baseline
while it decides exactly what :func:`spasmcare.evaluate` decides.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from benchmarks import peers
from benchmarks.baseline import baseline
from benchmarks.cases import RED_FLAGS, generate, records, to_assessment
from hypothesis import given

from spasmcare import DEFAULT_RULES, Answer, Assessment, RuleSet, evaluate
from spasmcare.criteria import Criterion, Outcome

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


def _record(assessment: Assessment) -> dict[str, object]:
    """
    The plain record the peer engines read: answers as True/False/None.
    """
    return {
        "answers": {
            finding: answer is Answer.PRESENT
            for finding, answer in assessment._answers.items()
            if answer is not Answer.UNKNOWN
        },
        "age_years": assessment.age_years,
        "pain_score": assessment.pain_score,
        "duration_days": assessment.duration_days,
        "episodes_past_year": assessment.episodes_past_year,
    }


class TestPeersAgree:
    """
    The catalogue translated into rule-engine and JsonLogic decides what
    evaluate() decides (benchmarks/peers.py, issue 16), so the side-by-side
    timings compare the same work.
    """

    @pytest.mark.parametrize(("name", "make"), peers.PEERS)
    def test_generated_cases(
        self, name: str, make: Callable[[RuleSet], peers.Peer]
    ) -> None:
        """
        Each peer agrees on the first 200 benchmark cases.
        """
        peer = make(DEFAULT_RULES)
        for record in records(200):
            assert _decided(to_assessment(record)) == peer(record), name

    @given(assessments())
    def test_any_assessment(self, assessment: Assessment) -> None:
        """
        Both agree on any valid assessment, unknown answers included.
        """
        expected = _decided(assessment)
        for _, peer in _PEERS:
            assert expected == peer(_record(assessment))

    def test_untranslatable_criterion(self) -> None:
        """
        A criterion the translators do not know is refused, not guessed.
        """
        odd = _Odd()
        with pytest.raises(TypeError, match="rule-engine"):
            peers.rule_engine_text(odd, possible=False)
        with pytest.raises(TypeError, match="JsonLogic"):
            peers.jsonlogic_rule(odd, possible=True)

    def test_available(self) -> None:
        """
        The bench extra is installed with the tests extra.
        """
        assert peers.available()


class _Odd(Criterion):
    """
    A criterion of no kind the translators know (never met).
    """

    def check(self, assessment: Assessment) -> Outcome:  # noqa: ARG002
        return Outcome(verdict=False)

    def describe(self) -> str:
        return "odd"

    @property
    def questions(self) -> frozenset[str]:
        return frozenset()

    @property
    def sufficient(self) -> frozenset[str]:
        return frozenset()


_PEERS = [(name, make(DEFAULT_RULES)) for name, make in peers.PEERS]
