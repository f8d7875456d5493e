"""A stats collector that also writes the crawl's final stats as JSON (for the benchmark).

Used by ``bench/run.py`` for parknews and the bare spider alike, through
``-s STATS_CLASS=bench.statsdump.JsonFileStatsCollector -s BENCH_STATS_FILE=path``, so both
report throughput from the same clock (Scrapy's own ``elapsed_time_seconds``) without any
change to the project's components.
"""

from __future__ import annotations

import json
import resource
from datetime import datetime
from typing import Any

from scrapy.statscollectors import MemoryStatsCollector


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, (int, float, str, bool)) or value is None:
        return value
    return str(value)


def _cpu_s(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


class JsonFileStatsCollector(MemoryStatsCollector):
    """MemoryStatsCollector that dumps the final stats to BENCH_STATS_FILE when the spider closes,
    with the CPU seconds of the crawl's process from spider open to close (``bench/cpu_main_s``)
    and of its child processes reaped by then, the page workers (``bench/cpu_children_s``,
    their start-up included)."""

    def open_spider(self, spider: Any = None) -> None:
        self._cpu_at_open = _cpu_s(resource.RUSAGE_SELF)
        self._children_at_open = _cpu_s(resource.RUSAGE_CHILDREN)
        if spider is None:
            super().open_spider()
        else:
            super().open_spider(spider)

    def _persist_stats(self, stats: dict[str, Any]) -> None:
        stats["bench/cpu_main_s"] = round(_cpu_s(resource.RUSAGE_SELF) - self._cpu_at_open, 3)
        stats["bench/cpu_children_s"] = round(
            _cpu_s(resource.RUSAGE_CHILDREN) - self._children_at_open, 3
        )
        super()._persist_stats(stats)
        path = self._crawler.settings.get("BENCH_STATS_FILE")
        if path:
            with open(path, "w", encoding="utf-8") as fh:
                json.dump(
                    {k: _plain(v) for k, v in stats.items()}, fh, ensure_ascii=False, indent=1
                )
