"""The gateway's application factory."""

import time

from flask import Flask, current_app
from flask_cors import CORS
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from werkzeug.middleware.proxy_fix import ProxyFix

from gateway import db, ops, problems
from gateway.accounts import auth_bp, users_bp
from gateway.programs import programs_bp
from gateway.reservations import reservations_bp
from gateway.search_cache import SearchCache
from gateway.settings import GatewaySettings, gateway_settings
from gateway.spaces import spaces_bp


def create_app(settings: GatewaySettings | None = None, rpc=None) -> Flask:
    """Build the app. ``rpc`` is anything with ``call`` and ``broker_ok`` (tests pass a fake)."""
    settings = settings or gateway_settings()
    settings.check_safe()
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = settings.max_body_bytes
    app.json.sort_keys = False
    if settings.trusted_proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=settings.trusted_proxies, x_proto=settings.trusted_proxies)
    if rpc is None:
        from gateway.rpc import RpcClient

        rpc = RpcClient(settings.amqp_uri, timeout=settings.rpc_timeout, pool_size=settings.gateway_threads)
    app.extensions["settings"] = settings
    app.extensions["rpc"] = rpc
    if settings.search_cache_url:
        app.extensions["search_cache"] = SearchCache(
            settings.search_cache_url, settings.search_cache_seconds, namespace=settings.db_prefix
        )
        app.extensions["program_search_cache"] = SearchCache(
            settings.search_cache_url, settings.program_search_cache_seconds, settings.db_prefix, kind="programs"
        )

    db.init_app(app, settings.db_url(), settings.statement_timeout_ms, settings.gateway_threads)
    problems.init_app(app)
    ops.init_metrics(app)
    ops.init_readiness(app)
    for blueprint in (ops.ops_bp, auth_bp, users_bp, spaces_bp, reservations_bp, programs_bp):
        app.register_blueprint(blueprint)
    app.after_request(_retry_after_when_limited)
    _init_limiter(app, settings)
    if settings.cors_origins:
        CORS(
            app,
            resources={r"/api/*": {"origins": settings.cors_origins}},
            expose_headers=["Retry-After", "Location"],
            max_age=600,
        )
    app.after_request(_security_headers)
    return app


def _init_limiter(app: Flask, settings: GatewaySettings) -> None:
    """One limiter per app (so each test app counts on its own); auth routes get the stricter limit."""
    limiter = Limiter(
        get_remote_address,
        app=app,
        storage_uri=settings.rate_limit_storage,
        default_limits=[settings.rate_limit_default],
        # X-RateLimit-* headers on every answer would cost a second store round trip per
        # request; a 429 gets its Retry-After from the breached window instead.
        headers_enabled=False,
        # A failing limiter store (Redis down; limits' memory store can race under threads)
        # is logged and lets the request through instead of answering a 500.
        swallow_errors=True,
    )
    limiter.limit(settings.rate_limit_auth)(auth_bp)
    limiter.exempt(ops.ops_bp)
    app.extensions["rate_limiter"] = limiter


def _retry_after_when_limited(response):
    """A 429 says when the breached window resets."""
    if response.status_code == 429:
        limit = current_app.extensions["rate_limiter"].current_limit
        if limit is not None:
            response.headers["Retry-After"] = str(max(1, int(limit.reset_at - time.time())))
    return response


def _security_headers(response):
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Cache-Control", "no-store")
    return response
