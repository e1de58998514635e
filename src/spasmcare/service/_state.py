# SPDX-License-Identifier: MIT
"""
The web interview's state, carried in the form: the answers so far.

The server keeps nothing between requests. Each page carries the steps
taken so far as hidden fields (``prompt=answer``, in the order asked),
and every request replays them from an empty interview. Replaying
checks each step against the prompt the interview asks at that point,
so a form that was tampered with, or that comes from another version of
the rules, is refused rather than half-read. A new answer goes through
the same check as a replayed one.

An answer (the *token*) is, for a yes/no question, ``yes``, ``no`` or
``unsure``; for a number, the number or ``unsure``; for a group ("Do you
have any of these?", shown as tick boxes):

``no``
    "None of these": every question shown is answered "no".
``unsure``
    "Not sure", nothing ticked: its questions come one by one.
``yes:a,b``
    *a* and *b* ticked: they are answered "yes" and the other questions
    shown "no" (tick all that apply).
``unsure:a,b``
    *a* and *b* ticked, and "not sure" about the others: *a* and *b* are
    answered "yes"; the others come one by one, so "not sure" is never
    read as "no".
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from spasmcare import GROUPS, QUESTIONS, AnswerKind, Interview, Prompt
from spasmcare.exceptions import InvalidValueError

__all__ = [
    "MAX_STEPS",
    "UNSURE",
    "Step",
    "answer",
    "parse_step",
    "replay",
]

#: No interview asks more: each question and each group at most once.
MAX_STEPS = len(QUESTIONS) + len(GROUPS)

#: The tokens of yes/no answers.
YES_NO_TOKENS: dict[str, bool | None] = {
    "yes": True,
    "no": False,
    "unsure": None,
}
#: The token of "not sure" and of "I don't know".
UNSURE = "unsure"
_MAX_DIGITS = 6


@attrs.frozen(kw_only=True)
class Step:
    """
    One answered prompt: its id and the answer given, as a token.

    Attributes:
        question: The prompt's id (a question or a group).
        token: The answer (see the module's docstring).
    """

    question: str
    token: str

    def encode(self) -> str:
        """
        The hidden-field form: ``question=token``.
        """
        return f"{self.question}={self.token}"


def _number(prompt: Prompt, token: str) -> int | None:
    if token == UNSURE:
        return None
    if not (token.isascii() and token.isdigit() and len(token) <= _MAX_DIGITS):
        raise InvalidValueError(prompt.id, token, "must be a whole number")
    return int(token)


def _group(interview: Interview, prompt: Prompt, token: str) -> Interview:
    head, colon, listed = token.partition(":")
    shown = [q.id for q in prompt.questions]
    ticked = listed.split(",") if colon else []
    if head not in YES_NO_TOKENS or (head == "no" and colon):
        raise InvalidValueError(
            prompt.id, token, "must be no, unsure, yes:ids or unsure:ids"
        )
    if head == "yes" and not colon:
        raise InvalidValueError(prompt.id, token, "yes needs the ids ticked")
    if not all(t in shown for t in ticked) or len(set(ticked)) != len(ticked):
        raise InvalidValueError(
            prompt.id, token, "ticks only the questions shown, each once"
        )
    if head == "no":
        return interview.answer(prompt.id, value=False)
    interview = interview.answer(prompt.id, value=True if ticked else None)
    for question in shown:
        if question in ticked:
            interview = interview.answer(question, value=True)
        elif head == "yes":
            interview = interview.answer(question, value=False)
    return interview


def answer(interview: Interview, prompt: Prompt, token: str) -> Interview:
    """
    Record the answer *token* to *prompt*, the prompt being asked.

    Raises:
        InvalidValueError: The token does not answer *prompt*,
            or a number is out of range.
    """
    if prompt.is_group:
        return _group(interview, prompt, token)
    if prompt.kind is AnswerKind.INTEGER:
        return interview.answer(prompt.id, _number(prompt, token))
    if token not in YES_NO_TOKENS:
        raise InvalidValueError(
            prompt.id, token, "must be one of yes, no, unsure"
        )
    return interview.answer(prompt.id, YES_NO_TOKENS[token])


def parse_step(raw: str) -> Step:
    """
    Read a hidden field ``question=token``.

    Raises:
        InvalidValueError: The field is not ``question=token``.
    """
    question, sign, token = raw.partition("=")
    if not sign:
        raise InvalidValueError("step", raw, "must be question=answer")
    return Step(question=question, token=token)


def replay(raw_steps: Sequence[str]) -> tuple[Interview, tuple[Step, ...]]:
    """
    Replay the steps from an empty interview.

    Args:
        raw_steps: The hidden fields, in the order asked.

    Returns:
        The interview after the last step, and the steps read.

    Raises:
        InvalidValueError: Too many steps, or a step that is malformed,
            not the prompt asked at that point, or not a valid answer
            to it; the field names the step (``step[3]``).
    """
    if len(raw_steps) > MAX_STEPS:
        raise InvalidValueError(
            "step", len(raw_steps), f"at most {MAX_STEPS} steps"
        )
    interview = Interview()
    steps: list[Step] = []
    for index, raw in enumerate(raw_steps):
        try:
            step = parse_step(raw)
            prompt = interview.next_question()
            if prompt is None or prompt.id != step.question:
                raise InvalidValueError(  # noqa: TRY301 (renamed below)
                    "step", raw, "not the question asked at that point"
                )
            interview = answer(interview, prompt, step.token)
        except InvalidValueError as error:
            raise InvalidValueError(
                f"step[{index}]", raw, error.reason
            ) from error
        steps.append(step)
    return interview, tuple(steps)
