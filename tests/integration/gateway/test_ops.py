"""Operations routes, rate limits and the administrator bootstrap."""

import time
import uuid

import pytest
import sqlalchemy as sa

from chassis.settings import SERVICES, InsecureConfiguration
from gateway import db
from gateway.accounts import bootstrap_admin, create_admin
from gateway.rpc import ServiceTimeout, ServiceUnavailable
from gateway.settings import DEVELOPMENT_METRICS_TOKEN, GatewaySettings
from tests.support.problems import problem


class Rpc:
    """A fake RPC client whose services may be down or slow."""

    def __init__(self, down=(), slow=(), broker=True):
        self.down, self.slow, self.broker = set(down), set(slow), broker

    def call(self, service, method, *args, timeout=None, **kwargs):
        assert method == "health" and timeout is not None
        if service in self.down:
            raise ServiceTimeout(service)
        if service in self.slow:
            time.sleep(3)
        return {"status": "ok"}

    def broker_ok(self, timeout):
        return self.broker


def test_healthz(client):
    assert client.get("/healthz").get_json() == {"status": "ok"}


def test_readyz_when_everything_answers(make_app):
    response = make_app(rpc=Rpc()).test_client().get("/readyz")
    assert response.status_code == 200
    assert response.get_json() == {
        "status": "ready",
        "checks": {"broker": "ok", "database": "ok", **{s: "ok" for s in SERVICES}},
    }


def test_readyz_names_what_is_down(make_app, app):
    class OneDown(Rpc):
        def call(self, service, method, *args, timeout=None, **kwargs):
            if service == "reservations":
                raise ServiceUnavailable(service)
            return super().call(service, method, timeout=timeout)

    response = make_app(rpc=OneDown(broker=False)).test_client().get("/readyz")
    assert response.status_code == 503
    assert response.mimetype == "application/problem+json"
    assert response.headers["Retry-After"]
    doc = response.get_json()
    assert doc["checks"]["reservations"] == "down" and doc["checks"]["broker"] == "down"
    assert doc["checks"]["spaces"] == "ok"
    assert "reservations" in doc["detail"] and "broker" in doc["detail"]


def test_readyz_keeps_its_deadline(make_app):
    client = make_app(rpc=Rpc(slow={"programs"}), readiness_timeout=0.3).test_client()
    started = time.monotonic()
    response = client.get("/readyz")
    assert time.monotonic() - started < 1.5
    assert response.status_code == 503
    assert response.get_json()["checks"]["programs"] == "timeout"


def test_auth_routes_are_rate_limited(make_app):
    client = make_app(rate_limit_auth="2/minute").test_client()
    body = {"email": "nobody@example.com", "password": "whatever"}
    assert [client.post("/api/v1/auth/login", json=body).status_code for _ in range(2)] == [401, 401]
    response = client.post("/api/v1/auth/login", json=body)
    assert response.status_code == 429
    assert response.mimetype == "application/problem+json"
    assert 0 < int(response.headers["Retry-After"]) <= 60  # when the minute's window resets
    assert client.get("/healthz").status_code == 200


def test_metrics_count_requests_by_route_template(client, app):
    client.get("/api/v1/admin/users/not-a-uuid/role")
    client.get("/healthz")
    scraper = {"Authorization": f"Bearer {app.extensions['settings'].metrics_token}"}
    text = client.get("/metrics", headers=scraper).get_data(as_text=True)
    assert 'cs_gateway_http_requests_total{method="GET",route="/healthz",status="200"}' in text
    assert 'route="unmatched"' in text
    assert "cs_gateway_http_request_seconds_bucket" in text


def test_metrics_answer_only_the_metrics_token(make_app):
    client = make_app(metrics_token="m" * 40).test_client()
    assert client.get("/metrics", headers={"Authorization": f"Bearer {'m' * 40}"}).status_code == 200
    for headers in ({}, {"Authorization": f"Bearer {'m' * 39}"}, {"Authorization": f"Basic {'m' * 40}"}):
        response = client.get("/metrics", headers=headers)
        problem(response, 401)
        assert response.headers["WWW-Authenticate"] == "Bearer"


def test_metrics_are_off_without_a_token(make_app):
    client = make_app(metrics_token="").test_client()
    problem(client.get("/metrics"), 404)
    problem(client.get("/metrics", headers={"Authorization": "Bearer "}), 404)


def test_production_refuses_the_development_metrics_token():
    production = {
        "env": "production",
        "secret_key": "s" * 48,
        "amqp_uri": "amqp://gw:pw@mq/cs",
        "admin_password": "a-real-secret-password",
        "argon2_profile": "default",
    }
    for token in (DEVELOPMENT_METRICS_TOKEN, "short-but-not-the-default"):
        with pytest.raises(InsecureConfiguration, match="CS_METRICS_TOKEN"):
            GatewaySettings(**production, metrics_token=token).check_safe()
    GatewaySettings(**production, metrics_token="").check_safe()  # /metrics off
    GatewaySettings(**production, metrics_token="m" * 32).check_safe()


def test_openapi_and_offline_docs(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    assert "/api/v1/auth/register" in spec["paths"] and "/api/v1/me" in spec["paths"]
    page = client.get("/api/docs")
    assert page.status_code == 200 and page.mimetype == "text/html"
    html = page.get_data(as_text=True)
    assert "http" not in html.replace("/api/", "")  # nothing from a CDN
    for asset in (
        "/api/docs/static/swagger-ui-bundle.js",
        "/api/docs/static/swagger-ui.css",
        "/api/docs/static/swagger-ui-standalone-preset.js",
        "/api/docs/static/favicon-32x32.png",
        "/api/docs/init.js",
    ):
        assert asset in html
        response = client.get(asset)
        assert response.status_code == 200, asset
        response.close()
    assert "/api/v1/openapi.json" in client.get("/api/docs/init.js").get_data(as_text=True)


def test_bootstrap_creates_the_first_admin_once(app):
    engine = app.extensions["db_engine"]
    with engine.begin() as conn:  # this database is shared by the session: start without admins
        conn.execute(sa.update(db.users).where(db.users.c.role == "admin").values(role="operator"))
    email = f"root-{uuid.uuid4().hex[:8]}@community-space.local"
    assert bootstrap_admin(engine, email, "a-long-admin-password", "fast")
    assert not bootstrap_admin(engine, email, "a-long-admin-password", "fast")
    assert not bootstrap_admin(engine, f"other-{email}", "a-long-admin-password", "fast")
    client = app.test_client()
    login = client.post("/api/v1/auth/login", json={"email": email, "password": "a-long-admin-password"})
    assert login.status_code == 200


def test_create_admin_promotes_and_resets_the_password(app, client, make_user):
    user = make_user()
    create_admin(app.extensions["db_engine"], user["email"], "a-brand-new-password", "fast")
    login = client.post("/api/v1/auth/login", json={"email": user["email"], "password": "a-brand-new-password"})
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {login.get_json()['access_token']}"})
    assert me.get_json()["role"] == "admin"
