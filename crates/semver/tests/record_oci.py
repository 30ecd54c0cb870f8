#!/usr/bin/env python3
"""Record OCI tag-resolution golden data from the reference Helm (v4.2.3 via helm_python).

    /work/main/.local/helm-venv/bin/python crates/semver/tests/record_oci.py

Starts a throwaway `docker-registry` (Debian package) on a free 127.0.0.1 port with storage in
a temporary directory, pushes one chart under several versions, then asks Helm for
  * `RegistryClient.tags` (Helm's filtered, sorted tag list), and
  * `pull --version V` for many V (which tag Helm resolves, or its error),
and writes crates/semver/tests/data/oci.json with the registry's raw tag list next to them.
The registry process is stopped (by its PID) before exiting.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

from helm_python import Chart
from helm_python.errors import HelmError
from helm_python.registry import RegistryClient, pull, push

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "data", "oci.json")
NAME = "ocichart"

PUSHED = ["0.1.0", "0.2.0", "0.3.0", "0.3.1", "0.3.2-rc.1", "0.3.10", "1.0.0-alpha",
          "1.0.0", "1.0.0+build.1", "1.2", "v1.5.0", "1.6.0+meta", "2.0.0-rc.1", "3"]

QUERIES = ["", "*", "^0.3", "~0.3", "~0.3.0", "0.3.x", ">=0.3.2-0", ">0.0.0-0", "^1", "^1.0",
           "~1", "1.x", ">=1.0.0 <2", "<1", "<0.3.1", "^2", "^2.0.0-0", ">=2.0.0-0", "^3",
           "^9", "1.0.0+build.1", "1.0.0_build.1", "0.3.1", "1.2", "v1.5.0", "1.6.0+meta",
           "0.3.2-rc.1", "3", "9.9.9", ">=1.0.0-0 <1.0.0", "!=0.3.10", "0.1.0 - 0.3.1",
           "<0.3.0 || >=1.0.0 <1.1", "bad constraint", ">>1"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> None:
    work = tempfile.mkdtemp(prefix="semver-oci-")
    port = free_port()
    cfg = os.path.join(work, "config.yml")
    with open(cfg, "w") as f:
        f.write(f"version: 0.1\nstorage:\n  filesystem:\n    rootdirectory: {work}/data\n"
                f"http:\n  addr: 127.0.0.1:{port}\nlog:\n  level: error\n")
    proc = subprocess.Popen(["docker-registry", "serve", cfg],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/v2/", timeout=1)
                break
            except Exception:
                time.sleep(0.1)
        client = RegistryClient(plain_http=True, credentials_file=os.path.join(work, "creds.json"))
        remote = f"oci://127.0.0.1:{port}/charts"
        for v in PUSHED:
            d = os.path.join(work, "src", NAME)
            shutil.rmtree(d, ignore_errors=True)
            os.makedirs(os.path.join(d, "templates"))
            with open(os.path.join(d, "Chart.yaml"), "w") as f:
                f.write(f"apiVersion: v2\nname: {NAME}\nversion: {json.dumps(v)}\n")
            with Chart.load(d) as ch:
                tgz = ch.save(os.path.join(work, "pkg"))
            push(tgz, remote, client=client, plain_http=True)
        ref = f"{remote}/{NAME}"
        with urllib.request.urlopen(f"{base}/v2/charts/{NAME}/tags/list") as r:
            raw_tags = json.load(r)["tags"]
        helm_tags = client.tags(ref)
        pulls = []
        for q in QUERIES:
            dest = os.path.join(work, "pulled")
            shutil.rmtree(dest, ignore_errors=True)
            os.makedirs(dest)
            try:
                pull(ref, client=client, destination=dest, version=q or None, plain_http=True)
                files = os.listdir(dest)
                m = re.fullmatch(rf"{NAME}-(.*)\.tgz", files[0]) if len(files) == 1 else None
                pulls.append({"version": q, "pulled_chart_version": m.group(1) if m else files})
            except HelmError as e:
                # The registry port changes between runs; keep the data stable.
                pulls.append({"version": q,
                              "error": str(e).replace(f"127.0.0.1:{port}", "REGISTRY")})
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        shutil.rmtree(work, ignore_errors=True)
    with open(OUT, "w") as f:
        json.dump({"pushed": PUSHED, "raw_tags": raw_tags, "helm_tags": helm_tags,
                   "pulls": pulls}, f, indent=1)
        f.write("\n")
    print(f"oci: {len(raw_tags)} tags, {len(pulls)} pulls", file=sys.stderr)


if __name__ == "__main__":
    main()
