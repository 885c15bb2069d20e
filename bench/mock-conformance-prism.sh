#!/usr/bin/env bash
# bench/mock-conformance-prism.sh — run the mock conformance sweep (one valid
# request per operation, answer checked against the definition) over the dev
# corpus against Connector Lab's mock and against Prism 5, side by side.
#
# Prism (@stoplight/prism-cli 5) is installed with npm into a temp folder; it
# is not a project dependency. Each connector gets its own Prism process
# (Prism serves one spec per process). Prism routes on the path keys without
# the basePath, so its requests are built with --no-base-path.
#
# Usage: bash bench/mock-conformance-prism.sh [CORPUS_DIR]
#   env: STRIDE=N takes every Nth connector (a deterministic sample), LIMIT=N the first N,
#        JOBS=N Prism processes at once (default 2), PRISM_FLAGS=-d for dynamic mode,
#        PRISM_DIR=dir reuses an install,
#        OUT=dir keeps the per-connector results.
set -euo pipefail
cd "$(dirname "$0")/.."
CORPUS=${1:-../shared/corpus/connectors}
WORK=$(mktemp -d)
OUT=${OUT:-$WORK/out}
mkdir -p "$OUT"
JOBS=${JOBS:-2}
cleanup() { for p in $(jobs -p); do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

go build -o "$WORK/connectorlab" ./cmd/connectorlab
CL="$WORK/connectorlab"
PRISM_DIR=${PRISM_DIR:-$WORK/prism}
if [ ! -x "$PRISM_DIR/node_modules/.bin/prism" ]; then
  command -v npm >/dev/null || { echo "npm is required to install Prism (apt-get install npm)" >&2; exit 3; }
  mkdir -p "$PRISM_DIR"
  (cd "$PRISM_DIR" && npm install --no-audit --no-fund --loglevel=error @stoplight/prism-cli@5 >/dev/null)
fi
PRISM="$PRISM_DIR/node_modules/.bin/prism"
echo "prism $("$PRISM" --version)"

mapfile -t ALL < <(find "$CORPUS" -mindepth 2 -maxdepth 2 -type d | sort)
DIRS=()
for i in "${!ALL[@]}"; do
  if (( i % ${STRIDE:-1} == 0 )); then DIRS+=("${ALL[$i]}"); fi
done
if [ -n "${LIMIT:-}" ]; then DIRS=("${DIRS[@]:0:$LIMIT}"); fi
echo "${#DIRS[@]} connectors"

# Connector Lab: one process sweeps them all (each on its own loopback port).
"$CL" mock --conformance --format json --seed 1 "${DIRS[@]}" > "$OUT/connectorlab.json" || true

# one_prism I DIR PORT: sweep one connector against its own Prism process.
one_prism() {
  local i=$1 d=$2 port=$3 spec pid up=0
  spec=$(find "$d" -maxdepth 1 -name '*.swagger.json' | head -1)
  [ -n "$spec" ] || return 0
  "$PRISM" mock ${PRISM_FLAGS:-} -p "$port" -h 127.0.0.1 "$spec" > "$WORK/prism-$port.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 240); do
    if curl -s -o /dev/null "http://127.0.0.1:$port/"; then up=1; break; fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.25
  done
  if [ "$up" = 1 ]; then
    timeout 300 "$CL" mock --conformance --format json --seed 1 --target "http://127.0.0.1:$port" --no-base-path "$d" > "$OUT/prism-$i.json" || true
  else
    printf '{"prismFailed": %s}\n' "$(printf '%s' "$d" | python3 -c 'import json,sys; print(json.dumps(sys.stdin.read()))')" > "$OUT/prism-$i.json"
    "$CL" mock --conformance --format json --target "http://127.0.0.1:1" "$d" > "$OUT/prism-$i-ops.json" 2>/dev/null || true
  fi
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

# JOBS workers, each with its own port, take every JOBS-th connector.
worker() {
  local w=$1 i
  for i in "${!DIRS[@]}"; do
    if (( i % JOBS == w )); then
      one_prism "$((i+1))" "${DIRS[$i]}" $((4411 + w))
      if (( (i+1) % 50 == 0 )); then echo "  $((i+1))/${#DIRS[@]}"; fi
    fi
  done
}
for w in $(seq 0 $((JOBS-1))); do worker "$w" & done
wait

python3 - "$OUT" <<'PY'
import json, os, sys, collections
out = sys.argv[1]
def load(p):
    try:
        return json.load(open(p))
    except Exception:
        return None
ours = load(os.path.join(out, "connectorlab.json")) or {}
tot_p, pass_p, cls_p, start_fail = 0, 0, collections.Counter(), 0
for f in sorted(os.listdir(out)):
    if not f.startswith("prism-") or f.endswith("-ops.json"):
        continue
    r = load(os.path.join(out, f))
    if r is None:
        continue
    if "prismFailed" in r:
        start_fail += 1
        ops = load(os.path.join(out, f.replace(".json", "-ops.json"))) or {}
        n = ops.get("operations", 0)
        tot_p += n
        cls_p["prism-did-not-start"] += n
        continue
    tot_p += r.get("operations", 0)
    pass_p += r.get("passed", 0)
    for k, v in (r.get("classes") or {}).items():
        cls_p[k] += v
def pct(a, b): return 100.0 * a / b if b else 0.0
print()
print("| mock | operations | conform | rate | failures by class |")
print("|---|---:|---:|---:|---|")
oc = ", ".join(f"{k} {v}" for k, v in sorted((ours.get("classes") or {}).items()))
print(f"| Connector Lab | {ours.get('operations',0)} | {ours.get('passed',0)} | {pct(ours.get('passed',0), ours.get('operations',0)):.2f}% | {oc} |")
pc = ", ".join(f"{k} {v}" for k, v in sorted(cls_p.items()))
print(f"| Prism 5 | {tot_p} | {pass_p} | {pct(pass_p, tot_p):.2f}% | {pc} (Prism did not start on {start_fail} connectors) |")
PY
echo "per-connector results in $OUT"
