# kebekerjaan: `make demo` runs the whole job on synthetic data, `make test` runs the tests.
# Both create .venv on first use and reinstall when pyproject.toml changes.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PIP    := $(BIN)/python -m pip --disable-pip-version-check --quiet

.PHONY: demo test test-fast gambar bench bench-national lab app install clean

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

# Retake the staff guide's pictures (docs/panduan/gambar/) with the browser tests.
gambar: $(STAMP)
	KEBEKERJAAN_GAMBAR=1 $(BIN)/python -m pytest tests/ui/app/test_browser.py

# The benchmark scripts listed in scripts/bench_all.py; with
# `$(BIN)/python scripts/bench_all.py --write docs/dev/benchmarks.md` their figures become that page.
bench: $(STAMP)
	$(BIN)/python scripts/bench_all.py

# Long (a million alumni, built once and cached in $TMPDIR; then minutes per run).
bench-national: $(STAMP)
	$(BIN)/python scripts/bench_all.py --national

lab: $(STAMP)
	$(BIN)/jupyter lab notebooks/

# The staff pages in the browser (http://127.0.0.1:8866/); WORKSPACE=DIR for another folder.
app: $(STAMP)
	$(BIN)/kebekerjaan aplikasi $(if $(WORKSPACE),--workspace $(WORKSPACE))

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis build dist src/*.egg-info
