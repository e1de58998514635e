# SPDX-License-Identifier: MIT
"""
spasmcare.service: settings, the app factory, ``spasmcare serve`` and the
request limits, tested on a real uvicorn server over HTTP.
"""

from __future__ import annotations

import importlib
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

import spasmcare
from spasmcare import cli
from spasmcare.exceptions import InvalidTypeError, InvalidValueError
from spasmcare.service import (
    CdsConfig,
    InterviewConfig,
    ServiceConfig,
    create_app,
    load_config,
)

from .servers import running_server
from .subprocesses import ROOT, python

_AUTH_OFF = CdsConfig(auth=False)


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "service.toml"
    path.write_text(text, encoding="utf-8")
    return path


class TestConfig:
    """
    Settings have safe defaults and are read strictly from TOML.
    """

    def test_defaults_listen_on_this_machine_only(self) -> None:
        """
        Without a file the service listens on 127.0.0.1:8080.
        """
        config = ServiceConfig()

        assert ("127.0.0.1", 8080) == (config.host, config.port)
        assert 1_048_576 == config.max_body_bytes
        assert (75, 10) == (config.keep_alive_seconds, config.shutdown_seconds)
        assert config.interview.enabled

    def test_a_file_sets_every_setting(self, tmp_path: Path) -> None:
        """
        Top-level keys and the [interview] table are read.
        """
        path = _write(
            tmp_path,
            'host = "0.0.0.0"\nport = 9000\nmax_body_bytes = 100\n'
            "keep_alive_seconds = 120\nshutdown_seconds = 30\n"
            "[interview]\nenabled = false\n",
        )

        expected = ServiceConfig(
            host="0.0.0.0",  # noqa: S104 (only a value here)
            port=9000,
            max_body_bytes=100,
            keep_alive_seconds=120,
            shutdown_seconds=30,
            interview=InterviewConfig(enabled=False),
        )
        assert expected == load_config(path)

    def test_an_empty_file_is_the_defaults(self, tmp_path: Path) -> None:
        """
        Every setting has a default.
        """
        assert ServiceConfig() == load_config(_write(tmp_path, ""))

    @pytest.mark.parametrize(
        ("text", "named"),
        [
            ("prot = 80\n", "prot"),
            ("[interview]\nenable = true\n", "enable"),
            ('port = "8080"\n', "port"),
            ("port = true\n", "port"),
            ("port = 70000\n", "port"),
            ("max_body_bytes = 0\n", "max_body_bytes"),
            ("keep_alive_seconds = 0\n", "keep_alive_seconds"),
            ("shutdown_seconds = 1.5\n", "shutdown_seconds"),
            ("host = 1\n", "host"),
            ('[interview]\nenabled = "yes"\n', "enabled"),
        ],
    )
    def test_a_bad_setting_is_named(
        self, tmp_path: Path, text: str, named: str
    ) -> None:
        """
        Unknown keys and wrong values are errors that name the setting;
        nothing is coerced ("8080" is not a port, true is not 1).
        """
        path = _write(tmp_path, text)

        with pytest.raises(InvalidValueError, match=named) as caught:
            load_config(path)

        assert str(path) == caught.value.field

    @pytest.mark.parametrize(
        ("text", "message"),
        [
            (
                "port = 70000\n",
                "port = 70000: must be from 0 to 65535 (0: any free port)",
            ),
            (
                'port = "8080"\n',
                'port = "8080": expected a whole number, got a string',
            ),
            (
                "port = 1979-05-27\n",
                (
                    'port = "1979-05-27": expected a whole number, '
                    "got a date or time"
                ),
            ),
            (
                "max_body_bytes = 0\n",
                "max_body_bytes = 0: must be a whole number of at least 1",
            ),
            (
                "[cds]\nauth = 1\n",
                "cds.auth = 1: expected true or false, got an integer",
            ),
            (
                "[cds]\nfhir_timeout_seconds = 2.5\n",
                (
                    "cds.fhir_timeout_seconds = 2.5: expected a whole number, "
                    "got a float"
                ),
            ),
            (
                "[cds]\nfhir_timeout_seconds = {a = 1}\n",
                (
                    'cds.fhir_timeout_seconds = {"a": 1}: expected a whole '
                    "number, got a table"
                ),
            ),
            (
                "[cds]\nbase_url = 'ftp://x'\n",
                'cds.base_url = "ftp://x": must be an http(s) URL',
            ),
            (
                "[[cds.issuers]]\niss = 'x'\njku = [1]\n",
                "cds.issuers[0].jku = [1]: expected a list of strings",
            ),
            (
                "[[cds.issuers]]\niss = 'x'\n",
                (
                    "cds.issuers[0].jwks_file = (not set): the issuer 'x' needs "
                    "jwks_file or jku"
                ),
            ),
            ("[cds]\nprot = 1\n", "cds.prot: not a setting"),
            ("interview = 1\n", "interview: expected a table"),
            ("[cds]\nissuers = 3\n", "cds.issuers: "),
            (
                'host = "::"\n[cds]\nauth = false\n',
                (
                    'host = "::": with cds.auth = false the service may listen '
                    "on a loopback address only"
                ),
            ),
            (
                f'host = "{"x" * 100}"\n[cds]\nauth = false\n',
                f'host = "{"x" * 76}...: with cds.auth = false',
            ),
        ],
    )
    def test_the_error_names_key_value_and_reason(
        self, tmp_path: Path, text: str, message: str
    ) -> None:
        """
        A bad value in the file is reported with its TOML key (tables and
        arrays included), the value as written, and the validator's own
        reason, not a bare "invalid value".
        """
        path = _write(tmp_path, text)

        with pytest.raises(InvalidValueError) as caught:
            load_config(path)

        assert message in caught.value.reason
        assert "invalid value @" not in str(caught.value)

    def test_not_toml(self, tmp_path: Path) -> None:
        """
        A file that is not TOML is an error naming the file.
        """
        path = _write(tmp_path, "port = \n")

        with pytest.raises(InvalidValueError, match="not TOML"):
            load_config(path)

    def test_values_are_checked_in_python_too(self) -> None:
        """
        The same checks hold when the settings are made in code.
        """
        with pytest.raises(InvalidTypeError, match=r"ServiceConfig\.port"):
            ServiceConfig(port="8080")  # type: ignore[arg-type]
        with pytest.raises(InvalidValueError, match="at least 1"):
            ServiceConfig(max_body_bytes=-1)


