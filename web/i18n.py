"""One language per request, and what the templates use to speak it.

``?lang=ko|en`` chooses and is remembered in a cookie; otherwise the cookie, then the
browser's ``Accept-Language``; Korean by default. Times are shown in Asia/Seoul in the
language's own format (Babel's, through Flask-Babel).
"""

from datetime import datetime

from flask import Flask, Response, request
from flask_babel import Babel, format_date, format_datetime, format_time, get_locale

LANGUAGES = ("ko", "en")
DEFAULT_LANGUAGE = "ko"
TIMEZONE = "Asia/Seoul"
COOKIE = "lang"
COOKIE_SECONDS = 365 * 24 * 3600


def select_locale() -> str:
    for chosen in (request.args.get("lang"), request.cookies.get(COOKIE)):
        if chosen in LANGUAGES:
            return chosen
    return request.accept_languages.best_match(LANGUAGES, default=DEFAULT_LANGUAGE) or DEFAULT_LANGUAGE


def remember_choice(response: Response) -> Response:
    chosen = request.args.get("lang")
    if chosen in LANGUAGES and request.cookies.get(COOKIE) != chosen:
        response.set_cookie(COOKIE, chosen, max_age=COOKIE_SECONDS, samesite="Lax", httponly=True)
    return response


def language() -> str:
    return str(get_locale())


def local(obj: dict | None, name: str) -> str:
    """``obj["<name>_<language>"]``, falling back to the Korean text (always present)."""
    if not obj:
        return ""
    return obj.get(f"{name}_{language()}") or obj.get(f"{name}_ko") or obj.get(name) or ""


def instant(value: str | datetime | None) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(value)


def when(value, format: str = "medium") -> str:
    """An instant in Asia/Seoul, in the language's format (``short``, ``medium``, ``long``, ``full``)."""
    moment = instant(value)
    return format_datetime(moment, format) if moment else ""


def day(value, format: str = "medium") -> str:
    moment = instant(value)
    return format_date(moment, format) if moment else ""


def clock(value, format: str = "short") -> str:
    moment = instant(value)
    return format_time(moment, format) if moment else ""


def init(app: Flask) -> None:
    app.config["BABEL_DEFAULT_LOCALE"] = DEFAULT_LANGUAGE
    app.config["BABEL_DEFAULT_TIMEZONE"] = TIMEZONE
    Babel(app, locale_selector=select_locale)
    app.after_request(remember_choice)
    app.jinja_env.globals.update(local=local, language=language, languages=LANGUAGES)
    app.jinja_env.filters.update(when=when, day=day, clock=clock)
