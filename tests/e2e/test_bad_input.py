"""Bad input is a 4xx problem naming the field, never a 500: at the gateway, and at a service reached by RPC.

Each case here once reached PostgreSQL or Python's parser and came back as a 500: text
PostgreSQL cannot store (NUL, a lone surrogate), JSON nested a thousand levels deep,
numbers that are not finite, instants at the edge of the calendar. A JSON route also
refuses a body that is not ``application/json`` (a plain HTML form could otherwise sign
a visitor in).
"""

import json
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from chassis.errors import Invalid
from gateway.rpc import RpcClient
from tests.support.stack import published_space

FROM = (datetime.now(UTC) + timedelta(days=2)).replace(minute=0, second=0, microsecond=0)
EDGES = ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00", "1999-12-31T23:00:00+00:00"]
LOGIN = "/api/v1/auth/login"


@pytest.fixture(scope="module")
def world(session_api, admin, make_account):
    operator, citizen = make_account("operator"), make_account("citizen")
    space_id = published_space(session_api, admin, operator, f"Bad Input Room {uuid.uuid4().hex[:8]}")
    return {"space_id": space_id, "citizen": citizen}


def refused(response, status: int, field: str | None = None) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["Content-Type"] == "application/problem+json"
    doc = response.json()
    if field is not None:
        assert field in {error["field"] for error in doc["errors"]}, doc
    return doc


@pytest.mark.parametrize("bad", ["a\x00b", "\ud800"], ids=["nul", "lone-surrogate"])
def test_text_postgresql_cannot_store_is_a_422_naming_the_field(api, bad):
    refused(api("POST", LOGIN, json={"email": f"x{bad}@example.com", "password": "pw"}), 422, "email")
    registration = {"email": f"{uuid.uuid4().hex}@example.com", "password": "long enough password", "name": bad}
    refused(api("POST", "/api/v1/auth/register", json=registration), 422, "name")
    # requests sends "\ud800" as the JSON escape a browser would: Python decodes it to a lone surrogate
    assert "\\ud800" in json.dumps({"name": "\ud800"})


def test_nul_in_a_query_parameter_is_a_422_naming_it(api):
    refused(api("GET", "/api/v1/spaces", params={"q": "book\x00club"}), 422, "q")
    refused(api("GET", "/api/v1/spaces", params={"district": ["mapo", "\x00"]}), 422, "district[1]")


def test_nul_in_a_reservation_purpose_and_a_reason(api, world):
    citizen = world["citizen"]
    body = {
        "space_id": world["space_id"],
        "start": FROM.isoformat(),
        "end": (FROM + timedelta(hours=1)).isoformat(),
        "party_size": 2,
        "purpose": "club\x00",
    }
    headers = {**citizen["headers"], "Idempotency-Key": str(uuid.uuid4())}
    refused(api("POST", "/api/v1/reservations", json=body, headers=headers), 422, "purpose")
    cancel = f"/api/v1/reservations/{uuid.uuid4()}/cancel"
    refused(api("POST", cancel, json={"reason": "\x00"}, headers=citizen["headers"]), 422, "reason")


@pytest.mark.parametrize(
    "body",
    [
        '{"email": ' + "[" * 1000 + "]" * 1000 + ', "password": "pw"}',
        '{"email": ' + '{"a": ' * 1000 + "1" + "}" * 1000 + ', "password": "pw"}',
        '{"email": ' + "[" * 40 + "]" * 40 + ', "password": "pw"}',
        '{"email": "a@example.com", "password": NaN}',
        '{"email": "a@example.com", "password": -Infinity}',
        '{"email": "a@example.com", "password": 1e999}',
    ],
    ids=["arrays-1000-deep", "objects-1000-deep", "arrays-40-deep", "nan", "infinity", "1e999"],
)
def test_deep_nesting_and_numbers_that_are_not_finite_are_refused(api, body):
    response = api("POST", LOGIN, data=body, headers={"Content-Type": "application/json"})
    assert response.status_code in (400, 422), response.text
    assert response.headers["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", None])
def test_a_json_route_refuses_a_body_that_is_not_json_with_a_415(api, content_type):
    headers = {"Content-Type": content_type} if content_type else {}
    body = json.dumps({"email": "a@example.com", "password": "whatever"})
    refused(api("POST", LOGIN, data=body, headers=headers), 415)


@pytest.mark.parametrize("edge", EDGES)
def test_instants_at_the_edge_of_the_calendar_are_a_422_naming_the_field(api, world, edge):
    space_id, citizen = world["space_id"], world["citizen"]
    later = (FROM + timedelta(days=1)).isoformat()
    availability = f"/api/v1/spaces/{space_id}/availability"
    refused(api("GET", availability, params={"from": edge, "to": later}), 422, "from")
    refused(api("GET", "/api/v1/spaces", params={"open_at": edge}), 422, "open_at")
    refused(api("GET", "/api/v1/me/reservations", params={"to": edge}, headers=citizen["headers"]), 422, "to")
    body = {"space_id": space_id, "start": FROM.isoformat(), "end": edge, "party_size": 2}
    headers = {**citizen["headers"], "Idempotency-Key": str(uuid.uuid4())}
    refused(api("POST", "/api/v1/reservations", json=body, headers=headers), 422, "end")


def test_a_citizen_s_cancel_reason_is_left_out_or_says_something(api, world):
    cancel = f"/api/v1/reservations/{uuid.uuid4()}/cancel"
    headers = world["citizen"]["headers"]
    for blank in ("", "   "):
        refused(api("POST", cancel, json={"reason": blank}, headers=headers), 422, "reason")
    refused(api("POST", cancel, json={}, headers=headers), 404)


@pytest.fixture
def rpc(amqp_uri, stack):
    client = RpcClient(amqp_uri, timeout=5)
    yield client
    client.close()


ACTOR = {"id": str(uuid.uuid4()), "role": "citizen"}


@pytest.mark.parametrize(
    ("service", "method", "args", "field"),
    [
        ("spaces", "search", [{"q": "book\x00club"}], "q"),
        ("spaces", "search", [{"q": "\ud800"}], "q"),
        ("reservations", "list_for_citizen", [ACTOR, {"status": "pending\x00"}], "status"),
        ("reservations", "availability", [str(uuid.uuid4()), "0001-01-01T00:00:00+14:00", "2026-01-01T00:00Z"], "from"),
        ("reservations", "list_for_citizen", [ACTOR, {"to": "9999-12-31T23:59:59-14:00"}], "to"),
        ("spaces", "search", [{"open_at": "0001-01-01T00:00:00+14:00"}], "open_at"),
    ],
    ids=["nul", "surrogate", "nul-in-a-filter", "year-1", "year-9999", "open-at-year-1"],
)
def test_a_service_refuses_what_slips_past_the_gateway(rpc, service, method, args, field):
    with pytest.raises(Invalid) as refusal:
        rpc.call(service, method, *args)
    assert field in {error["field"] for error in refusal.value.extra["errors"]}
