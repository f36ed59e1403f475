"""Suspending, reinstating and closing a space take effect on bookings as soon as the request
answers, without waiting for the space's event: over HTTP."""

import uuid
from datetime import datetime, timedelta, timezone

from tests.support.stack import published_space

SEOUL = timezone(timedelta(hours=9))
DAY = (datetime.now(SEOUL) + timedelta(days=4)).replace(hour=0, minute=0, second=0, microsecond=0)


def at(hour: int) -> str:
    return (DAY + timedelta(hours=hour)).isoformat()


def book(session_api, citizen, space_id, hour: int):
    return session_api(
        "POST",
        "/api/v1/reservations",
        json={"space_id": space_id, "start": at(hour), "end": at(hour + 1), "party_size": 4},
        headers={**citizen["headers"], "Idempotency-Key": str(uuid.uuid4())},
    )


def status_of(session_api, operator, reservation_id) -> str:
    return session_api("GET", f"/api/v1/reservations/{reservation_id}", headers=operator["headers"]).json()["status"]


def test_suspension_and_reinstatement_hold_for_bookings_as_soon_as_they_answer(session_api, admin, make_account):
    operator, citizen = make_account("operator"), make_account("citizen")
    space_id = published_space(session_api, admin, operator, f"Suspension Room {uuid.uuid4().hex[:8]}")
    for round_no in range(3):  # each time, right after the answer: no waiting for the event
        hour = 6 * round_no
        pending = book(session_api, citizen, space_id, hour)
        assert pending.status_code == 201, pending.text

        suspended = session_api(
            "POST", f"/api/v1/admin/spaces/{space_id}/suspend", json={"reason": "Safety check"}, headers=admin
        )
        assert suspended.status_code == 200, suspended.text
        assert status_of(session_api, operator, pending.json()["id"]) == "cancelled"
        refused = book(session_api, make_account("citizen"), space_id, hour + 2)
        assert refused.status_code == 409 and "suspended" in refused.json()["detail"]

        again = session_api(
            "POST", f"/api/v1/admin/spaces/{space_id}/suspend", json={"reason": "Safety check"}, headers=admin
        )
        assert again.status_code == 409 and "is suspended" in again.json()["detail"]  # a repeat: refused, harmlessly

        reinstated = session_api("POST", f"/api/v1/admin/spaces/{space_id}/reinstate", headers=admin)
        assert reinstated.status_code == 200, reinstated.text
        assert book(session_api, make_account("citizen"), space_id, hour + 3).status_code == 201


def test_closing_cancels_and_refuses_bookings_as_soon_as_it_answers(session_api, admin, make_account):
    operator, citizen = make_account("operator"), make_account("citizen")
    space_id = published_space(session_api, admin, operator, f"Suspension Room {uuid.uuid4().hex[:8]}")
    pending = book(session_api, citizen, space_id, 10).json()

    closed = session_api(
        "POST",
        f"/api/v1/admin/spaces/{space_id}/close",
        json={"reason": "The lease ended"},
        headers=operator["headers"],
    )
    assert closed.status_code == 200, closed.text
    assert status_of(session_api, operator, pending["id"]) == "cancelled"
    assert book(session_api, make_account("citizen"), space_id, 12).status_code == 409
