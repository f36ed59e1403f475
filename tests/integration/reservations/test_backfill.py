"""A space whose facts never arrived is fetched from the spaces service, once, and kept."""

import sqlalchemy as sa

from tests.integration.reservations.conftest import an_actor, booking, eventually, key, local
from tests.integration.spaces.conftest import admin, operator, published, spaces, spaces_service  # noqa: F401

# the space's events, each as the inbox of its consumers keys it
SPACE_EVENTS = sa.text(
    "SELECT concat(envelope->>'source', '#', event_id) FROM outbox WHERE envelope->>'subject' = :subject"
)
ALL_WEEK = [{"weekday": d, "opens": "08:00", "closes": "22:00"} for d in range(1, 8)]


def test_missing_facts_are_fetched_from_the_spaces_service(rpc, published, engine, database_url):  # noqa: F811
    space = published(opening_hours=ALL_WEEK, capacity=12)
    forget_facts(engine, database_url, space["id"])

    policy = rpc.get_policy(space["id"])
    assert policy["capacity"] == 12 and policy["effective_capacity"] == 12
    made = rpc.request(an_actor(), booking({"space_id": space["id"]}, local(2, 10)), key())
    assert made["status"] == "pending"
    with engine.connect() as conn:
        _known(conn, space["id"])  # kept for the next request


def test_a_request_for_a_space_not_stored_yet_fetches_it_then_books(rpc, published, engine, database_url):  # noqa: F811
    space = published(opening_hours=ALL_WEEK)
    forget_facts(engine, database_url, space["id"])

    citizen, same, body = an_actor(), key(), booking({"space_id": space["id"]}, local(2, 10))
    made = rpc.request(citizen, body, same)
    assert made["status"] == "pending"
    assert rpc.request(citizen, body, same) == made  # the key's lock and answer survived the backfill's commit
    with engine.connect() as conn:
        _known(conn, space["id"])


def test_facts_a_step_behind_the_publication_are_checked_before_a_refusal(
    rpc,
    published,  # noqa: F811
    engine,
    database_url,
):
    """A booking right after publication can arrive before the space.published event does."""
    space = published(opening_hours=ALL_WEEK)
    all_events_handled(engine, database_url, space["id"])
    with engine.begin() as conn:  # as if space.published were still on its way: the facts of an earlier event
        conn.execute(
            sa.text(
                "UPDATE space_facts SET status = 'submitted', fact_time = fact_time - interval '1 minute' "
                "WHERE space_id = :s"
            ),
            {"s": space["id"]},
        )

    made = rpc.request(an_actor(), booking({"space_id": space["id"]}, local(2, 10)), key())
    assert made["status"] == "pending"
    with engine.connect() as conn:
        assert (
            conn.scalar(sa.text("SELECT status FROM space_facts WHERE space_id = :s"), {"s": space["id"]})
            == "published"
        )


def forget_facts(engine, database_url, space_id: str) -> None:
    """Once every event of the space has been handled, delete its facts, as if none had arrived."""
    all_events_handled(engine, database_url, space_id)
    with engine.begin() as conn:
        _known(conn, space_id)
        conn.execute(sa.text("DELETE FROM space_facts WHERE space_id = :s"), {"s": space_id})


def all_events_handled(engine, database_url, space_id: str) -> None:
    """Wait until the reservations service has handled every event of the space.

    Waiting for its facts alone is not enough: the service handles events side by side, so
    an earlier event (space.submitted) still in flight could store its facts again after a
    test changed them.
    """
    spaces_db = sa.create_engine(database_url("spaces"))
    try:
        with spaces_db.connect() as conn:
            ids = set(conn.scalars(SPACE_EVENTS, {"subject": f"spaces/{space_id}"}))
    finally:
        spaces_db.dispose()

    def handled():
        with engine.connect() as conn:
            done = set(
                conn.scalars(sa.text("SELECT event_id FROM inbox WHERE event_id = ANY(:ids)"), {"ids": list(ids)})
            )
        assert ids and done == ids

    eventually(handled)


def _known(conn, space_id):
    assert conn.scalar(sa.text("SELECT count(*) FROM space_facts WHERE space_id = :s"), {"s": space_id}) == 1
