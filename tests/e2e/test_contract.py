"""The OpenAPI document is the contract: Schemathesis checks every operation against the running stack.

Every operation is called with data generated from the document (valid and invalid),
anonymously and as a citizen, an operator and an administrator, and every answer goes
through all of Schemathesis' checks: no 5xx, statuses, content types, headers and bodies
as documented, invalid data refused and valid data not refused for a reason the
document does not give. Path ids point at a disposable set of its own (a space, a
closure, a reservation, a program and an application to it, a user), which the run may
suspend, close, cancel, withdraw and demote.

The run is bounded and repeatable: a few examples per operation, derandomized (the
same requests every run). A business rule the document cannot state (an unknown district code, a
booking outside opening hours) is a 422, which valid data may therefore get.
"""

import json
import subprocess
import sys
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.support.stack import draft_space, published_space

SCHEMATHESIS = str(Path(sys.executable).parent / "schemathesis")
MAX_EXAMPLES = 6
BOOKING = (datetime.now(UTC) + timedelta(days=3)).replace(hour=3, minute=0, second=0, microsecond=0)


@pytest.fixture(scope="module")
def disposable(session_api, admin, make_account):
    """Accounts of each role, and a space, a closure, a reservation, a program, an application and a user
    for the run to act on."""
    roles = {role: make_account(role) for role in ("citizen", "operator", "admin")}
    operator, citizen = roles["operator"], roles["citizen"]
    space_id = published_space(session_api, admin, operator, f"Contract Room {uuid.uuid4().hex[:8]}")
    closure = session_api(
        "POST",
        f"/api/v1/admin/spaces/{space_id}/closures",
        json={"starts_at": "2031-03-05T10:00", "ends_at": "2031-03-05T12:00", "reason": "Inspection"},
        headers=operator["headers"],
    )
    assert closure.status_code == 201, closure.text
    booked = session_api(
        "POST",
        "/api/v1/reservations",
        json={
            "space_id": space_id,
            "start": BOOKING.isoformat(),
            "end": (BOOKING + timedelta(hours=1)).isoformat(),
            "party_size": 2,
        },
        headers={**citizen["headers"], "Idempotency-Key": str(uuid.uuid4())},
    )
    assert booked.status_code == 201, booked.text
    program_id, application_id = _a_program_applied_to(session_api, space_id, operator, citizen)
    yield {
        "headers": {"anonymous": {}, **{role: account["headers"] for role, account in roles.items()}},
        "path": {
            "path.space_id": space_id,
            "path.closure_id": closure.json()["id"],
            "path.reservation_id": booked.json()["id"],
            "path.user_id": make_account("citizen")["id"],
            "path.program_id": program_id,
            "path.application_id": application_id,
            "path.n": 1,
        },
    }
    # give the other tests the platform as it was: the one platform-wide setting the run may change,
    # and the shared search cache (a change to spaces drops the answers the run left there)
    lifted = session_api("PUT", "/api/v1/admin/capacity-limit", json={"percent": 100}, headers=admin)
    assert lifted.status_code == 200, lifted.text
    draft_space(session_api, operator, "Contract Draft")


def _a_program_applied_to(session_api, space_id: str, operator: dict, citizen: dict) -> tuple[str, str]:
    """A published program at the space, two sessions a week apart, and the citizen's application."""
    first = (BOOKING + timedelta(days=7)).replace(hour=1)
    sessions = [
        {"start": (first + timedelta(weeks=w)).isoformat(), "end": (first + timedelta(weeks=w, hours=2)).isoformat()}
        for w in range(2)
    ]
    body = {
        "space_id": space_id,
        "title_ko": "계약 시험 강좌",
        "title_en": "Contract lecture",
        "category": "lecture",
        "audience": "all",
        "capacity": 5,
        "selection": "first_come",
        "application_opens": datetime.now(UTC).isoformat(),
        "application_closes": (first - timedelta(days=1)).isoformat(),
        "sessions": sessions,
    }
    created = session_api("POST", "/api/v1/admin/programs", json=body, headers=operator["headers"])
    assert created.status_code == 201, created.text
    program_id = created.json()["id"]
    published = session_api("POST", f"/api/v1/admin/programs/{program_id}/publish", headers=operator["headers"])
    assert published.status_code == 200, published.text
    applied = session_api(
        "POST",
        f"/api/v1/programs/{program_id}/applications",
        json={},
        headers={**citizen["headers"], "Idempotency-Key": str(uuid.uuid4())},
    )
    assert applied.status_code == 201, applied.text
    return program_id, applied.json()["id"]


def toml(config: dict, table: str = "") -> str:
    """The little TOML a Schemathesis configuration needs: strings, numbers, lists and tables."""
    lines = [f"[{table}]"] if table else []
    tables = []
    for key, value in config.items():
        if isinstance(value, dict):
            tables.append(toml(value, f"{table}.{json.dumps(key)}" if table else json.dumps(key)))
        else:
            lines.append(f"{json.dumps(key)} = {json.dumps(value)}")
    return "\n".join(lines + tables) + "\n"


@pytest.mark.parametrize("role", ["anonymous", "citizen", "operator", "admin"])
def test_every_operation_keeps_to_the_document(stack, session_api, disposable, role, tmp_path):
    config = {
        "headers": disposable["headers"][role],
        "auth": {"auto-signup": False},  # the role's own token, or none
        "generation": {"mode": "all", "max-examples": MAX_EXAMPLES, "deterministic": True, "database": "none"},
        "phases": {"stateful": {"enabled": False}},
        "checks": {"positive_data_acceptance": {"expected-statuses": ["2xx", "401", "403", "404", "409", "422"]}},
        "parameters": disposable["path"],
    }
    (tmp_path / "schemathesis.toml").write_text(toml(config))
    run = subprocess.run(
        [SCHEMATHESIS, "--config-file", "schemathesis.toml", "run", f"{stack}/api/v1/openapi.json"]
        + ["--checks", "all", "--no-color", "--workers", "1"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=110,  # within pytest's 120 s, so that a hung run still shows its output
    )
    assert run.returncode == 0, run.stdout[-20_000:] + run.stderr[-2_000:]
    operations = sum(len(methods) for methods in session_api("GET", "/api/v1/openapi.json").json()["paths"].values())
    assert f"Tested: {operations}\n" in run.stdout, run.stdout[-5_000:]
