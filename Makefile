# Two commands: `make run` and `make test`. Everything else is set up on the way.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
export HOST PORT

.PHONY: run test bench lint messages clean

$(BIN)/coproduce: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.test-deps: $(BIN)/coproduce
	$(BIN)/pip install -q -e ".[test]"
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	touch $@

run: $(BIN)/coproduce messages
	$(BIN)/coproduce migrate --noinput
	$(BIN)/coproduce demo
	$(BIN)/coproduce serve

lint: $(VENV)/.test-deps
	$(BIN)/ruff check .

messages: $(BIN)/coproduce
	@if command -v msgfmt >/dev/null; then cd coproduce && ../$(BIN)/coproduce compilemessages -v0; \
	else echo "gettext is not installed: using the committed .mo files"; fi

test: $(VENV)/.test-deps node_modules/.installed lint messages
	$(BIN)/coproduce makemigrations --check --dry-run
	$(BIN)/python -m pytest

bench: $(VENV)/.test-deps
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) node_modules var
