#!/usr/bin/env python3
"""Record the values (and `.Chart`) each chart of a render sees, with Helm v4.2.3.

Run from the repository root with the reference SDK:
    .local/helm-venv/bin/python crates/chart/tests/record_coalesce.py
It writes crates/chart/tests/data/coalesce/<case>.json, read by tests/coalesce_golden.rs.

For every selected conformance case (../shared/conformance/cases/<id>) and every
fixture chart under tests/data/charts/ (with its values files under
tests/data/charts-values/), the chart is copied to a temporary directory and two
templates are added to every chart directory in it (root and vendored subcharts):
    zz-origan-values.txt   {{ toJson .Values }}
    zz-origan-chart.txt    {{ toJson .Chart }}
Every other template and every values.schema.json is removed first. The render then tells, per chart path (`root`, `root/charts/sub`, aliases
included), the coalesced values after ProcessDependencies and the metadata map.
Disabled subcharts render nothing, so the set of paths is the enabled set.
The coalescing warnings Helm logs during the render are kept too (as a set).
User values are parsed with helm_python.values_from_yaml (Helm's reader; first
document only, which is all these files have).
"""

import json
import os
import shutil
import sys
import tarfile
import tempfile

import helm_python as h
import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
CORPUS = os.path.join(REPO, "..", "shared", "conformance")
OUT = os.path.join(HERE, "data", "coalesce")

# Cases whose charts have subcharts, plus a few single charts for plain coalescing.
EXTRA_CASES = ["grafana-default", "bitnami-nginx-default", "cert-manager-default"]

VALUES_T = "{{ toJson .Values }}"
CHART_T = "{{ toJson .Chart }}"


def selected_cases():
    ids = []
    for cid in sorted(os.listdir(os.path.join(CORPUS, "cases"))):
        with open(os.path.join(CORPUS, "cases", cid, "case.yaml")) as f:
            case = yaml.safe_load(f)
        chart_dir = os.path.join(CORPUS, "charts", case["chart"])
        n = sum("Chart.yaml" in files for _, _, files in os.walk(chart_dir))
        if n > 1 or cid.startswith("helm-") or cid in EXTRA_CASES:
            ids.append((cid, case))
    return ids


def unpack_tgz(root):
    """Expands charts/*.tgz into directories (recursively) so the dumps can be
    added to them; Helm loads both forms the same way."""
    changed = True
    while changed:
        changed = False
        for d, _, files in os.walk(root):
            if os.path.basename(d) != "charts":
                continue
            for f in files:
                if f.endswith(".tgz"):
                    with tarfile.open(os.path.join(d, f)) as t:
                        t.extractall(d, filter="data")
                    os.remove(os.path.join(d, f))
                    changed = True


def inject(root):
    unpack_tgz(root)
    for d, _, files in os.walk(root):
        if "Chart.yaml" in files:
            t = os.path.join(d, "templates")
            # Only the dumps are rendered: other templates could fail, and schema
            # validation is not what these goldens are about.
            shutil.rmtree(t, ignore_errors=True)
            if "values.schema.json" in files:
                os.remove(os.path.join(d, "values.schema.json"))
            os.makedirs(t, exist_ok=True)
            with open(os.path.join(t, "zz-origan-values.txt"), "w") as f:
                f.write(VALUES_T)
            with open(os.path.join(t, "zz-origan-chart.txt"), "w") as f:
                f.write(CHART_T)


WARNING_PREFIXES = ("warning: ", "Conflict: ", "key ")


def coalesce_warnings(text):
    """log.Printf lines from coalesce.go, without the timestamp (slog lines differ)."""
    out = []
    for line in text.splitlines():
        parts = line.split(" ", 2)
        if len(parts) == 3 and parts[2].startswith(WARNING_PREFIXES):
            out.append(parts[2])
    return out


def render(chart_src, values_text, release, namespace):
    rec = {}
    with tempfile.TemporaryDirectory() as tmp:
        dst = os.path.join(tmp, "chart")
        shutil.copytree(chart_src, dst, symlinks=False)
        inject(dst)
        # Go's log.Printf warnings (coalescing) go to fd 2: capture them.
        log_path = os.path.join(tmp, "stderr.log")
        saved = os.dup(2)
        fd = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
        os.dup2(fd, 2)
        try:
            vals = h.values_from_yaml(values_text) if values_text is not None else None
            out = h.Chart.load(dst).render(vals, name=release, namespace=namespace)
        except Exception as e:  # load, values or render error
            rec["error"] = getattr(e, "detail", str(e))
            return rec
        finally:
            os.dup2(saved, 2)
            os.close(fd)
            os.close(saved)
        with open(log_path) as f:
            rec["warnings"] = sorted(set(coalesce_warnings(f.read())))
    values, charts = {}, {}
    for path, text in sorted(out.items()):
        if path.endswith("/templates/zz-origan-values.txt"):
            values[path[: -len("/templates/zz-origan-values.txt")]] = json.loads(text)
        elif path.endswith("/templates/zz-origan-chart.txt"):
            charts[path[: -len("/templates/zz-origan-chart.txt")]] = json.loads(text)
    rec["values"] = values
    rec["charts"] = charts
    return rec


def main():
    os.makedirs(OUT, exist_ok=True)
    n = 0
    for cid, case in selected_cases():
        vf = os.path.join(CORPUS, "cases", cid, "values.yaml")
        text = open(vf).read() if case.get("values_files") else None
        rec = render(os.path.join(CORPUS, "charts", case["chart"]), text,
                     case["release"], case["namespace"])
        rec.update({"source": "corpus", "case": cid, "chart": case["chart"],
                    "release": case["release"], "namespace": case["namespace"]})
        write(cid, rec)
        n += 1
    fixtures = os.path.join(HERE, "data", "charts")
    vals_dir = os.path.join(HERE, "data", "charts-values")
    for name in sorted(os.listdir(fixtures)) if os.path.isdir(fixtures) else []:
        for vname in sorted(os.listdir(vals_dir)):
            if not vname.startswith(name + "--"):
                continue
            text = open(os.path.join(vals_dir, vname)).read()
            cid = "fixture-" + vname[: -len(".yaml")]
            rec = render(os.path.join(fixtures, name), text, "rel", "ns")
            rec.update({"source": "fixture", "case": cid, "chart": name,
                        "values_file": vname, "release": "rel", "namespace": "ns"})
            write(cid, rec)
            n += 1
    print(f"recorded {n} cases into {OUT}", file=sys.stderr)


def write(cid, rec):
    with open(os.path.join(OUT, cid + ".json"), "w") as f:
        json.dump(rec, f, sort_keys=True, separators=(",", ":"))
        f.write("\n")


if __name__ == "__main__":
    main()
