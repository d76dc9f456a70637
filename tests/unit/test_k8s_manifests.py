"""The Kubernetes manifests under deploy/k8s/: valid against the strict schemas of fixed
Kubernetes versions (kubernetes-validate ships them, no cluster or network needed) and
consistent with each other and with the settings the gateway knows."""

from __future__ import annotations

import copy
import importlib
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml

from bot.channels.settings import TelegramSettings, WhatsAppSettings
from bot.config import ROOT, Settings

K8S_DIR = ROOT / "deploy" / "k8s"
SECRET_EXAMPLE = K8S_DIR / "secret.example.yaml"
# the oldest version still common at providers and the newest the package ships
KUBERNETES_VERSIONS = ("1.31", "1.37")
GATEWAY_CONFIG = "werkbot-config"
RASA_ENDPOINTS = "werkbot-rasa-endpoints"
# read by the gateway or Rasa besides the fields of Settings (REDIS_URL: the gateway
# instances share pushes, presence and limits; it is a Settings field once it exists)
EXTRA_SETTINGS = {
    "REDIS_URL",
    "LOCK_STORE_URL",
    "TRACKER_STORE_URL",
    "RASA_TELEMETRY_ENABLED",
    "HANDOFF_RETENTION_DAYS",
}
# set in a container, read by a library rather than by Settings
LIBRARY_VARIABLES = {"SANIC_HOST"}
MIGRATE = ["python", "-m", "bot", "migrate"]

kubernetes_validate: Any = importlib.import_module("kubernetes_validate")

Doc = dict[str, Any]


def load(path: Path) -> list[Doc]:
    """The documents of one YAML file (empty ones dropped)."""
    return [doc for doc in yaml.safe_load_all(path.read_text(encoding="utf-8")) if doc]


FILES = sorted(K8S_DIR.glob("*.yaml"))
DOCUMENTS = [(path.name, doc) for path in FILES for doc in load(path)]


def name_of(doc: Doc) -> str:
    return str(doc["metadata"]["name"])


def of_kind(kind: str) -> list[Doc]:
    return [doc for _, doc in DOCUMENTS if doc["kind"] == kind]


def by_name(kind: str) -> dict[str, Doc]:
    return {name_of(doc): doc for doc in of_kind(kind)}


def pod_spec(workload: Doc) -> Doc:
    spec: Doc = workload["spec"]["template"]["spec"]
    return spec


def containers(workload: Doc) -> list[Doc]:
    spec = pod_spec(workload)
    return [*spec.get("initContainers", []), *spec["containers"]]


def container_ports(workload: Doc) -> set[int | str]:
    """Numbers and names of every container port of a workload."""
    ports: set[int | str] = set()
    for container in containers(workload):
        for port in container.get("ports", []):
            ports.add(int(port["containerPort"]))
            if "name" in port:
                ports.add(str(port["name"]))
    return ports


