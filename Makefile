# The two README commands: `make run` and `make test`. Everything installs into .venv.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint typecheck imports pytest demo worker beat migrate clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

run: $(STAMP)
	$(BIN)/python manage.py serve

demo: $(STAMP)
	$(BIN)/python manage.py demo

migrate: $(STAMP)
	$(BIN)/python manage.py migrate

worker: $(STAMP)
	$(BIN)/python manage.py worker

beat: $(STAMP)
	$(BIN)/python manage.py beat

lint: $(STAMP)
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .

typecheck: $(STAMP)
	$(BIN)/mypy

imports: $(STAMP)
	$(BIN)/lint-imports

pytest: $(STAMP)
	$(BIN)/pytest

test: lint typecheck imports pytest

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache
