# Two commands do all the set-up on a fresh machine:
#   make demo   run every hook through real pre-commit on examples/legacy-service
#   make test   run the test suite
VENV ?= .venv
PYTHON ?= python3
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: test test-fast lint demo bench clean release

$(STAMP): setup.cfg pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(STAMP)

test: $(STAMP) lint
	rm -f .coverage .coverage.*
	$(PY) -m coverage run -m pytest
	$(PY) -m coverage combine -q
	$(PY) -m coverage report

# The in-process suite only: seconds, for the edit-test loop.
test-fast: $(STAMP)
	$(PY) -m pytest -m "not e2e" -q

lint: $(STAMP)
	$(PY) -m ruff check hooks tests bench tools
	$(PY) -m mypy

demo: $(STAMP)
	bash examples/demo.sh

bench: $(STAMP)
	$(PY) -m pip install --quiet --disable-pip-version-check -r bench/requirements.txt
	$(PY) bench/run_all.py

clean:
	rm -rf $(VENV) .cache build *.egg-info

# Cut a release: make release VERSION=x.y.z (docs/releasing.md)
release: $(STAMP)
	$(PY) -m pip install --quiet --disable-pip-version-check build twine
	$(PY) tools/release.py $(VERSION)
