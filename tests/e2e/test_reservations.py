"""Booking a space over HTTP: request, approval, the calendar, overlaps, and who may see what."""

import time
import uuid
from datetime import datetime, timedelta, timezone

import pytest

from tests.support.stack import published_space

SEOUL = timezone(timedelta(hours=9))
DAY = (datetime.now(SEOUL) + timedelta(days=3)).replace(hour=0, minute=0, second=0, microsecond=0)


def at(hour: int) -> str:
    return (DAY + timedelta(hours=hour)).isoformat()


@pytest.fixture(scope="module")
def space(session_api, admin, make_account):
    """A published space open all day, every day, and its operator."""
    operator = make_account("operator")
    name = f"Booking Room {uuid.uuid4().hex[:8]}"
    space_id = published_space(session_api, admin, operator, name)
    return {"id": space_id, "name": name, "operator": operator}


def book(session_api, citizen, space_id, start, end, key=None):
    return session_api(
        "POST",
        "/api/v1/reservations",
        json={"space_id": space_id, "start": start, "end": end, "party_size": 4, "purpose": "Book club"},
        headers={**citizen["headers"], "Idempotency-Key": key or str(uuid.uuid4())},
    )


def test_book_approve_calendar_overlap_and_availability(session_api, space, make_account):
    citizen, other = make_account("citizen"), make_account("citizen")

    booked = book(session_api, citizen, space["id"], at(10), at(12))
    assert booked.status_code == 201, booked.text
    reservation = booked.json()
    assert reservation["status"] == "pending"

    inbox = session_api(
        "GET", "/api/v1/admin/reservations", params={"space_id": space["id"]}, headers=space["operator"]["headers"]
    ).json()
    assert [item["id"] for item in inbox["items"]] == [reservation["id"]]
    approved = session_api(
        "POST", f"/api/v1/admin/reservations/{reservation['id']}/approve", headers=space["operator"]["headers"]
    )
    assert approved.json()["status"] == "approved"

    mine = session_api("GET", "/api/v1/me/reservations", headers=citizen["headers"]).json()
    assert [(item["id"], item["status"]) for item in mine["items"]] == [(reservation["id"], "approved")]
    calendar = session_api("GET", "/api/v1/me/reservations.ics", headers=citizen["headers"])
    assert calendar.headers["Content-Type"].startswith("text/calendar")
    assert "BEGIN:VEVENT" in calendar.text and reservation["id"] in calendar.text

    overlapping = book(session_api, other, space["id"], at(11), at(13))
    assert overlapping.status_code == 409
    assert overlapping.headers["Content-Type"] == "application/problem+json"
    assert book(session_api, other, space["id"], at(12), at(13)).status_code == 201

    def found_free(start, end) -> int:
        return session_api(
            "GET", "/api/v1/spaces", params={"q": space["name"], "available_from": start, "available_to": end}
        ).json()["total"]

    assert found_free(at(10), at(12)) == 0
    assert found_free(at(14), at(15)) == 1


def test_a_repeated_request_with_the_same_key_makes_one_reservation(session_api, space, make_account):
    citizen = make_account("citizen")
    key = str(uuid.uuid4())

    first = book(session_api, citizen, space["id"], at(16), at(17), key)
    again = book(session_api, citizen, space["id"], at(16), at(17), key)

    assert (first.status_code, again.status_code) == (201, 201)
    assert first.json()["id"] == again.json()["id"]


def test_a_request_without_an_idempotency_key_is_a_400_problem(session_api, space, make_account):
    citizen = make_account("citizen")
    response = session_api(
        "POST",
        "/api/v1/reservations",
        headers=citizen["headers"],
        json={"space_id": space["id"], "start": at(18), "end": at(19), "party_size": 2},
    )
    assert response.status_code == 400
    assert response.headers["Content-Type"] == "application/problem+json"


def test_others_cannot_read_cancel_or_decide_a_reservation(session_api, space, admin, make_account):
    citizen, stranger = make_account("citizen"), make_account("citizen")
    reservation = book(session_api, citizen, space["id"], at(20), at(21)).json()
    other_operator = make_account("operator")

    assert (
        session_api("GET", f"/api/v1/reservations/{reservation['id']}", headers=stranger["headers"]).status_code == 404
    )
    assert (
        session_api(
            "POST", f"/api/v1/reservations/{reservation['id']}/cancel", json={}, headers=stranger["headers"]
        ).status_code
        == 404
    )
    assert (
        session_api(
            "POST", f"/api/v1/admin/reservations/{reservation['id']}/approve", headers=other_operator["headers"]
        ).status_code
        == 404
    )
    assert (
        session_api(
            "GET", f"/api/v1/reservations/{reservation['id']}", headers=space["operator"]["headers"]
        ).status_code
        == 200
    )


def test_an_operator_s_closure_cancels_the_bookings_inside_it(session_api, space, make_account):
    citizen = make_account("citizen")
    later = DAY + timedelta(days=2)
    booked = book(
        session_api,
        citizen,
        space["id"],
        (later + timedelta(hours=9)).isoformat(),
        (later + timedelta(hours=10)).isoformat(),
    )
    assert booked.status_code == 201, booked.text
    closure = {
        "starts_at": later.strftime("%Y-%m-%dT08:00"),
        "ends_at": later.strftime("%Y-%m-%dT20:00"),
        "reason": "Floor repairs",
    }
    added = session_api(
        "POST", f"/api/v1/admin/spaces/{space['id']}/closures", json=closure, headers=space["operator"]["headers"]
    )
    assert added.status_code == 201, added.text

    def status() -> tuple:
        mine = session_api("GET", f"/api/v1/reservations/{booked.json()['id']}", headers=citizen["headers"]).json()
        return mine["status"], mine["status_reason"]

    deadline = time.monotonic() + 10
    while status()[0] != "cancelled" and time.monotonic() < deadline:
        time.sleep(0.1)
    assert status() == (
        "cancelled",
        f"The space is closed from {closure['starts_at']} to {closure['ends_at']}: Floor repairs",
    )
