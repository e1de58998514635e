# SPDX-License-Identifier: MIT
"""
The compiled rules decide exactly what the criteria, checked as written,
decide (spasmcare._compile, issue 5).
"""

from __future__ import annotations

import pickle

import pytest
from hypothesis import given
from hypothesis import strategies as st

from spasmcare import (
    DEFAULT_RULES,
    QUESTIONS,
    Assessment,
    Citation,
    Rule,
    RuleSet,
    UnknownFindingError,
    Urgency,
    evaluate,
)
from spasmcare._compile import _number_fact, compile_rules, interpret, source
from spasmcare._evaluate import _compiled
from spasmcare._findings import NUMBER_IDS
from spasmcare.criteria import (
    AtLeast,
    CountAtLeast,
    Criterion,
    Fact,
    OnsetBefore,
    Outcome,
    Present,
)

from .strategies import FINDINGS, assessments

DEFAULT_INTERPRETED = interpret(DEFAULT_RULES)
CITE = Citation(key="k", source="S", title="T", year=2020)
LEVELS = [level for level in Urgency if level is not Urgency.SELF_CARE]


class _SubclassedPresent(Present):
    """
    A subclass of a known criterion: compiled as a call to its check().
    """


class _EvenPain(Criterion):
    """
    A custom criterion: met when the pain score is even.
    """

    def check(self, assessment: Assessment) -> Outcome:
        pain = assessment.pain_score
        if pain is None:
            return Outcome(verdict=None)
        if pain % 2:
            return Outcome(verdict=False)
        return Outcome(
            verdict=True, facts=(Fact(question="pain_score", value=pain),)
        )

    def describe(self) -> str:
        return "an even pain score"

    @property
    def questions(self) -> frozenset[str]:
        return frozenset(("pain_score",))

    @property
    def sufficient(self) -> frozenset[str]:
        return frozenset()


class _NotAFinding(_EvenPain):
    """
    A custom criterion whose red flag is not a finding at all.
    """

    @property
    def sufficient(self) -> frozenset[str]:
        return frozenset(("no_such_finding",))


@st.composite
def _at_least(draw: st.DrawFn) -> AtLeast:
    question = QUESTIONS[draw(st.sampled_from(NUMBER_IDS))]
    assert question.minimum is not None
    assert question.maximum is not None
    low, high = question.minimum, min(question.maximum, 400)
    return AtLeast(question.id, draw(st.integers(low - 1, high + 1)))


LEAVES = (
    st.sampled_from(FINDINGS).map(Present)
    | _at_least()
    | st.integers(16, 90).map(OnsetBefore)
    | st.sampled_from(FINDINGS).map(_SubclassedPresent)
    | st.just(_EvenPain())
)


def _count(parts: list[Criterion]) -> st.SearchStrategy[Criterion]:
    return st.integers(1, len(parts)).map(
        lambda count: CountAtLeast(count, *parts)
    )


CRITERIA = st.recursive(
    LEAVES,
    lambda inner: st.lists(inner, min_size=1, max_size=4).flatmap(_count),
    max_leaves=8,
)


@st.composite
def rule_sets(draw: st.DrawFn) -> RuleSet:
    """
    Rule sets of random criteria, levels and duplicates.
    """
    criteria = draw(st.lists(CRITERIA, min_size=1, max_size=4))
    return RuleSet(
        id="random",
        version="1",
        rules=tuple(
            Rule(
                id=f"rule_{index}",
                title="T",
                urgency=draw(st.sampled_from(LEVELS)),
                criterion=criterion,
                rationale="R",
                warning_sign="W",
                citations=(CITE,),
            )
            for index, criterion in enumerate(criteria)
        ),
    )


