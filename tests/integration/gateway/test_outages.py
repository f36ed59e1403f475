"""A database the gateway or a service cannot reach is a 503 problem with Retry-After, never a 500."""

import pytest

from chassis.errors import Unavailable
from chassis.settings import common
from gateway.rpc import RpcClient
from tests.support.processes import wait_until
from tests.support.tcp_proxy import TcpProxy


@pytest.fixture
def database_link():
    link = TcpProxy(5432)
    link.up()
    yield link
    link.down()


def test_the_gateway_without_its_database_answers_503_and_recovers(make_app, database_url, database_link):
    via_link = database_url("gateway").replace(":5432/", f":{database_link.port}/")
    client = make_app(gateway_database_url=via_link).test_client()
    credentials = {"email": "outage@example.com", "password": "correct horse"}
    registered = client.post("/api/v1/auth/register", json=credentials | {"name": "Kim"})
    signed_in = {"Authorization": f"Bearer {registered.get_json()['access_token']}"}
    database_link.down()

    for answer in (client.get("/api/v1/me", headers=signed_in), client.post("/api/v1/auth/login", json=credentials)):
        assert answer.status_code == 503, answer.get_json()
        assert answer.headers["Content-Type"] == "application/problem+json"
        assert answer.headers["Retry-After"]
        assert answer.get_json()["detail"] == "The database is unavailable; please try again shortly."

    database_link.up()
    wait_until(lambda: client.get("/api/v1/me", headers=signed_in).status_code == 200, what="the gateway to recover")


def test_a_service_without_its_database_answers_unavailable_and_recovers(start_probe, database_link, amqp_uri):
    via_link = common().database_url("probe").replace(":5432/", f":{database_link.port}/")
    start_probe(env={"CS_PROBE_DATABASE_URL": via_link})
    client = RpcClient(amqp_uri, timeout=10)
    try:
        assert client.call("probe", "health")["status"] == "ok"
        database_link.down()

        with pytest.raises(Unavailable) as raised:
            client.call("probe", "health")
        assert raised.value.extra == {"service": "probe", "retry_after": 5}

        database_link.up()

        def answers() -> bool:
            try:
                return client.call("probe", "health")["status"] == "ok"
            except Unavailable:
                return False

        wait_until(answers, what="the service to reach its database again")
    finally:
        client.close()
