# newsdesk: two commands on a fresh machine.
#   make report   set up .venv and build the HTML reports of the sample corpus into reports/
#   make test     set up .venv and run the whole test suite
# Also: make quick (the tests not marked slow), make lab, make bench, make sample, make clean.

PYTHON  ?= python3
VENV    := .venv
PY      := $(VENV)/bin/python
STAMP   := $(VENV)/.installed
CORPUS  ?= data/sample
OUT     ?= reports
PARAMS  ?=
PYTEST_ARGS ?=
# The suite runs on every core (pytest-xdist), a test file per worker, so a file's module fixtures
# are built once; at most 4 workers. `make test XDIST=` runs it in one process.
XDIST   ?= -n auto --maxprocesses 4 --dist loadfile
SIZES   ?=
LAB_ARGS ?=

.PHONY: setup report test quick lab bench sample browser clean

setup: $(STAMP)

# The venv is rebuilt when the pins or the package metadata change.
$(STAMP): requirements.lock pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade "pip>=24"
	$(PY) -m pip install --quiet -r requirements.lock
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e .
	$(PY) -m ipykernel install --sys-prefix --name newsdesk --display-name "Python (newsdesk)" > /dev/null
	touch $(STAMP)

# Headless Chromium for the browser test (Debian packages). Installed when missing and we are root.
browser:
	@if ! command -v chromium > /dev/null || ! command -v chromedriver > /dev/null; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get > /dev/null; then \
	    echo "installing chromium and chromium-driver (Debian packages) for the browser test"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver > /dev/null) \
	      || echo "warning: could not install chromium; the browser test will skip"; \
	  else echo "note: chromium/chromedriver missing; the browser test will skip (apt-get install chromium chromium-driver)"; fi; \
	fi

# CORPUS and OUT reach newsdesk as one argument each, as written (a glob is expanded by newsdesk,
# not the shell; spaces are kept). PARAMS is read as a shell reads arguments, so the README's
# PARAMS='-p sections ["World"]' and PARAMS="-p terms 'flood|vaccine'" both work as written.
# On the bundled sample (the default CORPUS), data/sample-report.yaml gives its story lines; any
# other archive gets subjects chosen from its own articles.
SAMPLE_PARAMS := $(if $(filter data/sample data/sample/,$(CORPUS)),-f data/sample-report.yaml,)
export CORPUS OUT PARAMS SAMPLE_PARAMS
report: setup
	@eval '$(VENV)/bin/newsdesk report "$$CORPUS" --out "$$OUT" $$SAMPLE_PARAMS '"$$PARAMS"

test: setup browser
	$(PY) -m pytest $(XDIST) $(PYTEST_ARGS)

# The quick loop while editing: everything but the tests marked slow (notebooks, browser, Dask,
# hostile corpora, CLI runs): a quarter of the suite's CPU time. `make test` still runs them all.
quick: setup
	$(PY) -m pytest -m "not slow" $(XDIST) $(PYTEST_ARGS)

lab: setup
	$(VENV)/bin/jupyter lab --notebook-dir=notebooks $(if $(filter 0,$(shell id -u)),--allow-root,) $(LAB_ARGS)

bench: setup
	$(PY) benchmarks/run.py $(if $(SIZES),--sizes $(SIZES),)

sample: setup
	$(PY) tools/make_sample.py $(CORPUS)

clean:
	rm -rf $(VENV) data/cache reports .pytest_cache
