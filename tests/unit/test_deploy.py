"""The container deployment files: docker-compose.yml, the Dockerfile and deploy/.

There is no Docker engine where these tests run, so they check what can be checked
without one: the Compose file against the Compose Specification schema, and the things
a person running ``docker compose up`` would notice if they were wrong.
"""
import copy
import importlib.resources
import json
import os
import re
import subprocess
from pathlib import Path

import jsonschema
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE_FILE = ROOT / "docker-compose.yml"
DEPLOY = ROOT / "deploy"
INFRASTRUCTURE = {"rabbitmq", "postgres", "redis"}
ALLOWED_PUBLISHED = {("gateway", 8000), ("rabbitmq", 15672)}
VHOST = "community_space"


def _service_names() -> list[str]:
    return sorted(
        path.name
        for path in (ROOT / "services").iterdir()
        if path.is_dir() and not path.name.startswith(("_", "."))
    )


SERVICES = _service_names()
COMPONENTS = [*SERVICES, "gateway"]


@pytest.fixture(scope="module")
def compose() -> dict:
    with COMPOSE_FILE.open(encoding="utf-8") as f:
        return yaml.safe_load(f)


@pytest.fixture(scope="module")
def compose_schema() -> dict:
    vendor = importlib.resources.files("check_jsonschema.builtin_schemas.vendor")
    return json.loads(vendor.joinpath("compose-spec.json").read_text(encoding="utf-8"))


_VARIABLE = re.compile(r"\$\{(?P<name>\w+)(?:(?P<op>:?[-?])(?P<arg>[^}]*))?\}")


def interpolate(value: str, environ: dict[str, str] | None = None) -> str:
    """Compose's ``${VAR}``, ``${VAR:-default}`` and ``${VAR:?error}``, as an empty .env sees it."""
    environ = environ or {}

    def replace(match: re.Match) -> str:
        name, op, arg = match["name"], match["op"], match["arg"]
        if environ.get(name):
            return environ[name]
        if op in (":-", "-"):
            return arg
        if op in (":?", "?"):
            raise LookupError(f"{name} is required: {arg}")
        return ""

    return _VARIABLE.sub(replace, value)


def environment(service: dict) -> dict[str, str]:
    env = service.get("environment") or {}
    if isinstance(env, list):
        env = dict(item.split("=", 1) for item in env)
    return {key: str(value) for key, value in env.items()}


def published_ports(service: dict) -> list[tuple[str, int]]:
    """``(host_ip, container_port)`` for every port a service publishes."""
    result = []
    for port in service.get("ports", []):
        if isinstance(port, dict):
            result.append((str(port.get("host_ip", "")), int(port["target"])))
            continue
        spec = str(port).split("/")[0]
        parts = spec.rsplit(":", 2)
        host_ip = parts[0] if len(parts) == 3 else ""
        result.append((host_ip, int(parts[-1].split("-")[0])))
    return result


def mounts(service: dict) -> dict[str, str]:
    """Target path -> source of every volume of a service."""
    result = {}
    for volume in service.get("volumes", []):
        if isinstance(volume, dict):
            result[volume["target"]] = volume["source"]
        else:
            source, target = volume.split(":")[:2]
            result[target] = source
    return result


def depends_on(service: dict) -> dict[str, str]:
    deps = service.get("depends_on") or {}
    if isinstance(deps, list):
        return {name: "service_started" for name in deps}
    return {name: spec.get("condition", "service_started") for name, spec in deps.items()}


def command(service: dict) -> str:
    cmd = service["command"]
    return " ".join(cmd) if isinstance(cmd, list) else cmd


# --- the Compose file is valid ------------------------------------------------------


def test_the_project_has_services_to_deploy():
    assert SERVICES == ["notifications", "programs", "reservations", "spaces"]


@pytest.mark.parametrize("dialect", ["draft7", "declared"])
def test_compose_file_follows_the_compose_specification(compose, compose_schema, dialect):
    # Draft 7 as asked; the schema declares 2020-12, whose unevaluatedProperties also
    # rejects unknown keys in a service (a misspelt "healthchek"), so check both.
    validator_class = (
        jsonschema.Draft7Validator
        if dialect == "draft7"
        else jsonschema.validators.validator_for(compose_schema)
    )
    validator_class.check_schema(compose_schema)
    errors = [
        f"{error.json_path}: {error.message}"
        for error in validator_class(compose_schema).iter_errors(compose)
    ]
    assert errors == []


