#!/usr/bin/env bash
# Creates .local/helm-venv with the reference Helm (helm-python-sdk 0.2.2, Helm v4.2.3's Go SDK
# via ctypes) plus PyYAML and pytest, unless it already works. Fast when present.
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
VENV=${HELM_VENV:-$LOCAL_DIR/helm-venv}
HELM_SDK=helm-python-sdk==0.2.2

check() {
  "$VENV/bin/python" - <<'PY' 2>/dev/null
import helm_python, yaml, pytest
assert helm_python.__version__ == "0.2.2", helm_python.__version__
helm_python.helm_sdk_version()
PY
}

if [[ -x $VENV/bin/python ]] && check; then
  log "helm venv ready ($VENV)"
  exit 0
fi
log "creating $VENV with $HELM_SDK"
[[ -x $VENV/bin/python ]] || python3 -m venv "$VENV"
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "$HELM_SDK" PyYAML pytest
check || die "helm_python does not load from $VENV"
log "helm venv ready: Helm SDK $("$VENV/bin/python" -c 'import helm_python;print(helm_python.helm_sdk_version())')"
