"""The reservations routes through HTTP, with fake ``reservations`` and ``spaces`` services.

What is checked here is the gateway's half: validation, the ``Idempotency-Key`` header, the
mapping to the service's RPC arguments (the actor first), who may call what, and how the
service's answers and errors come out as problems.
"""

import copy

import pytest

from chassis.errors import Conflict, Forbidden, Invalid, NotFound, RuleBroken, Unavailable
from gateway.problems import to_problem
from gateway.rpc import ServiceTimeout, ServiceUnavailable
from tests.integration.gateway.test_spaces_routes import SPACE_ID, SpacesRpc
from tests.support.problems import fields_of, problem

RESERVATION_ID = "3f0c8d1f-0000-4000-8000-0000000000a1"
OTHER_SPACE = "5c0e8d1f-0000-4000-8000-000000000002"
RESERVATION = {
    "id": RESERVATION_ID,
    "space_id": SPACE_ID,
    "citizen_id": "8d1f0000-0000-4000-8000-000000000001",
    "start": "2026-05-05T01:00:00+00:00",
    "end": "2026-05-05T02:00:00+00:00",
    "party_size": 4,
    "purpose": "Book club",
    "status": "pending",
    "status_reason": None,
    "created_at": "2026-05-01T00:00:00+00:00",
    "decided_at": None,
    "expires_at": "2026-05-05T01:00:00+00:00",
}
PAGE = {"items": [RESERVATION], "total": 1, "page": 1, "page_size": 20}
INBOX = PAGE | {"counts": {"pending": 1, "approved": 0, "rejected": 0, "cancelled": 0, "expired": 0}}
POLICY = {
    "space_id": SPACE_ID,
    "approval": "manual",
    "slot_minutes": 30,
    "min_minutes": 30,
    "max_minutes": 240,
    "notice_minutes": 60,
    "horizon_days": 60,
    "max_party_size": None,
    "active_quota": 3,
    "cancel_deadline_minutes": 60,
    "capacity_percent": 100,
    "capacity": 20,
    "platform_capacity_percent": 100,
    "effective_capacity": 20,
}
AVAILABILITY = {
    "space_id": SPACE_ID,
    "from": "2026-05-04T15:00:00+00:00",
    "to": "2026-05-05T15:00:00+00:00",
    "open": [{"start": "2026-05-05T00:00:00+00:00", "end": "2026-05-05T09:00:00+00:00"}],
    "busy": [{"start": "2026-05-05T01:00:00+00:00", "end": "2026-05-05T02:00:00+00:00"}],
}
ICS = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Community Space//EN\r\nEND:VCALENDAR\r\n"
DEFAULT_ANSWERS = {
    "request": RESERVATION,
    "get": RESERVATION,
    "list_for_citizen": PAGE,
    "calendar": ICS,
    "cancel": RESERVATION | {"status": "cancelled"},
    "inbox": INBOX,
    "approve": RESERVATION | {"status": "approved"},
    "reject": RESERVATION | {"status": "rejected", "status_reason": "Closed"},
    "availability": AVAILABILITY,
    "free_spaces": {"from": "…", "to": "…", "free": [SPACE_ID, OTHER_SPACE], "unavailable": []},
    "get_policy": POLICY,
    "set_policy": POLICY,
    "set_platform_capacity": {"percent": 50, "reason": "Epidemic", "set_at": "2026-05-01T00:00:00+00:00"},
}
NEW = {
    "space_id": SPACE_ID,
    "start": "2026-05-05T10:00:00+09:00",
    "end": "2026-05-05T11:00:00+09:00",
    "party_size": 4,
    "purpose": "Book club",
}
KEY = {"Idempotency-Key": "3b1e0c9a-5d7f-4c1e-9a0b-0c1d2e3f4a5b"}


class ReservationsRpc(SpacesRpc):
    """Fakes both services: canned answers per (service, method) (an exception is raised); records calls."""

    def __init__(self):
        super().__init__()
        self.booking: dict = {}

    def call(self, service, method, *args, timeout=None, **kwargs):
        if service != "reservations":
            return super().call(service, method, *args, timeout=timeout, **kwargs)
        self.calls.append((service, method, args, kwargs))
        if service in self.down:
            raise ServiceUnavailable(service)
        answer = self.booking.get(method, DEFAULT_ANSWERS.get(method))
        if isinstance(answer, BaseException):
            raise answer
        return copy.deepcopy(answer)

    def of(self, method, service="reservations"):
        return [(args, kwargs) for s, name, args, kwargs in self.calls if s == service and name == method]


