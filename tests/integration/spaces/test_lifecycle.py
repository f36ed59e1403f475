"""A space's life through a real service process: registration, review, ownership, closures."""

import pytest

from chassis.errors import Conflict, Forbidden, Invalid, NotFound
from tests.integration.spaces.conftest import an_actor
from tests.unit.spaces.factories import space_data


def visible(spaces, space_id) -> bool:
    return spaces.search({"ids": [space_id]})["total"] == 1


def test_the_full_lifecycle(spaces, operator, admin):
    space = spaces.register(operator, space_data())
    assert space["status"] == "draft" and space["operators"] == [operator["id"]]
    assert space["type"] == "small_library" and space["timezone"] == "Asia/Seoul" and space["fee_per_hour"] == 0

    space = spaces.update(operator, space["id"], {"capacity": 25, "name_en": "Mangwon Library"})
    assert (space["capacity"], space["name_en"]) == (25, "Mangwon Library")
    assert spaces.submit(operator, space["id"])["status"] == "submitted"
    assert space["id"] in [s["id"] for s in spaces.review_queue(admin, page_size=100)["items"]]
    assert not visible(spaces, space["id"])

    published = spaces.publish(admin, space["id"])
    assert published["status"] == "published" and published["published_at"]
    assert visible(spaces, space["id"])
    assert spaces.get_published(space["id"])["name_en"] == "Mangwon Library"
    assert "operators" not in spaces.get_published(space["id"])

    assert spaces.suspend(admin, space["id"], "Complaints")["status_reason"] == "Complaints"
    assert not visible(spaces, space["id"])
    with pytest.raises(NotFound):
        spaces.get_published(space["id"])
    assert spaces.reinstate(admin, space["id"])["status"] == "published"
    assert visible(spaces, space["id"])

    closed = spaces.close(operator, space["id"], "Moved away")
    assert (closed["status"], closed["status_reason"]) == ("closed", "Moved away")
    assert not visible(spaces, space["id"])
    with pytest.raises(Conflict):
        spaces.update(operator, space["id"], {"capacity": 5})


def test_a_submission_returned_with_a_reason_goes_back_to_draft(spaces, operator, admin):
    space = spaces.register(operator, space_data())
    spaces.submit(operator, space["id"])
    returned = spaces.return_to_draft(admin, space["id"], "Add photos")
    assert (returned["status"], returned["status_reason"]) == ("draft", "Add photos")
    assert spaces.submit(operator, space["id"])["status_reason"] is None


def test_a_transition_the_status_does_not_allow_is_a_conflict(spaces, operator, admin):
    space = spaces.register(operator, space_data())
    with pytest.raises(Conflict) as caught:
        spaces.publish(admin, space["id"])
    assert "draft" in str(caught.value)


def test_ownership(spaces, operator, admin):
    space = spaces.register(operator, space_data())
    stranger = an_actor("operator")
    for call in (
        lambda: spaces.get_for_actor(stranger, space["id"]),
        lambda: spaces.update(stranger, space["id"], {"capacity": 3}),
        lambda: spaces.submit(stranger, space["id"]),
        lambda: spaces.close(stranger, space["id"], "mine now"),
    ):
        with pytest.raises(NotFound):
            call()
    with pytest.raises(Forbidden):
        spaces.register(an_actor("citizen"), space_data())
    with pytest.raises(Forbidden):
        spaces.publish(operator, space["id"])
    assert spaces.get_for_actor(admin, space["id"])["id"] == space["id"]

    mine = spaces.list_for_actor(operator)
    assert [s["id"] for s in mine["items"]] == [space["id"]] and mine["total"] == 1
    assert spaces.list_for_actor(stranger)["total"] == 0
    assert spaces.list_for_actor(operator, status="published")["total"] == 0


def test_bad_input_is_invalid_naming_the_field(spaces, operator):
    with pytest.raises(Invalid) as caught:
        spaces.register(
            operator, space_data(capacity=0, opening_hours=[{"weekday": 1, "opens": "10:00", "closes": "09:00"}])
        )
    fields = {e["field"] for e in caught.value.extra["errors"]}
    assert fields == {"capacity", "opening_hours[0].closes"}
    with pytest.raises(NotFound):
        spaces.get_for_actor(operator, "not-a-uuid")


def test_closures(spaces, operator, published):
    space = published()
    closure = spaces.add_closure(
        operator, space["id"], {"starts_at": "2026-12-24T18:00", "ends_at": "2026-12-26T09:00", "reason": "Holidays"}
    )
    assert closure["starts_at"] == "2026-12-24T18:00" and closure["id"]
    assert spaces.facts(space["id"])["closures"] == [closure]
    spaces.remove_closure(operator, space["id"], closure["id"])
    assert spaces.get_for_actor(operator, space["id"])["closures"] == []
    with pytest.raises(NotFound):
        spaces.remove_closure(operator, space["id"], closure["id"])


def test_catalogues(spaces):
    catalogues = spaces.catalogues()
    assert {"code": "mapo", "name_ko": "마포구", "name_en": "Mapo-gu"} in catalogues["districts"]
    assert set(catalogues) == {"districts", "space_types", "amenities"}


def test_import_is_admin_only_and_idempotent(spaces, admin, operator):
    items = [
        {**space_data(name_en=f"Imported {n}"), "external_ref": f"seoul-{n}", "operators": [operator["id"]]}
        for n in range(3)
    ]
    with pytest.raises(Forbidden):
        spaces.import_published(operator, items)
    assert spaces.import_published(admin, items) == {"imported": 3, "skipped": 0}
    more = items + [{**space_data(), "external_ref": "seoul-3", "operators": [operator["id"]]}]
    assert spaces.import_published(admin, more) == {"imported": 1, "skipped": 3}
    imported = spaces.list_for_actor(operator, status="published")
    assert imported["total"] == 4


def test_a_bad_import_item_is_named_by_its_position(spaces, admin):
    items = [{**space_data(capacity=0), "external_ref": "bad-1", "operators": ["nobody"]}]
    with pytest.raises(Invalid) as caught:
        spaces.import_published(admin, items)
    assert {e["field"] for e in caught.value.extra["errors"]} == {"spaces[0].capacity", "spaces[0].operators"}
