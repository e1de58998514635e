# SPDX-License-Identifier: MIT
"""
The code tables: every code the FHIR face reads or writes, in one place.

The documentation's code-table page is generated from these tables, and the
record path (:func:`spasmcare.fhir.assessment_from_record`) reads only them:
a code that is not here is reported back, never guessed.
"""

from __future__ import annotations

import types
from collections.abc import Mapping

import attrs

from spasmcare import Answer, Urgency

__all__ = [
    "ANSWER_CODES",
    "CANONICAL_BASE",
    "FINDING_CODES",
    "ICD10CM",
    "LOINC",
    "NUMBER_CODES",
    "QUESTION_SYSTEM",
    "RISK_PROBABILITY",
    "RULE_SYSTEM",
    "SNOMED",
    "STEP_SYSTEM",
    "UCUM",
    "URGENCY_PRIORITY",
    "URGENCY_RISK",
    "URGENCY_SYSTEM",
    "Code",
    "CodeMapping",
]

SNOMED = "http://snomed.info/sct"
LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
ICD10CM = "http://hl7.org/fhir/sid/icd-10-cm"

#: The base of spasmcare's canonical URLs. ``.invalid`` is reserved
#: (RFC 2606): the URLs are identifiers that resolve nowhere, so nobody can
#: mistake them for a published registry. Resources carry them with the
#: rule set's version (``url|version``).
CANONICAL_BASE = "https://spasmcare.invalid/fhir"

#: spasmcare's own code system for its questions: the code is the
#: question id (a key of :data:`spasmcare.QUESTIONS`), the display its label.
QUESTION_SYSTEM = f"{CANONICAL_BASE}/CodeSystem/question"


@attrs.frozen(kw_only=True)
class Code:
    """
    One code in a code system (a FHIR Coding).

    Attributes:
        system: The code system's URI.
        code: The code.
        display: Its display text.

    .. versionadded:: 0.1.0
    """

    system: str
    code: str
    display: str

    def coding(self) -> dict[str, str]:
        """
        The code as FHIR Coding JSON.
        """
        return {
            "system": self.system,
            "code": self.code,
            "display": self.display,
        }


@attrs.frozen(kw_only=True)
class CodeMapping:
    """
    A record code that answers one of spasmcare's yes/no questions.

    An Observation or Condition carrying the code answers *question*;
    codes not in :data:`FINDING_CODES` are reported back, never guessed.

    Attributes:
        question: The yes/no question id the code answers.
        code: The code.
        evidence: How the code was checked (``INTEROP.md`` section 3).
        history: Whether a resolved or inactive Condition still answers
            "yes" (a history of cancer stays a history).

    .. versionadded:: 0.1.0
    """

    question: str
    code: Code
    evidence: str
    history: bool = False


#: The answers to a yes/no item: SNOMED CT qualifier values, the codes
#: UK Core and many EHR forms already use for yes, no and unknown.
ANSWER_CODES: Mapping[Answer, Code] = types.MappingProxyType(
    {
        Answer.PRESENT: Code(system=SNOMED, code="373066001", display="Yes"),
        Answer.ABSENT: Code(system=SNOMED, code="373067005", display="No"),
        Answer.UNKNOWN: Code(
            system=SNOMED, code="261665006", display="Unknown"
        ),
    }
)

#: For each integer question: its UCUM unit and, where one exists, the LOINC
#: code of the observation that carries it.
NUMBER_CODES: Mapping[str, tuple[Code, Code | None]] = types.MappingProxyType(
    {
        "age_years": (
            Code(system=UCUM, code="a", display="year"),
            Code(system=LOINC, code="30525-0", display="Age"),
        ),
        "pain_score": (
            Code(system=UCUM, code="{score}", display="score"),
            Code(
                system=LOINC,
                code="72514-3",
                display=(
                    "Pain severity - 0-10 verbal numeric rating [Score] - "
                    "Reported"
                ),
            ),
        ),
        "duration_days": (Code(system=UCUM, code="d", display="day"), None),
        "episodes_past_year": (
            Code(system=UCUM, code="{episodes}", display="episodes"),
            None,
        ),
    }
)

