# SPDX-License-Identifier: MIT
"""
A derived vignette set: cases written from the guidelines, each with the
disposition the guidance gives (its "gold" level).

**Derived**, not published: each case was written for spasmcare from the
guidance its ``basis`` names, not taken from a published vignette set, so
its figures are not comparable one to one with published evaluations of
symptom checkers (Semigran 2015, Schmieding 2022), which used other cases.
The gold level comes from the cited guidance, not from the rule catalogue.

Every case describes the whole person: a finding it does not list is one the
person does not have, and a scripted patient answers the interview that way
(:func:`interview_level`). Each family has positives and near misses; the
near misses (``near_miss=True``) are cases a tool must not over-triage.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

import attrs

from spasmcare import (
    GROUPS,
    QUESTIONS,
    Answer,
    AnswerKind,
    Assessment,
    Interview,
    TriageCategory,
    Urgency,
    evaluate,
)
from spasmcare._findings import FINDING_IDS

A, E, U, R, S = (
    Urgency.AMBULANCE,
    Urgency.EMERGENCY,
    Urgency.URGENT,
    Urgency.ROUTINE,
    Urgency.SELF_CARE,
)


@attrs.frozen(kw_only=True)
class Vignette:
    """
    One derived case: who the person is, what they have, and the level the
    guidance gives.
    """

    id: str
    family: str
    story: str
    gold: Urgency
    basis: str
    present: frozenset[str]
    age_years: int
    pain_score: int = 5
    duration_days: int = 2
    episodes_past_year: int = 0
    near_miss: bool = False

    def assessment(self) -> Assessment:
        """
        Every question answered as the person would: listed findings
        present, every other finding absent.
        """
        unknown = self.present - FINDING_IDS
        assert not unknown, f"{self.id}: unknown findings {unknown}"
        return Assessment.from_answers(
            {f: f in self.present for f in FINDING_IDS},
            age_years=self.age_years,
            pain_score=self.pain_score,
            duration_days=self.duration_days,
            episodes_past_year=self.episodes_past_year,
        )


def _v(
    id_: str,
    family: str,
    story: str,
    gold: Urgency,
    basis: str,
    *present: str,
    age: int,
    pain: int = 5,
    days: int = 2,
    episodes: int = 0,
    near_miss: bool = False,
) -> Vignette:
    return Vignette(
        id=id_,
        family=family,
        story=story,
        gold=gold,
        basis=basis,
        present=frozenset(present),
        age_years=age,
        pain_score=pain,
        duration_days=days,
        episodes_past_year=episodes,
        near_miss=near_miss,
    )


VIGNETTES: tuple[Vignette, ...] = (
    # ------------------------------------------------------- the tummy ---
    _v(
        "biliary-colic-vomiting",
        "abdomen",
        "45-year-old woman: pain in the upper tummy spreading to the back, "
        "being sick.",
        E,
        "NHS gallstones: pain spreading from the tummy to the back with "
        "vomiting, 999 or A&E",
        "abdominal_pain",
        "vomiting",
        age=45,
        pain=7,
    ),
    _v(
        "pancreatitis",
        "abdomen",
        "52-year-old man: sudden severe upper tummy pain through to the "
        "back after drinking, vomiting.",
        E,
        "NHS acute pancreatitis; NHS gallstones (sudden severe tummy pain)",
        "abdominal_pain",
        "vomiting",
        "sudden_severe_pain",
        age=52,
        pain=9,
        days=0,
    ),
    _v(
        "cholangitis",
        "abdomen",
        "60-year-old woman: tummy and back pain, fever, yellow eyes.",
        E,
        "NHS gallstones: high temperature, shivering or yellow skin, 999 "
        "or A&E",
        "abdominal_pain",
        "fever",
        "jaundice",
        age=60,
        days=1,
    ),
    _v(
        "tummy-ache-with-strain",
        "abdomen",
        "30-year-old man: back pain after lifting, and an ache in his tummy "
        "for a few hours.",
        U,
        "NHS gallstones: tummy pain lasting over 30 minutes, urgent GP or 111",
        "abdominal_pain",
        "minor_strain_onset",
        age=30,
    ),
    _v(
        "painless-jaundice",
        "abdomen",
        "67-year-old man: dull back pain for a week; his wife says his "
        "eyes look yellow.",
        U,
        "NHS: yellow skin or eyes need to be seen the same day",
        "jaundice",
        age=67,
        days=7,
    ),
    _v(
        "kidney-injury",
        "abdomen",
        "70-year-old man on water tablets: back ache, peeing much less "
        "than usual for two days.",
        U,
        "NHS trusts' AKI information; NHS kidney infection (not had a pee "
        "all day: urgent GP or 111)",
        "little_urine",
        "electrolyte_risk",
        age=70,
        days=2,
    ),
    _v(
        "kidney-blood-in-urine",
        "abdomen",
        "41-year-old woman: pain in the back under the ribs, blood in her "
        "urine, passing less than usual.",
        U,
        "NHS kidney infection: blood in the pee, back pain under the ribs, "
        "urgent GP or 111",
        "urinary_symptoms",
        "little_urine",
        age=41,
        days=1,
    ),
    _v(
        "renal-colic-waves",
        "abdomen",
        "38-year-old man: pain in the side coming in waves towards the "
        "groin, cannot keep still.",
        E,
        "Emergency-medicine references: renal colic is a mimic, not a spasm",
        "flank_to_groin",
        age=38,
        pain=9,
        days=0,
    ),
    _v(
        "vomited-once-strain",
        "abdomen",
        "35-year-old woman: back strain after moving furniture; sick once "
        "after a painkiller on an empty stomach, no tummy pain.",
        S,
        "NICE NG59: non-specific low back pain, self-management",
        "minor_strain_onset",
        "vomiting",
        age=35,
        near_miss=True,
    ),
    # --------------------------------------------------------- pregnancy ---
    _v(
        "preterm-labour",
        "pregnancy",
        "29-year-old, 32 weeks pregnant: low backache with tightenings "
        "that come and go regularly.",
        E,
        "NHS maternity warning signs (regular contractions: maternity "
        "unit now); NICE NG25",
        "pregnant",
        "contractions",
        age=29,
        days=0,
    ),
    _v(
        "pregnancy-bleeding",
        "pregnancy",
        "33-year-old, 20 weeks pregnant: back pain and spotting.",
        E,
        "NHS maternity warning signs: bleeding, call the maternity unit now",
        "pregnant",
        "pregnancy_bleeding",
        age=33,
        days=1,
    ),
    _v(
        "placental-abruption",
        "pregnancy",
        "31-year-old, 34 weeks pregnant: bleeding and constant tummy pain "
        "with back pain.",
        A,
        "NHS maternity: heavy bleeding or constant tummy pain, call 999",
        "pregnant",
        "pregnancy_bleeding",
        "abdominal_pain",
        age=31,
        pain=8,
        days=0,
    ),
    _v(
        "pregnancy-kidney-infection",
        "pregnancy",
        "26-year-old, 24 weeks pregnant: back pain, fever, burning urine.",
        E,
        "NHS maternity warning signs: high temperature; NHS kidney "
        "infection: pregnant, urgent",
        "pregnant",
        "fever",
        "urinary_symptoms",
        age=26,
        days=1,
    ),
    _v(
        "reduced-movements",
        "pregnancy",
        "35-year-old, 36 weeks pregnant: backache; the baby has been "
        "quieter than usual today.",
        E,
        "NHS maternity warning signs: reduced movements, maternity unit now",
        "pregnant",
        "reduced_baby_movements",
        age=35,
        days=0,
    ),
    _v(
        "waters-leaking",
        "pregnancy",
        "30-year-old, 33 weeks pregnant: back pain and a trickle of fluid.",
        E,
        "NHS maternity warning signs: waters breaking or leaking fluid",
        "pregnant",
        "pregnancy_bleeding",
        age=30,
        days=0,
    ),
    _v(
        "pregnant-lifting-strain",
        "pregnancy",
        "28-year-old, 16 weeks pregnant: back strain after lifting her "
        "toddler, nothing else.",
        S,
        "NICE NG59 self-management, adapted to pregnancy (MHRA 2023: no "
        "NSAIDs)",
        "pregnant",
        "minor_strain_onset",
        age=28,
        pain=4,
        near_miss=True,
    ),
    _v(
        "pregnant-evening-ache",
        "pregnancy",
        "24-year-old, 28 weeks pregnant: achy back at the end of the day, "
        "eased by rest.",
        S,
        "NICE NG59 self-management, adapted to pregnancy",
        "pregnant",
        age=24,
        pain=3,
        days=10,
        near_miss=True,
    ),
    # --------------------------------------- infection without a fever ---
    _v(
        "injects-drugs-minor-strain",
        "infection",
        "34-year-old man who injects drugs: new back pain after a minor "
        "strain, no fever.",
        U,
        "ACP 2011 and NICE CKS: IV drug use is an infection red flag; "
        "fever is often absent in epidural abscess",
        "injects_drugs",
        "minor_strain_onset",
        age=34,
    ),
    _v(
        "recent-spinal-operation",
        "infection",
        "58-year-old woman: spinal operation 2 months ago, new back pain, "
        "no fever.",
        U,
        "NICE CKS; reviews of spinal epidural abscess (recent spinal "
        "procedure)",
        "recent_spine_procedure",
        age=58,
        days=5,
    ),
    _v(
        "transplant-immunosuppressed",
        "infection",
        "45-year-old man on transplant medicine: new back pain, no fever.",
        U,
        "NICE CKS: immunosuppression is an infection red flag",
        "weak_immune_system",
        age=45,
        days=3,
    ),
    _v(
        "after-blood-infection",
        "infection",
        "50-year-old woman treated in hospital for a blood infection last "
        "month: new back pain.",
        U,
        "NICE CKS: recent bacterial infection; epidural abscess reviews "
        "(bacteraemia)",
        "recent_serious_infection",
        age=50,
        days=4,
    ),
    _v(
        "injects-drugs-sciatica",
        "infection",
        "40-year-old man who injects drugs: back pain and numbness down "
        "one leg, no fever.",
        E,
        "ACP 2011: suspected infection with neurological deficit, "
        "immediate MRI",
        "injects_drugs",
        "leg_pain_numbness",
        age=40,
        days=6,
    ),
    _v(
        "fever-with-diabetes",
        "infection",
        "62-year-old man with diabetes: back pain and a fever.",
        E,
        "ACP 2011: new back pain with fever and an infection risk, "
        "immediate MRI",
        "fever",
        "infection_risk",
        age=62,
        days=3,
    ),
    _v(
        "diabetes-plain-strain",
        "infection",
        "55-year-old woman with type 2 diabetes: back strain after "
        "gardening, no fever.",
        S,
        "NICE NG59; CLINICAL.md section 7 (diabetes alone is not a referral)",
        "infection_risk",
        "minor_strain_onset",
        age=55,
        near_miss=True,
    ),
    _v(
        "old-back-injection",
        "infection",
        "30-year-old man who had a back injection two years ago: strain "
        "after the gym.",
        S,
        "NICE NG59 self-management",
        "minor_strain_onset",
        age=30,
        near_miss=True,
    ),
    # --------------------------------------- aneurysm without a mass ---
    _v(
        "aneurysm-smoker-sudden",
        "aneurysm",
        "72-year-old man who smokes: sudden, very bad back pain with no "
        "strain, not eased by painkillers.",
        E,
        "NICE NG156: think of rupture in new abdominal or back pain; RCEM",
        "sudden_severe_pain",
        "vascular_risk",
        age=72,
        pain=9,
        days=0,
    ),
    _v(
        "aneurysm-woman-flank",
        "aneurysm",
        "66-year-old woman: sudden severe flank pain, no strain, no "
        "vascular risk factor known to her.",
        E,
        "RCEM: do not diagnose renal colic or back pain over 60 without "
        "excluding an aneurysm",
        "sudden_severe_pain",
        age=66,
        pain=8,
        days=0,
    ),
    _v(
        "aneurysm-hypertension-55",
        "aneurysm",
        "55-year-old man with high blood pressure: sudden severe back "
        "pain at rest.",
        E,
        "NICE NG156 risk factors (hypertension); emergency-medicine "
        "references",
        "sudden_severe_pain",
        "vascular_risk",
        age=55,
        pain=8,
        days=0,
    ),
    _v(
        "aneurysm-belly-and-back",
        "aneurysm",
        "68-year-old man, ex-smoker: belly pain and back pain.",
        E,
        "NICE NG156: new abdominal and/or back pain with risk factors",
        "abdominal_pain",
        "vascular_risk",
        age=68,
        days=1,
    ),
    _v(
        "aneurysm-collapse",
        "aneurysm",
        "75-year-old man: back pain, then he fainted.",
        A,
        "Emergency-medicine references: collapse with back pain",
        "faint_or_collapse",
        age=75,
        days=0,
    ),
    _v(
        "smoker-lifting-strain",
        "aneurysm",
        "65-year-old man who smokes: back pain after lifting a suitcase.",
        S,
        "NICE NG59; CLINICAL.md section 7 near miss (a clear mechanical "
        "trigger)",
        "minor_strain_onset",
        "vascular_risk",
        age=65,
        near_miss=True,
    ),
    _v(
        "gardening-strain-62",
        "aneurysm",
        "62-year-old woman: back pain after a day's gardening.",
        S,
        "NICE NG59 self-management",
        "minor_strain_onset",
        age=62,
        near_miss=True,
    ),
    _v(
        "sudden-severe-young",
        "aneurysm",
        "40-year-old man: sudden very bad back pain at rest, no strain.",
        U,
        "Emergency-medicine references: non-mechanical pain is not a strain",
        "sudden_severe_pain",
        age=40,
        pain=8,
        days=0,
    ),
    # ------------------------------------- the families already covered ---
    _v(
        "ces-saddle",
        "cauda equina",
        "44-year-old woman: back pain and numbness around her bottom.",
        E,
        "NICE NG59; GIRFT suspected-CES pathway",
        "saddle_numbness",
        age=44,
    ),
    _v(
        "ces-retention-both-legs",
        "cauda equina",
        "39-year-old man: sciatica in both legs, trouble starting to pee.",
        E,
        "GIRFT suspected-CES pathway",
        "both_legs",
        "urinary_retention",
        age=39,
        days=4,
    ),
    _v(
        "foot-drop",
        "nerves",
        "50-year-old man: new foot slapping when walking, stable.",
        U,
        "Semigran 2015: one-sided stable weakness is non-emergent",
        "one_leg_weakness",
        "leg_pain_numbness",
        age=50,
        days=5,
    ),
    _v(
        "fall-from-ladder",
        "trauma",
        "47-year-old man: fell from a ladder, back pain.",
        A,
        "NHS back pain: after a serious accident, 999 or A&E",
        "major_trauma",
        age=47,
        days=0,
    ),
    _v(
        "osteoporosis-strain",
        "fracture",
        "74-year-old woman with osteoporosis: sudden pain after bending.",
        U,
        "Henschke 2009; Downie 2013; ACP 2011",
        "minor_strain_onset",
        "osteoporosis",
        age=74,
    ),
    _v(
        "cancer-history",
        "cancer",
        "61-year-old woman, breast cancer 5 years ago: new back pain.",
        U,
        "NICE NG234: contact the MSCC team within 24 hours",
        "cancer_history",
        age=61,
        days=14,
    ),
    _v(
        "chest-and-back",
        "heart",
        "58-year-old man: back pain with tightness in the chest.",
        A,
        "NHS back pain: with chest pain, call 999",
        "chest_pain",
        age=58,
        days=0,
    ),
    _v(
        "two-weak-flags",
        "cancer",
        "58-year-old man: back pain worse at night, not eased by rest.",
        U,
        "NHS urgent tier; CLINICAL.md section 0 (flags in combination)",
        "night_pain",
        age=58,
        days=14,
    ),
    _v(
        "sepsis-signs",
        "infection",
        "66-year-old woman: back pain, confused and drowsy.",
        E,
        "ACP 2011; NHS: very unwell, emergency",
        "very_unwell",
        age=66,
        days=2,
    ),
    _v(
        "severe-pain-strain",
        "severity",
        "37-year-old man: strain after lifting, pain 8 out of 10.",
        R,
        "NHS back pain: severe pain, see a GP",
        "minor_strain_onset",
        age=37,
        pain=8,
    ),
    _v(
        "not-better-at-six-weeks",
        "persistence",
        "43-year-old woman: back pain for 6 weeks, a little better.",
        R,
        "NICE NG59, ACP: review by 4-6 weeks",
        age=43,
        pain=3,
        days=42,
    ),
    _v(
        "plain-strain-lifting",
        "mechanical strain",
        "35-year-old man: back spasm after lifting a box.",
        S,
        "NICE NG59 self-management; the source article",
        "minor_strain_onset",
        age=35,
        near_miss=True,
    ),
    _v(
        "plain-strain-twisting",
        "mechanical strain",
        "48-year-old woman: back strain after twisting, pain 6, day 3.",
        S,
        "NICE NG59 self-management",
        "minor_strain_onset",
        age=48,
        pain=6,
        days=3,
        near_miss=True,
    ),
    _v(
        "plain-strain-gym",
        "mechanical strain",
        "28-year-old man: back strain at the gym yesterday.",
        S,
        "NICE NG59 self-management; Steffens 2015 (triggers)",
        "minor_strain_onset",
        age=28,
        pain=4,
        days=1,
        near_miss=True,
    ),
    _v(
        "plain-strain-night-pain",
        "mechanical strain",
        "40-year-old woman: strain after moving house, worse at night.",
        S,
        "CLINICAL.md section 0: one weak flag alone does not refer",
        "minor_strain_onset",
        "night_pain",
        age=40,
        days=2,
        near_miss=True,
    ),
)


def interview_level(
    vignette: Vignette, *, multiselect: bool = False
) -> tuple[Urgency, int]:
    """
    The level a scripted patient reaches through the interview, and the
    number of prompts: every question answered truthfully from the
    vignette.

    A group prompt gets "none of these" when none of its questions applies,
    otherwise "yes". Then its questions come one by one, or, with
    *multiselect* (a client that shows the group's questions as tick
    boxes), they are all answered on that same prompt.
    """
    return _follow(vignette.assessment(), multiselect=multiselect)


def _follow(truth: Assessment, *, multiselect: bool) -> tuple[Urgency, int]:
    interview = Interview()
    prompts = 0
    while (prompt := interview.next_question()) is not None:
        prompts += 1
        assert prompts <= len(QUESTIONS) + len(GROUPS), "it must end"
        if prompt.is_group:
            answers = [truth.answer(q.id) for q in prompt.questions]
            if all(a is Answer.ABSENT for a in answers):
                interview = interview.answer(prompt.id, value=False)
                continue
            interview = interview.answer(
                prompt.id, True if Answer.PRESENT in answers else None
            )
            if multiselect:
                for question, answer in zip(
                    prompt.questions, answers, strict=True
                ):
                    interview = interview.answer(question.id, answer)
        elif QUESTIONS[prompt.id].kind is AnswerKind.INTEGER:
            interview = interview.answer(prompt.id, truth.number(prompt.id))
        else:
            interview = interview.answer(prompt.id, truth.answer(prompt.id))
    return interview.escalation.level, prompts


@attrs.frozen
class Figures:
    """
    Accuracy, under-triage and over-triage, per gold level and overall.
    """

    per_level: dict[Urgency, tuple[int, int, int, int]]
    emergent_recognised: tuple[int, int]
    self_care_given: tuple[int, int]

    @property
    def under_triaged(self) -> int:
        return sum(under for _, _, under, _ in self.per_level.values())


def score(results: Iterable[tuple[Vignette, Urgency]]) -> Figures:
    """
    Per gold level: cases, exact, under-triaged, over-triaged; and the
    3-level figures published evaluations report.
    """
    counts: Counter[tuple[Urgency, str]] = Counter()
    emergent = [0, 0]
    self_care = [0, 0]
    for vignette, level in results:
        counts[vignette.gold, "n"] += 1
        if level == vignette.gold:
            counts[vignette.gold, "exact"] += 1
        elif level < vignette.gold:
            counts[vignette.gold, "under"] += 1
        else:
            counts[vignette.gold, "over"] += 1
        if vignette.gold.category is TriageCategory.EMERGENT:
            emergent[1] += 1
            emergent[0] += level.category is TriageCategory.EMERGENT
        if vignette.gold is Urgency.SELF_CARE:
            self_care[1] += 1
            self_care[0] += level is Urgency.SELF_CARE
    return Figures(
        per_level={
            gold: (
                counts[gold, "n"],
                counts[gold, "exact"],
                counts[gold, "under"],
                counts[gold, "over"],
            )
            for gold in reversed(Urgency)
            if counts[gold, "n"]
        },
        emergent_recognised=(emergent[0], emergent[1]),
        self_care_given=(self_care[0], self_care[1]),
    )


def figures_table(figures: Figures) -> str:
    """
    The figures as the Markdown table on the docs' safety page.
    """
    rows = [
        "| Gold level | Cases | Exact | Under-triaged | Over-triaged |",
        "|---|---|---|---|---|",
    ]
    total = [0, 0, 0, 0]
    for gold, (n, exact, under, over) in figures.per_level.items():
        rows.append(f"| `{gold.name}` | {n} | {exact} | {under} | {over} |")
        total = [
            t + v for t, v in zip(total, (n, exact, under, over), strict=True)
        ]
    rows.append(
        f"| **All** | {total[0]} | {total[1]} | {total[2]} | {total[3]} |"
    )
    got, of = figures.emergent_recognised
    rows.append("")
    rows.append(
        f"Emergencies recognised as emergent: {got} of {of} "
        f"({100 * got // of}%)."
    )
    got, of = figures.self_care_given
    rows.append(
        f"Self-care cases given self-care: {got} of {of} ({100 * got // of}%)."
    )
    return "\n".join(rows)


def direct_results() -> list[tuple[Vignette, Urgency]]:
    """
    Every vignette's level from :func:`spasmcare.evaluate`, all answered.
    """
    return [(v, evaluate(v.assessment()).level) for v in VIGNETTES]
