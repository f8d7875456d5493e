"""Progress: a one-line account of the crawl at a steady interval; PARKCRAWL_PROGRESS_INTERVAL.

The line reads, for example (one line)::

    progress: 36 pages fetched, 29 articles written, 1 dropped, 0 queued (2 downloading),
    720 pages/min

Pages and articles are running totals; the rate is pages fetched per minute over the last
interval. Switched off by ``PARKCRAWL_PROGRESS_ENABLED = False`` or an interval of 0.
``PARKCRAWL_PROGRESS_TO_STDERR`` also prints the line to stderr, for runs whose log goes to a
file (``parkcrawl demo``).
"""

from __future__ import annotations

import logging
import sys
from dataclasses import dataclass
from typing import Any, TextIO

from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.utils.asyncio import create_looping_call

logger = logging.getLogger(__name__)

DROPPED_PREFIX = "parkcrawl/dropped/"


@dataclass(frozen=True)
class Snapshot:
    """The crawl's counts at one moment."""

    pages: int
    articles: int
    dropped: int
    queued: int | None
    downloading: int

    def line(self, pages_per_minute: float) -> str:
        queued = "?" if self.queued is None else str(self.queued)
        return (
            f"progress: {self.pages} pages fetched, {self.articles} articles written, "
            f"{self.dropped} dropped, {queued} queued ({self.downloading} downloading), "
            f"{pages_per_minute:.0f} pages/min"
        )


def snapshot(stats: dict[str, Any], queued: int | None, downloading: int) -> Snapshot:
    """Counts from a stats dict (Scrapy's keys and ours) and the engine's queue sizes."""
    dropped = sum(
        v for k, v in stats.items() if k.startswith(DROPPED_PREFIX) and isinstance(v, int)
    )
    return Snapshot(
        pages=stats.get("downloader/response_count", 0),
        articles=stats.get("item_scraped_count", 0),
        dropped=dropped,
        queued=queued,
        downloading=downloading,
    )


class Progress:
    """Log a progress line every PARKCRAWL_PROGRESS_INTERVAL seconds; PARKCRAWL_PROGRESS_ENABLED."""

    def __init__(self, interval: float, stream: TextIO | None = None):
        self.interval = interval
        self.stream = stream
        self.crawler: Any = None
        self.task: Any = None
        self.previous_pages = 0
        self.lines = 0

    @classmethod
    def from_crawler(cls, crawler: Any) -> Progress:
        settings = crawler.settings
        if not settings.getbool("PARKCRAWL_PROGRESS_ENABLED", True):
            raise NotConfigured("PARKCRAWL_PROGRESS_ENABLED is off")
        interval = settings.getfloat("PARKCRAWL_PROGRESS_INTERVAL", 10.0)
        if interval <= 0:
            raise NotConfigured("PARKCRAWL_PROGRESS_INTERVAL is 0")
        stream = sys.stderr if settings.getbool("PARKCRAWL_PROGRESS_TO_STDERR", False) else None
        ext = cls(interval, stream)
        ext.crawler = crawler
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def spider_opened(self) -> None:
        self.task = create_looping_call(self.tick)
        # now=False: the first line comes one interval in, when there is something to say.
        self.task.start(self.interval, now=False)

    def spider_closed(self) -> None:
        if self.task is not None and self.task.running:
            self.task.stop()

    def current(self) -> Snapshot:
        engine = self.crawler.engine
        scheduler = getattr(engine, "scheduler", None)
        queued = None
        if scheduler is not None and hasattr(scheduler, "__len__"):
            try:
                queued = len(scheduler)
            except Exception:  # a queue in another process (Redis) may not answer: show "?"
                # An exception escaping tick() would stop the looping call with a traceback.
                logger.debug("progress: the scheduler could not say its size", exc_info=True)
        downloader = getattr(engine, "downloader", None)
        downloading = len(getattr(downloader, "active", ()))
        return snapshot(self.crawler.stats.get_stats(), queued, downloading)

    def tick(self) -> None:
        now = self.current()
        rate = (now.pages - self.previous_pages) * 60.0 / self.interval
        self.previous_pages = now.pages
        line = now.line(rate)
        self.lines += 1
        self.crawler.stats.set_value("parkcrawl/progress/lines", self.lines)
        logger.info(line)
        if self.stream is not None:
            print(line, file=self.stream, flush=True)
