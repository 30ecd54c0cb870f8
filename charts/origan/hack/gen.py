#!/usr/bin/env python3
"""Generate values.schema.json and the README's values table of the Origan chart.

The schema is authored here (shared blocks such as image, resources, pdb and hpa are
defined once); the README table lists every leaf of values.yaml with its default and the
schema's description. `python3 hack/gen.py` rewrites both files; `--check` only reports
whether they are in sync (the chart tests run it).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import yaml  # PyYAML

CHART = Path(__file__).resolve().parent.parent
BEGIN = "<!-- values-table:begin -->"
END = "<!-- values-table:end -->"


def s(description: str, **kw) -> dict:
    return {"type": "string", "description": description, **kw}


def i(description: str, **kw) -> dict:
    return {"type": "integer", "description": description, **kw}


def b(description: str) -> dict:
    return {"type": "boolean", "description": description}


def obj(description: str, props: dict, *, strict: bool = True) -> dict:
    out = {"type": "object", "description": description, "properties": props}
    if strict:
        out["additionalProperties"] = False
    return out


def free(description: str) -> dict:
    """A free-form Kubernetes object (resources, affinity, ...)."""
    return {"type": "object", "description": description}


def arr(description: str, items: dict | None = None) -> dict:
    out = {"type": "array", "description": description}
    if items is not None:
        out["items"] = items
    return out


def image(what: str) -> dict:
    return obj(
        f"Image of {what}.",
        {
            "registry": s("Registry host; global.imageRegistry overrides it when set."),
            "repository": s("Repository path inside the registry."),
            "tag": s("Image tag; empty means the chart's appVersion."),
            "pullPolicy": s("Image pull policy.", enum=["Always", "IfNotPresent", "Never"]),
        },
    )


def resources(what: str) -> dict:
    return free(f"Resource requests and limits of {what} (a Kubernetes ResourceRequirements).")


def pdb(what: str) -> dict:
    return obj(
        f"PodDisruptionBudget of {what}.",
        {
            "enabled": b("Render a PodDisruptionBudget."),
            "minAvailable": {
                "type": ["integer", "string"],
                "description": "Pods that must stay available (a number or a percentage).",
            },
        },
    )


def hpa(what: str) -> dict:
    return obj(
        f"HorizontalPodAutoscaler of {what}; when enabled the Deployment leaves replicas to it.",
        {
            "enabled": b("Render a HorizontalPodAutoscaler (autoscaling/v2)."),
            "minReplicas": i("Lowest replica count.", minimum=1),
            "maxReplicas": i("Highest replica count.", minimum=1),
            "targetCPUUtilizationPercentage": i("Average CPU utilization to aim for.", minimum=1, maximum=100),
        },
    )


def service(what: str, port: str, *, node_port: bool = False) -> dict:
    props = {
        "type": s(f"Service type of {what}.", enum=["ClusterIP", "NodePort", "LoadBalancer"]),
        "port": i(f"Service port ({port}).", minimum=1, maximum=65535),
    }
    if node_port:
        props["nodePort"] = i("NodePort when type is NodePort (30777 in development); 0 lets Kubernetes choose.", minimum=0, maximum=32767)
    return obj(f"Service of {what}.", props)


def stateless(what: str, port: str, *, node_port: bool = False, extra: dict | None = None) -> dict:
    props = {
        "image": image(what),
        "replicaCount": i("Replicas (ignored when hpa.enabled).", minimum=0),
        "containerPort": i("Port the container listens on.", minimum=1, maximum=65535),
        "service": service(what, port, node_port=node_port),
        "probePath": s("HTTP path of the liveness and readiness probes."),
        "resources": resources(what),
        "extraEnv": arr("Additional env entries (Kubernetes EnvVar objects) of the container.", {"type": "object"}),
        "pdb": pdb(what),
        "hpa": hpa(what),
        "nodeSelector": free("Node selector of the pods."),
        "tolerations": arr("Tolerations of the pods.", {"type": "object"}),
        "affinity": free("Affinity of the pods."),
    }
    props.update(extra or {})
    return obj(f"The {what}.", props)


def schema() -> dict:
    secret_note = " Leave empty in staging and production: use secrets.existingSecret."
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": "Origan chart values",
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "global": obj(
                "Settings shared with every image.",
                {
                    "imageRegistry": s("Registry that replaces every image's own registry (e.g. a mirror)."),
                    "imagePullSecrets": arr(
                        "Pull secrets of every pod, as [{name: ...}].",
                        obj("A pull secret reference.", {"name": s("Name of a docker-registry Secret.")}),
                    ),
                },
            ),
            "nameOverride": s("Value of the app.kubernetes.io/name label (default: the chart name)."),
            "namePrefix": s("Prefix of every object name; empty gives the names the services expect (control-api, runner, nats...)."),
            "commonLabels": free("Labels added to every object."),
            "baseDomain": s("Base domain: api.<baseDomain>, admin.<baseDomain> and *.app.<baseDomain>.", minLength=1),
            "deployDomain": s("ORIGAN_DEPLOY_DOMAIN, the domain deployed sites live under (may carry a port); empty means app.<baseDomain>."),
            "appEnv": s("APP_ENV of the Control API.", enum=["development", "staging", "production"]),
            "serviceAccount": obj(
                "The ServiceAccount shared by the pods (no API token is mounted).",
                {
                    "create": b("Create the ServiceAccount."),
                    "name": s("Its name; empty means <namePrefix>origan (or default when create is false)."),
                    "annotations": free("Annotations of the ServiceAccount."),
                },
            ),
            "podSecurityContext": free("Pod security context of the application pods (non-root)."),
            "containerSecurityContext": free("Security context of every container."),
            "controlApi": stateless(
                "Control API",
                "9999",
                extra={
                    "migrations": obj(
                        "Database migrations, run by an init container after PostgreSQL answers and before the API starts.",
                        {
                            "enabled": b("Run the migrations init container."),
                            "command": arr("Command of the migrations init container (Control API image).", {"type": "string"}),
                            "resources": resources("the migrations init container"),
                        },
                    ),
                    "github": obj(
                        "Public GitHub App identifiers (ConfigMap).",
                        {
                            "clientId": s("GITHUB_CLIENT_ID of the GitHub App's OAuth client."),
                            "appId": s("GITHUB_APP_ID."),
                        },
                    ),
                },
            ),
            "gateway": stateless("Gateway", "7777", node_port=True),
            "adminPanel": stateless("Admin Panel", "80"),
            "runner": stateless("Runner", "8000"),
            "postgres": obj(
                "PostgreSQL.",
                {
                    "mode": s(
                        "statefulset: a single postgres:16 StatefulSet; cloudnativepg: a CloudNativePG Cluster (rendered only when postgresql.cnpg.io/v1 is served).",
                        enum=["statefulset", "cloudnativepg"],
                    ),
                    "image": image("PostgreSQL (statefulset mode)"),
                    "auth": obj(
                        "Database credentials.",
                        {
                            "username": s("POSTGRES_USER.", minLength=1),
                            "database": s("POSTGRES_DB.", minLength=1),
                            "password": s("POSTGRES_PASSWORD (URL-safe characters); empty generates one that is kept across upgrades." + secret_note.replace("secrets.existingSecret", "postgres.auth.existingSecret")),
                            "existingSecret": s("Existing Secret with the password; then secrets.existingSecret must be set too."),
                            "existingSecretPasswordKey": s("Key of the password in existingSecret."),
                        },
                    ),
                    "persistence": obj(
                        "The StatefulSet's volumeClaimTemplate.",
                        {
                            "size": s("Volume size."),
                            "storageClass": s("Storage class; empty uses the cluster default."),
                        },
                    ),
                    "resources": resources("PostgreSQL"),
                    "podSecurityContext": free("Pod security context of PostgreSQL (uid 999 of the postgres image)."),
                    "cloudnativepg": obj(
                        "The CloudNativePG Cluster (cloudnativepg mode).",
                        {
                            "instances": i("Instances (one primary, the rest replicas).", minimum=1),
                            "imageName": s("PostgreSQL operand image."),
                            "storageClass": s("Storage class; empty uses the cluster default."),
                            "size": s("Volume size per instance."),
                        },
                    ),
                },
            ),
            "nats": obj(
                "NATS (events between the services).",
                {
                    "image": image("NATS"),
                    "jetstream": obj(
                        "JetStream; enabled turns the Deployment into a StatefulSet with a store volume.",
                        {
                            "enabled": b("Enable JetStream."),
                            "size": s("Store volume size."),
                            "storageClass": s("Storage class; empty uses the cluster default."),
                        },
                    ),
                    "resources": resources("NATS"),
                },
            ),
            "bucket": obj(
                "The bucket on the platform's MinIO (not deployed by this chart).",
                {
                    "name": s("Bucket name (BUCKET_NAME).", minLength=3),
                    "endpoint": s("MinIO endpoint (BUCKET_URL, MINIO_ENDPOINT)."),
                    "region": s("Bucket region."),
                    "versioning": b("Enable object versioning on the bucket."),
                    "publicRead": b("Allow anonymous download of objects."),
                    "credentials": obj(
                        "MinIO credentials, from an existing Secret in the release namespace.",
                        {
                            "existingSecret": s("Name of the Secret.", minLength=1),
                            "accessKeyKey": s("Key of the access key."),
                            "secretKeyKey": s("Key of the secret key."),
                        },
                    ),
                    "job": obj(
                        "The post-install/post-upgrade hook Job that creates the bucket idempotently.",
                        {
                            "enabled": b("Render the Job."),
                            "backoffLimit": i("Retries before the Job fails.", minimum=0),
                            "image": image("the MinIO client"),
                            "resources": resources("the bucket Job"),
                        },
                    ),
                },
            ),
            "secrets": obj(
                "Secrets of the Control API.",
                {
                    "existingSecret": s("Existing Secret with DATABASE_URL, JWT_SECRET, GITHUB_CLIENT_SECRET, GITHUB_WEBHOOK_SECRET, GITHUB_APP_PRIVATE_KEY_BASE64; the chart then renders none."),
                    "jwtSecret": s("JWT_SECRET; empty generates one that is kept across upgrades." + secret_note),
                    "githubClientSecret": s("GITHUB_CLIENT_SECRET." + secret_note),
                    "githubWebhookSecret": s("GITHUB_WEBHOOK_SECRET." + secret_note),
                    "githubAppPrivateKeyBase64": s("GITHUB_APP_PRIVATE_KEY_BASE64." + secret_note),
                },
            ),
            "ingress": obj(
                "The Ingress of the three host groups.",
                {
                    "enabled": b("Render the Ingress."),
                    "className": s("Ingress class (traefik, tailscale, kong, nginx...).", minLength=1),
                    "annotations": free("Extra annotations of the Ingress."),
                    "subdomains": obj(
                        "Subdomain of each host group, under baseDomain.",
                        {
                            "gateway": s("Deployed sites, to the Gateway (a wildcard)."),
                            "controlApi": s("The Control API."),
                            "adminPanel": s("The Admin Panel."),
                        },
                    ),
                    "tls": obj(
                        "TLS by cert-manager.",
                        {
                            "enabled": b("Add TLS and the cert-manager.io/cluster-issuer annotation."),
                            "clusterIssuer": s("cert-manager ClusterIssuer."),
                            "secretNames": obj(
                                "TLS Secret of each host group; empty means <namePrefix><service>-tls (gateway-tls, control-api-tls, admin-panel-tls).",
                                {
                                    "gateway": s("TLS Secret of *.app.<baseDomain>."),
                                    "controlApi": s("TLS Secret of api.<baseDomain>."),
                                    "adminPanel": s("TLS Secret of admin.<baseDomain>."),
                                },
                            ),
                        },
                    ),
                },
            ),
            "smee": obj(
                "Smee webhook relay (development): smee.io channel to the Control API.",
                {
                    "enabled": b("Deploy the relay."),
                    "url": s("The smee.io channel URL (required when enabled)."),
                    "path": s("Webhook path on the Control API."),
                    "image": image("the Smee client"),
                    "resources": resources("the Smee client"),
                },
            ),
            "networkPolicy": obj(
                "NetworkPolicies: deny all ingress to the release's pods, then allow what the services need.",
                {
                    "enabled": b("Render the NetworkPolicies."),
                    "ingressControllerNamespace": s("Namespace of the ingress controller (allowed to the Control API and Admin Panel)."),
                    "monitoringNamespace": s("Namespace of Prometheus (allowed to metrics ports)."),
                },
            ),
            "serviceMonitor": obj(
                "ServiceMonitor of control-api, gateway and runner; rendered only when monitoring.coreos.com/v1 is served.",
                {
                    "enabled": b("Render the ServiceMonitor when the API is present."),
                    "path": s("Metrics path."),
                    "interval": s("Scrape interval."),
                    "labels": free("Extra labels (e.g. the Prometheus selector's release label)."),
                },
            ),
            "tests": obj(
                "The `helm test` Pod that calls the Control API's health endpoint.",
                {"image": image("the test Pod (curl)"), "resources": resources("the test Pod")},
            ),
        },
    }


def leaves(values, sch, prefix=""):
    """(key, default, description) for every leaf of values.yaml, in file order."""
    out = []
    for key, val in values.items():
        path = f"{prefix}{key}"
        sub = (sch.get("properties") or {}).get(key, {})
        if isinstance(val, dict) and val and sub.get("properties"):
            out.extend(leaves(val, sub, path + "."))
        else:
            out.append((path, val, sub.get("description", "")))
    return out


def table(values: dict, sch: dict) -> str:
    rows = ["| Key | Default | Description |", "| --- | --- | --- |"]
    for key, val, desc in leaves(values, sch):
        default = json.dumps(val, separators=(",", ":")).replace("|", "\\|")
        desc = desc.replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;")
        rows.append(f"| `{key}` | `{default}` | {desc} |")
    return "\n".join(rows)


def main() -> int:
    check = "--check" in sys.argv[1:]
    sch = schema()
    values = yaml.safe_load((CHART / "values.yaml").read_text())
    schema_text = json.dumps(sch, indent=2) + "\n"
    readme_path = CHART / "README.md"
    readme = readme_path.read_text()
    head, rest = readme.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    new_readme = f"{head}{BEGIN}\n{table(values, sch)}\n{END}{tail}"
    schema_path = CHART / "values.schema.json"
    stale = []
    if not schema_path.exists() or schema_path.read_text() != schema_text:
        stale.append("values.schema.json")
    if readme != new_readme:
        stale.append("README.md")
    if check:
        if stale:
            print("out of date (run python3 charts/origan/hack/gen.py):", ", ".join(stale))
            return 1
        return 0
    schema_path.write_text(schema_text)
    readme_path.write_text(new_readme)
    return 0


if __name__ == "__main__":
    sys.exit(main())
