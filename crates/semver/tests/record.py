#!/usr/bin/env python3
"""Record golden semver data from the reference Helm (v4.2.3 via helm_python).

Run from anywhere with the reference venv:

    /work/main/.local/helm-venv/bin/python crates/semver/tests/record.py

Writes crates/semver/tests/data/render.json and data/lint.json. Every expected value
comes from Helm; this script only chooses the inputs.

render.json: a list of {"template", "expected"} or {"template", "expected_error"}
  records. Templates use Sprig's `semver`/`semverCompare` with literal strings, in the
  shapes tests/common/mod.rs understands. Inputs that make Helm fail are first found by
  rendering them one per chart; everything that then cannot fail (valid constraint x
  valid version) is rendered in large batches.
lint.json: a list of {"version", "messages"}: `helm lint` messages on a chart whose
  Chart.yaml version is the input (strict SemVerV2 warning and the ">0.0.0-0"
  Validate message come from Masterminds).
"""

from __future__ import annotations

import itertools
import json
import os
import shutil
import sys
import tempfile

from helm_python import Chart, lint
from helm_python.errors import HelmError

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "data")
CHART = "svchart"

VERSIONS = [
    # plain and lenient forms
    "0.0.0", "0.0.1", "0.0.3", "0.0.4", "0.1.0", "0.1.9", "0.2.0", "0.2.3", "0.2.9", "0.3.0",
    "0.9.9", "1", "1.0", "1.0.0", "1.1.9", "1.2", "1.2.0", "1.2.1", "1.2.3", "1.2.4",
    "1.2.9", "1.3.0", "1.4.5", "1.4.6", "1.9.0", "1.99.0", "2", "2.0.0", "2.0.1", "2.1.0",
    "2.1.9", "2.2.0", "3.0.0", "4.0.0", "10.0.0", "11.1.0", "11.2.1", "12.0.0",
    "v1", "v1.2", "v1.2.3", "v1.30.5-gke.1713000", "01.2.3", "1.02.3", "1.2.03",
    # prereleases and metadata
    "0.0.1-alpha", "0.0.0-0", "1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta",
    "1.0.0-alpha.2", "1.0.0-alpha.10", "1.0.0-beta", "1.0.0-beta.2", "1.0.0-beta.11",
    "1.0.0-rc.1", "1.0.0-0", "1.0.0-1", "1.0.0-x-y-z.-", "1.2.3-beta.1", "1.2.3-beta.2",
    "1.2.3-alpha", "1.2.4-beta", "1.2.5-rc1", "2.0.0-alpha", "2.0.0-rc.1",
    "1.2.3+meta", "1.2.3+build.5", "1.2.3-beta.1+build.5", "1.0.0+a-b.c",
    "1.2.3-99999999999999999999", "1.2.3-alpha.99999999999999999999",
    "18446744073709551615.0.0", "1.20.5-gke.100",
    # invalid
    "", " ", "bad", "1.2.3.4", "1.2.3-", "1.2.3+", "1.2.3-01", "1.2.3-a..b",
    "1.2.3+a..b", "1.2.3-a_b", "V1.2.3", "v", "1.2.", ".1.2", "1.2.3 ",
    " 1.2.3", "18446744073709551616.0.0", "1.18446744073709551616", "x", "1.x",
    "1.2.3-0", "1.2.3-00", "1.2.3+01", "=1.2.3", "1-2", "1.2-3", "1..2",
    "1.2.3-alpha.10", "1.2.3-alpha.1", "1.2.3-beta.11", "1.2.3-rc.1", "1.2.3-0.3.7",
    "1.2.3-x.7.z.92", "1.2.4-0", "1.3.0-0", "0.0.3-beta", "0.0.4-0", "0.1.0-0", "3.0.0-0",
    "5.0.1", "v0.0.3", "1.2.3-A", "1.2.3-a", "1.2.3--", "1.2.3-1a", "1.2.3\t", "1.2.3\n",
]

