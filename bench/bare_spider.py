"""The engine's ceiling: a bare Scrapy spider that follows parknews's links and yields nothing.

On a site written by ``tools.sitegen`` it requests the same URLs as
``scrapy crawl parknews`` on a first run (robots.txt, home, 动态要闻, every 园区信息 list page,
every article listed there), but finds them by href with plain CSS selectors, and does no
decoding, cleaning, extraction, state or archiving. Not one of the project's spiders: run it
from outside the project so that no project setting applies::

    cd /tmp && scrapy runspider /path/to/bench/bare_spider.py -a start_url=http://127.0.0.1:PORT/

Its settings copy parknews's request settings (robots.txt obeyed, 16 concurrent requests,
8 per domain, no delay) with AutoThrottle off, as the benchmark runs parknews.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any, ClassVar
from urllib.parse import urlsplit

import scrapy
from scrapy.http import Response

# Where sitegen puts the section landing page and the target section (园区信息).
LANDING_PATHS = ("/dtyw/", "/dtyw/index.html")
SECTION_DIR = "/dtyw/yqxx/"


class BareSpider(scrapy.Spider):
    """Home → 动态要闻 → 园区信息 list pages → articles, by href; no items."""

    name = "bare"
    custom_settings: ClassVar[dict[str, Any]] = {
        "ROBOTSTXT_OBEY": True,
        "CONCURRENT_REQUESTS": 16,
        "CONCURRENT_REQUESTS_PER_DOMAIN": 8,
        "DOWNLOAD_DELAY": 0,
        "AUTOTHROTTLE_ENABLED": False,
        "DOWNLOAD_TIMEOUT": 30,
        "DOWNLOAD_MAXSIZE": 10 * 1024 * 1024,
        "TELNETCONSOLE_ENABLED": False,
        "REMOTE_CONTROL_ENABLED": False,
        "LOG_LEVEL": "WARNING",
    }

    def __init__(self, start_url: str = "", **kwargs: Any):
        super().__init__(**kwargs)
        if not start_url:
            raise ValueError("pass -a start_url=URL")
        self.start_url = start_url
        self.allowed_domains = [urlsplit(start_url).hostname or ""]

    async def start(self) -> AsyncIterator[scrapy.Request]:
        yield scrapy.Request(self.start_url, callback=self.parse_home)

    def parse_home(self, response: Response) -> Iterator[scrapy.Request]:
        for href in response.css("a::attr(href)").getall():
            if urlsplit(response.urljoin(href)).path in LANDING_PATHS:
                yield response.follow(href, callback=self.parse_landing)
                return

    def parse_landing(self, response: Response) -> Iterator[scrapy.Request]:
        for href in response.css("a::attr(href)").getall():
            if urlsplit(response.urljoin(href)).path == SECTION_DIR + "index.html":
                yield response.follow(href, callback=self.parse_listing)
                return

    def parse_listing(self, response: Response) -> Iterator[scrapy.Request]:
        for href in response.css("ul.list li a::attr(href)").getall():
            yield response.follow(href, callback=self.parse_article)
        for href in response.css("div.pagination a::attr(href)").getall():
            if urlsplit(response.urljoin(href)).path.startswith(SECTION_DIR):
                yield response.follow(href, callback=self.parse_listing)

    def parse_article(self, response: Response) -> None:
        """The article page is fetched; nothing is done with it."""
