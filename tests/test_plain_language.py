# SPDX-License-Identifier: MIT
"""
Every string a person reads is plain: US reading grade 8 or below, most 6
or below (Flesch-Kincaid, textstat 0.7.4, which counts syllables with
pyphen and needs no download); medical terms carry a plain gloss; reasons
read as a person speaks, and no id reaches a person (issue 12, part 3).

Clinician text (rule titles, rationales, evidence notes, citations) is not
held to this: it stays precise.
"""

from __future__ import annotations

import importlib.metadata
import itertools
import re
from collections.abc import Iterator

import pytest
import textstat  # type: ignore[import-untyped]

from spasmcare import (
    DEFAULT_RULES,
    GROUPS,
    QUESTIONS,
    Answer,
    AnswerKind,
    Assessment,
    Urgency,
    evaluate,
    plan_care,
)
from spasmcare import _plan as plan_module
from spasmcare import _selfcare as selfcare
from spasmcare._evaluate import NOT_A_DIAGNOSIS
from spasmcare._safetynet import SIGNS

from .test_rules import EXAMPLES
from .vignettes import plain_strain

#: The grade every patient string must reach, and the one most must.
MAX_GRADE = 8
TARGET_GRADE = 6

#: Medical terms and the plain words that must come with them wherever a
#: person reads them.
GLOSSES = {
    "osteoporosis": "thin or fragile bones",
    "sciatica": "pain down a leg",
    "spondyloarthritis": "arthritis of the spine",
    "psoriasis": "skin",
    "diuretics": "water tablets",
    "immune system": "fight germs",
    "COPD": "lung disease",
    "aneurysm": "swelling of the main blood vessel",
    "saddle area": "between your legs",
    "anti-inflammator": "ibuprofen",
    "acetaminophen": "paracetamol",
    "vomit": "sick",
}


def _steps() -> Iterator[tuple[str, str]]:
    variants = {
        step
        for flags in itertools.product((False, True), repeat=3)
        for step in plan_module._adapted_self_care(*flags)
    }
    extra = (
        selfcare.EXERCISE_PROGRAMME,
        selfcare.EXERCISE_PROGRAMME_PSYCHOLOGICAL,
        *plan_module._INTERIM.values(),
    )
    seen: set[str] = set()
    for step in sorted(variants, key=lambda s: s.id) + list(extra):
        texts = {
            "title": step.title,
            "instructions": step.instructions,
            "timing": step.timing,
        }
        for name, text in texts.items():
            if text is not None:
                yield f"step {step.id} {name}", text
        for caution in step.cautions:
            if caution not in seen:
                seen.add(caution)
                yield f"step {step.id} caution {len(seen)}", caution


def _made(case: Assessment, name: str) -> Iterator[tuple[str, str]]:
    """
    The texts made for one case: the referral, the reasons, the action.
    """
    escalation = evaluate(case)
    plan = plan_care(case, escalation)
    yield f"{name} action", escalation.action
    if plan.referral is not None:
        yield f"{name} referral instructions", plan.referral.instructions
    for reason in plan.reasons:
        yield f"{name} reason {reason.rule}", reason.text


def patient_texts() -> Iterator[tuple[str, str]]:
    """
    Every string a person reads, by a name that says where it comes from.
    """
    for q in QUESTIONS.values():
        yield f"question {q.id} text", q.text
        # A label is read in a list: "We still need to ask about: ...".
        yield (
            f"question {q.id} label",
            f"We still need to ask about: {q.label}.",
        )
        said = q.said.format(value=40)
        yield f"question {q.id} said", f"You said {said}."
        yield f"question {q.id} purpose", q.purpose
    for g in GROUPS.values():
        yield f"group {g.id} text", g.text
        yield f"group {g.id} label", f"We still need to ask about: {g.label}."
        yield f"group {g.id} purpose", g.purpose
        shown = " ".join(
            f"{QUESTIONS[m].label.capitalize()}." for m in g.members
        )
        yield f"group {g.id} as shown", f"{g.text} {shown}"
    for rule in DEFAULT_RULES:
        yield f"rule {rule.id} warning sign", rule.warning_sign
        if rule.advice:
            yield f"rule {rule.id} advice", rule.advice
    for level in Urgency:
        yield f"level {level.value} action", level.action
        yield f"level {level.value} timeframe", level.timeframe
        yield f"level {level.value} if worse", plan_module._IF_WORSE[level]
    yield from _steps()
    for index, tip in enumerate(selfcare.PREVENTION):
        yield f"prevention {index}", tip
    for index, sign in enumerate(SIGNS):
        yield f"safety net sign {index}", sign.text
    yield "notice", NOT_A_DIAGNOSIS
    for rule_id, (case, _) in sorted(EXAMPLES.items()):
        yield from _made(case, f"case {rule_id}")
    yield from _made(plain_strain(pain_score=None), "case incomplete")
    yield from _made(Assessment(), "case nothing answered")


