"""Offline tests of charts/origan against the reference Helm (helm_python): strict lint per
values file, and the decisive facts of each environment's render.

Run: .local/helm-venv/bin/python -m pytest tests/chart
"""

from __future__ import annotations

import re
import subprocess
import sys

import helm_python as helm
import pytest
import yaml

from chartlib import (
    CHART,
    ENVIRONMENTS,
    STATELESS,
    WORKLOAD_KINDS,
    merge,
    pod_spec,
    render,
    render_env,
    values_of,
)

PROD_LIKE = ["staging", "production"]
SECRET_NON_SECRET_KEYS = {"POSTGRES_USER", "POSTGRES_DB", "username"}
DOMAINS = {"development": "localtest.me", "ci": "localtest.me", "staging": "staging.example.com", "production": "example.com"}


@pytest.fixture(scope="module", params=ENVIRONMENTS)
def env(request):
    return request.param


@pytest.fixture(scope="module")
def rendered(env):
    return render_env(env)


# --- lint and schema --------------------------------------------------------------------


@pytest.mark.parametrize("kube_version", [None, "v1.30.0", "v1.34.0"])
@pytest.mark.parametrize("env_name", [None, *ENVIRONMENTS])
def test_lint_strict_has_no_warnings(env_name, kube_version):
    report = helm.lint(CHART, values_of(env_name), strict=True, namespace="origan", kube_version=kube_version)
    problems = [m for m in report["messages"] if m["severity"] >= 2]
    assert problems == [], problems
    assert report["errors"] == []


def test_schema_rejects_unknown_and_mistyped_values():
    with helm.Chart.load(CHART) as chart:
        with pytest.raises(helm.HelmValuesError):
            chart.validate_schema({"gateway": {"replicas": 2}})
        with pytest.raises(helm.HelmValuesError):
            chart.validate_schema({"postgres": {"mode": "mysql"}})
        chart.validate_schema(values_of("production"))


def _leaves(values, schema, path=""):
    for key, val in values.items():
        sub = schema.get("properties", {}).get(key)
        assert sub is not None, f"{path}{key} is not in values.schema.json"
        assert sub.get("description"), f"{path}{key} has no description"
        if isinstance(val, dict) and sub.get("properties"):
            yield from _leaves(val, sub, f"{path}{key}.")
        else:
            yield f"{path}{key}"


def test_schema_describes_every_value():
    with helm.Chart.load(CHART) as chart:
        assert len(list(_leaves(chart.values, chart.schema))) > 100


