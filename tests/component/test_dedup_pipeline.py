"""DeduplicatePipeline as a component: within a run, and across runs through the real state."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from scrapy import Spider
from scrapy import signals as scrapy_signals
from scrapy.utils.test import get_crawler

from parkcrawl.extract.fingerprint import content_hash
from parkcrawl.items import Article
from parkcrawl.pipelines import DeduplicatePipeline, DropArticle
from parkcrawl.state import CrawlState

BODY = "园区召开年度安全生产工作会议，部署今冬明春重点任务。会议要求各企业压实主体责任。"


def article(url: str, title: str = "园区召开安全生产会议", body: str = BODY) -> Article:
    return Article(url=url, title=title, body=body, content_hash=content_hash(title, body),
                   fetched_at="2024-12-01T00:00:00Z")


def pipeline(tmp_path: Path | None = None) -> tuple[DeduplicatePipeline, Any, Any]:
    settings: dict[str, Any] = {
        "EXTENSIONS": {"scrapy.extensions.feedexport.FeedExporter": None},
        "PARKCRAWL_STATE_ENABLED": tmp_path is not None,
    }
    if tmp_path is not None:
        settings["PARKCRAWL_STATE_DIR"] = str(tmp_path / "state")
    crawler = get_crawler(Spider, settings)
    state = CrawlState.from_crawler(crawler) if tmp_path is not None else None
    if state is not None:
        crawler.extensions.middlewares = (*crawler.extensions.middlewares, state)
    dedup = DeduplicatePipeline.from_crawler(crawler)
    spider = Spider(name="parknews")
    crawler.spider = spider
    crawler.signals.send_catch_log(scrapy_signals.spider_opened, spider=spider)
    return dedup, crawler, state


def reason(dedup: DeduplicatePipeline, item: Article) -> str | None:
    try:
        dedup.process_item(item)
    except DropArticle as exc:
        return exc.reason
    return None


@pytest.mark.parametrize(
    ("second", "expected"),
    [
        # the same article through another list page, with a tracking parameter
        (article("http://park.test/a1.html?spm=3"), "duplicate url"),
        # the same text at another URL (a copy in another column)
        (article("http://park.test/b7.html"), "duplicate content"),
        # a near copy: the same title, one character of the body changed
        (article("http://park.test/b8.html", body=BODY.replace("今冬", "本冬")), "near duplicate"),
        # another article altogether
        (article("http://park.test/c1.html", title="园区举办招聘会", body="招聘会吸引百余家企业。"),
         None),
    ],
)
def test_within_a_run(second: Article, expected: str | None) -> None:
    dedup, crawler, _ = pipeline()
    assert reason(dedup, article("http://park.test/a1.html")) is None
    assert reason(dedup, second) == expected


def test_across_runs_unchanged_and_changed(tmp_path: Path) -> None:
    dedup, crawler, state = pipeline(tmp_path)
    first = dedup.process_item(article("http://park.test/a1.html"))
    state.pending.append(first)
    state.feed_files = []
    state.flush()  # recorded as a run does after its line is written
    crawler.signals.send_catch_log(scrapy_signals.spider_closed, spider=crawler.spider,
                                   reason="finished")

    dedup, crawler, state = pipeline(tmp_path)  # the next run
    assert reason(dedup, article("http://park.test/a1.html")) == "unchanged"
    edited = dedup.process_item(article("http://park.test/a1.html?from=home", body=BODY + "更正。"))
    assert (edited.revision, edited.first_seen_at) == (2, "2024-12-01T00:00:00Z")
    assert crawler.stats.get_value("parkcrawl/dedup/unchanged") == 1
    assert crawler.stats.get_value("parkcrawl/dedup/changed") == 1
    crawler.signals.send_catch_log(scrapy_signals.spider_closed, spider=crawler.spider,
                                   reason="finished")
