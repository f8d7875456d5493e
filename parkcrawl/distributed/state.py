"""The incremental state and dedup of a distributed crawl, over :mod:`parkcrawl.distributed.store`.

The distributed add-on puts these in place of :class:`parkcrawl.state.CrawlState` and
:class:`parkcrawl.pipelines.DeduplicatePipeline`.
"""

from __future__ import annotations

from typing import Any

from scrapy import signals
from scrapy.exceptions import NotConfigured

from parkcrawl.distributed import redis_prefix
from parkcrawl.distributed.run import shared_run
from parkcrawl.distributed.store import RedisArticleStateStore
from parkcrawl.extract.simhash import simhash
from parkcrawl.pipelines import DeduplicatePipeline, DropArticle
from parkcrawl.state import CrawlState, local_jsonl_feed, sync_settings, title_key
from parkcrawl.urls import canonical_url


class RedisCrawlState(CrawlState):
    """CrawlState over the Redis store; the run (not each worker) decides if the walk completed."""

    @classmethod
    def from_crawler(cls, crawler: Any) -> RedisCrawlState:
        settings = crawler.settings
        if not settings.getbool("PARKNEWS_STATE_ENABLED", True):
            raise NotConfigured("PARKNEWS_STATE_ENABLED is off")
        store = RedisArticleStateStore.from_url(
            settings.get("REDIS_URL"), redis_prefix(settings, crawler.spidercls.name)
        )
        ext = cls(
            crawler, store, local_jsonl_feed(settings.getdict("FEEDS")), **sync_settings(settings)
        )
        ext.connect_signals()
        return ext

    def spider_opened(self, spider: Any) -> None:
        self.store.open()
        self.opened = True
        # Read when the run started, before anyone cleared it (see _JOIN).
        self.previous_walk_complete = shared_run(self.crawler).previous_walk_complete
        self._record_unrecorded_output(spider)

    def spider_closed(self, spider: Any, reason: str) -> None:
        if self.opened:
            self.flush()
            self.store.close()
            self.opened = False


class SharedDeduplicatePipeline(DeduplicatePipeline):
    """DeduplicatePipeline whose decisions and within-run keys live in Redis, shared by workers."""

    def __init__(self, store: RedisArticleStateStore, use_state: bool = True) -> None:
        super().__init__()
        self.store = store
        self.use_state = use_state
        self.run_prefix: str | None = None

    @classmethod
    def from_crawler(cls, crawler: Any) -> SharedDeduplicatePipeline:
        settings = crawler.settings
        pipeline = cls(
            RedisArticleStateStore.from_url(
                settings.get("REDIS_URL"), redis_prefix(settings, crawler.spidercls.name)
            ),
            settings.getbool("PARKNEWS_STATE_ENABLED", True),
        )
        pipeline.crawler = crawler
        crawler.signals.connect(pipeline.spider_opened, signal=signals.spider_opened)
        return pipeline

    def spider_opened(self, spider: Any) -> None:
        self.run_prefix = shared_run(self.crawler).run_prefix

    def process_item(self, item: Any) -> Any:
        assert self.run_prefix is not None, "the shared run is not open"
        claim = self.store.claim(
            self.run_prefix,
            canonical_url(item.url),
            item.url,
            item.content_hash or "",
            title_key(item.title or ""),
            item.body_simhash if item.body_simhash is not None else simhash(item.body or ""),
            item.fetched_at or "",
            use_state=self.use_state,
        )
        self._count(claim.event)
        if claim.event == "url_duplicate":
            raise DropArticle("duplicate url", item.url)
        if claim.event == "content_duplicate":
            raise DropArticle("duplicate content", f"{item.url} = {claim.other}")
        if claim.event == "near_duplicate":
            raise DropArticle("near duplicate", f"{item.url} ~ {claim.other}")
        if claim.event == "unchanged":
            raise DropArticle("unchanged", item.url)
        if claim.event == "changed":
            item.revision = claim.revision
            item.first_seen_at = claim.first_seen_at
        return item
