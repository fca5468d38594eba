# Planner — `make help` lists the targets.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
export PLANNER_ENV ?= development

.PHONY: help install chromium nginx wrk bun run serve-app serve-api serve-scaled test test-sqlite test-postgres fuzz bench lint format test-fast

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | column -t -s $$'\t'

$(VENV)/.installed: requirements.txt
	test -x $(PY) || python3 -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -r requirements.txt
	touch $@

install: $(VENV)/.installed ## create the venv and install the pinned Python packages

chromium: ## Debian's Chromium for the browser tests (apt-get, only when missing)
	@command -v /usr/bin/chromium >/dev/null || { apt-get update -qq && apt-get install -y -qq chromium; }

nginx: ## Debian's nginx, the reverse proxy of serve-scaled and its browser test (apt-get, only when missing)
	@test -x /usr/sbin/nginx || { apt-get update -qq && apt-get install -y -qq nginx-light; }

serve-api: install ## migrate, seed demo data, print the admin login and serve the API alone on :6543
	$(PY) -m backend_api migrate
	$(PY) -m backend_api seed-demo
	$(PY) -m backend_api ensure-admin
	$(PY) -m backend_api serve --port 6543

# Reflex builds the frontend with bun, taken from the npm registry (the machines here reach no other
# download site) and put first on PATH; no telemetry, no version checks (see REFLEX-RECIPE.md).
BUN := tools/node_modules/.bin/bun
REFLEX_ENV = PATH="$(CURDIR)/tools/node_modules/.bin:$$PATH" REFLEX_USE_SYSTEM_BUN=1 \
	REFLEX_CHECK_LATEST_VERSION=0 REFLEX_TELEMETRY_ENABLED=false \
	NPM_CONFIG_REGISTRY="$$(npm config get registry 2>/dev/null)"
APP_PORT ?= 3000

$(BUN):
	npm install --no-save --no-audit --no-fund --prefix tools bun@1.4.4

# axe-core (accessibility rules) for the browser tests; its own prefix so npm leaves bun alone.
AXE := tools/axe/node_modules/axe-core/axe.min.js
$(AXE):
	npm install --no-save --no-audit --no-fund --prefix tools/axe axe-core@4.14.1

bun: $(BUN) ## bun, Reflex's JavaScript runtime, from the npm registry into tools/

serve-app: install $(BUN) ## build the production frontend and serve the whole app (pages, websocket, /api) on APP_PORT
	$(REFLEX_ENV) $(VENV)/bin/reflex run --env prod --frontend-port $(APP_PORT) --backend-port $(APP_PORT)

# PostgreSQL and Redis must be running (DATABASE_URL, REDIS_URL; defaults on 127.0.0.1); nginx is installed when missing.
serve-scaled: install nginx $(BUN) ## the scale-out topology here: API workers, two Reflex backends on Redis, nginx on :3100 (deploy/scaled.py)
	$(PY) -m deploy.scaled

run: install $(BUN) ## install, migrate, seed demo data, print the admin login, then serve the app on http://localhost:3000
	$(PY) -m backend_api migrate
	$(PY) -m backend_api seed-demo
	$(PY) -m backend_api ensure-admin
	@$(MAKE) --no-print-directory serve-app

test: install ## run every test on SQLite, then on PostgreSQL when TEST_DATABASE_URL is set
	$(MAKE) test-sqlite
	@if [ -n "$$TEST_DATABASE_URL" ]; then $(MAKE) test-postgres; else echo "TEST_DATABASE_URL not set: PostgreSQL run skipped"; fi

test-sqlite: install chromium nginx $(BUN) $(AXE)
	PLANNER_TEST_DB=sqlite $(PY) -m pytest -q tests

test-postgres: install
	PLANNER_TEST_DB=postgres $(PY) -m pytest -q tests/unit tests/api

fuzz: install ## schemathesis with every check and phase (stateful too), full budget, on SQLite then PostgreSQL when TEST_DATABASE_URL is set
	PLANNER_TEST_DB=sqlite PLANNER_FUZZ_BUDGET=full $(PY) -m pytest -q -s tests/api/test_schemathesis.py
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
		PLANNER_TEST_DB=postgres PLANNER_FUZZ_BUDGET=full $(PY) -m pytest -q -s tests/api/test_schemathesis.py; \
	else echo "TEST_DATABASE_URL not set: PostgreSQL fuzz skipped"; fi

wrk: ## Debian's wrk, the load generator of benchmarks/api_load.py (apt-get, only when missing)
	@command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }

bench: install wrk ## run the benchmarks (they print figures; they never assert on time)
	@for b in benchmarks/*.py; do echo "== $$b"; $(PY) $$b || exit 1; done

lint: install ## ruff (lint rules and formatting) and mypy (types), settings in pyproject.toml; fails on any finding
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

format: install ## rewrite the code in the project's format and apply ruff's safe fixes
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

test-fast: install ## every test but the browser suite, on SQLite
	PLANNER_TEST_DB=sqlite $(PY) -m pytest -q tests --ignore=tests/e2e
