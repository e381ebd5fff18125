#!/usr/bin/env bash
# Prints the raw and brotli size of the built app's wasm, js and css, and fails when together
# they exceed the budget (200 KB brotli): the whole app is downloaded on a first visit.
set -euo pipefail
cd "$(dirname "$0")/.."
BUDGET=${BUNDLE_BUDGET_BYTES:-204800}
total=0
printf '%-6s %10s %10s  %s\n' kind raw brotli file
for kind in wasm js css; do
  for f in dist/*."$kind"; do
    [ -e "$f" ] || continue
    raw=$(stat -c %s "$f")
    br=$(brotli -c -q 11 "$f" | wc -c)
    total=$((total + br))
    printf '%-6s %10s %10s  %s\n' "$kind" "$raw" "$br" "${f#dist/}"
  done
done
printf 'total brotli: %s bytes (%s KB) of a %s KB budget\n' "$total" "$((total / 1024))" "$((BUDGET / 1024))"
if [ "$total" -gt "$BUDGET" ]; then
  echo "bundle budget exceeded" >&2
  exit 1
fi
