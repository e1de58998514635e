# SPDX-License-Identifier: MIT
"""
The plain JSON endpoints and SDC ``$next-question`` over HTTP, on a real
uvicorn with authentication off (local development).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from spasmcare import (
    DEFAULT_RULES,
    Assessment,
    Urgency,
    dump_assessment,
    dump_report,
    evaluate,
    json_schema,
    plan_care,
)
from spasmcare.fhir import (
    assessment_from_response,
    canonical,
    guidance_bundle,
)
from spasmcare.service._audit import SQLiteAuditStore

from .servers import running_server
from .vignettes import plain_strain, with_present


class Local:
    """
    A running service without authentication.
    """

    def __init__(self, url: str, audit: Path, log: list[str]) -> None:
        self.url = url
        self.audit = audit
        self.log = log
        self.http = httpx.Client(base_url=url, timeout=10)

    def request_ids(self) -> set[str]:
        """
        The audit log's request ids.
        """
        store = SQLiteAuditStore(self.audit, readonly=True)
        try:
            return {d["request_id"] for d in store.export()}
        finally:
            store.close()

    def endpoints(self) -> set[str]:
        """
        The audit log's endpoints.
        """
        store = SQLiteAuditStore(self.audit, readonly=True)
        try:
            return {d["endpoint"] for d in store.export()}
        finally:
            store.close()


@pytest.fixture(scope="module")
def local(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Local]:
    """
    The service with ``auth = false``.
    """
    root = tmp_path_factory.mktemp("plain")
    audit = root / "audit.sqlite3"
    config = root / "service.toml"
    config.write_text(
        f"[cds]\nauth = false\naudit_db = {json.dumps(str(audit))}\n"
    )
    log: list[str] = []
    with running_server("--config", str(config), lines=log) as url:
        served = Local(url, audit, log)
        yield served
        served.http.close()


class TestStartWarning:
    """
    Authentication off is loud.
    """

    def test_warning_at_start(self, local: Local) -> None:
        """
        The server says, at start, that authentication is off.
        """
        assert "AUTHENTICATION IS OFF" in "".join(local.log)

    def test_hooks_need_no_token_then(self, local: Local) -> None:
        """
        Without authentication a hook call needs no JWT.
        """
        response = local.http.post(
            "/cds-services/spasmcare-back-pain",
            json={"hook": "patient-view", "hookInstance": "i", "context": {}},
        )

        assert 200 == response.status_code


class TestAssess:
    """
    POST /assess: the library's JSON in, the report out.
    """

    def test_report_is_the_library_report(self, local: Local) -> None:
        """
        The same report as dump_report() for the same answers.
        """
        assessment = with_present(plain_strain(), "fever")
        escalation = evaluate(assessment)

        response = local.http.post(
            "/assess",
            json=dump_assessment(assessment),
            headers={"X-Request-ID": "form-42"},
        )

        assert 200 == response.status_code
        assert "form-42" in local.request_ids()
        expected = dump_report(escalation, plan_care(assessment, escalation))
        served = response.json()
        # The report's time is read when it is written: compare the rest.
        assert served["audit"].pop("created_at").endswith("Z")
        del expected["audit"]["created_at"]
        assert expected == served
        assert "assess" in local.endpoints()

    @pytest.mark.parametrize(
        ("body", "path"),
        [
            ({"schema_version": "1", "pain_score": 11}, "$.pain_score"),
            (
                {"schema_version": "1", "answers": {"fevr": "present"}},
                "$.answers.fevr",
            ),
            ([1], "$"),
        ],
    )
    def test_invalid_assessment_is_400_with_the_path(
        self, local: Local, body: Any, path: str
    ) -> None:
        """
        Each problem is named by its path.
        """
        response = local.http.post("/assess", json=body)

        assert 400 == response.status_code
        assert path in [p["path"] for p in response.json()["problems"]]


class TestInterviewNext:
    """
    POST /interview/next: the next prompt, or the report when over.
    """

    def test_first_prompt_is_the_pregnancy_gate(self, local: Local) -> None:
        """
        With no answers, the first prompt is "are you pregnant?"; after
        "no", the emergency signs group.
        """
        response = local.http.post(
            "/interview/next", json={"assessment": {"schema_version": "1"}}
        )
        after = local.http.post(
            "/interview/next",
            json={
                "assessment": {
                    "schema_version": "1",
                    "answers": {"pregnant": "absent"},
                }
            },
        )

        body = response.json()
        assert False is body["done"]
        assert "pregnant" == body["prompt"]["id"]
        assert "group_emergency_signs" == after.json()["prompt"]["id"]

    def test_emergency_ends_the_interview_with_the_report(
        self, local: Local
    ) -> None:
        """
        Chest pain: done, with the report.
        """
        assessment = Assessment.from_answers({"chest_pain": True})

        response = local.http.post(
            "/interview/next",
            json={
                "assessment": dump_assessment(assessment),
                "asked": ["chest_pain"],
            },
        )

        body = response.json()
        assert True is body["done"]
        assert body["report"]["escalation"]["level"] in {
            u.value for u in Urgency if u >= Urgency.EMERGENCY
        }
        assert "interview/next" in local.endpoints()

    @pytest.mark.parametrize(
        ("body", "path"),
        [
            ({}, "$.assessment"),
            ({"assessment": {"schema_version": "1"}, "asked": "x"}, "$.asked"),
            (
                {"assessment": {"schema_version": "1"}, "asked": ["nope"]},
                "$.asked[0]",
            ),
            (
                {"assessment": {"schema_version": "1", "pain_score": 99}},
                "$.assessment.pain_score",
            ),
            ({"assessment": {"schema_version": "1"}, "extra": 1}, "$.extra"),
            ([], "$"),
        ],
    )
    def test_bad_requests_name_the_path(
        self, local: Local, body: Any, path: str
    ) -> None:
        """
        400 with the path of each problem.
        """
        response = local.http.post("/interview/next", json=body)

        assert 400 == response.status_code
        assert path in [p["path"] for p in response.json()["problems"]]


class TestOpenApi:
    """
    GET /openapi.json describes the plain endpoints.
    """

    def test_document_names_both_endpoints_with_the_library_schemas(
        self, local: Local
    ) -> None:
        """
        OpenAPI 3.1 with /assess and /interview/next; the assessment
        schema's properties are the library's.
        """
        document = local.http.get("/openapi.json").json()

        assert "3.1.0" == document["openapi"]
        assert {"/assess", "/interview/next"} == set(document["paths"])
        schemas = document["components"]["schemas"]
        assert set(json_schema("assessment")["properties"]) == set(
            schemas["Assessment"]["properties"]
        )
        description = schemas["Assessment"]["description"]
        assert "(age_years + 1) * 366 days" in description
        assert "spasmcare schema assessment" in description
        assert "allOf below" not in description
        assert "#/$defs/" not in json.dumps(document)


def start() -> dict[str, Any]:
    """
    The first $next-question call: an empty adaptive response.
    """
    return {
        "resourceType": "Parameters",
        "parameter": [
            {
                "name": "questionnaire-response",
                "resource": {
                    "resourceType": "QuestionnaireResponse",
                    "status": "in-progress",
                    "questionnaire": "#q",
                    "subject": {"reference": "Patient/p1"},
                    "contained": [
                        {
                            "resourceType": "Questionnaire",
                            "id": "q",
                            "status": "active",
                            "derivedFrom": [canonical(DEFAULT_RULES)],
                        }
                    ],
                },
            }
        ],
    }


_YES = {
    "system": "http://snomed.info/sct",
    "code": "373066001",
    "display": "Yes",
}
_NO = {
    "system": "http://snomed.info/sct",
    "code": "373067005",
    "display": "No",
}


def answer(
    returned: dict[str, Any], answers: dict[str, Any]
) -> dict[str, Any]:
    """
    The next call's body: *returned* with the new items answered.
    """
    qr = returned["parameter"][0]["resource"]
    form = qr["contained"][0]
    given = {i["linkId"] for i in qr.get("item", [])}
    items = list(qr.get("item", []))
    for item in form.get("item", []):
        link = item["linkId"]
        if item["type"] == "display" or link in given:
            continue
        value = answers.get(link, False)
        if isinstance(value, bool):
            items.append(
                {
                    "linkId": link,
                    "answer": [{"valueCoding": _YES if value else _NO}],
                }
            )
        else:
            items.append({"linkId": link, "answer": [{"valueInteger": value}]})
    return {
        "resourceType": "Parameters",
        "parameter": [
            {
                "name": "questionnaire-response",
                "resource": {**qr, "item": items},
            }
        ],
    }


class TestNextQuestion:
    """
    SDC $next-question: items appended in interview order, red flags
    first, until a disposition.
    """

    def call(self, local: Local, body: dict[str, Any]) -> httpx.Response:
        """
        POST $next-question.
        """
        return local.http.post(
            "/Questionnaire/$next-question",
            content=json.dumps(body),
            headers={"Content-Type": "application/fhir+json"},
        )

    def to_the_group(
        self, local: Local, body: dict[str, Any]
    ) -> dict[str, Any]:
        """
        Two calls: the first appends "are you pregnant?", answered "no";
        the second returns the response with the emergency signs group.
        """
        first = self.call(local, body).json()
        return self.call(local, answer(first, {})).json()  # type: ignore[no-any-return]

    def test_first_call_appends_the_pregnancy_gate_then_the_group(
        self, local: Local
    ) -> None:
        """
        An empty response gets "are you pregnant?" first; answered "no",
        the emergency signs group at once: a display item and its
        questions, red flags first.
        """
        response = self.call(local, start())

        assert 200 == response.status_code
        returned = response.json()
        assert "return" == returned["parameter"][0]["name"]
        form = returned["parameter"][0]["resource"]["contained"][0]
        assert ["pregnant"] == [i["linkId"] for i in form["item"]]
        assert "url" not in form
        assert "version" not in form
        form = self.call(local, answer(returned, {})).json()["parameter"][0][
            "resource"
        ]["contained"][0]
        assert "display" == form["item"][1]["type"]
        links = [i["linkId"] for i in form["item"][2:]]
        assert {"major_trauma", "chest_pain"} <= set(links)

    def test_emergency_stops_with_the_guidance_bundle(
        self, local: Local
    ) -> None:
        """
        Chest pain: completed at once, with a disposition item and the
        guidance Bundle (GuidanceResponse, CarePlan, referral).
        """
        first = self.to_the_group(local, start())

        done = self.call(local, answer(first, {"chest_pain": True})).json()

        qr = done["parameter"][0]["resource"]
        assert "completed" == qr["status"]
        assert "disposition" == qr["contained"][0]["item"][-1]["linkId"]
        (guidance,) = [p for p in done["parameter"] if p["name"] == "guidance"]
        kinds = [
            e["resource"]["resourceType"]
            for e in guidance["resource"]["entry"]
        ]
        assert [
            "GuidanceResponse",
            "RiskAssessment",
            "ServiceRequest",
            "CarePlan",
            "Parameters",
        ] == kinds
        assessment = assessment_from_response(qr)
        escalation = evaluate(assessment)
        expected = guidance_bundle(
            escalation,
            plan_care(assessment, escalation),
            subject="Patient/p1",
        )
        assert json.loads(expected.model_dump_json()) == guidance["resource"]
        assert "$next-question" in local.endpoints()

    def test_without_a_subject_there_is_no_guidance_bundle(
        self, local: Local
    ) -> None:
        """
        A response about no one: no guidance Bundle (its CarePlan and
        referral need a patient); the disposition item says what to do.
        """
        body = start()
        del body["parameter"][0]["resource"]["subject"]
        first = self.to_the_group(local, body)

        done = self.call(local, answer(first, {"chest_pain": True})).json()

        assert ["return"] == [p["name"] for p in done["parameter"]]
        qr = done["parameter"][0]["resource"]
        assert "completed" == qr["status"]
        assert qr["contained"][0]["item"][-1]["text"].startswith(
            Urgency.AMBULANCE.action
        )

    def test_a_subject_that_is_no_reference_gets_no_guidance(
        self, local: Local
    ) -> None:
        """
        A subject the guidance cannot point at (not Type/id): the
        disposition still comes back; the guidance Bundle does not.
        """
        body = start()
        body["parameter"][0]["resource"]["subject"] = {"reference": "p 1"}
        first = self.to_the_group(local, body)

        done = self.call(local, answer(first, {"chest_pain": True}))

        assert 200 == done.status_code
        assert ["return"] == [p["name"] for p in done.json()["parameter"]]
        qr = done.json()["parameter"][0]["resource"]
        assert "disposition" == qr["contained"][0]["item"][-1]["linkId"]

    def test_a_whole_interview_reaches_a_disposition(
        self, local: Local
    ) -> None:
        """
        Answering "no" to everything and plain numbers reaches completed
        within the number of questions, never asking an item twice.
        """
        body = start()
        numbers = {
            "age_years": 35,
            "pain_score": 4,
            "duration_days": 2,
            "episodes_past_year": 0,
        }
        seen: list[str] = []
        for _ in range(80):
            returned = self.call(local, body).json()
            qr = returned["parameter"][0]["resource"]
            if qr["status"] == "completed":
                break
            body = answer(returned, {**numbers, "minor_strain_onset": True})
            seen = [i["linkId"] for i in qr["contained"][0]["item"]]
        assert "completed" == qr["status"]
        assert len(seen) == len(set(seen))

    @pytest.mark.parametrize(
        ("change", "where"),
        [
            (lambda b: b.update(resourceType="Patient"), "$.resourceType"),
            (
                lambda b: b["parameter"].append({"name": "x"}),
                "Parameters.parameter",
            ),
            (lambda b: b.update(parameter={}), "Parameters.parameter"),
            (
                lambda b: b["parameter"][0].update(
                    resource={"resourceType": "Patient"}
                ),
                "Parameters.parameter[0].resource",
            ),
            (
                lambda b: b["parameter"][0]["resource"].update(
                    questionnaire="Questionnaire/x"
                ),
                "QuestionnaireResponse.questionnaire",
            ),
            (
                lambda b: b["parameter"][0]["resource"].update(
                    questionnaire="#other"
                ),
                "QuestionnaireResponse.contained",
            ),
            (
                lambda b: b["parameter"][0]["resource"]["contained"][0].update(
                    url="https://x"
                ),
                "QuestionnaireResponse.contained[0].url",
            ),
            (
                lambda b: b["parameter"][0]["resource"]["contained"][0].update(
                    derivedFrom=["https://x"]
                ),
                "QuestionnaireResponse.contained[0].derivedFrom",
            ),
            (
                lambda b: b["parameter"][0]["resource"]["contained"][0].update(
                    item={}
                ),
                "QuestionnaireResponse.contained[0].item",
            ),
            (
                lambda b: b["parameter"][0]["resource"].update(
                    item=[{"linkId": "nope"}]
                ),
                "item[0].linkId",
            ),
        ],
    )
    def test_errors_are_operation_outcomes(
        self, local: Local, change: Any, where: str
    ) -> None:
        """
        A body that breaks the adaptive profile: 400 with an
        OperationOutcome naming where.
        """
        body = start()
        change(body)

        response = self.call(local, body)

        assert 400 == response.status_code
        outcome = response.json()
        assert "OperationOutcome" == outcome["resourceType"]
        assert where in json.dumps(outcome["issue"])

    def test_bare_response_is_accepted_and_not_json_is_refused(
        self, local: Local
    ) -> None:
        """
        The QuestionnaireResponse may come without its Parameters; text
        that is not JSON is an OperationOutcome too.
        """
        bare = start()["parameter"][0]["resource"]

        assert 200 == self.call(local, bare).status_code
        response = local.http.post(
            "/Questionnaire/$next-question", content=b"{"
        )
        assert "OperationOutcome" == response.json()["resourceType"]
        assert (
            400
            == local.http.post(
                "/Questionnaire/$next-question", json=[]
            ).status_code
        )
