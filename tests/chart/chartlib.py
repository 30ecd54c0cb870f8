"""Shared helpers of the chart tests: render charts/origan with the reference Helm
(helm_python, Helm v4.2.3) and index the rendered objects."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import helm_python as helm
import yaml

ROOT = Path(__file__).resolve().parents[2]
CHART = ROOT / "charts" / "origan"
VALUES_DIR = ROOT / "values"
ENVIRONMENTS = ["development", "staging", "production", "ci"]
STATELESS = ["control-api", "gateway", "admin-panel", "runner"]
RELEASE = "origan"
NAMESPACE = "origan"


def values_of(env: str | None) -> dict[str, Any] | None:
    """The values of values/<env>.yaml, parsed by Helm's own YAML reader."""
    if env is None:
        return None
    return helm.values_from_yaml((VALUES_DIR / f"{env}.yaml").read_text())


def merge(base: dict[str, Any] | None, override: dict[str, Any]) -> dict[str, Any]:
    """Deep merge of two values trees (override wins), like stacking two -f files."""
    out = dict(base or {})
    for key, val in override.items():
        if isinstance(val, dict) and isinstance(out.get(key), dict):
            out[key] = merge(out[key], val)
        else:
            out[key] = val
    return out


class Rendered:
    """A rendered release: templates by path and objects by (kind, name)."""

    def __init__(self, manifests: dict[str, str]):
        self.manifests = manifests
        self.notes = next((v for k, v in manifests.items() if k.endswith("NOTES.txt")), "")
        self.objects: list[dict[str, Any]] = []
        for path, text in sorted(manifests.items()):
            if path.endswith(".txt"):
                continue
            for doc in yaml.safe_load_all(text):
                if doc:
                    doc.setdefault("_source", path)
                    self.objects.append(doc)

    def all(self, kind: str) -> list[dict[str, Any]]:
        return [o for o in self.objects if o["kind"] == kind]

    def get(self, kind: str, name: str) -> dict[str, Any]:
        found = [o for o in self.all(kind) if o["metadata"]["name"] == name]
        assert len(found) == 1, f"expected one {kind}/{name}, found {len(found)}"
        return found[0]

    def has(self, kind: str, name: str) -> bool:
        return any(o["metadata"]["name"] == name for o in self.all(kind))

    def secret_data(self, name: str) -> dict[str, str]:
        data = self.get("Secret", name).get("data") or {}
        return {k: base64.b64decode(v).decode() for k, v in data.items()}


def render(values: dict[str, Any] | None, **opts: Any) -> Rendered:
    with helm.Chart.load(CHART) as chart:
        return Rendered(chart.render(values, name=RELEASE, namespace=NAMESPACE, **opts))


def render_env(env: str | None, **opts: Any) -> Rendered:
    return render(values_of(env), **opts)


def pod_spec(obj: dict[str, Any]) -> dict[str, Any]:
    if obj["kind"] == "Pod":
        return obj["spec"]
    return obj["spec"]["template"]["spec"]


WORKLOAD_KINDS = ("Deployment", "StatefulSet", "Job", "Pod")
