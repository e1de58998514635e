# SPDX-License-Identifier: MIT
"""
CDS Hooks cards from an escalation: what a clinician sees on patient-view.
"""

from __future__ import annotations

import uuid as _uuid
from collections.abc import Callable, Iterable
from typing import Any

from spasmcare import (
    DEFAULT_RULES,
    QUESTIONS,
    CarePlan,
    Citation,
    Escalation,
    RuleSet,
    Urgency,
)

from .cdshooks import (
    SUMMARY_LIMIT,
    Action,
    Card,
    Coding,
    Link,
    Source,
    Suggestion,
)

__all__ = [
    "OVERRIDE_REASONS",
    "OVERRIDE_REASON_SYSTEM",
    "indicator",
    "missing_data_card",
    "patient_view_cards",
    "summary_text",
]

#: Where spasmcare's own codes for override reasons live.
OVERRIDE_REASON_SYSTEM = (
    "https://spasmcare.readthedocs.io/codes/override-reason"
)

#: The reasons a clinician can give for not raising the referral.
OVERRIDE_REASONS = (
    Coding(
        system=OVERRIDE_REASON_SYSTEM,
        code="already-referred",
        display="Already referred or under specialist care",
    ),
    Coding(
        system=OVERRIDE_REASON_SYSTEM,
        code="assessed-in-person",
        display="Assessed in person; finding not confirmed",
    ),
    Coding(
        system=OVERRIDE_REASON_SYSTEM,
        code="answers-incorrect",
        display="Questionnaire answers recorded incorrectly",
    ),
    Coding(
        system=OVERRIDE_REASON_SYSTEM,
        code="patient-declined",
        display="Patient declined referral",
    ),
)

#: Level names for clinicians.
_LEVEL = {
    Urgency.AMBULANCE: "call an ambulance now",
    Urgency.EMERGENCY: "emergency assessment now",
    Urgency.URGENT: "see a doctor today",
    Urgency.ROUTINE: "routine review",
    Urgency.SELF_CARE: "self-care",
}

#: FHIR ServiceRequest.priority for each referral level.
_PRIORITY = {
    Urgency.AMBULANCE: "stat",
    Urgency.EMERGENCY: "stat",
    Urgency.URGENT: "urgent",
    Urgency.ROUTINE: "routine",
}

_REFERRAL_TEXT = {
    Urgency.AMBULANCE: "Emergency ambulance transfer for assessment of low back pain red flag",
    Urgency.EMERGENCY: "Emergency department assessment of low back pain red flag",
    Urgency.URGENT: "Same-day medical assessment of low back pain",
    Urgency.ROUTINE: "Routine medical review of low back pain",
}

_PREFIX = "Low back pain"

UuidFactory = Callable[[], str]


def new_uuid4() -> str:
    return str(_uuid.uuid4())


def indicator(level: Urgency) -> str:
    """
    The card indicator for *level*.

    ``critical`` for ambulance and emergency, ``warning`` for urgent,
    ``info`` otherwise.

    >>> indicator(Urgency.EMERGENCY), indicator(Urgency.ROUTINE)
    ('critical', 'info')

    .. versionadded:: 0.1.0
    """
    if level >= Urgency.EMERGENCY:
        return "critical"
    if level is Urgency.URGENT:
        return "warning"
    return "info"


def shorten(text: str) -> str:
    """
    *text* cut to fewer than 140 characters at a word, with an ellipsis.
    """
    if len(text) < SUMMARY_LIMIT:
        return text
    cut = text[: SUMMARY_LIMIT - 2].rsplit(" ", 1)[0].rstrip(" ,;:–-")
    return cut + "…"


def summary_text(escalation: Escalation) -> str:
    """
    One sentence for the card, shorter than 140 characters.

    Names the level and the most urgent fired rule (a suspicion, never a
    diagnosis); without a fired rule, says whether screening is complete.

    .. versionadded:: 0.1.0
    """
    level = _LEVEL[escalation.level]
    if escalation.fired:
        top = escalation.fired[0].rule.title
        return shorten(f"{_PREFIX}: {level}. {top}")
    if not escalation.screening_complete:
        count = len(escalation.unanswered)
        noun = "question" if count == 1 else "questions"
        return shorten(
            f"{_PREFIX}: red-flag screening incomplete ({count} {noun} "
            "unanswered); self-care cannot be advised yet"
        )
    return f"{_PREFIX}: no red flags reported; self-care advised"


def escape_markdown(text: str) -> str:
    """
    *text* with Markdown's inline markup characters escaped.
    """
    for char in "\\`*_[]<>#|":
        text = text.replace(char, "\\" + char)
    return text


def _top_citation(escalation: Escalation, plan: CarePlan) -> Citation:
    if escalation.fired:
        return escalation.fired[0].citations[0]
    return plan.steps[0].citations[0]


def card_source(citation: Citation) -> Source:
    return Source(
        label=f"{citation.source}: {citation.title}", url=citation.url
    )


