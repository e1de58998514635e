# SPDX-License-Identifier: MIT
"""
DEFAULT_RULES: the cited escalation catalogue.

This is the one place where spasmcare's clinical logic lives.
Levels follow CLINICAL.md section 1; the combination of weak flags
follows its section 0. Change a rule only with a new rule-set version
and a CHANGELOG entry naming the rule id and its source.
"""

from __future__ import annotations

from . import _citations as src
from ._i18n import N_
from ._rules import Rule, RuleSet
from ._urgency import Urgency
from .criteria import (
    AllOf,
    AnyOf,
    AtLeast,
    AtMost,
    CountAtLeast,
    OnsetBefore,
    Present,
)

__all__ = ["DEFAULT_RULES"]

# Shared pieces, defined once so that no threshold is written twice.

#: NICE NG59 covers "people aged 16 and over" (its title: "in over 16s").
_LOWEST_AGE_COVERED = 16

#: NG59 reviews management by 4-6 weeks; several flag lists use
#: "failure to improve after 1 month" (CLINICAL.md sections 1 and 6).
_NO_IMPROVEMENT_AFTER_4_WEEKS = AllOf(
    AtLeast("duration_days", 28), Present("no_improvement")
)
#: "Not resolved by 4-6 weeks": the upper end of the guideline window.
_UNRESOLVED_AFTER_6_WEEKS = AtLeast("duration_days", 42)
#: Neurological symptoms that make a cancer or infection flag an emergency.
_NEUROLOGICAL = AnyOf(
    Present("one_leg_weakness"),
    Present("progressive_weakness"),
    Present("leg_pain_numbness"),
    Present("walking_difficulty"),
    Present("both_legs"),
    Present("urinary_retention"),
    Present("incontinence"),
    Present("saddle_numbness"),
)
#: Severe pain: NRS 7 or more, or the NHS functional description
#: (CLINICAL.md sections 1 and 4).
_SEVERE_PAIN = AnyOf(AtLeast("pain_score", 7), Present("pain_unbearable"))
#: Strong risks of spinal infection that count even without a fever
#: (ACP 2011; NICE CKS; reviews of spinal epidural abscess). Diabetes alone
#: is deliberately not one of them: it is common, and on its own would send
#: many plain strains to a doctor (CLINICAL.md section 7, Henschke 2009).
_STRONG_INFECTION_RISK = AnyOf(
    Present("injects_drugs"),
    Present("weak_immune_system"),
    Present("recent_spine_procedure"),
    Present("recent_serious_infection"),
)
#: Old enough to think of an aneurysm first: 60 or over, or 50 or over with
#: a vascular risk factor (NICE NG156 risk factors; RCEM: over 60).
_ANEURYSM_AGE = AnyOf(
    AtLeast("age_years", 60),
    AllOf(AtLeast("age_years", 50), Present("vascular_risk")),
)

