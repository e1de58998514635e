# SPDX-License-Identifier: MIT
"""
Stream many assessments through evaluate_many(), in constant memory.

The intake here is a generator of 10,000 made-up records (a real one
would read a database cursor or a file); each assessment carries its
record id, which comes back on its escalation, so nothing is zipped back
by position. Progress is reported every 2,500 records, and the ids of
the records that need an ambulance are listed.

Run it with ``python examples/stream_assessments.py``.
"""

from __future__ import annotations

import collections
import random
from collections.abc import Iterator

from spasmcare import Assessment, Urgency, evaluate_many

FINDINGS = ("minor_strain_onset", "fever", "chest_pain", "saddle_numbness")


def intake(count: int, seed: int = 7) -> Iterator[Assessment]:
    """
    *count* made-up records, one at a time: a few findings each,
    answered yes, no or don't know, with a record id.
    """
    rng = random.Random(seed)  # noqa: S311 (made-up data, not secrets)
    for number in range(count):
        answers = {
            finding: rng.choice((True, False, False, False, None))
            for finding in FINDINGS
        }
        yield Assessment.from_answers(
            answers, age_years=rng.randint(16, 90), id=f"rec-{number:05d}"
        )


def main() -> int:
    """
    Evaluate the stream; print progress, the levels and the ambulance ids.
    """
    levels: collections.Counter[str] = collections.Counter()
    ambulance = []
    for escalation in evaluate_many(
        intake(10_000),
        progress=lambda done: print(f"... {done:,} evaluated"),
        every=2_500,
    ):
        levels[escalation.level.name] += 1
        if escalation.level is Urgency.AMBULANCE:
            ambulance.append(escalation.id)
    print(", ".join(f"{name} {n:,}" for name, n in sorted(levels.items())))
    print(f"ambulance: {len(ambulance):,} records, first {ambulance[:3]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
