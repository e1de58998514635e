# SPDX-License-Identifier: MIT
"""
The care plan's shape: CarePlan, Step, Schedule, SafetyNet, and the
reasons both ways (Reason, PertinentNegative).
"""

from __future__ import annotations

import enum
from typing import Any

import attrs

from ._citations import Citation
from ._i18n import N_
from ._region import UK, Region
from ._urgency import Urgency
from ._validators import (
    field_name,
    instance_of,
    text,
    text_tuple,
    to_tuple,
    tuple_of,
)
from .exceptions import InvalidValueError

__all__ = [
    "CarePlan",
    "PertinentNegative",
    "Phase",
    "Reason",
    "SafetyNet",
    "Schedule",
    "Step",
    "StepKind",
]


class Phase(enum.Enum):
    """
    When a step applies, counted from the start of the episode.

    .. versionadded:: 0.1.0
    """

    #: Straight away.
    NOW = "now"
    #: During the first two days of the episode.
    FIRST_48_HOURS = "first_48_hours"
    #: From the third day on.
    AFTER_48_HOURS = "after_48_hours"
    #: Throughout recovery, and afterwards.
    ONGOING = "ongoing"

    # Members are singletons, equal only to themselves: the identity hash
    # agrees with that and costs no Python call (Enum's hashes the name).
    __hash__ = object.__hash__


class StepKind(enum.Enum):
    """
    What sort of step it is.

    .. versionadded:: 0.1.0
    """

    #: Seeing a clinician; always the first step when a referral is needed.
    REFERRAL = "referral"
    #: Safe advice while getting to care (emergency levels only).
    INTERIM = "interim"
    #: Stop the activity that brought the spasm on.
    STOP_ACTIVITY = "stop_activity"
    #: Gentle self-massage.
    MASSAGE = "massage"
    #: A cold pack; always carries :data:`SKIN_SAFETY_CAUTIONS`.
    COLD = "cold"
    #: Moist heat; always carries :data:`SKIN_SAFETY_CAUTIONS`.
    HEAT = "heat"
    #: Staying active and getting back to normal.
    MOVEMENT = "movement"
    #: A medicine, to check with a pharmacist first.
    MEDICINE = "medicine"
    #: Support matched to a STarT Back risk group (NICE NG59 1.1.3), such as
    #: an exercise programme; not a referral for a red flag.
    STRATIFIED_CARE = "stratified_care"

    # Members are singletons, equal only to themselves: the identity hash
    # agrees with that and costs no Python call (Enum's hashes the name).
    __hash__ = object.__hash__


#: Cautions every heat or cold step must carry (CLINICAL.md section 3).
SKIN_SAFETY_CAUTIONS = (
    N_("Always put a cloth or towel between your skin and the pack."),
    (
        N_(
            "Check your skin every few minutes; stop if it goes numb, burns, "
            "blisters or becomes blotchy."
        )
    ),
    (
        N_(
            "Do not use heat or cold on skin that has lost feeling (for example "
            "from diabetes or nerve damage), if you have poor blood flow (such "
            "as Raynaud's), or on broken or infected skin. Ask a health "
            "professional first."
        )
    ),
    (
        N_(
            "Never fall asleep on a heat pad or hot-water bottle, or with a cold "
            "pack on. Do not use them if you are drowsy, have taken something "
            "that makes you sleepy, or have been drinking alcohol."
        )
    ),
)

_THERMAL_KINDS = frozenset((StepKind.COLD, StepKind.HEAT))
_SELF_CARE_KINDS = frozenset(StepKind) - {StepKind.REFERRAL, StepKind.INTERIM}


def _positive(
    instance: object, attribute: attrs.Attribute[Any], value: Any
) -> None:
    instance_of(int, name="a whole number")(instance, attribute, value)
    if value <= 0:
        raise InvalidValueError(
            field_name(instance, attribute), value, "must be positive"
        )


@attrs.frozen(kw_only=True)
class Schedule:
    """
    A repeating timing, for reminders and calendars.

    "12-15 minutes every 2 hours for 48 hours" is
    ``Schedule(minutes_min=12, minutes_max=15, every_hours=2, for_hours=48)``.

    Attributes:
        minutes_min: Shortest application, in minutes.
        minutes_max: Longest application, in minutes.
        every_hours: Hours between starts, if it repeats.
        for_hours: How long the schedule lasts, if limited.

    .. versionadded:: 0.1.0
    """

    minutes_min: int = attrs.field(validator=_positive)
    minutes_max: int = attrs.field(validator=_positive)
    every_hours: int | None = attrs.field(
        default=None, validator=attrs.validators.optional(_positive)
    )
    for_hours: int | None = attrs.field(
        default=None, validator=attrs.validators.optional(_positive)
    )

    @minutes_max.validator
    def _check_order(
        self, attribute: attrs.Attribute[Any], value: int
    ) -> None:
        if value < self.minutes_min:
            raise InvalidValueError(
                field_name(self, attribute),
                value,
                f"must be at least minutes_min={self.minutes_min}",
            )


