"""Events out (valid against their schemas, nothing personal) and space events in."""

import json
import uuid

import pytest
import sqlalchemy as sa

from chassis import events
from chassis.errors import Conflict, Unavailable
from tests.integration.reservations.conftest import (
    an_actor,
    booking,
    eventually,
    key,
    local,
    publish_space_event,
    space_facts,
)
from tests.support.events import events_of, messages_in, publish, subscription, validate
from tests.support.processes import wait_until


@pytest.fixture
def subscriber(amqp_uri, reservations_service):
    with subscription(amqp_uri, "reservations", "reservation.*") as queue:
        yield queue


def test_each_change_is_announced_with_a_valid_event_and_nothing_personal(rpc, space, subscriber, engine):
    s, citizen = space(), an_actor()
    secret = "Birthday party for Kim Minji, call 010-1234-5678"
    first = rpc.request(citizen, booking(s, local(2, 10), purpose=secret), key())
    rpc.approve(s["operator"], first["id"])
    rpc.cancel(citizen, first["id"])
    second = rpc.request(citizen, booking(s, local(2, 12)), key())
    rpc.reject(s["operator"], second["id"], "Cleaning")
    third = rpc.request(citizen, booking(s, local(2, 14)), key())
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE holds SET expires_at = now() WHERE id = :id"), {"id": third["id"]})

    received = events_of(subscriber, s["space_id"], 7)
    assert [e["type"] for e in received] == [
        "reservation.requested",
        "reservation.approved",
        "reservation.cancelled",
        "reservation.requested",
        "reservation.rejected",
        "reservation.requested",
        "reservation.expired",
    ]
    for event in received:
        validate(event)
        assert "Kim Minji" not in json.dumps(event)
    assert received[1]["data"]["by"] == "operator" and received[4]["data"]["reason"] == "Cleaning"
    assert received[0]["subject"] == f"reservations/{first['id']}"


def test_suspending_a_space_cancels_its_pending_and_future_approved_reservations(rpc, space, amqp_uri, subscriber):
    s = space(policy={"approval": "automatic"})
    approved = rpc.request(an_actor(), booking(s, local(2, 10)), key())
    facts = {k: v for k, v in s.items() if k != "operator"}
    publish_space_event(amqp_uri, "space.suspended", {**facts, "status": "suspended", "status_reason": "Complaints"})

    def cancelled():
        got = rpc.get(s["operator"], approved["id"])
        assert got["status"] == "cancelled" and "Complaints" in got["status_reason"]

    eventually(cancelled)
    with pytest.raises(Conflict):
        rpc.request(an_actor(), booking(s, local(2, 12)), key())
    types = [e["type"] for e in events_of(subscriber, s["space_id"], 3)]
    assert types == ["reservation.requested", "reservation.approved", "reservation.cancelled"]


def test_a_redelivered_or_stale_space_event_changes_nothing(rpc, space, amqp_uri, engine):
    s = space(capacity=20)
    facts = {k: v for k, v in s.items() if k != "operator"}
    newer = publish_space_event(amqp_uri, "space.updated", {**facts, "capacity": 30})
    eventually(lambda: _assert_capacity(engine, s["space_id"], 30))
    stale = events.envelope("spaces", "space.updated", f"spaces/{s['space_id']}", {**facts, "capacity": 5})
    stale["time"] = "2000-01-01T00:00:00+00:00"
    _publish(amqp_uri, stale)
    _publish(amqp_uri, {**newer, "data": {**newer["data"], "capacity": 7}})  # a repeat of the id: skipped
    wait_until(
        lambda: messages_in(amqp_uri, "evt-spaces-space.updated--reservations.on_space_updated") == 0,
        what="both to be processed",
    )
    _assert_capacity(engine, s["space_id"], 30)


def _publish(amqp_uri, event):
    publish(amqp_uri, "spaces", event)


def _assert_capacity(engine, space_id, capacity):
    with engine.connect() as conn:
        assert conn.scalar(sa.text("SELECT capacity FROM space_facts WHERE space_id = :s"), {"s": space_id}) == capacity


def test_an_unknown_space_while_the_spaces_service_is_down_is_unavailable_for_now(rpc):
    unknown = space_facts()
    with pytest.raises(Unavailable) as caught:
        rpc.request(an_actor(), booking(unknown, local(2, 10)), key())
    assert caught.value.extra["retry_after"] == 5 and caught.value.extra["service"] == "spaces"


def test_a_new_closure_cancels_the_reservations_inside_it_and_only_those(rpc, space, amqp_uri, subscriber):
    s = space(policy={"approval": "automatic"})
    inside = rpc.request(an_actor(), booking(s, local(3, 10)), key())
    afternoon_inside = rpc.request(an_actor(), booking(s, local(3, 14)), key())
    after = rpc.request(an_actor(), booking(s, local(5, 10)), key())
    day = local(3, 0).strftime("%Y-%m-%d")
    closure = {"id": str(uuid.uuid4()), "starts_at": f"{day}T00:00", "ends_at": f"{day}T23:59", "reason": "Burst pipe"}
    facts = {k: v for k, v in s.items() if k != "operator"}
    publish_space_event(amqp_uri, "space.updated", {**facts, "closures": [closure]})

    def cancelled_inside():
        for reservation in (inside, afternoon_inside):
            got = rpc.get(s["operator"], reservation["id"])
            assert got["status"] == "cancelled"
            assert got["status_reason"] == f"The space is closed from {day}T00:00 to {day}T23:59: Burst pipe"

    eventually(cancelled_inside)
    assert rpc.get(s["operator"], after["id"])["status"] == "approved"
    cancelled = [e for e in events_of(subscriber, s["space_id"], 8) if e["type"] == "reservation.cancelled"]
    assert sorted(e["data"]["reservation_id"] for e in cancelled) == sorted([inside["id"], afternoon_inside["id"]])
