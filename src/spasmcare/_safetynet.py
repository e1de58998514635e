# SPDX-License-Identifier: MIT
"""
The safety net: a short list of warning signs, matched to the plan's level.

The rules' own warning signs (:attr:`spasmcare.Rule.warning_sign`) are one
a rule: 32 for the default rules, too many for a person to take in. Here
they are gathered into 8 plain signs, each naming the rules it stands for,
at the tier of the most urgent of them or more urgent
(``tests/test_safety_net.py`` checks that every default rule is covered).
A rule a sign does not stand for, such as a deployer's own rule, keeps its
own warning sign in its tier, so nothing is lost.

Rules that read a person's history or a pattern the interview has already
asked about (a past cancer, long-term steroids, a weak immune system,
repeated bouts, the inflammatory pattern, weak flags together, an age
under 16) are not
signs that appear later: a self-care plan means the person said "no" to
them, and they are left out of the list (:data:`HISTORY_RULES`).
"""

from __future__ import annotations

import attrs

from ._careplan import SafetyNet
from ._i18n import N_
from ._rules import RuleSet
from ._urgency import Urgency

__all__ = ["HISTORY_RULES", "SIGNS", "safety_nets"]


@attrs.frozen
class Sign:
    """
    One warning sign of the short list, and the rules it stands for.
    """

    tier: Urgency
    text: str
    rules: frozenset[str]


#: The short list, most urgent first (CLINICAL.md section 1 for the levels).
SIGNS = (
    Sign(
        Urgency.EMERGENCY,
        N_(
            "You feel numb between your legs or around your bottom. Or you have "
            "new trouble peeing, you leak pee or poo, or you have new problems "
            "with sex. Or both legs feel weak or numb, a leg gets weaker, or it "
            "gets hard to walk."
        ),
        frozenset(
            (
                "cauda_equina",
                "progressive_neurological_deficit",
                "cancer_with_neurology",
            )
        ),
    ),
    Sign(
        Urgency.AMBULANCE,
        N_(
            "You get chest pain, you faint or collapse, or you feel a throbbing "
            "in your belly. Or you feel very unwell, confused or very drowsy. "
            "Or your heart races and you have cramps in many muscles."
        ),
        frozenset(
            (
                "chest_pain",
                "aortic_aneurysm",
                "spinal_infection_severe",
                "electrolyte_emergency",
            )
        ),
    ),
    Sign(
        Urgency.AMBULANCE,
        N_("You have a bad fall or accident."),
        frozenset(("major_trauma",)),
    ),
    Sign(
        Urgency.EMERGENCY,
        N_(
            "Very bad pain starts all at once, not with a strain. Or pain in "
            "your side comes in waves and spreads to your groin. Or your tummy "
            "hurts and you are being sick, have a fever or turn yellow."
        ),
        frozenset(
            (
                "aortic_aneurysm_suspected",
                "abdominal_emergency",
                "renal_colic",
                "sudden_severe_pain",
            )
        ),
    ),
    Sign(
        Urgency.AMBULANCE,
        N_(
            "You are pregnant and you bleed or leak fluid from your vagina. Or "
            "your bump tightens on and off, your baby moves less, or you get a "
            "fever or tummy pain."
        ),
        frozenset(("pregnancy_bleeding_with_pain", "pregnancy_warning_signs")),
    ),
    Sign(
        Urgency.URGENT,
        N_(
            "You get a fever or the shivers. Or it burns when you pee, you pee "
            "much less than usual, or there is blood in your pee. Or your tummy "
            "hurts, or your skin or eyes turn yellow."
        ),
        frozenset(
            (
                "spinal_infection",
                "kidney_infection",
                "kidney_problem",
                "abdominal_symptoms",
            )
        ),
    ),
    Sign(
        Urgency.URGENT,
        N_(
            "A leg or foot gets weak, or the pain is so bad you cannot get up or "
            "walk. Or you get cramps in many muscles. Or you lose weight without "
            "trying, or find a lump on your back."
        ),
        frozenset(
            (
                "one_sided_weakness",
                "cannot_mobilise",
                "electrolyte_disturbance",
                "widespread_cramps",
                "malignancy_flags",
            )
        ),
    ),
    Sign(
        Urgency.ROUTINE,
        N_(
            "The pain gets very bad or keeps getting worse, or you find it hard "
            "to cope. Or it is no better after 4 weeks, or not gone after 6 "
            "weeks."
        ),
        frozenset(("severe_pain", "worsening_or_not_coping", "not_improving")),
    ),
)

#: Rules about a person's history or a pattern already asked about: not
#: signs that appear later (see the module docstring).
HISTORY_RULES = frozenset(
    (
        "cancer_history",
        "fracture_risk",
        "spinal_infection_risk",
        "weak_flags_combined",
        "frequent_recurrence",
        "inflammatory_back_pain",
        "under_16",  # the person's age: known at the start, not a later sign
    )
)

#: The three tiers, by the level each stands for.
_TIERS = (Urgency.EMERGENCY, Urgency.URGENT, Urgency.ROUTINE)


def _tier(level: Urgency) -> Urgency:
    return min(level, Urgency.EMERGENCY)


def safety_nets(
    rules: RuleSet, if_worse: dict[Urgency, str]
) -> dict[Urgency, SafetyNet]:
    """
    The safety net for each level of a plan made with *rules*.

    A plan shows the tiers more urgent than its own level:
    all three for self-care, none at emergency levels.

    Args:
        rules: The rule set.
        if_worse: What to do if things get worse, at each level.
    """
    by_id = {rule.id: rule for rule in rules}
    tiers: dict[Urgency, dict[str, None]] = {tier: {} for tier in _TIERS}
    covered: set[str] = set()
    for sign in SIGNS:
        # A sign stands for a rule only at that rule's tier or above (a
        # deployer may make a rule more urgent than the sign's tier).
        standing = {
            r
            for r in sign.rules
            if r in by_id and _tier(by_id[r].urgency) <= _tier(sign.tier)
        }
        if standing:
            tiers[_tier(sign.tier)][sign.text] = None
            covered |= standing
    for rule in rules:
        if rule.id not in covered and rule.id not in HISTORY_RULES:
            tiers[_tier(rule.urgency)][rule.warning_sign] = None
    return {
        level: SafetyNet(
            **{
                name: tuple(tiers[tier]) if tier > level else ()
                for name, tier in zip(
                    ("emergency", "same_day", "see_doctor"),
                    _TIERS,
                    strict=True,
                )
            },
            if_worse=if_worse[level],
        )
        for level in Urgency
    }
