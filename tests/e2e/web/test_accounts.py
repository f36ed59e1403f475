"""Accounts in the web client, against the real gateway: sign up, sign in, where a resident
lands afterwards, what the browser keeps (a cookie naming a session, never a token), signing
out at the gateway, the silent refresh of an expired access token, and CSRF on every form."""

import html
import re
import time
import uuid
from http.cookies import SimpleCookie

import pytest

from tests.support.stack import PASSWORD

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_token(web, path: str) -> str:
    page = web.get(path)
    assert page.status_code == 200, page.status_code
    return CSRF.search(page.get_data(as_text=True)).group(1)


def field_error(page: str, name: str) -> str | None:
    """The message shown beside a form field (``<p id="error-<name>">``), or ``None``."""
    found = re.search(rf'<p class="form-hint-invalid" id="error-{re.escape(name)}">(.*?)</p>', page, re.S)
    return html.unescape(found.group(1)).strip() if found else None


def field_value(page: str, name: str) -> str | None:
    found = re.search(rf'<input[^>]*\bname="{re.escape(name)}"[^>]*\bvalue="([^"]*)"', page, re.S)
    return html.unescape(found.group(1)) if found else None


def signed_in_as(page: str) -> str | None:
    found = re.search(r'<span class="signed-in-as">(.*?)</span>', page)
    return html.unescape(found.group(1)) if found else None


def sign_up(web, **fields):
    form = {"name": "", "email": "", "phone": "", "password": "", "password_again": "", **fields}
    form["csrf_token"] = csrf_token(web, "/signup?lang=en")
    return web.post("/signup", data=form)


def sign_in(web, email: str, password: str, next: str | None = None):
    form = {"email": email, "password": password, "csrf_token": csrf_token(web, "/login?lang=en")}
    if next is not None:
        form["next"] = next
    return web.post("/login", data=form)


@pytest.fixture
def email():
    return f"resident-{uuid.uuid4().hex[:10]}@example.com"


def test_signing_up_shows_each_problem_beside_its_field_and_keeps_what_was_typed(web, make_account, email):
    short = sign_up(web, name="김하늘", email=email, password="short", password_again="short")
    page = short.get_data(as_text=True)
    assert short.status_code == 422
    assert field_error(page, "password"), "a too-short password is explained beside the password field"
    assert field_value(page, "name") == "김하늘" and field_value(page, "email") == email
    assert field_value(page, "password") == "", "a password is never sent back to the browser"

    differ = sign_up(web, name="김하늘", email=email, password=PASSWORD, password_again=PASSWORD + "!")
    page = differ.get_data(as_text=True)
    assert differ.status_code == 422
    assert field_error(page, "password_again") == "The two passwords differ."
    assert field_value(page, "name") == "김하늘" and field_value(page, "email") == email

    taken = make_account("citizen")["email"]
    existing = sign_up(web, name="김하늘", email=taken, password=PASSWORD, password_again=PASSWORD)
    page = existing.get_data(as_text=True)
    assert existing.status_code == 422
    assert field_error(page, "email") == "An account with this email address already exists."
    assert field_value(page, "email") == taken

    made = sign_up(web, name="김하늘", email=email, password=PASSWORD, password_again=PASSWORD)
    assert made.status_code == 302
    assert signed_in_as(web.get("/").get_data(as_text=True)) == "김하늘"


