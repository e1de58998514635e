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
    Serve the app on ``config.host:config.port`` until interrupted.

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
    )
