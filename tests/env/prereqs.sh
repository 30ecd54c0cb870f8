#!/usr/bin/env bash
# Installs what the test environment needs on a Debian (bookworm) machine and builds the
# control plane binaries (build.sh). Skips whatever is already present, so a second run is fast.
# Needs root or passwordless sudo for apt-get. Go >= 1.26 must already be installed.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
log() { echo "prereqs.sh: $*" >&2; }

SUDO=()
if [[ $(id -u) != 0 ]]; then SUDO=(sudo -n); fi

# package -> a file it installs (cheap presence check without dpkg-query per package)
declare -A want=(
  [docker-registry]=/usr/bin/docker-registry
  [apache2-utils]=/usr/bin/htpasswd
  [openssl]=/usr/bin/openssl
  [curl]=/usr/bin/curl
  [python3]=/usr/bin/python3
  [ca-certificates]=/etc/ssl/certs/ca-certificates.crt
  [util-linux]=/usr/bin/flock
  [make]=/usr/bin/make
  [gcc]=/usr/bin/cc
)
missing=()
for p in "${!want[@]}"; do
  [[ -e ${want[$p]} ]] || missing+=("$p")
done
# helm-ref.sh makes a venv: python3-venv ships the ensurepip module it needs.
python3 -c 'import ensurepip' 2>/dev/null || missing+=(python3-venv)

if ((${#missing[@]})); then
  log "installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  "${SUDO[@]}" apt-get update -qq
  # docker-registry's postinst would start a system-wide registry on :5000 (all interfaces).
  # A temporary policy-rc.d forbids service starts during this install (Debian's documented
  # mechanism); only create it when none exists, and remove only our own.
  made_policy=0
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    printf '#!/bin/sh\nexit 101\n' | "${SUDO[@]}" tee /usr/sbin/policy-rc.d >/dev/null
    "${SUDO[@]}" chmod +x /usr/sbin/policy-rc.d
    made_policy=1
  fi
  rc=0
  "${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" || rc=$?
  if [[ $made_policy == 1 ]]; then "${SUDO[@]}" rm -f /usr/sbin/policy-rc.d; fi
  [[ $rc == 0 ]] || { log "apt-get install failed ($rc)"; exit "$rc"; }
else
  log "apt packages present"
fi

command -v go >/dev/null || { log "ERROR: Go >= 1.26 not found on PATH (needed to build the control plane)"; exit 1; }

bash "$HERE/build.sh" >/dev/null
log "control plane binaries ready: $(bash "$HERE/build.sh")"
