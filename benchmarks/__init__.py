# SPDX-License-Identifier: MIT
"""
spasmcare's benchmark suite: ``python -m benchmarks`` (see ``run.py``).
"""
