# SPDX-License-Identifier: MIT
"""
How many prompts the interview needs: scripted patients answer it.

The patients are the derived vignettes of ``tests/derived_vignettes.py``
(one source for the cases), each answering truthfully: a group prompt gets
"none of these" when none of its questions applies, otherwise "yes";
then its questions come one by one, or, for a client that shows them as
tick boxes, all at once. Counts, not times: they do not depend on the
machine.
"""

from __future__ import annotations

import importlib.util
import statistics
import sys
from pathlib import Path
from typing import Any

from spasmcare import DEFAULT_RULES, Answer, Urgency

__all__ = ["CES_TARGET", "PLAIN_STRAIN_TARGET", "prompt_table"]

#: Issue 12's targets: a plain strain reaches self-care in this many
#: prompts or fewer; cauda equina symptoms reach the emergency result in
#: this many or fewer.
PLAIN_STRAIN_TARGET = 12
CES_TARGET = 4

_VIGNETTES = Path(__file__).parent.parent / "tests" / "derived_vignettes.py"


def _vignettes() -> Any:
    """
    tests/derived_vignettes.py, loaded by path (tests/ is not a package).
    """
    spec = importlib.util.spec_from_file_location(
        "derived_vignettes", _VIGNETTES
    )
    if spec is None or spec.loader is None:  # pragma: no cover
        raise ImportError(_VIGNETTES)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # attrs resolves annotations through it
    spec.loader.exec_module(module)
    return module


def prompt_table() -> tuple[int, int]:
    """
    Print the prompt counts; return the worst plain strain and the worst
    cauda equina case on a client with tick boxes.
    """
    module = _vignettes()
    print()
    print(
        f"{'interview prompts (scripted patients)':<46} "
        f"{'one by one':>12} {'tick boxes':>12}"
    )
    rows: dict[str, list[tuple[int, int]]] = {}
    for vignette in module.VIGNETTES:
        counts = (
            module.interview_level(vignette, multiselect=False)[1],
            module.interview_level(vignette, multiselect=True)[1],
        )
        key = (
            "plain strains (self-care)"
            if _plain(vignette)
            else f"other cases, gold {vignette.gold.name.lower()}"
        )
        rows.setdefault(key, []).append(counts)
    strain = next(
        v for v in module.VIGNETTES if v.id == "plain-strain-lifting"
    )
    ces: list[tuple[int, int]] = []
    for finding in sorted(DEFAULT_RULES["cauda_equina"].criterion.questions):
        truth = strain.assessment().with_answer(finding, Answer.PRESENT)
        ces.append(
            (
                module._follow(truth, multiselect=False)[1],
                module._follow(truth, multiselect=True)[1],
            )
        )
    rows["cauda equina symptom on a plain strain"] = ces
    for key, pairs in rows.items():
        one = [c[0] for c in pairs]
        ticks = [c[1] for c in pairs]
        print(
            f"{key + f' ({len(pairs)})':<46} "
            f"{_spread(one):>12} {_spread(ticks):>12}"
        )
    worst_strain = max(max(c) for c in rows["plain strains (self-care)"])
    numbers = ", ".join(
        f"{name} {n}" for name, n in _number_positions(strain.assessment())
    )
    print(f"{'plain strain: numbers asked at prompt':<46} {numbers}")
    return worst_strain, max(c[1] for c in ces)


def _number_positions(truth: Any) -> list[tuple[str, int]]:
    """
    Where the interview asks age, days since the pain began and pain score
    for a truthful patient (issue 12: ask them early if that shortens the
    interview; asked before the emergency signs, they lengthen it).
    """
    from spasmcare import Interview  # noqa: PLC0415

    interview = Interview()
    positions = []
    count = 0
    while (prompt := interview.next_question()) is not None:
        count += 1
        if prompt.is_group:
            answers = [truth.answer(q.id) for q in prompt.questions]
            interview = interview.answer(
                prompt.id, not all(a is Answer.ABSENT for a in answers)
            )
        elif prompt.kind.value == "integer":
            positions.append((prompt.label, count))
            interview = interview.answer(prompt.id, truth.number(prompt.id))
        else:
            interview = interview.answer(prompt.id, truth.answer(prompt.id))
    return positions


def _plain(vignette: Any) -> bool:
    """
    A plain strain: nothing but a sudden start after a strain, self-care.
    """
    return bool(
        vignette.gold is Urgency.SELF_CARE
        and vignette.family == "mechanical strain"
        and vignette.present == {"minor_strain_onset"}
    )


def _spread(counts: list[int]) -> str:
    """
    "median (max)".
    """
    return f"{statistics.median(counts):g} ({max(counts)})"
