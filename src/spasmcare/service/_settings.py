# SPDX-License-Identifier: MIT
"""
The CDS Hooks service's settings (the ``[cds]`` table of the TOML file).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import attrs

from spasmcare.exceptions import InvalidTypeError, InvalidValueError

from ._auth import Issuer

__all__ = ["CdsConfig", "IssuerConfig"]


def _kind(kind: type, words: str, *, optional: bool = False) -> Any:
    def check(
        instance: object, attribute: attrs.Attribute[Any], value: Any
    ) -> None:
        if optional and value is None:
            return
        if type(value) is not kind:
            raise InvalidTypeError(
                f"{type(instance).__name__}.{attribute.name}", value, words
            )

    return check


def _texts(
    instance: object, attribute: attrs.Attribute[Any], value: Any
) -> None:
    if not isinstance(value, tuple) or not all(
        isinstance(v, str) for v in value
    ):
        raise InvalidTypeError(
            f"{type(instance).__name__}.{attribute.name}",
            value,
            "a list of strings",
        )


def _url(
    instance: object, attribute: attrs.Attribute[Any], value: Any
) -> None:
    _kind(str, "a URL", optional=True)(instance, attribute, value)
    if value is not None and not value.startswith(("https://", "http://")):
        raise InvalidValueError(
            f"{type(instance).__name__}.{attribute.name}",
            value,
            "must be an http(s) URL",
        )


@attrs.frozen(kw_only=True)
class IssuerConfig:
    """
    A CDS Client allowed to call (one ``[[cds.issuers]]`` table).

    Attributes:
        iss: Its JWT ``iss``.
        jwks_file: A file holding its public JWK Set (exchanged out of
            band), relative to the working directory.
        jku: The JWK Set URLs it may name in ``jku``; the first is
            fetched when there is no *jwks_file*.

    .. versionadded:: 0.1.0
    """

    iss: str = attrs.field(validator=_kind(str, "a string"))
    jwks_file: str | None = attrs.field(
        default=None, validator=_kind(str, "a file name", optional=True)
    )
    jku: tuple[str, ...] = attrs.field(default=(), validator=_texts)

    def __attrs_post_init__(self) -> None:
        if self.jwks_file is None and not self.jku:
            raise InvalidValueError(
                "IssuerConfig.jwks_file",
                None,
                f"the issuer {self.iss!r} needs jwks_file or jku",
            )

    def issuer(self) -> Issuer:
        """
        The issuer, with its JWK Set read from *jwks_file*.

        Raises:
            InvalidValueError: The file cannot be read as a JWK Set.
        """
        jwks = None
        if self.jwks_file is not None:
            try:
                jwks = json.loads(
                    Path(self.jwks_file).read_text(encoding="utf-8")
                )
            except (OSError, ValueError) as error:
                raise InvalidValueError(
                    "IssuerConfig.jwks_file",
                    self.jwks_file,
                    f"cannot read a JWK Set: {error}",
                ) from None
            if not isinstance(jwks, dict) or not isinstance(
                jwks.get("keys"), list
            ):
                raise InvalidValueError(
                    "IssuerConfig.jwks_file",
                    self.jwks_file,
                    'not a JWK Set ({"keys": [...]})',
                )
        return Issuer(iss=self.iss, jwks=jwks, jku=self.jku)


@attrs.frozen(kw_only=True)
class CdsConfig:
    """
    Settings of the CDS Hooks services and the decision audit log.

    Attributes:
        enabled: Whether the CDS Hooks services (and ``/assess``,
            ``/interview/next``, ``$next-question``) are served.
        base_url: The public base URL clients call (such as
            ``https://cds.example.org``); a JWT's ``aud`` must be the URL of
            the endpoint under it. When unset, the request's own URL is
            used, which is right only without a proxy in front.
        auth: Whether calls need a CDS Client's JWT. It can be off for
            local development only: the service then refuses to listen on
            anything but a loopback address (127.0.0.0/8, ``::1``,
            ``localhost``) and warns loudly when it starts.
        discovery_auth: Whether discovery needs a JWT too.
        issuers: The CDS Clients allowed to call.
        audit_db: The SQLite audit log's file.
        record_answers: Whether the audit log keeps the answers and the
            clinicians' comments (otherwise only a hash of the input).
        interview_url: The web interview's address, linked from cards.
        cors_origins: The browser origins allowed to call.
        fhir_timeout_seconds: How long to wait for a client's FHIR server.

    .. versionadded:: 0.1.0
    """

    enabled: bool = attrs.field(
        default=True, validator=_kind(bool, "true or false")
    )
    base_url: str | None = attrs.field(default=None, validator=_url)
    auth: bool = attrs.field(
        default=True, validator=_kind(bool, "true or false")
    )
    discovery_auth: bool = attrs.field(
        default=False, validator=_kind(bool, "true or false")
    )
    issuers: tuple[IssuerConfig, ...] = ()
    audit_db: str = attrs.field(
        default="spasmcare-audit.sqlite3", validator=_kind(str, "a file name")
    )
    record_answers: bool = attrs.field(
        default=False, validator=_kind(bool, "true or false")
    )
    interview_url: str | None = attrs.field(default=None, validator=_url)
    cors_origins: tuple[str, ...] = attrs.field(
        default=("*",), validator=_texts
    )
    fhir_timeout_seconds: int = attrs.field(
        default=5, validator=_kind(int, "a whole number")
    )

    def warnings(self) -> list[str]:
        """
        What is unsafe about these settings, to print loudly at start.
        """
        found = []
        if not self.auth:
            found.append(
                "CDS HOOKS AUTHENTICATION IS OFF: anyone who can reach this "
                "service can call it. For local development only."
            )
        elif not self.issuers:
            found.append(
                "no CDS Client is allowed ([[cds.issuers]] is empty): every hook call gets 401"
            )
        if self.base_url is None:
            found.append(
                "cds.base_url is not set: JWT audiences are checked against the request's own URL"
            )
        if self.record_answers:
            found.append(
                "cds.record_answers is on: the audit log keeps patients' answers"
            )
        return found
