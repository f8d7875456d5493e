"""CrawlState and the feed file as components: an article is recorded only once its line is on
disk, never after a failed write, and only this crawl's lines are adopted after a crash."""

from __future__ import annotations

import json
import resource
from pathlib import Path
from typing import Any

import pytest
from scrapy import Spider
from scrapy import signals as scrapy_signals
from scrapy.utils.test import get_crawler

from parkcrawl import signals
from parkcrawl.feedstorage import SyncedFeedFile
from parkcrawl.items import Article
from parkcrawl.sites import SiteConfig
from parkcrawl.state import CrawlState
from parkcrawl.storage import ArticleStateStore

SITE = "http://park.test"


class SiteSpider(Spider):
    name = "parknews"
    sites = {None: SiteConfig(None, f"{SITE}/index.html", ("动态要闻", "园区信息"))}


def article(n: int) -> Article:
    return Article(url=f"{SITE}/a{n}.html", title=f"标题{n}", body=f"正文{n}",
                   content_hash=f"h{n}", fetched_at="2024-12-01T00:00:00Z")


def line(n: int, site: str = SITE) -> bytes:
    return (json.dumps({"url": f"{site}/a{n}.html", "title": f"标题{n}", "body": f"正文{n}",
                        "content_hash": f"h{n}", "fetched_at": "t"}, ensure_ascii=False)
            + "\n").encode()


def make_state(tmp_path: Path, **settings: Any) -> tuple[Any, CrawlState, Spider]:
    feed = tmp_path / "out.jsonl"
    crawler = get_crawler(SiteSpider, {
        "PARKCRAWL_STATE_DIR": str(tmp_path / "state"),
        "FEEDS": {str(feed): {"format": "jsonlines"}},
        # the test writes the feed itself (SyncedFeedFile); Scrapy's exporter stays out
        "EXTENSIONS": {"scrapy.extensions.feedexport.FeedExporter": None},
        **settings,
    })
    state = CrawlState.from_crawler(crawler)
    spider = SiteSpider()
    crawler.spider = spider
    return crawler, state, spider


def recorded(tmp_path: Path) -> set[str]:
    with ArticleStateStore(tmp_path / "state") as store:
        return {row[0] for row in store.db.execute("SELECT url FROM article")}


def test_articles_are_recorded_after_the_feed_is_synced(tmp_path: Path) -> None:
    crawler, state, spider = make_state(tmp_path, PARKCRAWL_STATE_SYNC_BATCH=2,
                                        PARKCRAWL_STATE_SYNC_INTERVAL=3600)
    crawler.signals.send_catch_log(scrapy_signals.spider_opened, spider=spider)
    feed = SyncedFeedFile(tmp_path / "out.jsonl", append=True)
    crawler.signals.send_catch_log(signals.feed_file_opened, file=feed)
    feed.write(line(1))
    crawler.signals.send_catch_log(scrapy_signals.item_scraped, item=article(1), spider=spider)
    assert state.pending and not state.store.contains("park.test/a1.html")  # not yet synced
    feed.write(line(2))
    crawler.signals.send_catch_log(scrapy_signals.item_scraped, item=article(2), spider=spider)
    assert state.pending == []  # the batch of 2 was synced and recorded
    assert crawler.stats.get_value("parkcrawl/state/recorded") == 2
    feed.close()
    crawler.signals.send_catch_log(scrapy_signals.spider_closed, spider=spider, reason="finished")
    assert recorded(tmp_path) == {f"{SITE}/a1.html", f"{SITE}/a2.html"}


def test_an_article_whose_write_failed_is_never_recorded(tmp_path: Path) -> None:
    crawler, state, spider = make_state(tmp_path)
    crawler.signals.send_catch_log(scrapy_signals.spider_opened, spider=spider)
    feed = SyncedFeedFile(tmp_path / "out.jsonl", append=True)
    crawler.signals.send_catch_log(signals.feed_file_opened, file=feed)
    feed.write(line(1))
    crawler.signals.send_catch_log(scrapy_signals.item_scraped, item=article(1), spider=spider)
    feed.error = OSError(28, "No space left on device")  # as a failed write leaves it
    crawler.signals.send_catch_log(scrapy_signals.item_scraped, item=article(2), spider=spider)
    crawler.signals.send_catch_log(scrapy_signals.spider_closed, spider=spider, reason="finished")
    feed.close()
    # the sync raises the write error: neither is recorded; the next run adopts line 1 from the
    # file and fetches article 2 again
    assert recorded(tmp_path) == set()


