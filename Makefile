# Connector Lab. `make run` and `make test` install what a fresh Debian
# machine lacks, then do their job.
SHELL := /bin/bash
GO ?= go
BIN := bin/connectorlab
SAMPLE := examples/contoso-orders
GOFLAGS_TEST ?=

.PHONY: all deps build run test vet fmt-check test-short bench fuzz clean

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
	@$(GO) mod download

build: deps
	$(GO) build -o $(BIN) ./cmd/connectorlab

# run: the main job on the bundled sample connector.
run: build
	./$(BIN) inspect $(SAMPLE)
	@echo
	./$(BIN) validate --fail-on error $(SAMPLE)

vet:
	$(GO) vet ./...

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	 if [ -n "$$out" ]; then echo "gofmt would change:" $$out >&2; exit 1; fi

# test: every test, including the corpus sweeps (-short skips those).
test: deps vet fmt-check
	$(GO) test $(GOFLAGS_TEST) -count=1 -timeout 45m ./...

test-short: deps
	$(GO) test -short -count=1 ./...

bench: build
	bash bench/load.sh

fuzz: deps
	$(GO) test -run='^$$' -fuzz=FuzzLoad -fuzztime=60s ./connector

clean:
	rm -rf bin