class TestAuthOffIsLocalOnly:
    """
    Authentication can be off for local development only: the service
    then listens on a loopback address or refuses to start.
    """

    @pytest.mark.parametrize(
        "host",
        [
            "127.0.0.1",
            "127.0.0.2",
            "127.255.255.254",
            "::1",
            "localhost",
            "LocalHost",
            "::ffff:127.0.0.1",
        ],
    )
    def test_a_loopback_host_may_run_without_auth(self, host: str) -> None:
        """
        Every address of 127.0.0.0/8, ::1 and localhost answer this
        machine only.
        """
        assert host == ServiceConfig(host=host, cds=_AUTH_OFF).host

    @pytest.mark.parametrize(
        "host",
        [
            "0.0.0.0",  # noqa: S104 (only a value here)
            "::",
            "192.0.2.1",
            "10.0.0.1",
            "128.0.0.1",
            "::ffff:192.0.2.1",
            "example.org",
            "localhost.example.org",
            "",
        ],
    )
    def test_any_other_host_is_refused(self, host: str) -> None:
        """
        Any other address, or a name that could resolve to one, is a
        configuration error naming the host, its value and cds.auth.
        """
        with pytest.raises(InvalidValueError) as caught:
            ServiceConfig(host=host, cds=_AUTH_OFF)

        assert ("ServiceConfig.host", host) == (
            caught.value.field,
            caught.value.value,
        )
        assert "cds.auth = false" in caught.value.reason
        assert "loopback" in caught.value.reason

    def test_with_auth_on_any_host_is_allowed(self) -> None:
        """
        The check is about authentication only.
        """
        host = "0.0.0.0"  # noqa: S104 (only a value here)

        assert host == ServiceConfig(host=host).host

    def test_without_the_hooks_auth_does_not_matter(self) -> None:
        """
        With the CDS Hooks routes off, no route uses authentication.
        """
        cds = CdsConfig(enabled=False, auth=False)
        host = "0.0.0.0"  # noqa: S104 (only a value here)

        assert host == ServiceConfig(host=host, cds=cds).host

    def test_a_file_is_checked(self, tmp_path: Path) -> None:
        """
        The file's host and auth setting are checked together.
        """
        path = _write(tmp_path, 'host = "0.0.0.0"\n[cds]\nauth = false\n')

        with pytest.raises(InvalidValueError) as caught:
            load_config(path)

        assert 'host = "0.0.0.0": with cds.auth = false' in str(caught.value)

    def test_the_host_option_is_checked(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """
        --host cannot widen a file that switches authentication off.
        """
        path = _write(tmp_path, "[cds]\nauth = false\n")

        code = cli.main(["serve", "--config", str(path), "--host", "::"])

        assert cli.EXIT_CONFIG == code
        err = capsys.readouterr().err
        assert "ServiceConfig.host='::'" in err
        assert "cds.auth = false" in err

    def test_serve_refuses_to_start_on_a_public_address(
        self, tmp_path: Path
    ) -> None:
        """
        For real: ``spasmcare serve --host 0.0.0.0`` with authentication
        off exits 78 with the reason, and never listens.
        """
        path = _write(
            tmp_path,
            f"[cds]\nauth = false\naudit_db = {str(tmp_path / 'a.db')!r}\n",
        )

        result = subprocess.run(  # noqa: S603 (our own interpreter)
            [
                *python(),
                "-m",
                "spasmcare",
                "serve",
                "--config",
                str(path),
                "--host",
                "0.0.0.0",  # noqa: S104 (refused, never bound)
                "--port",
                "0",
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )

        assert cli.EXIT_CONFIG == result.returncode
        assert "ServiceConfig.host='0.0.0.0'" in result.stderr
        assert "Uvicorn running" not in result.stderr
        assert not (tmp_path / "a.db").exists()

    def test_serve_runs_on_another_loopback_address(
        self, tmp_path: Path
    ) -> None:
        """
        For real: on 127.0.0.2 the service starts without authentication,
        warns loudly, and answers a hook call with no JWT.
        """
        path = _write(
            tmp_path,
            f"[cds]\nauth = false\naudit_db = {str(tmp_path / 'a.db')!r}\n",
        )
        lines: list[str] = []

        with running_server(
            "--config", str(path), "--host", "127.0.0.2", lines=lines
        ) as url:
            response = httpx.post(
                f"{url}/assess", json={"schema_version": "1", "answers": {}}
            )

        assert url.startswith("http://127.0.0.2:")
        assert 200 == response.status_code
        assert any("AUTHENTICATION IS OFF" in line for line in lines)


class TestCreateApp:
    """
    The factory assembles the route modules listed in one place.
    """

    def test_every_route_module_is_assembled(self) -> None:
        """
        The default app serves the health check and the interview.
        """
        app = create_app()
        paths = {getattr(route, "path", None) for route in app.routes}

        assert {"/health", "/interview", "/interview/print"} <= paths
        assert ServiceConfig() == app.state.config

    def test_the_interview_can_be_switched_off(self) -> None:
        """
        With interview.enabled false, /interview is not served.
        """
        config = ServiceConfig(interview=InterviewConfig(enabled=False))
        paths = {getattr(r, "path", None) for r in create_app(config).routes}

        assert "/interview" not in paths
        assert "/health" in paths

    def test_route_modules_can_be_chosen(self) -> None:
        """
        A caller (or a test) can assemble other route factories.
        """
        app = create_app(route_modules=())

        assert [] == app.routes


class TestImports:
    """
    The service is an optional face: spasmcare never imports it.
    """

    def test_import_spasmcare_leaves_the_service_libraries_alone(
        self,
    ) -> None:
        """
        A fresh ``import spasmcare`` imports none of Starlette, uvicorn,
        Jinja2 or httpx.
        """
        code = (
            "import sys, spasmcare; print(sorted({'starlette', 'uvicorn', "
            "'jinja2', 'httpx', 'spasmcare.service'} & set(sys.modules)))"
        )

        result = subprocess.run(  # noqa: S603 (our own interpreter)
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
        )

        assert "[]" == result.stdout.strip()

    @pytest.mark.parametrize("library", ["starlette", "uvicorn", "jinja2"])
    def test_without_the_extra_the_error_names_it(
        self, monkeypatch: pytest.MonkeyPatch, library: str
    ) -> None:
        """
        Importing spasmcare.service without its libraries raises an
        ImportError that says which extra to install.
        """
        for name in list(sys.modules):
            if name.startswith("spasmcare.service"):
                monkeypatch.delitem(sys.modules, name)
        monkeypatch.setitem(sys.modules, library, None)

        with pytest.raises(ImportError, match=f"missing: {library}") as got:
            importlib.import_module("spasmcare.service")

        assert library == got.value.name

    def test_the_public_names(self) -> None:
        """
        dir() of the face lists its public names.
        """
        import spasmcare.service  # noqa: PLC0415

        assert spasmcare.service.__all__ == dir(spasmcare.service)


class TestServeCommand:
    """
    ``spasmcare serve`` refuses bad settings before it starts.
    """

    def test_a_bad_file_exits_78(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """
        An invalid configuration exits with EX_CONFIG, naming the setting.
        """
        path = _write(tmp_path, "port = 70000\n")

        assert cli.EXIT_CONFIG == cli.main(["serve", "--config", str(path)])
        assert "port" in capsys.readouterr().err

    def test_a_missing_file_exits_78(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """
        A configuration file that cannot be read exits with EX_CONFIG.
        """
        path = tmp_path / "nowhere.toml"

        assert cli.EXIT_CONFIG == cli.main(["serve", "--config", str(path)])
        assert "cannot read" in capsys.readouterr().err

    def test_a_bad_port_option_exits_78(
        self, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """
        --port is checked like the file's port.
        """
        assert cli.EXIT_CONFIG == cli.main(["serve", "--port", "-1"])
        assert "port" in capsys.readouterr().err

    def test_without_the_extra_exits_69(
        self,
        monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str],
    ) -> None:
        """
        Without spasmcare[service], serve says so and exits EX_UNAVAILABLE.
        """
        monkeypatch.delattr(spasmcare, "service", raising=False)
        monkeypatch.setitem(sys.modules, "spasmcare.service", None)

        assert cli.EXIT_UNAVAILABLE == cli.main(["serve"])
        assert "spasmcare.service" in capsys.readouterr().err

    def test_options_override_the_file(self, tmp_path: Path) -> None:
        """
        --host and --port win over the file: a file naming an address
        this machine cannot listen on still serves on 127.0.0.1.
        """
        path = _write(
            tmp_path, 'host = "192.0.2.1"\nport = 1\nmax_body_bytes = 64\n'
        )

        with running_server("--config", str(path)) as url:
            response = httpx.post(f"{url}/interview", content=b"x" * 65)

        assert 413 == response.status_code


@pytest.fixture(scope="module")
def small_limit(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """
    A server whose body limit is 1 KiB.
    """
    path = tmp_path_factory.mktemp("config") / "service.toml"
    path.write_text("max_body_bytes = 1024\n", encoding="utf-8")
    with running_server("--config", str(path)) as url:
        yield url


class TestRunningService:
    """
    The service answers over HTTP on 127.0.0.1.
    """

    def test_health(self, small_limit: str) -> None:
        """
        GET /health answers 200 with the version.
        """
        response = httpx.get(f"{small_limit}/health")

        assert 200 == response.status_code
        assert {"status": "ok", "version": spasmcare.__version__} == (
            response.json()
        )

    def test_a_declared_large_body_gets_413(self, small_limit: str) -> None:
        """
        A Content-Length over the limit is refused before it is read.
        """
        response = httpx.post(
            f"{small_limit}/interview",
            content=b"step=" + b"x" * 2000,
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )

        assert 413 == response.status_code

    def test_a_streamed_large_body_gets_413(self, small_limit: str) -> None:
        """
        A chunked body (no Content-Length) is counted as it arrives.
        """

        def chunks() -> Iterator[bytes]:
            for _ in range(8):
                yield b"step=" + b"x" * 250 + b"&"

        response = httpx.post(
            f"{small_limit}/interview",
            content=chunks(),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )

        assert 413 == response.status_code

    def test_a_body_within_the_limit_is_read(self, small_limit: str) -> None:
        """
        A chunked body within the limit reaches the route.
        """

        def chunks() -> Iterator[bytes]:
            yield b"action=continue&"
            yield b"question=pregnant&answer=no"

        response = httpx.post(
            f"{small_limit}/interview",
            content=chunks(),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )

        assert 200 == response.status_code

    def test_only_loopback_is_bound(self, small_limit: str) -> None:
        """
        The server is not reachable on another local address.
        """
        port = int(small_limit.rsplit(":", 1)[1])
        with socket.socket() as probe:
            probe.settimeout(2)
            refused = probe.connect_ex(("127.0.0.2", port))

        assert 0 != refused
