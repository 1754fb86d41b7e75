# `make run` and `make test` work on a fresh machine with Python 3.11:
# each creates .venv when needed and installs the pinned requirements first.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test lint test-unit test-integration test-e2e migrate scheduler bench clean

run: $(VENV)/.runtime
	$(BIN)/python app.py

migrate: $(VENV)/.runtime
	$(BIN)/python app.py migrate

# Tests run in one process per core (pytest-xdist); WORKERS=0 runs them all in one.
WORKERS ?= auto
PYTEST := $(BIN)/python -m pytest -n $(WORKERS)

test: lint $(VENV)/.dev
	$(PYTEST) $(PYTEST_ARGS)

# Style and types are checked by tools, before any test runs (settings in pyproject.toml).
lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# One level at a time; together they are `make test`. The checks at the top of tests/
# (the manifest, the fake Slack's uploads) are as quick as unit tests and go with them.
test-unit: $(VENV)/.dev
	$(PYTEST) tests/unit tests/test_manifest.py tests/test_fake_slack_files.py $(PYTEST_ARGS)

test-integration: $(VENV)/.dev
	$(PYTEST) tests/integration $(PYTEST_ARGS)

test-e2e: $(VENV)/.dev
	$(PYTEST) tests/e2e $(PYTEST_ARGS)

bench: $(VENV)/.dev
	$(BIN)/python bench/ack_latency.py

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Stamp files: reinstall only when the requirements change.
$(VENV)/.runtime: requirements.txt | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.runtime

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
