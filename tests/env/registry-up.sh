#!/usr/bin/env bash
# Starts two local OCI registries (Debian's docker-registry, i.e. CNCF distribution 2.8) on
# free loopback ports, both with htpasswd (bcrypt) basic auth and the same user:
#   plain  - plain HTTP            -> REGISTRY=127.0.0.1:PORT
#   tls    - HTTPS, generated CA   -> REGISTRY_TLS=127.0.0.1:PORT2, REGISTRY_CA=<abs ca.crt>
# and writes .local/registry/env (KEY=VALUE lines, also valid bash). Idempotent: exits 0 and
# says so when both are already up. Stop with registry-down.sh.
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

REG="$LOCAL_DIR/registry"
# Two callers at once (parallel test runs, helpers sharing .local) would both see a
# half-up registry and both start one, the second orphaning the first's processes.
mkdir -p "$REG"
exec 9>"$REG.lock"
flock 9
ENVF="$REG/env"
BIN=$(command -v docker-registry || true)
[[ -n $BIN ]] || die "docker-registry not installed; run: bash tests/env/prereqs.sh"
command -v htpasswd >/dev/null || die "htpasswd not installed (apache2-utils); run: bash tests/env/prereqs.sh"

# probe URL [curl args...]: prints the HTTP status of GET URL.
probe() {
  local url=$1
  shift
  curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$@" "$url" || true
}

# probe_is CODE URL [curl args...]: true if GET URL answers CODE (re-evaluated per call, for
# wait_until).
probe_is() {
  local want=$1
  shift
  [[ $(probe "$@") == "$want" ]]
}

is_up() {
  [[ -s $ENVF ]] || return 1
  pid_alive "$REG/plain.pid" && pid_alive "$REG/tls.pid" || return 1
  # shellcheck disable=SC1090
  . "$ENVF"
  [[ $(probe "http://$REGISTRY/v2/") == 401 ]] &&
    [[ $(probe "https://$REGISTRY_TLS/v2/" --cacert "$REGISTRY_CA") == 401 ]]
}

if is_up; then
  log "already up: REGISTRY=$REGISTRY REGISTRY_TLS=$REGISTRY_TLS"
  exit 0
fi

# Half-up leftovers (a crashed instance, a stale env file): stop ours and start afresh.
stop_pid "$REG/plain.pid" registry-plain
stop_pid "$REG/tls.pid" registry-tls
rm -f "$ENVF"
mkdir -p "$REG/plain/data" "$REG/tls/data"

# Credentials are generated once per checkout and kept across restarts.
if [[ ! -s $REG/credentials ]]; then
  printf 'origanctl\n%s\n' "$(openssl rand -hex 12)" >"$REG/credentials"
fi
USER_NAME=$(sed -n 1p "$REG/credentials")
PASSWORD=$(sed -n 2p "$REG/credentials")
# distribution's htpasswd backend only accepts bcrypt entries (-B).
htpasswd -Bbn "$USER_NAME" "$PASSWORD" >"$REG/htpasswd"

make_ca "$REG/tls" "origanctl-test-registry-ca"
make_cert "$REG/tls" server "/CN=localhost" serverAuth "IP:127.0.0.1,DNS:localhost"

# write_config NAME PORT [tls]: a distribution config for one instance (http block last so
# the optional tls section can be appended under it).
write_config() {
  local name=$1 port=$2 tls=${3:-}
  cat >"$REG/$name/config.yml" <<EOF
version: 0.1
log:
  level: warn
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $REG/$name/data
  delete:
    enabled: true
  maintenance:
    uploadpurging:
      enabled: false
auth:
  htpasswd:
    realm: origanctl-test
    path: $REG/htpasswd
http:
  addr: 127.0.0.1:$port
  secret: $(openssl rand -hex 16)
EOF
  if [[ -n $tls ]]; then
    printf '  tls:\n    certificate: %s\n    key: %s\n' "$REG/tls/server.crt" "$REG/tls/server.key" \
      >>"$REG/$name/config.yml"
  fi
}

# start_instance NAME SCHEME [tls]: picks a port, starts, waits for 401 on /v2/; retries on a
# lost port race. Prints the port.
start_instance() {
  local name=$1 scheme=$2 tls=${3:-} port attempt code curl_tls=()
  [[ -n $tls ]] && curl_tls=(--cacert "$REG/tls/ca.crt")
  for attempt in 1 2 3; do
    port=$(free_port)
    write_config "$name" "$port" "$tls"
    start_bg "$name" "$REG" "$BIN" serve "$REG/$name/config.yml"
    if wait_until 60 "registry $name" "$REG/$name.pid" "$REG/$name.log" \
      probe_is 401 "$scheme://127.0.0.1:$port/v2/" "${curl_tls[@]}"; then
      echo "$port"
      return 0
    fi
    stop_pid "$REG/$name.pid" "registry-$name"
    log "registry $name failed on port $port (attempt $attempt)"
  done
  return 1
}

PORT=$(start_instance plain http) || die "could not start the plain registry"
PORT_TLS=$(start_instance tls https tls) || die "could not start the TLS registry"

# Check auth really works: 401 anonymous (above), 200 with the credentials.
code=$(probe "http://127.0.0.1:$PORT/v2/" -u "$USER_NAME:$PASSWORD")
[[ $code == 200 ]] || die "plain registry answered $code (want 200) with credentials"
code=$(probe "https://127.0.0.1:$PORT_TLS/v2/" -u "$USER_NAME:$PASSWORD" --cacert "$REG/tls/ca.crt")
[[ $code == 200 ]] || die "TLS registry answered $code (want 200) with credentials"

cat >"$ENVF.tmp" <<EOF
REGISTRY=127.0.0.1:$PORT
REGISTRY_USER=$USER_NAME
REGISTRY_PASSWORD=$PASSWORD
REGISTRY_TLS=127.0.0.1:$PORT_TLS
REGISTRY_CA=$REG/tls/ca.crt
EOF
mv "$ENVF.tmp" "$ENVF"
log "up: REGISTRY=127.0.0.1:$PORT REGISTRY_TLS=127.0.0.1:$PORT_TLS (env in .local/registry/env)"
