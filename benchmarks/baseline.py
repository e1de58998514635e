# SPDX-License-Identifier: MIT
"""
The same-run baseline: DEFAULT_RULES as a bare, hand-written if-chain.

It reads the same :class:`~spasmcare.Assessment` as
:func:`spasmcare.evaluate`, with the same three-valued logic
(present / absent / unknown; a number may be missing),
and returns only the level and the ids of the fired rules,
most urgent first.
No facts, no pending list, no unanswered questions, no result object:
this is what the rules cost in plain Python.

It must agree with :func:`spasmcare.evaluate` on every generated case;
the benchmark checks that before timing, and
``tests/test_benchmarks_agree.py`` checks it on a sample.
When a rule in ``_catalogue.py`` changes, change it here too.
"""

from __future__ import annotations

from spasmcare import Answer, Assessment, Urgency

__all__ = ["baseline"]

_P = Answer.PRESENT
_A = Answer.ABSENT
_LEVELS = tuple(Urgency)  # least to most urgent
_AMBULANCE, _EMERGENCY, _URGENT, _ROUTINE = 4, 3, 2, 1


def baseline(  # noqa: C901, PLR0912, PLR0915 (a deliberate if-chain)
    assessment: Assessment,
) -> tuple[Urgency, tuple[str, ...]]:
    """
    The level and the fired rule ids, most urgent first.

    A missing answer reads as unknown (``None`` from ``get``); a rule
    that cannot be decided makes the level at least routine.
    """
    get = assessment._answers.get
    age = assessment.age_years
    days = assessment.duration_days
    fired: list[str] = []
    rank = 0
    pending = False

    # Ambulance.
    a, b = get("faint_or_collapse"), get("pulsating_abdomen")
    if a is _P or b is _P:
        fired.append("aortic_aneurysm")
    elif a is not _A or b is not _A:
        pending = True
    pregnant, bleeding = get("pregnant"), get("pregnancy_bleeding")
    abdominal = get("abdominal_pain")
    if pregnant is _P and bleeding is _P and abdominal is _P:
        fired.append("pregnancy_bleeding_with_pain")
    elif pregnant is not _A and bleeding is not _A and abdominal is not _A:
        pending = True
    a = get("chest_pain")
    if a is _P:
        fired.append("chest_pain")
    elif a is not _A:
        pending = True
    a = get("major_trauma")
    if a is _P:
        fired.append("major_trauma")
    elif a is not _A:
        pending = True
    if fired:
        rank = _AMBULANCE

    # Emergency.
    retention, incontinence = get("urinary_retention"), get("incontinence")
    saddle, both_legs = get("saddle_numbness"), get("both_legs")
    walking, progressive = (
        get("walking_difficulty"),
        get("progressive_weakness"),
    )
    one_leg, leg_pain = get("one_leg_weakness"), get("leg_pain_numbness")
    sexual = get("sexual_dysfunction")
    if (
        retention is _P
        or incontinence is _P
        or saddle is _P
        or sexual is _P
        or both_legs is _P
        or walking is _P
    ):
        fired.append("cauda_equina")
    elif (
        retention is not _A
        or incontinence is not _A
        or saddle is not _A
        or sexual is not _A
        or both_legs is not _A
        or walking is not _A
    ):
        pending = True
    if progressive is _P:
        fired.append("progressive_neurological_deficit")
    elif progressive is not _A:
        pending = True
    # Neurological: True, False or None (Kleene OR of eight findings).
    neuro: bool | None
    if (
        one_leg is _P
        or progressive is _P
        or leg_pain is _P
        or walking is _P
        or both_legs is _P
        or retention is _P
        or incontinence is _P
        or saddle is _P
    ):
        neuro = True
    elif (
        one_leg is _A
        and progressive is _A
        and leg_pain is _A
        and walking is _A
        and both_legs is _A
        and retention is _A
        and incontinence is _A
        and saddle is _A
    ):
        neuro = False
    else:
        neuro = None
    cancer = get("cancer_history")
    if cancer is _P and neuro:
        fired.append("cancer_with_neurology")
    elif cancer is not _A and neuro is not False:
        pending = True
    unwell, fever, risk = (
        get("very_unwell"),
        get("fever"),
        get("infection_risk"),
    )
    # Strong infection risk: True, False or None (Kleene OR of four).
    strong_risks = (
        get("injects_drugs"),
        get("weak_immune_system"),
        get("recent_spine_procedure"),
        get("recent_serious_infection"),
    )
    strong: bool | None
    if any(r is _P for r in strong_risks):
        strong = True
    elif all(r is _A for r in strong_risks):
        strong = False
    else:
        strong = None
    if (
        unwell is _P
        or (fever is _P and (risk is _P or strong or neuro))
        or (strong and neuro)
    ):
        fired.append("spinal_infection_severe")
    elif (
        unwell is not _A
        or (
            fever is not _A
            and (risk is not _A or strong is not False or neuro is not False)
        )
        or (strong is not False and neuro is not False)
    ):
        pending = True
    # Aneurysm age: 60 or over, or 50 or over with a vascular risk factor.
    vascular, sudden = get("vascular_risk"), get("sudden_severe_pain")
    older: bool | None
    if age is None:
        older = None
    elif age >= 60 or (age >= 50 and vascular is _P):
        older = True
    elif age >= 50 and vascular is not _A:
        older = None
    else:
        older = False
    fifty_vascular: bool | None
    if (age is not None and age < 50) or vascular is _A:
        fifty_vascular = False
    elif age is not None and vascular is _P:
        fifty_vascular = True
    else:
        fifty_vascular = None
    if (sudden is _P and older) or (abdominal is _P and fifty_vascular):
        fired.append("aortic_aneurysm_suspected")
    elif (sudden is not _A and older is not False) or (
        abdominal is not _A and fifty_vascular is not False
    ):
        pending = True
    vomiting, jaundice = get("vomiting"), get("jaundice")
    if abdominal is _P and (
        vomiting is _P or fever is _P or jaundice is _P or sudden is _P
    ):
        fired.append("abdominal_emergency")
    elif abdominal is not _A and (
        vomiting is not _A
        or fever is not _A
        or jaundice is not _A
        or sudden is not _A
    ):
        pending = True
    pain = assessment.pain_score
    unbearable = get("pain_unbearable")
    severe: bool | None
    if (pain is not None and pain >= 7) or unbearable is _P:
        severe = True
    elif pain is None or unbearable is not _A:
        severe = None
    else:
        severe = False
    signs = (
        bleeding,
        get("contractions"),
        get("reduced_baby_movements"),
        fever,
        abdominal,
    )
    if pregnant is _P and (any(x is _P for x in signs) or severe):
        fired.append("pregnancy_warning_signs")
    elif pregnant is not _A and (
        any(x is not _A for x in signs) or severe is not False
    ):
        pending = True
    a = get("flank_to_groin")
    if a is _P:
        fired.append("renal_colic")
    elif a is not _A:
        pending = True
    cramps, palpitations = get("widespread_cramps"), get("palpitations")
    if cramps is _P and palpitations is _P:
        fired.append("electrolyte_emergency")
    elif cramps is not _A and palpitations is not _A:
        pending = True
    if not rank and fired:
        rank = _EMERGENCY

    # Urgent (same day).
    urgent = len(fired)
    if one_leg is _P:
        fired.append("one_sided_weakness")
    elif one_leg is not _A:
        pending = True
    if cancer is _P:
        fired.append("cancer_history")
    elif cancer is not _A:
        pending = True
    a, b = get("weight_loss"), get("lump_or_deformity")
    if a is _P or b is _P:
        fired.append("malignancy_flags")
    elif a is not _A or b is not _A:
        pending = True
    # Weak flags: count the met and the undecided.
    no_improvement = get("no_improvement")
    if days is None:
        stuck: bool | None = None if no_improvement is not _A else False
    elif days >= 28:
        stuck = (
            True
            if no_improvement is _P
            else False
            if no_improvement is _A
            else None
        )
    else:
        stuck = False
    met = undecided = 0
    if age is None:
        undecided += 1
    elif age >= 50:
        met += 1
    for flag in (
        get("night_pain"),
        get("thoracic_pain"),
        get("cough_sneeze_pain"),
    ):
        if flag is _P:
            met += 1
        elif flag is not _A:
            undecided += 1
    if stuck:
        met += 1
    elif stuck is None:
        undecided += 1
    if met >= 2:
        fired.append("weak_flags_combined")
    elif met + undecided >= 2:
        pending = True
    minor = get("minor_strain_onset")
    osteoporosis, steroids = get("osteoporosis"), get("steroid_use")
    if minor is _P and (
        osteoporosis is _P or steroids is _P or (age is not None and age >= 70)
    ):
        fired.append("fracture_risk")
    elif minor is not _A and (
        osteoporosis is not _A
        or steroids is not _A
        or age is None
        or age >= 70
    ):
        pending = True
    if fever is _P:
        fired.append("spinal_infection")
    elif fever is not _A:
        pending = True
    urine = get("urinary_symptoms")
    if urine is _P and fever is _P:
        fired.append("kidney_infection")
    elif urine is not _A and fever is not _A:
        pending = True
    if strong:
        fired.append("spinal_infection_risk")
    elif strong is None:
        pending = True
    if abdominal is _P or jaundice is _P:
        fired.append("abdominal_symptoms")
    elif abdominal is not _A or jaundice is not _A:
        pending = True
    little = get("little_urine")
    if little is _P or urine is _P:
        fired.append("kidney_problem")
    elif little is not _A or urine is not _A:
        pending = True
    if sudden is _P:
        fired.append("sudden_severe_pain")
    elif sudden is not _A:
        pending = True
    a = get("cannot_move")
    if a is _P:
        fired.append("cannot_mobilise")
    elif a is not _A:
        pending = True
    electrolytes = get("electrolyte_risk")
    if cramps is _P and electrolytes is _P:
        fired.append("electrolyte_disturbance")
    elif cramps is not _A and electrolytes is not _A:
        pending = True
    if not rank and len(fired) > urgent:
        rank = _URGENT

    # Routine (within days).
    routine = len(fired)
    if severe:
        fired.append("severe_pain")
    elif severe is None:
        pending = True
    a, b = get("getting_worse"), get("not_coping")
    if a is _P or b is _P:
        fired.append("worsening_or_not_coping")
    elif a is not _A or b is not _A:
        pending = True
    if stuck or (days is not None and days >= 42):
        fired.append("not_improving")
    elif stuck is None or days is None:
        pending = True
    episodes = assessment.episodes_past_year
    if episodes is not None and episodes >= 3:
        fired.append("frequent_recurrence")
    elif episodes is None:
        pending = True
    # Inflammatory back pain: long enough, early onset, 3 of 7 features.
    if age is None or days is None:
        long_early: bool | None = None if days is None or days >= 91 else False
        before_35: bool | None = None
    else:
        onset_days = age * 365 - days
        long_early = days >= 91 and onset_days < 45 * 365
        before_35 = onset_days < 35 * 365
    if long_early is not False:
        met = 1 if before_35 else 0
        undecided = 1 if before_35 is None else 0
        for feature in (
            get("late_night_waking"),
            get("buttock_pain"),
            get("better_with_movement"),
            get("nsaid_response"),
            get("family_spondyloarthritis"),
            get("arthritis_enthesitis_psoriasis"),
        ):
            if feature is _P:
                met += 1
            elif feature is not _A:
                undecided += 1
        if long_early and met >= 3:
            fired.append("inflammatory_back_pain")
        elif met + undecided >= 3:
            pending = True
    if cramps is _P:
        fired.append("widespread_cramps")
    elif cramps is not _A:
        pending = True
    # Out of scope: under 16 (NICE NG59 covers 16 and over).
    if age is None:
        pending = True
    elif age < 16:
        fired.append("under_16")
    if not rank and len(fired) > routine:
        rank = _ROUTINE

    if pending and rank < _ROUTINE:
        rank = _ROUTINE
    return _LEVELS[rank], tuple(fired)
