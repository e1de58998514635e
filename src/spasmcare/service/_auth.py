# SPDX-License-Identifier: MIT
"""
Verifying a CDS Client's JWT, as CDS Hooks 2.0 specifies ("Trusting CDS
Clients"), with PyJWT.

- ``alg`` is one of ES384, RS384 (recommended), ES256 or RS256;
  ``none`` and every HMAC algorithm are refused;
- the header has ``kid`` and ``typ: JWT``; ``jku``, when sent, must be on
  the issuer's allowlist;
- ``iss`` must be on the allowlist; the key is found by ``kid`` in the
  issuer's JWK Set (given in the configuration, or fetched from its
  ``jku`` and cached by ``kid``; an unknown ``kid`` refetches once, for
  key rotation);
- ``aud`` must be the URL of the endpoint called;
- ``exp`` and ``iat`` are required and checked with a leeway (60 s);
- ``jti`` is required and remembered until the token expires:
  a token seen before is refused (replay).

Every failure is an :class:`AuthenticationError` whose reason is for the
server's log only; the client gets a bare 401.
"""

from __future__ import annotations

import heapq
import threading
import time
from collections.abc import Awaitable, Callable, Iterable, Mapping
from typing import Any

import attrs
import jwt

__all__ = [
    "ALGORITHMS",
    "AuthenticationError",
    "Issuer",
    "JWTVerifier",
]

#: The signature algorithms accepted (asymmetric only).
ALGORITHMS = ("ES384", "RS384", "ES256", "RS256")

#: Seconds of clock skew allowed on ``exp`` and ``iat``.
LEEWAY = 60

#: Longest lifetime accepted for a token, in seconds (the sandbox uses 300).
MAX_LIFETIME = 3600

#: Fewest seconds between two fetches of the same JWK Set.
_REFETCH_SECONDS = 30

Fetch = Callable[[str], Awaitable[Mapping[str, Any]]]


class AuthenticationError(Exception):
    """
    A request's JWT was missing or not acceptable.

    Attributes:
        reason: Why, for the server's log (never sent to the client).

    .. versionadded:: 0.1.0
    """

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


@attrs.frozen(kw_only=True)
class Issuer:
    """
    A CDS Client allowed to call the service.

    Attributes:
        iss: Its ``iss`` claim.
        jwks: Its public JWK Set, if exchanged out of band.
        jku: The JWK Set URLs it may name in ``jku`` (and from which the
            set is fetched when *jwks* is not given).

    .. versionadded:: 0.1.0
    """

    iss: str
    jwks: Mapping[str, Any] | None = None
    jku: tuple[str, ...] = ()