CONSTRAINTS = [
    "*", "x", "X", "", " ", "1.2.x", "1.x", "1.x.x", "1.2.*", "1.*", "2.x", "0.x",
    "1.2.3", "=1.2.3", "= 1.2.3", "!=1.2.3", "!=1.2", "!=1.x", "!=1.2.x", "!=1", "!=1.2.3-beta.1",
    ">1.2.3", ">1.2", ">1", ">11", ">11.1", ">0", ">0.0.0-0", "> 1.0.0-alpha.1",
    "<1.2.3", "<1.2", "<2", "<2.0.0", "<2.0.0-0", "<=1.2.3", "<=1.2", "<=2", "=<1.2.3",
    ">=1.2.3", ">=1.2", ">= 1.2", ">=1.2.3-alpha", ">=1.2.3-0", ">=1.21.0-0", ">=1.19-0",
    "=>1.2.3", ">=v1.2.0", "v1.2.3",
    "~1.2.3", "~1.2", "~1", "~1.x", "~0.1.2", "~0", "~0.0", "~0.0.0", "~*", "~>1.2.3", "~>1.2",
    "~1.2.3-beta.1", "~2.1",
    "^1.2.3", "^1.2", "^1", "^0.2.3", "^0.2", "^0.0.3", "^0.0", "^0", "^0.x", "^1.x", "^*",
    "^1.2.3-beta.1", "^0.0.3-0", "^0.3", "^2.0.0-alpha",
    "1.2 - 1.4.5", "1.2 - 1.4", "1.2.3 - 2.0.0", "1.0.0 - 2.0.0 || >3", "1.2.3-beta.1 - 1.2.4",
    "1 - 2", "v1.2 - v1.3",
    "<1.0.0 || >=2.0.0", "^1.2.3 || ~2.1", ">=1.2.3 || ", "|| 1.2.3", "1.2.3 ||| 2",
    ">= 1.2, < 3.0.0", ">= 1.0.0 <2.0.0", ">=1.0.0, <=1.0.0", ">1.2.3 <2", ">=1.2.3,<2",
    ">=1.2.3-beta.1 <1.2.4", ">=1.2.3-beta.1, <1.2.4", ">1.0.0-alpha <1.0.0", ">=0.0.0-0 <2",
    ">=1.2.3+meta", "1.2.3+meta", "^1.2.3+meta",
    # invalid or odd
    "bad", ">>1.2.3", "1.2.3.4", "=>", "~>", ">=1.2.3-01", "1|2", ">1|2", "1.2.3 -",
    ">=1.2.3;<2", "=1.2.3 && <2", "1.2.3,", ",1.2.3", "v", "*.*.*", "x.x.x", "1.x.3",
    # whitespace, odd spacing and wildcard corners
    " >1.0", ">1.0 ", "~ 1.2", "^ 1.2", ">= 1.2.3 , < 2", ">=1.2.3 ,<2", ">=\t1.2", "1.2.3\t",
    ">=1.2.3\n<2", "1.0.0 -2.0.0", "1.0.0- 2.0.0", "1.2.3 - 2", "1.2.3 - 2.3.4 - 3.4.5",
    "1.2.3-alpha - 1.2.3", "x - 1.2", "x.1.2", "*.2", ">x", "<x", "<=x", ">=*", "!=*", "~x",
    "^0.0.x", "^0.x.x", "~0.x", "<=1.2.x", "<1.x", ">1.x", "=1.x", ">=1.x", "!=1.2.3-alpha",
    "!=1.2.x-alpha", "<1.2.3-beta.2", ">1.2.3-alpha.1 <1.2.3 || >2", "^1.2.3-0 || ^2",
    ">1 <3 || >5", "1.2.3 1.2.4", "1.2.3,1.2.4", "=1.2.3,=1.2.3", "~1.2.3-alpha.10",
    "^0.0.3-beta", "~0.0.3-beta", ">=1.2.3-beta.1 <1.2.4, !=1.2.3-beta.2", "||", "1 ||",
    ">= 1", ">=01.2.3", ">=1.02", "1.2.3-a_b", "1.2.3+a_b", ">=1.2.3+meta.x",
]

FIELDS = ["String", "Major", "Minor", "Patch", "Prerelease", "Metadata", "Original",
          "IncMajor", "IncMinor", "IncPatch"]

COMPARE_SET = [
    "1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2",
    "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0", "1.0.0+a-b.c", "1.0.0-0", "1.0.0-1",
    "1.0.0-alpha.2", "1.0.0-alpha.10", "1.2.3-99999999999999999999",
    "1.2.3-alpha.99999999999999999999", "1.2.3", "v1.2", "1.2", "2", "0.0.0",
]
METHODS = ["Compare", "LessThan", "GreaterThan", "Equal"]


