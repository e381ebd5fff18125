#!/usr/bin/env bash
# Prints the raw and brotli size of the built app's wasm, js and css, and fails when the
# three together exceed the budget: 200 KB brotli, since the whole app is downloaded on a
# first visit. The README's "Bundle size" says what the budget has cost and what to watch.
set -euo pipefail
cd "$(dirname "$0")/.."
BUDGET=${BUNDLE_BUDGET_BYTES:-204800}
total=0
printf '%-6s %10s %10s  %s\n' kind raw brotli file
for kind in wasm js css; do
  found=0
  for f in dist/*."$kind"; do
    [ -e "$f" ] || continue
    found=1
    raw=$(stat -c %s "$f")
    br=$(brotli -c -q 11 "$f" | wc -c)
    total=$((total + br))
    printf '%-6s %10s %10s  %s\n' "$kind" "$raw" "$br" "${f#dist/}"
  done
  if [ "$found" = 0 ]; then
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
