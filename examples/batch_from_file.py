# SPDX-License-Identifier: MIT
"""
Evaluate a batch of assessments from a JSON-lines file: a batch job end
to end.

Each line of the file is one assessment document, in the same wire
format as every face (``spasmcare schema assessment``)::

    {"schema_version": "1", "id": "strain", "age_years": 35,
     "answers": {"minor_strain_onset": true, "fever": "absent"}}

``answers`` maps finding ids to ``"present"``, ``"absent"`` or
``"unknown"``, or to ``true``, ``false`` or ``null`` for the same;
findings left out are unknown. ``id`` is an optional correlation id that
comes back with the result.
A line that spasmcare rejects is reported with its line number, id and
reasons, and the rest of the batch goes on: nothing after it is lost.

Run it with ``python examples/batch_from_file.py [FILE] [--jsonl]``;
without FILE it reads ``examples/data/assessments.jsonl``.
With ``--jsonl`` it writes one ``spasmcare schema batch-result`` document
per line instead of a table, for another program to read.
"""

from __future__ import annotations

import collections
import json
import sys
from collections.abc import Iterator
from pathlib import Path

from spasmcare import (
    DEFAULT_RULES,
    BatchResult,
    Escalation,
    dump_batch_result,
    evaluate_batch,
)

DEFAULT_FILE = Path(__file__).parent / "data" / "assessments.jsonl"


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


def records(path: Path) -> Iterator[tuple[int, str]]:
    """
    The line number and text of each non-blank line of *path*.
    """
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            if line.strip():
                yield number, line


def main(argv: list[str] | None = None) -> int:
    """
    Evaluate every case in the file; return 1 if any case was rejected.
    """
    args = sys.argv[1:] if argv is None else argv
    as_jsonl = "--jsonl" in args
    files = [arg for arg in args if arg != "--jsonl"]
    path = Path(files[0]) if files else DEFAULT_FILE
    numbered = list(records(path))
    levels: collections.Counter[str] = collections.Counter()
    rejected = 0
    if not as_jsonl:
        print(f"Rule set: {DEFAULT_RULES.id} {DEFAULT_RULES.version}")
        print(f"{'case':<18} {'level':<10} {'screening':<15} fired rules")
    result: BatchResult
    for result in evaluate_batch(line for _, line in numbered):
        if as_jsonl:
            print(json.dumps(dump_batch_result(result), ensure_ascii=False))
        if result.escalation is None:
            rejected += 1
            if not as_jsonl:
                number = numbered[result.index][0]
                print(f"line {number:<3} {result.id!s:<9} REJECTED")
                assert result.error is not None  # noqa: S101 (not ok)
                for problem in getattr(result.error, "problems", ()):
                    print(f"    {problem[0]}: {problem[1]}")
            continue
        levels[result.escalation.level.name] += 1
        if not as_jsonl:
            print(f"{result.id!s:<18} {describe(result.escalation)}")
    if not as_jsonl:
        counts = ", ".join(f"{lvl} {n}" for lvl, n in sorted(levels.items()))
        print(f"Evaluated {levels.total()}: {counts}; rejected {rejected}.")
    return 1 if rejected else 0


if __name__ == "__main__":
    # Exits with status 1 if any line was rejected: the bundled file
    # holds two bad lines on purpose, to show the error reports.
    raise SystemExit(main())
