#!/usr/bin/env python3
"""Record what Helm v4.2.3 does for `lint`, `show`, `create` and `dependency list`.

Run from the repository root with the reference SDK:
    .local/helm-venv/bin/python tests/chartcli/record.py
It writes tests/chartcli/data/{show,lint,create,deps}.json, read by tests/chartcli/.

Charts: every chart of the conformance corpus (../shared/conformance/charts),
charts/origan (linted once per values/*.yaml), and the small broken charts under
tests/chartcli/data/charts/ (bad metadata, YAML and parse errors, missing keys,
deprecated APIs, bad names, bad values, CRDs, schemas). Paths are recorded
relative to the repository root, as the tests pass them.
"""

import json
import os
import shutil
import sys
import tempfile

import helm_python as h

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
DATA = os.path.join(HERE, "data")


def charts():
    out = []
    corpus = os.path.join("..", "shared", "conformance", "charts")
    for name in sorted(os.listdir(os.path.join(REPO, corpus))):
        out.append(os.path.join(corpus, name))
    out.append(os.path.join("charts", "origan"))
    local = os.path.join("tests", "chartcli", "data", "charts")
    for name in sorted(os.listdir(os.path.join(REPO, local))):
        out.append(os.path.join(local, name))
    return out


def err(e):
    return {"error": getattr(e, "detail", None) or str(e)}


def record_show(paths):
    out = {}
    for p in paths:
        out[p] = {}
        for fmt in ["chart", "values", "readme", "crds", "all"]:
            try:
                out[p][fmt] = {"output": h.show(p, output_format=fmt)}
            except Exception as e:  # noqa: BLE001 - the error text is the datum
                out[p][fmt] = err(e)
    return out


def lint_cases(paths):
    cases = []
    for p in paths:
        cases.append({"chart": p})
        cases.append({"chart": p, "strict": True})
    for v in sorted(os.listdir(os.path.join(REPO, "values"))):
        cases.append({"chart": "charts/origan", "values_file": os.path.join("values", v)})
    local = os.path.join("tests", "chartcli", "data", "charts")
    cases.append({"chart": os.path.join(local, "deprecated"), "kube_version": "1.22.0"})
    cases.append({"chart": os.path.join(local, "deprecated"), "kube_version": "1.15.0"})
    cases.append({"chart": os.path.join(local, "missingkey"), "values": {"a": {"b": "x"}}})
    cases.append(
        {"chart": os.path.join(local, "missingkey"), "values": {"a": {"b": "x"}}, "strict": True}
    )
    return cases


def record_lint(paths):
    out = []
    for case in lint_cases(paths):
        values = case.get("values")
        if "values_file" in case:
            with open(os.path.join(REPO, case["values_file"]), encoding="utf-8") as f:
                values = h.values_from_yaml(f.read())
        kwargs = {}
        if case.get("strict"):
            kwargs["strict"] = True
        if "kube_version" in case:
            kwargs["kube_version"] = case["kube_version"]
        try:
            result = h.lint(case["chart"], values, **kwargs)
        except Exception as e:  # noqa: BLE001
            result = err(e)
        out.append({"case": case, "result": result})
    return out


def record_create():
    out = {}
    for name in ["mychart", "foo"]:
        d = tempfile.mkdtemp()
        try:
            h.Chart.create(name, d)
            files = {}
            root = os.path.join(d, name)
            for dirpath, _, filenames in os.walk(root):
                for fn in filenames:
                    full = os.path.join(dirpath, fn)
                    rel = os.path.relpath(full, root)
                    with open(full, encoding="utf-8") as f:
                        files[rel] = f.read()
            out[name] = dict(sorted(files.items()))
        finally:
            shutil.rmtree(d)
    return out


def record_deps(paths):
    out = {}
    for p in paths:
        try:
            out[p] = {"deps": h.dependency_list(p)}
        except Exception as e:  # noqa: BLE001
            out[p] = err(e)
    return out


def dump(name, obj):
    with open(os.path.join(DATA, name), "w", encoding="utf-8") as f:
        json.dump(obj, f, indent=1, sort_keys=True)
        f.write("\n")


def main():
    os.chdir(REPO)
    paths = charts()
    which = sys.argv[1:] or ["show", "lint", "create", "deps"]
    if "show" in which:
        dump("show.json", record_show(paths))
    if "lint" in which:
        dump("lint.json", record_lint(paths))
    if "create" in which:
        dump("create.json", record_create())
    if "deps" in which:
        dump("deps.json", record_deps(paths))


if __name__ == "__main__":
    main()
