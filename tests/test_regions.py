# SPDX-License-Identifier: MIT
"""
Regions and translations (issue 10, "Regions"): every region's emergency
texts name its emergency number; a translation can never drop it; the
translation template is current.
"""

from __future__ import annotations

import gettext
import re
from collections.abc import Iterator

import pytest
from babel.messages.pofile import read_po
from tools import pot

from spasmcare import (
    DEFAULT_RULES,
    GROUPS,
    QUESTIONS,
    REGIONS,
    Assessment,
    CarePlan,
    Region,
    Urgency,
    _selfcare,
    evaluate,
    next_question,
    plan_care,
    translate,
    translate_prompt,
)
from spasmcare import _plan as plan_module
from spasmcare._evaluate import NOT_A_DIAGNOSIS
from spasmcare._i18n import N_
from spasmcare._safetynet import SIGNS
from spasmcare.exceptions import InvalidTypeError, InvalidValueError

from .test_plain_language import TEXTS, _steps
from .test_rules import EXAMPLES
from .vignettes import plain_strain, with_present

#: A region a deployer supplies.
NEW_ZEALAND = Region(
    id="nz",
    name="New Zealand",
    emergency_number="111",
    emergency_department="the emergency department",
    urgent_help="call Healthline on 0800 611 116",
)
ALL_REGIONS = [*REGIONS.values(), NEW_ZEALAND]
#: Cases at each level, from the rules' examples.
CASES = {rule_id: case for rule_id, (case, _) in sorted(EXAMPLES.items())}


def _plan(case: Assessment, region: Region) -> CarePlan:
    return plan_care(case, evaluate(case), region=region)


def _action(plan: CarePlan) -> str:
    """
    The plan's action: plan_care always sets it.
    """
    assert plan.action is not None
    return plan.action


def _emergency_texts(plan: CarePlan) -> list[str]:
    """
    What an emergency plan tells a person to do.
    """
    return [
        _action(plan),
        plan.steps[0].title,
        plan.steps[0].instructions,
        plan.steps[1].instructions,
        plan.safety_net.if_worse,
    ]


class _Dropping(gettext.NullTranslations):
    """
    A careless translation: it drops every placeholder.
    """

    def gettext(self, message: str) -> str:
        return re.sub(r"\{[a-z_]+\}", "", message.upper())


class _Faithful(gettext.NullTranslations):
    """
    A translation that keeps its placeholders.
    """

    def gettext(self, message: str) -> str:
        return f"«{message}»"


