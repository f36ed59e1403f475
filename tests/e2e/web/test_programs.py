"""The programs pages of the web client against the real platform: find a program, read it,
apply, wait on the list, withdraw.

An operator publishes weekly programs (three Wednesday mornings, 10:00-12:00 in Seoul,
open for applications now) at a published space in Mapo; residents sign in to the web
client and do what they would do in a browser, form by form.
"""

import re
import time
import uuid
from datetime import datetime, timedelta, timezone

import pytest
from playwright.sync_api import expect

from tests.support.stack import PASSWORD, published_space

pytestmark = pytest.mark.e2e

SEOUL = timezone(timedelta(hours=9))
FIRST_DAY = (datetime.now(SEOUL) + timedelta(days=10)).replace(hour=0, minute=0, second=0, microsecond=0)
WAIT_SECONDS = 15
ACCEPTED = 'class="application-status application-accepted">Accepted<'
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def eventually(check, seconds: float = WAIT_SECONDS):
    """``check()``'s first answer that is not falsy, trying for ``seconds`` (events travel between services)."""
    deadline = time.monotonic() + seconds
    while True:
        answer = check()
        if answer or time.monotonic() > deadline:
            return answer
        time.sleep(0.3)


@pytest.fixture(scope="module")
def space(session_api, admin, make_account):
    """A published space in Mapo, open all day every day, and its operator."""
    operator = make_account("operator")
    name = f"Web Program Room {uuid.uuid4().hex[:8]}"
    space_id = published_space(session_api, admin, operator, name)
    return {"id": space_id, "name": name, "operator": operator}


def publish_program(session_api, space, capacity: int, weeks_later: int) -> dict:
    """Three Wednesdays, 10:00-12:00 Seoul time, from ``weeks_later`` weeks after ``FIRST_DAY``;
    first come, first served; open for applications from five minutes ago."""
    first = FIRST_DAY + timedelta(days=(2 - FIRST_DAY.weekday()) % 7, weeks=weeks_later)  # a Wednesday
    token = uuid.uuid4().hex[:6]
    body = {
        "space_id": space["id"],
        "title_ko": f"그림책 읽기 모임 {token}",
        "title_en": f"Picture-book club {token}",
        "description_ko": "아이와 함께 그림책을 읽어요.",
        "description_en": "Picture books read aloud with children.",
        "category": "club",
        "audience": "children",
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
            "count": 3,
        },
    }
    headers = space["operator"]["headers"]

    def created():  # the programs service learns of the space from its events
        answer = session_api("POST", "/api/v1/admin/programs", json=body, headers=headers)
        return answer if answer.status_code == 201 else None

    draft = eventually(created)
    assert draft is not None, "the programs service never took a program at the published space"
    published = session_api("POST", f"/api/v1/admin/programs/{draft.json()['id']}/publish", headers=headers)
    assert published.status_code == 200, published.text
    return published.json()


@pytest.fixture(scope="module")
def program(session_api, space):
    """Five places, nobody applied yet (the tests that apply use programs of their own)."""
    return publish_program(session_api, space, capacity=5, weeks_later=0)


def text(response) -> str:
    """The page as a resident reads it: its text without the markup, spaces collapsed."""
    html = response.get_data(as_text=True)
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def csrf_of(response) -> str:
    found = CSRF.search(response.get_data(as_text=True))
    assert found, "the page has no form with a CSRF token"
    return found.group(1)


def sign_in(web, account: dict) -> None:
    """Sign ``account`` into the web client through its sign-in form, in English."""
    page = web.get("/login?lang=en")
    answer = web.post(
        "/login", data={"csrf_token": csrf_of(page), "email": account["email"], "password": PASSWORD, "next": "/"}
    )
    assert answer.status_code == 302, text(answer)


def apply_on_the_page(web, program_id: str, note: str = ""):
    """Open the program's page and send its apply form; answers the page it redirects to."""
    page = web.get(f"/programs/{program_id}?lang=en")
    assert f'action="/programs/{program_id}/apply"' in page.get_data(as_text=True), text(page)
    sent = web.post(f"/programs/{program_id}/apply", data={"csrf_token": csrf_of(page), "note": note})
    assert sent.status_code == 302, text(sent)
    assert sent.headers["Location"].endswith(f"/programs/{program_id}")
    return web.get(sent.headers["Location"])


def withdraw_form(page) -> str:
    found = re.search(r'action="(/applications/[0-9a-f-]{36}/withdraw)"', page.get_data(as_text=True))
    assert found, "the page has no withdraw button"
    return found.group(1)


