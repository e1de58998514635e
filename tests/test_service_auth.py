# SPDX-License-Identifier: MIT
"""
JWT verification as CDS Hooks 2.0 "Trusting CDS Clients" asks, with keys
generated in the tests.
"""

from __future__ import annotations

import asyncio
import base64
import json
import time
from collections.abc import Mapping
from typing import Any

import jwt
import pytest

from spasmcare.service._auth import (
    AuthenticationError,
    Issuer,
    JWTVerifier,
)

from .jwt_keys import ISSUER, JKU, Client

AUD = "https://cds.example.org/cds-services/spasmcare"


def verify(
    verifier: JWTVerifier, token: str | None, aud: str = AUD
) -> Mapping[str, Any]:
    """
    Run the verifier on a bearer token.
    """
    header = None if token is None else f"Bearer {token}"
    return asyncio.run(verifier.verify(header, audience=[aud]))


def refused(verifier: JWTVerifier, header: str | None) -> str:
    """
    The reason the verifier refuses *header*.
    """
    with pytest.raises(AuthenticationError) as error:
        asyncio.run(verifier.verify(header, audience=[AUD]))
    return error.value.reason


@pytest.fixture(scope="module")
def client() -> Client:
    """
    A CDS Client with freshly generated keys.
    """
    return Client()


@pytest.fixture
def verifier(client: Client) -> JWTVerifier:
    """
    A verifier trusting *client* by its JWK Set, given out of band.
    """
    return JWTVerifier([Issuer(iss=ISSUER, jwks=client.jwks())])


def _b64(data: dict[str, Any]) -> str:
    raw = json.dumps(data).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


class TestGoodTokens:
    """
    A well-made token is accepted, once.
    """

    @pytest.mark.parametrize(
        ("alg", "kid"), [("ES384", "ec-1"), ("RS256", "rsa-1")]
    )
    def test_good_token_is_accepted(
        self, client: Client, verifier: JWTVerifier, alg: str, kid: str
    ) -> None:
        """
        ES384 and RS256 tokens for the endpoint are accepted; the claims
        come back.
        """
        claims = verify(verifier, client.token(AUD, alg=alg, kid=kid))

        assert ISSUER == claims["iss"]

    def test_audience_may_be_a_list(
        self, client: Client, verifier: JWTVerifier
    ) -> None:
        """
        aud may be an array holding the endpoint's URL.
        """
        assert verify(verifier, client.token(["https://other", AUD]))

    def test_replayed_token_is_refused(
        self, client: Client, verifier: JWTVerifier
    ) -> None:
        """
        The same jti twice: the second is refused.
        """
        token = client.token(AUD)
        verify(verifier, token)

        assert "jti replayed" == refused(verifier, f"Bearer {token}")

    def test_clock_skew_within_leeway_is_accepted(
        self, client: Client, verifier: JWTVerifier
    ) -> None:
        """
        A token issued 30 s in the future, or expired 30 s ago, is fine.
        """
        assert verify(verifier, client.token(AUD, now=time.time() + 30))
        assert verify(
            verifier, client.token(AUD, now=time.time() - 330, lifetime=300)
        )

    def test_old_jtis_are_forgotten(self, client: Client) -> None:
        """
        A jti is remembered until its token expires (plus the leeway),
        then forgotten; a live one is still refused.
        """
        now = [time.time()]
        verifier = JWTVerifier(
            [Issuer(iss=ISSUER, jwks=client.jwks())], clock=lambda: now[0]
        )
        old = [client.token(AUD, lifetime=60) for _ in range(5)]
        for token in old:
            verify(verifier, token)
        remembered = len(verifier._seen)
        now[0] += 60 + 70  # past their expiry and the leeway
        live = client.token(AUD, lifetime=300)
        verify(verifier, live)

        assert 5 == remembered
        assert 1 == len(verifier._seen) == len(verifier._expiring)
        assert "jti replayed" == refused(verifier, f"Bearer {live}")

    def test_a_jti_is_kept_until_its_leeway_ends(self, client: Client) -> None:
        """
        Within the leeway after its expiry a token could still be
        accepted, so its jti is still remembered (and a replay refused).
        """
        now = [time.time()]
        verifier = JWTVerifier(
            [Issuer(iss=ISSUER, jwks=client.jwks())], clock=lambda: now[0]
        )
        token = client.token(AUD, lifetime=60)
        verify(verifier, token)
        now[0] += 60 + 50  # expired, but within the leeway
        verify(verifier, client.token(AUD))

        assert "jti replayed" == refused(verifier, f"Bearer {token}")

    def test_many_live_jtis_are_all_remembered(self, client: Client) -> None:
        """
        No cap: with more than a thousand live tokens seen, each one is
        still refused when replayed.
        """
        verifier = JWTVerifier([Issuer(iss=ISSUER, jwks=client.jwks())])
        for i in range(1100):
            verifier._remember(
                ISSUER, f"jti-{i}", time.time() + 300, time.time()
            )

        for i in (0, 555, 1099):
            with pytest.raises(AuthenticationError, match="jti replayed"):
                verifier._remember(
                    ISSUER, f"jti-{i}", time.time() + 300, time.time()
                )
        assert 1100 == len(verifier._seen)


