"""The parknews spider: walk 首页 > 动态要闻 > 园区信息 by link text and hand on every article page.

The spider only decides what to fetch next. Cleaning and extraction happen in the item
pipelines, so the spider never parses an article page.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Generator, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import scrapy
from parsel import Selector
from scrapy import signals as scrapy_signals
from scrapy.exceptions import CloseSpider
from scrapy.http import Response
from w3lib.url import canonicalize_url

from parkcrawl import signals
from parkcrawl.cms import DataproxyForm, dataproxy_reply, scripted_listing
from parkcrawl.failures import failed_url, failure_reason
from parkcrawl.items import Article
from parkcrawl.navigation import (
    ArticleList,
    ListWalk,
    article_links,
    find_section_link,
    next_page_links,
    pagination_links,
    section_link_texts,
)
from parkcrawl.outcomes import Stop
from parkcrawl.sites import SiteConfig, site_links
from parkcrawl.spiders.params import FROM_RUNNERS, ParknewsParams, spider_params
from parkcrawl.state import get_state
from parkcrawl.text import clean_page
from parkcrawl.urls import canonical_url, without_session_ids

# Response headers kept on the item for later runs' conditional requests.
KEPT_HEADERS = (b"ETag", b"Last-Modified")
# request.meta["parknews_kind"]: what a request fetches, for middlewares and the archive.
PAGE_KINDS = ("section", "listing", "article")


def _list_key(url: str) -> str:
    """A list page's identity within the walk: the URL as Scrapy's request fingerprint sees it."""
    return canonicalize_url(url)


class ParknewsSpider(scrapy.Spider):
    """Walk the section path from the home page and yield every article listed in the section."""

    name = "parknews"

    def __init__(self, params: ParknewsParams | None = None, **kwargs: Any):
        super().__init__(**kwargs)
        # The validated arguments (parkcrawl.spiders.params); from_crawler builds them.
        self.params = params
        # Per site: the list container of its first list page; list pages in a row that held
        # only known articles.
        self.list_signatures: dict[str | None, str | None] = {}
        self.failure: str | None = None
        # Not ``self.state``: Scrapy's SpiderState extension pickles that dict under JOBDIR.
        self.crawl_state: Any = None
        self.list_pages = 0
        # List pages lost after retries: the articles they list are missing (fails the run).
        self.lost_list_pages: list[dict[str, str]] = []
        self.articles_listed = 0
        self.known_pages_in_a_row: dict[str | None, int] = {}
        # Per site: the list pages its walk requested and the caps that bound it (ListWalk).
        self.list_walks: dict[str | None, ListWalk] = {}

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> ParknewsSpider:
        settings = crawler.settings
        params = spider_params(kwargs, settings)
        passed = {name: value for name, value in kwargs.items() if name in FROM_RUNNERS}
        spider = super().from_crawler(crawler, *args, params=params, **passed)
        chosen = params.sites
        # full=1 walks every list page and fetches every article, known or not; recheck_days=N
        # re-requests known articles of the last N days conditionally.
        spider.full, spider.recheck_days = params.full, params.recheck_days
        spider.start_url, spider.path = params.start_url, params.path
        spider.sites = {config.name: config for config in chosen}
        spider.convert_script = settings.getbool("PARKCRAWL_CONVERT_SCRIPT", True)
        spider.stop_after_known_pages = settings.getint("PARKCRAWL_STOP_AFTER_KNOWN_PAGES", 1)
        spider.max_list_pages = settings.getint("PARKCRAWL_MAX_LIST_PAGES", 5000)
        spider.max_url_variants = settings.getint("PARKCRAWL_MAX_URL_VARIANTS", 50)
        spider.allowed_domains = sorted({config.host for config in chosen if config.host})
        crawler.signals.connect(spider.callback_failed, signal=scrapy_signals.spider_error)
        return spider

    async def start(self) -> AsyncIterator[scrapy.Request]:
        self.crawl_state = get_state(self.crawler)
        if self.crawl_state is not None and self.crawl_state.unusable_reason:
            self.failure = self.crawl_state.unusable_reason
            return
        for request in self.recheck_requests():
            yield request
        for site in self.sites.values():
            # parkcrawl.sites.SiteMiddleware copies parknews_site to the requests that follow.
            yield scrapy.Request(
                site.start_url,
                callback=self.parse_section,
                errback=self.start_failed,
                cb_kwargs={"level": 0, "walked": ["首页"]},
                meta={"parknews_kind": "section", "parknews_site": site.name},
            )

    def site_of(self, response: Response) -> SiteConfig:
        """The site a response belongs to (request meta parknews_site)."""
        return self.sites[response.meta.get("parknews_site")] if len(self.sites) > 1 else next(
            iter(self.sites.values())
        )

    def _site_failed(self, site: SiteConfig, message: str, reason: Stop) -> None:
        """Record a site's failure; with one site the crawl stops, with several the others go on."""
        message = f"site {site.name}: {message}" if len(self.sites) > 1 else message
        self.failure = f"{self.failure}; {message}" if self.failure else message
        if len(self.sites) == 1:
            raise CloseSpider(reason)
        self.logger.error(message)

    def recheck_requests(self) -> list[scrapy.Request]:
        """Conditional requests for known articles published in the last recheck_days days."""
        if not self.recheck_days or self.crawl_state is None or not self.crawl_state.opened:
            return []
        since = (datetime.now(UTC) - timedelta(days=self.recheck_days)).strftime("%Y-%m-%d")
        requests = []
        by_host = {config.host: config for config in reversed(self.sites.values())}
        for seen in self.crawl_state.store.published_since(since):
            site = by_host.get(urlsplit(seen.url).hostname or "")
            if site is None and len(self.sites) > 1:
                continue  # an article of a site this crawl does not walk
            site = site or next(iter(self.sites.values()))
            headers = {}
            if seen.etag:
                headers["If-None-Match"] = seen.etag
            if seen.last_modified:
                headers["If-Modified-Since"] = seen.last_modified
            requests.append(scrapy.Request(
                seen.url, headers=headers, callback=self.parse_article,
                errback=self.article_failed, cb_kwargs={"walked": ["首页", *site.path]},
                meta={"parknews_kind": "article", "handle_httpstatus_list": [304],
                      "parknews_recheck": True, "parknews_site": site.name},
            ))
        self.crawler.stats.set_value("parkcrawl/state/rechecked", len(requests))
        return requests

    def _known(self, url: str) -> bool:
        return self.crawl_state is not None and self.crawl_state.known(url)

    def _known_page_run(self, response: Response, listed: list[Any], new: list[Any]) -> int:
        """List pages of this site in a row that held only known articles, this one included."""
        name = response.meta.get("parknews_site")
        count = self.known_pages_in_a_row.get(name, 0) + 1 if listed and not new else 0
        self.known_pages_in_a_row[name] = count
        return count

    def _incremental(self) -> bool:
        """May this run stop early? Only if the previous one finished its walk."""
        return not self.full and self.crawl_state is not None and self.crawl_state.previous_walk_complete

    def _follow_listed(
        self, response: Response, links: list[Any], walked: list[str]
    ) -> Generator[scrapy.Request, None, bool]:
        """Request the listed articles not known yet; return whether the walk should stop here."""
        self.articles_listed += len(links)
        new_links = [link for link in links if self.full or not self._known(link.url)]
        self.crawler.stats.inc_value("parkcrawl/state/known_not_fetched", len(links) - len(new_links))
        for link in new_links:
            yield response.follow(
                without_session_ids(link.url), callback=self.parse_article,
                errback=self.article_failed, cb_kwargs={"walked": walked},
                meta={"parknews_kind": "article"},
            )
        known_pages = self._known_page_run(response, links, new_links)
        if self._incremental() and known_pages >= self.stop_after_known_pages:
            self.crawler.stats.set_value("parkcrawl/state/stopped_at_list_page", response.url)
            return True
        return False

    def _cleaned(self, response: Response) -> Selector:
        page = clean_page(
            response.body,
            response.headers.get("Content-Type", b"").decode("latin-1"),
            convert=self.convert_script,
        )
        return Selector(text=page.html, base_url=response.url)

    def _walked(self, response: Response, walked: list[str] | None) -> list[str]:
        """The path walked to a list or article page; the site's section path when no request
        carried one (``scrapy parse -c parse_article URL``, ``scrapy check``)."""
        return walked if walked is not None else ["首页", *self.site_of(response).path]

    def parse_section(
        self, response: Response, level: int = 0, walked: list[str] | None = None
    ) -> Iterator[Any]:
        """On the home page or a section landing page: follow the link named path[level].

        @page home
        @returns requests 1 1
        @returns items 0 0
        @follows parse_section parse_listing
        """
        sel = self._cleaned(response)
        path = self.site_of(response).path
        # Defaults: the home page, as start() requests it, so `scrapy parse` needs no --cbkwargs.
        walked = walked if walked is not None else ["首页", *path[:level]]
        wanted = path[level]
        link = find_section_link(sel, response.url, wanted)
        if link is None:
            seen = "、".join(section_link_texts(sel, response.url)) or "no links at all"
            self._site_failed(
                self.site_of(response),
                f"section level {level + 1} ({wanted!r}) not found on {response.url}; "
                f"link texts seen: {seen}",
                Stop.SECTION_NOT_FOUND,
            )
            return
        walked = [*walked, wanted]
        if level + 1 < len(path):
            yield response.follow(
                without_session_ids(link.url), callback=self.parse_section,
                errback=self.start_failed, cb_kwargs={"level": level + 1, "walked": walked},
                meta={"parknews_kind": "section"},
            )
        else:
            yield from self._list_request(response, link.url, walked)

    def parse_listing(self, response: Response, walked: list[str] | None = None) -> Iterator[Any]:
        """A list page of the target section: every article on it belongs to the section.

        Known articles are not fetched again (unless ``full``); once ``stop_after_known_pages``
        list pages in a row hold only known articles, an incremental run stops paginating —
        but only when the previous run finished its walk, so a killed run is always completed.
        Further list pages go through the section's ListWalk (its caps; see ``walk_cut``).

        @page listing
        @returns items 0 0
        @follows parse_article parse_listing
        @requests parse_article 1
        """
        walked = self._walked(response, walked)
        self.list_pages += 1
        sel = self._cleaned(response)
        site = self.site_of(response)
        if site.list_item_selector:
            found = ArticleList(site_links(sel, response.url, site.list_item_selector), None)
        else:
            found = article_links(
                sel, response.url, prefer_signature=self.list_signatures.get(site.name)
            )
        # A list a CMS keeps in a script (Hanweb datastore) replaces the visible links, which
        # then belong to other boxes of the page; a TRS pager adds list pages (see cms.py).
        scripted = scripted_listing(sel, response.url)
        if scripted.links is not None:
            found = ArticleList(scripted.links, None)
        if self.list_signatures.get(site.name) is None:
            self.list_signatures[site.name] = found.signature
        self._list_walk(response).read(
            _list_key(response.url), (canonical_url(link.url) for link in found.links)
        )
        stop = yield from self._follow_listed(response, found.links, walked)
        if stop:
            return
        incremental = self._incremental()
        # An incremental run walks 下一页 in order so it can stop; a full one takes every page link.
        next_pages = next_page_links(sel, response.url) if incremental else []
        for url in next_pages or pagination_links(sel, response.url):
            yield from self._list_request(response, url, walked)
        script_pages = [scripted.next_page_url] if incremental else list(scripted.page_urls)
        for url in filter(None, script_pages):
            yield from self._list_request(response, url, walked)
        if scripted.dataproxy is not None:
            yield from self._dataproxy_request(
                scripted.dataproxy, scripted.next_record, None, response.url, walked,
                self._list_walk(response),
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
        self._list_walk(response).read(
            _list_key(response.url), (canonical_url(link.url) for link in reply.links)
        )
        stop = yield from self._follow_listed(response, reply.links, walked)
        if stop:
            return
        if reply.next_range is not None:
            yield from self._dataproxy_request(
                form, reply.next_range[0], reply.total_record, listing_url, walked,
                self._list_walk(response),
            )

    def _dataproxy_request(
        self, form: DataproxyForm, start: int, total: int | None, listing_url: str,
        walked: list[str], walk: ListWalk,
    ) -> Iterator[scrapy.FormRequest]:
        """The POST for the records from ``start`` on, as the page's jpage script would send it."""
        records = form.records_range(start, total)
        if records is None:
            return
        if not self._admit_list_page(walk, form.request_url(*records)):
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

    def _list_walk(self, response: Response) -> ListWalk:
        """The list walk of the response's site (PARKCRAWL_MAX_LIST_PAGES, _MAX_URL_VARIANTS)."""
        site = self.site_of(response)
        if site.name not in self.list_walks:
            section = "/".join(site.path)
            if len(self.sites) > 1:
                section = f"{section} of site {site.name}"
            self.list_walks[site.name] = ListWalk(
                section, self.max_list_pages, self.max_url_variants
            )
        return self.list_walks[site.name]

    def _admit_list_page(self, walk: ListWalk, url: str) -> bool:
        """Whether the walk takes list page ``url``; a cap that refuses it is counted, logged once."""
        cuts, refused = len(walk.cuts), walk.refused
        admitted = walk.admit(_list_key(url))
        for reason in list(walk.cuts.values())[cuts:]:
            self.logger.warning("walk cut: %s", reason)
            self.crawler.stats.set_value("parkcrawl/walk/cut", reason)
        if walk.refused > refused:
            self.crawler.stats.inc_value("parkcrawl/walk/list_page_refused")
        return admitted

    def _list_request(
        self, response: Response, url: str, walked: list[str]
    ) -> Iterator[scrapy.Request]:
        """The request for list page ``url``, unless the walk has it already or a cap refuses it."""
        url = without_session_ids(response.urljoin(url))
        if self._admit_list_page(self._list_walk(response), url):
            yield response.follow(
                url, callback=self.parse_listing, errback=self.listing_failed,
                cb_kwargs={"walked": walked}, meta={"parknews_kind": "listing"},
            )

    @property
    def walk_cut(self) -> list[str]:
        """Why the section walk is incomplete although no page failed: caps that refused pages."""
        cuts = [reason for walk in self.list_walks.values() for reason in walk.cuts.values()]
        # Scrapy's own limits drop requests with a DEBUG line; a walk they cut is cut all the same.
        stats, settings = self.crawler.stats, self.crawler.settings
        depth = stats.get_value("depth/request_ignored_count", 0)
        if depth:
            cuts.append(
                f"{depth} request(s) deeper than DEPTH_LIMIT {settings.getint('DEPTH_LIMIT')} "
                "not followed"
            )
        long_urls = stats.get_value("urllength/request_ignored_count", 0)
        if long_urls:
            cuts.append(
                f"{long_urls} request(s) longer than URLLENGTH_LIMIT "
                f"{settings.getint('URLLENGTH_LIMIT')} not followed"
            )
        return cuts

    def parse_article(self, response: Response, walked: list[str] | None = None) -> Iterator[Article]:
        """Hand the raw page on; the pipelines clean and extract it.

        @page article
        @returns items 1 1
        @returns requests 0 0
        @filled url fetched_at raw_body content_type walked_path
        """
        walked = self._walked(response, walked)
        if response.status == 304:
            # A conditional re-check found the article unchanged.
            self.crawler.stats.inc_value("parkcrawl/state/not_modified")
            return
        fetched_at = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        yield Article(
            url=response.url,
            fetched_at=fetched_at,
            first_seen_at=fetched_at,
            raw_body=response.body,
            content_type=response.headers.get("Content-Type", b"").decode("latin-1") or None,
            walked_path=walked,
            site=response.meta.get("parknews_site"),
            response_headers={
                name.decode("latin-1").lower(): value.decode("latin-1")
                for name, value in ((k, response.headers.get(k)) for k in KEPT_HEADERS)
                if value
            },
        )

    def start_failed(self, failure: Any) -> None:
        request = failure.request
        site = self.sites.get(request.meta.get("parknews_site")) or next(iter(self.sites.values()))
        self._site_failed(
            site, f"could not fetch {request.url}: {failure_reason(failure)}", Stop.START_FAILED
        )

    def callback_failed(self, failure: Any, response: Response, spider: Any) -> None:
        """A callback raised: a bug some page's markup found. Scrapy logs it and goes on, so the
        links of a list or section page would be lost without a word, and the run exit 0 with
        part of the section missing: the page counts as a lost list page, which fails the run
        and has the next run walk the whole list again; an article page is a dropped article."""
        if spider is not self:
            return
        reason = f"reading it raised {failure.type.__name__}: {failure.getErrorMessage()}"[:300]
        if response.meta.get("parknews_kind") == "article":
            self.crawler.signals.send_catch_log(
                signals.article_dropped, url=response.url, reason=reason
            )
            return
        self.crawler.stats.inc_value("parkcrawl/list_page_failed")
        self.lost_list_pages.append({"url": response.url, "reason": reason})

    def listing_failed(self, failure: Any) -> None:
        url, reason = failed_url(failure), failure_reason(failure)
        self.logger.error("list page %s failed: %s", url, reason)
        self.crawler.stats.inc_value("parkcrawl/list_page_failed")
        self.lost_list_pages.append({"url": url, "reason": reason})

    def article_failed(self, failure: Any) -> None:
        self.crawler.signals.send_catch_log(
            signals.article_dropped, url=failed_url(failure), reason=failure_reason(failure)
        )
