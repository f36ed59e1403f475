"""The overlay deploy/kubernetes-clustered: the platform with a RabbitmqCluster and a CloudNativePG Cluster.

The overlay is rendered as kustomize would (the base, the overlay's resources, its
generated ConfigMap, its strategic merge patch, namespace and labels). Core objects are
checked against the Kubernetes API's schemas, strictly, as the base's are. The
CloudNativePG objects are checked against the operator's API from the npm package
@kubernetes-models/cloudnative-pg (tests/support/crds, installed by ``make test``):
its JSON Schema and, for unknown fields, its TypeScript types. No npm or PyPI package
ships the RabbitMQ Cluster Operator's CRD schema, so the RabbitmqCluster is checked
against a strict schema written from the operator's API reference, its pod template
against Kubernetes' PodSpec. Then what an operator applying the overlay would notice.
"""

import copy
import json
import os
import re
import subprocess
from pathlib import Path

import jsonschema
import kubernetes_validate
import pytest

from chassis import broker
from chassis.settings import COMPONENTS, CommonSettings
from gateway.settings import GatewaySettings
from tests.unit.test_kubernetes import KUBERNETES_VERSION, ROOT, find, load, secret_value

OVERLAY = ROOT / "deploy" / "kubernetes-clustered"
CRDS = ROOT / "tests" / "support" / "crds"
OPERATED = ("rabbitmq.com/", "postgresql.cnpg.io/")


def merge(base, patch):
    """A strategic merge as the overlay's patch uses it: maps merge, ``null`` removes a field,
    lists of named items (containers, env) merge by name, other lists are replaced."""
    if isinstance(base, dict) and isinstance(patch, dict):
        merged = {key: value for key, value in base.items() if patch.get(key, ...) is not None}
        for key, value in patch.items():
            if value is not None:
                merged[key] = merge(base[key], value) if key in base else value
        return merged
    if (
        isinstance(base, list)
        and isinstance(patch, list)
        and all(isinstance(i, dict) and "name" in i for i in [*base, *patch])
    ):
        patches = {item["name"]: item for item in patch}
        merged = [merge(item, patches.pop(item["name"])) if item["name"] in patches else item for item in base]
        return merged + list(patches.values())
    return patch


