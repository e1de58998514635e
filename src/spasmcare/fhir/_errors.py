# SPDX-License-Identifier: MIT
"""
The FHIR face's error, and the conversion of a dict or JSON into a model.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any, TypeVar

import pydantic
from fhir.resources.R4B.resource import Resource

from spasmcare.exceptions import InvalidTypeError, InvalidValueError

__all__ = [
    "InvalidResourceError",
    "check_reference",
    "parse_resource",
    "parse_resource_json",
]

_R = TypeVar("_R", bound=Resource)


class InvalidResourceError(InvalidValueError):
    """
    A FHIR resource is malformed or does not fit spasmcare's artefacts.

    Raised for a dict that is not a FHIR resource, the wrong
    ``resourceType``, a resource the ``fhir.resources`` R4B models reject,
    a response to another Questionnaire or version, duplicated or nested
    items, an ``entered-in-error`` status, or a reference that does not
    resolve. Nothing half-built is returned.

    Attributes:
        field: Where the problem is, as a FHIR path such as
            ``"QuestionnaireResponse.item[3]"``; an item is named by its
            ``linkId`` as well.
        value: The offending value.
        reason: What was expected, in words.

    .. versionadded:: 0.1.0
    """


def _path(resource_type: str, location: tuple[int | str, ...]) -> str:
    path = resource_type
    for part in location:
        path += f"[{part}]" if isinstance(part, int) else f".{part}"
    return path


def parse_resource(value: Any, model: type[_R]) -> _R:
    """
    *value* as a *model* instance: the model itself, or a dict of its JSON.

    Raises:
        InvalidResourceError: *value* is a dict that is not a FHIR resource
            of this type, or that the model rejects (every problem, each
            with its path); or another FHIR resource.
        InvalidTypeError: *value* is neither a model nor a mapping.
    """
    name = model.get_resource_type()
    if isinstance(value, model):
        return value
    if isinstance(value, Resource):
        raise InvalidResourceError(
            f"{name}.resourceType",
            value.get_resource_type(),
            f"expected a {name} resource",
        )
    if not isinstance(value, Mapping):
        raise InvalidTypeError(
            name, value, f"a {name} resource (model or dict)"
        )
    kind = value.get("resourceType")
    if kind != name:
        reason = (
            f"not a FHIR resource (no resourceType); expected a {name}"
            if kind is None
            else f"expected a {name} resource"
        )
        raise InvalidResourceError(f"{name}.resourceType", kind, reason)
    try:
        return model.model_validate(dict(value))
    except pydantic.ValidationError as error:
        problems = [
            f"{_path(name, tuple(e['loc']))}: {e['msg']}"
            for e in error.errors()
        ]
        first = error.errors()[0]
        raise InvalidResourceError(
            _path(name, tuple(first["loc"])),
            first.get("input"),
            "; ".join(problems),
        ) from None


def parse_resource_json(text: str | bytes, model: type[_R]) -> _R:
    """
    Parse FHIR JSON text into a *model* instance.

    Raises:
        InvalidResourceError: The text is not JSON, or not such a resource.
        InvalidTypeError: *text* is not ``str`` or ``bytes``.
    """
    name = model.get_resource_type()
    if not isinstance(text, (str, bytes)):
        raise InvalidTypeError(name, text, "JSON text (str or bytes)")
    try:
        document = json.loads(text)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise InvalidResourceError(
            name, "(text)", f"not JSON: {error}"
        ) from None
    return parse_resource(document, model)


_REFERENCE = re.compile(
    r"(urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
    r"|(https?://\S+/)?[A-Z][A-Za-z]+/[A-Za-z0-9\-.]{1,64}"
    r"(/_history/[A-Za-z0-9\-.]{1,64})?)\Z"
)


def check_reference(field: str, value: Any) -> str:
    """
    *value*, checked to be a FHIR literal reference: ``Type/id`` (absolute
    or relative, optionally versioned) or a ``urn:uuid:``.

    Raises:
        InvalidTypeError: *value* is not a string.
        InvalidResourceError: It is not a reference.
    """
    if not isinstance(value, str):
        raise InvalidTypeError(
            field, value, "a reference such as 'Patient/123'"
        )
    if not _REFERENCE.match(value):
        raise InvalidResourceError(
            field,
            value,
            "not a FHIR reference: expected Type/id (such as 'Patient/123') "
            "or urn:uuid:<uuid>",
        )
    return value
