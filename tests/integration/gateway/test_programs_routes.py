"""The programs routes through HTTP, with a fake ``programs`` service and the real accounts table.

What is checked here is the gateway's half: validation, the ``Idempotency-Key`` header, the
mapping to the service's RPC arguments (the actor first), who may call what, the applicants'
contact details read from the gateway's own database, the CSV export, and how the service's
answers and errors come out. The service itself answers in ``tests/e2e/test_programs.py``.
"""

import copy
import csv
import io
import uuid

import pytest

from chassis.errors import Conflict, Invalid, NotFound
from gateway.rpc import ServiceUnavailable
from tests.integration.gateway.conftest import FakeRpc
from tests.support.problems import fields_of, problem

PROGRAM_ID = "7a0c8d1f-0000-4000-8000-0000000000b1"
SPACE_ID = "5c0e8d1f-0000-4000-8000-000000000001"
APPLICATION_ID = "9b0c8d1f-0000-4000-8000-0000000000c1"
STRANGER = "8d1f0000-0000-4000-8000-00000000ffff"
SESSION = {"n": 1, "start": "2027-01-13T01:00:00+00:00", "end": "2027-01-13T03:00:00+00:00"}
PROGRAM = {
    "id": PROGRAM_ID,
    "space_id": SPACE_ID,
    "status": "published",
    "status_reason": None,
    "title_ko": "그림책 읽기 모임",
    "title_en": "Picture-book club",
    "description_ko": "함께 읽어요",
    "description_en": "We read together",
    "category": "club",
    "audience": "children",
    "fee_note": "무료 / Free",
    "capacity": 20,
    "companions": 1,
    "selection": "first_come",
    "application_opens": "2027-01-01T00:00:00+00:00",
    "application_closes": "2027-01-10T00:00:00+00:00",
    "sessions": [SESSION],
    "first_session_start": SESSION["start"],
    "last_session_end": SESSION["end"],
    "accepted_count": 12,
    "places_left": 8,
    "waitlist_count": 0,
    "pending_count": 0,
    "open_for_applications": True,
    "space": {"id": SPACE_ID, "name_ko": "망원 도서관", "name_en": "Mangwon Library", "district": "mapo", "types": []},
    "lottery": None,
    "created_at": "2026-12-01T00:00:00+00:00",
    "updated_at": "2026-12-01T00:00:00+00:00",
    "published_at": "2026-12-02T00:00:00+00:00",
}
COUNTS = {"pending": 0, "accepted": 12, "waitlisted": 0, "rejected": 0, "withdrawn": 1, "cancelled": 0}
PROGRAM_ADMIN = PROGRAM | {"counts": COUNTS, "created_by": STRANGER, "block_id": None, "step": None}
APPLICATION = {
    "id": APPLICATION_ID,
    "program_id": PROGRAM_ID,
    "citizen_id": STRANGER,
    "status": "accepted",
    "waitlist_position": None,
    "party_size": 2,
    "note": None,
    "status_reason": None,
    "created_at": "2027-01-02T15:30:00+00:00",
    "decided_at": "2027-01-02T15:30:00+00:00",
    "program": {
        "id": PROGRAM_ID,
        "title_ko": PROGRAM["title_ko"],
        "title_en": PROGRAM["title_en"],
        "space_id": SPACE_ID,
        "first_session_start": SESSION["start"],
        "status": "published",
    },
}


def page(items, **extra):
    return {"items": items, "total": len(items), "page": 1, "page_size": 20, **extra}


