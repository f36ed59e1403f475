"""The web client's Flask application: sessions, CSRF, security headers, language, pages.

Every page is a real URL and every action a ``<form>`` that posts and redirects, so the
site works with JavaScript off; htmx, where present, swaps fragments of the same
templates (a view renders ``partial`` when the request says ``HX-Request``).
"""

import logging

import redis
from flask import Flask, render_template, request
from flask_session import Session
from flask_talisman import Talisman
from flask_wtf.csrf import CSRFError, CSRFProtect
from werkzeug.exceptions import HTTPException
from werkzeug.middleware.proxy_fix import ProxyFix

from web import catalogue, i18n
from web.account import SignInRequired, current_user, to_login
from web.gateway import Gateway, Problem
from web.pages import url_with
from web.settings import WebSettings, web_settings
from web.views import auth, me, programs, pwa, search, spaces, vendor

log = logging.getLogger(__name__)


def create_app(settings: WebSettings | None = None) -> Flask:
    settings = settings or web_settings()
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=settings.secret_key,
        SESSION_TYPE="redis",
        SESSION_REDIS=redis.Redis.from_url(settings.session_url),
        SESSION_KEY_PREFIX="cs-web-session:",
        SESSION_PERMANENT=True,
        PERMANENT_SESSION_LIFETIME=settings.session_days * 24 * 3600,
        SESSION_COOKIE_NAME="cs_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.production,
        WTF_CSRF_TIME_LIMIT=None,  # the token lives as long as the session it is bound to
    )
    app.extensions["settings"] = settings
    app.extensions["gateway"] = Gateway(settings.gateway_url, settings.gateway_timeout)
    Session(app)
    CSRFProtect(app)
    Talisman(
        app,
        force_https=False,  # TLS ends at the ingress, which redirects plain HTTP
        strict_transport_security=settings.production,
        session_cookie_secure=settings.production,
        frame_options="DENY",
        content_security_policy=content_security_policy(settings),
        referrer_policy="strict-origin-when-cross-origin",
        permissions_policy={"geolocation": "(self)", "camera": "()", "microphone": "()", "payment": "()"},
    )
    if settings.trusted_proxies:  # HTTPS ends at the ingress: HSTS and Secure cookies need its X-Forwarded-Proto
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=settings.trusted_proxies, x_proto=settings.trusted_proxies)
    i18n.init(app)
    app.jinja_env.globals.update(
        current_user=current_user,
        label=catalogue.label,
        catalogue=catalogue.items,
        url_with=url_with,
        settings=settings,
    )
    for blueprint in (search.bp, spaces.bp, programs.bp, me.bp, auth.bp, pwa.bp, vendor.bp):
        app.register_blueprint(blueprint)
    _handle_errors(app)

    @app.get("/healthz")
    def healthz():
        """The process is up (the gateway's own /readyz tells whether the platform is)."""
        return {"status": "ok"}

    @app.after_request
    def vary_on_fragment(response):
        response.vary.add("HX-Request")  # a fragment and a whole page are different answers
        return response

    return app


def content_security_policy(settings: WebSettings) -> dict:
    """Nothing inline and nothing from elsewhere, but the map tiles if a tile server is set."""
    images = ["'self'", "data:"]
    if settings.tile_url:
        images.append(tile_origin(settings.tile_url))
    return {
        "default-src": "'self'",
        "script-src": "'self'",
        "style-src": "'self'",
        "img-src": images,
        "font-src": "'self'",
        "connect-src": "'self'",
        "manifest-src": "'self'",
        "worker-src": "'self'",
        "object-src": "'none'",
        "base-uri": "'self'",
        "form-action": "'self'",
        "frame-ancestors": "'none'",
    }


def tile_origin(url: str) -> str:
    """``https://{s}.tile.example/{z}/{x}/{y}.png`` → ``https://*.tile.example``."""
    scheme, _, rest = url.partition("://")
    host = rest.split("/", 1)[0].replace("{s}", "*")
    return f"{scheme}://{host}"


def _handle_errors(app: Flask) -> None:
    @app.errorhandler(SignInRequired)
    def sign_in_first(_):
        return to_login()

    @app.errorhandler(Problem)
    def problem_page(problem: Problem):
        """A refusal no view handled: a page that says what happened, in the page's language."""
        status = problem.status if problem.status in (403, 404, 409, 422, 429, 503, 504) else 502
        return render_template("error.html", problem=problem, status=status), status

    @app.errorhandler(CSRFError)
    def form_expired(_):
        return render_template("error.html", status=400, expired=True), 400

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.code and error.code < 400:  # a routing redirect (a missing trailing slash)
            return error
        return render_template("error.html", status=error.code or 500), error.code or 500

    @app.errorhandler(Exception)
    def unexpected(error: Exception):
        log.error("unhandled error on %s %s", request.method, request.path, exc_info=error)
        return render_template("error.html", status=500), 500
