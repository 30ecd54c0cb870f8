#!/usr/bin/env bash
# Stops the registries started by registry-up.sh (only the PIDs it recorded) and removes
# .local/registry/env. Keeps credentials, CA and stored blobs for the next start; pass
# --purge to delete .local/registry entirely.
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
REG="$LOCAL_DIR/registry"
stop_pid "$REG/plain.pid" registry-plain
stop_pid "$REG/tls.pid" registry-tls
rm -f "$REG/env"
if [[ ${1:-} == --purge ]]; then
  rm -rf "$REG"
  log "purged $REG"
fi
log "registry down"