DEFAULT_ANSWERS = {
    "search": page([{k: v for k, v in PROGRAM.items() if not k.startswith("description")}]),
    "get": PROGRAM,
    "apply": APPLICATION,
    "list_for_citizen": page([APPLICATION]),
    "get_application": APPLICATION,
    "withdraw": APPLICATION | {"status": "withdrawn"},
    "create": PROGRAM_ADMIN | {"status": "draft", "published_at": None},
    "update": PROGRAM_ADMIN,
    "publish": PROGRAM_ADMIN,
    "cancel": PROGRAM_ADMIN | {"status": "cancelled", "status_reason": "Flood"},
    "get_for_actor": PROGRAM_ADMIN,
    "list_for_actor": page([PROGRAM_ADMIN]),
    "applicants": page([APPLICATION | {"attendance": [1]}], counts=COUNTS),
    "accept": APPLICATION,
    "reject": APPLICATION | {"status": "rejected", "status_reason": "Full"},
    "set_attendance": {"program_id": PROGRAM_ID, "session": 1, "present": [APPLICATION_ID]},
}
NEW = {
    "space_id": SPACE_ID,
    "title_ko": "그림책 읽기 모임",
    "title_en": "Picture-book club",
    "description_ko": "함께 읽어요",
    "description_en": "We read together",
    "category": "club",
    "audience": "children",
    "capacity": 20,
    "selection": "first_come",
    "application_opens": "2027-01-01T09:00:00+09:00",
    "application_closes": "2027-01-10T09:00:00+09:00",
    "sessions": [{"start": "2027-01-13T10:00:00+09:00", "end": "2027-01-13T12:00:00+09:00"}],
}
WEEKLY = {"weekday": 3, "start_time": "10:00", "end_time": "12:00", "first_date": "2027-01-11", "count": 4}
KEY = {"Idempotency-Key": "3b1e0c9a-5d7f-4c1e-9a0b-0c1d2e3f4a5b"}


class ProgramsRpc(FakeRpc):
    """A fake ``programs`` service: canned answers per method (an exception is raised); records calls."""

    def __init__(self):
        super().__init__()
        self.answers: dict = {}

    def call(self, service, method, *args, timeout=None, **kwargs):
        if service != "programs":
            return super().call(service, method, *args, timeout=timeout, **kwargs)
        self.calls.append((service, method, args, kwargs))
        if service in self.down:
            raise ServiceUnavailable(service)
        answer = self.answers.get(method, DEFAULT_ANSWERS.get(method))
        if callable(answer):
            answer = answer(*args)
        if isinstance(answer, BaseException):
            raise answer
        return copy.deepcopy(answer)

    def of(self, method):
        return [args for service, name, args, _ in self.calls if service == "programs" and name == method]


@pytest.fixture(scope="module")
def app(make_app):
    return make_app(rpc=ProgramsRpc())


@pytest.fixture(autouse=True)
def rpc(app):
    fake = app.extensions["rpc"]
    fake.calls.clear()
    fake.answers.clear()
    fake.down.clear()
    return fake


def me(user, role="citizen"):
    return {"id": user["user"]["id"], "role": role}


# --- public --------------------------------------------------------------------------------


def test_a_search_passes_every_filter_and_names_the_district(client, rpc):
    response = client.get(
        "/api/v1/programs?q=%20books%20&district=mapo&district=mapo&district=jongno&type=small_library"
        "&category=club&category=lecture&audience=children&space_id="
        + SPACE_ID
        + "&from=2027-01-01T00:00:00%2B09:00&to=2027-02-01T00:00:00Z&open=true&places_left=false"
        "&status=finished&page=2&page_size=50"
    )
    assert response.status_code == 200, response.get_json()
    assert rpc.of("search") == [
        (
            {
                "q": "books",
                "space_id": SPACE_ID,
                "from": "2027-01-01T00:00:00+09:00",
                "to": "2027-02-01T00:00:00+00:00",
                "open": True,
                "places_left": False,
                "status": "finished",
                "page": 2,
                "page_size": 50,
                "district": ["mapo", "jongno"],
                "type": ["small_library"],
                "category": ["club", "lecture"],
                "audience": ["children"],
            },
        )
    ]
    [item] = response.get_json()["items"]
    assert item["district"] == "mapo" and item["id"] == PROGRAM_ID and item["accepted_count"] == 12
    assert client.get("/api/v1/programs").status_code == 200
    assert rpc.of("search")[-1] == ({"page": 1, "page_size": 20},)


@pytest.mark.parametrize(
    "query, field",
    [
        ("category=club&category=party", "category[1]"),
        ("audience=pets", "audience[0]"),
        ("status=draft", "status"),
        ("open=maybe", "open"),
        ("space_id=nope", "space_id"),
        ("from=2027-01-01", "from"),
        ("from=2027-02-01T00:00:00Z&to=2027-01-01T00:00:00Z", "to"),
        ("page_size=101", "page_size"),
        ("colour=red", "colour"),
    ],
)
def test_search_filters_are_checked(client, rpc, query, field):
    assert field in fields_of(problem(client.get(f"/api/v1/programs?{query}"), 422))
    assert rpc.calls == []


