# origanctl: every check CI runs is a target here; .ci/run calls `make test`.
SHELL := /bin/bash
CARGO ?= cargo
BIN := target/release/origanctl
SHARED ?= ../shared

.PHONY: build demo test lint fmt fmt-check bench conformance cluster-up cluster-down registry-up registry-down helm-ref env-up env-down

build:
	$(CARGO) build --release --locked

cluster-up:
	bash tests/env/cluster-up.sh

cluster-down:
	bash tests/env/cluster-down.sh

registry-up:
	bash tests/env/registry-up.sh

registry-down:
	bash tests/env/registry-down.sh

helm-ref:
	bash tests/env/helm-ref.sh
