#!/usr/bin/env bash
# bench/mock.sh — `connectorlab mock` against Prism 5 (`prism mock` and
# `prism mock -d`) in the same run, on loopback, with wrk at 32 keep-alive
# connections: throughput and p50/p99 latency, validation and auth on, for
#   (a) the sample connector's GET /v1/orders/{orderId} (same id; and a new
#       id per request, so every answer is generated), and
#   (b) the largest dev connector (HubSpot CRM V2, 1.0 MB, 188 operations),
#       GET /crm/v3/objects/contacts/{contactId};
# then the server's RSS with the largest connector loaded and the time from
# process start to the first answered request.
#
# Prism is installed with npm into a temp folder (not a project dependency);
# wrk comes from Debian (installed when missing).
# Then (c) the largest connector against a bare net/http handler that
# answers the same bytes as a constant (the floor any Go HTTP server pays on
# this machine), alternating REPEATS times in the same run, medians and
# ratios, with the mock's peak RSS (VmHWM) under that load.
#
# Usage: bash bench/mock.sh   (env: DURATION=10s CONNS=32 THREADS=1 PRISM_DIR=dir
#   PRISM=0 skips Prism (a and b then show connectorlab only); REPEATS=3;
#   ONLY_C=1 runs (c) alone; BEFORE=binary adds an older connectorlab build
#   to (c), alternating with the others (before/after tables in one run);
#   PROFILE=dir also writes CPU and allocation profiles of `connectorlab mock`
#   under one more load run of (c) into dir: go tool pprof -top dir/cpu.out)
# One wrk thread leaves the second core to the server under test (Prism is
# single-threaded anyway).
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-10s}
CONNS=${CONNS:-32}
THREADS=${THREADS:-1}
PRISM=${PRISM:-1}
REPEATS=${REPEATS:-3}
PROFILE=${PROFILE:-}
CORPUS=${CORPUS:-../shared/corpus/connectors}
SAMPLE=examples/contoso-orders
LARGE="$CORPUS/independent-publisher-connectors/HubSpot CRM V2"
ID=3fa85f64-5717-4562-b3fc-2c963f66afa6

WORK=$(mktemp -d)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

if ! command -v wrk >/dev/null; then
  if [ "$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi
  $SUDO apt-get install -y -qq wrk >/dev/null
fi
go build -o "$WORK/connectorlab" ./cmd/connectorlab
CL="$WORK/connectorlab"
PRISM_DIR=${PRISM_DIR:-$WORK/prism}
if [ "$PRISM" = 1 ] && [ ! -x "$PRISM_DIR/node_modules/.bin/prism" ]; then
  mkdir -p "$PRISM_DIR"
  (cd "$PRISM_DIR" && npm install --no-audit --no-fund --loglevel=error @stoplight/prism-cli@5 >/dev/null)
fi
PRISM_BIN="$PRISM_DIR/node_modules/.bin/prism"

# The bare peer: net/http serving one constant body, nothing else.
mkdir -p "$WORK/bare"
cat > "$WORK/bare/main.go" <<'GO'
package main

import (
	"net/http"
	"os"
	"strconv"
)

func main() {
	body, err := os.ReadFile(os.Args[2])
	if err != nil {
		panic(err)
	}
	n := strconv.Itoa(len(body))
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", n)
		_, _ = w.Write(body)
	})
	panic(http.ListenAndServe("127.0.0.1:"+os.Args[1], h))
}
GO
(cd "$WORK/bare" && printf 'module bare\n\ngo 1.26\n' > go.mod && go build -o bare .)
BARE="$WORK/bare/bare"

# wait_up URL HEADER: poll until the URL answers 200.
wait_up() {
  for _ in $(seq 1 1200); do
    code=$(curl -s -o /dev/null -w '%{http_code}' -H "$2" "$1" || true)
    [ "$code" = 200 ] && return 0
    sleep 0.05
  done
  echo "no 200 from $1" >&2
  return 1
}

# start NAME CMD...: start a server in the background, remember its pid.
start() {
  local name=$1; shift
  "$@" > "$WORK/$name.log" 2>&1 &
  PIDS+=($!)
  LAST=$!
}

stop() { kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }

cat > "$WORK/newid.lua" <<'LUA'
local n = 0
request = function()
  n = n + 1
  return wrk.format(nil, string.format(wrk.path .. "%012d", n))
end
LUA

