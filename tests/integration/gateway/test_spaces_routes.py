"""The spaces routes through HTTP, with a fake ``spaces`` service (accounts on the real test database).

What is checked here is the gateway's half: validation, the mapping to the service's RPC
arguments, who may call what, and how the service's answers and errors come out.
"""

import copy
import uuid

import pytest

from chassis.errors import Conflict, Forbidden, Invalid, NotFound
from gateway.rpc import ServiceTimeout, ServiceUnavailable
from tests.integration.gateway.conftest import FakeRpc
from tests.support.problems import fields_of, problem

CATALOGUES = {
    "districts": [
        {"code": "jongno", "name_ko": "종로구", "name_en": "Jongno-gu", "admin_code": "11110"},
        {"code": "mapo", "name_ko": "마포구", "name_en": "Mapo-gu", "admin_code": "11440"},
    ],
    "space_types": [
        {"code": "small_library", "name_ko": "작은도서관", "name_en": "Small library"},
        {"code": "community_space", "name_ko": "공동체 공간", "name_en": "Community space"},
    ],
    "amenities": [
        {"code": "wifi", "name_ko": "와이파이", "name_en": "Wi-Fi"},
        {"code": "parking", "name_ko": "주차", "name_en": "Parking"},
    ],
}
SPACE_ID = "5c0e8d1f-0000-4000-8000-000000000001"
CLOSURE_ID = "5c0e8d1f-0000-4000-8000-0000000000c1"
CLOSURE = {"id": CLOSURE_ID, "starts_at": "2026-12-24T18:00", "ends_at": "2026-12-26T09:00", "reason": "Holidays"}
SPACE = {
    "id": SPACE_ID,
    "status": "published",
    "status_reason": None,
    "operators": [str(uuid.uuid4())],
    "name_ko": "망원 작은도서관",
    "name_en": "Mangwon Small Library",
    "description_ko": "동네 도서관",
    "description_en": "A neighbourhood library",
    "address_ko": "서울특별시 마포구 망원로 12",
    "address_en": "12 Mangwon-ro, Mapo-gu, Seoul",
    "types": ["small_library", "community_space"],
    "type": "small_library",
    "district": "mapo",
    "lat": 37.5551,
    "lng": 126.9014,
    "capacity": 20,
    "floor_area_m2": 66.0,
    "amenities": ["wifi"],
    "opening_hours": [{"weekday": 1, "opens": "09:00", "closes": "18:00"}],
    "closures": [CLOSURE],
    "timezone": "Asia/Seoul",
    "photos": ["https://example.org/a.jpg"],
    "phone": "02-123-4567",
    "email": "library@example.org",
    "fee_per_hour": 0,
    "currency": "KRW",
    "created_at": "2026-01-01T00:00:00+00:00",
    "updated_at": "2026-01-02T00:00:00+00:00",
    "submitted_at": "2026-01-01T12:00:00+00:00",
    "published_at": "2026-01-02T00:00:00+00:00",
}
SUMMARY = {
    key: SPACE[key]
    for key in (
        "id",
        "name_ko",
        "name_en",
        "type",
        "types",
        "district",
        "address_ko",
        "address_en",
        "capacity",
        "lat",
        "lng",
    )
}
SEARCH = {
    "items": [SUMMARY],
    "total": 1,
    "page": 1,
    "page_size": 20,
    "facets": {"district": {"mapo": 1}, "type": {"small_library": 1, "community_space": 1}},
}
PAGE = {"items": [SPACE], "total": 1, "page": 1, "page_size": 20}
NEW_SPACE = {
    "name_ko": "망원 작은도서관",
    "name_en": "Mangwon Small Library",
    "address_ko": "서울특별시 마포구 망원로 12",
    "address_en": "12 Mangwon-ro, Mapo-gu, Seoul",
    "types": ["small_library"],
    "district": "mapo",
    "lat": 37.5551,
    "lng": 126.9014,
    "capacity": 20,
}
DEFAULT_ANSWERS = {
    "catalogues": CATALOGUES,
    "search": SEARCH,
    "get_published": SPACE,
    "register": SPACE,
    "list_for_actor": PAGE,
    "get_for_actor": SPACE,
    "update": SPACE,
    "submit": SPACE,
    "add_closure": CLOSURE,
    "remove_closure": None,
    "close": SPACE,
    "review_queue": PAGE,
    "publish": SPACE,
    "return_to_draft": SPACE,
    "suspend": SPACE,
    "reinstate": SPACE,
}


