# SPDX-License-Identifier: MIT
"""
What a care plan tells a person, word for word (issue 15).

Every bundled case in the UK (six in the US too), the plain strain
adapted (pregnant; numb; older; STarT Back medium and high), and a
pregnant 15-year-old who is bleeding, whose referral joins three rules'
advice, planned and compared with ``tests/plans/wording.json``: the action, each step's
title, instructions, timing, evidence, citations and cautions, the
safety net, the reasons and the red flags ruled out. Other tests check
what a plan must contain; this one makes any change to what it says a
deliberate one, reviewed in the diff of the wording file (a mutated
separator or message used to pass every substring check).

The self-care steps' own texts are data of ``_selfcare.py``; here they
are named by id, with the cautions the plan adds to them.

After a change made on purpose::

    python tests/test_plan_wording.py    # writes tests/plans/wording.json

then read its diff before committing it.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

from spasmcare import (
    REGIONS,
    CarePlan,
    dump_care_plan,
    evaluate,
    load_assessment,
    plan_care,
    score_start_back,
)
from spasmcare._selfcare import (
    EXERCISE_PROGRAMME,
    EXERCISE_PROGRAMME_PSYCHOLOGICAL,
    PREGNANCY_PAIN_RELIEF,
    PREVENTION,
    SELF_CARE_STEPS,
)

ROOT = Path(__file__).parent.parent
CASES = ROOT / "examples" / "cases"
WORDING = Path(__file__).parent / "plans" / "wording.json"

#: Cases planned in the US too (one of each level, and screening not done).
US_CASES = (
    "chest-pain",
    "cauda-equina",
    "spinal-infection",
    "not-improving",
    "plain-strain",
    "incomplete-intake",
)


_BLEEDING = {
    "pregnant": "present",
    "pregnancy_bleeding": "present",
    "abdominal_pain": "present",
}


def _start_back(risk_items: set[str], bother: str) -> dict[str, str]:
    answers = {f"Q{i}": "disagree" for i in range(1, 9)}
    answers.update(dict.fromkeys(risk_items, "agree"))
    answers["Q9"] = bother
    return answers


def _plans() -> dict[str, CarePlan]:
    """
    The plans whose words are kept, by name.
    """
    plans: dict[str, CarePlan] = {}
    for path in sorted(CASES.glob("*.json")):
        a = load_assessment(path.read_text(encoding="utf-8"))
        plans[path.stem] = plan_care(a, evaluate(a))
        if path.stem in US_CASES:
            us = REGIONS["us"]
            plans[f"{path.stem} (us)"] = plan_care(a, evaluate(a), region=us)
    document = json.loads((CASES / "plain-strain.json").read_text("utf-8"))
    strain = load_assessment(document)
    for name, changes, more in (
        ("strain, pregnant", {"pregnant": "present"}, {}),
        ("strain, numb", {"leg_pain_numbness": "present"}, {}),
        ("strain, 70", {}, {"age_years": 70}),
        # Three rules with advice of their own, joined in one referral.
        ("pregnant, bleeding, tummy pain, 15", _BLEEDING, {"age_years": 15}),
    ):
        answers = {**document["answers"], **changes}
        a = load_assessment({**document, **more, "answers": answers})
        plans[name] = plan_care(a, evaluate(a))
        if name.startswith("pregnant"):
            us = REGIONS["us"]
            plans[f"{name} (us)"] = plan_care(a, evaluate(a), region=us)
    for name, items, bother in (
        ("strain, STarT Back medium", {"Q1", "Q2", "Q3"}, "very_much"),
        ("strain, STarT Back high", {"Q5", "Q6", "Q7"}, "very_much"),
    ):
        score = score_start_back(_start_back(items, bother))
        plans[name] = plan_care(strain, evaluate(strain), start_back=score)
    return plans


#: The steps of the self-care plan as the data holds them, by id.
_DATA_STEPS = {
    step.id: step
    for step in (
        *SELF_CARE_STEPS,
        PREGNANCY_PAIN_RELIEF,
        EXERCISE_PROGRAMME,
        EXERCISE_PROGRAMME_PSYCHOLOGICAL,
    )
}


def _step(step: dict[str, Any]) -> dict[str, Any]:
    """
    A referral or interim step whole; a self-care step by its id, with
    the cautions and citations the plan adds to the data's own.
    """
    citations = [c["key"] for c in step["citations"]]
    if step["kind"] in {"referral", "interim"}:
        kept = {k: step[k] for k in ("id", "title", "instructions")}
        kept.update(
            timing=step["timing"],
            evidence=step["evidence"],
            citations=citations,
            cautions=step["cautions"],
        )
        return kept
    data = _DATA_STEPS[step["id"]]
    own = list(data.cautions)
    added = step["cautions"][: len(step["cautions"]) - len(own)]
    # What the plan adds comes first, then the step's own, unchanged;
    # the citations it adds come after the step's own.
    assert step["cautions"] == [*added, *own]
    assert citations[: len(data.citations)] == [c.key for c in data.citations]
    assert {k: step[k] for k in ("title", "instructions", "timing")} == {
        "title": data.title,
        "instructions": data.instructions,
        "timing": data.timing,
    }
    return {
        "id": step["id"],
        "added_cautions": added,
        "added_citations": citations[len(data.citations) :],
    }


def _words(plan: CarePlan, nets: dict[str, Any]) -> dict[str, Any]:
    """
    What *plan* says; its safety net goes into *nets* (one per level and
    region), named in the plan.
    """
    body = dump_care_plan(plan)
    net = f"{body['level']} ({plan.region.id})"
    assert nets.setdefault(net, body["safety_net"]) == body["safety_net"]
    assert body["prevention"] in ([], [*PREVENTION])
    return {
        "level": body["level"],
        "screening_complete": body["screening_complete"],
        "action": body["action"],
        "steps": [_step(step) for step in body["steps"]],
        "prevention": bool(body["prevention"]),
        "safety_net": net,
        "notice": body["notice"],
        "reasons": [
            {k: r[k] for k in ("rule", "level", "said", "text")}
            for r in body["reasons"]
        ],
        "ruled_out": [n["question"] for n in body["ruled_out"]],
    }


def _all_words() -> dict[str, Any]:
    nets: dict[str, Any] = {}
    plans = {name: _words(plan, nets) for name, plan in _plans().items()}
    return {"plans": plans, "safety_nets": nets}


def _kept() -> dict[str, Any]:
    kept: dict[str, Any] = json.loads(WORDING.read_text(encoding="utf-8"))
    return kept


def test_every_plan_is_kept() -> None:
    """
    The wording file holds exactly the plans made here.
    """
    assert sorted(_plans()) == sorted(_kept()["plans"])


@pytest.mark.parametrize("name", sorted(_plans()))
def test_a_plan_says_what_it_said(name: str) -> None:
    """
    Each plan says, word for word, what the wording file says, its
    safety net included.
    """
    kept = _kept()
    nets: dict[str, Any] = {}

    words = _words(_plans()[name], nets)

    assert kept["plans"].get(name) == words
    assert (
        kept["safety_nets"][words["safety_net"]] == nets[words["safety_net"]]
    )


def _write() -> None:
    WORDING.parent.mkdir(exist_ok=True)
    text = json.dumps(_all_words(), indent=1, ensure_ascii=False)
    WORDING.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    _write()
    sys.stdout.write(f"wrote {WORDING.relative_to(ROOT)}; read its diff\n")
