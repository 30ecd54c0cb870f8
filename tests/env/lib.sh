# Shared helpers for the tests/env scripts (sourced, not run). Owns: repo-root discovery,
# free loopback ports, PID files, readiness polling with a log tail on failure, and a tiny
# openssl CA. Does not start anything by itself.
# shellcheck shell=bash

ENV_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$ENV_DIR/../.." && pwd)
LOCAL_DIR="$REPO_ROOT/.local"

log() { echo "$(basename "$0"): $*" >&2; }
die() {
  log "ERROR: $*"
  exit 1
}

# free_port: a TCP port on 127.0.0.1 that was free a moment ago (the kernel picks it; a
# later bind may still race with another process, callers retry on a failed start).
free_port() {
  python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'
}

# pid_alive FILE: true if FILE names a live process that is one of ours: its command line
# mentions this checkout's .local dir (every process we start gets a path under it). A stale
# PID file (reboot, PID reuse) therefore never makes us signal somebody else's process.
pid_alive() {
  [[ -s $1 ]] || return 1
  local pid
  pid=$(cat "$1")
  [[ $pid =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF "$LOCAL_DIR/"
}

# stop_pid FILE [NAME]: TERM the process named in FILE (only that PID), wait up to 15 s,
# then KILL; removes FILE.
stop_pid() {
  local f=$1 name=${2:-$(basename "$1" .pid)} pid i
  [[ -s $f ]] || {
    rm -f "$f"
    return 0
  }
  pid=$(cat "$f")
  if pid_alive "$f"; then
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 150; i++)); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
      log "$name (pid $pid) ignored TERM; killing"
      kill -KILL "$pid" 2>/dev/null || true
    fi
    log "stopped $name (pid $pid)"
  fi
  rm -f "$f"
}

# start_bg NAME DIR CMD...: runs CMD detached from our stdin/stdout, logging to DIR/NAME.log,
# writing its PID to DIR/NAME.pid. Fd 9 (the up scripts' lock) is not inherited, or the
# lock would outlive this script.
start_bg() {
  local name=$1 dir=$2
  shift 2
  nohup "$@" </dev/null >"$dir/$name.log" 2>&1 9>&- &
  echo $! >"$dir/$name.pid"
}

# wait_until TIMEOUT_S DESCRIPTION PIDFILE LOGFILE CMD...: polls CMD every 0.25 s until it
# succeeds; fails with the log tail if the process died or the timeout passed.
wait_until() {
  local timeout=$1 what=$2 pidf=$3 logf=$4
  shift 4
  local deadline=$((SECONDS + timeout))
  until "$@" >/dev/null 2>&1; do
    if [[ -n $pidf ]] && ! pid_alive "$pidf"; then
      log "ERROR: $what: process exited; last lines of $logf:"
      tail -n 30 "$logf" >&2 || true
      return 1
    fi
    if ((SECONDS >= deadline)); then
      log "ERROR: $what: not ready after ${timeout}s; last lines of $logf:"
      tail -n 30 "$logf" >&2 || true
      return 1
    fi
    sleep 0.25
  done
}

# make_ca DIR CN: DIR/ca.crt + DIR/ca.key (RSA 2048, 10 years), unless present.
make_ca() {
  local d=$1 cn=$2
  [[ -s $d/ca.crt && -s $d/ca.key ]] && return 0
  mkdir -p "$d"
  openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -keyout "$d/ca.key" -out "$d/ca.crt" \
    -subj "/CN=$cn" -addext "basicConstraints=critical,CA:TRUE" \
    -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
}

# make_cert DIR NAME SUBJECT EKU [SAN]: DIR/NAME.crt + .key signed by DIR/ca.*. rustls insists
# on CA:FALSE and an IP SAN for 127.0.0.1 on server certificates.
make_cert() {
  local d=$1 name=$2 subj=$3 eku=$4 san=${5:-}
  [[ -s $d/$name.crt && -s $d/$name.key ]] && return 0
  local ext="$d/$name.ext"
  {
    echo "basicConstraints=CA:FALSE"
    echo "keyUsage=critical,digitalSignature,keyEncipherment"
    echo "extendedKeyUsage=$eku"
    [[ -n $san ]] && echo "subjectAltName=$san"
  } >"$ext"
  openssl req -newkey rsa:2048 -nodes -keyout "$d/$name.key" -out "$d/$name.csr" -subj "$subj" 2>/dev/null
  openssl x509 -req -in "$d/$name.csr" -CA "$d/ca.crt" -CAkey "$d/ca.key" -CAcreateserial \
    -days 3650 -out "$d/$name.crt" -extfile "$ext" 2>/dev/null
  rm -f "$d/$name.csr" "$ext"
}
