# SPDX-License-Identifier: MIT
"""
Compile a rule set's criteria into one plain Python function.

Walking the criterion trees object by object (a method call per node,
an :class:`~spasmcare.criteria.Outcome` per answer) costs more than ten
times a hand-written if-chain (see ``benchmarks/``).
So, as attrs does for the methods it generates, a rule set is turned
into the source of one function, compiled on first use and kept on the
:class:`~spasmcare.RuleSet`.
The rules stay the single source of truth: the function is generated
from their criteria, never written by hand.
Read it with ``source(rule_set)[0]``.

:func:`interpret` is the reference: each criterion's own
:meth:`~spasmcare.criteria.Criterion.check`, as written.
The compiled function must return exactly what it returns;
the tests compare the two on generated assessments and rule sets.
A criterion of a type this module does not know (or a subclass of a
known one) is called through its own ``check``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from ._findings import FINDING_IDS
from ._fired import Decide, Decision, FiredRule
from ._model import Answer, Assessment
from .criteria import (
    _DAYS_PER_YEAR,
    AtLeast,
    AtMost,
    CountAtLeast,
    Criterion,
    Fact,
    OnsetBefore,
    Present,
    _unique,
)

if TYPE_CHECKING:
    from ._rules import Rule, RuleSet
    from ._urgency import Urgency

__all__ = [
    "compile_rules",
    "interpret",
    "source",
]


@functools.lru_cache(maxsize=4096, typed=True)
def _number_fact(question: str, value: int) -> Fact:
    """
    ``Fact(question=question, value=value)``, shared: facts are immutable.
    """
    return Fact(question=question, value=value)


def _most_urgent_first(rules: Sequence[Rule]) -> list[Rule]:
    return sorted(rules, key=lambda rule: rule.urgency.rank, reverse=True)


def interpret(rule_set: RuleSet) -> Decide:
    """
    The reference: each rule's criterion, checked as written.
    """
    ordered = _most_urgent_first(rule_set.rules)
    red_flags = rule_set.red_flags

    def decide(assessment: Assessment) -> Decision:
        fired: list[FiredRule] = []
        pending: list[tuple[Rule, int, tuple[str, ...]]] = []
        for rule in ordered:
            outcome = rule.criterion.check(assessment)
            if outcome.verdict:
                fired.append(FiredRule(rule=rule, facts=outcome.facts))
            elif outcome.verdict is None:
                unknown = rule.criterion.unknown_questions(assessment)
                pending.append((rule, rule.urgency.rank, unknown))
        flags = [
            (finding, level.rank)
            for finding, level in red_flags.items()
            if assessment.answer(finding) is Answer.UNKNOWN
        ]
        return fired, pending, flags

    return decide


class _Code(NamedTuple):
    """
    A criterion as Python expressions over the answers loaded into locals.
    """

    #: True when the criterion is met.
    met: str
    #: True when it is certainly not met (False while it cannot tell).
    unmet: str
    #: Its facts; evaluated only when it is met.
    facts: str
    #: The questions its facts may name; None when not known in advance.
    names: frozenset[str] | None


class _Writer:
    """
    Writes the source of one rule set's decide() function.
    """

    def __init__(self) -> None:
        #: Objects the function uses, by the name it knows them by.
        self.constants: dict[str, object] = {}
        #: Questions read, in first-use order: local name by question id.
        self.findings: dict[str, str] = {}
        self.numbers: dict[str, str] = {}
        #: Statements the current rule needs before its test.
        self.prelude: list[str] = []

    def constant(self, prefix: str, value: object) -> str:
        name = f"{prefix}_{len(self.constants)}"
        self.constants[name] = value
        return name

    def finding(self, finding: str) -> str:
        # Finding and question ids are identifiers (see _findings.py).
        return self.findings.setdefault(finding, f"f_{finding}")

    def number(self, question: str) -> str:
        return self.numbers.setdefault(question, f"n_{question}")

    def code(self, criterion: Criterion) -> _Code:
        # Exact types only: a subclass may check differently.
        write = _WRITERS.get(type(criterion), _Writer.call)
        return write(self, criterion)

    def present(self, criterion: Present) -> _Code:
        answer = self.finding(criterion.finding)
        facts = (Fact(question=criterion.finding, value=Answer.PRESENT),)
        return _Code(
            met=f"{answer} is PRESENT",
            unmet=f"{answer} is ABSENT",
            facts=self.constant("facts", facts),
            names=frozenset((criterion.finding,)),
        )

    def at_least(self, criterion: AtLeast) -> _Code:
        value = self.number(criterion.question)
        threshold = int(criterion.threshold)
        return _Code(
            met=f"({value} is not None and {value} >= {threshold})",
            unmet=f"({value} is not None and {value} < {threshold})",
            facts=f"(number_fact({criterion.question!r}, {value}),)",
            names=frozenset((criterion.question,)),
        )

    def at_most(self, criterion: AtMost) -> _Code:
        value = self.number(criterion.question)
        threshold = int(criterion.threshold)
        return _Code(
            met=f"({value} is not None and {value} <= {threshold})",
            unmet=f"({value} is not None and {value} > {threshold})",
            facts=f"(number_fact({criterion.question!r}, {value}),)",
            names=frozenset((criterion.question,)),
        )

    def onset_before(self, criterion: OnsetBefore) -> _Code:
        age, days = self.number("age_years"), self.number("duration_days")
        known = f"{age} is not None and {days} is not None"
        onset = f"{age} * {_DAYS_PER_YEAR} - {days}"
        limit = int(criterion.age_years) * _DAYS_PER_YEAR
        return _Code(
            met=f"({known} and {onset} < {limit})",
            unmet=f"({known} and {onset} >= {limit})",
            facts=(
                f"(number_fact('age_years', {age}), "
                f"number_fact('duration_days', {days}))"
            ),
            names=frozenset(("age_years", "duration_days")),
        )

    def count_at_least(self, criterion: CountAtLeast) -> _Code:
        parts = [self.code(c) for c in criterion.criteria]
        need, total = criterion.count, len(parts)
        if need == 1:  # Kleene OR
            met = " or ".join(p.met for p in parts)
            unmet = " and ".join(p.unmet for p in parts)
        elif need == total:  # Kleene AND
            met = " and ".join(p.met for p in parts)
            unmet = " or ".join(p.unmet for p in parts)
        else:  # count the met, and the certainly unmet
            met = " + ".join(f"({p.met})" for p in parts) + f" >= {need}"
            unmet = " + ".join(f"({p.unmet})" for p in parts)
            unmet += f" > {total - need}"
        if need == total:
            facts = ", ".join(f"*{p.facts}" for p in parts)
        else:
            facts = ", ".join(
                f"*({p.facts} if {p.met} else ())" for p in parts
            )
        names = [p.names for p in parts if p.names is not None]
        every: frozenset[str] = frozenset().union(*names)
        if len(names) < total or sum(map(len, names)) > len(every):
            # Two parts may name the same answer: keep each fact once.
            return _Code(f"({met})", f"({unmet})", f"_unique([{facts}])", None)
        return _Code(f"({met})", f"({unmet})", f"({facts},)", every)

    def call(self, criterion: Criterion) -> _Code:
        name = self.constant("criterion", criterion)
        self.prelude.append(f"{name}_outcome = {name}.check(assessment)")
        verdict = f"{name}_outcome.verdict"
        return _Code(
            met=f"bool({verdict})",
            unmet=f"({verdict} is not None and not {verdict})",
            facts=f"{name}_outcome.facts",
            names=None,
        )

    def unknown(self, criterion: Criterion) -> str:
        """
        An expression for ``criterion.unknown_questions(assessment)``.
        """
        checks = []
        for question in sorted(criterion.questions):
            if question in self.numbers:
                test = f"{self.numbers[question]} is None"
            else:
                local = self.findings[question]
                test = f"{local} is None or {local} is UNKNOWN"
            checks.append(f"*(({question!r},) if {test} else ())")
        return f"({', '.join(checks)},)"

    def rule(self, rule: Rule) -> list[str]:
        self.prelude = []
        code = self.code(rule.criterion)
        name = self.constant("rule", rule)
        if self.prelude:  # a criterion is called through its own check()
            unknown = f"{name}.criterion.unknown_questions(assessment)"
        else:
            unknown = self.unknown(rule.criterion)
        return [
            f"# {rule.id} ({rule.urgency.name.lower()})",
            *self.prelude,
            f"if {code.met}:",
            f"    fired.append(FiredRule(rule={name}, facts={code.facts}))",
            f"elif not {code.unmet}:",
            f"    pending.append(({name}, {rule.urgency.rank}, {unknown}))",
        ]

    def unknown_flags(self, red_flags: Mapping[str, Urgency]) -> list[str]:
        """
        Statements that set ``flags``: the red flags that are unknown.
        """
        # A red flag that is not a finding (a custom criterion's) is read
        # as evaluate() always read it, and raises UnknownFindingError.
        lines = [
            f"assessment.answer({flag!r})"
            for flag in red_flags
            if flag not in FINDING_IDS
        ]
        checks = []
        for flag in red_flags:
            if flag in FINDING_IDS:
                local = self.finding(flag)
                test = f"{local} is None or {local} is UNKNOWN"
                item = f"({flag!r}, {red_flags[flag].rank})"
                checks.append(f"*(({item},) if {test} else ())")
        # Most assessments answer every finding: say so at once.
        lines.extend(
            [
                (
                    f"if len(answers) == {len(FINDING_IDS)}"
                    " and UNKNOWN not in answers.values():"
                ),
                "    flags = []",
                "else:",
                f"    flags = [{', '.join(checks)}]",
            ]
        )
        return lines


_WRITERS: dict[type[Criterion], Callable[[_Writer, Any], _Code]] = {
    Present: _Writer.present,
    AtLeast: _Writer.at_least,
    AtMost: _Writer.at_most,
    OnsetBefore: _Writer.onset_before,
    CountAtLeast: _Writer.count_at_least,
}


def source(rule_set: RuleSet) -> tuple[str, dict[str, object]]:
    """
    The source of the decide() function for *rule_set*, and its constants.
    """
    writer = _Writer()
    body: list[str] = []
    for rule in _most_urgent_first(rule_set.rules):
        body.extend(writer.rule(rule))
        body.append("")
    body.extend(writer.unknown_flags(rule_set.red_flags))
    load = ["answers = assessment._answers", "get = answers.get"]
    load.extend(f"{v} = get({f!r})" for f, v in writer.findings.items())
    load.extend(f"{v} = assessment.{n}" for n, v in writer.numbers.items())
    load.extend(["fired = []", "pending = []", ""])
    constants = {
        "PRESENT": Answer.PRESENT,
        "ABSENT": Answer.ABSENT,
        "UNKNOWN": Answer.UNKNOWN,
        "number_fact": _number_fact,
        "FiredRule": FiredRule,
        "_unique": _unique,
        **writer.constants,
    }
    lines = [
        f"def make({', '.join(constants)}):",
        "    def decide(assessment):",
        *(f"        {line}" if line else "" for line in load + body),
        "        return fired, pending, flags",
        "    return decide",
        "",
    ]
    return "\n".join(lines), constants


def compile_rules(rule_set: RuleSet) -> Decide:
    """
    Compile *rule_set* into one function that decides all its rules.
    """
    text, constants = source(rule_set)
    namespace: dict[str, Callable[..., Decide]] = {}
    code = compile(text, "<spasmcare: compiled rules>", "exec")
    exec(code, namespace)  # noqa: S102 (generated from the rules, see source())
    return namespace["make"](**constants)
