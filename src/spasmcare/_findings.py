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

from ._i18n import N_

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
        label: Short noun phrase, in plain language: rule criteria, lists
            of questions still to ask and group prompts show it.
        text: The question, in plain language, as a person would be asked.
        said: A "yes" (or, for a number, the answer, written ``{value}``)
            as a person would say it back: "you have a fever or chills".
            Reasons read "You said you have a fever or chills."
        purpose: Why the question is asked, in plain words for a person
            ("To check for an infection in or near your spine."); the rules'
            titles say it precisely, for clinicians.
        kind: The answer type.
        minimum: Smallest allowed answer (integer questions only).
        maximum: Largest allowed answer (integer questions only).
        unit: Unit of the answer (integer questions only).

    .. versionadded:: 0.1.0
    """

    id: str
    label: str
    text: str
    said: str
    purpose: str
    kind: AnswerKind = AnswerKind.YES_NO
    minimum: int | None = None
    maximum: int | None = None
    unit: str | None = None


def _yes_no(
    id_: str, label: str, text: str, said: str, purpose: str
) -> Question:
    return Question(id=id_, label=label, text=text, said=said, purpose=purpose)


def _integer(  # noqa: PLR0917 (a private table-building helper)
    id_: str,
    label: str,
    text: str,
    said: str,
    purpose: str,
    minimum: int,
    maximum: int,
    unit: str,
) -> Question:
    return Question(
        id=id_,
        label=label,
        text=text,
        said=said,
        purpose=purpose,
        kind=AnswerKind.INTEGER,
        minimum=minimum,
        maximum=maximum,
        unit=unit,
    )


# Why each question is asked, in plain words, for a person (the rule
# titles say it precisely, for clinicians). Shared by the questions
# that serve the same purpose.
_NERVES = N_(
    "To check for pressure on the nerves at the bottom of your spine. "
    "This is rare, but it needs care fast."
)
_LEG_NERVE = N_("To check whether a nerve in your back is pressed or trapped.")
_BROKEN_BONE = N_("To check for a broken bone in your back.")
_SERIOUS_CAUSE = N_(
    "To check for rare but serious causes of back pain, such as cancer."
)
_INFECTION = N_("To check for an infection in or near your spine.")
_HEART = N_("To check for a problem with your heart or main blood vessel.")
_TUMMY = N_("To check whether the pain comes from your tummy, not your back.")
_KIDNEY = N_("To check whether the pain comes from your kidneys or bladder.")
_PREGNANCY = N_("To check that you and your baby are safe.")
_JOINTS = N_(
    "To check for a kind of long-term back pain that comes from swollen "
    "joints in the spine. It needs its own treatment."
)
_HOW_BAD = N_(
    "To check how much the pain affects you, and how soon to get help."
)
_CRAMPS = N_("To check the salts in your blood, such as potassium.")

_ALL = (
    # Numbers about the person and the episode. Their "said" text holds
    # {value}, the number given.
    _integer(
        "age_years",
        N_("age"),
        N_("How old are you, in years?"),
        N_("you are {value} years old"),
        N_("Some causes of back pain are more common as you get older."),
        0,
        120,
        "years",
    ),
    _integer(
        "pain_score",
        N_("pain score"),
        N_(
            "How bad is the pain right now, from 0 (no pain) "
            "to 10 (the worst pain you can imagine)?"
        ),
        N_("your pain is {value} out of 10"),
        _HOW_BAD,
        0,
        10,
        "points (0-10)",
    ),
    _integer(
        "duration_days",
        N_("days since the pain began"),
        N_("How many days ago did this bout of back pain start?"),
        N_("the pain started {value} days ago"),
        N_("To check whether your back is getting better as it should."),
        0,
        36_500,
        "days",
    ),
    _integer(
        "episodes_past_year",
        N_("other bouts of back pain in the past year"),
        N_(
            "Apart from this one, how many other bouts of back pain or back "
            "spasm have you had in the past 12 months?"
        ),
        N_("you have had {value} other bouts of back pain in the past year"),
        N_("To check whether your back pain keeps coming back."),
        0,
        365,
        "episodes",
    ),
    # Cauda equina syndrome.
    _yes_no(
        "urinary_retention",
        N_("new trouble peeing, or not feeling it"),
        N_(
            "Since the back pain began, is it newly hard to start peeing? Or "
            "are you unable to pee, or unable to feel when you pee?"
        ),
        N_("you have new trouble peeing"),
        _NERVES,
    ),
    _yes_no(
        "incontinence",
        N_("new leaking of pee or poo"),
        N_(
            "Have you newly lost control of your bladder or bowels? (This means "
            "leaking pee or poo without meaning to.)"
        ),
        N_("you have started to leak pee or poo"),
        _NERVES,
    ),
    _yes_no(
        "saddle_numbness",
        N_(
            "numbness in the saddle area (between your legs, around your bottom)"
        ),
        N_(
            "Is there numbness or pins and needles between your legs, around "
            "your bottom or your genitals? (This is the part of you that would "
            "sit on a saddle.)"
        ),
        N_(
            "you have numbness or tingling between your legs or around your "
            "bottom"
        ),
        _NERVES,
    ),
    _yes_no(
        "sexual_dysfunction",
        N_("new loss of feeling in your genitals, or new problems with sex"),
        N_(
            "Since the back pain began, have you lost any feeling in your "
            "genitals? Or have you had new problems with sex?"
        ),
        N_(
            "you have new loss of feeling in your genitals or new problems "
            "with sex"
        ),
        _NERVES,
    ),
    _yes_no(
        "both_legs",
        N_("pain, numbness or weakness in both legs"),
        N_(
            "Do you have pain, numbness, tingling or weakness in both legs? Or "
            "has sciatica (pain down a leg) spread from one leg to both?"
        ),
        N_("you have symptoms in both legs"),
        _NERVES,
    ),
    _yes_no(
        "walking_difficulty",
        N_("new trouble walking"),
        N_(
            "Is it newly hard to walk because your legs feel weak, numb or "
            "unsteady?"
        ),
        N_("you have new trouble walking"),
        _NERVES,
    ),
    # Nerve problems.
    _yes_no(
        "progressive_weakness",
        N_("weakness that is getting worse or spreading"),
        N_(
            "Is weakness in your leg or legs getting worse, or spreading to "
            "more muscles?"
        ),
        N_("weakness in your legs is getting worse or spreading"),
        _LEG_NERVE,
    ),
    _yes_no(
        "one_leg_weakness",
        N_("new weakness in one leg or foot"),
        N_(
            "Do you have new weakness in one leg or foot? (For example, your "
            "foot slaps down or your toes catch when you walk.)"
        ),
        N_("you have new weakness in one leg or foot"),
        _LEG_NERVE,
    ),
    _yes_no(
        "leg_pain_numbness",
        N_("pain, numbness or tingling down one leg"),
        N_(
            "Does pain, numbness or tingling spread down one leg, below the knee?"
        ),
        N_("you have pain, numbness or tingling down one leg"),
        _LEG_NERVE,
    ),
    # Injury and fracture.
    _yes_no(
        "major_trauma",
        N_("a bad accident or fall"),
        N_(
            "Did the pain start after a bad accident, such as a car crash or a "
            "fall from a height?"
        ),
        N_("the pain started after a bad accident or fall"),
        _BROKEN_BONE,
    ),
    _yes_no(
        "minor_strain_onset",
        N_("a sudden start, or a start after a small strain"),
        N_(
            "Did the pain start suddenly, or after a small strain? (For "
            "example, when you lifted, bent, twisted or had a small fall.)"
        ),
        N_("the pain started suddenly or after a small strain"),
        _BROKEN_BONE,
    ),
    _yes_no(
        "osteoporosis",
        N_("osteoporosis (thin or fragile bones)"),
        N_(
            "Have you been told you have osteoporosis (thin or fragile bones)?"
        ),
        N_("you have osteoporosis (thin or fragile bones)"),
        _BROKEN_BONE,
    ),
    _yes_no(
        "steroid_use",
        N_("steroid tablets for a long time"),
        N_(
            "Have you taken steroid tablets, such as prednisolone, for a long "
            "time? (For example, for several months.)"
        ),
        N_("you have taken steroid tablets for a long time"),
        _BROKEN_BONE,
    ),
    # Cancer.
    _yes_no(
        "cancer_history",
        N_("cancer, now or in the past"),
        N_("Have you ever had cancer?"),
        N_("you have had cancer"),
        _SERIOUS_CAUSE,
    ),
    _yes_no(
        "weight_loss",
        N_("weight loss without trying"),
        N_("Have you lost weight recently without trying to?"),
        N_("you have lost weight without trying"),
        _SERIOUS_CAUSE,
    ),
    _yes_no(
        "lump_or_deformity",
        N_("a lump on your back, or a change in the shape of your spine"),
        N_(
            "Have you noticed a lump or swelling on your back, or a change in "
            "the shape of your spine?"
        ),
        N_(
            "you have a lump on your back or a change in the shape of your spine"
        ),
        _SERIOUS_CAUSE,
    ),
    _yes_no(
        "night_pain",
        N_("pain at night that rest does not ease"),
        N_(
            "Is the pain bad at night, and not eased by lying down or resting?"
        ),
        N_("the pain is bad at night and rest does not ease it"),
        _SERIOUS_CAUSE,
    ),
    _yes_no(
        "thoracic_pain",
        N_("pain between the shoulder blades"),
        N_("Is the pain high up in your back, between the shoulder blades?"),
        N_("the pain is between your shoulder blades"),
        _SERIOUS_CAUSE,
    ),
    _yes_no(
        "cough_sneeze_pain",
        N_("pain worse when you cough, sneeze or strain"),
        N_(
            "Is the pain worse when you cough, sneeze or strain on the toilet?"
        ),
        N_("the pain is worse when you cough, sneeze or strain"),
        _SERIOUS_CAUSE,
    ),
    # Infection.
    _yes_no(
        "fever",
        N_("fever or chills"),
        N_(
            "Do you have a fever (38 °C / 100.4 °F or higher), chills or "
            "shivering?"
        ),
        N_("you have a fever or chills"),
        _INFECTION,
    ),
    _yes_no(
        "very_unwell",
        N_("feeling very unwell"),
        N_(
            "Do you feel very unwell? (For example: confused, very drowsy, short "
            "of breath, or with cold, blotchy or bluish skin.)"
        ),
        N_("you feel very unwell"),
        _INFECTION,
    ),
    _yes_no(
        "infection_risk",
        N_("a risk of infection in the spine"),
        N_(
            "Do you inject drugs? Do you have a weak immune system (your body "
            "finds it hard to fight germs), for example from steroid tablets, "
            "cancer drugs, HIV or diabetes? Have you recently had an infection "
            "from germs, a urine infection, or an operation or injection in "
            "your spine? Or have you had TB (tuberculosis)?"
        ),
        N_("you have a risk of infection in your spine"),
        _INFECTION,
    ),
    # Infection without fever (rule set 0.2.0): fever is absent in about
    # half of spinal infections, so the strong risks are asked on their own.
    _yes_no(
        "injects_drugs",
        N_("injecting drugs, now or in the past"),
        N_("Do you inject drugs, or have you injected drugs in the past?"),
        N_("you inject drugs, or did in the past"),
        _INFECTION,
    ),
    _yes_no(
        "weak_immune_system",
        N_("a weak immune system (less able to fight germs)"),
        N_(
            "Do you take a medicine that makes it harder for your body to fight "
            "germs? Or do you have an illness that does? (For example: cancer "
            "drugs, drugs after a transplant, steroid tablets for a long time, "
            "or HIV.)"
        ),
        N_("you have a weak immune system (less able to fight germs)"),
        _INFECTION,
    ),
    _yes_no(
        "recent_spine_procedure",
        N_("a back operation or injection in the last 3 months"),
        N_(
            "In the last 3 months, have you had an operation or an injection in "
            "your back? (This includes an epidural.)"
        ),
        N_("you had a back operation or injection in the last 3 months"),
        _INFECTION,
    ),
    _yes_no(
        "recent_serious_infection",
        N_("a bad infection in the last 3 months"),
        N_(
            "In the last 3 months, have you had an infection in your blood? Or "
            "have you been in hospital with an infection?"
        ),
        N_("you had a bad infection in the last 3 months"),
        _INFECTION,
    ),
    # Vessels and heart.
    _yes_no(
        "faint_or_collapse",
        N_("fainting or collapse"),
        N_("Have you fainted, collapsed, or felt you were about to pass out?"),
        N_("you have fainted, collapsed or felt faint"),
        _HEART,
    ),
    _yes_no(
        "pulsating_abdomen",
        N_("a throbbing feeling in your belly"),
        N_("Can you feel a pulsing or throbbing in your belly?"),
        N_("you can feel a throbbing in your belly"),
        _HEART,
    ),
    _yes_no(
        "sudden_severe_pain",
        N_("very bad pain that started all at once, not with a strain"),
        N_(
            "Did very bad pain in your back, side or tummy start all of a "
            "sudden? (Answer no if it began when you lifted, twisted or hurt "
            "your back.)"
        ),
        N_("very bad pain started all at once, without a strain"),
        _HEART,
    ),
    _yes_no(
        "vascular_risk",
        N_("smoking, high blood pressure, or heart or blood vessel disease"),
        N_(
            "Do you smoke, or did you smoke in the past? Do you have high blood "
            "pressure or high cholesterol? Do you have COPD (a long-term lung "
            "disease), or heart or blood vessel disease? Or has a parent, "
            "brother or sister had an aortic aneurysm (a swelling of the main "
            "blood vessel)?"
        ),
        N_("you smoke or smoked, or have a heart or blood vessel risk"),
        _HEART,
    ),
    _yes_no(
        "chest_pain",
        N_("chest pain"),
        N_("Do you have pain, pressure or tightness in your chest?"),
        N_("you have pain or tightness in your chest"),
        _HEART,
    ),
    # The tummy (rule set 0.2.0): abdominal mimics of back pain.
    _yes_no(
        "abdominal_pain",
        N_("pain in your tummy as well as your back"),
        N_(
            "Do you also have pain in your tummy (belly), not just in your back?"
        ),
        N_("you have pain in your tummy"),
        _TUMMY,
    ),
    _yes_no(
        "vomiting",
        N_("being sick (vomiting)"),
        N_("Have you been sick (vomited) since this pain began?"),
        N_("you have been sick"),
        _TUMMY,
    ),
    _yes_no(
        "jaundice",
        N_("yellow skin or eyes"),
        N_("Has your skin, or the white part of your eyes, turned yellow?"),
        N_("your skin or eyes have turned yellow"),
        _TUMMY,
    ),
    # Kidney.
    _yes_no(
        "flank_to_groin",
        N_("pain in your side that spreads to your groin"),
        N_(
            "Does pain in your side come in waves and spread towards your "
            "groin? Or is it so bad that you cannot keep still, or it makes "
            "you sick?"
        ),
        N_("pain in your side spreads to your groin"),
        _KIDNEY,
    ),
    _yes_no(
        "urinary_symptoms",
        N_("burning when you pee, peeing often, or blood in your pee"),
        N_(
            "Does it burn or sting when you pee? Do you need to pee much more "
            "often than usual? Or is there blood in your pee?"
        ),
        N_(
            "it burns when you pee, you pee more often, or there is blood in it"
        ),
        _KIDNEY,
    ),
    _yes_no(
        "little_urine",
        N_("peeing much less than usual"),
        N_(
            "Are you peeing much less than usual, even though you are drinking "
            "as normal?"
        ),
        N_("you are peeing much less than usual"),
        _KIDNEY,
    ),
    # Pregnancy (rule set 0.2.0). Asked of everyone: a person who cannot
    # be pregnant answers "no", and the pregnancy signs are then not needed.
    _yes_no(
        "pregnant",
        N_("pregnant, or could be"),
        N_("Are you pregnant, or could you be pregnant?"),
        N_("you are or could be pregnant"),
        _PREGNANCY,
    ),
    _yes_no(
        "pregnancy_bleeding",
        N_("bleeding or fluid leaking from your vagina"),
        N_("Are you bleeding from your vagina, or is fluid leaking from it?"),
        N_("you are bleeding or leaking fluid from your vagina"),
        _PREGNANCY,
    ),
    _yes_no(
        "contractions",
        N_("tightening or cramps that come and go"),
        N_(
            "Does your bump or lower tummy tighten or cramp, on and off, like "
            "labour pains?"
        ),
        N_("your bump or tummy tightens on and off"),
        _PREGNANCY,
    ),
    _yes_no(
        "reduced_baby_movements",
        N_("baby moving less than usual"),
        N_("Is your baby moving less than usual, or in a different way?"),
        N_("your baby is moving less than usual"),
        _PREGNANCY,
    ),
    # Inflammatory back pain (axial spondyloarthritis), NICE NG65.
    _yes_no(
        "late_night_waking",
        N_("back pain waking you late at night"),
        N_("Does back pain wake you in the second half of the night?"),
        N_("back pain wakes you in the second half of the night"),
        _JOINTS,
    ),
    _yes_no(
        "buttock_pain",
        N_("pain deep in your buttocks"),
        N_("Do you have pain deep in one or both buttocks?"),
        N_("you have pain deep in your buttocks"),
        _JOINTS,
    ),
    _yes_no(
        "better_with_movement",
        N_("pain that gets better when you move, not when you rest"),
        N_(
            "Does the pain get better when you move about, and not when you rest?"
        ),
        N_("the pain gets better when you move, not when you rest"),
        _JOINTS,
    ),
    _yes_no(
        "nsaid_response",
        N_("pain much better within 2 days of ibuprofen"),
        N_(
            "Does the pain get much better within 2 days of taking ibuprofen or "
            "a painkiller like it?"
        ),
        N_(
            "the pain gets much better within 2 days of ibuprofen or a "
            "painkiller like it"
        ),
        _JOINTS,
    ),
    _yes_no(
        "family_spondyloarthritis",
        N_("a close relative with arthritis of the spine (spondyloarthritis)"),
        N_(
            "Does a parent, brother, sister or child of yours have "
            "spondyloarthritis? (This is arthritis of the spine, such as "
            "ankylosing spondylitis.)"
        ),
        N_("a close relative has arthritis of the spine"),
        _JOINTS,
    ),
    _yes_no(
        "arthritis_enthesitis_psoriasis",
        N_("arthritis, a sore swollen tendon, or psoriasis (a skin problem)"),
        N_(
            "Have you ever had arthritis (sore, swollen joints)? Or a sore, "
            "swollen place where a tendon joins a bone, such as the heel? Or "
            "psoriasis (red, scaly patches of skin)?"
        ),
        N_(
            "you have had arthritis, a swollen tendon or psoriasis (a skin "
            "problem)"
        ),
        _JOINTS,
    ),
    # How bad, and how it is going.
    _yes_no(
        "pain_unbearable",
        N_("very bad pain that you can hardly bear"),
        N_(
            "Is the pain so bad that it is always there, makes it hard to "
            "think or sleep, or makes it very hard to move or get dressed?"
        ),
        N_("the pain is so bad you can hardly bear it"),
        _HOW_BAD,
    ),
    _yes_no(
        "cannot_move",
        N_("cannot get up or walk at all"),
        N_("Is the pain so bad that you cannot get up or walk at all?"),
        N_("you cannot get up or walk at all"),
        _HOW_BAD,
    ),
    _yes_no(
        "getting_worse",
        N_("pain getting worse"),
        N_("Is the pain getting worse?"),
        N_("the pain is getting worse"),
        _HOW_BAD,
    ),
    _yes_no(
        "not_coping",
        N_("pain stopping your daily tasks, or hard to cope with"),
        N_(
            "Is the pain stopping you doing your normal daily tasks? Or are you "
            "finding it hard to cope?"
        ),
        N_("the pain stops your daily tasks, or you find it hard to cope"),
        _HOW_BAD,
    ),
    _yes_no(
        "no_improvement",
        N_("no better at all since it began"),
        N_(
            "Is the pain still as bad as when it began, or worse? (Answer no if "
            "it is even a little better.)"
        ),
        N_("the pain is no better at all since it began"),
        N_("To check whether your back is getting better as it should."),
    ),
    # Cramps and electrolytes.
    _yes_no(
        "widespread_cramps",
        N_("cramps in many muscles"),
        N_(
            "Do you have cramps or spasms in many muscles, not just your back?"
        ),
        N_("you have cramps or spasms in many muscles"),
        _CRAMPS,
    ),
    _yes_no(
        "electrolyte_risk",
        N_("water tablets, or being sick or having diarrhoea a lot"),
        N_(
            "Do you take water tablets (diuretics)? Or have you been sick a lot, "
            "or had a lot of diarrhoea?"
        ),
        N_("you take water tablets, or have been sick or had diarrhoea a lot"),
        _CRAMPS,
    ),
    _yes_no(
        "palpitations",
        N_("a racing or fluttering heartbeat"),
        N_("Is your heart racing, pounding or fluttering?"),
        N_("your heart is racing, pounding or fluttering"),
        _CRAMPS,
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
        purpose: Why the group is asked, in plain words for a person.
        members: The ids of its yes/no questions, in the order to ask them.

    .. versionadded:: 0.1.0
    """

    id: str
    label: str
    text: str
    purpose: str
    members: tuple[str, ...]


