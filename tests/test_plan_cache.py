# SPDX-License-Identifier: MIT
"""
plan_care() keeps the plans it makes (issue 16): a kept plan must equal
one built afresh, with every cache emptied, for any input.
"""

from __future__ import annotations

import functools

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from spasmcare import (
    DEFAULT_RULES,
    REGIONS,
    Assessment,
    CarePlan,
    Citation,
    Escalation,
    FiredRule,
    Region,
    RuleSet,
    StartBackScore,
    _plan,
    _region,
    dump_care_plan,
    evaluate,
    plan_care,
    score_start_back,
)
from spasmcare.criteria import Fact
from spasmcare.exceptions import InvalidTypeError

from .strategies import assessments

NEW_ZEALAND = Region(
    id="nz",
    name="New Zealand",
    emergency_number="111",
    emergency_department="the emergency room",
    urgent_help="call Healthline on 0800 611 116",
)
#: The same id and name as the UK, other services: a different key.
LOOKALIKE = attrs.evolve(REGIONS["uk"], urgent_help="call your own GP")


def _rewritten(rules: RuleSet) -> RuleSet:
    """
    The rules with other advice under the same ids: a different rule set
    whose plans must not be the default's.
    """
    return RuleSet(
        id="local",
        version="1-local",
        rules=tuple(
            attrs.evolve(rule, advice=f"Local advice for {rule.id}.")
            for rule in rules
        ),
    )


RULE_SETS = [
    DEFAULT_RULES,
    DEFAULT_RULES.without("frequent_recurrence", version="0.1.0-local"),
    _rewritten(DEFAULT_RULES),
]
#: No score, each risk group, and a score whose risk is undecided.
SCORES: list[StartBackScore | None] = [
    None,
    score_start_back({f"Q{i}": "disagree" for i in range(1, 9)}),
    score_start_back(
        {**{f"Q{i}": "agree" for i in range(1, 5)}, "Q9": "not_at_all"}
    ),
    score_start_back(
        {**{f"Q{i}": "agree" for i in range(1, 9)}, "Q9": "extremely"}
    ),
    score_start_back({"Q1": "agree"}),
]


def _empty_caches() -> None:
    for cached in (
        _plan._reason,
        _plan._regional_action,
        _plan._rule_parts,
        _plan._referral_step,
        _plan._interim,
        _plan._filled_net,
        _plan._adapted_self_care,
        _region._filled,
    ):
        cached.cache_clear()


def fresh(
    assessment: Assessment,
    escalation: Escalation,
    start_back: StartBackScore | None,
    region: Region,
) -> CarePlan:
    """
    The plan built with every cache emptied first.
    """
    _empty_caches()
    return _plan._build(assessment, escalation, start_back, region)


@given(
    assessments(),
    st.sampled_from(RULE_SETS),
    st.sampled_from([*REGIONS.values(), NEW_ZEALAND, LOOKALIKE]),
    st.sampled_from(SCORES),
)
def test_a_kept_plan_equals_a_fresh_one(
    assessment: Assessment,
    rules: RuleSet,
    region: Region,
    start_back: StartBackScore | None,
) -> None:
    escalation = evaluate(assessment, rules=rules)
    kept = plan_care(
        assessment, escalation, start_back=start_back, region=region
    )
    again = plan_care(
        assessment, escalation, start_back=start_back, region=region
    )
    built = fresh(assessment, escalation, start_back, region)
    assert built == kept == again
    assert dump_care_plan(built) == dump_care_plan(kept)


@given(assessments(), st.sampled_from(SCORES))
def test_every_input_the_plan_reads_is_in_its_key(
    assessment: Assessment, start_back: StartBackScore | None
) -> None:
    # The same assessment under each rule set and region: the plans kept
    # for one never stand in for another's.
    for rules in RULE_SETS:
        escalation = evaluate(assessment, rules=rules)
        for region in (REGIONS["uk"], LOOKALIKE, NEW_ZEALAND):
            assert plan_care(
                assessment, escalation, start_back=start_back, region=region
            ) == fresh(assessment, escalation, start_back, region)


def test_the_cache_is_bounded() -> None:
    rules = RuleSet(id="bounded", version="1", rules=DEFAULT_RULES.rules)
    plans = rules._cached(_plan._plans)
    flags = [flag for flag in rules.red_flags if flag != "fever"]
    for number in range(_plan.PLANS_KEPT + 10):
        # Each number its own set of red flags answered "no".
        absent = {
            flag: False for bit, flag in enumerate(flags) if number >> bit & 1
        }
        assessment = Assessment.from_answers({"fever": True, **absent})
        plan_care(assessment, evaluate(assessment, rules=rules))
    info = plans.cache_info()  # type: ignore[attr-defined]
    assert info.currsize == _plan.PLANS_KEPT
    assert info.misses == _plan.PLANS_KEPT + 10