_A = "SNOMED CT: MII MedDRA-to-SNOMED ConceptMap checked against SNOMED International 2025-07-01"
_C = "SNOMED CT: single open-source mapping"
_CM = (
    "ICD-10-CM: CDC April 2026 release (simple_icd_10_cm 1.5.0), billable leaf"
)

#: Record codes that answer yes/no questions (see :class:`CodeMapping`).
#: Left out on purpose: "weight decreased" (262285001), which does not say
#: the loss was unexplained; saddle anaesthesia, which has no code; and
#: diagnoses such as cauda equina syndrome, which are not answers.
FINDING_CODES: tuple[CodeMapping, ...] = (
    CodeMapping(
        question="urinary_retention",
        code=Code(
            system=SNOMED, code="267064002", display="Retention of urine"
        ),
        evidence=_A,
    ),
    CodeMapping(
        question="urinary_retention",
        code=Code(
            system=ICD10CM,
            code="R33.9",
            display="Retention of urine, unspecified",
        ),
        evidence=_CM,
    ),
    CodeMapping(
        question="incontinence",
        code=Code(
            system=SNOMED, code="72042002", display="Incontinence of feces"
        ),
        evidence=_A,
    ),
    CodeMapping(
        question="incontinence",
        code=Code(
            system=ICD10CM, code="R15.9", display="Full incontinence of feces"
        ),
        evidence=_CM,
    ),
    CodeMapping(
        question="one_leg_weakness",
        code=Code(
            system=SNOMED,
            code="1137412000",
            display="Weakness of muscle of lower limb",
        ),
        evidence=_A,
    ),
    CodeMapping(
        question="fever",
        code=Code(system=SNOMED, code="386661006", display="Fever"),
        evidence=_A,
    ),
    CodeMapping(
        question="fever",
        code=Code(system=ICD10CM, code="R50.9", display="Fever, unspecified"),
        evidence=_CM,
    ),
    CodeMapping(
        question="weight_loss",
        code=Code(
            system=ICD10CM, code="R63.4", display="Abnormal weight loss"
        ),
        evidence=_CM,
    ),
    CodeMapping(
        question="cancer_history",
        code=Code(
            system=SNOMED,
            code="266987004",
            display="History of malignant neoplasm",
        ),
        evidence=_C,
        history=True,
    ),
    CodeMapping(
        question="cancer_history",
        code=Code(
            system=ICD10CM,
            code="Z85.9",
            display="Personal history of malignant neoplasm, unspecified",
        ),
        evidence=_CM,
        history=True,
    ),
)


#: spasmcare's code system for its rules: the code is the rule id.
RULE_SYSTEM = f"{CANONICAL_BASE}/CodeSystem/rule"
#: spasmcare's code system for its levels: the code is
#: the level's ``value``.
URGENCY_SYSTEM = f"{CANONICAL_BASE}/CodeSystem/urgency"
#: spasmcare's code system for care-plan steps: the code is the step id.
STEP_SYSTEM = f"{CANONICAL_BASE}/CodeSystem/step"
RISK_PROBABILITY = "http://terminology.hl7.org/CodeSystem/risk-probability"

#: FHIR request priority (ServiceRequest.priority, PlanDefinition.action
#: .priority) for each referral level. Both "now" levels are ``stat``:
#: no level sits between "now" and "today", and an emergency department
#: referral must never read as less than immediate; ``asap`` is not used.
URGENCY_PRIORITY: Mapping[Urgency, str] = types.MappingProxyType(
    {
        Urgency.ROUTINE: "routine",
        Urgency.URGENT: "urgent",
        Urgency.EMERGENCY: "stat",
        Urgency.AMBULANCE: "stat",
    }
)

#: RiskAssessment.prediction.qualitativeRisk (HL7 risk-probability) for
#: each level: the risk that the back pain needs more than self-care.
#: ``certain`` is never used: this is decision support, not a diagnosis.
URGENCY_RISK: Mapping[Urgency, str] = types.MappingProxyType(
    {
        Urgency.SELF_CARE: "low",
        Urgency.ROUTINE: "moderate",
        Urgency.URGENT: "high",
        Urgency.EMERGENCY: "high",
        Urgency.AMBULANCE: "high",
    }
)