# ms 1.23ms|512.00us|1.02s -> milliseconds.
ms() { awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /[0-9]s$/ && v !~ /ms$/) n *= 1000; printf "%.3f", n }'; }

# load LABEL URL HEADER [SCRIPT]: run wrk, print a table row.
load() {
  local label=$1 url=$2 header=$3 script=${4:-}
  local args=(-t"$THREADS" -c"$CONNS" -d"$DURATION" --latency -H "$header")
  [ -n "$script" ] && args+=(-s "$script")
  wrk "${args[@]}" "$url" > "$WORK/wrk.out" 2>&1 || true
  local rps p50 p99 non2xx
  rps=$(awk '/Requests\/sec/ {print $2}' "$WORK/wrk.out")
  p50=$(awk '$1=="50%" {print $2}' "$WORK/wrk.out")
  p99=$(awk '$1=="99%" {print $2}' "$WORK/wrk.out")
  non2xx=$(awk '/Non-2xx/ {print $5}' "$WORK/wrk.out")
  printf '| %s | %s | %s | %s | %s |\n' "$label" "${rps:-0}" "${p50:--}" "${p99:--}" "${non2xx:-0}"
  echo "$label ${rps:-0}" >> "$WORK/rps"
  LRPS=${rps:-0} LP99=$(ms "${p99:-0}") LP50=$(ms "${p50:-0}")
}

echo "machine: $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg); wrk -t$THREADS -c$CONNS -d$DURATION"
PV=-; [ "$PRISM" = 1 ] && PV=$("$PRISM_BIN" --version)
echo "connectorlab $(git rev-parse --short HEAD 2>/dev/null || echo '?'), prism $PV"
echo
echo "| server, scenario | req/s | p50 | p99 | non-2xx |"
echo "|---|---:|---:|---:|---:|"

LPATH=/crm/v3/objects/contacts/1234
if [ "${ONLY_C:-0}" != 1 ]; then
# (a) sample GET by id.
start cl-sample "$CL" mock --port 4410 --admin-port -1 --log-format off --seed 1 "$SAMPLE"; P=$LAST
wait_up "http://127.0.0.1:4410/v1/orders/$ID" "X-API-Key: k"
load "connectorlab mock, sample GET by id" "http://127.0.0.1:4410/v1/orders/$ID" "X-API-Key: k"
load "connectorlab mock, sample GET, new id per request" "http://127.0.0.1:4410/v1/orders/3fa85f64-5717-4562-b3fc-" "X-API-Key: k" "$WORK/newid.lua"
stop "$P"
if [ "$PRISM" = 1 ]; then
start prism-sample "$PRISM_BIN" mock -p 4411 -h 127.0.0.1 "$SAMPLE/apiDefinition.swagger.json"; P=$LAST
wait_up "http://127.0.0.1:4411/orders/$ID" "X-API-Key: k"
load "prism mock, sample GET by id" "http://127.0.0.1:4411/orders/$ID" "X-API-Key: k"
stop "$P"
fi
if [ "$PRISM" = 1 ]; then
start prism-sample-d "$PRISM_BIN" mock -d -p 4412 -h 127.0.0.1 "$SAMPLE/apiDefinition.swagger.json"; P=$LAST
wait_up "http://127.0.0.1:4412/orders/$ID" "X-API-Key: k"
load "prism mock -d, sample GET by id" "http://127.0.0.1:4412/orders/$ID" "X-API-Key: k"
stop "$P"
fi

# (b) the largest dev connector.
LPATH=/crm/v3/objects/contacts/1234
start cl-large "$CL" mock --port 4413 --admin-port -1 --log-format off --seed 1 "$LARGE"; P=$LAST
wait_up "http://127.0.0.1:4413$LPATH" "Authorization: k"
load "connectorlab mock, HubSpot CRM V2 GET contact" "http://127.0.0.1:4413$LPATH" "Authorization: k"
RSS=$(awk '/VmRSS/ {print $2}' /proc/$P/status)
HWM=$(awk '/VmHWM/ {print $2}' /proc/$P/status)
stop "$P"
PRSS=0
if [ "$PRISM" = 1 ]; then
start prism-large "$PRISM_BIN" mock -p 4414 -h 127.0.0.1 "$LARGE/apiDefinition.swagger.json"; P=$LAST
wait_up "http://127.0.0.1:4414$LPATH" "Authorization: k"
load "prism mock, HubSpot CRM V2 GET contact" "http://127.0.0.1:4414$LPATH" "Authorization: k"
PRSS=$(awk '/VmRSS/ {print $2}' /proc/$P/status)
stop "$P"
fi
if [ "$PRISM" = 1 ]; then
start prism-large-d "$PRISM_BIN" mock -d -p 4415 -h 127.0.0.1 "$LARGE/apiDefinition.swagger.json"; P=$LAST
wait_up "http://127.0.0.1:4415$LPATH" "Authorization: k"
load "prism mock -d, HubSpot CRM V2 GET contact" "http://127.0.0.1:4415$LPATH" "Authorization: k"
stop "$P"
fi

