# SPDX-License-Identifier: MIT
"""
Regions: the emergency number and the services a person is told to use.

The UK is the default. A deployer elsewhere passes another
:class:`Region` (or builds their own) to :func:`spasmcare.plan_care` and
the faces; every patient string that names a number or a service is
written with a placeholder and filled from the region.
"""

from __future__ import annotations

import functools
import re
import types
from collections.abc import Mapping
from typing import Any

import attrs

from ._i18n import N_, Translations, translate
from ._validators import field_name, text
from .exceptions import InvalidValueError

__all__ = ["AUSTRALIA", "EU", "REGIONS", "UK", "US", "Region"]

_NUMBER = re.compile(r"[0-9]{2,6}\Z")


def _number(
    instance: object, attribute: attrs.Attribute[Any], value: Any
) -> None:
    text()(instance, attribute, value)
    if not _NUMBER.match(value):
        raise InvalidValueError(
            field_name(instance, attribute),
            value,
            "must be the number to dial, 2 to 6 digits",
        )


@attrs.frozen(kw_only=True, cache_hash=True)  # a key of the fill cache
class Region:
    """
    Where the person is: the number to call in an emergency, and what the
    services are called.

    >>> from spasmcare import REGIONS
    >>> REGIONS["us"].fill("Call an ambulance now on {emergency_number}.")
    'Call an ambulance now on 911.'
    >>> Region(
    ...     id="nz",
    ...     name="New Zealand",
    ...     emergency_number="111",
    ...     emergency_department="the emergency department",
    ...     urgent_help="call Healthline on 0800 611 116",
    ... ).emergency_number
    '111'

    Attributes:
        id: Short identifier, such as ``"uk"``.
        name: The region's name, such as ``"United Kingdom"``.
        emergency_number: The number to dial for an ambulance.
        emergency_department: What the emergency department is called, as
            it reads after "go to" (``"the emergency room (ER)"``).
        urgent_help: What to do for urgent advice when a doctor cannot be
            seen today, as it reads after a comma (``"call 111"``).

    Raises:
        InvalidValueError: The number is not 2 to 6 digits, or a text is
            blank.

    .. versionadded:: 0.1.0
    """

    id: str = attrs.field(validator=text())
    name: str = attrs.field(validator=text())
    emergency_number: str = attrs.field(validator=_number)
    emergency_department: str = attrs.field(validator=text())
    urgent_help: str = attrs.field(validator=text())

    def fill(
        self, message: str, translations: Translations | None = None
    ) -> str:
        """
        *message*, translated, with the region's number and services in
        place of ``{emergency_number}``, ``{emergency_department}`` and
        ``{urgent_help}``.
        """
        if translations is None and type(message) is str:
            return _filled(self, message)
        return _fill(self, message, translations)


def _fill(
    region: Region, message: str, translations: Translations | None
) -> str:
    out = translate(message, translations)
    for name in ("emergency_number", "emergency_department", "urgent_help"):
        value = getattr(region, name)
        if name != "emergency_number":
            value = translate(value, translations)
        out = out.replace(f"{{{name}}}", value)
    return out


#: The English texts, filled once per region and message: both are
#: immutable, and the faces fill the same few dozen texts again and again.
@functools.lru_cache(maxsize=1024)
def _filled(region: Region, message: str) -> str:
    return _fill(region, message, None)


UK = Region(
    id="uk",
    name="United Kingdom",
    emergency_number="999",
    emergency_department=N_("the emergency department"),
    urgent_help=N_("call 111"),
)
US = Region(
    id="us",
    name="United States",
    emergency_number="911",
    emergency_department=N_("the emergency room (ER)"),
    urgent_help=N_("call your doctor's office or go to an urgent care center"),
)
#: The European emergency number, 112, works in every EU country.
EU = Region(
    id="eu",
    name="European Union",
    emergency_number="112",
    emergency_department=N_("the emergency department"),
    urgent_help=N_("call your doctor's out-of-hours service"),
)
AUSTRALIA = Region(
    id="au",
    name="Australia",
    emergency_number="000",
    emergency_department=N_("the emergency department"),
    urgent_help=N_("call healthdirect on 1800 022 222"),
)

#: The regions spasmcare knows, by id; the UK is the default.
REGIONS: Mapping[str, Region] = types.MappingProxyType(
    {region.id: region for region in (UK, US, EU, AUSTRALIA)}
)