class SpacesRpc(FakeRpc):
    """A fake ``spaces`` service: canned answers per method (an exception is raised); records calls."""

    def __init__(self):
        super().__init__()
        self.answers: dict = {}

    def call(self, service, method, *args, timeout=None, **kwargs):
        if service != "spaces":
            return super().call(service, method, *args, timeout=timeout, **kwargs)
        self.calls.append((service, method, args, kwargs))
        if service in self.down:
            raise ServiceUnavailable(service)
        answer = self.answers.get(method, DEFAULT_ANSWERS.get(method))
        if isinstance(answer, BaseException):
            raise answer
        return copy.deepcopy(answer)

    def of(self, method):
        """The ``(args, kwargs)`` of every call of ``spaces.<method>``."""
        return [(args, kwargs) for service, name, args, kwargs in self.calls if service == "spaces" and name == method]


@pytest.fixture(scope="module")
def app(make_app):
    return make_app(rpc=SpacesRpc())


@pytest.fixture(autouse=True)
def rpc(app):
    """The app's fake service, reset for each test (and the catalogue cache emptied)."""
    fake = app.extensions["rpc"]
    fake.calls.clear()
    fake.answers.clear()
    fake.down.clear()
    app.extensions.pop("spaces_catalogues", None)
    return fake


# --- catalogues ------------------------------------------------------------------


@pytest.mark.parametrize(
    "path, kind",
    [("/api/v1/districts", "districts"), ("/api/v1/space-types", "space_types"), ("/api/v1/amenities", "amenities")],
)
def test_catalogues_answer_code_and_both_names(client, path, kind):
    response = client.get(path)
    assert response.status_code == 200
    assert response.get_json() == [{k: e[k] for k in ("code", "name_ko", "name_en")} for e in CATALOGUES[kind]]
    assert response.headers["Cache-Control"] == "public, max-age=60"


def test_catalogues_are_cached_between_requests_and_for_search(client, rpc):
    for path in ("/api/v1/districts", "/api/v1/districts", "/api/v1/space-types", "/api/v1/amenities"):
        assert client.get(path).status_code == 200
    assert client.get("/api/v1/spaces?district=mapo&type=small_library&amenity=wifi").status_code == 200
    assert len(rpc.of("catalogues")) == 1


def test_catalogues_unavailable_without_a_cached_copy_is_503(client, rpc):
    rpc.answers["catalogues"] = ServiceUnavailable("spaces")
    response = client.get("/api/v1/districts")
    problem(response, 503)
    assert response.headers["Retry-After"]
    assert response.headers["Cache-Control"] == "no-store"


# --- search -------------------------------------------------------------------------


def test_search_without_filters_sends_the_paging_defaults_and_needs_no_catalogue(client, rpc):
    response = client.get("/api/v1/spaces")
    assert response.status_code == 200
    assert rpc.of("search") == [(({"sort": "relevance", "page": 1, "page_size": 20},), {})]
    assert rpc.of("catalogues") == []
    body = response.get_json()
    assert body == SEARCH
    assert "distance_m" not in body["items"][0]


