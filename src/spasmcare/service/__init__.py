# SPDX-License-Identifier: MIT
"""
The spasmcare web service: an ASGI app on Starlette, run with uvicorn.

Needs the ``service`` extra (``pip install 'spasmcare[service]'``).
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


def _require() -> None:
    """
    Fail with an error naming the extra when its libraries are missing.
    """
    try:
        import httpx  # noqa: F401, PLC0415
        import jinja2  # noqa: F401, PLC0415
        import jwt  # noqa: F401, PLC0415
        import starlette  # noqa: F401, PLC0415
        import uvicorn  # noqa: F401, PLC0415
    except ImportError as error:
        raise ImportError(
            "spasmcare.service needs the 'service' extra: "
            "pip install 'spasmcare[service]' "
            f"(missing: {error.name})",
            name=error.name,
        ) from error


_require()

from ._app import create_app  # noqa: E402
from ._config import InterviewConfig, ServiceConfig, load_config  # noqa: E402
from ._serve import serve  # noqa: E402
from ._settings import CdsConfig, IssuerConfig  # noqa: E402

__all__ = [
    "CdsConfig",
    "InterviewConfig",
    "IssuerConfig",
    "ServiceConfig",
    "create_app",
    "load_config",
    "serve",
]


def __dir__() -> list[str]:
    return list(__all__)
