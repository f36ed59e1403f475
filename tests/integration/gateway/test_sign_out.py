"""Signing out, and refresh-token reuse, end that sign-in's access tokens at once."""

import uuid
from datetime import UTC, datetime, timedelta

import jwt
import sqlalchemy as sa
from alembic import command

from chassis import migrations
from tests.support.problems import problem

PASSWORD = "correct horse battery"  # the make_user fixture's


def bearer(tokens: dict) -> dict:
    return {"Authorization": f"Bearer {tokens['access_token']}"}


def sign_in(client, user) -> dict:
    response = client.post("/api/v1/auth/login", json={"email": user["email"], "password": PASSWORD})
    assert response.status_code == 200
    return response.get_json()


def refresh(client, tokens: dict):
    return client.post("/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]})


def test_logout_ends_that_sign_in_at_once_and_no_other(client, make_user):
    user = make_user()
    phone, laptop = sign_in(client, user), sign_in(client, user)
    refreshed = refresh(client, phone)
    assert refreshed.status_code == 200  # a refresh works while signed in
    refreshed = refreshed.get_json()
    for tokens in (phone, refreshed):
        assert client.get("/api/v1/me", headers=bearer(tokens)).status_code == 200

    assert client.post("/api/v1/auth/logout", json={"refresh_token": refreshed["refresh_token"]}).status_code == 204

    for tokens in (phone, refreshed):  # long before either expires
        response = client.get("/api/v1/me", headers=bearer(tokens))
        assert "sign in again" in problem(response, 401)["detail"]
        assert response.headers["WWW-Authenticate"] == "Bearer"
    problem(refresh(client, refreshed), 401)
    assert client.get("/api/v1/me", headers=bearer(laptop)).status_code == 200
    assert refresh(client, laptop).status_code == 200
    assert client.get("/api/v1/me", headers=user["headers"]).status_code == 200  # the sign-in at registration


def test_refresh_token_reuse_ends_every_access_token_of_that_sign_in(client, make_user):
    user = make_user()
    stolen, other = sign_in(client, user), sign_in(client, user)
    second = refresh(client, stolen).get_json()
    third = refresh(client, second).get_json()

    problem(refresh(client, stolen), 401)  # the thief replays the first refresh token

    for tokens in (stolen, second, third):
        problem(client.get("/api/v1/me", headers=bearer(tokens)), 401)
    problem(refresh(client, third), 401)
    assert client.get("/api/v1/me", headers=bearer(other)).status_code == 200


def test_an_access_token_without_a_session_is_refused(client, app, make_user):
    user = make_user()
    settings = app.extensions["settings"]
    claims = jwt.decode(user["access_token"], options={"verify_signature": False})
    now = datetime.now(UTC)
    claims |= {"iat": now, "exp": now + timedelta(minutes=5)}
    variants = {
        "no sid": {k: v for k, v in claims.items() if k != "sid"},
        "unknown sid": claims | {"sid": str(uuid.uuid4())},
        "another user's sid": claims
        | {"sid": jwt.decode(make_user()["access_token"], options={"verify_signature": False})["sid"]},
        "sid not a uuid": claims | {"sid": 42},
    }
    for name, payload in variants.items():
        token = jwt.encode(payload, settings.secret_key, algorithm="HS256", headers={"typ": "at+jwt"})
        response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 401, name
    assert client.get("/api/v1/me", headers=user["headers"]).status_code == 200


def test_the_migration_makes_each_refresh_token_family_a_session(database_url):
    """Sign-ins from before sessions existed: live ones stay signed in, revoked ones end."""
    url = database_url("gateway") + "_sessions_migration"
    config = migrations.alembic_config("gateway", url)
    migrations.ensure_database(url)
    command.upgrade(config, "0001")
    engine = sa.create_engine(url)
    live, revoked = uuid.uuid4(), uuid.uuid4()
    try:
        with engine.begin() as conn:
            user = conn.scalar(
                sa.text(
                    "INSERT INTO users (email, password_hash, name) VALUES ('a@example.com', 'x', 'A') RETURNING id"
                )
            )
            for family, revoked_at in ((live, None), (live, "now()"), (revoked, "now()"), (revoked, "now()")):
                conn.execute(
                    sa.text(
                        "INSERT INTO refresh_tokens (user_id, token_hash, family_id, expires_at, revoked_at) "
                        f"VALUES (:user, :hash, :family, now() + interval '1 day', {revoked_at or 'NULL'})"
                    ),
                    {"user": user, "hash": uuid.uuid4().hex * 2, "family": family},
                )
        command.upgrade(config, "head")
        with engine.connect() as conn:
            sessions = dict(conn.execute(sa.text("SELECT id, ended_at IS NOT NULL FROM sessions")).all())
        assert sessions == {live: False, revoked: True}
    finally:
        engine.dispose()
