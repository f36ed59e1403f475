"""The programs service's event schemas (docs/events/program.* and application.*).

They are the contract other city systems and the notifications service read before the
programs service exists: each must be a valid schema, take the events the service will
publish, and refuse what it must never carry (an applicant's note, a status the event
cannot have).
"""

import json
import uuid

import jsonschema
import pytest

from chassis.events import envelope
from tests.support.events import SCHEMAS, validate

PROGRAM_TYPES = ["program.published", "program.updated", "program.cancelled", "program.finished", "program.drawn"]
APPLICATION_TYPES = [
    "application.submitted",
    "application.accepted",
    "application.waitlisted",
    "application.promoted",
    "application.rejected",
    "application.withdrawn",
]
OPERATOR = str(uuid.uuid4())


def ids(count: int) -> list[str]:
    return [str(uuid.uuid4()) for _ in range(count)]


def program_data(**overrides) -> dict:
    return {
        "program_id": str(uuid.uuid4()),
        "space_id": str(uuid.uuid4()),
        "district": "mapo",
        "operators": [OPERATOR],
        "title_ko": "그림책 읽기 모임",
        "title_en": "Picture-book club",
        "category": "club",
        "audience": "children",
        "selection": "first_come",
        "capacity": 20,
        "application_opens": "2027-01-01T00:00:00+00:00",
        "application_closes": "2027-01-10T00:00:00+00:00",
        "sessions": [
            {"n": 1, "start": "2027-01-13T01:00:00+00:00", "end": "2027-01-13T03:00:00+00:00"},
            {"n": 2, "start": "2027-01-20T01:00:00+00:00", "end": "2027-01-20T03:00:00+00:00"},
        ],
        "status": "published",
        "status_reason": None,
        **overrides,
    }


def application_data(**overrides) -> dict:
    return {
        "application_id": str(uuid.uuid4()),
        "program_id": str(uuid.uuid4()),
        "space_id": str(uuid.uuid4()),
        "citizen_id": str(uuid.uuid4()),
        "operators": [OPERATOR],
        "status": "accepted",
        "status_reason": None,
        "party_size": 2,
        "waitlist_position": None,
        "program": {
            "title_ko": "그림책 읽기 모임",
            "title_en": "Picture-book club",
            "first_session_start": "2027-01-13T01:00:00+00:00",
        },
        **overrides,
    }


def drawn_data() -> dict:
    order = ids(3)
    lottery = {
        "seed": "9f1c0b7e",
        "algorithm": "sha256-shuffle",
        "drawn_at": "2027-01-10T00:00:05+00:00",
        "order": order,
    }
    return program_data(selection="lottery", capacity=2, lottery=lottery, accepted=order[:2], waitlisted=order[2:])


EXAMPLES = {
    "program.published": program_data(),
    "program.updated": program_data(capacity=25),
    "program.cancelled": program_data(
        status="cancelled",
        status_reason="The speaker is ill.",
        applications=[
            {"application_id": str(uuid.uuid4()), "citizen_id": str(uuid.uuid4()), "status": status}
            for status in ("pending", "accepted", "waitlisted")
        ],
    ),
    "program.finished": program_data(status="finished"),
    "program.drawn": drawn_data(),
    "application.submitted": application_data(status="pending"),
    "application.accepted": application_data(),
    "application.waitlisted": application_data(status="waitlisted", waitlist_position=3),
    "application.promoted": application_data(),
    "application.rejected": application_data(status="rejected", status_reason="The group is for ages 5 to 7."),
    "application.withdrawn": application_data(status="withdrawn"),
}
# A status each event can never have.
WRONG_STATUS = {
    "program.published": "draft",
    "program.updated": "cancelled",
    "program.cancelled": "published",
    "program.finished": "published",
    "program.drawn": "finished",
    "application.submitted": "rejected",
    "application.accepted": "pending",
    "application.waitlisted": "accepted",
    "application.promoted": "waitlisted",
    "application.rejected": "withdrawn",
    "application.withdrawn": "cancelled",
}


def schema_of(event_type: str) -> dict:
    return json.loads((SCHEMAS / f"{event_type}.schema.json").read_text(encoding="utf-8"))


def check(event_type: str, data: dict) -> None:
    """Validate as a subscriber would: the envelope the programs service will send, then the data."""
    validate(envelope("programs", event_type, f"programs/{data['program_id']}", data))


