#!/usr/bin/env bash
# Recording proxy throughput and latency, measured in one run against a local
# upstream on 127.0.0.1:
#   direct   loadgen -> upstream
#   bare     loadgen -> httputil.ReverseProxy (records nothing; the peer) -> upstream
#   record   loadgen -> connectorlab record (policies, redaction, SQLite group commit) -> upstream
# 1. closed loop (N keep-alive clients as fast as they can) at 32 and 200 connections;
# 2. open loop at a fixed rate (RATE req/s over 32 connections) for latency at equal load.
# After each recording run the session's row count is checked against the requests
# sent, and the proxy's stderr is searched for "database is locked".
#   bash bench/record.sh                      # 10 s per run
#   DURATION=5s CONNS="32" RATE=1000 bash bench/record.sh
#   RATE=0 skips the open-loop table, CONNS="" the closed-loop one
#   PROFILE=/tmp/prof bash bench/record.sh   # also write CPU and allocation profiles of each
#                                            # recording run (SESSION.cpu.pprof, SESSION.alloc.pprof)
# Needs go and jq. Everything listens on 127.0.0.1 and stops by itself.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-10s}
PROFILE=${PROFILE:-}
[ -z "$PROFILE" ] || { mkdir -p "$PROFILE"; PROFILE=$(cd "$PROFILE" && pwd); }
CONNS=${CONNS:-"32 200"}
RATE=${RATE:-2000}
command -v jq >/dev/null || { echo "bench/record.sh: jq is required (apt-get install jq)" >&2; exit 3; }
tmp=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$tmp"; }
trap cleanup EXIT
go build -o "$tmp/connectorlab" ./cmd/connectorlab
go build -o "$tmp/loadgen" ./recordings/internal/loadgen

# start NAME CMD...: run a server whose stdin is a fifo we hold open; its URL is its first line.
start() {
  local name=$1; shift
  mkfifo "$tmp/$name.in"
  "$@" < "$tmp/$name.in" > "$tmp/$name.url" &
  pids+=($!)
  exec {fd}> "$tmp/$name.in"
  for _ in $(seq 50); do [ -s "$tmp/$name.url" ] && break; sleep 0.1; done
}
start upstream "$tmp/loadgen" upstream
UP=$(head -1 "$tmp/upstream.url")
start bare "$tmp/loadgen" proxy -upstream "$UP"
BARE=$(head -1 "$tmp/bare.url")

export CONNECTORLAB_PARAM_API_KEY=bench-key
fail=0
record_start() { # session name
  # Removed first: the backgrounded redirection below truncates it only
  # once the child runs, and the wait loop could read the previous
  # recorder's "listening on" line (a dead port: every request failed).
  rm -f "$tmp/rec.out" "$tmp/rec.err"
  CONNECTORLAB_RECORD_CPUPROFILE=${PROFILE:+$PROFILE/$1.cpu.pprof} CONNECTORLAB_RECORD_ALLOCPROFILE=${PROFILE:+$PROFILE/$1.alloc.pprof} \
    "$tmp/connectorlab" record examples/contoso-orders --upstream "$UP/v1" --db "$tmp/bench.db" --port 0 \
      --session "$1" > "$tmp/rec.out" 2> "$tmp/rec.err" &
  RP=$!
  pids+=($RP)
  for _ in $(seq 100); do grep -q '^listening on' "$tmp/rec.out" 2>/dev/null && break; sleep 0.1; done
  REC=$(sed -n 's/^listening on \(http:[^ ]*\).*/\1/p' "$tmp/rec.out")
  [ -n "$REC" ] || { echo "record did not start:"; cat "$tmp/rec.err"; exit 3; }
}
record_stop() { # session name, requests sent -> prints "rows lost notstored locked"
  kill -INT "$RP"; wait "$RP" || true
  local rows notstored locked
  rows=$("$tmp/connectorlab" recordings ls --db "$tmp/bench.db" --format json | jq --arg n "$1" '.sessions[] | select(.name == $n) | .exchanges')
  notstored=$(grep -o '[0-9]* NOT stored' "$tmp/rec.out" | grep -o '^[0-9]*' || echo "?")
  locked=$(grep -ci 'database is locked' "$tmp/rec.err" || true)
  local lost=$(( $2 - ${rows:-0} ))
  if ! { [ "$lost" -eq 0 ] && [ "$notstored" = 0 ] && [ "$locked" = 0 ]; }; then
    # (this runs in a process substitution: the caller sets fail)
    { echo "bench/record.sh: session $1: $lost lost, $notstored not stored, $locked locked; the recorder said:"; tail -20 "$tmp/rec.err"; tail -5 "$tmp/rec.out"; } >&2
  fi
  echo "${rows:-0} $lost $notstored $locked"
}
check() { { [ "$2" -eq 0 ] && [ "$3" = 0 ] && [ "$4" = 0 ]; } || fail=1; } # rows lost notstored locked
sent() { jq '.ok + .non2xx + .errors' <<<"$1"; }
# cputicks PID: user+system CPU time of a process so far, in clock ticks.
# CPU per request is steadier than throughput on a shared machine: other
# programs' load slows a run but does not add to its CPU time.
TICK=$(getconf CLK_TCK)
cputicks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
# cpuus PID TICKS0 RESULT: CPU µs per request of PID since TICKS0.
cpuus() { jq -rn --argjson t "$(( $(cputicks "$1") - $2 ))" --argjson j "$3" --argjson hz "$TICK" '$t * 1e6 / $hz / ($j.ok + $j.non2xx + $j.errors) | floor'; }
BAREPID=${pids[1]}

