# Two entry points (see README): `make run` and `make test`. `make help` lists every target.
PY      ?= python3
VENV    ?= .venv
BIN     := $(VENV)/bin
PORT    ?= 8501
STAMP   := $(VENV)/.installed
# The exact versions the suite is tested with (`make lock` rewrites it from a working venv).
CONSTRAINTS := constraints.txt
# The commands `make chromium` / `make nginx` look for before installing the Debian package
# (scripts/apt-install.sh: waits for Debian's package lock, sudo only when not root).
CHROMIUM ?= chromium
NGINX    ?= nginx

# Test processes for `make test`. Browser tests spend much of their time waiting (on a server's run, on
# chromium's drawing), so four processes overlap those waits on 2 cores; `worksteal` rebalances the
# long tests. Every wait budget scales with the load (bench/probes.py), so a busy machine stays green.
WORKERS ?= 4

.DEFAULT_GOAL := help
.PHONY: help setup run test test-fast validate export bench bench-quick chromium nginx lock clean

help: ## list the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  make %-12s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(STAMP): pyproject.toml $(CONSTRAINTS)
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -c $(CONSTRAINTS) -e ".[test]"
	touch $(STAMP)

setup: $(STAMP) ## create .venv with the tested versions (constraints.txt)

chromium: ## install Debian chromium if missing (browser tests, PNG/SVG images)
	@command -v $(CHROMIUM) >/dev/null 2>&1 || { \
	  echo "installing Debian chromium"; sh scripts/apt-install.sh chromium; }

nginx: ## install Debian nginx if missing (the benchmark's two-replica runs)
	@command -v $(NGINX) >/dev/null 2>&1 || test -x /usr/sbin/$(NGINX) || { \
	  echo "installing Debian nginx (for the scale-out run)"; sh scripts/apt-install.sh nginx-light nginx; }

run: setup ## validate the data and serve the app on http://127.0.0.1:8501 (PORT=...)
	$(BIN)/python -m explainer validate
	$(BIN)/python -m streamlit run app.py --server.port $(PORT)

validate: setup ## list every problem in data/ and geo/
	$(BIN)/python -m explainer validate

test: setup chromium ## the whole suite, browser tests included, on both cores (slowest 15 listed)
	$(BIN)/python -m pytest -q -n $(WORKERS) --dist worksteal

test-fast: setup ## the suite without any browser (no chromium, no kaleido)
	$(BIN)/python -m pytest -q -n 2 -m "not browser"

export: setup ## write the static embeds to build/embed (refused while a map layer's rights are not cleared: geo/README.md)
	$(BIN)/python -m explainer export --out build/embed

export-preview: setup ## the same as a labelled preview, not for publication, whatever the layers' rights
	$(BIN)/python -m explainer export --out build/embed --rights-preview

bench: setup chromium nginx ## the full benchmark (~11 min, both cores): bench/bench.md
	$(BIN)/python -m bench

bench-quick: setup chromium nginx ## the benchmark with fewer repetitions, into build/bench
	$(BIN)/python -m bench --quick --out build/bench

lock: setup ## rewrite constraints.txt from the working venv (exact versions)
	$(BIN)/pip freeze --exclude-editable --exclude pip | grep -v -e '^-e ' -e ' @ ' | sort -f > $(CONSTRAINTS)

clean: ## remove .venv, build outputs and caches
	rm -rf $(VENV) build .pytest_cache .cache
