"""A resident's own pages in the web client, against the real platform: my reservations
(with the space's name and the time in Seoul, in Korean and English), cancelling one through
its confirmation page, the calendar file, my applications, and the installable app (its
manifest, its service worker, the offline page and the last-seen list when the network is gone)."""

import html
import json
import re
import time
import uuid
from datetime import datetime, timedelta, timezone

import pytest

from tests.support.stack import PASSWORD, published_space

SEOUL = timezone(timedelta(hours=9))
DAY = (datetime.now(SEOUL) + timedelta(days=3)).replace(hour=0, minute=0, second=0, microsecond=0)
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def at(hour: int, day: datetime = DAY) -> datetime:
    return day + timedelta(hours=hour)


def text_of(response) -> str:
    """The page's main content as text: tags gone, entities decoded, white space collapsed."""
    page = response.get_data(as_text=True)
    main = re.search(r"<main.*?</main>", page, re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", main.group(0) if main else page)).split())


@pytest.fixture(scope="module")
def space(session_api, admin, make_account):
    """A published space open all day, every day, and its operator."""
    operator = make_account("operator")
    name = f"My Room {uuid.uuid4().hex[:8]}"
    space_id = published_space(session_api, admin, operator, name)
    return {"id": space_id, "name": name, "name_ko": f"시험 공간 {name}", "operator": operator}


@pytest.fixture
def citizen(make_account):
    return make_account("citizen")


def book(session_api, citizen, space_id: str, start: datetime, end: datetime, purpose="Book club") -> dict:
    answer = session_api(
        "POST",
        "/api/v1/reservations",
        json={
            "space_id": space_id,
            "start": start.isoformat(),
            "end": end.isoformat(),
            "party_size": 3,
            "purpose": purpose,
        },
        headers={**citizen["headers"], "Idempotency-Key": str(uuid.uuid4())},
    )
    assert answer.status_code == 201, answer.text
    return answer.json()


def sign_in(web, email: str):
    login = web.get("/login")
    form = {"email": email, "password": PASSWORD, "csrf_token": CSRF.search(login.get_data(as_text=True)).group(1)}
    signed = web.post("/login", data=form)
    assert signed.status_code == 302, signed.get_data(as_text=True)


def test_my_reservations_show_the_space_and_the_time_in_seoul_in_korean_and_english(web, session_api, space, citizen):
    # 08:00 in Seoul is 23:00 UTC the day before: the page must show Seoul's day and hour
    reservation = book(session_api, citizen, space["id"], at(8), at(9), purpose="Choir practice")
    sign_in(web, citizen["email"])

    english = web.get("/me/reservations?lang=en")
    assert english.status_code == 200
    page = text_of(english)
    assert space["name"] in page and "Choir practice" in page and "3 people" in page
    assert "Pending" in page
    assert f"{DAY.strftime('%A, %B')} {DAY.day}, {DAY.year} 8:00 AM – 9:00 AM" in page
    assert "11:00 PM" not in page, "the time is Seoul's, not UTC's"
    assert f'href="/me/reservations/{reservation["id"]}"' in english.get_data(as_text=True)

    korean = text_of(web.get("/me/reservations?lang=ko"))
    assert space["name_ko"] in korean and space["name"] not in korean.replace(space["name_ko"], "")
    assert f"{DAY.year}년 {DAY.month}월 {DAY.day}일" in korean
    assert "오전 8:00" in korean and "오전 9:00" in korean and "오후 11:00" not in korean

    past = text_of(web.get("/me/reservations?when=past&lang=en"))
    assert space["name"] not in past, "an upcoming reservation is not among the past ones"
    approved_only = text_of(web.get("/me/reservations?when=all&status=approved&lang=en"))
    assert space["name"] not in approved_only and "0 reservations" in approved_only


def test_cancelling_through_the_confirmation_page(web, session_api, space, citizen):
    reservation = book(session_api, citizen, space["id"], at(10), at(12))
    sign_in(web, citizen["email"])
    detail = f"/me/reservations/{reservation['id']}"

    confirm = web.get(detail + "?lang=en")
    page = confirm.get_data(as_text=True)
    assert confirm.status_code == 200
    assert "Cancel this reservation?" in text_of(confirm) and space["name"] in text_of(confirm)
    assert f'action="{detail}/cancel"' in page

    token = CSRF.search(page).group(1)
    cancelled = web.post(detail + "/cancel", data={"csrf_token": token, "reason": "Plans changed"})
    assert cancelled.status_code == 302 and cancelled.headers["Location"] == "/me/reservations"
    mine = text_of(web.get("/me/reservations?lang=en"))
    assert "Your reservation is cancelled." in mine
    assert "Cancelled" in mine and "Plans changed" in mine

    stored = session_api("GET", f"/api/v1/reservations/{reservation['id']}", headers=citizen["headers"]).json()
    assert stored["status"] == "cancelled" and stored["status_reason"] == "Plans changed"

    again = web.post(detail + "/cancel?lang=en", data={"csrf_token": token})
    assert again.status_code == 409
    assert "This reservation can no longer be cancelled. Its status: Cancelled." in text_of(again)
    assert "Cancel this reservation?" not in text_of(again)


def test_an_approved_reservation_past_its_cancel_deadline_cannot_be_cancelled(
    web, session_api, admin, make_account, citizen
):
    operator = make_account("operator")
    space_id = published_space(session_api, admin, operator, f"Strict Room {uuid.uuid4().hex[:8]}")
    policy = session_api(
        "PUT",
        f"/api/v1/admin/spaces/{space_id}/booking-policy",
        json={"cancel_deadline_minutes": 7 * 24 * 60},  # a week before; the reservation is in three days
        headers=operator["headers"],
    )
    assert policy.status_code == 200, policy.text
    reservation = book(session_api, citizen, space_id, at(14), at(15))
    approve = f"/api/v1/admin/reservations/{reservation['id']}/approve"
    assert session_api("POST", approve, headers=operator["headers"]).status_code == 200
    sign_in(web, citizen["email"])

    listed = web.get("/me/reservations?lang=en")
    assert "Approved" in text_of(listed) and "The cancellation deadline" in text_of(listed)
    assert f'href="/me/reservations/{reservation["id"]}"' in listed.get_data(as_text=True)  # the title links it
    assert ">Cancel<" not in listed.get_data(as_text=True), "no cancel button once the deadline has passed"

    detail = web.get(f"/me/reservations/{reservation['id']}?lang=en")
    assert "Cancel this reservation?" not in text_of(detail)
    token = CSRF.search(detail.get_data(as_text=True)).group(1)  # the sign-out form's, same session
    refused = web.post(f"/me/reservations/{reservation['id']}/cancel?lang=en", data={"csrf_token": token})
    assert refused.status_code == 422
    assert "The cancellation deadline has passed" in text_of(refused) and "10080 minutes" in text_of(refused)
    stored = session_api("GET", f"/api/v1/reservations/{reservation['id']}", headers=citizen["headers"]).json()
    assert stored["status"] == "approved"


def test_my_calendar_is_an_icalendar_file_of_my_approved_reservations(web, session_api, space, citizen):
    reservation = book(session_api, citizen, space["id"], at(16), at(17))
    approve = f"/api/v1/admin/reservations/{reservation['id']}/approve"
    assert session_api("POST", approve, headers=space["operator"]["headers"]).status_code == 200
    sign_in(web, citizen["email"])

    page = web.get("/me/reservations?lang=en")
    assert 'href="/me/reservations.ics"' in page.get_data(as_text=True)
    assert "import it into your calendar app" in text_of(page)

    calendar = web.get("/me/reservations.ics")
    assert calendar.status_code == 200
    assert calendar.mimetype == "text/calendar"
    assert calendar.headers["Content-Disposition"].startswith("attachment")
    feed = calendar.get_data(as_text=True)
    assert feed.startswith("BEGIN:VCALENDAR") and "BEGIN:VEVENT" in feed and reservation["id"] in feed


def test_my_pages_ask_an_anonymous_visitor_to_sign_in_first(web):
    for path in ("/me/reservations", "/me/applications", "/me/reservations.ics"):
        answer = web.get(path)
        assert answer.status_code == 302
        assert answer.headers["Location"] == f"/login?next={path}"


def weekly_program(space_id: str, capacity: int) -> dict:
    """Two Wednesday mornings (10:00-12:00 in Seoul) a fortnight from now, open for applications now."""
    first = DAY + timedelta(days=14)
    first += timedelta(days=(2 - first.weekday()) % 7)
    return {
        "space_id": space_id,
        "title_ko": "목공 교실",
        "title_en": "Woodwork class",
        "description_ko": "나무로 작은 가구를 만들어요.",
        "description_en": "Small furniture made of wood.",
        "category": "lecture",
        "audience": "adults",
        "fee_note": "무료 / Free",
        "capacity": capacity,
        "selection": "first_come",
        "application_opens": (datetime.now(SEOUL) - timedelta(minutes=5)).isoformat(),
        "application_closes": (first - timedelta(days=1)).isoformat(),
        "sessions": {
            "weekday": 3,
            "start_time": "10:00",
            "end_time": "12:00",
            "first_date": first.date().isoformat(),
            "count": 2,
        },
    }


def test_my_applications_list_the_program_its_status_and_the_waiting_list_position(
    web, session_api, space, citizen, make_account
):
    headers = space["operator"]["headers"]
    deadline = time.monotonic() + 15
    while True:  # the programs service learns of the published space from its events
        draft = session_api("POST", "/api/v1/admin/programs", json=weekly_program(space["id"], 1), headers=headers)
        if draft.status_code == 201 or time.monotonic() > deadline:
            break
        time.sleep(0.3)
    assert draft.status_code == 201, draft.text
    program = draft.json()
    assert session_api("POST", f"/api/v1/admin/programs/{program['id']}/publish", headers=headers).ok

    def apply(who) -> dict:
        answer = session_api(
            "POST",
            f"/api/v1/programs/{program['id']}/applications",
            json={},
            headers={**who["headers"], "Idempotency-Key": str(uuid.uuid4())},
        )
        assert answer.status_code == 201, answer.text
        return answer.json()

    assert apply(make_account("citizen"))["status"] == "accepted"  # the only place goes first
    assert apply(citizen)["status"] == "waitlisted"
    sign_in(web, citizen["email"])

    english = web.get("/me/applications?lang=en")
    page = text_of(english)
    assert english.status_code == 200
    assert "Woodwork class" in page and "On the waiting list" in page
    assert "Number 1 on the waiting list" in page
    assert f'href="/programs/{program["id"]}"' in english.get_data(as_text=True)
    first = datetime.fromisoformat(program["sessions"][0]["start"]).astimezone(SEOUL)
    assert f"{first.strftime('%A, %B')} {first.day}, {first.year} 10:00 AM" in page

    korean = text_of(web.get("/me/applications?lang=ko"))
    assert "목공 교실" in korean and "Woodwork class" not in korean
    assert "0 applications" in text_of(web.get("/me/applications?status=accepted&lang=en"))


def test_the_app_can_be_installed_and_works_offline(web):
    manifest = web.get("/manifest.webmanifest?lang=en")
    assert manifest.status_code == 200 and manifest.mimetype == "application/manifest+json"
    document = json.loads(manifest.get_data(as_text=True))
    assert document["name"] == "Community Space" and document["short_name"]
    assert document["start_url"] == "/" and document["display"] == "standalone"
    sizes = {icon["sizes"] for icon in document["icons"]}
    assert {"192x192", "512x512"} <= sizes
    for icon in document["icons"]:
        answer = web.get(icon["src"], buffered=True)  # read whole, so the file is closed
        assert answer.status_code == 200 and answer.mimetype == icon["type"], icon
        if icon["type"] == "image/png":
            assert answer.data.startswith(b"\x89PNG")
            width, height = int.from_bytes(answer.data[16:20], "big"), int.from_bytes(answer.data[20:24], "big")
            assert f"{width}x{height}" == icon["sizes"]

    worker = web.get("/sw.js")
    assert worker.status_code == 200 and worker.mimetype == "application/javascript"
    assert worker.headers["Cache-Control"] == "no-cache"
    assert 'addEventListener("fetch"' in worker.get_data(as_text=True)

    offline = web.get("/offline?lang=en")
    assert offline.status_code == 200
    assert "You are offline" in text_of(offline) and 'href="/me/reservations"' in offline.get_data(as_text=True)


def test_in_a_browser_my_reservations_are_accessible_and_stay_readable_offline(
    browser, web_url, axe, session_api, space, citizen
):
    reservation = book(session_api, citizen, space["id"], at(18), at(19), purpose="Board games")

    def sign_in_through_the_form(page):
        page.goto(f"{web_url}/login?lang=en&next=/me/reservations")
        page.fill("#field-email", citizen["email"])
        page.fill("#field-password", PASSWORD)
        page.click("form.fieldset button[type=submit]")
        page.wait_for_url(f"{web_url}/me/reservations")

    # axe-core is injected as an inline script, which the site's CSP rightly refuses: this
    # context alone bypasses the CSP, for the accessibility check only
    checked = browser.new_context(bypass_csp=True, service_workers="block")
    try:
        page = checked.new_page()
        sign_in_through_the_form(page)
        assert page.get_by_text("Board games").is_visible()
        assert axe(page) == []
        page.goto(f"{web_url}/me/reservations/{reservation['id']}")
        assert page.get_by_role("heading", name="Cancel this reservation?").is_visible()
        assert axe(page) == []
    finally:
        checked.close()

    context = browser.new_context()
    try:
        page = context.new_page()
        sign_in_through_the_form(page)
        assert page.evaluate("navigator.serviceWorker.ready.then(r => r.active.scriptURL)") == f"{web_url}/sw.js"
        page.reload()  # now the worker controls the page, and keeps this fetch of the list
        assert page.evaluate("navigator.serviceWorker.controller !== null")
        assert page.get_by_text("Board games").is_visible()

        context.set_offline(True)
        page.reload()
        assert page.get_by_role("heading", name="My reservations").is_visible()
        assert page.get_by_text("Board games").is_visible(), "the last-seen list is shown offline"

        page.goto(f"{web_url}/programs")
        assert page.get_by_role("heading", name="You are offline").is_visible()
        page.get_by_role("link", name="My reservations as last seen").click()
        page.wait_for_url(f"{web_url}/me/reservations")
        assert page.get_by_text("Board games").is_visible()

        context.set_offline(False)
        page.get_by_role("button", name="Sign out").click()
        page.wait_for_url(f"{web_url}/")
        context.set_offline(True)
        page.goto(f"{web_url}/me/reservations")
        assert page.get_by_role("heading", name="You are offline").is_visible()
        assert page.get_by_text("Board games").count() == 0, "signing out leaves no list of mine on the device"
    finally:
        context.set_offline(False)
        context.close()
