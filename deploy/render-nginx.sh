#!/usr/bin/env bash
# Renders deploy/nginx.conf into a ready nginx configuration for one build of the app.
#
#   [VAR=value ...] deploy/render-nginx.sh [--standalone | --site] [-o FILE]
#
# Inputs (environment):
#   DIST           the built app to serve (Trunk's dist/, or a copy of it); default: ./dist of
#                  this repository. Its index.html is read for the CSP hashes. The root is its
#                  physical path (symlinks resolved), so that the files and the CSP switch
#                  together at the next reload.
#   ROOT           the directory nginx serves, when it is not DIST itself (rare)
#   LISTEN         the listen address: "443", "203.0.113.7:443", "127.0.0.1:18443", ...
#                  default 443 with TLS, 80 without
#   SERVER_NAME    default "_" (any name)
#   TLS_CERT, TLS_KEY   certificate chain and key (PEM) for https; both or neither. Without
#                  them the server speaks plain http: only for loopback or behind a TLS proxy.
#   HTTP_LISTEN    with TLS, where the plain-http redirect server listens; default 80
#   UPSTREAM       scheme://host[:port] of the API, default https://voip.ms (never www.voip.ms)
#   UPSTREAM_HOST  the name sent as Host and as TLS SNI and checked in the certificate;
#                  default: the host of UPSTREAM (set it when UPSTREAM is an IP address)
#   RESOLVER       DNS server(s) for the upstream name; default: the first nameserver of
#                  /etc/resolv.conf
#   CA_BUNDLE      CA certificates to verify an https upstream;
#                  default /etc/ssl/certs/ca-certificates.crt (Debian's ca-certificates)
#   LOG_DIR        default "logs" (relative to the -p prefix) for --standalone,
#                  /var/log/nginx for --site
#   ALLOW_NETWORKS optional: client addresses or networks allowed to use the portal (page and
#                  API), separated by spaces or commas, e.g. "203.0.113.0/24 198.51.100.7";
#                  every other client gets 403. Default: none, everyone may connect.
#   BASIC_AUTH_FILE optional: an htpasswd file; the whole portal then asks for HTTP basic
#                  auth with it, e.g. /etc/nginx/cdr-portal.htpasswd. Make it with
#                    printf '%s:%s\n' alice "$(openssl passwd -apr1)" >>FILE
#                  (or htpasswd from apache2-utils), readable by nginx's workers (www-data).
#                  Default: none, no basic auth.
#   BASIC_AUTH_REALM  the realm the browser shows with BASIC_AUTH_FILE; default "CDR portal"
#   GUARD_JS       where the configuration loads the API guard (njs) from; the script copies
#                  deploy/api-guard.js there. Default: cdr-portal-api-guard.js in the folder
#                  of FILE with -o, else deploy/api-guard.js itself (not copied).
#   NJS_MODULE     --standalone only: the njs module to load; default: the file of Debian's
#                  libnginx-mod-http-js (dpkg -L). --site relies on /etc/nginx/modules-enabled/.
#   BROTLI_STATIC_MODULE  --standalone only: the brotli static module to load; default: the
#                  file of Debian's libnginx-mod-http-brotli-static (dpkg -L). --site relies on
#                  /etc/nginx/modules-enabled/ as for njs.
#
# The API location needs nginx's njs module, and the static files its brotli static module
# (for the .br copies of deploy/precompress.sh):
#   apt-get install libnginx-mod-http-js libnginx-mod-http-brotli-static
#
# --standalone (default) writes a whole nginx.conf for `nginx -p PREFIX -c FILE`, where PREFIX
# has the folders logs/ and tmp/. --site writes the http-level part only, for
# /etc/nginx/conf.d/ of a system nginx. The result goes to stdout, or to FILE with -o.
#
# Run it again after every build: the CSP allows Trunk's inline loader script by its sha256,
# and that script names the hashed files of the build.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
template="$here/nginx.conf"
mode=standalone
out=

die() { printf 'render-nginx: %s\n' "$*" >&2; exit 2; }
warn() { printf 'render-nginx: warning: %s\n' "$*" >&2; }

while [ $# -gt 0 ]; do
  case "$1" in
    --standalone) mode=standalone ;;
    --site) mode=site ;;
    -o) [ $# -ge 2 ] || die "-o needs a file"; out=$2; shift ;;
    -h | --help) sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"; exit 0 ;;
    *) die "unknown argument: $1 (see --help)" ;;
  esac
  shift
done

# --- inputs --------------------------------------------------------------------------------

