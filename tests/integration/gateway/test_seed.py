"""``python -m gateway seed``: demo accounts in the real test database, the import against a fake RPC client,
and the demo programs against the real spaces, reservations and programs services."""

import io
import os
import re
import signal
import subprocess
import sys
import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from gateway import db
from gateway.rpc import RpcClient, ServiceTimeout, ServiceUnavailable
from gateway.seed import programs as seed_programs
from gateway.seed.accounts import demo_accounts
from gateway.seed.command import seed
from gateway.settings import GatewaySettings
from tests.support.processes import start_service, wait_until

ADMIN_PASSWORD = "a long seed admin password"


class FakeSpaces:
    """``import_published`` as the contract says: records each batch, skips refs it already has.

    It lists no published spaces to the operators, so the seed makes no programs.
    """

    def __init__(self, fail_after: int | None = None, error: Exception | None = None):
        self.batches: list[tuple[dict, list[dict]]] = []
        self.refs: set[str] = set()
        self.fail_after, self.error = fail_after, error

    def call(self, service, method, *args, timeout=None, **kwargs):
        if (service, method) == ("spaces", "list_for_actor"):
            return {"items": [], "total": 0, "page": 1, "page_size": 100}
        assert (service, method, kwargs) == ("spaces", "import_published", {})
        if self.error is not None and len(self.batches) >= (self.fail_after or 0):
            raise self.error
        actor, batch = args
        self.batches.append((actor, batch))
        new = {space["external_ref"] for space in batch} - self.refs
        self.refs |= new
        return {"imported": len(new), "skipped": len(batch) - len(new)}


@pytest.fixture
def run_seed(database_url):
    """``run_seed(count, rpc)``: the seed with its own demo domain and administrator; answers (status, out, err)."""
    domain = f"seed-{uuid.uuid4().hex[:8]}.example.com"
    settings = GatewaySettings(
        gateway_database_url=database_url("gateway"),
        admin_email=f"admin@{domain}",
        admin_password=ADMIN_PASSWORD,
        argon2_profile="fast",
    )

    def run(count=0, rpc=None, settings=settings):
        out, err = io.StringIO(), io.StringIO()
        status = seed(settings, count, rpc or FakeSpaces(), accounts=demo_accounts(domain), out=out, err=err)
        return status, out.getvalue(), err.getvalue()

    run.domain, run.settings = domain, settings
    return run


def users_of(app, domain):
    with app.extensions["db_engine"].connect() as conn:
        rows = conn.execute(sa.select(db.users).where(db.users.c.email.like(f"%@{domain}"))).all()
    return {row.email: row for row in rows}


def accounts_table(out):
    """The printed table of accounts as {email: (role, password, status, name)}."""
    lines = out.split("Demo accounts:\n", 1)[1].splitlines()
    rows = [re.split(r"\s{2,}", line.strip()) for line in lines[1:] if line.strip()]
    return {email: (role, password, status, name) for role, email, password, status, name in rows}


def sign_in(client, email, password):
    login = client.post("/api/v1/auth/login", json={"email": email, "password": password})
    if login.status_code != 200:
        return None
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {login.get_json()['access_token']}"})
    return me.get_json()


def test_the_demo_accounts_are_created_once_and_their_passwords_work(run_seed, app, client):
    status, out, err = run_seed()
    assert (status, err) == (0, "")
    first = users_of(app, run_seed.domain)

    status, again, err = run_seed()
    assert (status, err) == (0, "")
    assert {email: row.id for email, row in users_of(app, run_seed.domain).items()} == {
        email: row.id for email, row in first.items()
    }

    expected = {f"admin@{run_seed.domain}": (ADMIN_PASSWORD, "admin")} | {
        account.email: (account.password, account.role) for account in demo_accounts(run_seed.domain)
    }
    assert set(first) == set(expected) and len(expected) == 11
    for email, (password, role) in expected.items():
        me = sign_in(client, email, password)
        assert me is not None, email
        assert (me["email"], me["role"]) == (email, role)
    assert sign_in(client, f"operator1@{run_seed.domain}", "demo-operator-1")["name"] == "김민준 (마포 작은도서관 운영)"
    assert first[f"citizen5@{run_seed.domain}"].locale == "en"

    table, table_again = accounts_table(out), accounts_table(again)
    printed = {email: (password, role) for email, (role, password, _, _) in table.items()}
    assert printed == expected | {f"admin@{run_seed.domain}": ("(ADMIN_PASSWORD)", "admin")}
    assert ADMIN_PASSWORD not in out  # a real secret is not echoed
    assert {row[2] for row in table.values()} == {"created"} and {row[2] for row in table_again.values()} == {"existed"}
    assert table[f"operator1@{run_seed.domain}"][3] == "김민준 (마포 작은도서관 운영)"


