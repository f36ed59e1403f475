"""PostgreSQL stops at once (``pg_ctl stop -m immediate``, as a crash) while citizens book: what
they are told meanwhile is a 503 with Retry-After, never a 500, and once it is back every process
serves again by itself, with no booking or event lost or doubled."""

import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

from tests.fault.bookings import (
    audit_queue,
    book_until_answered,
    booking,
    received_subjects,
    requested_events_of,
    reservations_of,
)
from tests.fault.conftest import slots
from tests.support.processes import wait_until

BOOKINGS = 24


def test_a_database_stopped_during_bookings_is_a_503_and_loses_and_doubles_nothing(platform, servers, client, space):
    citizens = [client.make_account() for _ in range(BOOKINGS)]
    started_with = platform.pids()
    seen: list = []
    with audit_queue(servers.amqp_uri) as audit, ThreadPoolExecutor(8) as pool:
        answers = [
            pool.submit(book_until_answered, client, citizen, booking(space, slot), seen)
            for citizen, slot in zip(citizens, slots(5, BOOKINGS), strict=True)
        ]
        wait_until(lambda: sum(answer.done() for answer in answers) >= 4, what="the first bookings")
        stopped = time.monotonic()
        servers.postgres.stop("immediate")
        day = slots(6, 1)[0]
        while_down = [
            client.call("GET", "/api/v1/me", headers=citizens[0]["headers"]),
            client.call("GET", f"/api/v1/spaces/{space}/availability", params={"from": day[0], "to": day[1]}),
            client.call("GET", "/api/v1/spaces", params={"q": "Fault Room"}),
        ]
        time.sleep(2)
        servers.postgres.start()
        booked = [answer.result() for answer in answers]
        all_answered = time.monotonic() - stopped

        for answer in while_down:
            assert answer.status_code == 503, answer.text
            assert answer.headers["Content-Type"] == "application/problem+json"
            assert answer.headers["Retry-After"]
        assert 500 not in seen
        assert [answer.status_code for answer in booked] == [201] * BOOKINGS, [a.text for a in booked]
        ids = sorted(answer.json()["id"] for answer in booked)
        engine = servers.engine("reservations")
        assert reservations_of(engine, space) == ids, "a retried booking was stored twice, or one was lost"
        subjects = {f"reservations/{reservation_id}" for reservation_id in ids}
        assert requested_events_of(engine, space) == sorted(subjects), "an event is missing or doubled"
        assert set(received_subjects(servers.amqp_uri, audit, subjects)) == subjects
        engine.dispose()
    print(
        f"PostgreSQL stopped: {BOOKINGS} bookings, answers on the way {dict(Counter(seen))}, "
        f"all answered {all_answered:.1f} s after the stop"
    )

    assert platform.pids() == started_with, "a process died or was restarted"
    wait_until(lambda: client.call("GET", "/readyz").status_code == 200, what="the platform to be ready again")
