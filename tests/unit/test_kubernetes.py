"""The Kubernetes manifests in deploy/kubernetes.

No cluster runs where these tests do, so they check every object against the
Kubernetes API's own schemas (strict: an unknown field is an error), then what an
operator applying them would notice if it were wrong.
"""

import copy
import os
import re
from pathlib import Path
from urllib.parse import urlsplit

import kubernetes_validate
import pytest
import yaml

from chassis.settings import CommonSettings
from gateway.app import create_app as create_gateway
from gateway.settings import GatewaySettings
from web.app import create_app as create_web
from web.settings import WebSettings

ROOT = Path(__file__).resolve().parents[2]
MANIFESTS = ROOT / "deploy" / "kubernetes"
KUBERNETES_VERSION = "1.33.0"
SERVICES = ["spaces", "reservations", "programs", "notifications"]
COMPONENTS = [*SERVICES, "gateway"]
WEB = "web"  # the residents' web client: a client of the gateway, with no database or broker user
APPLICATIONS = [*COMPONENTS, WEB]  # every Deployment of the project's image


def load(path: Path) -> list[dict]:
    return [doc for doc in yaml.safe_load_all(path.read_text(encoding="utf-8")) if doc is not None]


@pytest.fixture(scope="module")
def kustomization() -> dict:
    return load(MANIFESTS / "kustomization.yaml")[0]


@pytest.fixture(scope="module")
def objects(kustomization) -> list[dict]:
    return [doc for name in kustomization["resources"] for doc in load(MANIFESTS / name)]


def find(objects, kind: str, name: str) -> dict:
    [found] = [o for o in objects if o["kind"] == kind and o["metadata"]["name"] == name]
    return found


def pod(objects, name: str) -> dict:
    return find(objects, "Deployment", name)["spec"]["template"]["spec"]


def all_containers(spec: dict) -> list[dict]:
    return [*spec.get("initContainers", []), *spec["containers"]]


def env_names(container: dict) -> set[str]:
    return {variable["name"] for variable in container.get("env", [])}


def test_the_kustomization_applies_every_manifest_in_the_folder(kustomization):
    on_disk = {path.name for path in MANIFESTS.glob("*.yaml")} - {"kustomization.yaml"}
    assert set(kustomization["resources"]) == on_disk


def test_every_object_is_valid_for_the_kubernetes_api(objects):
    assert len(objects) >= 15
    for obj in objects:
        kubernetes_validate.validate(obj, KUBERNETES_VERSION, strict=True)


def test_the_validation_refuses_a_misspelt_field(objects):
    """So that the test above can fail: strict schemas know every field."""
    deployment = copy.deepcopy(find(objects, "Deployment", "gateway"))
    deployment["spec"]["replica"] = deployment["spec"].pop("replicas")
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(deployment, KUBERNETES_VERSION, strict=True)


@pytest.mark.parametrize("name", SERVICES)
def test_each_service_migrates_its_database_then_runs_nameko_in_replicas(objects, name):
    deployment = find(objects, "Deployment", name)
    assert deployment["spec"]["replicas"] >= 2
    spec = deployment["spec"]["template"]["spec"]
    [migrate] = spec["initContainers"]
    assert migrate["command"] == ["python", "-m", "chassis.migrations", name]
    [service] = spec["containers"]
    assert service["command"] == [
        "nameko",
        "run",
        "--config",
        f"services/{name}/config.yaml",
        f"services.{name}.service",
    ]
    assert (ROOT / "services" / name / "config.yaml").exists()
    assert service["startupProbe"]["exec"]["command"] == ["python", "-m", "chassis.probe", name]
    assert service["livenessProbe"]["exec"]["command"] == ["python", "-m", "chassis.probe", "--liveness", name]
    assert (
        find(objects, "PodDisruptionBudget", name)["spec"]["selector"]["matchLabels"]
        == deployment["spec"]["selector"]["matchLabels"]
    )


@pytest.mark.parametrize("name", COMPONENTS)
def test_each_component_is_given_its_own_database_and_broker_user_only(objects, name):
    for container in all_containers(pod(objects, name)):
        databases = {n for n in env_names(container) if n.endswith("_DATABASE_URL")}
        assert databases == {f"CS_{name.upper()}_DATABASE_URL"}
        keys = {v["valueFrom"]["secretKeyRef"]["key"] for v in container["env"] if "valueFrom" in v}
        assert f"{name}-amqp-uri" in keys and f"{name}-database-url" in keys
        assert not {
            key for key in keys if key.endswith(("-amqp-uri", "-database-url")) and not key.startswith(f"{name}-")
        }


