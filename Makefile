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
	$(CARGO) fmt --manifest-path fuzz/Cargo.toml -- --check
	$(CARGO) fmt --manifest-path protocol/fuzz/Cargo.toml -- --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings

test-rust:
	$(CARGO) test --workspace

## Everything: formatting, lints, native tests, the wasm build, the JS tests, a short fuzz run.
test: setup lint test-rust wasm test-js fuzz-smoke

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

## ---- fuzzing (issue 16) ------------------------------------------------------------------
## cargo-fuzz (libFuzzer, a pinned nightly) on four targets, FUZZ_SECONDS each (300 by default):
##   decode_frame  protocol/fuzz: the frame decoder
##   core_input    fuzz/: the SDK core's handle_input/call on a simulated clock
##   token         fuzz/: Token04 verify (and mint)
##   session       fuzz/: a real tinyim-server in-process, one logged-in WebSocket session per
##                 input fed arbitrary frames
## Committed seeds are in protocol/fuzz/seeds and fuzz/seeds/TARGET; what the fuzzer adds goes
## to .../corpus/TARGET (gitignored), crashes to .../artifacts/TARGET. `make test` runs each
## target for FUZZ_SMOKE_SECONDS. fuzz/ is built without a sanitizer (safe Rust: panics,
## overflows and hangs are what is looked for) and with debug assertions (overflow checks).
FUZZ_TOOLCHAIN := nightly-2026-05-19
CARGO_FUZZ_VERSION := 0.13.2
FUZZ_SECONDS ?= 300
FUZZ_SMOKE_SECONDS ?= 20
FUZZ_TARGETS := core_input token session
FUZZ_FLAGS := --sanitizer none --debug-assertions
# -timeout: one input running this long (a server that stopped answering) is a crash.
LIBFUZZER_FLAGS = -max_total_time=$(FUZZ_SECONDS) -timeout=60 $(FUZZ_EXTRA)

.PHONY: setup-fuzz fuzz-smoke

setup-fuzz:
	@rustup toolchain list | grep -q '^$(FUZZ_TOOLCHAIN)' || rustup toolchain install $(FUZZ_TOOLCHAIN) --profile minimal
	@cargo fuzz --version 2>/dev/null | grep -qF '$(CARGO_FUZZ_VERSION)' || $(CARGO) install cargo-fuzz --version $(CARGO_FUZZ_VERSION) --locked

fuzz: setup-fuzz
	mkdir -p protocol/fuzz/corpus/decode_frame
	cd protocol && $(CARGO) +$(FUZZ_TOOLCHAIN) fuzz run decode_frame fuzz/corpus/decode_frame fuzz/seeds -- $(LIBFUZZER_FLAGS)
	@set -e; for t in $(FUZZ_TARGETS); do \
		mkdir -p fuzz/corpus/$$t fuzz/seeds/$$t; \
		echo "$(CARGO) +$(FUZZ_TOOLCHAIN) fuzz run $(FUZZ_FLAGS) $$t fuzz/corpus/$$t fuzz/seeds/$$t -- $(LIBFUZZER_FLAGS)"; \
		$(CARGO) +$(FUZZ_TOOLCHAIN) fuzz run $(FUZZ_FLAGS) $$t fuzz/corpus/$$t fuzz/seeds/$$t -- $(LIBFUZZER_FLAGS); \
	done

## The short run `make test` does: every target, quietly (final stats only).
fuzz-smoke:
	$(MAKE) fuzz FUZZ_SECONDS=$(FUZZ_SMOKE_SECONDS) FUZZ_EXTRA="-verbosity=0 -print_final_stats=1"

## ---- benchmarks (issue 6) -------------------------------------------------------------------
## The default set (bench/src/all.rs) against a fresh release tinyim-server per scenario and
## Mosquitto on loopback; writes BENCHMARKS.md and bench/peer-latency.svg. The npm package is
## built first if missing (for the package cost and the SDK wasm instantiate time).
bench: setup-rust
	@test -x /usr/sbin/mosquitto || (apt-get update && apt-get install -y mosquitto)
	@command -v node >/dev/null || (apt-get update && apt-get install -y nodejs)
	@test -d target/npm/tinyim/lib || $(MAKE) package || echo "bench: package build failed; client cost without it"
	$(CARGO) build --release -p tinyim-server -p tinyim-bench
	$(CARGO) build -p tinyim-bench-wasm-codec --profile wasm-release --target $(WASM_TARGET)
	$(or $(CARGO_TARGET_DIR),target)/release/tinyim-bench all \
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
