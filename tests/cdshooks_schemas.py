# SPDX-License-Identifier: MIT
"""
JSON Schemas written from CDS Hooks 2.0.1, and a check for its JSON rules.

The schemas are in ``tests/schemas/cdshooks``: the discovery response,
the hook request, the service response (with its cards) and feedback.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
from referencing import Registry, Resource

HERE = Path(__file__).parent / "schemas" / "cdshooks"
BASE = "https://spasmcare.test/cdshooks/"

_RESOURCES = {
    path.name: json.loads(path.read_text(encoding="utf-8"))
    for path in sorted(HERE.glob("*.schema.json"))
}
_REGISTRY: Registry[Any] = Registry().with_resources(
    (BASE + name, Resource.from_contents(schema))
    for name, schema in _RESOURCES.items()
)


def validator(name: str) -> jsonschema.Draft202012Validator:
    """
    A validator for the schema *name* (``card``, ``response``,
    ``discovery``, ``request``, ``feedback``), checking formats.
    """
    return jsonschema.Draft202012Validator(
        _RESOURCES[f"{name}.schema.json"],
        registry=_REGISTRY,
        format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER,
    )


def nulls_and_empties(value: Any, path: str = "$") -> list[str]:
    """
    The paths of every null and empty string, array or object in *value*
    (CDS Hooks 2.0: "JSON attributes SHALL NOT be null", optional fields
    are omitted rather than empty), except the response's ``cards: []``
    and a prefetch key's ``null`` ("no data").
    """
    found: list[str] = []
    if value is None and path.startswith("$.prefetch."):
        return found  # a prefetch key with no data is null, by the spec
    empty = isinstance(value, (str, list, dict)) and not value
    if (value is None or empty) and path != "$.cards":
        found.append(path)
    if isinstance(value, dict):
        for key, item in value.items():
            found += nulls_and_empties(item, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += nulls_and_empties(item, f"{path}[{index}]")
    return found


def check(name: str, document: Any) -> None:
    """
    Fail unless *document* is valid under the schema *name* and free of
    nulls and empty values.
    """
    errors = sorted(
        validator(name).iter_errors(document), key=lambda e: e.json_path
    )
    problems = [f"{e.json_path}: {e.message}" for e in errors]
    problems += [f"{p}: null or empty" for p in nulls_and_empties(document)]
    if problems:
        raise AssertionError(f"not valid CDS Hooks {name}: {problems}")