def refused(event_type: str, data: dict) -> bool:
    try:
        check(event_type, data)
    except jsonschema.ValidationError:
        return True
    return False


@pytest.mark.parametrize("event_type", PROGRAM_TYPES + APPLICATION_TYPES)
def test_each_schema_is_a_valid_draft_2020_12_schema_named_for_its_event(event_type):
    schema = schema_of(event_type)
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"].endswith(f"/events/{event_type}.schema.json")
    assert schema["title"].startswith(f"{event_type}:")
    assert schema["additionalProperties"] is False and set(schema["required"]) == set(schema["properties"])


@pytest.mark.parametrize("event_type", PROGRAM_TYPES + APPLICATION_TYPES)
def test_a_realistic_event_of_each_type_validates(event_type):
    check(event_type, EXAMPLES[event_type])


@pytest.mark.parametrize("event_type", PROGRAM_TYPES + APPLICATION_TYPES)
def test_an_unknown_field_is_refused(event_type):
    leak = "note" if event_type.startswith("application.") else "description_ko"
    assert refused(event_type, {**EXAMPLES[event_type], leak: "연락처 010-1234-5678"})


@pytest.mark.parametrize("event_type", PROGRAM_TYPES + APPLICATION_TYPES)
def test_a_status_the_event_cannot_have_is_refused(event_type):
    assert refused(event_type, {**EXAMPLES[event_type], "status": WRONG_STATUS[event_type]})


@pytest.mark.parametrize("status", ["pending", "accepted"])
def test_a_submission_may_be_pending_or_accepted_and_then_has_no_place_in_line(status):
    check("application.submitted", application_data(status=status))


def test_a_first_come_submission_past_capacity_is_waitlisted_with_its_place():
    check("application.submitted", application_data(status="waitlisted", waitlist_position=1))
    assert refused("application.waitlisted", application_data(status="waitlisted", waitlist_position=None))
    assert refused("application.waitlisted", application_data(status="waitlisted", waitlist_position=0))


def test_a_party_is_the_applicant_and_at_most_ten_companions():
    check("application.accepted", application_data(party_size=11))
    assert refused("application.accepted", application_data(party_size=12))
    assert refused("application.accepted", application_data(party_size=0))


def test_the_program_inside_an_application_event_carries_only_titles_and_first_start():
    data = application_data()
    assert refused("application.accepted", {**data, "program": {**data["program"], "description_ko": "…"}})
    assert refused("application.accepted", {**data, "program": {"title_ko": "…", "title_en": "…"}})


def test_a_cancellation_names_only_active_applications_with_their_earlier_status():
    example = EXAMPLES["program.cancelled"]
    gone = {**example["applications"][0], "status": "rejected"}
    assert refused("program.cancelled", {**example, "applications": [gone]})
    assert refused("program.cancelled", {key: value for key, value in example.items() if key != "applications"})


def test_only_a_lottery_program_is_drawn_and_its_draw_is_complete():
    example = EXAMPLES["program.drawn"]
    assert refused("program.drawn", {**example, "selection": "first_come"})
    assert refused("program.drawn", {**example, "lottery": {**example["lottery"], "seed": "not hex"}})
    without_order = {key: value for key, value in example["lottery"].items() if key != "order"}
    assert refused("program.drawn", {**example, "lottery": without_order})


def test_sessions_number_one_to_fifty_and_the_enums_hold():
    session = {"n": 1, "start": "2027-01-13T01:00:00+00:00", "end": "2027-01-13T03:00:00+00:00"}
    check("program.published", program_data(sessions=[{**session, "n": n} for n in range(1, 51)]))
    assert refused("program.published", program_data(sessions=[{**session, "n": n} for n in range(1, 52)]))
    assert refused("program.published", program_data(sessions=[]))
    assert refused("program.published", program_data(category="concert"))
    assert refused("program.published", program_data(audience="everyone"))
    assert refused("program.published", program_data(capacity=10001))
    assert refused("program.published", program_data(operators=["not-a-uuid"]))


@pytest.mark.parametrize("event_type", PROGRAM_TYPES + APPLICATION_TYPES)
def test_the_event_catalogue_describes_each_event(event_type):
    catalogue = (SCHEMAS.parent / "events.md").read_text(encoding="utf-8")
    assert f"`{event_type}`" in catalogue
