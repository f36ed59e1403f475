# The two commands a newcomer needs: `make up` and `make test`.
VENV ?= .venv
PYTHON ?= $(shell command -v python3.11 || command -v python3)
STAMP := $(VENV)/.installed
CRDS := tests/support/crds
WEB_MO := $(patsubst %.po,%.mo,$(wildcard web/translations/*/LC_MESSAGES/messages.po))
WEB_ASSETS := web/node_modules/.installed $(WEB_MO)

.PHONY: up down test bench install strings

up: $(STAMP) $(WEB_ASSETS)  ## start the whole platform locally (gateway on http://127.0.0.1:8000)
	VENV=$(VENV) deploy/local/up.sh

down:  ## stop what `make up` started
	VENV=$(VENV) deploy/local/down.sh

test: $(STAMP) $(CRDS)/node_modules/.installed $(WEB_ASSETS)  ## static checks, then every test tier (unit, integration, end-to-end, faults)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	deploy/local/ensure-infra.sh
	$(VENV)/bin/pytest

bench: $(STAMP) $(WEB_ASSETS)  ## measure search and booking through the gateway; writes docs/benchmarks.md
	deploy/local/ensure-infra.sh
	$(VENV)/bin/python -m bench.search
	$(VENV)/bin/python -m bench.reservations
	$(VENV)/bin/python -m bench.programs
	$(VENV)/bin/python -m bench.latency

install: $(STAMP) $(CRDS)/node_modules/.installed $(WEB_ASSETS)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e ".[test,local]"
	touch $(STAMP)

# What the tests check the Kubernetes operators' objects with (tests/unit/test_kubernetes_clustered.py).
$(CRDS)/node_modules/.installed: $(CRDS)/package.json $(CRDS)/package-lock.json
	npm ci --prefix $(CRDS) --no-audit --no-fund --loglevel=error
	touch $@

# The web client's front-end packages (KRDS, htmx, Leaflet; axe-core for the browser tests), from its lock file.
web/node_modules/.installed: web/package.json web/package-lock.json
	npm ci --prefix web --no-audit --no-fund --loglevel=error
	touch $@

# The web client's translations, compiled from the catalogues (web/README.md says how to add a string).
web/translations/%/LC_MESSAGES/messages.mo: web/translations/%/LC_MESSAGES/messages.po $(STAMP)
	$(VENV)/bin/pybabel compile -d web/translations -l $* >/dev/null

strings: $(STAMP)  ## after changing the web client's text: bring its strings into both catalogues, list what to translate
	$(VENV)/bin/python -m web.catalogues
