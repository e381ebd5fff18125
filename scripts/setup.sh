#!/usr/bin/env bash
# Installs everything the build and the tests need on a Debian 12 machine with rustup.
# Every step checks first, so a warm machine gets through in seconds. Only crates.io, npm and
# Debian's archive are used: nothing is fetched from GitHub or any tool vendor.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

TRUNK_VERSION=0.21.14
BINARYEN_VERSION=132.0.0
# The CLI must equal the wasm-bindgen crate of Cargo.lock (pinned with `=` in Cargo.toml).
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/ {getline; gsub(/[^0-9.]/, ""); print; exit}' Cargo.lock)
TOOLS="$root/.tools"

log() { printf 'setup: %s\n' "$*"; }
sudo_if_needed() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# Rust targets and components.
rustup target list --installed | grep -qx wasm32-unknown-unknown ||
  { log "adding the wasm32 target"; rustup target add wasm32-unknown-unknown; }
for c in clippy rustfmt; do
  rustup component list --installed | grep -q "^$c" ||
    { log "adding $c"; rustup component add "$c"; }
done

# Debian packages: Chromium for the browser tests, nginx and its njs module (the API guard)
# and brotli static module (the .br files) for the deployment test, brotli for the bundle
# report and deploy/precompress.sh.
missing=()
command -v chromium >/dev/null || missing+=(chromium)
command -v chromedriver >/dev/null || missing+=(chromium-driver)
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing+=(nginx-light)
dpkg -s libnginx-mod-http-js >/dev/null 2>&1 || missing+=(libnginx-mod-http-js)
dpkg -s libnginx-mod-http-brotli-static >/dev/null 2>&1 || missing+=(libnginx-mod-http-brotli-static)
command -v brotli >/dev/null || missing+=(brotli)
if [ ${#missing[@]} -gt 0 ]; then
  log "installing Debian packages: ${missing[*]}"
  sudo_if_needed apt-get update -qq
  sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The two cargo installs are long (Trunk about 17 minutes on 2 cores): run them side by side,
# with thin LTO off and parallel codegen since their speed does not matter to us.
export CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16
pids=()
if [ "$(trunk --version 2>/dev/null)" != "trunk $TRUNK_VERSION" ]; then
  log "installing trunk $TRUNK_VERSION (cargo install, takes a while)"
  cargo install trunk --locked --version "$TRUNK_VERSION" --quiet &
  pids+=($!)
fi
if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]; then
  log "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (cargo install, takes a while)"
  # Not --locked: its lockfile names a crate version the registry no longer has.
  cargo install wasm-bindgen-cli --version "=$WASM_BINDGEN_VERSION" --force --quiet &
  pids+=($!)
fi

# wasm-opt from npm's binaryen, in a folder of our own: Debian's binaryen 108 emits a broken wasm.
if [ "$("$TOOLS/bin/wasm-opt" --version 2>/dev/null | awk '{print $3}')" != "${BINARYEN_VERSION%%.*}" ]; then
  log "installing binaryen $BINARYEN_VERSION from npm"
  npm install --silent --global --prefix "$TOOLS" "binaryen@$BINARYEN_VERSION" >/dev/null
fi

# Playwright and the AG Grid peer for the benchmark, exactly as package-lock.json says.
if [ ! -d e2e/node_modules ] || ! cmp -s e2e/package-lock.json e2e/node_modules/.package-lock.json.copy; then
  log "installing the e2e Node packages (npm ci)"
  (cd e2e && npm ci --silent --no-audit --no-fund && cp package-lock.json node_modules/.package-lock.json.copy)
fi

for p in "${pids[@]}"; do wait "$p"; done

# Trunk builds offline, so every crate must be in the local registry beforehand.
cargo fetch --quiet
log "ready"
