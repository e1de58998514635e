# SPDX-License-Identifier: MIT
"""
The catalogue's shared lists, written out: each member on its own.

``tests/test_boundaries.py`` iterates over the lists as the catalogue
holds them; a mutant that drops a member from a list also drops it from
those tests. Here the lists are written out, so dropping one-leg weakness
from the neurological list, or a strong risk from the infection list,
changes an outcome (the mutation run's data mutants, issue 15).
"""

from __future__ import annotations

import pytest

from spasmcare import Urgency, evaluate

from .vignettes import plain_strain, with_present

P = plain_strain
#: CLINICAL.md's neurological list and the strong infection risks, written
#: out here rather than read from the catalogue: dropping a finding from
#: the catalogue's shared list must change an outcome below, not only the
#: list the other tests iterate over.
NEUROLOGICAL_WRITTEN_OUT = (
    "one_leg_weakness",
    "progressive_weakness",
    "leg_pain_numbness",
    "walking_difficulty",
    "both_legs",
    "urinary_retention",
    "incontinence",
    "saddle_numbness",
)
STRONG_RISKS_WRITTEN_OUT = (
    "injects_drugs",
    "weak_immune_system",
    "recent_spine_procedure",
    "recent_serious_infection",
)


class TestWrittenOutLists:
    """
    Each neurological finding with cancer history, with fever and with
    each strong infection risk fires its emergency rule; each strong risk
    with fever does too (the lists written out, not read from the rules).
    """

    @pytest.mark.parametrize("finding", NEUROLOGICAL_WRITTEN_OUT)
    def test_cancer_history_with_each(self, finding: str) -> None:
        """
        Cancer history with one-leg weakness (or any other one): an
        emergency, by cancer_with_neurology.
        """
        result = evaluate(with_present(P(), "cancer_history", finding))

        assert "cancer_with_neurology" in {f.id for f in result.fired}
        assert Urgency.EMERGENCY == result.level

    @pytest.mark.parametrize("flag", ["fever", *STRONG_RISKS_WRITTEN_OUT])
    @pytest.mark.parametrize("finding", NEUROLOGICAL_WRITTEN_OUT)
    def test_infection_flag_with_each(self, flag: str, finding: str) -> None:
        """
        Fever, or a strong risk, with leg numbness or one-leg weakness
        (or any other one): an emergency, by spinal_infection_severe.
        """
        result = evaluate(with_present(P(), flag, finding))

        assert "spinal_infection_severe" in {f.id for f in result.fired}
        assert Urgency.EMERGENCY == result.level

    @pytest.mark.parametrize("risk", STRONG_RISKS_WRITTEN_OUT)
    def test_fever_with_each_strong_risk(self, risk: str) -> None:
        """
        Fever with a strong risk: an emergency.
        """
        result = evaluate(with_present(P(), "fever", risk))

        assert "spinal_infection_severe" in {f.id for f in result.fired}
        assert Urgency.EMERGENCY == result.level