def test_every_secret_key_the_manifests_use_is_documented(objects):
    readme = (ROOT / "deploy" / "README.md").read_text(encoding="utf-8")
    keys = {
        variable["valueFrom"]["secretKeyRef"]["key"]
        for name in APPLICATIONS
        for container in all_containers(pod(objects, name))
        for variable in container.get("env", [])
        if "valueFrom" in variable
    }
    assert keys
    assert {key for key in keys if f"`{key}`" not in readme} == set()


def test_the_gateway_listens_where_its_probes_service_and_policy_look(objects):
    config = find(objects, "ConfigMap", "community-space")["data"]
    port = int(config["CS_GATEWAY_BIND"].rpartition(":")[2])
    spec = pod(objects, "gateway")
    [gateway] = spec["containers"]
    assert gateway["command"] == ["python", "-m", "gateway.serve"]
    assert gateway["ports"] == [{"name": "http", "containerPort": port}]
    for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
        assert gateway[probe]["httpGet"] == {"path": "/healthz", "port": "http"}
    assert find(objects, "Service", "gateway")["spec"]["ports"][0]["targetPort"] == "http"
    [rule] = find(objects, "NetworkPolicy", "gateway-http")["spec"]["ingress"]
    assert rule["ports"] == [{"port": port}]


def test_the_web_client_listens_where_its_probes_service_and_policy_look(objects):
    config = find(objects, "ConfigMap", "community-space")["data"]
    port = int(config["CS_WEB_BIND"].rpartition(":")[2])
    deployment = find(objects, "Deployment", WEB)
    assert deployment["spec"]["replicas"] >= 2
    assert deployment["spec"]["strategy"]["rollingUpdate"]["maxUnavailable"] == 0
    spec = deployment["spec"]["template"]["spec"]
    assert "initContainers" not in spec  # no database to migrate
    [web] = spec["containers"]
    assert web["command"] == ["python", "-m", "web.serve"]
    assert web["ports"] == [{"name": "http", "containerPort": port}]
    for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
        assert web[probe]["httpGet"] == {"path": "/healthz", "port": "http"}
    service = find(objects, "Service", WEB)["spec"]
    assert service["selector"] == deployment["spec"]["selector"]["matchLabels"]
    assert service["ports"][0]["targetPort"] == "http"
    budget = find(objects, "PodDisruptionBudget", WEB)["spec"]
    assert budget["selector"]["matchLabels"] == deployment["spec"]["selector"]["matchLabels"]
    assert budget["minAvailable"] < deployment["spec"]["replicas"]
    [rule] = find(objects, "NetworkPolicy", "web-http")["spec"]["ingress"]
    assert rule["ports"] == [{"port": port}]


def test_the_web_client_holds_no_database_broker_user_or_token_signing_key(objects):
    [web] = pod(objects, WEB)["containers"]
    assert env_names(web) == {"CS_WEB_SECRET_KEY"}
    [key] = [v["valueFrom"]["secretKeyRef"] for v in web["env"]]
    assert key == {"name": "community-space-secrets", "key": "web-secret-key"}
    assert web["envFrom"] == [{"configMapRef": {"name": "community-space"}}]  # its settings, CS_WEB_*


def test_the_web_client_calls_the_gateways_service_and_keeps_sessions_in_the_redis(objects):
    config = find(objects, "ConfigMap", "community-space")["data"]
    gateway = urlsplit(config["CS_WEB_GATEWAY_URL"])
    service = find(objects, "Service", gateway.hostname)
    assert service["spec"]["selector"] == {"app.kubernetes.io/name": "gateway"}
    assert gateway.scheme == "http" and (gateway.port or 80) == service["spec"]["ports"][0]["port"]
    sessions = urlsplit(config["CS_WEB_SESSION_URL"])
    redis = find(objects, "Service", sessions.hostname)
    assert redis["spec"]["selector"] == {"app.kubernetes.io/name": "redis"}
    assert sessions.port == redis["spec"]["ports"][0]["port"]
    # A database of its own: the gateway's rate limits and cached searches are elsewhere.
    assert sessions.path not in {
        urlsplit(config[name]).path for name in ("CS_RATE_LIMIT_STORAGE", "CS_SEARCH_CACHE_URL")
    }


def ingress_policies(objects) -> dict[str, dict]:
    """The pods each Ingress policy opens, by their name label: ``{name: spec}``."""
    return {
        p["spec"]["podSelector"]["matchLabels"]["app.kubernetes.io/name"]: p["spec"]
        for p in objects
        if p["kind"] == "NetworkPolicy" and p["spec"]["podSelector"] and "Ingress" in p["spec"]["policyTypes"]
    }


