"""A run's outcomes as types: why an article was dropped, why a run was stopped, and how.

:class:`Drop` names every fixed reason an article is not written (fetch failures add open-ended
ones: ``status 404``, ``timeout after 3 retries``); the run report's verdict (the exit status),
the stats keys and the log level all read these members and the sets built from them, so
renaming a reason cannot silently change what a run's exit status says. :class:`Stop` names why
a run was stopped early.

A component that finds the run's output of record unusable (the feed, the state, the archive)
calls :func:`fail_run`: the run's failure is recorded where the run report and the ``crawl``
command read it (exit status 1, the reason as the last line on stderr) and the spider is closed,
so no further article is fetched that could not be kept.
"""

from __future__ import annotations

import logging
from enum import StrEnum
from typing import Any

from scrapy.utils.defer import deferred_from_coro

logger = logging.getLogger(__name__)
_closing: set[Any] = set()



class Drop(StrEnum):
    """A fixed reason an article was not written, as the run summary prints it."""

    # the layout defeated extraction (count towards PARKCRAWL_MAX_EXTRACTION_FAILURE_SHARE)
    NO_TITLE = "no title found"
    NO_BODY = "no body found"
    PIPELINE_ERROR = "pipeline error"
    # a page worker spent over PARKCRAWL_PAGE_TIMEOUT on it (parkcrawl/workers.py)
    TOO_SLOW = "too slow to read"
    # expected: the article is already in the output, this run's or an earlier one's
    UNCHANGED = "unchanged"
    DUPLICATE_URL = "duplicate url"
    DUPLICATE_CONTENT = "duplicate content"
    NEAR_DUPLICATE = "near duplicate"
    # the page was refused before extraction
    NOT_HTML = "not HTML"
    EMPTY_PAGE = "empty page"
    TOO_COMPLEX = "too complex"
    TOO_LARGE = "too large"
    REDIRECT_LOOP = "redirect loop"
    REDIRECTED_TO_FETCHED = "redirected to a page already fetched"
    # the shared state of distributed mode was gone for good
    REDIS_UNAVAILABLE = "Redis unavailable"
    # a forced stop (Ctrl-C twice) closed the page workers with the page in hand; the next run
    # fetches it again
    STOPPED = "crawl stopped with the page in hand"

    @property
    def key(self) -> str:
        return reason_key(self.value)


# Reasons that mean the page was an article but the layout defeated extraction.
# A page too slow to read counts too: a site whose every page times out fails the run loudly.
EXTRACTION_FAILURES = frozenset({Drop.NO_TITLE, Drop.NO_BODY, Drop.PIPELINE_ERROR, Drop.TOO_SLOW})
# Not failures: the article was extracted and is already in the output (this run or an earlier).
DEDUP_OUTCOMES = frozenset(
    {Drop.UNCHANGED, Drop.DUPLICATE_URL, Drop.DUPLICATE_CONTENT, Drop.NEAR_DUPLICATE}
)


class Stop(StrEnum):
    """Why a run was stopped before its walk ended: the spider's close reason, and the stats key
    ``parkcrawl/stopped/<reason>``."""

    OUTPUT_FAILED = "output_failed"
    STATE_FAILED = "state_failed"
    ARCHIVE_FAILED = "archive_failed"
    SECTION_NOT_FOUND = "section_not_found"
    START_FAILED = "start_failed"


# The names components import (kept short where they are raised).
OUTPUT_FAILED, STATE_FAILED, ARCHIVE_FAILED = Stop.OUTPUT_FAILED, Stop.STATE_FAILED, Stop.ARCHIVE_FAILED


def reason_key(reason: str) -> str:
    """Stats-key form of a reason: "status 404" → "status_404"."""
    return "_".join(str(reason).lower().replace(":", " ").split())


def fail_run(crawler: Any, message: str, reason: Stop) -> None:
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
