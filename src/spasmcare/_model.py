# SPDX-License-Identifier: MIT
"""
What a person reports: Symptom and Assessment, with tri-state answers.
"""

from __future__ import annotations

import enum
import itertools
import operator
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from ._findings import FINDING_IDS, NUMBER_IDS, QUESTIONS
from ._validators import field_name, instance_of
from .exceptions import (
    InvalidTypeError,
    InvalidValueError,
    UnknownFindingError,
)

__all__ = ["Answer", "Assessment", "Symptom"]

_DAYS_PER_YEAR = 366

#: The longest correlation id, in characters.
MAX_ID_LENGTH = 256
#: Integer correlation ids fit in 64 bits (databases, Arrow, Spark).
_INT64 = range(-(2**63), 2**63)


class Answer(enum.Enum):
    """
    The answer to a yes/no question: present, absent, or unknown.

    :attr:`UNKNOWN` covers "not asked", "don't know" and "prefer not to say".
    It is never read as :attr:`ABSENT`.

    .. versionadded:: 0.1.0
    """

    #: The person has it (yes).
    PRESENT = "present"
    #: The person does not have it (no).
    ABSENT = "absent"
    #: Not asked, "don't know" or "prefer not to say"; never read as no.
    UNKNOWN = "unknown"

    # Members are singletons, equal only to themselves: the identity hash
    # agrees with that and costs no Python call (Enum's hashes the name).
    __hash__ = object.__hash__

    @classmethod
    def from_bool(cls, value: bool | None) -> Answer:  # noqa: FBT001
        """
        Map ``True`` to present, ``False`` to absent, ``None`` to unknown.
        """
        if value is None:
            return cls.UNKNOWN
        return cls.PRESENT if value else cls.ABSENT


def _known_finding(
    instance: object, attribute: attrs.Attribute[Any], value: Any
) -> None:
    field = field_name(instance, attribute)
    if not isinstance(value, str):
        raise InvalidTypeError(field, value, "a finding id (str)")
    if value not in FINDING_IDS:
        raise UnknownFindingError(
            field, value, "not a known finding id (see spasmcare.QUESTIONS)"
        )


@attrs.frozen(kw_only=True)
class Symptom:
    """
    One answer to one yes/no question.

    Attributes:
        finding: The question id, a key of :data:`spasmcare.QUESTIONS`
            whose kind is :attr:`~spasmcare.AnswerKind.YES_NO`.
        answer: Present, absent or unknown.

    Raises:
        UnknownFindingError: *finding* is not a known finding id.
        InvalidTypeError: A field has the wrong type.

    >>> Symptom(finding="saddle_numbness", answer=Answer.ABSENT)
    Symptom(finding='saddle_numbness', answer=<Answer.ABSENT: 'absent'>)

    .. versionadded:: 0.1.0
    """

    finding: str = attrs.field(validator=_known_finding)
    answer: Answer = attrs.field(
        validator=instance_of(Answer, name="an Answer")
    )


#: Symptoms built by Assessment.from_answers, by (finding, answer given);
#: at most one per finding and answer (only valid ones are kept).
_SHARED: dict[tuple[str, bool | Answer | None], Symptom] = {}
_SHAREABLE = frozenset((bool, type(None), Answer))
_FINDING = operator.attrgetter("finding")
_ANSWER = operator.attrgetter("answer")


def _sorted_symptoms(value: Any) -> Any:
    """
    Put symptoms in a canonical order so that order never matters.

    Anything that is not an iterable of Symptoms is passed through
    for the validator to reject with a clear message.
    """
    if type(value) is not tuple and (
        isinstance(value, (str, bytes, Mapping))
        or not isinstance(value, Iterable)
    ):
        return value
    items = tuple(value)
    if not all(map(isinstance, items, itertools.repeat(Symptom))):
        return items
    findings = list(map(_FINDING, items))
    if findings == sorted(findings):  # already canonical: the usual case
        return items
    return tuple(sorted(items, key=_FINDING))


