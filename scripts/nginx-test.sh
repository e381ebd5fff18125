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
# The API's hardening (issue 13) is checked the same way: the njs guard (POST only, no query
# string, multipart only, the app's read methods only), the rate limit, and, on two more nginx
# instances, the allow-list with basic auth (upstream: the simulator, browser test included)
# and the proxying itself (TLS and HTTP/2 as in production; upstream:
# e2e/nginx/capture-upstream.mjs, which records what arrives and answers in two pieces, for
# the body, the stripped headers and the streaming).
# Several checks come from other loopback addresses (127.0.0.2-4, with curl --interface): the
# allow-list and the rate limit both work per client address.
# Everything it starts is stopped on exit; non-zero on any failure.
#
# Environment: NGINX_TEST_PORT (18443), NGINX_TEST_SIM_PORT (18444), NGINX_TEST_GATE_PORT
# (18445), NGINX_TEST_CAPTURE_PORT (18446; the next two ports for the capturing upstream and
# that instance's http redirect),
# KEEP=1 keeps the work directory (configuration, logs) for a look afterwards.
# The checks are shell code in single quotes, evaluated by expect(); hence:
# shellcheck disable=SC2016,SC2034
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
export PATH="$repo/.tools/bin:$HOME/.cargo/bin:$PATH:/usr/sbin:/sbin"

PORT=${NGINX_TEST_PORT:-18443}
SIM_PORT=${NGINX_TEST_SIM_PORT:-18444}
GATE_PORT=${NGINX_TEST_GATE_PORT:-18445}
CAPTURE_PORT=${NGINX_TEST_CAPTURE_PORT:-18446}
CAPTURE_UP_PORT=$((CAPTURE_PORT + 1))
CAPTURE_HTTP_PORT=$((CAPTURE_PORT + 2))
BASE="http://127.0.0.1:$PORT"
GATE="http://127.0.0.1:$GATE_PORT"
CAPTURE="https://127.0.0.1:$CAPTURE_PORT"
USER_NAME=demo@example.com
PASSWORD=demo-api-password
GATE_USER=portal
GATE_PASSWORD=gate-test-password
# The capturing upstream's pause between the two pieces of its answer.
PAUSE_MS=2000
started=$(date +%s)

log() { printf 'nginx-test: %s\n' "$*"; }
die() { printf 'nginx-test: FAIL: %s\n' "$*" >&2; exit 1; }
# shellcheck source=scripts/simulator.sh
. scripts/simulator.sh
sudo_if_needed() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# --- prerequisites -----------------------------------------------------------------------------

