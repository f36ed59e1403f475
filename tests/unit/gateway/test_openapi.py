"""The OpenAPI document is generated from the route registry and covers every JSON route."""

import re

import pytest

from gateway.app import create_app
from gateway.settings import GatewaySettings
from services.reservations.service_layer.queries import MAX_PAGE as RESERVATIONS_MAX_PAGE
from services.spaces.domain.search_filters import MAX_PAGE as SPACES_MAX_PAGE

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


# --- the document says what the server enforces ---------------------------------------


def _properties(spec):
    """``(owner, name, schema)`` of every property of every component and every parameter."""
    for model, schema in spec["components"]["schemas"].items():
        for name, prop in schema.get("properties", {}).items():
            yield model, name, prop
    for path, operations in spec["paths"].items():
        for method, op in operations.items():
            for param in op["parameters"]:
                yield f"{method.upper()} {path}", param["name"], param["schema"]


def _formats(schema: dict) -> set:
    return {option.get("format") for option in [schema, *schema.get("anyOf", ())]} - {None}


def test_page_goes_as_far_as_the_services_page(spec):
    pages = [(owner, prop) for owner, name, prop in _properties(spec) if name == "page" and "GET" in owner]
    assert len(pages) >= 6
    for owner, prop in pages:
        assert prop["maximum"] == SPACES_MAX_PAGE == RESERVATIONS_MAX_PAGE, owner


def test_ids_are_uuids_emails_are_emails_and_instants_are_date_times(spec):
    for owner, name, prop in _properties(spec):
        if name == "id" or name.endswith("_id"):
            assert "uuid" in _formats(prop), (owner, name)
        if name == "email":
            assert "email" in _formats(prop), (owner, name)
        if name in {"start", "end", "from", "to", "open_at", "available_from", "available_to", "created_at", "set_at"}:
            assert "date-time" in _formats(prop), (owner, name)


def test_a_body_is_json_and_anything_else_is_documented_as_a_415(spec):
    for path, operations in spec["paths"].items():
        for method, op in operations.items():
            if "requestBody" in op:
                assert set(op["requestBody"]["content"]) == {"application/json"}, (method, path)
                assert {"400", "413", "415", "422"} <= set(op["responses"]), (method, path)


def test_query_parameters_are_left_out_never_null(spec):
    for owner, name, prop in _properties(spec):
        if owner.startswith("GET"):
            assert {"type": "null"} not in [prop, *prop.get("anyOf", ())], (owner, name)


def test_the_idempotency_key_is_a_required_header(spec):
    create = spec["paths"]["/api/v1/reservations"]["post"]
    header = next(p for p in create["parameters"] if p["in"] == "header")
    assert header["name"] == "Idempotency-Key" and header["required"] is True
    assert "400" in create["responses"]


def test_a_reason_is_never_blank_and_a_citizen_may_leave_it_out(spec):
    schemas = spec["components"]["schemas"]
    given = schemas["ReasonIn"]["properties"]["reason"]
    assert (given["minLength"], given["pattern"]) == (1, r"\S") and schemas["ReasonIn"]["required"] == ["reason"]
    cancel = schemas["CancelIn"]["properties"]["reason"]["anyOf"]
    assert {"type": "null"} in cancel and any((o.get("minLength"), o.get("pattern")) == (1, r"\S") for o in cancel)
    assert "required" not in schemas["CancelIn"]


def test_a_problem_names_each_field(spec):
    errors = spec["components"]["schemas"]["Problem"]["properties"]["errors"]
    assert {"$ref": "#/components/schemas/FieldError"} in [
        errors.get("items"),
        *[o.get("items") for o in errors.get("anyOf", ())],
    ]
    assert spec["components"]["schemas"]["FieldError"]["required"] == ["field", "message"]