def _check_symptoms(
    instance: object, attribute: attrs.Attribute[Any], value: Any
) -> None:
    # Types only: a finding answered twice is caught when the answers are
    # indexed, in Assessment.__attrs_post_init__.
    if type(value) is tuple and all(
        map(isinstance, value, itertools.repeat(Symptom))
    ):
        return  # the common case, checked at C speed
    field = field_name(instance, attribute)
    if not isinstance(value, tuple):
        raise InvalidTypeError(field, value, "an iterable of Symptom")
    for item in value:  # pragma: no branch (the fast path took valid ones)
        if not isinstance(item, Symptom):
            raise InvalidTypeError(f"{field}[]", item, "a Symptom")


def _in_question_range(
    instance: object, attribute: attrs.Attribute[Any], value: Any
) -> None:
    if value is None:
        return
    question = QUESTIONS[attribute.name]
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidTypeError(
            field_name(instance, attribute), value, "an integer or None"
        )
    low, high = question.minimum, question.maximum
    assert low is not None  # noqa: S101 (integer questions always have limits)
    assert high is not None  # noqa: S101
    if not low <= value <= high:
        raise InvalidValueError(
            field_name(instance, attribute),
            value,
            f"must be from {low} to {high} {question.unit}",
        )


def _number_field() -> Any:
    return attrs.field(default=None, validator=_in_question_range)


def _check_id(
    instance: object, attribute: attrs.Attribute[Any], value: Any
) -> None:
    if value is None:
        return
    field = field_name(instance, attribute)
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise InvalidTypeError(field, value, "a string, an integer or None")
    if isinstance(value, int):
        if value not in _INT64:
            raise InvalidValueError(
                field, value, "an integer id must fit in 64 bits"
            )
    elif not 1 <= len(value) <= MAX_ID_LENGTH or not value.strip():
        raise InvalidValueError(
            field,
            value,
            f"must be 1 to {MAX_ID_LENGTH} characters, not all blank",
        )


