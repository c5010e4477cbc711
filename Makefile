# Two commands on a fresh Debian machine with Python 3.11:
#   make site   build every spec in specs/ (design docs, OpenAPI, DDL, diagrams, website) into build/
#   make test   lint, type-check and run the whole test suite
# Both create .venv and install what they need (pip, and graphviz/chromium via apt-get as root).

VENV := .venv
BIN := $(VENV)/bin
SPECS ?= specs
OUT ?= build

.PHONY: site test check lint fuzz golden bench schema clean

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
	$(BIN)/archsmith schema --model > schema/archsmith-model.schema.json

# Random search: 10,000 mutants from a new starting point each run (printed on failure),
# and the property tests under the "fuzz" hypothesis profile (tests/profiles.py), which
# draws 20 times more examples at random. A failure found here becomes an @example.
fuzz:
	@scripts/setup.sh test
	ARCHSMITH_FUZZ_CASES=10000 ARCHSMITH_FUZZ_SEED=$${ARCHSMITH_FUZZ_SEED:-$$(date +%s)} \
		$(BIN)/python -m pytest -q -s tests/test_fuzz.py tests/test_accepted.py
	ARCHSMITH_HYPOTHESIS_PROFILE=fuzz $(BIN)/python -m pytest -q tests/test_properties.py

# Rewrites tests/golden/ from the current build; run it after reading the failing
# test's diff, then review `git diff tests/golden` before committing.
golden:
	@scripts/setup.sh test
	ARCHSMITH_UPDATE_GOLDEN=1 $(BIN)/python -m pytest -q tests/test_golden.py
	@git status --short -- tests/golden

bench:
	@scripts/setup.sh test
	@[ -d bench/node_modules ] || (cd bench && npm ci --no-audit --no-fund --loglevel=error)
	$(BIN)/python bench/run.py

clean:
	rm -rf $(OUT) dist .pytest_cache .mypy_cache .ruff_cache test-artifacts