def _optional(validator: Any) -> Any:
    def check(
        instance: object, attribute: attrs.Attribute[Any], value: Any
    ) -> None:
        if value is not None:
            validator(instance, attribute, value)

    return check


@attrs.frozen(kw_only=True)
class Step:
    """
    One thing to do, with its timing, cautions and evidence.

    Attributes:
        id: Stable identifier, such as ``"cold_pack"``.
        phase: When it applies.
        kind: What sort of step it is.
        title: Short imperative title, for a person.
        instructions: What to do, in plain language.
        timing: When and how long, in plain language, if it matters.
        schedule: The same timing in numbers, if it repeats.
        cautions: Safety warnings; heat and cold steps always carry
            :data:`SKIN_SAFETY_CAUTIONS`.
        evidence: How good the evidence is, and how the source article was
            reconciled with the guidelines.
        citations: The sources.

    Raises:
        InvalidValueError: A heat or cold step lacks a skin-safety caution.

    .. versionadded:: 0.1.0
    """

    id: str = attrs.field(validator=text())
    phase: Phase = attrs.field(validator=instance_of(Phase, name="a Phase"))
    kind: StepKind = attrs.field(
        validator=instance_of(StepKind, name="a StepKind")
    )
    title: str = attrs.field(validator=text())
    instructions: str = attrs.field(validator=text())
    timing: str | None = attrs.field(default=None, validator=_optional(text()))
    schedule: Schedule | None = attrs.field(
        default=None,
        validator=_optional(instance_of(Schedule, name="a Schedule")),
    )
    cautions: tuple[str, ...] = attrs.field(
        default=(), converter=to_tuple, validator=text_tuple()
    )
    evidence: str = attrs.field(validator=text())
    citations: tuple[Citation, ...] = attrs.field(
        converter=to_tuple,
        validator=tuple_of(Citation, name="Citation", non_empty=True),
    )

    def __attrs_post_init__(self) -> None:
        if self.kind in _THERMAL_KINDS:
            missing = [
                c for c in SKIN_SAFETY_CAUTIONS if c not in self.cautions
            ]
            if missing:
                raise InvalidValueError(
                    "Step.cautions",
                    self.cautions,
                    f"a {self.kind.value} step must carry every skin-safety "
                    f"caution; missing {missing[0]!r}",
                )


@attrs.frozen(kw_only=True)
class SafetyNet:
    """
    When to get help if things change: short, and only what the level
    needs.

    A self-care plan lists warning signs at all three levels (at most 8
    for the default rules); a routine referral, the signs that mean going
    sooner (emergency and same day); a same-day referral, the emergency
    signs. An emergency or ambulance plan lists none: nothing competes
    with getting help, and :attr:`if_worse` says what to do on the way.

    Attributes:
        emergency: Signs that mean "call an ambulance or go to the
            emergency department now".
        same_day: Signs that mean "see a doctor today".
        see_doctor: Signs that mean "book a doctor's appointment".
        if_worse: What to do if things get worse, at the plan's level.

    .. versionadded:: 0.1.0
    """

    emergency: tuple[str, ...] = attrs.field(
        converter=to_tuple, validator=text_tuple()
    )
    same_day: tuple[str, ...] = attrs.field(
        converter=to_tuple, validator=text_tuple()
    )
    see_doctor: tuple[str, ...] = attrs.field(
        converter=to_tuple, validator=text_tuple()
    )
    if_worse: str = attrs.field(validator=text())

    @property
    def signs(self) -> tuple[str, ...]:
        """
        Every warning sign, most urgent first.
        """
        return (*self.emergency, *self.same_day, *self.see_doctor)


@attrs.frozen(kw_only=True)
class Reason:
    """
    Why the result is what it is: one rule that fired, as a person speaks.

    Attributes:
        rule: The id of the rule that fired (its title, rationale and
            sources are in :attr:`spasmcare.Escalation.fired`).
        level: The rule's level.
        said: What the person said that fired it, in their words
            ("you have a fever or chills").
        text: The reason as one plain sentence
            ("You said you have a fever or chills.").

    .. versionadded:: 0.1.0
    """

    rule: str = attrs.field(validator=text())
    level: Urgency = attrs.field(
        validator=instance_of(Urgency, name="an Urgency")
    )
    said: tuple[str, ...] = attrs.field(
        converter=to_tuple, validator=text_tuple()
    )
    text: str = attrs.field(validator=text())


