# 清廉园区 portal. `make help` lists the targets; README.md explains them.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
PORT ?= 8000
export PORT

.DEFAULT_GOAL := help

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-9s %s\n", $$1, $$2}'

$(BIN)/.installed: requirements.txt
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
		|| { echo "Python 3.11 or newer is needed (found: $$($(PYTHON) --version 2>&1))"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm (Node.js) is needed to install the front-end assets"; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

static/vendor/.built: node_modules/.installed scripts/copy_assets.sh
	bash scripts/copy_assets.sh
	touch $@

venv: $(BIN)/.installed ## Create .venv and install the pinned Python packages

assets: static/vendor/.built ## Install the front-end packages (npm ci) and copy them into static/vendor

messages: venv ## Compile the translation catalogues (locale/*.po → .mo; no gettext needed)
	$(PY) manage.py compiletranslations

setup: venv assets messages ## Everything `run` and `test` need: .venv, assets, translations

migrate: setup ## Apply the database migrations
	$(PY) manage.py migrate --noinput

demo: migrate ## Load the demo data (idempotent: a second run changes nothing)
	$(PY) manage.py seed_demo
	$(PY) manage.py seed_complaints_demo
	$(PY) manage.py seed_integrity_demo
	$(PY) manage.py seed_risk_demo
	$(PY) manage.py seed_decisions_demo
	$(PY) manage.py seed_ratings_demo
	$(PY) manage.py seed_procurement_demo

run: demo ## Set up, load the demo data, serve on http://127.0.0.1:8000 (PORT=…) with Celery worker and beat
	@$(PY) manage.py demo_banner
	@# honcho starts web, worker and beat (Procfile) and stops all three on Ctrl-C.
	PATH="$(abspath $(BIN)):$$PATH" exec $(BIN)/honcho start --procfile Procfile --port $(PORT)

test: setup ## Set up and run the whole test suite (PYTEST_ARGS="..." passes options to pytest)
	$(PY) manage.py makemigrations --check --dry-run
	$(BIN)/pytest $(PYTEST_ARGS)

lint: venv ## ruff check and ruff format --check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

bench: setup ## Run the benchmarks under bench/ on the local PostgreSQL (BENCH_ARGS="..." passes options)
	$(PY) bench/run.py $(BENCH_ARGS)

.PHONY: help venv assets messages setup migrate demo run test lint bench
