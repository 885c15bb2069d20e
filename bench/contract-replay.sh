#!/usr/bin/env bash
# Replay + check speed: 10,000 recorded exchanges (one per operation of the
# Alvao connector, 28 operations, repeated) replayed against a local mock
# of the same definition, 4 in flight, with conformance and drift checks.
# The same run measures the floor (send + read, no checks) and the body
# checker against kin-openapi's Schema.VisitJSON on the same bodies.
#
# Usage: bash bench/contract-replay.sh [ROUNDS]   (default 3)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
go test -run '^$' -bench 'Replay10k|SendOnly10k|ConformCheck10k|KinVisitJSON10k' -benchtime "${rounds}x" -count 1 ./contract/replay |
  tee /tmp/contract-replay-bench.txt | grep -E '^Benchmark'
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
awk '/^BenchmarkReplay10k/ {r=$3} /^BenchmarkSendOnly10k/ {s=$3} /^BenchmarkConformCheck10k/ {c=$3} /^BenchmarkKinVisitJSON10k/ {k=$3}
  END { printf "replay+check 10k: %.2f s; send only: %.2f s (checks cost %.2fx the bare replay); body checks: ours %.3f s vs kin VisitJSON %.3f s (ratio %.2f)\n", r/1e9, s/1e9, r/s, c/1e9, k/1e9, c/k }' /tmp/contract-replay-bench.txt
