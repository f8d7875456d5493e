"""Progress: a one-line account of the crawl at a steady interval; PARKCRAWL_PROGRESS_INTERVAL.

The line reads, for example (one line)::

    progress: 36 pages fetched, 29 articles written, 1 dropped, 0 queued (2 downloading),
    720 pages/min

Pages and articles are running totals; the rate is pages fetched per minute over the last
interval. Switched off by ``PARKCRAWL_PROGRESS_ENABLED = False`` or an interval of 0.
``PARKCRAWL_PROGRESS_TO_STDERR`` also prints the line to stderr, for runs whose log goes to a
file (``parkcrawl demo``).

On an interactive terminal (stderr is a TTY; ``PARKCRAWL_PROGRESS_BAR``, default ``auto``) a tqdm
bar on stderr takes the line's place: pages fetched out of the pages known so far (fetched,
downloading and queued, so the total grows as the walk finds list pages), the rate, articles
written and dropped. Log lines that go to the same terminal are written above the bar; a log
that goes to a file (``LOG_FILE``) still gets the line. Scrapy's own LogStats line ("Crawled N
pages …") says less than ours, so :class:`ProgressAddon` switches it off while ours is on.
"""

from __future__ import annotations

import logging
import sys
from dataclasses import dataclass
from typing import Any, TextIO

from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.utils.asyncio import create_looping_call
from tqdm import tqdm

logger = logging.getLogger(__name__)

DROPPED_PREFIX = "parkcrawl/dropped/"
# How often the bar is redrawn (s): often enough to look alive, rarely enough to cost nothing.
BAR_REFRESH = 0.5
_ON = {"1", "true", "yes", "on"}
_OFF = {"0", "false", "no", "off", "none", ""}


def progress_on(settings: Any) -> bool:
    """Whether the progress extension runs (PARKCRAWL_PROGRESS_ENABLED, _INTERVAL > 0)."""
    return settings.getbool("PARKCRAWL_PROGRESS_ENABLED", True) and settings.getfloat(
        "PARKCRAWL_PROGRESS_INTERVAL", 10.0
    ) > 0


def bar_wanted(value: Any, stream: Any) -> bool:
    """PARKCRAWL_PROGRESS_BAR: ``auto`` draws the bar when ``stream`` is a terminal."""
    text = str(value).strip().lower()
    if text == "auto":
        isatty = getattr(stream, "isatty", None)
        return bool(isatty and isatty())
    if text in _ON:
        return True
    if text in _OFF:
        return False
    raise ValueError(f"PARKCRAWL_PROGRESS_BAR must be auto, true or false, got {value!r}")


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


class AboveTheBar:
    """A log handler's stream that writes each record above the progress bar, then redraws it."""

    def __init__(self, stream: TextIO):
        self.stream = stream

    def write(self, text: str) -> int:
        # Without this a log line lands on the bar's line, in the middle of the bar.
        with tqdm.external_write_mode(file=self.stream):
            return self.stream.write(text)

    def flush(self) -> None:
        self.stream.flush()


class Bar:
    """The tqdm bar on a terminal: pages fetched of pages known so far, articles, drops."""

    def __init__(self, file: TextIO):
        self.file = file
        self.tqdm = tqdm(
            file=file, desc="parknews", unit=" pages", total=1, dynamic_ncols=True,
            mininterval=0, leave=True,
            bar_format="{desc}: {bar} {n_fmt}/{total_fmt} pages [{elapsed}, {rate_fmt}{postfix}]",
        )
        # Root log handlers writing to the bar's terminal, and the streams they had.
        self.redirected: list[tuple[logging.StreamHandler[Any], Any]] = []

    def redirect_log(self) -> bool:
        """Send the log lines bound for the bar's terminal above the bar; whether there were any."""
        for handler in logging.root.handlers:
            # Not a FileHandler (a subclass): a log file keeps its lines as they are.
            if type(handler) is logging.StreamHandler and handler.stream is self.file:
                self.redirected.append((handler, handler.setStream(AboveTheBar(self.file))))
        return bool(self.redirected)

    def draw(self, now: Snapshot) -> None:
        bar = self.tqdm
        # The walk finds pages as it goes: the total is what is known so far, never below n.
        bar.total = max(now.pages + now.downloading + (now.queued or 0), now.pages, 1)
        bar.set_postfix_str(
            f"{now.articles} articles written, {now.dropped} dropped", refresh=False
        )
        if now.pages > bar.n:
            bar.update(now.pages - bar.n)
        else:
            bar.refresh()

    def close(self) -> None:
        self.tqdm.close()
        for handler, stream in self.redirected:
            handler.setStream(stream)
        self.redirected.clear()


