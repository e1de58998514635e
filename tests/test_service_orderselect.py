# SPDX-License-Identifier: MIT
"""
The order-select imaging check (ACP 2011, NICE NG59): lumbar imaging for
low back pain of under 6 weeks without a red flag gets a warning.
"""

from __future__ import annotations

from typing import Any

import pytest

from spasmcare import Assessment, evaluate
from spasmcare.service._codes import CPT, ICD10CM, IMAGING, SNOMED
from spasmcare.service._orderselect import (
    ACUTE_DAYS,
    ImagingOrder,
    has_low_back_pain,
    imaging_orders,
    order_select_cards,
)
from spasmcare.service.cdshooks import cards_response

from .cdshooks_schemas import check
from .vignettes import plain_strain, with_present


def order(
    code: str, *, system: str = CPT, id_: str = "mri-1", reason: Any = None
) -> dict[str, Any]:
    """
    A draft ServiceRequest with one code.
    """
    resource: dict[str, Any] = {
        "resourceType": "ServiceRequest",
        "id": id_,
        "status": "draft",
        "intent": "order",
        "code": {"coding": [{"system": system, "code": code}]},
    }
    if reason is not None:
        resource["reasonCode"] = [reason]
    return resource


LBP = {"coding": [{"system": ICD10CM, "code": "M54.50"}]}


def context(*orders: dict[str, Any], selections: Any = ...) -> dict[str, Any]:
    """
    An order-select context holding *orders*, all selected by default.
    """
    result: dict[str, Any] = {
        "userId": "Practitioner/1",
        "patientId": "p1",
        "draftOrders": {
            "resourceType": "Bundle",
            "entry": [{"resource": o} for o in orders],
        },
    }
    if selections is ...:
        selections = [f"ServiceRequest/{o['id']}" for o in orders]
    if selections is not None:
        result["selections"] = selections
    return result


class TestImagingOrders:
    """
    Which selected orders are lumbar imaging.
    """

    @pytest.mark.parametrize("code", [c.code for c in IMAGING])
    def test_every_table_code_matches(self, code: str) -> None:
        """
        Each CPT code in the table is found.
        """
        (found,) = imaging_orders(context(order(code)))

        assert "ServiceRequest/mri-1" == found.reference
        assert found.modality in {"X-ray", "CT", "MRI"}

    def test_only_selected_service_requests_count(self) -> None:
        """
        Unselected orders, other resource types, other codes and other
        systems are ignored; without selections every draft counts.
        """
        mri = order("72148")
        other = order("72148", id_="mri-2")
        knee = order("73721", id_="knee")
        snomed = order("72148", system=SNOMED, id_="s")
        med = {
            "resourceType": "MedicationRequest",
            "id": "m",
            "code": mri["code"],
        }

        selected = imaging_orders(
            context(
                mri,
                other,
                knee,
                snomed,
                selections=[
                    "ServiceRequest/mri-2",
                    "ServiceRequest/knee",
                    "ServiceRequest/s",
                ],
            )
        )
        everything = imaging_orders(context(mri, med, selections=None))

        assert ["ServiceRequest/mri-2"] == [o.reference for o in selected]
        assert ["ServiceRequest/mri-1"] == [o.reference for o in everything]

    @pytest.mark.parametrize(
        "draft",
        [
            None,
            "bundle",
            {"resourceType": "Bundle", "entry": [1, {"resource": 2}]},
            {
                "resourceType": "Bundle",
                "entry": [
                    {
                        "resource": {
                            "resourceType": "ServiceRequest",
                            "id": "x",
                            "code": {"coding": "x"},
                        }
                    }
                ],
            },
            {
                "resourceType": "Bundle",
                "entry": [
                    {
                        "resource": {
                            "resourceType": "ServiceRequest",
                            "id": "x",
                            "code": "x",
                        }
                    }
                ],
            },
            {
                "resourceType": "Bundle",
                "entry": [
                    {
                        "resource": {
                            "resourceType": "ServiceRequest",
                            "id": "x",
                            "code": {"coding": [3]},
                        }
                    }
                ],
            },
        ],
    )
    def test_malformed_orders_are_no_orders(self, draft: Any) -> None:
        """
        Whatever the shape, nothing malformed is read as an order.
        """
        assert () == imaging_orders({"draftOrders": draft})

    def test_a_single_resource_is_read_as_one_order(self) -> None:
        """
        draftOrders given as a bare resource still works.
        """
        assert 1 == len(imaging_orders({"draftOrders": order("72100")}))


