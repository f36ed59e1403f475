"""A program over HTTP: an operator publishes a weekly program, citizens apply, the space's time follows.

One story through the gateway and the four services: the sessions of a published program
are busy at the space and no reservation can take them; applications are accepted up to
the capacity and then wait-listed; a withdrawal promotes the first waiting; the operator
exports the applicants for Excel; cancelling frees the space's time again.
"""

import time
import uuid
from datetime import datetime, timedelta, timezone

import pytest

from tests.support.stack import PASSWORD, published_space

SEOUL = timezone(timedelta(hours=9))
FIRST_DAY = (datetime.now(SEOUL) + timedelta(days=10)).replace(hour=0, minute=0, second=0, microsecond=0)
WAIT_SECONDS = 15


def eventually(check, seconds: float = WAIT_SECONDS):
    """``check()``'s first answer that is not falsy, trying for ``seconds`` (events travel between services)."""
    deadline = time.monotonic() + seconds
    while True:
        answer = check()
        if answer or time.monotonic() > deadline:
            return answer
        time.sleep(0.3)


@pytest.fixture(scope="module")
def space(session_api, admin, make_account):
    """A published space open all day, every day, and its operator."""
    operator = make_account("operator")
    name = f"Program Room {uuid.uuid4().hex[:8]}"
    space_id = published_space(session_api, admin, operator, name)
    return {"id": space_id, "name": name, "operator": operator}


def citizen_named(session_api, name: str) -> dict:
    """A new citizen account with that (Korean) name: its id, name and auth headers."""
    email = f"citizen-{uuid.uuid4().hex[:10]}@example.com"
    body = {"email": email, "password": PASSWORD, "name": name, "phone": "010-1234-5678"}
    registered = session_api("POST", "/api/v1/auth/register", json=body)
    assert registered.status_code == 201, registered.text
    return {
        "id": registered.json()["user"]["id"],
        "name": name,
        "headers": {"Authorization": f"Bearer {registered.json()['access_token']}"},
    }


def weekly_program(space_id: str, capacity: int, weeks_later: int = 0) -> dict:
    """Three Wednesday mornings (10:00-12:00 in Seoul) from ``FIRST_DAY`` (and ``weeks_later``), open now."""
    first = FIRST_DAY + timedelta(days=(2 - FIRST_DAY.weekday()) % 7, weeks=weeks_later)  # a Wednesday
    return {
        "space_id": space_id,
        "title_ko": "그림책 읽기 모임",
        "title_en": "Picture-book club",
        "description_ko": "아이와 함께 그림책을 읽어요.",
        "description_en": "Picture books read aloud with children.",
        "category": "club",
        "audience": "children",
        "fee_note": "무료 / Free",
        "capacity": capacity,
        "selection": "first_come",
        "application_opens": (datetime.now(SEOUL) - timedelta(minutes=5)).isoformat(),
        "application_closes": (first - timedelta(days=1)).isoformat(),
        "sessions": {
            "weekday": 3,
            "start_time": "10:00",
            "end_time": "12:00",
            "first_date": first.date().isoformat(),
            "count": 3,
        },
    }


def instant(text: str) -> datetime:
    return datetime.fromisoformat(text)


def book(session_api, citizen, space_id, start: datetime, end: datetime):
    return session_api(
        "POST",
        "/api/v1/reservations",
        json={"space_id": space_id, "start": start.isoformat(), "end": end.isoformat(), "party_size": 2},
        headers={**citizen["headers"], "Idempotency-Key": str(uuid.uuid4())},
    )


def apply(session_api, citizen, program_id):
    return session_api(
        "POST",
        f"/api/v1/programs/{program_id}/applications",
        json={"note": "처음 참가합니다"},
        headers={**citizen["headers"], "Idempotency-Key": str(uuid.uuid4())},
    )


def busy_intervals(session_api, space_id: str, start: datetime, end: datetime) -> set[tuple[datetime, datetime]]:
    answer = session_api(
        "GET",
        f"/api/v1/spaces/{space_id}/availability",
        params={"from": start.isoformat(), "to": end.isoformat()},
    )
    assert answer.status_code == 200, answer.text
    return {(instant(b["start"]), instant(b["end"])) for b in answer.json()["busy"]}


def create_and_publish(session_api, space, capacity: int, weeks_later: int = 0) -> dict:
    headers = space["operator"]["headers"]

    def created():  # the programs service learns of the space from its events
        answer = session_api(
            "POST", "/api/v1/admin/programs", json=weekly_program(space["id"], capacity, weeks_later), headers=headers
        )
        return answer if answer.status_code == 201 else None

    draft = eventually(created)
    assert draft is not None, "the programs service never took a program at the published space"
    program = draft.json()
    assert program["status"] == "draft" and len(program["sessions"]) == 3
    published = session_api("POST", f"/api/v1/admin/programs/{program['id']}/publish", headers=headers)
    assert published.status_code == 200, published.text
    assert published.json()["status"] == "published"
    return published.json()


