"""The parknews spider: walk 首页 > 动态要闻 > 园区信息 by link text and hand on every article page.

The spider only decides what to fetch next. Cleaning and extraction happen in the item
pipelines, so the spider never parses an article page.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import scrapy
from parsel import Selector
from scrapy.exceptions import CloseSpider
from scrapy.http import Response

from parkcrawl import signals
from parkcrawl.cms import DataproxyForm, dataproxy_reply, scripted_listing
from parkcrawl.failures import failed_url, failure_reason
from parkcrawl.items import Article
from parkcrawl.navigation import (
    ArticleList,
    article_links,
    find_section_link,
    pagination_links,
    section_link_texts,
)
from parkcrawl.text import clean_page, clean_text


# Response headers kept on the item for later runs' conditional requests.
KEPT_HEADERS = (b"ETag", b"Last-Modified")
# request.meta["parknews_kind"]: what a request fetches, for middlewares and the archive.
PAGE_KINDS = ("section", "listing", "article")


class ArgumentError(ValueError):
    """A spider argument or setting is unusable; the message is one line for the user."""


def parse_path(path: str) -> list[str]:
    """Split "动态要闻/园区信息" (or with >) into cleaned level names."""
    levels = [clean_text(part).text.strip() for part in path.replace(">", "/").split("/")]
    levels = [level for level in levels if level]
    if not levels:
        raise ArgumentError("path is empty: give the section path, e.g. -a path=动态要闻/园区信息")
    return levels


def resolve_start_url(start_url: str | None, setting: str | None) -> str:
    """The start URL from the argument, the setting or the environment, validated."""
    url = start_url or setting or os.environ.get("PARKNEWS_START_URL")
    if not url:
        raise ArgumentError(
            "no start URL: pass -a start_url=URL or set PARKNEWS_START_URL (setting or environment)"
        )
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ArgumentError(f"start_url must be an http(s) URL with a host, got {url!r}")
    return url


class ParknewsSpider(scrapy.Spider):
    """Walk the section path from the home page and yield every article listed in the section."""

    name = "parknews"

    def __init__(self, start_url: str | None = None, path: str | None = None, **kwargs: Any):
        super().__init__(**kwargs)
        self._start_url_arg = start_url
        self._path_arg = path
        self.list_signature: str | None = None
        self.failure: str | None = None
        self.list_pages = 0
        # List pages lost after retries: the articles they list are missing (fails the run).
        self.lost_list_pages: list[dict[str, str]] = []

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> ParknewsSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        settings = crawler.settings
        spider.start_url = resolve_start_url(spider._start_url_arg, settings.get("PARKNEWS_START_URL"))
        path = spider._path_arg if spider._path_arg is not None else settings.get("PARKNEWS_PATH")
        spider.path = parse_path(path or "")
        spider.convert_script = settings.getbool("PARKCRAWL_CONVERT_SCRIPT", True)
        host = urlsplit(spider.start_url).hostname
        spider.allowed_domains = [host] if host else []
        return spider

    async def start(self) -> AsyncIterator[scrapy.Request]:
        yield scrapy.Request(
            self.start_url,
            callback=self.parse_section,
            errback=self.start_failed,
            cb_kwargs={"level": 0, "walked": ["首页"]},
            meta={"parknews_kind": "section"},
        )

    def _cleaned(self, response: Response) -> Selector:
        page = clean_page(
            response.body,
            response.headers.get("Content-Type", b"").decode("latin-1"),
            convert=self.convert_script,
        )
        return Selector(text=page.html, base_url=response.url)

    def parse_section(self, response: Response, level: int, walked: list[str]) -> Iterator[Any]:
        """On the home page or a section landing page: follow the link named path[level]."""
        sel = self._cleaned(response)
        wanted = self.path[level]
        link = find_section_link(sel, response.url, wanted)
        if link is None:
            seen = "、".join(section_link_texts(sel, response.url)) or "no links at all"
            self.failure = (
                f"section level {level + 1} ({wanted!r}) not found on {response.url}; "
                f"link texts seen: {seen}"
            )
            raise CloseSpider("section_not_found")
        walked = [*walked, wanted]
        if level + 1 < len(self.path):
            yield response.follow(
                link.url, callback=self.parse_section, errback=self.start_failed,
                cb_kwargs={"level": level + 1, "walked": walked}, meta={"parknews_kind": "section"},
            )
        else:
            yield response.follow(
                link.url, callback=self.parse_listing, errback=self.listing_failed,
                cb_kwargs={"walked": walked}, meta={"parknews_kind": "listing"},
            )

    def parse_listing(self, response: Response, walked: list[str]) -> Iterator[Any]:
        """A list page of the target section: every article on it belongs to the section."""
        self.list_pages += 1
        sel = self._cleaned(response)
        found = article_links(sel, response.url, prefer_signature=self.list_signature)
        # A list a CMS keeps in a script (Hanweb datastore) replaces the visible links, which
        # then belong to other boxes of the page; a TRS pager adds list pages (see cms.py).
        scripted = scripted_listing(sel, response.url)
        if scripted.links is not None:
            found = ArticleList(scripted.links, None)
        if self.list_signature is None:
            self.list_signature = found.signature
        for link in found.links:
            yield response.follow(
                link.url, callback=self.parse_article, errback=self.article_failed,
                cb_kwargs={"walked": walked}, meta={"parknews_kind": "article"},
            )
        for url in [*pagination_links(sel, response.url), *scripted.page_urls]:
            yield response.follow(
                url, callback=self.parse_listing, errback=self.listing_failed,
                cb_kwargs={"walked": walked}, meta={"parknews_kind": "listing"},
            )
        if scripted.dataproxy is not None:
            yield from self._dataproxy_request(
                scripted.dataproxy, scripted.next_record, None, response.url, walked
            )

    def parse_dataproxy(
        self, response: Response, walked: list[str], form: DataproxyForm, end: int, listing_url: str
    ) -> Iterator[Any]:
        """A Hanweb dataproxy reply: the next records of the section's list, as XML."""
        self.list_pages += 1
        # Records are links of the list page that shows them, so they resolve against it.
        reply = dataproxy_reply(response.body, listing_url, form, end)
        for problem in reply.problems:
            self.crawler.stats.inc_value(f"parkcrawl/cms/{problem}")
        for link in reply.links:
            yield response.follow(
                link.url, callback=self.parse_article, errback=self.article_failed,
                cb_kwargs={"walked": walked}, meta={"parknews_kind": "article"},
            )
        if reply.next_range is not None:
            yield from self._dataproxy_request(
                form, reply.next_range[0], reply.total_record, listing_url, walked
            )

    def _dataproxy_request(
        self, form: DataproxyForm, start: int, total: int | None, listing_url: str,
        walked: list[str],
    ) -> Iterator[scrapy.FormRequest]:
        """The POST for the records from ``start`` on, as the page's jpage script would send it."""
        records = form.records_range(start, total)
        if records is None:
            return
        self.crawler.stats.inc_value("parkcrawl/cms/dataproxy_request")
        yield scrapy.FormRequest(
            form.request_url(*records), formdata=form.formdata(), callback=self.parse_dataproxy,
            errback=self.listing_failed, headers={"Referer": listing_url},
            cb_kwargs={
                "walked": walked, "form": form, "end": records[1], "listing_url": listing_url
            },
            meta={"parknews_kind": "listing"},
        )

    def parse_article(self, response: Response, walked: list[str]) -> Iterator[Article]:
        """Hand the raw page on; the pipelines clean and extract it."""
        fetched_at = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        yield Article(
            url=response.url,
            fetched_at=fetched_at,
            first_seen_at=fetched_at,
            raw_body=response.body,
            content_type=response.headers.get("Content-Type", b"").decode("latin-1") or None,
            walked_path=walked,
            response_headers={
                name.decode("latin-1").lower(): value.decode("latin-1")
                for name, value in ((k, response.headers.get(k)) for k in KEPT_HEADERS)
                if value
            },
        )

    def start_failed(self, failure: Any) -> None:
        request = failure.request
        self.failure = f"could not fetch {request.url}: {failure_reason(failure)}"
        raise CloseSpider("start_failed")

    def listing_failed(self, failure: Any) -> None:
        url, reason = failed_url(failure), failure_reason(failure)
        self.logger.error("list page %s failed: %s", url, reason)
        self.crawler.stats.inc_value("parknews/list_page_failed")
        self.lost_list_pages.append({"url": url, "reason": reason})

    def article_failed(self, failure: Any) -> None:
        self.crawler.signals.send_catch_log(
            signals.article_dropped, url=failed_url(failure), reason=failure_reason(failure)
        )