def test_an_existing_account_is_left_as_it_is(run_seed, app, client):
    email = f"operator1@{run_seed.domain}"
    registered = client.post(
        "/api/v1/auth/register", json={"email": email, "password": "my own operator password", "name": "Park Seoyeon"}
    )
    assert registered.status_code == 201

    status, out, _ = run_seed()

    assert status == 0
    user = users_of(app, run_seed.domain)[email]
    assert (user.name, user.role) == ("Park Seoyeon", "citizen")
    assert sign_in(client, email, "my own operator password")
    assert sign_in(client, email, "demo-operator-1") is None
    assert accounts_table(out)[email][2] == "existed, other password"


def test_an_admin_email_that_is_not_an_administrator_is_refused(run_seed, client):
    client.post(
        "/api/v1/auth/register",
        json={"email": run_seed.settings.admin_email, "password": "somebody's password", "name": "Somebody"},
    )
    rpc = FakeSpaces()

    status, out, err = run_seed(10, rpc)

    assert (status, out, rpc.batches) == (1, "", [])
    assert err.count("\n") == 1 and "is not an administrator" in err and "create-admin" in err


def test_production_is_refused(run_seed):
    status, out, err = run_seed(settings=run_seed.settings.model_copy(update={"env": "production"}))

    assert (status, out) == (1, "")
    assert err.count("\n") == 1 and "production" in err


def test_the_spaces_are_imported_in_batches_as_the_administrator(run_seed, app):
    rpc = FakeSpaces()

    status, out, err = run_seed(2500, rpc)

    assert (status, err) == (0, "")  # standard error is no terminal: no progress bar
    users = users_of(app, run_seed.domain)
    admin = users[f"admin@{run_seed.domain}"]
    operators = {str(user.id) for user in users.values() if user.role == "operator"}
    assert [len(batch) for _, batch in rpc.batches] == [1000, 1000, 500]
    assert all(actor == {"id": str(admin.id), "role": "admin"} for actor, _ in rpc.batches)
    spaces = [space for _, batch in rpc.batches for space in batch]
    assert [space["external_ref"] for space in spaces] == [f"seed-{n}" for n in range(1, 2501)]
    assert {space["operators"][0] for space in spaces} == operators and len(operators) == 5
    assert "imported 2,500 published demo spaces" in out

    status, out, err = run_seed(2500, rpc)

    assert (status, err) == (0, "")
    assert len(rpc.batches) == 6 and len(rpc.refs) == 2500
    assert "nothing new to import" in out

    status, out, _ = run_seed(3000, rpc)

    assert status == 0 and len(rpc.refs) == 3000
    assert "imported 500 published demo spaces" in out and "2,500 were already there" in out


@pytest.mark.parametrize(
    "error, message",
    [
        (ServiceUnavailable("spaces"), "The spaces service is unavailable."),
        (
            ServiceTimeout("spaces"),
            "The spaces service did not answer in time. 1,000 of 1,500 were imported or already there.",
        ),
    ],
)
def test_a_spaces_service_that_does_not_answer_is_one_clear_line(run_seed, error, message):
    rpc = FakeSpaces(fail_after=1 if isinstance(error, ServiceTimeout) else 0, error=error)

    status, out, err = run_seed(1500, rpc)

    assert (status, out) == (1, "")
    assert err.count("\n") == 1 and err.startswith(f"seed: {message}") and "run the seed again" in err


def test_the_command_line(database_url, client):
    """The real command: without a broker it fails in one line; with ``--spaces 0`` it makes the accounts."""
    database_url("gateway")
    domain_admin = f"admin-{uuid.uuid4().hex[:8]}@example.com"
    env = os.environ | {
        "ADMIN_EMAIL": domain_admin,
        "ADMIN_PASSWORD": ADMIN_PASSWORD,
        "CS_AMQP_URI": "amqp://guest:guest@127.0.0.1:1/",
    }  # nothing listens there

    def run(*args):
        return subprocess.run(
            [sys.executable, "-m", "gateway", "seed", *args], capture_output=True, text=True, timeout=60, env=env
        )

    down = run("--spaces", "3")
    assert down.returncode == 1 and down.stdout == ""
    assert down.stderr.count("\n") == 1 and down.stderr.startswith("seed: The message broker is unreachable."), (
        down.stderr
    )

    done = run("--spaces", "0")
    assert done.returncode == 0, done.stderr
    assert "operator1@demo.community-space.kr" in done.stdout and "demo-citizen-5" in done.stdout
    assert sign_in(client, "citizen1@demo.community-space.kr", "demo-citizen-1")["role"] == "citizen"
    assert sign_in(client, domain_admin, ADMIN_PASSWORD)["role"] == "admin"

    assert run("--spaces", "100001").returncode == 2
    without = run("--spaces", "0", "--no-programs")  # as the benchmarks seed a platform without programs
    assert without.returncode == 0 and "Programs: left out (--no-programs)." in without.stdout


