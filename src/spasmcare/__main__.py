# SPDX-License-Identifier: MIT
"""
``python -m spasmcare``: the same as the ``spasmcare`` command.
"""

from __future__ import annotations

from .cli import main

if __name__ == "__main__":  # pragma: no branch (always true when run)
    raise SystemExit(main())
