# SPDX-License-Identifier: MIT
"""
The decision-support routes of the service: CDS Hooks, the plain JSON
endpoints and SDC ``$next-question``, sharing one audit log.
"""

from __future__ import annotations

from collections.abc import Sequence

from starlette.routing import BaseRoute

from ._cds import cds_routes
from ._config import ServiceConfig
from ._http import Context
from ._plain import plain_routes
from ._resources import Resources
from ._sdc import next_question_routes

__all__ = ["routes"]


def routes(config: ServiceConfig, resources: Resources) -> Sequence[BaseRoute]:
    """
    The CDS Hooks, ``/assess``, ``/interview/next``, ``/openapi.json`` and
    ``$next-question`` routes (none when ``[cds] enabled = false``); their
    shared audit log and HTTP client are closed with *resources*.
    """
    if not config.cds.enabled:
        return []
    ctx = Context.create(config.cds, config.region)
    resources.on_close(ctx.close)
    return [*cds_routes(ctx), *plain_routes(ctx), *next_question_routes(ctx)]
