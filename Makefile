# 清廉园区 portal. `make help` lists the targets.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
PORT ?= 8000
export PORT

.DEFAULT_GOAL := help

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(BIN)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

static/vendor/.built: node_modules/.installed scripts/copy_assets.sh
	bash scripts/copy_assets.sh
	touch $@

venv: $(BIN)/.installed ## Create .venv and install the pinned Python packages

assets: static/vendor/.built ## Install front-end packages (npm) and copy them into static/vendor

messages: venv ## Compile the translation catalogues (locale/*.po → .mo; no gettext needed)
	$(PY) manage.py compiletranslations

setup: venv assets messages ## Everything `run` and `test` need
	@mkdir -p var

migrate: setup ## Apply database migrations
	$(PY) manage.py migrate --noinput

demo: migrate ## Load the demo data (idempotent)
	$(PY) manage.py seed_demo

run: demo ## Set up, load demo data, and serve on http://127.0.0.1:$(PORT) with a Celery worker and beat
	@$(PY) manage.py demo_banner
	VIRTUAL_ENV_BIN=$(abspath $(BIN)) $(BIN)/honcho --procfile Procfile start

test: setup ## Set up and run the whole test suite
	$(PY) manage.py makemigrations --check --dry-run
	$(BIN)/pytest $(PYTEST_ARGS)

lint: venv ## ruff check and format check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

bench: setup ## Run the benchmarks under bench/ (needs DATABASE_URL pointing at PostgreSQL)
	$(PY) bench/run.py

.PHONY: help venv assets messages setup migrate demo run test lint bench
