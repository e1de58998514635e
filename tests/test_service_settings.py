# SPDX-License-Identifier: MIT
"""
The ``[cds]`` settings: read from TOML strictly, unsafe ones warned about.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from spasmcare.exceptions import SpasmcareError
from spasmcare.service import ServiceConfig, create_app, load_config
from spasmcare.service._http import LOG, Context
from spasmcare.service._settings import CdsConfig, IssuerConfig

from .jwt_keys import ISSUER, Client


def config(tmp_path: Path, text: str) -> ServiceConfig:
    """
    The settings in the TOML *text*.
    """
    path = tmp_path / "service.toml"
    path.write_text(text)
    return load_config(path)


class TestReading:
    """
    Every setting is checked, and named when wrong.
    """

    def test_full_table_is_read(self, tmp_path: Path) -> None:
        """
        Each key of [cds] and [[cds.issuers]] arrives typed.
        """
        jwks = tmp_path / "jwks.json"
        jwks.write_text(json.dumps(Client().jwks()))

        read = config(
            tmp_path,
            "[cds]\n"
            'base_url = "https://cds.example.org"\n'
            "discovery_auth = true\n"
            'cors_origins = ["https://ehr.example.org"]\n'
            "fhir_timeout_seconds = 2\n"
            "[[cds.issuers]]\n"
            f'iss = "{ISSUER}"\n'
            f"jwks_file = {json.dumps(str(jwks))}\n",
        ).cds

        assert "https://cds.example.org" == read.base_url
        assert ("https://ehr.example.org",) == read.cors_origins
        issuer = read.issuers[0].issuer()
        assert issuer.jwks is not None
        assert ISSUER == issuer.iss

    @pytest.mark.parametrize(
        ("text", "words"),
        [
            ("[cds]\nauth = 1\n", "auth"),
            ("[cds]\nbase_url = 'ftp://x'\n", "base_url"),
            ("[cds]\ncors_origins = [1]\n", "cors_origins"),
            ("[cds]\nauthentication = false\n", "authentication"),
            ("[[cds.issuers]]\niss = 'x'\n", r"cds\.issuers\[0\]"),
        ],
    )
    def test_bad_settings_are_named(
        self, tmp_path: Path, text: str, words: str
    ) -> None:
        """
        A wrong type, a wrong URL, an unknown key, an issuer without keys.
        """
        with pytest.raises(SpasmcareError, match=words):
            config(tmp_path, text)

    def test_an_issuer_needs_keys(self) -> None:
        """
        An issuer with neither a JWK Set file nor a jku.
        """
        with pytest.raises(SpasmcareError, match="needs jwks_file or jku"):
            IssuerConfig(iss="x")

    def test_a_bad_jwk_set_file_is_named(self, tmp_path: Path) -> None:
        """
        A missing file, and a file that is not a JWK Set.
        """
        not_a_set = tmp_path / "x.json"
        not_a_set.write_text("[1]")

        with pytest.raises(SpasmcareError, match="cannot read a JWK Set"):
            IssuerConfig(
                iss="x", jwks_file=str(tmp_path / "none.json")
            ).issuer()
        with pytest.raises(SpasmcareError, match="not a JWK Set"):
            IssuerConfig(iss="x", jwks_file=str(not_a_set)).issuer()


class TestWarnings:
    """
    Unsafe settings are said out loud when the service starts.
    """

    @pytest.mark.parametrize(
        ("settings", "words"),
        [
            (CdsConfig(auth=False), "AUTHENTICATION IS OFF"),
            (CdsConfig(), "no CDS Client is allowed"),
            (CdsConfig(), "base_url is not set"),
            (CdsConfig(record_answers=True), "keeps patients' answers"),
        ],
    )
    def test_each_warning(self, settings: CdsConfig, words: str) -> None:
        """
        Each unsafe choice has its warning.
        """
        assert any(words in w for w in settings.warnings())

    def test_safe_settings_have_none(self) -> None:
        """
        Authentication on, a client, a base URL: nothing to warn about.
        """
        settings = CdsConfig(
            base_url="https://cds.example.org",
            issuers=(IssuerConfig(iss="x", jku=("https://x/jwks",)),),
        )

        assert [] == settings.warnings()


class TestContext:
    """
    The shared state: opened once per app, warnings on standard error.
    """

    def test_create_warns_and_logs_once(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """
        Two contexts (two apps in one process) share one log handler;
        each prints its warnings; each closes its log and client.
        """
        settings = CdsConfig(auth=False, audit_db=str(tmp_path / "a.sqlite3"))

        first = Context.create(settings)
        second = Context.create(settings)
        assert first.store is first.store
        asyncio.run(first.close())
        asyncio.run(second.close())

        assert 1 == len(
            [h for h in LOG.handlers if h.get_name() == "spasmcare.service"]
        )
        assert 2 == capsys.readouterr().err.count("AUTHENTICATION IS OFF")

    def test_disabled_cds_serves_no_decision_routes(
        self, tmp_path: Path
    ) -> None:
        """
        [cds] enabled = false: no CDS Hooks, /assess or $next-question.
        """
        app = create_app(
            ServiceConfig(
                cds=CdsConfig(enabled=False, audit_db=str(tmp_path / "a"))
            )
        )
        paths = {getattr(route, "path", "") for route in app.routes}

        assert "/cds-services" not in paths
        assert "/assess" not in paths
        assert "/health" in paths
        assert not (tmp_path / "a").exists()
