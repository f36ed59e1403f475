"""The demo spaces: deterministic, spread over every district, valid against the catalogues."""

import math
import re
from collections import Counter
from itertools import pairwise

import pytest

from gateway.seed import places
from gateway.seed.catalogue import load_catalogue
from gateway.seed.generator import MAX_SPACES, RADIUS_M, generate_spaces

OPERATORS = [f"00000000-0000-4000-8000-00000000000{n}" for n in range(1, 6)]
CLOCK = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$|^24:00$")
LOCAL = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$")
HANGUL = re.compile(r"[\uac00-\ud7a3]")


@pytest.fixture(scope="module")
def catalogue():
    return load_catalogue()


@pytest.fixture(scope="module")
def spaces(catalogue):
    return list(generate_spaces(600, OPERATORS, catalogue))


def minutes(clock: str) -> int:
    hours, mins = clock.split(":")
    return int(hours) * 60 + int(mins)


def distance_m(lat1, lng1, lat2, lng2) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lng2 - lng1) / 2) ** 2
    return 2 * 6_371_000 * math.asin(math.sqrt(a))


def test_the_same_count_gives_the_same_spaces(catalogue, spaces):
    assert list(generate_spaces(600, OPERATORS, catalogue)) == spaces


def test_a_larger_count_starts_with_the_smaller_one(catalogue, spaces):
    many = generate_spaces(MAX_SPACES, OPERATORS, catalogue)  # lazy: only the first 1,000 are made
    first = [next(many) for _ in range(1000)]
    assert first[:600] == spaces
    assert first[:20] == list(generate_spaces(20, OPERATORS, catalogue))


def test_every_district_gets_its_share(catalogue, spaces):
    per_district = Counter(space["district"] for space in spaces)
    assert per_district == {district["code"]: 24 for district in catalogue.districts}
    assert Counter(s["district"] for s in generate_spaces(30, OPERATORS, catalogue)).keys() == per_district.keys()


def test_spaces_lie_within_their_district_radius(catalogue, spaces):
    centres = {d["code"]: d["center"] for d in catalogue.districts}
    for space in spaces:
        centre = centres[space["district"]]
        assert distance_m(centre["lat"], centre["lng"], space["lat"], space["lng"]) <= RADIUS_M, space["external_ref"]


def test_every_code_is_in_the_catalogues(catalogue, spaces):
    types = {t["code"] for t in catalogue.space_types}
    amenities = {a["code"] for a in catalogue.amenities}
    districts = {d["code"] for d in catalogue.districts}
    for space in spaces:
        assert space["district"] in districts
        assert 1 <= len(space["types"]) <= 2 and len(set(space["types"])) == len(space["types"])
        assert set(space["types"]) <= types
        assert 2 <= len(space["amenities"]) <= 7 and len(set(space["amenities"])) == len(space["amenities"])
        assert set(space["amenities"]) <= amenities


def test_the_data_lists_name_only_catalogue_codes(catalogue):
    types = {t["code"] for t in catalogue.space_types}
    amenities = {a["code"] for a in catalogue.amenities}
    assert set(places.DONGS) == {d["code"] for d in catalogue.districts}
    assert set(places.TYPE_WEIGHTS) <= types and set(places.DESCRIPTIONS) <= types
    assert set(places.COMPANION_TYPES) <= types
    assert all(set(companions) <= types for companions in places.COMPANION_TYPES.values())
    assert set(places.AMENITY_WEIGHTS) <= amenities and set(places.AMENITIES_BY_TYPE) <= types
    assert all(set(extra) <= amenities for extra in places.AMENITIES_BY_TYPE.values())


def test_types_are_spread_with_the_common_ones_first(spaces):
    primary = Counter(space["types"][0] for space in spaces)
    assert len(primary) >= 12
    assert {"small_library", "community_space", "village_meeting_room"} == {t for t, _ in primary.most_common(3)}
    assert 0.1 < sum(len(space["types"]) == 2 for space in spaces) / len(spaces) < 0.5