def test_schema_validation_catches_mistakes(compose, compose_schema):
    validator = jsonschema.validators.validator_for(compose_schema)(compose_schema)
    broken = copy.deepcopy(compose)
    broken["services"]["gateway"]["healthchek"] = broken["services"]["gateway"].pop("healthcheck")
    broken["services"]["postgres"]["depends_on"] = {"rabbitmq": {"condition": "healthy"}}
    assert len(list(validator.iter_errors(broken))) >= 2


def test_compose_file_starts_without_a_dot_env(compose):
    text = COMPOSE_FILE.read_text(encoding="utf-8")
    for match in _VARIABLE.finditer(text):
        interpolate(match[0])  # a ${VAR:?} would raise: then the defaults below do not hold
    # Development defaults are only acceptable with CS_ENV=development.
    for name in COMPONENTS:
        assert environment(compose["services"][name])["CS_ENV"] == "development", name


# --- every container is checked and started in order --------------------------------


def test_every_component_has_a_compose_service(compose):
    missing = [name for name in COMPONENTS if name not in compose["services"]]
    assert missing == []
    assert INFRASTRUCTURE <= set(compose["services"])


def test_every_container_has_a_health_check(compose):
    for name, service in compose["services"].items():
        check = service.get("healthcheck")
        assert check and not check.get("disable"), f"{name} has no health check"
        test = check["test"]
        assert test and test[0] in ("CMD", "CMD-SHELL") and len(test) > 1, name


@pytest.mark.parametrize("name", SERVICES)
def test_each_service_runs_its_migrations_then_nameko_and_is_probed(compose, name):
    service = compose["services"][name]
    cmd = command(service)
    migrate = cmd.index(f"python -m chassis.migrations {name} &&")
    run = cmd.index(f"nameko run --config services/{name}/config.yaml services.{name}.service")
    assert migrate < run
    assert service["healthcheck"]["test"] == ["CMD", "python", "-m", "chassis.probe", name]


def test_gateway_runs_granian_and_is_probed_on_healthz(compose):
    gateway = compose["services"]["gateway"]
    cmd = command(gateway)
    assert cmd.index("python -m chassis.migrations gateway &&") < cmd.index(
        "python -m gateway.serve"
    )
    assert environment(gateway)["CS_GATEWAY_BIND"] == "0.0.0.0:8000"
    assert "http://127.0.0.1:8000/healthz" in " ".join(gateway["healthcheck"]["test"])


@pytest.mark.parametrize("name", COMPONENTS)
def test_each_component_waits_for_a_healthy_broker_and_database(compose, name):
    deps = depends_on(compose["services"][name])
    assert deps.get("rabbitmq") == "service_healthy"
    assert deps.get("postgres") == "service_healthy"


def test_gateway_waits_for_its_rate_limit_storage(compose):
    gateway = compose["services"]["gateway"]
    assert depends_on(gateway).get("redis") == "service_healthy"
    assert environment(gateway)["CS_RATE_LIMIT_STORAGE"] == "redis://redis:6379/0"
    assert environment(gateway)["CS_SEARCH_CACHE_URL"].startswith("redis://redis:6379/")


def test_every_container_restarts(compose):
    for name, service in compose["services"].items():
        assert service.get("restart") in ("always", "unless-stopped", "on-failure"), name


def test_components_share_one_image_and_one_environment(compose):
    images = {compose["services"][name]["image"] for name in COMPONENTS}
    assert len(images) == 1
    for key in ("CS_AMQP_URI", "CS_ENV"):
        values = {environment(compose["services"][name]).get(key) for name in COMPONENTS}
        assert len(values) == 1 and None not in values, key


def test_only_the_gateway_holds_the_signing_key(compose):
    holders = {name for name in COMPONENTS if "CS_SECRET_KEY" in environment(compose["services"][name])}
    assert holders == {"gateway"}


