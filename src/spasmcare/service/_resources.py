# SPDX-License-Identifier: MIT
"""
What the route modules open while the app runs, closed at its shutdown.
"""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Callable

__all__ = ["Resources"]


class Resources:
    """
    What the route modules opened, to close when the app shuts down.

    :func:`create_app` gives one to each route factory (its second
    argument) and closes it when the app's lifespan ends.

    >>> import asyncio
    >>> from spasmcare.service import Resources
    >>> resources = Resources()
    >>> async def close_log() -> None:
    ...     print("log closed")
    >>> resources.on_close(close_log)
    >>> asyncio.run(resources.close())
    log closed

    .. versionadded:: 0.1.0
    """

    def __init__(self) -> None:
        self._closers: list[Callable[[], Awaitable[None]]] = []

    def on_close(self, close: Callable[[], Awaitable[None]]) -> None:
        """
        Call *close* when the app shuts down (the last registered first).
        """
        self._closers.append(close)

    async def close(self) -> None:
        """
        Close everything registered, the last first; each one is closed
        even when another fails.
        """
        async with contextlib.AsyncExitStack() as stack:
            for close in self._closers:
                stack.push_async_callback(close)
