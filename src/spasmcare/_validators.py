# SPDX-License-Identifier: MIT
"""
attrs validators that raise spasmcare's own errors, naming field and value.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import repeat
from typing import Any

import attrs

from .exceptions import InvalidTypeError, InvalidValueError

Validator = Callable[[Any, "attrs.Attribute[Any]", Any], None]


def field_name(instance: object, attribute: attrs.Attribute[Any]) -> str:
    """
    Qualified name of *attribute*, such as ``Assessment.pain_score``.
    """
    return f"{type(instance).__name__}.{attribute.name}"


def instance_of(*types: type, name: str) -> Validator:
    """
    Check the value is one of *types* (a ``bool`` is never an ``int``).
    """

    def check(
        instance: object, attribute: attrs.Attribute[Any], value: Any
    ) -> None:
        if isinstance(value, bool) and bool not in types:
            raise InvalidTypeError(
                field_name(instance, attribute), value, name
            )
        if not isinstance(value, types):
            raise InvalidTypeError(
                field_name(instance, attribute), value, name
            )

    return check


def text() -> Validator:
    """
    Check the value is a string that is not blank.
    """

    def check(
        instance: object, attribute: attrs.Attribute[Any], value: Any
    ) -> None:
        if not isinstance(value, str):
            raise InvalidTypeError(
                field_name(instance, attribute), value, "a string"
            )
        if not value.strip():
            raise InvalidValueError(
                field_name(instance, attribute), value, "must not be blank"
            )

    return check


def tuple_of(
    item_type: type, *, name: str, non_empty: bool = False
) -> Validator:
    """
    Check the value is a tuple whose items are all *item_type*.
    """

    def check(
        instance: object, attribute: attrs.Attribute[Any], value: Any
    ) -> None:
        if not isinstance(value, tuple):
            raise InvalidTypeError(
                field_name(instance, attribute), value, f"a tuple of {name}"
            )
        # Every item checked at C speed; the first bad one found only
        # when there is one.
        if not all(map(isinstance, value, repeat(item_type))):
            index, item = next(
                (index, item)
                for index, item in enumerate(value)
                if not isinstance(item, item_type)
            )
            raise InvalidTypeError(
                f"{field_name(instance, attribute)}[{index}]", item, name
            )
        if non_empty and not value:
            raise InvalidValueError(
                field_name(instance, attribute), value, "must not be empty"
            )

    return check


def text_tuple() -> Validator:
    """
    Check the value is a tuple of non-blank strings.
    """
    check_items = tuple_of(str, name="strings")

    def check(
        instance: object, attribute: attrs.Attribute[Any], value: Any
    ) -> None:
        check_items(instance, attribute, value)
        # Blank: empty, or only white space (isspace() copies nothing).
        if not all(value) or any(map(str.isspace, value)):
            index, item = next(
                (index, item)
                for index, item in enumerate(value)
                if not item.strip()
            )
            raise InvalidValueError(
                f"{field_name(instance, attribute)}[{index}]",
                item,
                "must not be blank",
            )

    return check


def to_tuple(value: Any) -> Any:
    """
    Turn a list into a tuple; leave anything else for the validator.

    Used as an attrs converter so callers may pass lists;
    the validator that follows still checks every item.
    """
    if isinstance(value, list):
        return tuple(value)
    return value
