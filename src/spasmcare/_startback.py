# SPDX-License-Identifier: MIT
"""
The STarT Back Screening Tool (Keele University): scoring and stratified
care, for clinicians.

NICE NG59 (1.1.2) recommends considering risk stratification, "for example,
the STarT Back risk assessment tool", at the first contact with a healthcare
professional, and (1.1.3) simpler support for people at low risk and more
complex support for those at higher risk.

**Licence.** Keele reserves commercial use of the tool and says it is not a
standalone online screen: it is part of a clinician's full assessment. So
spasmcare ships only the scoring, by item id and answer code, under MIT;
the nine item texts are not in the package. A clinician-facing flow loads
them from a file that carries Keele's notice
(:func:`load_start_back_items`), or supplies its own licensed copy.
The patient self-triage interview never asks them.

Scoring (Hill et al., Arthritis Rheum 2008; LOINC 91349-1):
items 1-8 score 1 for "agree"; item 9 (bothersomeness) scores 1 for
"very much" or "extremely". The total is 0-9, the distress subscore
(items 5-9) 0-5. Low risk: total 3 or less. Medium: total 4 or more and
subscore 3 or less. High: total 4 or more and subscore 4 or more.
"""

from __future__ import annotations

import enum
import os
import types
from collections.abc import Iterable, Mapping

import attrs

from . import _citations as src
from ._citations import Citation
from .exceptions import (
    InvalidTypeError,
    InvalidValueError,
    UnknownFindingError,
)

__all__ = [
    "START_BACK_ITEMS",
    "StartBackItem",
    "StartBackRisk",
    "StartBackScore",
    "load_start_back_items",
    "score_start_back",
]

_AGREE = ("agree", "disagree")
_BOTHER = ("not_at_all", "slightly", "moderately", "very_much", "extremely")
_SCORES_ONE = frozenset(("agree", "very_much", "extremely"))
#: Items 5-9 make the distress (psychosocial) subscore.
_DISTRESS = frozenset(("Q5", "Q6", "Q7", "Q8", "Q9"))
_LOW_MAX_TOTAL = 3
_LOW_MAX_DISTRESS = 3


@attrs.frozen(kw_only=True)
class StartBackItem:
    """
    One item of the tool: its id, what it is about, and its answer codes.

    Attributes:
        id: ``"Q1"`` to ``"Q9"``.
        topic: What the item is about, in a few words (not Keele's
            wording, which is not shipped).
        answers: The answer codes it takes, in the form's order.
        distress: Whether it counts in the distress subscore (items 5-9).

    .. versionadded:: 0.1.0
    """

    id: str
    topic: str
    answers: tuple[str, ...]
    distress: bool


#: The nine items, by id: topics and answer codes, no item texts.
START_BACK_ITEMS: Mapping[str, StartBackItem] = types.MappingProxyType(
    {
        item.id: item
        for item in (
            StartBackItem(
                id=f"Q{number}",
                topic=topic,
                answers=_BOTHER if number == 9 else _AGREE,  # noqa: PLR2004
                distress=f"Q{number}" in _DISTRESS,
            )
            for number, topic in enumerate(
                (
                    "pain spreading down the legs",
                    "pain in the shoulder or neck",
                    "walking only short distances",
                    "dressing more slowly",
                    "fear that activity is not safe",
                    "worrying thoughts",
                    "feeling the pain will never get better",
                    "not enjoying things",
                    "how bothersome the pain has been",
                ),
                start=1,
            )
        )
    }
)


class StartBackRisk(enum.Enum):
    """
    The tool's risk groups.

    .. versionadded:: 0.1.0
    """

    #: Total 3 or less.
    LOW = "low"
    #: Total 4 or more, distress subscore 3 or less.
    MEDIUM = "medium"
    #: Total 4 or more, distress subscore 4 or more.
    HIGH = "high"

    @property
    def management(self) -> str:
        """
        The stratified care NICE NG59 (1.1.3) describes for the group,
        for a clinician.
        """
        return _MANAGEMENT[self]


_MANAGEMENT = {
    StartBackRisk.LOW: (
        "Simpler and less intensive support: reassurance, advice to keep "
        "active and guidance on self-management (NICE NG59 1.1.3)."
    ),
    StartBackRisk.MEDIUM: (
        "More complex and intensive support: consider referral for an "
        "exercise programme, with or without manual therapy (NICE NG59 "
        "1.1.3)."
    ),
    StartBackRisk.HIGH: (
        "More complex and intensive support: consider referral for an "
        "exercise programme with a psychologically informed approach "
        "(NICE NG59 1.1.3)."
    ),
}


@attrs.frozen(kw_only=True)
class StartBackScore:
    """
    A scored STarT Back questionnaire.

    Unanswered items are data, not errors: the score says which are
    missing, and the risk group is given only when every way of answering
    them would give the same group.

    Attributes:
        answers: The answer code of each item answered, by item id.
        missing: Ids of the items not answered, in order.
        total: The total of the items answered (0-9).
        distress: The distress subscore of the items answered (0-5).
        risk: The risk group, or ``None`` when the missing items could
            change it.
        citations: The sources of the scoring and of the stratified care.

    .. versionadded:: 0.1.0
    """

    answers: Mapping[str, str]
    missing: tuple[str, ...]
    total: int
    distress: int
    risk: StartBackRisk | None
    citations: tuple[Citation, ...] = (src.HILL_2008, src.NICE_NG59)

    @property
    def complete(self) -> bool:
        """
        Whether all nine items were answered.
        """
        return not self.missing

    @property
    def management(self) -> str | None:
        """
        The stratified care for the risk group (NICE NG59 1.1.3), for a
        clinician; ``None`` when the group is not known.
        """
        return None if self.risk is None else self.risk.management

    @property
    def notice(self) -> str:
        """
        How the result may be used.
        """
        return (
            "For clinician use as part of a full assessment; not a "
            "standalone online screen (Keele University)."
        )


