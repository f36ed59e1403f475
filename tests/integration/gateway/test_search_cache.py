"""The shared search cache, on the real Redis: repeats are answered without the service,
any change to spaces through the gateway is seen by the next search, and a Redis that
is down only means every search goes to the service."""

import copy
import time
import uuid

import pytest

from tests.integration.gateway.test_spaces_routes import SEARCH, SPACE_ID, SpacesRpc
from tests.support.tcp_proxy import free_port

REDIS = "redis://127.0.0.1:6379/15"


class PlatformRpc(SpacesRpc):
    """The fake spaces service, and a reservations service for which every space is free."""

    def call(self, service, method, *args, timeout=None, **kwargs):
        if service == "reservations" and method == "free_spaces":
            return {"free": [SPACE_ID]}
        return super().call(service, method, *args, timeout=timeout, **kwargs)


@pytest.fixture(scope="module")
def app(make_app):
    return make_app(rpc=PlatformRpc(), search_cache_url=REDIS, db_prefix=f"cs_cache_{uuid.uuid4().hex[:8]}")


@pytest.fixture(autouse=True)
def rpc(app):
    fake = app.extensions["rpc"]
    fake.calls.clear()
    fake.answers.clear()
    app.extensions["search_cache"].changed()  # nothing stored by an earlier test is current
    return fake


def searches(rpc) -> int:
    return len(rpc.of("search"))


def test_a_repeated_search_is_answered_from_the_cache(client, rpc):
    first = client.get("/api/v1/spaces?district=mapo&type=small_library")
    second = client.get("/api/v1/spaces?type=small_library&district=mapo")
    assert first.status_code == second.status_code == 200
    assert second.get_json() == first.get_json() == SEARCH
    assert (first.headers["X-Cache"], second.headers["X-Cache"]) == ("miss", "hit")
    assert searches(rpc) == 1
    assert client.get("/api/v1/spaces?district=mapo&type=small_library&page=2").status_code == 200
    assert searches(rpc) == 2  # another page is another search


def test_a_change_to_spaces_through_the_gateway_is_seen_by_the_next_search(client, rpc, operator, admin):
    assert client.get("/api/v1/spaces?q=library").get_json()["total"] == 1
    rpc.answers["search"] = copy.deepcopy(SEARCH) | {"total": 2}
    assert client.get("/api/v1/spaces?q=library").get_json()["total"] == 1  # still the stored answer
    response = client.post(f"/api/v1/admin/spaces/{SPACE_ID}/publish", headers=admin["headers"])
    assert response.status_code == 200
    assert client.get("/api/v1/spaces?q=library").get_json()["total"] == 2
    assert searches(rpc) == 2


def test_a_refused_change_keeps_the_stored_answers(client, rpc, citizen):
    client.get("/api/v1/spaces?q=library")
    assert client.post(f"/api/v1/admin/spaces/{SPACE_ID}/publish", headers=citizen["headers"]).status_code == 403
    client.get("/api/v1/spaces?q=library")
    assert searches(rpc) == 1


def test_searches_for_free_times_are_never_cached(client, rpc):
    query = "/api/v1/spaces?available_from=2026-12-01T10:00:00%2B09:00&available_to=2026-12-01T12:00:00%2B09:00"
    assert client.get(query).status_code == 200
    assert client.get(query).status_code == 200
    assert searches(rpc) == 2


def test_platforms_sharing_a_redis_do_not_share_answers(make_app, client, rpc):
    client.get("/api/v1/spaces?q=library")
    other_rpc = SpacesRpc()
    other_rpc.answers["search"] = copy.deepcopy(SEARCH) | {"total": 7}
    other = make_app(rpc=other_rpc, search_cache_url=REDIS, db_prefix=f"cs_other_{uuid.uuid4().hex[:8]}")
    assert other.test_client().get("/api/v1/spaces?q=library").get_json()["total"] == 7


def test_with_redis_down_every_search_still_gets_its_answer_quickly(make_app):
    rpc = SpacesRpc()
    app = make_app(rpc=rpc, search_cache_url=f"redis://127.0.0.1:{free_port()}/0")
    client = app.test_client()
    started = time.monotonic()
    for _ in range(3):
        response = client.get("/api/v1/spaces?q=library")
        assert response.status_code == 200 and response.get_json() == SEARCH
    assert time.monotonic() - started < 2
    assert searches(rpc) == 3


def test_program_searches_have_a_cache_of_their_own_that_an_application_drops(make_app, citizen):
    from tests.integration.gateway.test_programs_routes import KEY, PROGRAM_ID, ProgramsRpc

    rpc = ProgramsRpc()
    app = make_app(rpc=rpc, search_cache_url=REDIS, db_prefix=f"cs_programs_{uuid.uuid4().hex[:8]}")
    client = app.test_client()
    first, second = (client.get("/api/v1/programs?district=mapo&open=true") for _ in range(2))
    assert (first.headers["X-Cache"], second.headers["X-Cache"]) == ("miss", "hit")
    assert second.get_json() == first.get_json() and len(rpc.of("search")) == 1
    app.extensions["search_cache"].changed()  # a change to spaces leaves program searches alone
    assert client.get("/api/v1/programs?district=mapo&open=true").headers["X-Cache"] == "hit"
    applied = client.post(f"/api/v1/programs/{PROGRAM_ID}/applications", json={}, headers=citizen["headers"] | KEY)
    assert applied.status_code == 201
    assert client.get("/api/v1/programs?district=mapo&open=true").headers["X-Cache"] == "miss"
    assert len(rpc.of("search")) == 2
    assert app.extensions["program_search_cache"].ttl == 5, "places left may be at most seconds old"


def test_a_preflight_or_head_request_never_stores_an_answer(client, rpc):
    for method in ("OPTIONS", "HEAD"):
        assert client.open("/api/v1/spaces?q=library", method=method).status_code == 200
    answer = client.get("/api/v1/spaces?q=library")
    assert (answer.headers["X-Cache"], answer.get_json()) == ("miss", SEARCH)
