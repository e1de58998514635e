# SPDX-License-Identifier: MIT
"""
Grouped prompts: "Do you have any of these?" (issue 12, item 1).

A group answered "none of these" answers what it showed "no"; "yes" and
"not sure" lead to its questions one by one, so "not sure" never becomes
"no"; a simulated patient never ends below what evaluate() gives for what
they know; and the short interview meets its targets.
"""

from __future__ import annotations

import attrs
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
    UnknownFindingError,
    Urgency,
    dump_prompt,
    evaluate,
    json_schema,
    next_question,
)

from .derived_vignettes import VIGNETTES, Vignette, _follow, interview_level
from .strategies import FINDINGS, complete_assessments

RED_FLAGS = DEFAULT_RULES.red_flags


class TestGroupData:
    """
    Groups are data beside the questions, each question in one group at
    most, and emergency signs only with signs as clear as themselves.
    """

    def test_members_are_yes_no_questions_in_one_group_each(self) -> None:
        """
        Every member is a yes/no question, in no other group; every group
        has two or more members and an id that is not a question id.
        """
        seen: list[str] = []
        for group in GROUPS.values():
            assert group.id not in QUESTIONS
            assert len(group.members) >= 2
            assert group.text.endswith("?")
            for member in group.members:
                assert AnswerKind.YES_NO is QUESTIONS[member].kind
            seen += group.members

        assert len(seen) == len(set(seen))

    def test_emergency_signs_are_grouped_only_with_emergency_signs(
        self,
    ) -> None:
        """
        A group holding an ambulance sign holds only signs that refer on
        their own at emergency level or above (no vague "not sure" items).
        """
        for group in GROUPS.values():
            levels = [RED_FLAGS.get(m) for m in group.members]
            if Urgency.AMBULANCE in levels:
                assert all(
                    level is not None and level >= Urgency.EMERGENCY
                    for level in levels
                )


def _not_pregnant() -> Interview:
    """
    An interview past its first question, "are you pregnant?" (no): next
    comes the group of ambulance warning signs.
    """
    return Interview(assessment=Assessment.from_answers({"pregnant": False}))


class TestAnsweringAGroup:
    """
    "None of these" answers every shown question "no"; "yes" and
    "not sure" answer nothing.
    """

    def test_none_of_these_answers_what_was_shown(self) -> None:
        """
        Every question the group showed is absent and asked; nothing else
        is answered.
        """
        interview = Interview()
        prompt = interview.next_question()
        assert prompt is not None

        after = interview.answer(prompt.id, value=False)

        shown = {q.id for q in prompt.questions}
        assert {s.finding for s in after.assessment.symptoms} == shown
        assert all(Answer.ABSENT is after.assessment.answer(q) for q in shown)
        assert {prompt.id} | shown == after.asked

    @pytest.mark.parametrize("value", [True, None, Answer.UNKNOWN])
    def test_yes_and_not_sure_answer_nothing(
        self, value: bool | Answer | None
    ) -> None:
        """
        After "yes" or "not sure", nothing is answered and the group's
        questions come one by one, most urgent first.
        """
        interview = _not_pregnant()
        group = interview.next_question()
        assert group is not None

        after = interview.answer(group.id, value)
        first = after.next_question()

        assert interview.assessment.symptoms == after.assessment.symptoms
        assert {group.id} == after.asked
        assert first is not None
        assert not first.is_group
        assert first.id == group.questions[0].id

    def test_a_group_not_being_asked_is_refused(self) -> None:
        """
        Answering a group that is not on offer (already answered, or with
        fewer than two questions left) is an error naming it.
        """
        interview = _not_pregnant()
        group = interview.next_question()
        assert group is not None
        done = interview.answer(group.id, value=None)

        no_cramps = Interview(
            assessment=Assessment.from_answers({"widespread_cramps": False})
        )

        with pytest.raises(InvalidValueError, match=group.id):
            done.answer(group.id, value=False)
        # Without cramps, neither of this group's questions matters.
        with pytest.raises(InvalidValueError, match="group_cramps"):
            no_cramps.answer("group_cramps", value=False)

    def test_a_group_takes_a_yes_no_answer(self) -> None:
        """
        A number is no answer to a group.
        """
        with pytest.raises(InvalidTypeError, match="group_emergency_signs"):
            Interview().answer("group_emergency_signs", 3)

    def test_asked_accepts_group_ids_and_refuses_others(self) -> None:
        """
        A group id may be passed as asked; an unknown id may not.
        """
        assert next_question(Assessment(), asked=["group_emergency_signs"])
        with pytest.raises(UnknownFindingError, match="group_nonsense"):
            next_question(Assessment(), asked=["group_nonsense"])

    def test_a_group_shows_only_questions_that_still_matter(self) -> None:
        """
        Questions already answered, or no longer needed, are not shown.
        """
        assessment = Assessment.from_answers(
            {"chest_pain": False, "pregnant": False}
        )

        prompt = next_question(assessment)

        assert prompt is not None
        assert "chest_pain" not in {q.id for q in prompt.questions}
        assert prompt.is_group

    def test_json_shows_the_group_and_its_questions(self) -> None:
        """
        dump_prompt() lists the group's questions, and the prompt schema
        describes them.
        """
        prompt = Interview().next_question()
        assert prompt is not None

        body = dump_prompt(prompt)

        assert prompt.id == body["id"]
        assert [q.id for q in prompt.questions] == [
            q["id"] for q in body["questions"]
        ]
        assert "questions" in json_schema("prompt")["required"]


