# One way to install, run, test and measure the dashboard. Python 3.11; no other set-up.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8501

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
	$(PY) benchmarks/bench_load.py
	$(PY) benchmarks/bench_pages.py
	bash scripts/ensure-chromium
	$(PY) benchmarks/bench_browser.py

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
