"""A space's page and booking it in the web client, against the real gateway: the page in
Korean and English, the week grid, booking a free time (form → confirmation → my
reservations), a time taken before or while booking (the conflict and the nearest free
times), the rules the web client checks before asking and those the gateway refuses after,
the sign-in link for visitors, CSRF, and the page in Chromium (axe, the map, the htmx week)."""

import html
import re
import uuid
from datetime import date, datetime, time, timedelta
from time import monotonic, sleep
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import pytest
from flask_babel import force_locale

from tests.support.stack import PASSWORD, published_space
from web.rules import policy_rules

pytestmark = pytest.mark.e2e

SEOUL = ZoneInfo("Asia/Seoul")
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def today() -> date:
    return datetime.now(SEOUL).date()


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


# a day a little over a week ahead: inside every horizon below, never too soon, in a week of its own
DAY = today() + timedelta(days=9)


def at(hour: int, minute: int = 0, day: date = DAY) -> datetime:
    return datetime.combine(day, time(hour, minute), SEOUL)


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def field_error(page: str, name: str) -> str | None:
    found = re.search(rf'<p class="form-hint-invalid" id="error-{name}">(.*?)</p>', page, re.S)
    return html.unescape(found.group(1)).strip() if found else None


def form_alert(page: str) -> str | None:
    found = re.search(r'<p class="critical-txt">(.*?)</p>', page, re.S)
    return html.unescape(found.group(1)).strip() if found else None


def chosen(page: str, name: str) -> str | None:
    """The option a select of the booking form keeps selected."""
    select = re.search(rf'<select id="field-{name}".*?</select>', page, re.S)
    found = re.search(r'<option value="([^"]*)" selected>', select.group(0)) if select else None
    return found.group(1) if found else None


def typed(page: str, name: str) -> str | None:
    if name == "purpose":
        found = re.search(r'<textarea id="field-purpose"[^>]*>(.*?)</textarea>', page, re.S)
    else:
        found = re.search(
            rf'<input type="[a-z]+" id="field-{name}" name="{name}" class="krds-input" value="([^"]*)"', page
        )
    return html.unescape(found.group(1)) if found else None


def cell(page: str, day: date, hhmm: str) -> str | None:
    """The state of the week grid's cell starting at ``hhmm`` on ``day`` (free, busy, closed, unavailable)."""
    found = re.search(rf'<td class="cell (\w+)" data-slot="{day.isoformat()}T{hhmm}">', page)
    return found.group(1) if found else None


@pytest.fixture(scope="module")
def operator(make_account):
    return make_account("operator")


@pytest.fixture
def space(session_api, admin, operator):
    """A new published space, open all day every day, under the default policy (manual approval,
    30-minute slots, 30 minutes to 4 hours, 1 hour's notice, 60 days, 3 active reservations)."""
    return published_space(session_api, admin, operator, f"Room {uuid.uuid4().hex[:6]}")


def set_policy(session_api, operator, space_id: str, **policy) -> None:
    answer = session_api(
        "PUT", f"/api/v1/admin/spaces/{space_id}/booking-policy", json=policy, headers=operator["headers"]
    )
    assert answer.status_code == 200, answer.text


def reserve(session_api, citizen, space_id: str, start: datetime, end: datetime) -> dict:
    headers = {**citizen["headers"], "Idempotency-Key": str(uuid.uuid4())}
    body = {
        "space_id": space_id,
        "start": start.isoformat(),
        "end": end.isoformat(),
        "party_size": 2,
        "purpose": "Choir",
    }
    answer = session_api("POST", "/api/v1/reservations", json=body, headers=headers)
    assert answer.status_code == 201, answer.text
    return answer.json()


def my_reservations(session_api, citizen) -> list[dict]:
    answer = session_api("GET", "/api/v1/me/reservations", headers=citizen["headers"])
    assert answer.status_code == 200, answer.text
    return answer.json()["items"]


def sign_in(web, account) -> None:
    token = CSRF.search(web.get("/login?lang=en").get_data(as_text=True)).group(1)
    answer = web.post("/login", data={"email": account["email"], "password": PASSWORD, "csrf_token": token})
    assert answer.status_code == 302, answer.status_code