def test_only_this_crawls_lines_are_adopted_after_a_crash(tmp_path: Path) -> None:
    (tmp_path / "out.jsonl").write_bytes(
        line(1) + line(9, "http://127.0.0.1:8000") + line(2) + b'{"url": "torn'
    )
    crawler, state, spider = make_state(tmp_path)
    crawler.signals.send_catch_log(scrapy_signals.spider_opened, spider=spider)
    assert {key for key in ("park.test/a1.html", "park.test/a2.html") if state.known(
        f"http://{key}")} == {"park.test/a1.html", "park.test/a2.html"}
    assert not state.known("http://127.0.0.1:8000/a9.html")
    assert crawler.stats.get_value("parkcrawl/state/recovered_from_output") == 2
    assert crawler.stats.get_value("parkcrawl/state/foreign_lines_skipped") == 1
    crawler.signals.send_catch_log(scrapy_signals.spider_closed, spider=spider, reason="finished")


def test_an_unusable_state_is_reported_not_ignored(tmp_path: Path) -> None:
    (tmp_path / "state").mkdir()
    (tmp_path / "state" / "articles.sqlite3").write_bytes(b"SQLite format 2\0" + b"\xff" * 4000)
    crawler, state, spider = make_state(tmp_path)
    crawler.signals.send_catch_log(scrapy_signals.spider_opened, spider=spider)
    assert state.unusable_reason is not None
    assert "is not a usable parkcrawl state" in state.unusable_reason
    assert not state.opened


def test_a_write_past_a_file_size_limit_is_cut_back_to_whole_lines(tmp_path: Path) -> None:
    path = tmp_path / "out.jsonl"
    failures: list[tuple[Path, OSError]] = []
    feed = SyncedFeedFile(path, append=True, on_error=lambda p, exc: failures.append((p, exc)))
    feed.write(b'{"a": 1}\n')
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    resource.setrlimit(resource.RLIMIT_FSIZE, (20, hard))  # Python ignores SIGXFSZ: EFBIG
    try:
        with pytest.raises(OSError, match="File too large"):
            feed.write(b'{"b": "' + b"x" * 40 + b'"}\n')  # 11 bytes fit, then EFBIG
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
    assert path.read_bytes() == b'{"a": 1}\n'  # the partial line was cut off
    assert [p for p, _ in failures] == [path]
    with pytest.raises(OSError):
        feed.write(b'{"c": 3}\n')  # never append after a hole
    with pytest.raises(OSError):
        feed.sync()
    feed.close()
    assert path.read_bytes() == b'{"a": 1}\n'


def test_an_article_not_in_the_archive_is_not_known_until_a_run_archives_it(tmp_path: Path) -> None:
    """What WarcArchive tells the state: an article recorded while its response could not be
    archived is fetched again by later runs (known() is False) until one archives it."""

    def run(archive: dict[int, bool]) -> CrawlState:
        crawler, state, spider = make_state(tmp_path)
        crawler.signals.send_catch_log(scrapy_signals.spider_opened, spider=spider)
        feed = SyncedFeedFile(tmp_path / "out.jsonl", append=True)
        crawler.signals.send_catch_log(signals.feed_file_opened, file=feed)
        for n, archived in archive.items():
            (state.archived if archived else state.not_archived)(f"{SITE}/a{n}.html")
            if not state.store.contains(f"park.test/a{n}.html"):
                feed.write(line(n))
                crawler.signals.send_catch_log(scrapy_signals.item_scraped, item=article(n),
                                               spider=spider)
        feed.close()
        crawler.signals.send_catch_log(scrapy_signals.spider_closed, spider=spider, reason="finished")
        return state

    def known(n: int) -> bool:
        crawler, state, spider = make_state(tmp_path)
        crawler.signals.send_catch_log(scrapy_signals.spider_opened, spider=spider)
        try:
            return state.known(f"{SITE}/a{n}.html")
        finally:
            crawler.signals.send_catch_log(scrapy_signals.spider_closed, spider=spider,
                                           reason="finished")

    run({1: True, 2: False, 3: False})  # the archive failed at the second article
    assert recorded(tmp_path) == {f"{SITE}/a1.html", f"{SITE}/a2.html", f"{SITE}/a3.html"}
    assert [known(n) for n in (1, 2, 3)] == [True, False, False]
    run({2: True})  # a later run archives one of them; its line is not written again
    assert [known(n) for n in (1, 2, 3)] == [True, True, False]
    assert (tmp_path / "out.jsonl").read_bytes().count(b"\n") == 3


def test_an_unreadable_list_of_unarchived_articles_is_ignored_not_fatal(tmp_path: Path) -> None:
    with ArticleStateStore(tmp_path / "state") as store:
        store.set_meta("unarchived", "{not json")
        store.set_meta("walk_complete", "1")
    crawler, state, spider = make_state(tmp_path)
    crawler.signals.send_catch_log(scrapy_signals.spider_opened, spider=spider)
    assert state.opened and state.unusable_reason is None
    assert state.unarchived == set()
    # the state was opened all the way (what follows the list's reading ran)
    assert state.previous_walk_complete and state.store.get_meta("walk_complete") == "0"
    crawler.signals.send_catch_log(scrapy_signals.spider_closed, spider=spider, reason="finished")
