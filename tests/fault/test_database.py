"""PostgreSQL stops at once (``pg_ctl stop -m immediate``, as a crash) while citizens book: what
they are told meanwhile is a 503 with Retry-After, never a 500, and once it is back every process
serves again by itself, with no booking or event lost or doubled."""

import time

from tests.fault.bookings import BOOKINGS, book_through
from tests.fault.conftest import slots
from tests.support.processes import wait_until


def test_a_database_stopped_during_bookings_is_a_503_and_loses_and_doubles_nothing(platform, servers, client, space):
    started_with = platform.pids()
    citizen = client.make_account()
    while_down = []

    def stop_the_database():
        servers.postgres.stop("immediate")
        day = slots(6, 1)[0]
        while_down.extend(
            [
                client.call("GET", "/api/v1/me", headers=citizen["headers"]),
                client.call("GET", f"/api/v1/spaces/{space}/availability", params={"from": day[0], "to": day[1]}),
                client.call("GET", "/api/v1/spaces", params={"q": "Fault Room"}),
            ]
        )
        time.sleep(2)
        servers.postgres.start()

    print("PostgreSQL stopped:", book_through(stop_the_database, servers, client, space, slots(5, BOOKINGS)))

    for answer in while_down:
        assert answer.status_code == 503, answer.text
        assert answer.headers["Content-Type"] == "application/problem+json"
        assert answer.headers["Retry-After"]
    assert platform.pids() == started_with, "a process died or was restarted"
    wait_until(lambda: client.call("GET", "/readyz").status_code == 200, what="the platform to be ready again")