def test_the_list_shows_the_program_in_the_pages_language_and_filters_by_district(web, space, program):
    korean = web.get("/programs", query_string={"q": space["name"], "lang": "ko"})
    assert korean.status_code == 200
    assert program["title_ko"] in text(korean) and program["title_en"] not in text(korean)
    assert f'href="/programs/{program["id"]}"' in korean.get_data(as_text=True)

    english = web.get("/programs", query_string={"q": space["name"], "lang": "en"})
    page = text(english)
    assert program["title_en"] in page and program["title_ko"] not in page
    assert "Mapo-gu" in page and "5 places left / 5" in page and "Open for applications" in page
    first = datetime.fromisoformat(program["sessions"][0]["start"]).astimezone(SEOUL)
    assert f"{first:%b} {first.day}, {first.year} 10:00 AM" in page  # the first session, Seoul time

    in_mapo = web.get("/programs", query_string={"q": space["name"], "district": "mapo", "lang": "en"})
    assert program["title_en"] in text(in_mapo)
    in_jongno = web.get("/programs", query_string={"q": space["name"], "district": "jongno", "lang": "en"})
    assert program["title_en"] not in text(in_jongno) and "0 programs" in text(in_jongno)
    lectures = web.get("/programs", query_string={"q": space["name"], "category": "lecture", "lang": "en"})
    assert program["title_en"] not in text(lectures)


def test_htmx_gets_the_results_without_the_page_around_them(web, space, program):
    fragment = web.get("/programs", query_string={"q": space["name"], "lang": "en"}, headers={"HX-Request": "true"})
    html = fragment.get_data(as_text=True)
    assert fragment.status_code == 200 and program["title_en"] in html
    assert "<html" not in html and 'id="field-district"' in html  # the form and its results, nothing around


def test_a_mistyped_date_is_named_beside_its_field(web):
    answer = web.get("/programs", query_string={"from": "next tuesday", "q": "keep me", "lang": "en"})
    assert answer.status_code == 422
    assert "Enter a date such as 2026-05-04." in text(answer)
    assert 'value="keep me"' in answer.get_data(as_text=True)  # what the resident typed stays


def test_the_page_of_a_program_shows_its_sessions_in_seoul_time_and_its_places(web, program):
    answer = web.get(f"/programs/{program['id']}?lang=en")
    assert answer.status_code == 200
    page = text(answer)
    assert program["title_en"] in page and "Picture books read aloud with children." in page
    for session in program["sessions"]:
        start = datetime.fromisoformat(session["start"]).astimezone(SEOUL)
        assert f"Wednesday, {start:%B} {start.day}, {start.year}" in page
    assert page.count("10:00 AM–12:00 PM") == 3  # 01:00-03:00 UTC, shown as Seoul's morning
    assert "5 places left" in page and "0 people waiting" in page and "Open now" in page
    assert "First come, first served" in page and "Children" in page
    assert f'href="/spaces/{program["space_id"]}"' in answer.get_data(as_text=True)

    korean = text(web.get(f"/programs/{program['id']}?lang=ko"))
    assert program["title_ko"] in korean and "오전 10:00" in korean


def test_an_anonymous_visitor_is_asked_to_sign_in_to_apply(web, program):
    answer = web.get(f"/programs/{program['id']}?lang=en")
    html = answer.get_data(as_text=True)
    assert f'href="/login?next=/programs/{program["id"]}"' in html and "Sign in to apply" in text(answer)
    assert f'action="/programs/{program["id"]}/apply"' not in html
    no_form = web.get("/login")  # a visitor's apply post goes to the sign-in page, not to the gateway
    sent = web.post(f"/programs/{program['id']}/apply", data={"csrf_token": csrf_of(no_form)})
    assert sent.status_code == 302 and "/login" in sent.headers["Location"]


def test_a_resident_applies_sees_the_application_and_withdraws(web, session_api, space, make_account):
    program = publish_program(session_api, space, capacity=3, weeks_later=4)
    citizen = make_account("citizen")
    sign_in(web, citizen)

    page = apply_on_the_page(web, program["id"], note="처음 참가합니다")
    shown = text(page)
    assert "Your application is accepted" in shown
    assert "Your application" in shown and "처음 참가합니다" in shown
    assert ACCEPTED in page.get_data(as_text=True)
    assert "2 places left" in shown
    withdraw = withdraw_form(page)
    mine = session_api("GET", "/api/v1/me/applications", headers=citizen["headers"]).json()["items"]
    assert [(item["program_id"], item["status"]) for item in mine] == [(program["id"], "accepted")]
    assert withdraw == f"/applications/{mine[0]['id']}/withdraw"

    # the button asks first; only the confirmation withdraws
    confirm = web.post(withdraw, data={"csrf_token": csrf_of(page)})
    assert confirm.status_code == 200 and "Withdraw your application?" in text(confirm)
    assert "you give up your place" in text(confirm)
    still = session_api("GET", f"/api/v1/applications/{mine[0]['id']}", headers=citizen["headers"]).json()
    assert still["status"] == "accepted"
    done = web.post(withdraw, data={"csrf_token": csrf_of(confirm), "confirmed": "yes", "next": ""})
    assert done.status_code == 302 and done.headers["Location"].endswith(f"/programs/{program['id']}")
    after = web.get(done.headers["Location"])
    assert "Your application is withdrawn." in text(after)
    assert "Your earlier application: Withdrawn." in text(after) and "3 places left" in text(after)
    assert f'action="/programs/{program["id"]}/apply"' in after.get_data(as_text=True)  # may apply again
    status = session_api("GET", f"/api/v1/applications/{mine[0]['id']}", headers=citizen["headers"]).json()
    assert status["status"] == "withdrawn"


