#!/usr/bin/env python3
"""Record what Helm v4.2.3's chart loader makes of chart directories.

Run from the repository root with the reference SDK:
    .local/helm-venv/bin/python crates/chart/tests/record_load.py
It writes crates/chart/tests/data/load.json, read by tests/load_golden.rs.

Charts: every directory under tests/data/load-charts/ (loader edge cases: .helmignore,
v1 requirements, BOMs, scalar coercion in Chart.yaml, invalid metadata, CRDs, .tgz
subcharts, symlinks inside the chart), tests/data/charts/, and every chart of the
conformance corpus (../shared/conformance/charts). For each: Helm's error text, or
metadata (JSON field names), values, and the names (with a SHA-256 of the text) of
files, templates and CRDs, plus the loaded subcharts' names.
"""

import hashlib
import json
import os
import sys

import helm_python as h

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
CORPUS = os.path.join(REPO, "..", "shared", "conformance", "charts")


def digest(text):
    return hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()


def record(path):
    try:
        c = h.Chart.load(path)
    except Exception as e:
        return {"error": getattr(e, "detail", str(e))}
    return {
        "metadata": c.metadata,
        "values": c.values,
        "files": sorted([f["name"], digest(f["data"])] for f in c.files),
        "templates": sorted([f["name"], digest(f["data"])] for f in c.templates),
        "crds": sorted(f["name"] for f in c.crds),
        "schema": c.schema is not None,
        "dependencies": sorted(d.get("name", "") for d in c.dependencies),
    }


def main():
    out = {}
    for base, prefix in [
        (os.path.join(HERE, "data", "load-charts"), "load-charts/"),
        (os.path.join(HERE, "data", "charts"), "charts/"),
        (CORPUS, "corpus/"),
    ]:
        for name in sorted(os.listdir(base)):
            out[prefix + name] = record(os.path.join(base, name))
    dest = os.path.join(HERE, "data", "load.json")
    with open(dest, "w") as f:
        json.dump(out, f, indent=1, sort_keys=True)
        f.write("\n")
    print(f"recorded {len(out)} charts into {dest}", file=sys.stderr)


if __name__ == "__main__":
    main()
