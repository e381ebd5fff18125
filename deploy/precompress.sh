#!/usr/bin/env bash
# Writes a brotli -q 11 copy (file.br) and a gzip -9 copy (file.gz) next to each compressible
# file of a built app, both with the file's mtime and mode, for nginx's brotli_static and
# gzip_static: the wasm, js, css, svg, html and json are then sent compressed with no CPU per
# request, and smaller than any on-the-fly compression would make them. Browsers that accept
# br get the .br (the wasm: about a fifth smaller than gzip -9), the others the .gz.
#
#   deploy/precompress.sh DIR        (a copy of dist/ that nginx serves, never dist/ itself)
#
# A .br or .gz whose file is gone, or no longer gets a copy (shrunk under 1 KB), is removed:
# nginx would otherwise send its stale content in place of the file.
# Needs brotli (Debian: apt-get install brotli) and gzip.
set -euo pipefail
dir=${1:?usage: precompress.sh DIR}
[ -d "$dir" ] || { echo "precompress: no such directory: $dir" >&2; exit 2; }
command -v brotli >/dev/null || { echo "precompress: no brotli: apt-get install brotli" >&2; exit 2; }

# Under 1 KB a copy saves less than a packet, so those files go out as they are (gzip's
# on-the-fly gzip_min_length is the same 1 KB).
wanted() { # FILE: does FILE get compressed copies?
  [ -f "$1" ] && [ "$(stat -c %s "$1")" -ge 1024 ] &&
    [[ $1 =~ \.(wasm|js|mjs|css|svg|html|json)$ ]]
}

find "$dir" -type f \( -name '*.gz' -o -name '*.br' \) -print0 | while IFS= read -r -d '' z; do
  wanted "${z%.*}" || rm -f "$z"
done
find "$dir" -type f \( -name '*.wasm' -o -name '*.js' -o -name '*.mjs' -o -name '*.css' \
  -o -name '*.svg' -o -name '*.html' -o -name '*.json' \) -size +1023c -print0 |
  while IFS= read -r -d '' f; do
    gzip -9 -n -c "$f" >"$f.gz.tmp"
    brotli -q 11 -n -c "$f" >"$f.br.tmp"
    for z in gz br; do
      touch -r "$f" "$f.$z.tmp"
      chmod --reference="$f" "$f.$z.tmp"
      mv -f "$f.$z.tmp" "$f.$z"
    done
  done
