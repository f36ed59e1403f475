"""What the web client promises every browser, whatever the page: the security headers, the
session cookie's flags, and refusing to start in production with the development secret."""

import pytest

from chassis.settings import InsecureConfiguration
from web.app import create_app, tile_origin
from web.settings import DEVELOPMENT_SECRET, WebSettings

PRODUCTION_SECRET = "x" * 48


def headers(**settings) -> dict:
    app = create_app(WebSettings(**settings))
    return app.test_client().get("/healthz").headers


def test_a_strict_content_security_policy_without_inline_script_or_framing():
    policy = dict(directive.strip().split(" ", 1) for directive in headers()["Content-Security-Policy"].split(";"))
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert policy["default-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["object-src"] == "'none'"
    assert policy["img-src"] == "'self' data:"  # no tile server set: nothing from elsewhere


def test_the_tile_server_is_the_only_other_origin_and_only_for_images():
    policy = headers(tile_url="https://{s}.tile.example.org/{z}/{x}/{y}.png")["Content-Security-Policy"]
    assert "img-src 'self' data: https://*.tile.example.org" in policy
    assert policy.count("tile.example.org") == 1
    assert tile_origin("https://tiles.seoul.example/{z}/{x}/{y}.png") == "https://tiles.seoul.example"


def test_framing_referrer_and_permissions_are_restricted():
    sent = headers()
    assert sent["X-Frame-Options"] == "DENY"
    assert sent["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "geolocation=(self)" in sent["Permissions-Policy"]
    assert "camera=()" in sent["Permissions-Policy"]
    assert "Strict-Transport-Security" not in sent  # plain HTTP on a developer's machine


def test_production_sends_hsts_and_secure_session_cookies():
    app = create_app(WebSettings(env="production", secret_key=PRODUCTION_SECRET))
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    # TLS ends at the ingress, which says so in X-Forwarded-Proto
    app = create_app(WebSettings(env="production", secret_key=PRODUCTION_SECRET, trusted_proxies=1))
    answer = app.test_client().get("/healthz", headers={"X-Forwarded-Proto": "https"})
    assert "max-age" in answer.headers["Strict-Transport-Security"]


def test_production_refuses_the_development_secret():
    with pytest.raises(InsecureConfiguration):
        WebSettings(env="production", secret_key=DEVELOPMENT_SECRET).check_safe()
    WebSettings(env="production", secret_key=PRODUCTION_SECRET).check_safe()
