# Sales-operations workbook. `make` alone lists the targets.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
KERNEL := salesops
DATA   ?= data/demo
CONFIG ?= config/workbook.yml
SEED   ?= 42

.DEFAULT_GOAL := help
.PHONY: help setup lab data reports test test-fast lint clean

help: ## List the targets
	@echo "Sales-operations workbook. Targets:"
	@awk 'BEGIN {FS = ":.*## "} /^[a-z-]+:.*## / {printf "  make %-9s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "The workbook needs Python 3.11 or newer; '$(PYTHON)' is older (set PYTHON=python3.11)."; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || \
		{ echo "Could not create $(VENV): on Debian or Ubuntu, install the python3-venv package."; exit 1; }
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e ".[dev]"
	$(BIN)/python -m ipykernel install --sys-prefix --name $(KERNEL) --display-name "Python (salesops workbook)" >/dev/null
	@touch $(STAMP)
	@echo "Environment ready in $(VENV) (Jupyter kernel '$(KERNEL)' registered inside it)."

setup: $(STAMP) ## Create .venv, install the workbook editable with its dev tools, register the Jupyter kernel (idempotent)

lab: $(STAMP) ## Open JupyterLab on the notebooks (.ipynb copies paired with the .py sources by jupytext)
	$(BIN)/jupytext --sync --quiet notebooks/[0-9][0-9]_*.py
	$(BIN)/jupyter lab notebooks

data: $(STAMP) ## Regenerate the demo company in data/demo (byte for byte the committed files)
	$(BIN)/salesops demo --out data/demo --seed $(SEED)

reports: $(STAMP) ## Render every report for the last complete month of the demo data into reports/<period>/
	$(BIN)/salesops run --data $(DATA) --config $(CONFIG) --jobs 2

# The full suite runs on every core (pytest-xdist); each test file stays on one worker, so its module fixtures
# render once, and the demo batch is rendered once for all workers (tests/helpers/shared.py).
test: $(STAMP) ## Run the test suite (installs chromium, postgresql, pyspark and Java for the tests when missing)
	scripts/install-browser
	scripts/test-spark $(BIN)/python
	SALESOPS_TEST_POSTGRES_URL="$$(scripts/test-postgres)" $(BIN)/python -m pytest -n auto --dist loadfile

test-fast: $(STAMP) ## Run the tests not marked slow (under a minute)
	$(BIN)/python -m pytest -n auto -m "not slow"

lint: $(STAMP) ## Check the code with ruff (style) and mypy (types of the package, configured in pyproject.toml)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

clean: ## Remove the environment and caches, the validated-data cache too (data, config and reports are kept)
	@if [ -x $(BIN)/salesops ]; then $(BIN)/salesops cache --clear; fi
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache .mypy_cache .cache
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
