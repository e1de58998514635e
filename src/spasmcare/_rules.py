# SPDX-License-Identifier: MIT
"""
Rule and RuleSet: the escalation rules as data.
"""

from __future__ import annotations

import re
import types
from collections.abc import Callable, Iterator, Mapping
from typing import Any, TypeVar

import attrs

from ._citations import Citation
from ._urgency import Urgency
from ._validators import field_name, to_tuple
from .criteria import Criterion
from .exceptions import RuleSetError

__all__ = ["Rule", "RuleSet"]

_ID = re.compile(r"[a-z][a-z0-9_]*\Z")
_T = TypeVar("_T")


class _Derived(dict[Callable[[Any], Any], Any]):
    """
    What a rule set has derived from its rules, by the function that made it.

    Pickles as empty: a compiled function does not pickle,
    and everything here can be made again.
    """

    def __reduce__(self) -> tuple[type[_Derived], tuple[()]]:
        return _Derived, ()


def _rule_id(
    instance: object, attribute: attrs.Attribute[Any], value: Any
) -> None:
    if not isinstance(value, str) or not _ID.match(value):
        raise RuleSetError(
            str(value),
            f"{field_name(instance, attribute)} must be lower_snake_case "
            "text starting with a letter",
        )


def _rule_text(
    instance: Rule, attribute: attrs.Attribute[Any], value: Any
) -> None:
    if not isinstance(value, str) or not value.strip():
        raise RuleSetError(
            instance.id,
            f"{field_name(instance, attribute)}={value!r}: needs text",
        )


def _optional_rule_text(
    instance: Rule, attribute: attrs.Attribute[Any], value: Any
) -> None:
    if value is not None:
        _rule_text(instance, attribute, value)


@attrs.frozen(kw_only=True, repr=False, cache_hash=True)  # plan cache keys
class Rule:
    """
    One escalation rule: when its criterion is met, refer at its urgency.

    Attributes:
        id: Stable identifier (``lower_snake_case``); never reused
            for a different meaning.
        title: What the rule looks for, for clinicians.
            Names a *suspicion*, never a diagnosis.
        urgency: The level the rule escalates to; above self-care.
        criterion: The predicate, built from :mod:`spasmcare.criteria`.
        rationale: Why this level, with the evidence in brief.
        warning_sign: The same warning sign in plain language,
            for a person's safety-net list.
        citations: One or more published sources.
        advice: What to do, in plain language, when this rule fires and
            the level's own action is not specific enough (such as
            calling a maternity unit); ``None`` for most rules.
            It is added to the referral step of the care plan.
        withholds_self_care: Whether the care plan, when this rule fires,
            holds only the referral and the safety net, without the
            self-care steps (for a person outside the range they are
            written for, such as a child).

    Raises:
        RuleSetError: A field is missing or malformed, the rule has no
            citation, or its urgency is self-care.

    Its repr is short (id and urgency): the criterion and texts are
    long, and a repr that fills a screen hides what matters.

    .. versionadded:: 0.1.0
    """

    id: str = attrs.field(validator=_rule_id)
    title: str = attrs.field(validator=_rule_text)
    urgency: Urgency
    criterion: Criterion
    rationale: str = attrs.field(validator=_rule_text)
    warning_sign: str = attrs.field(validator=_rule_text)
    citations: tuple[Citation, ...] = attrs.field(converter=to_tuple)
    advice: str | None = attrs.field(
        default=None, validator=_optional_rule_text
    )
    withholds_self_care: bool = False

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.urgency, Urgency):
            raise RuleSetError(
                self.id, f"urgency={self.urgency!r}: needs an Urgency"
            )
        if self.urgency is Urgency.SELF_CARE:
            raise RuleSetError(self.id, "a rule must escalate above self-care")
        if not isinstance(self.criterion, Criterion):
            raise RuleSetError(
                self.id, f"criterion={self.criterion!r}: needs a Criterion"
            )
        citations: object = self.citations  # checked at run time
        if not isinstance(citations, tuple) or not all(
            isinstance(c, Citation) for c in citations
        ):
            raise RuleSetError(
                self.id, f"citations={citations!r}: needs Citation objects"
            )
        if not self.citations:
            raise RuleSetError(self.id, "a rule needs at least one citation")
        if not isinstance(self.withholds_self_care, bool):
            raise RuleSetError(
                self.id,
                f"withholds_self_care={self.withholds_self_care!r}: needs a "
                "bool",
            )

    def __repr__(self) -> str:
        return f"Rule(id={self.id!r}, urgency={self.urgency})"