def build(folder: Path) -> list[dict]:
    """What ``kubectl kustomize folder`` gives, for what these kustomizations use (the base's
    image tag aside): resources, ConfigMaps from files, strategic merge patches, labels, namespace."""
    kustomization = load(folder / "kustomization.yaml")[0]
    objects = []
    for entry in kustomization.get("resources", []):
        path = folder / entry
        objects += build(path) if path.is_dir() else load(path)
    for generator in kustomization.get("configMapGenerator", []):
        files = {Path(name).name: (folder / name).read_text(encoding="utf-8") for name in generator["files"]}
        objects.append(
            {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": generator["name"]}, "data": files}
        )
    for patch in kustomization.get("patches", []):
        for change in load(folder / patch["path"]):
            target = find(objects, change["kind"], change["metadata"]["name"])
            objects[objects.index(target)] = merge(target, change)
    for obj in objects:
        for labels in kustomization.get("labels", []):
            obj["metadata"]["labels"] = {**obj["metadata"].get("labels", {}), **labels["pairs"]}
        if "namespace" in kustomization and obj["kind"] != "Namespace":
            obj["metadata"]["namespace"] = kustomization["namespace"]
    return objects


@pytest.fixture(scope="module")
def objects() -> list[dict]:
    return build(OVERLAY)


@pytest.fixture(scope="module")
def rabbitmq(objects) -> dict:
    [cluster] = [o for o in objects if o["kind"] == "RabbitmqCluster"]
    return cluster


@pytest.fixture(scope="module")
def postgres(objects) -> dict:
    [cluster] = [o for o in objects if o["kind"] == "Cluster"]
    return cluster


def broker_pod(rabbitmq) -> dict:
    return rabbitmq["spec"]["override"]["statefulSet"]["spec"]["template"]["spec"]


def check_cloudnativepg(objects: list[dict]) -> list[list[str]]:
    """Each object's problems, as tests/support/crds/check.mjs finds them (one node process)."""
    done = subprocess.run(
        ["node", str(CRDS / "check.mjs")], input=json.dumps(objects), capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, f"{done.stderr}\nInstall the checker: npm ci --prefix tests/support/crds"
    return json.loads(done.stdout)


def misspelt(obj: dict, path: list, wrong: str) -> dict:
    """A copy of ``obj`` with the field at ``path`` renamed to ``wrong``."""
    copied = copy.deepcopy(obj)
    parent = copied
    for step in path[:-1]:
        parent = parent[step]
    parent[wrong] = parent.pop(path[-1])
    return copied


def test_the_overlay_is_the_base_and_the_two_clustered_engines(objects):
    base = [(o["kind"], o["metadata"]["name"]) for o in build(ROOT / "deploy" / "kubernetes")]
    added = [(o["kind"], o["metadata"]["name"]) for o in objects if (o["kind"], o["metadata"]["name"]) not in base]
    assert len(objects) == len(base) + len(added)
    assert sorted(added) == sorted(
        [
            ("RabbitmqCluster", "rabbitmq"),
            ("ConfigMap", "rabbitmq-definitions"),
            ("Cluster", "postgres"),
            *(("Database", f"cs-{name}") for name in COMPONENTS),
            ("NetworkPolicy", "rabbitmq"),
            ("NetworkPolicy", "postgres"),
        ]
    )
    assert {o["metadata"]["namespace"] for o in objects if o["kind"] != "Namespace"} == {"community-space"}


def test_every_core_object_is_valid_for_the_kubernetes_api(objects):
    for obj in objects:
        if not obj["apiVersion"].startswith(OPERATED):
            kubernetes_validate.validate(obj, KUBERNETES_VERSION, strict=True)


def test_the_cloudnativepg_objects_are_valid_for_the_operators_api_and_a_misspelt_field_is_not(objects, postgres):
    operated = [o for o in objects if o["apiVersion"].startswith("postgresql.cnpg.io/")]
    database = find(objects, "Database", "cs-spaces")
    wrong = [
        misspelt(postgres, ["spec", "instances"], "instance"),
        misspelt(postgres, ["spec", "managed", "roles", 0, "connectionLimit"], "connectionlimit"),
        misspelt(database, ["spec", "extensions", 0, "ensure"], "ensured"),
    ]
    problems = check_cloudnativepg(operated + wrong)
    assert problems[: len(operated)] == [[]] * len(operated)
    assert all(problems[len(operated) :])  # each misspelling is refused


def test_the_rabbitmq_cluster_is_valid_for_the_operators_api_and_a_misspelt_field_is_not(rabbitmq):
    schema = json.loads((CRDS / "rabbitmqcluster.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(rabbitmq, schema)
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "rabbitmq-server-0"}}
    pod["spec"] = copy.deepcopy(broker_pod(rabbitmq))
    kubernetes_validate.validate(pod, KUBERNETES_VERSION, strict=True)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(misspelt(rabbitmq, ["spec", "persistence", "storage"], "storge"), schema)
    pod["spec"]["initContainers"][0]["volumeMount"] = pod["spec"]["initContainers"][0].pop("volumeMounts")
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(pod, KUBERNETES_VERSION, strict=True)


def test_three_rabbitmq_nodes_and_three_postgresql_instances(rabbitmq, postgres):
    assert rabbitmq["spec"]["replicas"] == 3
    assert postgres["spec"]["instances"] == 3


def test_the_copies_of_the_broker_files_are_deploy_rabbitmqs(objects):
    data = find(objects, "ConfigMap", "rabbitmq-definitions")["data"]
    assert json.loads(data["definitions.json"]) == broker.definitions()
    assert json.loads(data["permissions.json"]) == broker.user_permissions()
    for name in data:
        assert data[name] == (ROOT / "deploy" / "rabbitmq" / name).read_text(encoding="utf-8"), f"copy {name} again"


PASSWORDS = {  # what the Secrets the overlay reads would hold
    **{f"cs-{name}-amqp": {"username": f"cs_{name}", "password": f"amqp-{name}-password"} for name in COMPONENTS},
    **{f"cs-{name}-db": {"username": f"cs_{name}", "password": f"db-{name}-password"} for name in COMPONENTS},
    "rabbitmq-admin": {"username": "operations", "password": "an-administrator-password"},
}


def environment(container: dict) -> dict[str, str]:
    """The container's environment as the kubelet makes it, the Secrets filled in: ``envFrom``
    first, then ``env`` in order, each value's ``$(VAR)`` expanded from those before it."""
    env = {}
    for source in container.get("envFrom", []):
        if "secretRef" in source:
            for key, value in PASSWORDS[source["secretRef"]["name"]].items():
                env[source.get("prefix", "") + key] = value
    for variable in container.get("env", []):
        if "value" in variable:
            env[variable["name"]] = re.sub(r"\$\((\w+)\)", lambda m: env.get(m[1], m[0]), variable["value"])
        else:
            ref = variable["valueFrom"]["secretKeyRef"]
            found = PASSWORDS[ref["name"]][ref["key"]] if ref["name"] in PASSWORDS else secret_value(ref["key"])
            env[variable["name"]] = found
    return env


def test_each_node_loads_the_platforms_definitions_with_a_user_per_component(rabbitmq, objects, tmp_path):
    """The init container, run as the pod would run it: its files, its environment."""
    pod = broker_pod(rabbitmq)
    [init] = [c for c in pod["initContainers"] if c["name"] == "community-space-definitions"]
    mounts = {m["name"]: Path(m["mountPath"]) for m in init["volumeMounts"]}
    volumes = {v["name"]: v for v in pod["volumes"]}
    here = {mount: tmp_path / name for name, mount in mounts.items()}  # each volume, a folder here

    def local(value: str) -> str:
        return next((str(here[m] / Path(value).relative_to(m)) for m in here if Path(value).is_relative_to(m)), value)

    for folder in here.values():
        folder.mkdir()
    config_map = volumes["community-space-source"]["configMap"]["name"]
    for name, text in find(objects, "ConfigMap", config_map)["data"].items():
        (here[mounts["community-space-source"]] / name).write_text(text, encoding="utf-8")
    env = {variable: local(value) for variable, value in environment(init).items()}
    command = [local(argument) for argument in init["command"]]
    subprocess.run(command, env={"PATH": os.environ["PATH"], **env}, check=True, timeout=30)

    [loaded] = re.findall(r"^load_definitions = (\S+)$", rabbitmq["spec"]["rabbitmq"]["additionalConfig"], re.M)
    [node] = [c for c in pod["containers"] if c["name"] == "rabbitmq"]
    [shared] = [m for m in node["volumeMounts"] if m["name"] == "community-space-definitions"]
    assert Path(loaded).parent == Path(shared["mountPath"]) == mounts["community-space-definitions"]
    assert volumes["community-space-definitions"]["emptyDir"]["medium"] == "Memory"  # it holds the passwords
    definitions = json.loads(Path(local(loaded)).read_text(encoding="utf-8"))
    assert {k: definitions[k] for k in broker.definitions()} == broker.definitions()
    users = {user["name"]: user for user in definitions["users"]}
    granted = {grant["user"]: grant for grant in definitions["permissions"]}
    for name in COMPONENTS:
        user = broker.user_of(name)
        assert users[user]["password"] == PASSWORDS[f"cs-{name}-amqp"]["password"]
        assert granted[user] == {"user": user, "vhost": "community_space", **broker.permissions(name)}
    assert users["operations"]["tags"] == "administrator"


def init_sql() -> tuple[dict[str, str], dict[str, set[str]]]:
    """deploy/postgres/init.sql's databases (with their owners) and each database's extensions."""
    text = (ROOT / "deploy" / "postgres" / "init.sql").read_text(encoding="utf-8")
    owners = dict(re.findall(r"^CREATE DATABASE (\w+) OWNER (\w+)", text, re.M))
    extensions = {}
    for section in re.split(r"^\\connect ", text, flags=re.M)[1:]:
        database, _, body = section.partition("\n")
        extensions[database.strip()] = set(re.findall(r"^CREATE EXTENSION IF NOT EXISTS (\w+)", body, re.M))
    return owners, extensions


def test_postgresql_has_the_roles_databases_and_extensions_init_sql_creates(objects, postgres):
    owners, extensions = init_sql()
    roles = {role["name"]: role for role in postgres["spec"]["managed"]["roles"]}
    assert set(roles) == set(owners.values()) == {f"cs_{name}" for name in COMPONENTS}
    for name, role in roles.items():
        assert role["login"] is True and role["connectionLimit"] == 50 and role["ensure"] == "present"
        assert not {"superuser", "createdb", "createrole", "replication"} & set(role)  # each false by default
        assert PASSWORDS[role["passwordSecret"]["name"]]["username"] == name
    databases = {d["spec"]["name"]: d["spec"] for d in objects if d["kind"] == "Database"}
    assert {name: spec["owner"] for name, spec in databases.items()} == owners
    for name, spec in databases.items():
        assert spec["cluster"] == {"name": postgres["metadata"]["name"]}
        assert {e["name"] for e in spec.get("extensions", []) if e["ensure"] == "present"} == extensions.get(
            name, set()
        )
    # A role reaches only the database of its own name, as init.sql's REVOKE … FROM PUBLIC has it.
    assert postgres["spec"]["postgresql"]["pg_hba"] == [
        "host sameuser all all scram-sha-256",
        "host all all all reject",
    ]


@pytest.mark.parametrize("name", COMPONENTS)
def test_each_component_connects_to_the_clustered_engines_as_itself(objects, rabbitmq, postgres, name, monkeypatch):
    """Its environment, the Secrets filled in: the URLs name the engines' Services, its own
    user and role with the passwords those were created with, and production settings pass."""
    deployment = find(objects, "Deployment", name)["spec"]["template"]["spec"]
    for variable in list(os.environ):
        if variable.startswith(("CS_", "ADMIN_")):
            monkeypatch.delenv(variable)
    for variable, value in find(objects, "ConfigMap", "community-space")["data"].items():
        monkeypatch.setenv(variable, value)
    for container in [*deployment["initContainers"], *deployment["containers"]]:
        env = environment(container)
        amqp = f"amqp://cs_{name}:amqp-{name}-password@{rabbitmq['metadata']['name']}:5672/community_space"
        database = f"postgresql+psycopg://cs_{name}:db-{name}-password@{postgres['metadata']['name']}-rw:5432/cs_{name}"
        assert env["CS_AMQP_URI"] == amqp
        assert env[f"CS_{name.upper()}_DATABASE_URL"] == database
        for variable, value in env.items():
            monkeypatch.setenv(variable, value)
        settings = GatewaySettings() if name == "gateway" else CommonSettings()
        settings.check_safe()
        assert settings.database_url(name) == database and settings.amqp_uri == amqp


def test_the_components_may_reach_the_engines_and_nothing_else_may(objects):
    policies = {o["metadata"]["name"]: o["spec"] for o in objects if o["kind"] == "NetworkPolicy"}
    for engine, port in (("rabbitmq", 5672), ("postgres", 5432)):
        [components, *others] = policies[engine]["ingress"]
        [expression] = components["from"][0]["podSelector"]["matchExpressions"]
        for name in COMPONENTS:
            labels = find(objects, "Deployment", name)["spec"]["template"]["metadata"]["labels"]
            assert labels[expression["key"]] in expression["values"]
        assert components["ports"] == [{"port": port}]
        assert all("namespaceSelector" in peer or "podSelector" in peer for rule in others for peer in rule["from"])
    assert "default-deny-ingress" in policies


def test_the_readme_says_how_to_apply_the_overlay_and_which_secrets_it_reads():
    readme = (ROOT / "deploy" / "README.md").read_text(encoding="utf-8")
    assert "kubectl apply -k deploy/kubernetes-clustered" in readme
    assert "RabbitMQ Cluster Operator" in readme and "CloudNativePG" in readme
    for secret in PASSWORDS:
        documented = secret if secret == "rabbitmq-admin" else re.sub(r"cs-\w+-", "cs-<component>-", secret)
        assert f"`{documented}`" in readme, documented


def selects(selector: dict, labels: dict[str, str]) -> bool:
    """A label selector as Kubernetes reads it: every matchLabels pair and every expression."""
    operators = {
        "In": lambda key, values: labels.get(key) in values,
        "NotIn": lambda key, values: labels.get(key) not in values,
        "Exists": lambda key, _: key in labels,
        "DoesNotExist": lambda key, _: key not in labels,
    }
    return all(labels.get(key) == value for key, value in selector.get("matchLabels", {}).items()) and all(
        operators[e["operator"]](e["key"], e.get("values", [])) for e in selector.get("matchExpressions", [])
    )


def test_the_web_client_is_the_bases_and_reaches_neither_engine(objects):
    """It calls the gateway only: the overlay gives it no broker user or database, and the
    engines' policies do not let it in."""
    [base] = [
        o for o in build(ROOT / "deploy" / "kubernetes") if (o["kind"], o["metadata"]["name"]) == ("Deployment", "web")
    ]
    web = find(objects, "Deployment", "web")
    assert web["spec"] == base["spec"]
    labels = web["spec"]["template"]["metadata"]["labels"]
    namespace = {"kubernetes.io/metadata.name": web["metadata"]["namespace"]}
    policies = {o["metadata"]["name"]: o["spec"] for o in objects if o["kind"] == "NetworkPolicy"}
    for engine in ("rabbitmq", "postgres"):
        for rule in policies[engine]["ingress"]:
            for peer in rule["from"]:
                admitted = selects(peer.get("podSelector", {}), labels) and selects(
                    peer.get("namespaceSelector", {}), namespace
                )
                assert not admitted, (engine, peer)
    # The selector reading above admits a component, so it can tell.
    gateway = find(objects, "Deployment", "gateway")["spec"]["template"]["metadata"]["labels"]
    assert selects(policies["rabbitmq"]["ingress"][0]["from"][0]["podSelector"], gateway)