def test_components_reach_the_broker_on_the_project_vhost(compose):
    uri = interpolate(environment(compose["services"]["gateway"])["CS_AMQP_URI"])
    match = re.fullmatch(r"amqp://([^:@/]+):([^@/]+)@rabbitmq:5672/(\w+)", uri)
    assert match, uri
    user, _, vhost = match.groups()
    assert vhost == VHOST
    assert user != "guest"


# --- only the front door is open ----------------------------------------------------


def test_only_gateway_and_management_ui_are_published_on_loopback(compose):
    published = {}
    for name, service in compose["services"].items():
        for host_ip, target in published_ports(service):
            published[(name, target)] = host_ip
    assert set(published) == ALLOWED_PUBLISHED
    assert set(published.values()) == {"127.0.0.1"}


def test_port_parsing_sees_an_exposed_port():
    # The check above is only as good as this parser.
    assert published_ports({"ports": ["5432:5432"]}) == [("", 5432)]
    assert published_ports({"ports": ["0.0.0.0:5672:5672/tcp"]}) == [("0.0.0.0", 5672)]
    assert published_ports({"ports": [{"target": 8000, "published": 80}]}) == [("", 8000)]


# --- one database per component -----------------------------------------------------

_DATABASE_URL = re.compile(
    r"postgresql\+psycopg://(?P<role>\w+):(?P<password>.+)@postgres:5432/(?P<database>\w+)"
)


@pytest.mark.parametrize("name", COMPONENTS)
def test_each_component_gets_its_own_database_and_no_other(compose, name):
    env = environment(compose["services"][name])
    urls = sorted(key for key in env if key.startswith("CS_") and key.endswith("_DATABASE_URL"))
    assert urls == [f"CS_{name.upper()}_DATABASE_URL"]
    assert "CS_PG_URL" not in env
    match = _DATABASE_URL.fullmatch(env[urls[0]])
    assert match, env[urls[0]]
    assert match["role"] == f"cs_{name}"
    assert match["database"] == f"cs_{name}"
    # The password in the URL is the one the init script gives the role.
    postgres_env = environment(compose["services"]["postgres"])
    assert match["password"] == postgres_env[f"CS_{name.upper()}_DB_PASSWORD"]


def test_database_passwords_differ_per_component(compose):
    postgres_env = environment(compose["services"]["postgres"])
    passwords = [interpolate(postgres_env[f"CS_{name.upper()}_DB_PASSWORD"]) for name in COMPONENTS]
    assert len(set(passwords)) == len(COMPONENTS)
    assert interpolate(postgres_env["POSTGRES_PASSWORD"]) not in passwords


# --- RabbitMQ -------------------------------------------------------------------------


def test_rabbitmq_mounts_its_configuration_definitions_and_plugins(compose):
    rabbitmq = compose["services"]["rabbitmq"]
    volumes = mounts(rabbitmq)
    # The generated topology; the entrypoint turns it into load_definitions' file.
    assert volumes["/etc/rabbitmq/topology.json"] == "./deploy/rabbitmq/definitions.json"
    entrypoint = [t for t, source in volumes.items() if source == "./deploy/rabbitmq/entrypoint.sh"]
    assert rabbitmq["entrypoint"] == ["sh", *entrypoint]
    assert rabbitmq["command"] == ["docker-entrypoint.sh", "rabbitmq-server"]
    assert volumes["/etc/rabbitmq/enabled_plugins"] == "./deploy/rabbitmq/enabled_plugins"
    conf_targets = [
        target for target, source in volumes.items() if source == "./deploy/rabbitmq/rabbitmq.conf"
    ]
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


def test_broker_user_is_the_one_in_the_components_amqp_uri(compose):
    broker_env = environment(compose["services"]["rabbitmq"])
    uri = environment(compose["services"]["gateway"])["CS_AMQP_URI"]
    expected = f"amqp://{broker_env['CS_AMQP_USER']}:{broker_env['CS_AMQP_PASSWORD']}@rabbitmq:5672/{VHOST}"
    assert uri == expected
    assert interpolate(broker_env["CS_BROKER_ADMIN_USER"]) != interpolate(broker_env["CS_AMQP_USER"])


