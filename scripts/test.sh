#!/usr/bin/env bash
# Every check and test of the project, in the order that fails fastest. Run through `make test`,
# which sets up the tools first.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/.tools/bin:$HOME/.cargo/bin:$PATH"
export CHROMEDRIVER=/usr/bin/chromedriver
# The grid test builds 100k rows in a debug wasm: more than the runner's 20 s default.
export WASM_BINDGEN_TEST_TIMEOUT=180

started=$(date +%s)
step() { printf '\n==> %s\n' "$*"; }

step "cargo fmt --check"
cargo fmt --all -- --check

step "clippy (native crates)"
cargo clippy -p cdr-core -p voipms-sim -p cdr-fuzz --all-targets -- -D warnings

step "clippy (wasm32 app and core)"
cargo clippy -p cdr-portal -p cdr-core --target wasm32-unknown-unknown --all-targets -- -D warnings

step "native tests"
cargo test -p cdr-core -p voipms-sim -p cdr-fuzz

step "fuzz cdr-core for 60 s (crates/cdr-fuzz; make fuzz runs it longer)"
make --no-print-directory fuzz FUZZ_SECONDS=60

step "browser tests (wasm-bindgen-test in headless Chromium)"
cargo test -p cdr-portal --target wasm32-unknown-unknown

step "trunk build --release"
trunk build --release

step "bundle report"
scripts/bundle-report.sh
# The gate itself must bite: a budget of one byte fails.
if BUNDLE_BUDGET_BYTES=1 scripts/bundle-report.sh >/dev/null 2>&1; then
  echo "the bundle gate passed a bundle over its budget" >&2
  exit 1
fi

step "simulator build"
cargo build --profile native -p voipms-sim

step "end-to-end tests (Playwright in Debian's Chromium)"
(cd e2e && npx playwright test)

step "deployment behind nginx (scripts/nginx-test.sh)"
scripts/nginx-test.sh

printf '\nall checks passed in %ss\n' "$(( $(date +%s) - started ))"
