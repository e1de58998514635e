# SPDX-License-Identifier: MIT
"""
The web interview's state, carried in the form: the answers so far.

The server keeps nothing between requests. Each page carries the steps
taken so far as hidden fields (``question=answer``, in the order asked),
and every request replays them from an empty interview. Replaying
checks each step against the question the interview asks at that point,
so a form that was tampered with, or that comes from another version of
the rules, is refused rather than half-read.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from spasmcare import GROUPS, QUESTIONS, AnswerKind, Interview, Prompt
from spasmcare.exceptions import InvalidValueError

__all__ = ["MAX_STEPS", "Step", "encode_step", "parse_step", "replay"]

#: No interview asks more: each question and each group at most once.
MAX_STEPS = len(QUESTIONS) + len(GROUPS)

#: The tokens of yes/no answers (a group's "yes" is "yes, one or more").
YES_NO_TOKENS: dict[str, bool | None] = {
    "yes": True,
    "no": False,
    "unsure": None,
}
#: The token of "I don't know" for a number.
UNSURE = "unsure"
_MAX_DIGITS = 6


@attrs.frozen(kw_only=True)
class Step:
    """
    One answered prompt: its id and the answer given.

    Attributes:
        question: The prompt's id (a question or a group).
        value: ``True``, ``False`` or ``None`` (not sure) for yes/no;
            an ``int`` or ``None`` (don't know) for a number.
    """

    question: str
    value: bool | int | None


def encode_step(step: Step) -> str:
    """
    The hidden-field form of *step*: ``question=token``.
    """
    if step.value is None:
        token = UNSURE
    elif isinstance(step.value, bool):
        token = "yes" if step.value else "no"
    else:
        token = str(step.value)
    return f"{step.question}={token}"


def parse_value(prompt: Prompt, token: str) -> bool | int | None:
    """
    Read the answer *token* to *prompt*.

    Raises:
        InvalidValueError: The token does not answer that kind of prompt
            (the range of a number is checked by the interview).
    """
    if prompt.kind is AnswerKind.YES_NO:
        if token not in YES_NO_TOKENS:
            raise InvalidValueError(
                prompt.id, token, "must be one of yes, no, unsure"
            )
        return YES_NO_TOKENS[token]
    if token == UNSURE:
        return None
    text = token.strip()
    if not (text.isascii() and text.isdigit() and len(text) <= _MAX_DIGITS):
        raise InvalidValueError(prompt.id, token, "must be a whole number")
    return int(text)


def parse_step(raw: str) -> tuple[str, str]:
    """
    Split a hidden field into the prompt id and the answer token.

    Raises:
        InvalidValueError: The field is not ``question=token``.
    """
    question, sign, token = raw.partition("=")
    if not sign:
        raise InvalidValueError("step", raw, "must be question=answer")
    return question, token


def replay(raw_steps: Sequence[str]) -> tuple[Interview, tuple[Step, ...]]:
    """
    Replay the steps from an empty interview.

    Args:
        raw_steps: The hidden fields, in the order asked.

    Returns:
        The interview after the last step, and the steps read.

    Raises:
        InvalidValueError: Too many steps, or a step that is malformed,
            not the question asked at that point, or not a valid answer
            to it; the field names the step (``step[3]``).
    """
    if len(raw_steps) > MAX_STEPS:
        raise InvalidValueError(
            "step", len(raw_steps), f"at most {MAX_STEPS} steps"
        )
    interview = Interview()
    steps: list[Step] = []
    for index, raw in enumerate(raw_steps):
        field = f"step[{index}]"
        try:
            question, token = parse_step(raw)
            prompt = interview.next_question()
            if prompt is None or prompt.id != question:
                raise InvalidValueError(  # noqa: TRY301 (renamed below)
                    "step", raw, "not the question asked at that point"
                )
            value = parse_value(prompt, token)
            interview = interview.answer(question, value)
        except InvalidValueError as error:
            raise InvalidValueError(field, raw, error.reason) from error
        steps.append(Step(question=question, value=value))
    return interview, tuple(steps)