def test_a_kept_plan_holds_no_assessment() -> None:
    assessment = Assessment.from_answers({"fever": True}, age_years=119)
    escalation = evaluate(assessment)
    key = _plan._key(assessment, escalation, None, REGIONS["uk"])
    assert key is not None
    inputs = _plan._Inputs(key, (assessment, escalation, None, REGIONS["uk"]))
    DEFAULT_RULES._cached(_plan._plans)(inputs)
    assert inputs.arguments is None
    assert inputs != key  # only another key's inputs compare equal


@attrs.frozen
class _OwnFiredRule(FiredRule):
    pass


@attrs.frozen(kw_only=True)
class _OwnRegion(Region):
    pass


@attrs.frozen(kw_only=True)
class _OwnAssessment(Assessment):
    pass


@attrs.frozen(kw_only=True, repr=False)
class _OwnEscalation(Escalation):
    pass


def _cases() -> list[tuple[Assessment, Escalation, Region]]:
    """
    Inputs whose plans are built afresh each time: subclasses, and fired
    rules that are not the rule set's own.
    """
    answers = {"fever": True, "leg_pain_numbness": True}
    assessment = Assessment.from_answers(answers, age_years=70)
    escalation = evaluate(assessment)
    uk = REGIONS["uk"]
    foreign = attrs.evolve(
        escalation.fired[0].rule, advice="Someone else's advice."
    )
    own = _OwnAssessment(symptoms=assessment.symptoms, age_years=70)
    return [
        (assessment, escalation, _OwnRegion(**attrs.asdict(uk))),
        (
            assessment,
            attrs.evolve(
                escalation,
                fired=tuple(
                    _OwnFiredRule(rule=f.rule, facts=f.facts)
                    for f in escalation.fired
                ),
            ),
            uk,
        ),
        (
            assessment,
            attrs.evolve(
                escalation,
                fired=(
                    FiredRule(rule=foreign, facts=escalation.fired[0].facts),
                ),
            ),
            uk,
        ),
        (own, evaluate(own), uk),
        (
            assessment,
            _OwnEscalation(**attrs.asdict(escalation, recurse=False)),
            uk,
        ),
    ]


@pytest.mark.parametrize("case", range(len(_cases())))
def test_inputs_it_cannot_key_are_built_afresh(case: int) -> None:
    assessment, escalation, region = _cases()[case]
    assert _plan._key(assessment, escalation, None, region) is None
    assert plan_care(assessment, escalation, region=region) == fresh(
        assessment, escalation, None, region
    )


def _scores() -> list[StartBackScore | None]:
    agree = {f"Q{i}": "agree" for i in range(1, 10)}
    disagree = {f"Q{i}": "disagree" for i in range(1, 9)}
    return [
        None,
        score_start_back({**disagree, "Q9": "slightly"}),  # low
        score_start_back(
            {
                **disagree,
                "Q1": "agree",
                "Q2": "agree",
                "Q3": "agree",
                "Q9": "very_much",
            }
        ),  # medium
        score_start_back({**agree, "Q9": "extremely"}),  # high
    ]


@pytest.mark.parametrize("score", range(4))
@pytest.mark.parametrize("region", ["uk", "us"])
def test_inputs_it_can_key_are_kept(score: int, region: str) -> None:
    """
    A plain assessment of the rule set's own, with or without a STarT
    Back score, in a region of the table: the plan is the kept one (not
    only an equal one), the same object the second time.
    """
    assessment = Assessment.from_answers({"fever": False}, age_years=40)
    escalation = evaluate(assessment)
    start_back = _scores()[score]
    where = REGIONS[region]

    key = _plan._key(assessment, escalation, start_back, where)
    first = plan_care(
        assessment, escalation, start_back=start_back, region=where
    )
    again = plan_care(
        assessment, escalation, start_back=start_back, region=where
    )

    assert key is not None
    assert (None if start_back is None else start_back.risk) in key
    assert first is again


