# SPDX-License-Identifier: MIT
"""
The CDS Hooks service over HTTP: a real uvicorn on 127.0.0.1, driven with
httpx, bodies checked against the JSON Schemas written from CDS Hooks 2.0.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from spasmcare import Assessment
from spasmcare.fhir import response_from_assessment
from spasmcare.service._audit import SQLiteAuditStore

from .cdshooks_schemas import check
from .fhir_fake import FakeFhir, fake_fhir
from .jwt_keys import ISSUER, Client
from .servers import running_server
from .vignettes import plain_strain, with_present

PATIENT = "/cds-services/spasmcare-back-pain"
IMAGING = "/cds-services/spasmcare-lumbar-imaging"
OTHER_ISSUER = "https://other-ehr.example.org"


def qr(assessment: Assessment) -> dict[str, Any]:
    """
    *assessment* as a QuestionnaireResponse (JSON) for patient p1.
    """
    model = response_from_assessment(assessment, subject="Patient/p1")
    document: dict[str, Any] = json.loads(
        model.model_dump_json(exclude_none=True)
    )
    return document


def hook(
    prefetch: dict[str, Any] | None = None, **fields: Any
) -> dict[str, Any]:
    """
    A patient-view request for patient p1.
    """
    body: dict[str, Any] = {
        "hook": "patient-view",
        "hookInstance": str(uuid.uuid4()),
        "context": {"userId": "Practitioner/1", "patientId": "p1"},
        **fields,
    }
    if prefetch is not None:
        body["prefetch"] = prefetch
    return body


class Service:
    """
    A running service, its client keys, its audit log and its FHIR fake.
    """

    def __init__(
        self,
        url: str,
        client: Client,
        audit: Path,
        fhir: FakeFhir,
        log: list[str],
    ) -> None:
        self.url = url
        self.client = client
        self.other = Client(OTHER_ISSUER)
        self.audit = audit
        self.fhir = fhir
        self.log = log
        self.http = httpx.Client(base_url=url, timeout=10)

    def post(
        self,
        path: str,
        body: Any,
        *,
        token: str | None = "good",
        headers: dict[str, str] | None = None,
    ) -> httpx.Response:
        """
        POST *body* as JSON, with a good JWT for the endpoint by default.
        """
        sent = dict(headers or {})
        if token == "good":
            token = self.client.token(f"{self.url}{path}")
        if token is not None:
            sent["Authorization"] = f"Bearer {token}"
        content = (
            body if isinstance(body, bytes) else json.dumps(body).encode()
        )
        return self.http.post(
            path,
            content=content,
            headers={"Content-Type": "application/json", **sent},
        )

    def decisions(self) -> list[dict[str, Any]]:
        """
        The audit log, as exported.
        """
        store = SQLiteAuditStore(self.audit, readonly=True)
        try:
            return list(store.export())
        finally:
            store.close()


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    """
    The service with authentication on, two trusted clients (one by JWK
    Set file, one by jku on the FHIR fake), answers kept in the audit log.
    """
    root = tmp_path_factory.mktemp("cds")
    client = Client()
    jwks = root / "jwks.json"
    jwks.write_text(json.dumps(client.jwks()))
    audit = root / "audit.sqlite3"
    log: list[str] = []
    with fake_fhir() as fhir:
        config = root / "service.toml"
        config.write_text(
            "[cds]\n"
            f"audit_db = {json.dumps(str(audit))}\n"
            "record_answers = true\n"
            'interview_url = "http://127.0.0.1/interview"\n'
            "[[cds.issuers]]\n"
            f'iss = "{ISSUER}"\n'
            f"jwks_file = {json.dumps(str(jwks))}\n"
            "[[cds.issuers]]\n"
            f'iss = "{OTHER_ISSUER}"\n'
            f'jku = ["{fhir.url}/jwks.json"]\n'
        )
        with running_server("--config", str(config), lines=log) as url:
            ready = Service(url, client, audit, fhir, log)
            fhir.jwks = ready.other.jwks()
            yield ready
            ready.http.close()


class TestDiscovery:
    """
    GET /cds-services lists both services; no JWT needed by default.
    """

    def test_discovery_lists_the_services(self, service: Service) -> None:
        """
        patient-view and order-select, each with prefetch templates and
        usageRequirements naming FHIR R4; valid against the schema.
        """
        response = service.http.get("/cds-services")

        assert 200 == response.status_code
        body = response.json()
        check("discovery", body)
        services = {s["id"]: s for s in body["services"]}
        assert "patient-view" == services["spasmcare-back-pain"]["hook"]
        assert "order-select" == services["spasmcare-lumbar-imaging"]["hook"]
        prefetch = services["spasmcare-back-pain"]["prefetch"]
        assert {"patient", "questionnaireResponse", "painScore"} == set(
            prefetch
        )
        assert "{{context.patientId}}" in prefetch["questionnaireResponse"]
        assert (
            "FHIR R4" in services["spasmcare-back-pain"]["usageRequirements"]
        )

    def test_cors_preflight_is_answered(self, service: Service) -> None:
        """
        A browser's preflight gets the CORS headers CDS Hooks clients need.
        """
        response = service.http.options(
            PATIENT,
            headers={
                "Origin": "https://sandbox.cds-hooks.org",
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "authorization,content-type",
            },
        )

        assert 200 == response.status_code
        assert "*" == response.headers["access-control-allow-origin"]
        allowed = response.headers["access-control-allow-headers"].lower()
        assert "authorization" in allowed
        assert "POST" in response.headers["access-control-allow-methods"]


class TestPatientView:
    """
    The patient's answers as a card; prefetch read tri-state.
    """

    def test_red_flags_in_prefetch_give_a_critical_card(
        self, service: Service
    ) -> None:
        """
        Cauda equina answers: a critical card with a stat referral, valid
        under the schemas, and a decision in the audit log with the card's
        uuids, the fired rule and (as configured) the answers.
        """
        answers = with_present(plain_strain(), "saddle_numbness")
        body = hook({"questionnaireResponse": qr(answers), "patient": None})
        check("request", body)

        response = service.post(PATIENT, body)

        assert 200 == response.status_code
        document = response.json()
        check("response", document)
        (card,) = document["cards"]
        assert "critical" == card["indicator"]
        assert (
            "stat"
            == card["suggestions"][0]["actions"][0]["resource"]["priority"]
        )
        (decision,) = [
            d
            for d in service.decisions()
            if d["request_id"] == body["hookInstance"]
        ]
        assert "patient-view" == decision["endpoint"]
        assert ["cauda_equina"] == decision["fired"]
        assert "emergency" == decision["level"]
        assert card["uuid"] in decision["cards"]
        assert "present" == decision["answers"]["answers"]["saddle_numbness"]

    def test_pain_score_and_age_come_from_the_record(
        self, service: Service
    ) -> None:
        """
        A pain Observation of 9 fills a missing pain score (severe pain
        is a reason to be seen).
        """
        answers = plain_strain(pain_score=None, age_years=None)
        pain = {
            "resourceType": "Observation",
            "status": "final",
            "code": {"text": "pain"},
            "valueInteger": 9,
        }
        patient = {
            "resourceType": "Patient",
            "id": "p1",
            "birthDate": "1980-01-01",
        }
        body = hook(
            {
                "questionnaireResponse": qr(answers),
                "painScore": {
                    "resourceType": "Bundle",
                    "type": "searchset",
                    "entry": [{"resource": pain}],
                },
                "patient": patient,
            }
        )

        response = service.post(PATIENT, body)

        (decision,) = [
            d
            for d in service.decisions()
            if d["request_id"] == body["hookInstance"]
        ]
        assert 9 == decision["answers"]["pain_score"]
        assert decision["answers"]["age_years"] >= 40
        assert "severe_pain" in decision["fired"]
        check("response", response.json())

    @pytest.mark.parametrize(
        ("value", "words"),
        [
            (None, "no back-pain questionnaire response on record"),
            (
                {"resourceType": "OperationOutcome", "issue": []},
                "could not provide",
            ),
            ({"resourceType": "Bundle", "type": "searchset"}, "no back-pain"),
        ],
    )
    def test_missing_answers_are_never_read_as_no_red_flags(
        self, service: Service, value: Any, words: str
    ) -> None:
        """
        No data, an error, or an empty search: an info card that says the
        red flags were not assessed, and why; the decision is logged as
        not assessed.
        """
        body = hook({"questionnaireResponse": value})

        response = service.post(PATIENT, body)

        (card,) = response.json()["cards"]
        check("response", response.json())
        assert "info" == card["indicator"]
        assert "not assessed" in card["summary"]
        assert words in card["detail"]
        (decision,) = [
            d
            for d in service.decisions()
            if d["request_id"] == body["hookInstance"]
        ]
        assert "not-assessed" == decision["level"]

    def test_unreadable_response_says_so(self, service: Service) -> None:
        """
        A response to another Questionnaire is not read; the card says why.
        """
        other = qr(plain_strain())
        other["questionnaire"] = "https://example.org/Questionnaire/other|1"

        response = service.post(
            PATIENT, hook({"questionnaireResponse": other})
        )

        (card,) = response.json()["cards"]
        assert "could not be read" in card["detail"]

    def test_without_prefetch_or_fhir_access(self, service: Service) -> None:
        """
        Nothing prefetched and no FHIR server: not assessed.
        """
        response = service.post(PATIENT, hook())

        (card,) = response.json()["cards"]
        assert "was not sent" in card["detail"]

    def test_missing_prefetch_is_fetched_from_the_fhir_server(
        self, service: Service
    ) -> None:
        """
        With fhirServer and fhirAuthorization, the missing keys are
        searched on the server with the token; the answers found give the
        card.
        """
        service.fhir.resources = {
            "QuestionnaireResponse": [
                qr(with_present(plain_strain(), "chest_pain"))
            ],
        }
        body = hook(
            fhirServer=service.fhir.url,
            fhirAuthorization={
                "access_token": "fhir-token-123",
                "token_type": "Bearer",
                "expires_in": 300,
                "scope": "patient/*.read",
                "subject": "spasmcare",
            },
        )

        response = service.post(PATIENT, body)

        (card,) = response.json()["cards"]
        assert "critical" == card["indicator"]
        searched = {path: auth for path, _, auth in service.fhir.requests}
        assert "Bearer fhir-token-123" == searched["/QuestionnaireResponse"]
        assert "/Patient/p1" in searched
        assert all("fhir-token-123" not in line for line in service.log)

    @pytest.mark.parametrize("failure", ["status", "not-json", "refused"])
    def test_fhir_server_failure_is_412(
        self, service: Service, failure: str
    ) -> None:
        """
        The FHIR server fails (an error status, a body that is not JSON,
        or no server listening): 412, as CDS Hooks specifies.
        """
        server = service.fhir.url
        if failure == "status":
            service.fhir.status = 500
        elif failure == "not-json":
            service.fhir.raw = b"<html>"
        else:
            server = "http://127.0.0.1:1"
        body = hook(
            fhirServer=server,
            fhirAuthorization={
                "access_token": "t",
                "token_type": "Bearer",
                "expires_in": 300,
                "scope": "patient/*.read",
                "subject": "spasmcare",
            },
        )
        try:
            response = service.post(PATIENT, body)
        finally:
            service.fhir.status = 200
            service.fhir.raw = None

        assert 412 == response.status_code


class TestBadRequests:
    """
    Bad bodies get 400 with the field's path, large ones 413.
    """

    @pytest.mark.parametrize(
        ("body", "path"),
        [
            (b"{not json", "$"),
            (b'{"a": 1, "a": 2}', "$"),
            (b"\xff\xfe", "$"),
            (b'{"a": "\xff"}', "$"),
            ({"hook": "patient-view", "context": {}}, "$.hookInstance"),
            (
                {"hook": "order-select", "hookInstance": "x", "context": {}},
                "$.hook",
            ),
            (
                {**hook(), "prefetch": {"questionnaireResponse": 3}},
                "$.prefetch",
            ),
        ],
    )
    def test_bad_body_is_400_with_the_path(
        self, service: Service, body: Any, path: str
    ) -> None:
        """
        The problem is named by its JSON path.
        """
        response = service.post(PATIENT, body)

        assert 400 == response.status_code
        assert path in [p["path"] for p in response.json()["problems"]]

    def test_body_over_the_limit_is_413(self, service: Service) -> None:
        """
        More than 1 MiB.
        """
        response = service.post(PATIENT, b" " * (1024 * 1024 + 1))

        assert 413 == response.status_code

    def test_unknown_service_is_404(self, service: Service) -> None:
        """
        Only the listed services are called.
        """
        assert 404 == service.post("/cds-services/nope", hook()).status_code
        assert (
            404 == service.post("/cds-services/nope/feedback", {}).status_code
        )


class TestSecurity:
    """
    Hook calls need a trusted client's JWT for the endpoint; failures are
    a bare 401.
    """

    @pytest.mark.parametrize(
        "token",
        [
            None,
            "not-a-jwt",
        ],
    )
    def test_missing_or_malformed_token_is_401(
        self, service: Service, token: str | None
    ) -> None:
        """
        No detail leaks: the body says only "unauthorized".
        """
        response = service.post(PATIENT, hook(), token=token)

        assert 401 == response.status_code
        assert {"error": "unauthorized"} == response.json()
        assert "Bearer" == response.headers["www-authenticate"]

    def test_token_for_another_endpoint_is_401(self, service: Service) -> None:
        """
        aud must be the URL called.
        """
        token = service.client.token(f"{service.url}/cds-services")

        assert 401 == service.post(PATIENT, hook(), token=token).status_code

    def test_replayed_token_is_401(self, service: Service) -> None:
        """
        The second use of a jti is refused.
        """
        token = service.client.token(f"{service.url}{PATIENT}")

        first = service.post(PATIENT, hook(), token=token)
        second = service.post(PATIENT, hook(), token=token)

        assert (200, 401) == (first.status_code, second.status_code)

    def test_issuer_by_jku_is_trusted(self, service: Service) -> None:
        """
        The second client's keys are fetched from its jku.
        """
        token = service.other.token(f"{service.url}{PATIENT}")

        assert 200 == service.post(PATIENT, hook(), token=token).status_code

    def test_feedback_needs_a_token_too(self, service: Service) -> None:
        """
        Feedback is authenticated like the hook calls.
        """
        response = service.post(
            f"{PATIENT}/feedback", {"feedback": []}, token=None
        )

        assert 401 == response.status_code

    def test_untrusted_issuer_is_401(self, service: Service) -> None:
        """
        A client not on the allowlist.
        """
        token = Client("https://intruder.example").token(
            f"{service.url}{PATIENT}"
        )

        assert 401 == service.post(PATIENT, hook(), token=token).status_code


class TestFeedback:
    """
    Feedback is stored once, however often it is sent, under its decision.
    """

    def test_feedback_is_idempotent_and_joins_its_decision(
        self, service: Service
    ) -> None:
        """
        Accepted and resent (aud = the /feedback URL, then the service
        URL): stored once, under the decision that made the card.
        """
        answers = with_present(plain_strain(), "saddle_numbness")
        body = hook({"questionnaireResponse": qr(answers)})
        (card,) = service.post(PATIENT, body).json()["cards"]
        feedback = {
            "feedback": [
                {
                    "card": card["uuid"],
                    "outcome": "accepted",
                    "acceptedSuggestions": [
                        {"id": card["suggestions"][0]["uuid"]}
                    ],
                    "outcomeTimestamp": "2026-12-03T10:00:00Z",
                }
            ]
        }
        check("feedback", feedback)
        path = f"{PATIENT}/feedback"

        first = service.post(path, feedback)
        again = service.post(
            path,
            feedback,
            token=service.client.token(f"{service.url}{PATIENT}"),
        )

        assert (200, 200) == (first.status_code, again.status_code)
        (decision,) = [
            d
            for d in service.decisions()
            if d["request_id"] == body["hookInstance"]
        ]
        assert ["accepted"] == [f["outcome"] for f in decision["feedback"]]

    def test_override_reason_is_kept(self, service: Service) -> None:
        """
        An overridden card keeps its reason's code.
        """
        answers = with_present(plain_strain(), "fever")
        body = hook({"questionnaireResponse": qr(answers)})
        (card,) = service.post(PATIENT, body).json()["cards"]
        reason = card["overrideReasons"][0]
        feedback = {
            "feedback": [
                {
                    "card": card["uuid"],
                    "outcome": "overridden",
                    "overrideReason": {
                        "reason": reason,
                        "userComment": "seen today",
                    },
                    "outcomeTimestamp": "2026-12-03T10:05:00Z",
                }
            ]
        }

        assert 200 == service.post(f"{PATIENT}/feedback", feedback).status_code
        (decision,) = [
            d
            for d in service.decisions()
            if d["request_id"] == body["hookInstance"]
        ]
        assert reason["code"] == decision["feedback"][0]["override_code"]
        assert "seen today" == decision["feedback"][0]["user_comment"]

    def test_bad_feedback_is_400(self, service: Service) -> None:
        """
        An unknown outcome.
        """
        feedback = {
            "feedback": [
                {
                    "card": "x",
                    "outcome": "ignored",
                    "outcomeTimestamp": "2026-12-03T10:05:00Z",
                }
            ]
        }

        response = service.post(f"{PATIENT}/feedback", feedback)

        assert 400 == response.status_code
        assert (
            "$.feedback[0].outcome" == response.json()["problems"][0]["path"]
        )


def imaging_hook(
    assessment: Assessment | None, **context: Any
) -> dict[str, Any]:
    """
    An order-select request selecting a lumbar MRI for low back pain.
    """
    order = {
        "resourceType": "ServiceRequest",
        "id": "mri-1",
        "status": "draft",
        "intent": "order",
        "code": {
            "coding": [
                {"system": "http://www.ama-assn.org/go/cpt", "code": "72148"}
            ]
        },
        "reasonCode": [
            {
                "coding": [
                    {
                        "system": "http://hl7.org/fhir/sid/icd-10-cm",
                        "code": "M54.50",
                    }
                ]
            }
        ],
    }
    prefetch: dict[str, Any] = {"conditions": None}
    prefetch["questionnaireResponse"] = (
        None if assessment is None else qr(assessment)
    )
    return {
        "hook": "order-select",
        "hookInstance": str(uuid.uuid4()),
        "context": {
            "userId": "Practitioner/1",
            "patientId": "p1",
            "selections": ["ServiceRequest/mri-1"],
            "draftOrders": {
                "resourceType": "Bundle",
                "entry": [{"resource": order}],
            },
            **context,
        },
        "prefetch": prefetch,
    }


class TestOrderSelect:
    """
    The imaging check over HTTP.
    """

    def test_mri_without_red_flags_is_a_warning(
        self, service: Service
    ) -> None:
        """
        Plain strain of 1 day: imaging not recommended, removal offered.
        """
        response = service.post(IMAGING, imaging_hook(plain_strain()))

        check("response", response.json())
        (card,) = response.json()["cards"]
        assert "warning" == card["indicator"]
        assert "delete" == card["suggestions"][0]["actions"][0]["type"]

    def test_duration_from_the_condition_onset(self, service: Service) -> None:
        """
        Without answers, the Condition's onset gives the duration; the
        unknown red flags give an info card, never a warning.
        """
        body = imaging_hook(None)
        body["prefetch"]["conditions"] = {
            "resourceType": "Bundle",
            "type": "searchset",
            "entry": [
                {
                    "resource": {
                        "resourceType": "Condition",
                        "onsetDateTime": __import__("datetime")
                        .date.today()
                        .isoformat(),
                        "code": {
                            "coding": [
                                {
                                    "system": "http://snomed.info/sct",
                                    "code": "279039007",
                                }
                            ]
                        },
                    }
                }
            ],
        }

        (card,) = service.post(IMAGING, body).json()["cards"]

        assert "info" == card["indicator"]
        assert "screening incomplete" in card["summary"]

    def test_other_orders_get_no_card(self, service: Service) -> None:
        """
        Nothing selected that is lumbar imaging: {"cards": []}.
        """
        body = imaging_hook(
            plain_strain(), selections=["ServiceRequest/other"]
        )

        assert {"cards": []} == service.post(IMAGING, body).json()


class TestLogs:
    """
    Answers never reach the server's log: ids and rule ids only.
    """

    def test_no_answers_in_the_log(self, service: Service) -> None:
        """
        After the calls above, the log names rule ids but no finding ids
        or answer values.
        """
        text = "".join(service.log)

        assert "cauda_equina" in text
        for finding in (
            "saddle_numbness",
            "minor_strain_onset",
            "373066001",
            "present",
        ):
            assert finding not in text


@pytest.fixture(scope="module")
def behind_proxy(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Service]:
    """
    The service as it runs behind a proxy: a public base URL, and
    discovery that needs a JWT too.
    """
    root = tmp_path_factory.mktemp("proxy")
    client = Client()
    jwks = root / "jwks.json"
    jwks.write_text(json.dumps(client.jwks()))
    audit = root / "audit.sqlite3"
    config = root / "service.toml"
    config.write_text(
        "[cds]\n"
        'base_url = "https://cds.example.org/"\n'
        "discovery_auth = true\n"
        f"audit_db = {json.dumps(str(audit))}\n"
        "[[cds.issuers]]\n"
        f'iss = "{ISSUER}"\n'
        f"jwks_file = {json.dumps(str(jwks))}\n"
    )
    with fake_fhir() as fhir, running_server("--config", str(config)) as url:
        ready = Service(url, client, audit, fhir, [])
        yield ready
        ready.http.close()


class TestBehindAProxy:
    """
    JWT audiences are the public URLs, not the addresses behind the proxy.
    """

    def test_discovery_needs_a_token_for_the_public_url(
        self, behind_proxy: Service
    ) -> None:
        """
        Without a token: 401; with one for the public discovery URL: 200;
        with one for the local address: 401.
        """
        public = behind_proxy.client.token(
            "https://cds.example.org/cds-services"
        )
        local = behind_proxy.client.token(f"{behind_proxy.url}/cds-services")

        bare = behind_proxy.http.get("/cds-services")
        good = behind_proxy.http.get(
            "/cds-services", headers={"Authorization": f"Bearer {public}"}
        )
        wrong = behind_proxy.http.get(
            "/cds-services", headers={"Authorization": f"Bearer {local}"}
        )

        assert (401, 200, 401) == (
            bare.status_code,
            good.status_code,
            wrong.status_code,
        )

    def test_hook_call_with_the_public_audience(
        self, behind_proxy: Service
    ) -> None:
        """
        A hook call's aud is the public service URL.
        """
        token = behind_proxy.client.token(f"https://cds.example.org{PATIENT}")

        response = behind_proxy.post(PATIENT, hook(), token=token)

        assert 200 == response.status_code
