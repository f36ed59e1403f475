"""What the Compose file's containers are built from: RabbitMQ's configuration and
definitions, PostgreSQL's init script, and the image (Dockerfile, .dockerignore)."""

import json
import os
import re
import subprocess
import tomllib

import pytest

from chassis import broker
from tests.support.compose import COMPONENTS, DEPLOY, ROOT, VHOST, environment, interpolate, load_compose, mounts
from web.views import vendor


@pytest.fixture(scope="module")
def compose() -> dict:
    return load_compose()


# --- RabbitMQ -------------------------------------------------------------------------


def test_rabbitmq_mounts_its_configuration_definitions_and_plugins(compose):
    rabbitmq = compose["services"]["rabbitmq"]
    volumes = mounts(rabbitmq)
    # The generated topology and permissions; the entrypoint turns them into load_definitions' file.
    assert volumes["/etc/rabbitmq/topology.json"] == "./deploy/rabbitmq/definitions.json"
    assert volumes["/etc/rabbitmq/permissions.json"] == "./deploy/rabbitmq/permissions.json"
    entrypoint = [t for t, source in volumes.items() if source == "./deploy/rabbitmq/entrypoint.sh"]
    assert rabbitmq["entrypoint"] == ["sh", *entrypoint]
    assert rabbitmq["command"] == ["docker-entrypoint.sh", "rabbitmq-server"]
    assert volumes["/etc/rabbitmq/enabled_plugins"] == "./deploy/rabbitmq/enabled_plugins"
    conf_targets = [target for target, source in volumes.items() if source == "./deploy/rabbitmq/rabbitmq.conf"]
    assert len(conf_targets) == 1
    # After the image's conf.d/10-defaults.conf (loopback_users.guest = false), so ours wins.
    assert re.fullmatch(r"/etc/rabbitmq/conf\.d/[2-9]\d-[\w-]+\.conf", conf_targets[0])
    assert not volumes.get("/var/lib/rabbitmq", "./").startswith(("./", "/"))  # a named volume
    assert rabbitmq.get("hostname") == "rabbitmq"  # stable node name, stable data directory
    assert re.fullmatch(r"rabbitmq:3\.13(\.\d+)?-management(-alpine)?", rabbitmq["image"])


def _rabbitmq_conf() -> dict[str, str]:
    settings = {}
    for line in (DEPLOY / "rabbitmq" / "rabbitmq.conf").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            key, value = (part.strip() for part in line.split("=", 1))
            settings[key] = value
    return settings


def test_rabbitmq_loads_the_definitions_and_keeps_guest_on_loopback():
    settings = _rabbitmq_conf()
    assert settings["load_definitions"] == "/etc/rabbitmq/definitions.json"
    assert settings.get("loopback_users.guest") == "true"
    assert settings.get("loopback_users") != "none"


def test_rabbitmq_enables_management_and_prometheus():
    text = (DEPLOY / "rabbitmq" / "enabled_plugins").read_text(encoding="utf-8").strip()
    match = re.fullmatch(r"\[([\w,\s]*)\]\.", text)
    assert match, text
    plugins = {plugin.strip() for plugin in match[1].split(",")}
    assert plugins == {"rabbitmq_management", "rabbitmq_prometheus"}


def _amqp_user_of(compose, name: str) -> tuple[str, str]:
    """The user and password in component ``name``'s ``CS_AMQP_URI``, as an empty .env gives them."""
    uri = interpolate(environment(compose["services"][name])["CS_AMQP_URI"])
    return re.match(r"amqp://([^:]+):([^@]+)@", uri).groups()


@pytest.mark.parametrize("name", COMPONENTS)
def test_each_components_broker_password_is_the_one_given_to_the_broker(compose, name):
    broker_env = environment(compose["services"]["rabbitmq"])
    assert _amqp_user_of(compose, name)[1] == interpolate(broker_env[f"CS_{name.upper()}_AMQP_PASSWORD"])


def _run_broker_entrypoint(tmp_path, compose, **overrides) -> subprocess.CompletedProcess:
    source = DEPLOY / "rabbitmq" / "definitions.json"
    broker_env = {key: interpolate(value) for key, value in environment(compose["services"]["rabbitmq"]).items()}
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        **broker_env,
        "CS_DEFINITIONS_SOURCE": str(source),
        "CS_PERMISSIONS_SOURCE": str(DEPLOY / "rabbitmq" / "permissions.json"),
        "CS_DEFINITIONS_TARGET": str(tmp_path / "definitions.json"),
        **overrides,
    }
    return subprocess.run(
        ["sh", str(DEPLOY / "rabbitmq" / "entrypoint.sh"), "echo", "rabbitmq-server started"],
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
    )


