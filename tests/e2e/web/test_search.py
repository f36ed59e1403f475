"""Home and search in the web client, against the real platform: districts and types with their
counts, every filter of the search, paging, the gateway's refusals beside their fields, both
languages, the fragment htmx swaps; then in Chromium, with JavaScript off and on.

Two published spaces carry a word no other space has (``token``), one in Mapo (a small
library), one in Gangnam (a shared kitchen), so a search for that word sees only them
whatever else the other tests have published.
"""

import html
import json
import re
import time
import uuid
from datetime import datetime, timedelta, timezone

import pytest

pytestmark = pytest.mark.e2e

SEOUL = timezone(timedelta(hours=9))
WAIT_SECONDS = 15


def eventually(check, seconds: float = WAIT_SECONDS):
    """``check()``'s first answer that is not falsy, trying for ``seconds`` (events travel between services)."""
    deadline = time.monotonic() + seconds
    while True:
        answer = check()
        if answer or time.monotonic() > deadline:
            return answer
        time.sleep(0.3)


def space_with(call, admin: dict, operator: dict, **overrides) -> str:
    """``tests.support.stack.published_space`` with its fields overridden: a space open all day,
    every day, registered, submitted and published; its id."""
    body = {
        "name_ko": "시험 공간",
        "name_en": "Test space",
        "description_ko": "주민 누구나 이용할 수 있는 공간입니다.",
        "description_en": "A space open to every resident.",
        "address_ko": "서울특별시 마포구 망원로 12",
        "address_en": "12 Mangwon-ro, Mapo-gu, Seoul",
        "district": "mapo",
        "types": ["village_meeting_room"],
        "capacity": 12,
        "lat": 37.5663,
        "lng": 126.9019,
        "opening_hours": [{"weekday": day, "opens": "00:00", "closes": "24:00"} for day in range(1, 8)],
        **overrides,
    }
    created = call("POST", "/api/v1/admin/spaces", json=body, headers=operator["headers"])
    assert created.status_code == 201, created.text
    space_id = created.json()["id"]
    assert call("POST", f"/api/v1/admin/spaces/{space_id}/submit", headers=operator["headers"]).ok
    assert call("POST", f"/api/v1/admin/spaces/{space_id}/publish", headers=admin).ok
    return space_id


@pytest.fixture(scope="module")
def spaces(session_api, admin, make_account):
    """``{"token", "mapo": {id, name_en, name_ko}, "gangnam": {...}}``."""
    operator = make_account("operator")
    token = f"Qz{uuid.uuid4().hex[:10]}"
    made = {"token": token, "operator": operator}
    for district, kind, name_en, name_ko, address, lat, lng, capacity in (
        ("mapo", "small_library", "Alpha Library", "가온 도서관", "Mangwon-ro", 37.5663, 126.9019, 20),
        ("gangnam", "shared_kitchen", "Beta Kitchen", "나래 부엌", "Teheran-ro", 37.5172, 127.0473, 8),
    ):
        names = {"name_en": f"{name_en} {token}", "name_ko": f"{name_ko} {token}"}
        made[district] = {
            **names,
            "id": space_with(
                session_api,
                admin,
                operator,
                **names,
                district=district,
                types=[kind],
                address_en=f"1 {address}, Seoul",
                lat=lat,
                lng=lng,
                capacity=capacity,
            ),
        }
    return made


