"""Searching spaces over HTTP: every filter, every sort, paging and facets.

A module's worth of spaces is registered, submitted and published through the
gateway as operators and an administrator would. Every name carries a word
unique to this run, and every search includes it, so the assertions see only
these spaces.
"""

import uuid

import pytest

TOKEN = f"zelkova{uuid.uuid4().hex[:6]}"
MAPO = (37.5663, 126.9019)
WEEKDAYS = [1, 2, 3, 4, 5]
EVERY_DAY = [1, 2, 3, 4, 5, 6, 7]


def hours(days, opens, closes):
    return [{"weekday": day, "opens": opens, "closes": closes} for day in days]


SPACES = {
    "library": dict(
        name_ko=f"망원 작은도서관 {TOKEN}",
        name_en=f"Mangwon Small Library {TOKEN}",
        district="mapo",
        types=["small_library"],
        capacity=20,
        amenities=["wifi", "wheelchair_access"],
        lat=MAPO[0],
        lng=MAPO[1],
        opening_hours=hours(WEEKDAYS, "09:00", "18:00"),
    ),
    "kitchen": dict(
        name_ko=f"연남 공유부엌 {TOKEN}",
        name_en=f"Yeonnam Shared Kitchen {TOKEN}",
        district="mapo",
        types=["shared_kitchen", "community_space"],
        capacity=12,
        amenities=["kitchen", "wifi"],
        lat=37.5660,
        lng=126.9240,
        opening_hours=hours(EVERY_DAY, "10:00", "22:00"),
    ),
    "workshop": dict(
        name_ko=f"성수 마을공작소 {TOKEN}",
        name_en=f"Seongsu Community Workshop {TOKEN}",
        district="seongdong",
        types=["community_workshop"],
        capacity=40,
        amenities=["tools", "wifi", "wheelchair_access"],
        lat=37.5446,
        lng=127.0557,
        opening_hours=hours([2, 3, 4, 5, 6], "13:00", "21:00"),
    ),
    "club": dict(
        name_ko=f"강남 동아리방 {TOKEN}",
        name_en=f"Gangnam Club Room {TOKEN}",
        district="gangnam",
        types=["club_room"],
        capacity=8,
        amenities=["whiteboard"],
        lat=37.5172,
        lng=127.0473,
        opening_hours=hours(EVERY_DAY, "00:00", "24:00"),
    ),
    "london": dict(
        name_ko=f"런던 마을회의실 {TOKEN}",
        name_en=f"London Meeting Room {TOKEN}",
        district="jongno",
        types=["village_meeting_room"],
        capacity=30,
        amenities=["projector"],
        timezone="Europe/London",
        lat=37.5735,
        lng=126.9790,
        opening_hours=hours(WEEKDAYS, "09:00", "17:00"),
    ),
}


def space_body(**fields) -> dict:
    return {
        "description_ko": "주민 누구나 이용할 수 있는 공간입니다.",
        "description_en": "A space open to every resident.",
        "address_ko": "서울특별시 마포구 망원로 12",
        "address_en": "12 Mangwon-ro, Mapo-gu, Seoul",
        **fields,
    }


@pytest.fixture(scope="module")
def world(session_api, admin, make_account):
    operator = make_account("operator")
    ids = {}
    for key, fields in SPACES.items():
        created = session_api("POST", "/api/v1/admin/spaces", json=space_body(**fields), headers=operator["headers"])
        assert created.status_code == 201, created.text
        space_id = created.json()["id"]
        assert session_api("POST", f"/api/v1/admin/spaces/{space_id}/submit", headers=operator["headers"]).ok
        published = session_api("POST", f"/api/v1/admin/spaces/{space_id}/publish", headers=admin)
        assert published.status_code == 200, published.text
        ids[key] = space_id
    draft = session_api(
        "POST",
        "/api/v1/admin/spaces",
        json=space_body(**{**SPACES["library"], "name_en": f"Unsubmitted Draft {TOKEN}"}),
        headers=operator["headers"],
    )
    assert draft.status_code == 201
    # Closed from Monday 21:00 to Tuesday 11:00, local time: across midnight.
    closure = session_api(
        "POST",
        f"/api/v1/admin/spaces/{ids['kitchen']}/closures",
        json={"starts_at": "2026-12-07T21:00", "ends_at": "2026-12-08T11:00", "reason": "Deep cleaning"},
        headers=operator["headers"],
    )
    assert closure.status_code == 201, closure.text
    return {"ids": ids, "by_id": {v: k for k, v in ids.items()}, "operator": operator}


@pytest.fixture
def search(session_api, world):
    """``search(district="mapo", ...)`` → (keys of the spaces found in order, the whole answer)."""

    def run(**params):
        params.setdefault("q", TOKEN)
        response = session_api("GET", "/api/v1/spaces", params=params)
        assert response.status_code == 200, response.text
        body = response.json()
        return [world["by_id"].get(item["id"], item["id"]) for item in body["items"]], body

    return run


def test_only_published_spaces_are_found(search):
    found, body = search()
    assert sorted(found) == sorted(SPACES)
    assert body["total"] == len(SPACES)


def test_free_text_matches_parts_of_words_in_both_languages(search):
    assert "kitchen" in search(q="공유부")[0]
    assert "kitchen" in search(q="Shared Kitch")[0]
    found, _ = search(q=f"Workshop {TOKEN}")
    assert found[0] == "workshop"