@attrs.frozen(kw_only=True)
class Assessment:
    """
    Everything a person has reported about one episode of back pain.

    Yes/no answers are :class:`Symptom` objects;
    a finding that is not listed is :attr:`Answer.UNKNOWN`, never absent.
    Numbers that were not asked are ``None``.
    The order of *symptoms* does not matter:
    they are kept sorted by finding id.

    Attributes:
        symptoms: The yes/no answers, at most one per finding.
        age_years: Age in completed years (0 to 120). The rules cover
            people aged 16 and over, as NICE NG59 does: under 16 the rule
            ``under_16`` refers to a doctor or pharmacist instead of
            self-care.
        pain_score: Pain now on the 0-10 numeric rating scale.
        duration_days: Days since this episode began.
        episodes_past_year: Earlier separate episodes in the past 12 months.
        id: An optional correlation id (a record, encounter or request
            id: a string of 1 to 256 characters, or a 64-bit integer),
            opaque to spasmcare, which never reads it: it is carried to
            the escalation, the JSON report and batch results, so that a
            result can be matched to its input.

    Raises:
        InvalidValueError: A value is out of range, a finding is answered
            twice, or the episode is longer than the person's life.
        UnknownFindingError: A symptom names an unknown finding.
        InvalidTypeError: A field has the wrong type.

    >>> a = Assessment.from_answers({"fever": False}, pain_score=4)
    >>> a.answer("fever"), a.answer("chest_pain")
    (<Answer.ABSENT: 'absent'>, <Answer.UNKNOWN: 'unknown'>)

    .. versionadded:: 0.1.0
    """

    symptoms: tuple[Symptom, ...] = attrs.field(
        default=(), converter=_sorted_symptoms, validator=_check_symptoms
    )
    age_years: int | None = _number_field()
    pain_score: int | None = _number_field()
    duration_days: int | None = _number_field()
    episodes_past_year: int | None = _number_field()
    id: str | int | None = attrs.field(default=None, validator=_check_id)
    _answers: Mapping[str, Answer] = attrs.field(
        init=False, eq=False, hash=False, repr=False
    )

    @duration_days.validator
    def _check_duration_within_life(
        self, attribute: attrs.Attribute[Any], value: int | None
    ) -> None:
        age = self.age_years
        if value is None or age is None:
            return
        if value > (age + 1) * _DAYS_PER_YEAR:
            raise InvalidValueError(
                field_name(self, attribute),
                value,
                f"is longer than the person's life (age_years={age})",
            )

    def __attrs_post_init__(self) -> None:
        # A plain dict (private, never handed out) keeps the object
        # picklable and copyable; a mappingproxy is neither.
        symptoms = self.symptoms
        answers = dict(
            zip(map(_FINDING, symptoms), map(_ANSWER, symptoms), strict=True)
        )
        if len(answers) != len(symptoms):
            # Sorted symptoms put a finding answered twice side by side.
            twice = next(
                a.finding
                for a, b in itertools.pairwise(symptoms)
                if a.finding == b.finding
            )
            raise InvalidValueError(
                "Assessment.symptoms",
                twice,
                "the same finding is answered twice; give each finding once",
            )
        object.__setattr__(self, "_answers", answers)

    @classmethod
    def from_answers(
        cls,
        answers: Mapping[str, bool | Answer | None] | None = None,
        *,
        age_years: int | None = None,
        pain_score: int | None = None,
        duration_days: int | None = None,
        episodes_past_year: int | None = None,
        id: str | int | None = None,  # noqa: A002 (the field's name)
    ) -> Assessment:
        """
        Build an assessment from a mapping of finding id to answer.

        Args:
            answers: ``True``/:attr:`Answer.PRESENT` for present,
                ``False``/:attr:`Answer.ABSENT` for absent,
                ``None``/:attr:`Answer.UNKNOWN` for unknown.
                Findings left out are unknown.
            age_years: See :class:`Assessment`.
            pain_score: See :class:`Assessment`.
            duration_days: See :class:`Assessment`.
            episodes_past_year: See :class:`Assessment`.
            id: See :class:`Assessment`.

        Raises:
            InvalidTypeError: *answers* is not a mapping,
                or an answer is not a bool, Answer or None.
            UnknownFindingError: A key is not a finding id.
            InvalidValueError: A number is out of range.
        """
        if answers is None:
            answers = {}
        if not isinstance(answers, Mapping):
            raise InvalidTypeError("answers", answers, "a mapping")
        symptoms = []
        for finding, given in answers.items():
            # A Symptom is immutable: each valid one is built once, then shared.
            if type(finding) is str and type(given) in _SHAREABLE:
                symptom = _SHARED.get((finding, given))
                if symptom is not None:
                    symptoms.append(symptom)
                    continue
            if isinstance(given, Answer):
                answer = given
            elif given is None or isinstance(given, bool):
                answer = Answer.from_bool(given)
            else:
                raise InvalidTypeError(
                    f"answers[{finding!r}]",
                    given,
                    "True, False, None or an Answer",
                )
            symptom = Symptom(finding=finding, answer=answer)
            if type(finding) is str and type(given) in _SHAREABLE:
                _SHARED[finding, given] = symptom
            symptoms.append(symptom)
        return cls(
            symptoms=tuple(symptoms),
            age_years=age_years,
            pain_score=pain_score,
            duration_days=duration_days,
            episodes_past_year=episodes_past_year,
            id=id,
        )

    def answer(self, finding: str) -> Answer:
        """
        The answer for *finding*; :attr:`Answer.UNKNOWN` if not given.

        Raises:
            UnknownFindingError: *finding* is not a finding id.
            InvalidTypeError: *finding* is not a string.
        """
        if not isinstance(finding, str):  # an unhashable id too (a list ...)
            raise InvalidTypeError("finding", finding, "a finding id (str)")
        try:
            return self._answers[finding]
        except KeyError:
            if finding not in FINDING_IDS:
                raise UnknownFindingError(
                    "finding", finding, "not a known finding id"
                ) from None
            return Answer.UNKNOWN

    def number(self, question: str) -> int | None:
        """
        The value of the integer question *question*, or ``None``.

        Raises:
            UnknownFindingError: *question* is not an integer question id.
        """
        if question not in NUMBER_IDS:
            raise UnknownFindingError(
                "question", question, f"not one of {', '.join(NUMBER_IDS)}"
            )
        value: int | None = getattr(self, question)
        return value

    def with_answer(self, finding: str, answer: Answer) -> Assessment:
        """
        A copy with *finding* answered *answer* (replacing any earlier one).
        """
        kept = tuple(s for s in self.symptoms if s.finding != finding)
        return attrs.evolve(
            self, symptoms=(*kept, Symptom(finding=finding, answer=answer))
        )
