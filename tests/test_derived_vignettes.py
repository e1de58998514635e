# SPDX-License-Identifier: MIT
"""
The derived vignette set (tests/derived_vignettes.py): no case is
under-triaged, plain mechanical strains reach self-care, and the figures on
the docs' safety page are the ones the set gives today.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from spasmcare import Urgency, evaluate

from .derived_vignettes import (
    VIGNETTES,
    Vignette,
    direct_results,
    figures_table,
    interview_level,
    score,
)

SAFETY_PAGE = (
    Path(__file__).parent.parent / "docs" / "explanation" / "safety.md"
)
#: The families issue 9 added; each needs positives and near misses.
NEW_FAMILIES = ("abdomen", "pregnancy", "infection", "aneurysm")


class TestTheSet:
    """
    At least 40 derived cases; every family that rule set 0.2.0 added has
    positives and near misses.
    """

    def test_at_least_forty_cases_with_unique_ids(self) -> None:
        """
        40 or more cases, each with its own id.
        """
        ids = [v.id for v in VIGNETTES]

        assert len(ids) >= 40
        assert len(ids) == len(set(ids))

    @pytest.mark.parametrize("family", NEW_FAMILIES)
    def test_each_new_family_has_positives_and_near_misses(
        self, family: str
    ) -> None:
        """
        A family has referral cases and near misses that must get
        self-care.
        """
        cases = [v for v in VIGNETTES if v.family == family]

        assert sum(not v.near_miss for v in cases) >= 4
        assert [Urgency.SELF_CARE] * sum(v.near_miss for v in cases) == [
            v.gold for v in cases if v.near_miss
        ]
        assert any(v.near_miss for v in cases)

    def test_every_case_names_its_basis(self) -> None:
        """
        Each gold level says which guidance it comes from.
        """
        assert all(v.basis.strip() and v.story.strip() for v in VIGNETTES)


class TestNoUnderTriage:
    """
    "0 under-triage, and the plain mechanical strains still reach
    self-care": through evaluate() and through the interview.
    """

    @pytest.mark.parametrize("vignette", VIGNETTES, ids=lambda v: v.id)
    def test_evaluate_is_never_less_urgent_than_the_guidance(
        self, vignette: Vignette
    ) -> None:
        """
        The fully answered case is never under-triaged.
        """
        assert vignette.gold <= evaluate(vignette.assessment()).level

    @pytest.mark.parametrize("vignette", VIGNETTES, ids=lambda v: v.id)
    def test_the_interview_is_never_less_urgent_than_the_guidance(
        self, vignette: Vignette
    ) -> None:
        """
        A patient answering the interview truthfully is never
        under-triaged either (the interview stops at an emergency).
        """
        level, _ = interview_level(vignette)

        assert vignette.gold <= level

    @pytest.mark.parametrize(
        "vignette",
        [v for v in VIGNETTES if v.gold is Urgency.SELF_CARE],
        ids=lambda v: v.id,
    )
    def test_self_care_cases_get_self_care(self, vignette: Vignette) -> None:
        """
        Plain strains and the near misses reach self-care, directly and
        through the interview.
        """
        assert Urgency.SELF_CARE == evaluate(vignette.assessment()).level
        assert Urgency.SELF_CARE == interview_level(vignette)[0]


class TestReportedFigures:
    """
    The docs' safety page shows the figures this set gives.
    """

    def test_the_safety_page_table_is_current(self) -> None:
        """
        The table between the markers on the safety page is the one
        figures_table() renders now (regenerate it when the rules change).
        """
        page = SAFETY_PAGE.read_text(encoding="utf-8")
        start = "<!-- derived-vignettes:start -->\n"
        end = "\n<!-- derived-vignettes:end -->"

        shown = page.split(start, 1)[1].split(end, 1)[0]

        assert figures_table(score(direct_results())) == shown

    def test_scoring_counts_under_and_over_triage(self) -> None:
        """
        score() counts a less urgent level as under-triage and a more
        urgent one as over-triage.
        """
        strain = next(v for v in VIGNETTES if v.id == "plain-strain-lifting")
        ces = next(v for v in VIGNETTES if v.id == "ces-saddle")

        figures = score(
            [
                (strain, Urgency.ROUTINE),
                (ces, Urgency.URGENT),
                (ces, Urgency.EMERGENCY),
            ]
        )

        assert (1, 0, 0, 1) == figures.per_level[Urgency.SELF_CARE]
        assert (2, 1, 1, 0) == figures.per_level[Urgency.EMERGENCY]
        assert 1 == figures.under_triaged
        assert (1, 2) == figures.emergent_recognised
        assert (0, 1) == figures.self_care_given

    def test_every_gold_level_but_routine_has_cases(self) -> None:
        """
        Cases sit at every level, so each row of the table means
        something.
        """
        levels = Counter(v.gold for v in VIGNETTES)

        assert set(Urgency) == set(levels)
