# Two commands for a newcomer: `make run` (app on the bundled demo data) and `make test` (everything).
# `make data RAW=<folder>` builds the national database from official files as published.
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
RAW     ?= data/raw
PORT    ?= 8501
WORKERS ?= $(shell nproc 2>/dev/null || echo 2)
HOST    ?= 0.0.0.0
SUDO    := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run serve nginx test data extract bench system-deps clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements-dev.txt $(VENV)/.installed
	$(BIN)/pip install -q -r requirements-dev.txt
	touch $@

data/bundled.duckdb: $(VENV)/.installed $(wildcard data/bundled/seed/*.csv data/bundled/extract/*.csv loaders/*.py) loaders/schema.sql loaders/derived.sql
	$(BIN)/python -m loaders.build bundled

run: data/bundled.duckdb
	$(BIN)/streamlit run app.py --server.port $(PORT)

# Several Streamlit workers on 127.0.0.1 behind nginx on HOST:PORT (sticky sessions, websockets, gzip, health
# checks); the configuration is generated from WORKERS/PORT into a temporary run directory and checked with
# `nginx -t`. Ctrl-C stops nginx and every worker.
serve: data/bundled.duckdb nginx
	$(BIN)/python scripts/serve.py --workers $(WORKERS) --port $(PORT) --host $(HOST)

# Debian's nginx, installed only when missing. `make serve` runs its own nginx with a generated configuration and
# never uses the package's system service (on a host with systemd the package enables one on port 80:
# `systemctl disable --now nginx` if it is not wanted).
nginx:
	@if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then \
		$(SUDO) apt-get update -qq && ( $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light \
		|| $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx ); \
	fi

data: $(VENV)/.installed
	$(BIN)/python -m loaders.build national --raw $(RAW)

# Rewrite the committed demo-region extract from official files (maintainers only).
extract: $(VENV)/.installed
	$(BIN)/python -m loaders.build extract --raw $(RAW)

# Debian packages the tests need (installed only when missing): Chromium and CJK fonts for the browser tests,
# PostgreSQL for the user store's second back end (the tests start their own server in a temporary directory),
# poppler-utils (pdftotext, pdftoppm) to read the handout PDFs back.
system-deps:
	@if ! command -v chromium >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -qi "Noto Sans CJK" \
		|| ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || ! command -v pdftoppm >/dev/null 2>&1; then \
		$(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk \
			postgresql poppler-utils; \
	fi

test: $(VENV)/.installed-dev data/bundled.duckdb system-deps nginx
	$(BIN)/python -m pytest -q

bench: $(VENV)/.installed-dev
	$(BIN)/python benchmarks/bench_pages.py

clean:
	rm -rf $(VENV) data/*.duckdb
