# One-command set-up: every target below installs what it needs first (Python venv + npm tools).
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp
NPM_STAMP := node_modules/.installed-stamp
BENCH_DIR   := benchmarks/.work
BENCH_VENV  := $(BENCH_DIR)/venv
BENCH_PY    := $(BENCH_VENV)/bin/python
BENCH_STAMP := $(BENCH_VENV)/.installed-stamp

.PHONY: setup spec generate check test lint typecheck docs bench dist clean

# The generated client (generated/, its own distribution) is installed in editable mode, so the
# package is imported from the working tree whatever it is regenerated into; reinstalled when its
# pyproject.toml (version, dependencies) changes. The rm drops the .pth file earlier set-ups wrote.
$(STAMP): pyproject.toml generated/pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]' -e ./generated
	rm -f "$$($(PY) -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')/openrouter-generated.pth"
	touch $@

$(NPM_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

setup: $(STAMP) $(NPM_STAMP)

## Rebuild only spec/openapi.yaml and spec/MERGE_REPORT.md from spec/docs + spec/overlays.
spec: $(STAMP)
	$(PY) -m openrouter_codegen spec

## Rebuild the spec and the client package under generated/.
generate: $(STAMP)
	$(PY) -m openrouter_codegen generate

## Fail with a diff when the committed spec/ or generated/ is stale (regenerates in memory, no network).
check: $(STAMP)
	$(PY) -m openrouter_codegen check

## Browsable HTML API reference of the generated package (pdoc, Google-style docstrings), into
## $(DOCS_DIR)/ (git-ignored); open $(DOCS_DIR)/index.html. The model modules are private: their
## classes are documented on the `models` page. DOCS_PACKAGE names another importable generated
## package (the tests build the one of the frozen seed pages this way).
DOCS_DIR ?= build/docs
DOCS_PACKAGE ?= openrouter_client
docs: $(STAMP)
	rm -rf $(DOCS_DIR)
	$(PY) -m pdoc --docformat google --no-show-source --output-directory $(DOCS_DIR) \
		$(DOCS_PACKAGE) $(DOCS_PACKAGE).api $(DOCS_PACKAGE).models

## mypy --strict and pyright (strict; settings in pyproject.toml) on the generated package and on
## a sample app written against the client of the frozen seed pages (openrouter_seed_client,
## generated into $(SEED_CLIENT)/, git-ignored: the committed package follows whatever pages
## spec/docs/ holds); the generator and the benchmarks under mypy --strict.
SEED_CLIENT := build/seed-client
typecheck: $(STAMP) $(NPM_STAMP)
	$(PY) -m tests.support.seed_package $(SEED_CLIENT)
	MYPYPATH=$(SEED_CLIENT) $(PY) -m mypy --strict generated/openrouter_client tests/typing/sample_app.py
	$(PY) -m mypy --strict openrouter_codegen benchmarks
	node_modules/.bin/pyright

## ruff over the generator, tests and benchmarks; generated modules must import only what they use
## (F401: users who vendor the code lint it too).
lint: $(STAMP)
	$(PY) -m ruff check openrouter_codegen tests benchmarks
	$(PY) -m ruff check --select F401 generated/

## Everything CI runs: staleness check, lint, mypy --strict (generated package, sample app, generator,
## benchmarks) and pyright strict (generated package, sample app), all tests.
## The benchmarks' smoke test runs in the bench venv, where the anchors are installed, and must find
## them there (OPENROUTER_BENCH_ANCHORS=required), so no part of a benchmark can rot unseen.
test: setup check lint typecheck $(BENCH_STAMP)
	$(PY) -m pytest --ignore=tests/benchmarks
	OPENROUTER_BENCH_ANCHORS=required $(BENCH_PY) -m pytest tests/benchmarks

## Benchmarks (not tests): their own venv with the dev tools (ruff, which openapi-python-client runs
## on its output), the anchors (official SDK, openapi-python-client) and matplotlib, plus two minimal
## venvs for the import benchmark; all under benchmarks/.work/.
$(BENCH_STAMP): pyproject.toml generated/pyproject.toml benchmarks/envs.py
	$(PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_PY) -m pip install --quiet --upgrade pip
	$(BENCH_PY) -m pip install --quiet -e '.[dev,bench]' -e ./generated
	rm -f "$$($(BENCH_PY) -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')/openrouter-generated.pth"
	$(BENCH_PY) -m benchmarks.envs $(BENCH_DIR)
	touch $@

## Measure decode, stream, import, per-call overhead and generation against baselines and anchors;
## writes benchmarks/RESULTS.md and benchmarks/results.png (takes several minutes).
bench: $(BENCH_STAMP)
	$(BENCH_PY) -m benchmarks

## The client's sdist and wheel (generated/ as its own distribution, openrouter-client) in dist/.
dist: $(STAMP)
	rm -rf dist
	$(PY) -m build --outdir dist generated

clean:
	rm -rf $(VENV) node_modules .pytest_cache .mypy_cache dist
