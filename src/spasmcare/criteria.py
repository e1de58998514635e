# SPDX-License-Identifier: MIT
"""
The criterion language the rules are written in.

A criterion reads an :class:`~spasmcare.Assessment` and answers with
three-valued (Kleene) logic:
``True`` (met), ``False`` (not met) or ``None`` (cannot tell,
because an answer it needs is unknown).
The building blocks only look *up*: a finding being present,
a number being at least a threshold.
So every criterion built from them is monotone:
a worse answer, or a known answer turning unknown,
can never turn a met criterion into an unmet one.
Custom rules built from these blocks keep that guarantee.

>>> from spasmcare import Assessment
>>> fever_and_risk = AllOf(Present("fever"), Present("infection_risk"))
>>> fever_and_risk.describe()
'all of: fever or chills; a risk of infection in the spine'
>>> fever_and_risk.check(Assessment.from_answers({"fever": True})).verdict is None
True

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import abc
from typing import Any

import attrs

from ._findings import FINDING_IDS, NUMBER_IDS, QUESTIONS
from ._model import Answer, Assessment
from .exceptions import (
    InvalidTypeError,
    InvalidValueError,
    UnknownFindingError,
)

__all__ = [
    "AllOf",
    "AnyOf",
    "AtLeast",
    "AtMost",
    "CountAtLeast",
    "Criterion",
    "Fact",
    "OnsetBefore",
    "Outcome",
    "Present",
]


@attrs.frozen(kw_only=True)
class Fact:
    """
    One answer that a rule relied on.

    Attributes:
        question: The question id.
        value: The answer: an :class:`~spasmcare.Answer` or a number.

    .. versionadded:: 0.1.0
    """

    question: str
    value: Answer | int

    def __str__(self) -> str:
        label = QUESTIONS[self.question].label
        if isinstance(self.value, Answer):
            return f"{label}: {self.value.value}"
        return f"{label}: {self.value}"


@attrs.frozen(kw_only=True)
class Outcome:
    """
    What a criterion found.

    Attributes:
        verdict: ``True`` met, ``False`` not met, ``None`` cannot tell.
        facts: When met, the answers that made it so.

    .. versionadded:: 0.1.0
    """

    verdict: bool | None
    facts: tuple[Fact, ...] = ()


#: Days in a year, as OnsetBefore counts the age at onset (shared with the
#: rule compiler, so that both count alike).
_DAYS_PER_YEAR = 365

_NOT_MET = Outcome(verdict=False)
_CANNOT_TELL = Outcome(verdict=None)


class Criterion(abc.ABC):
    """
    Base of every criterion.

    .. versionadded:: 0.1.0
    """

    __slots__ = ()

    @abc.abstractmethod
    def check(self, assessment: Assessment) -> Outcome:
        """
        Apply the criterion to *assessment*.
        """

    @abc.abstractmethod
    def describe(self) -> str:
        """
        The criterion in words, for the rule catalogue.
        """

    @property
    @abc.abstractmethod
    def questions(self) -> frozenset[str]:
        """
        Ids of every question the criterion reads.
        """

    @property
    @abc.abstractmethod
    def sufficient(self) -> frozenset[str]:
        """
        Findings each of which, present, meets the criterion on its own.
        """

    def unknown_questions(self, assessment: Assessment) -> tuple[str, ...]:
        """
        The questions this criterion reads that *assessment* leaves unknown.
        """
        return tuple(
            q
            for q in sorted(self.questions)
            if (
                assessment.answer(q) is Answer.UNKNOWN
                if q in FINDING_IDS
                else assessment.number(q) is None
            )
        )


def _check_criteria(
    instance: object, attribute: attrs.Attribute[Any], value: Any
) -> None:
    name = f"{type(instance).__name__}.{attribute.name}"
    if not value:
        raise InvalidValueError(name, value, "needs at least one criterion")
    for item in value:
        if not isinstance(item, Criterion):
            raise InvalidTypeError(f"{name}[]", item, "a Criterion")


@attrs.frozen
class Present(Criterion):
    """
    Met when *finding* is answered present.

    Not met when it is answered absent; cannot tell when it is unknown.

    Attributes:
        finding: A yes/no question id (a key of :data:`spasmcare.QUESTIONS`).

    Raises:
        UnknownFindingError: *finding* is not a yes/no question id.

    >>> Present("fever").describe()
    'fever or chills'
    >>> Present("fever").check(Assessment()).verdict is None
    True

    .. versionadded:: 0.1.0
    """

    finding: str

    def __attrs_post_init__(self) -> None:
        if self.finding not in FINDING_IDS:
            raise UnknownFindingError(
                "Present.finding", self.finding, "not a known finding id"
            )

    def check(self, assessment: Assessment) -> Outcome:
        answer = assessment.answer(self.finding)
        if answer is Answer.PRESENT:
            return Outcome(
                verdict=True,
                facts=(Fact(question=self.finding, value=answer),),
            )
        if answer is Answer.ABSENT:
            return _NOT_MET
        return _CANNOT_TELL

    def describe(self) -> str:
        return QUESTIONS[self.finding].label

    @property
    def questions(self) -> frozenset[str]:
        return frozenset((self.finding,))

    @property
    def sufficient(self) -> frozenset[str]:
        return frozenset((self.finding,))


@attrs.frozen
class AtLeast(Criterion):
    """
    Met when the integer question *question* is at least *threshold*.

    Cannot tell when the number is unknown (``None``).

    Attributes:
        question: An integer question id, the name of a numeric field of
            :class:`~spasmcare.Assessment` (such as ``"pain_score"``).
        threshold: The smallest value that meets the criterion.

    Raises:
        UnknownFindingError: *question* is not an integer question id.
        InvalidTypeError: *threshold* is not an int.

    >>> AtLeast("pain_score", 7).describe()
    'pain score 7 points (0-10) or more'

    .. versionadded:: 0.1.0
    """

    question: str
    threshold: int

    def __attrs_post_init__(self) -> None:
        if self.question not in NUMBER_IDS:
            raise UnknownFindingError(
                "AtLeast.question", self.question, "not an integer question"
            )
        if isinstance(self.threshold, bool) or not isinstance(
            self.threshold, int
        ):
            raise InvalidTypeError(
                "AtLeast.threshold", self.threshold, "an int"
            )

    def check(self, assessment: Assessment) -> Outcome:
        value = assessment.number(self.question)
        if value is None:
            return _CANNOT_TELL
        if value >= self.threshold:
            return Outcome(
                verdict=True,
                facts=(Fact(question=self.question, value=value),),
            )
        return _NOT_MET

    def describe(self) -> str:
        question = QUESTIONS[self.question]
        return f"{question.label} {self.threshold} {question.unit} or more"

    @property
    def questions(self) -> frozenset[str]:
        return frozenset((self.question,))

    @property
    def sufficient(self) -> frozenset[str]:
        return frozenset()


@attrs.frozen
class AtMost(Criterion):
    """
    Met when the integer question *question* is at most *threshold*.

    Cannot tell when the number is unknown (``None``).
    A criterion that a *lower* number meets, such as an age below the
    range a rule set covers; like :class:`AtLeast`, its facts are the
    number.

    Attributes:
        question: An integer question id (such as ``"age_years"``).
        threshold: The largest value that meets the criterion.

    Raises:
        UnknownFindingError: *question* is not an integer question id.
        InvalidTypeError: *threshold* is not an int.

    >>> AtMost("age_years", 15).describe()
    'age 15 years or less'

    .. versionadded:: 0.1.0
    """

    question: str
    threshold: int

    def __attrs_post_init__(self) -> None:
        if self.question not in NUMBER_IDS:
            raise UnknownFindingError(
                "AtMost.question", self.question, "not an integer question"
            )
        if isinstance(self.threshold, bool) or not isinstance(
            self.threshold, int
        ):
            raise InvalidTypeError(
                "AtMost.threshold", self.threshold, "an int"
            )

    def check(self, assessment: Assessment) -> Outcome:
        value = assessment.number(self.question)
        if value is None:
            return _CANNOT_TELL
        if value <= self.threshold:
            return Outcome(
                verdict=True,
                facts=(Fact(question=self.question, value=value),),
            )
        return _NOT_MET

    def describe(self) -> str:
        question = QUESTIONS[self.question]
        return f"{question.label} {self.threshold} {question.unit} or less"

    @property
    def questions(self) -> frozenset[str]:
        return frozenset((self.question,))

    @property
    def sufficient(self) -> frozenset[str]:
        return frozenset()


@attrs.frozen
class OnsetBefore(Criterion):
    """
    Met when the back pain began before the age of *age_years*.

    The age at onset is worked out from ``age_years`` and
    ``duration_days``; a longer duration means an earlier onset,
    so the criterion stays monotone in the duration.
    Cannot tell when either number is unknown.

    Attributes:
        age_years: The age, in years, before which the pain must have begun.

    Raises:
        InvalidTypeError: *age_years* is not an int.

    >>> OnsetBefore(45).describe()
    'back pain began before age 45'

    .. versionadded:: 0.1.0
    """

    age_years: int

    def __attrs_post_init__(self) -> None:
        if isinstance(self.age_years, bool) or not isinstance(
            self.age_years, int
        ):
            raise InvalidTypeError(
                "OnsetBefore.age_years", self.age_years, "an int"
            )

    def check(self, assessment: Assessment) -> Outcome:
        age, days = assessment.age_years, assessment.duration_days
        if age is None or days is None:
            return _CANNOT_TELL
        # Completed years at onset, conservatively rounded down.
        if (age * _DAYS_PER_YEAR - days) < self.age_years * _DAYS_PER_YEAR:
            return Outcome(
                verdict=True,
                facts=(
                    Fact(question="age_years", value=age),
                    Fact(question="duration_days", value=days),
                ),
            )
        return _NOT_MET

    def describe(self) -> str:
        return f"back pain began before age {self.age_years}"

    @property
    def questions(self) -> frozenset[str]:
        return frozenset(("age_years", "duration_days"))

    @property
    def sufficient(self) -> frozenset[str]:
        return frozenset()


@attrs.frozen(init=False)
class CountAtLeast(Criterion):
    """
    Met when at least *count* of *criteria* are met.

    ``None`` when the met ones plus the undecided ones could reach *count*.

    Attributes:
        count: How many of *criteria* must be met, from 1 to their number.
        criteria: The criteria to count.

    Raises:
        InvalidTypeError: *count* is not an int, or a criterion is not a
            :class:`Criterion`.
        InvalidValueError: There are no criteria, or *count* is out of
            range.

    >>> two_of = CountAtLeast(
    ...     2, Present("night_pain"), Present("thoracic_pain"), AtLeast("age_years", 50)
    ... )
    >>> two_of.check(Assessment.from_answers({"night_pain": True}, age_years=55)).verdict
    True
    >>> two_of.check(Assessment.from_answers({"night_pain": True})).verdict is None
    True

    .. versionadded:: 0.1.0
    """

    count: int
    criteria: tuple[Criterion, ...] = attrs.field(validator=_check_criteria)

    def __init__(self, count: int, *criteria: Criterion) -> None:
        self.__attrs_init__(count=count, criteria=criteria)

    def __attrs_post_init__(self) -> None:
        if isinstance(self.count, bool) or not isinstance(self.count, int):
            raise InvalidTypeError("CountAtLeast.count", self.count, "an int")
        if not 1 <= self.count <= len(self.criteria):
            raise InvalidValueError(
                "CountAtLeast.count",
                self.count,
                f"must be from 1 to {len(self.criteria)} (the number of criteria)",
            )

    def check(self, assessment: Assessment) -> Outcome:
        met: list[Fact] = []
        met_count = undecided = 0
        for criterion in self.criteria:
            outcome = criterion.check(assessment)
            if outcome.verdict:
                met_count += 1
                met.extend(outcome.facts)
            elif outcome.verdict is None:
                undecided += 1
        if met_count >= self.count:
            return Outcome(verdict=True, facts=_unique(met))
        if met_count + undecided >= self.count:
            return _CANNOT_TELL
        return _NOT_MET

    def describe(self) -> str:
        parts = "; ".join(_describe_part(c) for c in self.criteria)
        if self.count == len(self.criteria):
            return f"all of: {parts}"
        if self.count == 1:
            return f"any of: {parts}"
        return f"at least {self.count} of: {parts}"

    @property
    def questions(self) -> frozenset[str]:
        return frozenset().union(*(c.questions for c in self.criteria))

    @property
    def sufficient(self) -> frozenset[str]:
        if self.count == 1:
            return frozenset().union(*(c.sufficient for c in self.criteria))
        if self.count == len(self.criteria):
            return frozenset.intersection(
                *(c.sufficient for c in self.criteria)
            )
        return frozenset()


def AnyOf(*criteria: Criterion) -> CountAtLeast:  # noqa: N802
    """
    Met when any of *criteria* is met (Kleene OR).

    .. versionadded:: 0.1.0
    """
    return CountAtLeast(1, *criteria)


def AllOf(*criteria: Criterion) -> CountAtLeast:  # noqa: N802
    """
    Met when all of *criteria* are met (Kleene AND).

    .. versionadded:: 0.1.0
    """
    return CountAtLeast(len(criteria), *criteria)


def _describe_part(criterion: Criterion) -> str:
    text = criterion.describe()
    return f"({text})" if isinstance(criterion, CountAtLeast) else text


def _unique(facts: list[Fact]) -> tuple[Fact, ...]:
    return tuple(dict.fromkeys(facts))
