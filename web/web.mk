# The web page (issue 20): `make deps-web web` → build/web/sechk.html, sechk's
# core as WebAssembly in one HTML file (tools/build-web.sh, docs/security.md).
# test-web: the page in headless Chromium against the CLI (tests/web/run.sh;
# prints a SKIP line when emscripten or chromium is missing).
# bench-web: one file and 100 files in the page versus the CLI (not a test).
.PHONY: web deps-web test-web bench-web
deps-web:
	$(Q)sh tools/deps-web.sh
web: $(BUILD)/gen/default_tables.c
	$(Q)TABLES=$(BUILD)/gen/default_tables.c sh tools/build-web.sh
test-web: $(BIN)
	$(Q)SECHK=$(BUILD)/sechk PYTHON=$(PYTHON) sh tests/web/run.sh
bench-web: $(BIN)
	$(Q)SECHK=$(BUILD)/sechk sh tests/web/bench.sh