def test_search_maps_every_query_parameter_to_the_service_filters(client, rpc):
    response = client.get(
        "/api/v1/spaces?q=%20library%20&district=mapo&district=jongno&type=small_library&amenity=wifi"
        "&amenity=parking&min_capacity=10&open_at=2026-05-04T10:00:00%2B09:00&lat=37.55&lng=126.9"
        "&radius_m=2000&sort=distance&page=3&page_size=50"
    )
    assert response.status_code == 200, response.get_json()
    assert rpc.of("search") == [
        (
            (
                {
                    "q": "library",
                    "min_capacity": 10,
                    "open_at": "2026-05-04T10:00:00+09:00",
                    "lat": 37.55,
                    "lng": 126.9,
                    "radius_m": 2000,
                    "sort": "distance",
                    "page": 3,
                    "page_size": 50,
                    "districts": ["mapo", "jongno"],
                    "types": ["small_library"],
                    "amenities": ["wifi", "parking"],
                },
            ),
            {},
        )
    ]


def test_search_passes_a_distance_when_the_service_gives_one(client, rpc):
    rpc.answers["search"] = SEARCH | {
        "items": [SUMMARY | {"distance_m": 412.5, "status": "published", "operators": ["x"]}]
    }
    item = client.get("/api/v1/spaces?lat=37.55&lng=126.9").get_json()["items"][0]
    assert item["distance_m"] == 412.5
    assert set(item) == set(SUMMARY) | {"distance_m"}


def test_open_at_in_utc_is_accepted(client, rpc):
    assert client.get("/api/v1/spaces?open_at=2026-05-04T01:00:00Z").status_code == 200
    assert rpc.of("search")[0][0][0]["open_at"] == "2026-05-04T01:00:00+00:00"


@pytest.mark.parametrize(
    "query, field",
    [
        ("page_size=101", "page_size"),
        ("page_size=0", "page_size"),
        ("page=0", "page"),
        ("lat=37.5", "lng"),
        ("lng=126.9", "lat"),
        ("radius_m=500", "radius_m"),
        ("lat=37.5&lng=126.9&radius_m=50001", "radius_m"),
        ("lat=91&lng=126.9", "lat"),
        ("q=" + "x" * 201, "q"),
        ("open_at=2026-05-04T10:00:00", "open_at"),
        ("open_at=2026-05-04", "open_at"),
        ("open_at=tomorrow", "open_at"),
        ("sort=distance", "sort"),
        ("sort=random", "sort"),
        ("min_capacity=0", "min_capacity"),
        ("min_capacity=many", "min_capacity"),
        ("colour=red", "colour"),
    ],
)
def test_search_validation_names_the_field(client, rpc, query, field):
    doc = problem(client.get(f"/api/v1/spaces?{query}"), 422)
    assert field in fields_of(doc)
    assert rpc.of("search") == []


@pytest.mark.parametrize(
    "param, valid",
    [("district", "jongno, mapo"), ("type", "small_library, community_space"), ("amenity", "wifi, parking")],
)
def test_unknown_codes_are_422_listing_the_valid_codes(client, rpc, param, valid):
    doc = problem(client.get(f"/api/v1/spaces?{param}=atlantis"), 422)
    [error] = doc["errors"]
    assert error["field"] == param
    assert "'atlantis'" in error["message"] and f"valid codes: {valid}" in error["message"]
    assert rpc.of("search") == []


def test_every_broken_rule_is_reported_at_once(client):
    doc = problem(client.get("/api/v1/spaces?radius_m=10&sort=distance&district=nowhere"), 422)
    assert fields_of(doc) == {"radius_m", "sort", "district"}


# --- a published space -----------------------------------------------------------------


def test_a_published_space_with_hours_closures_amenities_and_no_private_fields(client, rpc):
    response = client.get(f"/api/v1/spaces/{SPACE_ID}")
    assert response.status_code == 200
    assert rpc.of("get_published") == [((SPACE_ID,), {})]
    space = response.get_json()
    assert space["opening_hours"] == SPACE["opening_hours"] and space["closures"] == [CLOSURE]
    assert space["amenities"] == ["wifi"] and space["booking_policy"] is None
    assert not {"status", "status_reason", "operators", "created_at"} & set(space)