def test_broker_definitions_hold_a_user_per_component_a_quorum_vhost_and_a_dead_letter_policy(tmp_path, compose):
    done = _run_broker_entrypoint(tmp_path, compose)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "rabbitmq-server started"  # hands over to the image's command
    definitions = json.loads((tmp_path / "definitions.json").read_text(encoding="utf-8"))

    vhosts = {vhost["name"]: vhost for vhost in definitions["vhosts"]}
    assert vhosts[VHOST]["default_queue_type"] == "quorum"
    assert any(
        policy["vhost"] == VHOST and {"delivery-limit", "dead-letter-exchange"} <= set(policy["definition"])
        for policy in definitions["policies"]
    )
    users = {u["name"]: u for u in definitions["users"]}
    granted = {p["user"]: p for p in definitions["permissions"]}
    for name in COMPONENTS:
        user, password = _amqp_user_of(compose, name)
        assert users[user]["password"] == password
        assert users[user]["tags"] == ""  # the components cannot use the management UI
        assert granted[user] == {"user": user, "vhost": VHOST, **broker.permissions(name)}
    admin = interpolate(environment(compose["services"]["rabbitmq"])["CS_BROKER_ADMIN_USER"])
    assert users[admin]["tags"] == "administrator" and granted[admin]["vhost"] == VHOST
    assert set(users) == set(granted) == {*(broker.user_of(name) for name in COMPONENTS), admin}


def test_broker_entrypoint_refuses_a_missing_or_unsafe_password_or_admin(tmp_path, compose):
    assert _run_broker_entrypoint(tmp_path, compose, CS_GATEWAY_AMQP_PASSWORD="").returncode != 0
    assert _run_broker_entrypoint(tmp_path, compose, CS_SPACES_AMQP_PASSWORD='a"b').returncode != 0
    assert _run_broker_entrypoint(tmp_path, compose, CS_BROKER_ADMIN_USER="cs_spaces").returncode != 0
    assert not (tmp_path / "definitions.json").exists()


# --- PostgreSQL -----------------------------------------------------------------------


def _init_sql() -> str:
    return (DEPLOY / "postgres" / "init.sql").read_text(encoding="utf-8")


def _sql_statements_by_database(sql: str) -> dict[str, list[str]]:
    """SQL lines grouped by the database psql is connected to (``\\connect``)."""
    current, result = "postgres", {}
    for raw in sql.splitlines():
        line = raw.split("--", 1)[0].strip()
        if line.startswith("\\connect") or line.startswith("\\c "):
            current = line.split()[1]
        elif line:
            result.setdefault(current, []).append(line)
    return result


def test_postgres_runs_the_init_script_and_keeps_data_in_a_volume(compose):
    postgres = compose["services"]["postgres"]
    volumes = mounts(postgres)
    scripts = [target for target, source in volumes.items() if source == "./deploy/postgres/init.sql"]
    assert len(scripts) == 1 and scripts[0].startswith("/docker-entrypoint-initdb.d/")
    assert not volumes["/var/lib/postgresql/data"].startswith(("./", "/"))
    assert re.fullmatch(r"postgres:1[56](\.\d+)?(-[a-z]+)?", postgres["image"])


@pytest.mark.parametrize("name", COMPONENTS)
def test_init_sql_creates_each_database_owned_by_its_role_and_closed_to_others(name):
    sql = " ".join(_sql_statements_by_database(_init_sql())["postgres"])
    role = re.search(rf"CREATE ROLE cs_{name}\b([^;]*);", sql, re.IGNORECASE)
    assert role, f"no role cs_{name}"
    assert "NOSUPERUSER" in role[1].upper() and "PASSWORD" in role[1].upper()
    assert re.search(rf"CREATE DATABASE cs_{name} OWNER cs_{name}\b", sql, re.IGNORECASE)
    assert re.search(rf"REVOKE (ALL|CONNECT)\b[^;]* ON DATABASE cs_{name} FROM PUBLIC", sql, re.IGNORECASE)


def test_init_sql_reads_every_password_the_compose_file_gives_it(compose):
    given = environment(compose["services"]["postgres"])
    read = re.findall(r"^\\getenv\s+\w+\s+(\w+)\s*$", _init_sql(), re.MULTILINE)
    assert sorted(read) == sorted(f"CS_{name.upper()}_DB_PASSWORD" for name in COMPONENTS)
    assert set(read) <= set(given)


def test_init_sql_creates_extensions_in_the_databases_that_need_them():
    by_database = _sql_statements_by_database(_init_sql())

    def extensions(database: str) -> set[str]:
        text = " ".join(by_database.get(database, []))
        return set(re.findall(r"CREATE EXTENSION (?:IF NOT EXISTS )?(\w+)", text, re.IGNORECASE))

    assert {"pg_trgm", "cube", "earthdistance", "btree_gist"} <= extensions("cs_spaces")
    assert "btree_gist" in extensions("cs_reservations")
    assert extensions("postgres") == set()


# --- the image --------------------------------------------------------------------------


def _dockerfile_instructions() -> list[tuple[str, str]]:
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    logical, current = [], ""
    for line in text.splitlines():
        stripped = line.strip()
        if not current and (not stripped or stripped.startswith("#")):
            continue
        if stripped.startswith("#"):
            continue
        if stripped.endswith("\\"):
            current += stripped[:-1] + " "
            continue
        logical.append(current + stripped)
        current = ""
    return [(line.split(None, 1)[0].upper(), line.split(None, 1)[1]) for line in logical]