class TestBadTokens:
    """
    Each way a token can be wrong is refused, without detail for the
    client (the reason is for the log).
    """

    def test_expired(self, client: Client, verifier: JWTVerifier) -> None:
        """
        Expired beyond the leeway.
        """
        token = client.token(AUD, now=time.time() - 400, lifetime=300)

        assert "ExpiredSignature" in refused(verifier, f"Bearer {token}")

    def test_issued_in_the_future(
        self, client: Client, verifier: JWTVerifier
    ) -> None:
        """
        iat more than the leeway ahead.
        """
        token = client.token(AUD, now=time.time() + 200)

        assert "rejected" in refused(verifier, f"Bearer {token}")

    def test_wrong_audience(
        self, client: Client, verifier: JWTVerifier
    ) -> None:
        """
        A token for another endpoint.
        """
        token = client.token("https://cds.example.org/cds-services")

        assert "InvalidAudience" in refused(verifier, f"Bearer {token}")

    def test_alg_none(self, verifier: JWTVerifier) -> None:
        """
        alg none is never accepted.
        """
        token = (
            _b64({"alg": "none", "typ": "JWT", "kid": "ec-1"})
            + "."
            + _b64({"iss": ISSUER, "aud": AUD, "exp": time.time() + 60})
            + "."
        )

        assert "alg 'none'" in refused(verifier, f"Bearer {token}")

    def test_hs256(self, verifier: JWTVerifier) -> None:
        """
        HMAC (symmetric) algorithms are refused, whatever the secret.
        """
        token = jwt.encode(
            {"iss": ISSUER, "aud": AUD},
            "a-shared-secret-of-32-bytes-long!",
            algorithm="HS256",
            headers={"kid": "ec-1"},
        )

        assert "alg 'HS256'" in refused(verifier, f"Bearer {token}")

    def test_unknown_kid(self, client: Client, verifier: JWTVerifier) -> None:
        """
        A kid not in the JWK Set.
        """
        token = client.token(AUD, kid="ec-9")

        assert "unknown kid" in refused(verifier, f"Bearer {token}")

    def test_issuer_not_on_the_allowlist(self, verifier: JWTVerifier) -> None:
        """
        A client that is not trusted, however well it signs.
        """
        token = Client("https://intruder.example").token(AUD)

        assert "not on the allowlist" in refused(verifier, f"Bearer {token}")

    def test_signature_by_another_key(self, verifier: JWTVerifier) -> None:
        """
        The trusted issuer's name with someone else's key.
        """
        token = Client().token(AUD)

        assert "InvalidSignature" in refused(verifier, f"Bearer {token}")

    @pytest.mark.parametrize(
        ("changes", "reason"),
        [
            ({"kid": None}, "kid missing"),
            ({"headers": {"typ": "at+jwt"}}, "typ must be JWT"),
            ({"lifetime": 7200}, "lifetime too long"),
            ({"jti": ""}, "jti must not be empty"),
            ({"headers": {"jku": "https://evil.example/jwks"}}, "jku"),
        ],
    )
    def test_header_and_claim_rules(
        self,
        client: Client,
        verifier: JWTVerifier,
        changes: dict[str, Any],
        reason: str,
    ) -> None:
        """
        kid and typ are required, lifetimes are bounded, jti must be
        present, jku must be on the allowlist.
        """
        token = client.token(AUD, **changes)

        assert reason in refused(verifier, f"Bearer {token}")

    def test_jti_must_be_text(
        self, client: Client, verifier: JWTVerifier
    ) -> None:
        """
        A numeric jti is not a nonce we can keep.
        """
        token = client.token(AUD)
        payload = jwt.decode(token, options={"verify_signature": False})
        payload["jti"] = 7
        bad = jwt.encode(
            payload,
            client.ec_key,
            algorithm="ES384",
            headers={"kid": "ec-1", "typ": "JWT"},
        )

        assert "InvalidJTI" in refused(verifier, f"Bearer {bad}")

    @pytest.mark.parametrize(
        ("header", "reason"),
        [
            (None, "no Authorization header"),
            ("Basic abc", "not a Bearer token"),
            ("Bearer ", "not a Bearer token"),
            ("Bearer not-a-jwt", "malformed JWT"),
        ],
    )
    def test_missing_or_malformed(
        self, verifier: JWTVerifier, header: str | None, reason: str
    ) -> None:
        """
        No token, another scheme, or garbage.
        """
        assert reason == refused(verifier, header)


