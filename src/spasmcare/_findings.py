# SPDX-License-Identifier: MIT
"""
The questions: every finding a person can report, and the numbers asked.

This is the one place where question ids, their plain-language wording,
answer types and limits are defined.
Validation, the rules, the interview and the documentation read them here.
Whether a question is a *red-flag* question is not stored here:
it follows from the rules (see :attr:`spasmcare.RuleSet.red_flags`).
"""

from __future__ import annotations

import enum
import types
from collections.abc import Mapping

import attrs

__all__ = ["GROUPS", "QUESTIONS", "AnswerKind", "Group", "Question"]


class AnswerKind(enum.Enum):
    """
    The type of answer a question takes.

    .. versionadded:: 0.1.0
    """

    #: A yes, no or don't-know answer, given as a :class:`spasmcare.Symptom`.
    YES_NO = "yes_no"
    #: A whole number, given as a numeric field of
    #: :class:`spasmcare.Assessment`.
    INTEGER = "integer"


@attrs.frozen(kw_only=True)
class Question:
    """
    One question that an intake can ask.

    Every finding is phrased so that *present* is the worrying answer;
    that keeps every rule monotone (more findings never lower the level).

    Attributes:
        id: Stable identifier, used as :attr:`spasmcare.Symptom.finding`
            or as the name of a numeric :class:`~spasmcare.Assessment` field.
        label: Short noun phrase, used in rule criteria and lists.
        text: The question, in plain language, as a person would be asked.
        kind: The answer type.
        minimum: Smallest allowed answer (integer questions only).
        maximum: Largest allowed answer (integer questions only).
        unit: Unit of the answer (integer questions only).

    .. versionadded:: 0.1.0
    """

    id: str
    label: str
    text: str
    kind: AnswerKind = AnswerKind.YES_NO
    minimum: int | None = None
    maximum: int | None = None
    unit: str | None = None


def _yes_no(id_: str, label: str, text: str) -> Question:
    return Question(id=id_, label=label, text=text)


def _integer(  # noqa: PLR0917 (a private table-building helper)
    id_: str, label: str, text: str, minimum: int, maximum: int, unit: str
) -> Question:
    return Question(
        id=id_,
        label=label,
        text=text,
        kind=AnswerKind.INTEGER,
        minimum=minimum,
        maximum=maximum,
        unit=unit,
    )


