"""Item pipelines, in order: page → participants → deduplicate → media download → release.

Each stage is thin glue around a pure function (:mod:`parkcrawl.page`, :mod:`parkcrawl.extract`,
:mod:`parkcrawl.dedup`), enabled by its entry in ``ITEM_PIPELINES``. A stage whose class says
``offline = True`` needs neither the network nor a running crawl: ``parkcrawl reextract`` runs
those stages of ITEM_PIPELINES, in its order, building each with ``offline_stage(settings, stats,
sites)`` (or with no arguments when it has none) — the crawl's own list, not a copy of it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import fields as dataclass_fields
from typing import Any, TypeVar

from scrapy import signals
from scrapy.exceptions import DropItem

from parkcrawl.dedup import Claim, MemoryClaims, Verdict
from parkcrawl.extract.article import ArticleFields
from parkcrawl.extract.participants import participants_of
from parkcrawl.extract.simhash import simhash
from parkcrawl.items import Article
from parkcrawl.outcomes import DEDUP_OUTCOMES, Drop
from parkcrawl.page import Page, article_text, read_page
from parkcrawl.state import get_state, title_key
from parkcrawl.urls import absolute_canonical_url, canonical_url
from parkcrawl.workers import PageTimeout, PageWorkers, WorkersClosed, get_workers

# The extractor's fields the item carries too (the breadcrumb and its links are set apart: the
# site's override and the walked path stand in for them).
_ARTICLE_FIELDS = tuple(
    f.name for f in dataclass_fields(ArticleFields)
    if f.name not in ("breadcrumb", "breadcrumb_urls") and f.name in Article.__dataclass_fields__
)


class DropArticle(DropItem):
    """An article that must not be written; ``reason`` is the short key the report counts.

    Logged at INFO when the drop is an expected outcome (a duplicate, an unchanged article:
    DEDUP_OUTCOMES), at Scrapy's DEFAULT_DROPITEM_LOG_LEVEL (WARNING) otherwise, so a WARNING
    count means something to an operator.
    """

    def __init__(self, reason: Drop, detail: str = "", log_level: str | None = None):
        if log_level is None and reason in DEDUP_OUTCOMES:
            log_level = "INFO"
        super().__init__(f"{reason}: {detail}" if detail else reason, log_level=log_level)
        self.reason = reason


_T = TypeVar("_T")


async def run_in_worker(
    workers: PageWorkers, item: Article, function: Callable[..., _T], *args: Any, **kwargs: Any
) -> _T:
    """A page stage in the page workers; a page they could not finish is the item's drop."""
    try:
        return await workers.run(function, *args, **kwargs)
    except PageTimeout:
        raise DropArticle(Drop.TOO_SLOW, item.url) from None
    except WorkersClosed:
        raise DropArticle(Drop.STOPPED, item.url, log_level="INFO") from None


