#!/bin/sh
# Run one fuzz target for FUZZ_SECONDS (default 600) on one job, niced, with
# the seed corpus and dictionary from scripts/seed.py. Usage: run.sh TARGET
set -eu
cd "$(dirname "$0")/.."
t="$1"
case "$t" in
  gotmpl_*) dict=dict/gotmpl.dict ;;
  yaml_parse) dict=dict/yaml.dict ;;
  strvals) dict=dict/strvals.dict ;;
  *) echo "unknown target $t" >&2; exit 2 ;;
esac
[ -d "corpus/$t" ] || python3 scripts/seed.py
mkdir -p "artifacts/$t"
exec nice cargo +nightly fuzz run --fuzz-dir . -s none -O "$t" "corpus/$t" -- \
  -dict="$dict" -max_total_time="${FUZZ_SECONDS:-600}" \
  -timeout=10 -rss_limit_mb=4096 -max_len=8192 -print_final_stats=1 \
  -artifact_prefix="artifacts/$t/"
