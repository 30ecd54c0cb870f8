# origanctl: every check CI runs is a target here; .ci/run calls `make test`.
SHELL := /bin/bash
CARGO ?= cargo
BIN := target/release/origanctl
SHARED ?= ../shared
PY ?= python3

.PHONY: build demo test golden-record publish fuzz lint fmt fmt-check bench conformance cluster-up cluster-down \
        registry-up registry-down helm-ref env-up env-down

build:
	$(CARGO) build --release --locked

# The newcomer's first command: build, start the local control plane, install
# Origan's development environment, upgrade it, roll it back.
DEMO_KUBECONFIG := .local/cluster/kubeconfig
DEMO := KUBECONFIG=$(DEMO_KUBECONFIG) $(BIN)
demo: build cluster-up
	$(DEMO) upgrade --install origan charts/origan -n origan --create-namespace -f values/development.yaml --wait --timeout 5m
	$(DEMO) status origan -n origan
	$(DEMO) history origan -n origan
	$(DEMO) upgrade origan charts/origan -n origan -f values/development.yaml --set runner.replicaCount=2 --wait
	$(DEMO) rollback origan -n origan --wait
	$(DEMO) history origan -n origan

# fmt + clippy, then every test: unit tests, the conformance ratchets and the
# integration tests against the local control plane and registry, which are
# started here when they are not running.
# The corpora were recorded with TZ=UTC (dates in Sprig's functions).
export TZ := UTC

test: fmt-check lint
	$(CARGO) build --release --locked
	$(CARGO) test --workspace --locked --no-run
	bash tests/env/helm-ref.sh
	bash tests/env/ensure-up.sh
	$(CARGO) test --workspace --locked
	.local/helm-venv/bin/python -m pytest -q tests/chart

# Re-record Helm's expected output (review the diff before committing).
golden-record: helm-ref
	.local/helm-venv/bin/python tests/golden/record.py

lint:
	$(CARGO) clippy --workspace --all-targets --locked -- -D warnings

fmt:
	$(CARGO) fmt --all

fmt-check:
	$(CARGO) fmt --all -- --check

# Both conformance runners against the release binary; prints their summaries.
conformance: build
	@$(PY) $(SHARED)/conformance/functions/run.py \
	    --cmd '$(CURDIR)/$(BIN) template {release} {chart} -n {namespace}' | tail -n 12
	@$(PY) $(SHARED)/conformance/run.py \
	    --cmd '$(CURDIR)/$(BIN) template {release} {chart} -n {namespace} {values_args}' | tail -n 3
	@$(PY) $(SHARED)/conformance/run.py --mode data \
	    --cmd '$(CURDIR)/$(BIN) template {release} {chart} -n {namespace} {values_args}' | tail -n 1

bench: build helm-ref cluster-up
	.local/helm-venv/bin/python tests/bench/render.py --bin $(BIN) --charts $(SHARED)/conformance/charts
	bash tests/lifecycle/bench.sh $(BIN)

cluster-up:
	bash tests/env/cluster-up.sh

cluster-down:
	bash tests/env/cluster-down.sh

registry-up:
	bash tests/env/registry-up.sh

registry-down:
	bash tests/env/registry-down.sh

env-up: cluster-up registry-up

env-down: cluster-down registry-down

helm-ref:
	bash tests/env/helm-ref.sh

# Package and push charts/origan, as the release workflow does:
#   make publish REGISTRY=oci://HOST/PATH [REGISTRY_USER=.. REGISTRY_PASSWORD=..] [PLAIN_HTTP=1]
publish: build
	REGISTRY=$(REGISTRY) ORIGANCTL=$(BIN) bash tests/publish.sh

# cargo-fuzz targets (nightly + cargo-fuzz); each runs FUZZ_SECONDS.
FUZZ_SECONDS ?= 600
FUZZ_TARGETS := gotmpl_parse gotmpl_exec yaml_parse strvals
fuzz: $(addprefix fuzz-,$(FUZZ_TARGETS))
fuzz-%:
	FUZZ_SECONDS=$(FUZZ_SECONDS) tests/fuzz/scripts/run.sh $*
