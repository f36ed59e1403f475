"""The gateway's spaces helpers without HTTP: the catalogue cache and the search filters."""

import threading
import time

import pytest

from gateway.rpc import ServiceTimeout, ServiceUnavailable
from gateway.spaces.common import CatalogueCache
from gateway.spaces.models import SpaceCreate, SpaceSearchQuery, SpaceUpdate
from gateway.spaces.public import search_filters


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


class Fetch:
    def __init__(self, *answers):
        self.answers = list(answers)
        self.count = 0

    def __call__(self):
        self.count += 1
        answer = self.answers.pop(0)
        if isinstance(answer, BaseException):
            raise answer
        return answer


def test_the_cache_answers_from_memory_until_the_ttl_passes():
    clock, fetch = Clock(), Fetch({"v": 1}, {"v": 2})
    cache = CatalogueCache(ttl=60, clock=clock)
    assert cache.get(fetch) == {"v": 1}
    clock.now += 59.9
    assert cache.get(fetch) == {"v": 1} and fetch.count == 1
    clock.now += 0.2
    assert cache.get(fetch) == {"v": 2} and fetch.count == 2


@pytest.mark.parametrize("error", [ServiceUnavailable("spaces"), ServiceTimeout("spaces")])
def test_a_failed_refresh_serves_the_stale_copy_and_retries_later(error):
    clock, fetch = Clock(), Fetch({"v": 1}, error, {"v": 2})
    cache = CatalogueCache(ttl=60, retry=5, clock=clock)
    cache.get(fetch)
    clock.now += 61
    assert cache.get(fetch) == {"v": 1} and fetch.count == 2
    clock.now += 4
    assert cache.get(fetch) == {"v": 1} and fetch.count == 2
    clock.now += 2
    assert cache.get(fetch) == {"v": 2} and fetch.count == 3


def test_with_no_copy_the_error_goes_up():
    cache = CatalogueCache(clock=Clock())
    with pytest.raises(ServiceUnavailable):
        cache.get(Fetch(ServiceUnavailable("spaces")))


def test_concurrent_requests_fetch_once():
    calls = []

    def slow_fetch():
        calls.append(1)
        time.sleep(0.05)
        return {"v": 1}

    cache = CatalogueCache()
    results = []
    threads = [threading.Thread(target=lambda: results.append(cache.get(slow_fetch))) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(calls) == 1 and results == [{"v": 1}] * 8


def test_search_filters_narrow_by_ids_for_later_callers():
    query = SpaceSearchQuery.model_validate({"q": "library", "page_size": "5"}, strict=False)
    ids = ["5c0e8d1f-0000-4000-8000-000000000001"]
    assert search_filters(query, ids=ids) == {
        "q": "library",
        "sort": "relevance",
        "page": 1,
        "page_size": 5,
        "ids": ids,
    }
    assert "ids" not in search_filters(query)


def test_update_has_every_create_field_optional_with_the_same_limits():
    assert set(SpaceUpdate.model_fields) == set(SpaceCreate.model_fields)
    assert not any(field.is_required() for field in SpaceUpdate.model_fields.values())
    for name, field in SpaceCreate.model_fields.items():
        assert SpaceUpdate.model_fields[name].metadata == field.metadata, name
