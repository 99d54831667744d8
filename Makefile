# Two commands do all the set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
SHARED_ICE := $(abspath $(or $(MAPCORE_SHARED_ICE),../shared/data/ice))
export MAPCORE_CACHE ?= $(abspath .cache)
PORT ?= 8501

.PHONY: run serve serve-deps build test test-fast lint format format-check bench geo snapshot browser-deps clean locale locale-texts

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test,bench,geo-build,video]'
	touch $(STAMP)

build: $(STAMP)
	$(VENV)/bin/mapcore build

# A failed build (ICE unreachable, a broken sheet) does not stop the app: it shows the last good
# dataset, or says what is missing.
# MALLOC_ARENA_MAX=2: each session's script runs in its own thread, and glibc's per-thread arenas
# otherwise keep memory after sessions close (make bench's soak: rss_growth_mb 155 -> 69 MB).
# The server refreshes the data itself, in the background (every MAPCORE_REFRESH_EVERY seconds, default 3600):
# readers are shown the dataset published last and never wait for ICE's page or a build.
# Production settings (no file watcher, no full collection after each run, ...): .streamlit/config.toml;
# mapcore.app.ui.server is `streamlit run app.py` with the app's hooks into Streamlit's server (README, Deploying).
run: $(STAMP)
	-$(VENV)/bin/mapcore refresh
	MALLOC_ARENA_MAX=2 $(PY) -m mapcore.app.ui.server --server.port $(PORT) --server.headless true

# HAProxy (Debian's package) in front of REPLICAS Streamlit processes, plus the one refresher (deploy/serve.py,
# docs/deploy.md). HOST=0.0.0.0 listens on every interface.
REPLICAS ?= 2
HOST ?= 127.0.0.1
serve: $(STAMP) serve-deps
	-$(VENV)/bin/mapcore refresh
	$(PY) deploy/serve.py --replicas $(REPLICAS) --port $(PORT) --host $(HOST)

# Debian's HAProxy for `make serve` and the tests that run it (skipped when already present).
serve-deps:
	@command -v haproxy >/dev/null 2>&1 || test -x /usr/sbin/haproxy || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq haproxy; }

# Debian's Chromium for the real-browser tests (skipped when already present).
browser-deps:
	@command -v chromium >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core; }

# Lint, types and the layer contract first (seconds), then the whole suite.
lint: $(STAMP) $(if $(filter yes,$(FORMAT_CHECK)),format-check)
	$(VENV)/bin/ruff check src pages app.py tests bench
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy

# The suite runs on every core (pytest-xdist; PYTEST_WORKERS=0 runs it in one process, e.g. to debug).
# --dist loadfile: a test file runs on one worker (its module fixtures made once); files with heavy tests are
# handed out first (tests/conftest.py, which also gives each worker its own MAPCORE_CACHE).
PYTEST_WORKERS ?= auto
PYTEST := MAPCORE_SHARED_ICE=$(SHARED_ICE) $(PY) -m pytest -q -p no:cacheprovider -n $(PYTEST_WORKERS) --dist loadfile --no-loadscope-reorder

# ruff format (configured in pyproject.toml, [tool.ruff.format]): `make format` rewrites the files, `make
# format-check` fails on any file it would change; `make lint` runs format-check first. Pages and app.py are left out:
# they are layout only, kept to 150 lines each by hand (tests/app/test_pages_are_layout.py).
FORMAT_CHECK := yes
FORMATTED := src tests bench
format: $(STAMP)
	$(VENV)/bin/ruff format $(FORMATTED)

format-check: $(STAMP)
	$(VENV)/bin/ruff format --check $(FORMATTED)

test: $(STAMP) lint browser-deps serve-deps
	$(PYTEST)

# The inner loop: everything but the real sheets, the browser, the wheel and the few slow tests.
test-fast: $(STAMP) lint
	$(PYTEST) -m "not acceptance and not browser and not wheel and not server and not slow"

# Measures the sheets in MAPCORE_SOURCE, else the team's (SHARED_ICE), else the bundled snapshot (saying
# which parts need sheets).
bench: $(STAMP) browser-deps
	MAPCORE_SHARED_ICE=$(SHARED_ICE) $(PY) bench/run.py

# The message catalogs of both gettext domains (src/mapcore/core/i18n.py), in one step:
# - domain mapcore (the interface: _, N_, ngettext): extract the template (kept as it is when only its date
#   would change, so an unchanged template never conflicts in a merge), merge it into each language's .po;
# - domain texts (About, Methodology, the state-law summaries of data/state_laws.csv): the same through
#   mapcore.cli.texts_catalog, whose sources are Babel's extraction mapping src/mapcore/locale/texts.cfg;
# then compile every .po into its committed .mo. Translate the new (empty) entries in es/LC_MESSAGES/*.po and
# run it again. Tests check that both templates are up to date, every entry translated, every .mo compiled.
LOCALE := src/mapcore/locale
LOCALE_LANGS := es
locale: $(STAMP)
	$(VENV)/bin/pybabel extract --no-default-keywords -k _ -k N_ -k ngettext:1,2 --sort-by-file --width 120 \
		--project mapcore --copyright-holder "the 287(g) agreements map" \
		-o $(LOCALE)/mapcore.pot.new src/mapcore app.py pages
	if diff -q -I '^"POT-Creation-Date: ' $(LOCALE)/mapcore.pot $(LOCALE)/mapcore.pot.new >/dev/null 2>&1; \
		then rm $(LOCALE)/mapcore.pot.new; else mv $(LOCALE)/mapcore.pot.new $(LOCALE)/mapcore.pot; fi
	for lang in $(LOCALE_LANGS); do \
		if [ -f $(LOCALE)/$$lang/LC_MESSAGES/mapcore.po ]; then \
			$(VENV)/bin/pybabel update -D mapcore -i $(LOCALE)/mapcore.pot -d $(LOCALE) -l $$lang --width 120 --no-fuzzy-matching; \
		else \
			$(VENV)/bin/pybabel init -D mapcore -i $(LOCALE)/mapcore.pot -d $(LOCALE) -l $$lang --width 120; \
		fi; \
	done
	for po in $(LOCALE)/*/LC_MESSAGES/mapcore.po; do $(VENV)/bin/pybabel compile -i $$po -o $${po%.po}.mo; done
	$(PY) -m mapcore.cli.texts_catalog

# The old name of the texts half: both domains are one step now.
locale-texts: locale

geo: $(STAMP)
	$(VENV)/bin/mapcore build-geo

# Rewrite the bundled snapshot (data/ice_snapshot) from a folder of all of ICE's sheets.
SHEETS ?= $(SHARED_ICE)
snapshot: $(STAMP)
	$(VENV)/bin/mapcore snapshot --source $(SHEETS) -o data/ice_snapshot

clean:
	rm -rf .cache .pytest_cache
