# SPDX-License-Identifier: MIT
"""
The record path: an Assessment from a Patient, Observations and Conditions.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

import attrs
from fhir.resources.R4B.codeableconcept import CodeableConcept
from fhir.resources.R4B.condition import Condition
from fhir.resources.R4B.observation import Observation
from fhir.resources.R4B.patient import Patient
from fhir.resources.R4B.reference import Reference

from spasmcare import Answer, Assessment, Symptom
from spasmcare.exceptions import InvalidTypeError, InvalidValueError

from ._codes import ANSWER_CODES, FINDING_CODES, NUMBER_CODES, CodeMapping
from ._errors import InvalidResourceError, check_reference, parse_resource

__all__ = ["RecordReading", "Unused", "assessment_from_record"]

_BY_CODE: dict[tuple[str | None, str | None], CodeMapping] = {
    (m.code.system, m.code.code): m for m in FINDING_CODES
}
_PAIN = NUMBER_CODES["pain_score"][1]
_ANSWER_OF: dict[tuple[str | None, str | None], Answer] = {
    (c.system, c.code): a for a, c in ANSWER_CODES.items()
}
#: Observation statuses whose value may be read.
_RESULT = frozenset(("preliminary", "final", "amended", "corrected"))
_CURRENT = frozenset(("active", "recurrence", "relapse"))
#: The order of precedence when records disagree: present is kept.
_RANK = {Answer.UNKNOWN: 0, Answer.ABSENT: 1, Answer.PRESENT: 2}


@attrs.frozen(kw_only=True)
class Unused:
    """
    A record entry that gave no answer, and why.

    Attributes:
        where: Which entry, such as ``"observations[2]"`` or
            ``"Observation/obs-7"``.
        codes: Its codes, as ``system|code``.
        reason: Why it was not used, in words.

    .. versionadded:: 0.1.0
    """

    where: str
    codes: tuple[str, ...]
    reason: str


@attrs.frozen(kw_only=True)
class RecordReading:
    """
    What :func:`assessment_from_record` read from a record.

    Attributes:
        assessment: The answers the record gives; everything else unknown.
        unused: The entries that gave no answer, each with the reason
            (an unmapped code, a status that cannot be used, a value that
            is not an answer): reported, never guessed.

    .. versionadded:: 0.1.0
    """

    assessment: Assessment
    unused: tuple[Unused, ...]


def _codes(concept: CodeableConcept | None) -> tuple[str, ...]:
    if concept is None:
        return ()
    return tuple(f"{c.system}|{c.code}" for c in concept.coding or ())


def _mappings(concept: CodeableConcept | None) -> list[CodeMapping]:
    if concept is None:
        return []
    found = (_BY_CODE.get((c.system, c.code)) for c in concept.coding or ())
    return [m for m in found if m is not None]


def _is_pain(concept: CodeableConcept | None) -> bool:
    assert _PAIN is not None  # noqa: S101 (the table codes pain)
    return any(
        (c.system, c.code) == (_PAIN.system, _PAIN.code)
        for c in (concept.coding or () if concept else ())
    )


def _name(resource: Any, index: int, kind: str) -> str:
    rid = getattr(resource, "id", None)
    return (
        f"{resource.get_resource_type()}/{rid}" if rid else f"{kind}[{index}]"
    )


def _check_subject(
    where: str, subject: Reference | None, patient_id: str | None
) -> None:
    if subject is None or subject.reference is None:
        return
    reference = check_reference(f"{where}.subject", subject.reference)
    if patient_id is not None and not (
        reference == f"Patient/{patient_id}"
        or reference.endswith(f"/Patient/{patient_id}")
    ):
        raise InvalidResourceError(
            f"{where}.subject",
            reference,
            f"is about another patient than Patient/{patient_id}",
        )


def _age(patient: Patient, as_of: dt.date) -> int | None:
    born = patient.birthDate
    if born is None:
        return None
    if not isinstance(born, dt.date):  # a partial date: 1980 or 1980-02
        return None
    if born > as_of:
        raise InvalidResourceError(
            "Patient.birthDate", born.isoformat(), f"is after as_of={as_of}"
        )
    return (
        as_of.year
        - born.year
        - ((as_of.month, as_of.day) < (born.month, born.day))
    )


def _observation_answer(obs: Observation) -> Answer | str:
    """The answer the observation gives, or why it gives none."""
    if obs.valueBoolean is not None:
        return Answer.from_bool(obs.valueBoolean)
    if obs.valueCodeableConcept is not None:
        for coding in obs.valueCodeableConcept.coding or ():
            answer = _ANSWER_OF.get((coding.system, coding.code))
            if answer is not None:
                return answer
        return "its value is not a yes, no or unknown code"
    if obs.dataAbsentReason is not None:
        return Answer.UNKNOWN
    return "it has no value; give valueBoolean or a yes/no code"


def _pain_value(obs: Observation) -> int | str:
    value: Any = obs.valueInteger
    if value is None and obs.valueQuantity is not None:
        value = obs.valueQuantity.value
    if value is None:
        return "it has no numeric value"
    if value != int(value) or not 0 <= value <= 10:  # noqa: PLR2004
        return f"its value {value} is not a whole number from 0 to 10"
    return int(value)


def _effective(obs: Observation) -> str:
    when = obs.effectiveDateTime or obs.effectiveInstant
    return "" if when is None else str(when)


def assessment_from_record(
    patient: Patient | Mapping[str, Any],
    observations: Iterable[Observation | Mapping[str, Any]] = (),
    conditions: Iterable[Condition | Mapping[str, Any]] = (),
    *,
    as_of: dt.date,
) -> RecordReading:
    """
    Read what a health record already says as an Assessment.

    - **Age** from ``Patient.birthDate``, in completed years on *as_of*
      (a partial birth date gives no age).
    - **Pain score** from an Observation coded LOINC 72514-3 (the most
      recent one, by ``effectiveDateTime``).
    - **Yes/no answers** from Observations and Conditions whose codes are in
      :data:`FINDING_CODES`. An Observation answers with ``valueBoolean``
      or a SNOMED CT Yes/No/Unknown ``valueCodeableConcept`` (a
      ``dataAbsentReason`` is unknown). A Condition answers "yes" unless
      it is refuted ("no"); a resolved or inactive one only for a history
      (such as a history of cancer). When entries disagree, "yes" is kept.

    Every other entry, and each entry that cannot be used (an
    ``entered-in-error`` or cancelled status, no usable value), is
    reported in :attr:`RecordReading.unused`, never guessed. Questions
    the record does not answer stay unknown: ask them.

    Args:
        patient: The Patient (model or JSON dict).
        observations: Observations about the patient.
        conditions: Conditions of the patient.
        as_of: The date to count the age at (no clock is read).

    Raises:
        InvalidResourceError: An entry is not a resource of its kind, its
            subject is not a reference or names another patient, or the
            birth date is after *as_of*.
        InvalidTypeError: *as_of* is not a date.
        InvalidValueError: The age is outside what spasmcare accepts
            (0 to 120; under 16, the rule ``under_16`` refers the person
            to a doctor or pharmacist).

    .. versionadded:: 0.1.0
    """
    if not isinstance(as_of, dt.date):
        raise InvalidTypeError("as_of", as_of, "a date")
    person = parse_resource(patient, Patient)
    reading = _Reading(patient_id=person.id)
    for index, obs in enumerate(observations):
        reading.observation(parse_resource(obs, Observation), index)
    for index, condition in enumerate(conditions):
        reading.condition(parse_resource(condition, Condition), index)
    age = _age(person, as_of)
    try:
        assessment = Assessment(
            symptoms=tuple(
                Symptom(finding=q, answer=a)
                for q, a in reading.answers.items()
            ),
            age_years=age,
            pain_score=max(reading.pains)[1] if reading.pains else None,
        )
    except InvalidValueError as error:
        raise InvalidValueError(
            "Patient.birthDate", age, error.reason
        ) from None
    return RecordReading(assessment=assessment, unused=tuple(reading.unused))


@attrs.define
class _Reading:
    """What has been read so far."""

    patient_id: str | None
    answers: dict[str, Answer] = attrs.Factory(dict)
    unused: list[Unused] = attrs.Factory(list)
    pains: list[tuple[str, int]] = attrs.Factory(list)

    def give(self, question: str, answer: Answer) -> None:
        # When entries disagree, yes beats no beats unknown.
        known = self.answers.get(question)
        if known is None or _RANK[answer] > _RANK[known]:
            self.answers[question] = answer

    def skip(
        self, where: str, concept: CodeableConcept | None, why: str
    ) -> None:
        self.unused.append(
            Unused(where=where, codes=_codes(concept), reason=why)
        )

    def observation(self, obs: Observation, index: int) -> None:
        where = _name(obs, index, "observations")
        _check_subject(where, obs.subject, self.patient_id)
        if obs.status not in _RESULT:
            self.skip(where, obs.code, f"status {obs.status}")
            return
        if _is_pain(obs.code):
            value = _pain_value(obs)
            if isinstance(value, str):
                self.skip(where, obs.code, value)
            else:
                self.pains.append((_effective(obs), value))
            return
        found = _mappings(obs.code)
        answer = _observation_answer(obs)
        if not found:
            self.skip(where, obs.code, "no mapping for its code")
        elif isinstance(answer, str):
            self.skip(where, obs.code, answer)
        else:
            for mapping in found:
                self.give(mapping.question, answer)

    def condition(self, condition: Condition, index: int) -> None:
        where = _name(condition, index, "conditions")
        _check_subject(where, condition.subject, self.patient_id)
        verification = {
            c.rsplit("|", 1)[1] for c in _codes(condition.verificationStatus)
        }
        clinical = {
            c.rsplit("|", 1)[1] for c in _codes(condition.clinicalStatus)
        }
        found = _mappings(condition.code)
        if "entered-in-error" in verification:
            self.skip(where, condition.code, "entered in error")
            return
        if not found:
            self.skip(where, condition.code, "no mapping for its code")
        for mapping in found:
            if "refuted" in verification:
                self.give(mapping.question, Answer.ABSENT)
            elif not clinical or clinical & _CURRENT or mapping.history:
                self.give(mapping.question, Answer.PRESENT)
            else:
                self.skip(
                    where,
                    condition.code,
                    f"no longer current ({', '.join(sorted(clinical))})",
                )
