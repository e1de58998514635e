# SPDX-License-Identifier: MIT
"""
patient-view cards: the level, the fired rules and what is unanswered,
within CDS Hooks' rules, for any answers.
"""

from __future__ import annotations

import itertools
import uuid

from hypothesis import given

from spasmcare import (
    DEFAULT_RULES,
    QUESTIONS,
    Assessment,
    Urgency,
    evaluate,
    plan_care,
)
from spasmcare.service._cards import (
    OVERRIDE_REASONS,
    escape_markdown,
    find_citation,
    indicator,
    missing_data_card,
    patient_view_cards,
    shorten,
    summary_text,
)
from spasmcare.service.cdshooks import Card, cards_response

from .cdshooks_schemas import check
from .strategies import assessments
from .vignettes import plain_strain, with_present


def cards_for(
    assessment: Assessment, interview_url: str | None = None
) -> tuple[Card, ...]:
    """
    The patient-view cards for *assessment*.
    """
    escalation = evaluate(assessment)
    return patient_view_cards(
        escalation,
        plan_care(assessment, escalation),
        patient_id="p1",
        interview_url=interview_url,
    )


class TestIndicator:
    """
    critical for ambulance/emergency, warning for urgent, info otherwise.
    """

    def test_every_level_maps(self) -> None:
        """
        The mapping the issue asks for.
        """
        assert {
            Urgency.AMBULANCE: "critical",
            Urgency.EMERGENCY: "critical",
            Urgency.URGENT: "warning",
            Urgency.ROUTINE: "info",
            Urgency.SELF_CARE: "info",
        } == {level: indicator(level) for level in Urgency}


class TestCardsForAnyAnswers:
    """
    Invariant 7 for this face: the card shows the level and fired rules
    that evaluate() gives, and always keeps CDS Hooks' JSON rules.
    """

    @given(assessments())
    def test_card_agrees_with_evaluate(self, assessment: Assessment) -> None:
        """
        One valid card; its indicator follows the level; every fired rule
        id and every unanswered red-flag question is in the detail; a
        referral suggestion exactly when a referral is required; uuids
        unique and valid.
        """
        escalation = evaluate(assessment)

        (card,) = cards_for(assessment, "https://example.org/interview")
        document = cards_response([card])

        check("response", document)
        assert indicator(escalation.level) == card.indicator
        assert len(card.summary) < 140
        assert card.detail is not None
        for fired in escalation.fired:
            assert f"`{fired.id}`" in card.detail
        for question in escalation.unanswered:
            label = escape_markdown(QUESTIONS[question].label)
            assert f"- {label}\n" in card.detail
        assert escalation.referral_required == bool(card.suggestions)
        assert (OVERRIDE_REASONS if card.suggestions else ()) == (
            card.override_reasons
        )
        uuids = [card.uuid, *(s.uuid for s in card.suggestions)]
        assert len(set(uuids)) == len(uuids)
        for value in uuids:
            uuid.UUID(value)
        assert "https://example.org/interview" == card.links[0].url

    @given(assessments())
    def test_referral_priority_follows_the_level(
        self, assessment: Assessment
    ) -> None:
        """
        The suggested ServiceRequest is a draft proposal for this patient,
        stat at emergency levels, urgent for same day, routine otherwise,
        and names the fired rules.
        """
        escalation = evaluate(assessment)
        (card,) = cards_for(assessment)
        if not card.suggestions:
            assert Urgency.SELF_CARE == escalation.level
            return
        (action,) = card.suggestions[0].actions
        resource = action.resource
        assert resource is not None

        assert "create" == action.type
        assert "ServiceRequest" == resource["resourceType"]
        assert ("draft", "proposal") == (
            resource["status"],
            resource["intent"],
        )
        assert {"reference": "Patient/p1"} == resource["subject"]
        expected = {
            Urgency.AMBULANCE: "stat",
            Urgency.EMERGENCY: "stat",
            Urgency.URGENT: "urgent",
            Urgency.ROUTINE: "routine",
        }[escalation.level]
        assert expected == resource["priority"]
        assert [f.rule.title for f in escalation.fired] == [
            r["text"] for r in resource["reasonCode"]
        ] or not escalation.fired


