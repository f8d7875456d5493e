"""Distributed mode: several `scrapy crawl parknews` processes share one crawl through Redis.

Switched on by ``PARKCRAWL_DISTRIBUTED = True`` (``-s PARKCRAWL_DISTRIBUTED=1``) with
``REDIS_URL``; the :class:`DistributedCrawl` add-on then swaps in, for that process only:

* :class:`SharedScheduler` — scrapy-redis's scheduler (its priority queue and request
  dupefilter in Redis, ``SCHEDULER_PERSIST`` on) plus what scrapy-redis leaves to the user: which
  workers still hold requests, and when the crawl is over. A worker pops a request and marks
  itself busy in one Lua script, and unmarks itself only when its own engine is idle, so "queue
  empty and nobody busy" is a true end. An idle worker waits for that end instead of closing
  while another worker's pages can still add requests (scrapy-redis's MAX_IDLE_TIME_BEFORE_CLOSE
  is a timer, not an end). The worker that sees the end records whether the walk was complete
  and deletes the run's keys, so the next crawl starts fresh.
* :class:`RedisCrawlState` and :class:`SharedDeduplicatePipeline` — the incremental state
  (:mod:`parkcrawl.distributed.state`) in the same Redis instead of SQLite, and dedup decided and
  reserved atomically there, so two workers never both emit an article.

Keys live under ``PARKCRAWL_REDIS_PREFIX`` (default ``parkcrawl:<spider>``): ``run`` (the
current run's id), ``run:<id>:{requests,dupefilter,workers,info,urls,hashes,titles}`` (deleted
when the run completes), ``last_run`` (how the last run ended) and ``state:*`` (kept).
"""

from __future__ import annotations

import re
from typing import Any

from parkcrawl.pipelines import DeduplicatePipeline
from parkcrawl.state import CrawlState

# Seconds a Redis call may wait to connect or for its reply (REDIS_PARAMS overrides them).
REDIS_SOCKET_TIMEOUTS = {"socket_timeout": 5, "socket_connect_timeout": 5}


class RedisUnavailable(RuntimeError):
    """Distributed mode is on but its Redis server does not answer."""


def check_distributed(settings: Any) -> None:
    """Refuse a distributed crawl before it starts: no REDIS_URL (ArgumentError), or no answer."""
    if not settings.getbool("PARKCRAWL_DISTRIBUTED", False):
        return
    from parkcrawl.spiders.params import ArgumentError

    try:
        from redis.exceptions import RedisError
        from scrapy_redis import connection
    except ImportError:
        raise ArgumentError(
            "PARKCRAWL_DISTRIBUTED needs scrapy-redis: pip install 'parkcrawl[distributed]'"
        ) from None
    url = settings.get("REDIS_URL")
    if not url:
        raise ArgumentError(
            "PARKCRAWL_DISTRIBUTED needs REDIS_URL, e.g. -s REDIS_URL=redis://10.0.0.5:6379/0"
        )
    try:
        connection.from_settings(settings).ping()
    except (RedisError, OSError, ValueError) as exc:
        raise RedisUnavailable(f"cannot reach Redis at {shown_url(url)}: {exc}") from None


def shown_url(url: str) -> str:
    """A Redis URL fit for a log line: the password masked."""
    return re.sub(r"//[^@/]*@", "//***@", str(url))


def redis_client(settings: Any, *, decode_responses: bool = False) -> Any:
    """A Redis client from REDIS_URL and REDIS_PARAMS (scrapy-redis's), one quick retry per call.

    redis-py retries a failed call ten times with growing pauses, blocking the engine for seconds
    each time Redis is down; one immediate retry still reconnects a connection that a Redis
    restart closed, and :mod:`parkcrawl.distributed.outage` does the waiting.
    """
    from redis.backoff import NoBackoff
    from redis.retry import Retry
    from scrapy.settings import Settings
    from scrapy_redis import connection

    if decode_responses:  # the crawler's settings are frozen: a copy with one more
        settings = Settings({**settings.copy_to_dict(), "REDIS_DECODE_RESPONSES": True})
    client = connection.from_settings(settings)
    client.set_retry(Retry(NoBackoff(), 1))
    return client


def redis_prefix(settings: Any, spider_name: str) -> str:
    """The Redis keys' prefix: PARKCRAWL_REDIS_PREFIX, or parkcrawl:<spider name>."""
    prefix = settings.get("PARKCRAWL_REDIS_PREFIX") or f"parkcrawl:{spider_name}"
    return str(prefix).rstrip(":")


class DistributedCrawl:
    """Scrapy add-on: share the crawl with other processes through Redis; PARKCRAWL_DISTRIBUTED."""

    def __init__(self, spider_name: str):
        self.spider_name = spider_name

    @classmethod
    def from_crawler(cls, crawler: Any) -> DistributedCrawl:
        return cls(crawler.spidercls.name)

    def update_settings(self, settings: Any) -> None:
        if not settings.getbool("PARKCRAWL_DISTRIBUTED", False):
            return
        url = settings.get("REDIS_URL")
        if not url:
            raise ValueError("PARKCRAWL_DISTRIBUTED needs REDIS_URL (e.g. redis://10.0.0.5:6379/0)")
        prefix = redis_prefix(settings, self.spider_name)
        if "%" in prefix:
            raise ValueError(f"PARKCRAWL_REDIS_PREFIX must not contain '%': {prefix!r}")
        settings.set("SCHEDULER", "parkcrawl.distributed.run.SharedScheduler", "addon")
        # The scheduler builds its own dupefilter per run; this names the class for readers.
        settings.set("DUPEFILTER_CLASS", "scrapy_redis.dupefilter.RFPDupeFilter", "addon")
        settings.set("SCHEDULER_PERSIST", True, "addon")
        # scrapy-redis waits 30 s for a Redis that drops packets, the engine blocked meanwhile.
        params = {**REDIS_SOCKET_TIMEOUTS, **settings.getdict("REDIS_PARAMS")}
        settings.set("REDIS_PARAMS", params, "addon")
        if settings.getdict("EXTENSIONS").get("parkcrawl.state.CrawlState") is not None:
            settings.replace_in_component_priority_dict(
                "EXTENSIONS", CrawlState, "parkcrawl.distributed.state.RedisCrawlState"
            )
        if (
            settings.getdict("ITEM_PIPELINES").get("parkcrawl.pipelines.DeduplicatePipeline")
            is not None
        ):
            settings.replace_in_component_priority_dict(
                "ITEM_PIPELINES",
                DeduplicatePipeline,
                "parkcrawl.distributed.state.SharedDeduplicatePipeline",
            )