def test_readme_and_schema_are_generated_and_in_sync():
    result = subprocess.run([sys.executable, str(CHART / "hack" / "gen.py"), "--check"], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_package_ships_the_chart_without_its_tooling(tmp_path):
    import tarfile

    archive = helm.package(CHART, destination=tmp_path)
    names = tarfile.open(archive).getnames()
    assert "origan/values.schema.json" in names and "origan/README.md" in names
    assert not any("/hack/" in n for n in names)
    assert helm.lint(archive, strict=True)["errors"] == []


# --- every object ------------------------------------------------------------------------


def test_every_object_has_standard_labels(rendered):
    for obj in rendered.objects:
        labels = obj["metadata"].get("labels", {})
        for key in ("app.kubernetes.io/name", "app.kubernetes.io/instance", "app.kubernetes.io/managed-by", "helm.sh/chart"):
            assert key in labels, f"{obj['kind']}/{obj['metadata']['name']} lacks {key}"


def test_selectors_match_pod_labels(rendered):
    for obj in rendered.all("Deployment") + rendered.all("StatefulSet"):
        selector = obj["spec"]["selector"]["matchLabels"]
        pod_labels = obj["spec"]["template"]["metadata"]["labels"]
        assert selector.items() <= pod_labels.items()
        assert "app.kubernetes.io/version" not in selector and "helm.sh/chart" not in selector
    pods = [o["spec"]["template"]["metadata"]["labels"] for o in rendered.all("Deployment") + rendered.all("StatefulSet")]
    for svc in rendered.all("Service"):
        sel = svc["spec"]["selector"]
        assert sum(sel.items() <= p.items() for p in pods) == 1, svc["metadata"]["name"]


def test_every_container_has_resources_and_a_non_root_security_context(rendered):
    workloads = [o for o in rendered.objects if o["kind"] in WORKLOAD_KINDS]
    assert len(workloads) >= 7
    for obj in workloads:
        spec = pod_spec(obj)
        assert spec["securityContext"]["runAsNonRoot"] is True, obj["metadata"]["name"]
        for c in spec.get("initContainers", []) + spec["containers"]:
            where = f"{obj['metadata']['name']}/{c['name']}"
            assert c["resources"]["requests"] and c["resources"]["limits"], where
            assert c["securityContext"]["allowPrivilegeEscalation"] is False, where
            assert c["securityContext"]["capabilities"]["drop"] == ["ALL"], where


def test_long_running_containers_have_probes(rendered):
    for obj in rendered.all("Deployment") + rendered.all("StatefulSet"):
        if obj["metadata"]["name"] == "smee":
            continue
        for c in pod_spec(obj)["containers"]:
            assert "readinessProbe" in c and "livenessProbe" in c, obj["metadata"]["name"]


# --- the application services --------------------------------------------------------------


def test_services_and_ports(rendered):
    ports = {"control-api": 9999, "gateway": 7777, "runner": 8000, "postgres": 5432, "postgres-headless": 5432}
    for name, port in ports.items():
        svc = rendered.get("Service", name)
        assert svc["spec"]["ports"][0]["port"] == port
    assert rendered.get("Service", "postgres-headless")["spec"]["clusterIP"] == "None"
    nats = {p["name"]: p["port"] for p in rendered.get("Service", "nats")["spec"]["ports"]}
    assert nats == {"client": 4222, "monitoring": 8222}
    assert rendered.has("Service", "admin-panel")


def test_control_api_config_and_health(rendered, env):
    cm = rendered.get("ConfigMap", "control-api")["data"]
    assert set(cm) >= {"APP_ENV", "ORIGAN_DEPLOY_DOMAIN", "BUCKET_URL", "BUCKET_NAME", "EVENTS_NATS_SERVER"}
    assert cm["EVENTS_NATS_SERVER"] == "nats://nats:4222"
    assert cm["BUCKET_NAME"] == "origan"
    assert cm["ORIGAN_DEPLOY_DOMAIN"] == {"development": "localtest.me:7777", "ci": "localtest.me:7777"}.get(env, f"app.{DOMAINS[env]}")
    api = rendered.get("Deployment", "control-api")
    container = pod_spec(api)["containers"][0]
    assert container["livenessProbe"]["httpGet"]["path"] == "/health"
    assert container["readinessProbe"]["httpGet"]["path"] == "/health"
    refs = {next(iter(e)): next(iter(e.values()))["name"] for e in container["envFrom"]}
    assert refs["configMapRef"] == "control-api"
    assert refs["secretRef"] == ("origan-control-api" if env in PROD_LIKE else "control-api")


def test_control_api_waits_for_the_database_then_migrates(rendered):
    spec = pod_spec(rendered.get("Deployment", "control-api"))
    inits = [c["name"] for c in spec["initContainers"]]
    assert inits == ["wait-for-postgres", "migrate"]
    wait = spec["initContainers"][0]
    assert "pg_isready" in wait["command"][-1]
    assert {e["name"]: e["value"] for e in wait["env"]}["PGHOST"] == "postgres"


def test_gateway_env(rendered, env):
    env_vars = {e["name"]: e.get("value") for e in pod_spec(rendered.get("Deployment", "gateway"))["containers"][0]["env"]}
    assert env_vars["CONTROL_API_URL"] == "http://control-api:9999"
    assert env_vars["RUNNER_URL"] == "http://runner:8000"
    assert env_vars["ORIGAN_DEPLOY_DOMAIN"] == rendered.get("ConfigMap", "control-api")["data"]["ORIGAN_DEPLOY_DOMAIN"]


def test_postgres_statefulset(rendered):
    sts = rendered.get("StatefulSet", "postgres")
    assert sts["spec"]["serviceName"] == "postgres-headless"
    container = pod_spec(sts)["containers"][0]
    assert container["image"] == "docker.io/library/postgres:16"
    assert "pg_isready" in container["readinessProbe"]["exec"]["command"][-1]
    env = {e["name"]: e for e in container["env"]}
    assert env["POSTGRES_USER"]["value"] == "origan-root"
    assert env["POSTGRES_DB"]["value"] == "origan"
    assert "secretKeyRef" in env["POSTGRES_PASSWORD"]["valueFrom"]
    (claim,) = sts["spec"]["volumeClaimTemplates"]
    assert claim["spec"]["resources"]["requests"]["storage"]


def test_bucket_job_is_an_idempotent_post_install_hook(rendered):
    job = rendered.get("Job", "bucket-init")
    notes = job["metadata"]["annotations"]
    assert notes["helm.sh/hook"] == "post-install,post-upgrade"
    assert notes["helm.sh/hook-delete-policy"] == "before-hook-creation,hook-succeeded"
    script = pod_spec(job)["containers"][0]["command"][-1]
    assert "mc alias set" in script and "mb --ignore-existing" in script
    env = {e["name"]: e for e in pod_spec(job)["containers"][0]["env"]}
    assert env["MINIO_ENDPOINT"]["value"] == "http://minio.minio.svc:9000"
    assert env["MINIO_ACCESS_KEY"]["valueFrom"]["secretKeyRef"]["name"] == "minio-credentials"


def test_helm_test_pod_calls_the_health_endpoint(rendered):
    pod = rendered.get("Pod", "test-control-api")
    assert pod["metadata"]["annotations"]["helm.sh/hook"] == "test"
    assert pod["spec"]["containers"][0]["command"][-1] == "http://control-api:9999/health"


# --- environments ----------------------------------------------------------------------


def test_ingress_hosts_and_tls(rendered, env):
    ing = rendered.get("Ingress", "origan")
    domain = DOMAINS[env]
    assert ing["spec"]["ingressClassName"] == "traefik"
    backends = {r["host"]: r["http"]["paths"][0]["backend"]["service"] for r in ing["spec"]["rules"]}
    assert backends == {
        f"*.app.{domain}": {"name": "gateway", "port": {"number": 7777}},
        f"api.{domain}": {"name": "control-api", "port": {"number": 9999}},
        f"admin.{domain}": {"name": "admin-panel", "port": {"number": 80}},
    }
    if env in PROD_LIKE:
        assert ing["metadata"]["annotations"]["cert-manager.io/cluster-issuer"] == "letsencrypt-prod"
        tls = {t["hosts"][0]: t["secretName"] for t in ing["spec"]["tls"]}
        assert tls == {f"*.app.{domain}": "gateway-tls", f"api.{domain}": "control-api-tls", f"admin.{domain}": "admin-panel-tls"}
        assert all(len(t["hosts"]) == 1 for t in ing["spec"]["tls"])
    else:
        assert "tls" not in ing["spec"]
        assert "cert-manager.io/cluster-issuer" not in (ing["metadata"].get("annotations") or {})


def test_replicas_and_pdbs(rendered, env):
    want = 2 if env in PROD_LIKE else 1
    for name in STATELESS:
        assert rendered.get("Deployment", name)["spec"]["replicas"] == want, name
    pdbs = {p["metadata"]["name"] for p in rendered.all("PodDisruptionBudget")}
    assert pdbs == (set(STATELESS) if env in PROD_LIKE else set())


def test_gateway_service_type(rendered, env):
    spec = rendered.get("Service", "gateway")["spec"]
    if env == "development":
        assert spec["type"] == "NodePort"
        assert spec["ports"][0]["nodePort"] == 30777
    else:
        assert spec["type"] == "ClusterIP"
        assert "nodePort" not in spec["ports"][0]


@pytest.mark.parametrize("env_name", PROD_LIKE)
def test_production_values_carry_no_secrets(env_name):
    values = values_of(env_name)
    assert values["secrets"] == {"existingSecret": "origan-control-api"}
    assert values["postgres"]["auth"] == {"existingSecret": "origan-postgres"}
    rendered = render_env(env_name)
    assert rendered.all("Secret") == []
    sts = rendered.get("StatefulSet", "postgres")
    pw = {e["name"]: e for e in pod_spec(sts)["containers"][0]["env"]}["POSTGRES_PASSWORD"]
    assert pw["valueFrom"]["secretKeyRef"] == {"name": "origan-postgres", "key": "POSTGRES_PASSWORD"}


def test_production_has_network_policies_that_deny_by_default(env):
    rendered = render_env(env)
    policies = {p["metadata"]["name"]: p for p in rendered.all("NetworkPolicy")}
    if env not in PROD_LIKE:
        assert policies == {}
        return
    deny = policies["default-deny"]["spec"]
    assert deny["policyTypes"] == ["Ingress"] and "ingress" not in deny
    assert deny["podSelector"]["matchLabels"]["app.kubernetes.io/instance"] == "origan"
    allowed = {p["spec"]["podSelector"]["matchLabels"]["app.kubernetes.io/component"] for n, p in policies.items() if n != "default-deny"}
    assert allowed == {"gateway", "control-api", "admin-panel", "runner", "postgres", "nats"}
    pg_from = policies["allow-postgres"]["spec"]["ingress"][0]["from"]
    assert [f["podSelector"]["matchLabels"]["app.kubernetes.io/component"] for f in pg_from] == ["control-api"]


def test_no_secret_value_in_configmaps_or_notes(rendered, env):
    secret_values = set()
    for secret in rendered.all("Secret"):
        data = rendered.secret_data(secret["metadata"]["name"])
        # POSTGRES_USER/POSTGRES_DB/username live in the Secret for the image's sake but are not secret
        secret_values.update(v for k, v in data.items() if k not in SECRET_NON_SECRET_KEYS and len(v) >= 6)
    if env not in PROD_LIKE:
        assert secret_values, "development renders its Secrets"
    for cm in rendered.all("ConfigMap"):
        for key, value in (cm.get("data") or {}).items():
            assert not re.search(r"SECRET|PASSWORD|PRIVATE_KEY|DATABASE_URL|TOKEN", key), key
            assert not any(s in value for s in secret_values), key
    assert not any(s in rendered.notes for s in secret_values)
    # nor inline in a pod's env: secret material reaches pods only through secretKeyRef/secretRef
    for obj in rendered.objects:
        if obj["kind"] in WORKLOAD_KINDS:
            text = yaml.safe_dump(pod_spec(obj))
            assert not any(s in text for s in secret_values), obj["metadata"]["name"]


def test_notes_give_the_urls(rendered, env):
    scheme = "https" if env in PROD_LIKE else "http"
    assert f"{scheme}://api.{DOMAINS[env]}" in rendered.notes
    assert f"{scheme}://admin.{DOMAINS[env]}" in rendered.notes
    if env == "development":
        assert "NodePort 30777" in rendered.notes


def test_development_and_ci_render_byte_identically_twice():
    # The committed values files fix every secret, so their renders are reproducible
    # (the golden tests of origanctl compare them byte for byte); staging and production
    # render no Secret at all.
    for env_name in ENVIRONMENTS:
        assert render_env(env_name).manifests == render_env(env_name).manifests, env_name


# --- generated secrets -------------------------------------------------------------------


def _dev_without_fixed_secrets():
    values = values_of("development")
    values["secrets"]["jwtSecret"] = ""
    values["postgres"]["auth"]["password"] = ""
    return values


def test_generated_secrets_are_consistent_within_a_render():
    rendered = render(_dev_without_fixed_secrets())
    pg = rendered.secret_data("postgres")
    api = rendered.secret_data("control-api")
    assert re.fullmatch(r"[A-Za-z0-9]{32}", pg["POSTGRES_PASSWORD"])
    assert re.fullmatch(r"[A-Za-z0-9]{48}", api["JWT_SECRET"])
    assert api["DATABASE_URL"] == f"postgresql://origan-root:{pg['POSTGRES_PASSWORD']}@postgres:5432/origan"


def test_offline_renders_generate_afresh_because_lookup_is_empty():
    # Offline, lookup returns nothing, so an upgrade render without a cluster would make new
    # values: the stability across upgrades is checked against the live cluster in
    # test_cluster.py (install, then upgrade, then compare the stored Secrets).
    first = render(_dev_without_fixed_secrets(), is_install=True)
    second = render(_dev_without_fixed_secrets(), is_upgrade=True, revision=2)
    assert first.secret_data("postgres")["POSTGRES_PASSWORD"] != second.secret_data("postgres")["POSTGRES_PASSWORD"]
    assert first.secret_data("control-api")["JWT_SECRET"] != second.secret_data("control-api")["JWT_SECRET"]


def test_explicit_secret_values_win():
    rendered = render(merge(_dev_without_fixed_secrets(), {"secrets": {"jwtSecret": "given"}, "postgres": {"auth": {"password": "pw"}}}))
    assert rendered.secret_data("control-api")["JWT_SECRET"] == "given"
    assert rendered.secret_data("postgres")["POSTGRES_PASSWORD"] == "pw"


def test_existing_postgres_secret_requires_existing_api_secret():
    with pytest.raises(helm.HelmRenderError, match="secrets.existingSecret"):
        render({"postgres": {"auth": {"existingSecret": "pg"}}})


# --- options ------------------------------------------------------------------------------


def test_global_registry_and_pull_secrets():
    rendered = render(merge(values_of("development"), {"global": {"imageRegistry": "mirror.local:5000", "imagePullSecrets": [{"name": "regcred"}]}}))
    for obj in rendered.objects:
        if obj["kind"] in WORKLOAD_KINDS:
            spec = pod_spec(obj)
            assert spec["imagePullSecrets"] == [{"name": "regcred"}], obj["metadata"]["name"]
            for c in spec.get("initContainers", []) + spec["containers"]:
                assert c["image"].startswith("mirror.local:5000/"), c["image"]


def test_image_tag_and_pull_policy_per_service():
    rendered = render({"gateway": {"image": {"tag": "v9", "pullPolicy": "Always"}}})
    c = pod_spec(rendered.get("Deployment", "gateway"))["containers"][0]
    assert c["image"] == "ghcr.io/origan/gateway:v9" and c["imagePullPolicy"] == "Always"
    assert pod_spec(rendered.get("Deployment", "runner"))["containers"][0]["image"] == "ghcr.io/origan/runner:0.1.0"


def test_ingress_class_is_configurable():
    for cls in ("tailscale", "kong", "nginx"):
        assert render({"ingress": {"className": cls}}).get("Ingress", "origan")["spec"]["ingressClassName"] == cls


def test_hpa_takes_over_replicas():
    rendered = render({"gateway": {"hpa": {"enabled": True, "minReplicas": 3, "maxReplicas": 7}}})
    assert "replicas" not in rendered.get("Deployment", "gateway")["spec"]
    hpa = rendered.get("HorizontalPodAutoscaler", "gateway")["spec"]
    assert (hpa["minReplicas"], hpa["maxReplicas"], hpa["scaleTargetRef"]["name"]) == (3, 7, "gateway")


def test_nats_jetstream_uses_a_statefulset():
    assert render_env("production").get("StatefulSet", "nats")["spec"]["volumeClaimTemplates"]
    assert render_env("development").has("Deployment", "nats")


def test_cloudnativepg_mode_without_the_api_renders_no_database():
    # helm_python's offline render serves only the built-in APIs, so the Cluster (which
    # needs postgresql.cnpg.io/v1) and the ServiceMonitor are left out; NOTES say so.
    rendered = render({"postgres": {"mode": "cloudnativepg"}})
    assert not rendered.all("StatefulSet") and not rendered.all("Cluster")
    assert not rendered.all("ServiceMonitor")
    assert "postgres-rw:5432" in rendered.secret_data("control-api")["DATABASE_URL"]
    assert rendered.get("Secret", "postgres")["type"] == "kubernetes.io/basic-auth"
    assert "postgresql.cnpg.io/v1 is not served" in rendered.notes


def test_smee_relays_to_the_control_api():
    rendered = render({"smee": {"enabled": True, "url": "https://smee.io/abc"}})
    args = pod_spec(rendered.get("Deployment", "smee"))["containers"][0]["args"]
    assert args == ["--url", "https://smee.io/abc", "--target", "http://control-api:9999/api/github/webhook"]
    with pytest.raises(helm.HelmRenderError, match="smee.url"):
        render({"smee": {"enabled": True}})


def test_name_prefix_renames_everything_consistently():
    rendered = render({"namePrefix": "blue-"})
    assert all(o["metadata"]["name"].startswith("blue-") for o in rendered.objects)
    gw = {e["name"]: e.get("value") for e in pod_spec(rendered.get("Deployment", "blue-gateway"))["containers"][0]["env"]}
    assert gw["CONTROL_API_URL"] == "http://blue-control-api:9999"
