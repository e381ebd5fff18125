# The two commands of the README: `make run` and `make test`. Both set up what is missing.
SHELL := /bin/bash
export PATH := $(CURDIR)/.tools/bin:$(HOME)/.cargo/bin:$(PATH)

PORT ?= 8080
CALLS ?= 20000
FUZZ_SECONDS ?= 1800
# E.g. FUZZ_FLAGS="--seed 42 --skip-known" (see crates/cdr-fuzz/README.md).
FUZZ_FLAGS ?=
# The fuzzer's build: the dev profile (overflow checks, debug assertions, panics that unwind)
# at opt-level 3 for every crate. Its dependencies are built apart from the dev ones (the
# profile differs), so neither build undoes the other.
FUZZ_CARGO = --config 'profile.dev.package."*".opt-level=3' --config 'profile.dev.package.cdr-fuzz.opt-level=3'

.PHONY: run test setup app sim bench bench-browser bench-lighthouse fuzz clean

## Set up, build the app and serve it through the simulator with demo data.
run: setup app sim
	./target/native/voipms-sim --port $(PORT) --dist dist --data-dir data --calls $(CALLS)

## Set up, then every check and test; non-zero on any failure.
test: setup
	scripts/test.sh

setup:
	scripts/setup.sh

app:
	trunk build --release

sim:
	cargo build --profile native -p voipms-sim

## Benchmarks that print figures (outside the pass/fail of `make test`).
bench: setup
	cargo bench -p cdr-core --bench decode
	cargo bench -p voipms-sim --bench load

## Fuzz cdr-core for FUZZ_SECONDS (regressions first); non-zero on any finding.
fuzz:
	cargo run -q -p cdr-fuzz $(FUZZ_CARGO) -- --seconds $(FUZZ_SECONDS) $(FUZZ_FLAGS)

## The explorer in Chromium against a million simulated calls, then side by side with
## JSON.parse and AG Grid Community at 10k, 100k and 1M rows (each prints a table of figures).
bench-browser: setup app sim
	cd e2e && node bench/explorer-bench.mjs
	cd e2e && node bench/compare.mjs

## Lighthouse (desktop and mobile presets) on the Calls and Rates pages, first and repeat visit,
## served by nginx from deploy/ in front of the simulator; writes e2e/bench/LIGHTHOUSE.md.
bench-lighthouse: setup app sim
	cd e2e && node bench/lighthouse.mjs

clean:
	cargo clean
	rm -rf dist .tools e2e/node_modules