class TestRegions:
    """
    The UK by default; US, EU and Australia built in; a deployer's own.
    """

    def test_the_built_in_regions(self) -> None:
        """
        999, 911, 112 and 000.
        """
        assert {"uk": "999", "us": "911", "eu": "112", "au": "000"} == {
            r.id: r.emergency_number for r in REGIONS.values()
        }

    @pytest.mark.parametrize("region", ALL_REGIONS, ids=lambda r: r.id)
    @pytest.mark.parametrize("rule_id", sorted(CASES))
    def test_emergency_texts_name_the_regions_number(
        self, region: Region, rule_id: str
    ) -> None:
        """
        At emergency and ambulance levels, the action, the referral, what
        to do on the way and what to do if worse all name the number.
        """
        plan = _plan(CASES[rule_id], region)

        if plan.level >= Urgency.EMERGENCY:
            for text in _emergency_texts(plan):
                assert region.emergency_number in text
        assert region is plan.region

    @pytest.mark.parametrize("region", REGIONS.values(), ids=lambda r: r.id)
    def test_other_regions_numbers_never_appear(self, region: Region) -> None:
        """
        A US plan says 911 and never 999, and so on.
        """
        others = {
            r.emergency_number
            for r in REGIONS.values()
            if r.emergency_number != region.emergency_number
        }
        for case in (*CASES.values(), plain_strain()):
            plan = _plan(case, region)
            words = " ".join(
                [
                    _action(plan),
                    *(s.title + s.instructions for s in plan.steps),
                    *plan.safety_net.signs,
                    plan.safety_net.if_worse,
                ]
            )
            assert not {n for n in others if re.search(rf"\b{n}\b", words)}

    @pytest.mark.parametrize("region", REGIONS.values(), ids=lambda r: r.id)
    def test_other_regions_services_never_appear(self, region: Region) -> None:
        """
        A US plan sends a person to the emergency room (ER), never to the
        UK's emergency department or 111, and so on.
        """
        others = {
            text
            for r in REGIONS.values()
            for text in (r.emergency_department, r.urgent_help)
            if text not in (region.emergency_department, region.urgent_help)
        }
        for case in (*CASES.values(), plain_strain()):
            plan = _plan(case, region)
            words = " ".join(
                [
                    _action(plan),
                    *(s.title + " " + s.instructions for s in plan.steps),
                    *plan.safety_net.signs,
                    plan.safety_net.if_worse,
                ]
            )
            assert not {t for t in others if t in words}

    def test_the_urgent_service_is_the_regions(self) -> None:
        """
        Same day: 111 in the UK, healthdirect in Australia.
        """
        case = with_present(plain_strain(), "fever")

        assert "call 111" in _action(_plan(case, REGIONS["uk"]))
        assert "healthdirect" in _action(_plan(case, REGIONS["au"]))

    def test_self_care_says_the_number_for_an_emergency(self) -> None:
        """
        What to do if things get worse names the region's number.
        """
        for region in ALL_REGIONS:
            net = _plan(plain_strain(), region).safety_net
            assert region.emergency_number in net.if_worse

    def test_default_is_the_uk_and_matches_the_escalation(self) -> None:
        """
        Without a region, the plan speaks as the escalation does.
        """
        case = with_present(plain_strain(), "chest_pain")
        escalation = evaluate(case)

        plan = plan_care(case, escalation)

        assert REGIONS["uk"] is plan.region
        assert escalation.action == plan.action
        assert "Call an ambulance now on 999." == plan.action

    @pytest.mark.parametrize(
        ("field", "value"),
        [
            ("emergency_number", "nine"),
            ("emergency_number", "1"),
            ("name", " "),
        ],
    )
    def test_a_bad_region_is_refused(self, field: str, value: str) -> None:
        """
        The number must be digits; texts must not be blank.
        """
        fields = {
            "id": "x",
            "name": "X",
            "emergency_number": "123",
            "emergency_department": "the hospital",
            "urgent_help": "call your doctor",
            field: value,
        }

        with pytest.raises(InvalidValueError) as e:
            Region(**fields)

        assert f"Region.{field}" == e.value.field

    def test_plan_care_refuses_a_region_of_the_wrong_type(self) -> None:
        """
        By name.
        """
        case = plain_strain()

        with pytest.raises(InvalidTypeError) as e:
            plan_care(case, evaluate(case), region="us")  # type: ignore[arg-type]

        assert "region" == e.value.field


class TestNoNumberInTheMessages:
    """
    Numbers come from the region, never from a message.
    """

    def test_no_patient_string_holds_a_number_itself(self) -> None:
        """
        No message names 999, 911, 112 or 000 in its own words; the case
        texts (filled for the UK) are left out.
        """
        numbers = re.compile(r"\b(999|911|112|000)\b")

        found = {
            name: text
            for name, text in TEXTS.items()
            if not name.startswith(("case ", "level "))
            and numbers.search(text)
        }

        assert {} == found


