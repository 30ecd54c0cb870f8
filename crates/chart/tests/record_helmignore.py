#!/usr/bin/env python3
"""Record which files Helm v4.2.3's directory loader keeps for .helmignore variants.

Run from the repository root with the reference SDK:
    .local/helm-venv/bin/python crates/chart/tests/record_helmignore.py
It writes crates/chart/tests/data/helmignore.json, read by tests/helmignore_golden.rs.
Every case builds the same small tree (TREE) in a temporary directory, adds the
case's .helmignore, loads it with helm_python and records the names of the files
and templates Helm kept (or its error).
"""

import json
import os
import sys
import tempfile

import helm_python as h

HERE = os.path.dirname(os.path.abspath(__file__))

TREE = [
    "Chart.yaml", "values.yaml", "README.md", "notes.txt", "a.txt", "b.TXT", "x.bak",
    "docs/guide.md", "docs/img/logo.png", "docs/deep/a.txt",
    "templates/cm.yaml", "templates/.hidden.yaml", "templates/_helpers.tpl",
    "templates/tests/test.yaml", "templates/sub/.dot/x.yaml",
    "files/conf/app.conf", "files/conf/app.conf.bak", "files/keep.txt",
    "ci/values-ci.yaml", ".git/config", ".github/workflows/ci.yml",
    "sub/top.cfg", "top.cfg", "[weird].md", "star*.md", "q?.md",
]

RULES = {
    "none": "",
    "basename-glob": "*.txt\n",
    "anchored": "/top.cfg\n",
    "with-slash": "docs/*.md\nfiles/conf/*.bak\n",
    "dir-only": "docs/\nci/\n",
    "dir-only-on-file": "README.md/\n",
    "dotdirs": ".*\n",
    "dotdirs-slash": ".git/\n.github/\n",
    "question": "?.txt\n",
    "class": "[ab].txt\n",
    "class-negated": "[^a].txt\n",
    "escaped-star": "star\\*.md\n",
    "escaped-bracket": "\\[weird\\].md\n",
    "comments-and-spaces": "# a comment\n\n   notes.txt   \n#templates/cm.yaml\n",
    "negation-only": "!README.md\n",
    "negation-after": "*.txt\n!a.txt\n",
    "negation-dir": "!docs/\n",
    "templates-rule": "templates/tests/\n",
    "deep-wildcard": "*/*/*.txt\n",
    "double-star": "docs/**\n",
    "bad-pattern": "[\n",
    "crlf": "a.txt\r\nx.bak\r\n",
    "bom": "\ufeffa.txt\n",
    "everything-but-chart": "*\n!Chart.yaml\n",
    "ignore-helmignore": ".helmignore\n",
}


def main():
    out = {"tree": TREE, "cases": {}}
    for name, rules in RULES.items():
        with tempfile.TemporaryDirectory() as d:
            for p in TREE:
                full = os.path.join(d, p)
                os.makedirs(os.path.dirname(full), exist_ok=True)
                with open(full, "w") as f:
                    if p == "Chart.yaml":
                        f.write("apiVersion: v2\nname: ign\nversion: 0.1.0\n")
                    elif p == "values.yaml":
                        f.write("a: 1\n")
                    else:
                        f.write(p + "\n")
            with open(os.path.join(d, ".helmignore"), "w", newline="") as f:
                f.write(rules)
            try:
                c = h.Chart.load(d)
                rec = {"kept": sorted([f["name"] for f in c.files] + [t["name"] for t in c.templates])}
            except Exception as e:
                rec = {"error": getattr(e, "detail", str(e))}
            rec["rules"] = rules
            out["cases"][name] = rec
    with open(os.path.join(HERE, "data", "helmignore.json"), "w") as f:
        json.dump(out, f, indent=1, sort_keys=True, ensure_ascii=False)
        f.write("\n")
    print(f"recorded {len(RULES)} .helmignore cases", file=sys.stderr)


if __name__ == "__main__":
    main()