def test_a_program_is_read_by_anyone(client, rpc):
    body = client.get(f"/api/v1/programs/{PROGRAM_ID}").get_json()
    assert body["sessions"] == [SESSION] and body["space"]["name_ko"] == "망원 도서관"
    assert "counts" not in body and "block_id" not in body and "created_by" not in body
    assert rpc.of("get") == [(PROGRAM_ID,)]
    rpc.answers["get"] = NotFound("No such program.")
    problem(client.get(f"/api/v1/programs/{PROGRAM_ID}"), 404)
    problem(client.get("/api/v1/programs/nope"), 404)
    assert len(rpc.calls) == 2


# --- citizens --------------------------------------------------------------------------------


def test_an_application_passes_the_actor_the_program_the_data_and_the_key(client, rpc, citizen):
    path = f"/api/v1/programs/{PROGRAM_ID}/applications"
    response = client.post(path, json={"party_size": 2, "note": " 아이와 함께 "}, headers=citizen["headers"] | KEY)
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["status"] == "accepted" and "citizen_id" not in response.get_json()
    assert client.post(path, json={}, headers=citizen["headers"] | KEY).status_code == 201
    assert rpc.of("apply") == [
        (me(citizen), PROGRAM_ID, {"party_size": 2, "note": "아이와 함께"}, KEY["Idempotency-Key"]),
        (me(citizen), PROGRAM_ID, {}, KEY["Idempotency-Key"]),
    ]


def test_an_application_is_checked_after_sign_in_then_the_header_then_the_body(client, rpc, citizen):
    path = f"/api/v1/programs/{PROGRAM_ID}/applications"
    problem(client.post(path, json={}), 401)
    assert fields_of(problem(client.post(path, json={}, headers=citizen["headers"]), 400)) == {"Idempotency-Key"}
    for change, field in [
        ({"party_size": 12}, "party_size"),
        ({"party_size": 0}, "party_size"),
        ({"note": "x" * 501}, "note"),
        ({"status": "accepted"}, "status"),
    ]:
        assert field in fields_of(problem(client.post(path, json=change, headers=citizen["headers"] | KEY), 422))
    assert rpc.calls == []


@pytest.mark.parametrize(
    "error, status",
    [
        (Conflict("A request with this Idempotency-Key is still being processed.", {"retry_after": 1}), 409),
        (Conflict("You have applied already."), 409),
        (NotFound("No such program."), 404),
        (ServiceUnavailable("programs"), 503),
    ],
)
def test_the_service_s_refusals_become_problems(client, rpc, citizen, error, status):
    rpc.answers["apply"] = error
    response = client.post(f"/api/v1/programs/{PROGRAM_ID}/applications", json={}, headers=citizen["headers"] | KEY)
    problem(response, status)
    if error.__class__ is Conflict and error.extra:
        assert response.headers["Retry-After"] == "1"


def test_a_citizen_lists_reads_and_withdraws_their_applications(client, rpc, citizen):
    mine = client.get("/api/v1/me/applications?status=waitlisted&page=2", headers=citizen["headers"])
    assert mine.get_json()["items"][0]["program"]["title_ko"] == "그림책 읽기 모임"
    assert rpc.of("list_for_citizen") == [(me(citizen), {"status": "waitlisted", "page": 2, "page_size": 20})]
    assert fields_of(problem(client.get("/api/v1/me/applications?status=lost", headers=citizen["headers"]), 422)) == {
        "status"
    }
    assert client.get(f"/api/v1/applications/{APPLICATION_ID}", headers=citizen["headers"]).status_code == 200
    withdrawn = client.post(f"/api/v1/applications/{APPLICATION_ID}/withdraw", headers=citizen["headers"])
    assert withdrawn.status_code == 200 and withdrawn.get_json()["status"] == "withdrawn"
    assert rpc.of("get_application") == [(me(citizen), APPLICATION_ID)]
    assert rpc.of("withdraw") == [(me(citizen), APPLICATION_ID)]
    problem(client.get("/api/v1/me/applications"), 401)


# --- operators: writing programs --------------------------------------------------------------


