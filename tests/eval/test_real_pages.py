"""The real-page evaluation set, crawled as a site: `scrapy crawl parknews` must meet the targets.

Runs where ../shared/eval/real exists (skipped elsewhere): serves the set's wrapper site on
127.0.0.1, crawls it with the real spider in a subprocess and scores the output lines against the
set's truth. Only our own figures are checked here; the peers are compared in `make eval`, which
needs the separate .venv-eval.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support import ROOT
from tools import evalrun
from tools.evalscore import format_comparison

EVAL_DIR = ROOT.parent / "shared" / "eval" / "real"

pytestmark = pytest.mark.skipif(
    not evalrun.eval_set_present(EVAL_DIR),
    reason=f"real-page evaluation set not available at {EVAL_DIR} (evaluation data, not shipped)",
)


@pytest.fixture(scope="module")
def evaluation(tmp_path_factory: pytest.TempPathFactory) -> Iterator[evalrun.Evaluation]:
    out_dir: Path = tmp_path_factory.mktemp("real-pages")
    yield evalrun.crawl_and_score(EVAL_DIR, out_dir)


def _table(evaluation: evalrun.Evaluation) -> str:
    return format_comparison({"parkcrawl (crawl)": evaluation.scores})


def test_the_crawl_finds_every_page_of_the_site(evaluation: evalrun.Evaluation) -> None:
    assert evaluation.crawl.returncode == 0, evaluation.crawl.last_error
    assert evaluation.matched.missing == [], "pages the crawl did not write"
    assert evaluation.matched.extra == [], "output lines that are not a page of the set"
    assert len(evaluation.matched.by_name) == evaluation.pages
    # The set is 31 pages over two list pages; a smaller site means the set changed under us.
    assert evaluation.pages == 31


def test_body_f1_is_above_the_best_peer(evaluation: evalrun.Evaluation) -> None:
    summary = evaluation.summary
    assert summary["body_pages"] == 28
    assert summary["body_f1"] is not None
    assert summary["body_f1"] >= evalrun.MIN_BODY_F1, _table(evaluation)


def test_every_title_is_right(evaluation: evalrun.Evaluation) -> None:
    wrong = [s.name for s in evaluation.scores if s.title_exact is False]
    assert evaluation.summary["title_pages"] == 8
    assert wrong == [], _table(evaluation)


def test_every_date_is_right(evaluation: evalrun.Evaluation) -> None:
    wrong = [s.name for s in evaluation.scores if s.date_exact is False]
    assert evaluation.summary["date_pages"] == 17
    assert wrong == [], _table(evaluation)
