"""Accounts: register, sign in, refresh, sign out, the caller's profile, and user admin.

``auth`` holds the credential routes, which the app rate-limits more strictly
(``CS_RATE_LIMIT_AUTH``); ``users`` holds the rest.
"""

import logging
from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

import sqlalchemy as sa
from flask import Blueprint, current_app
from pydantic import EmailStr, Field, StringConstraints
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.exc import IntegrityError

from chassis.errors import Conflict, NotFound
from gateway import auth, db
from gateway.api import ANYONE, EmailOut, Input, Output, Paging, endpoint
from gateway.problems import Unauthenticated

log = logging.getLogger(__name__)
auth_bp = Blueprint("auth", __name__)
users_bp = Blueprint("users", __name__)

Role = Literal["citizen", "operator", "admin"]
Locale = Literal["ko", "en"]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
Phone = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^\+?[0-9][0-9 -]{6,19}$")]
Token = Annotated[str, StringConstraints(min_length=1, max_length=256)]


class RegisterIn(Input):
    email: EmailStr
    password: Annotated[str, StringConstraints(min_length=10, max_length=128)]
    name: Name
    phone: Phone | None = None
    locale: Locale = "ko"


class LoginIn(Input):
    # any text is looked up (and what is not a registered address is a 401), so only its length is checked
    email: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=320)] = Field(
        json_schema_extra={"format": "email"}
    )
    password: Annotated[str, StringConstraints(min_length=1, max_length=1024)]


class RefreshIn(Input):
    refresh_token: Token


class RoleIn(Input):
    role: Role


class UsersQuery(Paging):
    q: Annotated[str, StringConstraints(strip_whitespace=True, max_length=100)] | None = None
    role: Role | None = None


class UserOut(Output):
    id: UUID
    email: EmailOut
    name: str
    role: Role
    locale: Locale


class AdminUserOut(UserOut):
    phone: str | None = None
    created_at: datetime


class UserPage(Output):
    items: list[AdminUserOut]
    total: int
    page: int
    page_size: int


class TokenPair(Output):
    access_token: str
    refresh_token: str
    token_type: Literal["Bearer"] = "Bearer"
    expires_in: int


class Registered(TokenPair):
    user: UserOut


def _settings():
    return current_app.extensions["settings"]


@endpoint(
    auth_bp,
    "POST",
    "/api/v1/auth/register",
    body=RegisterIn,
    response=Registered,
    status=201,
    tags=["accounts"],
    errors=[409],
)
def register(body: RegisterIn):
    """Create a citizen account and sign it in."""
    session, settings = db.session(), _settings()
    values = body.model_dump(include={"name", "phone", "locale"})
    values |= {
        "email": body.email.lower(),
        "role": "citizen",
        "password_hash": auth.hash_password(body.password, settings.argon2_profile),
    }
    try:
        user = session.execute(sa.insert(db.users).values(**values).returning(db.users)).one()
    except IntegrityError:
        session.rollback()
        raise Conflict(
            "An account with this email already exists.",
            {"errors": [{"field": "email", "message": "already registered"}]},
        ) from None
    pair, _ = auth.issue_tokens(session, settings, user.id, user.role)
    session.commit()
    return {**pair, "user": user}


@endpoint(auth_bp, "POST", "/api/v1/auth/login", body=LoginIn, response=TokenPair, tags=["accounts"], errors=[401])
def login(body: LoginIn):
    """Trade an email and password for an access token and a refresh token."""
    session, settings = db.session(), _settings()
    user = session.execute(sa.select(db.users).where(db.users.c.email == body.email.lower())).one_or_none()
    if not auth.verify_password(user and user.password_hash, body.password, settings.argon2_profile):
        raise Unauthenticated("Wrong email or password.")
    if auth.needs_rehash(user.password_hash, settings.argon2_profile):
        session.execute(
            sa.update(db.users)
            .where(db.users.c.id == user.id)
            .values(password_hash=auth.hash_password(body.password, settings.argon2_profile))
        )
    pair, _ = auth.issue_tokens(session, settings, user.id, user.role)
    session.commit()
    return pair


