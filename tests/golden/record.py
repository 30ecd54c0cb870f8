#!/usr/bin/env python3
"""Records what the reference Helm (v4.2.3, helm_python) prints for
`helm template origan charts/origan -n origan -f values/<env>.yaml`, for every
values file, into tests/golden/origan/<env>.yaml. Never edit those by hand:
re-run this script (`make golden-record`) and review the diff.

helm_python's install does not return hooks, so the text is built from
Helm's engine output (`Chart.render`) with the shared corpus's port of Helm's
printing rules (../shared/conformance/run.py `helm_template_output`), and its
non-hook part is checked against the manifest of a real client-side dry-run
install (the code path of `helm template`) before anything is written.
"""

import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PY = os.path.join(ROOT, ".local/helm-venv/bin/python")
OUT = os.path.join(ROOT, "tests/golden/origan")


def helm_ref(verb, values_file):
    cmd = [PY, os.path.join(ROOT, "tests/helm_ref.py"), verb, os.path.join(ROOT, "charts/origan"),
           "--release", "origan", "--namespace", "origan", "-f", values_file]
    return json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout)


def helm_template(values_file):
    sys.path.insert(0, os.path.join(ROOT, "../shared/conformance"))
    import run as corpus  # the shared runner's port of Helm's output rules

    rendered = helm_ref("render", values_file)["manifests"]
    out = corpus.helm_template_output(rendered)
    manifest = helm_ref("template", values_file)["manifest"].strip() + "\n"
    if not out.startswith(manifest):
        raise SystemExit("the rebuilt output disagrees with Helm's dry-run manifest for " + values_file)
    return out


def main():
    os.makedirs(OUT, exist_ok=True)
    for name in sorted(os.listdir(os.path.join(ROOT, "values"))):
        if not name.endswith(".yaml"):
            continue
        text = helm_template(os.path.join(ROOT, "values", name))
        with open(os.path.join(OUT, name), "w", newline="") as fh:
            fh.write(text)
        print("recorded", name, len(text), "bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
