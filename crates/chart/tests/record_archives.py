#!/usr/bin/env python3
"""Build small edge-case chart archives and record what Helm v4.2.3 makes of them.

Run from the repository root with the reference SDK:
    .local/helm-venv/bin/python crates/chart/tests/record_archives.py
It writes crates/chart/tests/data/archives/<name>.tgz (the inputs, built here with
fixed timestamps so they are reproducible) and crates/chart/tests/data/archives.json
(Helm's result for each: error text, or metadata, values and file/template names),
read by tests/archive_golden.rs. Archives Helm accepts but origanctl refuses on
purpose (link entries) are marked "origanctl_refuses".
"""

import gzip
import io
import json
import os
import sys
import tarfile

import helm_python as h

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "data", "archives")

CHART = b"apiVersion: v2\nname: arc\nversion: 0.1.0\n"


def reg(name, data, **kw):
    ti = tarfile.TarInfo(name)
    ti.size = len(data) if data is not None else 0
    ti.mtime = 0
    ti.mode = 0o644
    for k, v in kw.items():
        setattr(ti, k, v)
    return ti, data


def build(entries, fmt=tarfile.GNU_FORMAT, members=1):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=fmt) as t:
        for ti, data in entries:
            t.addfile(ti, io.BytesIO(data) if data is not None else None)
    raw = buf.getvalue()
    if members == 1:
        return gzip.compress(raw, mtime=0)
    # The same tar stream split over several gzip members.
    step = (len(raw) + members - 1) // members
    return b"".join(gzip.compress(raw[i:i + step], mtime=0) for i in range(0, len(raw), step))


def cases():
    ok = [reg("arc/Chart.yaml", CHART), reg("arc/values.yaml", b"a: 1\n"),
          reg("arc/templates/cm.yaml", b"kind: ConfigMap\n")]
    d = {}
    d["ok"] = build(ok)
    d["ok-pax"] = build(ok + [reg("arc/files/" + "x" * 120 + ".txt", b"long\n")], fmt=tarfile.PAX_FORMAT)
    d["ok-gnu-longname"] = build(ok + [reg("arc/files/" + "y" * 120 + ".txt", b"long\n")], fmt=tarfile.GNU_FORMAT)
    d["ok-multimember"] = build(ok, members=3)
    d["ok-other-top-dir"] = build([reg("whatever/Chart.yaml", CHART), reg("whatever/README.md", b"r\n")])
    d["ok-bom"] = build([reg("arc/Chart.yaml", b"\xef\xbb\xbf" + CHART), reg("arc/values.yaml", b"\xef\xbb\xbfb: 2\n")])
    d["ok-dirs-and-dots"] = build([reg("arc/", b"", type=tarfile.DIRTYPE), reg("arc/./Chart.yaml", CHART),
                                   reg("arc/templates/../values.yaml", b"c: 3\n")])
    d["ok-backslashes"] = build([reg("arc\\Chart.yaml", CHART), reg("arc\\templates\\a.yaml", b"a\n")])
    d["ok-subchart-dir"] = build(ok + [reg("arc/charts/sub/Chart.yaml", b"apiVersion: v2\nname: sub\nversion: 1.0.0\n"),
                                       reg("arc/charts/sub/values.yaml", b"s: 1\n")])
    d["ok-nested-tgz"] = build(ok + [reg("arc/charts/inner-0.1.0.tgz", build(
        [reg("inner/Chart.yaml", b"apiVersion: v2\nname: inner\nversion: 0.1.0\n")]))])
    d["err-traversal"] = build([reg("arc/Chart.yaml", CHART), reg("arc/../../etc/passwd", b"x\n")])
    d["err-absolute"] = build([reg("arc/Chart.yaml", CHART), reg("arc//etc/passwd", b"x\n")])
    d["err-drive"] = build([reg("arc/Chart.yaml", CHART), reg("arc/c:/windows", b"x\n")])
    d["err-top-chart-yaml"] = build([reg("Chart.yaml", CHART)])
    d["err-chart-yaml-dir"] = build([reg("Chart.yaml/x", CHART)])
    d["err-dot"] = build([reg("arc/a/..", b"x\n"), reg("arc/Chart.yaml", CHART)])
    d["err-empty"] = build([])
    d["err-no-chart-yaml"] = build([reg("arc/values.yaml", b"a: 1\n")])
    d["err-big-file"] = build([reg("arc/Chart.yaml", CHART), reg("arc/big.bin", b"\0" * (5 * 1024 * 1024 + 1))])
    d["err-bad-subchart"] = build(ok + [reg("arc/charts/sub/values.yaml", b"s: 1\n")])
    d["err-subchart-tgz-dir"] = build(ok + [reg("arc/charts/x.tgz/Chart.yaml", CHART)])
    d["err-not-gzip"] = b"apiVersion: v2\n"
    d["err-truncated"] = d["ok"][: len(d["ok"]) // 2]
    d["refused-symlink"] = build([reg("arc/Chart.yaml", CHART),
                                  reg("arc/templates/l.yaml", None, type=tarfile.SYMTYPE, linkname="/etc/passwd", size=0)])
    d["refused-hardlink"] = build([reg("arc/Chart.yaml", CHART),
                                   reg("arc/templates/h.yaml", None, type=tarfile.LNKTYPE, linkname="arc/Chart.yaml", size=0)])
    return d


def main():
    os.makedirs(OUT, exist_ok=True)
    results = {}
    for name, data in sorted(cases().items()):
        with open(os.path.join(OUT, name + ".tgz"), "wb") as f:
            f.write(data)
        try:
            c = h.Chart.load_archive(data)
            rec = {"metadata": c.metadata, "values": c.values,
                   "files": sorted(f["name"] for f in c.files),
                   "templates": sorted(f["name"] for f in c.templates),
                   "dependencies": sorted(d.get("name", "") for d in c.dependencies)}
        except Exception as e:
            rec = {"error": getattr(e, "detail", str(e))}
        if name.startswith("refused-"):
            rec["origanctl_refuses"] = True
        results[name] = rec
    with open(os.path.join(HERE, "data", "archives.json"), "w") as f:
        json.dump(results, f, indent=1, sort_keys=True)
        f.write("\n")
    print(f"recorded {len(results)} archives", file=sys.stderr)


if __name__ == "__main__":
    main()
