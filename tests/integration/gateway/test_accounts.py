"""Accounts through HTTP on a real database: register, sign in, tokens, roles."""

import uuid
from datetime import UTC, datetime, timedelta

import jwt

from gateway.auth import encode_access_token
from tests.support.problems import problem

PASSWORD = "correct horse battery"  # the make_user fixture uses the same


def test_register_login_me(client):
    email = f"Mixed-{uuid.uuid4().hex[:8]}@Example.com"
    registered = client.post(
        "/api/v1/auth/register",
        json={"email": email, "password": PASSWORD, "name": "Lee Jiho", "phone": "+82 10-1234-5678", "locale": "en"},
    )
    assert registered.status_code == 201
    user = registered.get_json()["user"]
    assert user["role"] == "citizen" and user["locale"] == "en" and user["email"] == email.lower()
    assert set(user) == {"id", "email", "name", "role", "locale"}

    login = client.post("/api/v1/auth/login", json={"email": email.upper(), "password": PASSWORD})
    assert login.status_code == 200
    tokens = login.get_json()
    assert tokens["token_type"] == "Bearer" and tokens["expires_in"] == 15 * 60
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {tokens['access_token']}"})
    assert me.status_code == 200
    assert me.get_json() == user


def test_role_is_always_citizen_and_cannot_be_sent(client):
    doc = problem(
        client.post(
            "/api/v1/auth/register", json={"email": "x@example.com", "password": PASSWORD, "name": "X", "role": "admin"}
        ),
        422,
    )
    assert {"field": "role", "message": "Extra inputs are not permitted"} in doc["errors"]


def test_duplicate_email_is_a_conflict(client, make_user):
    user = make_user()
    problem(
        client.post(
            "/api/v1/auth/register", json={"email": user["email"].upper(), "password": PASSWORD, "name": "Again"}
        ),
        409,
    )


def test_wrong_password_and_unknown_email_answer_the_same(client, make_user):
    user = make_user()
    wrong = problem(client.post("/api/v1/auth/login", json={"email": user["email"], "password": "nope-nope-nope"}), 401)
    unknown = problem(client.post("/api/v1/auth/login", json={"email": "nobody@example.com", "password": "x"}), 401)
    assert wrong == unknown


def test_malformed_json_and_non_object_bodies_are_400(client):
    problem(client.post("/api/v1/auth/login", data="{not json", content_type="application/json"), 400)
    problem(client.post("/api/v1/auth/login", json=["a", "list"]), 400)
    problem(client.post("/api/v1/auth/login"), 400)


def test_missing_and_invalid_fields_are_422_naming_them(client):
    doc = problem(client.post("/api/v1/auth/register", json={"email": "not-an-email", "password": "short"}), 422)
    fields = {e["field"] for e in doc["errors"]}
    assert fields == {"email", "password", "name"}


def test_body_over_the_limit_is_413(client):
    problem(client.post("/api/v1/auth/login", data="x" * (1024 * 1024 + 1), content_type="application/json"), 413)


def test_unknown_route_and_wrong_method(client):
    problem(client.get("/api/v1/nothing-here"), 404)
    response = client.get("/api/v1/auth/login")
    problem(response, 405)
    assert "POST" in response.headers["Allow"]


def test_refresh_rotates_and_reuse_revokes_the_family(client, make_user):
    first = make_user()["refresh_token"]
    second = client.post("/api/v1/auth/refresh", json={"refresh_token": first})
    assert second.status_code == 200
    second = second.get_json()["refresh_token"]
    assert second != first
    problem(client.post("/api/v1/auth/refresh", json={"refresh_token": first}), 401)  # reuse: a thief
    problem(client.post("/api/v1/auth/refresh", json={"refresh_token": second}), 401)  # family revoked


def test_logout_ends_the_refresh_token(client, make_user):
    token = make_user()["refresh_token"]
    assert client.post("/api/v1/auth/logout", json={"refresh_token": token}).status_code == 204
    problem(client.post("/api/v1/auth/refresh", json={"refresh_token": token}), 401)
    assert client.post("/api/v1/auth/logout", json={"refresh_token": "unknown"}).status_code == 204


def test_missing_expired_and_forged_tokens_are_401(client, app, make_user):
    user = make_user()
    settings = app.extensions["settings"]
    session_id = jwt.decode(user["access_token"], options={"verify_signature": False})["sid"]
    an_hour_ago = datetime.now(UTC) - timedelta(hours=1)
    expired = encode_access_token(settings, user["user"]["id"], "citizen", session_id, now=an_hour_ago)
    forged = jwt.encode(
        {
            "sub": user["user"]["id"],
            "sid": session_id,
            "role": "admin",
            "iss": settings.jwt_issuer,
            "aud": settings.jwt_audience,
            "iat": 1,
            "exp": 4_000_000_000,
        },
        "x" * 64,
        algorithm="HS256",
        headers={"typ": "at+jwt"},
    )
    for headers in (
        {},
        {"Authorization": f"Bearer {expired}"},
        {"Authorization": f"Bearer {forged}"},
        {"Authorization": f"Basic {user['access_token']}"},
    ):
        response = client.get("/api/v1/me", headers=headers)
        problem(response, 401)
        assert response.headers["WWW-Authenticate"] == "Bearer"


def test_a_citizen_may_not_use_admin_routes(client, make_user):
    citizen = make_user()
    problem(client.get("/api/v1/admin/users", headers=citizen["headers"]), 403)
    problem(
        client.post(
            f"/api/v1/admin/users/{citizen['user']['id']}/role", json={"role": "admin"}, headers=citizen["headers"]
        ),
        403,
    )


def test_admin_grants_a_role_and_it_applies_at_once(client, make_user):
    admin, citizen = make_user("admin"), make_user()
    url = f"/api/v1/admin/users/{citizen['user']['id']}/role"
    granted = client.post(url, json={"role": "operator"}, headers=admin["headers"])
    assert granted.status_code == 200 and granted.get_json()["role"] == "operator"
    assert client.get("/api/v1/me", headers=citizen["headers"]).get_json()["role"] == "operator"
    problem(client.post(url, json={"role": "mayor"}, headers=admin["headers"]), 422)
    problem(
        client.post(f"/api/v1/admin/users/{uuid.uuid4()}/role", json={"role": "operator"}, headers=admin["headers"]),
        404,
    )


def test_admin_finds_users_by_text_and_role(client, make_user):
    tag = uuid.uuid4().hex[:10]
    admin = make_user("admin")
    for n in range(3):
        make_user(name=f"Park {tag} {n}")
    make_user("operator", name=f"Choi {tag}")
    page = client.get(f"/api/v1/admin/users?q={tag}&page_size=2", headers=admin["headers"]).get_json()
    assert page["total"] == 4 and len(page["items"]) == 2 and page["page"] == 1 and page["page_size"] == 2
    assert "password_hash" not in page["items"][0]
    operators = client.get(f"/api/v1/admin/users?q={tag}&role=operator", headers=admin["headers"]).get_json()
    assert [u["name"] for u in operators["items"]] == [f"Choi {tag}"]
    assert client.get("/api/v1/admin/users?q=100%25_", headers=admin["headers"]).status_code == 200


def test_bad_query_parameters_are_422_naming_them(client, make_user):
    admin = make_user("admin")
    for query, field in (
        ("page_size=101", "page_size"),
        ("page=0", "page"),
        ("role=mayor", "role"),
        ("sort=name", "sort"),
    ):
        doc = problem(client.get(f"/api/v1/admin/users?{query}", headers=admin["headers"]), 422)
        assert [e["field"] for e in doc["errors"]] == [field]