def test_a_malformed_space_id_is_404_without_rpc(client, rpc):
    problem(client.get("/api/v1/spaces/not-a-uuid"), 404)
    assert rpc.calls == []


def test_an_unpublished_space_is_404(client, rpc):
    rpc.answers["get_published"] = NotFound("No such space.")
    assert problem(client.get(f"/api/v1/spaces/{SPACE_ID}"), 404)["detail"] == "No such space."


# --- operators ---------------------------------------------------------------------------


def test_an_operator_creates_a_draft_with_only_the_fields_sent(client, rpc, operator):
    body = NEW_SPACE | {"opening_hours": [{"weekday": 7, "opens": "10:00", "closes": "24:00"}], "phone": None}
    response = client.post("/api/v1/admin/spaces", json=body, headers=operator["headers"])
    assert response.status_code == 201
    [(args, kwargs)] = rpc.of("register")
    assert args == ({"id": operator["user"]["id"], "role": "operator"}, body) and kwargs == {}
    answer = response.get_json()
    assert answer["status"] == "published" and answer["operators"] == SPACE["operators"]


@pytest.mark.parametrize("field", ["status", "operators", "id", "created_at", "status_reason", "currency"])
def test_a_client_can_never_set_what_the_service_owns(client, rpc, operator, field):
    doc = problem(client.post("/api/v1/admin/spaces", json=NEW_SPACE | {field: "x"}, headers=operator["headers"]), 422)
    assert {"field": field, "message": "Extra inputs are not permitted"} in doc["errors"]
    assert rpc.of("register") == []


def test_create_requires_the_space_s_fields_and_checks_them(client, operator):
    doc = problem(
        client.post(
            "/api/v1/admin/spaces",
            json={
                "name_ko": " ",
                "capacity": 0,
                "lat": 100,
                "opening_hours": [{"weekday": 8, "opens": "18:00", "closes": "09:00"}],
                "photos": ["ftp://x"],
                "email": "nope",
            },
            headers=operator["headers"],
        ),
        422,
    )
    assert fields_of(doc) == {
        "name_ko",
        "name_en",
        "address_ko",
        "address_en",
        "types",
        "district",
        "lng",
        "capacity",
        "lat",
        "opening_hours[0].weekday",
        "opening_hours[0].closes",
        "photos[0]",
        "email",
    }


def test_an_operator_lists_own_spaces_with_status_and_paging(client, rpc, operator):
    assert client.get("/api/v1/admin/spaces", headers=operator["headers"]).status_code == 200
    response = client.get("/api/v1/admin/spaces?status=draft&page=2&page_size=5", headers=operator["headers"])
    assert response.get_json()["items"][0]["id"] == SPACE_ID
    actor = {"id": operator["user"]["id"], "role": "operator"}
    assert rpc.of("list_for_actor") == [
        ((actor,), {"status": None, "page": 1, "page_size": 20}),
        ((actor,), {"status": "draft", "page": 2, "page_size": 5}),
    ]
    problem(client.get("/api/v1/admin/spaces?status=gone", headers=operator["headers"]), 422)


def test_read_and_update_send_only_the_changed_fields(client, rpc, operator):
    actor = {"id": operator["user"]["id"], "role": "operator"}
    assert client.get(f"/api/v1/admin/spaces/{SPACE_ID}", headers=operator["headers"]).status_code == 200
    assert rpc.of("get_for_actor") == [((actor, SPACE_ID), {})]
    response = client.patch(
        f"/api/v1/admin/spaces/{SPACE_ID}", json={"capacity": 30, "email": None}, headers=operator["headers"]
    )
    assert response.status_code == 200
    assert rpc.of("update") == [((actor, SPACE_ID, {"capacity": 30, "email": None}), {})]


