# SPDX-License-Identifier: MIT
"""
The code tables the services match on, in one place.

Lumbar spine imaging orders (for the ``order-select`` imaging check) and
low back pain conditions. Each entry says how well its code was checked.
"""

from __future__ import annotations

import attrs

__all__ = [
    "CPT",
    "ICD10",
    "ICD10CM",
    "IMAGING",
    "LOW_BACK_PAIN",
    "SNOMED",
    "Code",
]

CPT = "http://www.ama-assn.org/go/cpt"
ICD10CM = "http://hl7.org/fhir/sid/icd-10-cm"
ICD10 = "http://hl7.org/fhir/sid/icd-10"
SNOMED = "http://snomed.info/sct"


@attrs.frozen(kw_only=True)
class Code:
    """
    One code in a table.

    Attributes:
        system: The code system's URI.
        code: The code.
        display: What it means.
        group: What it stands for here: ``x-ray``, ``ct`` or ``mri`` for
            an imaging order, ``low-back-pain`` for a condition.
        evidence: How the code was checked.
    """

    system: str
    code: str
    display: str
    group: str
    evidence: str


def _cpt(code: str, display: str, group: str) -> Code:
    return Code(
        system=CPT,
        code=code,
        display=display,
        group=group,
        evidence="AMA CPT radiology codes for the lumbar spine (72100-72158)",
    )


#: Lumbar spine imaging procedures. Only CPT codes so far: LOINC and SNOMED
#: imaging codes found in open sources disagreed, and were left out until
#: checked against a terminology server.
IMAGING = (
    _cpt("72100", "X-ray lumbosacral spine, 2 or 3 views", "x-ray"),
    _cpt("72110", "X-ray lumbosacral spine, minimum of 4 views", "x-ray"),
    _cpt(
        "72114",
        "X-ray lumbosacral spine, complete, with bending views",
        "x-ray",
    ),
    _cpt("72120", "X-ray lumbosacral spine, bending views only", "x-ray"),
    _cpt("72131", "CT lumbar spine without contrast", "ct"),
    _cpt("72132", "CT lumbar spine with contrast", "ct"),
    _cpt("72133", "CT lumbar spine without and with contrast", "ct"),
    _cpt("72148", "MRI lumbar spine without contrast", "mri"),
    _cpt("72149", "MRI lumbar spine with contrast", "mri"),
    _cpt("72158", "MRI lumbar spine without and with contrast", "mri"),
)

_CDC = "ICD-10-CM April 2026 release (simple_icd_10_cm 1.5.0), INTEROP.md §3"

#: Conditions that record low back pain (INTEROP.md §3).
LOW_BACK_PAIN = (
    Code(
        system=ICD10CM,
        code="M54.5",
        display="Low back pain",
        group="low-back-pain",
        evidence=_CDC,
    ),
    Code(
        system=ICD10CM,
        code="M54.50",
        display="Low back pain, unspecified",
        group="low-back-pain",
        evidence=_CDC,
    ),
    Code(
        system=ICD10CM,
        code="M54.51",
        display="Vertebrogenic low back pain",
        group="low-back-pain",
        evidence=_CDC,
    ),
    Code(
        system=ICD10CM,
        code="M54.59",
        display="Other low back pain",
        group="low-back-pain",
        evidence=_CDC,
    ),
    Code(
        system=ICD10CM,
        code="M62.830",
        display="Muscle spasm of back",
        group="low-back-pain",
        evidence=_CDC,
    ),
    Code(
        system=ICD10,
        code="M54.5",
        display="Low back pain",
        group="low-back-pain",
        evidence="WHO ICD-10 2019 (simple_icd_10 2.1.1), INTEROP.md §3",
    ),
    Code(
        system=SNOMED,
        code="279039007",
        display="Low back pain",
        group="low-back-pain",
        evidence="INTEROP.md §3 level B: several independent open mappings",
    ),
    Code(
        system=SNOMED,
        code="161891005",
        display="Backache",
        group="low-back-pain",
        evidence="INTEROP.md §3 level A: curated ConceptMap checked against SNOMED International 2025-07-01",
    ),
)