@pytest.fixture(scope="module")
def program(session_api, spaces):
    """A program at the Mapo space, open for applications now: its id."""
    first = (datetime.now(SEOUL) + timedelta(days=10)).replace(hour=0, minute=0, second=0, microsecond=0)
    body = {
        "space_id": spaces["mapo"]["id"],
        "title_ko": f"그림책 모임 {spaces['token']}",
        "title_en": f"Picture-book club {spaces['token']}",
        "description_ko": "아이와 함께 그림책을 읽어요.",
        "description_en": "Picture books read aloud with children.",
        "category": "club",
        "audience": "children",
        "fee_note": "무료 / Free",
        "capacity": 10,
        "selection": "first_come",
        "application_opens": (datetime.now(SEOUL) - timedelta(minutes=5)).isoformat(),
        "application_closes": (first - timedelta(days=1)).isoformat(),
        "sessions": [
            {"start": (first + timedelta(hours=10)).isoformat(), "end": (first + timedelta(hours=12)).isoformat()}
        ],
    }
    headers = spaces["operator"]["headers"]

    def created():  # the programs service learns of the space from its events
        answer = session_api("POST", "/api/v1/admin/programs", json=body, headers=headers)
        return answer if answer.status_code == 201 else None

    draft = eventually(created)
    assert draft is not None, "the programs service never took a program at the published space"
    published = session_api("POST", f"/api/v1/admin/programs/{draft.json()['id']}/publish", headers=headers)
    assert published.status_code == 200, published.text
    return draft.json()["id"]


def text(response) -> str:
    return response.get_data(as_text=True)


def chip(page: str, name: str, code: str) -> tuple[bool, int] | None:
    """The facet chip of ``code`` in the ``name`` group: whether it is ticked, and the count it shows
    (``None``: none, as when the gateway refused the search)."""
    found = re.search(
        rf'<input type="checkbox"[^>]*id="{name}-{code}"[^>]*?(checked)?>\s*'
        rf'<label class="krds-form-chip-outline" for="{name}-{code}">[^<]*'
        rf'(?:<span class="facet-count">\((\d+)\)</span>)?</label>',
        page,
    )
    return (bool(found.group(1)), int(found.group(2)) if found.group(2) else None) if found else None


def result_links(page: str) -> list[str]:
    """The spaces the results list links to, in order."""
    return re.findall(r'<a href="/spaces/([0-9a-f-]{36})" class="c-text">', page)


def field_error(page: str, name: str) -> str | None:
    found = re.search(rf'<p class="form-hint-invalid" id="error-{re.escape(name)}">(.*?)</p>', page, re.S)
    return html.unescape(found.group(1)).strip() if found else None


def field_value(page: str, name: str) -> str | None:
    found = re.search(rf'<input[^>]*\bname="{re.escape(name)}"[^>]*\bvalue="([^"]*)"', page, re.S)
    return html.unescape(found.group(1)) if found else None


def map_markers(page: str) -> list[dict]:
    found = re.search(r"<div class=\"map results-map\"[^>]*data-markers='([^']*)'", page)
    return json.loads(html.unescape(found.group(1))) if found else []


# --- the home page ---------------------------------------------------------------------------


def test_home_links_each_district_and_type_with_its_count_and_lists_programs_open_now(web, api, spaces, program):
    page = text(web.get("/?lang=en"))
    assert re.search(r'<form method="get" action="/spaces"[^>]*>', page)
    assert 'name="q"' in page

    facets = api("GET", "/api/v1/spaces", params={"page_size": 1}).json()["facets"]
    for district, name in (("mapo", "Mapo-gu"), ("gangnam", "Gangnam-gu"), ("jongno", "Jongno-gu")):
        count = facets["district"].get(district, 0)
        shown = re.search(
            rf'<a href="/spaces\?district={district}">{name}\s*<span class="facet-count">(\d+) spaces?<', page
        )
        assert shown and int(shown.group(1)) == count, (district, count)
    assert facets["district"]["mapo"] >= 1 and facets["type"]["shared_kitchen"] >= 1
    shown = re.search(
        r'<a href="/spaces\?type=shared_kitchen">Shared kitchen\s*<span class="facet-count">(\d+) spaces?<', page
    )
    assert shown and int(shown.group(1)) == facets["type"]["shared_kitchen"]

    # the map of Seoul: a marker at each of the 25 districts, linking to its search
    markers = json.loads(html.unescape(re.search(r"class=\"map home-map\"[^>]*data-markers='([^']*)'", page).group(1)))
    assert len(markers) == 25
    assert {"href": "/spaces?district=mapo"}.items() <= next(m for m in markers if "Mapo" in m["label"]).items()

    # programs taking applications, as the gateway lists them, each linking to its page
    listed = api("GET", "/api/v1/programs", params={"open": "true", "page_size": 4}).json()["items"]
    assert listed, "the program of this test is open for applications"
    for item in listed:
        assert f'href="/programs/{item["id"]}"' in page
        assert item["title_en"] in html.unescape(page)


