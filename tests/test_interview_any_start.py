# SPDX-License-Identifier: MIT
"""
The interview is safe from any start (issue 15, part 4).

Whatever the starting answers and whatever was marked as asked, and
whatever the caller does next (answer the prompt shown, answer any
question or group out of turn, repeat an answer or change it, say "not
sure", pass a value of the wrong type or out of range), the interview:

- never shows self-care while a red flag is present, while a red-flag
  question is unanswered, or while any rule is undecided;
- never raises anything but the library's own documented errors, and
  never raises on a valid answer to the prompt it shows;
- followed to its end from wherever it is, ends, asks nothing twice,
  and ends in self-care only with every red flag answered "no".
"""

from __future__ import annotations

import contextlib
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from spasmcare import (
    DEFAULT_RULES,
    GROUPS,
    QUESTIONS,
    Answer,
    AnswerKind,
    Interview,
    Prompt,
    SpasmcareError,
    Urgency,
)

from .strategies import assessments, numbers

RED_FLAGS = DEFAULT_RULES.red_flags
IDS = sorted(QUESTIONS) + sorted(GROUPS)
#: Every id a prompt can carry: at most one prompt each, so an interview
#: followed to its end asks at most this many.
MAX_PROMPTS = len(IDS)

#: The values a yes/no question or a group accepts: "not sure" twice.
YES_NO = st.sampled_from(
    [True, False, None, Answer.PRESENT, Answer.ABSENT, Answer.UNKNOWN, None]
)
#: Values of the wrong type, or out of range: each must be refused with
#: the library's own error, never a crash.
WRONG = st.one_of(
    st.integers(-5, 5),
    st.integers(-(10**6), 10**6),
    st.booleans(),
    st.floats(allow_nan=True),
    st.text(max_size=3),
    st.just([]),
)


def _valid(data: st.DataObject, question: str, interview: Interview) -> Any:
    """
    A valid answer to *question* (or a group) in *interview*.
    """
    if question in GROUPS or QUESTIONS[question].kind is AnswerKind.YES_NO:
        return data.draw(YES_NO, label=question)
    value = data.draw(st.none() | numbers(question), label=question)
    if question == "duration_days" and value is not None:
        # No longer than the person has lived (the loader refuses that).
        age = interview.assessment.age_years
        value = min(value, (16 if age is None else age) * 365)
    days = interview.assessment.duration_days
    if question == "age_years" and value is not None and days is not None:
        # Old enough for the episode already given (-(-a // b) rounds up).
        value = max(value, -(-days // 366) - 1)
    return value


def _check_safe(interview: Interview) -> None:
    """
    The invariant that must hold after every step.
    """
    escalation = interview.escalation
    answers = {f: interview.assessment.answer(f) for f in RED_FLAGS}
    for finding, answer in answers.items():
        if answer is Answer.PRESENT:
            assert escalation.referral_required, finding
            assert RED_FLAGS[finding] <= escalation.level, finding
    if escalation.level is Urgency.SELF_CARE:
        assert {Answer.ABSENT} >= set(answers.values()), answers
        assert escalation.screening_complete
        assert () == escalation.pending
        assert not escalation.referral_required


def _step(data: st.DataObject, interview: Interview) -> Interview:
    """
    One thing a caller may do; a refused answer leaves *interview* as is.
    """
    prompt = interview.next_question()
    kind = data.draw(
        st.sampled_from(["prompt", "prompt", "any", "any", "group", "wrong"]),
        label="action",
    )
    if kind == "prompt" and prompt is not None:
        # A valid answer to the prompt shown is never refused.
        return interview.answer(prompt.id, _valid(data, prompt.id, interview))
    if kind == "group":
        question = data.draw(st.sampled_from(sorted(GROUPS)), label="group")
    else:
        question = data.draw(st.sampled_from(IDS), label="question")
    value = (
        data.draw(WRONG, label="wrong")
        if kind == "wrong"
        else _valid(data, question, interview)
    )
    try:
        return interview.answer(question, value)
    except SpasmcareError:
        # Refused with the library's own error: a group not being asked,
        # a number out of range, a value of the wrong type.
        return interview


def _follow(data: st.DataObject, interview: Interview) -> Interview:
    """
    Answer every prompt to the end; each prompt is shown at most once.
    """
    seen: list[Prompt] = []
    while (prompt := interview.next_question()) is not None:
        assert prompt.id not in {p.id for p in seen}, prompt.id
        assert len(seen) < MAX_PROMPTS, "the interview must end"
        seen.append(prompt)
        interview = interview.answer(
            prompt.id, _valid(data, prompt.id, interview)
        )
        _check_safe(interview)
    return interview


class TestSafeFromAnyStart:
    """
    From any answers and any set of questions marked asked, in any order
    of answering, the interview never shows self-care with a red flag
    present or unanswered, and never crashes.
    """

    @given(
        assessments(),
        st.frozensets(st.sampled_from(IDS)),
        st.data(),
    )
    def test_any_sequence_of_answers(
        self,
        start: Any,
        asked: frozenset[str],
        data: st.DataObject,
    ) -> None:
        """
        Any start, then up to 30 steps of any kind, then the interview
        followed to its end: safe after every step.
        """
        interview = Interview(assessment=start, asked=asked)
        _check_safe(interview)
        for _ in range(data.draw(st.integers(0, 30), label="steps")):
            interview = _step(data, interview)
            _check_safe(interview)
        end = _follow(data, interview)
        assert end.next_question() is None
        if end.escalation.level is Urgency.SELF_CARE:
            unknown = [
                f
                for f in RED_FLAGS
                if end.assessment.answer(f) is not Answer.ABSENT
            ]
            assert [] == unknown

    @given(st.data())
    def test_answers_out_of_turn_from_the_start(
        self, data: st.DataObject
    ) -> None:
        """
        From an empty interview, answers given in any order (never the
        prompt shown), repeated and changed, stay safe; the interview
        then ends safely.
        """
        interview = Interview()
        for _ in range(data.draw(st.integers(1, 40), label="steps")):
            question = data.draw(st.sampled_from(IDS), label="question")
            # A group not being asked now is refused, and nothing changes.
            with contextlib.suppress(SpasmcareError):
                interview = interview.answer(
                    question, _valid(data, question, interview)
                )
            _check_safe(interview)
        _check_safe(_follow(data, interview))

    def test_not_sure_to_everything_never_reaches_self_care(self) -> None:
        """
        "Not sure" to every prompt, groups included, ends on a referral
        level with every red flag still listed as unanswered.
        """
        interview = Interview()
        while (prompt := interview.next_question()) is not None:
            interview = interview.answer(prompt.id, None)
        escalation = interview.escalation
        assert escalation.level > Urgency.SELF_CARE
        assert set(RED_FLAGS) <= set(escalation.unanswered)
