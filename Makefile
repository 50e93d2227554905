# Two commands that work on a fresh Debian/Ubuntu machine (see README.md):
#   make run    set up .venv if missing, then start the app
#   make test   set up .venv if missing, then run the whole test suite
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
ARGS ?= --demo

.PHONY: run test lint typecheck bench clean bundle bundle-test packaging-check

$(STAMP): pyproject.toml
	@test -x $(PY) || "$$(scripts/find-python)" -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

run: $(STAMP)
	$(VENV)/bin/nco-desktop $(ARGS)

test: $(STAMP)
	$(PY) -m pytest -q

lint: $(STAMP)
	$(VENV)/bin/ruff check nco_desktop tests benchmarks packaging
	$(VENV)/bin/ruff format --check nco_desktop tests benchmarks packaging

typecheck: $(STAMP)
	$(VENV)/bin/mypy

bench: $(STAMP)
	$(PY) benchmarks/bench_unlock.py
	$(PY) benchmarks/bench_blob_write.py
	$(PY) benchmarks/bench_import.py
	$(PY) benchmarks/bench_binder.py
	$(PY) benchmarks/bench_timeline.py
	$(PY) benchmarks/bench_detail_step.py
	$(PY) benchmarks/bench_list_json.py
	$(PY) benchmarks/bench_window_import.py

# The packaged program (see packaging/README.md): a one-folder PyInstaller build in
# build/bundle/dist/nco-desktop, packed as dist/*.tar.gz and dist/*.deb. NEUTRAL=1
# builds the "Notes" presence.
BUNDLE := build/bundle/dist/nco-desktop

bundle:
	packaging/build_bundle.sh

# The smoke test runs the built program itself; it builds one first if there is none
# (`make bundle bundle-test` rebuilds).
bundle-test: $(STAMP)
	@test -x $(BUNDLE)/nco-desktop || packaging/build_bundle.sh
	NCO_BUNDLE=$(CURDIR)/$(BUNDLE) $(PY) -m pytest -q -m bundle tests/bundle

packaging-check:
	desktop-file-validate packaging/linux/*.desktop
	appstreamcli validate --no-net packaging/linux/org.ncodesktop.NcoDesktop.metainfo.xml

clean:
	rm -rf $(VENV) build dist *.egg-info