# --- the results -----------------------------------------------------------------------------


def test_a_district_shows_its_space_and_not_the_other_district(web, spaces):
    response = web.get(f"/spaces?q={spaces['token']}&district=mapo&lang=en")
    assert response.status_code == 200
    page = text(response)
    assert result_links(page) == [spaces["mapo"]["id"]]
    assert spaces["mapo"]["name_en"] in page and spaces["gangnam"]["name_en"] not in page
    assert "1 space<" in page
    item = page[page.index(f'href="/spaces/{spaces["mapo"]["id"]}"') :]
    item = item[: item.index("</li>")]
    assert "Mapo-gu" in item and "1 Mangwon-ro, Seoul" in item and "20 people" in item

    both = text(web.get(f"/spaces?q={spaces['token']}&district=mapo&district=gangnam&type=shared_kitchen&lang=en"))
    assert result_links(both) == [spaces["gangnam"]["id"]]


def test_districts_and_types_show_their_facet_counts_under_the_other_filters(web, spaces):
    page = text(web.get(f"/spaces?q={spaces['token']}&lang=en"))
    assert sorted(result_links(page)) == sorted([spaces["mapo"]["id"], spaces["gangnam"]["id"]])
    assert "2 spaces<" in page
    assert chip(page, "district", "mapo") == (False, 1)
    assert chip(page, "district", "gangnam") == (False, 1)
    assert chip(page, "district", "jongno") == (False, 0)
    assert chip(page, "type", "small_library") == (False, 1)
    assert chip(page, "type", "shared_kitchen") == (False, 1)

    # ticking Mapo: its chip is ticked, the types count within Mapo, the districts still count
    # what each would add (a facet is counted under all the other filters)
    page = text(web.get(f"/spaces?q={spaces['token']}&district=mapo&lang=en"))
    assert chip(page, "district", "mapo") == (True, 1)
    assert chip(page, "district", "gangnam") == (False, 1)
    assert chip(page, "type", "small_library") == (False, 1)
    assert chip(page, "type", "shared_kitchen") == (False, 0)
    # and the filter in use can be taken away again
    assert f'href="/spaces?q={spaces["token"]}&amp;lang=en"' in page


def test_every_other_filter_reaches_the_gateway(web, spaces):
    token = spaces["token"]
    tomorrow = (datetime.now(SEOUL) + timedelta(days=1)).date().isoformat()

    roomy = text(web.get(f"/spaces?q={token}&min_capacity=15&lang=en"))
    assert result_links(roomy) == [spaces["mapo"]["id"]]

    # the datetime-local inputs hold Seoul's wall-clock time; the gateway gets it with +09:00
    window = f"available_from={tomorrow}T10:00&available_to={tomorrow}T12:00"
    free = web.get(f"/spaces?q={token}&open_at={tomorrow}T09:30&{window}&lang=en")
    assert free.status_code == 200
    free = text(free)
    assert len(result_links(free)) == 2
    assert field_value(free, "open_at") == f"{tomorrow}T09:30"
    assert field_value(free, "available_to") == f"{tomorrow}T12:00"

    # near a point in Gangnam, within 2 km: the Gangnam space, with how far it is
    near = text(web.get(f"/spaces?q={token}&lat=37.5172&lng=127.0475&radius_m=2000&lang=en"))
    assert result_links(near) == [spaces["gangnam"]["id"]]
    assert re.search(r'<span class="value">\d+ m</span>', near)
    assert re.search(r'<option value="2000"\s+selected>', near)
    assert re.search(r'<option value=""\s+selected>Nearest first</option>', near)

    by_name = text(web.get(f"/spaces?q={token}&sort=name&lang=en"))
    assert result_links(by_name) == [spaces["mapo"]["id"], spaces["gangnam"]["id"]]  # Alpha (가온), Beta (나래)
    by_capacity = text(web.get(f"/spaces?q={token}&sort=capacity&lang=en"))
    assert result_links(by_capacity) == [spaces["mapo"]["id"], spaces["gangnam"]["id"]]  # 20, then 8

    kitchen = text(web.get(f"/spaces?q={token}&type=shared_kitchen&amenity=piano&lang=en"))
    assert result_links(kitchen) == []
    assert "No space matches this search." in kitchen


