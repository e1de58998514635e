# SPDX-License-Identifier: MIT
"""
The CDS Hooks 2.0 shapes: written without nulls or empties, read with
every problem named by its path.
"""

from __future__ import annotations

from typing import Any

import pytest

from spasmcare.exceptions import InvalidJSONError, InvalidValueError
from spasmcare.service.cdshooks import (
    Action,
    Card,
    Coding,
    Link,
    ServiceDescriptor,
    Source,
    Suggestion,
    cards_response,
    parse_feedback,
    parse_hook_request,
)

from .cdshooks_schemas import check

UUID = "0b5b7f6e-6d53-4a36-9f3b-5a4d0f3c2e11"
UUID2 = "5d0c2a55-27b5-4a8b-9d60-2a3a2f4fd0c3"


def card(**changes: Any) -> Card:
    """
    A small valid card, with *changes*.
    """
    fields: dict[str, Any] = {
        "uuid": UUID,
        "summary": "Low back pain: self-care",
        "indicator": "info",
        "source": Source(label="NICE NG59"),
    }
    fields.update(changes)
    return Card(**fields)


class TestCard:
    """
    Cards keep CDS Hooks' rules when they are made.
    """

    def test_minimal_card_omits_every_absent_field(self) -> None:
        """
        Absent optional fields are left out, not written as null or [].
        """
        assert {
            "uuid": UUID,
            "summary": "Low back pain: self-care",
            "indicator": "info",
            "source": {"label": "NICE NG59"},
        } == card().to_json()

    def test_full_card_matches_the_spec_schema(self) -> None:
        """
        A card with every part validates against the Card schema.
        """
        full = card(
            detail="**bold**",
            suggestions=(
                Suggestion(
                    label="Refer",
                    uuid=UUID2,
                    is_recommended=True,
                    actions=(
                        Action(
                            type="create",
                            description="Create",
                            resource={"resourceType": "ServiceRequest"},
                        ),
                        Action(
                            type="delete",
                            description="Remove",
                            resource_id="ServiceRequest/1",
                        ),
                    ),
                ),
            ),
            selection_behavior="at-most-one",
            override_reasons=(Coding(code="x", display="X", system="urn:x"),),
            links=(Link(label="Open", url="https://example.org/i"),),
            source=Source(
                label="NICE",
                url="https://www.nice.org.uk/guidance/ng59",
                topic=Coding(code="lbp", display="Low back pain"),
            ),
        )

        document = cards_response([full])

        check("response", document)
        assert "selectionBehavior" in document["cards"][0]
        assert {"type": "delete", "description": "Remove"} == {
            k: v
            for k, v in document["cards"][0]["suggestions"][0]["actions"][
                1
            ].items()
            if k != "resourceId"
        }

    def test_empty_response_keeps_cards(self) -> None:
        """
        Nothing to say is {"cards": []}.
        """
        assert {"cards": []} == cards_response([])

    @pytest.mark.parametrize("length", [140, 200])
    def test_summary_of_140_characters_or_more_is_refused(
        self, length: int
    ) -> None:
        """
        The summary must be shorter than 140 characters.
        """
        with pytest.raises(InvalidValueError, match="shorter than 140"):
            card(summary="x" * length)

    def test_summary_of_139_characters_is_allowed(self) -> None:
        """
        139 characters is the longest summary.
        """
        assert 139 == len(card(summary="x" * 139).summary)

    @pytest.mark.parametrize(
        ("field", "value"),
        [
            ("indicator", "hard-stop"),
            ("summary", " "),
            ("uuid", ""),
        ],
    )
    def test_bad_values_name_the_field(self, field: str, value: str) -> None:
        """
        A bad value raises InvalidValueError naming the field.
        """
        with pytest.raises(InvalidValueError) as error:
            card(**{field: value})

        assert f"Card.{field}" == error.value.field

    def test_suggestions_need_a_selection_behaviour(self) -> None:
        """
        CDS Hooks: selectionBehavior is required when there are suggestions.
        """
        suggestion = Suggestion(label="Do", uuid=UUID2, actions=())

        with pytest.raises(InvalidValueError, match="needs one of"):
            card(suggestions=(suggestion,))

    def test_selection_behaviour_without_suggestions_is_refused(
        self,
    ) -> None:
        """
        A selection behaviour makes sense only with suggestions.
        """
        with pytest.raises(InvalidValueError, match="only a card with"):
            card(selection_behavior="any")

    @pytest.mark.parametrize(
        "make",
        [
            lambda: Action(type="replace", description="x"),
            lambda: Link(label="x", url="https://x", type="relative"),
            lambda: Coding(code="x", display=""),
            lambda: Source(label="x", url=" "),
        ],
    )
    def test_other_shapes_validate_too(self, make: Any) -> None:
        """
        Actions, links, codings and sources refuse values CDS Hooks
        does not allow.
        """
        with pytest.raises(InvalidValueError):
            make()