def booking_form(web, space_id: str, **values) -> dict:
    """The booking form's fields as the page gives them (with its CSRF token), then ``values``."""
    page = web.get(f"/spaces/{space_id}?lang=en").get_data(as_text=True)
    form = {"csrf_token": CSRF.search(page).group(1), "step": "review", "date": DAY.isoformat()}
    form.update(start="10:00", end="11:00", party_size="4", purpose="Neighbourhood book club")
    form.update(values)
    return form


def test_the_page_shows_names_hours_and_rules_in_korean_and_english(web, web_app, session_api, space, operator):
    set_policy(session_api, operator, space, notice_minutes=120, max_minutes=180, approval="automatic", active_quota=2)
    closure = {"starts_at": f"{DAY.isoformat()}T09:00", "ends_at": f"{DAY.isoformat()}T18:00", "reason": "Floor works"}
    closed = session_api("POST", f"/api/v1/admin/spaces/{space}/closures", json=closure, headers=operator["headers"])
    assert closed.status_code == 201, closed.text

    english = text(web.get(f"/spaces/{space}?lang=en"))
    assert "<h1>Room " in english and "A space open to every resident." in english
    assert "12 Mapo-gu" not in english and "12 Mangwon-ro, Mapo-gu, Seoul" in english
    assert '<th scope="row">Monday</th>' in english and '<th scope="row">Sunday</th>' in english
    assert "Open all day" in english
    assert "Floor works" in english
    for rule in (
        "A booking lasts between 30 minutes and 3 hours, in steps of 30 minutes.",
        "Book at least 2 hours ahead.",
        "You can book up to 60 days ahead.",
        "Bookings are confirmed at once.",
        "Up to 12 people per booking.",
        "At most 2 active reservations per person at this space.",
        "You can cancel up to 1 hour before the start.",
    ):
        assert rule in english, rule
    assert 'class="krds-breadcrumb-wrap"' in english and 'aria-current="page">Room ' in english
    assert english.count('class="map') == 1 and '"lat": 37.5663' in english

    korean = text(web.get(f"/spaces/{space}?lang=ko"))
    assert "<h1>시험 공간 Room " in korean and "주민 누구나 이용할 수 있는 공간입니다." in korean
    assert "서울특별시 마포구 망원로 12" in korean
    assert '<th scope="row">월요일</th>' in korean and '<th scope="row">일요일</th>' in korean
    published = session_api("GET", f"/api/v1/spaces/{space}").json()
    with web_app.test_request_context(), force_locale("ko"):  # the rules in the Korean catalogue's words
        rules = policy_rules(published["booking_policy"], published["capacity"])
    assert len(rules) == 7
    for rule in rules:
        assert rule in korean, rule


def test_the_week_grid_shows_a_busy_cell_and_the_next_week_link_works(web, session_api, space, make_account):
    reserve(session_api, make_account(), space, at(10), at(11))
    page = text(web.get(f"/spaces/{space}?lang=en&week={DAY.isoformat()}"))
    assert cell(page, DAY, "10:00") == "busy"
    assert cell(page, DAY, "12:00") == "free"
    assert cell(page, DAY, "09:00") == "free"
    # a free cell fills the booking form, with JavaScript or without
    week = monday_of(DAY).isoformat()
    assert f"/spaces/{space}?week={week}&date={DAY.isoformat()}&start=12:00&end=13:00#book" in page

    following = monday_of(DAY) + timedelta(days=7)
    next_link = re.search(r'<a class="krds-btn small secondary week-next" href="([^"]+)"', page)
    assert next_link and f"week={following.isoformat()}" in next_link.group(1)
    after = text(web.get(next_link.group(1).split("#")[0] + "&lang=en"))
    assert cell(after, following, "10:00") == "free" and cell(after, DAY, "10:00") is None
    assert f'hx-push-url="/spaces/{space}?week={following.isoformat()}"' in page

    fragment = web.get(f"/spaces/{space}/availability?week={following.isoformat()}", headers={"HX-Request": "true"})
    swapped = text(fragment)
    assert fragment.status_code == 200 and swapped.lstrip().startswith('<section id="week"') and "<html" not in swapped
    assert cell(swapped, following, "10:00") == "free"
    plain = web.get(f"/spaces/{space}/availability?week={following.isoformat()}")  # no htmx: the page itself
    assert plain.status_code == 302 and plain.location == f"/spaces/{space}?week={following.isoformat()}#week"


