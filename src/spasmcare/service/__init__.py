# SPDX-License-Identifier: MIT
"""
spasmcare as a service: an ASGI app on Starlette, run with uvicorn
(extra ``spasmcare[service]``).

It serves the web interview at ``/interview`` (one question at a time,
plain HTML that works without JavaScript), ``/health``, and the decision
support of :doc:`/howto/cds-hooks`: CDS Hooks 2.0, SDC ``$next-question``,
``/assess`` and ``/interview/next``.

>>> from spasmcare.service import ServiceConfig, create_app
>>> app = create_app(ServiceConfig(port=8081))
>>> sorted({route.path for route in app.routes})  # doctest: +NORMALIZE_WHITESPACE
['/Questionnaire/$next-question', '/assess', '/cds-services',
 '/cds-services/{service}', '/cds-services/{service}/feedback', '/health',
 '/interview', '/interview/interview.css', '/interview/next',
 '/interview/print', '/openapi.json']

Run it with ``spasmcare serve`` (see :doc:`/howto/web-interview`).
"""

from __future__ import annotations

import importlib.util


def _require() -> None:
    """
    Fail with a clear message when the ``service`` extra is missing.
    """
    missing = [
        name
        for name in ("starlette", "uvicorn", "jinja2", "httpx", "jwt")
        if importlib.util.find_spec(name) is None
    ]
    if missing:
        raise ImportError(
            "spasmcare.service needs the 'service' extra "
            f"(missing: {', '.join(missing)}); "
            "install it with: pip install 'spasmcare[service]'",
            name=missing[0],
        )


_require()

from ._app import create_app  # noqa: E402
from ._config import InterviewConfig, ServiceConfig, load_config  # noqa: E402
from ._resources import Resources  # noqa: E402
from ._serve import serve  # noqa: E402
from ._settings import CdsConfig, IssuerConfig  # noqa: E402

__all__ = [
    "CdsConfig",
    "InterviewConfig",
    "IssuerConfig",
    "Resources",
    "ServiceConfig",
    "create_app",
    "load_config",
    "serve",
]


def __dir__() -> list[str]:
    return list(__all__)
