# tinyim: `make run` and `make test` are the two commands a newcomer needs.
# Every target installs what it needs first (idempotently), so a fresh machine works.

CARGO ?= cargo
WASM_TARGET := wasm32-unknown-unknown

.PHONY: setup setup-rust run test test-rust lint wasm bench fuzz

## Toolchain pieces the build needs; each step is skipped when already present.
setup: setup-rust

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
test: setup lint test-rust wasm

run: wasm
	@echo "tinyim core built. (The server arrives with issue 3.)"

## Fuzz the frame decoder (nightly + cargo-fuzz). FUZZ_SECONDS=300 by default.
## New inputs go to protocol/fuzz/corpus/decode_frame (gitignored); the committed valid
## frames in protocol/fuzz/seeds (one per kind) seed it.
FUZZ_SECONDS ?= 300
fuzz:
	@command -v cargo-fuzz >/dev/null || $(CARGO) install cargo-fuzz
	@rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal
	mkdir -p protocol/fuzz/corpus/decode_frame
	cd protocol && $(CARGO) +nightly fuzz run decode_frame fuzz/corpus/decode_frame fuzz/seeds -- -max_total_time=$(FUZZ_SECONDS)
