"""The gateway's public API as the web client calls it: JSON in, JSON or a ``Problem`` out.

Each request thread keeps its own ``requests.Session`` (a pool of kept-alive
connections to the gateway). Every answer that is not a success becomes a ``Problem``,
the gateway's RFC 9457 document as a Python exception, so a view handles a refused
booking, a rule, a rate limit and an outage in one ``except``. A gateway that cannot be
reached or does not answer in time is a ``Problem`` as well (503 or 504), never a 500.
"""

import threading
import uuid
from dataclasses import dataclass, field
from typing import Any

import requests

RETRY_SECONDS = 5  # what "try again" says when the gateway sent no Retry-After


@dataclass
class Problem(Exception):
    """A refusal of the gateway's: ``status``, ``title``, ``detail``, the fields it names
    (``errors``: ``[{field, message}]``) and the rest of the document in ``body``."""

    status: int
    title: str = ""
    detail: str = ""
    errors: list[dict] = field(default_factory=list)
    body: dict = field(default_factory=dict)
    retry_after: int | None = None

    def __str__(self) -> str:
        return f"{self.status} {self.title}: {self.detail}"

    @property
    def code(self) -> str:
        """The problem's type without its prefix: ``conflict``, ``rule-broken``, ``invalid``, …"""
        return str(self.body.get("type", "")).rsplit("/", 1)[-1]

    def field_errors(self) -> dict[str, str]:
        """``{field: message}`` for the fields the gateway named (the first message of each)."""
        named: dict[str, str] = {}
        for error in self.errors:
            named.setdefault(str(error.get("field", "")), str(error.get("message", "")))
        return named

    @classmethod
    def from_response(cls, response: requests.Response) -> "Problem":
        try:
            body = response.json()
        except ValueError:
            body = {}
        if not isinstance(body, dict):
            body = {}
        retry = response.headers.get("Retry-After")
        return cls(
            status=response.status_code,
            title=str(body.get("title", response.reason or "")),
            detail=str(body.get("detail", "")),
            errors=[error for error in body.get("errors", []) if isinstance(error, dict)],
            body=body,
            retry_after=int(retry) if retry and retry.isdigit() else None,
        )


class Gateway:
    """``gateway.call("GET", "/api/v1/spaces", params=...)`` → the decoded answer (``None`` for 204)."""

    def __init__(self, base_url: str, timeout: float):
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self._local = threading.local()

    @property
    def _session(self) -> requests.Session:
        session = getattr(self._local, "session", None)
        if session is None:
            session = self._local.session = requests.Session()
        return session

    def call(
        self,
        method: str,
        path: str,
        *,
        token: str | None = None,
        params: Any = None,
        json: Any = None,
        idempotent: bool = False,
        accept: str = "application/json",
        language: str | None = None,
    ) -> Any:
        """``idempotent``: send a fresh ``Idempotency-Key`` (a create the gateway must not repeat)."""
        response = self.raw(
            method, path, token=token, params=params, json=json, idempotent=idempotent, accept=accept, language=language
        )
        if response.status_code == 204 or not response.content:
            return None
        if response.headers.get("Content-Type", "").startswith("application/json"):
            return response.json()
        return response.content

    def raw(
        self,
        method: str,
        path: str,
        *,
        token: str | None = None,
        params: Any = None,
        json: Any = None,
        idempotent: bool = False,
        accept: str = "application/json",
        language: str | None = None,
    ) -> requests.Response:
        headers = {"Accept": accept}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        if idempotent:
            headers["Idempotency-Key"] = str(uuid.uuid4())
        if language:
            headers["Accept-Language"] = language
        try:
            response = self._session.request(
                method, self.base_url + path, params=params, json=json, headers=headers, timeout=self.timeout
            )
        except requests.Timeout:
            raise Problem(
                504, "Gateway timeout", "The platform did not answer in time.", retry_after=RETRY_SECONDS
            ) from None
        except requests.ConnectionError:
            raise Problem(503, "Unavailable", "The platform cannot be reached.", retry_after=RETRY_SECONDS) from None
        if response.status_code >= 400:
            raise Problem.from_response(response)
        return response
