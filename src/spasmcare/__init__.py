# SPDX-License-Identifier: MIT
"""
spasmcare: cited, testable decision support for back spasm and acute low
back pain.

Build an :class:`Assessment` from what a person reports, :func:`evaluate`
it against the cited rule set, and :func:`plan_care` from the result.
This is decision support, not a diagnosis.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from . import criteria, exceptions
from ._careplan import (
    SKIN_SAFETY_CAUTIONS,
    CarePlan,
    Phase,
    SafetyNet,
    Schedule,
    Step,
    StepKind,
)
from ._catalogue import DEFAULT_RULES
from ._citations import Citation
from ._evaluate import Escalation, FiredRule, evaluate
from ._findings import QUESTIONS, AnswerKind, Question
from ._model import Answer, Assessment, Symptom
from ._plan import plan_care
from ._rules import Rule, RuleSet
from ._urgency import TriageCategory, Urgency
from .exceptions import (
    InvalidTypeError,
    InvalidValueError,
    RuleSetError,
    SpasmcareError,
    UnknownFindingError,
)

try:
    __version__ = version("spasmcare")
except PackageNotFoundError:  # pragma: no cover (only when not installed)
    __version__ = "0.0.0"

__all__ = [
    "DEFAULT_RULES",
    "QUESTIONS",
    "SKIN_SAFETY_CAUTIONS",
    "Answer",
    "AnswerKind",
    "Assessment",
    "CarePlan",
    "Citation",
    "Escalation",
    "FiredRule",
    "InvalidTypeError",
    "InvalidValueError",
    "Phase",
    "Question",
    "Rule",
    "RuleSet",
    "RuleSetError",
    "SafetyNet",
    "Schedule",
    "SpasmcareError",
    "Step",
    "StepKind",
    "Symptom",
    "TriageCategory",
    "UnknownFindingError",
    "Urgency",
    "criteria",
    "evaluate",
    "exceptions",
    "plan_care",
]


def __dir__() -> list[str]:
    return [*__all__, "__version__"]
