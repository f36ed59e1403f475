"""Access tokens per RFC 8725: one algorithm, audience, issuer and claims required."""

import base64
import json
from datetime import UTC, datetime, timedelta

import jwt
import pytest

from gateway.auth import decode_access_token, encode_access_token, token_hash
from gateway.problems import Unauthenticated
from gateway.settings import GatewaySettings

USER_ID = "9b7f4a53-4a4b-4c3e-8f5e-1a2b3c4d5e6f"
SESSION_ID = "0c1d2e3f-4a5b-4c6d-8e7f-809192a3b4c5"


@pytest.fixture
def settings():
    return GatewaySettings(secret_key="k" * 64)


def claims(settings, **overrides):
    now = datetime.now(UTC)
    values = {
        "sub": USER_ID,
        "sid": SESSION_ID,
        "role": "citizen",
        "jti": "x",
        "iat": now,
        "exp": now + timedelta(minutes=5),
        "iss": settings.jwt_issuer,
        "aud": settings.jwt_audience,
    }
    values.update(overrides)
    return {k: v for k, v in values.items() if v is not None}


def forge(settings, key=None, algorithm="HS256", typ="at+jwt", **overrides):
    return jwt.encode(
        claims(settings, **overrides), key or settings.secret_key, algorithm=algorithm, headers={"typ": typ}
    )


def test_round_trip(settings):
    decoded = decode_access_token(settings, encode_access_token(settings, USER_ID, "operator", SESSION_ID))
    assert decoded["sub"] == USER_ID
    assert decoded["sid"] == SESSION_ID
    assert decoded["role"] == "operator"
    assert decoded["exp"] - decoded["iat"] == settings.access_token_minutes * 60


def test_alg_none_is_refused(settings):
    header = base64.urlsafe_b64encode(json.dumps({"alg": "none", "typ": "at+jwt"}).encode()).rstrip(b"=")
    payload = {**claims(settings), "iat": 1, "exp": 4_000_000_000}
    body = base64.urlsafe_b64encode(json.dumps(payload).encode()).rstrip(b"=")
    with pytest.raises(Unauthenticated):
        decode_access_token(settings, f"{header.decode()}.{body.decode()}.")


@pytest.mark.parametrize(
    "token",
    [
        lambda s: forge(s, aud="someone-else"),
        lambda s: forge(s, iss="evil"),
        lambda s: forge(s, key="w" * 64),
        lambda s: forge(s, typ="JWT"),
        lambda s: forge(s, algorithm="HS512"),
        lambda s: forge(s, sub=None),
        lambda s: forge(s, iat=None),
        lambda s: forge(s, sid=None),
        lambda s: "not.a.token",
    ],
    ids=["audience", "issuer", "key", "typ", "algorithm", "no-sub", "no-iat", "no-sid", "garbage"],
)
def test_forged_tokens_are_refused(settings, token):
    with pytest.raises(Unauthenticated, match="not valid"):
        decode_access_token(settings, token(settings))


def test_expired_token_is_refused(settings):
    past = datetime.now(UTC) - timedelta(hours=1)
    token = encode_access_token(settings, USER_ID, "citizen", SESSION_ID, now=past)
    with pytest.raises(Unauthenticated, match="expired"):
        decode_access_token(settings, token)


def test_refresh_tokens_are_stored_as_sha256_hex():
    assert len(token_hash("abc")) == 64
    assert token_hash("abc") != token_hash("abd")
