"""Operations: liveness, readiness, Prometheus metrics, the OpenAPI document and Swagger UI.

``/readyz`` asks the broker, the database and every service at once, under one
deadline, so a single hung dependency cannot hold the probe longer than
``CS_READINESS_TIMEOUT`` (plus a little slack). ``/metrics`` is on the public
port, so it answers only the bearer token ``CS_METRICS_TOKEN`` (compared in
constant time; 401 otherwise) and is not there at all (404) when that is empty.
The docs page is Swagger UI 5 (it reads OpenAPI 3.1), served from the files the
``flask-swagger-ui`` package ships, with a page and set-up script of our own so that
no inline script is needed: the docs work without any network.
"""

import hmac
import importlib.resources
import time
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import wait as wait_for

import sqlalchemy as sa
from flask import Blueprint, Flask, Response, abort, current_app, g, jsonify, request, send_from_directory, url_for
from prometheus_client import CONTENT_TYPE_LATEST, Counter, Histogram, generate_latest

from chassis.settings import SERVICES
from gateway import auth, openapi
from gateway.api import Output, endpoint
from gateway.problems import Unauthenticated, problem

ops_bp = Blueprint("ops", __name__)
SWAGGER_UI = importlib.resources.files("flask_swagger_ui") / "dist"
SLACK_SECONDS = 0.5

REQUESTS = Counter(
    "cs_gateway_http_requests_total", "HTTP requests answered by the gateway", ["method", "route", "status"]
)
LATENCY = Histogram("cs_gateway_http_request_seconds", "Time to answer an HTTP request", ["route"])


class Health(Output):
    status: str


class Readiness(Output):
    status: str
    checks: dict[str, str]


# --- metrics -----------------------------------------------------------------


def init_metrics(app: Flask) -> None:
    """Count and time every request by its route template (never the raw path: bounded labels)."""

    @app.before_request
    def _start_timer():
        g.started = time.perf_counter()

    @app.after_request
    def _observe(response):
        route = request.url_rule.rule if request.url_rule else "unmatched"
        REQUESTS.labels(request.method, route, str(response.status_code)).inc()
        if "started" in g:
            LATENCY.labels(route).observe(time.perf_counter() - g.started)
        return response


@ops_bp.get("/metrics")
def metrics():
    expected = current_app.extensions["settings"].metrics_token
    if not expected:
        abort(404)
    if not hmac.compare_digest(auth.bearer_token().encode(), expected.encode()):
        raise Unauthenticated("/metrics needs the bearer token CS_METRICS_TOKEN.")
    return Response(generate_latest(), mimetype=CONTENT_TYPE_LATEST)


# --- health ------------------------------------------------------------------


@endpoint(ops_bp, "GET", "/healthz", response=Health, tags=["operations"])
def healthz():
    """The process is up (no dependency is asked)."""
    return {"status": "ok"}


@endpoint(ops_bp, "GET", "/readyz", response=Readiness, tags=["operations"], errors=[503])
def readyz():
    """The broker, the database and every service answer."""
    settings = current_app.extensions["settings"]
    timeout = settings.readiness_timeout
    rpc, engine = current_app.extensions["rpc"], current_app.extensions["db_engine"]
    probes = {
        "broker": lambda: rpc.broker_ok(timeout),
        "database": lambda: _database_ok(engine),
        **{name: _service_probe(rpc, name, timeout) for name in SERVICES},
    }
    pool: ThreadPoolExecutor = current_app.extensions["readiness_pool"]
    futures = {name: pool.submit(probe) for name, probe in probes.items()}
    wait_for(futures.values(), timeout=timeout + SLACK_SECONDS)
    checks = {name: _outcome(future) for name, future in futures.items()}
    down = sorted(name for name, result in checks.items() if result != "ok")
    if down:
        return problem(503, "not-ready", "Not ready", f"Not answering: {', '.join(down)}.", {"checks": checks})
    return {"status": "ready", "checks": checks}


def _service_probe(rpc, name: str, timeout: float):
    def probe() -> bool:
        rpc.call(name, "health", timeout=timeout)
        return True

    return probe


def _database_ok(engine: sa.Engine) -> bool:
    with engine.connect() as conn:
        return conn.scalar(sa.text("SELECT 1")) == 1


def _outcome(future) -> str:
    if not future.done():
        return "timeout"
    if future.exception() is not None:
        return "down"
    return "ok" if future.result() is not False else "down"


def init_readiness(app: Flask) -> None:
    """A small pool of its own, so probes never wait behind requests (or the other way round)."""
    app.extensions["readiness_pool"] = ThreadPoolExecutor(
        max_workers=2 + len(SERVICES) * 2, thread_name_prefix="readyz"
    )


# --- OpenAPI and Swagger UI --------------------------------------------------


@ops_bp.get("/api/v1/openapi.json")
def openapi_json():
    if "openapi" not in current_app.extensions:
        current_app.extensions["openapi"] = openapi.openapi(current_app)
    return jsonify(current_app.extensions["openapi"])


DOCS_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Community Space API</title>
<link rel="stylesheet" href="{css}"><link rel="icon" href="{icon}"></head>
<body><div id="swagger-ui"></div>
<script src="{bundle}"></script><script src="{preset}"></script><script src="{init}"></script>
</body></html>
"""
DOCS_INIT = """window.onload = function () {
  window.ui = SwaggerUIBundle({url: %r, dom_id: "#swagger-ui", deepLinking: true, validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset], layout: "StandaloneLayout"});
};
"""


@ops_bp.get("/api/docs")
def docs():
    def static(name):
        return url_for("ops.docs_static", filename=name)

    html = DOCS_PAGE.format(
        css=static("swagger-ui.css"),
        icon=static("favicon-32x32.png"),
        bundle=static("swagger-ui-bundle.js"),
        preset=static("swagger-ui-standalone-preset.js"),
        init=url_for("ops.docs_init"),
    )
    return Response(html, mimetype="text/html")


@ops_bp.get("/api/docs/init.js")
def docs_init():
    """Kept out of the page so that a strict Content-Security-Policy need not allow inline script."""
    return Response(DOCS_INIT % url_for("ops.openapi_json"), mimetype="text/javascript")


@ops_bp.get("/api/docs/static/<path:filename>")
def docs_static(filename):
    return send_from_directory(SWAGGER_UI, filename, max_age=86400)
