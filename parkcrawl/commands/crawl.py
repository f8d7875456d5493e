"""`scrapy crawl` with exit statuses a scheduler can act on.

0: the run finished (an incremental run with nothing new included); 1: the run failed (start page
unreachable, section path gone, no articles, too many extraction failures, output, state or
archive not writable) — the reason is the last line on stderr; 2: bad arguments, refused before
any request; 130 / 143: interrupted by SIGINT (Ctrl-C) / SIGTERM, as shells report it.
"""

from __future__ import annotations

import argparse
import logging
import signal
import sys
from typing import Any

from scrapy.commands.crawl import Command as ScrapyCrawlCommand
from scrapy.exceptions import UsageError

from parkcrawl.distributed import RedisUnavailable, check_distributed
from parkcrawl.extensions import FAILURE_STAT, INTERRUPTED_STAT
from parkcrawl.progress import bar_wanted
from parkcrawl.renamed import apply_renamed
from parkcrawl.spiders.params import ArgumentError, spider_params
from parkcrawl.workers import (
    DEFAULT_TIMEOUT,
    close_early,
    processes_wanted,
    start_early,
    timeout_wanted,
)


class SwitchedOffIsInfo(logging.Filter):
    """Log a parkcrawl component that is switched off at INFO, not at Scrapy's WARNING.

    Scrapy logs every component that raises ``NotConfigured("why")`` as a WARNING. parkcrawl's
    components raise it only when their own switch is off (a misconfiguration raises ValueError),
    which is how the run was asked to be, not something for an operator to look into.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if (
            record.levelno == logging.WARNING
            and str(record.msg).startswith("Disabled ")
            and isinstance(args, dict)
            and str(args.get("clspath", "")).startswith("parkcrawl.")
        ):
            record.levelno, record.levelname = logging.INFO, "INFO"
        return True


class Command(ScrapyCrawlCommand):
    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        super().process_options(args, opts)
        assert self.settings is not None
        apply_renamed(self.settings)  # the PARKNEWS_* names of earlier releases, deprecated
        if not (opts.output or opts.overwrite_output) and not self.settings.getdict("FEEDS"):
            # A scheduled run appends to one JSONL file; nothing already written is lost.
            output = self.settings.get("PARKCRAWL_OUTPUT") or "output/parknews.jsonl"
            self.settings.set(
                "FEEDS", {output: {"format": "jsonlines", "overwrite": False}}, priority="cmdline"
            )
        overwrite_means_empty(self.settings)

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) != 1:
            raise UsageError("give exactly one spider name, e.g. scrapy crawl parknews")
        assert self.crawler_process
        logging.getLogger("scrapy.middleware").addFilter(SwitchedOffIsInfo())
        if args[0] == "parknews":
            settings = self.crawler_process.settings
            try:
                spider_params(opts.spargs, settings)
                check_distributed(settings)
                check_progress_setting(settings)
            except ArgumentError as exc:
                print(f"parknews: error: {exc}", file=sys.stderr)
                self.exitcode = 2
                return
            except RedisUnavailable as exc:
                print(f"parknews: FAILED: {exc}", file=sys.stderr)
                self.exitcode = 1
                return
            start_early(settings)  # the page workers start while Scrapy builds the crawl
        try:
            crawler = self._create_crawler(args[0])
            self.crawler_process.crawl(crawler, **opts.spargs)
            self.crawler_process.start()
        finally:
            close_early()  # started, but the crawl stopped before it took them
        if self.crawler_process.bootstrap_failed:
            self.exitcode = 1
            return
        stats = crawler.stats
        failure = stats.get_value(FAILURE_STAT) if stats else None
        interrupted = stats.get_value(INTERRUPTED_STAT) if stats else None
        if interrupted:
            name = signal.Signals(interrupted).name
            more = f"; {failure}" if failure else ""
            print(f"parknews: interrupted by {name}: the walk is incomplete{more}", file=sys.stderr)
            self.exitcode = 128 + int(interrupted)
        elif failure:
            print(f"parknews: FAILED: {failure}", file=sys.stderr)
            self.exitcode = 1


def check_progress_setting(settings: Any) -> None:
    """A mistyped PARKCRAWL_PROGRESS_BAR, PARKCRAWL_PAGE_PROCESSES or PARKCRAWL_PAGE_TIMEOUT is
    refused before the crawl, not by a traceback in it."""
    try:
        bar_wanted(settings.get("PARKCRAWL_PROGRESS_BAR", "auto"), sys.stderr)
        processes_wanted(settings.get("PARKCRAWL_PAGE_PROCESSES", "auto"))
        timeout_wanted(settings.get("PARKCRAWL_PAGE_TIMEOUT", DEFAULT_TIMEOUT))
    except ValueError as exc:
        raise ArgumentError(str(exc)) from None


def overwrite_means_empty(settings: Any) -> None:
    """A feed opened with -O (overwrite) is emptied even when the run writes no line.

    Scrapy opens a feed file at its first item, so an incremental run with nothing new would
    leave the previous run's lines in an overwritten feed, and a consumer would read them again
    as this run's. An explicit store_empty in FEEDS is kept."""
    feeds = settings.getdict("FEEDS")
    changed = False
    for options in feeds.values():
        if isinstance(options, dict) and options.get("overwrite") and "store_empty" not in options:
            options["store_empty"] = True
            changed = True
    if changed:
        settings.set("FEEDS", feeds, priority=settings.getpriority("FEEDS") or "cmdline")