@endpoint(auth_bp, "POST", "/api/v1/auth/refresh", body=RefreshIn, response=TokenPair, tags=["accounts"], errors=[401])
def refresh(body: RefreshIn):
    """Trade a refresh token for a new pair; the old refresh token stops working."""
    return auth.rotate_refresh_token(db.session(), _settings(), body.refresh_token)


@endpoint(auth_bp, "POST", "/api/v1/auth/logout", body=RefreshIn, status=204, tags=["accounts"])
def logout(body: RefreshIn):
    """Sign out: this sign-in's refresh token and every access token it issued stop working at once."""
    auth.revoke_refresh_token(db.session(), body.refresh_token)


@endpoint(users_bp, "GET", "/api/v1/me", response=UserOut, roles=ANYONE, tags=["accounts"])
def me():
    """The signed-in user."""
    return auth.require_user()


@endpoint(users_bp, "GET", "/api/v1/admin/users", query=UsersQuery, response=UserPage, roles=("admin",), tags=["admin"])
def list_users(query: UsersQuery):
    """Find users by email or name, and by role."""
    u = db.users
    where = []
    if query.q:
        pattern = "%" + query.q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        where.append(sa.or_(u.c.email.ilike(pattern, escape="\\"), u.c.name.ilike(pattern, escape="\\")))
    if query.role:
        where.append(u.c.role == query.role)
    session = db.session()
    total = session.scalar(sa.select(sa.func.count()).select_from(u).where(*where))
    rows = session.execute(
        sa.select(u)
        .where(*where)
        .order_by(u.c.created_at.desc(), u.c.id)
        .limit(query.page_size)
        .offset((query.page - 1) * query.page_size)
    ).all()
    return {"items": rows, "total": total, "page": query.page, "page_size": query.page_size}


@endpoint(
    users_bp,
    "POST",
    "/api/v1/admin/users/<uuid:user_id>/role",
    body=RoleIn,
    response=AdminUserOut,
    roles=("admin",),
    tags=["admin"],
    errors=[404, 409],
)
def change_role(user_id: UUID, body: RoleIn):
    """Grant or take away a role; the last administrator cannot be demoted."""
    session, u = db.session(), db.users
    admins = session.scalars(sa.select(u.c.id).where(u.c.role == "admin").with_for_update()).all()
    if body.role != "admin" and admins == [user_id]:
        raise Conflict("The last administrator cannot be demoted.")
    user = session.execute(sa.update(u).where(u.c.id == user_id).values(role=body.role).returning(u)).one_or_none()
    if user is None:
        raise NotFound("No such user.")
    session.commit()
    return user


# --- administrators (used by the CLI and the WSGI bootstrap) -------------------


def create_admin(
    engine: sa.Engine, email: str, password: str, profile: str = "default", name: str = "Administrator"
) -> str:
    """Create an administrator, or promote the account and reset its password. Returns its id."""
    if not 10 <= len(password) <= 128:
        raise ValueError("The password must be 10 to 128 characters long.")
    stmt = pg_insert(db.users).values(
        email=email.strip().lower(),
        name=name,
        role="admin",
        password_hash=auth.hash_password(password, profile),
    )
    stmt = stmt.on_conflict_do_update(
        index_elements=["email"], set_={"role": "admin", "password_hash": stmt.excluded.password_hash}
    )
    with engine.begin() as conn:
        return str(conn.scalar(stmt.returning(db.users.c.id)))


def bootstrap_admin(engine: sa.Engine, email: str, password: str, profile: str = "default") -> bool:
    """Create the first administrator if there is none yet. Idempotent and safe under races.

    Two workers starting at once both insert; the unique email makes one a no-op.
    An existing account with that email is never promoted here: whoever registered
    it chose its password. Returns whether an administrator was created.
    """
    if not password:
        return False
    with engine.begin() as conn:
        if conn.scalar(sa.select(sa.exists().where(db.users.c.role == "admin"))):
            return False
        created = conn.scalar(
            pg_insert(db.users)
            .values(
                email=email.strip().lower(),
                name="Administrator",
                role="admin",
                password_hash=auth.hash_password(password, profile),
            )
            .on_conflict_do_nothing(index_elements=["email"])
            .returning(db.users.c.id)
        )
    if created is None:
        log.error(
            "No administrator exists and %s is already registered; run `python -m gateway create-admin` to promote it.",
            email,
        )
    return created is not None
