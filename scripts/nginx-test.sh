#!/usr/bin/env bash
# The deployment test (issue 7): the built app behind a real nginx rendered from
# deploy/nginx.conf, with the simulator as the API upstream, all on loopback.
#
#   scripts/nginx-test.sh        (after `trunk build --release` and the simulator build)
#
# It renders the template (plus the production shapes, TLS and --site, checked with nginx -t),
# starts the simulator (no --dist: nginx alone serves the app) and nginx with a prefix
# directory, checks the response headers, compression and the API proxy with curl, runs the
# Playwright smoke test (e2e/nginx/) through nginx, and checks that no log holds the password.
# Everything it starts is stopped on exit; non-zero on any failure.
#
# Environment: NGINX_TEST_PORT (18443), NGINX_TEST_SIM_PORT (18444), KEEP=1 keeps the work
# directory (configuration, logs) for a look afterwards.
# The checks are shell code in single quotes, evaluated by expect(); hence:
# shellcheck disable=SC2016,SC2034
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
export PATH="$repo/.tools/bin:$HOME/.cargo/bin:$PATH:/usr/sbin:/sbin"

PORT=${NGINX_TEST_PORT:-18443}
SIM_PORT=${NGINX_TEST_SIM_PORT:-18444}
BASE="http://127.0.0.1:$PORT"
USER_NAME=demo@example.com
PASSWORD=demo-api-password
started=$(date +%s)

log() { printf 'nginx-test: %s\n' "$*"; }
die() { printf 'nginx-test: FAIL: %s\n' "$*" >&2; exit 1; }
sudo_if_needed() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# --- prerequisites -----------------------------------------------------------------------------

if ! command -v nginx >/dev/null; then
  log "installing nginx-light from Debian"
  sudo_if_needed apt-get update -qq
  sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx-light >/dev/null
fi
NGINX=$(command -v nginx)
[ -f dist/index.html ] || die "no dist/index.html: run trunk build --release first"
[ -x target/native/voipms-sim ] || cargo build --profile native -p voipms-sim
[ -d e2e/node_modules/@playwright/test ] || die "no e2e/node_modules: run scripts/setup.sh first"
for p in "$PORT" "$SIM_PORT"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then die "port $p is already in use"; fi
done

# --- work directory and clean-up ------------------------------------------------------------

