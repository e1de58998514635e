# SPDX-License-Identifier: MIT
"""
Evaluate a batch of assessments from a JSON-lines file.

Each line of the file is one case::

    {"id": "strain", "age_years": 35, "pain_score": 5,
     "answers": {"minor_strain_onset": true, "fever": false, "chest_pain": null}}

``answers`` maps finding ids to ``true`` (present), ``false`` (absent)
or ``null`` (don't know); findings left out are unknown.
The numbers (``age_years``, ``pain_score``, ``duration_days``,
``episodes_past_year``) are optional.
A case that spasmcare rejects is reported with the reason,
and the rest of the batch goes on.

Run it with ``python examples/batch_from_file.py [FILE]``;
without FILE it reads ``examples/data/assessments.jsonl``.
"""

from __future__ import annotations

import collections
import json
import sys
from pathlib import Path
from typing import Any

from spasmcare import (
    DEFAULT_RULES,
    Assessment,
    Escalation,
    SpasmcareError,
    evaluate,
)

DEFAULT_FILE = Path(__file__).parent / "data" / "assessments.jsonl"
NUMBERS = ("age_years", "pain_score", "duration_days", "episodes_past_year")


def parse(line: str) -> tuple[str, Assessment]:
    """
    The case id and the assessment on one line of the file.

    Raises:
        ValueError: The line is not a JSON object of the right shape.
        SpasmcareError: spasmcare rejects the answers
            (an unknown finding id, a number out of range, ...).
    """
    record: Any = json.loads(line)
    if not isinstance(record, dict):
        msg = "each line must be a JSON object"
        raise ValueError(msg)  # noqa: TRY004 (a format error, not a type)
    unknown_keys = set(record) - {"id", "answers", *NUMBERS}
    if unknown_keys:
        msg = f"unknown keys: {', '.join(sorted(unknown_keys))}"
        raise ValueError(msg)
    numbers = {name: record[name] for name in NUMBERS if name in record}
    assessment = Assessment.from_answers(record.get("answers"), **numbers)
    return str(record.get("id", "?")), assessment


def describe(escalation: Escalation) -> str:
    """
    One line for a report: level, fired rules, missing answers.
    """
    fired = ",".join(f.id for f in escalation.fired) or "-"
    missing = len(escalation.unanswered)
    complete = (
        "complete"
        if escalation.screening_complete
        else f"{missing} unanswered"
    )
    return f"{escalation.level.name:<10} {complete:<15} {fired}"


def main(argv: list[str] | None = None) -> int:
    """
    Evaluate every case in the file; return 1 if any case was rejected.
    """
    args = sys.argv[1:] if argv is None else argv
    path = Path(args[0]) if args else DEFAULT_FILE
    levels: collections.Counter[str] = collections.Counter()
    rejected = 0
    print(f"Rule set: {DEFAULT_RULES.id} {DEFAULT_RULES.version}")
    print(f"{'case':<18} {'level':<10} {'screening':<15} fired rules")
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                case, assessment = parse(line)
            except (ValueError, SpasmcareError) as error:
                # InvalidValueError and UnknownFindingError are ValueErrors
                # too; InvalidTypeError is a TypeError and a SpasmcareError.
                rejected += 1
                print(f"line {number:<13} REJECTED   {error}")
                continue
            escalation = evaluate(assessment)
            levels[escalation.level.name] += 1
            print(f"{case:<18} {describe(escalation)}")
    counts = ", ".join(f"{level} {n}" for level, n in sorted(levels.items()))
    print(f"Evaluated {levels.total()}: {counts}; rejected {rejected}.")
    return 1 if rejected else 0


if __name__ == "__main__":
    # Exits with status 1 if any line was rejected: the bundled file
    # holds two bad lines on purpose, to show the error reports.
    raise SystemExit(main())
