"""The broker crashes or its connections are cut while the platform works: every process
lives on and serves again by itself, and no booking or event is lost or doubled."""

import threading
import time
from collections import Counter

from chassis.settings import SERVICES
from gateway.rpc import RpcClient, ServiceTimeout, ServiceUnavailable
from tests.fault.bookings import BOOKINGS, book_through
from tests.fault.conftest import slots
from tests.support.processes import wait_until


def test_a_broker_killed_during_bookings_loses_and_doubles_nothing(platform, servers, client, space):
    started_with = platform.pids()

    def kill_the_broker():
        servers.broker.kill()  # SIGKILL, mid-stream
        time.sleep(2)
        servers.broker.start()  # on the same data, as a supervisor would

    print("broker SIGKILL:", book_through(kill_the_broker, servers, client, space, slots(3, BOOKINGS)))

    assert platform.pids() == started_with, "a process died or was restarted"
    wait_until(lambda: client.call("GET", "/readyz").status_code == 200, what="the platform to be ready again")


def test_every_service_lives_through_a_cut_in_the_middle_of_its_calls(platform, servers):
    """Every service is answering calls when every connection to the broker is reset, and stays
    cut off for longer than kombu keeps trying to send a reply (about 15 s). (That a reply that
    cannot be sent no longer ends a service is shown exactly in tests/integration/test_service_chassis.py.)"""
    started_with = platform.pids()
    caller = RpcClient(servers.amqp_uri, timeout=3)  # the test's own calls are not cut
    answered = Counter()
    stop = threading.Event()

    def keep_calling(service: str) -> None:
        while not stop.is_set():
            try:
                caller.call(service, "health")
                answered[service] += 1
            except (ServiceUnavailable, ServiceTimeout):
                time.sleep(0.1)

    callers = [threading.Thread(target=keep_calling, args=(service,)) for service in SERVICES for _ in range(2)]
    for thread in callers:
        thread.start()
    try:
        wait_until(lambda: all(answered[service] for service in SERVICES), what="every service to answer")
        servers.broker_link.down()
        time.sleep(20)
        servers.broker_link.up()

        before, back = dict(answered), time.monotonic()
        wait_until(
            lambda: all(answered[s] > before[s] for s in SERVICES), what="every service to answer again", timeout=60
        )
        print(f"broker link cut for 20 s: every service answered again {time.monotonic() - back:.1f} s after")
        assert platform.pids() == started_with, "a process died or was restarted"
    finally:
        stop.set()
        for thread in callers:
            thread.join()
        caller.close()
