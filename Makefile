# The README's two commands are `make run` and `make test`; everything else serves them.
SHELL := /bin/bash
.DEFAULT_GOAL := help

export UV_PYTHON_DOWNLOADS := never
export UV_COMPILE_BYTECODE := 1
export UV_LINK_MODE := copy
export GX_ANALYTICS_ENABLED := false
export DAGSTER_HOME ?= $(CURDIR)/.dagster

PYTHON ?= python3
UV := $(PYTHON) -m uv
BIN := .venv/bin
MINZHENG_SCALE ?= 1.0
DBT := $(BIN)/dbt
DBT_DIRS := --project-dir dbt_project --profiles-dir dbt_project

.PHONY: help setup run test test-fast lint format simulate pipeline dev clean bench bench-postgres serve superset-setup superset-browser spark-java
# A city-year and twice it: 77 minutes on 2 cores and 24 GiB. The simulation holds about 3.8 GiB
# per unit of scale, so 24 GiB takes up to 5; a province-year (19) needs about 80 GiB.
BENCH_SCALES ?= 1.0 2
# The tests run on two pytest-xdist workers (a pipeline run keeps about 1.2 cores busy);
# tests/conftest.py keeps the tests that share a costly fixture on one worker and hands out the
# long ones first. PYTEST_WORKERS= (empty) runs them in one process.
PYTEST_WORKERS ?= --numprocesses 2 --dist loadgroup --no-loadscope-reorder
# Timed runs of each peer query on each engine (the figure is the median).
BENCH_REPEAT ?= 5

help:
	@echo "make run    set up, simulate the sources (MINZHENG_SCALE=$(MINZHENG_SCALE)) and run the pipeline once"
	@echo "make test   set up and run lint and the test suite"
	@echo "make test-fast  the tests on hand-made fixtures only: no simulation, pipeline run, Superset or PostgreSQL"
	@echo "make dev    Dagster UI on 127.0.0.1:3000 over the same data"
	@echo "make bench  stage times and memory, PostgreSQL peer, Superset latency, one-day night at BENCH_SCALES ($(BENCH_SCALES))"
	@echo "make serve  bootstrap Superset, then Dagster UI (127.0.0.1:3000) and Superset (127.0.0.1:8088)"
	@echo "make clean  remove generated data and environments"

# uv comes from PyPI when the machine has none; it never downloads a Python.
setup: .venv/.ready
.venv/.ready: pyproject.toml uv.lock
	@$(UV) --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet --disable-pip-version-check 'uv>=0.9,<1'
	$(UV) sync --frozen --python 3.11
	$(DBT) parse --quiet $(DBT_DIRS)
	@touch $@

run: setup
	$(BIN)/minzheng simulate --reset --scale $(MINZHENG_SCALE)
	$(BIN)/minzheng run

simulate: setup
	$(BIN)/minzheng simulate --reset --scale $(MINZHENG_SCALE)

pipeline: setup
	$(BIN)/minzheng run

test: setup lint superset-setup bench-postgres spark-java
	$(BIN)/pytest $(PYTEST_WORKERS)

# The quick loop while changing a model or a check: everything not marked slow (tests/conftest.py).
test-fast: setup
	$(BIN)/pytest $(PYTEST_WORKERS) -m "not slow"

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	@# The dbt templater opens a warehouse to compile: an empty scratch one will do.
	scratch=$$(mktemp -d) && MINZHENG_DATA_DIR=$$scratch MINZHENG_PII_KEY=lint-only \
		$(BIN)/sqlfluff lint dbt_project/models dbt_project/macros --disable-progress-bar; \
		status=$$?; rm -rf $$scratch; exit $$status

format: setup
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .
	scratch=$$(mktemp -d) && MINZHENG_DATA_DIR=$$scratch MINZHENG_PII_KEY=lint-only \
		$(BIN)/sqlfluff fix dbt_project/models --disable-progress-bar; rm -rf $$scratch

# Each scale: stages, floor scan, PostgreSQL peer, Superset chart latency (when superset/.venv is
# installed), full run and one-day night. Results: bench/results/, README's bench section.
bench: setup bench-postgres spark-java
	$(BIN)/python -m bench.run --scales "$(BENCH_SCALES)" --repeat $(BENCH_REPEAT)

# The Spark engine (docs/spark.md) runs on Debian's Java 17; pyspark itself is in the lock.
spark-java:
	@if command -v java >/dev/null || ls /usr/lib/jvm/java-17-openjdk-*/bin/java >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jre-headless; \
	else echo "Java is missing: sudo apt-get install -y openjdk-17-jre-headless"; exit 1; fi

# The peer comparison runs a throwaway cluster from PostgreSQL's server binaries (apt, as root).
bench-postgres:
	@if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null; then :; \
	elif [ "$$(id -u)" = 0 ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql; \
	else echo "PostgreSQL is missing, the peer figures will say so: sudo apt-get install -y postgresql"; fi

dev: setup
	$(BIN)/dagster dev -m orchestration.definitions -h 127.0.0.1 -p 3000

# Superset lives in an environment of its own (superset/pyproject.toml + uv.lock); the acceptance
# tests drive the system Chromium and need a CJK font (installed with apt when missing, as root).
superset-setup: superset/.venv/.ready superset-browser
superset/.venv/.ready: superset/pyproject.toml superset/uv.lock
	@$(UV) --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet --disable-pip-version-check 'uv>=0.9,<1'
	@start=$$(date +%s); cd superset && $(UV) sync --frozen --python 3.11; \
		echo "superset environment installed in $$(( $$(date +%s) - start )) s"
	@touch $@

superset-browser:
	@if [ -x /usr/bin/chromium ] && find /usr/share/fonts -iname '*cjk*' -o -iname 'wqy*' | grep -q .; then :; \
	elif [ "$$(id -u)" = 0 ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk; \
	else echo "Chromium and a CJK font are missing: sudo apt-get install -y chromium fonts-noto-cjk"; exit 1; fi

serve: setup superset-setup
	bash superset/serve.sh

clean:
	rm -rf data .dagster .venv superset/.venv dbt_project/target dbt_project/logs
