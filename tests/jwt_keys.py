# SPDX-License-Identifier: MIT
"""
Keys and JWTs made in the tests, as a CDS Client would make them.
"""

from __future__ import annotations

import time
import uuid
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from jwt.algorithms import ECAlgorithm, RSAAlgorithm

ISSUER = "https://ehr.example.org"
JKU = "https://ehr.example.org/.well-known/jwks.json"


class Client:
    """
    A CDS Client with its own EC P-384 (ES384) and RSA (RS256) keys.
    """

    def __init__(self, iss: str = ISSUER) -> None:
        self.iss = iss
        self.ec_key = ec.generate_private_key(ec.SECP384R1())
        self.rsa_key = rsa.generate_private_key(
            public_exponent=65537, key_size=2048
        )

    def jwks(self) -> dict[str, Any]:
        """
        The client's public JWK Set.
        """
        ec_jwk = ECAlgorithm.to_jwk(self.ec_key.public_key(), as_dict=True)
        rsa_jwk = RSAAlgorithm.to_jwk(self.rsa_key.public_key(), as_dict=True)
        return {
            "keys": [
                {**ec_jwk, "kid": "ec-1", "alg": "ES384", "use": "sig"},
                {**rsa_jwk, "kid": "rsa-1", "alg": "RS256", "use": "sig"},
            ]
        }

    def token(
        self,
        aud: str | list[str],
        *,
        alg: str = "ES384",
        kid: str | None = "ec-1",
        now: float | None = None,
        lifetime: int = 300,
        jti: str | None = None,
        headers: dict[str, Any] | None = None,
        **claims: Any,
    ) -> str:
        """
        A signed JWT for *aud*, as CDS Hooks 2.0 asks (``iss``, ``aud``,
        ``exp``, ``iat``, ``jti``; header ``kid`` and ``typ``).
        """
        issued = int(time.time() if now is None else now)
        payload: dict[str, Any] = {
            "iss": self.iss,
            "aud": aud,
            "iat": issued,
            "exp": issued + lifetime,
            "jti": str(uuid.uuid4()) if jti is None else jti,
            **claims,
        }
        header: dict[str, Any] = {"typ": "JWT", **(headers or {})}
        if kid is not None:
            header["kid"] = kid
        key: Any = self.rsa_key if alg.startswith("RS") else self.ec_key
        return jwt.encode(payload, key, algorithm=alg, headers=header)
