"""Requesting through the real service: rules, deciding, cancelling, access, expiry."""

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from chassis.errors import Conflict, Forbidden, Invalid, NotFound, RuleBroken
from tests.integration.reservations.conftest import an_actor, booking, eventually, key, local


def test_a_citizen_books_the_operator_approves(rpc, space):
    s, citizen = space(), an_actor()
    made = rpc.request(citizen, booking(s, local(2, 10)), key())
    assert made["status"] == "pending" and made["space_id"] == s["space_id"] and made["party_size"] == 2

    inbox = rpc.inbox(s["operator"])
    assert [r["id"] for r in inbox["items"]] == [made["id"]] and inbox["counts"]["pending"] == 1
    approved = rpc.approve(s["operator"], made["id"])
    assert approved["status"] == "approved"
    assert rpc.get(citizen, made["id"])["status"] == "approved"
    assert rpc.list_for_citizen(citizen, {"when": "upcoming"})["items"][0]["id"] == made["id"]
    feed = rpc.calendar(citizen)
    assert f"UID:{made['id']}@community-space" in feed and feed.endswith("END:VCALENDAR\r\n")
    with pytest.raises(Conflict):
        rpc.approve(s["operator"], made["id"])


def test_automatic_approval(rpc, space):
    s = space(policy={"approval": "automatic"})
    assert rpc.request(an_actor(), booking(s, local(2, 10)), key())["status"] == "approved"


def test_others_cannot_see_cancel_or_decide(rpc, space):
    s, other_space, citizen = space(), space(), an_actor()
    made = rpc.request(citizen, booking(s, local(2, 10)), key())
    for call in (
        lambda: rpc.get(an_actor(), made["id"]),
        lambda: rpc.cancel(an_actor(), made["id"]),
        lambda: rpc.approve(other_space["operator"], made["id"]),
        lambda: rpc.reject(other_space["operator"], made["id"], "no"),
    ):
        with pytest.raises(NotFound):
            call()
    with pytest.raises(Forbidden):
        rpc.approve(citizen, made["id"])
    assert rpc.get(s["operator"], made["id"])["id"] == made["id"]
    assert rpc.get(an_actor("admin"), made["id"])["id"] == made["id"]


def test_reject_and_cancel_take_reasons_and_free_the_slot(rpc, space):
    s, citizen = space(), an_actor()
    first = rpc.request(citizen, booking(s, local(2, 10)), key())
    with pytest.raises(Invalid):
        rpc.reject(s["operator"], first["id"], " ")
    assert rpc.reject(s["operator"], first["id"], "Closed for cleaning")["status_reason"] == "Closed for cleaning"
    second = rpc.request(citizen, booking(s, local(2, 10)), key())
    with pytest.raises(Invalid):
        rpc.cancel(s["operator"], second["id"])
    assert rpc.cancel(s["operator"], second["id"], "Double-booked a class")["status"] == "cancelled"
    third = rpc.request(citizen, booking(s, local(2, 10)), key())
    assert rpc.cancel(citizen, third["id"])["status"] == "cancelled"


def test_a_citizen_cannot_cancel_an_approved_booking_after_the_deadline(rpc, space):
    s, citizen = (
        space(policy={"approval": "automatic", "cancel_deadline_minutes": 1440, "notice_minutes": 0}),
        an_actor(),
    )
    made = rpc.request(citizen, booking(s, _soon(), hours=0.5), key())
    with pytest.raises(RuleBroken) as caught:
        rpc.cancel(citizen, made["id"])
    assert caught.value.extra["rule"] == "cancel_deadline"
    assert rpc.cancel(s["operator"], made["id"], "Sorry")["status"] == "cancelled"


def _soon():
    """A slot boundary two to three hours from now: inside a day-long deadline."""
    start = datetime.now(UTC) + timedelta(hours=2)
    return start.replace(minute=0, second=0, microsecond=0)


@pytest.mark.parametrize(
    "overrides, hours, start, rule",
    [
        ({}, 1, (2, 10, 15), "slot"),
        ({}, 5, (2, 10), "length"),
        ({}, 1, (0, -48), "notice"),
        ({}, 1, (90, 10), "horizon"),
        ({"party_size": 21}, 1, (2, 10), "party_size"),
    ],
)
def test_each_rule_names_itself_and_what_is_allowed(rpc, space, overrides, hours, start, rule):
    s = space()
    with pytest.raises(RuleBroken) as caught:
        rpc.request(an_actor(), booking(s, local(*start), hours=hours, **overrides), key())
    assert caught.value.extra["rule"] == rule and caught.value.extra["allowed"]


def test_opening_hours_and_the_platform_cap(rpc, space):
    s = space(opening_hours=[{"weekday": d, "opens": "09:00", "closes": "18:00"} for d in range(1, 8)], capacity=10)
    with pytest.raises(RuleBroken) as caught:
        rpc.request(an_actor(), booking(s, local(2, 17), hours=2), key())
    assert caught.value.extra["rule"] == "opening_hours"
    admin = an_actor("admin")
    rpc.set_platform_capacity(admin, 50, "Distancing")
    try:
        assert rpc.get_policy(s["space_id"])["effective_capacity"] == 5
        with pytest.raises(RuleBroken) as caught:
            rpc.request(an_actor(), booking(s, local(2, 10), party_size=6), key())
        assert caught.value.extra == {"rule": "party_size", "allowed": {"max_party_size": 5}}
    finally:
        rpc.set_platform_capacity(admin, 100)
    assert rpc.request(an_actor(), booking(s, local(2, 10), party_size=6), key())["status"] == "pending"


def test_the_quota(rpc, space):
    s, citizen = space(policy={"active_quota": 2}), an_actor()
    for hour in (10, 12):
        rpc.request(citizen, booking(s, local(2, hour)), key())
    with pytest.raises(RuleBroken) as caught:
        rpc.request(citizen, booking(s, local(2, 14)), key())
    assert caught.value.extra == {"rule": "quota", "allowed": {"active_quota": 2}}


def test_a_key_replays_the_first_answer_and_refuses_another_body(rpc, space):
    s, citizen, same = space(), an_actor(), key()
    first = rpc.request(citizen, booking(s, local(2, 10)), same)
    assert rpc.request(citizen, booking(s, local(2, 10)), same) == first
    with pytest.raises(Invalid):
        rpc.request(citizen, booking(s, local(2, 12)), same)
    with pytest.raises(Invalid):
        rpc.request(citizen, booking(s, local(2, 12)), None)
    other = rpc.request(an_actor(), booking(s, local(2, 12)), same)  # keys belong to their caller
    assert other["id"] != first["id"]


def test_an_undecided_request_expires(rpc, space, engine):
    s, citizen = space(), an_actor()
    made = rpc.request(citizen, booking(s, local(2, 10)), key())
    with engine.begin() as conn:
        conn.execute(
            sa.text("UPDATE holds SET expires_at = now() - interval '1 second' WHERE id = :id"), {"id": made["id"]}
        )

    def expired():
        assert rpc.get(citizen, made["id"])["status"] == "expired"

    eventually(expired)
    assert rpc.request(an_actor(), booking(s, local(2, 10)), key())["status"] == "pending"