class TestJwkSetFetching:
    """
    Issuers that publish their keys at a jku on the allowlist.
    """

    def make(
        self, client: Client
    ) -> tuple[JWTVerifier, list[str], list[float]]:
        """
        A verifier that fetches *client*'s JWK Set, counting fetches.
        """
        fetched: list[str] = []
        now = [time.time()]
        jwks = client.jwks()

        async def fetch(url: str) -> Mapping[str, Any]:
            fetched.append(url)
            if url != JKU:
                raise OSError(url)
            return {
                "keys": [
                    *jwks["keys"],
                    {"kty": "oct"},
                    {"kid": "bad", "kty": "EC"},
                ]
            }

        verifier = JWTVerifier(
            [Issuer(iss=ISSUER, jku=(JKU, "https://ehr.example.org/down"))],
            fetch=fetch,
            clock=lambda: now[0],
        )
        return verifier, fetched, now

    def test_keys_are_fetched_once_and_cached_by_kid(
        self, client: Client
    ) -> None:
        """
        The first token fetches the set; later ones use the cache.
        """
        verifier, fetched, _ = self.make(client)

        verify(verifier, client.token(AUD))
        verify(verifier, client.token(AUD, headers={"jku": JKU}))
        verify(verifier, client.token(AUD, alg="RS256", kid="rsa-1"))

        assert [JKU] == fetched

    def test_unknown_kid_refetches_at_most_every_30_seconds(
        self, client: Client
    ) -> None:
        """
        A kid missing from the set refetches (key rotation), but not
        more often than every 30 s.
        """
        verifier, fetched, now = self.make(client)
        verify(verifier, client.token(AUD))
        now[0] += 31

        first = refused(verifier, f"Bearer {client.token(AUD, kid='ec-2')}")
        second = refused(verifier, f"Bearer {client.token(AUD, kid='ec-3')}")
        now[0] += 31
        third = refused(verifier, f"Bearer {client.token(AUD, kid='ec-4')}")

        assert "not in the JWK Set" in first
        assert "fetched recently" in second
        assert "not in the JWK Set" in third
        assert [JKU, JKU, JKU] == fetched

    def test_fetch_failure_is_a_refusal(self, client: Client) -> None:
        """
        A JWK Set that cannot be fetched refuses the token.
        """
        verifier, _, _ = self.make(client)
        token = client.token(
            AUD, headers={"jku": "https://ehr.example.org/down"}
        )

        assert "cannot fetch JWK Set" in refused(verifier, f"Bearer {token}")

    def test_without_fetch_an_unknown_key_is_refused(
        self, client: Client
    ) -> None:
        """
        An issuer with a jku but no way to fetch it.
        """
        verifier = JWTVerifier([Issuer(iss=ISSUER, jku=(JKU,))])

        assert "unknown kid" in refused(
            verifier, f"Bearer {client.token(AUD)}"
        )
