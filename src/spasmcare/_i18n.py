# SPDX-License-Identifier: MIT
"""
Translation: every patient string is marked for gettext where it is
defined, and a deployer's translations are applied at the faces.

``N_()`` marks a string and returns it unchanged, so that Babel can
extract it (``python -m tools.pot --write`` writes
``src/spasmcare/locale/spasmcare.pot``; CI checks that it is current).
spasmcare ships no translation: no clinician has reviewed one. A deployer
compiles their own catalogue and passes any object with a ``gettext``
method, such as :func:`gettext.translation`'s result, to
:func:`spasmcare.plan_care` or :func:`spasmcare.translate_prompt`.

A translation can never drop a placeholder such as ``{emergency_number}``:
:func:`translate` falls back to the English text when it would.
"""

from __future__ import annotations

import re
from typing import Protocol

__all__ = ["N_", "Translations", "translate"]


class Translations(Protocol):
    """
    What spasmcare needs of a translation catalogue: a ``gettext`` method,
    as ``gettext.NullTranslations`` and its subclasses have.

    .. versionadded:: 0.1.0
    """

    def gettext(self, message: str, /) -> str:
        """
        The translation of *message*, or *message* itself.
        """
        ...  # pragma: no cover


#: A placeholder in a message, such as ``{emergency_number}``.
_FIELD = re.compile(r"\{[a-z_]+\}")


def N_(message: str) -> str:  # noqa: N802 (the gettext convention)
    """
    Mark *message* for translation; return it unchanged.
    """
    return message


def translate(message: str, translations: Translations | None) -> str:
    """
    *message* in the deployer's language, or unchanged.

    A translation that is blank, or that loses or adds a placeholder (the
    emergency number, the service to call), is not used: the English
    message is, so that no translation can drop the emergency number.

    Args:
        message: A marked message.
        translations: The deployer's catalogue, or ``None`` for English.
    """
    if translations is None:
        return message
    translated = translations.gettext(message)
    fields = sorted(_FIELD.findall(message))
    if not translated.strip() or sorted(_FIELD.findall(translated)) != fields:
        return message
    return translated
