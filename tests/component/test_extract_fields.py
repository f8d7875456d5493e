"""The page stage as a component: the schema 1.3 fields land on the item."""

from __future__ import annotations

from typing import Any

import pytest
from scrapy import Spider
from scrapy.utils.test import get_crawler

from parkcrawl.items import Article
from parkcrawl.pipelines import PagePipeline
from tests.support import ROOT

SITE = ROOT / "fixtures" / "site"
# A mirror page (Traditional with pinyin) and a plain UTF-8 page of the demo site.
MIRROR = "/dtyw/yqxx/202410/t20241018_10221.html"
PLAIN = "/dtyw/yqxx/202410/t20241016_10220.html"
ORIGIN = "http://127.0.0.1:8000"


def processed(path: str, settings: dict[str, Any], walked: list[str] | None = None) -> Article:
    crawler = get_crawler(Spider, settings)
    crawler.spider = Spider(name="parknews")
    page = PagePipeline.from_crawler(crawler)
    item = Article(
        url=f"{ORIGIN}{path}?spm=1.2", raw_body=(SITE / path.lstrip("/")).read_bytes(),
        content_type="text/html", walked_path=walked or ["首页", "动态要闻", "园区信息"],
    )
    return page.process_item(item)


@pytest.mark.parametrize(
    ("path", "convert", "language", "script"),
    [
        # converted: Simplified text whatever the page was served in
        (MIRROR, True, "zh-Hans", "Hant"),
        (PLAIN, True, "zh-Hans", "Hans"),
        # not converted: the text stays in the page's script
        (MIRROR, False, "zh-Hant", "Hant"),
        (PLAIN, False, "zh-Hans", "Hans"),
    ],
)
def test_language_follows_the_conversion(path: str, convert: bool, language: str, script: str) -> None:
    item = processed(path, {"PARKCRAWL_CONVERT_SCRIPT": convert})
    assert (item.language, item.script) == (language, script)


def test_channel_and_the_deprecated_column_carry_the_same_value() -> None:
    item = processed(PLAIN, {})
    assert item.channel == "园区信息"
    assert item.column == "园区信息"


def test_canonical_url_and_breadcrumb_urls_are_absolute() -> None:
    item = processed(MIRROR, {})
    assert item.canonical_url == f"{ORIGIN}{MIRROR}"  # the tracking parameter gone
    assert item.breadcrumb == ["首页", "动态要闻", "园区信息"]
    assert item.breadcrumb_urls == [
        f"{ORIGIN}/index.html", f"{ORIGIN}/dtyw/index.html", f"{ORIGIN}/dtyw/yqxx/index.html",
    ]


def test_a_page_without_breadcrumb_gets_the_walked_path_and_null_links() -> None:
    item = processed("/dtyw/yqxx/202412/t20241204_10241.html", {}, ["首页", "动态要闻", "园区信息"])
    assert item.breadcrumb == ["首页", "动态要闻", "园区信息"]
    assert item.breadcrumb_urls == [None, None, None]
