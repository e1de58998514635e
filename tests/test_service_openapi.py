# SPDX-License-Identifier: MIT
"""
Schemathesis against the OpenAPI of the plain endpoints, on a real
uvicorn (slow: ``pytest -m slow``; bounded examples per operation).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from .servers import running_server

pytestmark = pytest.mark.slow

#: Generated calls per operation.
EXAMPLES = 60

#: Days a year counts for the life limit (the model's rule: an episode of
#: at most (age_years + 1) * 366 days).
_DAYS_PER_YEAR = 366


def _whole(value: object) -> int | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return int(value) if float(value).is_integer() else None


def _within_life(case: Any) -> bool:
    """
    Whether *case*'s assessment keeps the life limit, which JSON Schema
    cannot state in a form Schemathesis generates from (one if/then per
    age; an anyOf of one branch per age is not supported either): a
    duration of at most (age_years + 1) * 366 days. Bodies that do not
    give both numbers keep it.
    """
    body = case.body
    if isinstance(body, dict) and isinstance(body.get("assessment"), dict):
        body = body["assessment"]
    if not isinstance(body, dict):
        return True
    age, days = (
        _whole(body.get("age_years")),
        _whole(body.get("duration_days")),
    )
    if age is None or days is None:
        return True
    return days <= (age + 1) * _DAYS_PER_YEAR


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """
    The service's OpenAPI, loaded from the running server.
    """
    root = tmp_path_factory.mktemp("openapi")
    config = root / "service.toml"
    audit = root / "audit.sqlite3"
    config.write_text(
        f"[cds]\nauth = false\naudit_db = {json.dumps(str(audit))}\n"
    )
    with running_server("--config", str(config)) as url:
        yield schemathesis.openapi.from_url(f"{url}/openapi.json")


class TestContract:
    """
    For generated bodies, valid and not, every answer is documented.
    """

    @pytest.mark.parametrize("path", ["/assess", "/interview/next"])
    def test_operation_keeps_its_contract(self, api: Any, path: str) -> None:
        """
        No server error, and every status code, content type and body
        matches the OpenAPI (Schemathesis' default checks).
        """
        operation = api["/" + path.lstrip("/")]["POST"]
        called: list[int] = []

        @given(case=operation.as_strategy().filter(_within_life))
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def check(case: Any) -> None:
            # Every check, positive_data_acceptance too: a body the
            # OpenAPI allows gets 200. The one rule the OpenAPI states in
            # words only (the life limit: see _plain._components) is kept
            # by the filter.
            response = case.call_and_validate()
            called.append(response.status_code)

        check()

        assert called
        assert 500 not in called
