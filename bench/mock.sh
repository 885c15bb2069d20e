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
# Usage: bash bench/mock.sh   (env: DURATION=10s CONNS=32 THREADS=1 PRISM_DIR=dir)
# One wrk thread leaves the second core to the server under test (Prism is
# single-threaded anyway).
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-10s}
CONNS=${CONNS:-32}
THREADS=${THREADS:-1}
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
if [ ! -x "$PRISM_DIR/node_modules/.bin/prism" ]; then
  mkdir -p "$PRISM_DIR"
  (cd "$PRISM_DIR" && npm install --no-audit --no-fund --loglevel=error @stoplight/prism-cli@5 >/dev/null)
fi
PRISM="$PRISM_DIR/node_modules/.bin/prism"

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
}

echo "machine: $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg); wrk -t$THREADS -c$CONNS -d$DURATION"
echo "connectorlab $(git rev-parse --short HEAD 2>/dev/null || echo '?'), prism $("$PRISM" --version)"
echo
echo "| server, scenario | req/s | p50 | p99 | non-2xx |"
echo "|---|---:|---:|---:|---:|"

# (a) sample GET by id.
start cl-sample "$CL" mock --port 4410 --admin-port -1 --log-format off --seed 1 "$SAMPLE"; P=$LAST
wait_up "http://127.0.0.1:4410/v1/orders/$ID" "X-API-Key: k"
load "connectorlab mock, sample GET by id" "http://127.0.0.1:4410/v1/orders/$ID" "X-API-Key: k"
load "connectorlab mock, sample GET, new id per request" "http://127.0.0.1:4410/v1/orders/3fa85f64-5717-4562-b3fc-" "X-API-Key: k" "$WORK/newid.lua"
stop "$P"
start prism-sample "$PRISM" mock -p 4411 -h 127.0.0.1 "$SAMPLE/apiDefinition.swagger.json"; P=$LAST
wait_up "http://127.0.0.1:4411/orders/$ID" "X-API-Key: k"
load "prism mock, sample GET by id" "http://127.0.0.1:4411/orders/$ID" "X-API-Key: k"
stop "$P"
start prism-sample-d "$PRISM" mock -d -p 4412 -h 127.0.0.1 "$SAMPLE/apiDefinition.swagger.json"; P=$LAST
wait_up "http://127.0.0.1:4412/orders/$ID" "X-API-Key: k"
load "prism mock -d, sample GET by id" "http://127.0.0.1:4412/orders/$ID" "X-API-Key: k"
stop "$P"

# (b) the largest dev connector.
LPATH=/crm/v3/objects/contacts/1234
start cl-large "$CL" mock --port 4413 --admin-port -1 --log-format off --seed 1 "$LARGE"; P=$LAST
wait_up "http://127.0.0.1:4413$LPATH" "Authorization: k"
load "connectorlab mock, HubSpot CRM V2 GET contact" "http://127.0.0.1:4413$LPATH" "Authorization: k"
RSS=$(awk '/VmRSS/ {print $2}' /proc/$P/status)
HWM=$(awk '/VmHWM/ {print $2}' /proc/$P/status)
stop "$P"
start prism-large "$PRISM" mock -p 4414 -h 127.0.0.1 "$LARGE/apiDefinition.swagger.json"; P=$LAST
wait_up "http://127.0.0.1:4414$LPATH" "Authorization: k"
load "prism mock, HubSpot CRM V2 GET contact" "http://127.0.0.1:4414$LPATH" "Authorization: k"
PRSS=$(awk '/VmRSS/ {print $2}' /proc/$P/status)
stop "$P"
start prism-large-d "$PRISM" mock -d -p 4415 -h 127.0.0.1 "$LARGE/apiDefinition.swagger.json"; P=$LAST
wait_up "http://127.0.0.1:4415$LPATH" "Authorization: k"
load "prism mock -d, HubSpot CRM V2 GET contact" "http://127.0.0.1:4415$LPATH" "Authorization: k"
stop "$P"

echo
awk '{r[$0]=$NF} END {}' "$WORK/rps"
python3 - "$WORK/rps" <<'PY'
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
PRS=$(for _ in 1 2 3; do startup 4417 "$PRISM" mock -p 4417 -h 127.0.0.1 "$LARGE/apiDefinition.swagger.json"; done | med)
echo
echo "| largest connector (HubSpot CRM V2) | connectorlab mock | prism mock |"
echo "|---|---:|---:|"
echo "| RSS after load (MiB) | $((RSS / 1024)) (peak $((HWM / 1024))) | $((PRSS / 1024)) |"
echo "| start to first answered request (ms, median) | $CLS | $PRS |"
