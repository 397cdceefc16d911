# Newsroom: `make demo` to try it, `make test` to check it.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
HOST   ?= 127.0.0.1
PORT   ?= 8000
# make bench: DB=sqlite|postgres, N generated articles, seconds per URL, wrk connections,
# MODE=both|uncached|cached; BENCH_ARGS for the rest (e.g. --rebuild). See bench/run.py.
DB          ?= sqlite
N           ?= 0
DURATION    ?= 10
CONNECTIONS ?= 16
MODE        ?= both
BENCH_ARGS  ?=
# Two workers: the machine's two cores (pytest-xdist); PYTEST_ARGS= runs serially.
PYTEST_ARGS ?= -n 2

.PHONY: install demo serve test lint migrate bench clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test,prod]'
	touch $(STAMP)

install: $(STAMP)

migrate: install
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py load_demo
	@echo ""
	@echo "Newsroom is running at http://$(HOST):$(PORT)/  (admin: http://$(HOST):$(PORT)/admin/)"
	@# A background worker (renditions, imports, ...) beside the server; it stops with it.
	@$(PY) manage.py run_worker --no-startup-delay & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver $(HOST):$(PORT)

test: install
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

bench: install
	$(PY) bench/run.py --db $(DB) --articles $(N) --duration $(DURATION) \
		--connections $(CONNECTIONS) --mode $(MODE) $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var test-artifacts .pytest_cache