_ALL = (
    # Numbers about the person and the episode.
    _integer(
        "age_years",
        "age",
        "How old are you, in years?",
        0,
        120,
        "years",
    ),
    _integer(
        "pain_score",
        "pain score",
        "How bad is the pain right now, from 0 (no pain) "
        "to 10 (the worst pain you can imagine)?",
        0,
        10,
        "points (0-10)",
    ),
    _integer(
        "duration_days",
        "days since the pain began",
        "How many days ago did this episode of back pain start?",
        0,
        36_500,
        "days",
    ),
    _integer(
        "episodes_past_year",
        "earlier episodes in the past year",
        "Apart from this one, how many separate episodes of back pain "
        "or back spasm have you had in the past 12 months?",
        0,
        365,
        "episodes",
    ),
    # Cauda equina syndrome.
    _yes_no(
        "urinary_retention",
        "new difficulty passing urine or feeling it flow",
        "Since the back pain began, have you had new trouble starting to "
        "pass urine, been unable to pass urine, or not been able to feel "
        "urine flowing?",
    ),
    _yes_no(
        "incontinence",
        "new loss of bladder or bowel control",
        "Have you newly lost control of your bladder or bowels "
        "(leaking urine or faeces without meaning to)?",
    ),
    _yes_no(
        "saddle_numbness",
        "numbness or tingling in the saddle area",
        "Is there numbness or pins and needles between your legs, around "
        "your bottom or your genitals (where you would sit on a saddle)?",
    ),
    _yes_no(
        "sexual_dysfunction",
        "new change in sexual function",
        "Since the back pain began, have you noticed new loss of feeling "
        "in your genitals or new problems with sexual function?",
    ),
    _yes_no(
        "both_legs",
        "symptoms in both legs",
        "Do you have pain, numbness, tingling or weakness in both legs, "
        "or sciatica that has spread from one leg to both?",
    ),
    _yes_no(
        "walking_difficulty",
        "new difficulty walking",
        "Have you had new difficulty walking because your legs feel weak, "
        "numb or unsteady?",
    ),
    # Nerve problems.
    _yes_no(
        "progressive_weakness",
        "weakness that is getting worse or spreading",
        "Is weakness in your leg or legs getting worse, or spreading to "
        "more muscles?",
    ),
    _yes_no(
        "one_leg_weakness",
        "new weakness in one leg or foot",
        "Do you have new weakness in one leg or foot, for example your "
        "foot slapping down or your toes catching when you walk?",
    ),
    _yes_no(
        "leg_pain_numbness",
        "pain, numbness or tingling down one leg",
        "Does pain, numbness or tingling spread down one leg, below the knee?",
    ),
    # Injury and fracture.
    _yes_no(
        "major_trauma",
        "serious accident",
        "Did the pain start after a serious accident, such as a road "
        "traffic collision or a fall from a height?",
    ),
    _yes_no(
        "minor_strain_onset",
        "sudden start or start after a minor strain",
        "Did the pain start suddenly, or after a minor strain such as "
        "lifting, bending, twisting or a small fall?",
    ),
    _yes_no(
        "osteoporosis",
        "osteoporosis",
        "Have you been told you have osteoporosis (thin or fragile bones)?",
    ),
    _yes_no(
        "steroid_use",
        "long-term steroid tablets",
        "Have you taken steroid tablets (such as prednisolone) for a long "
        "time, for example for several months?",
    ),
    # Cancer.
    _yes_no(
        "cancer_history",
        "history of cancer",
        "Have you ever had cancer?",
    ),
    _yes_no(
        "weight_loss",
        "unexplained weight loss",
        "Have you lost weight recently without trying to?",
    ),
    _yes_no(
        "lump_or_deformity",
        "lump, swelling or change in the shape of the spine",
        "Have you noticed a lump or swelling on your back, or a change in "
        "the shape of your spine?",
    ),
    _yes_no(
        "night_pain",
        "night pain not eased by rest",
        "Is the pain bad at night, and not eased by lying down or resting?",
    ),
    _yes_no(
        "thoracic_pain",
        "pain between the shoulder blades",
        "Is the pain high up in your back, between the shoulder blades?",
    ),
    _yes_no(
        "cough_sneeze_pain",
        "pain worse on coughing, sneezing or straining",
        "Is the pain worse when you cough, sneeze or strain on the toilet?",
    ),
    # Infection.
    _yes_no(
        "fever",
        "fever or chills",
        "Do you have a fever (38 °C / 100.4 °F or higher), chills or "
        "shivering?",
    ),
    _yes_no(
        "very_unwell",
        "feeling very unwell",
        "Do you feel very unwell: confused, very drowsy, short of breath, "
        "or with cold, blotchy or bluish skin?",
    ),
    _yes_no(
        "infection_risk",
        "risk factor for spinal infection",
        "Does any of these apply to you: you inject drugs; you have a "
        "weakened immune system (for example from steroid tablets, "
        "chemotherapy, HIV or diabetes); you recently had a bacterial or "
        "urine infection; you recently had a spinal operation or "
        "injection; you have had tuberculosis (TB)?",
    ),
    # Infection without fever (rule set 0.2.0): fever is absent in about
    # half of spinal infections, so the strong risks are asked on their own.
    _yes_no(
        "injects_drugs",
        "injecting drugs",
        "Do you inject drugs, or have you injected drugs in the past?",
    ),
    _yes_no(
        "weak_immune_system",
        "weakened immune system",
        "Do you take a medicine that weakens your immune system, or have an "
        "illness that does? (For example cancer treatment, transplant "
        "drugs, steroid tablets for a long time, or HIV.)",
    ),
    _yes_no(
        "recent_spine_procedure",
        "back operation or injection in the last 3 months",
        "In the last 3 months, have you had an operation, an injection or "
        "an epidural in your back?",
    ),
    _yes_no(
        "recent_serious_infection",
        "serious infection in the last 3 months",
        "In the last 3 months, have you had an infection in your blood, or "
        "been in hospital with an infection?",
    ),
    # Vessels and heart.
    _yes_no(
        "faint_or_collapse",
        "fainting or collapse",
        "Have you fainted, collapsed, or felt you were about to pass out?",
    ),
    _yes_no(
        "pulsating_abdomen",
        "pulsing feeling in the belly",
        "Can you feel a pulsing or throbbing in your belly?",
    ),
    _yes_no(
        "sudden_severe_pain",
        "sudden, severe pain that did not start with a strain",
        "Did very bad pain in your back, side or tummy start all of a "
        "sudden? (Answer no if it began when you lifted, twisted or hurt "
        "your back.)",
    ),
    _yes_no(
        "vascular_risk",
        "smoking, high blood pressure, or heart or blood vessel disease",
        "Do you smoke, or did you smoke in the past? Or do you have high "
        "blood pressure, high cholesterol, COPD, or heart or blood vessel "
        "disease? Or has a parent, brother or sister had an aortic "
        "aneurysm (a swelling of the main blood vessel)?",
    ),
    _yes_no(
        "chest_pain",
        "chest pain",
        "Do you have pain, pressure or tightness in your chest?",
    ),
    # The tummy (rule set 0.2.0): abdominal mimics of back pain.
    _yes_no(
        "abdominal_pain",
        "pain in the tummy as well as the back",
        "Do you also have pain in your tummy (belly), not just in your back?",
    ),
    _yes_no(
        "vomiting",
        "being sick (vomiting)",
        "Have you been sick (vomited) since this pain began?",
    ),
    _yes_no(
        "jaundice",
        "yellow skin or eyes",
        "Has your skin, or the white part of your eyes, turned yellow?",
    ),
    # Kidney.
    _yes_no(
        "flank_to_groin",
        "pain in the side spreading to the groin",
        "Does pain in your side come in waves and spread towards your "
        "groin, or is it so bad that you cannot keep still or it makes "
        "you vomit?",
    ),
    _yes_no(
        "urinary_symptoms",
        "burning, frequent or bloody urine",
        "Does it burn or sting when you pass urine, do you need to go much "
        "more often than usual, or is there blood in your urine?",
    ),
    _yes_no(
        "little_urine",
        "passing much less urine than usual",
        "Are you passing much less urine (pee) than usual, even though you "
        "are drinking as normal?",
    ),
    # Pregnancy (rule set 0.2.0). Asked of everyone: a person who cannot
    # be pregnant answers "no", and the pregnancy signs are then not needed.
    _yes_no(
        "pregnant",
        "pregnant or could be pregnant",
        "Are you pregnant, or could you be pregnant?",
    ),
    _yes_no(
        "pregnancy_bleeding",
        "bleeding or fluid leaking from the vagina",
        "Are you bleeding from your vagina, or is fluid leaking from it?",
    ),
    _yes_no(
        "contractions",
        "regular tightening or contractions",
        "Does your bump or lower tummy tighten or cramp, on and off, like "
        "contractions?",
    ),
    _yes_no(
        "reduced_baby_movements",
        "baby moving less than usual",
        "Is your baby moving less than usual, or moving in a different way?",
    ),
    # Inflammatory back pain (axial spondyloarthritis), NICE NG65.
    _yes_no(
        "late_night_waking",
        "waking with back pain in the second half of the night",
        "Does back pain wake you in the second half of the night?",
    ),
    _yes_no(
        "buttock_pain",
        "buttock pain",
        "Do you have pain deep in one or both buttocks?",
    ),
    _yes_no(
        "better_with_movement",
        "pain better with movement, not with rest",
        "Does the pain get better when you move about, and not when you rest?",
    ),
    _yes_no(
        "nsaid_response",
        "pain much better within 48 hours of anti-inflammatories",
        "Does the pain get much better within 2 days of taking an "
        "anti-inflammatory painkiller such as ibuprofen?",
    ),
    _yes_no(
        "family_spondyloarthritis",
        "parent, sibling or child with spondyloarthritis",
        "Does a parent, brother, sister or child of yours have "
        "spondyloarthritis (such as ankylosing spondylitis)?",
    ),
    _yes_no(
        "arthritis_enthesitis_psoriasis",
        "arthritis, enthesitis or psoriasis",
        "Have you ever had arthritis, painful swelling where a tendon "
        "joins a bone (such as the heel), or psoriasis?",
    ),
    # How bad, and how it is going.
    _yes_no(
        "pain_unbearable",
        "severe, unbearable pain",
        "Is the pain so bad that it is always there, makes it hard to "
        "think or sleep, or makes it very hard to move or get dressed?",
    ),
    _yes_no(
        "cannot_move",
        "unable to get up or walk at all",
        "Is the pain so bad that you cannot get up or walk at all?",
    ),
    _yes_no(
        "getting_worse",
        "pain getting worse",
        "Is the pain getting worse?",
    ),
    _yes_no(
        "not_coping",
        "not coping or stopping daily activities",
        "Is the pain stopping you doing your normal daily activities, "
        "or are you struggling to cope with it?",
    ),
    _yes_no(
        "no_improvement",
        "no improvement at all since it began",
        "Has the pain not improved at all since it began? "
        "(Answer no if it is even a little better.)",
    ),
    # Cramps and electrolytes.
    _yes_no(
        "widespread_cramps",
        "cramps or spasms in many muscles",
        "Do you have cramps or spasms in many muscles, not just your back?",
    ),
    _yes_no(
        "electrolyte_risk",
        "water tablets, vomiting or diarrhoea",
        "Are you taking water tablets (diuretics), or have you had a lot "
        "of vomiting or diarrhoea?",
    ),
    _yes_no(
        "palpitations",
        "racing or irregular heartbeat",
        "Is your heart racing, pounding or fluttering?",
    ),
)

