"""Riding out a Redis outage: retry quietly, and close the worker when it lasts too long.

Every Redis call of the distributed components (scheduler, state, dedup) goes through one
:class:`RedisOutage` per crawler. The first failed call starts an outage: one WARNING, then the
components keep what they cannot send (requests, items, records) and Redis is probed at most once
a second. The first call that succeeds ends it: one INFO, and what was kept is sent. An outage
that lasts ``PARKCRAWL_REDIS_DOWN_TIMEOUT`` seconds closes the worker with a failure naming Redis
(exit status 1) instead of logging tracebacks forever.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any, TypeVar
from weakref import WeakKeyDictionary, ref

from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from scrapy.utils.asyncio import call_later
from scrapy.utils.defer import deferred_from_coro

from parkcrawl.distributed import redis_client, shown_url

logger = logging.getLogger(__name__)

T = TypeVar("T")
D = TypeVar("D")

# What "Redis is unreachable" looks like through redis-py, which wraps socket errors: a refused or
# dropped connection, a socket timeout, a server still loading its data. An error in a reply (a
# script bug, a wrong type) is not an outage and is raised as usual.
OUTAGE_ERRORS: tuple[type[BaseException], ...] = (RedisConnectionError, RedisTimeoutError)
# During an outage, at most one call a second really goes to Redis; the others fail at once, so a
# Redis that drops packets (each call waits for its socket timeout) cannot stall the engine.
PROBE_INTERVAL = 1.0
CLOSE_REASON = "redis_unavailable"


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__


class RedisOutage:
    """One worker's view of its Redis: up, down since when, or given up; PARKCRAWL_REDIS_DOWN_TIMEOUT."""

    def __init__(
        self,
        url: str,
        timeout: float,
        *,
        ping: Callable[[], object],
        give_up: Callable[[str], None],
        clock: Callable[[], float] = time.monotonic,
        schedule: Callable[[float, Callable[[], None]], Any] = call_later,
    ):
        self.url = shown_url(url)
        self.timeout = timeout
        self.ping = ping
        self._give_up = give_up
        self.clock = clock
        self.schedule = schedule
        self.down_since: float | None = None
        self.error = ""
        self.given_up = False
        self.outages = 0
        self._last_attempt = 0.0
        self._deadline: Any = None
        self._on_recovery: list[Callable[[], None]] = []

    @property
    def down(self) -> bool:
        """True from the first failed call until one succeeds (or for good once given up)."""
        return self.down_since is not None or self.given_up

    def on_recovery(self, callback: Callable[[], None]) -> None:
        """Call ``callback`` when an outage ends (to send what was kept meanwhile)."""
        self._on_recovery.append(callback)

    def call(self, func: Callable[..., T], *args: Any, default: D, **kwargs: Any) -> T | D:
        """``func(*args, **kwargs)``, or ``default`` when Redis is unreachable (now or just now)."""
        if self.given_up:
            return default
        now = self.clock()
        if self.down_since is not None:
            if now - self.down_since >= self.timeout:
                self._expire()
                return default
            if now - self._last_attempt < PROBE_INTERVAL:
                return default
        self._last_attempt = now
        try:
            result = func(*args, **kwargs)
        except OUTAGE_ERRORS as exc:
            self.failed(exc)
            return default
        if self.down_since is not None:
            self.recovered()
        return result

    def failed(self, exc: BaseException) -> None:
        """A call failed: start the outage (one WARNING and a deadline), or note the latest error."""
        self.error = _one_line(exc)
        if self.down_since is not None or self.given_up:
            return
        self.down_since = self._last_attempt = self.clock()
        self.outages += 1
        logger.warning(
            "Redis at %s unreachable (%s): holding requests and items, retrying for up to %g s",
            self.url, self.error, self.timeout,
        )
        self._deadline = self.schedule(self.timeout, self._check)

    def recovered(self) -> None:
        """A call succeeded after an outage: one INFO, then send what was kept."""
        if self.down_since is None:
            return
        lasted = self.clock() - self.down_since
        self.down_since = None
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None
        logger.info("Redis at %s is back after %.1f s", self.url, lasted)
        for callback in list(self._on_recovery):
            callback()

    def _check(self) -> None:
        """The deadline: one last ping, then give up if Redis still does not answer."""
        self._deadline = None
        if self.down_since is None or self.given_up:
            return
        self._last_attempt = self.clock()
        try:
            self.ping()
        except OUTAGE_ERRORS as exc:
            self.error = _one_line(exc)
            self._expire()
            return
        self.recovered()

    def _expire(self) -> None:
        if self.given_up:
            return
        self.given_up = True
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None
        message = f"Redis at {self.url} unreachable for {self.timeout:g} s: {self.error}"
        logger.error(message)
        self._give_up(message)


_BY_CRAWLER: WeakKeyDictionary[Any, RedisOutage] = WeakKeyDictionary()


def redis_outage(crawler: Any) -> RedisOutage:
    """The crawler's one RedisOutage, shared by its scheduler, state and dedup pipeline."""
    outage = _BY_CRAWLER.get(crawler)
    if outage is None:
        settings = crawler.settings
        # A weak reference: the outage is the dictionary's value and must not keep its key alive.
        crawler_ref = ref(crawler)

        def give_up(message: str) -> None:
            alive = crawler_ref()
            if alive is not None:
                close_worker(alive, message)

        outage = _BY_CRAWLER[crawler] = RedisOutage(
            settings.get("REDIS_URL"),
            settings.getfloat("PARKCRAWL_REDIS_DOWN_TIMEOUT", 30.0),
            ping=redis_client(settings).ping,
            give_up=give_up,
        )
    return outage


def close_worker(crawler: Any, message: str) -> None:
    """Close the crawl with ``message`` as its failure (the run report and exit status 1 read it)."""
    crawler.stats.set_value("parkcrawl/distributed/redis_unavailable", 1)
    spider = crawler.spider
    if spider is not None:
        # Redis first: whatever else went wrong in this run followed from it.
        earlier = getattr(spider, "failure", None)
        spider.failure = f"{message}; {earlier}" if earlier else message
    engine = crawler.engine
    if engine is not None and engine.spider is not None:
        deferred_from_coro(engine.close_spider_async(reason=CLOSE_REASON))