class PagePipeline:
    """Read the raw page once (:func:`parkcrawl.page.read_page`): cleaned text fields, breadcrumb
    (a site's breadcrumb_selector applied), media links, fingerprints; drop pages with no title
    or body. PARKCRAWL_CONVERT_SCRIPT."""

    # Runs offline too: `parkcrawl reextract` builds it with plain values (see OFFLINE_STAGES).
    offline = True

    def __init__(
        self,
        stats: Any,
        convert_script: bool = True,
        sites: Mapping[str, Any] | None = None,
        participants_ahead: bool = False,
    ) -> None:
        self.stats = stats
        self.convert_script = convert_script
        # Name the people in the page's worker call when ParticipantsPipeline runs after this
        # stage: one call a page, not two. Each call costs the crawl's process ~0.3 ms (pickling,
        # the pool's threads, the reactor's wake-up): 12% of its CPU per article page.
        self.participants_ahead = participants_ahead
        # Sites by name (SiteConfig); None: ask the crawl's spider, which knows its sites once
        # its arguments are read.
        self.sites = sites
        self.crawler: Any = None

    @classmethod
    def from_crawler(cls, crawler: Any) -> PagePipeline:
        from scrapy.utils.conf import build_component_list

        stages = build_component_list(crawler.settings.getwithbase("ITEM_PIPELINES"))
        pipeline = cls(
            crawler.stats,
            crawler.settings.getbool("PARKCRAWL_CONVERT_SCRIPT", True),
            participants_ahead=_follows(stages, PagePipeline, ParticipantsPipeline),
        )
        pipeline.crawler = crawler
        return pipeline

    @classmethod
    def offline_stage(cls, settings: Any, stats: Any, sites: Mapping[str, Any]) -> PagePipeline:
        return cls(stats, settings.getbool("PARKCRAWL_CONVERT_SCRIPT", True), sites)

    def _breadcrumb_selector(self, site: str | None) -> str | None:
        sites = self.sites
        if sites is None:
            sites = getattr(getattr(self.crawler, "spider", None), "sites", None) or {}
        config = sites.get(site)
        return config.breadcrumb_selector if config is not None else None

    def _read_args(self, item: Article) -> tuple[tuple[Any, ...], dict[str, Any]]:
        """read_page's arguments for the item's page."""
        return (item.raw_body, item.url, item.content_type), {
            "breadcrumb_selector": self._breadcrumb_selector(item.site),
            "convert": self.convert_script,
        }

    def process_item(self, item: Article) -> Any:
        if item.raw_body is None:
            return item
        workers = get_workers(self.crawler)
        if workers is not None:  # PARKCRAWL_PAGE_PROCESSES: read on another core
            return self._process_in_worker(workers, item)
        args, kwargs = self._read_args(item)
        return self.apply(item, read_page(*args, **kwargs))

    async def _process_in_worker(self, workers: PageWorkers, item: Article) -> Article:
        args, kwargs = self._read_args(item)
        kwargs["participants"] = self.participants_ahead
        page = await run_in_worker(workers, item, read_page, *args, **kwargs)
        item = self.apply(item, page)
        item.named_ahead = page.participants
        return item

    def apply(self, item: Article, page: Page) -> Article:
        """Put what the page yields on the item; drop it when it has no title or body."""
        item.encoding = page.encoding
        item.script = page.script
        # The text fields are Simplified once converted; unconverted they keep the page's script.
        item.language = "zh-Hans" if self.convert_script else f"zh-{page.script}"
        item.quality_flags = list(page.quality_flags)
        for flag in page.quality_flags:
            self.stats.inc_value(f"parkcrawl/clean/{flag}")
        fields = page.fields
        if not fields.title:
            raise DropArticle(Drop.NO_TITLE, item.url)
        if not fields.body:
            raise DropArticle(Drop.NO_BODY, item.url)
        # Every ArticleFields field the item has goes on it, so a field added to the extractor
        # and the item flows through without a line here.
        for name in _ARTICLE_FIELDS:
            setattr(item, name, getattr(fields, name))
        item.breadcrumb = page.breadcrumb(item.walked_path)
        item.breadcrumb_urls = page.breadcrumb_urls(item.walked_path)
        item.channel = fields.column
        item.canonical_url = absolute_canonical_url(item.url)
        if page.site_breadcrumb is not None:
            # An empty result keeps the extractor's breadcrumb, counted: the selector may be stale.
            self.stats.inc_value(
                "parkcrawl/sites/breadcrumb_from_selector" if page.site_breadcrumb
                else "parkcrawl/sites/breadcrumb_selector_empty"
            )
        item.media = page.media
        item.content_hash = page.content_hash
        item.body_simhash = page.simhash
        return item


class ParticipantsPipeline:
    """Name the people in the article with the office they hold."""

    offline = True

    def __init__(self) -> None:
        self.crawler: Any = None

    @classmethod
    def from_crawler(cls, crawler: Any) -> ParticipantsPipeline:
        pipeline = cls()
        pipeline.crawler = crawler
        return pipeline

    def process_item(self, item: Article) -> Any:
        if item.named_ahead is not None:  # named in the page's worker call (PagePipeline)
            item.participants, item.named_ahead = item.named_ahead, None
            return item
        text = article_text(item.title, item.body)
        workers = get_workers(self.crawler)
        if workers is not None:  # PARKCRAWL_PAGE_PROCESSES: another core
            return self._process_in_worker(workers, item, text)
        item.participants = participants_of(text)
        return item

    async def _process_in_worker(self, workers: PageWorkers, item: Article, text: str) -> Article:
        item.participants = await run_in_worker(workers, item, participants_of, text)
        return item


