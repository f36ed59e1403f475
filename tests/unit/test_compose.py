"""docker-compose.yml: valid, every container checked and started in order, only the doors
for people open (the web client, the API), one database per component.

There is no Docker engine where these tests run, so they check what can be checked
without one: the Compose file against the Compose Specification schema, and the things
a person running ``docker compose up`` would notice if they were wrong. The containers'
own files (RabbitMQ, PostgreSQL, the image) are ``test_deploy_containers.py``'s.
"""

import copy
import importlib.resources
import json
import re
from urllib.parse import urlsplit

import jsonschema
import pytest

from chassis import broker
from tests.support.compose import (
    COMPONENTS,
    COMPOSE_FILE,
    ROOT,
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
from web.settings import DEVELOPMENT_SECRET, WebSettings

INFRASTRUCTURE = {"rabbitmq", "postgres", "redis"}
WEB = "web"  # the residents' web client: a client of the gateway, with no database or broker user
APPLICATIONS = [*COMPONENTS, WEB]  # every container run from the project's image
ALLOWED_PUBLISHED = {("web", 8080), ("gateway", 8000), ("rabbitmq", 15672)}


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
    for name in APPLICATIONS:
        assert environment(compose["services"][name])["CS_ENV"] == "development", name


# --- every container is checked and started in order --------------------------------


def test_every_component_has_a_compose_service(compose):
    missing = [name for name in APPLICATIONS if name not in compose["services"]]
    assert missing == []
    assert INFRASTRUCTURE <= set(compose["services"])
    assert set(compose["services"]) == {*APPLICATIONS, *INFRASTRUCTURE}


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


def _port(bind: str) -> int:
    return int(bind.rpartition(":")[2])


def test_web_client_runs_granian_from_the_image_and_is_probed_on_healthz(compose):
    web = compose["services"][WEB]
    assert web["command"] == ["python", "-m", "web.serve"]  # no migrations: it has no database
    bind = environment(web)["CS_WEB_BIND"]
    assert bind.startswith("0.0.0.0:")
    assert f"http://127.0.0.1:{_port(bind)}/healthz" in " ".join(web["healthcheck"]["test"])
    assert published_ports(web) == [("127.0.0.1", _port(bind))]


def test_web_client_calls_the_gateway_once_it_is_healthy_and_keeps_sessions_in_redis(compose):
    web = compose["services"][WEB]
    env = environment(web)
    gateway = urlsplit(env["CS_WEB_GATEWAY_URL"])
    assert (gateway.scheme, gateway.hostname) == ("http", "gateway")
    assert gateway.port == _port(environment(compose["services"]["gateway"])["CS_GATEWAY_BIND"])
    assert depends_on(web) == {"gateway": "service_healthy", "redis": "service_healthy"}
    sessions = urlsplit(env["CS_WEB_SESSION_URL"])
    assert (sessions.scheme, sessions.hostname, sessions.port) == ("redis", "redis", 6379)
    # A database of its own: the gateway's rate limits and cached searches are elsewhere.
    gateway_env = environment(compose["services"]["gateway"])
    taken = {urlsplit(gateway_env[name]).path for name in ("CS_RATE_LIMIT_STORAGE", "CS_SEARCH_CACHE_URL")}
    assert sessions.path not in taken


def test_web_client_holds_no_database_broker_user_or_token_signing_key(compose):
    env = environment(compose["services"][WEB])
    assert not {name for name in env if name.endswith("_DATABASE_URL") or name in ("CS_AMQP_URI", "CS_PG_URL")}
    assert "CS_SECRET_KEY" not in env
    # Its own key (CSRF), development-only by default, and not the gateway's.
    key = interpolate(env["CS_WEB_SECRET_KEY"])
    assert "development-only" in key and key != DEVELOPMENT_SECRET
    assert key != interpolate(environment(compose["services"]["gateway"])["CS_SECRET_KEY"])


def test_web_client_settings_are_ones_the_web_client_reads(compose, monkeypatch):
    """A misspelt CS_WEB_ name would be ignored without a word."""
    env = {name: interpolate(value) for name, value in environment(compose["services"][WEB]).items()}
    read = {f"CS_WEB_{field.upper()}" for field in WebSettings.model_fields}
    read |= set(re.findall(r'"(CS_WEB_\w+)"', (ROOT / "web" / "serve.py").read_text(encoding="utf-8")))
    assert {name for name in env if name.startswith("CS_WEB_")} - read == set()
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    settings = WebSettings()
    assert (settings.gateway_url, settings.session_url) == (env["CS_WEB_GATEWAY_URL"], env["CS_WEB_SESSION_URL"])
    assert settings.secret_key == env["CS_WEB_SECRET_KEY"] and len(settings.secret_key) >= 32


def test_every_container_restarts(compose):
    for name, service in compose["services"].items():
        assert service.get("restart") in ("always", "unless-stopped", "on-failure"), name


def test_components_share_one_image_and_one_environment(compose):
    images = {compose["services"][name]["image"] for name in APPLICATIONS}
    assert len(images) == 1
    values = {environment(compose["services"][name]).get("CS_ENV") for name in APPLICATIONS}
    assert len(values) == 1 and None not in values


def test_only_the_gateway_holds_the_signing_key(compose):
    holders = {name for name, service in compose["services"].items() if "CS_SECRET_KEY" in environment(service)}
    assert holders == {"gateway"}


@pytest.mark.parametrize("name", COMPONENTS)
def test_each_component_reaches_the_broker_on_the_project_vhost_as_its_own_user(compose, name):
    uri = interpolate(environment(compose["services"][name])["CS_AMQP_URI"])
    match = re.fullmatch(r"amqp://([^:@/]+):([^@/]+)@rabbitmq:5672/(\w+)", uri)
    assert match, uri
    user, _, vhost = match.groups()
    assert (user, vhost) == (broker.user_of(name), VHOST)


# --- only the front door is open ----------------------------------------------------


def test_only_web_client_gateway_and_management_ui_are_published_on_loopback(compose):
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