def test_results_are_paged_with_links_to_each_page(web, spaces):
    first = text(web.get(f"/spaces?q={spaces['token']}&sort=name&page_size=1&lang=en"))
    assert result_links(first) == [spaces["mapo"]["id"]]
    assert "2 spaces<" in first
    pager = first[first.index('class="krds-pagination"') :]
    assert re.search(r'class="page-link active" aria-current="page" href="[^"]*page=1"', pager)
    next_page = re.search(r'<a class="page-navi next" href="([^"]+)"', pager).group(1)
    assert "page=2" in next_page and "sort=name" in next_page and "page_size=1" in next_page

    second = text(web.get(html.unescape(next_page)))
    assert result_links(second) == [spaces["gangnam"]["id"]]
    assert re.search(r'class="page-link active" aria-current="page" href="[^"]*page=2"', second)
    assert re.search(r'<a class="page-navi prev" href="[^"]*page=1', second)


def test_a_refused_filter_shows_the_gateways_message_beside_it_and_keeps_what_was_typed(web, spaces):
    response = web.get(f"/spaces?q={spaces['token']}&min_capacity=abc&district=mapo&lang=en")
    assert response.status_code == 422
    page = text(response)
    assert "valid integer" in field_error(page, "min_capacity")
    assert field_value(page, "min_capacity") == "abc"
    assert field_value(page, "q") == spaces["token"]
    assert chip(page, "district", "mapo") == (True, None)  # ticked still, and no count made up
    assert 'aria-invalid="true"' in page
    assert result_links(page) == [] and "No results until the search is corrected." in page

    # a window needs both ends: the message stands beside the end that is missing
    lone = web.get(f"/spaces?q={spaces['token']}&available_from=2030-01-07T10:00&lang=en")
    assert lone.status_code == 422
    assert field_error(text(lone), "available_to") == "is required with available_from"
    assert field_value(text(lone), "available_from") == "2030-01-07T10:00"

    # a field the form does not show (the page) is named at the top of the form
    far = web.get(f"/spaces?q={spaces['token']}&page=20000&lang=en")
    assert far.status_code == 422
    assert re.search(r'<p class="critical-txt">[^<]*page: ', text(far))


def test_names_follow_the_language_of_the_page(web, spaces):
    english = text(web.get(f"/spaces?q={spaces['token']}&district=mapo&lang=en"))
    assert spaces["mapo"]["name_en"] in english and spaces["mapo"]["name_ko"] not in english
    assert "Mapo-gu" in english and "Small library" in english

    korean = text(web.get(f"/spaces?q={spaces['token']}&district=mapo&lang=ko"))
    assert spaces["mapo"]["name_ko"] in korean and spaces["mapo"]["name_en"] not in korean
    assert "마포구" in korean and "작은도서관" in korean


def test_htmx_gets_the_region_alone_and_the_same_url_gives_the_whole_page(web, spaces):
    url = f"/spaces?q={spaces['token']}&district=mapo&type=&min_capacity=&lang=en"
    fragment = web.get(url, headers={"HX-Request": "true"})
    assert fragment.status_code == 200
    part = text(fragment)
    assert "<html" not in part and "<h1" not in part
    assert result_links(part) == [spaces["mapo"]["id"]]
    assert chip(part, "district", "mapo") == (True, 1)
    # the address bar shows the search without its empty fields
    assert fragment.headers["HX-Push-Url"] == f"/spaces?q={spaces['token']}&district=mapo&lang=en"
    assert "HX-Request" in fragment.headers["Vary"]

    whole = text(web.get(url))
    assert whole.startswith("<!doctype html>") and "<h1>" in whole
    assert result_links(whole) == [spaces["mapo"]["id"]] and chip(whole, "district", "mapo") == (True, 1)

    # a refused search still swaps in (htmx ignores error answers), with its message
    refused = web.get(f"/spaces?q={spaces['token']}&min_capacity=abc", headers={"HX-Request": "true"})
    assert refused.status_code == 200 and "<html" not in text(refused)
    assert "valid integer" in field_error(text(refused), "min_capacity")


