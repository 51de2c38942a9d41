# Briefpack: `make run` and `make test` are all a new machine needs.
SHELL := /bin/bash
CARGO ?= cargo
EXAMPLE := briefings/mi5-threat-update-2025

.PHONY: deps build run test lint bench

deps:
	@scripts/deps.sh

build: deps
	$(CARGO) build --workspace

run: build
	$(CARGO) run -q -p briefpack-cli -- check $(EXAMPLE)
	$(CARGO) run -q -p briefpack-cli -- build $(EXAMPLE)
	$(CARGO) run -q -p briefpack-cli -- build $(EXAMPLE) --template training-handout --edition participant
	$(CARGO) run -q -p briefpack-cli -- build $(EXAMPLE) --template training-handout --edition facilitator

test: deps
	$(CARGO) test --workspace
	$(CARGO) clippy --workspace --all-targets -- -D warnings

lint:
	$(CARGO) clippy --workspace --all-targets -- -D warnings

bench:
	@BENCH=1 scripts/deps.sh
	scripts/bench.sh