def test_booking_a_free_time_confirms_then_lands_on_my_reservations_pending(web, session_api, space, make_account):
    citizen = make_account()
    sign_in(web, citizen)
    prefilled = text(web.get(f"/spaces/{space}?lang=en&date={DAY.isoformat()}&start=14:00&end=15:30#book"))
    assert typed(prefilled, "date") == DAY.isoformat()
    assert chosen(prefilled, "start") == "14:00" and chosen(prefilled, "end") == "15:30"

    form = booking_form(web, space, start="14:00", end="15:30", party_size="6")
    review = web.post(f"/spaces/{space}/book", data=form)
    confirmation = text(review)
    assert review.status_code == 200 and "Confirm your booking" in confirmation
    assert "1 hour 30 minutes" in confirmation and "awaits" not in confirmation
    assert my_reservations(session_api, citizen) == []  # nothing is booked before the confirmation

    booked = web.post(f"/spaces/{space}/book", data={**form, "step": "confirm"})
    assert booked.status_code == 302 and booked.location.endswith("/me/reservations")
    landed = text(web.get(booked.location))
    assert "is sent: it is pending, awaiting the operator's approval." in landed
    (made,) = my_reservations(session_api, citizen)
    assert made["status"] == "pending" and made["party_size"] == 6
    assert datetime.fromisoformat(made["start"]) == at(14) and datetime.fromisoformat(made["end"]) == at(15, 30)


def test_a_taken_time_says_so_offers_the_nearest_free_times_and_keeps_the_form(web, session_api, space, make_account):
    reserve(session_api, make_account(), space, at(10), at(11))
    citizen = make_account()
    sign_in(web, citizen)
    answer = web.post(f"/spaces/{space}/book", data=booking_form(web, space, party_size="5"))
    page = text(answer)
    assert answer.status_code == 409
    assert form_alert(page).startswith("That time is already booked.")
    suggestions = re.findall(r'<li><a href="([^"]+)" data-fill-date', page)
    assert len(suggestions) == 3
    for start, end in (("09:00", "10:00"), ("11:00", "12:00")):
        assert any(f"date={DAY.isoformat()}&start={start}&end={end}" in href for href in suggestions), suggestions
    assert all("party_size=5" in href and "purpose=Neighbourhood" in href for href in suggestions)
    assert (
        typed(page, "date") == DAY.isoformat() and chosen(page, "start") == "10:00" and chosen(page, "end") == "11:00"
    )
    assert typed(page, "party_size") == "5" and typed(page, "purpose") == "Neighbourhood book club"
    assert my_reservations(session_api, citizen) == []


def test_a_time_taken_while_confirming_is_the_gateways_conflict_with_the_nearest_free_times(
    web, session_api, space, make_account
):
    citizen = make_account()
    sign_in(web, citizen)
    form = booking_form(web, space, start="15:00", end="16:00")
    assert web.post(f"/spaces/{space}/book", data=form).status_code == 200  # the confirmation
    reserve(session_api, make_account(), space, at(15), at(16))  # someone else, meanwhile
    answer = web.post(f"/spaces/{space}/book", data={**form, "step": "confirm"})
    page = text(answer)
    assert answer.status_code == 409
    assert "That time is already booked." in form_alert(page)
    assert len(re.findall(r'<li><a href="[^"]+" data-fill-date', page)) == 3
    assert chosen(page, "start") == "15:00" and typed(page, "purpose") == "Neighbourhood book club"
    assert my_reservations(session_api, citizen) == []


