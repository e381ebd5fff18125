#!/usr/bin/env bash
# Prints the raw and brotli size of the built app's wasm, js and css against the budget
# (200 KB brotli for the three together: the whole app is downloaded on a first visit), and
# fails when they exceed the ceiling.
#
# The app is still over the budget (see the README's "Bundle size"), so the ceiling is a
# ratchet a little above today's size: no change may grow the bundle unnoticed, and each cut
# lowers the ratchet. Once the app fits, the ceiling is the budget itself.
set -euo pipefail
cd "$(dirname "$0")/.."
BUDGET=${BUNDLE_BUDGET_BYTES:-204800}
CEILING=${BUNDLE_CEILING_BYTES:-239616}
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
printf 'total brotli: %s bytes (%s KB); budget %s KB, ceiling %s KB\n' \
  "$total" "$((total / 1024))" "$((BUDGET / 1024))" "$((CEILING / 1024))"
if [ "$total" -gt "$BUDGET" ]; then
  echo "over the budget by $(( (total - BUDGET + 1023) / 1024 )) KB brotli"
fi
if [ "$total" -gt "$CEILING" ]; then
  echo "FAIL: the bundle grew past its ceiling of $((CEILING / 1024)) KB brotli" >&2
  exit 1
fi
exit 0
