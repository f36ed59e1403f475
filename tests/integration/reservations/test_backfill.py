"""A space whose facts never arrived is fetched from the spaces service, once, and kept."""
import sqlalchemy as sa

from tests.integration.reservations.conftest import an_actor, booking, eventually, key, local
from tests.integration.spaces.conftest import admin, operator, published, spaces, spaces_service  # noqa: F401

ALL_WEEK = [{"weekday": d, "opens": "08:00", "closes": "22:00"} for d in range(1, 8)]


def test_missing_facts_are_fetched_from_the_spaces_service(rpc, published, engine):  # noqa: F811
    space = published(opening_hours=ALL_WEEK, capacity=12)
    with engine.begin() as conn:
        eventually(lambda: _known(conn, space["id"]))  # the space.published event arrived...
        conn.execute(sa.text("DELETE FROM space_facts WHERE space_id = :s"), {"s": space["id"]})  # ...and is forgotten

    policy = rpc.get_policy(space["id"])
    assert policy["capacity"] == 12 and policy["effective_capacity"] == 12
    made = rpc.request(an_actor(), booking({"space_id": space["id"]}, local(2, 10)), key())
    assert made["status"] == "pending"
    with engine.connect() as conn:
        _known(conn, space["id"])  # kept for the next request


def test_a_request_for_a_space_not_stored_yet_fetches_it_then_books(rpc, published, engine):  # noqa: F811
    space = published(opening_hours=ALL_WEEK)
    with engine.begin() as conn:
        eventually(lambda: _known(conn, space["id"]))
        conn.execute(sa.text("DELETE FROM space_facts WHERE space_id = :s"), {"s": space["id"]})

    citizen, same, body = an_actor(), key(), booking({"space_id": space["id"]}, local(2, 10))
    made = rpc.request(citizen, body, same)
    assert made["status"] == "pending"
    assert rpc.request(citizen, body, same) == made  # the key's lock and answer survived the backfill's commit
    with engine.connect() as conn:
        _known(conn, space["id"])


def _known(conn, space_id):
    assert conn.scalar(sa.text("SELECT count(*) FROM space_facts WHERE space_id = :s"), {"s": space_id}) == 1