def _run_broker_entrypoint(tmp_path, compose, **overrides) -> subprocess.CompletedProcess:
    source = DEPLOY / "rabbitmq" / "definitions.json"
    broker_env = {
        key: interpolate(value) for key, value in environment(compose["services"]["rabbitmq"]).items()
    }
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        **broker_env,
        "CS_DEFINITIONS_SOURCE": str(source),
        "CS_DEFINITIONS_TARGET": str(tmp_path / "definitions.json"),
        **overrides,
    }
    return subprocess.run(
        ["sh", str(DEPLOY / "rabbitmq" / "entrypoint.sh"), "echo", "rabbitmq-server started"],
        env=env, capture_output=True, text=True, timeout=30,
    )


def test_broker_definitions_hold_the_users_a_quorum_vhost_and_a_dead_letter_policy(
    tmp_path, compose
):
    done = _run_broker_entrypoint(tmp_path, compose)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "rabbitmq-server started"  # hands over to the image's command
    definitions = json.loads((tmp_path / "definitions.json").read_text(encoding="utf-8"))

    vhosts = {vhost["name"]: vhost for vhost in definitions["vhosts"]}
    assert vhosts[VHOST]["default_queue_type"] == "quorum"
    assert any(
        policy["vhost"] == VHOST
        and {"delivery-limit", "dead-letter-exchange"} <= set(policy["definition"])
        for policy in definitions["policies"]
    )
    uri = interpolate(environment(compose["services"]["gateway"])["CS_AMQP_URI"])
    user, password = re.match(r"amqp://([^:]+):([^@]+)@", uri).groups()
    users = {u["name"]: u for u in definitions["users"]}
    assert users[user]["password"] == password
    assert users[user]["tags"] == ""  # the components cannot use the management UI
    assert "administrator" in {u["tags"] for u in users.values()}
    assert {(p["user"], p["vhost"]) for p in definitions["permissions"]} >= {(user, VHOST)}
    assert "guest" not in users


def test_broker_entrypoint_refuses_a_missing_or_unsafe_password(tmp_path, compose):
    assert _run_broker_entrypoint(tmp_path, compose, CS_AMQP_PASSWORD="").returncode != 0
    assert _run_broker_entrypoint(tmp_path, compose, CS_AMQP_PASSWORD='a"b').returncode != 0


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
    scripts = [
        target
        for target, source in volumes.items()
        if source == "./deploy/postgres/init.sql"
    ]
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
    assert re.search(
        rf"REVOKE (ALL|CONNECT)\b[^;]* ON DATABASE cs_{name} FROM PUBLIC", sql, re.IGNORECASE
    )


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


def test_dockerfile_runs_as_a_non_root_user():
    users = [argument for instruction, argument in _dockerfile_instructions() if instruction == "USER"]
    assert users, "the image runs as root"
    user = users[-1].split(":")[0].strip()
    assert user not in ("root", "0")
    # Nothing after the last USER switches back.
    instructions = [instruction for instruction, _ in _dockerfile_instructions()]
    assert "USER" not in instructions[len(instructions) - instructions[::-1].index("USER"):]


def test_dockerfile_installs_dependencies_before_copying_the_code():
    instructions = _dockerfile_instructions()
    assert instructions[0] == ("FROM", "python:3.11-slim")
    copies = [i for i, (instruction, _) in enumerate(instructions) if instruction == "COPY"]
    installs = [
        i for i, (instruction, argument) in enumerate(instructions)
        if instruction == "RUN" and "pip install" in argument
    ]
    assert instructions[copies[0]][1].split()[0] == "pyproject.toml"
    assert installs and copies[0] < installs[0] < copies[1]
    assert not any("[test]" in argument or "pytest" in argument for _, argument in instructions)


def test_dockerfile_sets_the_runtime_environment():
    env = " ".join(argument for instruction, argument in _dockerfile_instructions() if instruction == "ENV")
    assert "PYTHONUNBUFFERED=1" in env
    assert "PSYCOPG_WAIT_FUNC=wait_select" in env


def test_dockerignore_keeps_secrets_and_local_state_out_of_the_build_context():
    ignored = set((ROOT / ".dockerignore").read_text(encoding="utf-8").split())
    assert {".git", ".venv", ".env", "tests"} <= ignored
