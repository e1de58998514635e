# SPDX-License-Identifier: MIT
"""
The self-care content: the source article's steps, reconciled with the
guidelines (CLINICAL.md section 3).

Where the article and the guidelines disagree, the guidelines win and the
step's evidence note says so:

- **Bed rest.** The article's "a couple of days' rest" became brief
  relative rest with short walks from day 1 (Cochrane, Dahm 2010; NICE NG59).
- **Electrolytes.** The article's hydration, potassium and calcium claim is
  unsupported by any back-pain guideline: no supplement advice; cramps in
  many muscles are routed to a doctor for a blood test instead.
- **Paracetamol.** The article does not mention it, but people use it:
  NICE NG59 advises against paracetamol alone, so it is not promoted,
  and the medicine step warns about maximum doses and combination products.
- **Cold then heat.** The article's order is kept, with cold labelled
  "limited evidence" and heat allowed from day 1 (ACP 2017, NHS).
- **Pregnancy.** The article does not mention it. For a person who is or
  could be pregnant, the anti-inflammatory step is replaced by
  :data:`PREGNANCY_PAIN_RELIEF` (MHRA 2023: avoid NSAIDs bought without
  prescription) and heat carries :data:`PREGNANCY_HEAT_CAUTION`.
"""

from __future__ import annotations

from . import _citations as src
from ._careplan import SKIN_SAFETY_CAUTIONS, Phase, Schedule, Step, StepKind
from ._i18n import N_

__all__ = [
    "EXERCISE_PROGRAMME",
    "EXERCISE_PROGRAMME_PSYCHOLOGICAL",
    "PREGNANCY_HEAT_CAUTION",
    "PREGNANCY_PAIN_RELIEF",
    "PREVENTION",
    "SELF_CARE_STEPS",
]

STOP_ACTIVITY = Step(
    id="stop_activity",
    phase=Phase.NOW,
    kind=StepKind.STOP_ACTIVITY,
    title=N_("Stop what you are doing"),
    instructions=(
        N_(
            "At the first sign of a spasm, stop the activity that brought it "
            "on, even if the pain is mild. Find a comfortable position."
        )
    ),
    evidence="From the source article; common-sense first aid rather than "
    "trial evidence.",
    citations=(src.ARTICLE,),
)

MASSAGE = Step(
    id="gentle_massage",
    phase=Phase.NOW,
    kind=StepKind.MASSAGE,
    title=N_("Gently massage the sore muscle"),
    instructions=(
        N_(
            "Gently rub or massage the tight muscle, or ask someone to. "
            "Keep it gentle."
        )
    ),
    cautions=(N_("Stop if massage makes the pain worse."),),
    evidence=(
        "Low-quality evidence (ACP 2017). NICE NG59 supports manual "
        "therapy only alongside exercise, so keep moving as well."
    ),
    citations=(src.ARTICLE, src.QASEEM_ACP_2017, src.NICE_NG59),
)

PAIN_RELIEF = Step(
    id="pain_relief_check",
    phase=Phase.NOW,
    kind=StepKind.MEDICINE,
    title=N_("Ask a pharmacist about a painkiller such as ibuprofen"),
    instructions=(
        N_(
            "If you want a medicine, an anti-inflammatory painkiller such as "
            "ibuprofen is the usual first choice. Ask a pharmacist first, take "
            "the lowest dose that helps, for the shortest time. Paracetamol "
            "on its own is not recommended for back pain."
        )
    ),
    cautions=(
        (
            N_(
                "Ask a pharmacist or doctor before you take ibuprofen or a "
                "painkiller like it if any of these apply. You have had a stomach "
                "ulcer or bleeding. You have kidney disease, heart failure or high "
                "blood pressure. You take blood thinners. You are pregnant, or 65 "
                "or over. You have asthma that these medicines make worse."
            )
        ),
        (
            N_(
                "If you take paracetamol (acetaminophen), never take more than "
                "the maximum dose on the pack. Check cold and flu remedies and other "
                "painkillers too: they often contain it."
            )
        ),
        (
            N_(
                "Do not take potassium, calcium or other supplements for back "
                "spasms. There is no good evidence that they help."
            )
        ),
    ),
    evidence=(
        "Anti-inflammatories are the ACP's first drug choice but help only "
        "a little (about 7 points on a 100-point pain scale, Cochrane 2020). "
        "NICE NG59 advises against paracetamol alone (PACE trial: no "
        "benefit over placebo). The article's potassium and calcium claim "
        "is not supported by back-pain guidelines."
    ),
    citations=(
        src.QASEEM_ACP_2017,
        src.VAN_DER_GAAG_2020,
        src.NICE_NG59,
        src.WILLIAMS_2014,
    ),
)

