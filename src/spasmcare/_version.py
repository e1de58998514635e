# SPDX-License-Identifier: MIT
"""
The package's version: the one place it is written (the build reads it
from here, so the installed metadata says the same).
"""

__version__ = "0.1.0.dev0"
