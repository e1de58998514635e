# SPDX-License-Identifier: MIT
"""
The web interview at /interview, over HTTP on a real uvicorn server.

A scripted patient reads each page as a browser would (its hidden fields
and controls) and submits the form, exactly as a person clicking through
the page without JavaScript does.
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Iterator, Mapping

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from spasmcare import (
    DEFAULT_RULES,
    GROUPS,
    QUESTIONS,
    REGIONS,
    Answer,
    AnswerKind,
    Assessment,
    Interview,
    Urgency,
    evaluate,
)
from spasmcare.service._state import MAX_STEPS
from spasmcare.service._web import LEVEL_HEADINGS

from .derived_vignettes import VIGNETTES
from .pages import Page, read_page
from .servers import running_server
from .strategies import FINDINGS, complete_assessments

_FORM = {"Content-Type": "application/x-www-form-urlencoded"}


@pytest.fixture(scope="module")
def client() -> Iterator[httpx.Client]:
    """
    An HTTP client of a server started for this module.
    """
    with (
        running_server() as url,
        httpx.Client(base_url=url, timeout=10) as client,
    ):
        yield client


def _post(
    client: httpx.Client,
    steps: list[str],
    path: str = "/interview",
    *,
    pairs: list[tuple[str, str]] | None = None,
    **fields: str,
) -> httpx.Response:
    data: list[tuple[str, str]] = [("step", step) for step in steps]
    data += list(fields.items()) + (pairs or [])
    return client.post(
        path, content=urllib.parse.urlencode(data), headers=_FORM
    )


#: The first question, "are you pregnant?", answered "no": next comes the
#: group of emergency signs.
_START = ["pregnant=no"]


def _group_page(client: httpx.Client) -> Page:
    """
    The page after the first question: the emergency signs, as a group.
    """
    return read_page(
        _post(
            client, [], question="pregnant", answer="no", action="continue"
        ).text
    )


def _token(answer: Answer) -> str:
    return {
        Answer.PRESENT: "yes",
        Answer.ABSENT: "no",
        Answer.UNKNOWN: "unsure",
    }[answer]


def _reply(
    page: Page, knows: Mapping[str, Answer], truth: Assessment
) -> list[tuple[str, str]]:
    """
    The fields a truthful person submits on a question page.
    """
    question = page.question
    assert question is not None
    fields = [("question", question)]
    if question in GROUPS:
        shown = [value for _, value, _ in page.choices]
        members = [q for q in shown if q in QUESTIONS]
        assert [*members, "none", "unsure"] == shown
        answers = {q: knows[q] for q in members}
        if set(answers.values()) == {Answer.ABSENT}:
            ticks = ["none"]
        else:
            ticks = [q for q, a in answers.items() if a is Answer.PRESENT]
            if Answer.UNKNOWN in answers.values():
                ticks.append("unsure")
        return [
            *fields,
            *(("answer", t) for t in ticks),
            ("action", "continue"),
        ]
    if QUESTIONS[question].kind is AnswerKind.INTEGER:
        number = truth.number(question)
        if number is None:
            return [*fields, ("action", "unsure")]
        return [*fields, ("number", str(number)), ("action", "continue")]
    return [
        *fields,
        ("answer", _token(knows[question])),
        ("action", "continue"),
    ]


def _walk(
    client: httpx.Client,
    truth: Assessment,
    unsure: frozenset[str] = frozenset(),
) -> tuple[Page, int]:
    """
    Answer the interview in the page as *truth*, unsure of *unsure*.

    Returns:
        The last page, and the number of question pages seen.
    """
    knows = {
        f: Answer.UNKNOWN if f in unsure else truth.answer(f) for f in FINDINGS
    }
    page = read_page(client.get("/interview").text)
    prompts = 0
    while page.question is not None:
        prompts += 1
        assert prompts <= MAX_STEPS
        response = _post(client, page.steps, pairs=_reply(page, knows, truth))
        assert 200 == response.status_code, response.text
        page = read_page(response.text)
    return page, prompts


def _library(truth: Assessment, unsure: frozenset[str]) -> tuple[Urgency, int]:
    """
    The same person through the library's Interview: the oracle.

    A group is answered as its tick boxes are: "none of these" when no
    question applies; otherwise those that apply "yes", and the others
    "no" unless the person is unsure of some (then they come one by one).
    """

    def knows(question: str) -> Answer:
        return Answer.UNKNOWN if question in unsure else truth.answer(question)

    interview = Interview()
    prompts = 0
    while (prompt := interview.next_question()) is not None:
        prompts += 1
        if prompt.is_group:
            answers = {q.id: knows(q.id) for q in prompt.questions}
            if set(answers.values()) == {Answer.ABSENT}:
                interview = interview.answer(prompt.id, value=False)
                continue
            present = [q for q, a in answers.items() if a is Answer.PRESENT]
            interview = interview.answer(prompt.id, True if present else None)
            for question, known in answers.items():
                if known is Answer.PRESENT:
                    interview = interview.answer(question, value=True)
                elif present and Answer.UNKNOWN not in answers.values():
                    interview = interview.answer(question, value=False)
        elif prompt.kind is AnswerKind.INTEGER:
            interview = interview.answer(prompt.id, truth.number(prompt.id))
        else:
            interview = interview.answer(prompt.id, knows(prompt.id))
    return interview.escalation.level, prompts


def _plain_strain() -> Assessment:
    return next(
        v.assessment()
        for v in VIGNETTES
        if v.family == "mechanical strain"
        and v.present == {"minor_strain_onset"}
    )


class TestFirstPage:
    """
    GET /interview asks the first question, accessibly and safely.
    """

    def test_it_asks_the_first_question(self, client: httpx.Client) -> None:
        """
        The page is in English and asks the library's first prompt, a
        yes/no question; the next lists the group's questions as tick
        boxes.
        """
        response = client.get("/interview")
        page = read_page(response.text)
        first = Interview().next_question()
        assert first is not None
        group = Interview().answer(first.id, value=False).next_question()
        assert group is not None

        grouped = _group_page(client)

        assert 200 == response.status_code
        assert "text/html; charset=utf-8" == response.headers["content-type"]
        assert "en" == page.lang
        assert first.id == page.question
        assert first.text == page.heading
        assert ["yes", "no", "unsure"] == [
            value for _, value, _ in page.choices
        ]
        assert {"radio"} == page.kinds
        assert [] == page.steps
        assert group.id == grouped.question
        assert group.text == grouped.heading
        assert [q.id for q in group.questions] + ["none", "unsure"] == [
            value for _, value, _ in grouped.choices
        ]
        assert {"checkbox"} == grouped.kinds
        assert _START == grouped.steps
        assert first.purpose in page.text  # why we ask, in plain words
        assert group.purpose in grouped.text

    def test_every_control_has_a_label(self, client: httpx.Client) -> None:
        """
        Each radio button and tick box has a label; each button has words.
        """
        for page in (
            read_page(client.get("/interview").text),
            _group_page(client),
        ):
            assert len(page.choices) >= 3
            for choice_id, _, _ in page.choices:
                assert page.labels[choice_id]
            assert all(text for _, _, text in page.buttons)

    def test_health_data_is_never_cached(self, client: httpx.Client) -> None:
        """
        Pages are not stored by caches, load nothing from elsewhere and
        run no scripts.
        """
        headers = client.get("/interview").headers

        assert "no-store" == headers["cache-control"]
        assert "default-src 'none'" in headers["content-security-policy"]
        assert "script-src" not in headers["content-security-policy"]
        assert "nosniff" == headers["x-content-type-options"]

    def test_the_stylesheet_is_served(self, client: httpx.Client) -> None:
        """
        The one stylesheet the pages link is there.
        """
        response = client.get("/interview/interview.css")

        assert 200 == response.status_code
        assert response.headers["content-type"].startswith("text/css")
        assert "--text:" in response.text


class TestPaths:
    """
    Scripted patients reach the same result as through the library.
    """

    def test_a_plain_strain_reaches_self_care(
        self, client: httpx.Client
    ) -> None:
        """
        A plain mechanical strain ends at the self-care plan, in as many
        prompts as the library's interview asks (12 or fewer).
        """
        truth = _plain_strain()

        page, prompts = _walk(client, truth)

        assert (Urgency.SELF_CARE, prompts) == _library(truth, frozenset())
        assert prompts <= 12
        assert LEVEL_HEADINGS[Urgency.SELF_CARE] == page.heading
        assert "If things get worse" in page.text
        assert "Your plan" in page.text

    @pytest.mark.parametrize(
        "finding",
        sorted(
            f
            for f in DEFAULT_RULES["cauda_equina"].criterion.questions
            if f in DEFAULT_RULES.red_flags
        ),
    )
    def test_cauda_equina_reaches_the_emergency_page(
        self, client: httpx.Client, finding: str
    ) -> None:
        """
        Each cauda equina symptom on a plain strain ends at "go to an
        emergency department now" in 4 prompts or fewer (the group's
        tick boxes), with nothing that competes with the action.
        """
        truth = _plain_strain().with_answer(finding, Answer.PRESENT)

        page, prompts = _walk(client, truth)

        assert (Urgency.EMERGENCY, prompts) == _library(truth, frozenset())
        assert prompts <= 4
        assert (
            REGIONS["uk"].fill(LEVEL_HEADINGS[Urgency.EMERGENCY])
            == page.heading
        )
        assert "If things get worse" not in page.text
        assert f"You said yes to: {QUESTIONS[finding].label}." in page.text
        assert "(rule cauda_equina)" in page.text

    @settings(
        max_examples=15,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture],
    )
    @given(
        complete_assessments(),
        st.frozensets(st.sampled_from(FINDINGS), max_size=6),
    )
    def test_the_page_ends_where_the_library_does(
        self,
        client: httpx.Client,
        truth: Assessment,
        unsure: frozenset[str],
    ) -> None:
        """
        Any person, answering truthfully and sometimes "not sure", ends on
        the page at the level and after the prompts that the library's
        interview gives, never below evaluate()'s level for what they
        said (bounded: each example is a whole interview over HTTP).
        """
        page, prompts = _walk(client, truth, unsure)
        level, expected_prompts = _library(truth, unsure)
        known = truth
        for finding in unsure:
            known = known.with_answer(finding, Answer.UNKNOWN)

        assert REGIONS["uk"].fill(LEVEL_HEADINGS[level]) == page.heading
        assert expected_prompts == prompts
        assert evaluate(known).level <= level


class TestBackAndNotSure:
    """
    "Back" undoes the last answer; "not sure" is never read as "no".
    """

    def test_back_asks_the_last_question_again(
        self, client: httpx.Client
    ) -> None:
        """
        Back returns to the previous question, with the answer that was
        given chosen, and drops it from the answers carried.
        """
        first = _group_page(client)
        second = read_page(
            _post(
                client,
                _START,
                question=str(first.question),
                answer="none",
                action="continue",
            ).text
        )

        back = read_page(
            _post(
                client,
                second.steps,
                question=str(second.question),
                action="back",
            ).text
        )

        assert first.question == back.question
        assert _START == back.steps
        assert ["none"] == back.chosen

    def test_back_on_the_result_changes_the_last_answer(
        self, client: httpx.Client
    ) -> None:
        """
        From the result page, back asks the last question again.
        """
        result, _ = _walk(client, _plain_strain())

        back = read_page(_post(client, result.steps, action="back").text)

        assert back.question is not None
        assert result.steps[:-1] == back.steps
        assert result.steps[-1].startswith(back.question + "=")

    def test_back_on_a_number_shows_the_number(
        self, client: httpx.Client
    ) -> None:
        """
        Going back to a number question shows the number typed.
        """
        result, _ = _walk(client, _plain_strain())
        steps = result.steps
        index = max(
            i
            for i, step in enumerate(steps)
            if QUESTIONS.get(step.partition("=")[0]) is not None
            and QUESTIONS[step.partition("=")[0]].kind is AnswerKind.INTEGER
        )
        question, _, number = steps[index].partition("=")
        after = steps[: index + 1]
        page = read_page(_post(client, after, action="back").text)

        assert question == page.question
        assert number == page.field_value("number")

    def test_not_sure_about_a_group_asks_its_questions(
        self, client: httpx.Client
    ) -> None:
        """
        "Not sure" about a group asks its questions one by one.
        """
        first = _group_page(client)

        page = read_page(
            _post(
                client,
                _START,
                question=str(first.question),
                answer="unsure",
                action="continue",
            ).text
        )

        assert GROUPS[str(first.question)].members[0] == page.question
        assert [*_START, f"{first.question}=unsure"] == page.steps


_NERVES = [*_START, "group_emergency_signs=no"]


class TestTickBoxes:
    """
    A group's tick boxes: what is ticked is "yes", the rest "no", unless
    "not sure" is ticked too; then the rest come one by one.
    """

    def _tick(self, client: httpx.Client, *ticks: str) -> httpx.Response:
        return _post(
            client,
            _NERVES,
            pairs=[
                ("question", "group_nerve_signs"),
                *(("answer", tick) for tick in ticks),
                ("action", "continue"),
            ],
        )

    def test_the_nerve_signs_are_a_group(self) -> None:
        """
        After "no" to pregnancy and "none" to the emergency signs the
        nerve signs are asked together (the premise of the tests below).
        """
        interview = (
            Interview()
            .answer("pregnant", value=False)
            .answer("group_emergency_signs", value=False)
        )
        prompt = interview.next_question()

        assert prompt is not None
        assert "group_nerve_signs" == prompt.id
        assert len(prompt.questions) == len(GROUPS[prompt.id].members)

    def test_ticked_is_yes_and_the_rest_no(self, client: httpx.Client) -> None:
        """
        One tick: that question is "yes", the other questions shown are
        "no" and are not asked again.
        """
        members = set(GROUPS["group_nerve_signs"].members)

        page = read_page(self._tick(client, "one_leg_weakness").text)

        assert [*_NERVES, "group_nerve_signs=yes:one_leg_weakness"] == (
            page.steps
        )
        assert page.question not in members

    def test_ticked_and_not_sure_asks_the_rest(
        self, client: httpx.Client
    ) -> None:
        """
        A tick and "not sure": the other questions come one by one.
        """
        page = read_page(self._tick(client, "one_leg_weakness", "unsure").text)

        assert [
            *_NERVES,
            "group_nerve_signs=unsure:one_leg_weakness",
        ] == page.steps
        assert page.question in GROUPS["group_nerve_signs"].members
        assert "one_leg_weakness" != page.question

    @pytest.mark.parametrize(
        "ticks",
        [("both_legs", "one_leg_weakness", "unsure"), ("one_leg_weakness",)],
    )
    def test_back_shows_the_ticks(
        self, client: httpx.Client, ticks: tuple[str, ...]
    ) -> None:
        """
        Back to a group shows what was ticked.
        """
        page = read_page(self._tick(client, *ticks).text)

        back = read_page(_post(client, page.steps, action="back").text)

        assert "group_nerve_signs" == back.question
        assert list(ticks) == back.chosen

    def test_back_to_a_single_question(self, client: httpx.Client) -> None:
        """
        Back to a yes/no question shows the answer given.
        """
        steps = [*_START, "group_emergency_signs=unsure"]
        page = read_page(
            _post(
                client,
                steps,
                question="major_trauma",
                answer="no",
                action="continue",
            ).text
        )

        back = read_page(_post(client, page.steps, action="back").text)

        assert "major_trauma" == back.question
        assert ["no"] == back.chosen

    @pytest.mark.parametrize(
        ("ticks", "message"),
        [
            ((), "Tick what you have"),
            (("none", "both_legs"), "“None of these” on its own"),
            (("none", "unsure"), "“None of these” on its own"),
        ],
    )
    def test_a_contradiction_is_asked_again(
        self, client: httpx.Client, ticks: tuple[str, ...], message: str
    ) -> None:
        """
        Nothing ticked, or "none of these" with another tick, asks again
        (400), keeping the ticks.
        """
        response = self._tick(client, *ticks)
        page = read_page(response.text)

        assert 400 == response.status_code
        assert "group_nerve_signs" == page.question
        assert message in page.text
        assert sorted(ticks) == sorted(page.chosen)

    @pytest.mark.parametrize(
        "ticks", [("fever",), ("both_legs", "both_legs"), ("yes",)]
    )
    def test_a_tick_not_shown_is_refused(
        self, client: httpx.Client, ticks: tuple[str, ...]
    ) -> None:
        """
        A tick that the page did not show, or a tick sent twice, is a
        tampered form.
        """
        response = self._tick(client, *ticks)

        assert 400 == response.status_code
        assert "Problem: answer:" in response.text

    def test_not_sure_to_everything_never_gives_self_care(
        self, client: httpx.Client
    ) -> None:
        """
        A person unsure of every finding, and of every number, is sent to
        a doctor, never to self-care.
        """
        truth = Assessment()

        page, _ = _walk(client, truth, frozenset(FINDINGS))

        assert LEVEL_HEADINGS[Urgency.SELF_CARE] != page.heading
        assert "Not answered yet" in page.text


class TestPrintView:
    """
    The result can be shown laid out for printing, and back.
    """

    def test_print_and_return(self, client: httpx.Client) -> None:
        """
        The print view shows the same result without the page's buttons,
        and leads back to the result.
        """
        result, _ = _walk(client, _plain_strain())

        printed = _post(client, result.steps, "/interview/print")
        again = _post(client, read_page(printed.text).steps, action="result")

        assert 200 == printed.status_code
        assert 'class="print-view"' in printed.text
        assert result.heading == read_page(printed.text).heading
        assert "Print view" not in printed.text
        assert result.heading == read_page(again.text).heading


class TestTypingMistakes:
    """
    A person's mistakes get the question again with a clear message.
    """

    @pytest.mark.parametrize(
        ("number", "message"),
        [
            ("abc", "whole number from 0 to 120"),
            ("200", "whole number from 0 to 120"),
            ("", "Type a number"),
            ("１２１", "whole number from 0 to 120"),
        ],
    )
    def test_a_bad_number_is_asked_again(
        self, client: httpx.Client, number: str, message: str
    ) -> None:
        """
        A number that is not one, or out of range, asks again (400) with
        the range; the answers so far are kept.
        """
        steps = _steps_to_number(client)

        response = _post(
            client,
            steps,
            question="age_years",
            number=number,
            action="continue",
        )
        page = read_page(response.text)

        assert 400 == response.status_code
        assert "age_years" == page.question
        assert steps == page.steps
        assert message in page.text
        assert "true" == page.field_attribute("number", "aria-invalid")

    def test_no_choice_is_asked_again(self, client: httpx.Client) -> None:
        """
        Continue without choosing an answer asks again.
        """
        response = _post(
            client,
            [*_START, "group_emergency_signs=unsure"],
            question="major_trauma",
            action="continue",
        )
        page = read_page(response.text)

        assert 400 == response.status_code
        assert "major_trauma" == page.question
        assert "Choose one of the answers." in page.text

    def test_i_dont_know_a_number(self, client: httpx.Client) -> None:
        """
        "I don't know" answers a number as unknown and moves on.
        """
        steps = _steps_to_number(client)

        page = read_page(
            _post(client, steps, question="age_years", action="unsure").text
        )

        assert [*steps, "age_years=unsure"] == page.steps


def _steps_to_number(client: httpx.Client) -> list[str]:
    """
    The answers of a plain strain up to the age question.
    """
    result, _ = _walk(client, _plain_strain())
    steps = result.steps
    return steps[
        : next(i for i, s in enumerate(steps) if s.startswith("age_years="))
    ]


class TestUntrustedForms:
    """
    Forms are untrusted input: anything not produced by the interview is
    refused with 400 (or 415), naming the field, and gives no advice.
    """

    @pytest.mark.parametrize(
        ("steps", "fields", "named"),
        [
            (["major_trauma=no"], {}, "step[0]"),
            (["pregnant=no", "group_emergency_signs"], {}, "step[1]"),
            (["pregnant=no", "group_emergency_signs=maybe"], {}, "step[1]"),
            (["pregnant=no", "group_emergency_signs=yes"], {}, "step[1]"),
            (
                ["pregnant=no", "group_emergency_signs=no:chest_pain"],
                {},
                "step[1]",
            ),
            (
                ["pregnant=no", "group_emergency_signs=yes:fever"],
                {},
                "step[1]",
            ),
            (["pregnant=no", "group_emergency_signs=yes:"], {}, "step[1]"),
            (["pregnant=no", "group_emergency_signs=yes:x,x"], {}, "step[1]"),
            (
                [
                    "pregnant=no",
                    "group_emergency_signs=unsure",
                    "major_trauma=2",
                ],
                {},
                "step[2]",
            ),
            (
                ["pregnant=no", "group_emergency_signs=no", "fever=no"],
                {},
                "step[2]",
            ),
            (["pregnant=no"] * (MAX_STEPS + 1), {}, "step"),
            ([], {"action": "dance"}, "action"),
            ([], {"action": "back"}, "action"),
            ([], {"question": "fever", "answer": "no"}, "question"),
            (
                ["pregnant=no"],
                {"question": "group_emergency_signs", "answer": "12"},
                "answer",
            ),
            (
                ["pregnant=no", "group_emergency_signs=unsure"],
                {"question": "major_trauma", "answer": "maybe"},
                "answer",
            ),
            ([], {}, "question"),
            ([], {"action": "result"}, "step"),
        ],
    )
    def test_a_tampered_form_is_refused(
        self,
        client: httpx.Client,
        steps: list[str],
        fields: dict[str, str],
        named: str,
    ) -> None:
        """
        Steps that the interview would not have asked, unknown actions,
        answers for another question: 400, the field named, no result.
        """
        response = _post(client, steps, pairs=list(fields.items()))

        assert 400 == response.status_code
        assert f"Problem: {named}:" in response.text
        assert "Start again" in response.text

    @pytest.mark.parametrize("number", ["abc", "200", "-5", "1e3"])
    def test_a_bad_number_in_the_steps_is_refused(
        self, client: httpx.Client, number: str
    ) -> None:
        """
        A carried number out of range or not a number is refused.
        """
        steps = _steps_to_number(client)

        response = _post(client, [*steps, f"age_years={number}"])

        assert 400 == response.status_code
        assert f"Problem: step[{len(steps)}]:" in response.text

    def test_a_finished_interview_takes_no_more_answers(
        self, client: httpx.Client
    ) -> None:
        """
        Answering after the result is refused.
        """
        result, _ = _walk(client, _plain_strain())

        response = _post(
            client,
            result.steps,
            question="fever",
            answer="yes",
            action="continue",
        )

        assert 400 == response.status_code
        assert "already finished" in response.text

    def test_printing_an_unfinished_interview_is_refused(
        self, client: httpx.Client
    ) -> None:
        """
        The print view needs a finished interview.
        """
        response = _post(client, [], "/interview/print")

        assert 400 == response.status_code
        assert "not finished" in response.text

    def test_a_field_given_twice_is_refused(
        self, client: httpx.Client
    ) -> None:
        """
        One answer per question: a repeated field is refused.
        """
        response = client.post(
            "/interview",
            content=(
                "step=pregnant%3Dno&step=group_emergency_signs%3Dunsure"
                "&question=major_trauma"
                "&answer=no&answer=yes"
            ),
            headers=_FORM,
        )

        assert 400 == response.status_code
        assert "Problem: answer: given more than once" in response.text

    def test_not_a_form_gets_415(self, client: httpx.Client) -> None:
        """
        Only HTML form posts are read.
        """
        response = client.post("/interview", json={"step": []})

        assert 415 == response.status_code

    def test_not_utf8_is_refused(self, client: httpx.Client) -> None:
        """
        A body that is not UTF-8 is refused.
        """
        response = client.post(
            "/interview", content=b"step=\xff\xfe", headers=_FORM
        )

        assert 400 == response.status_code
        assert "not a readable form" in response.text