def test_a_too_long_booking_is_refused_beside_the_end_without_asking_the_gateway(
    web, session_api, space, operator, make_account
):
    set_policy(session_api, operator, space, max_minutes=120)
    citizen = make_account()
    sign_in(web, citizen)
    form = booking_form(web, space, start="09:00", end="12:00")
    for step in ("review", "confirm"):
        answer = web.post(f"/spaces/{space}/book", data={**form, "step": step})
        page = text(answer)
        assert answer.status_code == 422
        assert field_error(page, "end") == "A booking lasts between 30 minutes and 2 hours."
        assert form_alert(page) == "Please check the fields marked below."
        assert chosen(page, "end") == "12:00"
    assert my_reservations(session_api, citizen) == []


def test_a_party_over_the_maximum_is_refused_beside_the_party_size(web, session_api, space, operator, make_account):
    set_policy(session_api, operator, space, max_party_size=4)
    sign_in(web, make_account())
    page = text(web.post(f"/spaces/{space}/book", data=booking_form(web, space, party_size="6")))
    assert field_error(page, "party_size") == "At most 4 people may come."
    assert typed(page, "party_size") == "6"


def test_a_rule_only_the_gateway_knows_is_told_in_the_pages_words(web, session_api, space, operator, make_account):
    """The quota needs the resident's other reservations: the gateway refuses, the page explains."""
    set_policy(session_api, operator, space, active_quota=1)
    citizen = make_account()
    reserve(session_api, citizen, space, at(8), at(9))
    sign_in(web, citizen)
    form = booking_form(web, space)
    answer = web.post(f"/spaces/{space}/book", data={**form, "step": "confirm"})
    page = text(answer)
    assert answer.status_code == 422
    assert form_alert(page) == "You already hold 1 active reservation here, the most allowed."
    assert "the limit is" not in page  # the gateway's own English detail
    assert len(my_reservations(session_api, citizen)) == 1


def eventually(check, seconds: float = 15):
    """``check()``'s first answer that is not falsy within ``seconds`` (events travel between services)."""
    deadline = monotonic() + seconds
    while True:
        answer = check()
        if answer or monotonic() > deadline:
            return answer
        sleep(0.3)


def test_a_program_at_the_space_is_listed_holds_its_time_and_is_named_when_it_refuses_a_booking(
    web, session_api, space, operator, make_account
):
    body = {
        "space_id": space,
        "title_ko": "그림책 모임",
        "title_en": "Picture-book club",
        "category": "club",
        "audience": "children",
        "capacity": 10,
        "selection": "first_come",
        "application_opens": (datetime.now(SEOUL) - timedelta(minutes=5)).isoformat(),
        "application_closes": at(9, day=DAY - timedelta(days=1)).isoformat(),
        "sessions": [{"start": at(16).isoformat(), "end": at(18).isoformat()}],
    }

    def created():  # the programs service learns of the space from its events
        answer = session_api("POST", "/api/v1/admin/programs", json=body, headers=operator["headers"])
        return answer if answer.status_code == 201 else None

    draft = eventually(created)
    assert draft is not None, "the programs service never took a program at the new space"
    program = draft.json()["id"]
    published = session_api("POST", f"/api/v1/admin/programs/{program}/publish", headers=operator["headers"])
    assert published.status_code == 200, published.text

    def held():  # the reservations service holds the space once it hears of the published program
        shown = text(web.get(f"/spaces/{space}?lang=en&week={DAY.isoformat()}"))
        return shown if cell(shown, DAY, "16:00") == "busy" else None

    page = eventually(held)
    assert page, "the program's session never held the space"
    assert f'<a href="/programs/{program}" class="c-text">' in page and "Picture-book club" in page
    assert cell(page, DAY, "17:00") == "busy" and cell(page, DAY, "18:00") == "free"

    sign_in(web, make_account())
    form = booking_form(web, space, start="17:00", end="18:00")
    answer = web.post(f"/spaces/{space}/book", data={**form, "step": "confirm"})  # past our own check: the gateway's
    refused = text(answer)
    assert answer.status_code == 409 and form_alert(refused).startswith("A program uses the space at that time.")
    assert len(re.findall(r'<li><a href="[^"]+" data-fill-date', refused)) == 3


