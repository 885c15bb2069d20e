#!/usr/bin/env bash
# Loader speed: the whole dev corpus through connector.Load, next to
# kin-openapi's plain pipeline (openapi2 unmarshal + openapi2conv.ToV3) on the
# same files in the same run. Numbers go into docs/PERFORMANCE.md.
#   bash bench/load.sh            # per-connector table + benchmarks
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=../shared/corpus/connectors
[ -d "$corpus" ] || { echo "bench/load.sh: the corpus is missing at $corpus" >&2; exit 3; }
echo "== per-connector load times (one pass, ours vs kin-openapi plain)"
go test -count=1 -v -run '^TestLoadTimes$' ./connector | grep -E 'bench_test|^(ok|FAIL)' | sed 's/^ *bench_test.go:[0-9]*: //'
echo
echo "== Go benchmarks (3 iterations each)"
go test -run '^$' -bench 'Benchmark(Load|KinPlain)(Corpus|Largest)$' -benchtime 3x -benchmem ./connector | grep -E '^Benchmark|^ok'
