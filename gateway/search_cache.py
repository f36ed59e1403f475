"""Public search answers kept in Redis, shared by every gateway, dropped by any change of their kind.

Residents repeat the same searches (a district and a type, a word, the first pages),
and a search answer is the same for everyone. Each kind of search (``spaces``,
``programs``) has its own cache: the body of each 200 answer is stored under its query
string beside the *generation* of that kind it was read from; every change made through
the gateway's routes of that kind (an operator's edit, a review, a closure, an
application, the seed) bumps the generation, so the next search reads the service again.
A TTL bounds what a change made some other way could leave behind: for programs, the
draws, finishes and cancellations the services make on their own, so it is seconds there.

A repeat is answered before the query is even parsed: one ``MGET`` of the generation
and the entry, after the rate limit. Searches for free times (``available_from``)
depend on bookings and are never stored. Redis failing (down, slow) only means a
miss, logged at most once a minute. Keys start with the platform's ``CS_DB_PREFIX``,
so platforms sharing one Redis never see each other's.
"""

import hashlib
import json
import logging
import time

import redis
from flask import Blueprint, Response, current_app, g, request
from prometheus_client import Counter

log = logging.getLogger(__name__)
REDIS_TIMEOUT_SECONDS = 0.1
WARN_EVERY_SECONDS = 60.0
UNCACHEABLE_PARAMS = ("available_from", "available_to")
SEARCHES = Counter(
    "cs_gateway_search_cache", "Public searches answered from the search cache, or not", ["kind", "outcome"]
)


class SearchCache:
    def __init__(self, url: str, ttl_seconds: int, namespace: str, kind: str = "spaces"):
        self.redis = redis.Redis.from_url(
            url, socket_timeout=REDIS_TIMEOUT_SECONDS, socket_connect_timeout=REDIS_TIMEOUT_SECONDS
        )
        self.ttl = ttl_seconds
        self.kind = kind
        self.generation_key = f"{namespace}:{kind}:generation"
        self.entry_prefix = f"{namespace}:{kind}:search:"
        self._warned_at = float("-inf")

    def get(self, query: str) -> tuple[bytes | None, bytes]:
        """``(body, generation)``: the stored body if it is of the current generation.

        Pass the generation back to ``put``: a body read while spaces changed is then
        stored under the old generation and never served.
        """
        try:
            generation, entry = self.redis.mget(self.generation_key, self._key(query))
        except redis.RedisError as exc:
            self._warn(exc)
            return None, b""
        generation = generation or b"0"
        if entry is None:
            return None, generation
        stored_generation, _, body = entry.partition(b"\n")
        return (body if stored_generation == generation else None), generation

    def put(self, query: str, generation: bytes, body: bytes) -> None:
        if not generation:  # Redis failed on the read
            return
        try:
            self.redis.set(self._key(query), generation + b"\n" + body, ex=self.ttl)
        except redis.RedisError as exc:
            self._warn(exc)

    def changed(self) -> None:
        """Drop every stored answer (they are of an older generation from now on)."""
        try:
            self.redis.incr(self.generation_key)
        except redis.RedisError as exc:
            self._warn(exc)

    def _key(self, query: str) -> str:
        return self.entry_prefix + hashlib.sha256(query.encode()).hexdigest()

    def _warn(self, exc: Exception) -> None:
        if time.monotonic() - self._warned_at >= WARN_EVERY_SECONDS:
            self._warned_at = time.monotonic()
            log.warning("search cache unavailable, searching without it: %s", exc)


def cache_searches(blueprint: Blueprint, endpoint: str, extension: str = "search_cache") -> None:
    """Answer repeats of ``endpoint`` from the app's cache ``extension``; drop them on any write of ``blueprint``."""

    @blueprint.before_request
    def answer_a_repeat():
        cache = current_app.extensions.get(extension)
        if (
            cache is None
            or request.method != "GET"  # an OPTIONS (a CORS preflight) has the same endpoint and an empty 200
            or request.endpoint != endpoint
            or any(p in request.args for p in UNCACHEABLE_PARAMS)
        ):
            return None
        g.search_query = json.dumps(sorted(request.args.items(multi=True)), ensure_ascii=False)
        body, g.search_generation = cache.get(g.search_query)
        g.search_cache = "miss" if body is None else "hit"
        SEARCHES.labels(cache.kind, g.search_cache).inc()
        return None if body is None else Response(body, mimetype="application/json")

    @blueprint.after_request
    def keep_the_answer(response):
        cache = current_app.extensions.get(extension)
        if cache is None:
            return response
        if "search_cache" in g:
            response.headers["X-Cache"] = g.search_cache
            if g.search_cache == "miss" and response.status_code == 200:
                cache.put(g.search_query, g.search_generation, response.get_data())
        elif request.method not in ("GET", "HEAD", "OPTIONS") and response.status_code < 400:
            cache.changed()
        return response
