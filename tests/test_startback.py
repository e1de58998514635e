# SPDX-License-Identifier: MIT
"""
The STarT Back Screening Tool: scoring from item ids and answer codes,
tri-state risk groups, stratified care in the plan, and item texts kept
out of the package (issue 12, item 2).
"""

from __future__ import annotations

import json
from pathlib import Path

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import spasmcare
from spasmcare import (
    START_BACK_ITEMS,
    InvalidTypeError,
    InvalidValueError,
    StartBackItem,
    StartBackRisk,
    StepKind,
    UnknownFindingError,
    Urgency,
    evaluate,
    load_start_back_items,
    plan_care,
    score_start_back,
)

from .vignettes import plain_strain, with_present

ROOT = Path(__file__).parent.parent
ITEMS = sorted(START_BACK_ITEMS, key=lambda i: int(i[1:]))


def _answers(points: set[str], bother: str = "slightly") -> dict[str, str]:
    """
    Items 1-8 agreed when in *points*; item 9 answered *bother*.
    """
    answers = {i: "agree" if i in points else "disagree" for i in ITEMS[:8]}
    answers["Q9"] = bother
    return answers


def _reference(answers: dict[str, str]) -> StartBackRisk:
    """
    The published rule, written out plainly: items 1-8 agree = 1, item 9
    very much or extremely = 1; low total <= 3; medium total >= 4 and
    subscore (5-9) <= 3; high total >= 4 and subscore >= 4.
    """
    points = {
        i: int(a in ("agree", "very_much", "extremely"))
        for i, a in answers.items()
    }
    total = sum(points.values())
    subscore = sum(points[i] for i in ("Q5", "Q6", "Q7", "Q8", "Q9"))
    if total <= 3:
        return StartBackRisk.LOW
    return StartBackRisk.MEDIUM if subscore <= 3 else StartBackRisk.HIGH


complete_answers = st.fixed_dictionaries(
    {item: st.sampled_from(START_BACK_ITEMS[item].answers) for item in ITEMS}
)


class TestScoring:
    """
    The published scoring (Hill 2008; LOINC 91349-1), on every answer set.
    """

    @given(complete_answers)
    def test_complete_answers_score_as_published(
        self, answers: dict[str, str]
    ) -> None:
        """
        For any complete set of answers, the group is the published one.
        """
        score = score_start_back(answers)

        assert _reference(answers) is score.risk
        assert score.complete
        assert 0 <= score.distress <= 5
        assert score.distress <= score.total <= 9

    @pytest.mark.parametrize(
        ("points", "bother", "risk", "total", "distress"),
        [
            (set(), "extremely", StartBackRisk.LOW, 1, 1),
            ({"Q1", "Q2", "Q3"}, "moderately", StartBackRisk.LOW, 3, 0),
            ({"Q1", "Q2", "Q3"}, "very_much", StartBackRisk.MEDIUM, 4, 1),
            ({"Q1", "Q5", "Q6"}, "very_much", StartBackRisk.MEDIUM, 4, 3),
            ({"Q5", "Q6", "Q7"}, "very_much", StartBackRisk.HIGH, 4, 4),
            (set(ITEMS[:8]), "extremely", StartBackRisk.HIGH, 9, 5),
        ],
    )
    def test_boundaries(
        self,
        points: set[str],
        bother: str,
        risk: StartBackRisk,
        total: int,
        distress: int,
    ) -> None:
        """
        Totals 3 and 4, subscores 3 and 4, and item 9's two top answers.
        """
        score = score_start_back(_answers(points, bother))

        assert (risk, total, distress) == (
            score.risk,
            score.total,
            score.distress,
        )
        assert score.management == risk.management

    @given(complete_answers, st.sets(st.sampled_from(ITEMS)))
    def test_missing_items_never_guess_the_group(
        self, answers: dict[str, str], left_out: set[str]
    ) -> None:
        """
        With items missing, the group is given only when every way of
        answering them gives that group, and then it is the right one.
        """
        partial = {i: a for i, a in answers.items() if i not in left_out}

        score = score_start_back(partial)

        assert tuple(i for i in ITEMS if i in left_out) == score.missing
        if score.risk is not None:
            assert _reference(answers) is score.risk
        if not left_out:
            assert score.risk is not None

    def test_a_low_total_is_low_whatever_is_missing(self) -> None:
        """
        Six items disagreed, three missing: at most 3 points, so low.
        """
        answers = dict.fromkeys(ITEMS[:6], "disagree")

        score = score_start_back(answers)

        assert StartBackRisk.LOW is score.risk
        assert not score.complete
        assert score.management is not None

    def test_nothing_answered_is_undecided(self) -> None:
        """
        No answers: no group, every item missing, no management.
        """
        score = score_start_back({})

        assert score.risk is None
        assert tuple(ITEMS) == score.missing
        assert score.management is None
        assert "full assessment" in score.notice

    @pytest.mark.parametrize(
        ("answers", "error", "match"),
        [
            ({"Q10": "agree"}, UnknownFindingError, "Q10"),
            ({1: "agree"}, UnknownFindingError, "1"),
            ({"Q1": "yes"}, InvalidValueError, "Q1"),
            ({"Q9": "agree"}, InvalidValueError, "very_much"),
            ({"Q2": 1}, InvalidValueError, "Q2"),
        ],
    )
    def test_bad_answers_name_the_item(
        self, answers: dict[object, object], error: type, match: str
    ) -> None:
        """
        An unknown item or an answer code that does not fit is an error
        naming the item.
        """
        with pytest.raises(error, match=match):
            score_start_back(answers)  # type: ignore[arg-type]

    def test_answers_must_be_a_mapping(self) -> None:
        """
        A list is refused with the library's own type error.
        """
        with pytest.raises(InvalidTypeError, match="answers"):
            score_start_back(["agree"])  # type: ignore[arg-type]