#: The medicine step for a person who is or could be pregnant: no
#: anti-inflammatories (MHRA Drug Safety Update 2023; NHS).
PREGNANCY_PAIN_RELIEF = Step(
    id="pain_relief_pregnancy",
    phase=Phase.NOW,
    kind=StepKind.MEDICINE,
    title=N_("Ask your midwife or a pharmacist before taking any painkiller"),
    instructions=(
        N_(
            "You told us you are or could be pregnant. Do not take "
            "anti-inflammatory painkillers such as ibuprofen, naproxen or "
            "aspirin for pain unless a doctor tells you to. Ask your midwife, "
            "doctor or pharmacist which painkiller is safe for you."
        )
    ),
    cautions=(
        (
            N_(
                "Check the pack: some cold and flu remedies and other "
                "painkillers contain ibuprofen or aspirin."
            )
        ),
        (
            N_(
                "If you take paracetamol (acetaminophen), never take more than "
                "the maximum dose on the pack."
            )
        ),
    ),
    evidence=(
        "The MHRA advises pregnant people to avoid NSAIDs bought without "
        "prescription: they are contraindicated after 28 weeks, and "
        "prolonged use from 20 weeks is linked to low amniotic fluid and "
        "fetal kidney problems. The NHS advises asking a midwife, GP or "
        "pharmacist before any medicine in pregnancy."
    ),
    citations=(src.MHRA_NSAIDS_PREGNANCY, src.NHS_IBUPROFEN_PREGNANCY),
)

#: The caution a heat step carries for a person who is pregnant.
PREGNANCY_HEAT_CAUTION = N_(
    "You told us you are or could be pregnant. Use warm heat, not hot, and "
    "only on your back, never on your bump. Stay out of hot tubs, saunas "
    "and very hot baths."
)

COLD_PACK = Step(
    id="cold_pack",
    phase=Phase.FIRST_48_HOURS,
    kind=StepKind.COLD,
    title=N_("Use a cold pack if it helps (optional)"),
    instructions=(
        N_(
            "Wrap ice or a bag of frozen peas in a towel and hold it on the "
            "painful area for 12 to 15 minutes. Repeat every couple of hours "
            "while you are awake, for the first two days. If you prefer heat, "
            "you can use heat instead from the start."
        )
    ),
    timing=N_(
        "12-15 minutes, every couple of hours while awake, for the "
        "first 48 hours."
    ),
    schedule=Schedule(
        minutes_min=12, minutes_max=15, every_hours=2, for_hours=48
    ),
    cautions=SKIN_SAFETY_CAUTIONS,
    evidence=(
        "Limited evidence: Cochrane found too little research on cold to "
        "say whether it helps; the NHS accepts a wrapped ice pack. The "
        "article's timing sits within the usual 10-20 minutes."
    ),
    citations=(
        src.ARTICLE,
        src.FRENCH_2006,
        src.NHS_BACK_PAIN,
        src.HEAT_COLD_SAFETY,
    ),
)

KEEP_MOVING = Step(
    id="keep_moving",
    phase=Phase.FIRST_48_HOURS,
    kind=StepKind.MOVEMENT,
    title=N_("Rest briefly, but keep moving"),
    instructions=(
        N_(
            "Rest only as much as you need to, and avoid bed rest. From the "
            "first day, get up and walk for a few minutes at a time, several "
            "times a day, and slowly do more as the pain allows."
        )
    ),
    timing=N_("From day 1: a few minutes of walking, several times a day."),
    evidence=(
        "Staying active helps pain and function a little more than bed "
        "rest (Cochrane, Dahm 2010); NICE, the NHS and the ACP all advise "
        "against long bed rest. The article's 'couple of days' rest' is "
        "therefore reduced to brief relative rest."
    ),
    citations=(src.DAHM_2010, src.NICE_NG59, src.NHS_BACK_PAIN, src.ARTICLE),
)

