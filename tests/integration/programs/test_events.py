"""Every event the service publishes is valid against its schema and says what a subscriber needs;
attendance, finishing, and a cancellation while the reservations service is away."""

import sqlalchemy as sa

from tests.integration.programs.conftest import a_citizen, key
from tests.integration.reservations.conftest import booking, eventually, local
from tests.support.events import events_about, subscription, validate
from tests.support.processes import start_service


def test_a_programs_whole_life_is_announced_with_valid_events(rpc, space, published, amqp_uri, engine):
    place = space()
    with subscription(amqp_uri, "programs", "#") as subscriber:
        shown = published(place, capacity=1, selection="review")
        citizen, other = a_citizen(), a_citizen()
        kept = rpc.apply(citizen, shown["id"], {}, key())
        dropped = rpc.apply(other, shown["id"], {}, key())
        rpc.accept(place["operator"], kept["id"])
        rpc.reject(place["operator"], dropped["id"], "Only one place")
        rpc.update(place["operator"], shown["id"], {"title_en": "Picture-book club (new room)"})
        rpc.withdraw(citizen, kept["id"])
        again = rpc.apply(a_citizen(), shown["id"], {}, key())
        rpc.cancel(place["operator"], shown["id"], "The instructor moved away")
        about = events_about(subscriber, "program_id", shown["id"], 9)
    assert [e["type"] for e in about] == [
        "program.published",
        "application.submitted",
        "application.submitted",
        "application.accepted",
        "application.rejected",
        "program.updated",
        "application.withdrawn",
        "application.submitted",
        "program.cancelled",
    ]
    for event in about:
        validate(event)
    cancelled = next(e for e in about if e["type"] == "program.cancelled")
    assert cancelled["data"]["applications"] == [
        {"application_id": again["id"], "citizen_id": again["citizen_id"], "status": "pending"}
    ]
    assert next(e for e in about if e["type"] == "program.updated")["data"]["title_en"].endswith("(new room)")


def test_attendance_is_kept_per_session_for_accepted_applicants_only(rpc, space, published):
    place = space()
    shown = published(place)
    present, absent = (rpc.apply(a_citizen(), shown["id"], {}, key()) for _ in range(2))
    marked = rpc.set_attendance(place["operator"], shown["id"], 2, [present["id"]])
    assert marked == {"program_id": shown["id"], "session": 2, "present": [present["id"]]}
    listed = {a["id"]: a["attendance"] for a in rpc.applicants(place["operator"], shown["id"])["items"]}
    assert listed == {present["id"]: [2], absent["id"]: []}


def test_a_program_whose_last_session_has_ended_is_finished(rpc, space, published, engine, amqp_uri):
    shown = published(space())
    with subscription(amqp_uri, "programs", "program.finished") as subscriber:
        with engine.begin() as conn:  # as if its sessions were behind us
            conn.execute(
                sa.text(
                    "UPDATE programs SET first_session_start = now() - interval '2 hours',"
                    " last_session_end = now() - interval '1 minute' WHERE id = :id"
                ),
                {"id": shown["id"]},
            )
        finished = events_about(subscriber, "program_id", shown["id"], 1)[0]
    validate(finished)
    assert rpc.get(shown["id"])["status"] == "finished"


def test_a_cancel_while_reservations_is_away_releases_the_time_when_it_is_back(
    rpc, space, published, reservations_service, amqp_uri, reservations
):
    place = space()
    shown = published(place)
    reservations_service.kill()
    cancelled = rpc.cancel(place["operator"], shown["id"], "Storm warning")
    assert cancelled["status"] == "cancelled" and cancelled["step"]["op"] == "release"
    back = start_service(
        "reservations", "services.reservations.service", "services/reservations/config.yaml", {"CS_AMQP_URI": amqp_uri}
    )
    try:

        def released():
            assert rpc.get_for_actor(place["operator"], shown["id"])["block_id"] is None

        eventually(released, timeout=30)
        assert reservations.request(a_citizen(), booking(place, local(7, 19), hours=2), key())["status"]
    finally:
        back.kill()
