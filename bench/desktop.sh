#!/usr/bin/env bash
# Desktop app start-up and memory, in a real WebKitGTK window under Xvfb,
# with an empty Wails v2.11 app (the template's window with a static page)
# measured in the same run as the peer. Numbers go to docs/PERFORMANCE.md
# ("Desktop app").
#
#   make app && bash bench/desktop.sh            # RUNS=5 N=10000 by default
#
# Start-up: process launch -> window mapped (xdotool, both apps) and
# -> interactive (our window rendered and answered its first binding call,
# reported through CONNECTORLAB_READY_FILE). Memory: RSS and PSS of the
# whole process tree (the app plus WebKitWebProcess/NetworkProcess) with
# the largest corpus connector open, its mock running and N exchanges in
# the live traffic list on screen.
set -euo pipefail
cd "$(dirname "$0")/.."
APP=${APP:-build/bin/connectorlab-desktop}
RUNS=${RUNS:-5}
N=${N:-10000}
LARGEST=${LARGEST:-../shared/corpus/connectors/independent-publisher-connectors/HubSpot CRM V2}
WAILS=${WAILS:-$(go env GOPATH)/bin/wails}
[ -x "$APP" ] || { echo "bench/desktop.sh: $APP not found; run 'make app' first" >&2; exit 2; }
[ -d "$LARGEST" ] || { echo "bench/desktop.sh: $LARGEST not found (the corpus is expected in ../shared)" >&2; exit 2; }
for tool in Xvfb xdotool node; do
  command -v $tool >/dev/null || { [ "$(id -u)" = 0 ] && apt-get install -y -qq --no-install-recommends xvfb xdotool >/dev/null; }
done

tmp=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$tmp"; }
trap cleanup EXIT

D=77; while [ -e /tmp/.X11-unix/X$D ]; do D=$((D+1)); done
Xvfb :$D -screen 0 1280x820x24 -nolisten tcp >/dev/null 2>&1 & pids+=($!)
for _ in $(seq 50); do [ -e /tmp/.X11-unix/X$D ] && break; sleep 0.1; done
export DISPLAY=:$D

now_ms() { date +%s%3N; }

