"""Passwords, access tokens and refresh tokens.

- Passwords: argon2id with argon2-cffi's defaults; the ``fast`` profile exists only
  so that tests do not spend 64 MiB and a tenth of a second per hash.
- Sessions: each sign-in is a row of ``sessions``. Its refresh tokens are one family
  and its access tokens name it in the ``sid`` claim.
- Access tokens: short-lived JWTs per RFC 8725 - one algorithm allowed, audience,
  issuer, the standard claims and ``sid`` required, explicitly typed ``at+jwt``.
- Refresh tokens: 256 random bits, stored only as a sha256 hash. Each use rotates
  the token; using a revoked one again means it was stolen, so the session ends.

Ending a session (sign-out, or refresh-token reuse) revokes its refresh tokens and
sets its ``ended_at``. Every authenticated request reads the user together with the
session in one query, so the session's access tokens are refused from the next
request on, not when they expire. For the same reason authorization reads the role
from the database, not from the token: taking a role away takes effect at once.
"""

import hashlib
import secrets
import uuid
from datetime import UTC, datetime, timedelta
from functools import lru_cache

import jwt
import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app, g, request
from sqlalchemy.orm import Session

from chassis.errors import Forbidden
from gateway import db
from gateway.problems import Unauthenticated
from gateway.settings import GatewaySettings

ALGORITHM = "HS256"
TOKEN_TYPE = "at+jwt"


# --- passwords ---------------------------------------------------------------


@lru_cache
def hasher(profile: str = "default") -> PasswordHasher:
    if profile == "fast":
        return PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1)
    return PasswordHasher()


@lru_cache
def _dummy_hash(profile: str) -> str:
    return hasher(profile).hash(secrets.token_urlsafe(16))


def hash_password(password: str, profile: str = "default") -> str:
    return hasher(profile).hash(password)


def verify_password(password_hash: str | None, password: str, profile: str = "default") -> bool:
    """Check a password; with no hash (unknown email) still spend the time of one check."""
    try:
        return hasher(profile).verify(password_hash or _dummy_hash(profile), password) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str, profile: str = "default") -> bool:
    return hasher(profile).check_needs_rehash(password_hash)


# --- access tokens -----------------------------------------------------------


def encode_access_token(
    settings: GatewaySettings, user_id: str, role: str, session_id: str, now: datetime | None = None
) -> str:
    now = now or datetime.now(UTC)
    claims = {
        "sub": str(user_id),
        "sid": str(session_id),
        "role": role,
        "jti": uuid.uuid4().hex,
        "iat": now,
        "exp": now + timedelta(minutes=settings.access_token_minutes),
        "iss": settings.jwt_issuer,
        "aud": settings.jwt_audience,
    }
    return jwt.encode(claims, settings.secret_key, algorithm=ALGORITHM, headers={"typ": TOKEN_TYPE})


def decode_access_token(settings: GatewaySettings, token: str) -> dict:
    """The verified claims, or ``Unauthenticated`` for anything forged, expired or mistyped."""
    try:
        # one parse gives both the header and the claims
        decoded = jwt.api_jwt.decode_complete(
            token,
            settings.secret_key,
            algorithms=[ALGORITHM],
            audience=settings.jwt_audience,
            issuer=settings.jwt_issuer,
            options={"require": ["exp", "iat", "iss", "aud", "sub", "sid"]},
        )
        if decoded["header"].get("typ") != TOKEN_TYPE:
            raise Unauthenticated("The access token is not valid.")
        return decoded["payload"]
    except jwt.ExpiredSignatureError:
        raise Unauthenticated("The access token has expired.") from None
    except jwt.InvalidTokenError:
        raise Unauthenticated("The access token is not valid.") from None


# --- refresh tokens ----------------------------------------------------------


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_tokens(
    session: Session, settings: GatewaySettings, user_id, role: str, session_id=None
) -> tuple[dict, uuid.UUID]:
    """A new access token and refresh token in ``session_id``, or in a new session (a sign-in);
    the caller commits. Returns (pair, refresh row id)."""
    if session_id is None:
        session_id = session.scalar(sa.insert(db.sessions).values(user_id=user_id).returning(db.sessions.c.id))
    refresh = secrets.token_urlsafe(32)
    row_id = session.scalar(
        sa.insert(db.refresh_tokens)
        .values(
            user_id=user_id,
            token_hash=token_hash(refresh),
            family_id=session_id,
            expires_at=datetime.now(UTC) + timedelta(days=settings.refresh_token_days),
        )
        .returning(db.refresh_tokens.c.id)
    )
    pair = {
        "access_token": encode_access_token(settings, user_id, role, session_id),
        "refresh_token": refresh,
        "token_type": "Bearer",
        "expires_in": settings.access_token_minutes * 60,
    }
    return pair, row_id


