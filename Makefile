# labsim — developer and user entry points. Each target creates .venv and installs labsim first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: demo test test-all lint typecheck bench clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "labsim needs Python 3.11 or newer; set PYTHON=python3.11")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

demo: $(STAMP)
	$(BIN)/python examples/baseline_projection.py

lint: $(STAMP)
	$(BIN)/lint-imports
	$(BIN)/ruff check src tests examples benchmarks calibration
	$(BIN)/mypy

typecheck: $(STAMP)
	$(BIN)/mypy

test: lint
	$(BIN)/python -m pytest -n 2 --dist worksteal   # two workers, each taking work from the other at the end: the suite runs scripts, notebooks and every page of the docs

test-all: lint
	$(BIN)/python -m pytest -n 2 --dist worksteal -m ""

bench: $(STAMP)
	$(BIN)/python benchmarks/run_benchmarks.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache .hypothesis .import_linter_cache