@pytest.fixture(scope="module")
def app(make_app):
    return make_app(rpc=ReservationsRpc())


@pytest.fixture(autouse=True)
def rpc(app):
    fake = app.extensions["rpc"]
    fake.calls.clear()
    fake.answers.clear()
    fake.booking.clear()
    fake.down.clear()
    app.extensions.pop("spaces_catalogues", None)
    return fake


def as_actor(user, role):
    return {"id": user["user"]["id"], "role": role}


# --- requesting a reservation ------------------------------------------------------------


def test_a_request_passes_the_actor_the_data_and_the_key(client, rpc, citizen):
    response = client.post("/api/v1/reservations", json=NEW, headers=citizen["headers"] | KEY)
    assert response.status_code == 201, response.get_json()
    assert rpc.of("request") == [((as_actor(citizen, "citizen"), NEW, KEY["Idempotency-Key"]), {})]
    body = response.get_json()
    assert {k: body[k] for k in ("id", "space_id", "start", "end", "party_size", "purpose", "status")} == {
        k: RESERVATION[k] for k in ("id", "space_id", "start", "end", "party_size", "purpose", "status")
    }
    assert "citizen_id" not in body


def test_purpose_is_optional_and_a_utc_instant_is_normalised(client, rpc, citizen):
    body = {k: v for k, v in NEW.items() if k != "purpose"} | {
        "start": "2026-05-05T01:00:00Z",
        "end": "2026-05-05T02:00:00Z",
    }
    assert client.post("/api/v1/reservations", json=body, headers=citizen["headers"] | KEY).status_code == 201
    [((_, data, _), _)] = rpc.of("request")
    assert data == {
        "space_id": SPACE_ID,
        "start": "2026-05-05T01:00:00+00:00",
        "end": "2026-05-05T02:00:00+00:00",
        "party_size": 4,
    }


@pytest.mark.parametrize(
    "headers", [{}, {"Idempotency-Key": ""}, {"Idempotency-Key": "   "}, {"Idempotency-Key": "k" * 201}]
)
def test_a_missing_or_overlong_idempotency_key_is_400_naming_the_header(client, rpc, citizen, headers):
    doc = problem(client.post("/api/v1/reservations", json=NEW, headers=citizen["headers"] | headers), 400)
    assert "Idempotency-Key" in doc["detail"] and fields_of(doc) == {"Idempotency-Key"}
    assert rpc.calls == []


def test_the_header_is_checked_after_sign_in_and_before_the_body(client, rpc, citizen):
    problem(client.post("/api/v1/reservations", json=NEW), 401)
    problem(client.post("/api/v1/reservations", json={"colour": "red"}, headers=citizen["headers"]), 400)
    assert fields_of(
        problem(client.post("/api/v1/reservations", json={"colour": "red"}, headers=citizen["headers"] | KEY), 422)
    ) >= {"colour"}
    assert (
        client.post(
            "/api/v1/reservations", json=NEW, headers=citizen["headers"] | {"Idempotency-Key": "k" * 200}
        ).status_code
        == 201
    )
    assert len(rpc.calls) == 1


@pytest.mark.parametrize(
    "change, field",
    [
        ({"space_id": "not-a-uuid"}, "space_id"),
        ({"start": "2026-05-05T10:00:00"}, "start"),
        ({"end": "tomorrow"}, "end"),
        ({"end": "2026-05-05T10:00:00+09:00"}, "end"),
        ({"party_size": 0}, "party_size"),
        ({"party_size": 10_001}, "party_size"),
        ({"purpose": "x" * 501}, "purpose"),
        ({"status": "approved"}, "status"),
        ({"citizen_id": SPACE_ID}, "citizen_id"),
    ],
)
def test_a_request_is_checked(client, rpc, citizen, change, field):
    doc = problem(client.post("/api/v1/reservations", json=NEW | change, headers=citizen["headers"] | KEY), 422)
    assert field in fields_of(doc)
    assert rpc.calls == []


