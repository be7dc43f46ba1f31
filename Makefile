# One way to install, run, test and measure the dashboard. Python 3.11; no other set-up.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8501
# The extracts the benchmarks run on: `make bench BENCH_DATA=/tmp/s55` after `python -m dashboard.build.sample --out /tmp/s55 --scale 55`.
BENCH_DATA ?= data

.PHONY: run test lint bench sample check

run: $(VENV)/.app-installed
	$(PY) -m streamlit run serve.py --server.port $(PORT)

test: $(VENV)/.dev-installed
	bash scripts/ensure-chromium
	$(PY) -m pytest -n 2 --dist loadfile

lint: $(VENV)/.dev-installed
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

bench: $(VENV)/.dev-installed
	$(PY) benchmarks/bench_load.py --data $(BENCH_DATA)
	$(PY) benchmarks/bench_queries.py --data $(BENCH_DATA)
	$(PY) benchmarks/bench_pages.py --data $(BENCH_DATA)
	bash scripts/ensure-chromium
	$(PY) benchmarks/bench_browser.py --data $(BENCH_DATA)
	$(PY) benchmarks/bench_concurrency.py --data $(BENCH_DATA)

sample: $(VENV)/.app-installed
	$(PY) -m dashboard.build.sample --out data

check: $(VENV)/.app-installed
	$(PY) -m dashboard.build.check $${SEND_DATA_DIR:-data}

$(VENV)/.app-installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $(VENV)/.app-installed $@
