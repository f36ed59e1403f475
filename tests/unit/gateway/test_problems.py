"""Every exception maps to one problem document, from one table."""

import json

import pytest
from werkzeug.exceptions import MethodNotAllowed, RequestEntityTooLarge
from werkzeug.exceptions import NotFound as RouteNotFound

from chassis.errors import Conflict, Forbidden, Invalid, NotFound, RuleBroken, Unavailable
from gateway.problems import Unauthenticated, to_problem
from gateway.rpc import ServiceTimeout, ServiceUnavailable


def body(response):
    assert response.mimetype == "application/problem+json"
    return json.loads(response.get_data())


@pytest.mark.parametrize(
    ("exc", "status", "code"),
    [
        (NotFound("no such space"), 404, "not-found"),
        (Conflict("slot taken"), 409, "conflict"),
        (Invalid("bad"), 422, "invalid"),
        (Forbidden("not you"), 403, "forbidden"),
        (RuleBroken("too long"), 422, "rule-broken"),
    ],
)
def test_domain_errors_map_to_their_status_and_keep_the_detail(exc, status, code):
    doc = body(to_problem(exc))
    assert doc == {"type": f"/problems/{code}", "title": doc["title"], "status": status, "detail": exc.detail}


def test_extra_members_are_merged_but_never_replace_the_standard_ones():
    exc = Invalid(
        "bad party size", {"errors": [{"field": "party_size", "message": "too big"}], "status": 200, "max": 8}
    )
    doc = body(to_problem(exc))
    assert doc["status"] == 422
    assert doc["errors"] == [{"field": "party_size", "message": "too big"}]
    assert doc["max"] == 8


def test_invalid_field_helper_lists_the_field():
    assert body(to_problem(Invalid.field("start", "in the past")))["errors"] == [
        {"field": "start", "message": "in the past"}
    ]


@pytest.mark.parametrize(("exc", "status"), [(ServiceUnavailable("spaces"), 503), (ServiceTimeout("programs"), 504)])
def test_rpc_failures_ask_to_retry_and_name_the_service(exc, status):
    response = to_problem(exc)
    assert response.status_code == status
    assert response.headers["Retry-After"] == "5"
    assert exc.service in body(response)["detail"]


def test_a_service_missing_what_it_needs_from_another_is_503_with_its_retry_after():
    response = to_problem(Unavailable("No facts yet.", {"service": "spaces", "retry_after": 7}))
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "7"
    assert body(response)["service"] == "spaces"


def test_unauthenticated_is_401_with_a_bearer_challenge():
    response = to_problem(Unauthenticated())
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"


def test_unexpected_errors_are_500_without_their_text(caplog):
    response = to_problem(RuntimeError("password=hunter2 at db.internal"))
    doc = body(response)
    assert doc["status"] == 500
    assert "hunter2" not in response.get_data(as_text=True)
    assert "unhandled error" in caplog.text


def test_werkzeug_errors_keep_their_status_and_headers():
    assert body(to_problem(RouteNotFound()))["status"] == 404
    response = to_problem(MethodNotAllowed(valid_methods=["GET"]))
    assert response.status_code == 405
    assert response.headers["Allow"] == "GET"
    assert "text/html" not in response.headers["Content-Type"]
    assert body(to_problem(RequestEntityTooLarge()))["status"] == 413
