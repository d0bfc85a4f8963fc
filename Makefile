# One-command set-up: every target below installs what it needs first (Python venv + npm tools).
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp
NPM_STAMP := node_modules/.installed-stamp

.PHONY: setup spec generate check test lint typecheck bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	# The generated package is imported from the working tree, whatever it is regenerated into.
	echo "$(CURDIR)/generated" > "$$($(PY) -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')/openrouter-generated.pth"
	touch $@

$(NPM_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

setup: $(STAMP) $(NPM_STAMP)

## Rebuild only spec/openapi.yaml and spec/MERGE_REPORT.md from spec/docs + spec/overlays.
spec: $(STAMP)
	$(PY) -m generator spec

## Rebuild the spec and the client package under generated/.
generate: $(STAMP)
	$(PY) -m generator generate

## Fail with a diff when the committed spec/ or generated/ is stale (regenerates in memory, no network).
check: $(STAMP)
	$(PY) -m generator check

typecheck: $(STAMP)
	$(PY) -m mypy --strict generated/openrouter_client

lint: $(STAMP)
	$(PY) -m ruff check generator tests benchmarks

## Everything CI runs: staleness check, lint, mypy --strict on the generated package, all tests.
test: setup check lint typecheck
	$(PY) -m pytest

clean:
	rm -rf $(VENV) node_modules .pytest_cache .mypy_cache
