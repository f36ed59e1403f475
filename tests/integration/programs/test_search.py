"""Finding programs: text (Korean partial words), the space's district and type, category, audience,
dates, open now, places left; sorted by the next session; each with its space's name."""

import uuid

import pytest

from chassis.errors import Invalid
from tests.integration.programs.conftest import a_citizen, iso, key
from tests.integration.reservations.conftest import eventually, local, publish_space_event


def _sessions(day: int, hour: int = 10) -> list[dict]:
    return [{"start": iso(local(day, hour)), "end": iso(local(day, hour + 1))}]


@pytest.fixture
def catalogue(space, published):
    """Three programs at two spaces of their own, in districts and types no other test uses."""
    tag = uuid.uuid4().hex[:8]
    district_a, district_b = f"d{tag}a", f"d{tag}b"
    library = space(district=district_a, types=["small_library"], name_ko=f"책마루{tag}", name_en=f"Book Hall {tag}")
    kitchen = space(district=district_b, types=["shared_kitchen"])
    return {
        "districts": (district_a, district_b),
        "reading": published(
            library, title_ko=f"그림책 읽기 모임 {tag}", category="club", audience="children", sessions=_sessions(12)
        ),
        "lecture": published(
            library,
            title_ko=f"동네 역사 강좌 {tag}",
            category="lecture",
            audience="adults",
            capacity=1,
            sessions=_sessions(9),
        ),
        "cooking": published(
            kitchen,
            title_ko=f"김치 담그기 {tag}",
            title_en="Kimchi workshop",
            category="workshop",
            audience="all",
            sessions=_sessions(10),
        ),
        "tag": tag,
    }


def _ids(page: dict) -> list[str]:
    return [item["id"] for item in page["items"]]


def test_a_korean_partial_word_finds_the_program_and_the_item_names_its_space(rpc, catalogue):
    found = rpc.search({"q": "그림책 읽", "district": list(catalogue["districts"])})
    assert _ids(found) == [catalogue["reading"]["id"]]
    item = found["items"][0]
    assert item["space"]["name_ko"].startswith("책마루") and item["district"] == catalogue["districts"][0]
    assert _ids(rpc.search({"q": f"book hall {catalogue['tag']}"})) == [
        catalogue["lecture"]["id"],
        catalogue["reading"]["id"],
    ], "the space's name matches too, and the next session comes first"


def test_filters_combine_and_the_list_is_sorted_by_the_next_session(rpc, catalogue):
    districts = list(catalogue["districts"])
    everything = rpc.search({"district": districts})
    assert _ids(everything) == [catalogue[name]["id"] for name in ("lecture", "cooking", "reading")]
    assert everything["total"] == 3
    second, past = ({"district": districts, "page_size": 2, "page": page} for page in (2, 3))
    assert (_ids(rpc.search(second)), rpc.search(second)["total"]) == ([catalogue["reading"]["id"]], 3)
    assert (_ids(rpc.search(past)), rpc.search(past)["total"]) == ([], 3)
    assert _ids(rpc.search({"district": districts, "type": ["shared_kitchen"]})) == [catalogue["cooking"]["id"]]
    assert _ids(rpc.search({"district": districts, "category": ["lecture", "club"], "audience": ["children"]})) == [
        catalogue["reading"]["id"]
    ]
    between = rpc.search({"district": districts, "from": iso(local(10, 0)), "to": iso(local(11, 0))})
    assert _ids(between) == [catalogue["cooking"]["id"]]


def test_places_left_and_open_now(rpc, catalogue):
    districts = list(catalogue["districts"])
    rpc.apply(a_citizen(), catalogue["lecture"]["id"], {}, key())
    full = rpc.get(catalogue["lecture"]["id"])
    assert (full["places_left"], full["accepted_count"]) == (0, 1)
    assert catalogue["lecture"]["id"] not in _ids(rpc.search({"district": districts, "places_left": True}))
    assert len(_ids(rpc.search({"district": districts, "open": True}))) == 3


def test_a_draft_is_not_public_and_bad_filters_name_the_field(rpc, space, program):
    draft = program(space())
    with pytest.raises(Exception) as hidden:
        rpc.get(draft["id"])
    assert type(hidden.value).__name__ == "NotFound"
    for filters, field in [({"category": ["party"]}, "category"), ({"page_size": 101}, "page_size"), ({"x": 1}, "x")]:
        with pytest.raises(Invalid) as refused:
            rpc.search(filters)
        assert refused.value.extra["errors"][0]["field"] == field


def test_a_renamed_space_is_found_by_its_new_name(rpc, space, published, amqp_uri):
    place = space()
    shown = published(place)
    facts = {k: v for k, v in place.items() if k != "operator"}
    new_name = f"햇살 마을회관 {uuid.uuid4().hex[:6]}"
    publish_space_event(amqp_uri, "space.updated", {**facts, "name_ko": new_name})

    def renamed():
        found = rpc.search({"q": new_name})
        assert _ids(found) == [shown["id"]] and found["items"][0]["space"]["name_ko"] == new_name

    eventually(renamed)
    assert _ids(rpc.search({"q": "햇살", "space_id": place["space_id"]})) == [shown["id"]], "a two-syllable word"
