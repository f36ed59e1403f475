"""Who is signed in, and calling the gateway as them.

The access and refresh tokens live in the server-side session (Redis, through
Flask-Session); the browser's cookie only names that session. An access token about
to expire is refreshed before the call that needs it, and once more after a 401, so a
resident never sees it happen; a refresh the gateway refuses signs the session out.
"""

import time
from functools import wraps
from typing import Any
from urllib.parse import urlsplit

from flask import current_app, redirect, request, session, url_for
from flask_babel import get_locale

from web.gateway import Gateway, Problem

REFRESH_MARGIN_SECONDS = 30


class SignInRequired(Exception):
    """The page needs a signed-in resident: the app answers with the sign-in page (and ``next``)."""


def gateway() -> Gateway:
    return current_app.extensions["gateway"]


def api(method: str, path: str, *, auth: bool = False, **kwargs) -> Any:
    """Call the gateway in the resident's language; ``auth``: as the signed-in resident."""
    kwargs.setdefault("language", str(get_locale()))
    if not auth:
        return gateway().call(method, path, **kwargs)
    try:
        return gateway().call(method, path, token=_access_token(), **kwargs)
    except Problem as problem:
        if problem.status != 401:
            raise
    _refresh()  # the gateway refused the token (revoked, or its key rotated): once more with a new one
    try:
        return gateway().call(method, path, token=_access_token(), **kwargs)
    except Problem as problem:
        if problem.status == 401:
            forget()
            raise SignInRequired() from problem
        raise


def current_user() -> dict | None:
    """``{id, email, name, role, locale}`` of the signed-in resident, or ``None``."""
    return session.get("user")


def sign_in(pair: dict, user: dict) -> None:
    """Keep the gateway's token pair and the user in a new session (a new id: no fixation)."""
    session.clear()
    current_app.session_interface.regenerate(session)  # type: ignore[attr-defined]
    _keep(pair)
    session["user"] = {key: user.get(key) for key in ("id", "email", "name", "role", "locale")}
    session.permanent = True


def sign_out() -> None:
    """Revoke the refresh token at the gateway, then forget the session; an unreachable gateway
    does not keep anyone signed in here."""
    refresh_token = session.get("refresh_token")
    if refresh_token:
        try:
            gateway().call("POST", "/api/v1/auth/logout", json={"refresh_token": refresh_token})
        except Problem:
            current_app.logger.warning("could not revoke a refresh token at sign-out")
    forget()


def forget() -> None:
    session.clear()


def signed_in(view):
    """The view needs a signed-in resident; anyone else gets the sign-in page, then comes back."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        if current_user() is None:
            raise SignInRequired()
        return view(*args, **kwargs)

    return wrapper


def login_url() -> str:
    return url_for("auth.login", next=request.full_path.rstrip("?") if request.method == "GET" else request.referrer)


def safe_next(target: str | None) -> str:
    """Only a path on this site: ``next`` must not send anyone elsewhere after signing in."""
    if not target:
        return url_for("search.home")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return url_for("search.home")
    return target


def to_login():
    return redirect(login_url())


def _access_token() -> str:
    if session.get("access_token") is None:
        raise SignInRequired()
    if session.get("expires_at", 0) - REFRESH_MARGIN_SECONDS < time.time():
        _refresh()
    return session["access_token"]


def _refresh() -> None:
    refresh_token = session.get("refresh_token")
    if refresh_token is None:
        raise SignInRequired()
    try:
        pair = gateway().call("POST", "/api/v1/auth/refresh", json={"refresh_token": refresh_token})
    except Problem as problem:
        if problem.status in (400, 401, 422):
            forget()
            raise SignInRequired() from problem
        raise
    _keep(pair)


def _keep(pair: dict) -> None:
    session["access_token"] = pair["access_token"]
    session["refresh_token"] = pair["refresh_token"]
    session["expires_at"] = time.time() + int(pair.get("expires_in", 900))