def _dockerfile_stages() -> list[list[tuple[str, str]]]:
    """The instructions of each build stage, each list starting with its FROM."""
    stages: list[list[tuple[str, str]]] = []
    for instruction, argument in _dockerfile_instructions():
        if instruction == "FROM":
            stages.append([])
        stages[-1].append((instruction, argument))
    return stages


def test_dockerfile_runs_as_a_non_root_user():
    users = [argument for instruction, argument in _dockerfile_instructions() if instruction == "USER"]
    assert users, "the image runs as root"
    user = users[-1].split(":")[0].strip()
    assert user not in ("root", "0")
    # Nothing after the last USER switches back.
    instructions = [instruction for instruction, _ in _dockerfile_instructions()]
    assert "USER" not in instructions[len(instructions) - instructions[::-1].index("USER") :]


def test_dockerfile_installs_dependencies_before_copying_the_code():
    instructions = _dockerfile_stages()[-1]  # the image's own stage
    assert instructions[0] == ("FROM", "python:3.11-slim")
    copies = [i for i, (instruction, _) in enumerate(instructions) if instruction == "COPY"]
    installs = [
        i
        for i, (instruction, argument) in enumerate(instructions)
        if instruction == "RUN" and "pip install" in argument
    ]
    assert instructions[copies[0]][1].split()[0] == "pyproject.toml"
    assert installs and copies[0] < installs[0] < copies[1]
    assert not any("[test]" in argument or "pytest" in argument for _, argument in instructions)


def test_dockerfile_sets_the_runtime_environment():
    env = " ".join(argument for instruction, argument in _dockerfile_instructions() if instruction == "ENV")
    assert "PYTHONUNBUFFERED=1" in env
    assert "PSYCOPG_WAIT_FUNC=wait_select" in env


def test_dockerfile_installs_the_web_clients_packages_in_a_stage_of_their_own_without_dev_dependencies():
    *builders, image = _dockerfile_stages()
    [node] = [stage for stage in builders if stage[0][1].startswith("node:")]
    stage = re.fullmatch(r"node:\d+(?:\.\d+)*-slim AS (?P<name>[\w-]+)", node[0][1], re.IGNORECASE)
    assert stage, node[0][1]
    copied = [argument.split() for instruction, argument in node if instruction == "COPY"]
    assert copied == [["web/package.json", "web/package-lock.json", "./"]]
    [install] = [argument for instruction, argument in node if instruction == "RUN"]
    assert install.startswith("npm ci ") and "--omit=dev" in install.split()
    workdir = [argument for instruction, argument in node if instruction == "WORKDIR"][-1]
    # Node itself stays behind: the image takes the installed packages alone.
    assert ("COPY", f"--from={stage['name']} {workdir}/node_modules ./web/node_modules") in image
    assert not any(instruction == "RUN" and "npm" in argument for instruction, argument in image)


def test_web_packages_the_client_serves_are_dependencies_and_the_test_only_ones_are_not():
    """``npm ci --omit=dev`` puts in the image exactly what web/views/vendor.py serves."""
    package = json.loads((ROOT / "web" / "package.json").read_text(encoding="utf-8"))
    served = {root.relative_to(vendor.NODE_MODULES).parts[0] for root in vendor.PACKAGES.values()}
    assert served <= set(package["dependencies"])
    assert "axe-core" in package["devDependencies"] and "axe-core" not in package["dependencies"]
    lock = json.loads((ROOT / "web" / "package-lock.json").read_text(encoding="utf-8"))
    assert lock["packages"][""]["dependencies"] == package["dependencies"]  # the lock file is current


def test_dockerfile_copies_the_web_client_and_compiles_its_catalogues():
    image = _dockerfile_stages()[-1]
    copies = [argument.split() for instruction, argument in image if instruction == "COPY"]
    assert ["web", "./web"] in copies
    runs = " && ".join(argument for instruction, argument in image if instruction == "RUN")
    assert "pybabel compile -d web/translations" in runs
    [compileall] = re.findall(r"python -m compileall [^&]*", runs)
    assert {"chassis", "services", "gateway", "web"} <= set(compileall.split())
    # Compiled while the files still belong to root, before the image switches to its user.
    instructions = [instruction for instruction, _ in image]
    pybabel = next(i for i, (instruction, argument) in enumerate(image) if "pybabel" in argument)
    assert pybabel < instructions.index("USER")
    # Flask-Babel, and with it Babel's pybabel, is one of the image's dependencies.
    with (ROOT / "pyproject.toml").open("rb") as f:
        dependencies = tomllib.load(f)["project"]["dependencies"]
    assert any(re.match(r"flask-babel\b", dependency, re.IGNORECASE) for dependency in dependencies)


def test_dockerignore_keeps_secrets_and_local_state_out_of_the_build_context():
    ignored = set((ROOT / ".dockerignore").read_text(encoding="utf-8").split())
    assert {".git", ".venv", ".env", "tests"} <= ignored
    # This machine's node_modules (axe-core among them) and .mo files: the image makes its own.
    assert {"**/node_modules", "**/*.mo"} <= ignored