def quantity(value: str | int | float) -> float:
    """A Kubernetes quantity ("250m", "1", "800Mi", "2Gi") as a number."""
    units = {"m": 1e-3, "Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "k": 1e3, "M": 1e6, "G": 1e9}
    match = re.fullmatch(r"([0-9.]+)([A-Za-z]*)", str(value))
    assert match, f"no quantity: {value!r}"
    number, unit = match.groups()
    return float(number) * units.get(unit, 1) if unit else float(number)


def known_settings() -> set[str]:
    """Every variable bot.config.Settings reads, upper case."""
    names = {field.upper() for field in Settings.model_fields if field != "channels"}
    names |= {f"TELEGRAM_{field.upper()}" for field in TelegramSettings.model_fields}
    names |= {f"WHATSAPP_{field.upper()}" for field in WhatsAppSettings.model_fields}
    return names | {"CHANNEL_KEY"} | EXTRA_SETTINGS


def gateway_config() -> dict[str, str]:
    data: dict[str, str] = by_name("ConfigMap")[GATEWAY_CONFIG]["data"]
    return data


def env_of(container: Doc) -> dict[str, str]:
    """What a container sees from its ConfigMaps and plain values (Secrets left out)."""
    env: dict[str, str] = {}
    config_maps = by_name("ConfigMap")
    for source in container.get("envFrom", []):
        if "configMapRef" in source:
            env |= config_maps[source["configMapRef"]["name"]].get("data", {})
    for variable in container.get("env", []):
        env[variable["name"]] = variable.get("value", "<from a reference>")
    return env


def service_url(url: str) -> tuple[str, int]:
    parts = urlsplit(url)
    assert parts.hostname, url
    assert parts.port, url
    return parts.hostname, parts.port


def assert_is_service(host: str, port: int) -> None:
    """`host:port` is a Service of the manifests with that port."""
    services = by_name("Service")
    assert host in services, f"no Service {host}"
    assert port in {p["port"] for p in services[host]["spec"]["ports"]}, f"{host}:{port}"


def test_the_expected_objects_are_there() -> None:
    assert FILES, f"no manifests in {K8S_DIR}"
    assert set(by_name("Deployment")) == {"gateway", "rasa", "actions"}
    assert set(by_name("Service")) == {"gateway", "rasa", "actions"}
    assert set(by_name("HorizontalPodAutoscaler")) == {"gateway", "actions"}
    assert set(by_name("PodDisruptionBudget")) == {"gateway", "rasa", "actions"}
    assert len(of_kind("Ingress")) == 1
    assert len(of_kind("Job")) == 1
    assert {GATEWAY_CONFIG, RASA_ENDPOINTS} <= set(by_name("ConfigMap"))


@pytest.mark.parametrize("version", KUBERNETES_VERSIONS)
@pytest.mark.parametrize(
    "doc",
    [doc for _, doc in DOCUMENTS],
    ids=[f"{f}:{d['kind']}/{name_of(d)}" for f, d in DOCUMENTS],
)
def test_every_document_validates_strictly(doc: Doc, version: str) -> None:
    kubernetes_validate.validate(doc, version, strict=True)


def test_strict_validation_rejects_unknown_fields_and_wrong_types() -> None:
    deployment = copy.deepcopy(by_name("Deployment")["gateway"])
    container = pod_spec(deployment)["containers"][0]
    container["livenessProbes"] = container.pop("livenessProbe")
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(deployment, KUBERNETES_VERSIONS[0], strict=True)
    service = copy.deepcopy(by_name("Service")["gateway"])
    service["spec"]["ports"][0]["port"] = "achttausend"
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(service, KUBERNETES_VERSIONS[0], strict=True)


@pytest.mark.parametrize("name", ["gateway", "rasa", "actions"])
def test_deployments_have_probes_resources_and_run_unprivileged(name: str) -> None:
    deployment = by_name("Deployment")[name]
    spec = pod_spec(deployment)
    ports = container_ports(deployment)
    # Service links would put GATEWAY_PORT=tcp://… into every pod of the namespace
    assert spec.get("enableServiceLinks") is False
    assert spec.get("automountServiceAccountToken") is False
    for container in spec["containers"]:
        for probe in ("livenessProbe", "readinessProbe"):
            assert probe in container, f"{name}: no {probe}"
        for probe in ("startupProbe", "livenessProbe", "readinessProbe"):
            if probe in container:
                assert container[probe]["httpGet"]["port"] in ports, f"{name}: {probe} port"
        resources = container["resources"]
        for resource in ("cpu", "memory"):
            request = quantity(resources["requests"][resource])
            limit = quantity(resources["limits"][resource])
            assert 0 < request <= limit, f"{name}: {resource} {request} > {limit}"
        context = container["securityContext"]
        assert context["allowPrivilegeEscalation"] is False
        assert context["capabilities"]["drop"] == ["ALL"]
        assert context["readOnlyRootFilesystem"] is True
        assert {m["mountPath"] for m in container["volumeMounts"]} >= {"/tmp"}
    assert spec["securityContext"]["runAsNonRoot"] is True


def test_the_gateway_writes_only_to_its_var_volume() -> None:
    gateway = pod_spec(by_name("Deployment")["gateway"])["containers"][0]
    assert "/app/var" in {m["mountPath"] for m in gateway["volumeMounts"]}
    assert gateway["command"] == ["python", "-m", "bot", "serve"]
    assert gateway["livenessProbe"]["httpGet"]["path"] == "/health/live"
    # ready while it serves: without Rasa it still gives notices and hands over
    assert gateway["readinessProbe"]["httpGet"]["path"] == "/health/live"


def test_rasa_has_time_to_load_its_model() -> None:
    rasa = pod_spec(by_name("Deployment")["rasa"])["containers"][0]
    startup = rasa["startupProbe"]
    assert startup["periodSeconds"] * startup["failureThreshold"] >= 120
    assert by_name("Deployment")["rasa"]["spec"]["replicas"] >= 2


@pytest.mark.parametrize("service", of_kind("Service"), ids=name_of)
def test_services_select_one_deployment_and_target_its_ports(service: Doc) -> None:
    selector = service["spec"]["selector"]
    matching = [
        deployment
        for deployment in of_kind("Deployment")
        if selector.items() <= deployment["spec"]["template"]["metadata"]["labels"].items()
    ]
    assert len(matching) == 1, f"{name_of(service)} selects {len(matching)} Deployments"
    ports = container_ports(matching[0])
    for port in service["spec"]["ports"]:
        assert port.get("targetPort", port["port"]) in ports


@pytest.mark.parametrize("deployment", of_kind("Deployment"), ids=name_of)
def test_deployment_selectors_match_their_pods(deployment: Doc) -> None:
    labels = deployment["spec"]["template"]["metadata"]["labels"]
    assert deployment["spec"]["selector"]["matchLabels"].items() <= labels.items()


@pytest.mark.parametrize("hpa", of_kind("HorizontalPodAutoscaler"), ids=name_of)
def test_autoscalers_scale_an_existing_deployment(hpa: Doc) -> None:
    target = hpa["spec"]["scaleTargetRef"]
    assert (target["apiVersion"], target["kind"]) == ("apps/v1", "Deployment")
    deployment = by_name("Deployment").get(target["name"])
    assert deployment is not None, f"no Deployment {target['name']}"
    # a fixed replica count would be reset at every kubectl apply
    assert "replicas" not in deployment["spec"]
    assert 2 <= hpa["spec"]["minReplicas"] <= hpa["spec"]["maxReplicas"]
    assert [m["resource"]["name"] for m in hpa["spec"]["metrics"]] == ["cpu"]


@pytest.mark.parametrize(
    "selecting",
    of_kind("PodDisruptionBudget") + of_kind("NetworkPolicy"),
    ids=lambda d: f"{d['kind']}/{name_of(d)}",
)
def test_budgets_and_policies_select_a_deployment(selecting: Doc) -> None:
    key = "selector" if selecting["kind"] == "PodDisruptionBudget" else "podSelector"
    selector = selecting["spec"][key]["matchLabels"].items()
    labels = [d["spec"]["template"]["metadata"]["labels"].items() for d in of_kind("Deployment")]
    assert sum(selector <= pod_labels for pod_labels in labels) == 1


def test_the_ingress_routes_to_the_gateway_service() -> None:
    (ingress,) = of_kind("Ingress")
    gateway = by_name("Service")["gateway"]
    gateway_ports = {p["port"] for p in gateway["spec"]["ports"]} | {
        p["name"] for p in gateway["spec"]["ports"]
    }
    assert ingress["spec"]["ingressClassName"] == "nginx"
    tls_hosts = {host for tls in ingress["spec"]["tls"] for host in tls["hosts"]}
    for rule in ingress["spec"]["rules"]:
        assert rule["host"] in tls_hosts
        for path in rule["http"]["paths"]:
            backend = path["backend"]["service"]
            assert backend["name"] == "gateway"
            port = backend["port"].get("number", backend["port"].get("name"))
            assert port in gateway_ports
    annotations = ingress["metadata"]["annotations"]
    for timeout in ("proxy-read-timeout", "proxy-send-timeout"):
        assert int(annotations[f"nginx.ingress.kubernetes.io/{timeout}"]) >= 3600


def test_the_gateway_config_holds_known_settings_only() -> None:
    unknown = set(gateway_config()) - known_settings()
    assert not unknown, f"not a setting of bot/config.py: {sorted(unknown)}"


def test_the_gateway_config_is_accepted_and_wires_the_services() -> None:
    settings = Settings.from_env(gateway_config())
    assert settings.gateway_host == "0.0.0.0"
    assert settings.gateway_port in container_ports(by_name("Deployment")["gateway"])
    assert_is_service(*service_url(settings.rasa_url))
    assert_is_service(*service_url(settings.action_server_url))
    assert settings.public_url.startswith("https://")


@pytest.mark.parametrize(
    "workload",
    [by_name("Deployment")["gateway"], by_name("Deployment")["actions"], *of_kind("Job")],
    ids=lambda d: f"{d['kind']}/{name_of(d)}",
)
def test_app_containers_set_known_variables_only(workload: Doc) -> None:
    for container in containers(workload):
        names = {variable["name"] for variable in container.get("env", [])}
        unknown = names - known_settings() - LIBRARY_VARIABLES
        assert not unknown, f"{name_of(workload)}: {sorted(unknown)}"
        assert "DATABASE_URL" in names


def test_references_point_to_existing_config_maps_and_secret_keys() -> None:
    config_maps = by_name("ConfigMap")
    (example,) = load(SECRET_EXAMPLE)
    secret_keys = set(example.get("stringData", {})) | set(example.get("data", {}))
    for workload in of_kind("Deployment") + of_kind("Job"):
        for container in containers(workload):
            for source in container.get("envFrom", []):
                assert "secretRef" not in source, "name the Secret's keys one by one"
                assert source["configMapRef"]["name"] in config_maps
            for variable in container.get("env", []):
                reference = variable.get("valueFrom", {}).get("secretKeyRef")
                if reference:
                    assert reference["name"] == name_of(example)
                    assert reference["key"] in secret_keys, reference["key"]
        for volume in pod_spec(workload).get("volumes", []):
            if "configMap" in volume:
                assert volume["configMap"]["name"] in config_maps


def test_the_migration_job_runs_the_migration_first() -> None:
    (job,) = of_kind("Job")
    spec = pod_spec(job)
    first = spec["initContainers"][0]
    assert [*first.get("command", []), *first.get("args", [])] == MIGRATE
    assert spec["restartPolicy"] in {"Never", "OnFailure"}
    images = {c["image"] for c in containers(job)}
    assert images == {pod_spec(by_name("Deployment")["gateway"])["containers"][0]["image"]}


def test_the_secret_example_holds_no_value_and_no_other_file_a_secret() -> None:
    documents = load(SECRET_EXAMPLE)
    assert [doc["kind"] for doc in documents] == ["Secret"]
    values = {**documents[0].get("stringData", {}), **documents[0].get("data", {})}
    assert values, "the example lists the keys"
    filled = {key for key, value in values.items() if value not in ("", None)}
    assert not filled, f"secret values in git: {sorted(filled)}"
    elsewhere = [f for f, doc in DOCUMENTS if doc["kind"] == "Secret" and f != SECRET_EXAMPLE.name]
    assert not elsewhere


def test_rasa_gets_every_variable_its_endpoints_name() -> None:
    endpoints_text = by_name("ConfigMap")[RASA_ENDPOINTS]["data"]["endpoints.yml"]
    # Rasa substitutes ${…} only in plain (unquoted) scalars
    assert not re.search(r"""["']\$\{""", endpoints_text)
    endpoints = yaml.safe_load(endpoints_text)
    assert_is_service(*service_url(endpoints["action_endpoint"]["url"]))
    tracker, lock = endpoints["tracker_store"], endpoints["lock_store"]
    assert (tracker["type"], tracker["dialect"]) == ("SQL", "postgresql")
    assert (lock["type"], lock["key_prefix"]) == ("redis", "werkbot")

    deployment = by_name("Deployment")["rasa"]
    rasa = pod_spec(deployment)["containers"][0]
    env = env_of(rasa)
    assert env["RASA_TELEMETRY_ENABLED"] == "false"
    missing = set(re.findall(r"\$\{(\w+)\}", endpoints_text)) - set(env)
    assert not missing, f"Rasa would not start without {sorted(missing)}"

    # --endpoints names the file of the mounted ConfigMap
    command = [*rasa.get("command", []), *rasa.get("args", [])]
    path = Path(command[command.index("--endpoints") + 1])
    volumes = {v["name"]: v for v in pod_spec(deployment)["volumes"]}
    mounts = {Path(m["mountPath"]): volumes[m["name"]] for m in rasa["volumeMounts"]}
    assert mounts[path.parent]["configMap"]["name"] == RASA_ENDPOINTS
    assert path.name in by_name("ConfigMap")[RASA_ENDPOINTS]["data"]
    assert command[command.index("-i") + 1] == "0.0.0.0"
    # as bot/services.py starts it: Rasa's command line with our speed-ups first
    assert command[:4] == ["python", "-m", "bot.nlu.rasa_main", "run"]
