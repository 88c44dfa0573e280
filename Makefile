# tinyim: `make run` and `make test` are the two commands a newcomer needs.
# Every target installs what it needs first (idempotently), so a fresh machine works.

CARGO ?= cargo
WASM_TARGET := wasm32-unknown-unknown

.PHONY: setup setup-rust run test test-rust lint wasm bench fuzz web

## Toolchain pieces the build needs; each step is skipped when already present.
setup: setup-rust setup-js

setup-rust:
	@rustup target list --installed | grep -q $(WASM_TARGET) || rustup target add $(WASM_TARGET)

## Build the SDK core for wasm with the size-tuned profile, as the package ships it (WebAssembly
## 1.0 flags, see WASM_MVP_RUSTFLAGS below).
wasm: setup-rust
	RUSTFLAGS="$(WASM_MVP_RUSTFLAGS)" $(CARGO) build -p tinyim --profile wasm-release --target $(WASM_TARGET) --target-dir $(WASM_MVP_DIR)
	@ls -l $(WASM_MVP_OUT)/tinyim.wasm | awk '{print "wasm size (before wasm-bindgen and wasm-opt):", $$5, "bytes"}'

lint:
	$(CARGO) fmt --all -- --check
	$(CARGO) fmt --manifest-path fuzz/Cargo.toml -- --check
	$(CARGO) fmt --manifest-path protocol/fuzz/Cargo.toml -- --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings

## The guard tests start a server under `prlimit --nofile=512` (util-linux).
test-rust:
	@command -v prlimit >/dev/null || (apt-get update && apt-get install -y util-linux)
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

## ---- benchmarks (issues 6, 14) -------------------------------------------------------------
## The default set (bench/src/all.rs) against a fresh release tinyim-server per scenario,
## Mosquitto and ejabberd on loopback; writes BENCHMARKS.md, bench/peer-latency.svg and
## bench/saturation.svg. About half an hour on a 2-core machine; BENCH_QUICK=1 is a smoke run
## of every scenario at tiny sizes (a few minutes; its figures mean nothing). The npm package
## is built first if missing (for the package cost and the SDK wasm instantiate time). The
## codec wasm is built the way the SDK's is (WebAssembly 1.0, lowered, wasm-opt -Oz).
BENCH_QUICK ?=
bench: setup-rust
	@test -x /usr/sbin/mosquitto || (apt-get update && apt-get install -y mosquitto)
	@test -f /usr/share/ejabberd/sql/lite.sql && ls -d /usr/lib/erlang/lib/p1_sqlite3-* >/dev/null 2>&1 || \
		(apt-get update && apt-get install -y ejabberd erlang-p1-sqlite3)
	@# The packaged ejabberd service is not the one measured: the bench starts its own VM.
	@-systemctl disable --now ejabberd >/dev/null 2>&1 || true
	@command -v strace >/dev/null || (apt-get update && apt-get install -y strace)
	@command -v node >/dev/null || (apt-get update && apt-get install -y nodejs npm)
	@$(NPM_CI)
	@test -d target/npm/tinyim/lib || $(MAKE) package || echo "bench: package build failed; client cost without it"
	$(CARGO) build --release -p tinyim-server -p tinyim-bench
	RUSTFLAGS="$(WASM_MVP_RUSTFLAGS)" $(CARGO) build -p tinyim-bench-wasm-codec --profile wasm-release --target $(WASM_TARGET) --target-dir $(WASM_MVP_DIR)
	$(WASM_LOWER) $(WASM_MVP_OUT)/tinyim_bench_wasm_codec.wasm -o $(WASM_MVP_DIR)/codec.wasm
	$(WASM_OPT) $(WASM_MVP_DIR)/codec.wasm -o $(WASM_MVP_DIR)/codec.wasm
	$(or $(CARGO_TARGET_DIR),target)/release/tinyim-bench all $(if $(BENCH_QUICK),--quick) \
		--codec-wasm $(WASM_MVP_DIR)/codec.wasm

## ---- npm package and its tests (issue 4) --------------------------------------------------
## `make package` writes target/npm/tinyim/ and its `npm pack` tarball next to it, and fails if
## the wasm is not WebAssembly 1.0 without exported globals (what WeChat on iOS compiles) or
## the mini-program cost is over 100,000 bytes (pkg-template/build.js prints the report).
WASM_BINDGEN_VERSION := 0.2.130
CARGO_OUT := $(or $(CARGO_TARGET_DIR),target)
SERVER_BIN := $(abspath $(CARGO_OUT))/debug/tinyim-server
# Writes a test CA and a server certificate (rcgen) for the wss:// test (tests/js/tls.test.js).
CERT_BIN := $(abspath $(CARGO_OUT))/debug/examples/test-cert

