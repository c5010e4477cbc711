# Two commands on a fresh Debian machine with Python 3.11:
#   make site   build every spec in specs/ (design docs, OpenAPI, DDL, diagrams, website) into build/
#   make test   lint, type-check and run the whole test suite
# Both create .venv and install what they need (pip, and graphviz/chromium via apt-get as root).

VENV := .venv
BIN := $(VENV)/bin
SPECS ?= specs
OUT ?= build

.PHONY: site test check lint fuzz bench schema clean

site:
	@scripts/setup.sh site
	$(BIN)/archsmith build $(SPECS) --out $(OUT)
	@echo "open $(OUT)/site/index.html (works from file://) or serve $(OUT)/site"

test:
	@scripts/setup.sh test
	$(BIN)/ruff check generator tests bench
	$(BIN)/ruff format --check generator tests bench
	$(BIN)/mypy
	$(BIN)/python -m pytest -q

check:
	@scripts/setup.sh site
	$(BIN)/archsmith check $(SPECS)

schema:
	@scripts/setup.sh site
	$(BIN)/archsmith schema > schema/archsmith.schema.json

fuzz:
	@scripts/setup.sh test
	ARCHSMITH_FUZZ_CASES=10000 $(BIN)/python -m pytest -q -s tests/test_fuzz.py

bench:
	@scripts/setup.sh test
	@[ -d bench/node_modules ] || (cd bench && npm ci --no-audit --no-fund --loglevel=error)
	$(BIN)/python bench/run.py

clean:
	rm -rf $(OUT) dist .pytest_cache .mypy_cache .ruff_cache test-artifacts
