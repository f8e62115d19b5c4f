# Two commands on a fresh machine (see README "Quick start"):
#   make demo   — install, fetch/seed the 2020 NBS table (+ CEADs CO2, employment) and build
#                 the bilingual chain-diagnosis report out/report/index.html (+ Excel workbook)
#   make test   — install with test extras and run the whole test suite
PY     ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
SHARED ?= ../shared/data
DEMO   ?= cn-nbs-2020-153
DEMO_DATA = $(DEMO) ceads-china cn-employment

.PHONY: demo test bench screenshots install clean

$(BIN)/.installed: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $@

install: $(BIN)/.installed

demo: install
	@if [ -d "$(SHARED)" ]; then \
		$(BIN)/lianpu download $(DEMO_DATA) --from "$(SHARED)"; \
	else \
		$(BIN)/lianpu download $(DEMO_DATA); \
	fi
	$(BIN)/lianpu report $(DEMO) --out out/report

test: install
	OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 $(BIN)/python -m pytest -q

bench: install
	$(BIN)/python -m pip install -q -e '.[bench]'
	$(BIN)/python bench/bench_multipliers.py

screenshots: install
	LIANPU_SCREENSHOTS=docs/screenshots $(BIN)/python -m pytest -q tests/web/test_browser.py

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info src/*.egg-info
