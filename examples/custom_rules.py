# SPDX-License-Identifier: MIT
"""
A custom rule set built on DEFAULT_RULES.

A clinic wants three local changes:

1. A stricter fracture rule: sudden pain with fracture risk from age 65
   (the ACP's threshold for men) instead of 70.
2. A new local rule: very severe pain (9 or 10 out of 10) is seen the
   same day, citing the clinic's own protocol.
3. A service that does not see long-standing back pain drops the
   inflammatory back pain rule: a *restriction*, which removes safety,
   so the script prints exactly what was lost.

The new set gets its own id, and each change a new version,
so that escalations from different sets can always be told apart
in an audit trail.

Run it with ``python examples/custom_rules.py``.
"""

from __future__ import annotations

import attrs

from spasmcare import (
    DEFAULT_RULES,
    Assessment,
    Citation,
    Rule,
    RuleSet,
    Urgency,
    evaluate,
)
from spasmcare.criteria import AllOf, AnyOf, AtLeast, Present

#: The clinic's own source for its local rule.
CLINIC_PROTOCOL = Citation(
    key="example-clinic-2026",
    source="Example Clinic",
    title="Local back pain triage protocol",
    year=2026,
    locator="Section 2.3",
    note="A local policy, not a published guideline.",
)


def stricter_fracture_rule() -> Rule:
    """
    The default fracture rule, with the age threshold lowered to 65.
    """
    default = DEFAULT_RULES["fracture_risk"]
    return attrs.evolve(
        default,
        criterion=AllOf(
            Present("minor_strain_onset"),
            AnyOf(
                Present("osteoporosis"),
                Present("steroid_use"),
                AtLeast("age_years", 65),
            ),
        ),
        rationale=default.rationale
        + " Local change: from age 65, the ACP's threshold for men.",
    )


#: A new rule, built from the criterion language.
VERY_SEVERE_PAIN = Rule(
    id="clinic_very_severe_pain",
    title="Very severe pain (9 or 10 out of 10)",
    urgency=Urgency.URGENT,
    criterion=AtLeast("pain_score", 9),
    rationale="Local policy: pain of 9 or 10 out of 10 is seen the same day.",
    warning_sign="Your pain reaches 9 or 10 out of 10.",
    citations=(CLINIC_PROTOCOL,),
)


def build() -> tuple[RuleSet, RuleSet]:
    """
    The clinic's extended set, and a restricted variant of it.
    """
    extended = DEFAULT_RULES.replace(
        stricter_fracture_rule(),
        VERY_SEVERE_PAIN,
        version=f"{DEFAULT_RULES.version}+clinic.1",
    )
    # A set of your own gets a name of its own, for the audit trail.
    extended = attrs.evolve(extended, id="example-clinic")
    restricted = extended.without(
        "inflammatory_back_pain",
        version=f"{DEFAULT_RULES.version}+clinic.1-no-ibp",
    )
    return extended, restricted


def main() -> None:
    """
    Build the sets, compare them, and evaluate one person with each.
    """
    extended, restricted = build()
    for rules in (DEFAULT_RULES, extended, restricted):
        print(
            f"{rules.id} {rules.version}: {len(rules)} rules, "
            f"digest {rules.digest[:12]}"
        )

    # Restricting: which questions no rule reads any more, and which
    # red flags (findings that escalate on their own) were lost?
    no_longer_read = sorted(extended.questions - restricted.questions)
    lost_flags = sorted(set(extended.red_flags) - set(restricted.red_flags))
    print("No longer read:", ", ".join(no_longer_read) or "(none)")
    print("Red flags lost:", ", ".join(lost_flags) or "(none)")

    # A 67-year-old with sudden pain after lifting, pain 9/10.
    # (Only a few questions are answered, so screening is incomplete.)
    person = Assessment.from_answers(
        {"minor_strain_onset": True, "osteoporosis": False},
        age_years=67,
        pain_score=9,
    )
    for rules in (DEFAULT_RULES, extended):
        result = evaluate(person, rules=rules)
        fired = ", ".join(f.id for f in result.fired)
        print(
            f"With {result.rule_set.id} {result.rule_set.version}: "
            f"{result.level.name} "
            f"(fired: {fired})"
        )


if __name__ == "__main__":
    main()