## ---- the shipped wasm is WebAssembly 1.0 (issue 9; docs/bindings.md explains the route) ----
## Stable rustc with the post-MVP features off for our crates; binaryen then lowers what the
## precompiled std still uses (sign-ext, memory.copy/fill, saturating float-to-int) and
## optimizes with the MVP feature set only, so it cannot add any back. Its own target dir:
## other RUSTFLAGS in target/ would make cargo rebuild back and forth.
WASM_MVP_RUSTFLAGS := -Ctarget-feature=-reference-types,-multivalue,-bulk-memory,-sign-ext,-nontrapping-fptoint
WASM_MVP_DIR := $(CARGO_OUT)/wasm-mvp
WASM_MVP_OUT := $(WASM_MVP_DIR)/$(WASM_TARGET)/wasm-release
# wasm-opt from npm's binaryen 132 (tests/package.json); Debian's binaryen 108 lacks the
# lowering passes. RUSTC_WASM_FEATURES: rustc's wasm32 defaults, what std's objects may use.
BINARYEN := node tests/node_modules/binaryen/bin/wasm-opt
RUSTC_WASM_FEATURES := --enable-bulk-memory --enable-reference-types --enable-sign-ext \
	--enable-mutable-globals --enable-nontrapping-float-to-int --enable-multivalue
WASM_LOWER := $(BINARYEN) $(RUSTC_WASM_FEATURES) --signext-lowering \
	--llvm-memory-copy-fill-lowering --llvm-nontrapping-fptoint-lowering
WASM_OPT := $(BINARYEN) -Oz --mvp-features --enable-mutable-globals --strip-target-features
NPM_CI := test tests/node_modules/.package-lock.json -nt tests/package-lock.json || (cd tests && npm ci --no-audit --no-fund)

.PHONY: setup-js package test-js zimref

## ZEGO's own typings of zego-zim-miniprogram 2.29.0 (and 2.22.0, for its enum names on the
## class), unpacked under target/zimref/<version>/package/ for the tests that check tinyim's
## enums, codes and types against ZIM's. Read by tests only, never shipped or copied.
ZIMREF_VERSIONS := 2.29.0 2.22.0
zimref:
	@for v in $(ZIMREF_VERSIONS); do \
		test -f $(CARGO_OUT)/zimref/$$v/package/entity/index.d.ts || ( \
			mkdir -p $(CARGO_OUT)/zimref/$$v && cd $(CARGO_OUT)/zimref/$$v && \
			npm pack --silent zego-zim-miniprogram@$$v >/dev/null && \
			tar xzf zego-zim-miniprogram-$$v.tgz ) || exit 1; \
	done

setup-js: setup-rust
	@command -v node >/dev/null && command -v npm >/dev/null || (apt-get update && apt-get install -y nodejs npm)
	@$(MAKE) --no-print-directory zimref
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null || (apt-get update && apt-get install -y chromium chromium-driver)
	@wasm-bindgen --version 2>/dev/null | grep -qF "$(WASM_BINDGEN_VERSION)" || $(CARGO) install wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION)
	@command -v wasm-pack >/dev/null || $(CARGO) install wasm-pack || echo "setup: no wasm-pack; test-js runs wasm-bindgen-test-runner directly"
	@command -v wasm-validate >/dev/null || (apt-get update && apt-get install -y wabt)
	@$(NPM_CI)

## wasm-bindgen picks externref from the target_features section, which lists what std's
## precompiled objects were built with, not what the lowered module uses: it is stripped first.
package: setup-js
	RUSTFLAGS="$(WASM_MVP_RUSTFLAGS)" $(CARGO) build -p tinyim --profile wasm-release --target $(WASM_TARGET) --target-dir $(WASM_MVP_DIR)
	rm -rf target/wasm-bindgen
	$(BINARYEN) $(RUSTC_WASM_FEATURES) --strip-target-features $(WASM_MVP_OUT)/tinyim.wasm -o $(WASM_MVP_DIR)/tinyim.wasm
	wasm-bindgen --target nodejs --out-dir target/wasm-bindgen $(WASM_MVP_DIR)/tinyim.wasm
	$(WASM_LOWER) target/wasm-bindgen/tinyim_bg.wasm -o target/wasm-bindgen/tinyim_bg.wasm
	$(WASM_OPT) target/wasm-bindgen/tinyim_bg.wasm -o target/wasm-bindgen/tinyim_bg.wasm
	node pkg-template/build.js target/wasm-bindgen target/npm/tinyim
	cd target/npm && rm -f tinyim-*.tgz && npm pack ./tinyim

## The package in a strict mini program stand-in, in Node and in Chromium, and the wasm binding
## under wasm-bindgen-test in headless Chromium; each against a live tinyim-server on loopback.
test-js: web
	$(CARGO) build -p tinyim-server
	$(CARGO) build -p tinyim-server --example test-cert
	TINYIM_SERVER_BIN=$(SERVER_BIN) TINYIM_TEST_CERT_BIN=$(CERT_BIN) node --test --test-concurrency=1 tests/miniprogram/*.test.js tests/js/*.test.js tests/examples/*.test.js
	TINYIM_SERVER_BIN=$(SERVER_BIN) CHROMEDRIVER=/usr/bin/chromedriver node tests/js/with-server.js -- sh -c \
		'if command -v wasm-pack >/dev/null; then wasm-pack test --headless --chrome -- --test wasm; \
		else CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner $(CARGO) test --target $(WASM_TARGET) --test wasm; fi'