@pytest.mark.parametrize(
    "body, field",
    [
        ({}, "body"),
        ({"name_ko": None}, "name_ko"),
        ({"types": []}, "types"),
        ({"status": "published"}, "status"),
        ({"capacity": -1}, "capacity"),
    ],
)
def test_an_update_needs_a_valid_known_field(client, rpc, operator, body, field):
    doc = problem(client.patch(f"/api/v1/admin/spaces/{SPACE_ID}", json=body, headers=operator["headers"]), 422)
    assert field in fields_of(doc)
    assert rpc.of("update") == []


def test_submit_and_close(client, rpc, operator):
    actor = {"id": operator["user"]["id"], "role": "operator"}
    assert client.post(f"/api/v1/admin/spaces/{SPACE_ID}/submit", headers=operator["headers"]).status_code == 200
    response = client.post(
        f"/api/v1/admin/spaces/{SPACE_ID}/close", json={"reason": " Moved away "}, headers=operator["headers"]
    )
    assert response.status_code == 200
    assert rpc.of("submit") == [((actor, SPACE_ID), {})]
    assert rpc.of("close") == [((actor, SPACE_ID, "Moved away"), {})]


def test_closures_are_added_and_removed(client, rpc, operator):
    actor = {"id": operator["user"]["id"], "role": "operator"}
    body = {"starts_at": "2026-12-24T18:00", "ends_at": "2026-12-26T09:00:00", "reason": "Holidays"}
    response = client.post(f"/api/v1/admin/spaces/{SPACE_ID}/closures", json=body, headers=operator["headers"])
    assert response.status_code == 201
    assert response.get_json() == CLOSURE
    assert rpc.of("add_closure") == [((actor, SPACE_ID, body | {"ends_at": "2026-12-26T09:00"}), {})]
    response = client.delete(f"/api/v1/admin/spaces/{SPACE_ID}/closures/{CLOSURE_ID}", headers=operator["headers"])
    assert response.status_code == 204 and response.get_data() == b""
    assert rpc.of("remove_closure") == [((actor, SPACE_ID, CLOSURE_ID), {})]
    problem(client.delete(f"/api/v1/admin/spaces/{SPACE_ID}/closures/nope", headers=operator["headers"]), 404)


@pytest.mark.parametrize(
    "body, field",
    [
        ({"starts_at": "2026-12-24T18:00", "ends_at": "2026-12-24T09:00", "reason": "x"}, "ends_at"),
        ({"starts_at": "2026-12-24T18:00+09:00", "ends_at": "2026-12-26T09:00", "reason": "x"}, "starts_at"),
        ({"starts_at": "2026-02-30T18:00", "ends_at": "2026-12-26T09:00", "reason": "x"}, "starts_at"),
        ({"starts_at": "2026-12-24T18:00", "ends_at": "2026-12-26T09:00", "reason": ""}, "reason"),
        ({"starts_at": "2026-12-24T18:00", "ends_at": "2026-12-26T09:00"}, "reason"),
    ],
)
def test_a_closure_is_checked(client, rpc, operator, body, field):
    doc = problem(client.post(f"/api/v1/admin/spaces/{SPACE_ID}/closures", json=body, headers=operator["headers"]), 422)
    assert field in fields_of(doc)
    assert rpc.of("add_closure") == []


@pytest.mark.parametrize("reason", ["", "   ", "x" * 501, None])
def test_a_reason_is_1_to_500_characters(client, rpc, admin, reason):
    for action in ("close", "return", "suspend"):
        doc = problem(
            client.post(f"/api/v1/admin/spaces/{SPACE_ID}/{action}", json={"reason": reason}, headers=admin["headers"]),
            422,
        )
        assert fields_of(doc) == {"reason"}
    assert rpc.calls == []


