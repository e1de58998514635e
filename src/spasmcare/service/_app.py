# SPDX-License-Identifier: MIT
"""
The app factory: one Starlette app from the route modules of the service.

Each route module has a ``routes(config)`` function that returns its
routes; :data:`ROUTE_MODULES` lists them, in one place. A new face of the
service (CDS Hooks, ``$next-question``, ...) is a new module with its own
``routes`` function and one more line in that tuple.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import BaseRoute

from . import _health, _hooks, _web
from ._config import ServiceConfig
from ._limits import BodyLimit

__all__ = ["ROUTE_MODULES", "RouteFactory", "create_app"]

#: Makes the routes of one module of the service from the settings.
RouteFactory = Callable[[ServiceConfig], Sequence[BaseRoute]]

#: Every module's route factory, in the order their routes are matched.
ROUTE_MODULES: tuple[RouteFactory, ...] = (
    _health.routes,
    _web.routes,
    _hooks.routes,
)


def create_app(
    config: ServiceConfig | None = None,
    *,
    route_modules: Sequence[RouteFactory] = ROUTE_MODULES,
) -> Starlette:
    """
    Make the service's ASGI app.

    Args:
        config: The settings; the defaults when ``None``.
        route_modules: The route factories to assemble (all of the
            service's by default).

    Returns:
        The app, with the settings in ``app.state.config``.

    .. versionadded:: 0.1.0
    """
    config = ServiceConfig() if config is None else config
    routes = [route for make in route_modules for route in make(config)]
    app = Starlette(
        routes=routes,
        middleware=[Middleware(BodyLimit, max_bytes=config.max_body_bytes)],
    )
    app.state.config = config
    return app
