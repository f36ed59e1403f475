"""The chassis's pure parts: settings, errors across the RPC boundary, the envelope, the unit of work."""

import json
from pathlib import Path

import jsonschema
import pytest
from nameko.exceptions import deserialize, serialize

from chassis import events
from chassis.db import ReadOnlyUnitOfWork, UnitOfWork
from chassis.errors import Conflict, Invalid, NotFound, RuleBroken
from chassis.settings import CommonSettings, InsecureConfiguration

ENVELOPE_SCHEMA = json.loads(Path("docs/events/envelope.schema.json").read_text())


def test_a_production_start_on_the_guest_broker_account_refuses_to_run():
    settings = CommonSettings(env="production", amqp_uri="amqp://guest:guest@mq/cs")
    with pytest.raises(InsecureConfiguration, match="CS_AMQP_URI"):
        settings.check_safe()


def test_a_service_starts_in_production_without_a_secret_key_it_would_never_use():
    CommonSettings(env="production", amqp_uri="amqp://svc:pw@mq/cs").check_safe()


def test_each_component_has_its_own_database_and_can_be_pointed_elsewhere(monkeypatch):
    settings = CommonSettings(pg_url="postgresql+psycopg://pg:5432", db_prefix="cs")
    assert settings.database_url("spaces") == "postgresql+psycopg://pg:5432/cs_spaces"
    monkeypatch.setenv("CS_SPACES_DATABASE_URL", "postgresql+psycopg://spaces@db/spaces")
    assert settings.database_url("spaces") == "postgresql+psycopg://spaces@db/spaces"
    assert settings.database_url("programs") == "postgresql+psycopg://pg:5432/cs_programs"


@pytest.mark.parametrize(
    "error",
    [
        NotFound("No such space.", {"space_id": "abc"}),
        Conflict("The slot is taken.", {"conflicts": [{"start": "2026-12-01T10:00:00+09:00"}]}),
        Invalid.field("capacity", "must be at least 1"),
        RuleBroken("Too short.", {"rule": "min_minutes", "allowed": {"min": 60}}),
    ],
)
def test_domain_errors_come_back_from_rpc_as_themselves_with_their_data(error):
    wire = json.loads(json.dumps(serialize(error)))  # what travels over AMQP

    back = deserialize(wire)

    assert type(back) is type(error)
    assert back.detail == error.detail
    assert back.extra == error.extra


def test_the_envelope_is_a_cloudevent_with_a_fresh_id():
    first = events.envelope("spaces", "space.published", "spaces/1", {"space_id": "1"})
    second = events.envelope("spaces", "space.published", "spaces/1", {"space_id": "1"})

    jsonschema.validate(first, ENVELOPE_SCHEMA, format_checker=jsonschema.FormatChecker())
    assert first["source"] == "/community-space/spaces"
    assert first["id"] != second["id"]


class FakeSession:
    def __init__(self):
        self.log = []

    def execute(self, statement, *args):
        self.log.append("execute")

    def commit(self):
        self.log.append("commit")

    def rollback(self):
        self.log.append("rollback")

    def close(self):
        self.log.append("close")


def make_uow():
    session, woken = FakeSession(), []
    return UnitOfWork(lambda: session, "spaces", lambda: woken.append(True)), session, woken


def test_a_unit_of_work_that_is_not_committed_is_rolled_back():
    uow, session, woken = make_uow()
    with uow:
        uow.publish("space.registered", "spaces/1", {})
    assert session.log == ["execute", "rollback", "close"]
    assert woken == []


def test_committing_events_wakes_the_relay_and_committing_none_does_not():
    uow, session, woken = make_uow()
    with uow:
        uow.commit()
    assert woken == []

    with uow:
        uow.publish("space.registered", "spaces/1", {})
        uow.commit()
    assert session.log[-2:] == ["commit", "close"]
    assert woken == [True]


def test_a_read_only_unit_of_work_neither_rolls_back_nor_publishes():
    session = FakeSession()
    with ReadOnlyUnitOfWork(lambda: session, "spaces") as uow:
        uow.session.execute("SELECT 1")
        with pytest.raises(RuntimeError):
            uow.publish("space.updated", "spaces/1", {})
    assert session.log == ["execute", "close"]