@st.composite
def patients(draw: st.DrawFn) -> tuple[Assessment, frozenset[str]]:
    """
    A person who knows every answer but is unsure of a few findings: the
    truth, and the findings they would answer "not sure".
    """
    truth = draw(complete_assessments())
    unsure = draw(st.frozensets(st.sampled_from(FINDINGS), max_size=6))
    return truth, unsure


def _interview_as(
    truth: Assessment, unsure: frozenset[str], *, multiselect: bool
) -> Interview:
    """
    The interview answered truthfully by a person unsure of *unsure*.
    """

    def knows(question: str) -> Answer:
        return Answer.UNKNOWN if question in unsure else truth.answer(question)

    interview = Interview()
    for _ in range(len(QUESTIONS) + len(GROUPS) + 1):
        prompt = interview.next_question()
        if prompt is None:
            return interview
        if prompt.is_group:
            answers = {knows(q.id) for q in prompt.questions}
            if answers == {Answer.ABSENT}:
                interview = interview.answer(prompt.id, value=False)
                continue
            yes = Answer.PRESENT in answers
            interview = interview.answer(prompt.id, True if yes else None)
            if multiselect:
                for question in prompt.questions:
                    interview = interview.answer(
                        question.id, knows(question.id)
                    )
        elif QUESTIONS[prompt.id].kind is AnswerKind.INTEGER:
            interview = interview.answer(prompt.id, truth.number(prompt.id))
        else:
            interview = interview.answer(prompt.id, knows(prompt.id))
    pytest.fail("the interview did not end")


class TestSimulatedPatients:
    """
    "A simulated patient with any set of findings, answering truthfully
    (including 'not sure'), never ends at self-care when a red flag is
    present, and always ends at least at the level evaluate gives with
    every answer known; 'not sure' never becomes 'no'."
    """

    @given(patients(), st.booleans())
    def test_never_below_what_the_person_knows(
        self,
        patient: tuple[Assessment, frozenset[str]],
        multiselect: bool,
    ) -> None:
        """
        The interview ends at least at evaluate()'s level for what the
        person knows; with a red flag present, never at self-care; with
        nothing unsure, at least at evaluate()'s level for the whole truth.
        """
        truth, unsure = patient
        known = truth
        for finding in unsure:
            known = known.with_answer(finding, Answer.UNKNOWN)

        ended = _interview_as(truth, unsure, multiselect=multiselect)
        level = ended.escalation.level

        assert evaluate(known).level <= level
        if any(known.answer(f) is Answer.PRESENT for f in RED_FLAGS):
            assert Urgency.SELF_CARE < level
        if not unsure:
            assert evaluate(truth).level <= level

    @pytest.mark.parametrize("multiselect", [False, True])
    @pytest.mark.parametrize(
        "sign",
        [f for f, level in RED_FLAGS.items() if level is Urgency.EMERGENCY],
    )
    @pytest.mark.parametrize(
        "vignette",
        [
            v
            for v in VIGNETTES
            if evaluate(v.assessment()).level is Urgency.AMBULANCE
        ],
        ids=lambda v: v.id,
    )
    def test_an_emergency_sign_never_hides_an_ambulance(
        self, vignette: Vignette, sign: str, multiselect: bool
    ) -> None:
        """
        An emergency answer ends the interview, so every question an
        ambulance rule hangs on comes first: each ambulance case, with any
        emergency sign as well, still ends at the ambulance. (Found by the
        property above: pregnant, bleeding and tummy pain, with trouble
        walking, used to end at the emergency department.)
        """
        truth = vignette.assessment().with_answer(sign, Answer.PRESENT)

        ended = _interview_as(truth, frozenset(), multiselect=multiselect)

        assert Urgency.AMBULANCE is ended.escalation.level

    @given(patients(), st.booleans())
    def test_not_sure_never_becomes_no(
        self,
        patient: tuple[Assessment, frozenset[str]],
        multiselect: bool,
    ) -> None:
        """
        A finding the person was unsure of is never recorded as absent,
        and every recorded answer is the person's own.
        """
        truth, unsure = patient

        ended = _interview_as(truth, unsure, multiselect=multiselect)

        for symptom in ended.assessment.symptoms:
            if symptom.finding in unsure:
                assert Answer.ABSENT is not symptom.answer
                assert Answer.UNKNOWN is symptom.answer
            else:
                assert truth.answer(symptom.finding) is symptom.answer