def test_an_operator_creates_a_draft_with_sessions_listed_or_weekly(client, rpc, operator):
    response = client.post("/api/v1/admin/programs", json=NEW, headers=operator["headers"])
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["status"] == "draft" and body["counts"] == COUNTS
    weekly = NEW | {"sessions": WEEKLY, "fee_note": "무료", "companions": 2}
    assert client.post("/api/v1/admin/programs", json=weekly, headers=operator["headers"]).status_code == 201
    first, second = rpc.of("create")
    assert first == (
        me(operator, "operator"),
        NEW
        | {
            "companions": 0,
            "application_opens": "2027-01-01T09:00:00+09:00",
            "sessions": [{"start": "2027-01-13T10:00:00+09:00", "end": "2027-01-13T12:00:00+09:00"}],
        },
    )
    assert second[1]["sessions"] == WEEKLY and second[1]["companions"] == 2 and second[1]["fee_note"] == "무료"


def many_sessions(count):
    return [
        {"start": f"2027-03-{day:02d}T10:00:00+09:00", "end": f"2027-03-{day:02d}T11:00:00+09:00"}
        for day in range(1, count + 1)
    ]


@pytest.mark.parametrize(
    "change, field",
    [
        ({"sessions": many_sessions(25) + many_sessions(26)}, "sessions"),
        ({"sessions": []}, "sessions"),
        ({"sessions": 3}, "sessions"),
        ({"sessions": [{"start": "2027-01-13T10:00:00+09:00", "end": "2027-01-13T09:00:00+09:00"}]}, "sessions[0].end"),
        ({"sessions": WEEKLY | {"weekday": 8}}, "sessions.weekday"),
        ({"sessions": WEEKLY | {"end_time": "10:00"}}, "sessions.end_time"),
        ({"sessions": WEEKLY | {"end_time": "24:00"}}, "sessions.end_time"),
        ({"sessions": WEEKLY | {"count": 51}}, "sessions.count"),
        ({"sessions": WEEKLY | {"first_date": "13/01/2027"}}, "sessions.first_date"),
        ({"application_closes": "2027-01-01T09:00:00+09:00"}, "application_closes"),
        ({"application_closes": "2026-12-31T00:00:00Z"}, "application_closes"),
        ({"capacity": 0}, "capacity"),
        ({"capacity": 10_001}, "capacity"),
        ({"companions": 11}, "companions"),
        ({"category": "party"}, "category"),
        ({"audience": "pets"}, "audience"),
        ({"selection": "auction"}, "selection"),
        ({"title_ko": "  "}, "title_ko"),
        ({"title_en": "x" * 201}, "title_en"),
        ({"description_ko": "x" * 5001}, "description_ko"),
        ({"fee_note": "x" * 201}, "fee_note"),
        ({"status": "published"}, "status"),
        ({"space_id": "nope"}, "space_id"),
    ],
)
def test_a_new_program_is_checked(client, rpc, operator, change, field):
    doc = problem(client.post("/api/v1/admin/programs", json=NEW | change, headers=operator["headers"]), 422)
    assert field in fields_of(doc), doc
    assert rpc.calls == []


def test_only_operators_and_admins_write_programs(client, rpc, citizen, admin):
    problem(client.post("/api/v1/admin/programs", json=NEW), 401)
    problem(client.post("/api/v1/admin/programs", json=NEW, headers=citizen["headers"]), 403)
    problem(client.get(f"/api/v1/admin/programs/{PROGRAM_ID}/applications.csv", headers=citizen["headers"]), 403)
    assert client.post("/api/v1/admin/programs", json=NEW, headers=admin["headers"]).status_code == 201
    assert rpc.of("create")[0][0] == me(admin, "admin")


def test_an_update_passes_only_the_fields_given(client, rpc, operator):
    path = f"/api/v1/admin/programs/{PROGRAM_ID}"
    changes = {"capacity": 30, "fee_note": None, "sessions": WEEKLY}
    assert client.patch(path, json=changes, headers=operator["headers"]).status_code == 200
    assert rpc.of("update") == [(me(operator, "operator"), PROGRAM_ID, changes | {"fee_note": ""})]
    for change, field in [({"space_id": SPACE_ID}, "space_id"), ({"title_ko": None}, "title_ko"), ({}, "body")]:
        assert field in fields_of(problem(client.patch(path, json=change, headers=operator["headers"]), 422))
    both = {"application_opens": "2027-01-02T00:00:00Z", "application_closes": "2027-01-01T00:00:00Z"}
    assert fields_of(problem(client.patch(path, json=both, headers=operator["headers"]), 422)) == {"application_closes"}
    assert len(rpc.of("update")) == 1


