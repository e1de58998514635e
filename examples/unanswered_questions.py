# SPDX-License-Identifier: MIT
"""
An intake where some questions are not answered.

A person fills in part of a web form: a few yes/no questions, and
"don't know" for fever.
spasmcare never reads a missing answer as "no":
the result is at least a routine appointment,
and the escalation names the questions still to ask, most urgent first.
The script then asks those questions one at a time, as a chatbot would,
until screening is complete, the person cannot answer,
or the level reaches an emergency.

Run it with ``python examples/unanswered_questions.py``.
"""

from __future__ import annotations

import attrs

from spasmcare import (
    QUESTIONS,
    Answer,
    AnswerKind,
    Assessment,
    Escalation,
    Urgency,
    evaluate,
    plan_care,
)

#: What the person would reply to each question the chatbot asks:
#: True (yes), False (no), None ("don't know"), or a number.
#: Anything not listed here is answered "no" (or 0 for a number).
REPLIES: dict[str, bool | int | None] = {
    "fever": None,  # "I haven't taken my temperature."
    "minor_strain_onset": True,
    "episodes_past_year": 1,
}


def answer(
    assessment: Assessment, question: str, *, reply: bool | int | None
) -> Assessment:
    """
    A copy of *assessment* with *question* answered *reply*.

    Yes/no questions take True, False or None ("don't know");
    integer questions (the numeric fields) take a number or None.
    """
    if QUESTIONS[question].kind is AnswerKind.INTEGER:
        if isinstance(reply, bool):
            msg = f"{question} needs a number, not {reply!r}"
            raise TypeError(msg)
        return attrs.evolve(assessment, **{question: reply})
    if reply is not None and not isinstance(reply, bool):
        msg = f"{question} needs yes, no or don't know, not {reply!r}"
        raise TypeError(msg)
    return assessment.with_answer(question, Answer.from_bool(reply))


def summary(escalation: Escalation) -> str:
    """
    One line: the level, whether screening is complete, what is missing.
    """
    missing = len(escalation.unanswered)
    return (
        f"level={escalation.level.name} "
        f"screening_complete={escalation.screening_complete} "
        f"unanswered={missing}"
    )


def main() -> None:
    """
    Evaluate a partial intake, then ask the missing questions.
    """
    # What the web form sent: some answers, and "don't know" (None).
    assessment = Assessment.from_answers(
        {
            "saddle_numbness": False,
            "urinary_retention": False,
            "fever": None,
        },
        age_years=41,
        pain_score=6,
        duration_days=2,
    )
    escalation = evaluate(assessment)
    print("After the form:", summary(escalation))
    print(escalation.action)
    print("Ask next:")
    for question in escalation.unanswered[:3]:
        print(f"  {question}: {QUESTIONS[question].text}")

    # The chatbot: ask the most urgent unanswered question, once each.
    asked: set[str] = set()
    while escalation.level < Urgency.EMERGENCY:
        waiting = [q for q in escalation.unanswered if q not in asked]
        if not waiting:
            break
        question = waiting[0]
        asked.add(question)
        default = (
            0 if QUESTIONS[question].kind is AnswerKind.INTEGER else False
        )
        assessment = answer(
            assessment, question, reply=REPLIES.get(question, default)
        )
        escalation = evaluate(assessment)
    print(f"Asked {len(asked)} questions.")
    print("After the chat:", summary(escalation))
    print("Still unanswered:", ", ".join(escalation.unanswered))

    plan = plan_care(assessment, escalation)
    referral = plan.referral
    if referral is not None:
        print(f"First step: {referral.instructions}")

    # Later the person takes their temperature: no fever.
    assessment = answer(assessment, "fever", reply=False)
    escalation = evaluate(assessment)
    print("With the temperature taken:", summary(escalation))
    print(escalation.action)


if __name__ == "__main__":
    main()
