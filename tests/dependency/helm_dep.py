#!/usr/bin/env python3
"""Reference Helm's `dependency update|build` (helm_python) for tests/dependency.

  DOCKER_CONFIG=DIR helm_dep.py update|build CHART_DIR [--plain-http]

Prints {"ok": true} or {"error": "<Helm's error text>"} (exit 1). Helm writes
the lock and charts/ in CHART_DIR itself; the test compares them with what
origanctl writes. Registry credentials: Helm's registry client falls back to
Docker's config, so the test passes a DOCKER_CONFIG directory holding a
config.json with an `auths` entry for the local registry (in the environment
of this process: Go copies the environment when the library starts).
"""

import argparse
import json
import os
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent.parent
VENV_PY = REPO_ROOT / ".local" / "helm-venv" / "bin" / "python"


def main() -> None:
    try:
        import helm_python  # noqa: F401
    except ImportError:
        if VENV_PY.exists() and Path(sys.prefix).resolve() != VENV_PY.parent.parent.resolve():
            os.execv(str(VENV_PY), [str(VENV_PY), __file__, *sys.argv[1:]])
        print(json.dumps({"error": "helm_python not importable; run `make helm-ref`"}))
        sys.exit(1)
    p = argparse.ArgumentParser()
    p.add_argument("verb", choices=["update", "build"])
    p.add_argument("chart")
    p.add_argument("--plain-http", action="store_true")
    a = p.parse_args()
    import helm_python as helm

    fn = helm.dependency_update if a.verb == "update" else helm.dependency_build
    try:
        fn(a.chart, plain_http=a.plain_http)
    except Exception as e:  # helm_python raises HelmError subclasses
        print(json.dumps({"error": str(e)}))
        sys.exit(1)
    print(json.dumps({"ok": True}))


if __name__ == "__main__":
    main()
