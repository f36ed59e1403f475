"""Public search answers kept in Redis, shared by every gateway, dropped by any change to spaces.

Residents repeat the same searches (a district and a type, a word, the first pages),
and a search answer is the same for everyone. Each answer is stored beside the
*generation* of the spaces it was read from; every change to spaces made through
the gateway (an operator's edit, a review, a closure, the seed) bumps the
generation, so the next search reads the service again. A TTL bounds what a change
made some other way could leave behind.

One round trip per search: ``MGET`` of the generation and the entry. Redis failing
(down, slow) only means a miss: the search goes to the service as if there were no
cache, and the failure is logged at most once a minute. Keys start with the
platform's ``CS_DB_PREFIX``, so platforms sharing one Redis never see each other's.
"""
import hashlib
import json
import logging
import time

import redis

log = logging.getLogger(__name__)
REDIS_TIMEOUT_SECONDS = 0.1
WARN_EVERY_SECONDS = 60.0


class SearchCache:
    def __init__(self, url: str, ttl_seconds: int, namespace: str):
        self.redis = redis.Redis.from_url(url, socket_timeout=REDIS_TIMEOUT_SECONDS,
                                          socket_connect_timeout=REDIS_TIMEOUT_SECONDS)
        self.ttl = ttl_seconds
        self.generation_key = f"{namespace}:spaces:generation"
        self.entry_prefix = f"{namespace}:spaces:search:"
        self._warned_at = float("-inf")

    def get(self, filters: dict) -> tuple[dict | None, bytes]:
        """``(answer, generation)``: the stored answer if it is of the current generation.

        Pass the generation back to ``put``: an answer read while spaces changed is then
        stored under the old generation and never served.
        """
        try:
            generation, entry = self.redis.mget(self.generation_key, self._key(filters))
        except redis.RedisError as exc:
            self._warn(exc)
            return None, b""
        generation = generation or b"0"
        if entry is None:
            return None, generation
        stored_generation, _, body = entry.partition(b"\n")
        return (json.loads(body) if stored_generation == generation else None), generation

    def put(self, filters: dict, generation: bytes, answer: dict) -> None:
        if not generation:  # Redis failed on the read
            return
        try:
            self.redis.set(self._key(filters), generation + b"\n" + json.dumps(answer).encode(), ex=self.ttl)
        except redis.RedisError as exc:
            self._warn(exc)

    def spaces_changed(self) -> None:
        """Drop every stored answer (they are of an older generation from now on)."""
        try:
            self.redis.incr(self.generation_key)
        except redis.RedisError as exc:
            self._warn(exc)

    def _warn(self, exc: Exception) -> None:
        if time.monotonic() - self._warned_at >= WARN_EVERY_SECONDS:
            self._warned_at = time.monotonic()
            log.warning("search cache unavailable, searching without it: %s", exc)

    def _key(self, filters: dict) -> str:
        canonical = json.dumps(filters, sort_keys=True, default=str, separators=(",", ":"))
        return self.entry_prefix + hashlib.sha256(canonical.encode()).hexdigest()
