"""The OpenAPI document is generated from the route registry and covers every JSON route."""

import re

import pytest

from gateway.app import create_app
from gateway.settings import GatewaySettings

NOT_DOCUMENTED = {"/metrics", "/api/v1/openapi.json", "/static/<path:filename>"}


class NoRpc:
    def call(self, *args, **kwargs):
        raise AssertionError("no RPC in unit tests")

    def broker_ok(self, timeout):
        raise AssertionError("no RPC in unit tests")


@pytest.fixture(scope="module")
def app():
    app = create_app(GatewaySettings(), rpc=NoRpc())
    yield app
    app.extensions["db_engine"].dispose()
    app.extensions["readiness_pool"].shutdown()


@pytest.fixture(scope="module")
def spec(app):
    return app.test_client().get("/api/v1/openapi.json").get_json()


def test_every_registered_route_is_documented(app, spec):
    for rule in app.url_map.iter_rules():
        if rule.rule in NOT_DOCUMENTED or rule.rule.startswith("/api/docs"):
            continue
        path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule)
        assert path in spec["paths"], path
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            assert method.lower() in spec["paths"][path], (method, path)


def test_accounts_routes_are_there(spec):
    assert {
        "/api/v1/auth/register",
        "/api/v1/auth/login",
        "/api/v1/auth/refresh",
        "/api/v1/auth/logout",
        "/api/v1/me",
        "/api/v1/admin/users",
        "/api/v1/admin/users/{user_id}/role",
    } <= set(spec["paths"])
    assert spec["openapi"].startswith("3.1")


def test_every_reference_resolves_to_a_component(spec):
    text = str(spec)
    names = set(re.findall(r"#/components/schemas/(\w+)", text))
    assert names and names <= set(spec["components"]["schemas"])
    assert "$defs" not in text


def test_security_is_documented(spec):
    assert spec["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
    me = spec["paths"]["/api/v1/me"]["get"]
    assert me["security"] == [{"bearer": []}]
    assert "401" in me["responses"]
    assert "security" not in spec["paths"]["/api/v1/auth/login"]["post"]


def test_query_parameters_and_path_parameters(spec):
    names = {p["name"] for p in spec["paths"]["/api/v1/admin/users"]["get"]["parameters"]}
    assert {"q", "role", "page", "page_size"} <= names
    role = spec["paths"]["/api/v1/admin/users/{user_id}/role"]["post"]["parameters"][0]
    assert role == {"name": "user_id", "in": "path", "required": True, "schema": {"type": "string", "format": "uuid"}}


def test_response_headers_are_documented(spec):
    search = spec["paths"]["/api/v1/spaces"]["get"]["responses"]
    assert set(search["200"]["headers"]) == {"X-Cache"}
    assert "Retry-After" in search["503"]["headers"] and "Retry-After" in search["429"]["headers"]
    assert "headers" not in search["422"]
