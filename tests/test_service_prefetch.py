# SPDX-License-Identifier: MIT
"""
Reading prefetch tri-state, and the record data the services take from
it (pure helpers; the HTTP behaviour is in test_service_cds.py).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from spasmcare.service._cds import (
    Prefetched,
    _age,
    _fetchable,
    _fill,
    _observation_value,
    _onset_days,
    _read,
    _with_record_data,
)
from spasmcare.service._http import BadRequestError
from spasmcare.service.cdshooks import FhirAuthorization, HookRequest

from .vignettes import plain_strain

AUTH = FhirAuthorization(
    access_token="t", token_type="Bearer", scope="s", subject="x"
)


class TestRead:
    """
    A key's value: a resource, a Bundle of them, null or an error.
    """

    @pytest.mark.parametrize(
        ("value", "state", "count"),
        [
            (None, "none", 0),
            ({"resourceType": "OperationOutcome"}, "error", 0),
            ({"resourceType": "Patient"}, "resource", 1),
            ({"resourceType": "Observation"}, "none", 0),
            ({"resourceType": "Bundle"}, "none", 0),
            (
                {
                    "resourceType": "Bundle",
                    "entry": [
                        1,
                        {"resource": 2},
                        {"resource": {"resourceType": "Observation"}},
                        {"resource": {"resourceType": "Patient"}},
                    ],
                },
                "resource",
                1,
            ),
        ],
    )
    def test_states(self, value: Any, state: str, count: int) -> None:
        """
        Each shape gives its state; only resources of the wanted type count.
        """
        found = _read(value, "Patient")

        assert (state, count) == (found.state, len(found.resources))

    def test_other_values_are_bad_requests(self) -> None:
        """
        A number is neither a resource nor null.
        """
        with pytest.raises(BadRequestError):
            _read(3, "Patient")


class TestFetching:
    """
    Which queries can be fetched, and from where.
    """

    def test_tokens_are_filled_from_the_context(self) -> None:
        """
        {{context.patientId}} is replaced; a missing token means no query.
        """
        assert "Patient/p1" == _fill(
            "Patient/{{context.patientId}}", {"patientId": "p1"}
        )
        assert _fill("Patient/{{context.patientId}}", {}) is None
        assert _fill("Patient/{{context.patientId}}", {"patientId": 3}) is None

    @pytest.mark.parametrize(
        ("server", "fetchable"),
        [
            ("https://fhir.example.org", True),
            ("http://127.0.0.1:9", True),
            ("http://localhost/fhir", True),
            ("http://fhir.example.org", False),
            ("ftp://127.0.0.1", False),
        ],
    )
    def test_only_tls_or_this_machine(
        self, server: str, fetchable: bool
    ) -> None:
        """
        FHIR data is fetched over TLS, or from this machine.
        """
        request = HookRequest(
            hook="patient-view",
            hook_instance="i",
            context={},
            fhir_server=server,
            fhir_authorization=AUTH,
        )

        assert fetchable == _fetchable(request)

    def test_no_authorization_no_fetch(self) -> None:
        """
        Without fhirAuthorization nothing is fetched.
        """
        request = HookRequest(
            hook="patient-view",
            hook_instance="i",
            context={},
            fhir_server="https://fhir.example.org",
        )

        assert not _fetchable(request)


def found(**states: Prefetched) -> dict[str, Prefetched]:
    """
    Prefetched keys.
    """
    return states


class TestRecordData:
    """
    Pain score and age from the record fill what the answers lack.
    """

    @pytest.mark.parametrize(
        ("observation", "value"),
        [
            ({"valueInteger": 7}, 7),
            ({"valueQuantity": {"value": 6.0}}, 6),
            ({"valueQuantity": {"value": 6.5}}, None),
            ({"valueBoolean": True}, None),
            ({"valueInteger": True}, None),
            ({"status": "entered-in-error", "valueInteger": 7}, None),
        ],
    )
    def test_observation_values(
        self, observation: dict[str, Any], value: int | None
    ) -> None:
        """
        Whole numbers only, from a usable Observation.
        """
        assert value == _observation_value(observation)

    def test_age_from_birth_date(self) -> None:
        """
        Whole years; anything but a full date gives no age.
        """
        today = dt.datetime.now(dt.UTC).date()
        born = today.replace(year=today.year - 40)

        assert 40 == _age(born.isoformat())
        assert _age("1980") is None
        assert _age("1980-02-30") is None
        assert _age(None) is None

    def test_record_fills_only_what_is_missing(self) -> None:
        """
        The answers' own numbers win; out-of-range values are ignored.
        """
        pain = Prefetched("resource", ({"valueInteger": 9},))
        old = Prefetched("resource", ({"birthDate": "1900-01-01"},))
        answered = plain_strain()

        assert answered == _with_record_data(answered, found(painScore=pain))
        unknown = plain_strain(pain_score=None, age_years=None)
        filled = _with_record_data(unknown, found(painScore=pain, patient=old))
        assert (9, None) == (filled.pain_score, filled.age_years)
        assert unknown == _with_record_data(
            unknown,
            found(painScore=Prefetched("resource", ({"valueInteger": 11},))),
        )
        assert unknown == _with_record_data(unknown, found())

    def test_an_impossible_age_is_left_out(self) -> None:
        """
        An age that makes the episode longer than the life is not used.
        """
        today = dt.datetime.now(dt.UTC).date()
        young = Prefetched(
            "resource",
            ({"birthDate": today.replace(year=today.year - 17).isoformat()},),
        )
        long_episode = plain_strain(age_years=None, duration_days=30 * 365)

        assert long_episode == _with_record_data(
            long_episode, found(patient=young)
        )


class TestOnset:
    """
    Days since the Condition's onset, for order-select.
    """

    def test_most_recent_onset_counts(self) -> None:
        """
        The latest onset; bad dates are skipped; future onsets give none.
        """
        today = dt.datetime.now(dt.UTC).date()
        conditions = Prefetched(
            "resource",
            (
                {"onsetDateTime": (today - dt.timedelta(days=10)).isoformat()},
                {
                    "onsetDateTime": (today - dt.timedelta(days=3)).isoformat()
                    + "T08:00:00Z"
                },
                {"onsetDateTime": "yesterday!"},
                {"onsetDateTime": "2026-13-45"},
                {},
            ),
        )
        future = Prefetched(
            "resource",
            ({"onsetDateTime": (today + dt.timedelta(days=3)).isoformat()},),
        )

        assert 3 == _onset_days(found(conditions=conditions))
        assert _onset_days(found(conditions=future)) is None
        assert _onset_days(found(conditions=Prefetched("none"))) is None
        assert _onset_days(found()) is None