def rotate_refresh_token(session: Session, settings: GatewaySettings, refresh: str) -> dict:
    """Trade a refresh token for a new pair; reuse of a revoked one ends its session."""
    rt = db.refresh_tokens
    row = session.execute(
        sa.select(rt, db.users.c.role, db.sessions.c.ended_at)
        .join(db.users, db.users.c.id == rt.c.user_id)
        .join(db.sessions, db.sessions.c.id == rt.c.family_id)
        .where(rt.c.token_hash == token_hash(refresh))
        .with_for_update(of=rt)
    ).one_or_none()
    if row is None or row.ended_at is not None:  # ended: also a rotation that raced the sign-out
        raise Unauthenticated("The refresh token is not valid.")
    now = datetime.now(UTC)
    if row.revoked_at is not None:
        _end_session(session, row.family_id, now)
        session.commit()
        raise Unauthenticated("The refresh token is not valid.")
    if row.expires_at <= now:
        raise Unauthenticated("The refresh token has expired.")
    pair, new_id = issue_tokens(session, settings, row.user_id, row.role, session_id=row.family_id)
    session.execute(sa.update(rt).where(rt.c.id == row.id).values(revoked_at=now, replaced_by=new_id))
    session.commit()
    return pair


def revoke_refresh_token(session: Session, refresh: str) -> None:
    """Sign out: end the token's session. Unknown tokens are ignored (nothing to reveal)."""
    session_id = session.scalar(
        sa.select(db.refresh_tokens.c.family_id).where(db.refresh_tokens.c.token_hash == token_hash(refresh))
    )
    if session_id is not None:
        _end_session(session, session_id, datetime.now(UTC))
        session.commit()


def _end_session(session: Session, session_id, now: datetime) -> None:
    """Its access tokens are refused from now on, and its refresh tokens revoked."""
    s, rt = db.sessions, db.refresh_tokens
    session.execute(sa.update(s).where(s.c.id == session_id, s.c.ended_at.is_(None)).values(ended_at=now))
    session.execute(sa.update(rt).where(rt.c.family_id == session_id, rt.c.revoked_at.is_(None)).values(revoked_at=now))


# --- the current user --------------------------------------------------------


def require_user(*roles: str) -> dict:
    """The signed-in user (401 if none), who must have one of ``roles`` if any are given (403)."""
    user = g.get("user")
    if user is None:
        user = _load_user(bearer_token())
        g.user = user
    if roles and user["role"] not in roles:
        raise Forbidden("Your role may not use this route.")
    return user


def current_actor() -> dict:
    """``{"id", "role"}`` of the signed-in user, to pass along in RPC calls."""
    user = require_user()
    return {"id": user["id"], "role": user["role"]}


def bearer_token() -> str:
    """The token of the request's ``Authorization: Bearer`` header, or ``Unauthenticated``."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthenticated()
    return token.strip()


# One round trip: the user, only while the token's session is live.
_USER_IN_LIVE_SESSION = (
    sa.select(db.users.c.id, db.users.c.email, db.users.c.name, db.users.c.role, db.users.c.locale)
    .join(db.sessions, db.sessions.c.user_id == db.users.c.id)
    .where(
        db.users.c.id == sa.bindparam("id"),
        db.sessions.c.id == sa.bindparam("sid"),
        db.sessions.c.ended_at.is_(None),
    )
)


def _load_user(token: str) -> dict:
    claims = decode_access_token(current_app.extensions["settings"], token)
    try:
        user_id, session_id = uuid.UUID(claims["sub"]), uuid.UUID(claims["sid"])
    except (ValueError, TypeError, AttributeError):
        raise Unauthenticated("The access token is not valid.") from None
    with db.reader() as conn:
        row = conn.execute(_USER_IN_LIVE_SESSION, {"id": user_id, "sid": session_id}).one_or_none()
    if row is None:
        raise Unauthenticated("The session has ended (signed out, or the account is gone); sign in again.")
    return {**row._asdict(), "id": str(row.id)}
