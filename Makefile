# Common tasks. The README's two Quick start commands are `make demo` and `make test`.
# Every install comes from the lock (uv.lock, exported to requirements/*.txt with hashes), so a
# fresh machine gets exactly the tested set; only `make lock` and `make upgrade` resolve anew.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PIP := $(BIN)/pip install -q --disable-pip-version-check
EXPORT := $(BIN)/uv export --frozen --no-header --no-emit-project --group build

.PHONY: demo test install install-test lint lock lock-check upgrade

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

install: $(BIN)/python  # the app: exact versions, hashes checked, no unpinned build backend
	$(PIP) --require-hashes -r requirements/app.txt
	$(PIP) --no-deps --no-build-isolation -e .

install-test: $(BIN)/python
	$(PIP) --require-hashes -r requirements/test.txt
	$(PIP) --no-deps --no-build-isolation -e .

demo: install
	$(BIN)/portal demo

test: install-test
	$(BIN)/pytest $(PYTEST_ARGS)

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache  # the architecture's import contracts (pyproject, ARCHITECTURE.md)

lock: install-test  # after editing dependencies in pyproject.toml
	$(BIN)/uv lock
	$(EXPORT) -o requirements/app.txt -q
	$(EXPORT) --extra test -o requirements/test.txt -q

lock-check: install-test
	.ci/check-lock

upgrade: install-test  # newest allowed versions, tried in a scratch copy; APPLY=1 keeps them
	.ci/upgrade $(if $(APPLY),--apply)
