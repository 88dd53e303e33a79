# Everything a fresh machine needs: `make demo` and `make test` create .venv when missing
# and install what they use (the test extras include torch==2.13.0, a CPU build).
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python

.PHONY: demo test test-fast test-distributed lint bench bench-pages gallery studies docs notebooks clean

$(VENV)/.base: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e .
	touch $@

$(VENV)/.test: $(VENV)/.base
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $@

$(VENV)/.docs: $(VENV)/.test
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test,docs]'
	touch $@

$(VENV)/.distributed: $(VENV)/.test
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test,postgres,ray]'
	touch $@

demo: $(VENV)/.base
	$(PY) -m jaring.cli demo $(ARGS)

test: $(VENV)/.test
	$(VENV)/bin/ruff check .
	$(PY) -m pytest

# For quick iterations: everything but the tests marked slow, with 5 hypothesis examples per op
# property instead of 25 (every op and shape family still runs against PyTorch), in two pytest
# processes at once (--shard, in conftest.py: whole test files, balanced by their number of tests),
# one per core; the second one's report follows the first's. Bytecode is cached even where
# PYTHONDONTWRITEBYTECODE is set, so pytest rewrites the test files' asserts once, not every run.
FAST = PYTHONDONTWRITEBYTECODE= JARING_TEST_EXAMPLES=5 $(PY) -m pytest -m "not slow and not distributed"
test-fast: $(VENV)/.test
	$(VENV)/bin/ruff check .
	@log=$$(mktemp); $(FAST) --shard 2/2 > $$log 2>&1 & second=$$!; \
	$(FAST) --shard 1/2; first=$$?; \
	wait $$second; status=$$?; echo "--- the other half of the fast tier:"; cat $$log; rm -f $$log; \
	test $$first -eq 0 -a $$status -eq 0

# Studies on a real PostgreSQL server and on a local Ray instance (a few minutes). A throwaway server
# is started on 127.0.0.1 for the run (.ci/postgres.sh; Debian: apt-get install postgresql) unless
# $$JARING_TEST_POSTGRES names one; outside CI a test whose service is missing skips, under CI it fails.
test-distributed: $(VENV)/.distributed
	.ci/postgres.sh run $(PY) -m pytest -m distributed tests/experiments

lint: $(VENV)/.test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

bench: $(VENV)/.test
	$(PY) benchmarks/overhead.py

# The documentation's Benchmarks pages: all four benchmarks at their default sizes (on a quiet
# machine: other load skews the ratios), each one's records into $(BENCH_DIR)/, then docs/benchmarks/
# written from them. The MLP trains on MNIST from $$JARING_DATA (e.g. JARING_DATA=../shared/datasets),
# on random data of its shape when it finds none. OVERHEAD_ARGS, MLP_ARGS, CNN_ARGS and LSTM_ARGS pass options to one script.
BENCH_DIR ?= runs/bench
bench-pages: $(VENV)/.test
	$(PY) benchmarks/overhead.py $(OVERHEAD_ARGS) --json $(BENCH_DIR)/overhead.json
	$(PY) benchmarks/mlp_mnist.py $(MLP_ARGS) --json $(BENCH_DIR)/mlp_mnist.json
	$(PY) benchmarks/cnn.py $(CNN_ARGS) --json $(BENCH_DIR)/cnn.json
	$(PY) benchmarks/lstm.py $(LSTM_ARGS) --json $(BENCH_DIR)/lstm.json
	$(PY) benchmarks/publish.py $(BENCH_DIR) docs/benchmarks

# Every jaring.viz picture for small trained models (the network screenshot needs Chromium).
gallery: $(VENV)/.test
	$(PY) docs/gallery.py docs/gallery

# Every shipped study at full size (hours on two cores; a stopped run continues where it was),
# each study's report and records then copied into docs/studies/.
WORKERS ?= 2
studies: $(VENV)/.test
	for f in experiments/studies/*.toml; do \
		$(PY) -m jaring.cli study run $$f --workers $(WORKERS) && \
		$(PY) -m jaring.experiments.publish runs/studies/$$(basename $$f .toml) docs/studies || exit 1; \
	done

# The documentation site (mkdocs-material) into site/: the front page is README.md, the tutorials
# run top to bottom while it builds, the API reference comes from the docstrings. --strict: a
# broken link or reference fails the build.
docs: $(VENV)/.docs
	NO_MKDOCS_2_WARNING=1 $(VENV)/bin/mkdocs build --strict

# Every tutorial notebook, top to bottom, without building the site.
notebooks: $(VENV)/.docs
	$(PY) -m pytest -p no:cacheprovider --nbmake docs/tutorials

clean:
	rm -rf $(VENV) runs site .pytest_cache .ruff_cache
