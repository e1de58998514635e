# SPDX-License-Identifier: MIT
"""
The service face stays behind its extra.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from .subprocesses import python

SERVICE_LIBRARIES = ("starlette", "uvicorn", "httpx", "jwt", "cryptography")


class TestExtra:
    """
    ``import spasmcare`` never imports the service's libraries; importing
    spasmcare.service without them names the extra.
    """

    def test_core_import_leaves_service_libraries_alone(self) -> None:
        """
        After a fresh ``import spasmcare`` (and its JSON face), none of
        the service's libraries is in sys.modules.
        """
        code = (
            "import sys, spasmcare; spasmcare.dump_report; "
            f"print(sorted(set({SERVICE_LIBRARIES!r}) & set(sys.modules)))"
        )

        result = subprocess.run(  # noqa: S603 (our own interpreter)
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
        )

        assert "[]" == result.stdout.strip()

    def test_missing_extra_is_named(self, tmp_path: Path) -> None:
        """
        With starlette unavailable, the ImportError says which extra to
        install.
        """
        code = (
            "import sys; sys.modules['starlette'] = None\n"
            "try:\n"
            "    import spasmcare.service\n"
            "except ImportError as error:\n"
            "    print(error)\n"
        )
        script = tmp_path / "no_starlette.py"
        script.write_text(code, encoding="utf-8")

        result = subprocess.run(  # noqa: S603 (our own interpreter)
            [*python(), str(script)],
            capture_output=True,
            text=True,
            check=True,
        )

        assert "pip install 'spasmcare[service]'" in result.stdout
        assert "missing: starlette" in result.stdout
