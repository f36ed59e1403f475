"""What a newcomer checks on the started platform, over HTTP."""

import time
import uuid

from tests.support.processes import wait_until

PASSWORD = "correct horse battery"


def register(api, **overrides):
    body = {"email": f"citizen-{uuid.uuid4().hex[:8]}@example.com", "password": PASSWORD, "name": "Kim Minji"}
    body.update(overrides)
    response = api("POST", "/api/v1/auth/register", json=body)
    assert response.status_code == 201, response.text
    return body


def test_the_platform_is_ready_with_all_four_services(api):
    response = api("GET", "/readyz")

    assert response.status_code == 200, response.text
    assert response.json()["checks"] == {
        "broker": "ok",
        "database": "ok",
        "spaces": "ok",
        "reservations": "ok",
        "programs": "ok",
        "notifications": "ok",
    }


def test_a_citizen_registers_signs_in_and_reads_their_account(api):
    account = register(api, name="이서연", locale="ko")

    login = api("POST", "/api/v1/auth/login", json={"email": account["email"], "password": PASSWORD})
    assert login.status_code == 200
    assert login.json()["token_type"] == "Bearer"

    me = api("GET", "/api/v1/me", headers={"Authorization": f"Bearer {login.json()['access_token']}"})
    assert me.status_code == 200
    assert me.json() | {"id": None} == {
        "id": None,
        "email": account["email"],
        "name": "이서연",
        "role": "citizen",
        "locale": "ko",
    }


def test_a_wrong_password_is_a_401_problem(api):
    account = register(api)

    response = api("POST", "/api/v1/auth/login", json={"email": account["email"], "password": "not the password"})

    assert response.status_code == 401
    assert response.headers["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == 401


def test_malformed_json_is_a_400_problem(api):
    response = api(
        "POST",
        "/api/v1/auth/login",
        data='{"email": "a@example.com",',
        headers={"Content-Type": "application/json"},
    )

    assert response.status_code == 400
    assert response.headers["Content-Type"] == "application/problem+json"


def test_an_unknown_field_is_a_422_problem_naming_it(api):
    response = api(
        "POST",
        "/api/v1/auth/register",
        json={"email": "new@example.com", "password": PASSWORD, "name": "Kim", "role": "admin"},
    )

    assert response.status_code == 422
    assert response.headers["Content-Type"] == "application/problem+json"
    assert {"field": "role", "message": "Extra inputs are not permitted"} in response.json()["errors"]


def test_the_openapi_document_and_offline_docs_are_served(api):
    spec = api("GET", "/api/v1/openapi.json").json()
    assert "/api/v1/auth/register" in spec["paths"]

    docs = api("GET", "/api/docs")
    assert docs.status_code == 200
    assert "swagger" in docs.text.lower()
    assert "https://" not in docs.text, "the docs page must not load anything from the network"


def test_without_the_broker_readiness_and_searches_fail_fast_and_recover_by_themselves(api, broker_link):
    broker_link.down()
    try:
        started = time.monotonic()
        response = api("GET", "/readyz", timeout=10)
        answered_in = time.monotonic() - started

        assert response.status_code == 503
        assert response.headers["Retry-After"]
        assert response.json()["checks"]["broker"] == "down"
        assert "spaces" in response.json()["detail"]
        assert answered_in < 5

        search = api("GET", "/api/v1/spaces", timeout=10)
        assert search.status_code in (503, 504)
        assert search.headers["Content-Type"] == "application/problem+json"
        assert search.headers["Retry-After"]
    finally:
        broker_link.up()

    wait_until(lambda: api("GET", "/readyz").status_code == 200, what="the stack to recover", timeout=60)