class TestTargets:
    """
    "A plain strain reaches self-care in 12 prompts or fewer; cauda
    equina symptoms reach the emergency result in 4 or fewer."
    """

    @pytest.mark.parametrize("multiselect", [False, True])
    @pytest.mark.parametrize(
        "vignette",
        [
            v
            for v in VIGNETTES
            if v.family == "mechanical strain"
            and v.present == {"minor_strain_onset"}
        ],
        ids=lambda v: v.id,
    )
    def test_a_plain_strain_reaches_self_care_in_12(
        self, vignette: Vignette, multiselect: bool
    ) -> None:
        """
        The plain strains (nothing but a sudden start after lifting,
        twisting or the gym) need at most 12 prompts, on any client.
        """
        level, prompts = interview_level(vignette, multiselect=multiselect)

        assert Urgency.SELF_CARE == level
        assert prompts <= 12

    def test_a_yes_inside_a_group_costs_its_questions(self) -> None:
        """
        A strain with night pain (one weak flag, still self-care) needs 12
        prompts with tick boxes; one by one, the "yes" to its group brings
        that group's questions one at a time.
        """
        night = next(v for v in VIGNETTES if v.id == "plain-strain-night-pain")

        assert (Urgency.SELF_CARE, 12) == interview_level(
            night, multiselect=True
        )
        level, prompts = interview_level(night, multiselect=False)
        assert Urgency.SELF_CARE == level
        assert 12 < prompts <= 12 + len(GROUPS["group_pain_pattern"].members)

    @pytest.mark.parametrize(
        "finding",
        [
            f
            for f in DEFAULT_RULES["cauda_equina"].criterion.questions
            if f in RED_FLAGS
        ],
    )
    def test_cauda_equina_symptoms_reach_the_emergency_in_4(
        self, finding: str
    ) -> None:
        """
        Each cauda equina symptom alone, on a plain strain, reaches the
        emergency result within 4 prompts on a client that shows a group's
        questions as tick boxes. One by one it takes up to 5 more: the
        group's questions before it, and "are you pregnant?", which must
        come before any emergency sign (an emergency answer ends the
        interview, and a pregnancy ambulance rule hangs on it).
        """
        strain = next(v for v in VIGNETTES if v.id == "plain-strain-lifting")
        truth = strain.assessment().with_answer(finding, Answer.PRESENT)

        level, ticked = _follow(truth, multiselect=True)
        one_by_one_level, one_by_one = _follow(truth, multiselect=False)

        assert Urgency.EMERGENCY == level == one_by_one_level
        assert ticked <= 4
        assert one_by_one <= 4 + 5


def test_follow_counts_prompts() -> None:
    """
    The scripted patient counts one prompt per question or group shown.
    """
    strain = next(v for v in VIGNETTES if v.id == "plain-strain-lifting")
    truth = attrs.evolve(strain.assessment(), episodes_past_year=None)

    level, prompts = _follow(truth, multiselect=False)

    assert Urgency.ROUTINE == level  # a number the person did not know
    assert prompts == 12
