#!/usr/bin/env bash
# Brings up the test cluster and registries if they are not running (used by `make test`),
# printing what it did. Both scripts are idempotent; this only adds one summary line.
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
bash "$ENV_DIR/cluster-up.sh"
bash "$ENV_DIR/registry-up.sh"
log "cluster: .local/cluster/kubeconfig ($(grep ^API_SERVER= "$LOCAL_DIR/cluster/env" | cut -d= -f2)); registry: $(grep -E '^REGISTRY(_TLS)?=' "$LOCAL_DIR/registry/env" | tr '\n' ' ')"