def test_a_repeat_in_flight_is_409_with_retry_after(client, rpc, citizen):
    rpc.booking["request"] = Conflict(
        "A request with this Idempotency-Key is still being processed.", {"retry_after": 1}
    )
    response = client.post("/api/v1/reservations", json=NEW, headers=citizen["headers"] | KEY)
    doc = problem(response, 409)
    assert doc["retry_after"] == 1
    # the problem says 1 s; Flask-Limiter (headers_enabled) then raises it to its window's reset if later
    assert int(response.headers["Retry-After"]) >= 1
    assert to_problem(Conflict("In flight.", {"retry_after": 1})).headers["Retry-After"] == "1"


def test_a_taken_slot_is_409_without_retry_after(client, rpc, citizen):
    conflicts = [{"start": RESERVATION["start"], "end": RESERVATION["end"]}]
    rpc.booking["request"] = Conflict("The slot is taken.", {"conflicts": conflicts})
    response = client.post("/api/v1/reservations", json=NEW, headers=citizen["headers"] | KEY)
    assert problem(response, 409)["conflicts"] == conflicts
    assert "Retry-After" not in to_problem(Conflict("The slot is taken.", {"conflicts": conflicts})).headers


@pytest.mark.parametrize(
    "error, status",
    [
        (RuleBroken("Too short.", {"rule": "length", "allowed": {"min_minutes": 60, "max_minutes": 240}}), 422),
        (
            Invalid(
                "Idempotency-Key: reused with another body",
                {"errors": [{"field": "Idempotency-Key", "message": "reused with another body"}]},
            ),
            422,
        ),
        (NotFound("No such space."), 404),
        (Forbidden("No."), 403),
        (ServiceUnavailable("reservations"), 503),
        (ServiceTimeout("reservations"), 504),
    ],
)
def test_the_service_s_errors_become_problems(client, rpc, citizen, error, status):
    rpc.booking["request"] = error
    response = client.post("/api/v1/reservations", json=NEW, headers=citizen["headers"] | KEY)
    doc = problem(response, status)
    if isinstance(error, RuleBroken):
        assert doc["rule"] == "length" and doc["allowed"] == {"min_minutes": 60, "max_minutes": 240}
    if isinstance(error, Invalid):
        assert fields_of(doc) == {"Idempotency-Key"}
    if status in (503, 504):
        assert response.headers["Retry-After"] and doc["service"] == "reservations"


# --- the citizen's own ----------------------------------------------------------------------


def test_my_reservations_pass_the_filters(client, rpc, citizen):
    me = as_actor(citizen, "citizen")
    assert client.get("/api/v1/me/reservations", headers=citizen["headers"]).get_json() == {
        "items": [{k: v for k, v in RESERVATION.items() if k != "citizen_id"}],
        "total": 1,
        "page": 1,
        "page_size": 20,
    }
    response = client.get(
        "/api/v1/me/reservations?status=approved&from=2026-05-01T00:00:00%2B09:00"
        "&to=2026-06-01T00:00:00Z&when=upcoming&page=2&page_size=100",
        headers=citizen["headers"],
    )
    assert response.status_code == 200
    assert rpc.of("list_for_citizen") == [
        ((me, {"page": 1, "page_size": 20}), {}),
        (
            (
                me,
                {
                    "page": 2,
                    "page_size": 100,
                    "from": "2026-05-01T00:00:00+09:00",
                    "to": "2026-06-01T00:00:00+00:00",
                    "status": "approved",
                    "when": "upcoming",
                },
            ),
            {},
        ),
    ]


@pytest.mark.parametrize(
    "query, field",
    [
        ("page_size=101", "page_size"),
        ("status=lost", "status"),
        ("when=soon", "when"),
        ("from=2026-05-01", "from"),
        ("from=2026-05-02T00:00:00Z&to=2026-05-01T00:00:00Z", "to"),
        ("colour=red", "colour"),
    ],
)
def test_my_reservations_filters_are_checked(client, rpc, citizen, query, field):
    assert field in fields_of(problem(client.get(f"/api/v1/me/reservations?{query}", headers=citizen["headers"]), 422))
    assert rpc.calls == []


