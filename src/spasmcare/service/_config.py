# SPDX-License-Identifier: MIT
"""
The service's settings, and how they are read from a TOML file.
"""

from __future__ import annotations

import ipaddress
import json
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs
import cattrs
import cattrs.v
from cattrs.errors import ForbiddenExtraKeysError

from spasmcare import REGIONS, Region
from spasmcare.exceptions import (
    InvalidTypeError,
    InvalidValueError,
    SpasmcareError,
)

from ._settings import CdsConfig

__all__ = ["InterviewConfig", "ServiceConfig", "load_config"]

_MAX_PORT = 65_535

#: The longest value shown in an error message.
_SHOWN = 80


def _is_loopback(host: str) -> bool:
    """
    Whether listening on *host* answers this machine only: ``localhost``,
    an address in 127.0.0.0/8, or ``::1``.

    >>> [_is_loopback(h) for h in ("127.0.0.1", "127.1.2.3", "::1", "localhost")]
    [True, True, True, True]
    >>> [_is_loopback(h) for h in ("0.0.0.0", "::", "192.0.2.1", "", "example.org")]
    [False, False, False, False, False]
    """
    if host.lower() == "localhost":
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        # A name other than localhost: it may resolve to any address.
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return address.is_loopback


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


def _to_region(value: Any) -> Any:
    """
    A region's key (``"us"``) or a table of a region's fields (your own
    region), as a :class:`~spasmcare.Region`; a Region as it is.
    """
    if isinstance(value, str):
        if value not in REGIONS:
            raise InvalidValueError(
                "ServiceConfig.region",
                value,
                "must be one of "
                + ", ".join(repr(r) for r in REGIONS)
                + ", or a table of your own region's fields",
            )
        return REGIONS[value]
    if isinstance(value, Mapping):
        fields = {a.name for a in attrs.fields(Region)}
        unknown = sorted(set(value) - fields)
        missing = sorted(fields - set(value))
        if unknown or missing:
            raise InvalidValueError(
                "ServiceConfig.region",
                dict(value),
                "a region table needs exactly the keys "
                + ", ".join(sorted(fields))
                + (f" (unknown: {', '.join(unknown)})" if unknown else "")
                + (f" (missing: {', '.join(missing)})" if missing else ""),
            )
        return Region(**value)
    return value


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
        keep_alive_seconds: How long an idle connection is kept open for
            the client's next request. Keep it longer than the idle
            timeout of whatever calls the service (httpx and many HTTP
            clients: 5 s; nginx's upstream keep-alive and cloud load
            balancers: 60 s), so that the client always closes an idle
            connection first: a server that closes it while the client
            reuses it resets the client's request.
        shutdown_seconds: On SIGTERM or Ctrl-C, how long requests in
            flight may take to finish before they are cancelled (a client
            that stalls in the middle of its request would otherwise keep
            the server from stopping); then the audit log is closed, every
            decision handed to it committed.
        region: The region whose emergency number and services every
            patient text names: a key of :data:`spasmcare.REGIONS` (such
            as ``region = "us"``), or a ``[region]`` table with a
            :class:`spasmcare.Region`'s fields; the UK by default.
        interview: The web interview's settings.
        cds: The CDS Hooks services' settings (the ``[cds]`` table; see
            :doc:`/howto/cds-hooks`).

    Raises:
        InvalidValueError: A setting's value is not allowed; or
            authentication is off (``cds.auth = false``) while *host* is
            not a loopback address (127.0.0.0/8, ``::1`` or
            ``localhost``): without
            authentication the service is for local development only.

    >>> ServiceConfig().port
    8080
    >>> ServiceConfig(port=70000)
    Traceback (most recent call last):
    ...
    spasmcare.exceptions.InvalidValueError: ServiceConfig.port=70000: must be from 0 to 65535 (0: any free port)
    >>> from spasmcare.service import CdsConfig
    >>> ServiceConfig(host="0.0.0.0", cds=CdsConfig(auth=False))
    Traceback (most recent call last):
    ...
    spasmcare.exceptions.InvalidValueError: ServiceConfig.host='0.0.0.0': with cds.auth = false the service may listen on a loopback address only (127.0.0.0/8, ::1 or localhost): authentication can be off for local development only

    .. versionadded:: 0.1.0
    """

    host: str = attrs.field(default="127.0.0.1", validator=_strict(str))
    port: int = attrs.field(default=8080, validator=_port)
    max_body_bytes: int = attrs.field(default=1_048_576, validator=_positive)
    keep_alive_seconds: int = attrs.field(default=75, validator=_positive)
    shutdown_seconds: int = attrs.field(default=10, validator=_positive)
    region: Region = attrs.field(
        default=REGIONS["uk"],
        converter=_to_region,
        validator=attrs.validators.instance_of(Region),
    )
    interview: InterviewConfig = attrs.field(
        factory=InterviewConfig,
        validator=attrs.validators.instance_of(InterviewConfig),
    )
    cds: CdsConfig = attrs.field(
        factory=CdsConfig,
        validator=attrs.validators.instance_of(CdsConfig),
    )

    def __attrs_post_init__(self) -> None:
        if (
            self.cds.enabled
            and not self.cds.auth
            and not _is_loopback(self.host)
        ):
            raise InvalidValueError(
                "ServiceConfig.host",
                self.host,
                "with cds.auth = false the service may listen on a loopback "
                "address only (127.0.0.0/8, ::1 or localhost): "
                "authentication can be off for local development only",
            )


def _converter() -> cattrs.Converter:
    converter = cattrs.Converter(forbid_extra_keys=True)
    # Leave the type checks to the validators (no int("8080"), no 1 for
    # true): cattrs would otherwise coerce.
    for kind in (bool, int, str, Region):
        converter.register_structure_hook(kind, lambda value, _: value)
    return converter


_CONVERTER = _converter()


def _structure(data: Mapping[str, Any], source: str) -> ServiceConfig:
    try:
        return _CONVERTER.structure(data, ServiceConfig)
    except (cattrs.BaseValidationError, SpasmcareError) as error:
        # SpasmcareError: a check across settings, made on the whole.
        messages = _problems(error, "")
    raise InvalidValueError(source, dict(data), "; ".join(messages))


def _problems(error: BaseException, key: str, kind: Any = None) -> list[str]:
    """
    What is wrong, one message a problem, each naming the TOML key (such
    as ``cds.issuers[0].jku``), the value found and the validator's reason.

    *kind* is the type expected at *key*, when cattrs knows it.
    """
    if isinstance(error, cattrs.ClassValidationError):
        with_notes, without = error.group_exceptions()
        found = [
            message
            for inner, note in with_notes
            for message in _problems(inner, _join(key, note.name), note.type)
        ]
        return found + [m for inner in without for m in _problems(inner, key)]
    if isinstance(error, cattrs.IterableValidationError):
        items, without = error.group_exceptions()
        found = [
            message
            for inner, note in items
            for message in _problems(
                inner, f"{key}[{note.index!r}]", note.type
            )
        ]
        return found + [m for inner in without for m in _problems(inner, key)]
    where = key or "(top level)"
    if isinstance(error, ForbiddenExtraKeysError):
        return [
            f"{_join(key, name)}: not a setting"
            for name in sorted(error.extra_fields)
        ]
    if isinstance(error, InvalidValueError | InvalidTypeError):
        # The validators name "Class.attribute": the key is the table's
        # path and the attribute.
        where = _join(key, error.field.rpartition(".")[2])
        reason = (
            error.reason
            if isinstance(error, InvalidValueError)
            else f"expected {error.expected}, got {_toml_type(error.value)}"
        )
        return [f"{where} = {_toml(error.value)}: {reason}"]
    if attrs.has(kind):
        return [f"{where}: expected a table, got something else"]
    return [f"{where}: {cattrs.v.format_exception(error, kind)}"]


def _join(key: str, name: str) -> str:
    return f"{key}.{name}" if key else name


def _toml_type(value: Any) -> str:
    """
    What TOML calls the type of *value*.
    """
    names = {bool: "true or false", int: "an integer", float: "a float"}
    names |= {str: "a string", list: "an array", tuple: "an array"}
    names |= {dict: "a table"}
    return names.get(type(value), "a date or time")


def _toml(value: Any) -> str:
    """
    *value* as the TOML file spells it (a short form).
    """
    if value is None:
        return "(not set)"
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= _SHOWN else f"{text[: _SHOWN - 3]}..."


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
