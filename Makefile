# Set-up and everyday commands. Every target installs what it needs first, so a fresh clone works.
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export HF_HUB_OFFLINE := 1
export ANONYMIZED_TELEMETRY := False
export TOKENIZERS_PARALLELISM := false

.PHONY: install browser run index test test-fast lint bench eval clean

$(BIN)/python:
	@command -v $(PY) >/dev/null 2>&1 || { echo "Python 3.11 is required (no $(PY) on PATH)"; exit 1; }
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# One pip command for everything (sequential installs can break the resolver, see NOTES).
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	$(BIN)/pip check
	touch $(STAMP)

install: $(STAMP)

# Debian's Chromium for the browser tests (Playwright never downloads its own browser here).
/usr/bin/chromium:
	@if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
	else sudo apt-get update -qq && sudo apt-get install -y -qq chromium >/dev/null; fi

browser: /usr/bin/chromium

index: install
	$(BIN)/kb ingest

run: index
	$(BIN)/kb serve

# What CI runs: every test, the bundled knowledge base ingested afresh.
test: install browser
	$(BIN)/python -m pytest -q --fresh-index

# The inner loop: everything but the slow tests (servers, browser, crashes, scale-out, ONNX,
# whole-set gates, whole-KB rebuild, bench runs); reuses the last run's index while its inputs hold.
test-fast: install
	$(BIN)/python -m pytest -q -m "not slow"

lint: install
	$(BIN)/ruff check kb ingest app eval bench tests

eval: index
	$(BIN)/kb eval

bench: install
	$(BIN)/python -m bench.run

clean:
	rm -rf .kbdata .pytest_cache
