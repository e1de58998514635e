# SPDX-License-Identifier: MIT
"""
Development tools (not part of the package).
"""