# tree_mem PID -> "RSS_MB PSS_MB NPROC ANON_MB" of PID and all its
# descendants. ANON is the anonymous (private heap) part of PSS: the shared
# libraries' share of PSS moves with whatever else maps them on the machine
# (other WebKit processes), anonymous memory does not.
tree_mem() {
  local all=("$1") q=("$1")
  while [ ${#q[@]} -gt 0 ]; do
    local p=${q[0]}; q=("${q[@]:1}")
    for c in $(pgrep -P "$p" || true); do all+=("$c"); q+=("$c"); done
  done
  local rss=0 pss=0 anon=0
  for p in "${all[@]}"; do
    r=$(awk '/^VmRSS:/{print $2}' /proc/$p/status 2>/dev/null || echo 0)
    s=$(awk '/^Pss:/{print $2}' /proc/$p/smaps_rollup 2>/dev/null || echo 0)
    a=$(awk '/^Pss_Anon:/{print $2}' /proc/$p/smaps_rollup 2>/dev/null || echo 0)
    rss=$((rss + ${r:-0})); pss=$((pss + ${s:-0})); anon=$((anon + ${a:-0}))
  done
  echo "$((rss / 1024)) $((pss / 1024)) ${#all[@]} $((anon / 1024))"
}

# launch TITLE BIN ARGS... -> writes "mapped_ms ready_ms" to $tmp/launch, PID in $LAST
launch() {
  local title=$1 bin=$2; shift 2
  rm -f "$tmp/ready"
  local t0; t0=$(now_ms)
  XDG_CONFIG_HOME=$tmp/cfg CONNECTORLAB_READY_FILE=$tmp/ready "$bin" "$@" >"$tmp/app.log" 2>&1 &
  LAST=$!
  # Poll rather than --sync: a window of the previous run being destroyed
  # makes xdotool fail with BadWindow now and then.
  local mapped=-
  while [ $(( $(now_ms) - t0 )) -lt 15000 ]; do
    if xdotool search --onlyvisible --name "^${title}\$" >/dev/null 2>&1; then mapped=$(( $(now_ms) - t0 )); break; fi
    sleep 0.01
  done
  local ready=-
  if [ "$title" = "Connector Lab" ]; then
    while [ $(( $(now_ms) - t0 )) -lt 15000 ]; do [ -s "$tmp/ready" ] && break; sleep 0.02; done
    [ -s "$tmp/ready" ] && ready=$(( $(sed -E 's/.*"readyUnixMs":([0-9]+).*/\1/' "$tmp/ready") - t0 ))
  fi
  echo "$mapped $ready" >"$tmp/launch"
}

# stop PID: SIGTERM, then wait for the app and its WebKit children to be
# gone, so the next launch does not start next to a dying instance.
stop() {
  local kids; kids=$(pgrep -P "$1" || true)
  kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true
  for _ in $(seq 100); do
    local alive=0
    for k in $kids; do [ -e /proc/$k ] && alive=1; done
    [ $alive = 0 ] && break
    sleep 0.05
  done
}

# tree_detail PID: one line per process of the tree.
tree_detail() {
  for p in "$1" $(pgrep -P "$1" || true); do
    printf '    %-16s RSS %4d MB  PSS %4d MB  (anonymous %d MB)\n' "$(cat /proc/$p/comm)" \
      $(( $(awk '/^VmRSS:/{print $2}' /proc/$p/status) / 1024 )) $(( $(awk '/^Pss:/{print $2}' /proc/$p/smaps_rollup) / 1024 )) \
      $(( $(awk '/^Pss_Anon:/{print $2}' /proc/$p/smaps_rollup) / 1024 ))
  done
}

# The peer: Wails' own vanilla template with a static page, same tags.
PEER=$tmp/peer
( cd "$tmp" && "$WAILS" init -n peer -t vanilla -q >/dev/null 2>&1 ) || { echo "wails init failed" >&2; exit 3; }
rm -rf "$PEER/frontend/dist" && mkdir -p "$PEER/frontend/dist"
echo '<!doctype html><html><body><h1>peer</h1></body></html>' > "$PEER/frontend/dist/index.html"
( cd "$PEER" && go mod edit -require=github.com/wailsapp/wails/v2@v2.11.0 && go mod tidy >/dev/null 2>&1 && go build -tags desktop,production,webkit2_41 -ldflags "-w -s" -o peer . )

median() { sort -n | awk '{a[NR]=$1} END{ if (NR%2) print a[(NR+1)/2]; else print int((a[NR/2]+a[NR/2+1])/2) }'; }

echo "start-up, $RUNS runs each (first run after build is the cold one):"
: >"$tmp/ours" ; : >"$tmp/oursready"; : >"$tmp/peerms"
for i in $(seq "$RUNS"); do
  launch "Connector Lab" "$APP"; read -r m r <"$tmp/launch"; stop $LAST
  [ "$m" != - ] && echo "$m" >>"$tmp/ours"; [ "$r" != - ] && echo "$r" >>"$tmp/oursready"
  launch "peer" "$PEER/peer"; read -r pm _ <"$tmp/launch"; stop $LAST
  [ "$pm" != - ] && echo "$pm" >>"$tmp/peerms"
  echo "  run $i: connectorlab mapped ${m} ms, interactive ${r} ms; empty Wails app mapped ${pm} ms (- = no window within 15 s, left out of the median)"
done
om=$(median <"$tmp/ours"); orr=$(median <"$tmp/oursready"); pmm=$(median <"$tmp/peerms")
echo "median: connectorlab mapped $om ms, interactive $orr ms; peer mapped $pmm ms; ratio mapped $(awk "BEGIN{printf \"%.2f\", $om/$pmm}")"

echo "memory:"
# Under load the peer's memory launch has now and then found the process
# gone (a tree of 0 MB, 1 process), which made "added" the whole tree: try
# again, and say so when it keeps failing.
for attempt in 1 2 3; do
  launch "peer" "$PEER/peer"; sleep 1
  read -r prss ppss pn panon < <(tree_mem $LAST)
  [ "$pn" -gt 1 ] && [ "$ppss" -gt 0 ] && break
  echo "  (empty Wails app gone after launch, attempt $attempt: $(tail -3 "$tmp/app.log" | tr '\n' ' '))" >&2
  stop $LAST
done
echo "  empty Wails app: RSS $prss MB, PSS $ppss MB, of it anonymous $panon MB ($pn processes)"
tree_detail $LAST; stop $LAST
launch "Connector Lab" "$APP"; sleep 1
read -r irss ipss in _ < <(tree_mem $LAST); stop $LAST
echo "  connectorlab idle: RSS $irss MB, PSS $ipss MB ($in processes)"
PORT=$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
launch "Connector Lab" "$APP" "$LARGEST" --mock --mock-port "$PORT" --mock-no-auth
APID=$LAST
for _ in $(seq 300); do curl -s -o /dev/null "http://127.0.0.1:$PORT/" && break; sleep 0.05; done
if [ ! -e /proc/$APID ]; then echo "bench/desktop.sh: the app exited at start-up:" >&2; tail -20 "$tmp/app.log" >&2; exit 3; fi
read -r orss opss _ < <(tree_mem $APID)
echo "  connectorlab, largest connector open and mocked: RSS $orss MB, PSS $opss MB"
node bench/desktop-load.mjs "http://127.0.0.1:$PORT" "$LARGEST/apiDefinition.swagger.json" "$N"
sleep 3 # the last batches reach the window
read -r lrss lpss ln lanon < <(tree_mem $APID)
tree_detail $APID
import -window root "$tmp/shot.png" 2>/dev/null && cp "$tmp/shot.png" build/desktop-bench-window.png || true
stop $APID
echo "  connectorlab, largest connector + $N exchanges in the list: RSS $lrss MB, PSS $lpss MB, of it anonymous $lanon MB ($ln processes)"
echo "  ratio to the empty Wails app (PSS): $(awk "BEGIN{printf \"%.2f\", $lpss/$ppss}")"
echo "  added over the empty Wails app: PSS $((lpss - ppss)) MB, anonymous $((lanon - panon)) MB (target: <= 80 MB PSS)"
