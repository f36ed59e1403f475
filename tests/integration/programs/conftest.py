"""Real programs and reservations service processes per test module, and spaces made known to
both as production does: a ``space.published`` event on ``spaces.events``.

``program(space, **overrides)`` makes a draft; ``published(space, **overrides)`` publishes it.
"""

import signal
import uuid
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa
from nameko.standalone.rpc import ClusterRpcProxy

from tests.integration.reservations.conftest import local, publish_space_event, space_facts
from tests.support.processes import start_service, wait_until

SERVICE_ENV = {"CS_PROGRAMS_TIMER_SECONDS": "0.5", "CS_PROGRAMS_RESUME_AFTER_SECONDS": "2"}


@pytest.fixture(scope="module")
def reservations_service(database_url, amqp_uri):
    database_url("reservations")
    process = start_service(
        "reservations", "services.reservations.service", "services/reservations/config.yaml", {"CS_AMQP_URI": amqp_uri}
    )
    yield process
    process.kill(signal.SIGKILL)  # nothing to finish: the module's tests are done


@pytest.fixture(scope="module")
def start_programs(database_url, amqp_uri):
    """``start_programs()``: the programs service in a process of its own (killed after the module)."""
    database_url("programs")
    started = []

    def start():
        process = start_service(
            "programs",
            "services.programs.service",
            "services/programs/config.yaml",
            {"CS_AMQP_URI": amqp_uri, **SERVICE_ENV},
        )
        started.append(process)
        return process

    yield start
    for process in started:
        process.kill(signal.SIGKILL)


@pytest.fixture(scope="module")
def programs_service(start_programs, reservations_service):
    return start_programs()


@pytest.fixture(scope="module")
def cluster(programs_service, amqp_uri):
    with ClusterRpcProxy({"AMQP_URI": amqp_uri}, timeout=20) as proxy:
        yield proxy


@pytest.fixture(scope="module")
def rpc(cluster):
    return cluster.programs


@pytest.fixture(scope="module")
def reservations(cluster):
    return cluster.reservations


@pytest.fixture(scope="module")
def engine(database_url):
    engine = sa.create_engine(database_url("programs"))
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def reservations_engine(database_url):
    engine = sa.create_engine(database_url("reservations"))
    yield engine
    engine.dispose()


@pytest.fixture
def space(programs_service, amqp_uri, engine, reservations_engine):
    """``space(**facts)``: a published space known to both services; its facts plus ``operator``."""

    def make(**overrides):
        data = space_facts(**{"name_ko": "망원 작은도서관", "name_en": "Mangwon Small Library", **overrides})
        publish_space_event(amqp_uri, "space.published", data)
        for known in (engine, reservations_engine):
            wait_until(lambda e=known: _known(e, data["space_id"]), what="the space's facts to be recorded", timeout=10)
        return {**data, "operator": {"id": data["operators"][0], "role": "operator"}}

    return make


def _known(engine, space_id: str) -> bool:
    with engine.connect() as conn:
        return conn.scalar(sa.text("SELECT count(*) FROM space_facts WHERE space_id = :id"), {"id": space_id}) == 1


def a_citizen() -> dict:
    return {"id": str(uuid.uuid4()), "role": "citizen"}


def iso(moment: datetime) -> str:
    return moment.isoformat()


def program_data(space: dict, **overrides) -> dict:
    """A valid draft: three weekly evening sessions from next week, applications open now."""
    now = datetime.now(local(0, 0).tzinfo)
    return {
        "space_id": space["space_id"],
        "title_ko": "그림책 읽기 모임",
        "title_en": "Picture-book club",
        "description_ko": "아이와 함께 읽어요",
        "description_en": "Reading with children",
        "category": "club",
        "audience": "children",
        "fee_note": "무료",
        "capacity": 20,
        "selection": "first_come",
        "application_opens": iso(now - timedelta(hours=1)),
        "application_closes": iso(local(6, 0)),
        "sessions": [{"start": iso(local(7 * w + 7, 19)), "end": iso(local(7 * w + 7, 21))} for w in range(3)],
        **overrides,
    }


@pytest.fixture
def program(rpc):
    def make(space: dict, **overrides) -> dict:
        return rpc.create(space["operator"], program_data(space, **overrides))

    return make


@pytest.fixture
def published(rpc, program):
    def make(space: dict, **overrides) -> dict:
        draft = program(space, **overrides)
        return rpc.publish(space["operator"], draft["id"])

    return make


def key() -> str:
    return str(uuid.uuid4())