_RULES = (
    # ------------------------------------------------------ emergencies ---
    Rule(
        id="aortic_aneurysm",
        title="Possible leaking or ruptured aortic aneurysm",
        urgency=Urgency.AMBULANCE,
        criterion=AnyOf(
            Present("faint_or_collapse"), Present("pulsating_abdomen")
        ),
        rationale=(
            "Back, flank or abdominal pain with faintness, collapse or a "
            "pulsating feeling in the abdomen can be a leaking aortic "
            "aneurysm; the classic triad is present in only about half of "
            "cases and it is often mistaken for renal colic."
        ),
        warning_sign=(
            N_("You faint or collapse, or feel a pulsing in your belly.")
        ),
        citations=(src.EMERGENCY_MEDICINE,),
    ),
    Rule(
        id="pregnancy_bleeding_with_pain",
        title="Pregnant, with bleeding and tummy pain (possible placental "
        "abruption)",
        urgency=Urgency.AMBULANCE,
        criterion=AllOf(
            Present("pregnant"),
            Present("pregnancy_bleeding"),
            Present("abdominal_pain"),
        ),
        rationale=(
            "NHS maternity guidance says to call 999 for heavy bleeding or "
            "constant tummy pain in pregnancy; placental abruption usually "
            "causes constant pain. Bleeding with tummy pain is treated as "
            "an ambulance case whatever the amount, to err on the safe side."
        ),
        warning_sign=N_(
            "You are pregnant and have bleeding with pain in your tummy."
        ),
        citations=(src.NHS_MATERNITY,),
        advice=N_(
            "Call an ambulance now, and tell them you are pregnant. "
            "Then call your maternity unit if you can."
        ),
    ),
    Rule(
        id="chest_pain",
        title="Back pain with chest pain (possible heart attack or aortic dissection)",
        urgency=Urgency.AMBULANCE,
        criterion=Present("chest_pain"),
        rationale="Back pain with chest pain can be a cardiac event or an "
        "aortic dissection; the NHS advises calling 999.",
        warning_sign=N_("You get chest pain or tightness."),
        citations=(src.NHS_BACK_PAIN,),
    ),
    Rule(
        id="major_trauma",
        title="Back pain after major trauma (possible spinal fracture or injury)",
        urgency=Urgency.AMBULANCE,
        criterion=Present("major_trauma"),
        rationale=(
            "Pain that began after a serious accident may be a vertebral "
            "fracture or spinal injury (severe trauma: post-test probability "
            "of fracture about 11%). The NHS advises 999 or A&E; the more "
            "urgent option is used so that a person with a possible spinal "
            "injury does not travel unassisted."
        ),
        warning_sign=N_(
            "Your back pain started after a serious accident or fall."
        ),
        citations=(src.NHS_BACK_PAIN, src.DOWNIE_2013),
    ),
    Rule(
        id="cauda_equina",
        title="Possible cauda equina syndrome",
        urgency=Urgency.EMERGENCY,
        criterion=AnyOf(
            Present("urinary_retention"),
            Present("incontinence"),
            Present("saddle_numbness"),
            Present("sexual_dysfunction"),
            Present("both_legs"),
            Present("walking_difficulty"),
        ),
        rationale=(
            "No single symptom is diagnostic, so UK pathways treat any of "
            "these as cauda equina syndrome until proven otherwise and call "
            "for emergency MRI; NICE calls it a surgical emergency. "
            "Constipation alone is not a trigger."
        ),
        warning_sign=(
            N_(
                "You feel numb between your legs or around your bottom or "
                "genitals. Or you have new trouble peeing, you leak pee or poo, "
                "or you have new problems with sex. Or you have symptoms in both "
                "legs, or new trouble walking."
            )
        ),
        citations=(
            src.NICE_NG59,
            src.NHS_BACK_PAIN,
            src.GIRFT_CES,
            src.BASS_CES,
            src.CHOU_ACP_2011,
        ),
    ),
    Rule(
        id="progressive_neurological_deficit",
        title="Progressive or multi-level weakness (possible nerve compression)",
        urgency=Urgency.EMERGENCY,
        criterion=Present("progressive_weakness"),
        rationale="Severe or progressive neurological deficit is listed by "
        "the ACP for immediate imaging.",
        warning_sign=N_("Weakness in a leg gets worse or spreads."),
        citations=(src.CHOU_ACP_2011,),
    ),
    Rule(
        id="cancer_with_neurology",
        title="History of cancer with neurological symptoms "
        "(possible metastatic spinal cord compression)",
        urgency=Urgency.EMERGENCY,
        criterion=AllOf(Present("cancer_history"), _NEUROLOGICAL),
        rationale=(
            "With a history of cancer, back pain with radicular pain, limb "
            "weakness, difficulty walking, sensory loss or bladder or bowel "
            "change needs assessment immediately, as an oncological "
            "emergency."
        ),
        warning_sign=(
            N_(
                "You have had cancer, and you get weakness, numbness or pain "
                "down a leg. Or it gets hard to walk, or your peeing or pooing "
                "changes."
            )
        ),
        citations=(src.NICE_NG234,),
    ),
    Rule(
        id="spinal_infection_severe",
        title="Signs of sepsis, or fever with an infection risk factor or "
        "neurological symptoms (possible spinal infection)",
        urgency=Urgency.EMERGENCY,
        criterion=AnyOf(
            Present("very_unwell"),
            AllOf(
                Present("fever"),
                AnyOf(
                    Present("infection_risk"),
                    _STRONG_INFECTION_RISK,
                    _NEUROLOGICAL,
                ),
            ),
            AllOf(_STRONG_INFECTION_RISK, _NEUROLOGICAL),
        ),
        rationale=(
            "Feeling very unwell (sepsis signs), or fever with back pain "
            "and a risk factor such as injecting drugs or a recent "
            "infection, or with any neurological deficit, calls for "
            "immediate assessment and MRI. Fever is often absent in spinal "
            "epidural abscess (the full triad is found in 10-37%), so a "
            "strong infection risk with neurological symptoms counts as an "
            "emergency without a fever too."
        ),
        warning_sign=(
            N_(
                "You feel very unwell (confused, very drowsy, short of breath, "
                "blotchy skin), or have a fever with weakness or numbness."
            )
        ),
        citations=(
            src.CHOU_ACP_2011,
            src.NHS_BACK_PAIN,
            src.YUSUF_2019,
            src.SEA_REVIEWS,
        ),
    ),
    Rule(
        id="aortic_aneurysm_suspected",
        title="Sudden severe pain, or tummy and back pain with vascular "
        "risk, at an age to think of an aortic aneurysm first",
        urgency=Urgency.EMERGENCY,
        criterion=AnyOf(
            AllOf(Present("sudden_severe_pain"), _ANEURYSM_AGE),
            AllOf(
                Present("abdominal_pain"),
                Present("vascular_risk"),
                AtLeast("age_years", 50),
            ),
        ),
        rationale=(
            "NICE NG156: think of a ruptured aneurysm in people with new "
            "abdominal and/or back pain; the classic triad (pain, low blood "
            "pressure, pulsatile mass) is present in only about half. "
            "Emergency medicine teaches not to diagnose renal colic or "
            "muscular back pain over 60 before excluding it. Sudden, "
            "severe pain with no mechanical trigger at 60 or over (50 or "
            "over with a vascular risk factor), or tummy and back pain with "
            "a vascular risk factor at 50 or over, needs emergency "
            "assessment. A clear strain (lifting, twisting) is the near "
            "miss."
        ),
        warning_sign=N_(
            "You are 50 or over, and very bad pain starts all of "
            "a sudden with no strain, or your tummy starts to hurt too."
        ),
        citations=(src.NICE_NG156, src.RCEM_AAA, src.EMERGENCY_MEDICINE),
    ),
    Rule(
        id="abdominal_emergency",
        title="Tummy pain with back pain and vomiting, fever, yellow skin "
        "or a sudden severe start (possible pancreatitis, gallstone "
        "complication or other abdominal emergency)",
        urgency=Urgency.EMERGENCY,
        criterion=AllOf(
            Present("abdominal_pain"),
            AnyOf(
                Present("vomiting"),
                Present("fever"),
                Present("jaundice"),
                Present("sudden_severe_pain"),
            ),
        ),
        rationale=(
            "The NHS says to call 999 or go to A&E for sudden, severe tummy "
            "pain, pain spreading from the tummy to the back with vomiting, "
            "a very high temperature or shivering, or yellow skin or eyes "
            "(gallstones); acute pancreatitis presents as sudden severe "
            "pain that travels to the back, with vomiting, fever or "
            "jaundice. These are mimics of back pain, not a spasm."
        ),
        warning_sign=N_(
            "You have pain in your tummy and you are being sick, "
            "have a fever, or your skin or eyes turn yellow."
        ),
        citations=(src.NHS_GALLSTONES, src.NHS_PANCREATITIS),
    ),
    Rule(
        id="pregnancy_warning_signs",
        title="Pregnant, with bleeding, fluid loss, contractions, fewer "
        "baby movements, fever, tummy pain or severe pain (possible "
        "preterm labour or placental problem)",
        urgency=Urgency.EMERGENCY,
        criterion=AllOf(
            Present("pregnant"),
            AnyOf(
                Present("pregnancy_bleeding"),
                Present("contractions"),
                Present("reduced_baby_movements"),
                Present("fever"),
                Present("abdominal_pain"),
                _SEVERE_PAIN,
            ),
        ),
        rationale=(
            "NHS maternity guidance: call the maternity unit straight away "
            "(not the next day) for bleeding, fluid leaking, regular "
            "painful contractions, reduced or changed baby movements or a "
            "high temperature. Low backache with tightenings can be "
            "preterm labour (NICE NG25), and placental abruption causes "
            "constant tummy pain even without bleeding. Severe pain in "
            "pregnancy is not left to self-care: maternity services "
            "assess it."
        ),
        warning_sign=N_(
            "You are pregnant and you bleed or leak fluid. Or "
            "your bump tightens on and off, your baby moves less, or you get a "
            "fever, tummy pain or very bad pain."
        ),
        citations=(src.NHS_MATERNITY, src.NICE_NG25),
        advice=N_(
            "Because you are pregnant, call your maternity unit or "
            "midwife now: they may ask you to go straight to the maternity "
            "unit. If you cannot reach them, go to {emergency_department}."
        ),
    ),
    Rule(
        id="renal_colic",
        title="Possible renal colic (a kidney-stone mimic, not a back spasm)",
        urgency=Urgency.EMERGENCY,
        criterion=Present("flank_to_groin"),
        rationale="Flank pain spreading to the groin, with restlessness or "
        "vomiting, mimics back pain; a triage tool must not route it to "
        "self-care.",
        warning_sign=N_(
            "Pain in your side comes in waves and spreads to your "
            "groin, or makes you sick."
        ),
        citations=(src.EMERGENCY_MEDICINE,),
    ),
    Rule(
        id="electrolyte_emergency",
        title="Widespread cramps with palpitations (possible severe "
        "electrolyte disturbance)",
        urgency=Urgency.EMERGENCY,
        criterion=AllOf(Present("widespread_cramps"), Present("palpitations")),
        rationale="Cramps in many muscles with palpitations can mean a "
        "dangerous potassium, calcium or magnesium level.",
        warning_sign=N_(
            "You have cramps in many muscles and your heart races or flutters."
        ),
        citations=(src.ELECTROLYTES,),
    ),
    # ----------------------------------------------------- same day (U) ---
    Rule(
        id="one_sided_weakness",
        title="New one-sided leg weakness (possible radiculopathy with "
        "motor deficit)",
        urgency=Urgency.URGENT,
        criterion=Present("one_leg_weakness"),
        rationale=(
            "New, stable weakness in one leg or foot (such as foot drop) is "
            "not an emergency but is not self-care either; the article's "
            "'accompanied by weakness' is split by pattern, since weakness "
            "in both legs or getting worse is an emergency."
        ),
        warning_sign=N_("You get new weakness in a leg or foot."),
        citations=(src.SEMIGRAN_2015, src.ARTICLE),
    ),
    Rule(
        id="cancer_history",
        title="History of cancer with new back pain (possible spinal "
        "metastasis)",
        urgency=Urgency.URGENT,
        criterion=Present("cancer_history"),
        rationale=(
            "A history of cancer is the best-supported malignancy flag "
            "(post-test probability about 33% in one setting, 4.6-7% in "
            "primary care); NICE asks for contact with the MSCC team within "
            "24 hours for pain suggesting spinal metastases."
        ),
        warning_sign=N_("You have had cancer and now have back pain."),
        citations=(src.NICE_NG234, src.DOWNIE_2013, src.VERHAGEN_2016),
    ),
    Rule(
        id="malignancy_flags",
        title="Unexplained weight loss or a lump (possible serious "
        "underlying cause)",
        urgency=Urgency.URGENT,
        criterion=AnyOf(Present("weight_loss"), Present("lump_or_deformity")),
        rationale="Unexplained weight loss, a lump, swelling or spinal "
        "deformity are in the NHS urgent tier.",
        warning_sign=N_(
            "You lose weight without trying, or notice a lump or "
            "a change in the shape of your spine."
        ),
        citations=(src.NHS_BACK_PAIN, src.CHOU_ACP_2011),
    ),
    Rule(
        id="weak_flags_combined",
        title="Two or more weak warning signs together (possible serious "
        "underlying cause)",
        urgency=Urgency.URGENT,
        criterion=CountAtLeast(
            2,
            AtLeast("age_years", 50),
            Present("night_pain"),
            Present("thoracic_pain"),
            Present("cough_sneeze_pain"),
            _NO_IMPROVEMENT_AFTER_4_WEEKS,
        ),
        rationale=(
            "Age 50 or over, night pain, pain between the shoulder blades, "
            "pain worse on coughing and failure to improve after a month each "
            "barely change the probability of serious disease, and 80% of "
            "primary-care patients have at least one flag; so no single one "
            "escalates, but two or more together are treated as urgent."
        ),
        warning_sign=N_(
            "You have two or more of these. Pain at night that "
            "rest does not ease. Pain between the shoulder blades. Pain worse "
            "when you cough, sneeze or strain. Being 50 or over. No better at "
            "all after 4 weeks."
        ),
        citations=(
            src.HENSCHKE_2009,
            src.DOWNIE_2013,
            src.NHS_BACK_PAIN,
            src.DEYO_1988,
        ),
    ),
    Rule(
        id="fracture_risk",
        title="Sudden pain with fracture risk (possible osteoporotic "
        "compression fracture)",
        urgency=Urgency.URGENT,
        criterion=AllOf(
            Present("minor_strain_onset"),
            AnyOf(
                Present("osteoporosis"),
                Present("steroid_use"),
                AtLeast("age_years", 70),
            ),
        ),
        rationale=(
            "Sudden pain after a minor strain with osteoporosis, prolonged "
            "corticosteroid use (post-test probability of fracture about "
            "33%) or older age (>70, Henschke) suggests a compression "
            "fracture; age 70 itself is included, to err on the safe side."
        ),
        warning_sign=N_(
            "Your pain started suddenly. And you have osteoporosis "
            "(thin or fragile bones), take steroid tablets for a long time, or "
            "are 70 or over."
        ),
        citations=(src.HENSCHKE_2009, src.DOWNIE_2013, src.CHOU_ACP_2011),
    ),
    Rule(
        id="spinal_infection",
        title="Back pain with fever (possible spinal infection)",
        urgency=Urgency.URGENT,
        criterion=Present("fever"),
        rationale="Fever, chills or rigors with back pain can be a spinal "
        "infection (fever in 55% of cases); the NHS puts it in the "
        "urgent tier.",
        warning_sign=N_(
            "You get a fever (38 °C / 100.4 °F or higher) or shivering."
        ),
        citations=(src.NHS_BACK_PAIN, src.CHOU_ACP_2011, src.YUSUF_2019),
    ),
    Rule(
        id="kidney_infection",
        title="Urinary symptoms with fever (possible kidney infection, a "
        "back-pain mimic)",
        urgency=Urgency.URGENT,
        criterion=AllOf(Present("urinary_symptoms"), Present("fever")),
        rationale="Urinary symptoms with fever suggest pyelonephritis, "
        "which mimics back pain and must not be routed to self-care.",
        warning_sign=N_("It burns when you pass urine and you have a fever."),
        citations=(src.EMERGENCY_MEDICINE,),
    ),
    Rule(
        id="spinal_infection_risk",
        title="New back pain with a strong risk of spinal infection, "
        "without fever (possible spinal epidural abscess or discitis)",
        urgency=Urgency.URGENT,
        criterion=_STRONG_INFECTION_RISK,
        rationale=(
            "Fever is absent in about half of spinal infections (present in "
            "55% of cases in Yusuf 2019; about a third to a half in "
            "reviews of epidural abscess), so injecting drugs, a weakened "
            "immune system, a spinal operation or injection, or a serious "
            "infection in the last 3 months calls for a same-day "
            "assessment even without a fever (ACP 2011; NICE CKS). The "
            "3-month window is spasmcare's choice, pending clinical "
            "review. Diabetes alone does not trigger this rule."
        ),
        warning_sign=N_(
            "You have new back pain and you inject drugs or have "
            "a weak immune system (less able to fight germs). Or you had a back operation, a back "
            "injection or a bad infection in the last 3 months."
        ),
        citations=(
            src.CHOU_ACP_2011,
            src.NICE_CKS_BACK_PAIN,
            src.SEA_REVIEWS,
            src.YUSUF_2019,
        ),
    ),
    Rule(
        id="abdominal_symptoms",
        title="Tummy pain or yellow skin with back pain (possible "
        "abdominal cause, not a back spasm)",
        urgency=Urgency.URGENT,
        criterion=AnyOf(Present("abdominal_pain"), Present("jaundice")),
        rationale=(
            "Back pain with tummy pain can come from the gallbladder, "
            "pancreas, kidneys or aorta rather than the back; the NHS "
            "advises an urgent GP appointment or NHS 111 for tummy pain "
            "lasting more than 30 minutes, and yellow skin or eyes needs "
            "to be seen the same day."
        ),
        warning_sign=N_(
            "You get pain in your tummy, or your skin or eyes turn yellow."
        ),
        citations=(src.NHS_GALLSTONES, src.NHS_PANCREATITIS),
    ),
    Rule(
        id="kidney_problem",
        title="Passing much less urine, or urinary symptoms, with back "
        "pain (possible kidney problem, a back-pain mimic)",
        urgency=Urgency.URGENT,
        criterion=AnyOf(Present("little_urine"), Present("urinary_symptoms")),
        rationale=(
            "Passing much less urine is the common first sign of acute "
            "kidney injury, and back pain under the ribs with burning, "
            "frequent or bloody urine can be a kidney infection; the NHS "
            "advises an urgent GP appointment or NHS 111 for either."
        ),
        warning_sign=N_(
            "You pass much less urine than usual, or it burns, "
            "you go much more often, or there is blood in it."
        ),
        citations=(src.NHS_KIDNEY_INFECTION, src.NHS_AKI),
    ),
    Rule(
        id="sudden_severe_pain",
        title="Sudden, severe pain with no strain or injury "
        "(non-mechanical pain)",
        urgency=Urgency.URGENT,
        criterion=Present("sudden_severe_pain"),
        rationale=(
            "Very bad pain that starts within minutes without a mechanical "
            "trigger is not the pattern of a back strain; vascular, "
            "abdominal and infective causes are considered first "
            "(emergency-medicine references). At any age it needs to be "
            "seen the same day; at an older age it is an emergency "
            "(aortic_aneurysm_suspected)."
        ),
        warning_sign=N_(
            "Very bad pain starts suddenly, without lifting, "
            "twisting or an injury."
        ),
        citations=(src.EMERGENCY_MEDICINE, src.RCEM_AAA),
    ),
    Rule(
        id="cannot_mobilise",
        title="Unable to get up or walk because of pain",
        urgency=Urgency.URGENT,
        criterion=Present("cannot_move"),
        rationale="Uncontrolled pain is in the NHS 'see a GP' tier; a "
        "person who cannot mobilise at all needs to be seen the same day.",
        warning_sign=N_("The pain is so bad you cannot get up or walk."),
        citations=(src.NHS_BACK_PAIN,),
    ),
    Rule(
        id="electrolyte_disturbance",
        title="Widespread cramps with electrolyte risk (possible low "
        "potassium, calcium or magnesium)",
        urgency=Urgency.URGENT,
        criterion=AllOf(
            Present("widespread_cramps"), Present("electrolyte_risk")
        ),
        rationale=(
            "Cramps in many muscles with diuretics, vomiting or diarrhoea "
            "call for a blood test. The source article's claim that low "
            "potassium or calcium causes back spasm is not supported by any "
            "back-pain guideline, so spasmcare never advises supplements."
        ),
        warning_sign=N_(
            "You get cramps in many muscles while on water "
            "tablets, or after being sick or having diarrhoea."
        ),
        citations=(src.ELECTROLYTES, src.ARTICLE),
    ),
    # --------------------------------------------------- within days (R) ---
    Rule(
        id="severe_pain",
        title="Severe or unbearable pain",
        urgency=Urgency.ROUTINE,
        criterion=_SEVERE_PAIN,
        rationale=(
            "The article's 'severe and unbearable' criterion; severe means "
            "NRS 7 or more, or the NHS functional description. Severity "
            "alone is not a validated red flag, so it gets a GP "
            "appointment, not an emergency."
        ),
        warning_sign=N_(
            "The pain becomes severe (7 or more out of 10) or unbearable."
        ),
        citations=(src.ARTICLE, src.NHS_BACK_PAIN),
    ),
    Rule(
        id="worsening_or_not_coping",
        title="Pain getting worse, or not coping",
        urgency=Urgency.ROUTINE,
        criterion=AnyOf(Present("getting_worse"), Present("not_coping")),
        rationale="Pain that is getting worse, stops daily activities, or "
        "that the person cannot cope with, is in the NHS 'see a GP' tier.",
        warning_sign=N_(
            "The pain gets worse, stops you doing daily "
            "activities, or you are struggling to cope."
        ),
        citations=(src.NHS_BACK_PAIN,),
    ),
    Rule(
        id="not_improving",
        title="Not improving within the guideline window",
        urgency=Urgency.ROUTINE,
        criterion=AnyOf(
            _NO_IMPROVEMENT_AFTER_4_WEEKS, _UNRESOLVED_AFTER_6_WEEKS
        ),
        rationale=(
            "The article's 'still feeling back spasm after the treatments', "
            "with the guidelines' window: no improvement at all after 4 "
            "weeks, or not resolved by 6 weeks (acute is under 4 weeks). "
            "Partial improvement counts as improving."
        ),
        warning_sign=N_(
            "Your back is not any better after 4 weeks, or not "
            "gone after 6 weeks."
        ),
        citations=(
            src.ARTICLE,
            src.NICE_NG59,
            src.QASEEM_ACP_2017,
            src.CHOU_ACP_2011,
        ),
    ),
    Rule(
        id="frequent_recurrence",
        title="Frequent recurrences",
        urgency=Urgency.ROUTINE,
        criterion=AtLeast("episodes_past_year", 3),
        rationale=(
            "The article's 'attacks frequently'; NICE asks for the "
            "diagnosis to be reviewed. No guideline gives a number: three "
            "or more earlier episodes in 12 months is spasmcare's threshold, "
            "pending clinical review. Not an emergency on its own."
        ),
        warning_sign=N_(
            "Back spasms keep coming back (3 or more times a year)."
        ),
        citations=(src.ARTICLE, src.NICE_NG59),
    ),
    Rule(
        id="inflammatory_back_pain",
        title="Possible inflammatory back pain (axial spondyloarthritis)",
        urgency=Urgency.ROUTINE,
        criterion=AllOf(
            AtLeast("duration_days", 91),
            OnsetBefore(45),
            CountAtLeast(
                3,
                OnsetBefore(35),
                Present("late_night_waking"),
                Present("buttock_pain"),
                Present("better_with_movement"),
                Present("nsaid_response"),
                Present("family_spondyloarthritis"),
                Present("arthritis_enthesitis_psoriasis"),
            ),
        ),
        rationale=(
            "NICE NG65: back pain starting before 45 and lasting over 3 "
            "months with 4 or more features means referral to "
            "rheumatology, and with exactly 3 an HLA-B27 test; both start "
            "with a GP, so 3 or more features escalate to a GP appointment."
        ),
        warning_sign=N_(
            "Back pain for more than 3 months that wakes you late "
            "in the night, eases with movement, or comes with buttock pain."
        ),
        citations=(src.NICE_NG65, src.SIEPER_ASAS_2009),
    ),
    Rule(
        id="widespread_cramps",
        title="Cramps in many muscles (blood test advised)",
        urgency=Urgency.ROUTINE,
        criterion=Present("widespread_cramps"),
        rationale=(
            "Cramps in many muscles are not a back spasm; instead of the "
            "article's hydration and potassium advice, they are routed to a "
            "blood test."
        ),
        warning_sign=N_("You get cramps in many muscles, not just your back."),
        citations=(src.ELECTROLYTES, src.ARTICLE),
    ),
    # Out of scope (rule set 0.3.0): the guidance behind every rule and
    # every self-care step covers people aged 16 and over.
    Rule(
        id="under_16",
        title="Aged under 16: outside the ages this tool covers",
        urgency=Urgency.ROUTINE,
        criterion=AtMost("age_years", _LOWEST_AGE_COVERED - 1),
        rationale=(
            "NICE NG59, on which the rules and the self-care plan rest, "
            "covers people aged 16 and over; back pain in a child or young "
            "person is not covered, so it goes to a clinician instead of "
            "self-care. The red-flag rules still apply: any of them that "
            "fires leads."
        ),
        warning_sign=N_(
            "You are under 16: this tool is for people aged 16 and over."
        ),
        advice=N_(
            "This tool is for people aged 16 and over: speak to a "
            "doctor or pharmacist."
        ),
        citations=(src.NICE_NG59,),
        withholds_self_care=True,
    ),
)

#: The default, cited rule set. Pass ``rules=`` to evaluate() to use another.
DEFAULT_RULES = RuleSet(id="spasmcare-default", version="0.3.0", rules=_RULES)