class TestServiceDescriptor:
    """
    Discovery entries.
    """

    def test_descriptor_matches_the_discovery_schema(self) -> None:
        """
        A service writes hook, title, description, id, prefetch and
        usageRequirements, and nothing empty.
        """
        service = ServiceDescriptor(
            id="spasmcare",
            hook="patient-view",
            title="t",
            description="d",
            prefetch={"patient": "Patient/{{context.patientId}}"},
            usage_requirements="FHIR R4",
        )

        check("discovery", {"services": [service.to_json()]})
        assert (
            "prefetch"
            not in ServiceDescriptor(
                id="x", hook="h", title="t", description="d"
            ).to_json()
        )


REQUEST: dict[str, Any] = {
    "hook": "patient-view",
    "hookInstance": UUID,
    "context": {"patientId": "p1", "userId": "Practitioner/1"},
    "prefetch": {"patient": {"resourceType": "Patient"}, "response": None},
    "fhirServer": "https://fhir.example.org",
    "fhirAuthorization": {
        "access_token": "secret",
        "token_type": "Bearer",
        "expires_in": 300,
        "scope": "patient/*.read",
        "subject": "spasmcare",
    },
    "extension": {"future": True},
}


class TestParseHookRequest:
    """
    Hook requests: tri-state prefetch kept, unknown keys tolerated.
    """

    def test_valid_request_is_read(self) -> None:
        """
        Every field is read; a null prefetch stays None; an unknown top-level
        key is ignored; the access token is not in the repr.
        """
        check("request", REQUEST)

        request = parse_hook_request(REQUEST)

        assert "patient-view" == request.hook
        assert {"patient": {"resourceType": "Patient"}, "response": None} == (
            request.prefetch
        )
        assert "response" in request.prefetch
        assert request.fhir_authorization is not None
        assert "secret" == request.fhir_authorization.access_token
        assert "secret" not in repr(request)
        assert 300 == request.fhir_authorization.expires_in

    def test_minimal_request_has_no_prefetch(self) -> None:
        """
        Without prefetch, no key was attempted.
        """
        request = parse_hook_request(
            {"hook": "patient-view", "hookInstance": UUID, "context": {}}
        )

        assert {} == request.prefetch
        assert request.fhir_server is None
        assert request.fhir_authorization is None

    @pytest.mark.parametrize(
        ("document", "paths"),
        [
            ([], ["$"]),
            ({"hookInstance": UUID, "context": {}}, ["$.hook"]),
            (
                {"hook": 3, "hookInstance": " ", "context": []},
                ["$.hook", "$.hookInstance", "$.context"],
            ),
            (
                {**REQUEST, "fhirServer": None},
                ["$.fhirServer"],
            ),
            (
                {
                    **REQUEST,
                    "fhirAuthorization": {
                        "token_type": "MAC",
                        "scope": "s",
                        "subject": "x",
                        "expires_in": "soon",
                    },
                },
                [
                    "$.fhirAuthorization.access_token",
                    "$.fhirAuthorization.expires_in",
                    "$.fhirAuthorization.token_type",
                ],
            ),
            (
                {
                    "hook": "h",
                    "hookInstance": UUID,
                    "context": {},
                    "prefetch": 1,
                },
                ["$.prefetch"],
            ),
            (
                {
                    "hook": True,
                    "hookInstance": [],
                    "context": {},
                    "fhirServer": {},
                },
                ["$.hook", "$.hookInstance", "$.fhirServer"],
            ),
            (
                {**REQUEST, "fhirAuthorization": "token"},
                [
                    "$.fhirAuthorization",
                    "$.fhirAuthorization.access_token",
                    "$.fhirAuthorization.token_type",
                    "$.fhirAuthorization.scope",
                    "$.fhirAuthorization.subject",
                ],
            ),
        ],
    )
    def test_problems_are_reported_with_paths(
        self, document: Any, paths: list[str]
    ) -> None:
        """
        Every problem is listed with its JSON path.
        """
        with pytest.raises(InvalidJSONError) as error:
            parse_hook_request(document)

        assert paths == [path for path, _ in error.value.problems]

    def test_server_is_required_with_authorization(self) -> None:
        """
        fhirServer is required when fhirAuthorization is sent.
        """
        document = {k: v for k, v in REQUEST.items() if k != "fhirServer"}

        with pytest.raises(InvalidJSONError) as error:
            parse_hook_request(document)

        assert "$.fhirServer" == error.value.field


