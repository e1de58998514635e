# SPDX-License-Identifier: MIT
"""
spasmcare: cited, testable decision support for back spasm and acute low
back pain.

Build an :class:`Assessment` from what a person reports, :func:`evaluate`
it against the cited rule set, and :func:`plan_care` from the result.
This is decision support, not a diagnosis.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from . import criteria, exceptions
from ._catalogue import DEFAULT_RULES
from ._citations import Citation
from ._evaluate import Escalation, FiredRule, evaluate
from ._findings import GROUPS, QUESTIONS, AnswerKind, Group, Question
from ._i18n import Translations, translate
from ._model import Answer, Assessment, Symptom
from ._region import REGIONS, Region
from ._rules import Rule, RuleSet
from ._urgency import TriageCategory, Urgency
from ._version import __version__ as __version__
from .exceptions import (
    InvalidJSONError,
    InvalidTypeError,
    InvalidValueError,
    MismatchError,
    RuleSetError,
    RuleSetMismatchError,
    SpasmcareError,
    UnknownFindingError,
)

if TYPE_CHECKING:
    from ._batch import BatchResult, evaluate_batch, evaluate_many
    from ._careplan import (
        SKIN_SAFETY_CAUTIONS,
        CarePlan,
        PertinentNegative,
        Phase,
        Reason,
        SafetyNet,
        Schedule,
        Step,
        StepKind,
    )
    from ._interview import Interview, Prompt, next_question
    from ._json import (
        SCHEMA_VERSION,
        dump_assessment,
        dump_batch_result,
        dump_care_plan,
        dump_escalation,
        dump_interview,
        dump_prompt,
        dump_report,
        load_assessment,
        load_interview,
        report_json,
    )
    from ._localize import translate_prompt
    from ._plan import plan_care
    from ._schema import SCHEMA_NAMES, json_schema
    from ._startback import (
        START_BACK_ITEMS,
        StartBackItem,
        StartBackRisk,
        StartBackScore,
        load_start_back_items,
        score_start_back,
    )

#: Names of the faces (JSON, interview, batch), of the care plan and of
#: STarT Back, imported on first use: the JSON modules import cattrs,
#: which would more than double the time ``import spasmcare`` takes, the
#: care plan's and STarT Back's classes are a third of the rest, and an
#: app that only evaluates needs none of them.
_LAZY = {
    **dict.fromkeys(
        (
            "SKIN_SAFETY_CAUTIONS",
            "CarePlan",
            "PertinentNegative",
            "Phase",
            "Reason",
            "SafetyNet",
            "Schedule",
            "Step",
            "StepKind",
        ),
        "._careplan",
    ),
    "plan_care": "._plan",
    **dict.fromkeys(
        (
            "START_BACK_ITEMS",
            "StartBackItem",
            "StartBackRisk",
            "StartBackScore",
            "load_start_back_items",
            "score_start_back",
        ),
        "._startback",
    ),
    "Interview": "._interview",
    "Prompt": "._interview",
    "next_question": "._interview",
    "BatchResult": "._batch",
    "evaluate_batch": "._batch",
    "evaluate_many": "._batch",
    "SCHEMA_VERSION": "._json",
    "dump_assessment": "._json",
    "dump_batch_result": "._json",
    "dump_care_plan": "._json",
    "dump_escalation": "._json",
    "dump_interview": "._json",
    "load_interview": "._json",
    "dump_prompt": "._json",
    "dump_report": "._json",
    "load_assessment": "._json",
    "report_json": "._json",
    "SCHEMA_NAMES": "._schema",
    "json_schema": "._schema",
    "translate_prompt": "._localize",
}

__all__ = [
    "DEFAULT_RULES",
    "GROUPS",
    "QUESTIONS",
    "REGIONS",
    "SCHEMA_NAMES",
    "SCHEMA_VERSION",
    "SKIN_SAFETY_CAUTIONS",
    "START_BACK_ITEMS",
    "Answer",
    "AnswerKind",
    "Assessment",
    "BatchResult",
    "CarePlan",
    "Citation",
    "Escalation",
    "FiredRule",
    "Group",
    "Interview",
    "InvalidJSONError",
    "InvalidTypeError",
    "InvalidValueError",
    "MismatchError",
    "PertinentNegative",
    "Phase",
    "Prompt",
    "Question",
    "Reason",
    "Region",
    "Rule",
    "RuleSet",
    "RuleSetError",
    "RuleSetMismatchError",
    "SafetyNet",
    "Schedule",
    "SpasmcareError",
    "StartBackItem",
    "StartBackRisk",
    "StartBackScore",
    "Step",
    "StepKind",
    "Symptom",
    "Translations",
    "TriageCategory",
    "UnknownFindingError",
    "Urgency",
    "criteria",
    "dump_assessment",
    "dump_batch_result",
    "dump_care_plan",
    "dump_escalation",
    "dump_interview",
    "dump_prompt",
    "dump_report",
    "evaluate",
    "evaluate_batch",
    "evaluate_many",
    "exceptions",
    "json_schema",
    "load_assessment",
    "load_interview",
    "load_start_back_items",
    "next_question",
    "plan_care",
    "report_json",
    "score_start_back",
    "translate",
    "translate_prompt",
]


def __dir__() -> list[str]:
    return [*__all__, "__version__"]


def __getattr__(name: str) -> object:
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name], __name__), name)
        globals()[name] = value  # found directly from now on
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
