"""Search through a real service process: every filter, sort, facet and page.

Five spaces are imported once; every search narrows to their ids so that spaces other
tests publish in the same database do not change the counts.
"""

import uuid

import pytest

from chassis.errors import Invalid
from tests.integration.spaces.conftest import an_actor
from tests.unit.spaces.factories import space_data

WEDNESDAY = 3
SPACES = {
    "A": space_data(
        name_ko="망원 작은도서관",
        name_en="Mangwon Small Library",
        district="mapo",
        types=["small_library", "community_space"],
        capacity=20,
        amenities=["wifi", "wheelchair_access"],
        lat=37.5551,
        lng=126.9014,
        description_en="Books for all",
        opening_hours=[{"weekday": WEDNESDAY, "opens": "09:00", "closes": "18:00"}],
    ),
    "B": space_data(
        name_ko="합정 공유부엌",
        name_en="Hapjeong Shared Kitchen",
        district="mapo",
        types=["shared_kitchen"],
        capacity=12,
        amenities=["kitchen", "wifi"],
        lat=37.5496,
        lng=126.9139,
        description_en="Cook together",
        description_ko="함께 요리해요",
        opening_hours=[
            {"weekday": WEDNESDAY, "opens": "10:00", "closes": "24:00"},
            {"weekday": WEDNESDAY + 1, "opens": "00:00", "closes": "10:00"},
        ],
        closures=[{"starts_at": "2026-05-06T19:00", "ends_at": "2026-05-07T09:00", "reason": "Deep clean"}],
    ),
    "C": space_data(
        name_ko="종로 마을회의실",
        name_en="Jongno Village Meeting Room",
        district="jongno",
        types=["village_meeting_room", "small_library"],
        capacity=60,
        amenities=["projector", "wifi"],
        lat=37.5735,
        lng=126.979,
        description_en="Meetings",
        description_ko="회의",
        opening_hours=[
            {"weekday": WEDNESDAY, "opens": "18:00", "closes": "24:00"},
            {"weekday": WEDNESDAY + 1, "opens": "00:00", "closes": "02:00"},
        ],
    ),
    "D": space_data(
        name_ko="베를린 키츠라움",
        name_en="Berlin Kiezraum",
        district="gangnam",
        types=["community_space"],
        capacity=8,
        amenities=[],
        lat=37.5172,
        lng=127.0473,
        timezone="Europe/Berlin",
        description_en="100% volunteer run",
        description_ko="자원봉사",
        opening_hours=[{"weekday": WEDNESDAY, "opens": "09:00", "closes": "17:00"}],
    ),
    "E": space_data(
        name_ko="강남 청소년 공간",
        name_en="Gangnam Youth Space",
        district="gangnam",
        types=["youth_space"],
        capacity=150,
        amenities=["wifi", "kitchen"],
        lat=37.5172,
        lng=127.0473,
        description_en="Study rooms and a kitchen",
        description_ko="공부방",
        opening_hours=[{"weekday": day, "opens": "09:00", "closes": "21:00"} for day in range(1, 8)],
    ),
}


@pytest.fixture(scope="module")
def ids(spaces):
    """Label → id of the five published spaces."""
    admin, operator = an_actor("admin"), an_actor("operator")
    run = uuid.uuid4().hex[:8]
    items = [
        {**data, "external_ref": f"search-{run}-{label}", "operators": [operator["id"]]}
        for label, data in SPACES.items()
    ]
    assert spaces.import_published(admin, items)["imported"] == 5
    by_name = {s["name_en"]: s["id"] for s in spaces.list_for_actor(operator, page_size=10)["items"]}
    return {label: by_name[data["name_en"]] for label, data in SPACES.items()}


@pytest.fixture
def search(spaces, ids):
    """``search(**filters)`` over the five spaces only; answers the labels of the items in order."""
    labels = {space_id: label for label, space_id in ids.items()}

    def run(**filters):
        answer = spaces.search({"ids": list(ids.values()), **filters})
        answer["labels"] = [labels[item["id"]] for item in answer["items"]]
        return answer

    return run


def test_no_filters_lists_every_space_by_name(search):
    answer = search()
    assert answer["labels"] == ["E", "A", "D", "C", "B"]  # 강남 망원 베를린 종로 합정
    assert (answer["total"], answer["page"], answer["page_size"]) == (5, 1, 20)
    item = answer["items"][1]
    assert item["type"] == "small_library" and item["types"] == ["small_library", "community_space"]
    assert "distance_m" not in item and "phone" not in item


def test_text_matches_any_field_in_either_language(search):
    assert search(q="도서관")["labels"] == ["A"]
    assert set(search(q="kitchen")["labels"]) == {"B", "E"}
    assert search(q="kitchen")["labels"][0] == "B"  # a name match ranks first
    assert search(q="KIEZ")["labels"] == ["D"]
    assert search(q="함께")["labels"] == ["B"]
    assert search(q="도서")["labels"] == ["A"]  # two syllables: found through their pair, inside a word
    assert search(q="망원 작은")["labels"] == ["A"]
    assert search(q="원작")["labels"] == []  # a pair across two words is not in the text