def test_nothing_takes_connections_but_the_gateway_the_web_client_and_their_redis(objects):
    deny = find(objects, "NetworkPolicy", "default-deny-ingress")["spec"]
    assert deny == {"podSelector": {}, "policyTypes": ["Ingress"]}
    opened = ingress_policies(objects)
    assert set(opened) == {"gateway", "redis", WEB}
    assert {o["metadata"]["name"] for o in objects if o["kind"] == "Service"} == {"gateway", "redis", WEB}
    [redis] = opened["redis"]["ingress"]
    clients = {peer["podSelector"]["matchLabels"]["app.kubernetes.io/name"] for peer in redis["from"]}
    assert clients == {"gateway", WEB}
    assert all(set(peer) == {"podSelector"} for peer in redis["from"])  # from this namespace only
    # The web client's pods are among those the gateway takes connections from.
    [gateway] = opened["gateway"]["ingress"]
    assert {"namespaceSelector": {}} in gateway["from"]


def test_the_web_client_connects_to_the_gateway_redis_and_dns_alone(objects):
    [policy] = [
        p["spec"]
        for p in objects
        if p["kind"] == "NetworkPolicy" and "Egress" in p["spec"]["policyTypes"] and p["spec"]["podSelector"]
    ]
    assert policy["podSelector"] == find(objects, "Deployment", WEB)["spec"]["selector"]
    assert policy["policyTypes"] == ["Egress"]
    allowed = {}
    for rule in policy["egress"]:
        names = [peer["podSelector"]["matchLabels"]["app.kubernetes.io/name"] for peer in rule.get("to", [])]
        ports = {(port["port"], port.get("protocol", "TCP")) for port in rule["ports"]}
        allowed[tuple(names) or "anywhere"] = ports
    gateway_port = pod(objects, "gateway")["containers"][0]["ports"][0]["containerPort"]
    redis_port = pod(objects, "redis")["containers"][0]["ports"][0]["containerPort"]
    assert allowed == {
        ("gateway",): {(gateway_port, "TCP")},  # the pod's port: policies see traffic after the Service
        ("redis",): {(redis_port, "TCP")},
        "anywhere": {(53, "UDP"), (53, "TCP")},
    }


def route(ingress: dict, path: str) -> str:
    """The Service an Ingress sends ``path`` to: an Exact path first, then the longest Prefix
    that matches whole segments (``/api`` matches ``/api/v1`` but not ``/apiary``)."""
    [rule] = ingress["spec"]["rules"]
    paths = rule["http"]["paths"]
    for entry in paths:
        if entry["pathType"] == "Exact" and entry["path"] == path:
            return entry["backend"]["service"]["name"]
    prefixes = [
        entry
        for entry in paths
        if entry["pathType"] == "Prefix"
        and (entry["path"] == "/" or path == entry["path"] or path.startswith(entry["path"].rstrip("/") + "/"))
    ]
    return max(prefixes, key=lambda entry: len(entry["path"]))["backend"]["service"]["name"]


@pytest.fixture(scope="module")
def routes() -> dict[str, set[str]]:
    """Every path each application serves (a parameter as ``x``), from its own URL map."""
    gateway = create_gateway(GatewaySettings(), rpc=object())
    web = create_web(WebSettings())
    try:
        return {
            name: {
                re.sub(r"<[^>]+>", "x", rule.rule)
                for rule in app.url_map.iter_rules()
                if rule.endpoint != "static" or name == WEB  # Flask's own, unused by the gateway
            }
            for name, app in (("gateway", gateway), (WEB, web))
        }
    finally:
        gateway.extensions["db_engine"].dispose()
        gateway.extensions["readiness_pool"].shutdown()


def test_the_ingress_sends_the_api_to_the_gateway_and_every_page_to_the_web_client(objects, routes):
    [ingress] = [o for o in objects if o["kind"] == "Ingress"]
    assert ingress["spec"]["tls"][0]["hosts"] == [ingress["spec"]["rules"][0]["host"]]
    for entry in ingress["spec"]["rules"][0]["http"]["paths"]:
        backend = entry["backend"]["service"]
        assert backend["port"] == {"name": "http"}
        assert backend["port"]["name"] in {
            port["name"] for port in find(objects, "Service", backend["name"])["spec"]["ports"]
        }
    assert route(ingress, "/") == WEB
    assert routes["gateway"] and routes[WEB]
    for path in routes["gateway"]:
        assert route(ingress, path) == "gateway", path
    for path in routes[WEB] - routes["gateway"]:  # /healthz is both's: the public one stays the gateway's
        assert route(ingress, path) == WEB, path
    assert route(ingress, "/apiary") == WEB  # a prefix is whole path segments