class TestStratifiedCare:
    """
    The care plan uses the group as NICE NG59 1.1.3 recommends.
    """

    @pytest.mark.parametrize(
        ("points", "bother", "step"),
        [
            ({"Q1", "Q2", "Q3"}, "very_much", "exercise_programme"),
            (
                {"Q5", "Q6", "Q7"},
                "very_much",
                "exercise_programme_psychological",
            ),
        ],
    )
    def test_medium_and_high_risk_add_an_exercise_programme(
        self, points: set[str], bother: str, step: str
    ) -> None:
        """
        Medium risk adds an exercise programme, high risk one with a
        psychological approach, after the self-care steps.
        """
        case = plain_strain()
        score = score_start_back(_answers(points, bother))

        plan = plan_care(case, evaluate(case), start_back=score)

        assert step == plan.steps[-1].id
        assert StepKind.STRATIFIED_CARE is plan.steps[-1].kind
        assert "nice-ng59" in {c.key for c in plan.steps[-1].citations}

    @pytest.mark.parametrize("points", [set(), {"Q1"}])
    def test_low_risk_or_undecided_adds_nothing(
        self, points: set[str]
    ) -> None:
        """
        Low risk keeps the self-care plan, which is NICE's low-risk care;
        an undecided group adds nothing either.
        """
        case = plain_strain()
        usual = plan_care(case, evaluate(case))
        low = score_start_back(_answers(points))
        undecided = score_start_back({"Q1": "agree", "Q2": "agree"})

        assert usual == plan_care(case, evaluate(case), start_back=low)
        assert usual == plan_care(case, evaluate(case), start_back=undecided)

    def test_an_emergency_plan_never_carries_it(self) -> None:
        """
        At emergency levels nothing competes with the referral.
        """
        case = with_present(plain_strain(), "saddle_numbness")
        high = score_start_back(_answers(set(ITEMS[:8]), "extremely"))

        plan = plan_care(case, evaluate(case), start_back=high)

        assert Urgency.EMERGENCY == plan.level
        assert StepKind.STRATIFIED_CARE not in {s.kind for s in plan.steps}

    def test_start_back_must_be_a_score(self) -> None:
        """
        A plain dict is refused.
        """
        case = plain_strain()

        with pytest.raises(InvalidTypeError, match="start_back"):
            plan_care(case, evaluate(case), start_back={"Q1": "agree"})  # type: ignore[arg-type]


class TestItemTexts:
    """
    The nine item texts are not in the package; a file with Keele's notice
    supplies them.
    """

    def test_the_package_holds_no_item_text(self) -> None:
        """
        The items carry topics and answer codes only, and no file in the
        package mentions the tool's wording.
        """
        package = Path(spasmcare.__file__).parent

        assert {"id", "topic", "answers", "distress"} == set(
            attrs.fields_dict(StartBackItem)
        )
        for path in package.rglob("*"):
            if path.is_file() and path.suffix in {".json", ".txt", ".csv"}:
                assert "Keele" not in path.read_text(encoding="utf-8")

    def test_the_template_loads(self) -> None:
        """
        The template beside the examples loads, carrying the notice.
        """
        texts = load_start_back_items(
            ROOT / "examples" / "startback" / "items.template.json"
        )

        assert list(START_BACK_ITEMS) == list(texts)

    @pytest.mark.parametrize(
        ("document", "match"),
        [
            ({"items": {}}, "notice"),
            ({"notice": "no owner", "items": {}}, "notice"),
            ({"notice": "© Keele University", "items": {"Q1": "x"}}, "items"),
            ({"notice": "© Keele University", "items": []}, "items"),
            (
                {
                    "notice": "© Keele University",
                    "items": {i: ("" if i == "Q3" else "t") for i in ITEMS},
                },
                "Q3",
            ),
            ([], "notice"),
        ],
    )
    def test_a_bad_file_is_refused(
        self, tmp_path: Path, document: object, match: str
    ) -> None:
        """
        No notice, items missing or empty: refused, naming what is wrong.
        """
        path = tmp_path / "items.json"
        path.write_text(json.dumps(document), encoding="utf-8")

        with pytest.raises(InvalidValueError, match=match):
            load_start_back_items(path)

    def test_a_file_that_is_not_json_is_refused(self, tmp_path: Path) -> None:
        """
        Not JSON: the library's error, naming the file.
        """
        path = tmp_path / "items.json"
        path.write_bytes(b"\xff not json")

        with pytest.raises(InvalidValueError, match=r"items\.json"):
            load_start_back_items(path)
