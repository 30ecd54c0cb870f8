#!/usr/bin/env bash
# Starts a real local Kubernetes control plane for the tests, loopback only:
#   etcd -> kube-apiserver (TLS, client-cert auth, RBAC) -> kube-controller-manager,
#   kube-scheduler -> kwok (fakes 2 nodes and the pod/PVC lifecycle).
# State lives in .local/cluster/: env (ports, paths), kubeconfig (admin, self-contained),
# pki/, *.pid, *.log, etcd/. Binaries come from build.sh (built once per machine).
# Idempotent: if the cluster is already up it says so and exits 0; a half-up cluster is
# stopped and started afresh. Stop with cluster-down.sh.
#
# Env: CLUSTER_TIMEOUT (default 180) seconds allowed for each component to become ready.
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

CL="$LOCAL_DIR/cluster"
# Two callers at once (parallel test runs, helpers sharing .local) would both see a
# half-up cluster and both start one, the second orphaning the first's processes.
mkdir -p "$CL"
exec 9>"$CL.lock"
flock 9
ENVF="$CL/env"
KCFG="$CL/kubeconfig"
PKI="$CL/pki"
TIMEOUT=${CLUSTER_TIMEOUT:-180}
COMPONENTS=(etcd kube-apiserver kube-controller-manager kube-scheduler kwok)
command -v kubectl >/dev/null || die "kubectl not found (expected /usr/bin/kubectl)"
kc() { kubectl --kubeconfig "$KCFG" --request-timeout=10s "$@"; }

is_up() {
  [[ -s $ENVF && -s $KCFG ]] || return 1
  local c
  for c in "${COMPONENTS[@]}"; do pid_alive "$CL/$c.pid" || return 1; done
  kc get --raw /readyz >/dev/null 2>&1
}

fail() {
  log "ERROR: $*; logs are in .local/cluster/*.log; stopping what was started"
  for c in kwok kube-scheduler kube-controller-manager kube-apiserver etcd; do stop_pid "$CL/$c.pid" "$c"; done
  exit 1
}

# --- kwok stages: upstream "fast" node/pod/volume stages (shipped with kwok, copied next to
# the binary by build.sh) with pod-ready taught to skip never-ready pods, plus our own
# pod-finish (replaces upstream pod-complete) and pod-never-ready stages ---
assemble_stages() {
  local f
  for f in node-initialize node-heartbeat-with-lease pod-delete \
    pv-bind pv-delete pvc-provision pvc-delete; do
    cat "$BIN/stages/$f.yaml"
    echo "---"
  done
  # Insert one matchExpression at the top of pod-ready's selector (NotIn on an absent label
  # matches, so unlabelled pods behave exactly as upstream).
  sed '/^    matchExpressions:$/a\
    - key: '"'"'.metadata.labels["origanctl.test/never-ready"]'"'"'\
      operator: '"'"'NotIn'"'"'\
      values:\
      - '"'"'true'"'"'' "$BIN/stages/pod-ready.yaml"
  echo "---"
  cat "$ENV_DIR/kwok/pod-finish.yaml"
  echo "---"
  cat "$ENV_DIR/kwok/pod-never-ready.yaml"
}
start_kwok() {
  assemble_stages >"$CL/kwok-stages.yaml"
  [[ $(grep -cF "key: '.metadata.labels[\"origanctl.test/never-ready\"]'" "$CL/kwok-stages.yaml") == 3 ]] ||
    fail "could not add the never-ready exclusion to kwok's pod-ready stage"
  start_bg kwok "$CL" "$BIN/kwok" --kubeconfig="$KCFG" --config="$CL/kwok-stages.yaml" \
    --manage-all-nodes=true --cidr=10.244.0.0/16 --node-ip=127.0.0.1 \
    --node-lease-duration-seconds=40
}
nodes_ready() {
  [[ $(kc get nodes -o 'jsonpath={range .items[*]}{.status.conditions[?(@.type=="Ready")].status}{"\n"}{end}' |
    grep -c True) == 2 ]]
}

