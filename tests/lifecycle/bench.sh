#!/usr/bin/env bash
# Times the release lifecycle of charts/origan (values/development.yaml) with
# origanctl and with the reference Helm (tests/helm_ref.py, helm-python-sdk =
# Helm v4.2.3's Go code; its times include Python start-up and loading
# libhelm, measured separately as "helm_ref start-up" below), one after the
# other against the same local control plane (`make cluster-up`):
#   install --wait, a no-change upgrade, a one-value upgrade --wait,
#   a rollback --wait, uninstall.
# Each tool runs RUNS times (default 3), alternating; medians and the
# install --wait ratio (raw, and without Helm's start-up) are printed last.
# Usage: [RUNS=n] bash tests/lifecycle/bench.sh [path/to/origanctl]
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

RUNS=${RUNS:-3}
OUT=$(mktemp /tmp/bench-lifecycle.XXXXXX)
trap 'rm -f "$OUT"' EXIT

ms() { date +%s%3N; }
declare -A T   # "tool|label" -> space-separated times (ms)
LABELS=("install --wait" "upgrade, no change" "upgrade, one value, --wait" "rollback --wait" "uninstall --wait")
timeit() { # tool, label, command...
  local t0 t1
  t0=$(ms)
  "${@:3}" >"$OUT" 2>&1 || { echo "FAILED: ${*:3}" >&2; tail -5 "$OUT" >&2; exit 1; }
  t1=$(ms)
  T["$1|$2"]+="$((t1 - t0)) "
  printf '  %-9s %-34s %6d ms\n' "$1" "$2" $((t1 - t0))
}
median() { tr ' ' '\n' <<<"$1" | grep . | sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2)}'; }
mkns() { kubectl --kubeconfig "$KCFG" create ns "$1" >/dev/null; kubectl --kubeconfig "$KCFG" -n "$1" wait --for=jsonpath='{.metadata.name}'=default sa/default --timeout=30s >/dev/null 2>&1 || sleep 2; }

o() { env ORIGANCTL_STATS=1 "$BIN" "$@" --kubeconfig "$KCFG"; }
H=("${HREF[@]}")
run_origanctl() {
  local ns=bench-o-$SUFFIX-$1; mkns "$ns"
  timeit origanctl "install --wait" o install origan $CHART -f $VALS -n "$ns" --wait --timeout 300s
  timeit origanctl "upgrade, no change" o upgrade origan $CHART -n "$ns" --reuse-values
  grep -o "origanctl stats: .*" "$OUT" | sed "s/^/    /" || true
  timeit origanctl "upgrade, one value, --wait" o upgrade origan $CHART -n "$ns" --reuse-values --set gateway.replicaCount=2 --wait
  timeit origanctl "rollback --wait" o rollback origan 1 -n "$ns" --wait
  timeit origanctl "uninstall --wait" o uninstall origan -n "$ns" --wait
  kubectl --kubeconfig "$KCFG" delete ns "$ns" --wait=false >/dev/null
}
run_helm() {
  local ns=bench-h-$SUFFIX-$1; mkns "$ns"
  timeit helm "helm_ref start-up" "$PY" -c "import helm_python"
  timeit helm "install --wait" "${H[@]}" install origan $CHART -f $VALS -n "$ns" --wait watcher --timeout 300
  timeit helm "upgrade, no change" "${H[@]}" upgrade origan $CHART -n "$ns" --reuse-values
  timeit helm "upgrade, one value, --wait" "${H[@]}" upgrade origan $CHART -n "$ns" --reuse-values --set gateway.replicaCount=2 --wait watcher
  timeit helm "rollback --wait" "${H[@]}" rollback origan 1 -n "$ns" --wait watcher
  timeit helm "uninstall --wait" "${H[@]}" uninstall origan -n "$ns" --wait watcher
  kubectl --kubeconfig "$KCFG" delete ns "$ns" --wait=false >/dev/null
}

# The tools alternate, so load from elsewhere on the machine falls on both.
for run in $(seq 1 "$RUNS"); do
  echo "== run $run/$RUNS: origanctl ($BIN), then the reference Helm (helm_python)"
  run_origanctl "$run"
  run_helm "$run"
done

echo "== medians of $RUNS runs (ms)"
printf '%-34s %9s %9s %7s\n' "" origanctl helm ratio
for l in "${LABELS[@]}"; do
  a=$(median "${T[origanctl|$l]}"); b=$(median "${T[helm|$l]}")
  printf '%-34s %9d %9d %7s\n' "$l" "$a" "$b" "$(awk -v a="$a" -v b="$b" 'BEGIN {printf "%.2f", a/b}')"
done
su=$(median "${T[helm|helm_ref start-up]}")
printf '%-34s %9s %9d\n' "helm_ref start-up (Python)" "" "$su"
a=$(median "${T[origanctl|install --wait]}"); b=$(median "${T[helm|install --wait]}")
awk -v a="$a" -v b="$b" -v s="$su" 'BEGIN {
  printf "install --wait: origanctl/Helm = %.2f raw wall time (the target: <= 0.50), %.2f with Helm'"'"'s Python start-up taken off\n", a/b, a/(b-s)
}'