@pytest.mark.parametrize("name", [*APPLICATIONS, "redis"])
def test_every_pod_runs_unprivileged_with_bounded_memory(objects, name):
    spec = pod(objects, name)
    assert spec["securityContext"]["runAsNonRoot"] is True
    assert spec["automountServiceAccountToken"] is False
    for container in all_containers(spec):
        security = container["securityContext"]
        assert security["allowPrivilegeEscalation"] is False
        assert security["readOnlyRootFilesystem"] is True
        assert security["capabilities"]["drop"] == ["ALL"]
        assert container["resources"]["requests"]["memory"] and container["resources"]["limits"]["memory"]


@pytest.mark.parametrize("name", APPLICATIONS)
def test_pods_get_longer_to_stop_than_the_services_take(objects, name):
    config = find(objects, "ConfigMap", "community-space")["data"]
    assert pod(objects, name)["terminationGracePeriodSeconds"] > int(config["CS_STOP_SECONDS"])


def test_every_shared_setting_is_one_the_code_reads(objects):
    """A misspelt name in the ConfigMap would be ignored without a word."""
    config = find(objects, "ConfigMap", "community-space")["data"]
    read = {f"CS_{field.upper()}" for field in GatewaySettings.model_fields}
    read |= {
        match
        for path in (ROOT / "services").glob("*/config.yaml")
        for match in re.findall(r"\$\{(CS_\w+):", path.read_text(encoding="utf-8"))
    }
    read |= set(re.findall(r'"(CS_GATEWAY_\w+)"', (ROOT / "gateway" / "serve.py").read_text(encoding="utf-8")))
    read |= {f"CS_WEB_{field.upper()}" for field in WebSettings.model_fields}
    read |= set(re.findall(r'"(CS_WEB_\w+)"', (ROOT / "web" / "serve.py").read_text(encoding="utf-8")))
    assert set(config) - read == set()


def test_every_container_runs_the_one_image_set_by_the_kustomization(objects, kustomization):
    images = {container["image"] for name in APPLICATIONS for container in all_containers(pod(objects, name))}
    assert images == {"community-space"}
    assert [image["name"] for image in kustomization["images"]] == ["community-space"]


PLACEHOLDERS = {  # what a secret store would hold, in the shape each key's consumer expects
    "secret-key": "k" * 48,
    "web-secret-key": "w" * 48,
    "metrics-token": "m" * 48,
    "admin-email": "admin@example.org",
    "admin-password": "an-administrator-password",
}


def secret_value(key: str) -> str:
    if key.endswith("-amqp-uri"):
        return f"amqp://{key.removesuffix('-amqp-uri')}:password@rabbitmq:5672/community_space"
    if key.endswith("-database-url"):
        component = key.removesuffix("-database-url")
        return f"postgresql+psycopg://cs_{component}:password@postgres-rw:5432/cs_{component}"
    return PLACEHOLDERS[key]


@pytest.mark.parametrize("name", COMPONENTS)
def test_each_component_starts_in_production_with_what_its_pod_is_given(objects, name, monkeypatch):
    """The environment of its container, the Secret filled in: the settings' production check passes."""
    for variable in list(os.environ):
        if variable.startswith(("CS_", "ADMIN_")):
            monkeypatch.delenv(variable)
    [container] = pod(objects, name)["containers"]
    for variable, value in find(objects, "ConfigMap", "community-space")["data"].items():
        monkeypatch.setenv(variable, value)
    for variable in container["env"]:
        monkeypatch.setenv(variable["name"], secret_value(variable["valueFrom"]["secretKeyRef"]["key"]))
    settings = GatewaySettings() if name == "gateway" else CommonSettings()
    assert settings.env == "production"
    settings.check_safe()
    assert settings.database_url(name) == secret_value(f"{name}-database-url")


def test_the_web_client_starts_in_production_with_what_its_pod_is_given(objects, monkeypatch):
    """Its container's environment, the Secret filled in: production, so Secure cookies and
    HSTS, the ingress's headers trusted, and the settings' production check passes."""
    for variable in list(os.environ):
        if variable.startswith("CS_"):
            monkeypatch.delenv(variable)
    [container] = pod(objects, WEB)["containers"]
    for variable, value in find(objects, "ConfigMap", "community-space")["data"].items():
        monkeypatch.setenv(variable, value)
    for variable in container["env"]:
        monkeypatch.setenv(variable["name"], secret_value(variable["valueFrom"]["secretKeyRef"]["key"]))
    settings = WebSettings()
    assert settings.production and settings.trusted_proxies == 1
    settings.check_safe()
    assert settings.secret_key == secret_value("web-secret-key") != secret_value("secret-key")
