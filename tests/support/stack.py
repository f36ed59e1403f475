"""The whole platform as processes on servers a test names, and a client of its HTTP API."""

import signal
import uuid
from dataclasses import dataclass, field

import requests

from chassis import migrations
from chassis.settings import COMPONENTS, SERVICES, CommonSettings
from tests.support.processes import Process, start_gateway, start_service
from tests.support.tcp_proxy import free_port

ADMIN = {"email": "admin@community-space.local", "password": "development-admin-password"}
PASSWORD = "correct horse battery"


@dataclass
class Platform:
    url: str
    processes: dict[str, Process] = field(default_factory=dict)

    def pids(self) -> dict[str, int]:
        """Each component's process id, and only those still running."""
        return {name: p.popen.pid for name, p in self.processes.items() if p.popen.poll() is None}

    def stop(self) -> None:
        """The tests are done with it: nothing to stop gracefully (each graceful stop waited seconds)."""
        for process in self.processes.values():
            process.kill(signal.SIGKILL)


def start_platform(settings: CommonSettings, amqp_uris: dict[str, str], env: dict | None = None) -> Platform:
    """Migrate each component's database (as ``make up`` does), then start the four services and
    the gateway; ``amqp_uris`` names the broker URI each component connects with."""
    env = {"CS_DB_PREFIX": settings.db_prefix, "CS_PG_URL": settings.pg_url, **(env or {})}
    for component in COMPONENTS:
        migrations.upgrade(component, settings.database_url(component))
    platform = Platform(url="")
    try:
        for name in SERVICES:
            platform.processes[name] = start_service(
                name,
                f"services.{name}.service",
                f"services/{name}/config.yaml",
                env={**env, "CS_AMQP_URI": amqp_uris[name]},
            )
        port = free_port()
        platform.processes["gateway"] = start_gateway(port, {**env, "CS_AMQP_URI": amqp_uris["gateway"]})
        platform.url = f"http://127.0.0.1:{port}"
    except BaseException:
        platform.stop()
        raise
    return platform


class Client:
    """``client.call("POST", "/api/v1/...", json=...)`` against a running gateway, with accounts made on it."""

    def __init__(self, base_url: str):
        self.base_url = base_url
        self.session = requests.Session()

    def call(self, method: str, path: str, **kwargs) -> requests.Response:
        kwargs.setdefault("timeout", 15)
        return self.session.request(method, self.base_url + path, **kwargs)

    def sign_in(self, email: str, password: str) -> dict:
        login = self.call("POST", "/api/v1/auth/login", json={"email": email, "password": password})
        assert login.status_code == 200, login.text
        return bearer(login.json()["access_token"])

    def admin(self) -> dict:
        """The administrator the gateway bootstraps from ADMIN_EMAIL / ADMIN_PASSWORD."""
        return self.sign_in(ADMIN["email"], ADMIN["password"])

    def make_account(self, role: str = "citizen", admin: dict | None = None) -> dict:
        """A new account with that role: its id, email and auth headers."""
        email = f"{role}-{uuid.uuid4().hex[:10]}@example.com"
        body = {"email": email, "password": PASSWORD, "name": f"Test {role}"}
        registered = self.call("POST", "/api/v1/auth/register", json=body)
        assert registered.status_code == 201, registered.text
        user_id = registered.json()["user"]["id"]
        if role != "citizen":
            path = f"/api/v1/admin/users/{user_id}/role"
            granted = self.call("POST", path, json={"role": role}, headers=admin or self.admin())
            assert granted.status_code == 200, granted.text
        return {"id": user_id, "email": email, "headers": self.sign_in(email, PASSWORD)}

    def close(self) -> None:
        self.session.close()


def draft_space(call, operator: dict, name: str) -> str:
    """A meeting room open all day every day, registered by ``operator`` through ``call``
    (``Client.call`` or the e2e tier's ``session_api``): its id."""
    body = {
        "name_ko": f"시험 공간 {name}",
        "name_en": name,
        "description_ko": "주민 누구나 이용할 수 있는 공간입니다.",
        "description_en": "A space open to every resident.",
        "address_ko": "서울특별시 마포구 망원로 12",
        "address_en": "12 Mangwon-ro, Mapo-gu, Seoul",
        "district": "mapo",
        "types": ["village_meeting_room"],
        "capacity": 12,
        "lat": 37.5663,
        "lng": 126.9019,
        "opening_hours": [{"weekday": day, "opens": "00:00", "closes": "24:00"} for day in range(1, 8)],
    }
    created = call("POST", "/api/v1/admin/spaces", json=body, headers=operator["headers"])
    assert created.status_code == 201, created.text
    return created.json()["id"]


def published_space(call, admin: dict, operator: dict, name: str) -> str:
    """A ``draft_space`` submitted and published: its id."""
    space_id = draft_space(call, operator, name)
    assert call("POST", f"/api/v1/admin/spaces/{space_id}/submit", headers=operator["headers"]).ok
    assert call("POST", f"/api/v1/admin/spaces/{space_id}/publish", headers=admin).ok
    return space_id


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}
