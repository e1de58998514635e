# SPDX-License-Identifier: MIT
"""
translate_prompt(): an interview prompt in the deployer's language.
"""

from __future__ import annotations

import attrs

from ._i18n import Translations, translate
from ._interview import Prompt
from .exceptions import InvalidTypeError

__all__ = ["translate_prompt"]


def translate_prompt(prompt: Prompt, translations: Translations) -> Prompt:
    """
    *prompt* with its text, label, purpose and questions translated.

    Ids, answer types and limits are unchanged, so the answer goes back
    to :meth:`spasmcare.Interview.answer` as it is. A string the
    catalogue does not hold stays in English (see
    :func:`spasmcare.translate`).

    >>> import gettext
    >>> from spasmcare import Assessment, next_question
    >>> prompt = next_question(Assessment(), asked=["group_emergency_signs"])
    >>> translate_prompt(prompt, gettext.NullTranslations()).text == prompt.text
    True

    Raises:
        InvalidTypeError: *prompt* is not a Prompt, or *translations* has no
            ``gettext`` method.

    .. versionadded:: 0.1.0
    """
    if not isinstance(prompt, Prompt):
        raise InvalidTypeError("prompt", prompt, "a Prompt")
    if not callable(getattr(translations, "gettext", None)):
        raise InvalidTypeError(
            "translations", translations, "an object with a gettext method"
        )

    def t(message: str) -> str:
        return translate(message, translations)

    return attrs.evolve(
        prompt,
        label=t(prompt.label),
        text=t(prompt.text),
        purpose=t(prompt.purpose),
        questions=tuple(
            attrs.evolve(
                q,
                label=t(q.label),
                text=t(q.text),
                said=t(q.said),
                purpose=t(q.purpose),
            )
            for q in prompt.questions
        ),
    )
