# SPDX-License-Identifier: MIT
"""
The service's settings, and how they are read from a TOML file.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs
import cattrs

from spasmcare.exceptions import InvalidTypeError, InvalidValueError

from ._settings import CdsConfig

__all__ = ["InterviewConfig", "ServiceConfig", "load_config"]

_MAX_PORT = 65_535


def _port(
    instance: object, attribute: attrs.Attribute[Any], value: Any
) -> None:
    _strict(int)(instance, attribute, value)
    if not 0 <= value <= _MAX_PORT:
        raise InvalidValueError(
            f"{type(instance).__name__}.{attribute.name}",
            value,
            f"must be from 0 to {_MAX_PORT} (0: any free port)",
        )


def _positive(
    instance: object, attribute: attrs.Attribute[Any], value: Any
) -> None:
    _strict(int)(instance, attribute, value)
    if value < 1:
        raise InvalidValueError(
            f"{type(instance).__name__}.{attribute.name}",
            value,
            "must be a whole number of at least 1",
        )


def _strict(kind: type) -> Any:
    names = {bool: "true or false", int: "a whole number", str: "a string"}

    def check(
        instance: object, attribute: attrs.Attribute[Any], value: Any
    ) -> None:
        if type(value) is not kind:
            raise InvalidTypeError(
                f"{type(instance).__name__}.{attribute.name}",
                value,
                names[kind],
            )

    return check


@attrs.frozen(kw_only=True)
class InterviewConfig:
    """
    Settings of the web interview (the ``[interview]`` table).

    Attributes:
        enabled: Whether ``/interview`` is served.

    .. versionadded:: 0.1.0
    """

    enabled: bool = attrs.field(default=True, validator=_strict(bool))


@attrs.frozen(kw_only=True)
class ServiceConfig:
    """
    Settings of the service, as read from its TOML file.

    Every setting has a default, so an empty file (or none) is a valid
    configuration. The ``spasmcare serve`` options ``--host`` and
    ``--port`` override the file.

    Attributes:
        host: The address to listen on. The default, ``127.0.0.1``,
            answers this machine only; put a TLS-terminating proxy in
            front before listening on a public address.
        port: The TCP port (0: any free port).
        max_body_bytes: Requests with a larger body get 413.
        interview: The web interview's settings.
        cds: The CDS Hooks services' settings (the ``[cds]`` table; see
            :doc:`/howto/cds-hooks`).

    >>> ServiceConfig().port
    8080
    >>> ServiceConfig(port=70000)
    Traceback (most recent call last):
    ...
    spasmcare.exceptions.InvalidValueError: ServiceConfig.port=70000: must be from 0 to 65535 (0: any free port)

    .. versionadded:: 0.1.0
    """

    host: str = attrs.field(default="127.0.0.1", validator=_strict(str))
    port: int = attrs.field(default=8080, validator=_port)
    max_body_bytes: int = attrs.field(default=1_048_576, validator=_positive)
    interview: InterviewConfig = attrs.field(
        factory=InterviewConfig,
        validator=attrs.validators.instance_of(InterviewConfig),
    )
    cds: CdsConfig = attrs.field(
        factory=CdsConfig,
        validator=attrs.validators.instance_of(CdsConfig),
    )


def _converter() -> cattrs.Converter:
    converter = cattrs.Converter(forbid_extra_keys=True)
    # Leave the type checks to the validators (no int("8080"), no 1 for
    # true): cattrs would otherwise coerce.
    for kind in (bool, int, str):
        converter.register_structure_hook(kind, lambda value, _: value)
    return converter


_CONVERTER = _converter()


def _structure(data: Mapping[str, Any], source: str) -> ServiceConfig:
    try:
        return _CONVERTER.structure(data, ServiceConfig)
    except cattrs.BaseValidationError as error:
        messages = cattrs.transform_error(error, path="config")
        raise InvalidValueError(
            source, dict(data), "; ".join(messages)
        ) from error


def load_config(path: str | Path) -> ServiceConfig:
    """
    Read the service's settings from a TOML file.

    Unknown keys are errors (a misspelt setting must not be ignored).

    Args:
        path: The TOML file.

    Returns:
        The settings.

    Raises:
        OSError: The file cannot be read.
        InvalidValueError: The file is not TOML, or a setting is unknown
            or has a wrong value; the message names it.

    .. versionadded:: 0.1.0
    """
    source = str(path)
    text = Path(path).read_text(encoding="utf-8")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise InvalidValueError(source, None, f"not TOML: {error}") from error
    return _structure(data, source)
