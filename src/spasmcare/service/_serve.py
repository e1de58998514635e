# SPDX-License-Identifier: MIT
"""
Run the service with uvicorn.
"""

from __future__ import annotations

import uvicorn

from ._app import create_app
from ._config import ServiceConfig


def serve(config: ServiceConfig) -> None:
    """
    Serve the app on ``config.host:config.port`` until interrupted, with
    the keep-alive and shutdown times of *config*.

    Args:
        config: The settings.

    .. versionadded:: 0.1.0
    """
    uvicorn.run(
        create_app(config),
        host=config.host,
        port=config.port,
        log_level="info",
        # Health data stays out of the logs: the access log holds paths
        # only, and no path carries answers (they travel in POST bodies).
        access_log=True,
        server_header=False,
        # Longer than the callers' idle timeouts (see ServiceConfig): the
        # client closes an idle connection first, never the server as the
        # client reuses it (which drops the request with a reset).
        timeout_keep_alive=config.keep_alive_seconds,
        # A stalled client cannot hold the server up: after this, requests
        # still in flight are cancelled and the audit log is closed.
        timeout_graceful_shutdown=config.shutdown_seconds,
    )
