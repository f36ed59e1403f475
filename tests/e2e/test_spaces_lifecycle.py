"""An operator registers a space, the city reviews it, residents find it: over HTTP."""

import uuid

from tests.e2e.test_spaces_search import hours, space_body


def new_space(session_api, operator, **fields):
    name = f"Review {uuid.uuid4().hex[:8]}"
    body = space_body(
        name_ko=f"마을회의실 {name}",
        name_en=f"Meeting Room {name}",
        district="mapo",
        types=["village_meeting_room"],
        capacity=10,
        lat=37.5663,
        lng=126.9019,
        opening_hours=hours([1, 2, 3, 4, 5], "09:00", "18:00"),
        **fields,
    )
    created = session_api("POST", "/api/v1/admin/spaces", json=body, headers=operator["headers"])
    assert created.status_code == 201, created.text
    return created.json(), name


def found(session_api, name) -> bool:
    return session_api("GET", "/api/v1/spaces", params={"q": name}).json()["total"] == 1


def test_register_submit_publish_then_it_appears_in_search(session_api, admin, make_account):
    operator = make_account("operator")
    space, name = new_space(session_api, operator)
    assert space["status"] == "draft"
    assert not found(session_api, name)

    submitted = session_api("POST", f"/api/v1/admin/spaces/{space['id']}/submit", headers=operator["headers"])
    assert submitted.json()["status"] == "submitted"
    queue = session_api("GET", "/api/v1/admin/review/spaces", params={"page_size": 100}, headers=admin).json()
    assert space["id"] in [item["id"] for item in queue["items"]]

    published = session_api("POST", f"/api/v1/admin/spaces/{space['id']}/publish", headers=admin)
    assert published.json()["status"] == "published"
    assert found(session_api, name)
    assert session_api("GET", f"/api/v1/spaces/{space['id']}").status_code == 200


def test_a_returned_space_goes_back_to_draft_with_the_reason(session_api, admin, make_account):
    operator = make_account("operator")
    space, _ = new_space(session_api, operator)
    session_api("POST", f"/api/v1/admin/spaces/{space['id']}/submit", headers=operator["headers"])

    returned = session_api(
        "POST",
        f"/api/v1/admin/spaces/{space['id']}/return",
        json={"reason": "Please add photos of the entrance."},
        headers=admin,
    )

    assert returned.status_code == 200
    mine = session_api("GET", f"/api/v1/admin/spaces/{space['id']}", headers=operator["headers"]).json()
    assert (mine["status"], mine["status_reason"]) == ("draft", "Please add photos of the entrance.")


def test_suspending_hides_a_space_and_reinstating_shows_it_again(session_api, admin, make_account):
    operator = make_account("operator")
    space, name = new_space(session_api, operator)
    session_api("POST", f"/api/v1/admin/spaces/{space['id']}/submit", headers=operator["headers"])
    session_api("POST", f"/api/v1/admin/spaces/{space['id']}/publish", headers=admin)

    session_api("POST", f"/api/v1/admin/spaces/{space['id']}/suspend", json={"reason": "Safety check"}, headers=admin)
    assert not found(session_api, name)
    assert session_api("GET", f"/api/v1/spaces/{space['id']}").status_code == 404

    session_api("POST", f"/api/v1/admin/spaces/{space['id']}/reinstate", headers=admin)
    assert found(session_api, name)


def test_another_operator_cannot_read_or_edit_a_draft(session_api, make_account):
    owner, other = make_account("operator"), make_account("operator")
    space, _ = new_space(session_api, owner)

    assert session_api("GET", f"/api/v1/admin/spaces/{space['id']}", headers=other["headers"]).status_code == 404
    edit = session_api("PATCH", f"/api/v1/admin/spaces/{space['id']}", json={"capacity": 99}, headers=other["headers"])
    assert edit.status_code == 404
    assert (
        session_api("POST", f"/api/v1/admin/spaces/{space['id']}/submit", headers=other["headers"]).status_code == 404
    )
    listed = session_api("GET", "/api/v1/admin/spaces", headers=other["headers"]).json()
    assert space["id"] not in [item["id"] for item in listed["items"]]


def test_the_owner_edits_a_draft(session_api, make_account):
    owner = make_account("operator")
    space, _ = new_space(session_api, owner)

    edited = session_api(
        "PATCH", f"/api/v1/admin/spaces/{space['id']}", json={"capacity": 25}, headers=owner["headers"]
    )

    assert edited.status_code == 200
    assert edited.json()["capacity"] == 25


def test_a_citizen_cannot_use_operator_or_admin_routes(session_api, make_account):
    citizen = make_account("citizen")
    operator = make_account("operator")

    assert session_api("GET", "/api/v1/admin/review/spaces", headers=citizen["headers"]).status_code == 403
    assert session_api("POST", "/api/v1/admin/spaces", json=space_body(), headers=citizen["headers"]).status_code == 403
    assert session_api("GET", "/api/v1/admin/review/spaces", headers=operator["headers"]).status_code == 403


def test_an_opening_interval_that_ends_before_it_starts_is_a_422_naming_it(session_api, make_account):
    operator = make_account("operator")
    body = space_body(
        name_ko="거꾸로 공간",
        name_en="Backwards Space",
        district="mapo",
        types=["club_room"],
        capacity=5,
        lat=37.5663,
        lng=126.9019,
        opening_hours=[{"weekday": 1, "opens": "18:00", "closes": "09:00"}],
    )

    response = session_api("POST", "/api/v1/admin/spaces", json=body, headers=operator["headers"])

    assert response.status_code == 422
    assert any("opening_hours" in error["field"] for error in response.json()["errors"])