DIST=${DIST:-$here/../dist}
[ -f "$DIST/index.html" ] || die "no index.html in DIST=$DIST (build the app first: trunk build --release)"
DIST=$(cd "$DIST" && pwd -P)
ROOT=${ROOT:-$DIST}

TLS_CERT=${TLS_CERT:-}
TLS_KEY=${TLS_KEY:-}
if [ -n "$TLS_CERT" ] || [ -n "$TLS_KEY" ]; then
  if [ -z "$TLS_CERT" ] || [ -z "$TLS_KEY" ]; then die "TLS_CERT and TLS_KEY go together"; fi
  tls=1
else
  tls=0
fi
LISTEN=${LISTEN:-$([ "$tls" = 1 ] && echo 443 || echo 80)}
HTTP_LISTEN=${HTTP_LISTEN:-80}
SERVER_NAME=${SERVER_NAME:-_}
CA_BUNDLE=${CA_BUNDLE:-/etc/ssl/certs/ca-certificates.crt}
if [ "$mode" = standalone ]; then LOG_DIR=${LOG_DIR:-logs}; else LOG_DIR=${LOG_DIR:-/var/log/nginx}; fi

UPSTREAM=${UPSTREAM:-https://voip.ms}
UPSTREAM=${UPSTREAM%/}
url_re='^(https?)://([A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(:([0-9]{1,5}))?$'
[[ $UPSTREAM =~ $url_re ]] || die "UPSTREAM must be scheme://host[:port] with no path, got: $UPSTREAM"
up_scheme=${BASH_REMATCH[1]}
up_host=${BASH_REMATCH[2]}
up_port=${BASH_REMATCH[4]}
UPSTREAM_HOST=${UPSTREAM_HOST:-$up_host}
shopt -s nocasematch
for h in "$up_host" "$UPSTREAM_HOST"; do
  [[ $h == www.voip.ms ]] && die "use voip.ms, not www.voip.ms: the www host loses POST bodies"
done
shopt -u nocasematch
# The Host header carries a port only when it is not the scheme's default.
UPSTREAM_HOST_HEADER=$UPSTREAM_HOST
if [ -n "$up_port" ] && ! { [ "$up_scheme" = http ] && [ "$up_port" = 80 ]; } &&
  ! { [ "$up_scheme" = https ] && [ "$up_port" = 443 ]; }; then
  # shellcheck disable=SC2034 # read through ${!name} below, as every placeholder value
  UPSTREAM_HOST_HEADER="$UPSTREAM_HOST:$up_port"
fi
upstream_tls=$([ "$up_scheme" = https ] && echo 1 || echo 0)

if [ -z "${RESOLVER:-}" ]; then
  RESOLVER=$(awk '$1 == "nameserver" { print $2; exit }' /etc/resolv.conf 2>/dev/null || true)
  # nginx writes an IPv6 resolver in brackets.
  [[ $RESOLVER == *:* ]] && RESOLVER="[$RESOLVER]"
  if [ -z "$RESOLVER" ]; then
    [[ $up_host =~ ^[0-9.]+$|^\[ ]] || die "no nameserver in /etc/resolv.conf: set RESOLVER"
    RESOLVER=127.0.0.1 # never asked: the upstream is an IP address
  fi
fi

# Everything that goes into the file is checked against a narrow pattern, so that no value can
# break out of its directive (and the sed substitution below needs no escaping).
check() { # name value pattern
  [[ $2 =~ $3 ]] || die "$1 has characters that do not belong in it: '$2'"
}
path_re='^[A-Za-z0-9._/+@:-]+$'
check DIST "$ROOT" "$path_re"
check LOG_DIR "$LOG_DIR" "$path_re"
check CA_BUNDLE "$CA_BUNDLE" "$path_re"
listen_re='^([A-Za-z0-9.-]+:|\[[0-9A-Fa-f:]+\]:)?[0-9]{1,5}$'
check LISTEN "$LISTEN" "$listen_re"
check HTTP_LISTEN "$HTTP_LISTEN" "$listen_re"
check SERVER_NAME "$SERVER_NAME" '^[A-Za-z0-9.*_~^$ -]+$'
check UPSTREAM_HOST "$UPSTREAM_HOST" '^([A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])$'
check RESOLVER "$RESOLVER" '^[][A-Za-z0-9.: =-]+$'
if [ "$tls" = 1 ]; then
  check TLS_CERT "$TLS_CERT" "$path_re"
  check TLS_KEY "$TLS_KEY" "$path_re"
else
  [[ $LISTEN =~ ^(127\.[0-9.]+|\[::1\]|localhost): ]] ||
    warn "plain http on '$LISTEN': put a TLS terminator in front, the API password crosses this hop"
fi
if [ "$upstream_tls" = 1 ] && [ ! -r "$CA_BUNDLE" ]; then
  warn "CA_BUNDLE $CA_BUNDLE is not readable here (apt-get install ca-certificates)"
fi

# The optional gates: an allow-list of client networks, HTTP basic auth.
ALLOW_NETWORKS=${ALLOW_NETWORKS:-}
ALLOW_RULES=
read -ra nets <<<"${ALLOW_NETWORKS//,/ }"
for net in "${nets[@]}"; do
  check ALLOW_NETWORKS "$net" '^([0-9]{1,3}\.){3}[0-9]{1,3}(/[0-9]{1,2})?$|^[0-9A-Fa-f:]*:[0-9A-Fa-f:.]*(/[0-9]{1,3})?$'
  ALLOW_RULES+="allow $net; "
done
# shellcheck disable=SC2034 # read through ${!name} below
[ -n "$ALLOW_RULES" ] && ALLOW_RULES+="deny all;"
allow_networks=$([ -n "$ALLOW_RULES" ] && echo 1 || echo 0)
BASIC_AUTH_FILE=${BASIC_AUTH_FILE:-}
BASIC_AUTH_REALM=${BASIC_AUTH_REALM:-CDR portal}
basic_auth=0
if [ -n "$BASIC_AUTH_FILE" ]; then
  basic_auth=1
  check BASIC_AUTH_FILE "$BASIC_AUTH_FILE" "$path_re"
  check BASIC_AUTH_REALM "$BASIC_AUTH_REALM" '^[A-Za-z0-9 ._,:()-]{1,64}$'
  # nginx reads the file on every request, so a missing one shows up as 500s, not at nginx -t.
  [ -r "$BASIC_AUTH_FILE" ] || warn "BASIC_AUTH_FILE $BASIC_AUTH_FILE is not readable here"
fi

# The modules (njs for the guard script, brotli static for the .br files).
if [ "$mode" = standalone ]; then
  if [ -z "${NJS_MODULE:-}" ]; then
    NJS_MODULE=$(dpkg -L libnginx-mod-http-js 2>/dev/null | grep '/ngx_http_js_module\.so$' | head -1 || true)
    NJS_MODULE=${NJS_MODULE:-/usr/lib/nginx/modules/ngx_http_js_module.so}
  fi
  [ -f "$NJS_MODULE" ] || die "no njs module at $NJS_MODULE: apt-get install libnginx-mod-http-js (or set NJS_MODULE)"
  check NJS_MODULE "$NJS_MODULE" "$path_re"
  if [ -z "${BROTLI_STATIC_MODULE:-}" ]; then
    BROTLI_STATIC_MODULE=$(dpkg -L libnginx-mod-http-brotli-static 2>/dev/null |
      grep '/ngx_http_brotli_static_module\.so$' | head -1 || true)
    BROTLI_STATIC_MODULE=${BROTLI_STATIC_MODULE:-/usr/lib/nginx/modules/ngx_http_brotli_static_module.so}
  fi
  [ -f "$BROTLI_STATIC_MODULE" ] ||
    die "no brotli static module at $BROTLI_STATIC_MODULE: apt-get install libnginx-mod-http-brotli-static (or set BROTLI_STATIC_MODULE)"
  check BROTLI_STATIC_MODULE "$BROTLI_STATIC_MODULE" "$path_re"
else
  NJS_MODULE=unused
  BROTLI_STATIC_MODULE=unused
  grep -qs ngx_http_js_module /etc/nginx/modules-enabled/*.conf ||
    warn "the njs module is not enabled in /etc/nginx/modules-enabled/ (apt-get install libnginx-mod-http-js)"
  grep -qs ngx_http_brotli_static_module /etc/nginx/modules-enabled/*.conf ||
    warn "the brotli static module is not enabled in /etc/nginx/modules-enabled/ (apt-get install libnginx-mod-http-brotli-static)"
fi
guard_src="$here/api-guard.js"
if [ -z "${GUARD_JS:-}" ]; then
  if [ -n "$out" ]; then
    GUARD_JS="$(cd "$(dirname "$out")" && pwd -P)/cdr-portal-api-guard.js"
  else
    GUARD_JS=$guard_src
  fi
fi
[[ $GUARD_JS == /* ]] || die "GUARD_JS must be an absolute path, got: $GUARD_JS"
check GUARD_JS "$GUARD_JS" "$path_re"

# --- CSP hashes of index.html's inline scripts and styles ------------------------------------

b64sha256() { # stdin -> base64 of the sha256 digest
  if command -v openssl >/dev/null; then
    openssl dgst -sha256 -binary | openssl base64 -A
  else
    local hex
    hex=$(sha256sum | cut -d' ' -f1)
    # shellcheck disable=SC2059
    printf "$(sed 's/../\\x&/g' <<<"$hex")" | base64 -w0
  fi
}

# Prints one 'sha256-...' per inline <TAG> element (no src attribute) of the html on stdin.
# The hash covers the exact text between the tags, after the HTML parser's newline
# normalisation (CRLF and CR become LF), which is what the browser hashes.
inline_hashes() { # tag
  local tag=$1 rest attrs body
  rest=$(cat)
  while [[ $rest == *"<$tag"* ]]; do
    rest=${rest#*<"$tag"}
    attrs=${rest%%>*}
    rest=${rest#*>}
    body=${rest%%</"$tag">*}
    rest=${rest#*</"$tag">}
    [[ $attrs == *src=* ]] && continue
    body=${body//$'\r\n'/$'\n'}
    body=${body//$'\r'/$'\n'}
    printf " 'sha256-%s'" "$(printf '%s' "$body" | b64sha256)"
  done
}

index="$DIST/index.html"
CSP_SCRIPT_HASHES=$(inline_hashes script <"$index")
# shellcheck disable=SC2034 # read through ${!name} below
CSP_STYLE_HASHES=$(inline_hashes style <"$index")
[ -n "$CSP_SCRIPT_HASHES" ] ||
  warn "no inline <script> in $index: script-src is 'self' only (is this a Trunk build?)"
grep -qiE '<[^>]+[[:space:]](style|on[a-z]+)=' "$index" &&
  warn "$index has style= or on*= attributes, which this CSP blocks"

# --- render ----------------------------------------------------------------------------------

cond_script=()
keep_or_drop() { # name true(1)/false(0)
  if [ "$2" = 1 ]; then
    cond_script+=(-e "/^[[:space:]]*#@if !$1\$/,/^[[:space:]]*#@endif\$/d")
  else
    cond_script+=(-e "/^[[:space:]]*#@if $1\$/,/^[[:space:]]*#@endif\$/d")
  fi
}
keep_or_drop standalone "$([ "$mode" = standalone ] && echo 1 || echo 0)"
keep_or_drop tls "$tls"
keep_or_drop upstream_tls "$upstream_tls"
keep_or_drop allow_networks "$allow_networks"
keep_or_drop basic_auth "$basic_auth"

subst=()
for name in ROOT LISTEN HTTP_LISTEN SERVER_NAME TLS_CERT TLS_KEY UPSTREAM UPSTREAM_HOST \
  UPSTREAM_HOST_HEADER RESOLVER CA_BUNDLE LOG_DIR CSP_SCRIPT_HASHES CSP_STYLE_HASHES \
  NJS_MODULE BROTLI_STATIC_MODULE GUARD_JS ALLOW_RULES BASIC_AUTH_FILE BASIC_AUTH_REALM; do
  subst+=(-e "s|@@${name}@@|${!name}|g")
done

rendered=$(
  printf '# Rendered by deploy/render-nginx.sh (%s mode) on %s\n' "$mode" "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  printf '# from %s, CSP hashes from %s.\n' "$template" "$index"
  printf '# The API guard (njs) is %s, a copy of deploy/api-guard.js.\n' "$GUARD_JS"
  printf '# Re-render after every build of the app, then: nginx -t && nginx -s reload.\n\n'
  sed "${cond_script[@]}" "$template" |
    sed -e '/^[[:space:]]*#@if /d' -e '/^[[:space:]]*#@endif$/d' "${subst[@]}"
)
if grep -nE '@@[A-Z_]+@@|^[[:space:]]*#@(if|endif)' <<<"$rendered" >&2; then
  die "unfilled placeholders or markers left (above)"
fi

# The guard first: a configuration that names it must never be there without it.
if [ "$GUARD_JS" != "$guard_src" ] && ! cmp -s "$guard_src" "$GUARD_JS"; then
  tmp=$(mktemp "$GUARD_JS.XXXXXX")
  cat "$guard_src" >"$tmp"
  chmod 644 "$tmp"
  mv -f "$tmp" "$GUARD_JS"
fi

if [ -n "$out" ]; then
  tmp=$(mktemp "$out.XXXXXX")
  printf '%s\n' "$rendered" >"$tmp"
  chmod 644 "$tmp"
  mv -f "$tmp" "$out"
else
  printf '%s\n' "$rendered"
fi
