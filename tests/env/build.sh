#!/usr/bin/env bash
# Builds the test control plane binaries (etcd, kube-apiserver, kube-controller-manager,
# kube-scheduler, kwok) from Go modules, once per machine, into
#   ~/.cache/origanctl-testenv/<versions>-<hash of wrapper modules>/
# and prints that directory on the last line of stdout. A second run only checks the cache.
# Never builds inside a test; never commits binaries.
#
# Env: ORIGANCTL_TESTENV_CACHE overrides the cache root; BUILD_NICE (default 10) the niceness.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=versions.env
. "$HERE/versions.env"

# Keep Go from fetching a newer toolchain behind our back, and keep the module cache deletable.
export GOTOOLCHAIN=local GOFLAGS="-modcacherw -buildvcs=false" CGO_ENABLED=0

log() { echo "build.sh: $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

command -v go >/dev/null || die "Go >= 1.24 is required (Debian's golang-go 1.19 is too old); install Go from go.dev"
gov=$(go env GOVERSION)
gominor=$(echo "$gov" | sed -E 's/^go1\.([0-9]+).*/\1/')
[[ $gominor =~ ^[0-9]+$ && $gominor -ge 26 ]] ||
  die "need Go >= 1.26 (kwok $KWOK_VERSION declares go 1.26.0); found $gov"

key=$(cat "$HERE"/versions.env "$HERE"/go/*/go.mod "$HERE"/go/*/go.sum "$HERE"/go/etcd/main.go |
  sha256sum | cut -c1-10)
CACHE_ROOT=${ORIGANCTL_TESTENV_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/origanctl-testenv}
BIN="$CACHE_ROOT/k8s$K8S_VERSION-etcd$ETCD_VERSION-kwok$KWOK_VERSION-$key"
mkdir -p "$BIN"

if [[ -f $BIN/.complete ]]; then
  echo "$BIN"
  exit 0
fi

# One builder per machine: a parallel caller waits, then finds the cache complete.
exec 9>"$CACHE_ROOT/.build.lock"
if ! flock -n 9; then
  log "another build holds $CACHE_ROOT/.build.lock; waiting"
  flock 9
fi
if [[ -f $BIN/.complete ]]; then
  echo "$BIN"
  exit 0
fi

NICE=${BUILD_NICE:-10}
gobuild() { nice -n "$NICE" go build -trimpath "$@"; }
t0=$(date +%s)

if ! "$BIN/etcd" --version 2>/dev/null | grep -q "etcd Version: $ETCD_VERSION"; then
  log "building etcd $ETCD_VERSION"
  (cd "$HERE/go/etcd" && gobuild -ldflags "-s -w" -o "$BIN/etcd.tmp" .)
  mv "$BIN/etcd.tmp" "$BIN/etcd"
fi

if ! "$BIN/kwok" --version 2>/dev/null | grep -q "$KWOK_VERSION"; then
  log "building kwok $KWOK_VERSION"
  (cd "$HERE/go/kwok" && gobuild -ldflags "-s -w" -o "$BIN/kwok.tmp" sigs.k8s.io/kwok/cmd/kwok)
  mv "$BIN/kwok.tmp" "$BIN/kwok"
fi

k8s_ok=1
for b in kube-apiserver kube-controller-manager kube-scheduler; do
  "$BIN/$b" --version 2>/dev/null | grep -q "Kubernetes v$K8S_VERSION" || k8s_ok=0
done
if [[ $k8s_ok == 0 ]]; then
  log "building kube-apiserver, kube-controller-manager, kube-scheduler $K8S_VERSION (the long part)"
  minor=$(echo "$K8S_VERSION" | cut -d. -f2)
  # Same -X version stamps as upstream hack/lib/version.sh; without them /version reports
  # v0.0.0-master and clients that branch on the server version get nonsense.
  ldf="-s -w"
  for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ldf="$ldf -X $p.gitVersion=v$K8S_VERSION -X $p.gitMajor=1 -X $p.gitMinor=$minor"
    ldf="$ldf -X $p.gitCommit=0000000000000000000000000000000000000000 -X $p.gitTreeState=clean"
    ldf="$ldf -X $p.buildDate=1970-01-01T00:00:00Z"
  done
  mkdir -p "$BIN/k8s.tmp"
  # One go build for all three: shared packages compile once, each main links into the dir.
  (cd "$HERE/go/k8s" && gobuild -ldflags "$ldf" -o "$BIN/k8s.tmp/" \
    k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager \
    k8s.io/kubernetes/cmd/kube-scheduler)
  mv "$BIN"/k8s.tmp/* "$BIN"/
  rmdir "$BIN/k8s.tmp"
fi

# kwok's standalone binary has no built-in stages; keep the upstream "fast" node/pod stages
# and the volume stages (shipped in the kwok module) next to the binary, so cluster-up.sh
# does not depend on the module cache still being there.
stages_src="$(cd "$HERE/go/kwok" && go env GOMODCACHE)/sigs.k8s.io/kwok@v$KWOK_VERSION/kustomize/stage"
[[ -d $stages_src ]] || (cd "$HERE/go/kwok" && go mod download sigs.k8s.io/kwok)
mkdir -p "$BIN/stages"
for f in node/fast/node-initialize node/heartbeat-with-lease/node-heartbeat-with-lease \
  pod/fast/pod-ready pod/fast/pod-complete pod/fast/pod-delete \
  volume/fast/pv-bind volume/fast/pv-delete volume/fast/pvc-provision volume/fast/pvc-delete; do
  cp "$stages_src/$f.yaml" "$BIN/stages/"
done

for b in etcd kwok kube-apiserver kube-controller-manager kube-scheduler; do
  [[ -x $BIN/$b ]] || die "missing $BIN/$b after build"
done
"$BIN/kube-apiserver" --version | grep -q "Kubernetes v$K8S_VERSION" || die "kube-apiserver has the wrong version"
touch "$BIN/.complete"
log "built in $(($(date +%s) - t0)) s into $BIN"
echo "$BIN"
