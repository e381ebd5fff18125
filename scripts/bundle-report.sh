#!/usr/bin/env bash
# Prints the raw and brotli size of every file of the built app (dist/: index.html, the wasm,
# js and css, the icon, and a worker's files once there is one), and fails when together they
# exceed the budget: 300 KB brotli, since all of it is downloaded on a first visit. The
# README's "Bundle size" says what costs what.
set -euo pipefail
cd "$(dirname "$0")/.."
BUDGET=${BUNDLE_BUDGET_BYTES:-307200}
total=0
printf '%-6s %10s %10s  %s\n' kind raw brotli file
for kind in wasm js css html svg; do
  found=0
  for f in dist/*."$kind"; do
    [ -e "$f" ] || continue
    found=1
    raw=$(stat -c %s "$f")
    br=$(brotli -c -q 11 "$f" | wc -c)
    total=$((total + br))
    printf '%-6s %10s %10s  %s\n' "$kind" "$raw" "$br" "${f#dist/}"
  done
  # The stylesheet is inlined into index.html (one request less before the first paint).
  if [ "$found" = 0 ] && [ "$kind" != svg ] && [ "$kind" != css ]; then
    echo "no $kind file in dist/: run trunk build --release first" >&2
    exit 1
  fi
done
printf 'total brotli: %s bytes; budget %s bytes (%s KB): %s bytes left\n' \
  "$total" "$BUDGET" "$((BUDGET / 1024))" "$((BUDGET - total))"
if [ "$total" -gt "$BUDGET" ]; then
  echo "FAIL: the bundle is over its budget by $((total - BUDGET)) bytes brotli" >&2
  exit 1
fi
exit 0