OPERATOR_ROUTES = [
    ("post", "/api/v1/admin/spaces", NEW_SPACE),
    ("get", "/api/v1/admin/spaces", None),
    ("get", f"/api/v1/admin/spaces/{SPACE_ID}", None),
    ("patch", f"/api/v1/admin/spaces/{SPACE_ID}", {"capacity": 3}),
    ("post", f"/api/v1/admin/spaces/{SPACE_ID}/submit", None),
    (
        "post",
        f"/api/v1/admin/spaces/{SPACE_ID}/closures",
        {"starts_at": "2026-12-24T18:00", "ends_at": "2026-12-26T09:00", "reason": "x"},
    ),
    ("delete", f"/api/v1/admin/spaces/{SPACE_ID}/closures/{CLOSURE_ID}", None),
    ("post", f"/api/v1/admin/spaces/{SPACE_ID}/close", {"reason": "Moved"}),
]
ADMIN_ROUTES = [
    ("get", "/api/v1/admin/review/spaces", None),
    ("post", f"/api/v1/admin/spaces/{SPACE_ID}/publish", None),
    ("post", f"/api/v1/admin/spaces/{SPACE_ID}/return", {"reason": "Add photos"}),
    ("post", f"/api/v1/admin/spaces/{SPACE_ID}/suspend", {"reason": "Complaints"}),
    ("post", f"/api/v1/admin/spaces/{SPACE_ID}/reinstate", None),
]


def test_a_citizen_may_not_use_operator_or_admin_routes(client, rpc, make_user):
    citizen = make_user()
    for method, path, body in OPERATOR_ROUTES + ADMIN_ROUTES:
        problem(getattr(client, method)(path, json=body, headers=citizen["headers"]), 403)
        problem(getattr(client, method)(path, json=body), 401)
    assert rpc.calls == []


def test_an_operator_may_not_use_admin_routes(client, rpc, operator):
    for method, path, body in ADMIN_ROUTES:
        problem(getattr(client, method)(path, json=body, headers=operator["headers"]), 403)
    assert rpc.calls == []


def test_an_admin_may_use_the_operator_routes_as_admin(client, rpc, admin):
    for method, path, body in OPERATOR_ROUTES:
        response = getattr(client, method)(path, json=body, headers=admin["headers"])
        assert response.status_code in (200, 201, 204), (path, response.get_json())
    assert {args[0]["role"] for _, _, args, _ in rpc.calls} == {"admin"}
    spaces_calls = [call for call in rpc.calls if call[0] == "spaces"]  # closing also tells the reservations service
    assert len(spaces_calls) == len(OPERATOR_ROUTES)


# --- administrators ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "path, body, method, args",
    [
        ("publish", None, "publish", (SPACE_ID,)),
        ("return", {"reason": "Add photos"}, "return_to_draft", (SPACE_ID, "Add photos")),
        ("suspend", {"reason": "Complaints"}, "suspend", (SPACE_ID, "Complaints")),
        ("reinstate", None, "reinstate", (SPACE_ID,)),
    ],
)
def test_review_and_moderation(client, rpc, admin, path, body, method, args):
    response = client.post(f"/api/v1/admin/spaces/{SPACE_ID}/{path}", json=body, headers=admin["headers"])
    assert response.status_code == 200
    assert response.get_json()["id"] == SPACE_ID
    assert rpc.of(method) == [(({"id": admin["user"]["id"], "role": "admin"}, *args), {})]


def test_the_review_queue_is_paged(client, rpc, admin):
    actor = {"id": admin["user"]["id"], "role": "admin"}
    page = client.get("/api/v1/admin/review/spaces", headers=admin["headers"]).get_json()
    assert page["items"][0]["id"] == SPACE_ID and page["total"] == 1 and page["page_size"] == 20
    client.get("/api/v1/admin/review/spaces?page=4&page_size=100", headers=admin["headers"])
    assert rpc.of("review_queue") == [
        ((actor,), {"page": 1, "page_size": 20}),
        ((actor,), {"page": 4, "page_size": 100}),
    ]
    problem(client.get("/api/v1/admin/review/spaces?page_size=101", headers=admin["headers"]), 422)


