# werkbot: `make run` starts everything, `make test` checks everything.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PY        := .venv/bin/python
RASA      := .venv-rasa/bin/rasa
MODEL     := models/werkbot.tar.gz
RASA_DATA := config.yml domain.yml $(shell find data -name '*.yml' 2>/dev/null)
# code of the custom NLU component; Rasa's training cache does not see code changes
NLU_CODE  := bot/folding.py $(wildcard bot/nlu/*.py)
export ACTION_SERVER_URL ?= http://127.0.0.1:5055/webhook
export SQLALCHEMY_SILENCE_UBER_WARNING := 1
export TF_CPP_MIN_LOG_LEVEL := 2
export PYTHONDONTWRITEBYTECODE := 1

# run-cluster: HAProxy in front of two of each service (PostgreSQL and Redis)
.PHONY: help setup run run-cluster haproxy test lint validate train test-stories test-python browsers bench bench-kb bench-nlu bench-train bench-recommend bench-handoff bench-dialogue bench-login bench-channels bench-impact bench-bus bench-load bench-profile clean

help:
	@echo "make run   – installieren (falls nötig), trainieren (falls nötig), alle Dienste starten"
	@echo "make run-cluster – dasselbe mit je zwei Instanzen hinter HAProxy (PostgreSQL, Redis)"
	@echo "make test  – dasselbe Setup, dann alle Prüfungen und Tests"
	@echo "make lint | make bench (bench-kb, bench-nlu, bench-train, bench-recommend, bench-handoff, bench-dialogue, bench-impact, bench-load) | make clean"

setup: .venv/.installed .venv-rasa/.installed

.venv/.installed: requirements/app.lock scripts/setup-app-venv.sh
	scripts/setup-app-venv.sh

.venv-rasa/.installed: requirements/rasa.lock requirements/rasa-py311-constraints.txt scripts/setup-rasa-venv.sh
	scripts/setup-rasa-venv.sh

train: $(MODEL)

# validation is `make validate` (rasa data validate --fail-on-warnings), run by `make test`
$(MODEL): $(RASA_DATA) $(NLU_CODE) .venv-rasa/.installed
	$(RASA) train --fixed-model-name werkbot --out models --quiet --skip-validation \
	  $(if $(filter $(NLU_CODE),$?),--force)
	@touch $(MODEL)

run: setup train
	$(PY) -m bot kb load
	$(PY) -m bot events load
	$(PY) -m bot run

run-cluster: setup train haproxy
	$(PY) -m bot cluster

haproxy:
	scripts/ensure-apt.sh haproxy

browsers: node_modules/.installed
	scripts/ensure-apt.sh chromium fonts-dejavu-core

# axe-core for the accessibility checks of the browser tests (never served)
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

lint: .venv/.installed
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/mypy

validate: setup
	$(RASA) data validate --fail-on-warnings --quiet
	$(PY) -m bot kb validate
	$(PY) -m bot kb audit
	$(PY) -m bot kb audit --on 2027-01-02

test-stories: $(MODEL)
	$(RASA) test core --stories tests/test_stories.yml --model $(MODEL) \
	  --fail-on-prediction-errors --out var/rasa-test --quiet

test-python: setup browsers haproxy train
	$(PY) -m pytest -q --durations=15

test: setup browsers lint validate train test-stories test-python

bench: setup train bench-kb bench-nlu bench-train bench-recommend bench-handoff bench-dialogue bench-login bench-channels bench-impact bench-load
	$(PY) -m bench.foundation

bench-kb: setup
	$(PY) -m bench.kb

bench-nlu: setup
	$(PY) -m bench.nlu

bench-train: setup
	$(PY) -m bench.train

bench-handoff: setup train
	$(PY) -m bench.handoff

bench-dialogue: setup train
	$(PY) -m bench.dialogue

bench-login: setup train
	$(PY) -m bench.login_flood

bench-channels: setup train
	$(PY) -m bench.channels

bench-recommend: setup
	$(PY) -m bench.recommend

# cost per message before and after the speed-ups, by conversation length, with py-spy
bench-profile: setup train
	$(PY) -m bench.profile

# Redis pub/sub against PostgreSQL NOTIFY as the bus between gateway instances
bench-bus: setup
	$(PY) -m bench.bus

# 1 million messages in a fresh PostgreSQL database (dropped afterwards)
bench-impact: setup
	$(PY) -m bench.impact

# 1 and 2 instances of each service behind HAProxy, 20/50/100 people, then faults
bench-load: setup train haproxy
	$(PY) -m bench.load

clean:
	rm -rf models var .pytest_cache .mypy_cache .ruff_cache