class TestTranslations:
    """
    Marked strings translate; a translation never drops a placeholder.
    """

    def test_a_translation_is_used(self) -> None:
        """
        A faithful translation replaces the message.
        """
        message = N_("Call an ambulance now on {emergency_number}.")

        assert "«Call an ambulance now on 911.»" == REGIONS["us"].fill(
            message, _Faithful()
        )

    def test_a_translation_that_drops_the_number_is_not_used(self) -> None:
        """
        The English message is used instead, with the number.
        """
        message = N_("Call an ambulance now on {emergency_number}.")

        assert "Call an ambulance now on 000." == REGIONS["au"].fill(
            message, _Dropping()
        )
        assert "Book an appointment." == translate(
            "Book an appointment.", gettext.NullTranslations()
        )

    def test_a_prompt_translates(self) -> None:
        """
        A prompt's text, label, purpose and questions.
        """
        prompt = next_question(Assessment())
        assert prompt is not None

        translated = translate_prompt(prompt, _Faithful())

        assert f"«{prompt.text}»" == translated.text
        assert f"«{prompt.purpose}»" == translated.purpose
        assert [f"«{q.label}»" for q in prompt.questions] == [
            q.label for q in translated.questions
        ]
        assert prompt.id == translated.id

    def test_translate_prompt_refuses_wrong_types(self) -> None:
        """
        By name: the prompt, and a catalogue without gettext.
        """
        prompt = next_question(Assessment())
        assert prompt is not None

        with pytest.raises(InvalidTypeError) as e:
            translate_prompt("x", _Faithful())  # type: ignore[arg-type]
        assert "prompt" == e.value.field
        with pytest.raises(InvalidTypeError) as e:
            translate_prompt(prompt, object())  # type: ignore[arg-type]
        assert "translations" == e.value.field

    def test_a_blank_translation_is_not_used(self) -> None:
        """
        An empty msgstr reads as untranslated.
        """

        class Blank(gettext.NullTranslations):
            def gettext(self, message: str) -> str:
                return " " if message else ""

        assert "Now." == translate("Now.", Blank())
        assert "Now." == translate("Now.", None)

    def test_the_template_is_current(self) -> None:
        """
        src/spasmcare/locale/spasmcare.pot matches the marked strings
        (``python -m tools.pot --write`` after changing one).
        """
        assert pot.POT.read_text(encoding="utf-8") == pot.template()

    def test_the_template_holds_the_patient_strings(self) -> None:
        """
        Questions, warning signs, steps and the emergency action.
        """
        text = pot.POT.read_text(encoding="utf-8")

        assert 'msgid "Have you ever had cancer?"' in text
        assert 'msgid "Call an ambulance now on {emergency_number}."' in text
        assert 'msgid "Stop what you are doing"' in text
        assert "msgstr" in text


def _source_strings() -> Iterator[tuple[str, str]]:
    """
    The catalogue's patient strings as written in the source.
    """
    for q in QUESTIONS.values():
        for name in ("text", "label", "said", "purpose"):
            yield f"question {q.id} {name}", getattr(q, name)
    for g in GROUPS.values():
        for name in ("text", "label", "purpose"):
            yield f"group {g.id} {name}", getattr(g, name)
    for rule in DEFAULT_RULES:
        yield f"rule {rule.id} warning sign", rule.warning_sign
        if rule.advice:
            yield f"rule {rule.id} advice", rule.advice
    for level in Urgency:
        yield f"level {level.value} if worse", plan_module._IF_WORSE[level]
    for index, tip in enumerate(_selfcare.PREVENTION):
        yield f"prevention {index}", tip
    for index, sign in enumerate(SIGNS):
        yield f"safety net sign {index}", sign.text
    yield "notice", NOT_A_DIAGNOSIS
    yield from _steps()


class TestEveryPatientStringIsMarked:
    """
    Every string the catalogue shows a person is in the template, as
    written in the source (placeholders unfilled), so none is left
    untranslatable.
    """

    def test_catalogue_strings_are_msgids(self) -> None:
        """
        Questions, groups, rules, levels, steps, prevention tips, safety-net
        signs and the notice.
        """
        with pot.POT.open("rb") as f:
            msgids = {m.id for m in read_po(f) if isinstance(m.id, str)}
        missing = {k: v for k, v in _source_strings() if v not in msgids}

        assert {} == missing