@pytest.fixture(scope="module")
def services(database_url, amqp_uri):
    """The real spaces, reservations and programs services (the programs' timer every half second)."""
    started = []
    try:
        for name, env in (("spaces", {}), ("reservations", {}), ("programs", {"CS_PROGRAMS_TIMER_SECONDS": "0.5"})):
            database_url(name)
            started.append(
                start_service(
                    name, f"services.{name}.service", f"services/{name}/config.yaml", {"CS_AMQP_URI": amqp_uri, **env}
                )
            )
        rpc = RpcClient(amqp_uri, timeout=30)
        yield rpc
        rpc.close()
    finally:
        for process in started:
            process.kill(signal.SIGKILL)  # the module's tests are done: nothing to stop gracefully


def demo_programs(rpc):
    titles = {template.title_en for template in seed_programs.CATALOGUE}
    found = rpc.call("programs", "search", {"page_size": 100})["items"]
    return [program for program in found if program["title_en"] in titles]


def test_the_demo_programs_are_published_once_some_full_some_waiting_and_one_drawn(
    run_seed, services, app, monkeypatch
):
    monkeypatch.setattr(seed_programs, "LOTTERY_SECONDS", 10.0)

    status, out, err = run_seed(50, services)

    assert (status, err) == (0, ""), err
    programs = demo_programs(services)
    assert len(programs) == len(seed_programs.CATALOGUE) == 25
    assert len({program["space"]["district"] for program in programs}) >= 10
    assert {program["category"] for program in programs} == {"lecture", "workshop", "club", "exhibition", "visit"}
    assert len({program["audience"] for program in programs}) == 5
    assert all(program["open_for_applications"] for program in programs if program["selection"] == "first_come")
    assert any(program["waitlist_count"] > 0 for program in programs)
    assert any(program["places_left"] == 0 and program["waitlist_count"] == 0 for program in programs)
    assert f"Programs: published 25 demo programs in {len({p['space']['district'] for p in programs})} districts" in out
    assert "drawn within a minute" in out

    operator = users_of(app, run_seed.domain)[f"operator1@{run_seed.domain}"]
    actor = {"id": str(operator.id), "role": "operator"}
    own = services.call("programs", "list_for_actor", actor, {"page_size": 100})["items"]
    assert len(own) == 5 and {program["created_by"] for program in own} == {str(operator.id)}

    (lottery,) = [program for program in programs if program["selection"] == "lottery"]
    assert lottery["capacity"] == 3
    wait_until(lambda: services.call("programs", "get", lottery["id"])["lottery"] is not None, timeout=30)
    drawn = services.call("programs", "get", lottery["id"])
    assert (drawn["accepted_count"], drawn["waitlist_count"], len(drawn["lottery"]["order"])) == (3, 2, 5)

    status, again, err = run_seed(50, services)

    assert (status, err) == (0, ""), err
    assert "nothing new to publish; all 25 demo programs were already there" in again
    assert len(demo_programs(services)) == 25

    # Someone else takes the time of a program that was cancelled: the next run moves it to another weekday.
    (club,) = [program for program in own if program["selection"] == "first_come" and program["capacity"] >= 10][:1]
    services.call("programs", "cancel", actor, club["id"], "Moved")
    taken = [{"start": s["start"], "end": s["end"]} for s in club["sessions"]]
    services.call("reservations", "block", actor, club["space_id"], taken, "elsewhere/1")

    status, third, err = run_seed(50, services)

    assert (status, err) == (0, ""), err
    assert "published 1 demo program in 1 district" in third and "24 were already there" in third
    (moved,) = [p for p in demo_programs(services) if p["title_en"] == club["title_en"]]
    assert moved["space"]["id"] == club["space_id"] and moved["id"] != club["id"]
    assert weekday(moved["first_session_start"]) != weekday(club["first_session_start"])


def weekday(instant: str) -> int:
    return datetime.fromisoformat(instant).astimezone(ZoneInfo("Asia/Seoul")).isoweekday()
