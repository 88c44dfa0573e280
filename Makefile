# tinyim: `make run` and `make test` are the two commands a newcomer needs.
# Every target installs what it needs first (idempotently), so a fresh machine works.

CARGO ?= cargo
WASM_TARGET := wasm32-unknown-unknown

.PHONY: setup setup-rust run test test-rust lint wasm bench fuzz web

## Toolchain pieces the build needs; each step is skipped when already present.
setup: setup-rust setup-js

setup-rust:
	@rustup target list --installed | grep -q $(WASM_TARGET) || rustup target add $(WASM_TARGET)

## Build the SDK core for wasm with the size-tuned profile.
wasm: setup-rust
	$(CARGO) build -p tinyim --profile wasm-release --target $(WASM_TARGET)
	@ls -l target/$(WASM_TARGET)/wasm-release/tinyim.wasm | awk '{print "wasm size (before wasm-opt):", $$5, "bytes"}'

lint:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings

test-rust:
	$(CARGO) test --workspace

## Everything: formatting, lints, native tests, the wasm build.
test: setup lint test-rust wasm test-js

## Build the SDK core and the server, then start the server in dev mode (Ctrl-C stops it).
## LISTEN and DATA_DIR override the defaults; the dev app is kept in $(DATA_DIR)/dev-app.json.
LISTEN ?= 127.0.0.1:8080
DATA_DIR ?= ./data
## The browser demo, staged as the server serves it: examples/web at /, the package at /tinyim/.
web: package
	rm -rf target/web && mkdir -p target/web
	cp -r examples/web/. target/web/
	cp -r target/npm/tinyim target/web/tinyim

## Build the package and the server, then serve the chat demo in dev mode.
run: web
	$(CARGO) build -p tinyim-server
	@echo
	@echo "tinyim-server in dev mode on http://$(LISTEN)/"
	@echo "  chat in the browser: open http://$(LISTEN)/ in two tabs, log in as two users (alice, bob),"
	@echo "                       open a chat with the other user, or enter the same room in both."
	@echo "  WebSocket for SDKs:  ws://$(LISTEN)/ws"
	@echo "  get a token:         curl 'http://$(LISTEN)/dev/token?user=alice'"
	@echo "  or mint one:         $(CARGO) run -q -p tinyim-server -- token --app-id APPID --secret SECRET --user alice"
	@echo "  (APPID and SECRET of the dev app are printed below)"
	@echo
	$(CARGO) run -q -p tinyim-server -- serve --listen $(LISTEN) --data-dir $(DATA_DIR) --static-dir target/web

## Fuzz the frame decoder (nightly + cargo-fuzz). FUZZ_SECONDS=300 by default.
## New inputs go to protocol/fuzz/corpus/decode_frame (gitignored); the committed valid
## frames in protocol/fuzz/seeds (one per kind) seed it.
FUZZ_SECONDS ?= 300
fuzz:
	@command -v cargo-fuzz >/dev/null || $(CARGO) install cargo-fuzz
	@rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal
	mkdir -p protocol/fuzz/corpus/decode_frame
	cd protocol && $(CARGO) +nightly fuzz run decode_frame fuzz/corpus/decode_frame fuzz/seeds -- -max_total_time=$(FUZZ_SECONDS)

