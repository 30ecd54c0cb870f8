#!/usr/bin/env python3
"""Write `helm create`'s scaffold (as recorded from Helm v4.2.3 in data/create.json)
into src/action/create/scaffold/, with the chart name replaced by `<CHARTNAME>`,
which is how Helm's own scaffold templates spell it. Helm's scaffold text is
Apache-2.0 (Copyright The Helm Authors); origanctl embeds it so that
`origanctl create` writes the same bytes.

Run from the repository root: python3 tests/chartcli/gen_scaffold.py
"""
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
OUT = os.path.join(REPO, "src", "action", "create", "scaffold")

data = json.load(open(os.path.join(HERE, "data", "create.json"), encoding="utf-8"))
for rel, text in data["mychart"].items():
    path = os.path.join(OUT, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text.replace("mychart", "<CHARTNAME>"))
