# Aid Ledger: `make run` serves the site, `make test` runs the tests (SPEC §3).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev

.PHONY: run serve test lint bench install

$(STAMP): requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	touch $(STAMP)

# The test tools (Playwright for the browser tests, schemathesis for the API) only for `make test`.
$(DEV_STAMP): requirements-dev.txt $(STAMP)
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(DEV_STAMP)

install: $(STAMP) $(DEV_STAMP)

run: $(STAMP)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_ecb_rates
	$(BIN)/python manage.py load_seed
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# Production: static files collected for whitenoise, then gunicorn with WEB_CONCURRENCY workers
# (gunicorn reads it from the environment; 3 when unset). Settings come from the environment:
# DEBUG=0 needs SECRET_KEY and ALLOWED_HOSTS (README, "Running in production").
WEB_CONCURRENCY ?= 3
# Threads per worker: a cached answer mostly waits (the ledger version, Redis), so each worker
# serves several at once (README, "Many readers at once").
WEB_THREADS ?= 4
BIND ?= 127.0.0.1:$(PORT)
# Seconds an idle keep-alive connection stays open (gunicorn's default, 2, closed connections that a
# busy client was about to reuse: "Remote end closed connection without response" under load).
# Behind a proxy keep it above the proxy's own upstream idle time.
KEEP_ALIVE ?= 5
serve: $(STAMP)
	$(BIN)/python manage.py collectstatic --noinput -v0
	WEB_CONCURRENCY=$(WEB_CONCURRENCY) $(BIN)/gunicorn config.wsgi --bind $(BIND) --threads $(WEB_THREADS) \
		--timeout 30 --graceful-timeout 20 --keep-alive $(KEEP_ALIVE) --limit-request-line 4094 --limit-request-fields 100 \
		--access-logfile - --error-logfile -

test: $(DEV_STAMP)
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

bench: $(STAMP)
	nice -n 10 $(BIN)/python bench/run.py
