# Two commands do everything:  `make lab`  and  `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
NBVAL := --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg

.PHONY: lab lab-pt test install notebooks navigation errata benchmark clean hub-link test-hub

## Create the virtual environment and install the pinned set (re-run when the pins change).
$(STAMP): requirements.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "Python 3.11 or newer is needed (found: $$($(PYTHON) --version 2>&1))."; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || \
		{ rm -rf $(VENV); echo "Could not create a virtual environment. On Debian/Ubuntu: sudo apt install python3-venv"; exit 1; }
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt -e .
	@touch $(STAMP)

install: $(STAMP)

## Open JupyterLab on the first notebook.
lab: $(STAMP)
	$(BIN)/jupyter lab $(if $(filter 0,$(shell id -u)),--allow-root) notebooks/00_start_here.ipynb

## Abre o JupyterLab no primeiro notebook da edição em português (the Portuguese edition).
lab-pt: $(STAMP)
	$(BIN)/jupyter lab $(if $(filter 0,$(shell id -u)),--allow-root) notebooks/pt/00_comece_aqui.ipynb

## Every test: the library's tests and every notebook's stored outputs (nbval), in one run.
test: $(STAMP)
	$(BIN)/python -m pytest $(NBVAL) --ignore=tests/hub tests notebooks

## Maintainers: bring each notebook and its Markdown twin in step (the edited file wins; KEEP=md or
## KEEP=ipynb to choose), regenerate the navigation, re-execute every notebook in a fresh kernel.
notebooks: $(STAMP)
	$(BIN)/python tools/notebooks.py sync $(if $(KEEP),--keep=$(KEEP))
	$(BIN)/python tools/navigation.py
	$(BIN)/python tools/notebooks.py execute

navigation: $(STAMP)
	$(BIN)/python tools/navigation.py

## Measure what attention costs: tables on screen, plot and README figures in benchmarks/out/ (< 3 min).
benchmark: $(STAMP)
	$(BIN)/python benchmarks/run.py

errata: $(STAMP)
	$(BIN)/python tools/make_errata.py

clean:
	rm -rf $(VENV) $(HUB_VENV) hub/node_modules

## Teaching a class on a JupyterHub (README): the nbgitpuller link, and the two-student hub test.
HUB_VENV := hub/.venv
HUB_STAMP := $(HUB_VENV)/.installed-stamp
HUB_PROXY := hub/node_modules/.bin/configurable-http-proxy

hub-link:
	@$(PYTHON) tools/hub_link.py $(if $(HUB),--hub '$(HUB)') $(if $(BRANCH),--branch '$(BRANCH)') \
		$(if $(REPO),--repo '$(REPO)') $(if $(NOTEBOOK),--notebook '$(NOTEBOOK)')

# A student's environment: the runtime set, the hub's pins and this library, nothing of the tests.
$(HUB_STAMP): requirements.txt requirements-hub.txt pyproject.toml tools/runtime_set.py $(wildcard selfattn_lib/*.py)
	@test -x $(HUB_VENV)/bin/python || $(PYTHON) -m venv $(HUB_VENV)
	$(PYTHON) tools/runtime_set.py > $(HUB_VENV)/runtime-requirements.txt
	$(HUB_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(HUB_VENV)/bin/python -m pip install --quiet -r $(HUB_VENV)/runtime-requirements.txt -r requirements-hub.txt
	$(HUB_VENV)/bin/python -m pip install --quiet --no-deps --force-reinstall .
	@touch $(HUB_STAMP)

$(HUB_PROXY): hub/package.json hub/package-lock.json
	npm ci --prefix hub --no-audit --no-fund --loglevel=error
	@touch $(HUB_PROXY)

test-hub: $(STAMP) $(HUB_STAMP) $(HUB_PROXY)
	$(BIN)/python -m pytest tests/hub
