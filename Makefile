# Zhiyuan — one command to run the app, one to test it. See README.md.
SHELL := /bin/bash
export PATH := $(CURDIR)/.tools/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)

.PHONY: dev test test-unit test-integration test-browser lint spa bench package tools-dev tools-test clean

## Install what is missing, then run everything on http://127.0.0.1:8080 with demo data.
dev: tools-dev
	scripts/dev.sh

tools-dev:
	scripts/install-tools.sh dev

tools-test:
	scripts/install-tools.sh test

## The SPA (release, wasm-opt) into dist/: the map (index.html) and, by its post-build hook, the activities list (activities.html), the other public pages (public.html) and the full app (app.html).
spa:
	trunk build

## Every test: unit, integration (DynamoDB Local), Lambda, the OpenAPI fuzzer, template lint, browser.
test: tools-test spa
	cargo fmt --all -- --check
	cargo clippy --workspace --all-targets -- -D warnings
	cargo clippy -p zhiyuan-frontend --target wasm32-unknown-unknown -- -D warnings
	# The Lambda tests run these binaries; built with the same unified features as the tests.
	cargo build --workspace --exclude zhiyuan-frontend --bins
	cargo test --workspace --exclude zhiyuan-frontend
	cargo test -p zhiyuan-frontend
	# The OpenAPI document as a contract: schemathesis against the local stack (its own
	# DynamoDB Local and server); 0 server errors, undocumented statuses or schema mismatches.
	scripts/fuzz-api.sh
	# Linted for a China region (where Ordos would deploy) and a global one.
	cfn-lint --regions cn-north-1 us-east-1 -- template.yaml
	sam validate --lint --template template.yaml --region cn-north-1
	sam validate --lint --template template.yaml --region us-east-1

## Benchmarks: nearby search at 1k/10k/100k stations, sign-up under load, the dashboard at 10k/200k volunteers, activity lists at 1k/10k/100k activities, release sizes, the SPA's first-load budget (brotli, twiggy) and Lighthouse (mobile). Prints tables.
bench: tools-dev spa
	scripts/install-tools.sh bench
	cargo bench -p zhiyuan-tests --bench nearby
	cargo bench -p zhiyuan-tests --bench signup
	cargo bench -p zhiyuan-tests --bench hot_activity
	cargo bench -p zhiyuan-tests --bench ceiling
	cargo bench -p zhiyuan-tests --bench dashboard
	cargo bench -p zhiyuan-tests --bench lists
	scripts/cold-start.sh
	scripts/sizes.sh
	scripts/web-budget.sh
	PATH="$(CURDIR)/.tools/bench/node_modules/.bin:$$PATH" scripts/lighthouse.sh

## Deployable artifacts: Lambda zips (cargo-lambda) and the SPA. Not part of `make test`.
package: spa
	scripts/install-tools.sh package
	# The three functions of template.yaml, in the profile the cold-start bench chose
	# (`release`: opt-level "z"; README, "Lambda cold start").
	cargo lambda build --release --compiler cargo --output-format zip -p zhiyuan-functions --bin public-api --bin admin-api --bin scheduled

clean:
	rm -rf dist target/wasm-opt