#: Every question, by id, in the order an intake would list them.
QUESTIONS: Mapping[str, Question] = types.MappingProxyType(
    {question.id: question for question in _ALL}
)

#: Ids of the yes/no questions (the findings a Symptom can name).
FINDING_IDS = frozenset(q.id for q in _ALL if q.kind is AnswerKind.YES_NO)

#: Ids of the integer questions (numeric fields of Assessment).
NUMBER_IDS = tuple(q.id for q in _ALL if q.kind is AnswerKind.INTEGER)


@attrs.frozen(kw_only=True)
class Group:
    """
    Yes/no questions a person can answer together: "Do you have any of
    these?"

    An interview offers a group as one prompt while two or more of its
    questions still matter. "None of these" answers every one of them
    "no"; "yes" or "not sure" leads to its questions one by one
    (or as a multi-select, where a client can show one),
    so "not sure" never becomes "no".
    Groups are data, like the questions; they change how the questions
    are asked, never what a rule decides.

    Attributes:
        id: Stable identifier, distinct from every question id.
        label: Short noun phrase for the group.
        text: The question, in plain language.
        members: The ids of its yes/no questions, in the order to ask them.

    .. versionadded:: 0.1.0
    """

    id: str
    label: str
    text: str
    members: tuple[str, ...]


