#!/usr/bin/env bash
# Renders docs/screenshots/fake-data-*.png: a list and a detail response of
# three real dev-corpus connectors, as `connectorlab mock --seed 1 --auth off`
# generates them (none of the three has examples for these operations).
#
#   bash docs/screenshots/fake-data.sh [connectorlab binary] [out.png]
#
# Build the binary from the commit to show (before: the generator before
# issue 13; after: the current one). Needs chromium and python3.
set -euo pipefail
BIN=${1:-./connectorlab}
OUT=${2:-docs/screenshots/fake-data-after.png}
CORPUS=${CORPUS:-../shared/corpus/connectors}
WORK=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$WORK"' EXIT

"$BIN" mock --seed 1 --auth off --admin-port -1 --port 4471 \
  "$CORPUS/independent-publisher-connectors/FreeAgent" \
  "$CORPUS/independent-publisher-connectors/SendFox" \
  "$CORPUS/certified-connectors/TxtSync" >"$WORK/mock.log" 2>&1 &
for _ in $(seq 50); do curl -s -o /dev/null http://127.0.0.1:4473/ && break; sleep 0.2; done

fetch() { curl -s -H "Content-Type: application/json" "http://127.0.0.1:$1$2" >"$WORK/$3.json"; }
fetch 4471 /v2/contacts a
fetch 4471 /v2/contacts/12 b
fetch 4472 /contacts c
fetch 4472 /contacts/12 d
fetch 4473 /contacts e
fetch 4473 /contacts/external/12 f

python3 - "$WORK" "$(basename "$OUT" .png)" <<'PY'
import html, json, sys
work, title = sys.argv[1], sys.argv[2]
panels = [("a", "FreeAgent — GET /v2/contacts"), ("b", "FreeAgent — GET /v2/contacts/12"),
          ("c", "SendFox — GET /contacts"), ("d", "SendFox — GET /contacts/12"),
          ("e", "TxtSync — GET /contacts"), ("f", "TxtSync — GET /contacts/external/12")]
cells = []
for key, name in panels:
    raw = open(f"{work}/{key}.json", encoding="utf-8").read()
    try:
        text = json.dumps(json.loads(raw), indent=2, ensure_ascii=False)
    except ValueError:
        text = raw
    lines = text.splitlines()
    if len(lines) > 40:
        lines = lines[:40] + ["  …"]
    cells.append(f"<div class=p><h2>{html.escape(name)}</h2><pre>{html.escape(chr(10).join(lines))}</pre></div>")
label = "before" if "before" in title else "after"
page = f"""<!doctype html><meta charset=utf-8><style>
body{{font-family:sans-serif;margin:12px;background:#fff}} h1{{font-size:20px;margin:0 0 10px}}
.g{{display:grid;grid-template-columns:repeat(3,1fr);gap:10px}} .p{{border:1px solid #bbb;border-radius:4px;padding:6px 8px;height:640px;overflow:hidden}}
h2{{font-size:14px;margin:0 0 4px}} pre{{font-size:11px;margin:0}}</style>
<h1>Generated mock data, {label}: connectorlab mock --seed 1 --auth off, three real corpus connectors</h1>
<div class=g>{''.join(cells)}</div>"""
open(f"{work}/page.html", "w", encoding="utf-8").write(page)
PY
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1600,1400 \
  --screenshot="$OUT" "file://$WORK/page.html" >/dev/null 2>&1
echo "wrote $OUT"
