# SPDX-License-Identifier: MIT
"""
spasmcare as a service: CDS Hooks 2.0, the adaptive questionnaire and a
decision audit log (extra ``spasmcare[service]``).
"""

from __future__ import annotations

import importlib.util


def _require() -> None:
    """
    Fail with a clear message when the ``service`` extra is missing.
    """
    missing = [
        name
        for name in ("starlette", "uvicorn", "httpx", "jwt")
        if importlib.util.find_spec(name) is None
    ]
    if missing:
        raise ImportError(
            "spasmcare.service needs the 'service' extra "
            f"(missing: {', '.join(missing)}); "
            "install it with: pip install 'spasmcare[service]'"
        )


_require()

__all__: list[str] = []