echo "## closed loop, $DURATION per run"
echo
echo '| conns | direct req/s | bare proxy req/s | record req/s | record / direct | record / bare | p99 ms direct / bare / record | cpu-µs/request bare / record | bare / record cpu | requests via record | rows | lost | not stored | "database is locked" |'
echo '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|'
for c in $CONNS; do
  record_start "bench-c$c"
  d=$("$tmp/loadgen" run -url "$UP/v1" -c "$c" -d "$DURATION")
  t0=$(cputicks "$BAREPID")
  b=$("$tmp/loadgen" run -url "$BARE/v1" -c "$c" -d "$DURATION")
  bcpu=$(cpuus "$BAREPID" "$t0" "$b")
  t0=$(cputicks "$RP")
  r=$("$tmp/loadgen" run -url "$REC" -c "$c" -d "$DURATION")
  rcpu=$(cpuus "$RP" "$t0" "$r")
  read -r rows lost ns lk < <(record_stop "bench-c$c" "$(sent "$r")")
  check "$rows" "$lost" "$ns" "$lk"
  jq -rn --argjson d "$d" --argjson b "$b" --argjson r "$r" --arg rows "$rows" --arg lost "$lost" --arg ns "$ns" --arg lk "$lk" --argjson bc "$bcpu" --argjson rc "$rcpu" \
    '"| \($d.conns) | \($d.rps|floor) | \($b.rps|floor) | \($r.rps|floor) | \($r.rps/$d.rps*100|floor)% | \($r.rps/$b.rps*100|floor)% | \($d.p99ms) / \($b.p99ms) / \($r.p99ms) | \($bc) / \($rc) | \($bc/$rc*100|floor)% | \($r.ok+$r.non2xx) (+\($r.errors) errors) | \($rows) | \($lost) | \($ns) | \($lk) |"'
done
if [ "$RATE" != 0 ]; then
echo
echo "## open loop, $RATE req/s over 32 connections, $DURATION per run"
echo
echo '| target | achieved req/s | p50 ms | p99 ms | max ms | added p99 vs direct ms | requests | rows | lost | "database is locked" |'
echo '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|'
record_start "bench-rate"
d=$("$tmp/loadgen" run -url "$UP/v1" -c 32 -rate "$RATE" -d "$DURATION")
b=$("$tmp/loadgen" run -url "$BARE/v1" -c 32 -rate "$RATE" -d "$DURATION")
r=$("$tmp/loadgen" run -url "$REC" -c 32 -rate "$RATE" -d "$DURATION")
read -r rows lost ns lk < <(record_stop "bench-rate" "$(sent "$r")")
check "$rows" "$lost" "$ns" "$lk"
for pair in "direct:$d" "bare proxy:$b" "record:$r"; do
  name=${pair%%:*}; j=${pair#*:}
  extra="- | - | -"
  [ "$name" = record ] && extra="$rows | $lost | $lk"
  jq -rn --argjson j "$j" --argjson d "$d" --arg name "$name" --arg extra "$extra" \
    '"| \($name) | \($j.rps|floor) | \($j.p50ms) | \($j.p99ms) | \($j.maxms) | \(($j.p99ms-$d.p99ms)*100|round/100) | \($j.ok+$j.non2xx+$j.errors) | \($extra) |"'
done
fi
rm -f "$tmp/bench.db"*
echo
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores"
[ "$fail" = 0 ] || { echo "bench/record.sh: rows lost, exchanges not stored or 'database is locked' (see above)" >&2; exit 1; }
