"""A crash of the programs service between its two steps with the reservations service.

Publishing records the step, then asks the reservations service for the block, then
records the outcome. Here the reservations service is down when the block is asked for, so
the request waits in its queue; the programs service is then killed, the reservations
service comes back and makes the block for a program that is not published, and the
programs service, started again, finishes the publish with that very block.
"""

import signal

import pytest
import sqlalchemy as sa

from chassis.errors import Conflict
from tests.integration.programs.conftest import a_citizen, key
from tests.integration.reservations.conftest import booking, eventually, local
from tests.support.processes import start_service, wait_until


def _step(engine, program_id: str):
    with engine.connect() as conn:
        return conn.execute(
            sa.text("SELECT status, step, block_id FROM programs WHERE id = :id"), {"id": program_id}
        ).one()


def _active_blocks(engine, program_id: str) -> list[str]:
    with engine.connect() as conn:
        rows = conn.execute(
            sa.text(
                "SELECT DISTINCT block_id FROM holds"
                " WHERE kind = 'block' AND status = 'approved' AND program_ref = :ref"
            ),
            {"ref": f"programs/{program_id}"},
        ).all()
    return [str(r.block_id) for r in rows]


def test_a_publish_cut_between_the_two_services_is_finished_with_the_block_already_made(
    rpc,
    reservations,
    program,
    space,
    programs_service,
    reservations_service,
    start_programs,
    engine,
    reservations_engine,
    amqp_uri,
):
    place = space()
    draft = program(place)
    reservations_service.kill()
    rpc.publish.call_async(place["operator"], draft["id"])  # its answer never comes: the service dies first
    wait_until(lambda: _step(engine, draft["id"]).step is not None, what="the publish step to be recorded")
    programs_service.kill(signal.SIGKILL)
    assert _step(engine, draft["id"]).status == "draft"

    restarted = start_service(
        "reservations", "services.reservations.service", "services/reservations/config.yaml", {"CS_AMQP_URI": amqp_uri}
    )
    try:
        wait_until(lambda: len(_active_blocks(reservations_engine, draft["id"])) == 1, what="the queued block")
        assert _step(engine, draft["id"]).status == "draft", "the block exists; the program is not published yet"
        start_programs()

        def published():
            row = _step(engine, draft["id"])
            assert row.status == "published" and row.step is None, row
            return row

        row = eventually(published, timeout=30)
        assert _active_blocks(reservations_engine, draft["id"]) == [str(row.block_id)]
        with pytest.raises(Conflict):
            reservations.request(a_citizen(), booking(place, local(7, 19, 30), hours=1), key())
    finally:
        restarted.kill()