def test_signing_in_goes_back_where_the_resident_was_and_never_elsewhere(web, email):
    registered = sign_up(web, name="박서준", email=email, password=PASSWORD, password_again=PASSWORD)
    assert registered.status_code == 302
    out = web.post("/logout", data={"csrf_token": csrf_token(web, "/")})
    assert out.status_code == 302 and signed_in_as(web.get("/").get_data(as_text=True)) is None

    wrong = sign_in(web, email, PASSWORD + "x", next="/me/reservations")
    page = wrong.get_data(as_text=True)
    assert wrong.status_code == 401
    assert "The email address or the password is not right." in page
    assert field_value(page, "email") == email and signed_in_as(page) is None

    right = sign_in(web, email, PASSWORD, next="/me/reservations")
    assert right.status_code == 302 and right.headers["Location"] == "/me/reservations"
    assert signed_in_as(web.get("/me/reservations").get_data(as_text=True)) == "박서준"

    web.post("/logout", data={"csrf_token": csrf_token(web, "/")})
    elsewhere = sign_in(web, email, PASSWORD, next="https://evil.example/")
    assert elsewhere.status_code == 302 and elsewhere.headers["Location"] == "/"
    web.post("/logout", data={"csrf_token": csrf_token(web, "/")})
    sneaky = sign_in(web, email, PASSWORD, next="//evil.example/me")
    assert sneaky.status_code == 302 and sneaky.headers["Location"] == "/"


def test_the_browser_keeps_a_session_cookie_and_no_token(web, make_account):
    account = make_account("citizen")
    signed = sign_in(web, account["email"], PASSWORD)
    assert signed.status_code == 302

    cookies = [SimpleCookie(header) for header in signed.headers.getlist("Set-Cookie")]
    session_cookie = next(cookie["cs_session"] for cookie in cookies if "cs_session" in cookie)
    assert session_cookie["httponly"] is True
    assert session_cookie["samesite"].lower() == "lax"

    with web.session_transaction() as session:
        tokens = (session["access_token"], session["refresh_token"])
    kept = {cookie.key: cookie.value for cookie in web._cookies.values()}
    assert kept, "the browser keeps a cookie naming its session"
    for value in kept.values():
        assert all(token not in value for token in tokens)
        assert not value.startswith("eyJ"), "no JWT of any kind is kept in the browser"


def test_signing_out_revokes_the_refresh_token_at_the_gateway(web, make_account, api):
    account = make_account("citizen")
    assert sign_in(web, account["email"], PASSWORD).status_code == 302
    with web.session_transaction() as session:
        refresh_token = session["refresh_token"]

    out = web.post("/logout", data={"csrf_token": csrf_token(web, "/")})
    assert out.status_code == 302
    assert signed_in_as(web.get("/").get_data(as_text=True)) is None
    assert web.get("/me/reservations").status_code == 302

    refreshed = api("POST", "/api/v1/auth/refresh", json={"refresh_token": refresh_token})
    assert refreshed.status_code == 401, refreshed.text


def test_an_expired_access_token_is_refreshed_without_the_resident_noticing(web, make_account, api):
    account = make_account("citizen")
    assert sign_in(web, account["email"], PASSWORD).status_code == 302
    with web.session_transaction() as session:
        old_access, old_refresh = session["access_token"], session["refresh_token"]
        session["expires_at"] = time.time() - 60

    page = web.get("/me/reservations?lang=en")
    assert page.status_code == 200
    assert "My reservations" in page.get_data(as_text=True)
    assert signed_in_as(page.get_data(as_text=True)) == "Test citizen"

    with web.session_transaction() as session:
        assert session["access_token"] != old_access
        assert session["refresh_token"] != old_refresh
        assert session["expires_at"] > time.time() + 60
    me = api("GET", "/api/v1/me", headers={"Authorization": f"Bearer {session['access_token']}"})
    assert me.status_code == 200 and me.json()["email"] == account["email"]
    assert api("POST", "/api/v1/auth/refresh", json={"refresh_token": old_refresh}).status_code == 401


def test_a_form_posted_without_its_csrf_token_is_refused(web, make_account):
    account = make_account("citizen")
    forged = web.post("/login?lang=en", data={"email": account["email"], "password": PASSWORD})
    assert forged.status_code == 400
    assert "The form has expired" in forged.get_data(as_text=True)
    with web.session_transaction() as session:
        assert "access_token" not in session

    assert sign_in(web, account["email"], PASSWORD).status_code == 302
    kept_out = web.post("/logout?lang=en")
    assert kept_out.status_code == 400
    assert signed_in_as(web.get("/").get_data(as_text=True)) == "Test citizen", "a forged sign-out does nothing"