class TestLowBackPain:
    """
    Low back pain recorded as the order's reason or as a Condition.
    """

    def test_reason_code_of_an_order(self) -> None:
        """
        An order whose reason is M54.50 records low back pain.
        """
        assert has_low_back_pain(context(order("72148", reason=LBP)))

    def test_other_reasons_and_conditions_do_not_count(self) -> None:
        """
        An order for knee pain, and a Condition that is not low back pain,
        record no low back pain.
        """
        knee = {"coding": [{"system": ICD10CM, "code": "M25.561"}]}
        condition = {"resourceType": "Condition", "code": knee}

        assert not has_low_back_pain(
            context(order("72148", reason=knee)), condition
        )

    def test_active_condition(self) -> None:
        """
        An active Condition coded 279039007 records it.
        """
        condition = {
            "resourceType": "Condition",
            "code": {"coding": [{"system": SNOMED, "code": "279039007"}]},
        }

        assert has_low_back_pain(context(order("72148")), condition)

    @pytest.mark.parametrize(
        "status",
        [
            {"clinicalStatus": {"coding": [{"code": "resolved"}]}},
            {"verificationStatus": {"coding": [{"code": "refuted"}]}},
            {"verificationStatus": {"coding": [{"code": "entered-in-error"}]}},
        ],
    )
    def test_resolved_or_refuted_conditions_do_not_count(
        self, status: dict[str, Any]
    ) -> None:
        """
        A resolved or refuted Condition records no current pain.
        """
        bundle = {
            "resourceType": "Bundle",
            "entry": [
                {
                    "resource": {
                        "resourceType": "Condition",
                        "code": LBP,
                        **status,
                    }
                },
                {"resource": {"resourceType": "Observation", "code": LBP}},
            ],
        }

        assert not has_low_back_pain(context(order("72148")), bundle)


def cards(
    assessment: Assessment | None,
    *,
    duration: int | None = 10,
    lbp: bool = True,
) -> Any:
    """
    The cards for an MRI order.
    """
    orders = imaging_orders(context(order("72148")))
    return order_select_cards(
        orders,
        low_back_pain=lbp,
        duration_days=duration,
        escalation=None if assessment is None else evaluate(assessment),
    )


class TestOrderSelectCards:
    """
    The three answers, and when there is nothing to say.
    """

    def test_no_red_flag_under_six_weeks_warns_and_offers_removal(
        self,
    ) -> None:
        """
        Screening complete, nothing urgent fired: a warning card with a
        suggestion deleting the order, override reasons, and the red flags
        that would justify imaging.
        """
        (card,) = cards(plain_strain())

        check("response", cards_response([card]))
        assert "warning" == card.indicator
        assert "not recommended" in card.summary
        (suggestion,) = card.suggestions
        (action,) = suggestion.actions
        assert ("delete", "ServiceRequest/mri-1") == (
            action.type,
            action.resource_id,
        )
        assert card.override_reasons
        assert card.detail is not None
        assert "Possible cauda equina syndrome" in card.detail
        assert card.source.label.startswith("Chou R")

    def test_red_flag_supports_the_order_and_names_it(self) -> None:
        """
        Cauda equina answers: an info card naming the rule, no removal.
        """
        assessment = with_present(plain_strain(), "saddle_numbness")

        (card,) = cards(assessment)

        check("card", card.to_json())
        assert "info" == card.indicator
        assert "Possible cauda equina syndrome" in card.summary
        assert () == card.suggestions

    @pytest.mark.parametrize("assessment", [None, Assessment()])
    def test_incomplete_screening_never_reads_as_no_red_flags(
        self, assessment: Assessment | None
    ) -> None:
        """
        No answers, or none given: an info card listing the red-flag
        questions still open, and no suggestion to remove the order.
        """
        (card,) = cards(assessment)

        check("card", card.to_json())
        assert "info" == card.indicator
        assert "screening incomplete" in card.summary
        assert () == card.suggestions
        assert card.detail is not None
        assert "numbness in the saddle area (between your legs" in card.detail

    @pytest.mark.parametrize(
        ("duration", "lbp"),
        [(ACUTE_DAYS, True), (None, True), (3, False)],
    )
    def test_outside_the_check_no_card(
        self, duration: int | None, lbp: bool
    ) -> None:
        """
        Six weeks or more, an unknown duration, or no low back pain
        recorded: nothing to say.
        """
        assert () == cards(plain_strain(), duration=duration, lbp=lbp)

    def test_no_imaging_order_no_card(self) -> None:
        """
        Without a lumbar imaging order there is nothing to check.
        """
        assert () == order_select_cards(
            (), low_back_pain=True, duration_days=1, escalation=None
        )

    def test_several_modalities_are_named_together(self) -> None:
        """
        X-ray and MRI together: both named, both removed by the one
        suggestion.
        """
        orders = (
            *imaging_orders(context(order("72100", id_="x"))),
            *imaging_orders(context(order("72148", id_="m"))),
        )
        (card,) = order_select_cards(
            orders,
            low_back_pain=True,
            duration_days=2,
            escalation=evaluate(plain_strain()),
        )

        assert "MRI, X-ray" in card.summary
        assert 2 == len(card.suggestions[0].actions)
        assert isinstance(orders[0], ImagingOrder)