if is_up; then
  # kwok reads its stages only at start: after a change to tests/env/kwok/*.yaml restart just
  # kwok (pods in flight merely pause for a few seconds) instead of the whole cluster.
  BIN=$(grep ^BIN= "$ENVF" | cut -d= -f2-)
  if [[ -d $BIN/stages ]] && ! cmp -s <(assemble_stages) "$CL/kwok-stages.yaml"; then
    log "kwok stages changed: restarting kwok"
    stop_pid "$CL/kwok.pid" kwok
    start_kwok
    wait_until "$TIMEOUT" "kwok nodes Ready" "$CL/kwok.pid" "$CL/kwok.log" nodes_ready ||
      fail "kwok did not come back"
  fi
  log "already up ($(grep ^API_SERVER= "$ENVF" | cut -d= -f2)); kubeconfig: .local/cluster/kubeconfig"
  exit 0
fi

t0=$SECONDS
BIN=$(bash "$ENV_DIR/build.sh" | tail -n 1)
[[ -x $BIN/kube-apiserver ]] || die "build.sh did not produce binaries in '$BIN'"

# Anything left from a previous, half-dead run: stop only our recorded PIDs, fresh etcd data.
for c in kwok kube-scheduler kube-controller-manager kube-apiserver etcd; do stop_pid "$CL/$c.pid" "$c"; done
rm -rf "$CL/etcd" "$ENVF" "$KCFG"
mkdir -p "$CL" "$PKI"

# --- PKI (kept across restarts; one CA signs the serving cert and the admin client cert) ---
make_ca "$PKI" origanctl-test-cluster-ca
make_cert "$PKI" apiserver "/CN=kube-apiserver" serverAuth \
  "IP:127.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local,IP:10.96.0.1"
make_cert "$PKI" admin "/O=system:masters/CN=origanctl-test-admin" clientAuth
[[ -s $PKI/sa.key ]] || {
  openssl genrsa -out "$PKI/sa.key" 2048 2>/dev/null
  openssl rsa -in "$PKI/sa.key" -pubout -out "$PKI/sa.pub" 2>/dev/null
}

# --- ports ---
ETCD_PORT=$(free_port)
ETCD_PEER_PORT=$(free_port)
API_PORT=$(free_port)
KCM_PORT=$(free_port)
SCHED_PORT=$(free_port)

b64() { base64 -w0 <"$1"; }
write_kubeconfig() {
  cat >"$KCFG.tmp" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: origanctl-test
  cluster:
    server: https://127.0.0.1:$API_PORT
    certificate-authority-data: $(b64 "$PKI/ca.crt")
users:
- name: origanctl-test-admin
  user:
    client-certificate-data: $(b64 "$PKI/admin.crt")
    client-key-data: $(b64 "$PKI/admin.key")
contexts:
- name: origanctl-test
  context: {cluster: origanctl-test, user: origanctl-test-admin}
current-context: origanctl-test
EOF
  chmod 600 "$KCFG.tmp"
  mv "$KCFG.tmp" "$KCFG"
}

# --- etcd ---
start_bg etcd "$CL" "$BIN/etcd" --name=origanctl-test --data-dir="$CL/etcd" \
  --listen-client-urls="http://127.0.0.1:$ETCD_PORT" --advertise-client-urls="http://127.0.0.1:$ETCD_PORT" \
  --listen-peer-urls="http://127.0.0.1:$ETCD_PEER_PORT" \
  --initial-advertise-peer-urls="http://127.0.0.1:$ETCD_PEER_PORT" \
  --initial-cluster="origanctl-test=http://127.0.0.1:$ETCD_PEER_PORT" \
  --unsafe-no-fsync=true --log-level=warn
wait_until "$TIMEOUT" etcd "$CL/etcd.pid" "$CL/etcd.log" \
  curl -sf --max-time 3 "http://127.0.0.1:$ETCD_PORT/health" || fail "etcd did not start"