work=$(mktemp -d /tmp/cdr-nginx-test.XXXXXX)
# nginx's workers drop root to "nobody" and must reach the served files.
chmod 755 "$work"
mkdir -p "$work"/{logs,tmp,data,h}
sim_pid=
cleanup() {
  local rc=$?
  if [ -f "$work/logs/nginx.pid" ]; then
    kill -QUIT "$(cat "$work/logs/nginx.pid")" 2>/dev/null || true
    for _ in $(seq 50); do [ -f "$work/logs/nginx.pid" ] || break; sleep 0.1; done
  fi
  if [ -n "$sim_pid" ]; then
    kill "$sim_pid" 2>/dev/null || true
    wait "$sim_pid" 2>/dev/null || true
  fi
  if [ "$rc" != 0 ]; then
    for f in "$work/logs/error.log" "$work/sim.log"; do
      [ -s "$f" ] && { echo "--- last lines of $f" >&2; tail -n 20 "$f" >&2; }
    done
  fi
  if [ "${KEEP:-0}" = 1 ]; then log "kept $work"; else rm -rf "$work"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# A snapshot of the build: nginx serves the copy, which also gets the .gz files later on.
mkdir "$work/www"
cp -R dist/. "$work/www/"
rm -rf "$work/www/.stage"
chmod -R a+rX "$work/www"
for ref in $(grep -oE '(href|src|module_or_path: )=?["'"'"']/[^"'"'"']+' "$work/www/index.html" | grep -oE '/[^"'"'"']+$'); do
  [ -f "$work/www$ref" ] || die "index.html names $ref, which the build lacks (was a build running?)"
done
wasm=$(cd "$work/www" && ls ./*_bg.wasm | head -1); wasm=${wasm#./}
js=${wasm%_bg.wasm}.js
css=$(cd "$work/www" && ls ./main-*.css | head -1); css=${css#./}

# --- render and check the configurations ---------------------------------------------------

log "rendering deploy/nginx.conf"
DIST="$work/www" LISTEN="127.0.0.1:$PORT" UPSTREAM="http://127.0.0.1:$SIM_PORT" \
  deploy/render-nginx.sh -o "$work/nginx.conf"
"$NGINX" -t -q -p "$work" -c "$work/nginx.conf" || die "nginx -t of the test configuration"

# The production shapes (TLS, https upstream with verification, system-nginx site file) must be
# valid nginx too. The certificate is a throw-away self-signed one; nothing listens.
if command -v openssl >/dev/null; then
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=cdr.example.com \
    -keyout "$work/tls.key" -out "$work/tls.crt" 2>/dev/null
  for mode in standalone site; do
    DIST="$work/www" SERVER_NAME=cdr.example.com TLS_CERT="$work/tls.crt" TLS_KEY="$work/tls.key" \
      LOG_DIR="$work/logs" RESOLVER=127.0.0.1 deploy/render-nginx.sh --"$mode" -o "$work/prod-$mode.conf"
  done
  printf '%s\n' 'pid logs/nginx-t.pid;' 'events {}' 'http {' \
    '  client_body_temp_path tmp/b; proxy_temp_path tmp/p; fastcgi_temp_path tmp/f;' \
    '  uwsgi_temp_path tmp/u; scgi_temp_path tmp/s;' \
    "  include $work/prod-site.conf;" '}' >"$work/prod-site-wrapper.conf"
  "$NGINX" -t -q -p "$work" -c "$work/prod-standalone.conf" || die "nginx -t of the TLS configuration"
  "$NGINX" -t -q -p "$work" -c "$work/prod-site-wrapper.conf" || die "nginx -t of the --site configuration"
  grep -q 'proxy_ssl_verify on;' "$work/prod-standalone.conf" || die "production render lacks proxy_ssl_verify"
  log "production renders (TLS, https upstream, --site) pass nginx -t"
else
  log "no openssl: the TLS render is not checked"
fi
if UPSTREAM=https://www.voip.ms DIST="$work/www" deploy/render-nginx.sh >/dev/null 2>&1; then
  die "the render script accepted www.voip.ms as the upstream"
fi

# --- start the simulator and nginx ---------------------------------------------------------

log "starting the simulator on 127.0.0.1:$SIM_PORT (3000 calls)"
target/native/voipms-sim --port "$SIM_PORT" --data-dir "$work/data" --calls 3000 >"$work/sim.log" 2>&1 &
sim_pid=$!
for _ in $(seq 300); do
  kill -0 "$sim_pid" 2>/dev/null || die "the simulator exited"
  code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$SIM_PORT/api/v1/rest.php" || true)
  [ "$code" != 000 ] && break
  sleep 0.2
done
[ "$code" != 000 ] || die "the simulator did not answer within 60 s"

log "starting nginx on $BASE"
"$NGINX" -p "$work" -c "$work/nginx.conf" # daemonizes; the pid is in $work/logs/nginx.pid
up=0
for _ in $(seq 100); do
  curl -s -o /dev/null --max-time 2 "$BASE/" && { up=1; break; }
  sleep 0.1
done
[ "$up" = 1 ] || die "nginx did not answer on $BASE"

# --- header checks -------------------------------------------------------------------------

fails=0
# expect DESCRIPTION CONDITION: CONDITION is shell code, evaluated here and now.
expect() {
  if eval "$2"; then printf '  ok    %s\n' "$1"; else printf '  FAIL  %s\n' "$1"; fails=$((fails + 1)); fi
}
# get NAME URL [curl args]: headers to h/NAME.h, body to h/NAME.b; sets $status and $size.
get() {
  local name=$1 url=$2; shift 2
  read -r status size < <(curl -sS --max-time 30 -D "$work/h/$name.h" -o "$work/h/$name.b" \
    -w '%{http_code} %{size_download}\n' "$@" "$url" || echo 000 0)
}
hdr() { # NAME HEADER: the value of the first such header
  grep -i "^$2:" "$work/h/$1.h" | head -1 | cut -d: -f2- | sed 's/^ *//; s/\r$//'
}
has() { [[ $(hdr "$1" "$2") =~ $3 ]]; } # NAME HEADER REGEX
lacks() { ! grep -qi "^$2:" "$work/h/$1.h"; }
security_headers() { # NAME
  has "$1" Content-Security-Policy "default-src 'self'" &&
    has "$1" Content-Security-Policy "script-src 'self' 'sha256-[A-Za-z0-9+/=]{44}' 'wasm-unsafe-eval'" &&
    has "$1" Content-Security-Policy "frame-ancestors 'none'" &&
    ! has "$1" Content-Security-Policy "unsafe-inline" &&
    has "$1" X-Content-Type-Options '^nosniff$' &&
    has "$1" Referrer-Policy '^no-referrer$'
}

echo "index.html"
get index "$BASE/" -H 'Accept-Encoding: gzip'
expect "GET / is 200 text/html" '[ "$status" = 200 ] && has index Content-Type "^text/html"'
expect "CSP (self, inline loader by sha256, wasm-unsafe-eval), nosniff, no-referrer" 'security_headers index'
expect "Cache-Control: no-cache" 'has index Cache-Control "^no-cache$"'
expect "Server header without a version" 'has index Server "^nginx$"'
printf '        CSP: %s\n' "$(hdr index Content-Security-Policy)"

get deep "$BASE/calls?range=last7"
expect "deep link /calls?range=last7 is index.html (SPA fallback)" \
  '[ "$status" = 200 ] && cmp -s "$work/h/deep.b" "$work/www/index.html"'
expect "deep link: CSP and no-cache" 'security_headers deep && has deep Cache-Control "^no-cache$"'

echo "assets ($wasm, $js, $css)"
raw_wasm=$(stat -c %s "$work/www/$wasm")
get wasm_raw "$BASE/$wasm"
expect "wasm without Accept-Encoding: 200 application/wasm, $raw_wasm bytes, no Content-Encoding" \
  '[ "$status" = 200 ] && has wasm_raw Content-Type "^application/wasm$" && [ "$size" = "$raw_wasm" ] &&
   lacks wasm_raw Content-Encoding'
expect "wasm: Cache-Control max-age=31536000, immutable" \
  'has wasm_raw Cache-Control "max-age=31536000.*immutable"'
expect "wasm: security headers" 'security_headers wasm_raw'

get wasm_gz "$BASE/$wasm" -H 'Accept-Encoding: gzip'
gz_dynamic=$size
expect "wasm asked with gzip: Content-Encoding gzip, application/wasm, Vary: Accept-Encoding" \
  '[ "$status" = 200 ] && has wasm_gz Content-Encoding "^gzip$" &&
   has wasm_gz Content-Type "^application/wasm$" && has wasm_gz Vary Accept-Encoding'
expect "wasm gzip decodes to the file" 'gzip -dc "$work/h/wasm_gz.b" | cmp -s - "$work/www/$wasm"'
for f in "$js" "$css"; do
  get asset "$BASE/$f" -H 'Accept-Encoding: gzip'
  expect "$f: immutable, gzip" '[ "$status" = 200 ] && has asset Cache-Control "max-age=31536000.*immutable" &&
    has asset Content-Encoding "^gzip$" && security_headers asset'
done
get missing "$BASE/cdr-portal-0123456789abcdef.js"
expect "a missing hashed asset is a 404, not index.html" '[ "$status" = 404 ]'
printf 'SECRET=1\n' >"$work/www/.env.js"
get dotfile "$BASE/.env.js"
expect "dot-files are 404, even one with an asset's extension" '[ "$status" = 404 ]'
rm -f "$work/www/.env.js"

log "precompressing the copy (deploy/precompress.sh) for gzip_static"
deploy/precompress.sh "$work/www"
gz_file=$(stat -c %s "$work/www/$wasm.gz")
get wasm_static "$BASE/$wasm" -H 'Accept-Encoding: gzip'
expect "gzip_static: the wasm comes from $wasm.gz ($gz_file bytes, Content-Length set)" \
  '[ "$status" = 200 ] && has wasm_static Content-Encoding "^gzip$" && [ "$size" = "$gz_file" ] &&
   has wasm_static Content-Length "^$gz_file$"'
expect "gzip_static: still application/wasm, immutable, with the security headers" \
  'has wasm_static Content-Type "^application/wasm$" && has wasm_static Cache-Control immutable &&
   security_headers wasm_static'
printf '        wasm served: raw %s B, gzip on the fly %s B, gzip_static (-9) %s B\n' \
  "$raw_wasm" "$gz_dynamic" "$gz_file"

echo "API proxy"
get api "$BASE/api/v1/rest.php" -F method=getCallBilling -F "api_username=$USER_NAME" -F "api_password=$PASSWORD"
expect "multipart POST getCallBilling through nginx: 200, status success" \
  '[ "$status" = 200 ] && grep -q "\"status\":\"success\"" "$work/h/api.b"'
expect "API: application/json, Cache-Control no-store, security headers" \
  'has api Content-Type "^application/json" && has api Cache-Control "^no-store$" && security_headers api'
get api_get "$BASE/api/v1/rest.php?method=getCallBilling&api_username=$USER_NAME&api_password=$PASSWORD"
expect "GET with the fields in the query string works too" \
  '[ "$status" = 200 ] && grep -q "\"status\":\"success\"" "$work/h/api_get.b"'
get api_cdr "$BASE/api/v1/rest.php" -H 'Accept-Encoding: gzip' -F method=getCDR \
  -F "api_username=$USER_NAME" -F "api_password=$PASSWORD" -F "date_from=$(date -u -d '-91 days' +%F)" \
  -F "date_to=$(date -u +%F)" -F timezone=0 -F answered=1 -F noanswer=1 -F busy=1 -F failed=1
cdr_raw=$(gzip -dc "$work/h/api_cdr.b" 2>/dev/null | wc -c)
expect "getCDR over 92 days: success, compressed on the fly" \
  '[ "$status" = 200 ] && has api_cdr Content-Encoding "^gzip$" &&
   gzip -dc "$work/h/api_cdr.b" | grep -q "\"status\":\"success\""'
printf '        getCDR answer: %s B of JSON sent as %s B gzip\n' "$cdr_raw" "$size"
for m in PUT DELETE OPTIONS PATCH; do
  get api_m "$BASE/api/v1/rest.php" -X "$m"
  expect "$m on the API is 405" '[ "$status" = 405 ]'
done
head -c 70000 /dev/zero | tr '\0' x >"$work/big"
get api_big "$BASE/api/v1/rest.php" -F method=getCallBilling -F "pad=<$work/big"
expect "a body over 64 KB is refused (413)" '[ "$status" = 413 ]'

# --- the browser, through nginx ------------------------------------------------------------

echo "Playwright smoke test through nginx"
expect "smoke test: Settings, a CDR search, a rate search; no CSP violation, no console error" \
  '(cd e2e && NGINX_BASE_URL="$BASE" timeout 300 npx playwright test -c playwright.nginx.config.ts)'

# --- logs ----------------------------------------------------------------------------------

echo "logs"
access="$work/logs/cdr-portal.access.log"
errors="$work/logs/error.log"
expect "the access log recorded the browser's API POSTs" \
  'grep -q "\"POST /api/v1/rest.php HTTP/1.1\" 200 .*Chrome" "$access"'
expect "the access log shows the path asked for, without the query string" \
  'grep -q "\"GET /calls HTTP/1.1\" 200 " "$access"'
expect "no log holds the password, the username or a query string" \
  '! grep -qiF -e "$PASSWORD" -e "$USER_NAME" -e api_password -e api_username -e "?" "$access" "$errors"'
expect "no error in nginx's error log (but the expected 413)" \
  '! grep -E "\[(error|crit|alert|emerg)\]" "$errors" | grep -v "client intended to send too large body"'

printf '\nnginx-test: %s failure(s) in %ss\n' "$fails" "$(($(date +%s) - started))"
[ "$fails" = 0 ]
