# kebekerjaan: `make demo` runs the whole job on synthetic data, `make test` runs the tests.
# Both create .venv on first use and reinstall when pyproject.toml changes.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PIP    := $(BIN)/python -m pip --disable-pip-version-check --quiet

.PHONY: demo test test-fast bench bench-national lab app install clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) install -e '.[test]'
	@touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/kebekerjaan demo

test: $(STAMP)
	$(BIN)/python -m pytest -n 2 --dist loadgroup

test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not e2e"

bench: $(STAMP)
	$(BIN)/python scripts/bench_intake.py
	$(BIN)/python scripts/bench_answers.py
	$(BIN)/python scripts/bench_wa.py
	$(BIN)/python scripts/bench_recap.py
	$(BIN)/python scripts/bench_snapshot.py

# Long (a million alumni, built once and cached in $TMPDIR; then minutes per run).
bench-national: $(STAMP)
	$(BIN)/python scripts/bench_national.py
	$(BIN)/python scripts/bench_answers.py --lines --rows --match 0 \
		--match-scale 100000 1000000 3000000 --match-alumni 1000000

lab: $(STAMP)
	$(BIN)/jupyter lab notebooks/

# The staff pages in the browser (http://127.0.0.1:8866/); WORKSPACE=DIR for another folder.
app: $(STAMP)
	$(BIN)/kebekerjaan aplikasi $(if $(WORKSPACE),--workspace $(WORKSPACE))

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis build dist src/*.egg-info
