# Common tasks. The README's two Quick start commands are `make demo` and `make test`.
# The web app (web/) is built from its own lock (web/package-lock.json, `npm ci`) with the
# machine's Node and npm; its build (web/dist) is never committed, `make web` makes it.
# Every install comes from the lock (uv.lock, exported to requirements/*.txt with hashes), so a
# fresh machine gets exactly the tested set; only `make lock` and `make upgrade` resolve anew.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PIP := $(BIN)/pip install -q --disable-pip-version-check
EXPORT := $(BIN)/uv export --frozen --no-header --no-emit-project --group build

NPM ?= npm
WEB_MODULES := web/node_modules/.package-lock.json
WEB_DIST := web/dist/index.html
WEB_SOURCES := $(shell find web/src web/public web/explorer web/scripts graphql -type f 2>/dev/null) \
	web/index.html web/package.json web/vite.config.ts web/vite.explorer.config.ts web/codegen.ts \
	web/codegen/keyless.cjs web/tsconfig.json

.PHONY: demo test install install-test lint lock lock-check upgrade web test-web chromium pdf-deps

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

install: $(BIN)/python pdf-deps  # the app: exact versions, hashes checked, no unpinned build backend
	$(PIP) --require-hashes -r requirements/app.txt
	$(PIP) --no-deps --no-build-isolation -e .

install-test: $(BIN)/python pdf-deps
	$(PIP) --require-hashes -r requirements/test.txt
	$(PIP) --no-deps --no-build-isolation -e .

$(WEB_MODULES): web/package-lock.json
	cd web && $(NPM) ci --no-audit --no-fund

$(WEB_DIST): $(WEB_MODULES) $(WEB_SOURCES)  # codegen + tsc (fails on a stale operation), vite
	cd web && $(NPM) run build

web: $(WEB_DIST)  # the web app the portal serves at / (rebuilt only when its sources change)

demo: install web
	$(BIN)/portal demo

pdf-deps:  # Debian's Pango for WeasyPrint (official PDFs) and poppler-utils (pdftoppm: PNG previews)
	@{ ldconfig -p | grep -q libpangoft2-1.0 && command -v pdftoppm >/dev/null; } || { \
		apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
		--no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core poppler-utils; }

chromium:  # Debian's Chromium (as root) for the end-to-end tests: browser builds cannot be downloaded
	@test -x /usr/bin/chromium || { apt-get update -q && DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -q --no-install-recommends chromium fonts-noto-core; }

test-web: install chromium  # npm ci, codegen + tsc, Vitest, build, Playwright against a fresh demo
	cd web && $(NPM) ci --no-audit --no-fund && $(NPM) run check && $(NPM) run test:unit \
		&& $(NPM) run build && $(NPM) run e2e

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