# nginx, its njs module (the API guard) and brotli static module (the .br files), brotli
# (deploy/precompress.sh, and decoding what nginx sends) and openssl (certificates, the
# htpasswd file).
missing=()
command -v nginx >/dev/null || missing+=(nginx-light)
dpkg -s libnginx-mod-http-js >/dev/null 2>&1 || missing+=(libnginx-mod-http-js)
dpkg -s libnginx-mod-http-brotli-static >/dev/null 2>&1 || missing+=(libnginx-mod-http-brotli-static)
command -v brotli >/dev/null || missing+=(brotli)
command -v openssl >/dev/null || missing+=(openssl)
if [ ${#missing[@]} -gt 0 ]; then
  log "installing from Debian: ${missing[*]}"
  sudo_if_needed apt-get update -qq
  sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
NGINX=$(command -v nginx)
NJS_MODULE=$(dpkg -L libnginx-mod-http-js | grep '/ngx_http_js_module\.so$' | head -1)
[ -f "$NJS_MODULE" ] || die "libnginx-mod-http-js has no ngx_http_js_module.so"
BROTLI_STATIC_MODULE=$(dpkg -L libnginx-mod-http-brotli-static | grep '/ngx_http_brotli_static_module\.so$' | head -1)
[ -f "$BROTLI_STATIC_MODULE" ] || die "libnginx-mod-http-brotli-static has no ngx_http_brotli_static_module.so"
[ -f dist/index.html ] || die "no dist/index.html: run trunk build --release first"
[ -x target/native/voipms-sim ] || cargo build --profile native -p voipms-sim
[ -d e2e/node_modules/@playwright/test ] || die "no e2e/node_modules: run scripts/setup.sh first"
for p in "$PORT" "$SIM_PORT" "$GATE_PORT" "$CAPTURE_PORT" "$CAPTURE_UP_PORT" "$CAPTURE_HTTP_PORT"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then die "port $p is already in use"; fi
done

# --- work directory and clean-up ------------------------------------------------------------

work=$(mktemp -d /tmp/cdr-nginx-test.XXXXXX)
# nginx's workers drop root to "nobody" and must reach the served files.
chmod 755 "$work"
# Three nginx prefixes: the test proper, the gated one, the one before the capturing upstream.
mkdir -p "$work"/{logs,tmp,data,h} "$work"/{gate,capture}/{logs,tmp} "$work/captured"
chmod 755 "$work/gate" "$work/capture"
sim_pid=
capture_pid=
cleanup() {
  local rc=$?
  local prefix
  for prefix in "$work" "$work/gate" "$work/capture"; do
    [ -f "$prefix/logs/nginx.pid" ] || continue
    kill -QUIT "$(cat "$prefix/logs/nginx.pid")" 2>/dev/null || true
    for _ in $(seq 50); do [ -f "$prefix/logs/nginx.pid" ] || break; sleep 0.1; done
  done
  for pid in "$sim_pid" "$capture_pid"; do
    [ -n "$pid" ] || continue
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  if [ "$rc" != 0 ]; then
    for f in "$work/logs/error.log" "$work/gate/logs/error.log" "$work/capture/logs/error.log" "$work/sim.log"; do
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
# The stylesheet may be inlined into index.html (then there is no css file to check).
css=$(cd "$work/www" && { ls ./*.css 2>/dev/null || true; } | head -1); css=${css#./}

# --- render and check the configurations ---------------------------------------------------

log "rendering deploy/nginx.conf"
DIST="$work/www" LISTEN="127.0.0.1:$PORT" UPSTREAM="http://127.0.0.1:$SIM_PORT" \
  deploy/render-nginx.sh -o "$work/nginx.conf"
"$NGINX" -t -q -p "$work" -c "$work/nginx.conf" || die "nginx -t of the test configuration"
[ -f "$work/cdr-portal-api-guard.js" ] || die "the render did not put the API guard next to its output"

# The gated one: only 127.0.0.1 (and a documentation address) may connect, with basic auth.
# Workers run as nobody and read the htpasswd file on every request.
printf '%s:%s\n' "$GATE_USER" "$(openssl passwd -apr1 "$GATE_PASSWORD")" >"$work/htpasswd"
chmod 644 "$work/htpasswd"
DIST="$work/www" LISTEN="127.0.0.1:$GATE_PORT" UPSTREAM="http://127.0.0.1:$SIM_PORT" \
  ALLOW_NETWORKS="127.0.0.1 198.51.100.7" BASIC_AUTH_FILE="$work/htpasswd" BASIC_AUTH_REALM="CDR portal test" \
  deploy/render-nginx.sh -o "$work/gate/nginx.conf"
"$NGINX" -t -q -p "$work/gate" -c "$work/gate/nginx.conf" || die "nginx -t of the gated configuration"
# A throw-away self-signed certificate for the TLS shapes.
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=cdr.example.com \
  -keyout "$work/tls.key" -out "$work/tls.crt" 2>/dev/null
# The one before the capturing upstream speaks TLS and HTTP/2 as in production: the guard reads
# the body that nginx's HTTP/2 code collected.
DIST="$work/www" LISTEN="127.0.0.1:$CAPTURE_PORT" HTTP_LISTEN="127.0.0.1:$CAPTURE_HTTP_PORT" \
  TLS_CERT="$work/tls.crt" TLS_KEY="$work/tls.key" UPSTREAM="http://127.0.0.1:$CAPTURE_UP_PORT" \
  deploy/render-nginx.sh -o "$work/capture/nginx.conf"
"$NGINX" -t -q -p "$work/capture" -c "$work/capture/nginx.conf" || die "nginx -t of the capture configuration"

# The production shapes (TLS, https upstream with verification, system-nginx site file) must be
# valid nginx too. Nothing listens.
DIST="$work/www" SERVER_NAME=cdr.example.com TLS_CERT="$work/tls.crt" TLS_KEY="$work/tls.key" \
  LOG_DIR="$work/logs" RESOLVER=127.0.0.1 deploy/render-nginx.sh --standalone -o "$work/prod-standalone.conf"
# The site file with the optional gates on; --site leaves the modules to modules-enabled/,
# for which the wrapper's load_module lines stand in.
DIST="$work/www" SERVER_NAME=cdr.example.com TLS_CERT="$work/tls.crt" TLS_KEY="$work/tls.key" \
  LOG_DIR="$work/logs" RESOLVER=127.0.0.1 ALLOW_NETWORKS="203.0.113.0/24,198.51.100.7 2001:db8::/32" \
  BASIC_AUTH_FILE="$work/htpasswd" deploy/render-nginx.sh --site -o "$work/prod-site.conf"
printf '%s\n' "load_module $NJS_MODULE;" "load_module $BROTLI_STATIC_MODULE;" 'pid logs/nginx-t.pid;' 'events {}' 'http {' \
  '  client_body_temp_path tmp/b; proxy_temp_path tmp/p; fastcgi_temp_path tmp/f;' \
  '  uwsgi_temp_path tmp/u; scgi_temp_path tmp/s;' \
  "  include $work/prod-site.conf;" '}' >"$work/prod-site-wrapper.conf"
"$NGINX" -t -q -p "$work" -c "$work/prod-standalone.conf" || die "nginx -t of the TLS configuration"
"$NGINX" -t -q -p "$work" -c "$work/prod-site-wrapper.conf" || die "nginx -t of the --site configuration"
grep -q 'proxy_ssl_verify on;' "$work/prod-standalone.conf" || die "production render lacks proxy_ssl_verify"
grep -q 'deny all;' "$work/prod-site.conf" && grep -q '^ *auth_basic ' "$work/prod-site.conf" ||
  die "the --site render lacks the allow-list or basic auth"
! grep -qE '^ *(allow|deny|auth_basic)' "$work/prod-standalone.conf" ||
  die "the allow-list or basic auth is on without ALLOW_NETWORKS / BASIC_AUTH_FILE"
log "production renders (TLS, https upstream, --site) pass nginx -t"
if UPSTREAM=https://www.voip.ms DIST="$work/www" deploy/render-nginx.sh >/dev/null 2>&1; then
  die "the render script accepted www.voip.ms as the upstream"
fi
if ALLOW_NETWORKS="10.0.0.0/8;allow all" DIST="$work/www" deploy/render-nginx.sh >/dev/null 2>&1; then
  die "the render script accepted an ALLOW_NETWORKS entry that is not an address"
fi

# --- start the simulator and nginx ---------------------------------------------------------

log "starting the simulator on 127.0.0.1:$SIM_PORT (3000 calls)"
start_simulator "$SIM_PORT" "$work/sim.log" --data-dir "$work/data" --calls 3000

log "starting the capturing upstream on 127.0.0.1:$CAPTURE_UP_PORT"
node e2e/nginx/capture-upstream.mjs "$CAPTURE_UP_PORT" "$work/captured" "$PAUSE_MS" >"$work/capture.log" 2>&1 &
capture_pid=$!

# start_nginx PREFIX URL: nginx daemonizes; the pid is in PREFIX/logs/nginx.pid.
start_nginx() {
  log "starting nginx on $2"
  "$NGINX" -p "$1" -c "$1/nginx.conf"
  for _ in $(seq 100); do
    curl -s -k -o /dev/null --max-time 2 "$2/" && return 0
    sleep 0.1
  done
  die "nginx did not answer on $2"
}
start_nginx "$work" "$BASE"
start_nginx "$work/gate" "$GATE"
start_nginx "$work/capture" "$CAPTURE"
for _ in $(seq 50); do grep -q listening "$work/capture.log" 2>/dev/null && break; sleep 0.1; done
grep -q listening "$work/capture.log" || die "the capturing upstream did not start"
curl -s -o /dev/null --interface 127.0.0.2 "$BASE/" ||
  die "curl cannot use 127.0.0.2 as its source address (the loopback net is 127.0.0.0/8 on Linux)"

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

echo "assets ($wasm, $js${css:+, $css})"
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
for f in "$js" ${css:+"$css"}; do
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

log "precompressing the copy (deploy/precompress.sh) for brotli_static and gzip_static"
deploy/precompress.sh "$work/www"
echo "precompressed files"
# Each file of 1 KB or more gets the three forms; index.html (through / and a deep link, which
# reach it by the index module and by try_files) included when the stylesheet inlined into it
# makes it that big.
static=("/$wasm" "/$js" ${css:+"/$css"})
[ "$(stat -c %s "$work/www/index.html")" -ge 1024 ] && static+=(/ /calls)
for u in "${static[@]}"; do
  f=${u#/}
  [[ $u == / || $u == /calls ]] && f=index.html
  raw=$(stat -c %s "$work/www/$f")
  br_file=$(stat -c %s "$work/www/$f.br")
  gz_file=$(stat -c %s "$work/www/$f.gz")
  get st_id "$BASE$u"
  expect "$u without Accept-Encoding: $f as is ($raw bytes), no Content-Encoding" \
    '[ "$status" = 200 ] && [ "$size" = "$raw" ] && lacks st_id Content-Encoding && cmp -s "$work/h/st_id.b" "$work/www/$f"'
  get st_br "$BASE$u" -H 'Accept-Encoding: br, gzip'
  expect "$u with br, gzip: Content-Encoding br, from $f.br ($br_file bytes, Content-Length set), Vary: Accept-Encoding" \
    '[ "$status" = 200 ] && has st_br Content-Encoding "^br$" && [ "$size" = "$br_file" ] &&
     has st_br Content-Length "^$br_file$" && has st_br Vary "^Accept-Encoding$"'
  expect "... decodes (brotli -d) to $f" 'brotli -dc "$work/h/st_br.b" | cmp -s - "$work/www/$f"'
  # The same type, caching and headers as the file itself, and the file's Last-Modified (the
  # copies keep its mtime), so that a revalidation does not depend on the encoding.
  expect "... with the file's Content-Type, Cache-Control, Last-Modified and the security headers" \
    '[ "$(hdr st_br Content-Type)" = "$(hdr st_id Content-Type)" ] &&
     [ "$(hdr st_br Cache-Control)" = "$(hdr st_id Cache-Control)" ] &&
     [ "$(hdr st_br Last-Modified)" = "$(hdr st_id Last-Modified)" ] && security_headers st_br'
  get st_br_last "$BASE$u" -H 'Accept-Encoding: gzip, deflate, br, zstd'
  expect "... also when br comes last (Chromium's order): br" \
    '[ "$status" = 200 ] && has st_br_last Content-Encoding "^br$" && [ "$size" = "$br_file" ]'
  get st_gz "$BASE$u" -H 'Accept-Encoding: gzip'
  expect "$u with gzip only: Content-Encoding gzip, from $f.gz ($gz_file bytes), Vary: Accept-Encoding" \
    '[ "$status" = 200 ] && has st_gz Content-Encoding "^gzip$" && [ "$size" = "$gz_file" ] &&
     has st_gz Content-Length "^$gz_file$" && has st_gz Vary "^Accept-Encoding$" &&
     gzip -dc "$work/h/st_gz.b" | cmp -s - "$work/www/$f"'
  if [ "$f" = "$wasm" ]; then
    expect "... still application/wasm, immutable, with the security headers" \
      'has st_br Content-Type "^application/wasm$" && has st_br Cache-Control immutable &&
       has st_gz Content-Type "^application/wasm$" && security_headers st_gz'
    printf '        wasm served: raw %s B, gzip on the fly %s B, gzip_static (-9) %s B, brotli_static (-q 11) %s B\n' \
      "$raw_wasm" "$gz_dynamic" "$gz_file" "$br_file"
  fi
done

echo "API proxy"
get api "$BASE/api/v1/rest.php" -F method=getCallBilling -F "api_username=$USER_NAME" -F "api_password=$PASSWORD"
expect "multipart POST getCallBilling through nginx: 200, status success" \
  '[ "$status" = 200 ] && grep -q "\"status\":\"success\"" "$work/h/api.b"'
expect "API: application/json, Cache-Control no-store, security headers" \
  'has api Content-Type "^application/json" && has api Cache-Control "^no-store$" && security_headers api'
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
expect "a body over 64 KB is refused (413, JSON)" \
  '[ "$status" = 413 ] && has api_big Content-Type "^application/json" && grep -q request_too_large "$work/h/api_big.b"'
get api_big_chunked "$BASE/api/v1/rest.php" -H 'Transfer-Encoding: chunked' -F method=getCallBilling -F "pad=<$work/big"
expect "a chunked body over 64 KB too (413), and it never went to a temporary file" \
  '[ "$status" = 413 ] && ! grep -q "buffered to a temporary file" "$work/logs/error.log"'

# --- the API guard (deploy/api-guard.js) -----------------------------------------------------

echo "API guard: POST only, no query string, multipart only, the app's read methods only"
# From 127.0.0.4, so that these requests do not spend the rate-limit allowance of 127.0.0.1,
# which the browser test uses later. Every request is marked by its User-Agent, to find its
# line in the access log.
access="$work/logs/cdr-portal.access.log"
errors="$work/logs/error.log"
sim_lines() { wc -l <"$work/sim.log"; }
refused=0
API="$BASE/api/v1/rest.php"
guard() { # NAME URL [curl args]: one request that nginx must answer itself
  local name=$1 url=$2; shift 2
  refused=$((refused + 1))
  get "$name" "$url" --interface 127.0.0.4 -A "nginx-test refused $refused" "$@"
}
json_status() { # NAME STATUS: a JSON answer whose status is STATUS
  has "$1" Content-Type "^application/json" && grep -q "\"status\":\"$2\"" "$work/h/$1.b"
}
creds=(-F "api_username=$USER_NAME" -F "api_password=$PASSWORD")
sim_before=$(sim_lines)

guard g_get "$API?method=getCallBilling&api_username=$USER_NAME&api_password=$PASSWORD"
expect "GET with the fields (password included) in the query string: 405, JSON" \
  '[ "$status" = 405 ] && json_status g_get post_only && security_headers g_get'
expect "... and the error log does not hold that password" '! grep -qF "$PASSWORD" "$errors"'
guard g_post_query "$API?x=1" -F method=getCallBilling "${creds[@]}"
expect "a multipart POST with a query string: 400, JSON" \
  '[ "$status" = 400 ] && json_status g_post_query query_string_refused'
guard g_post_empty_query "$API?" -F method=getCallBilling "${creds[@]}"
expect "... even an empty one (a bare ?): 400" '[ "$status" = 400 ]'
guard g_urlencoded "$API" --data-urlencode method=getCallBilling --data-urlencode "api_username=$USER_NAME" \
  --data-urlencode "api_password=$PASSWORD"
expect "a url-encoded POST: 415, JSON" '[ "$status" = 415 ] && json_status g_urlencoded multipart_only'
for m in sendSMS orderDID setDIDRouting delSubAccount; do
  guard g_write "$API" -F "method=$m" "${creds[@]}"
  expect "write method $m: 403 method_not_allowed_here, JSON" \
    '[ "$status" = 403 ] && json_status g_write method_not_allowed_here && security_headers g_write'
done
guard g_dup "$API" -F method=getCDR -F method=getCDR "${creds[@]}"
expect "two method parts, even the same allowed one: 403" '[ "$status" = 403 ] && json_status g_dup method_not_allowed_here'
guard g_dup2 "$API" -F method=getCallBilling -F method=sendSMS "${creds[@]}"
expect "an allowed method followed by a write (PHP takes the last): 403" '[ "$status" = 403 ]'
guard g_none "$API" "${creds[@]}"
expect "no method part: 403" '[ "$status" = 403 ] && json_status g_none method_not_allowed_here'
guard g_brackets "$API" -F method=getCallBilling -F 'method[]=sendSMS' "${creds[@]}"
expect "a method[] part beside an allowed method: 403" '[ "$status" = 403 ]'
guard g_case "$API" -F method=getCallBilling -F Method=sendSMS "${creds[@]}"
expect "a Method part beside an allowed method: 403" '[ "$status" = 403 ]'
guard g_lower "$API" -F method=getcdr "${creds[@]}"
expect "a read method in the wrong case (getcdr): 403" '[ "$status" = 403 ]'
printf 'getCallBilling' >"$work/method.txt"
guard g_file "$API" -F "method=@$work/method.txt" "${creds[@]}"
expect "the method as a file part (filename=): 400 malformed_form" '[ "$status" = 400 ] && json_status g_file malformed_form'
# A second delimiter hidden after a bare LF: PHP splits there ("\n--B"), a CRLF-only parser
# would not, and would see one part where PHP sees two.
printf -- '--B\r\nContent-Disposition: form-data; name="method"\r\n\r\ngetCallBilling\r\n--B\r\nContent-Disposition: form-data; name="note"\r\n\r\nx\n--B\r\nContent-Disposition: form-data; name="method"\r\n\r\nsendSMS\r\n--B--\r\n' >"$work/smuggle.body"
guard g_smuggle "$API" -H 'Content-Type: multipart/form-data; boundary=B' --data-binary "@$work/smuggle.body"
expect "a method part hidden behind a bare LF before the delimiter: 400" '[ "$status" = 400 ]'
guard g_boundary "$API" -H 'Content-Type: multipart/form-data; boundary=B,C' --data-binary "@$work/smuggle.body"
expect "a boundary that PHP would cut at its comma: 415" '[ "$status" = 415 ]'
expect "none of these $refused requests reached the simulator" '[ "$(sim_lines)" = "$sim_before" ]'
expect "the access log has each of them, answered by nginx with upstream=-/-" \
  '[ "$(grep -c "\"nginx-test refused [0-9]*\" upstream=-/-\$" "$access")" = "$refused" ] &&
   [ "$(grep -c "\"nginx-test refused " "$access")" = "$refused" ]'
get g_ok "$BASE/api/v1/rest.php" --interface 127.0.0.4 -A "nginx-test allowed" -F method=getCallBilling "${creds[@]}"
expect "control: an allowed method from the same address reaches the simulator (one more line in its log)" \
  '[ "$status" = 200 ] && json_status g_ok success && [ "$(sim_lines)" = "$((sim_before + 1))" ] &&
   grep -q "\"nginx-test allowed\" upstream=200/" "$access"'

# --- the rate limit ----------------------------------------------------------------------------

echo "API rate limit: 60 a minute per client address, burst 30"
# From 127.0.0.3, whose allowance is untouched so far: first what the app does at its
# busiest, all at once, then a flood.
lookups=(getCallTypes getCallAccounts getCallBilling getClients)
pids=()
for i in 0 1 2 3 4 5 6 7 8; do
  m=${lookups[$i]:-getCDR}
  curl -sS --max-time 60 --interface 127.0.0.3 -o /dev/null -w '%{http_code}\n' "$BASE/api/v1/rest.php" \
    -F "method=$m" "${creds[@]}" -F "date_from=$(date -u -d '-30 days' +%F)" -F "date_to=$(date -u +%F)" \
    -F timezone=0 -F answered=1 -F noanswer=1 -F busy=1 -F failed=1 >"$work/h/burst.$i" 2>&1 &
  pids+=($!)
done
for p in "${pids[@]}"; do wait "$p" || true; done
expect "a page load's worth at once (4 lookups and 5 CDR windows): all 9 answered 200" \
  '[ "$(cat "$work/h"/burst.* | grep -c "^200$")" = 9 ]'
flood=""
for _ in $(seq 60); do
  flood+=$(curl -s --max-time 10 --interface 127.0.0.3 -o /dev/null -w '%{http_code} ' \
    "$BASE/api/v1/rest.php" -F method=getCallBilling -F api_username=nobody@example.com -F api_password=guess)
done
n429=$(grep -o 429 <<<"$flood" | wc -l)
# 21 left of the burst, plus one a second while the loop runs: at least 10 of 60 must be
# refused even on a slow machine.
expect "60 more right after (password guessing): $n429 of them refused with 429" '[ "$n429" -ge 10 ]'
get flood_last "$BASE/api/v1/rest.php" --interface 127.0.0.3 -F method=getCallBilling -F api_username=nobody@example.com -F api_password=guess
expect "the 429 is JSON (too_many_requests) with the security headers" \
  '[ "$status" = 429 ] && json_status flood_last too_many_requests && security_headers flood_last'
get flood_other "$BASE/api/v1/rest.php" --interface 127.0.0.4 -F method=getCallBilling "${creds[@]}"
expect "another address is not affected (200)" '[ "$status" = 200 ]'

# --- what the proxy forwards, and how --------------------------------------------------------

echo "proxying ($CAPTURE, upstream: e2e/nginx/capture-upstream.mjs)"
# A browser-shaped body with an 8-bit password and a CRLF inside a value: it must arrive as is.
b=----WebKitFormBoundaryNginxTest0123
{
  printf -- '--%s\r\nContent-Disposition: form-data; name="method"\r\n\r\ngetCDR\r\n' "$b"
  printf -- '--%s\r\nContent-Disposition: form-data; name="api_username"\r\n\r\n%s\r\n' "$b" "$USER_NAME"
  printf -- '--%s\r\nContent-Disposition: form-data; name="api_password"\r\n\r\np\xe4ss\r\nw\xf6rd\r\n' "$b"
  printf -- '--%s--\r\n' "$b"
} >"$work/raw.body"
H2=(-k --http2)
get cap_body "$CAPTURE/api/v1/rest.php" "${H2[@]}" -H "Content-Type: multipart/form-data; boundary=$b" \
  --data-binary "@$work/raw.body" -H 'Cookie: session=1' -H 'Authorization: Basic cG9ydGFsOngK' \
  -H 'X-Forwarded-For: 203.0.113.9' -H 'X-Real-IP: 203.0.113.9' -H 'Forwarded: for=203.0.113.9' \
  -H 'Origin: http://elsewhere.example' -H 'Referer: http://elsewhere.example/'
captured=$(ls "$work/captured"/*.body 2>/dev/null | wc -l || true)
expect "an allowed request (HTTP/2 over TLS) reaches the upstream once, with the body byte for byte as sent" \
  '[ "$status" = 200 ] && grep -q "^HTTP/2 200" "$work/h/cap_body.h" && [ "$captured" = 1 ] && cmp -s "$work/raw.body" "$work/captured/1.body"'
expect "... without Cookie, Authorization, X-Forwarded-For, X-Real-IP, Forwarded, Origin, Referer" \
  '! grep -qiE "\"(cookie|authorization|x-forwarded-for|x-real-ip|forwarded|origin|referer)\"" "$work/captured/1.json"'
# first_piece_ms CURL-ARGS...: milliseconds until the first 16 bytes of the (decoded) answer.
first_piece_ms() {
  local t0
  t0=$(date +%s%N)
  { curl -sN --max-time 30 "$@" || true; } | { head -c 16 >/dev/null; echo $((($(date +%s%N) - t0) / 1000000)); }
}
for enc in identity gzip; do
  if [ "$enc" = gzip ]; then z=(--compressed); else z=(); fi
  ms=$(first_piece_ms "${H2[@]}" "${z[@]}" "$CAPTURE/api/v1/rest.php" -F method=getCDR "${creds[@]}")
  get cap_stream "$CAPTURE/api/v1/rest.php" "${H2[@]}" "${z[@]}" -F method=getCDR "${creds[@]}"
  expect "streamed ($enc): the first piece after ${ms} ms, while the upstream pauses ${PAUSE_MS} ms before the rest" \
    '[ "$ms" -lt $((PAUSE_MS / 2)) ] && [ "$status" = 200 ] && grep -q "after the pause" "$work/h/cap_stream.b"'
done
expect "the gzip one was compressed on the fly" 'has cap_stream Content-Encoding "^gzip$"'
captured=$(ls "$work/captured"/*.body 2>/dev/null | wc -l || true)
get cap_write "$CAPTURE/api/v1/rest.php" "${H2[@]}" -F method=sendSMS "${creds[@]}"
expect "a write method on this instance: 403, and the upstream saw nothing" \
  '[ "$status" = 403 ] && [ "$(ls "$work/captured"/*.body | wc -l)" = "$captured" ]'

# --- the allow-list and basic auth -----------------------------------------------------------

echo "allow-list and basic auth ($GATE: ALLOW_NETWORKS=\"127.0.0.1 198.51.100.7\", BASIC_AUTH_FILE)"
gate_errors="$work/gate/logs/error.log"
get gate_out "$GATE/" --interface 127.0.0.2 -u "$GATE_USER:$GATE_PASSWORD"
expect "a client outside the allow-list (127.0.0.2) gets 403 for the page, even with credentials" '[ "$status" = 403 ]'
get gate_out_api "$GATE/api/v1/rest.php" --interface 127.0.0.2 -u "$GATE_USER:$GATE_PASSWORD" \
  -F method=getCallBilling "${creds[@]}"
expect "... and for the API" '[ "$status" = 403 ]'
get gate_out_get "$GATE/api/v1/rest.php?method=getCallBilling&api_username=$USER_NAME&api_password=$PASSWORD" \
  --interface 127.0.0.2
expect "its GET with the password in the URL is refused (405) before the allow-list, which would log the request line" \
  '[ "$status" = 405 ] && ! grep -qF "$PASSWORD" "$gate_errors" && grep -q "access forbidden by rule" "$gate_errors"'
get gate_anon "$GATE/"
expect "an allowed client without credentials: 401, WWW-Authenticate: Basic realm=\"CDR portal test\"" \
  '[ "$status" = 401 ] && has gate_anon WWW-Authenticate "^Basic realm=\"CDR portal test\""'
get gate_anon_api "$GATE/api/v1/rest.php" -F method=getCallBilling "${creds[@]}"
expect "... 401 for the API too" '[ "$status" = 401 ]'
get gate_wrong "$GATE/" -u "$GATE_USER:wrong-password"
expect "a wrong password: 401" '[ "$status" = 401 ]'
get gate_ok "$GATE/" -u "$GATE_USER:$GATE_PASSWORD"
expect "the right credentials: 200, index.html with its CSP" \
  '[ "$status" = 200 ] && cmp -s "$work/h/gate_ok.b" "$work/www/index.html" && security_headers gate_ok'
get gate_api "$GATE/api/v1/rest.php" -u "$GATE_USER:$GATE_PASSWORD" -F method=getCallBilling "${creds[@]}"
expect "... and the API through to the simulator: success" '[ "$status" = 200 ] && json_status gate_api success'

# --- the browser, through nginx ------------------------------------------------------------

echo "Playwright smoke test through nginx"
expect "smoke test: Settings, a CDR search, a rate search; no CSP violation, no console error" \
  '(cd e2e && NGINX_BASE_URL="$BASE" timeout 300 npx playwright test -c playwright.nginx.config.ts)'
expect "the same behind basic auth ($GATE): the browser sends the credentials with the app's API requests" \
  '(cd e2e && NGINX_BASE_URL="$GATE" NGINX_BASIC_AUTH="$GATE_USER:$GATE_PASSWORD" timeout 300 \
     npx playwright test -c playwright.nginx.config.ts)'

# --- logs ----------------------------------------------------------------------------------

echo "logs"
expect "the access log recorded the browser's API POSTs" \
  'grep -q "\"POST /api/v1/rest.php HTTP/1.1\" 200 .*Chrome" "$access"'
expect "the access log shows the path asked for, without the query string" \
  'grep -q "\"GET /calls HTTP/1.1\" 200 " "$access"'
wasm_br=$(stat -c %s "$work/www/$wasm.br")
expect "Chromium fetched the wasm as br: $wasm_br bytes, the size of $wasm.br" \
  'grep -q "\"GET /$wasm HTTP/1.1\" 200 $wasm_br .*Chrome" "$access"'
gate_access="$work/gate/logs/cdr-portal.access.log"
capture_logs=("$work/capture/logs/cdr-portal.access.log" "$work/capture/logs/error.log")
expect "no log of the three nginx holds the password, the username or a query string" \
  '! grep -qiF -e "$PASSWORD" -e "$USER_NAME" -e api_password -e api_username -e "?" \
     "$access" "$errors" "$gate_access" "$gate_errors" "${capture_logs[@]}"'
expect "nor the basic-auth password" '! grep -qF "$GATE_PASSWORD" "$gate_access" "$gate_errors"'
expect "the rate limit logged its refusals (for fail2ban), request line without query" \
  'grep -q "limiting requests, excess: .* request: \"POST /api/v1/rest.php HTTP/1.1\"" "$errors"'
expect "no error in nginx's error log (but the expected 413s and 429s)" \
  '! grep -E "\[(error|crit|alert|emerg)\]" "$errors" |
     grep -vE "client intended to send too large (chunked )?body|limiting requests, excess"'
expect "no error in the capture instance's error log" \
  '! grep -E "\[(error|crit|alert|emerg)\]" "$work/capture/logs/error.log"'

printf '\nnginx-test: %s failure(s) in %ss\n' "$fails" "$(($(date +%s) - started))"
[ "$fails" = 0 ]