def test_unknown_body_fields_are_422(client, rpc, admin):
    doc = problem(
        client.post(
            f"/api/v1/admin/spaces/{SPACE_ID}/suspend", json={"reason": "x", "notify": True}, headers=admin["headers"]
        ),
        422,
    )
    assert fields_of(doc) == {"notify"}


# --- the service's errors ------------------------------------------------------------------


@pytest.mark.parametrize(
    "error, status",
    [
        (NotFound("No such space."), 404),
        (Conflict("A published space cannot be submitted."), 409),
        (Forbidden("Only its operators may submit a space."), 403),
        (Invalid("district: unknown", {"errors": [{"field": "district", "message": "unknown district"}]}), 422),
        (ServiceUnavailable("spaces"), 503),
        (ServiceTimeout("spaces"), 504),
    ],
)
def test_service_errors_become_problems(client, rpc, admin, error, status):
    rpc.answers["submit"] = error
    response = client.post(f"/api/v1/admin/spaces/{SPACE_ID}/submit", headers=admin["headers"])
    doc = problem(response, status)
    if status == 422:
        assert doc["errors"] == [{"field": "district", "message": "unknown district"}]
    if status in (503, 504):
        assert response.headers["Retry-After"] and doc["service"] == "spaces"
    else:
        assert doc["detail"] == error.detail


# --- the OpenAPI document ---------------------------------------------------------------------


def test_the_openapi_document_lists_the_spaces_routes(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    paths = spec["paths"]
    expected = {
        "/api/v1/districts": {"get"},
        "/api/v1/space-types": {"get"},
        "/api/v1/amenities": {"get"},
        "/api/v1/spaces": {"get"},
        "/api/v1/spaces/{space_id}": {"get"},
        "/api/v1/admin/spaces": {"get", "post"},
        "/api/v1/admin/spaces/{space_id}": {"get", "patch"},
        "/api/v1/admin/spaces/{space_id}/submit": {"post"},
        "/api/v1/admin/spaces/{space_id}/closures": {"post"},
        "/api/v1/admin/spaces/{space_id}/closures/{closure_id}": {"delete"},
        "/api/v1/admin/spaces/{space_id}/close": {"post"},
        "/api/v1/admin/review/spaces": {"get"},
        "/api/v1/admin/spaces/{space_id}/publish": {"post"},
        "/api/v1/admin/spaces/{space_id}/return": {"post"},
        "/api/v1/admin/spaces/{space_id}/suspend": {"post"},
        "/api/v1/admin/spaces/{space_id}/reinstate": {"post"},
    }
    for path, methods in expected.items():
        assert methods <= set(paths[path]), path
    search = {p["name"] for p in paths["/api/v1/spaces"]["get"]["parameters"]}
    assert search == {
        "q",
        "district",
        "type",
        "amenity",
        "min_capacity",
        "open_at",
        "lat",
        "lng",
        "radius_m",
        "available_from",
        "available_to",
        "sort",
        "page",
        "page_size",
    }
    create = paths["/api/v1/admin/spaces"]["post"]
    schema = create["requestBody"]["content"]["application/json"]["schema"]
    assert schema == {"$ref": "#/components/schemas/SpaceCreate"}
    assert set(create["responses"]) >= {"201", "401", "403", "422"}
    schemas = spec["components"]["schemas"]
    assert schemas["SpaceCreate"]["additionalProperties"] is False
    assert not {"status", "operators", "id"} & set(schemas["SpaceCreate"]["properties"])
    assert set(schemas["SpaceUpdate"]["properties"]) == set(schemas["SpaceCreate"]["properties"])
    assert "required" not in schemas["SpaceUpdate"]
