#!/usr/bin/env bash
# Stops the control plane started by cluster-up.sh: only the PIDs it recorded, in reverse
# start order, then removes the etcd data and env/kubeconfig (the PKI is kept). --purge also
# deletes .local/cluster entirely.
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
CL="$LOCAL_DIR/cluster"
for c in kwok kube-scheduler kube-controller-manager kube-apiserver etcd; do
  stop_pid "$CL/$c.pid" "$c"
done
rm -rf "$CL/etcd" "$CL/env" "$CL/kubeconfig"
if [[ ${1:-} == --purge ]]; then
  rm -rf "$CL"
  log "purged $CL"
fi
log "cluster down"
