"""FreezeStartupObjects as a component (get_crawler and the crawl's signals): what exists when the
spider opens is out of the collector's walks until it closes; what the crawl makes is collected."""

from __future__ import annotations

import gc
import weakref

from scrapy import Spider, signals
from scrapy.utils.test import get_crawler

from parkcrawl.gcfreeze import FreezeStartupObjects
from parkcrawl.settings import EXTENSIONS


class _Cycle:
    def __init__(self) -> None:
        self.me = self


def test_startup_objects_are_frozen_while_the_spider_is_open() -> None:
    crawler = get_crawler(Spider, {"LOGSTATS_INTERVAL": 0})
    extension = FreezeStartupObjects.from_crawler(crawler)  # held, as Scrapy's manager holds it
    built_before = _Cycle()
    try:
        crawler.signals.send_catch_log(signals.spider_opened, spider=Spider("s"))
        frozen = gc.get_freeze_count()
        assert frozen > 1000  # the interpreter's, pytest's and Scrapy's objects at least
        # a cycle made during the crawl is still freed by a collection; one built before waits
        made_during = _Cycle()
        freed, kept = weakref.ref(made_during), weakref.ref(built_before)
        del made_during, built_before
        gc.collect()
        assert freed() is None
        assert kept() is not None
        crawler.signals.send_catch_log(signals.spider_closed, spider=Spider("s"), reason="finished")
        assert gc.get_freeze_count() == 0
        gc.collect()
        assert kept() is None  # thawed at the close, collected as before
        assert extension is not None
    finally:
        gc.unfreeze()


def test_the_project_enables_it() -> None:
    assert "parkcrawl.gcfreeze.FreezeStartupObjects" in EXTENSIONS
