#!/usr/bin/env bash
# Publishes charts/origan to an OCI registry: lint (or a render when this
# origanctl has no `lint` yet), package, registry login, push. One script for
# CI (.github/workflows/publish-chart.yml), `make publish REGISTRY=...` and
# the oci test (tests/oci: against the local registry).
#
# Environment:
#   REGISTRY           oci://HOST/PATH to push to (required)
#   REGISTRY_USER      username for `origanctl registry login` (optional: skip login)
#   REGISTRY_PASSWORD  password or token (read from the environment, passed on stdin)
#   ORIGANCTL          the binary (default: target/release/origanctl)
#   CHART              chart directory (default: charts/origan)
#   CHART_VERSION      override the chart version (e.g. from the git tag)
#   OUT_DIR            where the archive is written (default: dist)
#   PLAIN_HTTP=1       talk HTTP to the registry (local test registries)
set -euo pipefail

: "${REGISTRY:?set REGISTRY=oci://HOST/PATH}"
ORIGANCTL=${ORIGANCTL:-target/release/origanctl}
CHART=${CHART:-charts/origan}
OUT_DIR=${OUT_DIR:-dist}
case "$REGISTRY" in oci://*) ;; *) echo "publish.sh: REGISTRY must start with oci://" >&2; exit 2 ;; esac
host=${REGISTRY#oci://}
host=${host%%/*}
flags=()
[ "${PLAIN_HTTP:-}" = 1 ] && flags+=(--plain-http)

if "$ORIGANCTL" lint --help >/dev/null 2>&1; then
  "$ORIGANCTL" lint "$CHART"
else
  echo "publish.sh: origanctl has no lint verb yet; checking that the chart renders" >&2
  "$ORIGANCTL" template publish-check "$CHART" >/dev/null
fi

pkg_flags=(-d "$OUT_DIR")
[ -n "${CHART_VERSION:-}" ] && pkg_flags+=(--version "$CHART_VERSION")
out=$("$ORIGANCTL" package "$CHART" "${pkg_flags[@]}")
echo "$out"
archive=${out##*: }

if [ -n "${REGISTRY_USER:-}" ]; then
  printf '%s' "${REGISTRY_PASSWORD:?REGISTRY_PASSWORD is required with REGISTRY_USER}" |
    "$ORIGANCTL" registry login "$host" -u "$REGISTRY_USER" --password-stdin "${flags[@]}"
fi
"$ORIGANCTL" push "$archive" "$REGISTRY" "${flags[@]}"
