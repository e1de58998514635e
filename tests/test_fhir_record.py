# SPDX-License-Identifier: MIT
"""
The FHIR face, part four: the record path, from a Patient, Observations
and Conditions, with the code table in one place.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

import spasmcare.fhir as sf
from spasmcare import (
    QUESTIONS,
    Answer,
    AnswerKind,
    InvalidTypeError,
    InvalidValueError,
    evaluate,
)
from spasmcare.fhir import InvalidResourceError

AS_OF = dt.date(2026, 3, 2)
PATIENT = {"resourceType": "Patient", "id": "p1", "birthDate": "1971-05-20"}
SNOMED = "http://snomed.info/sct"
ICD = "http://hl7.org/fhir/sid/icd-10-cm"


def _obs(system: str, code: str, **fields: Any) -> dict[str, Any]:
    return {
        "resourceType": "Observation",
        "status": "final",
        "subject": {"reference": "Patient/p1"},
        "code": {"coding": [{"system": system, "code": code}]},
        **fields,
    }


def _condition(system: str, code: str, **fields: Any) -> dict[str, Any]:
    return {
        "resourceType": "Condition",
        "subject": {"reference": "Patient/p1"},
        "code": {"coding": [{"system": system, "code": code}]},
        **fields,
    }


def _status(kind: str, code: str) -> dict[str, Any]:
    return {
        "coding": [
            {
                "system": f"http://terminology.hl7.org/CodeSystem/condition-{kind}",
                "code": code,
            }
        ]
    }


def _pain(value: Any, when: str, **fields: Any) -> dict[str, Any]:
    return _obs(
        "http://loinc.org",
        "72514-3",
        valueInteger=value,
        effectiveDateTime=when,
        **fields,
    )


def _read(
    *obs: dict[str, Any],
    conditions: tuple[dict[str, Any], ...] = (),
    patient: dict[str, Any] = PATIENT,
) -> sf.RecordReading:
    return sf.assessment_from_record(patient, obs, conditions, as_of=AS_OF)


class TestCodeTable:
    """
    The code table is data in one place, about yes/no questions only.
    """

    def test_every_mapping_answers_a_yes_no_question(self) -> None:
        """
        Each mapped code names a yes/no question; no code appears twice.
        """
        keys = [(m.code.system, m.code.code) for m in sf.FINDING_CODES]

        assert len(set(keys)) == len(keys)
        for mapping in sf.FINDING_CODES:
            assert QUESTIONS[mapping.question].kind is AnswerKind.YES_NO
            assert mapping.evidence

    def test_icd10cm_codes_are_well_formed(self) -> None:
        """
        The ICD-10-CM codes have the letter-digit-digit category and a
        dotted subcategory.
        """
        for m in sf.FINDING_CODES:
            if m.code.system == ICD:
                category, _, sub = m.code.code.partition(".")
                assert category[0].isalpha()
                assert category[1:].isdigit()
                assert sub.isdigit() or sub[:-1].isdigit()


class TestRecordPath:
    """
    Age from the birth date, pain from LOINC 72514-3, answers from coded
    entries; everything else reported, never guessed.
    """

    def test_age_in_completed_years(self) -> None:
        """
        54 on 2026-03-02 for a person born 1971-05-20 (birthday not yet).
        """
        assert 54 == _read().assessment.age_years
        on_birthday = sf.assessment_from_record(
            PATIENT, as_of=dt.date(2026, 5, 20)
        )
        assert 55 == on_birthday.assessment.age_years

    @pytest.mark.parametrize("born", ["1971", "1971-05", None])
    def test_partial_or_missing_birth_date_gives_no_age(
        self, born: str | None
    ) -> None:
        """
        A partial or missing birth date gives no age rather than a guess.
        """
        patient = {"resourceType": "Patient"}
        if born:
            patient["birthDate"] = born

        assert _read(patient=patient).assessment.age_years is None

    def test_latest_pain_score(self) -> None:
        """
        The most recent pain Observation gives the pain score.
        """
        reading = _read(
            _pain(3, "2026-03-01T08:00:00Z"),
            _pain(8, "2026-03-02T08:00:00Z"),
            _pain(5, "2026-02-28T08:00:00Z"),
        )

        assert 8 == reading.assessment.pain_score

    def test_pain_as_quantity(self) -> None:
        """
        A valueQuantity that is a whole number counts; 6.5 is reported.
        """
        whole = _obs("http://loinc.org", "72514-3", valueQuantity={"value": 6})
        half = _obs(
            "http://loinc.org", "72514-3", valueQuantity={"value": 6.5}
        )
        empty = _obs("http://loinc.org", "72514-3")

        assert 6 == _read(whole).assessment.pain_score
        (unused,) = _read(half).unused
        assert "6.5" in unused.reason
        assert "no numeric value" in _read(empty).unused[0].reason

    @pytest.mark.parametrize(
        ("value", "answer"),
        [
            ({"valueBoolean": True}, Answer.PRESENT),
            ({"valueBoolean": False}, Answer.ABSENT),
            (
                {
                    "valueCodeableConcept": {
                        "coding": [{"system": SNOMED, "code": "373067005"}]
                    }
                },
                Answer.ABSENT,
            ),
            (
                {"dataAbsentReason": {"text": "asked, not known"}},
                Answer.UNKNOWN,
            ),
        ],
    )
    def test_observation_answers(
        self, value: dict[str, Any], answer: Answer
    ) -> None:
        """
        A coded finding Observation answers with its boolean or yes/no
        code; a data-absent reason is unknown.
        """
        reading = _read(_obs(SNOMED, "386661006", **value))

        assert answer is reading.assessment.answer("fever")
        assert () == reading.unused

    @pytest.mark.parametrize(
        "value",
        [
            {},
            {"valueCodeableConcept": {"text": "maybe"}},
            {
                "valueCodeableConcept": {
                    "coding": [{"system": SNOMED, "code": "1"}]
                }
            },
        ],
    )
    def test_observation_without_an_answer_is_reported(
        self, value: dict[str, Any]
    ) -> None:
        """
        No value, or a value that is not yes/no, gives no answer and is
        reported.
        """
        reading = _read(_obs(SNOMED, "386661006", **value))

        assert Answer.UNKNOWN is reading.assessment.answer("fever")
        (unused,) = reading.unused
        assert (f"{SNOMED}|386661006",) == unused.codes

    @pytest.mark.parametrize(
        "status", ["entered-in-error", "cancelled", "registered"]
    )
    def test_unusable_observation_status(self, status: str) -> None:
        """
        An Observation entered in error, cancelled or without a result is
        reported, not read.
        """
        reading = _read(
            _obs(SNOMED, "386661006", status=status, valueBoolean=True)
        )

        assert Answer.UNKNOWN is reading.assessment.answer("fever")
        assert f"status {status}" == reading.unused[0].reason

    def test_unmapped_codes_are_reported(self) -> None:
        """
        Codes not in the table (back pain itself, cauda equina syndrome as a
        diagnosis) are reported back with their codes and where they are.
        """
        reading = _read(
            _obs(SNOMED, "161891005", id="o-back", valueBoolean=True),
            conditions=(_condition(ICD, "G83.4"),),
        )

        assert [
            ("Observation/o-back", (f"{SNOMED}|161891005",)),
            ("conditions[0]", (f"{ICD}|G83.4",)),
        ] == [(u.where, u.codes) for u in reading.unused]
        assert () == reading.assessment.symptoms

    def test_conditions(self) -> None:
        """
        A current or unstated Condition is present, a refuted one absent; a
        resolved one only counts for a history.
        """
        reading = _read(
            conditions=(
                _condition(ICD, "R33.9"),
                _condition(
                    SNOMED,
                    "386661006",
                    verificationStatus=_status("ver-status", "refuted"),
                ),
                _condition(
                    ICD,
                    "R63.4",
                    clinicalStatus=_status("clinical", "resolved"),
                ),
                _condition(
                    ICD,
                    "Z85.9",
                    clinicalStatus=_status("clinical", "resolved"),
                ),
                _condition(
                    ICD, "R15.9", clinicalStatus=_status("clinical", "active")
                ),
                _condition(
                    ICD,
                    "R50.9",
                    verificationStatus=_status(
                        "ver-status", "entered-in-error"
                    ),
                ),
            ),
        )
        a = reading.assessment

        assert Answer.PRESENT is a.answer("urinary_retention")
        assert Answer.ABSENT is a.answer("fever")
        assert Answer.UNKNOWN is a.answer("weight_loss")
        assert Answer.PRESENT is a.answer("cancer_history")
        assert Answer.PRESENT is a.answer("incontinence")
        assert ["no longer current (resolved)", "entered in error"] == [
            u.reason for u in reading.unused
        ]

    def test_yes_wins_when_entries_disagree(self) -> None:
        """
        When entries disagree, "yes" is kept (the cautious answer), and a
        known answer beats unknown.
        """
        reading = _read(
            _obs(SNOMED, "386661006", valueBoolean=False),
            _obs(SNOMED, "386661006", dataAbsentReason={"text": "?"}),
            _obs(ICD, "R50.9", valueBoolean=True),
            _obs(SNOMED, "267064002", dataAbsentReason={"text": "?"}),
            _obs(SNOMED, "267064002", valueBoolean=False),
        )

        assert Answer.PRESENT is reading.assessment.answer("fever")
        assert Answer.ABSENT is reading.assessment.answer("urinary_retention")


class TestRecordErrors:
    """
    Malformed records are refused, naming where.
    """

    def test_another_patient(self) -> None:
        """
        An entry about another patient is refused.
        """
        other = _obs(SNOMED, "386661006", valueBoolean=True)
        other["subject"] = {"reference": "Patient/p2"}

        with pytest.raises(InvalidResourceError, match="another patient"):
            _read(other)

    def test_entries_without_subject_or_code(self) -> None:
        """
        An entry without a subject is taken as the patient's; one without
        a code is reported.
        """
        obs = _obs(SNOMED, "386661006", valueBoolean=True)
        del obs["subject"]
        uncoded = {
            "resourceType": "Condition",
            "subject": {"reference": "Patient/p1"},
        }

        reading = _read(obs, conditions=(uncoded,))

        assert Answer.PRESENT is reading.assessment.answer("fever")
        assert [()] == [u.codes for u in reading.unused]

    def test_absolute_subject_reference(self) -> None:
        """
        An absolute reference to the same patient is fine.
        """
        obs = _obs(SNOMED, "386661006", valueBoolean=True)
        obs["subject"] = {
            "reference": "https://ehr.example.org/fhir/Patient/p1"
        }

        assert Answer.PRESENT is _read(obs).assessment.answer("fever")

    def test_malformed_subject_reference(self) -> None:
        """
        A subject that is not a reference is refused, naming the entry.
        """
        obs = _obs(SNOMED, "386661006", valueBoolean=True)
        obs["subject"] = {"reference": "the patient"}

        with pytest.raises(
            InvalidResourceError, match=r"observations\[0\]\.subject"
        ):
            _read(obs)

    def test_wrong_resource_types(self) -> None:
        """
        A Condition among the Observations, or a non-FHIR dict, is refused.
        """
        with pytest.raises(InvalidResourceError):
            _read(_condition(ICD, "R50.9"))
        with pytest.raises(InvalidResourceError):
            sf.assessment_from_record({"birthDate": "1971-05-20"}, as_of=AS_OF)

    def test_as_of_must_be_a_date(self) -> None:
        """
        No clock is read: as_of is required, as a date.
        """
        with pytest.raises(InvalidTypeError):
            sf.assessment_from_record(PATIENT, as_of="2026-03-02")  # type: ignore[arg-type]

    def test_birth_after_as_of(self) -> None:
        """
        A birth date after as_of is refused.
        """
        with pytest.raises(InvalidResourceError, match="birthDate"):
            sf.assessment_from_record(PATIENT, as_of=dt.date(1970, 1, 1))

    def test_child(self) -> None:
        """
        A child's record is read (an age under 16 is an answer, not an
        error) and the rule for people under 16 fires; an age over 120
        is an error naming the birth date.
        """
        reading = sf.assessment_from_record(PATIENT, as_of=dt.date(1980, 1, 1))

        assert 8 == reading.assessment.age_years
        assert "under_16" in [f.id for f in evaluate(reading.assessment).fired]
        with pytest.raises(InvalidValueError, match=r"Patient\.birthDate"):
            sf.assessment_from_record(PATIENT, as_of=dt.date(2100, 1, 1))
