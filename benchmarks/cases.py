# SPDX-License-Identifier: MIT
"""
A fixed, seeded set of generated intake records.

Records are plain dicts, as a form or a JSON body would give them
(finding id to ``True``/``False``/``None``, plus the numbers).
The mix is meant to look like a real intake stream:

* about 70% plain strains: every question answered, benign findings
  present now and then, varied numbers;
* about 20% like those but with some questions not asked
  (left out, or answered "don't know") and some numbers missing;
* about 10% with a red flag present (a finding that on its own
  escalates to urgent or above).

The same seed always gives the same records, on any machine.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Mapping
from typing import TypedDict

from spasmcare import DEFAULT_RULES, Assessment, Urgency
from spasmcare._findings import FINDING_IDS

__all__ = [
    "RED_FLAGS",
    "SEED",
    "Record",
    "generate",
    "records",
    "to_assessment",
]

#: The seed of every generated set.
SEED = 20_240_605

#: Findings that on their own escalate to urgent or above.
RED_FLAGS = tuple(
    finding
    for finding, level in DEFAULT_RULES.red_flags.items()
    if level >= Urgency.URGENT
)
#: Every other finding, with how often a plain strain reports it present.
_BENIGN = {
    finding: 0.02
    for finding in sorted(FINDING_IDS)
    if finding not in RED_FLAGS
}
_BENIGN.update(
    {
        "minor_strain_onset": 0.6,
        "leg_pain_numbness": 0.15,
        "night_pain": 0.08,
        "cough_sneeze_pain": 0.1,
        "getting_worse": 0.08,
        "not_coping": 0.1,
        "pain_unbearable": 0.05,
        "better_with_movement": 0.3,
        "nsaid_response": 0.2,
        "buttock_pain": 0.1,
    }
)
_FINDINGS = tuple(sorted(FINDING_IDS))


class Record(TypedDict):
    """
    One intake record, as plain data.
    """

    answers: dict[str, bool | None]
    age_years: int | None
    pain_score: int | None
    duration_days: int | None
    episodes_past_year: int | None


def _numbers(rng: random.Random) -> tuple[int, int, int, int]:
    age = min(95, max(16, round(rng.gauss(46, 16))))
    pain = rng.choice((2, 3, 4, 4, 5, 5, 6, 6, 7, 8, 9))
    roll = rng.random()
    if roll < 0.75:
        days = rng.randint(0, 14)
    elif roll < 0.95:
        days = rng.randint(15, 60)
    else:
        days = rng.randint(61, 400)
    episodes = rng.choice((0, 0, 0, 0, 1, 1, 2, 3, 5))
    return age, pain, days, episodes


def _record(rng: random.Random) -> Record:
    answers: dict[str, bool | None] = {
        finding: rng.random() < _BENIGN.get(finding, 0.0)
        for finding in _FINDINGS
    }
    age, pain, days, episodes = _numbers(rng)
    record = Record(
        answers=answers,
        age_years=age,
        pain_score=pain,
        duration_days=days,
        episodes_past_year=episodes,
    )
    roll = rng.random()
    if roll < 0.1:
        for finding in rng.sample(RED_FLAGS, rng.choice((1, 1, 1, 2))):
            answers[finding] = True
    elif roll < 0.3:
        for finding in _FINDINGS:
            chance = rng.random()
            if chance < 0.15:
                del answers[finding]
            elif chance < 0.2:
                answers[finding] = None
        for name in ("age_years", "pain_score", "duration_days"):
            if rng.random() < 0.15:
                record[name] = None
    return record


def generate(count: int, *, seed: int = SEED) -> Iterator[Record]:
    """
    Yield *count* records lazily (``count=-1``: without end).
    """
    rng = random.Random(seed)  # noqa: S311 (test data, not secrets)
    made = 0
    while made != count:
        yield _record(rng)
        made += 1


def records(count: int = 10_000, *, seed: int = SEED) -> list[Record]:
    """
    The first *count* records of the seeded stream, as a list.
    """
    return list(generate(count, seed=seed))


def to_assessment(record: Mapping[str, object]) -> Assessment:
    """
    Build a validated Assessment from a plain record.
    """
    answers = record["answers"]
    return Assessment.from_answers(
        answers,  # type: ignore[arg-type]
        age_years=record["age_years"],  # type: ignore[arg-type]
        pain_score=record["pain_score"],  # type: ignore[arg-type]
        duration_days=record["duration_days"],  # type: ignore[arg-type]
        episodes_past_year=record["episodes_past_year"],  # type: ignore[arg-type]
    )
