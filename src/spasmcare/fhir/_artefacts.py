# SPDX-License-Identifier: MIT
"""
The committed FHIR artefacts: made from the rules, compared in CI.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from spasmcare import DEFAULT_RULES

from ._knowledge import knowledge_bundle
from ._questionnaire import questionnaire

__all__ = ["ARTEFACTS", "ARTEFACT_DIR", "artefact_text"]

#: Where the artefacts are committed.
ARTEFACT_DIR = Path(__file__).with_name("artefacts")

#: Each committed artefact: its file name and how it is made.
ARTEFACTS: Mapping[str, Callable[[], Any]] = {
    "questionnaire.json": lambda: questionnaire(DEFAULT_RULES),
    "knowledge-bundle.json": lambda: knowledge_bundle(DEFAULT_RULES),
}


def artefact_text(name: str) -> str:
    """
    The artefact *name* (a key of :data:`ARTEFACTS`) as it is committed:
    indented JSON with a final newline.

    .. versionadded:: 0.1.0
    """
    document = json.loads(ARTEFACTS[name]().model_dump_json())
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