class Progress:
    """Log a progress line every PARKCRAWL_PROGRESS_INTERVAL seconds, or draw a bar on a
    terminal (PARKCRAWL_PROGRESS_BAR); PARKCRAWL_PROGRESS_ENABLED."""

    def __init__(
        self, interval: float, stream: TextIO | None = None, bar_stream: TextIO | None = None,
        logstats_off: bool = False,
    ):
        self.interval = interval
        self.stream = stream
        # The terminal the bar is drawn on (None: no bar, the plain line).
        self.bar_stream = bar_stream
        self.bar: Bar | None = None
        # Scrapy's LogStats is off (ProgressAddon): its final per-minute stats are set here.
        self.logstats_off = logstats_off
        self.log_lines = True
        self.crawler: Any = None
        self.task: Any = None
        self.bar_task: Any = None
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
        bar = bar_wanted(settings.get("PARKCRAWL_PROGRESS_BAR", "auto"), sys.stderr)
        ext = cls(
            interval, stream, bar_stream=sys.stderr if bar else None,
            logstats_off=not settings.getfloat("LOGSTATS_INTERVAL"),
        )
        ext.crawler = crawler
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def spider_opened(self) -> None:
        if self.bar_stream is not None:
            self.bar = Bar(self.bar_stream)
            # The bar replaces the line on the terminal; a log kept in a file still gets it.
            self.log_lines = not self.bar.redirect_log()
            self.stream = None
            self.bar_task = create_looping_call(self.draw)
            self.bar_task.start(BAR_REFRESH, now=True)
        self.task = create_looping_call(self.tick)
        # now=False: the first line comes one interval in, when there is something to say.
        self.task.start(self.interval, now=False)

    def spider_closed(self) -> None:
        for task in (self.task, self.bar_task):
            if task is not None and task.running:
                task.stop()
        if self.bar is not None:
            self.draw()  # the final counts, left on the terminal above the run summary
            self.bar.close()
            self.bar = None
        if self.logstats_off:
            self.final_rates()

    def final_rates(self) -> None:
        """Scrapy's LogStats' closing stats (responses_per_minute, items_per_minute), kept in the
        stats dump while LogStats is off."""
        stats = self.crawler.stats
        start, finish = stats.get_value("start_time"), stats.get_value("finish_time")
        minutes = (finish - start).seconds / 60 if start and finish else 0
        pages = stats.get_value("response_received_count", 0)
        items = stats.get_value("item_scraped_count", 0)
        stats.set_value("responses_per_minute", pages / minutes if minutes else None)
        stats.set_value("items_per_minute", items / minutes if minutes else None)

    def draw(self) -> None:
        if self.bar is not None:
            self.bar.draw(self.current())

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
        if not self.log_lines:
            return
        self.lines += 1
        self.crawler.stats.set_value("parkcrawl/progress/lines", self.lines)
        logger.info(line)
        if self.stream is not None:
            print(line, file=self.stream, flush=True)


class ProgressAddon:
    """Add-on: Scrapy's LogStats line off while parkcrawl's progress is on, so a run never shows
    both ("Crawled N pages …" says less); ``-s LOGSTATS_INTERVAL=60`` brings it back."""

    def update_settings(self, settings: Any) -> None:
        if progress_on(settings):
            # "addon" priority: above Scrapy's default, below settings.py and the command line.
            settings.set("LOGSTATS_INTERVAL", 0.0, priority="addon")