class JWTVerifier:
    """
    Checks the JWTs of the CDS Clients on an allowlist.

    Args:
        issuers: The allowed clients.
        fetch: Reads a JWK Set from a URL (the service passes an httpx
            client's); needed only for issuers without *jwks*.
        clock: Seconds since the epoch (tests pass their own).
        leeway: Seconds of clock skew allowed.

    .. versionadded:: 0.1.0
    """

    def __init__(
        self,
        issuers: Iterable[Issuer],
        *,
        fetch: Fetch | None = None,
        clock: Callable[[], float] = time.time,
        leeway: int = LEEWAY,
    ) -> None:
        self._issuers = {issuer.iss: issuer for issuer in issuers}
        self._fetch = fetch
        self._clock = clock
        self._leeway = leeway
        self._keys: dict[tuple[str, str], jwt.PyJWK] = {}
        self._fetched: dict[str, float] = {}
        # The jtis seen, each until its token expires (plus the leeway),
        # and the same entries as a heap by expiry, so that forgetting the
        # expired ones costs O(log n) a call, not a scan of every entry.
        self._seen: dict[tuple[str, str], float] = {}
        self._expiring: list[tuple[float, str, str]] = []
        self._lock = threading.Lock()
        for issuer in self._issuers.values():
            if issuer.jwks is not None:
                self._load(issuer.iss, issuer.jwks)

    def _load(self, iss: str, jwks: Mapping[str, Any]) -> None:
        for jwk in jwks.get("keys") or ():
            kid = jwk.get("kid") if isinstance(jwk, Mapping) else None
            if not isinstance(kid, str):
                continue
            try:
                key = jwt.PyJWK(dict(jwk))
            except jwt.PyJWTError:
                continue  # a key we cannot use: as if it were not there
            self._keys[iss, kid] = key

    async def _key(
        self, issuer: Issuer, kid: str, jku: str | None
    ) -> jwt.PyJWK:
        key = self._keys.get((issuer.iss, kid))
        if key is not None:
            return key
        url = jku or (issuer.jku[0] if issuer.jku else None)
        if url is None or self._fetch is None or issuer.jwks is not None:
            raise AuthenticationError(
                f"unknown kid {kid!r} for issuer {issuer.iss!r}"
            )
        now = self._clock()
        if now - self._fetched.get(url, -_REFETCH_SECONDS) < _REFETCH_SECONDS:
            raise AuthenticationError(
                f"unknown kid {kid!r} (JWK Set fetched recently)"
            )
        self._fetched[url] = now
        try:
            jwks = await self._fetch(url)
        except Exception as error:  # noqa: BLE001 (any failure is a 401)
            raise AuthenticationError(
                f"cannot fetch JWK Set {url}: {type(error).__name__}"
            ) from None
        self._load(issuer.iss, jwks)
        key = self._keys.get((issuer.iss, kid))
        if key is None:
            raise AuthenticationError(
                f"kid {kid!r} not in the JWK Set at {url}"
            )
        return key

    async def verify(
        self, authorization: str | None, *, audience: Iterable[str]
    ) -> Mapping[str, Any]:
        """
        Check an ``Authorization`` header's bearer token.

        Args:
            authorization: The header's value, if sent.
            audience: The URLs accepted as ``aud`` (the endpoint called).

        Returns:
            The token's claims.

        Raises:
            AuthenticationError: The token is missing or not acceptable.
        """
        token = _bearer(authorization)
        try:
            # One parse for the header and the claims used to find the key
            # (the signature is checked below, by PyJWT, with that key).
            parsed = jwt.decode_complete(
                token, options={"verify_signature": False}
            )
            header, unverified = parsed["header"], parsed["payload"]
        except jwt.PyJWTError:
            raise AuthenticationError("malformed JWT") from None
        alg = header.get("alg")
        if alg not in ALGORITHMS:
            raise AuthenticationError(f"alg {alg!r} not allowed")
        if str(header.get("typ", "")).upper() != "JWT":
            raise AuthenticationError("typ must be JWT")
        kid = header.get("kid")
        if not isinstance(kid, str) or not kid:
            raise AuthenticationError("kid missing")
        iss = unverified.get("iss")
        issuer = self._issuers.get(iss) if isinstance(iss, str) else None
        if issuer is None:
            raise AuthenticationError(f"issuer {iss!r} not on the allowlist")
        jku = header.get("jku")
        if jku is not None and jku not in issuer.jku:
            raise AuthenticationError(f"jku {jku!r} not on the allowlist")
        key = await self._key(issuer, kid, jku)
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                key.key,
                algorithms=[alg],
                audience=list(audience),
                issuer=issuer.iss,
                leeway=self._leeway,
                options={"require": ["iss", "aud", "exp", "iat", "jti"]},
            )
        except jwt.PyJWTError as error:
            raise AuthenticationError(
                f"rejected: {type(error).__name__}"
            ) from None
        now = self._clock()
        if claims["exp"] - claims["iat"] > MAX_LIFETIME:
            raise AuthenticationError("lifetime too long")
        self._remember(issuer.iss, claims["jti"], claims["exp"], now)
        return claims

    def _remember(self, iss: str, jti: Any, exp: float, now: float) -> None:
        if not jti:  # PyJWT has checked that it is text
            raise AuthenticationError("jti must not be empty")
        with self._lock:
            expiring = self._expiring
            while expiring and expiring[0][0] + self._leeway < now:
                _, old_iss, old_jti = heapq.heappop(expiring)
                del self._seen[old_iss, old_jti]
            if (iss, jti) in self._seen:
                raise AuthenticationError("jti replayed")
            self._seen[iss, jti] = exp
            heapq.heappush(expiring, (exp, iss, jti))


def _bearer(authorization: str | None) -> str:
    if authorization is None:
        raise AuthenticationError("no Authorization header")
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise AuthenticationError("not a Bearer token")
    return token.strip()
