# SPDX-License-Identifier: MIT
"""
spasmcare as FHIR R4: the intake as a Questionnaire, answers as a
QuestionnaireResponse, all generated from the one source of truth
(:data:`spasmcare.QUESTIONS`, :data:`spasmcare.DEFAULT_RULES`).

Install with the ``fhir`` extra (``pip install 'spasmcare[fhir]'``).
It is built on the ``fhir.resources`` R4B models, which are
wire-compatible with R4 for every resource used here; every resource is
validated by those models as it is made.
``import spasmcare`` never imports this module.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

try:
    import fhir.resources.R4B  # noqa: F401 (the guard)
except ImportError as error:
    raise ImportError(
        "spasmcare.fhir needs the optional 'fhir' extra "
        "(fhir.resources); install it with: pip install 'spasmcare[fhir]'",
        name=error.name,
    ) from error

from ._artefacts import ARTEFACT_DIR, ARTEFACTS, artefact_text
from ._codes import (
    ANSWER_CODES,
    CANONICAL_BASE,
    FINDING_CODES,
    NUMBER_CODES,
    QUESTION_SYSTEM,
    RULE_SYSTEM,
    STEP_SYSTEM,
    URGENCY_PRIORITY,
    URGENCY_RISK,
    URGENCY_SYSTEM,
    Code,
    CodeMapping,
)
from ._errors import InvalidResourceError
from ._guidance import guidance_bundle
from ._knowledge import condition_expression, knowledge_bundle
from ._questionnaire import (
    ADAPTIVE_EXTENSION,
    canonical,
    item_order,
    questionnaire,
)
from ._record import RecordReading, Unused, assessment_from_record
from ._response import (
    assessment_from_response,
    assessment_from_response_json,
    response_from_assessment,
)
from ._startback import START_BACK_CODES, start_back_bundle

__all__ = [
    "ADAPTIVE_EXTENSION",
    "ANSWER_CODES",
    "ARTEFACTS",
    "ARTEFACT_DIR",
    "CANONICAL_BASE",
    "FINDING_CODES",
    "NUMBER_CODES",
    "QUESTION_SYSTEM",
    "RULE_SYSTEM",
    "START_BACK_CODES",
    "STEP_SYSTEM",
    "URGENCY_PRIORITY",
    "URGENCY_RISK",
    "URGENCY_SYSTEM",
    "Code",
    "CodeMapping",
    "InvalidResourceError",
    "RecordReading",
    "Unused",
    "artefact_text",
    "assessment_from_record",
    "assessment_from_response",
    "assessment_from_response_json",
    "canonical",
    "condition_expression",
    "guidance_bundle",
    "item_order",
    "knowledge_bundle",
    "questionnaire",
    "response_from_assessment",
    "start_back_bundle",
]


def __dir__() -> list[str]:
    return list(__all__)