# --- kube-apiserver ---
start_bg kube-apiserver "$CL" "$BIN/kube-apiserver" \
  --etcd-servers="http://127.0.0.1:$ETCD_PORT" \
  --bind-address=127.0.0.1 --advertise-address=127.0.0.1 --secure-port="$API_PORT" \
  --tls-cert-file="$PKI/apiserver.crt" --tls-private-key-file="$PKI/apiserver.key" \
  --client-ca-file="$PKI/ca.crt" \
  --service-account-issuer=https://kubernetes.default.svc.cluster.local \
  --service-account-key-file="$PKI/sa.pub" --service-account-signing-key-file="$PKI/sa.key" \
  --authorization-mode=Node,RBAC \
  --service-cluster-ip-range=10.96.0.0/16 \
  --allow-privileged=true \
  --endpoint-reconciler-type=none \
  --profiling=false --v=1
wait_until "$TIMEOUT" kube-apiserver "$CL/kube-apiserver.pid" "$CL/kube-apiserver.log" \
  curl -sf --max-time 5 --cacert "$PKI/ca.crt" --cert "$PKI/admin.crt" --key "$PKI/admin.key" \
  "https://127.0.0.1:$API_PORT/readyz" || fail "kube-apiserver did not become ready"
write_kubeconfig

# --- controller manager and scheduler (admin identity: system:masters) ---
start_bg kube-controller-manager "$CL" "$BIN/kube-controller-manager" \
  --kubeconfig="$KCFG" --authentication-kubeconfig="$KCFG" --authorization-kubeconfig="$KCFG" \
  --bind-address=127.0.0.1 --secure-port="$KCM_PORT" --leader-elect=false \
  --root-ca-file="$PKI/ca.crt" --service-account-private-key-file="$PKI/sa.key" \
  --cluster-signing-cert-file="$PKI/ca.crt" --cluster-signing-key-file="$PKI/ca.key" \
  --kube-api-qps=100 --kube-api-burst=200 --profiling=false --v=1
start_bg kube-scheduler "$CL" "$BIN/kube-scheduler" \
  --kubeconfig="$KCFG" --authentication-kubeconfig="$KCFG" --authorization-kubeconfig="$KCFG" \
  --bind-address=127.0.0.1 --secure-port="$SCHED_PORT" --leader-elect=false \
  --kube-api-qps=100 --kube-api-burst=200 --profiling=false --v=1

start_kwok

wait_until "$TIMEOUT" kube-controller-manager "$CL/kube-controller-manager.pid" "$CL/kube-controller-manager.log" \
  curl -sfk --max-time 5 "https://127.0.0.1:$KCM_PORT/healthz" || fail "kube-controller-manager not healthy"
wait_until "$TIMEOUT" kube-scheduler "$CL/kube-scheduler.pid" "$CL/kube-scheduler.log" \
  curl -sfk --max-time 5 "https://127.0.0.1:$SCHED_PORT/healthz" || fail "kube-scheduler not healthy"

kc apply -f "$ENV_DIR/kwok/cluster-objects.yaml" >"$CL/objects.log" 2>&1 ||
  { cat "$CL/objects.log" >&2; fail "could not create nodes/StorageClass"; }
wait_until "$TIMEOUT" "kwok nodes Ready" "$CL/kwok.pid" "$CL/kwok.log" nodes_ready ||
  fail "kwok did not make the nodes Ready"
# The ServiceAccount admission plugin rejects pods until the namespace's default SA exists.
wait_until "$TIMEOUT" "default ServiceAccount" "$CL/kube-controller-manager.pid" "$CL/kube-controller-manager.log" \
  kc -n default get serviceaccount default || fail "kube-controller-manager did not create the default ServiceAccount"

cat >"$ENVF.tmp" <<EOF
KUBECONFIG=$KCFG
API_SERVER=https://127.0.0.1:$API_PORT
ETCD_PORT=$ETCD_PORT
ETCD_PEER_PORT=$ETCD_PEER_PORT
API_PORT=$API_PORT
KCM_PORT=$KCM_PORT
SCHED_PORT=$SCHED_PORT
BIN=$BIN
EOF
mv "$ENVF.tmp" "$ENVF"
log "up in $((SECONDS - t0)) s: https://127.0.0.1:$API_PORT; kubeconfig: .local/cluster/kubeconfig"