STAMP = "2026-12-03T10:00:00Z"


class TestParseFeedback:
    """
    Feedback bodies.
    """

    def test_accepted_and_overridden_entries_are_read(self) -> None:
        """
        Both outcomes, with their suggestions and reasons, are read.
        """
        document = {
            "feedback": [
                {
                    "card": UUID,
                    "outcome": "accepted",
                    "acceptedSuggestions": [{"id": UUID2}],
                    "outcomeTimestamp": STAMP,
                },
                {
                    "card": UUID2,
                    "outcome": "overridden",
                    "overrideReason": {
                        "reason": {
                            "system": "urn:x",
                            "code": "c",
                            "display": "C",
                        },
                        "userComment": "seen",
                    },
                    "outcomeTimestamp": "2026-12-03T10:00:00.5+01:00",
                },
                {
                    "card": UUID2,
                    "outcome": "overridden",
                    "overrideReason": {"reason": {"code": "c"}},
                    "outcomeTimestamp": STAMP,
                },
                {
                    "card": UUID2,
                    "outcome": "overridden",
                    "overrideReason": {"userComment": "no"},
                    "outcomeTimestamp": STAMP,
                },
            ]
        }
        check("feedback", document)

        accepted, overridden, bare, comment = parse_feedback(document)

        assert (UUID2,) == accepted.accepted_suggestions
        assert overridden.override_reason is not None
        assert overridden.override_reason.reason is not None
        assert "c" == overridden.override_reason.reason.code
        assert "seen" == overridden.override_reason.user_comment
        assert bare.override_reason is not None
        assert bare.override_reason.reason is not None
        assert "c" == bare.override_reason.reason.display
        assert comment.override_reason is not None
        assert comment.override_reason.reason is None

    @pytest.mark.parametrize(
        ("document", "paths"),
        [
            ({}, ["$.feedback"]),
            ({"feedback": []}, ["$.feedback"]),
            (
                {"feedback": [1]},
                ["$.feedback[0]"]
                + [
                    f"$.feedback[0].{k}"
                    for k in ("card", "outcome", "outcomeTimestamp")
                ],
            ),
            (
                {
                    "feedback": [
                        {
                            "card": UUID,
                            "outcome": "ignored",
                            "outcomeTimestamp": "yesterday",
                        }
                    ]
                },
                ["$.feedback[0].outcome", "$.feedback[0].outcomeTimestamp"],
            ),
            (
                {
                    "feedback": [
                        {
                            "card": UUID,
                            "outcome": "accepted",
                            "outcomeTimestamp": STAMP,
                        }
                    ]
                },
                ["$.feedback[0].acceptedSuggestions"],
            ),
            (
                {
                    "feedback": [
                        {
                            "card": UUID,
                            "outcome": "accepted",
                            "acceptedSuggestions": [],
                            "outcomeTimestamp": STAMP,
                        }
                    ]
                },
                ["$.feedback[0].acceptedSuggestions"],
            ),
            (
                {
                    "feedback": [
                        {
                            "card": UUID,
                            "outcome": "accepted",
                            "acceptedSuggestions": [{}, 2],
                            "outcomeTimestamp": STAMP,
                        }
                    ]
                },
                [
                    "$.feedback[0].acceptedSuggestions[0].id",
                    "$.feedback[0].acceptedSuggestions[1]",
                    "$.feedback[0].acceptedSuggestions[1].id",
                ],
            ),
            (
                {
                    "feedback": [
                        {
                            "card": UUID,
                            "outcome": "overridden",
                            "overrideReason": {
                                "reason": {},
                                "userComment": None,
                            },
                            "outcomeTimestamp": STAMP,
                        }
                    ]
                },
                [
                    "$.feedback[0].overrideReason.userComment",
                    "$.feedback[0].overrideReason.reason.code",
                ],
            ),
        ],
    )
    def test_problems_are_reported_with_paths(
        self, document: Any, paths: list[str]
    ) -> None:
        """
        Every problem is listed with its JSON path.
        """
        with pytest.raises(InvalidJSONError) as error:
            parse_feedback(document)

        assert paths == [path for path, _ in error.value.problems]
