# SPDX-License-Identifier: MIT
"""
``python -m benchmarks``: run the benchmark suite (see ``run.py``).
"""

from __future__ import annotations

import sys

from .run import main

sys.exit(main())
