# SPDX-License-Identifier: MIT
"""
The service speaks for its region (``region`` in the TOML file): every
patient text it serves names that region's emergency number and services.

One server with ``region = "us"``, on 127.0.0.1, driven over HTTP.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from spasmcare import (
    REGIONS,
    Answer,
    Region,
    Urgency,
    dump_assessment,
    evaluate,
    plan_care,
)
from spasmcare.exceptions import InvalidValueError
from spasmcare.service import ServiceConfig, load_config
from spasmcare.service._web import LEVEL_HEADINGS

from .servers import running_server
from .test_service_cds import hook, qr
from .test_service_plain import answer, start
from .test_service_web import _plain_strain, _walk
from .vignettes import plain_strain, with_present

US = REGIONS["us"]
#: What the UK's texts say and a US text never may.
UK_WORDS = ("on 999", "call 999", "call 111", "the emergency department")


@pytest.fixture(scope="module")
def us(tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    """
    The service with ``region = "us"`` (authentication off, loopback).
    """
    root = tmp_path_factory.mktemp("region")
    config = root / "service.toml"
    audit = json.dumps(str(root / "audit.sqlite3"))
    config.write_text(
        f'region = "us"\n[cds]\nauth = false\naudit_db = {audit}\n'
    )
    with (
        running_server("--config", str(config)) as url,
        httpx.Client(base_url=url, timeout=30) as client,
    ):
        yield client


def _no_uk_words(text: str) -> None:
    assert [w for w in UK_WORDS if w in text] == []


class TestConfig:
    """
    ``region``: a key of REGIONS, or a table of your own region.
    """

    def test_the_uk_by_default(self) -> None:
        """
        Without the setting the service speaks for the UK.
        """
        assert REGIONS["uk"] is ServiceConfig().region

    def test_a_key(self, tmp_path: Path) -> None:
        """
        ``region = "au"`` is Australia's region.
        """
        path = tmp_path / "service.toml"
        path.write_text('region = "au"\n')

        assert REGIONS["au"] is load_config(path).region

    def test_your_own_region(self, tmp_path: Path) -> None:
        """
        A ``[region]`` table is a Region of its own.
        """
        path = tmp_path / "service.toml"
        path.write_text(
            "[region]\n"
            'id = "nz"\n'
            'name = "New Zealand"\n'
            'emergency_number = "111"\n'
            'emergency_department = "the emergency department"\n'
            'urgent_help = "call Healthline on 0800 611 116"\n'
        )

        region = load_config(path).region

        assert (
            Region(
                id="nz",
                name="New Zealand",
                emergency_number="111",
                emergency_department="the emergency department",
                urgent_help="call Healthline on 0800 611 116",
            )
            == region
        )

    @pytest.mark.parametrize(
        ("text", "words"),
        [
            (
                'region = "mars"',
                ["region", "'mars'", "'uk', 'us', 'eu', 'au'"],
            ),
            ("region = 1", ["region", "1"]),
            (
                '[region]\nid = "x"\n',
                ["region", "missing: emergency_department"],
            ),
            (
                (
                    '[region]\nid = "x"\nname = "X"\nemergency_number = "1"\n'
                    'emergency_department = "the ED"\nurgent_help = "call"\n'
                ),
                ["emergency_number", "'1'"],
            ),
        ],
        ids=["unknown-key", "not-a-string", "table-missing", "bad-number"],
    )
    def test_a_bad_region_names_the_setting_and_value(
        self, tmp_path: Path, text: str, words: list[str]
    ) -> None:
        """
        An unknown region, a wrong type, or an incomplete or invalid
        table is a config error naming the setting and the value.
        """
        path = tmp_path / "service.toml"
        path.write_text(text + "\n")

        with pytest.raises(InvalidValueError) as caught:
            load_config(path)

        message = str(caught.value)
        assert [w for w in words if w not in message] == []


class TestEndpoints:
    """
    Every face of the service names the region's number and services.
    """

    @pytest.mark.parametrize(
        "finding", ["major_trauma", "saddle_numbness", "fever"]
    )
    def test_assess(self, us: httpx.Client, finding: str) -> None:
        """
        POST /assess: the report's plan is the US plan.
        """
        assessment = with_present(plain_strain(), finding)
        escalation = evaluate(assessment)
        expected = plan_care(assessment, escalation, region=US)

        response = us.post("/assess", json=dump_assessment(assessment))

        assert 200 == response.status_code, response.text
        report: dict[str, Any] = response.json()
        assert expected.action == report["care_plan"]["action"]
        _no_uk_words(json.dumps(report["care_plan"]))

    def test_next_question_disposition(self, us: httpx.Client) -> None:
        """
        $next-question: the disposition says to call 911.
        """
        body = start()
        returned: dict[str, Any] = {}
        for _ in range(40):
            response = us.post(
                "/Questionnaire/$next-question",
                content=json.dumps(body),
                headers={"Content-Type": "application/fhir+json"},
            )
            assert 200 == response.status_code, response.text
            returned = response.json()
            qr = returned["parameter"][0]["resource"]
            if qr["status"] == "completed":
                break
            body = answer(returned, {"major_trauma": True})
        items = returned["parameter"][0]["resource"]["contained"][0]["item"]
        disposition = next(i for i in items if i["linkId"] == "disposition")

        assert Urgency.AMBULANCE.action_in(US) in disposition["text"]
        _no_uk_words(disposition["text"])

    def test_patient_view_cards(self, us: httpx.Client) -> None:
        """
        patient-view: the card is for a clinician and names no number or
        service; none of the UK's reaches it either.
        """
        answers = with_present(plain_strain(), "saddle_numbness")
        body = hook({"questionnaireResponse": qr(answers), "patient": None})

        response = us.post("/cds-services/spasmcare-back-pain", json=body)

        assert 200 == response.status_code, response.text
        (card,) = response.json()["cards"]
        assert "critical" == card["indicator"]
        _no_uk_words(json.dumps(card))

    def test_web_interview_result(self, us: httpx.Client) -> None:
        """
        The web interview's result page: the heading and the action name
        the emergency room and 911.
        """
        truth = _plain_strain().with_answer("saddle_numbness", Answer.PRESENT)

        page, _ = _walk(us, truth)

        assert US.fill(LEVEL_HEADINGS[Urgency.EMERGENCY]) == page.heading
        assert "emergency room (ER)" in page.heading
        assert "911" in page.text
        _no_uk_words(page.text)