def test_a_number_and_a_bool_of_the_same_value_are_kept_apart() -> None:
    """
    True == 1, but a fact of 1 and a fact of True read differently in the
    plan's reasons: the key tells them apart by type.
    """
    assessment = Assessment.from_answers(
        {"pain_unbearable": True}, pain_score=8
    )
    escalation = evaluate(assessment)
    fired = escalation.fired[0]

    def with_pain(*, value: int) -> Escalation:
        facts = tuple(
            Fact(question=f.question, value=value)
            if f.question == "pain_score"
            else f
            for f in fired.facts
        )
        return attrs.evolve(
            escalation, fired=(FiredRule(rule=fired.rule, facts=facts),)
        )

    one, true = with_pain(value=1), with_pain(value=True)
    first = plan_care(assessment, one)
    second = plan_care(assessment, true)

    assert first == fresh(assessment, one, None, REGIONS["uk"])
    assert second == fresh(assessment, true, None, REGIONS["uk"])
    assert first.reasons != second.reasons


def _as(kind: type[FiredRule], escalation: Escalation) -> Escalation:
    return attrs.evolve(
        escalation,
        fired=tuple(
            kind(rule=f.rule, facts=f.facts) for f in escalation.fired
        ),
    )


@pytest.mark.parametrize("region", ["uk", "us"])
def test_a_fired_rule_of_a_subclass_reads_the_same(region: str) -> None:
    """
    Fired rules of a subclass that changes nothing are planned afresh
    (from the fired rules themselves, not the parts kept for the rules):
    the plan is the same, the region's advice included.
    """
    assessment = Assessment.from_answers({"pregnant": True, "fever": True})
    escalation = evaluate(assessment)
    where = REGIONS[region]
    plain = plan_care(assessment, escalation, region=where)

    own = plan_care(assessment, _as(_OwnFiredRule, escalation), region=where)

    assert "{" not in (plain.referral.instructions if plain.referral else "{")
    # A rule whose advice names the region's services.
    assert "pregnancy_warning_signs" in [f.id for f in escalation.fired]
    assert dump_care_plan(plain) == dump_care_plan(own)


@attrs.frozen
class _CitingFiredRule(FiredRule):
    """
    A fired rule that cites a source of its own as well.
    """

    @property
    def citations(self) -> tuple[Citation, ...]:
        return (*self.rule.citations, LOCAL_SOURCE)


LOCAL_SOURCE = Citation(
    key="local-protocol",
    source="Local protocol",
    title="Our own back pain pathway",
    url="https://example.org/back-pain",
    year=2026,
)


def test_a_fired_rule_of_a_subclass_is_read_as_it_says() -> None:
    """
    What a subclass's fired rule says (here, one more source) reaches the
    referral: the parts kept for plain fired rules never stand in for it.
    """
    assessment = Assessment.from_answers({"fever": True}, age_years=70)
    escalation = _as(_CitingFiredRule, evaluate(assessment))

    referral = plan_care(assessment, escalation).referral

    assert referral is not None
    assert LOCAL_SOURCE in referral.citations


def test_a_foreign_rule_gives_its_own_advice() -> None:
    assessment, escalation, region = _cases()[2]
    referral = plan_care(assessment, escalation, region=region).referral
    assert referral is not None
    assert "Someone else's advice." in referral.instructions


def test_a_score_that_is_not_one_still_raises() -> None:
    assessment = Assessment.from_answers({"fever": False})
    with pytest.raises(InvalidTypeError) as caught:
        plan_care(
            assessment,
            evaluate(assessment),
            start_back="high",  # type: ignore[arg-type]
        )
    assert "start_back" == caught.value.field
    assert "high" == caught.value.value
    assert "a StartBackScore" == caught.value.expected
    assert "start_back='high': expected a StartBackScore, got str" == str(
        caught.value
    )


def test_the_fill_cache_leaves_translations_and_odd_strings_alone() -> None:
    class Shouting:
        def gettext(self, message: str) -> str:
            return message.upper()

    uk = REGIONS["uk"]
    text = "Call {emergency_number} or {urgent_help}."
    assert uk.fill(text) == "Call 999 or call 111."
    # Upper case loses the placeholders: the message stays English, the
    # service is translated.
    assert uk.fill(text, Shouting()) == "Call 999 or CALL 111."

    class Text(str):
        __slots__ = ()

    assert uk.fill(Text(text)) == "Call 999 or call 111."


def test_caches_are_functools_caches() -> None:
    # fresh() empties them all: a cache added without it would make the
    # comparison above weaker.
    names = {
        name
        for name, value in vars(_plan).items()
        if isinstance(value, functools._lru_cache_wrapper)
    }
    assert names == {
        "_reason",
        "_regional_action",
        "_rule_parts",
        "_referral_step",
        "_interim",
        "_filled_net",
        "_adapted_self_care",
    }
