"""`scrapy crawl` with exit statuses a scheduler can act on.

0: the run finished (an incremental run with nothing new included); 1: the run failed (start page
unreachable, section path gone, no articles, too many extraction failures) — the reason is the
last line on stderr; 2: bad arguments, refused before any request.
"""

from __future__ import annotations

import argparse
import sys

from scrapy.commands.crawl import Command as ScrapyCrawlCommand
from scrapy.exceptions import UsageError

from parkcrawl.extensions import FAILURE_STAT
from parkcrawl.spiders.parknews import ArgumentError, parse_path, resolve_start_url


class Command(ScrapyCrawlCommand):
    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) != 1:
            raise UsageError("give exactly one spider name, e.g. scrapy crawl parknews")
        assert self.crawler_process
        if args[0] == "parknews":
            settings = self.crawler_process.settings
            try:
                resolve_start_url(opts.spargs.get("start_url"), settings.get("PARKNEWS_START_URL"))
                path = opts.spargs["path"] if "path" in opts.spargs else settings.get("PARKNEWS_PATH")
                parse_path(path or "")
            except ArgumentError as exc:
                print(f"parknews: error: {exc}", file=sys.stderr)
                self.exitcode = 2
                return
        crawler = self._create_crawler(args[0])
        self.crawler_process.crawl(crawler, **opts.spargs)
        self.crawler_process.start()
        if self.crawler_process.bootstrap_failed:
            self.exitcode = 1
            return
        failure = crawler.stats.get_value(FAILURE_STAT) if crawler.stats else None
        if failure:
            print(f"parknews: FAILED: {failure}", file=sys.stderr)
            self.exitcode = 1
