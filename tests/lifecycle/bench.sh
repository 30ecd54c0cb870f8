#!/usr/bin/env bash
# Times the release lifecycle of charts/origan (values/development.yaml) with
# origanctl and with the reference Helm (tests/helm_ref.py, helm-python-sdk =
# Helm v4.2.3's Go code; its times include Python start-up and loading
# libhelm, measured separately as "helm_ref start-up" below), one after the
# other against the same local control plane (`make cluster-up`):
#   install --wait, a no-change upgrade, a one-value upgrade --wait,
#   a rollback --wait, uninstall.
# Usage: bash tests/lifecycle/bench.sh [path/to/origanctl]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
BIN=${1:-target/release/origanctl}
[[ -x $BIN ]] || { echo "no origanctl binary at $BIN (cargo build --release)" >&2; exit 1; }
KCFG=${ORIGANCTL_TEST_KUBECONFIG:-$ROOT/.local/cluster/kubeconfig}
[[ -s $KCFG ]] || { echo "no local cluster: run \`make cluster-up\`" >&2; exit 1; }
kubectl --kubeconfig "$KCFG" get --raw /readyz >/dev/null 2>&1 || { echo "cluster unreachable: run \`make cluster-up\`" >&2; exit 1; }
PY=$ROOT/.local/helm-venv/bin/python
HREF=("$PY" tests/helm_ref.py)
CHART=charts/origan
VALS=values/development.yaml
SUFFIX=$(date +%s)

ms() { date +%s%3N; }
timeit() { # label, command...
  local t0 t1
  t0=$(ms)
  "${@:2}" >/tmp/bench-lifecycle.out 2>&1 || { echo "FAILED: ${*:2}" >&2; tail -5 /tmp/bench-lifecycle.out >&2; exit 1; }
  t1=$(ms)
  printf '%-34s %6d ms\n' "$1" $((t1 - t0))
}
mkns() { kubectl --kubeconfig "$KCFG" create ns "$1" >/dev/null; kubectl --kubeconfig "$KCFG" -n "$1" wait --for=jsonpath='{.metadata.name}'=default sa/default --timeout=30s >/dev/null 2>&1 || sleep 2; }

o() { env ORIGANCTL_STATS=1 "$BIN" "$@" --kubeconfig "$KCFG"; }
O=(o)
NS=bench-o-$SUFFIX; mkns "$NS"
echo "== origanctl ($BIN)"
timeit "install --wait" "${O[@]}" install origan $CHART -f $VALS -n "$NS" --wait --timeout 300s
timeit "upgrade, no change" "${O[@]}" upgrade origan $CHART -n "$NS" --reuse-values
grep -o "origanctl stats: .*" /tmp/bench-lifecycle.out | sed "s/^/  /" || true
timeit "upgrade, one value, --wait" "${O[@]}" upgrade origan $CHART -n "$NS" --reuse-values --set gateway.replicaCount=2 --wait
timeit "rollback --wait" "${O[@]}" rollback origan 1 -n "$NS" --wait
timeit "uninstall --wait" "${O[@]}" uninstall origan -n "$NS" --wait
kubectl --kubeconfig "$KCFG" delete ns "$NS" --wait=false >/dev/null

NS=bench-h-$SUFFIX; mkns "$NS"
echo "== reference Helm (helm_python)"
timeit "helm_ref start-up (version)" "$PY" -c "import helm_python"
H=("${HREF[@]}")
timeit "install --wait" "${H[@]}" install origan $CHART -f $VALS -n "$NS" --wait watcher --timeout 300
timeit "upgrade, no change" "${H[@]}" upgrade origan $CHART -n "$NS" --reuse-values
timeit "upgrade, one value, --wait" "${H[@]}" upgrade origan $CHART -n "$NS" --reuse-values --set gateway.replicaCount=2 --wait watcher
timeit "rollback --wait" "${H[@]}" rollback origan 1 -n "$NS" --wait watcher
timeit "uninstall --wait" "${H[@]}" uninstall origan -n "$NS" --wait watcher
kubectl --kubeconfig "$KCFG" delete ns "$NS" --wait=false >/dev/null