def q(s: str) -> str:
    """A Go string literal for s (inputs are ASCII, where JSON and Go agree)."""
    return json.dumps(s)


def write_chart(root: str, templates: dict[str, str], version: str = "0.1.0") -> str:
    path = os.path.join(root, CHART)
    if os.path.exists(path):
        shutil.rmtree(path)
    os.makedirs(os.path.join(path, "templates"))
    with open(os.path.join(path, "Chart.yaml"), "w") as f:
        f.write(f"apiVersion: v2\nname: {CHART}\nversion: {q(version)}\ndescription: d\n")
    for name, text in templates.items():
        with open(os.path.join(path, "templates", name), "w") as f:
            f.write(text)
    return path


def render(root: str, templates: list[str]) -> list[str]:
    """Render templates in one chart; returns their outputs in order (raises on error)."""
    names = {f"t{i:05d}.yaml": t for i, t in enumerate(templates)}
    path = write_chart(root, names)
    with Chart.load(path) as chart:
        out = chart.render(name="rel", namespace="ns")
    return [out[f"{CHART}/templates/{n}"] for n in names]


def render_one(root: str, template: str) -> dict:
    try:
        return {"template": template, "expected": render(root, [template])[0]}
    except HelmError as e:
        return {"template": template, "expected_error": str(e)}


def render_many(root: str, templates: list[str]) -> list[dict]:
    """Batch render; fall back to one-by-one if Helm reports an error."""
    records = []
    for i in range(0, len(templates), 500):
        chunk = templates[i:i + 500]
        try:
            outs = render(root, chunk)
            records += [{"template": t, "expected": o} for t, o in zip(chunk, outs)]
        except HelmError:
            records += [render_one(root, t) for t in chunk]
    return records


def main() -> None:
    os.makedirs(OUT, exist_ok=True)
    records: list[dict] = []
    with tempfile.TemporaryDirectory() as root:
        # 1. which versions and constraints Helm accepts, each rendered alone
        vrec = [render_one(root, f"{{{{ semver {q(v)} }}}}") for v in VERSIONS]
        crec = [render_one(root, f"{{{{ semverCompare {q(c)} \"1.0.0\" }}}}") for c in CONSTRAINTS]
        records += vrec + crec
        good_v = [v for v, r in zip(VERSIONS, vrec) if "expected" in r]
        good_c = [c for c, r in zip(CONSTRAINTS, crec) if "expected" in r]
        bad_v = [v for v, r in zip(VERSIONS, vrec) if "expected" not in r]

        # 2. fields of every valid version
        records += render_many(root, [f"{{{{ (semver {q(v)}).{f} }}}}"
                                      for v in good_v for f in FIELDS])
        # 3. precedence between versions
        records += render_many(root, [f"{{{{ (semver {q(a)}).{m} (semver {q(b)}) }}}}"
                                      for a, b in itertools.product(COMPARE_SET, COMPARE_SET)
                                      for m in METHODS])
        # 4. the constraint x version matrix, plus the pipe form and invalid versions
        records += render_many(root, [f"{{{{ semverCompare {q(c)} {q(v)} }}}}"
                                      for c in good_c for v in good_v])
        records += render_many(root, [f"{{{{ {q(v)} | semverCompare {q(c)} }}}}"
                                      for c in good_c[:10] for v in good_v[:10]])
        records += [render_one(root, f"{{{{ semverCompare \">=1.0.0\" {q(v)} }}}}")
                    for v in bad_v]

        # 5. lint: strict SemVerV2 warning and the >0.0.0-0 Validate message
        lint_recs = []
        for v in VERSIONS:
            if not v.strip():
                continue
            path = write_chart(root, {"cm.yaml": "a: b\n"}, version=v)
            try:
                report = lint(path)
                msgs = [m["error"] for m in report.get("messages", [])]
                msgs += report.get("errors") or []
            except HelmError as e:
                msgs = [f"HelmError: {e}"]
            lint_recs.append({"version": v, "messages": msgs})

    with open(os.path.join(OUT, "render.json"), "w") as f:
        json.dump(records, f, indent=0, sort_keys=True)
        f.write("\n")
    with open(os.path.join(OUT, "lint.json"), "w") as f:
        json.dump(lint_recs, f, indent=1, sort_keys=True)
        f.write("\n")
    print(f"render: {len(records)} records, lint: {len(lint_recs)} records", file=sys.stderr)


if __name__ == "__main__":
    main()