def test_opening_hours_are_valid_and_do_not_overlap(spaces):
    for space in spaces:
        assert space["opening_hours"], space["external_ref"]
        by_day: dict[int, list[tuple[int, int]]] = {}
        for interval in space["opening_hours"]:
            assert set(interval) == {"weekday", "opens", "closes"}
            assert 1 <= interval["weekday"] <= 7
            assert CLOCK.match(interval["opens"]) and CLOCK.match(interval["closes"])
            assert interval["opens"] != "24:00"
            assert minutes(interval["closes"]) > minutes(interval["opens"])
            by_day.setdefault(interval["weekday"], []).append((minutes(interval["opens"]), minutes(interval["closes"])))
        for intervals in by_day.values():
            intervals.sort()
            assert all(earlier[1] <= later[0] for earlier, later in pairwise(intervals))


def test_opening_hours_follow_several_patterns(spaces):
    def days(space):
        return {interval["weekday"] for interval in space["opening_hours"]}

    def split(space):
        return len(space["opening_hours"]) > len(days(space))

    assert any(days(s) == {1, 2, 3, 4, 5} and not split(s) for s in spaces)  # weekdays
    assert any(days(s) == set(range(1, 8)) for s in spaces)  # every day
    assert any(split(s) for s in spaces)  # a lunch break
    assert any(7 not in days(s) and 6 in days(s) for s in spaces)  # closed on Sundays


def test_closures_are_few_and_valid(spaces):
    with_closures = [s for s in spaces if s["closures"]]
    assert 0 < len(with_closures) < len(spaces) * 0.2
    for space in with_closures:
        for closure in space["closures"]:
            assert LOCAL.match(closure["starts_at"]) and LOCAL.match(closure["ends_at"])
            assert closure["ends_at"] > closure["starts_at"]
            assert 1 <= len(closure["reason"]) <= 200


def test_names_descriptions_and_addresses_are_bilingual(spaces):
    for space in spaces:
        for field in ("name", "description", "address"):
            ko, en = space[f"{field}_ko"], space[f"{field}_en"]
            assert ko.strip() and en.strip()
            assert HANGUL.search(ko), (field, ko)
            assert not HANGUL.search(en) and re.search(r"[A-Za-z]{3}", en), (field, en)
        assert space["address_ko"].startswith("서울특별시 ")
        assert space["address_en"].endswith(", Seoul")
    names = Counter((space["district"], space["name_ko"]) for space in spaces)
    assert names.most_common(1)[0][1] == 1  # a name repeated in a district is numbered


def test_the_other_fields_are_plausible(spaces):
    for space in spaces:
        assert 4 <= space["capacity"] <= 120
        assert space["floor_area_m2"] > 0
        assert re.fullmatch(r"02-\d{3}-\d{4}", space["phone"])
        assert re.fullmatch(r"[a-z]+\d+@demo\.community-space\.kr", space["email"])
        assert space["fee_per_hour"] >= 0 and space["currency"] == "KRW"
        assert space["timezone"] == "Asia/Seoul"
    capacities = sorted(space["capacity"] for space in spaces)
    assert capacities[len(capacities) // 2] <= 30  # mostly small
    assert sum(space["fee_per_hour"] == 0 for space in spaces) > len(spaces) * 0.75


def test_external_refs_are_unique_and_operators_take_turns(spaces):
    assert [space["external_ref"] for space in spaces] == [f"seed-{n}" for n in range(1, 601)]
    assert [space["operators"] for space in spaces[:7]] == [[OPERATORS[i % 5]] for i in range(7)]
    assert Counter(space["operators"][0] for space in spaces) == {operator: 120 for operator in OPERATORS}


def test_bad_arguments_fail_at_once(catalogue):
    with pytest.raises(ValueError):
        generate_spaces(MAX_SPACES + 1, OPERATORS, catalogue)
    with pytest.raises(ValueError):
        generate_spaces(10, [], catalogue)


def test_the_spaces_pass_the_spaces_service_validation(spaces):
    """Cross-check with the spaces service's own rules."""
    from services.spaces.domain import validation

    for space in spaces:
        data = {key: value for key, value in space.items() if key not in ("operators", "external_ref")}
        validation.clean_space(data)