def test_a_weekly_program_from_publication_to_cancellation(session_api, space, make_account):
    operator = space["operator"]["headers"]
    program = create_and_publish(session_api, space, capacity=2)
    sessions = [(instant(s["start"]), instant(s["end"])) for s in program["sessions"]]
    assert all(start.astimezone(SEOUL).hour == 10 and start.astimezone(SEOUL).weekday() == 2 for start, _ in sessions)
    period = (sessions[0][0] - timedelta(hours=10), sessions[-1][1] + timedelta(hours=10))

    # the sessions hold the space: busy to everyone, and no reservation can take them
    assert set(sessions) <= busy_intervals(session_api, space["id"], *period)
    booker = make_account("citizen")
    first_start = sessions[0][0]
    refused = book(session_api, booker, space["id"], first_start, first_start + timedelta(hours=1))
    assert refused.status_code == 409, refused.text

    public = session_api("GET", f"/api/v1/programs/{program['id']}").json()
    assert public["district"] == "mapo" and public["places_left"] == 2 and public["open_for_applications"]
    space_page = session_api("GET", f"/api/v1/spaces/{space['id']}").json()
    assert [p["id"] for p in space_page["upcoming_programs"]] == [program["id"]]

    # first come, first served: two places, then the waiting list
    kim, lee, park = (citizen_named(session_api, name) for name in ("김민지", "이서준", "박지우"))
    statuses = []
    for citizen in (kim, lee, park):
        answer = apply(session_api, citizen, program["id"])
        assert answer.status_code == 201, answer.text
        statuses.append(answer.json())
    assert [a["status"] for a in statuses] == ["accepted", "accepted", "waitlisted"]
    assert statuses[2]["waitlist_position"] == 1
    full = session_api("GET", f"/api/v1/programs/{program['id']}").json()
    assert (full["accepted_count"], full["places_left"], full["waitlist_count"]) == (2, 0, 1)
    mine = session_api("GET", "/api/v1/me/applications", headers=park["headers"]).json()
    assert [item["id"] for item in mine["items"]] == [statuses[2]["id"]]

    # a withdrawal gives the place to the first waiting
    withdrawn = session_api("POST", f"/api/v1/applications/{statuses[0]['id']}/withdraw", headers=kim["headers"])
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn"

    def promoted():
        answer = session_api("GET", f"/api/v1/applications/{statuses[2]['id']}", headers=park["headers"])
        return answer.json()["status"] == "accepted"

    assert eventually(promoted)

    # the operator's list has contact details; the CSV opens in Excel with Korean intact
    applicants = session_api("GET", f"/api/v1/admin/programs/{program['id']}/applications", headers=operator).json()
    assert {(a["name"], a["status"]) for a in applicants["items"]} == {
        ("김민지", "withdrawn"),
        ("이서준", "accepted"),
        ("박지우", "accepted"),
    }
    export = session_api("GET", f"/api/v1/admin/programs/{program['id']}/applications.csv", headers=operator)
    assert export.status_code == 200 and export.headers["Content-Type"].startswith("text/csv")
    assert export.content.startswith("\ufeff".encode())
    text = export.content.decode("utf-8-sig")
    assert "이서준" in text and "박지우" in text and "신청번호 / Application" in text
    assert "attachment" in export.headers["Content-Disposition"]

    # cancelling frees the space's time: the reservation refused before now succeeds
    cancelled = session_api(
        "POST", f"/api/v1/admin/programs/{program['id']}/cancel", json={"reason": "강사 사정"}, headers=operator
    )
    assert cancelled.status_code == 200, cancelled.text
    assert cancelled.json()["status"] == "cancelled"

    def freed():
        return not set(sessions) & busy_intervals(session_api, space["id"], *period)

    assert eventually(freed)
    booked = book(session_api, booker, space["id"], first_start, first_start + timedelta(hours=1))
    assert booked.status_code == 201, booked.text
    after = session_api("GET", f"/api/v1/applications/{statuses[1]['id']}", headers=lee["headers"]).json()
    assert after["status"] == "cancelled"


def test_another_operator_cannot_see_the_program(session_api, space, make_account):
    program = create_and_publish(session_api, space, capacity=5, weeks_later=4)
    stranger = make_account("operator")
    path = f"/api/v1/admin/programs/{program['id']}"
    assert session_api("GET", path, headers=stranger["headers"]).status_code == 404
    assert session_api("GET", f"{path}/applications.csv", headers=stranger["headers"]).status_code == 404
    assert session_api("GET", path, headers=space["operator"]["headers"]).status_code == 200
    cancelled = session_api(
        "POST", f"{path}/cancel", json={"reason": "Test over"}, headers=space["operator"]["headers"]
    )
    assert cancelled.status_code == 200, cancelled.text