def _group(total: int, distress: int) -> StartBackRisk:
    if total <= _LOW_MAX_TOTAL:
        return StartBackRisk.LOW
    if distress <= _LOW_MAX_DISTRESS:
        return StartBackRisk.MEDIUM
    return StartBackRisk.HIGH


def score_start_back(answers: Mapping[str, str]) -> StartBackScore:
    """
    Score STarT Back answers given as item ids and answer codes.

    Args:
        answers: For items ``"Q1"`` to ``"Q8"``, ``"agree"`` or
            ``"disagree"``; for ``"Q9"``, ``"not_at_all"``, ``"slightly"``,
            ``"moderately"``, ``"very_much"`` or ``"extremely"``.
            Items left out are unanswered.

    Returns:
        The score, with the risk group when it is decided.

    Raises:
        InvalidTypeError: *answers* is not a mapping of strings.
        UnknownFindingError: An item id is not one of ``Q1``-``Q9``.
        InvalidValueError: An answer code does not fit its item.

    >>> answers = dict.fromkeys(["Q1", "Q2", "Q3", "Q4"], "agree")
    >>> score = score_start_back(answers | {"Q9": "slightly"})
    >>> score.total, score.risk, score.missing
    (4, None, ('Q5', 'Q6', 'Q7', 'Q8'))
    >>> complete = answers | dict.fromkeys(["Q5", "Q6", "Q7", "Q8"], "disagree")
    >>> score_start_back(complete | {"Q9": "slightly"}).risk
    <StartBackRisk.MEDIUM: 'medium'>

    .. versionadded:: 0.1.0
    """
    if not isinstance(answers, Mapping):
        raise InvalidTypeError("answers", answers, "a mapping of item ids")
    total = distress = 0
    given: Iterable[tuple[object, object]] = answers.items()  # checked here
    for item_id, code in given:
        item = (
            START_BACK_ITEMS.get(item_id) if isinstance(item_id, str) else None
        )
        if item is None:
            raise UnknownFindingError(
                "answers", item_id, "not a STarT Back item id (Q1 to Q9)"
            )
        if not isinstance(code, str) or code not in item.answers:
            raise InvalidValueError(
                f"answers[{item_id!r}]",
                code,
                "must be one of " + ", ".join(item.answers),
            )
        point = code in _SCORES_ONE
        total += point
        distress += point and item.distress
    missing = tuple(i for i in START_BACK_ITEMS if i not in answers)
    most_distress = sum(START_BACK_ITEMS[i].distress for i in missing)
    # Answering the missing items can only raise the total and the
    # subscore, and the group only rises with them: it is decided when
    # answering none of them and answering all of them agree.
    lowest = _group(total, distress)
    decided = lowest is _group(total + len(missing), distress + most_distress)
    return StartBackScore(
        answers=types.MappingProxyType(dict(answers)),
        missing=missing,
        total=total,
        distress=distress,
        risk=lowest if decided else None,
    )


def load_start_back_items(path: str | os.PathLike[str]) -> Mapping[str, str]:
    """
    Load the nine item texts from a JSON file that carries Keele's notice.

    The file is ``{"notice": "...", "items": {"Q1": "...", ..., "Q9":
    "..."}}``; the notice is Keele University's copyright and funding
    statement, which must travel with the texts. spasmcare does not ship
    the texts: get them, and permission for commercial use, from Keele.

    Raises:
        InvalidValueError: The file is not such a document, lacks the
            notice, or does not have a text for each item.
        OSError: The file cannot be read.

    .. versionadded:: 0.1.0
    """
    # Imported here: only this reads a file, and ``import spasmcare``
    # would pay for json and pathlib (and urllib, which pathlib imports).
    import json  # noqa: PLC0415
    from pathlib import Path  # noqa: PLC0415

    try:
        document = json.loads(Path(path).read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise InvalidValueError(
            str(path), "(file)", f"not JSON: {error}"
        ) from None
    notice = document.get("notice") if isinstance(document, dict) else None
    if not isinstance(notice, str) or "Keele" not in notice:
        raise InvalidValueError(
            f"{path}: notice",
            notice,
            "must carry Keele University's notice",
        )
    items = document.get("items")
    if not isinstance(items, dict) or set(items) != set(START_BACK_ITEMS):
        raise InvalidValueError(
            f"{path}: items",
            sorted(items) if isinstance(items, dict) else items,
            "must give a text for each of Q1 to Q9",
        )
    for item_id, text in items.items():
        if not isinstance(text, str) or not text.strip():
            raise InvalidValueError(
                f"{path}: items.{item_id}", text, "needs text"
            )
    return types.MappingProxyType(
        {item_id: items[item_id] for item_id in START_BACK_ITEMS}
    )
