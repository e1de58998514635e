# SPDX-License-Identifier: MIT
"""
Sphinx configuration for the spasmcare documentation.

Build with ``python -m sphinx -W -n -b html docs docs/_build/html``;
run the examples in the docs with ``-b doctest``.
The build works offline: see ``intersphinx_mapping`` below.
"""

from __future__ import annotations

import os
import sys
from importlib.metadata import version as _version
from pathlib import Path

_HERE = Path(__file__).parent
sys.path.insert(0, str(_HERE / "_ext"))

# -- Project ----------------------------------------------------------------

project = "spasmcare"
author = "The spasmcare team"
copyright = "the spasmcare team"  # noqa: A001 (Sphinx's name for it)
#: The full version, from the installed package's metadata.
release = _version("spasmcare")
#: The short X.Y version.
version = ".".join(release.split(".")[:2])

# -- General ----------------------------------------------------------------

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.doctest",
    "sphinx.ext.intersphinx",
    "sphinx.ext.napoleon",
    "sphinx.ext.viewcode",
    # Local (docs/_ext): the rule and question catalogues, generated from
    # the code at build time, and links for names from private modules.
    "spasmcare_docs",
]

source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build", "_inventories"]
templates_path: list[str] = []

# Broken references are errors (CI builds with -W -n).
nitpicky = True
# The FHIR and calendar faces take and return the models of their libraries
# (fhir.resources, icalendar), which have no inventory here.
nitpick_ignore_regex = [
    ("py:class", r"(fhir\.resources|pydantic|icalendar)\..*"),
    ("py:class", r"(Questionnaire|QuestionnaireResponse|Bundle|Calendar)"),
]

# Markdown pages: fences with ::: and definition lists.
myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3

# -- autodoc and Napoleon ---------------------------------------------------

autodoc_typehints = "description"
autodoc_typehints_description_target = "documented_params"
autodoc_member_order = "bysource"
python_use_unqualified_type_names = True
autodoc_default_options = {"exclude-members": "__init__, __new__"}
napoleon_google_docstring = True
napoleon_numpy_docstring = False
napoleon_use_rtype = False
napoleon_attr_annotations = True

# -- intersphinx ------------------------------------------------------------
# CI and most developer machines have no route to docs.python.org or
# attrs.org, and a build that needs the internet fails there.
# So the inventories are read from small local files in docs/_inventories
# (Sphinx inventory format version 1: one "name type page" per line),
# listing the names these pages link to; the links still point at the
# real sites.
# Set SPASMCARE_DOCS_ONLINE=1 to use the full online inventories instead.
_ONLINE = os.environ.get("SPASMCARE_DOCS_ONLINE") == "1"
intersphinx_mapping = {
    "python": (
        "https://docs.python.org/3",
        None if _ONLINE else "_inventories/python.inv",
    ),
    "attrs": (
        "https://www.attrs.org/en/stable",
        None if _ONLINE else "_inventories/attrs.inv",
    ),
    # Starlette's docs publish no inventory: always the local file.
    "starlette": ("https://www.starlette.io/", "_inventories/starlette.inv"),
}
intersphinx_timeout = 10

# -- doctest ----------------------------------------------------------------
# Docstring examples are written as if the public names were imported.
doctest_global_setup = """
from spasmcare import *
from spasmcare.criteria import *
"""
doctest_test_doctest_blocks = "default"

# -- HTML -------------------------------------------------------------------

html_theme = "furo"
html_title = f"spasmcare {release}"
html_static_path = ["_static"]
html_css_files = ["spasmcare.css"]
html_theme_options = {"navigation_with_keys": True}
