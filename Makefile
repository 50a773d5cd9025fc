# The two commands: `make run` (the app on SQLite with the bundled data) and `make test` (everything).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-dev
PORT   ?= 8501

.PHONY: run test install lint bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

## run: install, create and seed the database on first use, serve the app on 127.0.0.1:$(PORT)
run: $(STAMP)
	$(BIN)/grantmatch init-db
	$(BIN)/grantmatch seed --if-empty
	$(BIN)/grantmatch index
	$(BIN)/grantmatch serve --port $(PORT)

## test: install (with the browser for end-to-end tests) and run the whole suite
test: $(STAMP)
	bash scripts/install-browser.sh
	bash scripts/install-postgres.sh
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check .

bench: $(STAMP)
	$(BIN)/grantmatch bench --calls 100000
	$(BIN)/python bench/scrape_bench.py
	$(BIN)/python bench/app_bench.py
	$(BIN)/python bench/draft_bench.py
