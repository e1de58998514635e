# SPDX-License-Identifier: MIT
"""
The same rule catalogue in the engines a user might pick instead.

Every rule of :data:`spasmcare.DEFAULT_RULES` is translated
automatically, from its criteria, into expressions of two general rule
engines: `rule-engine <https://pypi.org/project/rule-engine/>`_ (5.x)
and JsonLogic (`panzi-json-logic
<https://pypi.org/project/panzi-json-logic/>`_, the maintained Python 3
implementation; the older ``json-logic`` 0.6.3 on PyPI does not run on
Python 3).
Nothing is written by hand, so a change to the catalogue changes the
peers too.

The engines know two truth values; the catalogue needs three
(present / absent / unknown).
So each rule becomes two expressions over the plain answers
(``True`` / ``False`` / ``None``, numbers or ``None``):

- *met*: certainly met, an unknown answer counting as not meeting it;
- *possible*: could be met, an unknown answer counting as meeting it.

A rule fires when it is met and is pending when it is possible but not
met: Kleene's three-valued logic, as :func:`spasmcare.evaluate` decides
it. ``possible`` is only evaluated when ``met`` is false.
The level is then taken as ``evaluate`` takes it (the most urgent fired
rule; at least routine while a rule is pending).

Both peers must agree with ``evaluate`` (level and fired rule ids, most
urgent first) on every case before anything is timed.
They live in the ``bench`` extra, never in the runtime dependencies:
``pip install -e '.[bench]'``.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from spasmcare import DEFAULT_RULES, RuleSet, Urgency
from spasmcare._evaluate import INCOMPLETE_LEVEL
from spasmcare.criteria import (
    AtLeast,
    AtMost,
    CountAtLeast,
    Criterion,
    OnsetBefore,
    Present,
)

__all__ = [
    "PEERS",
    "Peer",
    "available",
    "jsonlogic_peer",
    "rule_engine_peer",
]

#: A compiled peer: the plain record in, (level, fired ids) out.
Peer = Callable[[Mapping[str, Any]], tuple[Urgency, tuple[str, ...]]]

_DAYS_PER_YEAR = 365  # as criteria.OnsetBefore counts


# -- rule-engine --------------------------------------------------------------


def rule_engine_text(  # noqa: PLR0911 (one return per criterion type)
    criterion: Criterion, *, possible: bool
) -> str:
    """
    A rule-engine expression for *criterion* (met, or possibly met).
    """
    if isinstance(criterion, Present):
        name = criterion.finding
        return f"{name} != false" if possible else f"{name} == true"
    if isinstance(criterion, AtLeast):
        name, threshold = criterion.question, criterion.threshold
        if possible:
            return f"({name} == null or {name} >= {threshold})"
        return f"({name} != null and {name} >= {threshold})"
    if isinstance(criterion, AtMost):
        name, threshold = criterion.question, criterion.threshold
        if possible:
            return f"({name} == null or {name} <= {threshold})"
        return f"({name} != null and {name} <= {threshold})"
    if isinstance(criterion, OnsetBefore):
        onset = (
            f"age_years * {_DAYS_PER_YEAR} - duration_days"
            f" < {criterion.age_years * _DAYS_PER_YEAR}"
        )
        if possible:
            return f"(age_years == null or duration_days == null or {onset})"
        return f"(age_years != null and duration_days != null and {onset})"
    if isinstance(criterion, CountAtLeast):
        parts = [
            rule_engine_text(c, possible=possible) for c in criterion.criteria
        ]
        # rule-engine cannot add booleans: "at least k of n" is the
        # disjunction of every k-combination's conjunction.
        return (
            "("
            + " or ".join(
                "(" + " and ".join(combo) + ")"
                for combo in itertools.combinations(parts, criterion.count)
            )
            + ")"
        )
    msg = f"no rule-engine translation for {criterion!r}"
    raise TypeError(msg)


def rule_engine_peer(rules: RuleSet = DEFAULT_RULES) -> Peer:
    """
    *rules* compiled into rule-engine ``Rule`` objects.
    """
    import rule_engine  # noqa: PLC0415 (the bench extra)

    context = rule_engine.Context(default_value=None)
    compiled = [
        (
            rule.id,
            rule.urgency,
            rule_engine.Rule(
                rule_engine_text(rule.criterion, possible=False), context
            ).matches,
            rule_engine.Rule(
                rule_engine_text(rule.criterion, possible=True), context
            ).matches,
        )
        for rule in rules.rules
    ]
    return _peer(compiled)


# -- JsonLogic ---------------------------------------------------------------


def jsonlogic_rule(  # noqa: PLR0911 (one return per criterion type)
    criterion: Criterion, *, possible: bool
) -> object:
    """
    A JsonLogic rule (JSON-able data) for *criterion* (met, or possibly).
    """
    # Strict (===) comparisons: JsonLogic's == is JavaScript's loose one.
    if isinstance(criterion, Present):
        var = {"var": criterion.finding}
        return {"!==": [var, False]} if possible else {"===": [var, True]}
    if isinstance(criterion, AtLeast):
        var = {"var": criterion.question}
        at_least = {">=": [var, criterion.threshold]}
        if possible:
            return {"or": [{"===": [var, None]}, at_least]}
        return {"and": [{"!==": [var, None]}, at_least]}
    if isinstance(criterion, AtMost):
        var = {"var": criterion.question}
        at_most = {"<=": [var, criterion.threshold]}
        if possible:
            return {"or": [{"===": [var, None]}, at_most]}
        return {"and": [{"!==": [var, None]}, at_most]}
    if isinstance(criterion, OnsetBefore):
        age, days = {"var": "age_years"}, {"var": "duration_days"}
        onset = {
            "<": [
                {"-": [{"*": [age, _DAYS_PER_YEAR]}, days]},
                criterion.age_years * _DAYS_PER_YEAR,
            ]
        }
        if possible:
            return {"or": [{"===": [age, None]}, {"===": [days, None]}, onset]}
        return {"and": [{"!==": [age, None]}, {"!==": [days, None]}, onset]}
    if isinstance(criterion, CountAtLeast):
        # JsonLogic's "+" adds booleans as numbers: count the parts met.
        parts = [
            {"if": [jsonlogic_rule(c, possible=possible), 1, 0]}
            for c in criterion.criteria
        ]
        return {">=": [{"+": parts}, criterion.count]}
    msg = f"no JsonLogic translation for {criterion!r}"
    raise TypeError(msg)


def jsonlogic_peer(rules: RuleSet = DEFAULT_RULES) -> Peer:
    """
    *rules* as JsonLogic data, applied with ``json_logic.jsonLogic``.
    """
    from json_logic import jsonLogic  # noqa: PLC0415 (the bench extra)

    def applier(logic: object) -> Callable[[Mapping[str, Any]], bool]:
        return lambda data: bool(jsonLogic(logic, data))

    compiled = [
        (
            rule.id,
            rule.urgency,
            applier(jsonlogic_rule(rule.criterion, possible=False)),
            applier(jsonlogic_rule(rule.criterion, possible=True)),
        )
        for rule in rules.rules
    ]
    return _peer(compiled)


# -- shared -------------------------------------------------------------------


def _peer(
    compiled: Sequence[
        tuple[
            str,
            Urgency,
            Callable[[Mapping[str, Any]], bool],
            Callable[[Mapping[str, Any]], bool],
        ]
    ],
) -> Peer:
    # Most urgent first, catalogue order within a level (as evaluate()).
    order = sorted(compiled, key=lambda item: -item[1].rank)

    def decide(record: Mapping[str, Any]) -> tuple[Urgency, tuple[str, ...]]:
        data = flatten(record)
        fired: list[tuple[str, Urgency]] = []
        pending = False
        for rule_id, urgency, met, possible in order:
            if met(data):
                fired.append((rule_id, urgency))
            elif not pending and possible(data):
                pending = True
        if not fired:
            level = INCOMPLETE_LEVEL if pending else Urgency.SELF_CARE
        elif pending:
            level = max(fired[0][1], INCOMPLETE_LEVEL)
        else:
            level = fired[0][1]
        return level, tuple(rule_id for rule_id, _ in fired)

    return decide


def flatten(record: Mapping[str, Any]) -> dict[str, Any]:
    """
    A benchmark record as one flat dict: the engines' natural input.
    """
    data = dict(record["answers"])
    for name in (
        "age_years",
        "pain_score",
        "duration_days",
        "episodes_past_year",
    ):
        data[name] = record[name]
    return data


#: Name and factory of every peer, in the order they are reported.
PEERS: tuple[tuple[str, Callable[[RuleSet], Peer]], ...] = (
    ("rule-engine 5", rule_engine_peer),
    ("JsonLogic (panzi-json-logic)", jsonlogic_peer),
)


def available() -> bool:
    """
    Whether the ``bench`` extra (both peer engines) is installed.
    """
    try:
        import json_logic  # noqa: F401, PLC0415
        import rule_engine  # noqa: F401, PLC0415
    except ImportError:
        return False
    return True