TEXTS = dict(patient_texts())


def _grade(text: str) -> float:
    return float(textstat.flesch_kincaid_grade(text))


class TestReadingGrade:
    """
    US grade 8 or below for every string, 6 or below for most.
    """

    def test_textstat_is_the_pinned_offline_version(self) -> None:
        """
        0.7.5 and later download a dictionary at first use.
        """
        assert "0.7.4" == importlib.metadata.version("textstat")

    def test_the_whole_catalogue_is_read(self) -> None:
        """
        The check reads every question, group, warning sign and step.
        """
        assert len(TEXTS) > 4 * len(QUESTIONS) + len(DEFAULT_RULES)

    def test_every_string_is_grade_8_or_below(self) -> None:
        """
        Failing strings are listed by where they come from.
        """
        failing = {
            name: round(_grade(text), 1)
            for name, text in TEXTS.items()
            if _grade(text) > MAX_GRADE
        }

        assert {} == failing

    def test_most_strings_are_grade_6_or_below(self) -> None:
        """
        At least nine in ten of the strings (94% when this was written).
        """
        easy = [name for name, text in TEXTS.items() if _grade(text) <= 6]

        assert len(easy) >= 0.9 * len(TEXTS)


class TestWording:
    """
    Medical terms glossed; no ids; no negative questions; reasons spoken.
    """

    @pytest.mark.parametrize("term", sorted(GLOSSES))
    def test_medical_terms_carry_a_gloss(self, term: str) -> None:
        """
        Wherever a person reads the term, the plain words come with it.
        """
        bare = [
            name
            for name, text in TEXTS.items()
            if term.lower() in text.lower()
            and GLOSSES[term].lower() not in text.lower()
        ]

        assert [] == bare

    def test_no_id_reaches_a_person(self) -> None:
        """
        No question, group or rule id appears in a patient string.
        """
        ids = {*QUESTIONS, *GROUPS, *(r.id for r in DEFAULT_RULES)}
        pattern = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")

        found = {
            name: pattern.findall(text)
            for name, text in TEXTS.items()
            if set(pattern.findall(text)) & ids
        }

        assert {} == found

    def test_no_negative_questions(self) -> None:
        """
        No question asks "... not ...?": a "yes" must never mean "no".
        """
        # "Has the pain not improved...?", "Can you not pee...?": a
        # negation in the first words of a question.
        negative = re.compile(r"(^|[?.] )(\w+ ){0,3}(not|\w+n't)\b")

        asked = [q.id for q in QUESTIONS.values() if negative.search(q.text)]

        assert [] == asked

    def test_reasons_read_as_a_person_speaks(self) -> None:
        """
        "You said you have a fever or chills.", never "fever: present".
        """
        case = plain_strain()
        case = case.with_answer("fever", Answer.PRESENT)

        plan = plan_care(case, evaluate(case))

        assert "You said you have a fever or chills." == plan.reasons[0].text
        assert plan.referral is not None
        assert "You said you have a fever or chills." in (
            plan.referral.instructions
        )
        assert ": present" not in plan.referral.instructions

    def test_numbers_read_as_a_person_speaks(self) -> None:
        """
        A number fills its sentence: "you are 72 years old".
        """
        for q in QUESTIONS.values():
            assert ("{value}" in q.said) is (q.kind is AnswerKind.INTEGER)
        case = plain_strain(pain_score=9)

        plan = plan_care(case, evaluate(case))

        assert "You said your pain is 9 out of 10." == plan.reasons[0].text

    def test_why_we_ask_is_plain_not_the_rule_title(self) -> None:
        """
        A prompt's purpose is its question's or group's, never a title.
        """
        titles = {rule.title for rule in DEFAULT_RULES}

        for q in QUESTIONS.values():
            assert q.purpose not in titles
            assert q.purpose.startswith(("To check", "Some causes"))
        for g in GROUPS.values():
            assert g.purpose.startswith("To check")
