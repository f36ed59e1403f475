"""The first administrator: from the environment at start, or from the CLI."""

import subprocess
import sys

import sqlalchemy as sa

from gateway import db
from gateway.accounts import bootstrap_admin


def sign_in(client, email, password):
    login = client.post("/api/v1/auth/login", json={"email": email, "password": password})
    assert login.status_code == 200, login.get_json()
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {login.get_json()['access_token']}"})
    return me.get_json()


def test_the_cli_creates_an_administrator_who_can_sign_in(client, database_url):
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "gateway",
            "create-admin",
            "--email",
            "City.Admin@Example.com",
            "--password",
            "a long admin password",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert done.returncode == 0, done.stderr
    assert sign_in(client, "city.admin@example.com", "a long admin password")["role"] == "admin"


def test_the_cli_promotes_an_existing_account(client, make_user):
    user = make_user()

    done = subprocess.run(
        [sys.executable, "-m", "gateway", "create-admin", "--email", user["email"], "--password", user["password"]],
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert done.returncode == 0, done.stderr
    assert sign_in(client, user["email"], user["password"])["role"] == "admin"


def test_the_start_bootstraps_an_administrator_only_when_there_is_none(app, client):
    engine = app.extensions["db_engine"]
    with engine.begin() as conn:  # a platform with no administrator yet
        conn.execute(sa.update(db.users).where(db.users.c.role == "admin").values(role="citizen"))

    assert bootstrap_admin(engine, "boot@example.com", "a long boot password", "fast")
    assert not bootstrap_admin(engine, "other@example.com", "another long password", "fast")

    assert sign_in(client, "boot@example.com", "a long boot password")["role"] == "admin"
    assert (
        client.post(
            "/api/v1/auth/login", json={"email": "other@example.com", "password": "another long password"}
        ).status_code
        == 401
    )