def test_list_read_publish_and_cancel(client, rpc, operator):
    actor = me(operator, "operator")
    listed = client.get(f"/api/v1/admin/programs?status=draft&space_id={SPACE_ID}", headers=operator["headers"])
    assert listed.get_json()["items"][0]["counts"] == COUNTS
    assert client.get(f"/api/v1/admin/programs/{PROGRAM_ID}", headers=operator["headers"]).status_code == 200
    assert client.post(f"/api/v1/admin/programs/{PROGRAM_ID}/publish", headers=operator["headers"]).status_code == 200
    cancelled = client.post(
        f"/api/v1/admin/programs/{PROGRAM_ID}/cancel", json={"reason": "Flood"}, headers=operator["headers"]
    )
    assert cancelled.get_json()["status"] == "cancelled"
    assert rpc.of("list_for_actor") == [(actor, {"status": "draft", "space_id": SPACE_ID, "page": 1, "page_size": 20})]
    assert rpc.of("get_for_actor") == [(actor, PROGRAM_ID)]
    assert rpc.of("publish") == [(actor, PROGRAM_ID)]
    assert rpc.of("cancel") == [(actor, PROGRAM_ID, "Flood")]
    path = f"/api/v1/admin/programs/{PROGRAM_ID}/cancel"
    assert fields_of(problem(client.post(path, json={}, headers=operator["headers"]), 422)) == {"reason"}


def test_a_taken_slot_refuses_publication_naming_the_sessions(client, rpc, operator):
    conflicts = [{"n": 1, "start": SESSION["start"], "end": SESSION["end"], "kind": "reservation"}]
    rpc.answers["publish"] = Conflict("Session 1 is taken.", {"conflicts": conflicts})
    doc = problem(client.post(f"/api/v1/admin/programs/{PROGRAM_ID}/publish", headers=operator["headers"]), 409)
    assert doc["conflicts"] == conflicts
    rpc.answers["create"] = Invalid(
        "sessions[0].start", {"errors": [{"field": "sessions[0].start", "message": "closed"}]}
    )
    doc = problem(client.post("/api/v1/admin/programs", json=NEW, headers=operator["headers"]), 422)
    assert fields_of(doc) == {"sessions[0].start"}


# --- operators: applicants ------------------------------------------------------------------


def applicant(user_id, **fields):
    return APPLICATION | {"id": str(uuid.uuid4()), "citizen_id": user_id, "attendance": []} | fields


def test_applicants_come_with_their_contact_details(client, rpc, operator, make_user):
    kim = make_user(name="김민지", phone="010-1234-5678")
    rpc.answers["applicants"] = page([applicant(kim["user"]["id"]), applicant(STRANGER)], counts=COUNTS)
    response = client.get(
        f"/api/v1/admin/programs/{PROGRAM_ID}/applications?status=accepted", headers=operator["headers"]
    )
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    first, gone = body["items"]
    assert (first["name"], first["email"], first["phone"]) == ("김민지", kim["email"], "010-1234-5678")
    assert (gone["name"], gone["email"], gone["phone"]) == (None, None, None)
    assert first["citizen_id"] == kim["user"]["id"] and body["counts"] == COUNTS
    assert rpc.of("applicants") == [
        (me(operator, "operator"), PROGRAM_ID, {"status": "accepted", "page": 1, "page_size": 20})
    ]


def test_the_csv_export_holds_every_applicant_for_excel(client, rpc, operator, make_user):
    kim = make_user(name="김민지", phone="010-1234-5678")
    rows = [applicant(kim["user"]["id"], note='=HYPERLINK("http://evil")', attendance=[1, 2])]
    rows += [applicant(STRANGER, status="waitlisted", waitlist_position=n) for n in range(1, 1001)]

    def pages(actor, program_id, filters):
        start = (filters["page"] - 1) * filters["page_size"]
        return {"items": rows[start : start + filters["page_size"]], "total": len(rows), **filters, "counts": COUNTS}

    rpc.answers["applicants"] = pages
    response = client.get(f"/api/v1/admin/programs/{PROGRAM_ID}/applications.csv", headers=operator["headers"])
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;") and disposition.isascii() and ".csv" in disposition
    raw = response.get_data()
    assert raw.startswith("\ufeff".encode())
    table = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert table[0][0] == "신청번호 / Application" and "이름 / Name" in table[0]
    assert len(table) == 1 + 1001
    record = dict(zip(table[0], table[1], strict=True))
    assert record["이름 / Name"] == "김민지" and record["이메일 / Email"] == kim["email"]
    assert record["전화 / Phone"] == "010-1234-5678" and record["인원 / Party size"] == "2"
    assert record["신청 시각 / Applied at"] == "2027-01-03 00:30"  # 15:30 UTC is 00:30 the next day in Seoul
    assert record["메모 / Note"].startswith("'=")  # never run as a formula
    assert record["참석 회차 / Sessions attended"] == "1 2"
    assert dict(zip(table[0], table[-1], strict=True))["대기 순번 / Waitlist position"] == "1000"
    assert [filters for _, _, filters in rpc.of("applicants")] == [
        {"page": 1, "page_size": 1000},
        {"page": 2, "page_size": 1000},
    ]