def _rule_set(*criteria: Criterion) -> RuleSet:
    return RuleSet(
        id="custom",
        version="1",
        rules=tuple(
            Rule(
                id=f"rule_{index}",
                title="T",
                urgency=LEVELS[index % len(LEVELS)],
                criterion=criterion,
                rationale="R",
                warning_sign="W",
                citations=(CITE,),
            )
            for index, criterion in enumerate(criteria)
        ),
    )


class TestCompiledAgrees:
    """
    compile_rules() returns exactly what interpret() returns.
    """

    @given(assessments())
    def test_default_rules(self, assessment: Assessment) -> None:
        """
        Same fired rules and facts, pending rules, unknown questions and
        unknown red flags for the default rules.
        """
        compiled = DEFAULT_RULES._cached(_compiled)

        assert DEFAULT_INTERPRETED(assessment) == compiled(assessment)

    @given(rule_sets(), st.lists(assessments(), min_size=1, max_size=3))
    def test_any_rule_set(
        self, rules: RuleSet, cases: list[Assessment]
    ) -> None:
        """
        The same for rule sets of any criteria, custom ones included.
        """
        compiled = compile_rules(rules)
        interpreted = interpret(rules)

        for case in cases:
            assert interpreted(case) == compiled(case)

    def test_custom_criteria(self) -> None:
        """
        Criteria of unknown types are called through their own check().
        """
        rules = _rule_set(
            _EvenPain(),
            CountAtLeast(1, _EvenPain(), Present("fever")),
            _SubclassedPresent("fever"),
        )
        cases = [
            Assessment(),
            Assessment.from_answers({"fever": True}, pain_score=4),
            Assessment.from_answers({"fever": False}, pain_score=3),
        ]

        for case in cases:
            assert interpret(rules)(case) == compile_rules(rules)(case)
        fired = evaluate(cases[1], rules=rules).fired
        assert ("rule_2", "rule_1", "rule_0") == tuple(f.id for f in fired)

    def test_red_flag_that_is_not_a_finding(self) -> None:
        """
        Both paths raise UnknownFindingError, as evaluate() always did.
        """
        rules = _rule_set(_NotAFinding())

        for decide in (
            interpret(rules),
            compile_rules(rules),
        ):
            with pytest.raises(UnknownFindingError):
                decide(Assessment())


class TestCompiledOnce:
    """
    Each rule set is compiled once, on first use, and kept with it.
    """

    def test_kept(self) -> None:
        """
        The compiled function is made once per rule set.
        """
        first = DEFAULT_RULES._cached(_compiled)

        assert first is DEFAULT_RULES._cached(_compiled)

    def test_each_rule_set_its_own(self) -> None:
        """
        A changed rule set gets its own function.
        """
        other = DEFAULT_RULES.without("chest_pain", version="t")

        assert other._cached(_compiled) is not DEFAULT_RULES._cached(_compiled)

    def test_pickles_without_it(self) -> None:
        """
        A pickled rule set leaves the function behind and compiles again.
        """
        DEFAULT_RULES._cached(_compiled)
        case = Assessment.from_answers({"chest_pain": True})

        copy = pickle.loads(pickle.dumps(DEFAULT_RULES))

        assert {} == copy._derived
        assert DEFAULT_RULES == copy
        assert evaluate(case).fired == evaluate(case, rules=copy).fired

    def test_source_reads_like_the_rules(self) -> None:
        """
        The generated source has one commented block per rule, most urgent
        first.
        """
        text, _ = source(DEFAULT_RULES)
        blocks = [line.strip() for line in text.splitlines() if "# " in line]

        assert f"# {DEFAULT_RULES.rules[0].id} (ambulance)" == blocks[0]
        assert len(DEFAULT_RULES) == len(blocks)


class TestNumberFacts:
    """
    Facts about numbers are shared, as they are immutable.
    """

    def test_shared(self) -> None:
        """
        The same question and value give the same Fact object.
        """
        fact = _number_fact("pain_score", 7)

        assert Fact(question="pain_score", value=7) == fact
        assert fact is _number_fact("pain_score", 7)
