# Two commands on a fresh machine (see README "Quick start"):
#   make demo   — install, fetch/seed the 2020 NBS table, print its top output multipliers
#   make test   — install with test extras and run the whole test suite
PY     ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
SHARED ?= ../shared/data
DEMO   ?= cn-nbs-2020-153

.PHONY: demo test bench install clean

$(BIN)/.installed: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $@

install: $(BIN)/.installed

demo: install
	@if [ -d "$(SHARED)" ]; then \
		$(BIN)/lianpu download $(DEMO) --from "$(SHARED)"; \
	else \
		$(BIN)/lianpu download $(DEMO); \
	fi
	$(BIN)/lianpu info $(DEMO)
	$(BIN)/lianpu multipliers $(DEMO) --kind output --type I --top 15
	$(BIN)/lianpu multipliers $(DEMO) --kind output --type II --top 15

test: install
	$(BIN)/python -m pytest -q

bench: install
	$(BIN)/python -m pip install -q -e '.[bench]'
	$(BIN)/python bench/bench_multipliers.py

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info src/*.egg-info