def _detail(escalation: Escalation, plan: CarePlan) -> str:
    lines = [
        (
            f"**Level:** {_LEVEL[escalation.level]} (`{escalation.level.value}`). "
            f"{escape_markdown(escalation.timeframe)}"
        ),
    ]
    if escalation.fired:
        lines += ["", "**Rules that fired**", ""]
        for fired in escalation.fired:
            facts = "; ".join(
                escape_markdown(str(fact)) for fact in fired.facts
            )
            lines.append(
                f"- {escape_markdown(fired.rule.title)} (`{fired.id}`, "
                f"{fired.urgency.value}): {facts}"
            )
    if escalation.unanswered:
        lines += ["", "**Red-flag questions still unanswered**", ""]
        lines += [
            f"- {escape_markdown(QUESTIONS[q].label)}"
            for q in escalation.unanswered
        ]
        lines += [
            "",
            (
                "Unanswered questions are not read as \u201cno\u201d: "
                "self-care is not advised until they are answered."
            ),
        ]
    if plan.referral is None:
        lines += [
            "",
            "**Plan:** "
            + "; ".join(escape_markdown(s.title) for s in plan.steps),
        ]
    rules = escalation.rule_set
    lines += [
        "",
        (
            f"Rule set `{rules.id}` {rules.version}. "
            f"{escape_markdown(escalation.notice)}"
        ),
    ]
    return "\n".join(lines)


def _service_request(
    escalation: Escalation, patient_id: str
) -> dict[str, Any]:
    level = escalation.level
    reasons = [{"text": fired.rule.title} for fired in escalation.fired] or [
        {"text": "Red-flag screening for low back pain incomplete"}
    ]
    return {
        "resourceType": "ServiceRequest",
        "status": "draft",
        "intent": "proposal",
        "priority": _PRIORITY[level],
        "subject": {"reference": f"Patient/{patient_id}"},
        "code": {"text": _REFERRAL_TEXT[level]},
        "reasonCode": reasons,
        "note": [
            {
                "text": (
                    f"Suggested by spasmcare ({escalation.rule_set.id} "
                    f"{escalation.rule_set.version}; rules: "
                    f"{', '.join(f.id for f in escalation.fired) or 'none fired'}). "
                    "Decision support, not a diagnosis."
                )
            }
        ],
    }


def _links(interview_url: str | None) -> tuple[Link, ...]:
    if interview_url is None:
        return ()
    return (Link(label="Open the back pain questionnaire", url=interview_url),)


def patient_view_cards(
    escalation: Escalation,
    plan: CarePlan,
    *,
    patient_id: str,
    interview_url: str | None = None,
    new_uuid: UuidFactory = new_uuid4,
) -> tuple[Card, ...]:
    """
    The card for a patient's back-pain answers.

    One card: its summary names the level and the most urgent fired rule;
    its indicator follows the level (:func:`indicator`); its source is the
    top citation; its detail lists the fired rules with their facts and
    the red-flag questions still unanswered.
    When a referral is required it carries one suggestion that creates a
    draft ServiceRequest at the level's priority, and override reasons.

    Args:
        escalation: The result of :func:`spasmcare.evaluate`.
        plan: The result of :func:`spasmcare.plan_care` for it.
        patient_id: The patient's id in the record system.
        interview_url: The web interview's address, if there is one.
        new_uuid: Makes the card's and suggestion's uuids.

    Returns:
        The cards.

    .. versionadded:: 0.1.0
    """
    suggestions: tuple[Suggestion, ...] = ()
    if escalation.referral_required:
        suggestions = (
            Suggestion(
                label=f"Create referral: {_REFERRAL_TEXT[escalation.level].lower()}",
                uuid=new_uuid(),
                is_recommended=True,
                actions=(
                    Action(
                        type="create",
                        description="Create a draft referral (ServiceRequest)",
                        resource=_service_request(escalation, patient_id),
                    ),
                ),
            ),
        )
    card = Card(
        uuid=new_uuid(),
        summary=summary_text(escalation),
        indicator=indicator(escalation.level),
        source=card_source(_top_citation(escalation, plan)),
        detail=_detail(escalation, plan),
        suggestions=suggestions,
        selection_behavior="at-most-one" if suggestions else None,
        override_reasons=OVERRIDE_REASONS if suggestions else (),
        links=_links(interview_url),
    )
    return (card,)


def missing_data_card(
    reason: str,
    *,
    rules: RuleSet = DEFAULT_RULES,
    interview_url: str | None = None,
    new_uuid: UuidFactory = new_uuid4,
) -> Card:
    """
    An info card saying that the red flags could not be assessed, and why.

    Missing red-flag data is never read as "no red flags":
    the card lists every red-flag question as not assessed.

    Args:
        reason: Why, such as "no questionnaire response on record".
        rules: The rule set whose red-flag questions are listed.
        interview_url: The web interview's address, if there is one.
        new_uuid: Makes the card's uuid.

    .. versionadded:: 0.1.0
    """
    flags = _red_flag_labels(rules.red_flags)
    detail = "\n".join(
        [
            f"Back pain red flags were **not assessed**: {escape_markdown(reason)}.",
            "",
            "This is not a finding of \u201cno red flags\u201d. Not assessed:",
            "",
            *(f"- {escape_markdown(label)}" for label in flags),
        ]
    )
    citation = find_citation(rules, "nice-ng59")
    return Card(
        uuid=new_uuid(),
        summary=shorten(f"{_PREFIX}: red flags not assessed ({reason})"),
        indicator="info",
        source=card_source(citation),
        detail=detail,
        links=_links(interview_url),
    )


def find_citation(rules: RuleSet, key: str) -> Citation:
    """
    The citation *key* as the rules cite it; else the first rule's first.
    """
    for rule in rules:
        for citation in rule.citations:
            if citation.key == key:
                return citation
    return next(iter(rules)).citations[0]


def _red_flag_labels(flags: Iterable[str]) -> list[str]:
    order = {q: i for i, q in enumerate(QUESTIONS)}
    return [QUESTIONS[q].label for q in sorted(flags, key=order.__getitem__)]
