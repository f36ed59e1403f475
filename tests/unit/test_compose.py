"""docker-compose.yml: valid, every container checked and started in order, one door open,
one database per component.

There is no Docker engine where these tests run, so they check what can be checked
without one: the Compose file against the Compose Specification schema, and the things
a person running ``docker compose up`` would notice if they were wrong. The containers'
own files (RabbitMQ, PostgreSQL, the image) are ``test_deploy_containers.py``'s.
"""

import copy
import importlib.resources
import json
import re

import jsonschema
import pytest

from chassis import broker
from tests.support.compose import (
    COMPONENTS,
    COMPOSE_FILE,
    SERVICES,
    VARIABLE,
    VHOST,
    command,
    depends_on,
    environment,
    interpolate,
    load_compose,
    published_ports,
)

INFRASTRUCTURE = {"rabbitmq", "postgres", "redis"}
ALLOWED_PUBLISHED = {("gateway", 8000), ("rabbitmq", 15672)}


@pytest.fixture(scope="module")
def compose() -> dict:
    return load_compose()


@pytest.fixture(scope="module")
def compose_schema() -> dict:
    vendor = importlib.resources.files("check_jsonschema.builtin_schemas.vendor")
    return json.loads(vendor.joinpath("compose-spec.json").read_text(encoding="utf-8"))


# --- the Compose file is valid ------------------------------------------------------


def test_the_project_has_services_to_deploy():
    assert SERVICES == ["notifications", "programs", "reservations", "spaces"]


@pytest.mark.parametrize("dialect", ["draft7", "declared"])
def test_compose_file_follows_the_compose_specification(compose, compose_schema, dialect):
    # Draft 7 as asked; the schema declares 2020-12, whose unevaluatedProperties also
    # rejects unknown keys in a service (a misspelt "healthchek"), so check both.
    validator_class = (
        jsonschema.Draft7Validator if dialect == "draft7" else jsonschema.validators.validator_for(compose_schema)
    )
    validator_class.check_schema(compose_schema)
    errors = [f"{error.json_path}: {error.message}" for error in validator_class(compose_schema).iter_errors(compose)]
    assert errors == []


def test_schema_validation_catches_mistakes(compose, compose_schema):
    validator = jsonschema.validators.validator_for(compose_schema)(compose_schema)
    broken = copy.deepcopy(compose)
    broken["services"]["gateway"]["healthchek"] = broken["services"]["gateway"].pop("healthcheck")
    broken["services"]["postgres"]["depends_on"] = {"rabbitmq": {"condition": "healthy"}}
    assert len(list(validator.iter_errors(broken))) >= 2


def test_compose_file_starts_without_a_dot_env(compose):
    text = COMPOSE_FILE.read_text(encoding="utf-8")
    for match in VARIABLE.finditer(text):
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
    assert cmd.index("python -m chassis.migrations gateway &&") < cmd.index("python -m gateway.serve")
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
    values = {environment(compose["services"][name]).get("CS_ENV") for name in COMPONENTS}
    assert len(values) == 1 and None not in values


def test_only_the_gateway_holds_the_signing_key(compose):
    holders = {name for name in COMPONENTS if "CS_SECRET_KEY" in environment(compose["services"][name])}
    assert holders == {"gateway"}


@pytest.mark.parametrize("name", COMPONENTS)
def test_each_component_reaches_the_broker_on_the_project_vhost_as_its_own_user(compose, name):
    uri = interpolate(environment(compose["services"][name])["CS_AMQP_URI"])
    match = re.fullmatch(r"amqp://([^:@/]+):([^@/]+)@rabbitmq:5672/(\w+)", uri)
    assert match, uri
    user, _, vhost = match.groups()
    assert (user, vhost) == (broker.user_of(name), VHOST)


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

_DATABASE_URL = re.compile(r"postgresql\+psycopg://(?P<role>\w+):(?P<password>.+)@postgres:5432/(?P<database>\w+)")


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
