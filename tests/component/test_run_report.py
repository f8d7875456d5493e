"""RunReport as a component (scrapy.utils.test.get_crawler): the verdict that sets the exit status."""

from __future__ import annotations

import signal
from typing import Any

import pytest
from scrapy import Spider
from scrapy import signals as scrapy_signals
from scrapy.utils.test import get_crawler

from parkcrawl import signals
from parkcrawl.extensions import FAILURE_STAT, INTERRUPTED_STAT, RunReport, summary_lines
from parkcrawl.items import Article
from parkcrawl.pipelines import DropArticle


class WalkedSpider(Spider):
    """What RunReport reads of the parknews spider, set by each test."""

    name = "parknews"
    failure: str | None = None
    list_pages = 3
    articles_listed = 30
    lost_list_pages: list[dict[str, str]] = []


def run_report(tmp_path: Any = None) -> tuple[Any, RunReport, WalkedSpider]:
    crawler = get_crawler(WalkedSpider, {"PARKCRAWL_RUNS_DIR": str(tmp_path) if tmp_path else ""})
    report = RunReport.from_crawler(crawler)
    spider = WalkedSpider()
    spider.lost_list_pages = []
    crawler.spider = spider
    return crawler, report, spider


def scraped(crawler: Any, spider: Spider, n: int, revision: int = 1) -> None:
    for i in range(n):
        item = Article(url=f"http://park.test/a{i}.html", revision=revision)
        crawler.signals.send_catch_log(
            scrapy_signals.item_scraped, item=item, response=None, spider=spider
        )


def dropped(crawler: Any, spider: Spider, reason: str, n: int = 1) -> None:
    for i in range(n):
        crawler.signals.send_catch_log(
            scrapy_signals.item_dropped, item=Article(url=f"http://park.test/d{i}.html"),
            response=None, exception=DropArticle(reason), spider=spider,
        )


def close(crawler: Any, spider: Spider, reason: str = "finished") -> dict:
    crawler.signals.send_catch_log(scrapy_signals.spider_closed, spider=spider, reason=reason)
    return crawler.stats.get_value(FAILURE_STAT)


def test_a_finished_run_with_articles_is_no_failure() -> None:
    crawler, report, spider = run_report()
    scraped(crawler, spider, 29)
    dropped(crawler, spider, "unchanged", 3)  # expected outcomes, not failures
    assert close(crawler, spider) is None
    result = report.report(spider, "finished")
    assert result["articles_written"] == 29
    assert result["articles"]["unchanged"] == 3 and result["dropped"] == []
    assert crawler.stats.get_value("parkcrawl/dropped/unchanged") is None


@pytest.mark.parametrize(
    ("written", "failed", "says"),
    [
        # every article page defeated extraction: the layout changed
        (0, 5, "no articles extracted from the section"),
        # a third of the pages failed: above the default share of 20 %
        (10, 5, "5 of 15 article pages failed extraction (more than 20%)"),
    ],
)
def test_extraction_failures_fail_the_run(written: int, failed: int, says: str) -> None:
    crawler, _, spider = run_report()
    scraped(crawler, spider, written)
    dropped(crawler, spider, "no body found", failed)
    assert says in close(crawler, spider)
    assert crawler.stats.get_value("parkcrawl/dropped/no_body_found") == failed


def test_a_share_of_failures_within_the_limit_passes() -> None:
    crawler, _, spider = run_report()
    scraped(crawler, spider, 20)
    dropped(crawler, spider, "no title found", 4)  # 4 of 24 = 17 %
    assert close(crawler, spider) is None


def test_list_pages_without_articles_fail_the_run() -> None:
    crawler, _, spider = run_report()
    spider.articles_listed = 0
    assert "no articles found on the section's list pages" in close(crawler, spider)


def test_a_lost_list_page_fails_the_run_and_is_named() -> None:
    crawler, _, spider = run_report()
    scraped(crawler, spider, 12)
    spider.lost_list_pages = [{"url": "http://park.test/list_2.html", "reason": "timeout"}]
    failure = close(crawler, spider)
    assert "list page http://park.test/list_2.html could not be read (timeout)" in failure


def test_the_spiders_own_failure_wins() -> None:
    crawler, _, spider = run_report()
    scraped(crawler, spider, 29)
    spider.failure = "cannot write the output file out.jsonl: No space left on device (errno 28)"
    assert close(crawler, spider, "output_failed") == spider.failure


def test_after_an_output_failure_articles_are_not_counted_as_written() -> None:
    crawler, report, spider = run_report()
    scraped(crawler, spider, 4)
    crawler.signals.send_catch_log(signals.output_failed, path="out.jsonl", error=OSError(28, "x"))
    scraped(crawler, spider, 3)
    assert report.report(spider, "output_failed")["articles_written"] == 4


def test_an_interrupted_run_is_no_verdict_on_the_site_but_says_so() -> None:
    crawler, report, spider = run_report()
    scraped(crawler, spider, 5)
    previous = signal.getsignal(signal.SIGINT)
    seen: list[int] = []
    signal.signal(signal.SIGINT, lambda signum, frame: seen.append(signum))
    try:
        crawler.signals.send_catch_log(scrapy_signals.engine_started)
        signal.raise_signal(signal.SIGINT)  # the handler Scrapy installed still runs
    finally:
        signal.signal(signal.SIGINT, previous)
    assert seen == [signal.SIGINT]
    assert crawler.stats.get_value(INTERRUPTED_STAT) == signal.SIGINT
    assert close(crawler, spider, "shutdown") is None
    result = report.report(spider, "shutdown")
    assert result["interrupted"] == "SIGINT"
    assert any(line.startswith("INTERRUPTED by SIGINT") for line in summary_lines(result))


def test_the_report_is_written_as_json(tmp_path: Any) -> None:
    crawler, _, spider = run_report(tmp_path)
    scraped(crawler, spider, 2, revision=2)
    close(crawler, spider)
    (written,) = tmp_path.glob("*.json")
    text = written.read_text("utf-8")
    assert '"changed": 2' in text and '"failure": null' in text
    assert '"exit_status": 0' in text and '"articles_per_month": {\n    "no date": 2' in text
    # the same report as a page beside it (PARKCRAWL_HTML_REPORT_ENABLED, on by default)
    assert written.with_suffix(".html").read_text("utf-8").startswith("<!DOCTYPE html>")


def test_a_failed_runs_report_says_exit_1(tmp_path: Any) -> None:
    crawler, _, spider = run_report(tmp_path)
    spider.articles_listed = 0
    close(crawler, spider)
    (written,) = tmp_path.glob("*.json")
    assert '"exit_status": 1' in written.read_text("utf-8")
