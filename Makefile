# parkcrawl: `make demo` crawls the bundled demo site; `make test` runs the whole suite;
# `make eval` scores a crawl of ../shared/eval/real against trafilatura and GNE.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
# The peers of `make eval` live in their own venv, never in .venv.
EVAL_VENV := .venv-eval
EVAL_STAMP := $(EVAL_VENV)/.installed-stamp
EVAL_DIR ?= ../shared/eval/real

.PHONY: install demo test eval eval-install lint clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/parkcrawl demo

test: $(STAMP)
	$(PY) -m pytest

# pywb (archive replay) in a venv of its own: every pywb 2.8.4-2.10.0 pins redis==2.10.6, which
# scrapy-redis cannot share. tests/archive/test_pywb_replay.py uses (and creates) this venv.
PYWB_VENV := .venv-pywb
PYWB_STAMP := $(PYWB_VENV)/.installed-stamp

.PHONY: pywb-venv
pywb-venv: $(PYWB_STAMP)

$(PYWB_STAMP):
	$(PYTHON) -m venv $(PYWB_VENV)
	$(PYWB_VENV)/bin/python -m pip install --quiet 'pywb==2.10.0'
	echo '*' > $(PYWB_VENV)/.gitignore
	touch $(PYWB_STAMP)

$(EVAL_STAMP):
	$(PYTHON) -m venv $(EVAL_VENV)
	$(EVAL_VENV)/bin/python -m pip install --quiet 'trafilatura==2.3.1' 'gne==0.4.3' lxml_html_clean
	echo '*' > $(EVAL_VENV)/.gitignore
	touch $(EVAL_STAMP)

eval-install: $(EVAL_STAMP)

eval: $(STAMP) $(EVAL_STAMP)
	$(PY) -m parkcrawl.devtools.evalrun --eval-dir $(EVAL_DIR) --peer-python $(EVAL_VENV)/bin/python

clean:
	rm -rf $(VENV) $(EVAL_VENV) build *.egg-info .pytest_cache