def test_the_calendar_is_text_calendar(client, rpc, citizen):
    response = client.get("/api/v1/me/reservations.ics", headers=citizen["headers"])
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert response.get_data(as_text=True) == ICS
    assert rpc.of("calendar") == [((as_actor(citizen, "citizen"),), {})]
    problem(client.get("/api/v1/me/reservations.ics"), 401)


def test_read_and_cancel_one(client, rpc, citizen):
    me = as_actor(citizen, "citizen")
    assert (
        client.get(f"/api/v1/reservations/{RESERVATION_ID}", headers=citizen["headers"]).get_json()["id"]
        == RESERVATION_ID
    )
    response = client.post(f"/api/v1/reservations/{RESERVATION_ID}/cancel", json={}, headers=citizen["headers"])
    assert response.status_code == 200 and response.get_json()["status"] == "cancelled"
    client.post(f"/api/v1/reservations/{RESERVATION_ID}/cancel", json={"reason": "Ill"}, headers=citizen["headers"])
    assert rpc.of("get") == [((me, RESERVATION_ID), {})]
    assert rpc.of("cancel") == [((me, RESERVATION_ID, None), {}), ((me, RESERVATION_ID, "Ill"), {})]


def test_a_malformed_reservation_id_is_404_without_rpc(client, rpc, citizen, operator):
    problem(client.get("/api/v1/reservations/nope", headers=citizen["headers"]), 404)
    problem(client.post("/api/v1/reservations/nope/cancel", json={}, headers=citizen["headers"]), 404)
    problem(client.post("/api/v1/admin/reservations/nope/approve", headers=operator["headers"]), 404)
    problem(client.get("/api/v1/admin/spaces/nope/booking-policy", headers=operator["headers"]), 404)
    assert rpc.calls == []


@pytest.mark.parametrize(
    "error, status",
    [
        (NotFound("No such reservation."), 404),
        (RuleBroken("Too late.", {"rule": "cancel_deadline", "allowed": {}}), 422),
        (Conflict("Already cancelled."), 409),
    ],
)
def test_cancel_errors(client, rpc, citizen, error, status):
    rpc.booking["cancel"] = error
    response = client.post(f"/api/v1/reservations/{RESERVATION_ID}/cancel", json={}, headers=citizen["headers"])
    assert problem(response, status)["detail"] == error.detail


# --- operators and administrators -----------------------------------------------------------


def test_the_inbox_passes_filters_and_answers_counts(client, rpc, operator):
    me = as_actor(operator, "operator")
    page = client.get("/api/v1/admin/reservations", headers=operator["headers"]).get_json()
    assert page["counts"]["pending"] == 1 and page["items"][0]["citizen_id"] == RESERVATION["citizen_id"]
    client.get(
        f"/api/v1/admin/reservations?space_id={SPACE_ID}&status=all&from=2026-05-01T00:00:00Z"
        "&to=2026-05-08T00:00:00Z&page=2&page_size=50",
        headers=operator["headers"],
    )
    client.get("/api/v1/admin/reservations?status=approved", headers=operator["headers"])
    assert rpc.of("inbox") == [
        ((me, {"page": 1, "page_size": 20, "status": "pending"}), {}),
        (
            (
                me,
                {
                    "page": 2,
                    "page_size": 50,
                    "from": "2026-05-01T00:00:00+00:00",
                    "to": "2026-05-08T00:00:00+00:00",
                    "space_id": SPACE_ID,
                    "status": None,
                },
            ),
            {},
        ),
        ((me, {"page": 1, "page_size": 20, "status": "approved"}), {}),
    ]
    problem(client.get("/api/v1/admin/reservations?space_id=x", headers=operator["headers"]), 422)


@pytest.mark.parametrize(
    "path, body, method, args",
    [
        ("approve", None, "approve", (RESERVATION_ID,)),
        ("reject", {"reason": "Closed that day"}, "reject", (RESERVATION_ID, "Closed that day")),
        ("cancel", {"reason": "Flooding"}, "cancel", (RESERVATION_ID, "Flooding")),
    ],
)
def test_decisions(client, rpc, operator, path, body, method, args):
    response = client.post(
        f"/api/v1/admin/reservations/{RESERVATION_ID}/{path}", json=body, headers=operator["headers"]
    )
    assert response.status_code == 200, response.get_json()
    assert rpc.of(method) == [((as_actor(operator, "operator"), *args), {})]