class TestVignettes:
    """
    The textbook cases.
    """

    def test_cauda_equina_is_critical_with_a_stat_referral(self) -> None:
        """
        Saddle numbness and retention: critical, the rule named in the
        summary, the source is the rule's first citation.
        """
        assessment = with_present(
            plain_strain(), "saddle_numbness", "urinary_retention"
        )
        rule = DEFAULT_RULES["cauda_equina"]

        (card,) = cards_for(assessment)

        assert "critical" == card.indicator
        assert rule.title in card.summary
        assert card.source.label.startswith(rule.citations[0].source)
        assert card.source.url == rule.citations[0].url
        assert "at-most-one" == card.selection_behavior
        assert card.suggestions[0].is_recommended

    def test_plain_strain_is_info_self_care_without_suggestions(
        self,
    ) -> None:
        """
        Every question answered, nothing fired: self-care, no suggestion,
        no override reasons, no links unless configured.
        """
        (card,) = cards_for(plain_strain())

        assert "info" == card.indicator
        assert "no red flags reported" in card.summary
        assert () == card.suggestions
        assert () == card.override_reasons
        assert () == card.links
        assert card.detail is not None
        assert "**Plan:**" in card.detail

    def test_empty_answers_never_read_as_no_red_flags(self) -> None:
        """
        Nothing answered: the card says screening is incomplete, lists
        the red-flag questions and suggests a routine review.
        """
        (card,) = cards_for(Assessment())

        assert "screening incomplete" in card.summary
        assert "no red flags" not in card.summary
        assert card.detail is not None
        assert "Red-flag questions still unanswered" in card.detail
        assert card.suggestions


class TestSummary:
    """
    Summaries stay under 140 characters.
    """

    def test_long_text_is_cut_at_a_word_with_an_ellipsis(self) -> None:
        """
        Text of 140 characters or more is cut below 140, at a word.
        """
        text = " ".join(itertools.repeat("word", 60))

        short = shorten(text)

        assert len(short) < 140
        assert short.endswith("word…")

    def test_short_text_is_kept(self) -> None:
        """
        Shorter text is kept as it is.
        """
        assert "a b" == shorten("a b")

    def test_one_unanswered_question_is_singular(self) -> None:
        """
        The count reads naturally.
        """
        answered = plain_strain()
        kept = tuple(s for s in answered.symptoms if s.finding != "fever")
        escalation = evaluate(Assessment(symptoms=kept, age_years=35))
        if len(escalation.unanswered) == 1:
            assert "(1 question unanswered)" in summary_text(escalation)
        else:
            assert "questions unanswered" in summary_text(escalation)


class TestMissingDataCard:
    """
    When the answers cannot be read: an info card, never "no red flags".
    """

    def test_lists_every_red_flag_as_not_assessed(self) -> None:
        """
        The card is info, says why, and lists each red-flag question.
        """
        card = missing_data_card(
            "no questionnaire response on record",
            interview_url="https://example.org/i",
        )

        check("card", card.to_json())
        assert "info" == card.indicator
        assert "not assessed" in card.summary
        assert card.detail is not None
        assert "not a finding of" in card.detail
        for finding in DEFAULT_RULES.red_flags:
            label = escape_markdown(QUESTIONS[finding].label)
            assert f"- {label}" in card.detail.splitlines()
        assert "https://example.org/i" == card.links[0].url

    def test_citation_falls_back_to_the_first_rule(self) -> None:
        """
        A rule set that does not cite NICE NG59 still gives a source.
        """
        first = next(iter(DEFAULT_RULES)).citations[0]

        assert first == find_citation(DEFAULT_RULES, "no-such-key")