def test_visitors_see_a_sign_in_link_and_a_post_without_csrf_is_refused(web, space, make_account):
    page = text(web.get(f"/spaces/{space}?lang=en&date={DAY.isoformat()}&start=10:00&end=11:00"))
    assert "Sign in to book" in page and 'id="book-form"' not in page
    link = html.unescape(re.search(r'<a class="krds-btn primary sign-in-to-book" href="([^"]+)"', page).group(1))
    back = f"/spaces/{space}?lang=en&date={DAY.isoformat()}&start=10:00&end=11:00#book"
    assert link.startswith("/login?") and parse_qs(urlsplit(link).query)["next"] == [back]
    citizen = make_account()
    login = web.get(link).get_data(as_text=True)  # signing in there comes back to the same time
    form = {"email": citizen["email"], "password": PASSWORD, "csrf_token": CSRF.search(login).group(1), "next": back}
    assert f'name="next" value="{html.escape(back)}"' in login
    assert web.post("/login", data=form).location == back
    web.post("/logout", data={"csrf_token": CSRF.search(web.get("/?lang=en").get_data(as_text=True)).group(1)})

    anonymous = web.post(f"/spaces/{space}/book", data={"date": DAY.isoformat(), "start": "10:00", "end": "11:00"})
    assert anonymous.status_code == 400
    sign_in(web, citizen)
    forged = web.post(
        f"/spaces/{space}/book?lang=en",
        data={"date": DAY.isoformat(), "start": "10:00", "end": "11:00", "step": "confirm"},
    )
    assert forged.status_code == 400 and "<html" in text(forged)


def test_the_page_in_chromium_has_its_map_passes_axe_and_swaps_the_week(browser, web_url, axe, space, session_api):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    try:
        page.goto(f"{web_url}/spaces/{space}?lang=en")
        page.wait_for_selector(".map .leaflet-interactive")
        assert page.locator(".map .leaflet-interactive").count() == 1
        assert axe(page) == []

        page.evaluate("window.stillThisPage = true")
        first_range = page.locator(".week-range").inner_text()
        page.locator("a.week-next").click()
        page.wait_for_function(
            "(before) => document.querySelector('.week-range').innerText !== before", arg=first_range
        )
        assert page.evaluate("window.stillThisPage") is True  # swapped by htmx, not a new page
        page.wait_for_function("() => document.activeElement && document.activeElement.classList.contains('week-next')")
        following = monday_of(today()) + timedelta(days=7)
        assert f"week={following.isoformat()}" in page.url
        assert page.locator(f'td[data-slot="{following.isoformat()}T12:00"]').count() == 1
        assert axe(page) == []
    finally:
        context.close()


def test_booking_in_chromium_a_free_cell_fills_the_form_then_confirm_and_send(
    browser, web_url, axe, space, session_api, make_account
):
    citizen = make_account()
    context = browser.new_context(viewport={"width": 360, "height": 800}, locale="ko-KR")
    page = context.new_page()
    try:
        page.goto(f"{web_url}/login?lang=en")
        page.fill("#field-email", citizen["email"])
        page.fill("#field-password", PASSWORD)
        page.click("form.fieldset button[type=submit]")
        page.goto(f"{web_url}/spaces/{space}?week={DAY.isoformat()}")
        assert axe(page) == []

        page.evaluate("window.stillThisPage = true")
        page.locator(f'td[data-slot="{DAY.isoformat()}T13:00"] a').click()
        assert page.evaluate("window.stillThisPage") is True  # filled in place, no page load
        assert page.input_value("#field-date") == DAY.isoformat()
        assert page.input_value("#field-start") == "13:00" and page.input_value("#field-end") == "14:00"
        page.fill("#field-party_size", "3")
        page.click("#book-form button[type=submit]")
        page.wait_for_selector(".confirm-form")
        assert axe(page) == []
        page.click(".confirm-form button[value=confirm]")
        page.wait_for_url(f"{web_url}/me/reservations")
        assert "Room " in page.locator(".flash-messages").inner_text()  # the space's name, in the message
        (made,) = my_reservations(session_api, citizen)
        assert made["status"] == "pending" and datetime.fromisoformat(made["start"]) == at(13)
    finally:
        context.close()