def test_decisions_and_attendance_pass_the_actor(client, rpc, operator):
    actor = me(operator, "operator")
    headers = operator["headers"]
    assert client.post(f"/api/v1/admin/applications/{APPLICATION_ID}/accept", headers=headers).status_code == 200
    rejected = client.post(
        f"/api/v1/admin/applications/{APPLICATION_ID}/reject", json={"reason": "Full"}, headers=headers
    )
    assert rejected.get_json()["status"] == "rejected" and rejected.get_json()["citizen_id"] == STRANGER
    path = f"/api/v1/admin/programs/{PROGRAM_ID}/sessions/1/attendance"
    marked = client.put(path, json={"present": [APPLICATION_ID]}, headers=headers)
    assert marked.get_json() == {"program_id": PROGRAM_ID, "session": 1, "present": [APPLICATION_ID]}
    assert fields_of(problem(client.put(path, json={"present": ["nope"]}, headers=headers), 422)) == {"present[0]"}
    assert rpc.of("accept") == [(actor, APPLICATION_ID)]
    assert rpc.of("reject") == [(actor, APPLICATION_ID, "Full")]
    assert rpc.of("set_attendance") == [(actor, PROGRAM_ID, 1, [APPLICATION_ID])]


def test_a_service_that_is_down_is_503_with_retry_after(client, rpc, operator):
    rpc.down.add("programs")
    response = client.get("/api/v1/programs")
    assert problem(response, 503)["service"] == "programs" and response.headers["Retry-After"]
    problem(client.get(f"/api/v1/admin/programs/{PROGRAM_ID}/applications.csv", headers=operator["headers"]), 503)


# --- the OpenAPI document -------------------------------------------------------------------


def test_the_openapi_document_lists_the_programs_routes(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    paths = spec["paths"]
    program, admin = "/api/v1/programs/{program_id}", "/api/v1/admin/programs/{program_id}"
    expected = {
        "/api/v1/programs": {"get"},
        program: {"get"},
        f"{program}/applications": {"post"},
        "/api/v1/me/applications": {"get"},
        "/api/v1/applications/{application_id}": {"get"},
        "/api/v1/applications/{application_id}/withdraw": {"post"},
        "/api/v1/admin/programs": {"get", "post"},
        admin: {"get", "patch"},
        f"{admin}/publish": {"post"},
        f"{admin}/cancel": {"post"},
        f"{admin}/applications": {"get"},
        f"{admin}/applications.csv": {"get"},
        f"{admin}/sessions/{{n}}/attendance": {"put"},
        "/api/v1/admin/applications/{application_id}/accept": {"post"},
        "/api/v1/admin/applications/{application_id}/reject": {"post"},
    }
    for path, methods in expected.items():
        assert methods == set(paths[path]), path
    apply = paths[f"{program}/applications"]["post"]
    assert {"201", "400", "401", "404", "409", "422", "503", "504"} <= set(apply["responses"])
    assert {p["name"]: p["required"] for p in apply["parameters"] if p["in"] == "header"} == {"Idempotency-Key": True}
    search = {p["name"]: p for p in paths["/api/v1/programs"]["get"]["parameters"]}
    assert {"q", "district", "type", "category", "audience", "space_id", "from", "to", "open", "places_left"} <= set(
        search
    )
    assert search["district"]["schema"]["type"] == "array"
    sessions = spec["components"]["schemas"]["ProgramCreate"]["properties"]["sessions"]
    assert sessions["oneOf"][0]["maxItems"] == 50
    assert "space_id" not in spec["components"]["schemas"]["ProgramUpdate"]["properties"]
