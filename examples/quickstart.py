# SPDX-License-Identifier: MIT
"""
Quickstart: assess two people, evaluate them, and print their care plans.

The first has a plain back strain and answered every question;
the second reports numbness in the saddle area, a red flag.

Run it with ``python examples/quickstart.py``.
"""

from __future__ import annotations

import textwrap

from spasmcare import (
    QUESTIONS,
    Answer,
    AnswerKind,
    Assessment,
    evaluate,
    plan_care,
)


def show(name: str, assessment: Assessment) -> None:
    """
    Evaluate *assessment* and print the result and the care plan.
    """
    escalation = evaluate(assessment)
    plan = plan_care(assessment, escalation)

    print(f"== {name}")
    print(f"Level: {escalation.level.name} ({escalation.category.value})")
    print(f"What to do: {escalation.action}")
    print(f"How soon: {escalation.timeframe}")
    for fired in escalation.fired:
        facts = "; ".join(str(fact) for fact in fired.facts)
        sources = ", ".join(c.key for c in fired.citations)
        print(f"Because: {fired.rule.title} [{fired.id}]")
        print(f"  you reported: {facts}")
        print(f"  sources: {sources}")
    print("Plan:")
    for number, step in enumerate(plan.steps, start=1):
        print(f"  {number}. {step.title}")
        print(textwrap.indent(textwrap.fill(step.instructions, 68), " " * 5))
        if step.timing:
            print(f"     When: {step.timing}")
        for caution in step.cautions:
            print(f"     Caution: {caution}")
    print("Call for help at once if:")
    for sign in plan.safety_net.emergency:
        print(f"  - {sign}")
    print(plan.notice)
    print()


def main() -> None:
    """
    Show a self-care case and an emergency case.
    """
    # Every yes/no question answered "no", except how the pain started.
    # In a real intake every answer comes from the person: never fill in
    # "no" for them (a missing answer is unknown, and stays unknown).
    answers: dict[str, bool | None] = {
        question.id: False
        for question in QUESTIONS.values()
        if question.kind is AnswerKind.YES_NO
    }
    answers["minor_strain_onset"] = True
    strain = Assessment.from_answers(
        answers,
        age_years=35,
        pain_score=5,
        duration_days=1,
        episodes_past_year=0,
    )
    show("A back strain after lifting", strain)

    # The same person, but with numbness between the legs.
    numb = strain.with_answer("saddle_numbness", Answer.PRESENT)
    show("The same, with saddle numbness", numb)


if __name__ == "__main__":
    main()
