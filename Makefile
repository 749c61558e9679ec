# Sanbao: the two commands a newcomer needs are `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/pip install --quiet --disable-pip-version-check -c requirements/constraints.txt
HOST   ?= 127.0.0.1:8000
# The development server runs with DEBUG on unless told otherwise (no secret needed).
export SANBAO_DEBUG ?= 1

.PHONY: run test lint fmt migrate demo messages constraints clean help bench bench-import bench-purge prod-check

help:
	@echo "make run    - install, migrate, load demo data, serve http://$(HOST)"
	@echo "make test   - install dev tools and run the whole suite (PostgreSQL when DATABASE_URL is set)"
	@echo "make lint   - ruff check and format check"
	@echo "make fmt    - ruff format and fix"
	@echo "make messages - extract and compile translations"
	@echo "make bench  - the benchmark suite: gunicorn, production settings, each scenario against its floor (bench/README.md; needs DATABASE_URL=postgres://...)"
	@echo "make bench-import - time the unit import against a raw INSERT floor (bench/README.md)"
	@echo "make bench-purge - time the IV.8 purge against a bulk DELETE floor (bench/README.md)"
	@echo "make prod-check - nginx + two app servers + worker + Redis + S3, a journey through them (docs/deploy.md; needs DATABASE_URL=postgres://...)"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check --upgrade pip

$(VENV)/.installed-base: $(BIN)/python pyproject.toml requirements/constraints.txt
	$(PIP) -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed-base
	$(PIP) -e ".[dev]"
	touch $@

# The cache table holds the rate limits every worker shares (docs/decisions.md).
migrate: $(VENV)/.installed-base
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py createcachetable

demo: migrate
	$(BIN)/python manage.py load_demo

# The task worker (e-mail) runs beside the development server and stops with it.
run: demo
	$(BIN)/python manage.py print_demo_logins
	@$(BIN)/python manage.py db_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	echo "task worker started (pid $$worker)"; \
	$(BIN)/python manage.py runserver $(HOST)

# The suite runs on one pytest-xdist worker per core (docs/decisions.md);
# PYTEST_WORKERS=0 runs it in one process, e.g. to debug with pdb.
PYTEST_WORKERS ?= auto
test: $(VENV)/.installed-dev
	$(BIN)/python manage.py check --fail-level WARNING --settings=config.settings_test
	$(BIN)/pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

fmt: $(VENV)/.installed-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

messages: $(VENV)/.installed-dev
	$(BIN)/python manage.py makemessages -l zh_Hans --no-obsolete --ignore=.venv --ignore=static --ignore='*/tests/*' --ignore=tests --ignore=bench
	$(BIN)/python manage.py compilemessages -l zh_Hans --ignore=.venv

# The suite (bench/suite.py): a scratch PostgreSQL database on the server DATABASE_URL
# names, gunicorn on 127.0.0.1, 1 and 8 client processes a scenario; JSON in var/bench/.
bench: $(VENV)/.installed-base
	SANBAO_DEBUG=0 $(BIN)/python bench/suite.py $(BENCH_ARGS)

bench-import: $(VENV)/.installed-base
	$(BIN)/python bench/bench_import.py $(BENCH_ARGS)

bench-purge: $(VENV)/.installed-base
	$(BIN)/python bench/bench_purge.py $(PURGE_ARGS)

# The production set-up of docs/deploy.md on this machine, and a journey through it
# (ops/prod_check.py). DATABASE_URL names a PostgreSQL server it may create and drop
# a database on; nginx, redis-server and the PostgreSQL client tools must be installed.
prod-check: $(VENV)/.installed-dev
	SANBAO_DEBUG=0 $(BIN)/python ops/prod_check.py $(PROD_CHECK_ARGS)

constraints: $(VENV)/.installed-dev
	$(BIN)/pip freeze --exclude-editable | sed '1i # Pinned versions that CI and make install (pip -c). Refresh: make constraints' > requirements/constraints.txt

clean:
	rm -rf $(VENV) var/*.sqlite3 var/media
