# SPDX-License-Identifier: MIT
"""
How urgent a referral is: the five levels and the 3-level scheme.
"""

from __future__ import annotations

import enum

from ._i18n import N_, Translations
from ._region import UK, Region

__all__ = ["TriageCategory", "Urgency"]


class TriageCategory(enum.Enum):
    """
    The 3-level scheme of published symptom-checker evaluations.

    Semigran et al., BMJ 2015;351:h3480 (also Schmieding, JMIR 2022)
    score advice as emergent, non-emergent or self-care.

    .. versionadded:: 0.1.0
    """

    #: Call an ambulance, go to the emergency department,
    #: or see a doctor immediately.
    EMERGENT = "emergent"
    #: See a doctor, urgent care or a specialist, not as an emergency.
    NON_EMERGENT = "non_emergent"
    #: Stay at home, or go to a pharmacy.
    SELF_CARE = "self_care"


class Urgency(enum.Enum):
    """
    How soon, and where, a person should get care; least to most urgent.

    Members compare with ``<`` and ``>`` by urgency,
    so ``max()`` of several levels is the most urgent one.
    The values are the codes of Infermedica's 5-level ``/triage``,
    which map one to one.

    >>> Urgency.URGENT > Urgency.ROUTINE
    True
    >>> max(Urgency.ROUTINE, Urgency.AMBULANCE).category
    <TriageCategory.EMERGENT: 'emergent'>

    .. versionadded:: 0.1.0
    """

    #: Look after yourself at home; see a doctor if things change.
    SELF_CARE = "self_care"
    #: Book a doctor's appointment within a few days.
    ROUTINE = "consultation"
    #: Speak to a doctor today (within 24 hours).
    URGENT = "consultation_24"
    #: Go to an emergency department now.
    EMERGENCY = "emergency"
    #: Call an ambulance now.
    AMBULANCE = "emergency_ambulance"

    # Members are singletons, equal only to themselves: the identity hash
    # agrees with that and costs no Python call (Enum's hashes the name).
    __hash__ = object.__hash__

    @property
    def rank(self) -> int:
        """
        Position from 0 (self-care) to 4 (ambulance).
        """
        return _RANK[self]

    @property
    def category(self) -> TriageCategory:
        """
        The level in the 3-level scheme.

        Ambulance and emergency department are *emergent*;
        urgent and routine are *non-emergent*;
        self-care is *self-care*.
        Semigran 2015 counts "see a GP immediately" as emergent,
        so mapping :attr:`URGENT` to non-emergent is a judgement
        (``CLINICAL.md`` section 2): score it both ways when you evaluate.
        """
        return _CATEGORY[self]

    @property
    def action(self) -> str:
        """
        What to do, in plain language, for a person to read, in the default
        region's words (the UK's: 999, 111);
        :meth:`action_in` gives another region's.
        """
        return _UK_ACTION[self]

    def action_in(
        self, region: Region, translations: Translations | None = None
    ) -> str:
        """
        What to do, with *region*'s emergency number and services, and
        translated when *translations* are given.

        >>> from spasmcare import REGIONS
        >>> Urgency.AMBULANCE.action_in(REGIONS["au"])
        'Call an ambulance now on 000.'
        """
        return region.fill(_ACTION[self], translations)

    @property
    def timeframe(self) -> str:
        """
        How soon, in plain language.
        """
        return _TIMEFRAME[self]

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Urgency):
            return NotImplemented
        return _RANK[self] < _RANK[other]

    def __le__(self, other: object) -> bool:
        if not isinstance(other, Urgency):
            return NotImplemented
        return _RANK[self] <= _RANK[other]

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, Urgency):
            return NotImplemented
        return _RANK[self] > _RANK[other]

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, Urgency):
            return NotImplemented
        return _RANK[self] >= _RANK[other]


_RANK = {level: rank for rank, level in enumerate(Urgency)}

_CATEGORY = {
    Urgency.SELF_CARE: TriageCategory.SELF_CARE,
    Urgency.ROUTINE: TriageCategory.NON_EMERGENT,
    Urgency.URGENT: TriageCategory.NON_EMERGENT,
    Urgency.EMERGENCY: TriageCategory.EMERGENT,
    Urgency.AMBULANCE: TriageCategory.EMERGENT,
}

_ACTION = {
    Urgency.SELF_CARE: (
        N_(
            "Look after your back at home with the steps below. "
            "Contact a doctor if any of the warning signs appear."
        )
    ),
    Urgency.ROUTINE: N_("Book an appointment with a doctor."),
    Urgency.URGENT: (
        N_(
            "See a doctor today. If you cannot get an appointment, "
            "{urgent_help}."
        )
    ),
    Urgency.EMERGENCY: (
        N_(
            "Go to {emergency_department} now. "
            "If you cannot get there safely, call an ambulance on "
            "{emergency_number}."
        )
    ),
    Urgency.AMBULANCE: N_("Call an ambulance now on {emergency_number}."),
}

_TIMEFRAME = {
    Urgency.SELF_CARE: N_("No appointment needed now."),
    Urgency.ROUTINE: N_("Within the next few days."),
    Urgency.URGENT: N_("Today, within 24 hours."),
    Urgency.EMERGENCY: N_("Now."),
    Urgency.AMBULANCE: N_("Now."),
}

#: The actions in the UK's words, filled once (texts and region are fixed).
_UK_ACTION = {level: UK.fill(text) for level, text in _ACTION.items()}
