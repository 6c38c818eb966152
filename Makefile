# Two commands do everything:  `make lab`  and  `make test`  (`make help` lists every target).
# Any supported Python (3.11, 3.12, 3.13): `make test PYTHON=python3.12` uses its own .venv-3.12.
PYTHON ?= python3
.DEFAULT_GOAL := help

# The Python is checked before anything else, so a missing or too old one gets one sentence, not
# shell errors (the targets that need no Python skip the check).
NO_PYTHON_GOALS := help clean hub-link
ifneq ($(filter-out $(NO_PYTHON_GOALS),$(or $(MAKECMDGOALS),$(.DEFAULT_GOAL))),)
PYTHON_VERSION := $(shell $(PYTHON) -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null)
ifeq ($(PYTHON_VERSION),)
$(error $(PYTHON) was not found: install Python 3.11, 3.12 or 3.13 (python.org, or your system's packages), or name an installed one, e.g. make lab PYTHON=python3.12)
endif
ifneq ($(shell $(PYTHON) -c 'import sys; print(sys.version_info >= (3, 11))' 2>/dev/null),True)
$(error $(PYTHON) is Python $(PYTHON_VERSION), too old for the course: install Python 3.11, 3.12 or 3.13, or name it, e.g. make lab PYTHON=python3.12)
endif
endif

ifeq ($(origin PYTHON),command line)
VENV ?= .venv-$(PYTHON_VERSION)
else
VENV ?= .venv
endif
BIN := $(VENV)/bin
# Two stamps: the learner's set (`make lab`), then the test tools on top (`make test`).
LAB_STAMP := $(VENV)/.lab-stamp
STAMP := $(VENV)/.installed-stamp
NBVAL := --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg
# Test files run side by side on every core (pytest-xdist), each file whole in one worker: a
# notebook's cells run in order in one kernel, and the browser test keeps its one JupyterLab.
# WORKERS=1 runs everything in one process.
WORKERS ?= auto
PARALLEL := $(if $(filter 1,$(WORKERS)),,-n $(WORKERS) --dist loadfile)
# The website's page scripts (MathJax), pinned in site/package-lock.json (`make site`, tests/test_site.py).
SITE_NPM := site/node_modules/.package-lock.json

# The lock: every package of every requirements/*.in file, with hashes, valid on 3.11 to 3.13.
# requirements.txt: the learner's set (requirements/notebooks.in) taken from that lock, with hashes.
LOCK := requirements/lock.txt
LEARNER := requirements.txt
DIRECT := $(sort $(wildcard requirements/*.in))
OLDEST_PYTHON := 3.11
BINDER_PYTHON = $(patsubst python-%,%,$(strip $(file < binder/runtime.txt)))
# Tools pinned here, never installed on Binder: the lock's resolver, and the Binder checker.
UV := uv==0.13.9
REPO2DOCKER := jupyter-repo2docker==2026.4.0
LOCK_VENV := .venv-lock
PIP := $(BIN)/python -m pip install --quiet --disable-pip-version-check

# `$(call step,what,command)`: one line per install step, saying how long it took.
step = @printf '%s ... ' "$(1)"; start=$$(date +%s); $(2) && echo "done in $$(( $$(date +%s) - start )) s"

# JupyterLab as a learner gets it, rooted at the repository (so a notebook's links to ../GLOSSARIO.md
# or ../00_start_here.ipynb resolve), one workspace per edition (make lab-pt never reopens the English
# tabs). Everything else a learner's JupyterLab needs comes with the environment: jupyter-config/.
LAB := $(BIN)/jupyter lab $(if $(filter 0,$(shell id -u)),--allow-root) --ServerApp.root_dir=.
open = --LabApp.default_url=/lab/workspaces/$(1)/tree/$(2)

.PHONY: help lab lab-pt test test-core lint install lock binder-tools binder-launch notebooks navigation errata \
	benchmark clean hub-link test-hub site

## List the targets.
help:
	@echo "make lab       open JupyterLab on the first notebook (the first run installs the learner's packages)"
	@echo "make lab-pt    the same, Portuguese edition (abre a edição em português)"
	@echo "make test      install the test tools too, then run every test (library, notebooks, browser)"
	@awk '/^## /{doc = doc (doc ? " " : "") substr($$0, 4); next} \
		/^[a-z][a-z-]*:/{split($$0, t, ":"); if (doc && t[1] !~ /^(lab|lab-pt|test|help)$$/) \
		printf "make %-12s %s\n", t[1], doc} {doc = ""}' $(firstword $(MAKEFILE_LIST))
	@echo "Any target takes PYTHON=python3.12 (or another 3.11-3.13): each Python gets its own .venv-3.x."

# The learner's set, hashes checked; this package editable, so an edit to selfattn_lib/ shows at once.
# An editable install leaves out the package's data files (jupyter-config/): tools/lab_settings.py
# puts them where a wheel puts them (read from the same table in pyproject.toml).
$(LAB_STAMP): $(LEARNER) pyproject.toml $(shell find jupyter-config -type f) tools/lab_settings.py
	@test -x $(BIN)/python || { printf 'Creating the environment $(VENV) (%s) ... ' "$$($(PYTHON) --version)"; \
		start=$$(date +%s); $(PYTHON) -m venv $(VENV) && echo "done in $$(( $$(date +%s) - start )) s"; } || \
		{ rm -rf $(VENV); echo "Could not create a virtual environment. On Debian/Ubuntu: sudo apt install python3-venv"; exit 1; }
	$(call step,Installing the learner's packages from $(LEARNER) (about 2 minutes the first time),\
		$(PIP) --require-hashes -r $(LEARNER))
	$(call step,Installing selfattn_lib and the course's JupyterLab settings,\
		$(PIP) --no-deps -e . > $(VENV)/pip-editable.log 2>&1 && $(BIN)/python tools/lab_settings.py install)
	@touch $(LAB_STAMP)

## Install everything: the learner's set, then the test tools from the lock (`make test` does it too).
install: $(STAMP)
$(STAMP): $(LAB_STAMP) $(LOCK)
	$(call step,Installing the test tools from $(LOCK),$(PIP) --require-hashes -r $(LOCK))
	@touch $(STAMP)

## Open JupyterLab on the first notebook.
lab: $(LAB_STAMP)
	$(LAB) $(call open,selfattn-en,notebooks/00_start_here.ipynb)

## Abre o JupyterLab no primeiro notebook da edição em português (the Portuguese edition).
lab-pt: $(LAB_STAMP)
	$(LAB) $(call open,selfattn-pt,notebooks/pt/00_comece_aqui.ipynb)

## Every test: the library's tests and every notebook's stored outputs (nbval), in one run
## (tests/test_site.py builds the website and opens every page in chromium: about a minute).
test: $(STAMP) $(SITE_NPM)
	$(BIN)/python -m pytest $(PARALLEL) $(NBVAL) --ignore=tests/hub tests notebooks

## The library's tests and nbval, without the browser and Binder checks (CI's run on the other Pythons).
test-core: $(STAMP)
	$(BIN)/python -m pytest $(PARALLEL) $(NBVAL) tests notebooks --ignore=tests/hub --ignore=tests/test_browser.py \
		--ignore=tests/test_binder.py --ignore=tests/test_lab_setup.py \
		--ignore=tests/test_site.py

## Lint and format check (ruff, configured in pyproject.toml), as CI runs them.
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

## Maintainers: after editing requirements/*.in, re-lock (keeps every other version; UPGRADE=--upgrade moves all).
## Writes requirements/lock.txt (everything), requirements.txt (the learner's set; both with hashes) and
## binder/requirements.txt (the learner's set, plain pins).
lock:
	@test -x $(LOCK_VENV)/bin/uv || { $(PYTHON) -m venv $(LOCK_VENV) && $(LOCK_VENV)/bin/python -m pip install --quiet $(UV); }
	$(LOCK_VENV)/bin/uv pip compile --quiet --universal --python-version $(OLDEST_PYTHON) --generate-hashes \
		--custom-compile-command "make lock" $(UPGRADE) $(DIRECT) -o $(LOCK)
	$(LOCK_VENV)/bin/uv pip compile --quiet --universal --python-version $(OLDEST_PYTHON) --generate-hashes \
		--custom-compile-command "make lock" -c $(LOCK) requirements/notebooks.in -o $(LEARNER)
	$(LOCK_VENV)/bin/uv pip compile --quiet --python-version $(BINDER_PYTHON) --python-platform linux \
		--no-header --no-annotate -c $(LOCK) requirements/notebooks.in -o binder/requirements.txt.new
	@{ echo "# Generated by \`make lock\` from requirements/notebooks.in and requirements/lock.txt: do not edit."; \
	   echo "# What a learner needs at run time, as plain pins (no -r, no -e: repo2docker then installs them"; \
	   echo "# before copying the repository, and caches the layer). binder/postBuild installs this package."; \
	   cat binder/requirements.txt.new; } > binder/requirements.txt
	@rm -f binder/requirements.txt.new

## The Binder checker (repo2docker; uv builds the simulated base environment), pinned here, beside the tests, never on Binder.
binder-tools: $(STAMP)
	$(BIN)/python -m pip install --quiet $(REPO2DOCKER) $(UV)

## A Binder launch without Docker: repo2docker's base environment, binder/ on top, the server, a browser (~3 min).
binder-launch: binder-tools
	$(BIN)/python -m pytest --binder-launch tests/test_binder_launch.py

## Maintainers: bring each notebook and its Markdown twin in step (the edited file wins; KEEP=md or
## KEEP=ipynb to choose), regenerate the navigation, re-execute every notebook in a fresh kernel.
notebooks: $(STAMP)
	$(BIN)/python tools/notebooks.py sync $(if $(KEEP),--keep=$(KEEP))
	$(BIN)/python tools/navigation.py
	$(BIN)/python tools/notebooks.py execute

## Maintainers: rewrite the notebooks' navigation cells and the README's list of notebooks.
navigation: $(STAMP)
	$(BIN)/python tools/navigation.py

## Measure what attention costs: tables on screen, plot and figures in benchmarks/out/ (< 3 min).
benchmark: $(STAMP)
	$(BIN)/python benchmarks/run.py

## Maintainers: rewrite ERRATA.md from selfattn_lib/audit.py.
errata: $(STAMP)
	$(BIN)/python tools/make_errata.py

## Remove this Python's environment (and the hub test's).
clean:
	rm -rf $(VENV) $(HUB_VENV) hub/node_modules site/node_modules build/site build/site-src build/site-work

# The website's page scripts, as the lock in site/ names them.
$(SITE_NPM): site/package.json site/package-lock.json
	npm ci --prefix site --no-audit --no-fund --loglevel=error
	@touch $(SITE_NPM)

## The course website, both editions, from the stored outputs: build/site/ (README "The course website").
## HUB=https://hub.example.edu points every page's JupyterHub button at that hub.
site: $(STAMP) $(SITE_NPM)
	$(if $(HUB),SELFATTN_HUB='$(HUB)') $(BIN)/python tools/site.py

# Teaching a class on a JupyterHub (README): the nbgitpuller link, and the two-student hub test.
HUB_VENV := hub/.venv
HUB_STAMP := $(HUB_VENV)/.installed-stamp
HUB_PROXY := hub/node_modules/.bin/configurable-http-proxy

## The nbgitpuller link for a class: make hub-link HUB=https://hub.example.edu (BRANCH=, NOTEBOOK=, REPO=).
hub-link:
	@$(PYTHON) tools/hub_link.py $(if $(HUB),--hub '$(HUB)') $(if $(BRANCH),--branch '$(BRANCH)') \
		$(if $(REPO),--repo '$(REPO)') $(if $(NOTEBOOK),--notebook '$(NOTEBOOK)')

# A student's environment: the runtime set, the hub's pins and this library, nothing of the tests.
$(HUB_STAMP): binder/requirements.txt requirements-hub.txt pyproject.toml tools/runtime_set.py $(wildcard selfattn_lib/*.py) \
		$(wildcard selfattn_lib/explorer/*) \
		$(shell find jupyter-config -type f)
	@test -x $(HUB_VENV)/bin/python || $(PYTHON) -m venv $(HUB_VENV)
	$(PYTHON) tools/runtime_set.py > $(HUB_VENV)/runtime-requirements.txt
	$(HUB_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(HUB_VENV)/bin/python -m pip install --quiet -r $(HUB_VENV)/runtime-requirements.txt -r requirements-hub.txt
	$(HUB_VENV)/bin/python -m pip install --quiet --no-deps --force-reinstall .
	@touch $(HUB_STAMP)

$(HUB_PROXY): hub/package.json hub/package-lock.json
	npm ci --prefix hub --no-audit --no-fund --loglevel=error
	@touch $(HUB_PROXY)

## The two-student JupyterHub test (README, "Teaching a class"; about 10 minutes).
test-hub: $(STAMP) $(HUB_STAMP) $(HUB_PROXY)
	$(BIN)/python -m pytest tests/hub
