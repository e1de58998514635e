# SPDX-License-Identifier: MIT
"""
The app factory: one Starlette app from the route modules of the service.

Each route module has a ``routes(config, resources)`` function that
returns its routes; :data:`ROUTE_MODULES` lists them, in one place. A new
face of the service (CDS Hooks, ``$next-question``, ...) is a new module
with its own ``routes`` function and one more line in that tuple.

What a module opens (the audit log, an HTTP client) it hands to
*resources*, which closes it when the server shuts down (the app's
lifespan), so that a stopped server leaves its files clean.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable, Sequence

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import BaseRoute

from . import _health, _hooks, _web
from ._config import ServiceConfig
from ._limits import BodyLimit
from ._resources import Resources

__all__ = ["ROUTE_MODULES", "RouteFactory", "create_app"]

#: Makes the routes of one module of the service from the settings; what
#: they open is handed to the resources.
RouteFactory = Callable[[ServiceConfig, Resources], Sequence[BaseRoute]]

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
            service's by default); each is called with the settings and a
            :class:`Resources`, to which it hands what it opens.

    Returns:
        The app, with the settings in ``app.state.config``. When it shuts
        down (its lifespan ends: uvicorn stopped by SIGTERM or Ctrl-C), it
        closes what its routes opened: the audit log, once every decision
        waiting is committed, and the HTTP client.

    .. versionadded:: 0.1.0
    """
    config = ServiceConfig() if config is None else config
    resources = Resources()
    routes = [
        route for make in route_modules for route in make(config, resources)
    ]

    @contextlib.asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        try:
            yield
        finally:
            await resources.close()

    app = Starlette(
        routes=routes,
        middleware=[Middleware(BodyLimit, max_bytes=config.max_body_bytes)],
        lifespan=lifespan,
    )
    app.state.config = config
    return app