@pytest.mark.parametrize("path", ["reject", "cancel"])
@pytest.mark.parametrize("body", [{}, {"reason": ""}, {"reason": "  "}, {"reason": "x" * 501}])
def test_an_operator_gives_a_reason_of_1_to_500_characters(client, rpc, operator, path, body):
    doc = problem(
        client.post(f"/api/v1/admin/reservations/{RESERVATION_ID}/{path}", json=body, headers=operator["headers"]), 422
    )
    assert fields_of(doc) == {"reason"}
    assert rpc.calls == []


def test_approving_what_is_not_pending_is_409(client, rpc, operator):
    rpc.booking["approve"] = Conflict("Only a pending reservation can be approved.")
    problem(client.post(f"/api/v1/admin/reservations/{RESERVATION_ID}/approve", headers=operator["headers"]), 409)


def test_booking_policy_read_and_replace(client, rpc, operator):
    me = as_actor(operator, "operator")
    path = f"/api/v1/admin/spaces/{SPACE_ID}/booking-policy"
    assert client.get(path, headers=operator["headers"]).get_json() == POLICY
    body = {"approval": "automatic", "slot_minutes": 60, "min_minutes": 60, "max_minutes": 180, "max_party_size": 8}
    assert client.put(path, json=body, headers=operator["headers"]).status_code == 200
    assert rpc.of("get_policy") == [((SPACE_ID,), {"actor": me})]
    assert rpc.of("set_policy") == [((me, SPACE_ID, body), {})]


