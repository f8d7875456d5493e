"""Stopping a run that cannot go on without losing data, in one place.

A component that finds the run's output of record unusable (the feed, the state, the archive)
calls :func:`fail_run`: the run's failure is recorded where the run report and the ``crawl``
command read it (exit status 1, the reason as the last line on stderr) and the spider is closed,
so no further article is fetched that could not be kept.
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy.utils.defer import deferred_from_coro

logger = logging.getLogger(__name__)
_closing: set[Any] = set()

# Why a run was stopped (the spider's close reason, and stats key parkcrawl/stopped/<reason>).
OUTPUT_FAILED = "output_failed"
STATE_FAILED = "state_failed"
ARCHIVE_FAILED = "archive_failed"


def fail_run(crawler: Any, message: str, reason: str) -> None:
    """Record ``message`` as the run's failure and close the spider with ``reason``."""
    spider = getattr(crawler, "spider", None)
    first = spider is not None and not getattr(spider, "failure", None)
    logger.error(message)
    crawler.stats.inc_value(f"parkcrawl/stopped/{reason}")
    if spider is None:
        return
    if first:
        # The first cause is the one to act on: later errors usually follow from it.
        spider.failure = message
    engine = getattr(crawler, "engine", None)
    if first and engine is not None and getattr(engine, "spider", None) is not None:
        closing = deferred_from_coro(engine.close_spider_async(reason=reason))
        # Keep the task referenced until done (an unreferenced asyncio task may be collected);
        # a spider already closing just waits for that close.
        _closing.add(closing)
        closing.addErrback(lambda failure: logger.debug("closing the spider: %s", failure.value))
        closing.addBoth(lambda _: _closing.discard(closing))
