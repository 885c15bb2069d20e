#!/usr/bin/env bash
# Recording proxy throughput and latency: the same closed-loop load straight
# to a local upstream and through `connectorlab record` (SQLite, group
# commit, redaction) in the same run, at 32 and 200 connections. After each
# proxy run the session's row count is checked against the requests sent,
# and the proxy's stderr is searched for "database is locked".
#   bash bench/record.sh            # 10 s per run
#   DURATION=5s CONNS="32" bash bench/record.sh
# Needs: go, jq. Everything listens on 127.0.0.1 and stops by itself.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-10s}
CONNS=${CONNS:-"32 200"}
command -v jq >/dev/null || { echo "bench/record.sh: jq is required (apt-get install jq)" >&2; exit 3; }
tmp=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$tmp"; }
trap cleanup EXIT
go build -o "$tmp/connectorlab" ./cmd/connectorlab
go build -o "$tmp/loadgen" ./recordings/internal/loadgen

mkfifo "$tmp/upin"
"$tmp/loadgen" upstream < "$tmp/upin" > "$tmp/up.url" &
pids+=($!)
exec 7> "$tmp/upin"   # the upstream lives while fd 7 is open
for _ in $(seq 50); do [ -s "$tmp/up.url" ] && break; sleep 0.1; done
UP=$(cat "$tmp/up.url")

export CONNECTORLAB_PARAM_API_KEY=bench-key
rows_ok=1
printf '| conns | direct req/s | proxy req/s | ratio | direct p50 / p99 ms | proxy p50 / p99 ms | added p99 ms | requests via proxy | rows stored | lost | not stored | "database is locked" |\n'
printf '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n'
for c in $CONNS; do
  "$tmp/connectorlab" record examples/contoso-orders --upstream "$UP/v1" --db "$tmp/bench.db" --port 0 \
      --session "bench-c$c" > "$tmp/rec.out" 2> "$tmp/rec.err" &
  rp=$!
  pids+=($rp)
  for _ in $(seq 100); do grep -q 'listening on' "$tmp/rec.out" 2>/dev/null && break; sleep 0.1; done
  PROXY=$(sed -n 's/^listening on \(http:[^ ]*\).*/\1/p' "$tmp/rec.out")
  [ -n "$PROXY" ] || { echo "record did not start:"; cat "$tmp/rec.err"; exit 3; }

  direct=$("$tmp/loadgen" run -url "$UP/v1" -c "$c" -d "$DURATION")
  proxy=$("$tmp/loadgen" run -url "$PROXY" -c "$c" -d "$DURATION")
  kill -INT "$rp"; wait "$rp" || true

  sent=$(jq '.ok + .non2xx' <<<"$proxy")
  errs=$(jq '.errors' <<<"$proxy")
  rows=$("$tmp/connectorlab" recordings ls --db "$tmp/bench.db" --format json | jq --arg n "bench-c$c" '.sessions[] | select(.name == $n) | .exchanges')
  notstored=$(grep -o '[0-9]* NOT stored' "$tmp/rec.out" | grep -o '^[0-9]*' || echo "?")
  locked=$(grep -ci 'database is locked' "$tmp/rec.err" || true)
  lost=$(( sent - rows ))
  [ "$lost" -le 0 ] && [ "$errs" = 0 ] && [ "$locked" = 0 ] || rows_ok=0
  jq -rn --argjson d "$direct" --argjson p "$proxy" --arg rows "$rows" --arg lost "$lost" --arg ns "$notstored" --arg lk "$locked" \
    '"| \($d.conns) | \($d.rps|floor) | \($p.rps|floor) | \(($p.rps/$d.rps*100|floor))% | \($d.p50ms) / \($d.p99ms) | \($p.p50ms) / \($p.p99ms) | \(($p.p99ms-$d.p99ms)*100|round/100) | \($p.ok+$p.non2xx) (+\($p.errors) client errors) | \($rows) | \($lost) | \($ns) | \($lk) |"'
done
rm -f "$tmp/bench.db"*
[ "$rows_ok" = 1 ] || { echo "bench/record.sh: rows lost, client errors or 'database is locked' (see above)" >&2; exit 1; }
