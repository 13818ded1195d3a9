# The two commands the README gives: `make run` and `make test`.
# The virtual environment is built on Debian's own Python 3 when it is 3.11 or newer: Debian builds it with
# profile-guided and link-time optimisation, and the test suite runs about a sixth faster on it than on a plain
# source build (pyenv's, these machines' default python3). PYTHON=... chooses another.
SYSTEM_PYTHON := $(shell /usr/bin/python3 -c 'import sys, venv, ensurepip; print(sys.version_info >= (3, 11))' 2>/dev/null)
PYTHON ?= $(if $(filter True,$(SYSTEM_PYTHON)),/usr/bin/python3,python3)
VENV := .venv
BIN := $(VENV)/bin
export FLASK_APP := wsgi

.PHONY: serve run html-checker test test-fast test-sqlite test-postgres install translations extract-messages lint migrate demo-data outbox-worker clean

$(BIN)/flask: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet ".[test]"
	touch $(BIN)/flask

install: $(BIN)/flask translations html-checker

## html-checker: the W3C Nu HTML checker (vnu.jar, from npm) that the tests run with Java; skipped without npm
html-checker: tests/html/node_modules/.package-lock.json
tests/html/node_modules/.package-lock.json: tests/html/package-lock.json
	@if command -v npm >/dev/null; then npm ci --prefix tests/html --ignore-scripts --no-audit --no-fund --loglevel=error; \
	else echo "npm is not installed: the HTML validity tests will be skipped (CI installs it)"; fi

## translations: compile the committed Polish and Arabic catalogues (.po) into the .mo files the app reads
translations: $(BIN)/flask
	$(BIN)/pybabel compile -d portal/translations --statistics

## extract-messages: after changing text, update messages.pot and the catalogues (then translate the new entries)
extract-messages: $(BIN)/flask
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k N_ --no-location --sort-output -o portal/translations/messages.pot .
	$(BIN)/pybabel update -i portal/translations/messages.pot -d portal/translations --no-fuzzy-matching --no-wrap

## run: set up, migrate, load demo data, and serve on http://127.0.0.1:5000 (SQLite, local mail sink)
run: install
	mkdir -p instance
	$(BIN)/flask db upgrade
	$(BIN)/flask demo-data
	bash scripts/run-dev.sh

## serve: production-like: gunicorn on PostgreSQL with Redis (uses DATABASE_URL and REDIS_URL if they answer,
## otherwise throwaway local servers from Debian's postgresql and redis-server) on http://127.0.0.1:8000
serve: install
	bash scripts/serve.sh

## test: the whole suite on SQLite, then on PostgreSQL (TEST_DATABASE_URL, or a throwaway local server)
test: install
	bash scripts/run-tests.sh

## test-fast: the unit and integration tiers on SQLite, in parallel (under 90 s on two idle cores), property tests
## trying a third of their examples (TEST_TIER=fast; see tests/conftest.py). Bytecode is cached even where the
## environment turns it off, so a second run skips recompiling the modules.
test-fast: install
	PYTHONDONTWRITEBYTECODE= TEST_DATABASE_URL= TEST_REDIS_URL= TEST_TIER=fast $(BIN)/pytest -n auto --dist worksteal -m "unit or integration" tests/unit tests/integration

test-sqlite: install
	TEST_DATABASE_URL= $(BIN)/pytest

## lint: ruff, the import contracts (layers; see docs/architecture.md) and mypy over the core, services and queries
TYPED := $(sort $(wildcard portal/cases/*.py portal/tasks/*.py portal/notifications/*.py portal/*/services.py portal/*/*_services.py portal/*/queries.py \
	portal/auth/session_records.py portal/auth/backoff.py portal/auth/staff_names.py portal/audit/words.py))
lint: install
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-cache
	$(BIN)/mypy $(TYPED)

migrate: install
	$(BIN)/flask db upgrade

demo-data: install
	$(BIN)/flask demo-data

outbox-worker: install
	$(BIN)/flask outbox worker

clean:
	rm -rf $(VENV) instance .pytest_cache
