"""Statuses, transitions, access, and the search filters."""

import uuid

import pytest

from chassis.errors import Conflict, Forbidden, Invalid, NotFound
from services.spaces.domain.access import actor_of, require_manager, require_operator_of, require_role
from services.spaces.domain.search_filters import search_filters
from services.spaces.domain.space import Space
from services.spaces.domain.validation import clean_space
from tests.unit.spaces.factories import space_data

OWNER = str(uuid.uuid4())


def a_space(status="draft") -> Space:
    details = clean_space(space_data())
    return Space(
        id=str(uuid.uuid4()), status=status, operators=[OWNER], details=details, closures=details.pop("closures")
    )


def test_the_lifecycle():
    space = a_space()
    for action, status in [
        ("submit", "submitted"),
        ("return_to_draft", "draft"),
        ("submit", "submitted"),
        ("publish", "published"),
        ("suspend", "suspended"),
        ("reinstate", "published"),
        ("close", "closed"),
    ]:
        space.apply(action, reason="because" if action in ("return_to_draft", "suspend", "close") else None)
        assert space.status == status
    assert space.status_reason == "because" and space.published_at and space.submitted_at


@pytest.mark.parametrize(
    "status, action",
    [
        ("draft", "publish"),
        ("published", "submit"),
        ("closed", "close"),
        ("draft", "suspend"),
        ("published", "reinstate"),
    ],
)
def test_a_transition_the_status_does_not_allow_names_the_status(status, action):
    with pytest.raises(Conflict) as caught:
        a_space(status).apply(action, reason="r")
    assert status in caught.value.detail and caught.value.extra["status"] == status


def test_a_reason_is_required_where_it_is_taken():
    with pytest.raises(Invalid) as caught:
        a_space("submitted").apply("return_to_draft", reason=" ")
    assert caught.value.extra["errors"][0]["field"] == "reason"


def test_a_closed_space_cannot_change():
    with pytest.raises(Conflict):
        a_space("closed").require_open_for_changes()


def test_access():
    space = a_space()
    owner, stranger = (
        actor_of({"id": OWNER, "role": "operator"}),
        actor_of({"id": str(uuid.uuid4()), "role": "operator"}),
    )
    admin, citizen = actor_of({"id": str(uuid.uuid4()), "role": "admin"}), actor_of({"id": OWNER, "role": "citizen"})
    require_manager(owner, space)
    require_manager(admin, space)
    with pytest.raises(NotFound):
        require_manager(stranger, space)
    with pytest.raises(Forbidden):
        require_manager(citizen, space)
    with pytest.raises(Forbidden):
        require_role(citizen, "operator", "admin")
    with pytest.raises(Forbidden):
        require_operator_of(admin, space)


def test_a_malformed_actor_is_invalid():
    with pytest.raises(Invalid):
        actor_of({"id": "nobody", "role": "operator"})
    with pytest.raises(Invalid):
        actor_of({"id": OWNER, "role": "king"})


def test_the_event_data_carries_the_names_and_no_contact():
    facts = a_space().facts()
    assert set(facts) == {
        "space_id",
        "name_ko",
        "name_en",
        "status",
        "status_reason",
        "operators",
        "district",
        "types",
        "capacity",
        "timezone",
        "opening_hours",
        "closures",
    }
    assert (facts["name_ko"], facts["name_en"]) == ("망원 작은도서관", "Mangwon Small Library")


def filter_problems(raw) -> dict:
    with pytest.raises(Invalid) as caught:
        search_filters(raw)
    return {p["field"]: p["message"] for p in caught.value.extra["errors"]}


@pytest.mark.parametrize(
    "raw, field",
    [
        ({"page_size": 101}, "page_size"),
        ({"page": 0}, "page"),
        ({"lat": 37.5}, "lng"),
        ({"lat": 37.5, "lng": 127.0, "radius_m": 50_001}, "radius_m"),
        ({"q": "x" * 201}, "q"),
        ({"districts": ["atlantis"]}, "districts"),
        ({"open_at": "2026-05-04T19:00"}, "open_at"),
        ({"sort": "distance"}, "sort"),
        ({"sort": "price"}, "sort"),
        ({"min_capacity": 0}, "min_capacity"),
        ({"ids": ["nope"]}, "ids"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_bad_filters_name_their_field(raw, field):
    assert field in filter_problems(raw)


def test_unknown_district_lists_the_valid_codes():
    assert "mapo" in filter_problems({"districts": ["atlantis"]})["districts"]


def test_filters_are_normalised():
    filters = search_filters({"q": "  Library ", "districts": ["mapo", "mapo"], "page_size": None})
    assert filters.q == "library" and filters.districts == ("mapo",) and filters.page_size == 20
