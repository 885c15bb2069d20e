#!/usr/bin/env bash
# Compare `connectorlab diff` with oasdiff on the 20 corpus version pairs.
#
# oasdiff reads OpenAPI 3 only, so both sides of every pair are converted
# with connector.Load (the same documents our diff sees), oasdiff's
# changelog (all levels) is run on them, and both tools are scored against
# contract/testdata/pairs-truth.json (transcribed from the pairs README).
#
# oasdiff is built into a temporary GOBIN, never added to go.mod: it pins
# an older kin-openapi than ours (v0.153.0). Set OASDIFF=/path/to/oasdiff
# to reuse a binary.
#
# Usage: bash bench/contract-oasdiff.sh [OUT.md]     (default: stdout)
set -euo pipefail
cd "$(dirname "$0")/.."
PAIRS=${PAIRS:-../shared/corpus/pairs}
OASDIFF_VERSION=${OASDIFF_VERSION:-v1.37.0}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if [ -z "${OASDIFF:-}" ]; then
  echo "building oasdiff $OASDIFF_VERSION in a temporary GOBIN ..." >&2
  GOBIN="$work/bin" GOFLAGS= go install "github.com/oasdiff/oasdiff@$OASDIFF_VERSION" >&2
  OASDIFF="$work/bin/oasdiff"
fi

go run ./bench/oasdiff convert "$PAIRS" "$work/pairs"
for d in "$work"/pairs/*/; do
  "$OASDIFF" changelog "$d/old.openapi3.json" "$d/new.openapi3.json" --format json >"$d/oasdiff.json"
done

# Timing of both tools over all 20 pairs (load + diff), 5 rounds.
t0=$(date +%s.%N)
for _ in 1 2 3 4 5; do
  for d in "$work"/pairs/*/; do "$OASDIFF" changelog "$d/old.openapi3.json" "$d/new.openapi3.json" --format json >/dev/null; done
done
t1=$(date +%s.%N)
go build -o "$work/connectorlab" ./cmd/connectorlab
t2=$(date +%s.%N)
for _ in 1 2 3 4 5; do
  for p in "$PAIRS"/[0-9]*/; do "$work/connectorlab" diff --format json "$p/old.swagger.json" "$p/new.swagger.json" >/dev/null || true; done
done
t3=$(date +%s.%N)

out=${1:-/dev/stdout}
{
  go run ./bench/oasdiff score contract/testdata/pairs-truth.json "$work/pairs"
  echo
  awk -v a="$t0" -v b="$t1" -v c="$t2" -v d="$t3" 'BEGIN {
    printf "Timing, 5 rounds × 20 pairs, one process per pair: oasdiff %.2f s (on pre-converted OpenAPI 3), connectorlab diff %.2f s (Swagger 2.0 load + convert + diff); ratio connectorlab/oasdiff %.2f\n", b-a, d-c, (d-c)/(b-a) }'
} >"$out"
