#!/usr/bin/env bash
# WAL bound under sustained recording (issue 17): connectorlab record on the
# sample connector in front of a local upstream, driven closed-loop at full
# speed for MINUTES minutes (loadgen, CONNS keep-alive clients), with the
# -wal file's size sampled every second. Prints the largest -wal seen, the
# bound (sqlite.DefaultWALLimit = 64 MiB; see its doc), the exchanges
# stored and the database's size per exchange.
#   bash bench/wal.sh                 # 10 minutes, 200 connections
#   MINUTES=2 CONNS=32 bash bench/wal.sh
set -euo pipefail
cd "$(dirname "$0")/.."
MINUTES=${MINUTES:-10}
CONNS=${CONNS:-200}
command -v jq >/dev/null || { echo "bench/wal.sh: jq is required (apt-get install jq)" >&2; exit 3; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/connectorlab-wal.XXXXXX")
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$tmp"; }
trap cleanup EXIT
go build -o "$tmp/connectorlab" ./cmd/connectorlab
go build -o "$tmp/loadgen" ./recordings/internal/loadgen
mkfifo "$tmp/up.in"
"$tmp/loadgen" upstream < "$tmp/up.in" > "$tmp/up.url" &
pids+=($!)
exec {upfd}> "$tmp/up.in"
for _ in $(seq 50); do [ -s "$tmp/up.url" ] && break; sleep 0.1; done
UP=$(head -1 "$tmp/up.url")
export CONNECTORLAB_PARAM_API_KEY=bench-key
db="$tmp/wal.db"
"$tmp/connectorlab" record examples/contoso-orders --upstream "$UP/v1" --db "$db" --port 0 --session wal > "$tmp/rec.out" 2> "$tmp/rec.err" &
RP=$!
pids+=($RP)
for _ in $(seq 100); do grep -q '^listening on' "$tmp/rec.out" 2>/dev/null && break; sleep 0.1; done
REC=$(sed -n 's/^listening on \(http:[^ ]*\).*/\1/p' "$tmp/rec.out")
[ -n "$REC" ] || { echo "record did not start:"; cat "$tmp/rec.err"; exit 3; }
( max=0; while kill -0 "$RP" 2>/dev/null; do
    w=$(stat -c %s "$db-wal" 2>/dev/null || echo 0); [ "$w" -gt "$max" ] && max=$w
    echo "$max" > "$tmp/walmax"; sleep 1; done ) &
pids+=($!)
sent=0
start=$(date +%s)
end=$(( start + MINUTES * 60 ))
while [ "$(date +%s)" -lt "$end" ]; do
  left=$(( end - $(date +%s) )); [ "$left" -gt 120 ] && left=120; [ "$left" -lt 1 ] && break
  r=$("$tmp/loadgen" run -url "$REC" -c "$CONNS" -d "${left}s")
  sent=$(( sent + $(jq '.ok + .non2xx + .errors' <<<"$r") ))
  echo "$(date -u +%H:%M:%S) $(jq -c '{rps: (.rps|floor), p99ms}' <<<"$r") wal max so far $(( $(cat "$tmp/walmax") >> 20 )) MiB, db $(( $(stat -c %s "$db") >> 20 )) MiB" >&2
done
walmax=$(cat "$tmp/walmax")
kill -INT "$RP"; wait "$RP" || true
rows=$("$tmp/connectorlab" recordings ls --db "$db" --format json | jq '.sessions[] | select(.name == "wal") | .exchanges')
size=$(stat -c %s "$db")
echo "| minutes | conns | requests | rows stored | lost | largest -wal MiB | bound MiB | db MiB after close | bytes/exchange |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
echo "| $MINUTES | $CONNS | $sent | $rows | $(( sent - rows )) | $(awk -v w="$walmax" 'BEGIN{printf "%.1f", w/1048576}') | 64 (128 + one batch worst case) | $(( size >> 20 )) | $(( size / (rows > 0 ? rows : 1) )) |"
echo
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores"