#: The groups, kept clinically sensible: each gathers findings a person can
#: judge together, emergency signs only with signs as clear as themselves.
_GROUPS = (
    Group(
        id="group_emergency_signs",
        label="serious warning signs",
        text="Do you have any of these?",
        members=(
            "major_trauma",
            "chest_pain",
            "faint_or_collapse",
            "pulsating_abdomen",
            "very_unwell",
        ),
    ),
    Group(
        id="group_nerve_signs",
        label="bladder, bowel, saddle area and leg warning signs",
        text="Since the back pain began, have you had any of these?",
        members=(
            "urinary_retention",
            "incontinence",
            "saddle_numbness",
            "sexual_dysfunction",
            "both_legs",
            "walking_difficulty",
            "progressive_weakness",
            "one_leg_weakness",
        ),
    ),
    Group(
        id="group_tummy_and_urine",
        label="fever, tummy and urine problems",
        text="Do you have any of these?",
        members=(
            "fever",
            "abdominal_pain",
            "flank_to_groin",
            "jaundice",
            "urinary_symptoms",
            "little_urine",
        ),
    ),
    Group(
        id="group_health_history",
        label="health history",
        text="Does any of these apply to you?",
        members=(
            "cancer_history",
            "weight_loss",
            "lump_or_deformity",
            "injects_drugs",
            "weak_immune_system",
            "recent_spine_procedure",
            "recent_serious_infection",
        ),
    ),
    Group(
        id="group_pain_pattern",
        label="how the pain behaves",
        text="Is any of these true about your pain?",
        members=(
            "sudden_severe_pain",
            "pain_unbearable",
            "cannot_move",
            "getting_worse",
            "not_coping",
            "night_pain",
            "thoracic_pain",
            "cough_sneeze_pain",
            "widespread_cramps",
        ),
    ),
    Group(
        id="group_pregnancy_signs",
        label="pregnancy warning signs",
        text="Do you have any of these?",
        members=(
            "pregnancy_bleeding",
            "contractions",
            "reduced_baby_movements",
        ),
    ),
    Group(
        id="group_bone_health",
        label="bone health",
        text="Does any of these apply to you?",
        members=("osteoporosis", "steroid_use"),
    ),
    Group(
        id="group_inflammatory_signs",
        label="signs of inflammatory back pain",
        text="Is any of these true about your back pain?",
        members=(
            "late_night_waking",
            "buttock_pain",
            "better_with_movement",
            "nsaid_response",
            "family_spondyloarthritis",
            "arthritis_enthesitis_psoriasis",
        ),
    ),
    Group(
        id="group_cramps",
        label="cramps and their causes",
        text="Does any of these apply to you?",
        members=("electrolyte_risk", "palpitations"),
    ),
)


#: Every group, by id.
GROUPS: Mapping[str, Group] = types.MappingProxyType(
    {group.id: group for group in _GROUPS}
)

#: The group each grouped question belongs to (a question is in one group at
#: most; tests/test_groups.py checks the groups).
GROUP_OF: Mapping[str, Group] = types.MappingProxyType(
    {member: group for group in _GROUPS for member in group.members}
)
