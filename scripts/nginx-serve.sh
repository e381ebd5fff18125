#!/usr/bin/env bash
# Serves a snapshot of the built app the way production does (issue 15): a real nginx rendered
# from deploy/nginx.conf, with its caching, brotli and gzip copies (deploy/precompress.sh),
# headers and API guard, in front of the simulator as the API upstream; plain http on
# loopback, like scripts/nginx-test.sh. It runs until it gets TERM or INT (Ctrl-C), then stops
# both and removes its work directory. e2e/bench/lighthouse.mjs runs it; it is also a way to
# look at the app as production serves it.
#
#   scripts/nginx-serve.sh [simulator flags]   (after `trunk build --release` and the simulator
#                                              build; default flags: --calls 20000 --seed 7
#                                              --rate-limit 0)
#
# Environment: SERVE_PORT (18470) for nginx, SERVE_SIM_PORT (18471) for the simulator, DIST
# (dist) the build to snapshot, KEEP=1 keeps the work directory (configuration, logs).
# Prints "nginx-serve: serving http://127.0.0.1:PORT" once nginx answers.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/.tools/bin:$HOME/.cargo/bin:$PATH:/usr/sbin:/sbin"

PORT=${SERVE_PORT:-18470}
SIM_PORT=${SERVE_SIM_PORT:-18471}
DIST=${DIST:-dist}
[ $# -gt 0 ] || set -- --calls 20000 --seed 7 --rate-limit 0

log() { printf 'nginx-serve: %s\n' "$*"; }
die() { printf 'nginx-serve: %s\n' "$*" >&2; exit 1; }
# shellcheck source=scripts/simulator.sh
. scripts/simulator.sh

NGINX=$(command -v nginx) || die "no nginx: run scripts/setup.sh (Debian's nginx-light)"
dpkg -s libnginx-mod-http-js >/dev/null 2>&1 || die "no njs module: apt-get install libnginx-mod-http-js"
dpkg -s libnginx-mod-http-brotli-static >/dev/null 2>&1 ||
  die "no brotli static module: apt-get install libnginx-mod-http-brotli-static"
command -v brotli >/dev/null || die "no brotli (deploy/precompress.sh needs it): apt-get install brotli"
[ -f "$DIST/index.html" ] || die "no $DIST/index.html: run trunk build --release first"
[ -x target/native/voipms-sim ] || die "no target/native/voipms-sim: cargo build --profile native -p voipms-sim"
for p in "$PORT" "$SIM_PORT"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then die "port $p is already in use"; fi
done

work=$(mktemp -d /tmp/cdr-nginx-serve.XXXXXX)
# nginx's workers drop root to "nobody" and must reach the served files.
chmod 755 "$work"
mkdir -p "$work"/{logs,tmp,data}
sim_pid=
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  if [ -f "$work/logs/nginx.pid" ]; then
    kill -QUIT "$(cat "$work/logs/nginx.pid")" 2>/dev/null || true
    for _ in $(seq 50); do [ -f "$work/logs/nginx.pid" ] || break; sleep 0.1; done
  fi
  if [ -n "$sim_pid" ]; then
    kill "$sim_pid" 2>/dev/null || true
    wait "$sim_pid" 2>/dev/null || true
  fi
  if [ "$rc" != 0 ] && [ "$rc" != 143 ] && [ "$rc" != 130 ]; then
    for f in "$work/logs/error.log" "$work/sim.log"; do
      [ -s "$f" ] && { echo "--- last lines of $f" >&2; tail -n 20 "$f" >&2; }
    done
  fi
  if [ "${KEEP:-0}" = 1 ]; then log "kept $work"; else rm -rf "$work"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 143' TERM
trap 'exit 130' INT

# A snapshot of the build (dist/ may be rebuilt meanwhile), precompressed as in production.
mkdir "$work/www"
cp -R "$DIST"/. "$work/www/"
rm -rf "$work/www/.stage"
for ref in $(grep -oE '(href|src|module_or_path: )=?["'"'"']/[^"'"'"']+' "$work/www/index.html" | grep -oE '/[^"'"'"']+$'); do
  [ -f "$work/www$ref" ] || die "index.html names $ref, which the build lacks (was a build running?)"
done
deploy/precompress.sh "$work/www"
chmod -R a+rX "$work/www"

DIST="$work/www" LISTEN="127.0.0.1:$PORT" UPSTREAM="http://127.0.0.1:$SIM_PORT" \
  deploy/render-nginx.sh -o "$work/nginx.conf"
"$NGINX" -t -q -p "$work" -c "$work/nginx.conf" || die "nginx -t of the rendered configuration"

# No --dist: nginx alone serves the app.
start_simulator "$SIM_PORT" "$work/sim.log" --data-dir "$work/data" --quiet "$@"

"$NGINX" -p "$work" -c "$work/nginx.conf"
for _ in $(seq 100); do
  curl -s -o /dev/null --max-time 2 "http://127.0.0.1:$PORT/" && break
  sleep 0.1
done
curl -s -o /dev/null --max-time 2 "http://127.0.0.1:$PORT/" || die "nginx did not answer on port $PORT"
log "serving http://127.0.0.1:$PORT (nginx, files of $work/www) with the simulator on port $SIM_PORT"

# Until TERM or INT, or until the simulator dies.
wait "$sim_pid" || true
sim_pid=
die "the simulator exited"
