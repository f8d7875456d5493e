"""A Scrapy extension for tests: how many requests waited in this worker's downloader.

Loaded into a worker with ``-s EXTENSIONS=…`` (the project's extensions plus this one). Each time
a request reaches the downloader it counts the others that are in the downloader but not
transferring (queued in a download slot, or held by a downloader middleware) and keeps the most
in the stat ``test/most_waiting``, which the worker's stats dump on stderr shows.
"""

from __future__ import annotations

from typing import Any

from scrapy import signals


class SlotProbe:
    def __init__(self, crawler: Any):
        self.crawler = crawler
        crawler.signals.connect(self.reached, signal=signals.request_reached_downloader)

    @classmethod
    def from_crawler(cls, crawler: Any) -> SlotProbe:
        return cls(crawler)

    def reached(self, request: Any, spider: Any) -> None:
        downloader = self.crawler.engine.downloader
        transferring = sum(len(slot.transferring) for slot in downloader.slots.values())
        others = len(downloader.active) - 1 - transferring  # this request is active already
        self.crawler.stats.max_value("test/most_waiting", others)
