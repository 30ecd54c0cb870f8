#!/usr/bin/env python3
"""`make bench`: render every chart of the shared conformance corpus with
origanctl (the whole process, `origanctl template`) and with the reference
Helm's engine (in process: helm_python.Chart.load(dir).render(values)), in the
same run, and print the time ratio per chart and the median.

Each side is timed as the best of N repetitions (default 5) so that a cold
page cache or a busy neighbour does not decide the result. Helm's figure
excludes process start and chart loading is timed separately, so the
comparison favours Helm.
"""

import argparse
import os
import statistics
import subprocess
import sys
import time

import helm_python


def best_of(n, fn):
    best = float("inf")
    for _ in range(n):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--bin", required=True)
    ap.add_argument("--charts", required=True)
    ap.add_argument("--reps", type=int, default=5)
    args = ap.parse_args()

    rows = []
    for name in sorted(os.listdir(args.charts)):
        chart = os.path.join(args.charts, name)
        if not os.path.isfile(os.path.join(chart, "Chart.yaml")):
            continue
        cmd = [args.bin, "template", "rel", chart, "-n", "ns"]
        probe = subprocess.run(cmd, capture_output=True)
        if probe.returncode != 0:
            rows.append((name, None, None, "origanctl failed: " + probe.stderr.decode()[:120].replace("\n", " ")))
            continue
        try:
            loaded = helm_python.Chart.load(chart)
            loaded.render(None, name="rel", namespace="ns")
        except Exception as e:  # noqa: BLE001 - a chart Helm cannot render is reported, not fatal
            rows.append((name, None, None, "helm failed: %s" % str(e)[:120]))
            continue
        ours = best_of(args.reps, lambda: subprocess.run(cmd, capture_output=True, check=True))
        helm = best_of(args.reps, lambda: helm_python.Chart.load(chart).render(None, name="rel", namespace="ns"))
        rows.append((name, ours, helm, ""))

    print("%-52s %12s %12s %8s" % ("chart", "origanctl ms", "helm ms", "ratio"))
    ratios = []
    for name, ours, helm, note in rows:
        if ours is None:
            print("%-52s %12s %12s %8s  %s" % (name, "-", "-", "-", note))
            continue
        ratio = helm / ours
        ratios.append(ratio)
        print("%-52s %12.1f %12.1f %7.1fx" % (name, ours * 1000, helm * 1000, ratio))
    if ratios:
        print("median speed-up (helm time / origanctl time): %.1fx over %d charts" % (statistics.median(ratios), len(ratios)))
    # The floor any whole-process figure sits on: starting a process that does
    # nothing, and starting origanctl to print its version.
    true_ms = best_of(args.reps * 4, lambda: subprocess.run(["/bin/true"], capture_output=True)) * 1000
    version_ms = best_of(args.reps * 4, lambda: subprocess.run([args.bin, "version"], capture_output=True)) * 1000
    print("process floor: /bin/true %.2f ms, origanctl version %.2f ms" % (true_ms, version_ms))
    return 0


if __name__ == "__main__":
    sys.exit(main())
