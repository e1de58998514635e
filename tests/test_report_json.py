# SPDX-License-Identifier: MIT
"""
report_json() (issue 16): the same text as json.dumps(dump_report(...)),
made from the kept text of each immutable part of a plan.
"""

from __future__ import annotations

import datetime as dt
import json

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from spasmcare import (
    DEFAULT_RULES,
    REGIONS,
    Assessment,
    CarePlan,
    Escalation,
    FiredRule,
    RuleSet,
    Step,
    _json,
    dump_report,
    evaluate,
    plan_care,
    report_json,
)
from spasmcare.criteria import Fact
from spasmcare.exceptions import (
    InvalidTypeError,
    InvalidValueError,
    MismatchError,
)

from .strategies import assessments
from .test_plan_cache import NEW_ZEALAND, RULE_SETS, SCORES

WHEN = dt.datetime(2026, 3, 2, 9, 25, 1, 123456, tzinfo=dt.UTC)

IDS = st.one_of(
    st.none(),
    st.text(min_size=1, max_size=20).filter(str.strip),
    st.integers(-(2**63), 2**63 - 1),
)


def _same(escalation: Escalation, plan: CarePlan) -> None:
    expected = json.dumps(dump_report(escalation, plan, created_at=WHEN))
    assert report_json(escalation, plan, created_at=WHEN) == expected


@given(
    assessments(),
    IDS,
    st.sampled_from(RULE_SETS),
    st.sampled_from([*REGIONS.values(), NEW_ZEALAND]),
    st.sampled_from(SCORES),
)
def test_the_text_is_json_dumps_of_the_report(
    assessment: Assessment,
    identifier: str | int | None,
    rules: RuleSet,
    region: object,
    start_back: object,
) -> None:
    assessment = attrs.evolve(assessment, id=identifier)
    escalation = evaluate(assessment, rules=rules)
    plan = plan_care(
        assessment,
        escalation,
        region=region,  # type: ignore[arg-type]
        start_back=start_back,  # type: ignore[arg-type]
    )
    _same(escalation, plan)
    _same(escalation, plan)  # from the kept texts this time


def test_without_a_time_it_reads_the_clock() -> None:
    assessment = Assessment.from_answers({"fever": True}, id="é")
    escalation = evaluate(assessment)
    plan = plan_care(assessment, escalation)
    before = dt.datetime.now(dt.UTC).replace(microsecond=0)
    report = json.loads(report_json(escalation, plan))
    made = dt.datetime.fromisoformat(report["audit"]["created_at"])
    assert before <= made <= dt.datetime.now(dt.UTC)
    expected = dump_report(escalation, plan, created_at=made)
    assert report == expected


@pytest.mark.parametrize(
    ("care_plan", "created_at", "error"),
    [
        ("a plan", None, InvalidTypeError),
        (None, "today", InvalidTypeError),
        (None, dt.datetime(2026, 3, 2), InvalidValueError),  # noqa: DTZ001
    ],
)
def test_it_refuses_what_dump_report_refuses(
    care_plan: object, created_at: object, error: type[Exception]
) -> None:
    assessment = Assessment.from_answers({"fever": True})
    escalation = evaluate(assessment)
    plan = (
        plan_care(assessment, escalation) if care_plan is None else care_plan
    )
    for dump in (dump_report, report_json):
        with pytest.raises(error):
            dump(escalation, plan, created_at=created_at)  # type: ignore[arg-type]


def test_it_refuses_a_plan_from_another_escalation() -> None:
    fever = Assessment.from_answers({"fever": True})
    calm = Assessment.from_answers({})
    with pytest.raises(MismatchError):
        report_json(evaluate(fever), plan_care(calm, evaluate(calm)))
    with pytest.raises(InvalidTypeError):
        report_json("an escalation", plan_care(calm, evaluate(calm)))  # type: ignore[arg-type]


@attrs.frozen(kw_only=True, repr=False)
class _OwnEscalation(Escalation):
    pass


@attrs.frozen
class _OwnFiredRule(FiredRule):
    pass


@attrs.frozen
class _OwnFact(Fact):
    pass


@attrs.frozen(kw_only=True)
class _OwnStep(Step):
    pass


def _numbered(number: int) -> tuple[Assessment, Escalation]:
    """
    A fever with its own set of red flags answered "no": its own plan.
    """
    flags = [flag for flag in DEFAULT_RULES.red_flags if flag != "fever"]
    absent = {f: False for bit, f in enumerate(flags) if number >> bit & 1}
    assessment = Assessment.from_answers({"fever": True, **absent})
    return assessment, evaluate(assessment)


def _fever() -> tuple[Assessment, Escalation]:
    assessment = Assessment.from_answers({"fever": True}, pain_score=8)
    return assessment, evaluate(assessment)


def test_subclasses_are_written_as_the_converter_writes_them() -> None:
    assessment, escalation = _fever()
    fired = escalation.fired
    for changed in (
        _OwnEscalation(**attrs.asdict(escalation, recurse=False)),
        attrs.evolve(
            escalation,
            fired=tuple(
                _OwnFiredRule(rule=f.rule, facts=f.facts) for f in fired
            ),
        ),
        attrs.evolve(
            escalation,
            fired=tuple(
                attrs.evolve(
                    f,
                    facts=tuple(
                        _OwnFact(question=x.question, value=x.value)
                        for x in f.facts
                    ),
                )
                for f in fired
            ),
        ),
    ):
        _same(changed, plan_care(assessment, changed))
    plan = plan_care(assessment, escalation)
    own = attrs.evolve(
        plan,
        steps=(
            plan.steps[0],
            _OwnStep(**attrs.asdict(plan.steps[1], recurse=False)),
            *plan.steps[2:],
        ),
        action=None,
    )
    _same(escalation, own)


def test_the_kept_texts_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_json, "_PLAN_TEXTS_KEPT", 2)
    monkeypatch.setattr(_json, "_PART_TEXTS_KEPT", 8)
    monkeypatch.setattr(_json, "_plan_texts", {})
    monkeypatch.setattr(_json, "_part_texts", {})
    for number in range(20):
        assessment, escalation = _numbered(number)
        _same(escalation, plan_care(assessment, escalation))
    assert len(_json._plan_texts) == 2
    assert len(_json._part_texts) == 8


def test_the_most_recent_plans_keep_their_texts(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(_json, "_PLAN_TEXTS_KEPT", 2)
    monkeypatch.setattr(_json, "_plan_texts", {})
    plans = []
    for number in (1, 2, 3):
        assessment, escalation = _numbered(number)
        plans.append((escalation, plan_care(assessment, escalation)))
    first, second, third = plans
    _same(*first)
    _same(*second)
    _same(*first)  # now more recent than the second
    _same(*third)
    kept = {id(plan) for plan, _ in _json._plan_texts.values()}
    assert kept == {id(first[1]), id(third[1])}
