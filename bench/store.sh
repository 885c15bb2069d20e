#!/usr/bin/env bash
# Store scale (issue 17): N synthetic exchanges written straight into a
# recordings file (recordings/sqlite/internal/genstore, no HTTP), then the
# reads a user runs on it, timed with their peak RSS:
#   recordings ls, recordings show SESSION (first page), show --exchange ID,
#   export --format har and --format json (to a file), and a replay run
#   (connectorlab test) against a local upstream on 127.0.0.1.
#   bash bench/store.sh                    # N = 10000 100000 1000000
#   SIZES="10000 100000" bash bench/store.sh
#   REPLAY_MAX=100000 ...                  # skip the replay above this N (default: no limit)
# Prints a markdown table; every time is wall seconds (one run, load noted).
set -euo pipefail
cd "$(dirname "$0")/.."
SIZES=${SIZES:-"10000 100000 1000000"}
REPLAY_MAX=${REPLAY_MAX:-0}
command -v /usr/bin/time >/dev/null || { echo "bench/store.sh: /usr/bin/time is required (apt-get install time)" >&2; exit 3; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/connectorlab-store.XXXXXX")
upid=
cleanup() { [ -z "$upid" ] || kill "$upid" 2>/dev/null || true; rm -rf "$tmp"; }
trap cleanup EXIT
go build -o "$tmp/connectorlab" ./cmd/connectorlab
go build -o "$tmp/genstore" ./recordings/sqlite/internal/genstore
go build -o "$tmp/loadgen" ./recordings/internal/loadgen
mkfifo "$tmp/up.in"
"$tmp/loadgen" upstream < "$tmp/up.in" > "$tmp/up.url" &
upid=$!
exec {upfd}> "$tmp/up.in"
for _ in $(seq 50); do [ -s "$tmp/up.url" ] && break; sleep 0.1; done
UP=$(head -1 "$tmp/up.url")
export CONNECTORLAB_PARAM_API_KEY=bench-key

# timed LABEL CMD...: run CMD (stdout to a file), print "seconds maxRSS-MiB".
# The replay exits 1 when it has findings (the stand-in upstream is not the
# connector's API): that still is a complete run.
timed() {
  local label=$1; shift
  local rc=0
  /usr/bin/time -f '%e %M' -o "$tmp/time.$label" "$@" > "$tmp/out.$label" 2> "$tmp/err.$label" || rc=$?
  if [ "$rc" != 0 ] && ! { [ "$label" = replay ] && [ "$rc" = 1 ]; }; then
    echo "bench/store.sh: $label failed (exit $rc):" >&2; tail -5 "$tmp/err.$label" >&2; return 1
  fi
  awk 'END {printf "%s %d\n", $1, $2/1024}' "$tmp/time.$label"
}
us() { awk -v s="$1" -v n="$2" 'BEGIN { printf "%.1f", s*1e6/n }'; }

echo '| exchanges | generate s (exch/s) | file MiB (bytes/exchange) | ls s | show s | show --exchange s | export har s (µs/exch, MiB RSS) | export json s (µs/exch, MiB RSS) | replay s (µs/exch, MiB RSS) |'
echo '|---:|---:|---:|---:|---:|---:|---:|---:|---:|'
for n in $SIZES; do
  db="$tmp/store-$n.db"
  g=$("$tmp/genstore" -db "$db" -n "$n")
  gs=$(jq .seconds <<<"$g"); fb=$(jq .fileBytes <<<"$g")
  sess="gen-$n"
  read -r ls_s _ < <(timed ls "$tmp/connectorlab" recordings ls --db "$db")
  read -r show_s _ < <(timed show "$tmp/connectorlab" recordings show "$sess" --db "$db")
  mid=$(( n / 2 + 1 ))
  read -r one_s _ < <(timed one "$tmp/connectorlab" recordings show --exchange "$mid" --db "$db")
  read -r har_s har_m < <(timed har "$tmp/connectorlab" recordings export "$sess" --db "$db" --format har -o "$tmp/x.har")
  read -r json_s json_m < <(timed json "$tmp/connectorlab" recordings export "$sess" --db "$db" --format json -o "$tmp/x.json")
  rm -f "$tmp/x.har" "$tmp/x.json"
  rep="skipped"
  if [ "$REPLAY_MAX" = 0 ] || [ "$n" -le "$REPLAY_MAX" ]; then
    if read -r rep_s rep_m < <(timed replay "$tmp/connectorlab" test examples/contoso-orders --target "$UP/v1" --recordings "$db" --session "$sess" --no-history --no-policies --format json); then
      rep="$rep_s ($(us "$rep_s" "$n"), $rep_m)"
    else
      rep="failed"
    fi
  fi
  echo "| $n | $gs ($(awk -v s="$gs" -v n="$n" 'BEGIN{printf "%d", n/s}')) | $(awk -v b="$fb" -v n="$n" 'BEGIN{printf "%.0f (%.0f)", b/1048576, b/n}') | $ls_s | $show_s | $one_s | $har_s ($(us "$har_s" "$n"), $har_m) | $json_s ($(us "$json_s" "$n"), $json_m) | $rep |"
  rm -f "$db" "$db"-*
done
echo
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores"
