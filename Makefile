# Connector Lab. `make run` and `make test` install what a fresh Debian
# machine lacks, then do their job.
SHELL := /bin/bash
GO ?= go
BIN := bin/connectorlab
SAMPLE := examples/contoso-orders
GOFLAGS_TEST ?=

.PHONY: all deps build run test test-all vet fmt-check test-short bench fuzz fuzz-redact clean

# TREE_STATE is what git sees as changed, modes included: the build and the
# tests compare it before and after to prove they leave tracked files alone.
TREE_STATE = git status --porcelain=v1 --untracked-files=all 2>/dev/null

all: build

# deps checks the toolchain and installs Debian packages that are missing.
deps:
	@command -v $(GO) >/dev/null || { echo "Go 1.26 is required (https://go.dev/dl/); it was not found on PATH" >&2; exit 2; }
	@$(GO) version | grep -Eq 'go1\.(2[6-9]|[3-9][0-9])' || { echo "Go 1.26 or newer is required, found: $$($(GO) version)" >&2; exit 2; }
	@missing=""; for p in gcc make git; do command -v $$p >/dev/null || missing="$$missing $$p"; done; \
	 if [ -n "$$missing" ]; then \
	   echo "installing:$$missing"; \
	   if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	   $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq --no-install-recommends $$(echo $$missing | sed 's/gcc/build-essential/'); \
	 fi
	@if ! command -v mcs >/dev/null || ! ls /usr/lib/mono/gac/Newtonsoft.Json/*/Newtonsoft.Json.dll >/dev/null 2>&1; then \
	   echo "installing: mono-devel libnewtonsoft-json-cil-dev (runs connectors' script.csx)"; \
	   if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	   $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq --no-install-recommends mono-devel libnewtonsoft-json-cil-dev; \
	 fi
	@$(GO) mod download

build: deps
	$(GO) build -o $(BIN) ./cmd/connectorlab

# run: serve the bundled sample connector as a mock API; it prints the URL
# and a request to try, and Ctrl-C stops it. Without a terminal (CI, a
# script) it starts the mock, answers that one request and stops.
MOCK_PORT ?= 4010
run: build
	@if [ -t 0 ] && [ -t 1 ]; then \
	  exec ./$(BIN) mock --port $(MOCK_PORT) --admin-port 0 $(SAMPLE); \
	fi; \
	log=$$(mktemp); \
	./$(BIN) mock --port $(MOCK_PORT) --admin-port -1 $(SAMPLE) >"$$log" 2>&1 & pid=$$!; \
	for i in $$(seq 1 100); do grep -q 'Press Ctrl-C' "$$log" && break; kill -0 $$pid 2>/dev/null || break; sleep 0.1; done; \
	cat "$$log"; \
	try=$$(sed -n 's/^  try: //p' "$$log" | head -1); \
	if [ -n "$$try" ] && command -v curl >/dev/null; then echo "\$$ $$try"; eval "$$try -sS"; echo; \
	else ./$(BIN) mock --conformance $(SAMPLE); fi; \
	kill -INT $$pid 2>/dev/null; wait $$pid; status=$$?; rm -f "$$log"; \
	[ $$status -eq 0 ] || [ $$status -eq 130 ]

vet:
	$(GO) vet ./...

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	 if [ -n "$$out" ]; then echo "gofmt would change:" $$out >&2; exit 1; fi

# test: every test, including the corpus sweeps (-short skips those), then a
# bounded fuzz run of the redactor. It
# fails when the run changed what git sees (tests must write to temp dirs
# and build/, never to tracked files such as docs/screenshots).
test:
	@before=$$($(TREE_STATE)); \
	 $(MAKE) --no-print-directory test-all || exit $$?; \
	 after=$$($(TREE_STATE)); \
	 if [ "$$before" != "$$after" ]; then echo "make test changed the git tree (tests must not write tracked files):" >&2; diff <(echo "$$before") <(echo "$$after") >&2; exit 1; fi

test-all: deps vet fmt-check frontend-test e2e
	$(GO) test $(GOFLAGS_TEST) -count=1 -timeout 45m ./...
	$(MAKE) --no-print-directory fuzz-redact

# fuzz-redact: each redactor fuzz target (headers, URLs, JSON, forms) for
# REDACT_FUZZTIME (8 s: 32 s in all); a failure leaves its input in
# recordings/testdata/fuzz/ as a regression case.
REDACT_FUZZTIME ?= 8s
fuzz-redact:
	@for f in FuzzRedactHeaders FuzzRedactURL FuzzRedactJSON FuzzRedactForm; do \
	  echo "fuzz $$f for $(REDACT_FUZZTIME)"; \
	  $(GO) test -run='^$$' -fuzz="^$$f\$$" -fuzztime=$(REDACT_FUZZTIME) ./recordings || exit 1; \
	done

test-short: deps
	$(GO) test -short -count=1 ./...

# bench: every engine benchmark with its peer measured in the same run
# (numbers and commands in docs/PERFORMANCE.md). Prism and oasdiff are
# installed into temp folders by their scripts; wrk and jq from Debian.
# The desktop benchmark is `make desktop-bench`; the whole-corpus Prism
# conformance comparison is `STRIDE=1 bash bench/mock-conformance-prism.sh`.
bench: build
	@command -v jq >/dev/null || { if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; $$SUDO apt-get install -y -qq --no-install-recommends jq; }
	bash bench/load.sh
	bash bench/mock.sh
	bash bench/record.sh
	bash bench/contract-replay.sh
	bash bench/contract-oasdiff.sh

fuzz: deps
	$(GO) test -run='^$$' -fuzz=FuzzLoad -fuzztime=60s ./connector

clean:
	rm -rf bin

# ---- Desktop app (app/, frontend/, main.go, wails.json) ----
# Debian 12 packages for the Wails v2 build (WebKitGTK 4.1, so always
# -tags webkit2_41; never install the 4.0 package) and for the e2e run.
WAILS_VERSION := v2.11.0
WAILS := $(shell $(GO) env GOPATH)/bin/wails
DESKTOP_TAGS := webkit2_41
DESKTOP_BIN := build/bin/connectorlab-desktop
DESKTOP_DEV_BIN := build/bin/connectorlab-desktop-dev
NPM ?= npm

.PHONY: desktop-deps frontend-deps frontend frontend-test app app-dev app-bin e2e screenshots desktop-bench

desktop-deps:
	@missing=""; \
	 pkg-config --exists webkit2gtk-4.1 2>/dev/null || missing="$$missing libwebkit2gtk-4.1-dev"; \
	 pkg-config --exists gtk+-3.0 2>/dev/null || missing="$$missing libgtk-3-dev"; \
	 command -v pkg-config >/dev/null || missing="$$missing pkg-config"; \
	 command -v Xvfb >/dev/null || missing="$$missing xvfb"; \
	 [ -x /usr/bin/chromium ] || missing="$$missing chromium"; \
	 if [ -n "$$missing" ]; then \
	   echo "installing Debian packages:$$missing"; \
	   if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	   $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends -o DPkg::Lock::Timeout=600 $$missing; \
	 fi
	@command -v node >/dev/null || { echo "Node.js 20.19+ and npm are required for the frontend (node not found on PATH)" >&2; exit 2; }

# frontend-deps installs the locked npm packages when node_modules is missing
# or older than package-lock.json.
frontend-deps:
	@command -v node >/dev/null && command -v $(NPM) >/dev/null || { echo "Node.js 20.19+ (or 22.12+) and npm are required for the frontend (not found on PATH; Debian 12's own nodejs 18 is too old: see https://nodejs.org/en/download)" >&2; exit 2; }
	@node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>22||(a==22&&b>=12)||(a==20&&b>=19)?0:1)' || { echo "Node.js 20.19+ (or 22.12+) is required for the frontend (Vite 8), found $$(node --version)" >&2; exit 2; }
	@if [ ! -f frontend/node_modules/.package-lock.json ] || [ frontend/package-lock.json -nt frontend/node_modules/.package-lock.json ]; then \
	   cd frontend && $(NPM) ci --no-audit --no-fund; \
	 fi

frontend: frontend-deps
	cd frontend && $(NPM) run build

# frontend-test: type check and the Vitest unit tests.
frontend-test: frontend-deps
	cd frontend && $(NPM) run typecheck && $(NPM) test

$(WAILS):
	$(GO) install github.com/wailsapp/wails/v2/cmd/wails@$(WAILS_VERSION)

# app: the desktop binary, with wails build (frontend build and embed included).
# wails build regenerates frontend/src/api/wailsjs and writes those files
# executable; they are tracked as plain 0644 files, so the modes are put
# back, and the build fails if it changed anything git tracks (bindings out
# of date with app/: commit the regenerated files).
WAILSJS := frontend/src/api/wailsjs
app: deps desktop-deps frontend-deps $(WAILS)
	@before=$$($(TREE_STATE)); \
	 $(WAILS) build -tags $(DESKTOP_TAGS) -o connectorlab-desktop || exit $$?; \
	 find $(WAILSJS) -type f -exec chmod 0644 {} +; \
	 after=$$($(TREE_STATE)); \
	 if [ "$$before" != "$$after" ]; then echo "make app changed the git tree:" >&2; diff <(echo "$$before") <(echo "$$after") >&2; \
	   echo "fix: if only $(WAILSJS) changed, app/ has new bound methods: commit the regenerated bindings" >&2; exit 1; fi
	@echo "built $(DESKTOP_BIN)"

# app-dev: the dev-tagged binary the e2e tests drive: it serves frontend/dist
# and the bindings on $$devserver, like wails dev, without the wails CLI.
app-dev: deps desktop-deps frontend
	$(GO) build -tags dev,$(DESKTOP_TAGS) -o $(DESKTOP_DEV_BIN) .

# app-bin: the production binary by go build (what wails build runs, without
# needing the Wails CLI): the e2e window smoke test uses it.
app-bin: deps desktop-deps frontend
	$(GO) build -tags desktop,production,$(DESKTOP_TAGS) -ldflags "-w -s" -o $(DESKTOP_BIN) .

# e2e: Playwright (playwright-core + Debian's Chromium) against the dev binary
# under Xvfb, then a smoke test of the production WebKitGTK window. Its
# screenshots land in build/e2e-screenshots/ and are compared with the ones
# in docs/screenshots/ (a small pixel-difference tolerance, dynamic text
# masked); it never rewrites docs/.
e2e: app-dev app-bin
	cd frontend && timeout 900 node e2e/run.mjs
	cd frontend && timeout 120 node e2e/window.mjs

# screenshots: the only target that rewrites docs/screenshots/: every screen
# at 1280x820 and 1920x1080, light and dark, from the same e2e run.
screenshots: app-dev
	cd frontend && SCREENSHOT_UPDATE=1 timeout 1200 node e2e/run.mjs

# desktop-bench: start-up and memory of the real window (docs/PERFORMANCE.md).
desktop-bench: app
	bash bench/desktop.sh
