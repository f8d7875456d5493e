"""WarcArchive's end-of-run WACZ as a component (get_crawler): written, counted, or the run fails."""

from __future__ import annotations

import json
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from scrapy import Spider
from scrapy import signals as scrapy_signals
from scrapy.utils.test import get_crawler

from parkcrawl.archive.extension import WarcArchive
from parkcrawl.archive.warc import Exchange
from parkcrawl.items import Article

WHEN = datetime(2024, 12, 13, 9, 0, 0, 250000, tzinfo=UTC)
URL = "http://park.test/dtyw/yqxx/202412/t20241213_1.html"


class ArchivedSpider(Spider):
    name = "parknews"
    failure: str | None = None


def crawl(tmp_path: Path, *, wacz: bool, block: bool = False) -> tuple[Any, ArchivedSpider]:
    """One article archived and scraped, then the spider closed."""
    settings = {"PARKCRAWL_WARC_DIR": str(tmp_path), "PARKCRAWL_WACZ_ENABLED": wacz}
    crawler = get_crawler(ArchivedSpider, settings)
    archive = WarcArchive.from_crawler(crawler)
    spider = ArchivedSpider()
    crawler.spider = spider
    writer = archive._writer(spider)
    writer.timestamp = "20241213090000"  # the run's start, fixed so the file names are known
    if block:
        # a folder where the WACZ file must go: the rename fails
        (tmp_path / "parknews-20241213090000.wacz").mkdir(parents=True)
    writer.write(Exchange(
        url=URL, method="GET", request_headers=[], request_body=b"", status=200,
        response_headers=[(b"Content-Type", b"text/html; charset=utf-8")],
        body="<html><head><title>园区信息</title></head><body><h1>园区信息</h1></body></html>".encode(),
        kind="article", fetched_at=WHEN,
    ))
    item = Article(url=URL, title="园区召开年度工作会议", published_at="2024-12-13")
    crawler.signals.send_catch_log(scrapy_signals.item_scraped, item=item, response=None,
                                   spider=spider)
    crawler.signals.send_catch_log(scrapy_signals.spider_closed, spider=spider, reason="finished")
    return crawler, spider


def test_the_run_writes_its_wacz_with_the_scraped_titles(tmp_path: Path) -> None:
    crawler, spider = crawl(tmp_path, wacz=True)
    wacz = tmp_path / "parknews-20241213090000.wacz"
    assert crawler.stats.get_value("parkcrawl/wacz/path") == str(wacz)
    assert crawler.stats.get_value("parkcrawl/wacz/pages") == 1
    assert crawler.stats.get_value("parkcrawl/wacz/uncaptured") is None
    with zipfile.ZipFile(wacz) as package:
        _, line = package.read("pages/pages.jsonl").decode("utf-8").splitlines()
        names = sorted(package.namelist())
    page = json.loads(line)
    # the feed's title, not the page's <title>
    assert (page["url"], page["ts"], page["title"], page["published_at"]) == (
        URL, "2024-12-13T09:00:00Z", "园区召开年度工作会议", "2024-12-13")
    assert names == ["archive/parknews-20241213090000-00000.warc.gz", "datapackage-digest.json",
                     "datapackage.json", "indexes/index.cdx.gz", "indexes/index.idx",
                     "pages/pages.jsonl"]
    assert spider.failure is None


def test_off_by_default_no_wacz(tmp_path: Path) -> None:
    crawler = get_crawler(ArchivedSpider, {"PARKCRAWL_WARC_DIR": str(tmp_path)})
    assert WarcArchive.from_crawler(crawler).wacz is False
    crawler, _ = crawl(tmp_path, wacz=False)
    assert list(tmp_path.glob("*.wacz")) == []
    assert crawler.stats.get_value("parkcrawl/wacz/path") is None


def test_a_wacz_that_cannot_be_written_fails_the_run(tmp_path: Path) -> None:
    crawler, spider = crawl(tmp_path, wacz=True, block=True)
    assert crawler.stats.get_value("parkcrawl/wacz/write_failed") == 1
    assert crawler.stats.get_value("parkcrawl/stopped/archive_failed") == 1
    assert spider.failure is not None
    assert spider.failure.startswith(f"cannot write the WACZ file in {tmp_path}: ")
    # the WARC file is whole and no temporary file is left
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == [
        "parknews-20241213090000-00000.cdxj", "parknews-20241213090000-00000.warc.gz"]