def test_like_wildcards_in_text_are_literal(search):
    assert search(q="100%")["labels"] == ["D"]
    assert search(q="%")["labels"] == ["D"]
    assert search(q="_")["labels"] == []


def test_districts_types_amenities_and_capacity(search):
    assert set(search(districts=["mapo"])["labels"]) == {"A", "B"}
    assert set(search(districts=["mapo", "jongno"])["labels"]) == {"A", "B", "C"}
    assert set(search(types=["small_library", "youth_space"])["labels"]) == {"A", "C", "E"}
    assert set(search(amenities=["wifi", "kitchen"])["labels"]) == {"B", "E"}
    assert set(search(min_capacity=50)["labels"]) == {"C", "E"}


def test_facets_are_counted_under_the_other_filters(search):
    answer = search(districts=["mapo"], min_capacity=15)
    assert answer["labels"] == ["A"]
    assert answer["facets"]["district"] == {"mapo": 1, "jongno": 1, "gangnam": 1}  # ignores districts
    assert answer["facets"]["type"] == {"small_library": 1, "community_space": 1}

    answer = search(types=["small_library"])
    assert answer["facets"]["district"] == {"mapo": 1, "jongno": 1}
    assert answer["facets"]["type"] == {
        "small_library": 2,
        "community_space": 2,
        "shared_kitchen": 1,
        "village_meeting_room": 1,
        "youth_space": 1,
    }  # ignores types


def test_near_a_point_sorted_by_distance(search):
    answer = search(lat=37.5551, lng=126.9014, radius_m=10_000, sort="distance")
    assert answer["labels"] == ["A", "B", "C"]
    distances = [item["distance_m"] for item in answer["items"]]
    assert distances[0] == 0 and 1000 < distances[1] < 1600 and 6000 < distances[2] < 8000
    assert search(lat=37.5551, lng=126.9014, radius_m=1000)["labels"] == ["A"]


def test_paging_by_distance_neither_repeats_nor_skips_equally_distant_spaces(search):
    near = {"lat": 37.5172, "lng": 127.0473, "radius_m": 20_000, "sort": "distance"}  # D and E share the spot
    whole = search(**near)["labels"]
    assert set(whole[:2]) == {"D", "E"} and len(whole) == 5
    assert [label for page in range(1, 6) for label in search(**near, page=page, page_size=1)["labels"]] == whole


def test_sorted_by_capacity_and_paged(search):
    assert search(sort="capacity")["labels"] == ["E", "C", "A", "B", "D"]
    pages = [search(sort="capacity", page=page, page_size=2) for page in (1, 2, 3)]
    assert [p["labels"] for p in pages] == [["E", "C"], ["A", "B"], ["D"]]
    assert all(p["total"] == 5 for p in pages)


def test_ids_narrow_the_search(spaces, ids):
    answer = spaces.search({"ids": [ids["A"], str(uuid.uuid4())]})
    assert [item["id"] for item in answer["items"]] == [ids["A"]]


@pytest.mark.parametrize(
    "open_at, expected",
    [
        ("2026-05-06T12:00:00+09:00", {"A", "B", "E"}),  # Wednesday noon in Seoul, 05:00 in Berlin
        ("2026-05-06T20:00:00+09:00", {"C", "D", "E"}),  # B's closure began at 19:00; 13:00 in Berlin
        ("2026-05-06T11:00:00+00:00", {"C", "D", "E"}),  # the same instant with another offset
        ("2026-05-07T01:00:00+09:00", {"C"}),  # B is in hours but its closure spans midnight
        ("2026-05-07T09:30:00+09:00", {"B", "E"}),  # after the closure
    ],
)
def test_open_at_in_each_spaces_zone_minus_closures(search, open_at, expected):
    assert set(search(open_at=open_at)["labels"]) == expected


@pytest.mark.parametrize(
    "filters, field",
    [
        ({"page_size": 101}, "page_size"),
        ({"lat": 37.5}, "lng"),
        ({"lat": 37.5, "lng": 127.0, "radius_m": 50_001}, "radius_m"),
        ({"q": "x" * 201}, "q"),
        ({"districts": ["atlantis"]}, "districts"),
        ({"sort": "distance"}, "sort"),
        ({"open_at": "tomorrow"}, "open_at"),
    ],
)
def test_bad_filters_are_invalid_naming_the_field(spaces, filters, field):
    with pytest.raises(Invalid) as caught:
        spaces.search(filters)
    errors = {e["field"]: e["message"] for e in caught.value.extra["errors"]}
    assert field in errors
    if field == "districts":
        assert "mapo" in errors["districts"]
