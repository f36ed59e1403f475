"""The gateway's one place of refusal (``gateway.api``): each bad input is a 4xx problem before any RPC.

The same cases against the whole platform, where they once were 500s, are in
``tests/e2e/test_bad_input.py``; here each is a quick check of the message and the field.
"""

import json
import uuid

import pytest

from tests.support.problems import fields_of, problem

SPACE = "5c0e8d1f-0000-4000-8000-000000000001"


@pytest.fixture
def rpc(app):
    app.extensions["rpc"].calls.clear()
    return app.extensions["rpc"]


def post_json(client, path: str, text: str):
    return client.post(path, data=text, content_type="application/json")


@pytest.mark.parametrize(
    ("text", "detail"),
    [
        ("[" * 5000 + "]" * 5000, "nested too deeply"),
        ('{"password": NaN}', "not finite: NaN"),
        ('{"password": -Infinity}', "not finite: -Infinity"),
        ('{"password": 1e999}', "not finite: 1e999"),
        ('{"password": "x",}', "not valid JSON"),
    ],
)
def test_json_a_parser_chokes_on_is_a_400_saying_why(client, text, detail):
    assert detail in problem(post_json(client, "/api/v1/auth/login", text), 400)["detail"]


def test_nesting_past_the_bound_is_a_422_naming_the_field(client):
    password = "x"
    for _ in range(40):
        password = [password]
    deep = json.dumps({"email": "a@example.com", "password": password})
    doc = problem(post_json(client, "/api/v1/auth/login", deep), 422)
    assert {e["message"] for e in doc["errors"]} == {"is nested more than 32 levels deep"}


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data"])
def test_a_body_that_is_not_json_is_a_415(client, content_type):
    body = json.dumps({"email": "a@example.com", "password": "correct horse battery"})
    problem(client.post("/api/v1/auth/login", data=body, content_type=content_type), 415)


def test_text_that_cannot_be_stored_is_named_wherever_it_is(client, rpc, make_user):
    admin = make_user(role="admin")
    space = {"name_ko": "도서관", "opening_hours": [{"weekday": 1, "opens": "09:00", "closes": "1\x00"}]}
    doc = problem(client.patch(f"/api/v1/admin/spaces/{SPACE}", json=space, headers=admin["headers"]), 422)
    assert fields_of(doc) == {"opening_hours[0].closes"}
    doc = problem(client.get("/api/v1/admin/users", query_string={"q": "kim\x00"}, headers=admin["headers"]), 422)
    assert fields_of(doc) == {"q"}
    assert rpc.calls == []


@pytest.mark.parametrize(
    "policy",
    [{"capacity_percent": False}, {"slot_minutes": "30"}, {"max_party_size": 2.5}],
    ids=["false-for-0", "text-for-a-number", "fraction-for-an-integer"],
)
def test_a_body_s_json_types_are_the_documented_ones(client, rpc, make_user, policy):
    admin = make_user(role="admin")
    path = f"/api/v1/admin/spaces/{SPACE}/booking-policy"
    doc = problem(client.put(path, json=policy, headers=admin["headers"]), 422)
    assert fields_of(doc) == set(policy)
    assert rpc.calls == []


@pytest.mark.parametrize("instant", ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00", "1714800000"])
def test_an_instant_is_text_within_2000_to_2100(client, rpc, make_user, instant):
    citizen = make_user()
    body = {"space_id": SPACE, "start": instant, "end": "2026-05-04T11:00:00+09:00", "party_size": 2}
    headers = {**citizen["headers"], "Idempotency-Key": str(uuid.uuid4())}
    assert fields_of(problem(client.post("/api/v1/reservations", json=body, headers=headers), 422)) >= {"start"}
    assert rpc.calls == []
