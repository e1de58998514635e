# SPDX-License-Identifier: MIT
"""
``GET /health``: whether the service is up (for load balancers and tests).
"""

from __future__ import annotations

from collections.abc import Sequence

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import BaseRoute, Route

from spasmcare import __version__

from ._config import ServiceConfig
from ._resources import Resources


async def _health(_: Request) -> JSONResponse:
    return JSONResponse({"status": "ok", "version": __version__})


def routes(_: ServiceConfig, __: Resources) -> Sequence[BaseRoute]:
    """
    The health check's route.
    """
    return [Route("/health", _health, methods=["GET"])]
