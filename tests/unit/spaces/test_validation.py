"""The space's input rules: every problem is an Invalid naming its field."""

import pytest

from chassis.errors import Invalid
from services.spaces.domain.validation import clean_space
from tests.unit.spaces.factories import space_data


def problems_of(data, partial=False) -> dict:
    with pytest.raises(Invalid) as caught:
        clean_space(data, partial=partial)
    return {p["field"]: p["message"] for p in caught.value.extra["errors"]}


def test_a_valid_space_gets_its_defaults():
    cleaned = clean_space(space_data())
    assert cleaned["timezone"] == "Asia/Seoul"
    assert cleaned["fee_per_hour"] == 0
    assert cleaned["currency"] == "KRW"
    assert cleaned["closures"] == [] and cleaned["photos"] == []


@pytest.mark.parametrize("field", ["name_ko", "name_en", "address_ko", "types", "district", "lat", "lng", "capacity"])
def test_required_fields(field):
    data = space_data()
    del data[field]
    assert problems_of(data)[field] == "is required"


@pytest.mark.parametrize(
    "field, value",
    [
        ("name_ko", ""),
        ("name_en", "x" * 201),
        ("description_en", "x" * 5001),
        ("lat", 91),
        ("lng", -180.5),
        ("capacity", 0),
        ("capacity", 10_001),
        ("capacity", 2.5),
        ("capacity", True),
        ("floor_area_m2", 0),
        ("fee_per_hour", -1),
        ("timezone", "Mars/Olympus"),
        ("email", "not-an-email"),
        ("phone", "call me"),
        ("types", []),
        ("photos", ["ftp://example.org/a.jpg"] * 1),
        ("photos", ["https://e.org/a.jpg"] * 21),
        ("currency", "won"),
    ],
)
def test_bad_values_name_their_field(field, value):
    problems = problems_of(space_data(**{field: value}))
    assert any(name == field or name.startswith(f"{field}[") for name in problems), problems


def test_unknown_codes_list_the_valid_ones():
    problems = problems_of(space_data(types=["castle"], district="atlantis", amenities=["moat"]))
    assert "castle" in problems["types"] and "small_library" in problems["types"]
    assert "atlantis" in problems["district"] and "mapo" in problems["district"]
    assert "moat" in problems["amenities"] and "wifi" in problems["amenities"]


def test_unknown_and_read_only_fields_are_refused():
    problems = problems_of(space_data(status="published", colour="red"))
    assert problems == {"status": "may not be set", "colour": "unknown field"}


def test_every_problem_is_reported_at_once():
    assert set(problems_of(space_data(capacity=0, lat=100, district="x"))) == {"capacity", "lat", "district"}


def test_the_primary_type_must_lead_the_types():
    assert clean_space(space_data(type="small_library", types=None))["types"] == ["small_library"]
    assert "type" in problems_of(space_data(type="club_room", types=["small_library", "club_room"]))


def test_changes_may_be_any_subset_but_not_null_for_required_fields():
    assert clean_space({"capacity": 30}, partial=True) == {"capacity": 30}
    assert "name_ko" in problems_of({"name_ko": None}, partial=True)


def test_a_timezone_other_than_seoul():
    assert clean_space(space_data(timezone="Europe/Berlin"))["timezone"] == "Europe/Berlin"
