# SPDX-License-Identifier: MIT
"""
The guided interview: which question comes next, and when it ends.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from spasmcare import (
    DEFAULT_RULES,
    GROUPS,
    QUESTIONS,
    Answer,
    AnswerKind,
    Assessment,
    Interview,
    InvalidTypeError,
    InvalidValueError,
    Prompt,
    UnknownFindingError,
    Urgency,
    evaluate,
    load_assessment,
    next_question,
)
from spasmcare._interview import _gates

from .strategies import ANSWERS, numbers

CASES = Path(__file__).parent.parent / "examples" / "cases"
RED_FLAGS = DEFAULT_RULES.red_flags


def follow(
    interview: Interview, answer_for: dict[str, Answer | int | None]
) -> tuple[Interview, list[Prompt]]:
    """
    Answer every question from *answer_for* (unknown if missing) to the end.
    """
    prompts: list[Prompt] = []
    while (prompt := interview.next_question()) is not None:
        assert len(prompts) < len(QUESTIONS) + len(GROUPS), "it must end"
        prompts.append(prompt)
        interview = interview.answer(prompt.id, _reply(answer_for, prompt))
    return interview, prompts


def _reply(
    answer_for: dict[str, Answer | int | None], prompt: Prompt
) -> Answer | int | None:
    """
    The answer *answer_for* gives to *prompt*; for a group, "none of
    these" when every one of its questions is absent, "yes" when one is
    present, otherwise "not sure".
    """
    if not prompt.is_group:
        return answer_for.get(prompt.id)
    given = {answer_for.get(q.id) for q in prompt.questions}
    if given == {Answer.ABSENT}:
        return Answer.ABSENT
    return Answer.PRESENT if Answer.PRESENT in given else Answer.UNKNOWN


def plain_strain() -> Assessment:
    """
    The bundled plain back strain.
    """
    return load_assessment((CASES / "plain-strain.json").read_bytes())


def answers_of(assessment: Assessment) -> dict[str, Answer | int | None]:
    """
    Every answer in *assessment*, by question id.
    """
    out: dict[str, Answer | int | None] = {
        s.finding: s.answer for s in assessment.symptoms
    }
    for question in QUESTIONS.values():
        if question.kind is AnswerKind.INTEGER:
            out[question.id] = assessment.number(question.id)
    return out


def _priority(interview: Interview, prompt: Prompt) -> Urgency:
    """
    The level that brings a prompt forward: a red flag's own level, or
    the most urgent pending rule that a question gates or that a "yes" has
    started; for a group, the most urgent of its questions; self-care when
    none of these.
    """
    present = {
        s.finding
        for s in interview.assessment.symptoms
        if s.answer is Answer.PRESENT
    }
    gates = _gates(DEFAULT_RULES)
    levels = [Urgency.SELF_CARE]
    for question in (q.id for q in prompt.questions):
        levels.append(RED_FLAGS.get(question, Urgency.SELF_CARE))
        levels.append(gates.get(question, Urgency.SELF_CARE))
        for rule_id in interview.escalation.pending:
            rule = DEFAULT_RULES[rule_id]
            if question in rule.criterion.questions and (
                present & rule.criterion.questions
            ):
                levels.append(rule.urgency)
    return max(levels)


class TestOrder:
    """
    "Red-flag questions come first, the most urgent first."
    """

    def test_first_question_is_an_ambulance_red_flag(self) -> None:
        """
        With no answers, the first question is "are you pregnant?": it
        gates an ambulance rule (bleeding with tummy pain in pregnancy)
        whose red flag, tummy pain, is a same-day one, asked after the
        emergency signs. Then comes the group of warning signs that call
        for an ambulance; after "not sure", the first question is a red
        flag that calls for an ambulance on its own, with its wording and
        reasons.
        """
        first = next_question(Assessment())
        assert first is not None
        assert "pregnant" == first.id
        assert first.red_flag is None

        not_pregnant = Assessment.from_answers({"pregnant": False})
        group = next_question(not_pregnant)
        assert group is not None
        assert group.is_group
        assert Urgency.AMBULANCE is group.red_flag
        assert GROUPS[group.id].text == group.text

        prompt = next_question(not_pregnant, asked=[group.id])

        assert prompt is not None
        assert Urgency.AMBULANCE is prompt.red_flag
        assert QUESTIONS[prompt.id].text == prompt.text
        assert (QUESTIONS[prompt.id],) == prompt.questions
        assert not prompt.is_group
        assert AnswerKind.YES_NO is prompt.kind
        assert prompt.why
        assert (None, None, None) == (
            prompt.minimum,
            prompt.maximum,
            prompt.unit,
        )

    def test_red_flags_first_most_urgent_first(self) -> None:
        """
        Followed as the plain strain (every answer "no" but a sudden start
        after lifting), the interview asks every red flag in order of
        urgency. The only other questions it asks before a red flag are a
        gate ("are you pregnant?") or the rest of a rule that a "yes"
        started, at a level at least as urgent as that red flag.
        """
        interview = Interview()
        answers = answers_of(plain_strain())
        early: list[tuple[str, Urgency]] = []  # non-flags, and their level
        flag_ranks: list[int] = []
        while (prompt := interview.next_question()) is not None:
            if prompt.red_flag is not None:
                assert all(prompt.red_flag <= level for _, level in early)
                flag_ranks.append(prompt.red_flag.rank)
            else:
                early.append((prompt.id, _priority(interview, prompt)))
            interview = interview.answer(prompt.id, _reply(answers, prompt))

        assert set(RED_FLAGS) <= interview.asked
        assert sorted(flag_ranks, reverse=True) == flag_ranks
        assert ("pregnant", Urgency.AMBULANCE) == early[0]

    def test_number_prompt(self) -> None:
        """
        A number question carries its limits and unit and is no red flag.
        """
        interview = Interview(
            assessment=Assessment.from_answers(
                dict.fromkeys(
                    (
                        q.id
                        for q in QUESTIONS.values()
                        if q.kind is AnswerKind.YES_NO
                    ),
                    False,
                )
            )
        )

        prompt = interview.next_question()

        assert prompt is not None
        assert AnswerKind.INTEGER is prompt.kind
        question = QUESTIONS[prompt.id]
        assert (question.minimum, question.maximum, question.unit) == (
            prompt.minimum,
            prompt.maximum,
            prompt.unit,
        )
        assert prompt.red_flag is None


class TestEnd:
    """
    When the interview is over.
    """

    def test_plain_strain_ends_in_self_care(self) -> None:
        """
        Answering as the plain-strain case ends in self-care, with every
        question that matters asked.
        """
        interview, prompts = follow(Interview(), answers_of(plain_strain()))

        assert Urgency.SELF_CARE is interview.escalation.level
        assert interview.escalation.screening_complete
        # Each group was "none of these", which answers what it showed.
        shown = {q.id for p in prompts if p.is_group for q in p.questions}
        assert {p.id for p in prompts} | shown == interview.asked

    def test_complete_screening_asks_nothing(self) -> None:
        """
        A complete screening has no next question.
        """
        assert next_question(plain_strain()) is None

    def test_an_emergency_one_answer_short_of_an_ambulance_goes_on(
        self,
    ) -> None:
        """
        Pregnant with tummy pain is an emergency, but bleeding would make
        it an ambulance: the interview asks about bleeding, and only that.
        """
        interview = (
            Interview()
            .answer("pregnant", value=True)
            .answer("abdominal_pain", value=True)
        )
        assert Urgency.EMERGENCY == interview.escalation.level

        prompt = interview.next_question()

        assert prompt is not None
        assert "pregnancy_bleeding" == prompt.id
        done = interview.answer("pregnancy_bleeding", value=True)
        assert Urgency.AMBULANCE == done.escalation.level
        assert done.next_question() is None
        assert (
            interview.answer("pregnancy_bleeding", value=False).next_question()
            is None
        )

    def test_pregnancy_is_asked_before_the_ambulance_red_flags(
        self,
    ) -> None:
        """
        "Are you pregnant?" gates a pregnancy ambulance rule, so it comes
        before every red flag, even with some already answered; a "yes"
        brings the ambulance red flags next (the pregnancy warning signs
        can call for an emergency department, which would end the
        interview), and then the rest of the pregnancy ambulance rule
        (bleeding, tummy pain).
        """
        some = Assessment.from_answers(
            {"major_trauma": False, "urinary_retention": False}
        )
        first = next_question(some)
        assert first is not None
        assert "pregnant" == first.id

        interview = Interview().answer("pregnant", value=True)
        prompt = interview.next_question()
        assert prompt is not None
        assert Urgency.AMBULANCE is prompt.red_flag
        for flag, level in RED_FLAGS.items():
            if level is Urgency.AMBULANCE:
                interview = interview.answer(flag, value=False)
        signs = interview.next_question()
        assert signs is not None
        assert {q.id for q in signs.questions} & {
            "pregnancy_bleeding",
            "abdominal_pain",
        }

    @pytest.mark.parametrize(
        "finding",
        [f for f, level in RED_FLAGS.items() if level >= Urgency.EMERGENCY],
    )
    def test_emergency_answer_ends_early(self, finding: str) -> None:
        """
        "The interview ends early as soon as an emergency-level answer is
        given": nothing else is asked.
        """
        interview = Interview().answer(finding, value=True)

        assert interview.next_question() is None
        assert Urgency.EMERGENCY <= interview.escalation.level

    def test_dont_know_is_not_asked_again(self) -> None:
        """
        A question answered "don't know" is not asked again, and the
        interview still ends, short of self-care.
        """
        interview, prompts = follow(Interview(), {})

        assert len({p.id for p in prompts}) == len(prompts)
        assert Urgency.ROUTINE <= interview.escalation.level
        assert not interview.escalation.screening_complete

    def test_asked_numbers_are_skipped(self) -> None:
        """
        A number passed in ``asked`` is not asked even though unknown.
        """
        assessment = Assessment.from_answers(
            {
                q: False
                for q in QUESTIONS
                if QUESTIONS[q].kind is AnswerKind.YES_NO
            }
        )
        first = next_question(assessment)
        assert first is not None

        after = next_question(assessment, asked=[first.id])

        assert after is None or first.id != after.id

    @given(st.data())
    def test_never_self_care_with_a_red_flag_unasked(
        self, data: st.DataObject
    ) -> None:
        """
        "An interview that is followed to its end never leaves a red-flag
        question unasked before returning self-care": whatever the
        answers, it ends, asks each question at most once, asks red flags
        first (only a gate or a started rule at least as urgent comes
        before one), and ends in self-care only with every red flag
        answered.
        """
        interview = Interview()
        seen: list[Prompt] = []
        early: list[Urgency] = []  # levels of non-flags asked so far
        while (prompt := interview.next_question()) is not None:
            assert prompt.id not in {p.id for p in seen}
            seen.append(prompt)
            if prompt.red_flag is None:
                early.append(_priority(interview, prompt))
            else:
                # Red flags first: only a gate or a started rule at least
                # as urgent comes before one.
                assert all(prompt.red_flag <= level for level in early)
            value: Answer | int | None
            if prompt.kind is AnswerKind.YES_NO:
                value = data.draw(ANSWERS, label=prompt.id)
            else:
                value = data.draw(
                    st.none() | numbers(prompt.id), label=prompt.id
                )
                if prompt.id == "duration_days" and value is not None:
                    age = interview.assessment.age_years
                    value = min(value, (16 if age is None else age) * 365)
            interview = interview.answer(prompt.id, value)
        escalation = evaluate(interview.assessment)
        if escalation.level is Urgency.SELF_CARE:
            unknown = [
                f
                for f in RED_FLAGS
                if interview.assessment.answer(f) is not Answer.PRESENT
                and interview.assessment.answer(f) is not Answer.ABSENT
            ]
            assert [] == unknown


class TestAnswer:
    """
    Recording answers.
    """

    def test_yes_no_values(self) -> None:
        """
        True, False, None and Answer members are all accepted.
        """
        interview = (
            Interview()
            .answer("fever", value=True)
            .answer("chest_pain", value=False)
            .answer("cancer_history", None)
            .answer("weight_loss", Answer.ABSENT)
        )

        assert {
            "fever": Answer.PRESENT,
            "chest_pain": Answer.ABSENT,
            "cancer_history": Answer.UNKNOWN,
            "weight_loss": Answer.ABSENT,
        } == {s.finding: s.answer for s in interview.assessment.symptoms}
        assert {
            "fever",
            "chest_pain",
            "cancer_history",
            "weight_loss",
        } == interview.asked

    def test_numbers(self) -> None:
        """
        A number is set on the assessment; None leaves it unknown.
        """
        interview = (
            Interview().answer("age_years", 40).answer("pain_score", None)
        )

        assert 40 == interview.assessment.age_years
        assert interview.assessment.pain_score is None
        assert {"age_years", "pain_score"} == interview.asked

    def test_unknown_question(self) -> None:
        """
        An unknown question id is an error.
        """
        with pytest.raises(UnknownFindingError):
            Interview().answer("fevr", value=True)

    def test_wrong_value_for_yes_no(self) -> None:
        """
        A number is not an answer to a yes/no question.
        """
        with pytest.raises(InvalidTypeError, match="fever=3"):
            Interview().answer("fever", 3)

    def test_number_out_of_range(self) -> None:
        """
        The model's limits apply to interview answers.
        """
        with pytest.raises(InvalidValueError, match="pain_score"):
            Interview().answer("pain_score", 11)


class TestArguments:
    """
    Bad arguments are the library's own errors.
    """

    def test_asked_must_be_ids(self) -> None:
        """
        asked is an iterable of question ids, not a string.
        """
        with pytest.raises(InvalidTypeError, match="asked"):
            next_question(Assessment(), asked="fever")
        with pytest.raises(InvalidTypeError, match="asked"):
            next_question(Assessment(), asked=3)  # type: ignore[arg-type]
        with pytest.raises(UnknownFindingError, match="nope"):
            next_question(Assessment(), asked=["fever", "nope"])

    def test_interview_fields(self) -> None:
        """
        An interview holds an Assessment and a RuleSet.
        """
        with pytest.raises(InvalidTypeError):
            Interview(assessment={})  # type: ignore[arg-type]
        with pytest.raises(InvalidTypeError):
            Interview(rules=[])  # type: ignore[arg-type]

    def test_prompt_is_json_ready(self) -> None:
        """
        Prompt fields are plain values a chatbot can show.
        """
        prompt = next_question(Assessment())
        assert prompt is not None

        assert json.dumps(list(prompt.why))