echo
[ "$PRISM" = 1 ] && python3 - "$WORK/rps" <<'PY'
import sys
rows = [l.rsplit(" ", 1) for l in open(sys.argv[1]).read().splitlines()]
d = {k: float(v or 0) for k, v in rows}
def ratio(a, b):
    return d[a] / d[b] if d.get(b) else float("nan")
pairs = [
    ("connectorlab mock, sample GET by id", "prism mock, sample GET by id"),
    ("connectorlab mock, sample GET by id", "prism mock -d, sample GET by id"),
    ("connectorlab mock, sample GET, new id per request", "prism mock -d, sample GET by id"),
    ("connectorlab mock, HubSpot CRM V2 GET contact", "prism mock, HubSpot CRM V2 GET contact"),
    ("connectorlab mock, HubSpot CRM V2 GET contact", "prism mock -d, HubSpot CRM V2 GET contact"),
]
for a, b in pairs:
    print(f"- {a} / {b}: {ratio(a, b):.1f}x")
PY

# Startup to first answer, largest connector: median of 5.
startup() {
  local port=$1; shift
  local t0 t1
  t0=$(date +%s%N)
  "$@" > "$WORK/startup.log" 2>&1 &
  local p=$!
  PIDS+=($p)
  for _ in $(seq 1 2000); do
    if [ "$(curl -s -o /dev/null -w '%{http_code}' -H 'Authorization: k' "http://127.0.0.1:$port$LPATH" || true)" = 200 ]; then break; fi
    sleep 0.005
  done
  t1=$(date +%s%N)
  stop "$p"
  echo $(( (t1 - t0) / 1000000 ))
}
med() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
CLS=$(for _ in 1 2 3 4 5; do startup 4416 "$CL" mock --port 4416 --admin-port -1 --log-format off "$LARGE"; done | med)
PRS=-
[ "$PRISM" = 1 ] && PRS=$(for _ in 1 2 3; do startup 4417 "$PRISM_BIN" mock -p 4417 -h 127.0.0.1 "$LARGE/apiDefinition.swagger.json"; done | med)
echo
echo "| largest connector (HubSpot CRM V2) | connectorlab mock | prism mock |"
echo "|---|---:|---:|"
echo "| RSS after load (MiB) | $((RSS / 1024)) (peak $((HWM / 1024))) | $((PRSS / 1024)) |"
echo "| start to first answered request (ms, median) | $CLS | $PRS |"

fi # ONLY_C

# (c) The largest connector against the bare net/http handler answering the
# same bytes, alternating, REPEATS times; the mock's peak RSS under load.
start cl-large2 "$CL" mock --port 4418 --admin-port -1 --log-format off --seed 1 "$LARGE"; P=$LAST
wait_up "http://127.0.0.1:4418$LPATH" "Authorization: k"
curl -s -H 'Authorization: k' -o "$WORK/large-body.json" "http://127.0.0.1:4418$LPATH"
start bare "$BARE" 4419 "$WORK/large-body.json"; B=$LAST
wait_up "http://127.0.0.1:4419$LPATH" "Authorization: k"
if [ -n "${BEFORE:-}" ]; then
  start cl-before "$BEFORE" mock --port 4421 --admin-port -1 --log-format off --seed 1 "$LARGE"; PB=$LAST
  wait_up "http://127.0.0.1:4421$LPATH" "Authorization: k"
fi
echo
echo "(c) HubSpot CRM V2 GET contact ($(wc -c < "$WORK/large-body.json") bytes) vs a bare net/http handler answering the same bytes, $REPEATS alternating runs:"
echo
echo "| run | server | req/s | p50 | p99 | non-2xx |"
echo "|---|---|---:|---:|---:|---:|"
: > "$WORK/c.tsv"; : > "$WORK/cb.tsv"
for i in $(seq "$REPEATS"); do
  printf '| %d ' "$i"; load "connectorlab mock" "http://127.0.0.1:4418$LPATH" "Authorization: k"
  MR=$LRPS MP=$LP99 MP50=$LP50
  printf '| %d ' "$i"; load "bare net/http" "http://127.0.0.1:4419$LPATH" "Authorization: k"
  echo "$MR $MP $MP50 $LRPS $LP99 $LP50" >> "$WORK/c.tsv"
  if [ -n "${BEFORE:-}" ]; then
    printf '| %d ' "$i"; load "connectorlab mock, BEFORE build" "http://127.0.0.1:4421$LPATH" "Authorization: k"
    echo "$LRPS $LP99 $LP50 $(tail -1 "$WORK/c.tsv" | cut -d' ' -f4-6)" >> "$WORK/cb.tsv"
  fi
done
HWM2=$(awk '/VmHWM/ {print $2}' /proc/$P/status)
RSS2=$(awk '/VmRSS/ {print $2}' /proc/$P/status)
stop "$P"
stop "$B"
if [ -n "${BEFORE:-}" ]; then
  BHWM=$(awk '/VmHWM/ {print $2}' /proc/$PB/status)
  stop "$PB"
fi
echo
# summarise TSV LABEL HWM_KB [RSS_KB LOAD]: medians and ratios against the
# bare runs of the same TSV (with RSS_KB, the current build's table with its
# targets; without, an older build's).
summarise() {
  python3 - "$@" <<'PY'
import statistics as st, sys
tsv, label, hwm = sys.argv[1], sys.argv[2], int(sys.argv[3])
current = len(sys.argv) > 4
rows = [list(map(float, l.split())) for l in open(tsv) if l.strip()]
med = lambda i: st.median(r[i] for r in rows)
tr = [r[0] / r[3] for r in rows if r[3]]
pr = [r[1] / r[4] for r in rows if r[4]]
t = (lambda x: " %s |" % x) if current else (lambda x: "")
print("| median of %d | %s | bare net/http | ratio |%s" % (len(rows), label, " target |" if current else ""))
print("|---|---:|---:|---:|%s" % ("---|" if current else ""))
print("| req/s | %.0f | %.0f | %.2f (per run %s) |%s" % (med(0), med(3), st.median(tr), ", ".join("%.2f" % x for x in tr), t(">= 0.60")))
if current:
    print("| p50 ms | %.2f | %.2f | %.2f | |" % (med(2), med(5), med(2) / med(5) if med(5) else float("nan")))
print("| p99 ms | %.2f | %.2f | %.2f (per run %s) |%s" % (med(1), med(4), st.median(pr), ", ".join("%.2f" % x for x in pr), t("<= 1.5")))
if current:
    print("| mock peak RSS (VmHWM) after the runs | %d MiB (now %d MiB) | | | <= 60 MiB |" % (hwm // 1024, int(sys.argv[4]) // 1024))
    print("load average after: " + sys.argv[5])
else:
    print("| peak RSS (VmHWM) | %d MiB | | |" % (hwm // 1024))
PY
}
summarise "$WORK/c.tsv" "connectorlab mock" "$HWM2" "$RSS2" "$(cut -d' ' -f1-3 /proc/loadavg)"
if [ -n "${BEFORE:-}" ]; then
  echo
  echo "BEFORE build ($BEFORE) against the same bare runs:"
  echo
  summarise "$WORK/cb.tsv" "BEFORE build" "$BHWM"
fi

if [ -n "$PROFILE" ]; then
  mkdir -p "$PROFILE"
  go build -o "$WORK/mockprof" ./bench/mockprof
  start cl-prof "$WORK/mockprof" -cpu "$PROFILE/cpu.out" -allocs "$PROFILE/allocs.out" -- mock --port 4420 --admin-port -1 --log-format off --seed 1 "$LARGE"; P=$LAST
  wait_up "http://127.0.0.1:4420$LPATH" "Authorization: k"
  echo
  echo "profiled run (connectorlab mock under bench/mockprof):"
  load "connectorlab mock, profiled" "http://127.0.0.1:4420$LPATH" "Authorization: k"
  kill -TERM "$P"; wait "$P" 2>/dev/null || true
  go tool pprof -top -nodecount 25 "$WORK/mockprof" "$PROFILE/cpu.out" 2>/dev/null | head -32
  go tool pprof -top -nodecount 15 -sample_index alloc_space "$WORK/mockprof" "$PROFILE/allocs.out" 2>/dev/null | head -22
fi
