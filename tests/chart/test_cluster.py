"""Cluster tests of charts/origan on the local control plane (tests/env, `make cluster-up`):
server-side dry-run of every rendered object per values file, installs of
values/development.yaml and values/production.yaml with --wait by the reference Helm (workloads ready, bucket Job
completed, `helm test` passing), and generated secrets that stay put across an upgrade.

The control plane runs kwok instead of kubelets: pods become Ready and Job pods succeed
without running their images, so these tests prove the objects, the ordering (hooks,
init containers, waits) and the lookup pattern, not the applications themselves.
The tests fail (never skip) when the cluster is not reachable.
"""

from __future__ import annotations

import json
import os
import subprocess
import uuid
from pathlib import Path

import helm_python as helm
import pytest
import yaml

from chartlib import CHART, ENVIRONMENTS, ROOT, merge, render, values_of

KUBECONFIG = Path(os.environ.get("KUBECONFIG") or ROOT / ".local" / "cluster" / "kubeconfig")
TIMEOUT = 300


def kubectl(*args: str, stdin: str | None = None, check: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run(
        ["kubectl", "--kubeconfig", str(KUBECONFIG), *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    if check and result.returncode != 0:
        raise AssertionError(f"kubectl {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result


@pytest.fixture(scope="session")
def cluster():
    if not KUBECONFIG.is_file():
        pytest.fail(f"no kubeconfig at {KUBECONFIG}: run `make cluster-up` first")
    config = helm.Config(kubeconfig_path=KUBECONFIG)
    try:
        config.check_reachable()
    except helm.HelmKubeError as err:
        config.close()
        pytest.fail(f"the local cluster is not reachable ({err}): run `make cluster-up` first")
    yield config
    config.close()


@pytest.fixture
def namespace(cluster, request):
    """A fresh namespace per test, deleted afterwards (without waiting)."""
    name = f"origan-chart-{request.node.name.split('[')[0][5:][:20].replace('_', '-')}-{uuid.uuid4().hex[:6]}".lower()
    kubectl("create", "namespace", name)
    yield name
    kubectl("delete", "namespace", name, "--wait=false", check=False)


@pytest.fixture
def helm_ns(namespace):
    """A Helm configuration whose release storage lives in the test's namespace."""
    config = helm.Config(kubeconfig_path=KUBECONFIG, namespace=namespace)
    yield config
    config.close()


def storage_overrides() -> dict:
    """Point the volumeClaimTemplates at a StorageClass the cluster has (kwok's volume
    stages provide one) when it marks none as default."""
    classes = json.loads(kubectl("get", "storageclass", "-o", "json").stdout)["items"]
    if not classes:
        pytest.fail("the cluster has no StorageClass, so the postgres volumeClaimTemplate cannot bind: run `make cluster-up` with kwok's volume stages")
    default = "storageclass.kubernetes.io/is-default-class"
    if any((c["metadata"].get("annotations") or {}).get(default) == "true" for c in classes):
        return {}
    name = classes[0]["metadata"]["name"]
    return {"postgres": {"persistence": {"storageClass": name}}, "nats": {"jetstream": {"storageClass": name}}}


def minio_secret(namespace: str) -> None:
    """The platform's MinIO credentials Secret the chart expects in its namespace."""
    kubectl("-n", namespace, "create", "secret", "generic", "minio-credentials",
            "--from-literal=accessKey=test-access", "--from-literal=secretKey=test-secret-key")


def live_secret(namespace: str, name: str) -> dict:
    return json.loads(kubectl("-n", namespace, "get", "secret", name, "-o", "json").stdout)["data"]


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_every_object_passes_a_server_side_dry_run(cluster, namespace, env):
    rendered = render(values_of(env), is_install=True)
    docs = [yaml.safe_dump({k: v for k, v in o.items() if k != "_source"}) for o in rendered.objects]
    assert len(docs) > 15
    # Pod Security "restricted": enforced on bare Pods (the helm test Pod), reported as
    # warnings for the pod templates of workloads.
    kubectl("label", "namespace", namespace, "pod-security.kubernetes.io/enforce=restricted", "pod-security.kubernetes.io/warn=restricted")
    result = kubectl("-n", namespace, "apply", "--dry-run=server", "--validate=strict", "-f", "-", stdin="---\n".join(docs))
    assert result.stdout.count("(server dry run)") == len(docs), result.stdout
    assert "PodSecurity" not in result.stderr, result.stderr


def test_development_installs_and_becomes_ready(helm_ns, namespace):
    minio_secret(namespace)
    values = merge(values_of("development"), storage_overrides())
    # --wait (the watcher) returns only when every workload is ready, and a post-install
    # hook Job that does not complete fails the install.
    release = helm_ns.install(CHART, "origan", values, namespace=namespace, wait="watcher", timeout=TIMEOUT)
    assert release["status"] == "deployed", release
    deployments = json.loads(kubectl("-n", namespace, "get", "deployments", "-o", "json").stdout)["items"]
    assert {d["metadata"]["name"] for d in deployments} == {"control-api", "gateway", "admin-panel", "runner", "nats"}
    for d in deployments:
        assert d["status"].get("readyReplicas") == d["spec"]["replicas"], d["metadata"]["name"]
    sts = json.loads(kubectl("-n", namespace, "get", "statefulset", "postgres", "-o", "json").stdout)
    assert sts["status"].get("readyReplicas") == 1
    # the bucket Job ran and succeeded: its hook-succeeded delete policy removed it
    hooks = {h["name"]: h for h in helm_ns.get_all("origan").get("hooks", [])}
    assert "bucket-init" in hooks, release.get("hooks")
    assert hooks["bucket-init"]["last_run"]["phase"] == "Succeeded", hooks["bucket-init"]
    assert kubectl("-n", namespace, "get", "job", "bucket-init", check=False).returncode != 0
    service = json.loads(kubectl("-n", namespace, "get", "service", "gateway", "-o", "json").stdout)
    assert service["spec"]["ports"][0]["nodePort"] == 30777


def test_generated_secrets_are_stable_across_an_upgrade(helm_ns, namespace):
    minio_secret(namespace)
    values = merge(values_of("ci"), storage_overrides())
    values["secrets"]["jwtSecret"] = ""
    values["postgres"]["auth"]["password"] = ""
    helm_ns.install(CHART, "origan", values, namespace=namespace, wait="watcher", timeout=TIMEOUT)
    before = {name: live_secret(namespace, name) for name in ("postgres", "control-api")}
    # a cluster-aware render sees the live Secrets through lookup and reuses their values
    with helm.Chart.load(CHART) as chart:
        manifests = helm_ns.render(chart, values, name="origan", namespace=namespace, is_upgrade=True, revision=2)
    rendered = {d["metadata"]["name"]: d["data"] for d in yaml.safe_load_all(manifests["origan/templates/secrets.yaml"]) if d}
    assert rendered == before
    helm_ns.upgrade(CHART, "origan", values, namespace=namespace, wait="watcher", timeout=TIMEOUT)
    after = {name: live_secret(namespace, name) for name in ("postgres", "control-api")}
    assert after == before
    assert after["postgres"]["POSTGRES_PASSWORD"] and after["control-api"]["JWT_SECRET"]


def test_helm_test_calls_the_control_api(helm_ns, namespace):
    minio_secret(namespace)
    values = merge(values_of("ci"), storage_overrides())
    helm_ns.install(CHART, "origan", values, namespace=namespace, wait="watcher", timeout=TIMEOUT)
    result = helm_ns.test("origan", timeout=TIMEOUT)
    assert result["release"]["status"] == "deployed", result
    hooks = {h["name"]: h for h in helm_ns.get_all("origan")["hooks"]}
    assert hooks["test-control-api"]["last_run"]["phase"] == "Succeeded", hooks["test-control-api"]


@pytest.fixture
def stand_in_crds(cluster):
    """Serve postgresql.cnpg.io/v1 and monitoring.coreos.com/v1 with the stand-in CRDs
    (tests/chart/crds) unless the cluster already serves them; the CRDs this fixture
    created are deleted afterwards, so other tests see the cluster's usual APIs."""
    created = []
    for path in sorted((Path(__file__).parent / "crds").glob("*.yaml")):
        name = path.name.removesuffix(".yaml")
        if kubectl("get", "crd", name, check=False).returncode != 0:
            kubectl("apply", "-f", str(path))
            created.append(name)
        kubectl("wait", "--for=condition=Established", f"crd/{name}", "--timeout=60s")
    yield
    for name in created:
        kubectl("delete", "crd", name, "--wait=false", check=False)


def test_optional_apis_are_rendered_when_the_cluster_serves_them(stand_in_crds, namespace):
    values = merge(values_of("production"), {"postgres": {"mode": "cloudnativepg"}})
    # a fresh configuration, so that discovery sees the CRDs
    with helm.Config(kubeconfig_path=KUBECONFIG, namespace=namespace) as config:
        release = config.install(CHART, "origan", values, namespace=namespace, dry_run="server")
    objects = {(d["kind"], d["metadata"]["name"]): d for d in yaml.safe_load_all(release["manifest"]) if d}
    cluster = objects[("Cluster", "postgres")]["spec"]
    assert cluster["instances"] == 2
    assert cluster["bootstrap"]["initdb"] == {"database": "origan", "owner": "origan-root", "secret": {"name": "origan-postgres"}}
    assert ("StatefulSet", "postgres") not in objects
    monitor = objects[("ServiceMonitor", "origan")]["spec"]
    assert monitor["endpoints"][0]["port"] == "http"
    assert "is not served" not in release.get("info", {}).get("notes", "")


def test_production_installs_with_the_platforms_secrets(helm_ns, namespace):
    # staging/production carry no secret: the platform creates these Secrets beforehand
    minio_secret(namespace)
    kubectl("-n", namespace, "create", "secret", "generic", "origan-postgres", "--from-literal=POSTGRES_PASSWORD=platform-pw")
    kubectl("-n", namespace, "create", "secret", "generic", "origan-control-api",
            "--from-literal=DATABASE_URL=postgresql://origan-root:platform-pw@postgres:5432/origan",
            "--from-literal=JWT_SECRET=platform-jwt", "--from-literal=GITHUB_CLIENT_SECRET=x",
            "--from-literal=GITHUB_WEBHOOK_SECRET=x", "--from-literal=GITHUB_APP_PRIVATE_KEY_BASE64=eA==")
    values = merge(values_of("production"), storage_overrides())
    release = helm_ns.install(CHART, "origan", values, namespace=namespace, wait="watcher", timeout=TIMEOUT)
    assert release["status"] == "deployed", release
    for name in ("control-api", "gateway", "admin-panel", "runner"):
        d = json.loads(kubectl("-n", namespace, "get", "deployment", name, "-o", "json").stdout)
        assert d["status"].get("readyReplicas") == 2, name
    nats = json.loads(kubectl("-n", namespace, "get", "statefulset", "nats", "-o", "json").stdout)
    assert nats["status"].get("readyReplicas") == 1
    pdbs = json.loads(kubectl("-n", namespace, "get", "pdb", "-o", "json").stdout)["items"]
    assert len(pdbs) == 4
    # the chart made no Secret of its own: only the platform's three (plus Helm's release record)
    secrets = json.loads(kubectl("-n", namespace, "get", "secret", "-o", "json").stdout)["items"]
    assert {s["metadata"]["name"] for s in secrets if s["type"] != "helm.sh/release.v1"} == {"minio-credentials", "origan-postgres", "origan-control-api"}
