# The web page (issue 20): `make deps-web web` → build/web/sechk.html, sechk's
# core as WebAssembly in one HTML file (tools/build-web.sh, docs/security.md).
# tests/web/run.sh checks it in headless Chromium against the CLI (it prints
# a SKIP line when emscripten or chromium is missing).
.PHONY: web deps-web test-web
deps-web:
	$(Q)sh tools/deps-web.sh
web:
	$(Q)sh tools/build-web.sh
test-web: $(BIN)
	$(Q)SECHK=$(BUILD)/sechk PYTHON=$(PYTHON) sh tests/web/run.sh