## ---- benchmarks (issues 6, 14) -------------------------------------------------------------
## The default set (bench/src/all.rs) against a fresh release tinyim-server per scenario,
## Mosquitto and ejabberd on loopback; writes BENCHMARKS.md, bench/peer-latency.svg and
## bench/saturation.svg. About half an hour on a 2-core machine; BENCH_QUICK=1 is a smoke run
## of every scenario at tiny sizes (a few minutes; its figures mean nothing). The npm package
## is built first if missing (for the package cost and the SDK wasm instantiate time).
BENCH_QUICK ?=
bench: setup-rust
	@test -x /usr/sbin/mosquitto || (apt-get update && apt-get install -y mosquitto)
	@test -f /usr/share/ejabberd/sql/lite.sql && ls -d /usr/lib/erlang/lib/p1_sqlite3-* >/dev/null 2>&1 || \
		(apt-get update && apt-get install -y ejabberd erlang-p1-sqlite3)
	@# The packaged ejabberd service is not the one measured: the bench starts its own VM.
	@-systemctl disable --now ejabberd >/dev/null 2>&1 || true
	@command -v strace >/dev/null || (apt-get update && apt-get install -y strace)
	@command -v node >/dev/null || (apt-get update && apt-get install -y nodejs)
	@test -d target/npm/tinyim/lib || $(MAKE) package || echo "bench: package build failed; client cost without it"
	$(CARGO) build --release -p tinyim-server -p tinyim-bench
	$(CARGO) build -p tinyim-bench-wasm-codec --profile wasm-release --target $(WASM_TARGET)
	$(or $(CARGO_TARGET_DIR),target)/release/tinyim-bench all $(if $(BENCH_QUICK),--quick) \
		--codec-wasm $(or $(CARGO_TARGET_DIR),target)/$(WASM_TARGET)/wasm-release/tinyim_bench_wasm_codec.wasm

## ---- npm package and its tests (issue 4) --------------------------------------------------
## `make package` writes target/npm/tinyim/ and its `npm pack` tarball next to it, and fails if
## the mini-program cost is over 160,000 bytes (pkg-template/build.js prints the report).
WASM_BINDGEN_VERSION := 0.2.130
CARGO_OUT := $(or $(CARGO_TARGET_DIR),target)
# wasm-opt from npm's binaryen 132 (tests/package.json): Debian's binaryen 108 mis-numbers the
# exported externref table wasm-bindgen emits. Features: rustc's wasm32 defaults, named here;
# the target_features section wasm-bindgen needed is dropped from the shipped wasm.
WASM_OPT := node tests/node_modules/binaryen/bin/wasm-opt -Oz --enable-bulk-memory \
	--enable-reference-types --enable-sign-ext --enable-mutable-globals \
	--enable-nontrapping-float-to-int --enable-multivalue --strip-target-features
SERVER_BIN := $(abspath $(CARGO_OUT))/debug/tinyim-server

.PHONY: setup-js package test-js

setup-js: setup-rust
	@command -v node >/dev/null && command -v npm >/dev/null || (apt-get update && apt-get install -y nodejs npm)
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null || (apt-get update && apt-get install -y chromium chromium-driver)
	@wasm-bindgen --version 2>/dev/null | grep -qF "$(WASM_BINDGEN_VERSION)" || $(CARGO) install wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION)
	@command -v wasm-pack >/dev/null || $(CARGO) install wasm-pack || echo "setup: no wasm-pack; test-js runs wasm-bindgen-test-runner directly"
	@test tests/node_modules/.package-lock.json -nt tests/package-lock.json || (cd tests && npm ci --no-audit --no-fund)

package: setup-js
	$(CARGO) build -p tinyim --profile wasm-release --target $(WASM_TARGET)
	rm -rf target/wasm-bindgen
	wasm-bindgen --target nodejs --out-dir target/wasm-bindgen $(CARGO_OUT)/$(WASM_TARGET)/wasm-release/tinyim.wasm
	$(WASM_OPT) target/wasm-bindgen/tinyim_bg.wasm -o target/wasm-bindgen/tinyim_bg.wasm
	node pkg-template/build.js target/wasm-bindgen target/npm/tinyim
	cd target/npm && rm -f tinyim-*.tgz && npm pack ./tinyim

## The package in a strict mini program stand-in, in Node and in Chromium, and the wasm binding
## under wasm-bindgen-test in headless Chromium; each against a live tinyim-server on loopback.
test-js: web
	$(CARGO) build -p tinyim-server
	TINYIM_SERVER_BIN=$(SERVER_BIN) node --test --test-concurrency=1 tests/miniprogram/*.test.js tests/js/*.test.js tests/examples/*.test.js
	TINYIM_SERVER_BIN=$(SERVER_BIN) CHROMEDRIVER=/usr/bin/chromedriver node tests/js/with-server.js -- sh -c \
		'if command -v wasm-pack >/dev/null; then wasm-pack test --headless --chrome -- --test wasm; \
		else CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner $(CARGO) test --target $(WASM_TARGET) --test wasm; fi'
