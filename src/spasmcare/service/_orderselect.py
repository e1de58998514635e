# SPDX-License-Identifier: MIT
"""
The ``order-select`` imaging check: lumbar imaging for low back pain.

ACP (Chou 2011) and NICE NG59 advise against routine imaging for low back
pain without a red flag; imaging is for suspected serious pathology
(cauda equina, cancer, infection, fracture, severe or progressive
neurological deficit). For a patient with low back pain of under 6 weeks:

- a red flag recorded (a fired rule at urgent level or above):
  an info card supports the order and names the rule;
- red-flag screening complete and no red flag: a warning card says
  imaging is not recommended, with a suggestion to remove the order and
  the red flags that would justify it;
- red-flag screening incomplete: an info card says imaging is not
  routinely recommended unless a red flag is present, and lists the
  red-flag questions still unanswered (never read as "no").

Orders that are not lumbar imaging, and patients without low back pain
recorded or with pain of 6 weeks or more, get no card.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from spasmcare import DEFAULT_RULES, QUESTIONS, Escalation, RuleSet, Urgency

from ._cards import (
    UuidFactory,
    card_source,
    escape_markdown,
    find_citation,
    new_uuid4,
    shorten,
)
from ._codes import IMAGING, LOW_BACK_PAIN, Code
from .cdshooks import Action, Card, Coding, Suggestion

__all__ = [
    "ACUTE_DAYS",
    "IMAGING_OVERRIDE_REASONS",
    "ImagingOrder",
    "has_low_back_pain",
    "imaging_orders",
    "order_select_cards",
]

#: Under this many days, low back pain is in the window where imaging
#: without a red flag is not recommended (6 weeks).
ACUTE_DAYS = 42

#: The least urgent fired rule that justifies imaging.
_JUSTIFIES = Urgency.URGENT

_SYSTEM = "https://spasmcare.readthedocs.io/codes/override-reason"

#: Reasons a clinician can give for keeping the order.
IMAGING_OVERRIDE_REASONS = (
    Coding(
        system=_SYSTEM,
        code="red-flag-on-examination",
        display="Red flag found on examination, not in the questionnaire",
    ),
    Coding(
        system=_SYSTEM,
        code="specialist-request",
        display="Requested by a specialist",
    ),
    Coding(
        system=_SYSTEM,
        code="other-clinical-reason",
        display="Other clinical reason",
    ),
)

_MODALITY = {"x-ray": "X-ray", "ct": "CT", "mri": "MRI"}
_IMAGING = {(c.system, c.code): c for c in IMAGING}
_LBP = {(c.system, c.code): c for c in LOW_BACK_PAIN}


@attrs.frozen(kw_only=True)
class ImagingOrder:
    """
    A selected draft order for lumbar spine imaging.

    Attributes:
        reference: The order's relative reference, ``ServiceRequest/{id}``.
        code: The table entry its code matched.
    """

    reference: str
    code: Code

    @property
    def modality(self) -> str:
        """
        ``X-ray``, ``CT`` or ``MRI``.
        """
        return _MODALITY[self.code.group]


def _codings(concept: Any) -> Iterable[tuple[Any, Any]]:
    if not isinstance(concept, Mapping):
        return ()
    codings = concept.get("coding")
    if not isinstance(codings, list):
        return ()
    return [
        (c.get("system"), c.get("code"))
        for c in codings
        if isinstance(c, Mapping)
    ]


def _entries(bundle: Any) -> list[Mapping[str, Any]]:
    if not isinstance(bundle, Mapping):
        return []
    if bundle.get("resourceType") != "Bundle":
        return [bundle]
    found = []
    for entry in bundle.get("entry") or ():
        resource = (
            entry.get("resource") if isinstance(entry, Mapping) else None
        )
        if isinstance(resource, Mapping):
            found.append(resource)
    return found


def imaging_orders(context: Mapping[str, Any]) -> tuple[ImagingOrder, ...]:
    """
    The selected draft orders in an order-select *context* that are lumbar
    spine imaging.

    Args:
        context: The hook's context: ``draftOrders`` (a Bundle) and
            ``selections`` (the ids of the orders just selected;
            all draft orders when it is missing).

    .. versionadded:: 0.1.0
    """
    selections = context.get("selections")
    selected = (
        {s for s in selections if isinstance(s, str)}
        if isinstance(selections, list)
        else None
    )
    orders = []
    for resource in _entries(context.get("draftOrders")):
        kind = resource.get("resourceType")
        reference = f"{kind}/{resource.get('id')}"
        if kind != "ServiceRequest" or (
            selected is not None and reference not in selected
        ):
            continue
        for key in _codings(resource.get("code")):
            if key in _IMAGING:
                orders.append(
                    ImagingOrder(reference=reference, code=_IMAGING[key])
                )
                break
    return tuple(orders)


def has_low_back_pain(
    context: Mapping[str, Any], conditions: Any = None
) -> bool:
    """
    Whether low back pain is recorded: as the reason of a selected imaging
    order, or as a Condition (a resource or a search Bundle) that is not
    resolved or refuted.

    .. versionadded:: 0.1.0
    """
    for resource in _entries(context.get("draftOrders")):
        for reason in resource.get("reasonCode") or ():
            if any(key in _LBP for key in _codings(reason)):
                return True
    for condition in _entries(conditions):
        if condition.get("resourceType") != "Condition":
            continue
        status = [
            code for _, code in _codings(condition.get("clinicalStatus"))
        ]
        verification = [
            code for _, code in _codings(condition.get("verificationStatus"))
        ]
        if set(status) & {"resolved", "inactive", "remission"}:
            continue
        if "refuted" in verification or "entered-in-error" in verification:
            continue
        if any(key in _LBP for key in _codings(condition.get("code"))):
            return True
    return False


def _justifying(escalation: Escalation) -> list[str]:
    return [f.rule.title for f in escalation.fired if f.urgency >= _JUSTIFIES]


def order_select_cards(
    orders: tuple[ImagingOrder, ...],
    *,
    low_back_pain: bool,
    duration_days: int | None,
    escalation: Escalation | None,
    rules: RuleSet = DEFAULT_RULES,
    new_uuid: UuidFactory = new_uuid4,
) -> tuple[Card, ...]:
    """
    The imaging check's cards (see the module docstring).

    Args:
        orders: The selected lumbar imaging orders
            (:func:`imaging_orders`).
        low_back_pain: Whether low back pain is recorded
            (:func:`has_low_back_pain`).
        duration_days: Days since the episode began, if known.
        escalation: The patient's evaluated answers, if there are any.
        rules: The rule set, for the red flags that would justify imaging.
        new_uuid: Makes the uuids.

    .. versionadded:: 0.1.0
    """
    if not orders or not low_back_pain:
        return ()
    if duration_days is None or duration_days >= ACUTE_DAYS:
        return ()
    names = ", ".join(sorted({f"{o.modality}" for o in orders}))
    source = card_source(find_citation(rules, "chou-acp-2011"))
    nice = find_citation(rules, "nice-ng59")
    if escalation is not None:
        reasons = _justifying(escalation)
        if reasons:
            return (
                Card(
                    uuid=new_uuid(),
                    summary=shorten(
                        f"Lumbar {names} supported by a red flag: {reasons[0]}"
                    ),
                    indicator="info",
                    source=source,
                    detail="\n".join(
                        [
                            (
                                "Imaging is indicated for suspected serious pathology. "
                                "Red flags recorded:"
                            ),
                            "",
                            *(f"- {escape_markdown(r)}" for r in reasons),
                        ]
                    ),
                ),
            )
    justify = _justifying_flags(rules)
    if escalation is None or not escalation.screening_complete:
        unanswered = (
            [QUESTIONS[q].label for q in escalation.unanswered]
            if escalation is not None
            else [QUESTIONS[q].label for q in sorted(rules.red_flags)]
        )
        detail = [
            (
                f"Low back pain of {duration_days} days: imaging is not routinely "
                "recommended unless a red flag is present "
                f"({escape_markdown(str(nice))}). Red-flag screening is **incomplete**; "
                "not yet answered:"
            ),
            "",
            *(f"- {escape_markdown(label)}" for label in unanswered),
        ]
        return (
            Card(
                uuid=new_uuid(),
                summary=shorten(
                    f"Lumbar {names} for back pain under 6 weeks: check red flags first "
                    "(screening incomplete)"
                ),
                indicator="info",
                source=source,
                detail="\n".join(detail),
            ),
        )
    detail = [
        (
            f"Low back pain of {duration_days} days with no red flag recorded: "
            "imaging is not recommended (ACP 2011; "
            f"{escape_markdown(str(nice))}). It does not change outcomes and "
            "exposes the patient to radiation (X-ray, CT) and incidental findings."
        ),
        "",
        "Imaging is justified by a red flag such as:",
        "",
        *(f"- {escape_markdown(title)}" for title in justify),
    ]
    suggestion = Suggestion(
        label=f"Remove the lumbar {names} order",
        uuid=new_uuid(),
        is_recommended=True,
        actions=tuple(
            Action(
                type="delete",
                description=f"Remove {order.code.display} ({order.reference})",
                resource_id=order.reference,
            )
            for order in orders
        ),
    )
    return (
        Card(
            uuid=new_uuid(),
            summary=shorten(
                f"Lumbar {names} not recommended: back pain under 6 weeks with no red flag"
            ),
            indicator="warning",
            source=source,
            detail="\n".join(detail),
            suggestions=(suggestion,),
            selection_behavior="at-most-one",
            override_reasons=IMAGING_OVERRIDE_REASONS,
        ),
    )


def _justifying_flags(rules: RuleSet) -> list[str]:
    return [rule.title for rule in rules if rule.urgency >= _JUSTIFIES]
