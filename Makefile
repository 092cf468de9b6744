# parcours — the two commands: `make demo` and `make test`. See README.md.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# Django 6 needs Python >= 3.12: take the first such interpreter found, else any python3 (>= 3.11).
PYTHON ?= $(shell for p in python3.12 python3.13 python3.14 $$HOME/.pyenv/versions/3.12*/bin/python3 \
	$$HOME/.pyenv/versions/3.13*/bin/python3 /usr/bin/python3.12 /usr/bin/python3.13 python3; do \
	if $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then echo $$p; break; fi; \
	done)
ifeq ($(strip $(PYTHON)),)
PYTHON := python3
endif

VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python -m parcours
DEMO_DB := sqlite:///$(CURDIR)/var/demo.sqlite3
DEMO_HOUSEHOLDS ?= 5000
DEMO_SEED ?= 2026
PORT ?= 8000
LINT_PATHS := $(wildcard src tests bench)
# The suite runs in parallel (pytest-xdist): one process and one test database per worker. The
# browser journeys and the SIGKILL crash test share one worker, one after the other (tests/conftest.py
# puts them in one xdist group). PYTEST_WORKERS=0 runs it serially.
PYTEST_WORKERS ?= auto
PYTEST_PARALLEL := -n $(PYTEST_WORKERS) --dist loadgroup

.PHONY: help install browser axe demo serve test lint format typecheck test-sqlite test-postgresql bench clean

help:
	@echo "make demo   — installe, crée la base SQLite de démonstration et sert http://127.0.0.1:$(PORT) (avec le worker des tâches de fond)"
	@echo "make serve  — la même base avec les réglages de production (DEBUG off, granian, whitenoise) sur http://127.0.0.1:$(PORT)"
	@echo "make test   — installe, lint, tests sur SQLite puis sur PostgreSQL si DATABASE_URL en désigne une"
	@echo "make bench  — mesures de performance, dont la charge sur le serveur de production en boucle locale (résultats dans bench/results/)"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@touch $@

install: $(VENV)/.installed

# The browser journeys drive Debian's Chromium (never a downloaded browser build).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
		echo "== Installation de Chromium (paquet Debian)"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

demo: install
	@mkdir -p var
	DATABASE_URL=$(DEMO_DB) $(MANAGE) migrate --noinput -v 0
	DATABASE_URL=$(DEMO_DB) $(MANAGE) demo --households $(DEMO_HOUSEHOLDS) --seed $(DEMO_SEED)
	@# The background-task worker runs beside the web server and stops with it (Ctrl+C, or any exit).
	@export DATABASE_URL=$(DEMO_DB); \
	$(MANAGE) db_worker --no-reload --queue-name '*' & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT; \
	echo "== Tâches de fond : worker démarré (pid $$worker), arrêté avec le serveur"; \
	$(MANAGE) runserver 127.0.0.1:$(PORT)

# The production settings on this machine (docs/decisions/0013-production-server.md): DEBUG off, a local
# secret key generated once in var/ (unless SECRET_KEY or SECRET_KEY_FILE is given), the static files
# collected and served by whitenoise, the cache table of the rate limits, the application server granian
# on 127.0.0.1 and the background-task worker beside it, as in `make demo`. Plain http on the loopback:
# PARCOURS_HTTPS=false (Secure cookies would never come back over http); a real deployment keeps it on,
# behind a TLS reverse proxy. With DATABASE_URL given, that database is served (and not seeded).
SERVE_WORKERS ?= 2
SERVE_THREADS ?= 4
SECRET_FILE := $(CURDIR)/var/secret_key

serve: install
	@mkdir -p var
	@if [ -z "$${SECRET_KEY:-}$${SECRET_KEY_FILE:-}" ] && [ ! -s $(SECRET_FILE) ]; then \
		(umask 077; $(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(64))' > $(SECRET_FILE)); \
		echo "== Clé secrète locale générée dans var/secret_key"; fi
	@set -e; \
	if [ -z "$${SECRET_KEY:-}" ]; then export SECRET_KEY_FILE=$${SECRET_KEY_FILE:-$(SECRET_FILE)}; fi; \
	if [ -z "$${DATABASE_URL:-}" ]; then seed=yes; export DATABASE_URL=$(DEMO_DB); fi; \
	export DEBUG=false PARCOURS_HTTPS=$${PARCOURS_HTTPS:-false} ALLOWED_HOSTS=$${ALLOWED_HOSTS:-127.0.0.1,localhost} \
		EMAIL_BACKEND=$${EMAIL_BACKEND:-django.core.mail.backends.filebased.EmailBackend}; \
	$(MANAGE) collectstatic --noinput -v 0; \
	$(MANAGE) migrate --noinput -v 0; \
	$(MANAGE) createcachetable; \
	if [ -n "$${seed:-}" ]; then $(MANAGE) demo --households $(DEMO_HOUSEHOLDS) --seed $(DEMO_SEED); fi; \
	$(MANAGE) db_worker --no-reload --queue-name '*' & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT; \
	echo "== Tâches de fond : worker démarré (pid $$worker), arrêté avec le serveur"; \
	echo "== Réglages de production sur http://127.0.0.1:$(PORT) ($(SERVE_WORKERS) processus × $(SERVE_THREADS) fils)"; \
	$(BIN)/granian --interface wsgi --host 127.0.0.1 --port $(PORT) \
		--workers $(SERVE_WORKERS) --blocking-threads $(SERVE_THREADS) \
		--respawn-failed-workers --access-log --no-ws parcours.wsgi:application

lint: install
	$(BIN)/ruff check $(LINT_PATHS)
	$(BIN)/ruff format --check $(LINT_PATHS)
	$(BIN)/lint-imports

format: install
	$(BIN)/ruff format $(LINT_PATHS)
	$(BIN)/ruff check --fix $(LINT_PATHS)

typecheck: install
	$(BIN)/mypy

# axe-core (the accessibility check of the browser tests), from the npm registry, locked.
AXE := tests/e2e/node_modules/axe-core/axe.min.js
$(AXE): tests/e2e/package.json tests/e2e/package-lock.json
	npm ci --prefix tests/e2e --no-audit --no-fund --silent
	@touch $@

axe: $(AXE)

test-sqlite: install browser axe
	env -u DATABASE_URL $(BIN)/pytest $(PYTEST_PARALLEL)

# Runs only when DATABASE_URL names a PostgreSQL database (pytest-django creates test_<name> beside it).
test-postgresql: install browser axe
	@if [[ "$${DATABASE_URL:-}" == postgres* ]]; then \
		echo "== PostgreSQL: $${DATABASE_URL%%@*}@…"; $(BIN)/pytest $(PYTEST_PARALLEL); \
	else echo "== DATABASE_URL ne désigne pas PostgreSQL : tests PostgreSQL sautés"; fi

test: lint typecheck test-sqlite test-postgresql

bench: install
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) var/*.sqlite3 .pytest_cache .mypy_cache .ruff_cache
