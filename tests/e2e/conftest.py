"""The whole platform as it runs: four nameko services and the gateway under gunicorn.

Every process reaches RabbitMQ through a TCP proxy of the test's, so a test can
take the broker away from this stack alone and give it back.
"""
import pytest
import requests

from chassis.settings import SERVICES
from tests.support.processes import start_gateway, start_service
from tests.support.tcp_proxy import TcpProxy, _free_port


@pytest.fixture(scope="session")
def broker_link(amqp_uri):
    proxy = TcpProxy(5672)
    proxy.up()
    yield proxy
    proxy.down()


@pytest.fixture(scope="session")
def stack(database_url, amqp_uri, broker_link):
    env = {"CS_AMQP_URI": amqp_uri.replace(":5672/", f":{broker_link.port}/")}
    for component in (*SERVICES, "gateway"):
        database_url(component)  # migrated, as `make up` does
    processes = [
        start_service(name, f"services.{name}.service", f"services/{name}/config.yaml", env=env)
        for name in SERVICES
    ]
    port = _free_port()
    processes.append(start_gateway(port, env))
    yield f"http://127.0.0.1:{port}"
    for process in processes:
        process.kill()


@pytest.fixture
def http(stack):
    with requests.Session() as session:
        session.base_url = stack
        yield session


@pytest.fixture
def api(http):
    """``api("POST", "/api/v1/...", json=...)`` against the running gateway."""

    def call(method: str, path: str, **kwargs) -> requests.Response:
        kwargs.setdefault("timeout", 15)
        return http.request(method, http.base_url + path, **kwargs)

    return call
