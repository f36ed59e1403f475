"""The gateway's suspend route when the reservations service does not answer: the space is
suspended all the same, the answer is a 503 to retry, and the retry finishes the job.

Real spaces and reservations services (the spaces service's outbox relay off, so only the
route tells the reservations service), and the gateway app with its real RPC client.
"""

import pytest
from nameko.standalone.rpc import ClusterRpcProxy

from chassis.errors import Conflict
from gateway.rpc import RpcClient
from tests.integration.gateway.conftest import app, client, make_app, make_user  # noqa: F401
from tests.integration.reservations.conftest import an_actor, booking, key, local
from tests.integration.reservations.test_suspension import ALL_DAY, spaces_service  # noqa: F401
from tests.integration.spaces.conftest import admin, operator, published, spaces  # noqa: F401
from tests.support.processes import start_service


def _start_reservations(amqp_uri):
    return start_service(
        "reservations",
        "services.reservations.service",
        "services/reservations/config.yaml",
        env={"CS_AMQP_URI": amqp_uri},
    )


@pytest.fixture
def reservations_rpc(amqp_uri):
    with ClusterRpcProxy({"AMQP_URI": amqp_uri}, timeout=15) as cluster:
        yield cluster.reservations


def test_a_suspension_the_reservations_service_missed_is_a_503_and_repeating_it_finishes_the_job(
    database_url,
    amqp_uri,
    make_app,  # noqa: F811
    make_user,  # noqa: F811
    published,  # noqa: F811
    spaces,  # noqa: F811
    admin,  # noqa: F811
    reservations_rpc,
):
    database_url("reservations")
    space = published(opening_hours=ALL_DAY)
    reservations = _start_reservations(amqp_uri)
    try:
        reservations_rpc.refresh_space(admin, space["id"])
        pending = reservations_rpc.request(an_actor(), booking({"space_id": space["id"]}, local(2, 10)), key())
    finally:
        reservations.kill()
    gateway = make_app(rpc=RpcClient(amqp_uri, timeout=1)).test_client()
    headers = make_user(role="admin")["headers"]
    suspend = f"/api/v1/admin/spaces/{space['id']}/suspend"

    missed = gateway.post(suspend, json={"reason": "Safety check"}, headers=headers)
    assert missed.status_code == 503 and missed.headers["Retry-After"] == "5"
    assert (missed.get_json()["service"], missed.get_json()["space_status"]) == ("reservations", "suspended")
    assert spaces.get_for_actor(admin, space["id"])["status"] == "suspended"

    reservations = _start_reservations(amqp_uri)
    try:
        repeated = gateway.post(suspend, json={"reason": "Safety check"}, headers=headers)
        assert repeated.status_code == 409 and "is suspended" in repeated.get_json()["detail"]
        assert reservations_rpc.get(admin, pending["id"])["status"] == "cancelled"
        with pytest.raises(Conflict):
            reservations_rpc.request(an_actor(), booking({"space_id": space["id"]}, local(2, 12)), key())
    finally:
        reservations.kill()