def _follows(stages: list[Any], first: type, then: type) -> bool:
    """Does ``then`` run after ``first`` among the ITEM_PIPELINES ``stages`` (classes or paths)?"""
    from scrapy.utils.misc import load_object

    classes = [load_object(stage) if isinstance(stage, str) else stage for stage in stages]
    return first in classes and then in classes[classes.index(first) + 1 :]


class DeduplicatePipeline:
    """Emit each article once: drop copies within the run and articles earlier runs emitted.

    The policy is :mod:`parkcrawl.dedup`'s, asked of the state's store (CrawlState on) or of
    memory (off): within the run the same canonical URL, the same normalized content, or a near
    duplicate (same title, SimHash within NEAR_DUPLICATE_BITS) is dropped; across runs an
    unchanged article is dropped as ``unchanged``, a changed one is emitted with its revision
    incremented and its first_seen_at kept.
    """

    # The run's name in the store; distributed mode names the shared run instead.
    RUN = "run"
    # Offline (reextract) it asks memory only: each archived article once, its first capture.
    offline = True

    def __init__(self, claims: Any = None, stats: Any = None) -> None:
        self.claims: Any = claims or MemoryClaims()
        self.run_prefix = self.RUN
        self.use_state = True
        self.stats = stats

    @classmethod
    def offline_stage(cls, settings: Any, stats: Any, sites: Mapping[str, Any]) -> Any:
        return cls(stats=stats)

    @classmethod
    def from_crawler(cls, crawler: Any) -> DeduplicatePipeline:
        pipeline = cls()
        pipeline.crawler = crawler
        crawler.signals.connect(pipeline.spider_opened, signal=signals.spider_opened)
        return pipeline

    def spider_opened(self, spider: Any) -> None:
        state = get_state(self.crawler)
        if state is not None and state.opened:
            self.claims = state.store

    def _count(self, event: str) -> None:
        stats = self.stats if self.stats is not None else self.crawler.stats
        stats.inc_value(f"parkcrawl/dedup/{event}")

    def claim(self, item: Article) -> Claim:
        if item.body_simhash is None:  # the page stage computes it; an item built elsewhere
            item.body_simhash = simhash(item.body or "")
        return self.claims.claim(
            self.run_prefix, canonical_url(item.url), item.url, item.content_hash or "",
            title_key(item.title or ""), item.body_simhash, item.fetched_at or "",
            use_state=self.use_state,
        )

    def apply(self, item: Article, claim: Claim) -> Article:
        """Drop the article the verdict rejects; give a changed one its revision."""
        self._count(claim.event)
        if claim.event is Verdict.UNCHANGED:
            raise DropArticle(Drop.UNCHANGED, item.url)
        if claim.event is Verdict.URL_DUPLICATE:
            raise DropArticle(Drop.DUPLICATE_URL, item.url)
        if claim.event is Verdict.CONTENT_DUPLICATE:
            raise DropArticle(Drop.DUPLICATE_CONTENT, f"{item.url} = {claim.other}")
        if claim.event is Verdict.NEAR_DUPLICATE:
            raise DropArticle(Drop.NEAR_DUPLICATE, f"{item.url} ~ {claim.other}")
        if claim.event is Verdict.CHANGED:
            item.revision = claim.revision
            item.first_seen_at = claim.first_seen_at
        return item

    def process_item(self, item: Article) -> Article:
        return self.apply(item, self.claim(item))


class ReleaseRawPagePipeline:
    """Free the raw bytes and cleaned HTML once extraction is done, so items stay small."""

    offline = True

    def process_item(self, item: Article) -> Article:
        item.raw_body = None
        item.html = None
        return item