def test_the_results_map_has_a_marker_for_each_space_listed(web, spaces):
    page = text(web.get(f"/spaces?q={spaces['token']}&lang=en"))
    markers = map_markers(page)
    assert sorted(m["href"] for m in markers) == sorted(f"/spaces/{spaces[d]['id']}" for d in ("mapo", "gangnam"))
    assert {m["label"] for m in markers} == {spaces["mapo"]["name_en"], spaces["gangnam"]["name_en"]}


# --- in a browser ----------------------------------------------------------------------------


def test_search_by_district_and_type_in_a_browser_without_javascript(browser, web_url, spaces):
    context = browser.new_context(java_script_enabled=False, locale="en-GB")
    try:
        page = context.new_page()
        page.goto(f"{web_url}/?lang=en")
        page.get_by_label("Search spaces").fill(spaces["token"])
        page.get_by_role("button", name="Search").click()
        page.wait_for_url(re.compile(r"/spaces\?q="))
        assert page.locator(".results-list > li").count() == 2
        assert page.locator("[data-near-me]").is_hidden()

        page.locator("label[for=district-mapo]").click()
        page.locator("label[for=type-small_library]").click()
        page.get_by_role("button", name="Search", exact=True).click()
        page.wait_for_url(re.compile(r"district=mapo"))
        assert "type=small_library" in page.url
        assert page.locator(".results-list > li").count() == 1
        assert page.get_by_role("link", name=re.compile(spaces["mapo"]["name_en"])).get_attribute("href") == (
            f"/spaces/{spaces['mapo']['id']}"
        )
        assert page.locator(".result-count").inner_text().strip() == "1 space"
    finally:
        context.close()


def test_ticking_a_district_updates_the_results_and_the_address_bar_without_a_page_load(browser, web_url, spaces):
    context = browser.new_context(locale="en-GB")
    try:
        page = context.new_page()
        page.goto(f"{web_url}/spaces?q={spaces['token']}&lang=en")
        assert page.locator(".results-list > li").count() == 2
        page.locator(".leaflet-interactive").first.wait_for()
        assert page.locator(".leaflet-interactive").count() == 2  # one marker per result, no tiles
        assert page.locator(".leaflet-tile").count() == 0
        page.evaluate("window.stillTheSamePage = true")

        page.locator("label[for=district-gangnam]").click()
        page.wait_for_url(re.compile(r"district=gangnam"))
        page.locator(".result-count", has_text="1 space").wait_for()
        assert page.evaluate("window.stillTheSamePage") is True  # no navigation: htmx swapped the region
        assert page.locator(".results-list > li").count() == 1
        assert spaces["gangnam"]["name_en"] in page.locator(".results-list").inner_text()
        page.wait_for_function("document.querySelectorAll('.leaflet-interactive').length === 1")
        # the type counts follow: within Gangnam there is a shared kitchen and no small library
        assert page.locator("label[for=type-shared_kitchen]").inner_text().strip().endswith("(1)")
        assert page.locator("label[for=type-small_library]").inner_text().strip().endswith("(0)")
        assert page.locator("#district-gangnam").is_checked()

        # the URL is the search: loading it afresh gives the same results
        page.goto(page.url)
        assert page.locator(".results-list > li").count() == 1
        assert page.locator("#district-gangnam").is_checked()
    finally:
        context.close()


def test_home_and_results_have_no_serious_accessibility_violations(browser, web_url, axe, spaces):
    context = browser.new_context(bypass_csp=True, locale="ko-KR")  # axe-core is injected as an inline script
    try:
        page = context.new_page()
        for path in ("/?lang=ko", f"/spaces?q={spaces['token']}&lang=ko", "/spaces?lang=en&min_capacity=abc"):
            page.goto(web_url + path)
            page.wait_for_load_state("networkidle")
            assert axe(page) == [], path
    finally:
        context.close()
