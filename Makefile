# Two entry points (see README): `make run` and `make test`.
PY      ?= python3
VENV    ?= .venv
BIN     := $(VENV)/bin
PORT    ?= 8501
STAMP   := $(VENV)/.installed

.PHONY: setup run test test-fast validate export bench chromium nginx clean

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e ".[test]"
	touch $(STAMP)

setup: $(STAMP)

chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing Debian chromium"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) \
	  || (sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium); }

run: setup
	$(BIN)/python -m explainer validate
	$(BIN)/python -m streamlit run app.py --server.port $(PORT)

validate: setup
	$(BIN)/python -m explainer validate

test: setup chromium
	$(BIN)/python -m pytest -q

test-fast: setup
	$(BIN)/python -m pytest -q -m "not browser"

export: setup
	$(BIN)/python -m explainer export --out build/embed

nginx:
	@command -v nginx >/dev/null 2>&1 || test -x /usr/sbin/nginx || { \
	  echo "installing Debian nginx (for the scale-out run)"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light || \
	   DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx); }

bench: setup chromium nginx
	$(BIN)/python -m explainer bench --out bench

clean:
	rm -rf $(VENV) build .pytest_cache
