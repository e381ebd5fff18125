#!/usr/bin/env bash
# Writes a gzip -9 copy (file.gz, same mtime) next to each compressible file of a built app, for
# nginx's gzip_static: the wasm, js, css, svg, html and json are then sent compressed with no
# CPU per request, and smaller than on-the-fly gzip at level 5.
#
#   deploy/precompress.sh DIR        (a copy of dist/ that nginx serves, never dist/ itself)
#
# A .gz whose source file is gone is removed. (nginx-light has no brotli module; with Debian's
# libnginx-mod-http-brotli-static one would add `brotli -q 11 -k` copies the same way.)
set -euo pipefail
dir=${1:?usage: precompress.sh DIR}
[ -d "$dir" ] || { echo "precompress: no such directory: $dir" >&2; exit 2; }

find "$dir" -type f -name '*.gz' -print0 | while IFS= read -r -d '' gz; do
  [ -e "${gz%.gz}" ] || rm -f "$gz"
done
find "$dir" -type f \( -name '*.wasm' -o -name '*.js' -o -name '*.mjs' -o -name '*.css' \
  -o -name '*.svg' -o -name '*.html' -o -name '*.json' \) -size +1023c -print0 |
  while IFS= read -r -d '' f; do
    gzip -9 -n -c "$f" >"$f.gz.tmp"
    touch -r "$f" "$f.gz.tmp"
    chmod --reference="$f" "$f.gz.tmp"
    mv -f "$f.gz.tmp" "$f.gz"
  done