def test_with_one_place_the_second_resident_waits_and_moves_up_when_the_first_withdraws(
    web_app, session_api, space, make_account
):
    program = publish_program(session_api, space, capacity=1, weeks_later=8)
    first, second = make_account("citizen"), make_account("citizen")
    first_web, second_web = web_app.test_client(), web_app.test_client()  # two browsers, two cookie jars
    sign_in(first_web, first)
    sign_in(second_web, second)
    assert "Your application is accepted" in text(apply_on_the_page(first_web, program["id"]))

    waiting = apply_on_the_page(second_web, program["id"])
    shown = text(waiting)
    assert "The program is full: you are on the waiting list at position 1." in shown
    assert "On the waiting list" in shown and "Position 1" in shown
    assert "Full" in shown and "1 person waiting" in shown
    withdraw_form(waiting)  # one may leave the waiting list too

    # the first withdraws: the place goes to the second
    page = first_web.get(f"/programs/{program['id']}")
    confirm = first_web.post(withdraw_form(page), data={"csrf_token": csrf_of(page)})
    done = first_web.post(
        withdraw_form(page), data={"csrf_token": csrf_of(confirm), "confirmed": "yes"}, follow_redirects=True
    )
    assert "Your application is withdrawn." in text(done)

    def promoted():
        return ACCEPTED in second_web.get(f"/programs/{program['id']}").get_data(as_text=True)

    assert eventually(promoted), "the second resident never moved up from the waiting list"
    assert "Position 1" not in text(second_web.get(f"/programs/{program['id']}"))


def test_applying_twice_is_a_message_on_the_page_not_an_error(web, session_api, space, make_account):
    program = publish_program(session_api, space, capacity=5, weeks_later=12)
    citizen = make_account("citizen")
    sign_in(web, citizen)
    page = web.get(f"/programs/{program['id']}?lang=en")
    token = csrf_of(page)
    assert web.post(f"/programs/{program['id']}/apply", data={"csrf_token": token}).status_code == 302
    again = web.post(f"/programs/{program['id']}/apply", data={"csrf_token": token, "note": "again"})
    assert again.status_code == 409
    assert "You have already applied to this program." in text(again)
    assert "Your application" in text(again) and ACCEPTED in again.get_data(as_text=True)


def test_a_post_without_its_csrf_token_is_refused_with_a_page(web, program, make_account):
    sign_in(web, make_account("citizen"))
    answer = web.post(f"/programs/{program['id']}/apply?lang=en", data={"note": "no token"})
    assert answer.status_code == 400
    assert "The form has expired" in text(answer)
    withdraw = web.post(f"/applications/{uuid.uuid4()}/withdraw", data={"confirmed": "yes"})
    assert withdraw.status_code == 400


def test_an_unknown_program_is_a_not_found_page(web):
    answer = web.get(f"/programs/{uuid.uuid4()}?lang=en")
    assert answer.status_code == 404 and "Page not found" in text(answer)


def test_the_programs_pages_in_chromium_pass_axe(browser, web_url, axe, session_api, space, make_account):
    """List (a filter swapped in by htmx), program, sign in, apply, withdraw: in Chromium, each page
    without serious or critical axe violations."""
    program = publish_program(session_api, space, capacity=2, weeks_later=16)
    title = re.compile(re.escape(program["title_en"]))
    # axe-core is injected as an inline script, which the site's CSP forbids: this context alone
    # lets it in (the other tests see the pages with their CSP).
    context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.goto(f"{web_url}/programs?lang=en&q={space['name']}")
        expect(page.get_by_role("link", name=title)).to_be_visible()
        assert axe(page) == []

        page.get_by_label("District").select_option("jongno")  # htmx: the results change, the URL follows
        page.wait_for_url("**district=jongno**")
        expect(page.get_by_role("heading", name="0 programs", exact=True)).to_be_visible()
        page.get_by_label("District").select_option("mapo")
        page.wait_for_url("**district=mapo**")
        page.get_by_role("link", name=title).click()
        page.wait_for_url(f"**/programs/{program['id']}")
        expect(page.get_by_role("heading", level=1)).to_have_text(program["title_en"])
        assert axe(page) == []

        citizen = make_account("citizen")
        page.get_by_role("link", name="Sign in to apply").click()
        page.get_by_label("Email address").fill(citizen["email"])
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        apply = page.get_by_role("button", name="Apply", exact=True)
        expect(apply).to_be_visible()  # back on the program's page, signed in
        assert axe(page) == []

        apply.click()
        expect(page.get_by_text("Your application is accepted")).to_be_visible()
        assert axe(page) == []
        page.set_viewport_size({"width": 360, "height": 800})
        assert axe(page) == []

        page.get_by_role("button", name="Withdraw my application").click()
        expect(page.get_by_role("heading", name="Withdraw your application?")).to_be_visible()
        assert axe(page) == []
        page.get_by_role("button", name="Yes, withdraw").click()
        expect(page.get_by_text("Your application is withdrawn.")).to_be_visible()
    finally:
        context.close()