#: The groups, kept clinically sensible: each gathers findings a person can
#: judge together, emergency signs only with signs as clear as themselves.
_GROUPS = (
    Group(
        id="group_emergency_signs",
        label=N_("signs that need help now"),
        text=N_("Do you have any of these?"),
        purpose=N_("To check for signs that you need help straight away."),
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
        label=N_("bladder, bowel and leg signs"),
        text=N_("Since the back pain began, have you had any of these?"),
        purpose=_NERVES,
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
        label=N_("fever, tummy and pee problems"),
        text=N_("Do you have any of these?"),
        purpose=N_(
            "To check for an infection, or a problem in your tummy or "
            "kidneys that can feel like back pain."
        ),
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
        label=N_("your health in the past"),
        text=N_("Does any of these apply to you?"),
        purpose=N_(
            "To check for rare but serious causes of back pain, such as "
            "cancer or an infection."
        ),
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
        label=N_("how the pain feels"),
        text=N_("Is any of these true about your pain?"),
        purpose=N_(
            "To check how much the pain affects you, and whether it is "
            "like a strain or something else."
        ),
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
        label=N_("signs to watch in pregnancy"),
        text=N_("Do you have any of these?"),
        purpose=_PREGNANCY,
        members=(
            "pregnancy_bleeding",
            "contractions",
            "reduced_baby_movements",
        ),
    ),
    Group(
        id="group_bone_health",
        label=N_("how strong your bones are"),
        text=N_("Does any of these apply to you?"),
        purpose=_BROKEN_BONE,
        members=("osteoporosis", "steroid_use"),
    ),
    Group(
        id="group_inflammatory_signs",
        label=N_("signs of back pain from swollen joints"),
        text=N_("Is any of these true about your back pain?"),
        purpose=_JOINTS,
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
        label=N_("causes of cramps"),
        text=N_("Does any of these apply to you?"),
        purpose=_CRAMPS,
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
