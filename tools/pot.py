# SPDX-License-Identifier: MIT
"""
Extract spasmcare's translatable strings with Babel into the committed
template, ``src/spasmcare/locale/spasmcare.pot``.

``python -m tools.pot --write`` writes it; ``python -m tools.pot --check``
fails when it is out of date (CI runs the check, as it does
``spasmcare schema --check``). Every string marked with ``N_()`` in the
package is extracted; the template has no line numbers and keeps its
creation date unless a message changes, so that it changes only when a
patient string does.
"""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import write_po

__all__ = ["POT", "SOURCE", "main", "template"]

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "src" / "spasmcare"
POT = SOURCE / "locale" / "spasmcare.pot"
#: Header lines that change with the day or the Babel version, not with
#: the messages: left out, so that the check compares messages only.
_VOLATILE = ("POT-Creation-Date:", "Generated-By:")
_HEADER = """\
# Translations template for spasmcare: every string a person reads.
# spasmcare ships no translation. A translation must keep every
# placeholder ({emergency_number}, {urgent_help}, ...) and be reviewed by a
# clinician before use.
# This file is distributed under the same license as spasmcare (MIT).
#"""


def template() -> str:
    """
    The template extracted from the package now (its date left out).
    """
    catalog = Catalog(
        project="spasmcare",
        copyright_holder="The spasmcare team",
        charset="utf-8",
        header_comment=_HEADER,
    )
    for filename, lineno, message, comments, context in extract_from_dir(
        SOURCE,
        method_map=[("**.py", "python")],
        keywords={"N_": None},
        comment_tags=("Translators:",),
    ):
        catalog.add(
            message,
            locations=[(f"spasmcare/{filename}", lineno)],
            auto_comments=comments,
            context=context,
        )
    out = io.BytesIO()
    write_po(out, catalog, width=79, include_lineno=False, sort_output=True)
    return _undated(out.getvalue().decode("utf-8"))


def _undated(text: str) -> str:
    return "".join(
        line
        for line in text.splitlines(keepends=True)
        if not line.startswith(tuple(f'"{v}' for v in _VOLATILE))
    )


def main(argv: list[str] | None = None) -> int:
    """
    ``--write`` the template, or ``--check`` that it is current.
    """
    parser = argparse.ArgumentParser(prog="python -m tools.pot")
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--write", action="store_true")
    mode.add_argument("--check", action="store_true")
    args = parser.parse_args(argv)
    fresh = template()
    current = POT.read_text(encoding="utf-8") if POT.exists() else ""
    if _undated(current) == fresh:
        return 0
    if args.check:
        print(
            f"{POT.relative_to(ROOT)} is out of date: run "
            "`python -m tools.pot --write`",
            file=sys.stderr,
        )
        return 1
    POT.parent.mkdir(parents=True, exist_ok=True)
    POT.write_text(fresh, encoding="utf-8")
    print(f"wrote {POT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