@attrs.frozen(kw_only=True, repr=False)
class RuleSet:
    """
    A versioned, immutable collection of rules with unique ids.

    Attributes:
        id: Name of the rule set, recorded in every escalation.
        version: Version of the rule set, recorded in every escalation.
            Change it whenever a rule changes.
        rules: The rules, in catalogue order.

    Raises:
        RuleSetError: Two rules share an id, or a rule is not a
            :class:`Rule`, or *id*/*version* are blank.

    Its repr names the set, not every rule in it
    (``help()`` shows it wherever it is a default):

    >>> DEFAULT_RULES  # doctest: +ELLIPSIS
    RuleSet(id='spasmcare-default', version='...', digest='...', rules=...)
    >>> DEFAULT_RULES["cauda_equina"]
    Rule(id='cauda_equina', urgency=Urgency.EMERGENCY)
    >>> DEFAULT_RULES["cauda_equina"].urgency
    <Urgency.EMERGENCY: 'emergency'>
    >>> local = DEFAULT_RULES.without("frequent_recurrence", version="0.1.0-local")
    >>> local.version, "frequent_recurrence" in {rule.id for rule in local}
    ('0.1.0-local', False)

    .. versionadded:: 0.1.0
    """

    id: str = attrs.field()
    version: str = attrs.field()
    rules: tuple[Rule, ...] = attrs.field(converter=to_tuple)
    _by_id: dict[str, Rule] = attrs.field(
        init=False, eq=False, hash=False, repr=False
    )
    _red_flags: dict[str, Urgency] = attrs.field(
        init=False, eq=False, hash=False, repr=False
    )
    _derived: _Derived = attrs.field(
        init=False, factory=_Derived, eq=False, hash=False, repr=False
    )

    def __attrs_post_init__(self) -> None:
        for name in ("id", "version"):
            value = getattr(self, name)
            if not isinstance(value, str) or not value.strip():
                raise RuleSetError(
                    str(self.id), f"RuleSet.{name}={value!r}: needs text"
                )
        if not isinstance(self.rules, tuple):
            raise RuleSetError(self.id, "RuleSet.rules: needs a tuple of Rule")
        by_id: dict[str, Rule] = {}
        for rule in self.rules:
            if not isinstance(rule, Rule):
                raise RuleSetError(
                    self.id, f"RuleSet.rules: {rule!r} is not a Rule"
                )
            if rule.id in by_id:
                raise RuleSetError(
                    rule.id, "duplicate rule id in the rule set"
                )
            by_id[rule.id] = rule
        levels: dict[str, Urgency] = {}
        for rule in self.rules:
            for finding in rule.criterion.sufficient:
                levels[finding] = max(
                    levels.get(finding, rule.urgency), rule.urgency
                )
        # Plain dicts (private, never handed out) keep the set picklable.
        object.__setattr__(self, "_by_id", by_id)
        object.__setattr__(self, "_red_flags", dict(sorted(levels.items())))

    def __repr__(self) -> str:
        return (
            f"RuleSet(id={self.id!r}, version={self.version!r}, "
            f"digest={self.digest[:12]!r}, rules={len(self.rules)})"
        )

    def _cached(self, make: Callable[[RuleSet], _T]) -> _T:
        """
        ``make(self)``, made on first use and kept with the rule set.

        For what follows from the rules alone, such as the compiled
        criteria (see :mod:`spasmcare._compile`) and the safety net.
        """
        try:
            value: _T = self._derived[make]
        except KeyError:
            value = self._derived[make] = make(self)
        return value

    def __iter__(self) -> Iterator[Rule]:
        return iter(self.rules)

    def __len__(self) -> int:
        return len(self.rules)

    def __getitem__(self, rule_id: str) -> Rule:
        """
        The rule with id *rule_id*.

        Raises:
            KeyError: There is no such rule.
        """
        return self._by_id[rule_id]

    @property
    def digest(self) -> str:
        """
        The SHA-256 digest of the catalogue
        (ids, urgencies, criteria and citations), as hex.

        Record it with the version in an audit trail:
        it changes whenever any rule's logic or sources change.
        """
        return self._cached(_digest)

    @property
    def questions(self) -> frozenset[str]:
        """
        Ids of every question some rule reads.
        """
        return frozenset().union(*(r.criterion.questions for r in self.rules))

    @property
    def red_flags(self) -> Mapping[str, Urgency]:
        """
        Each red-flag finding and the level it escalates to on its own.

        A finding is a red flag when, present, it meets some rule's
        criterion whatever else is answered.
        Weak flags that count only in combination (age over 50,
        night pain) are not red flags in this sense.
        """
        return types.MappingProxyType(self._red_flags)

    def replace(self, *rules: Rule, version: str) -> RuleSet:
        """
        A new rule set where *rules* replace the rules with the same ids
        and the others are added at the end.

        Args:
            rules: The new or changed rules.
            version: The new set's version; it must differ, so that
                escalations from the two sets can be told apart.

        Raises:
            RuleSetError: *version* equals the current version.
        """
        self._check_new_version(version)
        new = {r.id: r for r in rules}
        kept = tuple(new.pop(r.id, r) for r in self.rules)
        return attrs.evolve(
            self, version=version, rules=(*kept, *new.values())
        )

    def without(self, *rule_ids: str, version: str) -> RuleSet:
        """
        A new rule set without the rules *rule_ids*.

        Removing a rule removes the safety it gave;
        see the documentation before you do it.

        Raises:
            RuleSetError: A rule id is not in the set, or *version* equals
                the current version.
        """
        self._check_new_version(version)
        for rule_id in rule_ids:
            if rule_id not in self._by_id:
                raise RuleSetError(rule_id, "no such rule in the rule set")
        gone = set(rule_ids)
        return attrs.evolve(
            self,
            version=version,
            rules=tuple(r for r in self.rules if r.id not in gone),
        )

    def _check_new_version(self, version: str) -> None:
        if version == self.version:
            raise RuleSetError(
                self.id,
                f"version={version!r}: a changed rule set needs a new version",
            )


def _digest(rules: RuleSet) -> str:
    """
    The SHA-256 digest of *rules* (see :attr:`RuleSet.digest`).
    """
    lines = [f"{rules.id} {rules.version}"]
    lines.extend(
        f"{r.id}|{r.urgency.value}|{r.criterion.describe()}|"
        + "|".join(c.key for c in r.citations)
        for r in rules.rules
    )
    import hashlib  # noqa: PLC0415 (slow to import; rarely needed)

    return hashlib.sha256("\n".join(lines).encode()).hexdigest()