MOIST_HEAT = Step(
    id="moist_heat",
    phase=Phase.AFTER_48_HOURS,
    kind=StepKind.HEAT,
    title=N_("Use moist heat to ease stiffness"),
    instructions=(
        N_(
            "After the first two days, or from the start if you prefer heat, "
            "put moist heat on the sore area. It helps the muscle relax. Use a "
            "warm damp towel, a moist heat pad from a pharmacy, or a warm bath "
            "or shower, for up to 20 minutes at a time."
        )
    ),
    timing=N_("Up to 20 minutes at a time, a few times a day."),
    schedule=Schedule(minutes_min=10, minutes_max=20),
    cautions=(
        *SKIN_SAFETY_CAUTIONS,
        N_("Do not use heat to treat a fever or an infection."),
    ),
    evidence=(
        "Heat is recommended (ACP 2017, strong recommendation, "
        "moderate-quality evidence); a heat wrap reduced pain at day 5 "
        "(Cochrane, French 2006)."
    ),
    citations=(
        src.QASEEM_ACP_2017,
        src.FRENCH_2006,
        src.ARTICLE,
        src.HEAT_COLD_SAFETY,
    ),
)

BACK_TO_NORMAL = Step(
    id="return_to_activity",
    phase=Phase.ONGOING,
    kind=StepKind.MOVEMENT,
    title=N_("Get back to your normal activities and work step by step"),
    instructions=(
        N_(
            "Go back to your usual activities, and to work, step by step. You do "
            "not need to wait until the pain has gone. Exercise helps most "
            "people with back pain."
        )
    ),
    evidence="NICE NG59 and the ACP advise staying active and returning to "
    "normal activity; exercise is part of NICE's recommended care.",
    citations=(src.NICE_NG59, src.QASEEM_ACP_2017),
)

#: The self-care steps, in order.
SELF_CARE_STEPS = (
    STOP_ACTIVITY,
    MASSAGE,
    PAIN_RELIEF,
    COLD_PACK,
    KEEP_MOVING,
    MOIST_HEAT,
    BACK_TO_NORMAL,
)

#: Advice for the next time (the article's triggers, Steffens 2015).
PREVENTION = (
    (
        N_(
            "Take care with heavy lifting, workouts and hard sport: they often "
            "bring on back pain. Lift close to your body and bend your knees. "
            "Avoid heavy loads when you are tired or distracted."
        )
    ),
    (
        N_(
            "Stay active between episodes: regular exercise and walking keep your "
            "back strong."
        )
    ),
    (
        N_(
            "Drink as normal. There is no good evidence that extra water, or "
            "potassium or calcium supplements, prevent back spasms."
        )
    ),
    (
        N_(
            "Do not ignore the first sign of pain: stop the activity and start "
            "the steps above early."
        )
    ),
)

#: Stratified care for a medium STarT Back risk (NICE NG59 1.1.3).
EXERCISE_PROGRAMME = Step(
    id="exercise_programme",
    phase=Phase.ONGOING,
    kind=StepKind.STRATIFIED_CARE,
    title=N_("Ask about an exercise programme"),
    instructions=(
        N_(
            "Your answers to the back pain questions your clinician asked show "
            "that more support may help you get better. Ask your GP or a "
            "physiotherapist about a programme of exercises for your back."
        )
    ),
    timing=N_("Over the next few weeks."),
    evidence=(
        "NICE NG59 1.1.3: people at higher risk of a poor outcome (STarT "
        "Back medium or high) are offered more complex and intensive "
        "support, such as exercise programmes with or without manual "
        "therapy."
    ),
    citations=(src.NICE_NG59, src.HILL_2008),
)

#: Stratified care for a high STarT Back risk (NICE NG59 1.1.3).
EXERCISE_PROGRAMME_PSYCHOLOGICAL = Step(
    id="exercise_programme_psychological",
    phase=Phase.ONGOING,
    kind=StepKind.STRATIFIED_CARE,
    title=N_("Ask about an exercise programme that also helps with worry"),
    instructions=(
        N_(
            "Your answers to the back pain questions your clinician asked show "
            "that more support may help you get better. Ask your GP or a "
            "physiotherapist about a programme of exercises. Ask for one that "
            "also helps with worry, low mood or fear of moving."
        )
    ),
    timing=N_("Over the next few weeks."),
    evidence=(
        "NICE NG59 1.1.3: for higher risk, exercise programmes with or "
        "without manual therapy or using a psychological approach; "
        "STarT Back high risk marks the psychosocial part."
    ),
    citations=(src.NICE_NG59, src.HILL_2008),
)