def test_several_districts_and_several_types(search):
    assert sorted(search(district=["mapo", "seongdong"])[0]) == ["kitchen", "library", "workshop"]
    assert sorted(search(type=["shared_kitchen", "club_room"])[0]) == ["club", "kitchen"]


def test_every_amenity_asked_for_is_required(search):
    assert sorted(search(amenity=["wifi", "wheelchair_access"])[0]) == ["library", "workshop"]


def test_minimum_capacity(search):
    assert sorted(search(min_capacity=20)[0]) == ["library", "london", "workshop"]


def test_open_at_uses_opening_hours_in_each_space_zone(search):
    # Monday 7 December 2026, 10:30 in Seoul = 01:30 in London (the London room is closed then).
    assert sorted(search(open_at="2026-12-07T10:30:00+09:00")[0]) == ["club", "kitchen", "library"]
    # The same instant written in UTC finds the same spaces.
    assert sorted(search(open_at="2026-12-07T01:30:00+00:00")[0]) == ["club", "kitchen", "library"]
    # Monday 10:30 in London = 19:30 in Seoul: the London room, the kitchen, the club room.
    assert sorted(search(open_at="2026-12-07T10:30:00+00:00")[0]) == ["club", "kitchen", "london"]


def test_a_closure_across_midnight_closes_the_space_on_both_days(search):
    assert "kitchen" not in search(open_at="2026-12-07T21:30:00+09:00")[0]
    assert "kitchen" not in search(open_at="2026-12-08T10:30:00+09:00")[0]
    assert "kitchen" in search(open_at="2026-12-08T11:30:00+09:00")[0]


def test_near_a_point_within_a_radius_with_distances(search):
    found, body = search(lat=MAPO[0], lng=MAPO[1], radius_m=3000, sort="distance")
    assert found == ["library", "kitchen"]
    distances = [item["distance_m"] for item in body["items"]]
    assert distances[0] < 1
    assert 1500 < distances[1] < 2500  # the kitchen is about 1.95 km east


def test_sort_by_capacity_name_and_relevance(search):
    assert search(sort="capacity")[0] == ["workshop", "london", "library", "kitchen", "club"]
    names = [item["name_ko"] for item in search(sort="name")[1]["items"]]
    assert names == sorted(names)
    assert search(q=f"Gangnam Club Room {TOKEN}", sort="relevance")[0][0] == "club"


def test_paging(search):
    first, body = search(sort="capacity", page_size=2)
    second, _ = search(sort="capacity", page_size=2, page=2)
    third, _ = search(sort="capacity", page_size=2, page=3)
    assert (body["total"], body["page"], body["page_size"]) == (5, 1, 2)
    assert first + second + third == ["workshop", "london", "library", "kitchen", "club"]


def test_each_facet_is_counted_under_all_the_other_filters(search):
    _, body = search(district="mapo", amenity=["wifi"])
    # The district facet ignores the district filter but keeps the amenity filter.
    assert body["facets"]["district"] == {"mapo": 2, "seongdong": 1}
    # The type facet keeps both filters.
    assert body["facets"]["type"] == {"small_library": 1, "shared_kitchen": 1, "community_space": 1}


def test_a_search_result_carries_what_a_list_shows(search):
    _, body = search(q=f"Mangwon Small Library {TOKEN}")
    item = body["items"][0]
    assert {"id", "name_ko", "name_en", "type", "district", "address_ko", "capacity", "lat", "lng"} <= set(item)
    assert item["type"] == "small_library"
    assert "distance_m" not in item


@pytest.mark.parametrize(
    "params, field",
    [
        ({"district": "atlantis"}, "district"),
        ({"type": "castle"}, "type"),
        ({"amenity": "moat"}, "amenity"),
        ({"page_size": 101}, "page_size"),
        ({"lat": 37.5}, "lng"),
        ({"lat": 37.5, "lng": 126.9, "radius_m": 60000}, "radius_m"),
        ({"q": "x" * 201}, "q"),
        ({"open_at": "tomorrow"}, "open_at"),
    ],
)
def test_bad_search_input_is_a_422_naming_the_field(session_api, params, field):
    response = session_api("GET", "/api/v1/spaces", params=params)

    assert response.status_code == 422, response.text
    assert response.headers["Content-Type"] == "application/problem+json"
    assert field in {error["field"] for error in response.json()["errors"]}


def test_an_unknown_code_lists_the_valid_ones(session_api):
    response = session_api("GET", "/api/v1/spaces", params={"district": "atlantis"})

    assert "mapo" in response.json()["errors"][0]["message"]


def test_the_catalogues_are_served(session_api):
    districts = session_api("GET", "/api/v1/districts").json()
    assert len(districts) == 25
    assert {"code": "mapo", "name_ko": "마포구", "name_en": "Mapo-gu"} in districts
    assert any(t["code"] == "small_library" for t in session_api("GET", "/api/v1/space-types").json())
    assert any(a["code"] == "wifi" for a in session_api("GET", "/api/v1/amenities").json())


def test_a_published_space_is_read_with_its_hours_and_closures(session_api, world):
    response = session_api("GET", f"/api/v1/spaces/{world['ids']['kitchen']}")

    assert response.status_code == 200
    body = response.json()
    assert body["opening_hours"][0] == {"weekday": 1, "opens": "10:00", "closes": "22:00"}
    assert body["closures"][0]["reason"] == "Deep cleaning"
    assert set(body["amenities"]) == {"kitchen", "wifi"}