def test_operators_list_their_programs_and_citizens_find_them(session_api, space, make_account):
    program = create_and_publish(session_api, space, capacity=5, weeks_later=8)
    operator = space["operator"]["headers"]
    try:
        mine = session_api("GET", "/api/v1/admin/programs", params={"space_id": space["id"]}, headers=operator)
        assert mine.status_code == 200, mine.text
        listed = {item["id"]: item for item in mine.json()["items"]}
        assert listed[program["id"]]["counts"]["accepted"] == 0
        stranger = make_account("operator")
        others = session_api("GET", "/api/v1/admin/programs", headers=stranger["headers"])
        assert others.status_code == 200 and others.json()["items"] == []

        filters = {"q": space["name"], "district": ["mapo", "jongno"], "type": "village_meeting_room"}
        found = session_api("GET", "/api/v1/programs", params=filters | {"category": ["club", "lecture"]})
        assert found.status_code == 200, found.text
        assert [item["id"] for item in found.json()["items"]] == [program["id"]]
        assert found.json()["items"][0]["district"] == "mapo"
        assert session_api("GET", "/api/v1/programs", params=filters | {"category": "lecture"}).json()["total"] == 0
    finally:
        path = f"/api/v1/admin/programs/{program['id']}/cancel"
        assert session_api("POST", path, json={"reason": "Test over"}, headers=operator).status_code == 200


def test_a_reviewed_program_with_listed_sessions_decisions_and_attendance(session_api, space, make_account):
    operator = space["operator"]["headers"]
    first = FIRST_DAY + timedelta(weeks=12, hours=14)
    body = weekly_program(space["id"], capacity=3) | {
        "selection": "review",
        "companions": 1,
        "application_closes": (first - timedelta(days=1)).isoformat(),
        "sessions": [
            {"start": first.isoformat(), "end": (first + timedelta(hours=2)).isoformat()},
            {"start": (first + timedelta(days=1)).isoformat(), "end": (first + timedelta(days=1, hours=2)).isoformat()},
        ],
    }
    draft = session_api("POST", "/api/v1/admin/programs", json=body, headers=operator)
    assert draft.status_code == 201, draft.text
    path = f"/api/v1/admin/programs/{draft.json()['id']}"
    edited = session_api("PATCH", path, json={"title_en": "Picture-book club for families"}, headers=operator)
    assert edited.status_code == 200 and edited.json()["title_en"] == "Picture-book club for families"
    assert session_api("POST", f"{path}/publish", headers=operator).status_code == 200
    program_id = draft.json()["id"]
    try:
        kim, lee = make_account("citizen"), make_account("citizen")
        key = {"Idempotency-Key": str(uuid.uuid4())}
        applied = [
            session_api(
                "POST",
                f"/api/v1/programs/{program_id}/applications",
                json={"party_size": 2},
                headers=kim["headers"] | key,
            )
            for _ in range(2)
        ]
        assert [a.status_code for a in applied] == [201, 201], applied[0].text
        assert applied[0].json()["id"] == applied[1].json()["id"] and applied[0].json()["status"] == "pending"
        too_many = session_api(
            "POST",
            f"/api/v1/programs/{program_id}/applications",
            json={"party_size": 3},
            headers=lee["headers"] | {"Idempotency-Key": str(uuid.uuid4())},
        )
        assert too_many.status_code == 422 and too_many.json()["errors"][0]["field"] == "party_size"
        other = apply(session_api, lee, program_id).json()

        accepted = session_api("POST", f"/api/v1/admin/applications/{applied[0].json()['id']}/accept", headers=operator)
        assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
        rejected = session_api(
            "POST", f"/api/v1/admin/applications/{other['id']}/reject", json={"reason": "정원 초과"}, headers=operator
        )
        assert rejected.status_code == 200, rejected.text
        seen = session_api("GET", f"/api/v1/applications/{other['id']}", headers=lee["headers"]).json()
        assert (seen["status"], seen["status_reason"]) == ("rejected", "정원 초과")

        marked = session_api(
            "PUT", f"{path}/sessions/1/attendance", json={"present": [accepted.json()["id"]]}, headers=operator
        )
        assert marked.status_code == 200 and marked.json()["present"] == [accepted.json()["id"]]
        assert (
            session_api("PUT", f"{path}/sessions/3/attendance", json={"present": []}, headers=operator).status_code
            == 404
        )
        applicants = session_api("GET", f"{path}/applications", params={"status": "accepted"}, headers=operator).json()
        assert [(a["id"], a["attendance"], a["party_size"]) for a in applicants["items"]] == [
            (accepted.json()["id"], [1], 2)
        ]
        assert applicants["counts"]["rejected"] == 1
    finally:
        assert session_api("POST", f"{path}/cancel", json={"reason": "Test over"}, headers=operator).status_code == 200