@attrs.frozen(kw_only=True)
class PertinentNegative:
    """
    A red-flag question that was asked and answered "no".

    Attributes:
        question: The question id.
        label: Its short label, in plain language.

    .. versionadded:: 0.1.0
    """

    question: str = attrs.field(validator=text())
    label: str = attrs.field(validator=text())


@attrs.frozen(kw_only=True, repr=False)
class CarePlan:
    """
    What to do: the referral first when one is needed, then self-care.

    Attributes:
        level: The escalation level the plan was made for.
        screening_complete: Whether every safety question was answered.
        steps: Ordered steps. When *level* is above self-care the first
            step is the referral; at emergency and ambulance levels only
            the referral and safe interim advice follow.
        prevention: Advice to lower the chance of another episode.
        safety_net: When to contact a doctor, and when it is an emergency;
            empty at emergency and ambulance levels.
        notice: The "not a diagnosis" statement.
        reasons: Why, as the person said it: each rule that fired, most
            urgent first.
        ruled_out: Why not: the red-flag questions that were asked and
            answered "no" (the pertinent negatives), in catalogue order.
        region: The region whose emergency number and services the plan
            names.
        action: What to do, in plain language, in the region's words; the
            same as :attr:`spasmcare.Escalation.action` for the UK.
            ``None`` only in a plan built by hand.

    Raises:
        InvalidValueError: The steps break the ordering rules above, or an
            emergency plan holds prevention advice or warning signs.

    .. versionadded:: 0.1.0
    """

    level: Urgency = attrs.field(
        validator=instance_of(Urgency, name="an Urgency")
    )
    screening_complete: bool = attrs.field(
        validator=instance_of(bool, name="a bool")
    )
    steps: tuple[Step, ...] = attrs.field(
        converter=to_tuple,
        validator=tuple_of(Step, name="Step", non_empty=True),
    )
    prevention: tuple[str, ...] = attrs.field(
        converter=to_tuple, validator=text_tuple()
    )
    safety_net: SafetyNet = attrs.field(
        validator=instance_of(SafetyNet, name="a SafetyNet")
    )
    notice: str = attrs.field(validator=text())
    reasons: tuple[Reason, ...] = attrs.field(
        default=(),
        converter=to_tuple,
        validator=tuple_of(Reason, name="Reason"),
    )
    ruled_out: tuple[PertinentNegative, ...] = attrs.field(
        default=(),
        converter=to_tuple,
        validator=tuple_of(PertinentNegative, name="PertinentNegative"),
    )
    region: Region = attrs.field(
        default=UK, validator=instance_of(Region, name="a Region")
    )
    action: str | None = attrs.field(default=None, validator=_optional(text()))

    def __repr__(self) -> str:
        # Short: the steps' texts run to pages; their ids say which.
        steps = tuple(step.id for step in self.steps)
        reasons = tuple(reason.rule for reason in self.reasons)
        return (
            f"CarePlan(level={self.level}, steps={steps!r}, "
            f"reasons={reasons!r}, region={self.region.id!r})"
        )

    def __attrs_post_init__(self) -> None:
        kinds = [step.kind for step in self.steps]
        referral_needed = self.level > Urgency.SELF_CARE
        if referral_needed and kinds[0] is not StepKind.REFERRAL:
            raise InvalidValueError(
                "CarePlan.steps",
                kinds[0],
                f"at level {self.level.value} the first step must be the referral",
            )
        if not referral_needed and StepKind.REFERRAL in kinds:
            raise InvalidValueError(
                "CarePlan.steps", kinds, "a self-care plan holds no referral"
            )
        if self.level >= Urgency.EMERGENCY:
            delaying = [k for k in kinds if k in _SELF_CARE_KINDS]
            if delaying:
                raise InvalidValueError(
                    "CarePlan.steps",
                    delaying[0],
                    "an emergency plan holds only the referral and interim advice",
                )
            if self.prevention or self.safety_net.signs:
                raise InvalidValueError(
                    "CarePlan",
                    (self.prevention or self.safety_net.signs)[0],
                    "an emergency plan holds no prevention advice or "
                    "warning-sign list: nothing may compete with getting help",
                )

    @property
    def referral(self) -> Step | None:
        """
        The referral step, or ``None`` for a self-care plan.
        """
        first = self.steps[0]
        return first if first.kind is StepKind.REFERRAL else None