@pytest.mark.parametrize(
    "body, field",
    [
        ({"approval": "sometimes"}, "approval"),
        ({"slot_minutes": 0}, "slot_minutes"),
        ({"horizon_days": 731}, "horizon_days"),
        ({"capacity_percent": 101}, "capacity_percent"),
        ({"max_party_size": 0}, "max_party_size"),
        ({"active_quota": 0}, "active_quota"),
        ({"notice_minutes": -1}, "notice_minutes"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_a_booking_policy_is_checked(client, rpc, operator, body, field):
    doc = problem(
        client.put(f"/api/v1/admin/spaces/{SPACE_ID}/booking-policy", json=body, headers=operator["headers"]), 422
    )
    assert field in fields_of(doc)
    assert rpc.calls == []


def test_the_capacity_limit_is_for_administrators(client, rpc, admin, operator):
    response = client.put(
        "/api/v1/admin/capacity-limit", json={"percent": 50, "reason": "Epidemic"}, headers=admin["headers"]
    )
    assert response.status_code == 200 and response.get_json()["percent"] == 50
    assert rpc.of("set_platform_capacity") == [((as_actor(admin, "admin"), 50, "Epidemic"), {})]
    for percent in (0, 101, "half"):
        assert "percent" in fields_of(
            problem(
                client.put("/api/v1/admin/capacity-limit", json={"percent": percent}, headers=admin["headers"]), 422
            )
        )
    problem(client.put("/api/v1/admin/capacity-limit", json={"percent": 50}, headers=operator["headers"]), 403)


OPERATOR_ROUTES = [
    ("get", "/api/v1/admin/reservations", None),
    ("post", f"/api/v1/admin/reservations/{RESERVATION_ID}/approve", None),
    ("post", f"/api/v1/admin/reservations/{RESERVATION_ID}/reject", {"reason": "No"}),
    ("post", f"/api/v1/admin/reservations/{RESERVATION_ID}/cancel", {"reason": "No"}),
    ("get", f"/api/v1/admin/spaces/{SPACE_ID}/booking-policy", None),
    ("put", f"/api/v1/admin/spaces/{SPACE_ID}/booking-policy", {}),
]
ADMIN_ROUTES = [("put", "/api/v1/admin/capacity-limit", {"percent": 50})]


def test_a_citizen_may_not_use_operator_or_admin_routes(client, rpc, citizen):
    for method, path, body in OPERATOR_ROUTES + ADMIN_ROUTES:
        problem(getattr(client, method)(path, json=body, headers=citizen["headers"]), 403)
        problem(getattr(client, method)(path, json=body), 401)
    assert rpc.calls == []


def test_an_admin_uses_the_operator_routes_as_admin(client, rpc, admin):
    for method, path, body in OPERATOR_ROUTES:
        response = getattr(client, method)(path, json=body, headers=admin["headers"])
        assert response.status_code == 200, (path, response.get_json())
    assert len(rpc.calls) == len(OPERATOR_ROUTES)


# --- public: availability, the space's policy, search by free time -------------------------------


def test_availability(client, rpc):
    response = client.get(
        f"/api/v1/spaces/{SPACE_ID}/availability?from=2026-05-05T00:00:00%2B09:00&to=2026-05-06T00:00:00%2B09:00"
    )
    assert response.status_code == 200
    assert response.get_json() == AVAILABILITY
    assert rpc.of("availability") == [((SPACE_ID, "2026-05-05T00:00:00+09:00", "2026-05-06T00:00:00+09:00"), {})]


@pytest.mark.parametrize(
    "query, field",
    [
        ("to=2026-05-06T00:00:00Z", "from"),
        ("from=2026-05-05T00:00:00Z", "to"),
        ("from=2026-05-05T00:00:00&to=2026-05-06T00:00:00Z", "from"),
        ("from=2026-05-05T00:00:00Z&to=2026-05-06", "to"),
        ("from=2026-05-05T00:00:00Z&to=2026-05-05T00:00:00Z", "to"),
        ("from=2026-05-05T00:00:00Z&to=2026-08-05T00:00:00Z", "to"),
        ("from=2026-05-05T00:00:00Z&to=2026-05-06T00:00:00Z&user=me", "user"),
    ],
)
def test_availability_is_checked(client, rpc, query, field):
    assert field in fields_of(problem(client.get(f"/api/v1/spaces/{SPACE_ID}/availability?{query}"), 422))
    assert rpc.calls == []


def test_availability_of_an_unknown_space_is_404(client, rpc):
    rpc.booking["availability"] = NotFound("No such space.")
    problem(
        client.get(f"/api/v1/spaces/{SPACE_ID}/availability?from=2026-05-05T00:00:00Z&to=2026-05-06T00:00:00Z"), 404
    )
    problem(client.get("/api/v1/spaces/nope/availability?from=2026-05-05T00:00:00Z&to=2026-05-06T00:00:00Z"), 404)


def test_a_space_shows_its_booking_policy(client, rpc):
    space = client.get(f"/api/v1/spaces/{SPACE_ID}").get_json()
    assert space["booking_policy"] == POLICY
    assert rpc.of("get_policy") == [((SPACE_ID,), {})]


@pytest.mark.parametrize(
    "error",
    [
        ServiceUnavailable("reservations"),
        ServiceTimeout("reservations"),
        NotFound("No such space."),
        Conflict("Later.", {"retry_after": 5}),
        Unavailable("No facts yet.", {"service": "spaces", "retry_after": 5}),
    ],
)
def test_a_space_answers_with_a_null_policy_when_reservations_cannot_tell(client, rpc, error):
    rpc.booking["get_policy"] = error
    response = client.get(f"/api/v1/spaces/{SPACE_ID}")
    assert response.status_code == 200
    assert response.get_json()["booking_policy"] is None and response.get_json()["id"] == SPACE_ID


def test_a_space_answers_with_a_null_policy_when_reservations_is_down(client, rpc):
    rpc.down.add("reservations")
    response = client.get(f"/api/v1/spaces/{SPACE_ID}")
    assert response.status_code == 200 and response.get_json()["booking_policy"] is None


def test_search_by_free_time_narrows_to_the_free_spaces(client, rpc):
    response = client.get(
        "/api/v1/spaces?available_from=2026-05-05T10:00:00%2B09:00&available_to=2026-05-05T12:00:00%2B09:00&q=library"
    )
    assert response.status_code == 200, response.get_json()
    assert rpc.of("free_spaces") == [(("2026-05-05T10:00:00+09:00", "2026-05-05T12:00:00+09:00"), {})]
    [((filters,), _)] = rpc.of("search", service="spaces")
    assert filters["ids"] == [SPACE_ID, OTHER_SPACE] and filters["q"] == "library"
    assert "available_from" not in filters and "available_to" not in filters
    assert [name for service, name, _, _ in rpc.calls] == ["free_spaces", "search"]


def test_search_with_no_free_space_searches_none(client, rpc):
    rpc.booking["free_spaces"] = {"from": "…", "to": "…", "free": [], "unavailable": [SPACE_ID]}
    client.get("/api/v1/spaces?available_from=2026-05-05T01:00:00Z&available_to=2026-05-05T02:00:00Z")
    assert rpc.of("search", service="spaces")[0][0][0]["ids"] == []


def test_search_without_a_period_does_not_ask_reservations(client, rpc):
    assert client.get("/api/v1/spaces").status_code == 200
    assert rpc.of("free_spaces") == []
    assert "ids" not in rpc.of("search", service="spaces")[0][0][0]


@pytest.mark.parametrize(
    "query, field",
    [
        ("available_from=2026-05-05T01:00:00Z", "available_to"),
        ("available_to=2026-05-05T01:00:00Z", "available_from"),
        ("available_from=2026-05-05T01:00:00&available_to=2026-05-05T02:00:00Z", "available_from"),
        ("available_from=2026-05-05T02:00:00Z&available_to=2026-05-05T01:00:00Z", "available_to"),
        ("available_from=2026-05-05T01:00:00Z&available_to=2026-05-13T01:00:00Z", "available_to"),
    ],
)
def test_search_period_is_checked_before_any_call(client, rpc, query, field):
    assert field in fields_of(problem(client.get(f"/api/v1/spaces?{query}"), 422))
    assert rpc.calls == []


def test_search_by_free_time_when_reservations_is_down_is_503(client, rpc):
    rpc.down.add("reservations")
    response = client.get("/api/v1/spaces?available_from=2026-05-05T01:00:00Z&available_to=2026-05-05T02:00:00Z")
    assert problem(response, 503)["service"] == "reservations"
    assert rpc.of("search", service="spaces") == []


# --- the OpenAPI document -------------------------------------------------------------------


def test_the_openapi_document_lists_the_reservations_routes(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    paths = spec["paths"]
    expected = {
        "/api/v1/reservations": {"post"},
        "/api/v1/me/reservations": {"get"},
        "/api/v1/me/reservations.ics": {"get"},
        "/api/v1/reservations/{reservation_id}": {"get"},
        "/api/v1/reservations/{reservation_id}/cancel": {"post"},
        "/api/v1/admin/reservations": {"get"},
        "/api/v1/admin/reservations/{reservation_id}/approve": {"post"},
        "/api/v1/admin/reservations/{reservation_id}/reject": {"post"},
        "/api/v1/admin/reservations/{reservation_id}/cancel": {"post"},
        "/api/v1/admin/spaces/{space_id}/booking-policy": {"get", "put"},
        "/api/v1/admin/capacity-limit": {"put"},
        "/api/v1/spaces/{space_id}/availability": {"get"},
    }
    for path, methods in expected.items():
        assert methods <= set(paths[path]), path
    create = paths["/api/v1/reservations"]["post"]
    assert create["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ReservationIn"
    }
    assert {"201", "400", "401", "409", "422"} <= set(create["responses"])
    headers = {p["name"]: p["required"] for p in create["parameters"] if p["in"] == "header"}
    assert headers == {"Idempotency-Key": True}
    availability = {
        p["name"]: p["required"] for p in paths["/api/v1/spaces/{space_id}/availability"]["get"]["parameters"]
    }
    assert availability == {"space_id": True, "from": True, "to": True}
    search = {p["name"] for p in paths["/api/v1/spaces"]["get"]["parameters"]}
    assert {"available_from", "available_to"} <= search
    schemas = spec["components"]["schemas"]
    assert schemas["ReservationIn"]["additionalProperties"] is False
    assert set(schemas["SpacePublic"]["properties"]["booking_policy"]["anyOf"][0].values()) == {
        "#/components/schemas/BookingPolicyOut"
    }
