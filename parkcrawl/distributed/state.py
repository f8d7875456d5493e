"""The incremental state and dedup of a distributed crawl, over :mod:`parkcrawl.distributed.store`.

The distributed add-on puts these in place of :class:`parkcrawl.state.CrawlState` and
:class:`parkcrawl.pipelines.DeduplicatePipeline`.
"""

from __future__ import annotations

from typing import Any

from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.utils.asyncio import sleep

from parkcrawl.distributed import redis_prefix
from parkcrawl.distributed.outage import PROBE_INTERVAL, RedisOutage, redis_outage
from parkcrawl.distributed.run import shared_run
from parkcrawl.distributed.store import RedisArticleStateStore
from parkcrawl.outcomes import Drop
from parkcrawl.pipelines import DeduplicatePipeline, DropArticle
from parkcrawl.state import CrawlState, local_jsonl_feed, sync_settings

_DOWN = object()


class RedisCrawlState(CrawlState):
    """CrawlState over the Redis store; the run (not each worker) decides if the walk completed.

    While Redis is down, a URL counts as not known (the page is fetched; dedup decides once Redis
    is back) and written articles are recorded when it is back.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.outage: RedisOutage | None = None
        self.unrecorded: list[Any] = []  # written while Redis was down, not yet recorded

    @classmethod
    def from_crawler(cls, crawler: Any) -> RedisCrawlState:
        settings = crawler.settings
        if not settings.getbool("PARKCRAWL_STATE_ENABLED", True):
            raise NotConfigured("PARKCRAWL_STATE_ENABLED is off")
        store = RedisArticleStateStore.from_settings(
            settings, redis_prefix(settings, crawler.spidercls.name)
        )
        ext = cls(
            crawler, store, local_jsonl_feed(settings.getdict("FEEDS")), **sync_settings(settings)
        )
        ext.outage = redis_outage(crawler)
        ext.outage.on_recovery(ext.record_kept)
        ext.connect_signals()
        return ext

    def spider_opened(self, spider: Any) -> None:
        self.store.open()
        self.opened = True
        # Read when the run started, before anyone cleared it (see _JOIN).
        self.previous_walk_complete = shared_run(self.crawler).previous_walk_complete
        self.load_unarchived()
        self._record_unrecorded_output(spider)

    def spider_closed(self, spider: Any, reason: str) -> None:
        if not self.opened:
            return
        self.flush()
        if self.unrecorded:
            self.record_kept()
        if self.unarchived_changed and self.outage is not None:
            self.outage.call(self.save_unarchived, default=None)
        if self.unrecorded:
            # In the output but not in the state: the next run records them from the feed's tail
            # (see CrawlState._record_unrecorded_output) or fetches them again.
            self.crawler.stats.set_value("parkcrawl/state/unrecorded", len(self.unrecorded))
        self.store.close()
        self.opened = False

    def known(self, url: str) -> bool:
        if self.outage is None:
            return super().known(url)
        return self.outage.call(super().known, url, default=False)

    def _record_all(self, items: list[Any], offset: dict[str, str]) -> None:
        # Lines already durable in the feed (CrawlState.flush synced it): recorded now, or kept
        # until Redis is back.
        if self.outage is None:
            super()._record_all(items, offset)
            return
        self.unrecorded.extend(items)
        if not self.outage.down:
            self.record_kept()

    def record_kept(self) -> None:
        """Record the articles written while Redis was down, in order, until one fails."""
        assert self.outage is not None
        while self.unrecorded:
            item = self.unrecorded[0]
            if self.outage.call(self._record, item, None, default=_DOWN) is _DOWN:
                return
            self.unrecorded.pop(0)


class SharedDeduplicatePipeline(DeduplicatePipeline):
    """DeduplicatePipeline whose claims live in Redis, shared by the workers of one run.

    The policy is the base class's (parkcrawl.dedup, in the store's Lua script); this class adds
    the shared run's name and riding out a Redis outage."""

    def __init__(self, store: RedisArticleStateStore, use_state: bool = True) -> None:
        super().__init__(store)
        self.use_state = use_state
        self.outage: RedisOutage | None = None

    @classmethod
    def from_crawler(cls, crawler: Any) -> SharedDeduplicatePipeline:
        settings = crawler.settings
        pipeline = cls(
            RedisArticleStateStore.from_settings(
                settings, redis_prefix(settings, crawler.spidercls.name)
            ),
            settings.getbool("PARKCRAWL_STATE_ENABLED", True),
        )
        pipeline.crawler = crawler
        pipeline.outage = redis_outage(crawler)
        crawler.signals.connect(pipeline.spider_opened, signal=signals.spider_opened)
        return pipeline

    def spider_opened(self, spider: Any) -> None:
        self.run_prefix = shared_run(self.crawler).run_prefix

    async def process_item(self, item: Any) -> Any:
        # While Redis is down the article waits here (the engine fetches no more meanwhile);
        # if Redis does not come back, the worker closes and the article is dropped.
        claim = self.claim(item) if self.outage is None else self.outage.call(
            self.claim, item, default=None
        )
        while claim is None:
            assert self.outage is not None
            if self.outage.given_up:
                # a consequence of the one ERROR that closes the worker, not news of its own
                raise DropArticle(Drop.REDIS_UNAVAILABLE, item.url, log_level="INFO")
            await sleep(PROBE_INTERVAL)
            claim = self.outage.call(self.claim, item, default=None)
        return self.apply(item, claim)
